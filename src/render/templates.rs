//! The templates, embedded in the binary, and the environment that renders them.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior};

/// (name, source) of every template under `templates/`.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "kubernetes/namespace.json.j2",
        include_str!("../../templates/kubernetes/namespace.json.j2"),
    ),
    (
        "kubernetes/service.json.j2",
        include_str!("../../templates/kubernetes/service.json.j2"),
    ),
    (
        "kubernetes/datastore.json.j2",
        include_str!("../../templates/kubernetes/datastore.json.j2"),
    ),
    (
        "kubernetes/external-datastore.json.j2",
        include_str!("../../templates/kubernetes/external-datastore.json.j2"),
    ),
    (
        "kubernetes/ingress.json.j2",
        include_str!("../../templates/kubernetes/ingress.json.j2"),
    ),
    (
        "kubernetes/kustomization.json.j2",
        include_str!("../../templates/kubernetes/kustomization.json.j2"),
    ),
    (
        "kubernetes/network-policy.json.j2",
        include_str!("../../templates/kubernetes/network-policy.json.j2"),
    ),
    (
        "kubernetes/pod-security.json.j2",
        include_str!("../../templates/kubernetes/pod-security.json.j2"),
    ),
    (
        "kubernetes/container-security.json.j2",
        include_str!("../../templates/kubernetes/container-security.json.j2"),
    ),
    (
        "kubernetes/container-env.json.j2",
        include_str!("../../templates/kubernetes/container-env.json.j2"),
    ),
    (
        "kubernetes/config-files.json.j2",
        include_str!("../../templates/kubernetes/config-files.json.j2"),
    ),
    (
        "kubernetes/cronjob.json.j2",
        include_str!("../../templates/kubernetes/cronjob.json.j2"),
    ),
    (
        "kubernetes/container-mounts.json.j2",
        include_str!("../../templates/kubernetes/container-mounts.json.j2"),
    ),
    (
        "kubernetes/rollout-strategy.json.j2",
        include_str!("../../templates/kubernetes/rollout-strategy.json.j2"),
    ),
    (
        "kubernetes/rollout-analysis-ref.json.j2",
        include_str!("../../templates/kubernetes/rollout-analysis-ref.json.j2"),
    ),
    (
        "kubernetes/analysis-template.json.j2",
        include_str!("../../templates/kubernetes/analysis-template.json.j2"),
    ),
    (
        "kubernetes/ops-pod.json.j2",
        include_str!("../../templates/kubernetes/ops-pod.json.j2"),
    ),
    (
        "kubernetes/datastore-exporter.json.j2",
        include_str!("../../templates/kubernetes/datastore-exporter.json.j2"),
    ),
    (
        "kubernetes/datastore-backup.json.j2",
        include_str!("../../templates/kubernetes/datastore-backup.json.j2"),
    ),
    (
        "kubernetes/datastore-restore.json.j2",
        include_str!("../../templates/kubernetes/datastore-restore.json.j2"),
    ),
    (
        "kubernetes/cnpg.json.j2",
        include_str!("../../templates/kubernetes/cnpg.json.j2"),
    ),
    (
        "kubernetes/cnpg-cluster.json.j2",
        include_str!("../../templates/kubernetes/cnpg-cluster.json.j2"),
    ),
    (
        "kubernetes/cnpg-object-store.json.j2",
        include_str!("../../templates/kubernetes/cnpg-object-store.json.j2"),
    ),
    (
        "kubernetes/cnpg-restore.json.j2",
        include_str!("../../templates/kubernetes/cnpg-restore.json.j2"),
    ),
    (
        "prometheus/rules.json.j2",
        include_str!("../../templates/prometheus/rules.json.j2"),
    ),
    (
        "prometheus/scrape.yaml.j2",
        include_str!("../../templates/prometheus/scrape.yaml.j2"),
    ),
    (
        "grafana/dashboard.json.j2",
        include_str!("../../templates/grafana/dashboard.json.j2"),
    ),
    (
        "kubernetes/prometheus-rule.json.j2",
        include_str!("../../templates/kubernetes/prometheus-rule.json.j2"),
    ),
    (
        "kubernetes/service-monitor.json.j2",
        include_str!("../../templates/kubernetes/service-monitor.json.j2"),
    ),
    (
        "kubernetes/dashboard-configmap.json.j2",
        include_str!("../../templates/kubernetes/dashboard-configmap.json.j2"),
    ),
    (
        "compose/compose.yaml.j2",
        include_str!("../../templates/compose/compose.yaml.j2"),
    ),
    (
        "compose/prometheus.yaml.j2",
        include_str!("../../templates/compose/prometheus.yaml.j2"),
    ),
    (
        "compose/grafana-datasource.yaml.j2",
        include_str!("../../templates/compose/grafana-datasource.yaml.j2"),
    ),
    (
        "compose/grafana-dashboards.yaml.j2",
        include_str!("../../templates/compose/grafana-dashboards.yaml.j2"),
    ),
];

pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Block tags on their own lines vanish; the file's last newline stays.
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build();
    env.set_syntax(syntax.unwrap_or_default());
    env.set_formatter(yaml_safe_formatter);
    env.add_filter("block", block);
    for (name, source) in TEMPLATES {
        // JSON ignores the indentation that makes a template readable: dropped once here, it
        // is not rendered, copied and skipped again for every object.
        let source = if name.ends_with(".json.j2") {
            std::borrow::Cow::Owned(source.lines().map(str::trim_start).collect::<Vec<_>>().join("\n") + "\n")
        } else {
            std::borrow::Cow::Borrowed(*source)
        };
        // The sources are compiled into the binary; a syntax error is caught by the tests.
        if let Err(error) = env.add_template_owned(*name, source) {
            panic!("template {name} does not parse: {error}");
        }
    }
    env
}

/// Serializes a value a `.json.j2` template writes whole (`#[serde(serialize_with =
/// "json_text")]`) as its JSON text: written once by `serde_json` when the view is handed to
/// the template, and given to it as a safe string, so `{{ meta.labels }}` writes that text as
/// it stands (minijinja's `tojson` would convert the map and walk it again at every use).
/// Only for views serialized into a template's context: elsewhere it would be a string
/// holding JSON. What it writes is read back like the rest. The value holds plain data
/// (labels): written while minijinja converts the view, a `minijinja::Value` inside it would
/// come out as one of minijinja's value handles.
pub(crate) fn json_text<T: serde::Serialize, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    serde::Serialize::serialize(&Value::from_safe_string(text), serializer)
}

/// minijinja's JSON auto-escape, made exact for both formats: in `.json.j2` templates a string
/// is a JSON string literal (`json_string`); in `.yaml.j2` templates it is a YAML scalar,
/// plain where YAML reads it back as that same string and double-quoted otherwise
/// (`yaml_scalar`). Numbers and booleans are written as themselves.
fn yaml_safe_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(text) if *state.auto_escape() == AutoEscape::Json && !value.is_safe() => {
            if state.name().ends_with(".json.j2") {
                write_json_string(out, text).map_err(Error::from)
            } else {
                write_yaml_scalar(out, text).map_err(Error::from)
            }
        }
        // An integer or a boolean is written as its JSON and its YAML (`8080`, `true`) without
        // a JSON serialization into a new string for each (minijinja prints `True`).
        None if value.is_integer() => write!(out, "{value}").map_err(Error::from),
        None if value.kind() == ValueKind::Bool && *state.auto_escape() == AutoEscape::Json => out
            .write_str(if value.is_true() { "true" } else { "false" })
            .map_err(Error::from),
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// `text` as a YAML scalar a reviewer reads easily: plain (`name: analytics`,
/// `image: shop/api:1.4`) where every YAML 1.1 and 1.2 parser reads it back as exactly this
/// string, else the double-quoted `json_string`. Used for keys and values alike, so every
/// file quotes the same way.
pub(crate) fn yaml_scalar(text: &str) -> std::borrow::Cow<'_, str> {
    if plain_safe(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(json_string(text))
    }
}

