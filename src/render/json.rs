//! The JSON that `*.json.j2` object templates render, read back in the template's key order.
//!
//! Templates write every entry with a trailing comma (`"name": {{ name }},`), so that loops and
//! conditionals need no comma logic; [`parse`] reads strict JSON but for a comma that closes a
//! mapping or a list: every value entered it through the JSON auto-escape (or `tojson`, or
//! `serde_json` for the maps a view hands over as JSON text). The
//! structure is read here, in one pass that keeps the key order; numbers and strings holding
//! an escape are read by `serde_json`. A file holds one or more objects, one after the other.
//! A mapping may not name a key twice (serde's maps would keep the last silently), except the
//! comment key [`COMMENT`], whose values the YAML writer prints as `#` lines.

/// The key of a comment: `"#": "text"` becomes the line `# text` where the entry stands.
/// No Kubernetes or Prometheus field, label, annotation or data key can be `#`.
pub(crate) const COMMENT: &str = "#";

use std::borrow::Cow;

/// One JSON value, mappings in the order their keys were written. Keys and strings borrow
/// the text they were read from, unless they held an escape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl From<serde_json::Value> for Node<'static> {
    fn from(value: serde_json::Value) -> Node<'static> {
        use serde_json::Value;
        match value {
            Value::Null => Node::Null,
            Value::Bool(flag) => Node::Bool(flag),
            Value::Number(number) => Node::Number(number),
            Value::String(text) => Node::String(Cow::Owned(text)),
            Value::Array(items) => Node::Array(items.into_iter().map(Node::from).collect()),
            Value::Object(entries) => Node::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Node::from(v)))
                    .collect(),
            ),
        }
    }
}

impl Node<'_> {
    /// The string at `key` of a mapping.
    pub(crate) fn string(&self, key: &str) -> Option<&str> {
        let Node::Object(entries) = self else { return None };
        entries.iter().find_map(|(k, v)| match v {
            Node::String(text) if k == key => Some(text.as_ref()),
            _ => None,
        })
    }

    /// The same value, owning its strings: free of the text it was read from.
    pub(crate) fn into_owned(self) -> Node<'static> {
        let owned = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        match self {
            Node::Null => Node::Null,
            Node::Bool(flag) => Node::Bool(flag),
            Node::Number(number) => Node::Number(number),
            Node::String(text) => Node::String(owned(text)),
            Node::Array(items) => Node::Array(items.into_iter().map(Node::into_owned).collect()),
            Node::Object(entries) => Node::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (owned(key), value.into_owned()))
                    .collect(),
            ),
        }
    }

    /// The value a YAML parser reads back: comments dropped, mappings as `serde_json` maps.
    #[cfg(test)]
    pub(crate) fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Number(number) => Value::Number(number.clone()),
            Node::String(text) => Value::String(text.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .filter(|(key, _)| key != COMMENT)
                    .map(|(key, value)| (key.to_string(), value.to_value()))
                    .collect(),
            ),
        }
    }
}

/// Every object of a rendered JSON text, in order.
pub(crate) fn parse(text: &str) -> Result<Vec<Node<'_>>, String> {
    let mut reader = Reader {
        text,
        at: 0,
        open_entries: Vec::new(),
        open_items: Vec::new(),
    };
    let mut nodes = Vec::new();
    while reader.skip_whitespace().is_some() {
        nodes.push(reader.value(0).map_err(|problem| reader.located(&problem))?);
    }
    Ok(nodes)
}

/// How deep arrays and objects may nest (as `serde_json`'s own limit): templates nest a
/// dozen levels; this only keeps a broken one from exhausting the stack.
const DEPTH_LIMIT: usize = 128;

/// The bytes that stop a string's scan: its closing quote, an escape, a control character.
const STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte < 0x20 || byte == b'"' as usize || byte == b'\\' as usize;
        byte += 1;
    }
    table
};

/// A reader of strict JSON but for the commas that close mappings and lists. The scalars are
/// `serde_json`'s own: a number's text, and a string that holds an escape, are read by it; a
/// string without one is its text, which holds no control character.
struct Reader<'a> {
    text: &'a str,
    at: usize,
    /// The entries of the mappings being read, innermost last; a mapping takes its own off
    /// the end once closed, in one allocation of its exact size (no growing vector each).
    open_entries: Vec<(Cow<'a, str>, Node<'a>)>,
    /// The same for the items of the lists being read.
    open_items: Vec<Node<'a>>,
}

