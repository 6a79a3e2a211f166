//! A large spec is parsed in segments, on every core: the text is cut at table headers into
//! runs that cannot affect each other, each run is parsed alone, and the trees are joined.
//!
//! Guarantee: the result is the tree one parse of the whole text gives — the same keys,
//! values and spans. Where that cannot be shown from the cut alone (a syntax error in a
//! segment, two segments with the same top-level key, a service whose tables are not in one
//! run), the whole text is parsed at once instead, so errors are always the parser's own.
//!
//! Why: the TOML parser holds every token and event of its input at once, about 40 bytes per
//! byte of text (half a gigabyte for 40,000 services); in segments that memory stays small
//! and is reused, and the cores share the work.
//!
//! Where the cut is safe: the lexer (the parser's own) finds every table header, outside
//! strings, comments and multi-line arrays. A segment is a run of whole blocks (a header and
//! its keys). Runs of `[services.<name>…]` blocks may share the top-level key `services`, as
//! long as each service's blocks are in one segment; any other top-level key belongs to one
//! segment only. Then no segment can change what another defines, so parsing them apart
//! gives what parsing them together gives.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml_parser::lexer::{Token, TokenKind};

/// Below this size one parse is as fast, and its memory is small anyway.
const SEGMENTED_FROM: usize = 1 << 20;
/// Segments per core: enough that the cores finish together.
const SEGMENTS_PER_CORE: usize = 8;

type Tree<'a> = Spanned<DeTable<'a>>;

/// The document tree and the parser's errors, in segments when the text is large.
pub fn parse(text: &str) -> (Tree<'_>, Vec<toml::de::Error>) {
    if text.len() >= SEGMENTED_FROM
        && let Some(tree) = parse_segmented(text, segment_bytes(text.len()))
    {
        return (tree, Vec::new());
    }
    DeTable::parse_recoverable(text)
}

/// The size of the segments `parse` cuts a text of `len` bytes into.
fn segment_bytes(len: usize) -> usize {
    let cores = crate::parallel::cores();
    len / (cores * SEGMENTS_PER_CORE)
}

/// The tree from segments of about `segment_bytes` each; `None` when the text cannot be cut
/// safely or a segment does not parse.
pub fn parse_segmented(text: &str, segment_bytes: usize) -> Option<Tree<'_>> {
    let segments = segments(&blocks(text)?, text.len(), segment_bytes)?;
    let parsed = crate::parallel::map(&segments, |segment| {
        let (tree, errors) = DeTable::parse_recoverable(&text[segment.range.clone()]);
        errors.is_empty().then(|| shifted_table(tree, segment.range.start))
    });
    let trees: Option<Vec<Tree<'_>>> = parsed.into_iter().collect();
    join(&segments, trees?)
}

/// A header and the keys under it (the first block holds the keys before any header).
#[derive(Debug)]
struct Block<'a> {
    start: usize,
    /// `Some(name)` for `[services.<name>]` and `[services.<name>.<…>]`.
    service: Option<&'a str>,
}

struct Segment {
    range: Range<usize>,
    services: bool,
}

/// Every block of the text, in order; `None` when the brackets do not balance.
fn blocks(text: &str) -> Option<Vec<Block<'_>>> {
    let mut blocks = vec![Block {
        start: 0,
        service: None,
    }];
    let mut tokens = toml_parser::Source::new(text).lex();
    let mut depth = 0usize;
    let mut line_start = Some(0);
    while let Some(token) = tokens.next() {
        match token.kind() {
            TokenKind::LeftSquareBracket if depth == 0 && line_start.is_some() => {
                let start = line_start.take()?;
                let service = match header(text, &mut tokens)? {
                    Header::Service(name) => Some(name),
                    Header::Other => None,
                };
                blocks.push(Block { start, service });
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => depth = depth.checked_sub(1)?,
            TokenKind::Newline => line_start = Some(token.span().end()),
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::Eof => break,
            _ => line_start = None,
        }
    }
    (depth == 0).then_some(blocks)
}

/// What a table header opens.
enum Header<'a> {
    /// `[services.<name>]` or `[services.<name>.<…>]`, written with bare keys.
    Service(&'a str),
    Other,
}

