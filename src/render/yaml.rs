//! The one YAML writer: values (a rendered JSON object template, or typed data) → block-style
//! YAML. Strings are written like the templates' (`yaml_scalar`): plain where every parser
//! reads them back as the same string, double-quoted otherwise, so no value is ever read back
//! as a number, a boolean or a YAML 1.1 sexagesimal (`"02:00"`); a multi-line string a literal
//! block can hold exactly is a `|-` block. Mappings keep their written order; the comment
//! entries of a rendered template (`"#": text`) become `#` lines where they stand.
//! The same values give the same bytes.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::json::{COMMENT, Node};
use super::templates::{block_safe, write_json_string, write_yaml_scalar};

/// `data` (a struct or map) as a YAML document, fields in their declaration order.
pub fn document(data: &impl serde::Serialize) -> Result<String, String> {
    let json = serde_json::to_string(data).map_err(|e| e.to_string())?;
    let nodes = super::json::parse(&json)?;
    Ok(documents(&nodes))
}

/// Documents separated by `---`.
pub(crate) fn documents(nodes: &[Node]) -> String {
    let mut out = String::with_capacity(4096);
    for (index, node) in nodes.iter().enumerate() {
        if index > 0 {
            out.push_str("---\n");
        }
        match node {
            Node::Object(entries) => write_entries(&mut out, entries, 0, false),
            Node::Array(items) if !items.is_empty() => write_items(&mut out, items, 0),
            other => {
                let mut text = String::new();
                nested(&mut text, other, 0);
                out.push_str(text.trim_start());
            }
        }
    }
    out
}

/// The entries of a mapping whose keys stand at `indent`; with `inline`, the first key goes
/// on the current line (after a sequence's `- `).
fn write_entries(out: &mut String, entries: &[(Cow<'_, str>, Node<'_>)], indent: usize, mut inline: bool) {
    for (key, value) in entries {
        if key == COMMENT {
            comment(out, value, indent);
            continue;
        }
        if inline {
            inline = false;
        } else {
            pad(out, indent);
        }
        push_scalar(out, key);
        out.push(':');
        nested(out, value, indent + 2);
    }
}

/// The items of a sequence, each `- ` at `indent`; a mapping's first key on the dash's line,
/// after the comments that lead it.
fn write_items(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        if let Node::Object(entries) = item {
            let lead = entries.iter().take_while(|(key, _)| key == COMMENT).count();
            for (_, text) in &entries[..lead] {
                comment(out, text, indent);
            }
            let rest = &entries[lead..];
            if rest.iter().any(|(key, _)| key != COMMENT) {
                pad(out, indent);
                out.push_str("- ");
                write_entries(out, rest, indent + 2, true);
                continue;
            }
        }
        pad(out, indent);
        out.push('-');
        nested(out, item, indent + 2);
    }
}

/// After `key:` or `-`: a scalar or an empty collection on the same line, a block below.
fn nested(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Object(entries) if entries.iter().any(|(key, _)| key != COMMENT) => {
            out.push('\n');
            write_entries(out, entries, indent, false);
        }
        Node::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_items(out, items, indent);
        }
        Node::Object(_) => out.push_str(" {}\n"),
        Node::Array(_) => out.push_str(" []\n"),
        Node::String(text) if block_safe(text) => {
            out.push_str(" |-");
            for line in text.split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    pad(out, indent);
                    out.push_str(line);
                }
            }
            out.push('\n');
        }
        scalar => {
            out.push(' ');
            scalar_text(out, scalar);
            out.push('\n');
        }
    }
}

fn scalar_text(out: &mut String, value: &Node) {
    match value {
        Node::String(text) => push_scalar(out, text),
        Node::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        // Written in place: `to_string` would allocate a string for every number.
        Node::Number(number) => {
            let _ = write!(out, "{number}");
        }
        Node::Null | Node::Array(_) | Node::Object(_) => out.push_str("null"),
    }
}

/// `# text`, one line per line of `text`; a line holding a character that could end or break
/// the comment (a control character, a Unicode line break) is written as a JSON string.
fn comment(out: &mut String, text: &Node, indent: usize) {
    let Node::String(text) = text else {
        return;
    };
    for line in text.split('\n') {
        pad(out, indent);
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            if line.chars().any(|c| c.is_control() || super::templates::yaml_unsafe(c)) {
                let _ = write_json_string(out, line);
            } else {
                out.push_str(line);
            }
        }
        out.push('\n');
    }
}

/// A string as `yaml_scalar` writes it (writing to a `String` cannot fail).
fn push_scalar(out: &mut String, text: &str) {
    let _ = write_yaml_scalar(out, text);
}

fn pad(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    if indent <= SPACES.len() {
        out.push_str(&SPACES[..indent]);
    } else {
        out.push_str(&" ".repeat(indent));
    }
}

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