/// Writes `text` as [`yaml_scalar`] does, without a copy: plain where that is safe, else as
/// [`write_json_string`] quotes it.
pub(crate) fn write_yaml_scalar(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    if plain_safe(text) {
        out.write_str(text)
    } else {
        write_json_string(out, text)
    }
}

/// Letters no YAML 1.1 or 1.2 number, timestamp or sexagesimal contains (those use hex digits,
/// `x`, `o`, `b`, `e`, `t` and `z`): a value starting with a digit that holds one of these
/// (`10m`, `512Mi`, `1h`) is a string to every parser.
const NOT_NUMERIC: &[u8] = b"ghijklmnpqrsuvwyGHIJKLMNPQRSUVWY";

/// The bytes a plain scalar may not start with: YAML's indicators, a sign, a dot, a space.
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`<=~+. ";

/// A 256-entry table of the bytes in `set`, so that a byte's membership is one lookup (the
/// YAML writer asks for every key and string of every file).
const fn byte_set(set: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < set.len() {
        table[set[i] as usize] = true;
        i += 1;
    }
    table
}

const INDICATOR_BYTES: [bool; 256] = byte_set(INDICATORS);

/// What `plain_safe` needs to know of a text's bytes, as bits: the bits of all its bytes,
/// OR-ed in one pass, say whether any is not printable ASCII, a space, or a `NOT_NUMERIC`
/// letter.
const UNPRINTABLE: u8 = 1;
const SPACE: u8 = 2;
const NOT_NUMERIC_LETTER: u8 = 4;

const BYTE_CLASSES: [u8; 256] = {
    let letters = byte_set(NOT_NUMERIC);
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        if byte < 0x20 || byte > 0x7e {
            table[byte] |= UNPRINTABLE;
        }
        if byte == b' ' as usize {
            table[byte] |= SPACE;
        }
        if letters[byte] {
            table[byte] |= NOT_NUMERIC_LETTER;
        }
        byte += 1;
    }
    table
};

/// Whether `text` can stand as a plain scalar in block context and still be read as this
/// string by every YAML parser platc's output meets (go-yaml v2 and v3, libyaml, `PyYAML`):
/// printable ASCII only; not starting with an indicator, a sign or a dot (`.inf`, `-`/`---`),
/// nor with a digit unless a letter of `NOT_NUMERIC` follows (numbers, dates, sexagesimals);
/// not a YAML 1.1 boolean or null word; no `: ` or ` #` inside and no space or `:` at either
/// end. Anything else is quoted: being too careful
/// only costs two quote marks.
fn plain_safe(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if INDICATOR_BYTES[usize::from(first)] || last == b' ' || last == b':' {
        return false;
    }
    // One pass over the bytes collects what the rules below ask (most texts are short keys
    // and values: a table lookup per byte beats a vectorized loop's set-up); `: ` and ` #`
    // are looked for around the spaces, only when there are any.
    let classes = bytes
        .iter()
        .fold(0u8, |classes, &byte| classes | BYTE_CLASSES[usize::from(byte)]);
    if classes & UNPRINTABLE != 0 {
        return false;
    }
    let space_pair = |at: usize| bytes[at - 1] == b':' || bytes.get(at + 1) == Some(&b'#');
    if classes & SPACE != 0
        && bytes
            .iter()
            .enumerate()
            .skip(1)
            .any(|(at, &byte)| byte == b' ' && space_pair(at))
    {
        return false;
    }
    if first.is_ascii_digit() && classes & NOT_NUMERIC_LETTER == 0 {
        return false;
    }
    !yaml11_word(bytes)
}