impl<'a> Reader<'a> {
    /// Skips JSON whitespace; the byte after it, if any.
    fn skip_whitespace(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, String> {
        if depth > DEPTH_LIMIT {
            return Err("nested too deep".to_string());
        }
        match self.skip_whitespace() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Node::String),
            Some(b't') => self.word("true", Node::Bool(true)),
            Some(b'f') => self.word("false", Node::Bool(false)),
            Some(b'n') => self.word("null", Node::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err("expected a value".to_string()),
            None => Err("the text ends where a value should be".to_string()),
        }
    }

    /// `{`, then entries each followed by `,` (or by the closing `}` for the last), `}`.
    fn object(&mut self, depth: usize) -> Result<Node<'a>, String> {
        self.at += 1;
        let first = self.open_entries.len();
        loop {
            match self.skip_whitespace() {
                Some(b'}') => break,
                Some(b'"') => {}
                _ => return Err("expected a key or `}`".to_string()),
            }
            let key = self.string()?;
            if key != COMMENT && self.open_entries[first..].iter().any(|(seen, _)| *seen == key) {
                return Err(format!("the key `{key}` appears twice in one mapping"));
            }
            if self.skip_whitespace() != Some(b':') {
                return Err("expected `:`".to_string());
            }
            self.at += 1;
            let value = self.value(depth + 1)?;
            self.open_entries.push((key, value));
            if self.closed_after_item(b'}')? {
                break;
            }
        }
        self.at += 1;
        Ok(Node::Object(self.open_entries.split_off(first)))
    }

    /// `[`, then values each followed by `,` (or by the closing `]` for the last), `]`.
    fn array(&mut self, depth: usize) -> Result<Node<'a>, String> {
        self.at += 1;
        let first = self.open_items.len();
        loop {
            if self.skip_whitespace() == Some(b']') {
                break;
            }
            let item = self.value(depth + 1)?;
            self.open_items.push(item);
            if self.closed_after_item(b']')? {
                break;
            }
        }
        self.at += 1;
        Ok(Node::Array(self.open_items.split_off(first)))
    }

    /// After an entry or an item: `,` (passed over; the next one, or `close`, follows) or
    /// `close` itself (left for the caller), whether it was `close`.
    fn closed_after_item(&mut self, close: u8) -> Result<bool, String> {
        match self.skip_whitespace() {
            Some(b',') => {
                self.at += 1;
                Ok(false)
            }
            Some(byte) if byte == close => Ok(true),
            _ => Err(format!("expected `,` or `{}`", char::from(close))),
        }
    }

    /// The string whose opening quote is at `self.at`. One pass finds its end (strings are
    /// short: a plain loop beats a vectorized search here) and any raw control character.
    /// Without an escape it is borrowed from the text.
    fn string(&mut self) -> Result<Cow<'a, str>, String> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut end = start + 1;
        let mut escaped = false;
        loop {
            while bytes.get(end).is_some_and(|&byte| !STRING_STOP[usize::from(byte)]) {
                end += 1;
            }
            match bytes.get(end) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    end += 2;
                }
                Some(&byte) if byte < b' ' => {
                    return Err("a control character stands unescaped in a string".to_string());
                }
                Some(_) => end += 1,
                None => return Err("a string does not end".to_string()),
            }
        }
        self.at = end + 1;
        // Both ends are ASCII quotes, so these are character boundaries.
        let quoted: &'a str = &self.text[start..=end];
        if escaped {
            serde_json::from_str(quoted)
                .map(Cow::Owned)
                .map_err(|e| without_position(&e))
        } else {
            Ok(Cow::Borrowed(&quoted[1..quoted.len() - 1]))
        }
    }

    fn word(&mut self, word: &str, node: Node<'a>) -> Result<Node<'a>, String> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(node)
        } else {
            Err("expected a value".to_string())
        }
    }

    /// A number's text (the bytes JSON numbers are made of), read by `serde_json`.
    fn number(&mut self) -> Result<Node<'a>, String> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        while bytes
            .get(self.at)
            .is_some_and(|byte| matches!(byte, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.at += 1;
        }
        serde_json::from_str(&self.text[start..self.at])
            .map(Node::Number)
            .map_err(|e| format!("not a JSON number: {}", without_position(&e)))
    }

    /// `problem` with the line and column where reading stopped, and the lines around it.
    fn located(&self, problem: &str) -> String {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
        format!(
            "{problem} at line {line} column {column}, in:\n{}",
            excerpt(self.text, line)
        )
    }
}

/// A `serde_json` error's message without its position, which counts inside the one scalar it
/// read (the reader adds the position in the whole text).
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message.strip_suffix(&suffix).unwrap_or(&message).to_string()
}

