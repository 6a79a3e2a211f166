use super::super::json::{Node, parse};
use super::{document, documents};

/// What a YAML parser (`serde_norway`, libyaml's rules) reads back from `text`.
fn read_back(text: &str) -> Vec<serde_json::Value> {
    crate::verify::yaml_documents(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn reads_back_as_the_same_data_with_every_string_a_string() {
    let value = serde_json::json!({
        "times": [{ "start_time": "02:00", "end_time": "24:00" }],
        "flags": ["yes", "no", "on", "1e3", "#x", "a: b", "multi\nline"],
        "empty": [], "none": {}, "n": 3, "t": true,
        "label/key.io": { "weird key: x": "v" },
        "nested": [[1, 2], { "a": [{ "b": "c", "d": "e" }] }],
    });
    let text = document(&value).unwrap();
    assert_eq!(read_back(&text), [value], "{text}");
    assert!(text.contains("start_time: \"02:00\""), "{text}");
    assert!(
        text.contains("label/key.io:\n") && text.contains("\"weird key: x\": v\n"),
        "{text}"
    );
    assert!(text.contains("  - |-\n    multi\n    line\n"), "{text}");
    assert!(
        text.contains("nested:\n  -\n    - 1\n    - 2\n  - a:\n      - b: c\n        d: e\n"),
        "{text}"
    );
}

#[test]
fn objects_become_documents_in_written_order_with_their_comments() {
    let nodes = parse(concat!(
        r##"{"#": "first line\nsecond", "kind": "A", "apiVersion": "v1","##,
        r##" "spec": {"ports": [{"#": "a peer", "port": 53, "protocol": "UDP",},], "empty": {},},}"##,
        r#"{"kind": "B", "data": {"x": "one\ntwo"}}"#
    ))
    .unwrap();
    let text = documents(&nodes);
    assert_eq!(
        text,
        "# first line\n# second\nkind: A\napiVersion: v1\nspec:\n  ports:\n    # a peer\n    - port: 53\n      protocol: UDP\n  empty: {}\n---\nkind: B\ndata:\n  x: |-\n    one\n    two\n"
    );
    let back = read_back(&text);
    assert_eq!(back[0], nodes[0].to_value());
    assert_eq!(back[1], nodes[1].to_value());
}

#[test]
fn a_comment_cannot_break_out_of_its_line() {
    let nodes = vec![Node::Object(vec![
        ("#".into(), Node::String("evil\rkey: 1\u{2028}other: 2\u{85}x".into())),
        ("a".into(), Node::Number(1.into())),
    ])];
    let text = documents(&nodes);
    assert_eq!(read_back(&text), [serde_json::json!({ "a": 1 })], "{text}");
}

/// A small deterministic generator (xorshift), so the property test needs no crate.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Strings YAML is known to misread when written carelessly, and pieces to build more.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "-",
    "- a",
    "---",
    "...",
    "~",
    "null",
    "Null",
    "true",
    "False",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "0",
    "-1",
    "+1",
    "0x1f",
    "0o17",
    "1e3",
    "1.5",
    ".inf",
    "-.Inf",
    ".nan",
    "12:30",
    "190:20:30",
    "2026-12-02",
    "1_000",
    "3.2.0",
    "a: b",
    "a #b",
    "#c",
    "&a",
    "*a",
    "!t",
    "|x",
    ">x",
    "%x",
    "@x",
    "`x",
    "'x'",
    "\"x\"",
    "[a]",
    "{a}",
    "?x",
    ",x",
    "<<",
    "=",
    "key:",
    ":",
    "a\nb",
    "a\n\nb",
    "\nlead",
    "trail\n",
    " lead\nx",
    "tail \nx",
    "tab\tx",
    "a\rb",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "😀",
    "ünï",
    "sum(rate(x{a=\"b\"}[5m])) > 0.8",
    "{{ $value }}",
    "${X:?set X}",
    "\\",
    "\\n",
    "/",
];

fn string(random: &mut Random) -> String {
    let parts = 1 + random.below(3);
    (0..parts).map(|_| HOSTILE[random.below(HOSTILE.len())]).collect()
}

fn node(random: &mut Random, depth: usize) -> Node<'static> {
    let choice = if depth == 0 { random.below(4) } else { random.below(7) };
    match choice {
        0 => Node::String(string(random).into()),
        1 => Node::Number(serde_json::Number::from(
            i64::from(random.below(100_000) as u32) - 50_000,
        )),
        2 => Node::Bool(random.below(2) == 0),
        3 => serde_json::Number::from_f64(random.below(1000) as f64 / 8.0).map_or(Node::Null, Node::Number),
        4 | 5 => {
            let mut keys: Vec<String> = (0..random.below(4)).map(|_| string(random)).collect();
            keys.sort();
            keys.dedup();
            Node::Object(
                keys.into_iter()
                    .map(|key| (key.into(), node(random, depth - 1)))
                    .collect(),
            )
        }
        _ => Node::Array((0..random.below(4)).map(|_| node(random, depth - 1)).collect()),
    }
}

#[test]
fn any_value_with_hostile_strings_reads_back_as_itself() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for _ in 0..2000 {
        let entries = (0..=random.below(4))
            .map(|index| (format!("k{index}").into(), node(&mut random, 3)))
            .collect();
        let document = Node::Object(entries);
        let text = documents(std::slice::from_ref(&document));
        assert_eq!(read_back(&text), [document.to_value()], "{text}");
    }
}
