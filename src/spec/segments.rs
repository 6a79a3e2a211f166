//! A large spec is parsed in segments, on every core: the text is cut at table headers into
//! runs that cannot affect each other, each run is parsed alone, and the trees are joined.
//!
//! Guarantee: the result is the tree one parse of the whole text gives — the same keys,
//! values and spans (not the flags `toml` keeps on how a table was written — implicit, dotted,
//! inline — which nothing reads). Where that cannot be shown from the cut alone (a segment
//! that does not parse, two segments with the same top-level key, a service whose tables are
//! not in one run), the whole text is parsed at once instead, so errors are always the
//! parser's own.
//!
//! Why: the TOML parser holds every token and event of its input at once, about 40 bytes per
//! byte of text (half a gigabyte for 40,000 services); in segments that memory stays small
//! and is reused, and the cores share the work.
//!
//! Where the cut is safe. A table header starts a line, so the text is cut only at the start
//! of a line that reads as a header; a segment is a run of whole blocks (such a line and the
//! lines under it). Such a line may lie inside a multi-line string, array or inline table,
//! where it is no header; a cut there is refused, because:
//! - the lexer reads a segment as it reads the same bytes in the whole text, as long as the
//!   segment starts where the whole text starts a line outside any string or bracket: the
//!   first segment starts at 0, and each next one at a cut;
//! - so at the first cut that falls inside a string or bracket, the segment before it ends
//!   with that string or bracket unclosed, which the parser always reports as an error (an
//!   unterminated multi-line string, an unclosed array or inline table);
//! - and a segment with an error sends the whole text to one parse.
//!
//! When every segment parses, each one's tree is what the whole parse builds from those
//! lines, provided no segment can change what another defines: runs of `[services.<name>…]`
//! blocks may share the top-level key `services`, as long as each service's blocks are in
//! one segment; any other top-level key belongs to one segment only (`join` checks both).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Below this size (a spec of a hundred services or so) one parse takes a few milliseconds on
/// one core: cutting it is not worth starting threads.
const SEGMENTED_FROM: usize = 1 << 16;
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
    let segments = segments(&blocks(text), text.len(), segment_bytes)?;
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

/// Every block of the text, in order: a block starts at each line that reads as a table
/// header. A line inside a multi-line string or array can read as one too; a cut there is
/// harmless (see the module's guarantee): the segment that opens the string or array ends
/// with it unclosed, fails to parse, and the whole text is parsed at once.
fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = vec![Block {
        start: 0,
        service: None,
    }];
    let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1));
    for start in line_starts {
        let line = text[start..].trim_start_matches([' ', '\t']);
        if !line.starts_with('[') {
            continue;
        }
        if let Some(header) = header(&line[..line.find('\n').unwrap_or(line.len())]) {
            let service = match header {
                Header::Service(name) => Some(name),
                Header::Other => None,
            };
            blocks.push(Block { start, service });
        }
    }
    blocks
}

/// What a table header opens.
#[derive(Debug, PartialEq, Eq)]
enum Header<'a> {
    /// `[services.<name>]` or `[services.<name>.<…>]`, written with bare keys.
    Service(&'a str),
    Other,
}

/// The header a line holds, where a block may start: keys (bare or quoted) joined by dots
/// between `[` and `]` or `[[` and `]]`, then at most a comment, the first key bare and
/// starting with a letter as the spec's top-level keys do (so that lines such as `["sh"]` or
/// `[3]` inside a multi-line array are not taken for headers). `None` otherwise: the line
/// stays in the block above, which is always safe (`join` sees every key a segment defines).
fn header(line: &str) -> Option<Header<'_>> {
    let (brackets, mut rest) = match line.strip_prefix("[[") {
        Some(rest) => (2, rest),
        None => (1, line.strip_prefix('[')?),
    };
    let mut keys = Vec::new();
    let mut plain = brackets == 1;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        let (key, after, bare) = key(rest)?;
        keys.push(key);
        plain &= bare;
        rest = after.trim_start_matches([' ', '\t']);
        match rest.strip_prefix('.') {
            Some(after) => rest = after,
            None => break,
        }
    }
    rest = rest.strip_prefix(&"]]"[..brackets])?.trim_start_matches([' ', '\t']);
    if !(rest.is_empty() || rest == "\r" || rest.starts_with('#')) {
        return None;
    }
    if !keys[0].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(match keys.as_slice() {
        ["services", name, ..] if plain => Header::Service(name),
        _ => Header::Other,
    })
}

/// A key at the start of `text`: the key, the text after it, and whether it is bare.
fn key(text: &str) -> Option<(&str, &str, bool)> {
    let bare_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(text.len());
    if bare_end > 0 {
        return Some((&text[..bare_end], &text[bare_end..], true));
    }
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if quote == '"' => escaped = true,
            _ if c == quote => return Some((&text[..=at], &text[at + 1..], false)),
            _ => {}
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