/// The lines around `line` (1-based), for a message that shows where the JSON broke.
fn excerpt(text: &str, line: usize) -> String {
    let first = line.saturating_sub(3);
    text.lines().skip(first).take(5).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::{Node, parse};

    #[test]
    fn closing_commas_go_and_commas_in_strings_stay() {
        let nodes = parse("{\"a\": [1, 2,],\n \"b\": \"x,]\", \"c\": {},\n}\n{\"d\": \",}\",}").unwrap();
        assert_eq!(nodes.len(), 2);
        assert_eq!(
            nodes[0].to_value(),
            serde_json::json!({ "a": [1, 2], "b": "x,]", "c": {} })
        );
        assert_eq!(nodes[1].to_value(), serde_json::json!({ "d": ",}" }));
        let backslash = parse(r#"{"p": "c:\\",}"#).unwrap();
        assert_eq!(backslash[0].to_value(), serde_json::json!({ "p": "c:\\" }));
        assert!(parse(r#"{"open": "no end,}"#).is_err());
        let escaped = parse(r#"{"q": "say \"hi\",]", "n": null,}"#).unwrap();
        assert_eq!(
            escaped[0].to_value(),
            serde_json::json!({ "q": "say \"hi\",]", "n": null })
        );
    }

    #[test]
    fn keys_keep_their_written_order() {
        let nodes = parse(r#"{"kind": "A", "apiVersion": "v1", "b": 1, "a": 2}"#).unwrap();
        let Node::Object(entries) = &nodes[0] else {
            panic!("{nodes:?}")
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["kind", "apiVersion", "b", "a"]);
    }

    #[test]
    fn a_key_twice_in_one_mapping_is_an_error() {
        let error = parse(r#"{"labels": {"app": "a", "app": "b"}}"#).unwrap_err();
        assert!(error.contains("the key `app` appears twice"), "{error}");
        let nested = parse(r#"{"a": [{"x": 1, "y": 2, "x": 3}]}"#).unwrap_err();
        assert!(nested.contains("`x` appears twice"), "{nested}");
        let comments = parse(r##"{"#": "one", "a": 1, "#": "two"}"##).unwrap();
        assert_eq!(comments[0].to_value(), serde_json::json!({ "a": 1 }));
    }

    #[test]
    fn strict_json_reads_as_serde_json_reads_it() {
        let texts = [
            r#"{"a": 1, "b": -0, "c": 1.5E-3, "d": 12345678901234567890, "e": -9223372036854775808}"#,
            r#"{"s": "plain", "e": "tab\tquote\"slash\\/u\u00e9\ud83d\ude00", "raw": "ünï 😀"}"#,
            r#"[true, false, null, [], {}, [[1], {"x": [null]}], "", 0, 1e5, -2.5]"#,
            " \n\t{\r\n \"spaced\" : [ 1 , 2 ] , \"n\" : { } }\n",
        ];
        for text in texts {
            let expected: serde_json::Value = serde_json::from_str(text).unwrap();
            let nodes = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(nodes.len(), 1, "{text}");
            assert_eq!(nodes[0].to_value(), expected, "{text}");
        }
        let with_closing_commas = parse("{\"a\": [1, 2,\n],\n \"b\": {\"c\": 3,},\n}").unwrap();
        assert_eq!(
            with_closing_commas[0].to_value(),
            serde_json::json!({ "a": [1, 2], "b": { "c": 3 } })
        );
    }

    #[test]
    fn anything_else_is_rejected() {
        let broken = [
            r#"{"a" 1}"#,
            r#"{"a": }"#,
            r#"{"a": 1 "b": 2}"#,
            "[1 2]",
            "[,]",
            "{,}",
            "[1,,]",
            "{\"a\": 1}}",
            "[01]",
            "[1.]",
            "[-]",
            "[tru]",
            "[nul]",
            "[True]",
            "{a: 1}",
            "{'a': 1}",
            "[\"open",
            "[\"escaped end\\\"]",
            "[\"raw\u{1}control\"]",
            "[\"raw\nline\"]",
            "[\"bad \\x escape\"]",
            "[\"lone \\ud800 surrogate\"]",
            "{\"a\": [1}",
            "[1e400]",
        ];
        for text in broken {
            assert!(parse(text).is_err(), "{text:?} was read");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).unwrap_err().contains("nested too deep"));
    }

    #[test]
    fn broken_json_is_an_error_that_shows_where() {
        let error = parse("{\n\"a\": \"\\x\"}").unwrap_err();
        assert!(error.starts_with("invalid escape at line 2 column"), "{error}");
        assert_eq!(error.matches(" at line ").count(), 1, "{error}");
        let error = parse("{\n\"a\": 1\n\"b\": 2\n}").unwrap_err();
        assert!(error.contains("line 3") && error.contains("\"b\": 2"), "{error}");
        assert!(parse("{\"a\": 1,,}").is_err());
    }
}