/// Whether `bytes` is one of YAML 1.1's boolean or null words, in any case (`Yes`, `OFF`):
/// its length picks the words to compare with.
fn yaml11_word(bytes: &[u8]) -> bool {
    let mut lower = [0u8; 5];
    let Some(word) = lower.get_mut(..bytes.len()) else {
        return false;
    };
    for (to, from) in word.iter_mut().zip(bytes) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &*word,
        b"y" | b"n" | b"yes" | b"no" | b"on" | b"off" | b"true" | b"false" | b"null"
    )
}

/// `block(indent)`: a multi-line string as a YAML literal block scalar (`|-`) whose lines are
/// indented by `indent` spaces, so a long `PromQL` expression reads as written. Anything a
/// block scalar cannot hold exactly (control characters, a leading space, trailing spaces, a
/// final line break) and single-line text are written as a one-line scalar (`yaml_scalar`).
fn block(value: &Value, indent: usize) -> Value {
    let Some(text) = value.as_str() else {
        return value.clone();
    };
    if !block_safe(text) {
        return Value::from_safe_string(yaml_scalar(text).into_owned());
    }
    let margin = " ".repeat(indent);
    let mut out = String::with_capacity(text.len() + 4 + indent * 8);
    out.push_str("|-");
    for line in text.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&margin);
            out.push_str(line);
        }
    }
    Value::from_safe_string(out)
}

/// Whether `text` is multi-line and reads back from a literal block scalar unchanged.
pub(crate) fn block_safe(text: &str) -> bool {
    text.contains('\n')
        && !text.starts_with([' ', '\n'])
        && !text.ends_with('\n')
        && text.split('\n').all(|line| !line.ends_with(' '))
        && !text.chars().any(|c| (c.is_control() && c != '\n') || yaml_unsafe(c))
}

/// `text` as a JSON string literal that is also a valid, exact YAML double-quoted scalar.
pub(crate) fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let _ = write_json_string(&mut out, text);
    out
}

/// The bytes `write_json_string` must look at: control characters, the quote, the backslash,
/// DEL, and the first byte of each multi-byte character (it may be one YAML does not read
/// back). Printable ASCII and the bytes inside a multi-byte character are copied as they are.
const LOOK_AT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte < 0x20 || byte == b'"' as usize || byte == b'\\' as usize || byte == 0x7f || byte >= 0xc0;
        byte += 1;
    }
    table
};

/// Writes `text` as [`json_string`] does: JSON's escapes (`\"`, `\\`, `\n`, `\t`, …,
/// other control characters as `\u00XX`), and the characters YAML would not read back
/// (`yaml_unsafe`) as `\uXXXX`. Runs of characters that need no escape are copied whole.
pub(crate) fn write_json_string(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    out.write_char('"')?;
    let mut plain_from = 0;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        if !LOOK_AT[usize::from(byte)] {
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if c < ' ' || yaml_unsafe(c) => "",
            _ => continue,
        };
        out.write_str(&text[plain_from..at])?;
        if escape.is_empty() {
            write!(out, "\\u{:04x}", u32::from(c))?;
        } else {
            out.write_str(escape)?;
        }
        plain_from = at + c.len_utf8();
    }
    out.write_str(&text[plain_from..])?;
    out.write_char('"')
}

/// Characters JSON may leave raw but YAML does not read back as themselves.
pub(crate) fn yaml_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

#[cfg(test)]
mod tests {
    use super::TEMPLATES;

    #[test]
    fn strings_are_json_that_yaml_reads_back_exactly() {
        let nasty = "a\u{7f}b\u{85}c\u{9f}\u{2028}\u{feff}\u{ffff} \"q\" \\ / \n\t\u{0} 😀 ünï";
        let written = super::json_string(nasty);
        assert!(!written.contains("\\/") && !written.contains("\\ud83d"), "{written}");
        assert!(!written.chars().any(super::yaml_unsafe), "{written}");
        let from_json: String = serde_json::from_str(&written).unwrap();
        assert_eq!(from_json, nasty);
        let from_yaml: String = serde_norway::from_str(&written).unwrap();
        assert_eq!(from_yaml, nasty);
    }