/// Reads a header after its `[` up to its `]`; `None` when the header never closes.
fn header<'a>(text: &'a str, tokens: &mut impl Iterator<Item = Token>) -> Option<Header<'a>> {
    let mut parts = Vec::new();
    let mut plain = true;
    let mut inner_brackets = 0usize;
    for token in tokens.by_ref() {
        match token.kind() {
            // `[[…]]`: an array of tables, an ordinary block.
            TokenKind::LeftSquareBracket => {
                plain = false;
                inner_brackets += 1;
            }
            TokenKind::RightSquareBracket if inner_brackets > 0 => inner_brackets -= 1,
            TokenKind::RightSquareBracket => {
                return Some(match parts.as_slice() {
                    ["services", ".", name, rest @ ..] if plain && rest.first().is_none_or(|dot| *dot == ".") => {
                        Header::Service(name)
                    }
                    _ => Header::Other,
                });
            }
            TokenKind::Atom | TokenKind::Dot => parts.push(&text[token.span().start()..token.span().end()]),
            TokenKind::Whitespace => {}
            // Quoted keys, or a broken header: an ordinary block (or a parse error).
            TokenKind::Newline | TokenKind::Eof => return None,
            _ => plain = false,
        }
    }
    None
}

/// The blocks grouped into segments: runs of other blocks, and runs of service blocks cut
/// into pieces of about `segment_bytes` between two services. `None` when one service's
/// blocks are not all in one run.
fn segments(blocks: &[Block<'_>], len: usize, segment_bytes: usize) -> Option<Vec<Segment>> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut previous: Option<&str> = None;
    for (i, block) in blocks.iter().enumerate() {
        let end = blocks.get(i + 1).map_or(len, |next| next.start);
        let new_service = block.service.is_some() && block.service != previous;
        if new_service && !seen.insert(block.service) {
            return None;
        }
        previous = block.service;
        let services = block.service.is_some();
        match segments.last_mut() {
            Some(last)
                if last.services == services && (!new_service || last.range.end - last.range.start < segment_bytes) =>
            {
                last.range.end = end;
            }
            _ => segments.push(Segment {
                range: block.start..end,
                services,
            }),
        }
    }
    Some(segments)
}

/// One tree from the segments' trees; `None` when two of them share a top-level key (other
/// than `services`) or a service.
fn join<'a>(segments: &[Segment], trees: Vec<Tree<'a>>) -> Option<Tree<'a>> {
    let root_span = trees.first()?.span();
    let mut root = DeTable::new();
    let mut services: Option<(Spanned<std::borrow::Cow<'a, str>>, Range<usize>, DeTable<'a>)> = None;
    for (segment, tree) in segments.iter().zip(trees) {
        for (key, value) in tree.into_inner() {
            let is_services = key.get_ref() == "services";
            if segment.services && is_services {
                let span = value.span();
                let DeValue::Table(table) = value.into_inner() else {
                    return None;
                };
                let (_, _, all) = services.get_or_insert_with(|| (key, span, DeTable::new()));
                for (name, body) in table {
                    if all.insert(name, body).is_some() {
                        return None;
                    }
                }
            } else if is_services || segment.services || root.insert(key, value).is_some() {
                return None;
            }
        }
    }
    if let Some((key, span, table)) = services
        && root.insert(key, Spanned::new(span, DeValue::Table(table))).is_some()
    {
        return None;
    }
    Some(Spanned::new(root_span, root))
}

/// A tree parsed from the text at `offset`, with its spans made relative to the whole text.
fn shifted_table(tree: Tree<'_>, offset: usize) -> Tree<'_> {
    let span = shift(&tree.span(), offset);
    Spanned::new(span, shifted_entries(tree.into_inner(), offset))
}

fn shifted_entries(table: DeTable<'_>, offset: usize) -> DeTable<'_> {
    if offset == 0 {
        return table;
    }
    table
        .into_iter()
        .map(|(key, value)| {
            let key_span = shift(&key.span(), offset);
            (Spanned::new(key_span, key.into_inner()), shifted(value, offset))
        })
        .collect()
}

fn shifted(value: Spanned<DeValue<'_>>, offset: usize) -> Spanned<DeValue<'_>> {
    let span = shift(&value.span(), offset);
    let inner = match value.into_inner() {
        DeValue::Table(table) => DeValue::Table(shifted_entries(table, offset)),
        DeValue::Array(mut items) => {
            for item in items.iter_mut() {
                let taken = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
                *item = shifted(taken, offset);
            }
            DeValue::Array(items)
        }
        scalar => scalar,
    };
    Spanned::new(span, inner)
}

fn shift(span: &Range<usize>, offset: usize) -> Range<usize> {
    span.start + offset..span.end + offset
}

#[cfg(test)]
#[path = "segments_tests.rs"]
mod tests;