    #[test]
    fn json_strings_are_what_serde_json_writes_but_for_the_yaml_unsafe_characters() {
        // Every character up to U+00FF, the line separators and noncharacters, surrogate-pair
        // characters, and every escape next to another and at either end.
        let mut texts: Vec<String> = (0u32..0x100).filter_map(char::from_u32).map(String::from).collect();
        texts.extend(
            [
                "",
                "plain",
                "\"\"",
                "\\\\n",
                "\n\u{0}\u{1f}",
                "a\u{2028}b\u{2029}",
                "\u{feff}x\u{fffe}\u{ffff}",
            ]
            .map(String::from),
        );
        texts.extend(["😀 ünï \"q\"", "\u{7f}\u{80}\u{9f}\u{a0}", "€\t€", "x\u{85}"].map(String::from));
        for text in &texts {
            let written = super::json_string(text);
            let expected: String = serde_json::to_string(text)
                .unwrap()
                .chars()
                .map(|c| {
                    if super::yaml_unsafe(c) {
                        format!("\\u{:04x}", u32::from(c))
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            assert_eq!(written, expected, "{text:?}");
            assert_eq!(serde_json::from_str::<String>(&written).unwrap(), *text);
        }
    }

    /// The rule as first written, one condition after the other: the table-driven
    /// `plain_safe` must agree with it on every text.
    fn plain_safe_as_written(text: &str) -> bool {
        let bytes = text.as_bytes();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return false;
        };
        let printable = bytes.iter().all(|b| (b' '..=b'~').contains(b));
        let indicator = b"-?:,[]{}#&*!|>'\"%@`<=~+. ".contains(&first)
            || (first.is_ascii_digit() && !bytes.iter().any(|b| super::NOT_NUMERIC.contains(b)));
        let special_word = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
            .iter()
            .any(|word| text.eq_ignore_ascii_case(word));
        printable
            && !indicator
            && !special_word
            && last != b' '
            && last != b':'
            && !text.contains(": ")
            && !text.contains(" #")
    }

    #[test]
    fn plain_scalars_follow_the_rule_as_written() {
        // Every text of up to four characters from an alphabet of indicators, digits, the
        // letters that make a number a string, spaces, control and non-ASCII characters;
        // and the special words in mixed case, alone and inside longer text.
        let alphabet = [
            " ", ":", "#", "-", ".", "0", "7", "e", "m", "x", "Y", "n", "\t", "\u{7f}", "é", "/", "\"",
        ];
        let mut texts = vec![String::new()];
        let mut previous = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = previous
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            texts.extend(longer.iter().cloned());
            previous = longer;
        }
        for word in [
            "y", "N", "Yes", "nO", "ON", "Off", "TRUE", "fAlSe", "Null", "nulls", "truly",
        ] {
            texts.extend([
                word.to_string(),
                format!("{word} x"),
                format!("x: {word}"),
                format!("a #{word}"),
            ]);
        }
        texts.extend(
            [
                "app.kubernetes.io/name",
                "10m",
                "512Mi",
                "1e3",
                "0x1F",
                "12:30",
                "a:b",
                "a :b",
                "a# b",
            ]
            .map(String::from),
        );
        for text in &texts {
            assert_eq!(super::plain_safe(text), plain_safe_as_written(text), "{text:?}");
        }
    }

    #[test]
    fn the_formatter_writes_json_in_json_templates_and_yaml_in_yaml_templates() {
        let mut env = super::environment();
        env.add_template("t.yaml.j2", "{{ v }} {{ p }} {{ n }}").unwrap();
        env.add_template("t.json.j2", "{{ v }} {{ p }} {{ n }}").unwrap();
        let context = minijinja::context! { v => "x\u{7f}", p => "plain", n => 3 };
        let render = |name: &str| env.get_template(name).unwrap().render(&context).unwrap();
        assert_eq!(render("t.yaml.j2"), "\"x\\u007f\" plain 3");
        assert_eq!(render("t.json.j2"), "\"x\\u007f\" \"plain\" 3");
    }

    #[test]
    fn plain_scalars_are_only_those_yaml_reads_back_as_the_same_string() {
        let plain = [
            "analytics",
            "quizmentor/analytics:3.2.0",
            "app.kubernetes.io/name",
            "/metrics",
            "RollingUpdate",
            "sum(rate(x{a=\"b\",c=~\".+\"}[5m])) > 0.8",
            "${DB_URL:?set DB_URL}",
            "a-b_c",
            "it's",
            "10m",
            "512Mi",
            "1h30m",
            "2s",
            "1 h",
        ];
        for text in plain {
            assert_eq!(super::yaml_scalar(text), text, "{text} should be plain");
        }
        #[rustfmt::skip]
        let quoted = [
            "", " lead", "trail ", "3000", "1.5", "0o17", "0x1f", "1e3", "12:30", "2026-12-02",
            "30d", "2001-12-14t21:59:43.10-05:00", "2001-12-15T02:59:43.1Z", "0b101", "1_000",
            "190:20:30", "1.0e+3", "3.2.0",
            ".inf", "-1", "+1", "-", "---", "...", "~", "null", "Null", "NULL", "true", "True",
            "FALSE", "yes", "No", "on", "OFF", "y", "N", "a: b", "a #b", "end:", "#c", "&a",
            "*a", "!t", "|x", ">x", "%x", "@x", "`x", "'x'", "\"x\"", "[a]", "{a}", "?x", ",x",
            "<<", "=", "line\nbreak", "tab\tx", "ünï", "a\u{2028}b", "x\u{7f}",
        ];
        for text in quoted {
            let written = super::yaml_scalar(text);
            assert!(written.starts_with('"'), "{text:?} must be quoted: {written}");
        }
        // Whatever the form, the YAML reads back as the same string, as a key and as a value.
        for text in plain.iter().chain(quoted.iter()) {
            let document = format!("{}: {}\n", super::yaml_scalar(text), super::yaml_scalar(text));
            let read: std::collections::BTreeMap<String, serde_json::Value> =
                serde_norway::from_str(&document).unwrap_or_else(|e| panic!("{document}: {e}"));
            assert_eq!(read.get(*text), Some(&serde_json::Value::from(*text)), "{document}");
        }
    }

    #[test]
    fn no_template_marks_data_as_safe() {
        for (name, source) in TEMPLATES {
            assert!(
                !source.contains("|safe") && !source.contains("| safe"),
                "{name} uses |safe"
            );
            assert!(
                name.ends_with(".yaml.j2") || name.ends_with(".json.j2"),
                "{name}: templates are named for their output format so auto-escaping applies"
            );
        }
    }

    #[test]
    fn every_template_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk = Vec::new();
        for target in std::fs::read_dir(&root).unwrap() {
            for file in std::fs::read_dir(target.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                on_disk.push(path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = TEMPLATES.iter().map(|(name, _)| name.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn block_scalars_read_back_exactly_or_fall_back_to_json() {
        let mut env = super::environment();
        env.add_template("t.yaml.j2", "k:\n  v: {{ v|block(4) }}\n").unwrap();
        let render = |v: &str| {
            env.get_template("t.yaml.j2")
                .unwrap()
                .render(minijinja::context! { v => v })
                .unwrap()
        };
        for text in [
            "a\n  b: \"c\" # d\n\n{{ $value }}",
            "one line",
            " leading\nspace",
            "trailing \nspace",
            "final\n",
            "tab\t\nx",
            "del\u{7f}\nx",
            "- a\n---\n...",
        ] {
            let written = render(text);
            let read: serde_json::Value = serde_norway::from_str(&written).unwrap();
            assert_eq!(read["k"]["v"], text, "{written}");
        }
        assert!(render("a\nb").contains("v: |-\n    a\n    b"));
        assert!(render("a b").contains("v: a b\n"));
        assert!(render("a: b").contains("v: \"a: b\"\n"));
    }

    #[test]
    fn templates_parse() {
        let _ = super::environment();
    }
}
