use std::fmt::Write as _;

use super::*;

/// The segmented tree, compared with one parse of the whole text: every key, value and span
/// (`Debug` of the spanned tree prints them all).
fn same_as_one_parse(text: &str, segment_bytes: usize) -> bool {
    let (whole, errors) = DeTable::parse_recoverable(text);
    assert!(errors.is_empty(), "the test text parses: {errors:?}");
    match parse_segmented(text, segment_bytes) {
        Some(tree) => {
            assert_eq!(format!("{tree:?}"), format!("{whole:?}"), "segmented parse of:\n{text}");
            true
        }
        None => false,
    }
}

fn services(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        let previous = i.saturating_sub(1);
        let _ = write!(
            text,
            "[services.svc-{i}]\nimage = \"r/svc-{i}:1\" # a comment\nport = {}\n\
             uses = [\n  \"svc-{previous}\",\n  [\"nested\"],\n]\nenv = {{ A = \"x\", B = 'y' }}\n\n\
             [services.svc-{i}.probes]\nliveness = \"/live\"\n\n",
            8000 + i,
        );
    }
    text
}

#[test]
fn a_spec_cut_anywhere_between_services_parses_as_a_whole() {
    let text = format!(
        "[platform]\nname = \"x\"\n\n[environments.prod]\n\n{}[datastores.db]\nengine = \"postgres\"\n\n\
         [jobs.nightly]\nimage = \"r/job:1\"\n",
        services(40)
    );
    for segment_bytes in [1, 100, 1000, 5000, text.len()] {
        assert!(
            same_as_one_parse(&text, segment_bytes),
            "cut every {segment_bytes} bytes"
        );
    }
    let segments = segments(&blocks(&text), text.len(), 1).unwrap();
    assert!(
        segments.len() > 40,
        "one segment per service at least: {}",
        segments.len()
    );
}

#[test]
fn every_example_parses_as_a_whole() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/examples");
    let mut segmented = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        segmented += usize::from(same_as_one_parse(&text, 1));
    }
    assert!(
        segmented >= 3,
        "examples cut into segments: {segmented} (at {})",
        dir.display()
    );
}

#[test]
fn header_lines_inside_strings_and_arrays_never_change_the_tree() {
    let text = "[platform]\nname = \"x\"\nnote = \"\"\"\n[services.fake]\nimage = 1\n\"\"\"\n\
                raw = '''\n[services.fake2]\n'''\n\n[services.real]\nlist = [\n[\"a\"],\n[2]\n]\n\
                # [services.commented]\nimage = \"i\"\n";
    // The scan takes the lines that read as headers, those inside strings too; `["a"],` and
    // `[2]` (a quoted or numeric first key) are not taken.
    assert_eq!(
        blocks(text).iter().map(|b| b.service).collect::<Vec<_>>(),
        [None, None, Some("fake"), Some("fake2"), Some("real")],
    );
    // A cut inside a string leaves a segment unclosed: the text is parsed at once.
    assert!(parse_segmented(text, 1).is_none());
    // The same inside a multi-line inline table (TOML 1.1) and after a line-ending backslash.
    for text in [
        "[services.a]\nenv = {\n  A = \"\"\"\n[services.z]\n\"\"\"\n}\n[services.b]\nimage = \"i\"\n",
        "[services.a]\nnote = \"\"\"abc \\\n[services.y]\n\"\"\"\n[services.b]\nimage = \"i\"\n",
    ] {
        assert!(DeTable::parse_recoverable(text).1.is_empty(), "valid:\n{text}");
        assert!(parse_segmented(text, 1).is_none(), "refused:\n{text}");
        assert!(same_as_one_parse(text, text.len()), "no cut inside, taken:\n{text}");
    }
    // Services with header lines inside their strings: every cut falls inside one at some
    // size, and is refused; the tree is one parse's either way.
    let mut tricky = String::new();
    for i in 0..30 {
        let _ = write!(
            tricky,
            "[services.s{i}]\nnote = \"\"\"\n[services.s{i}x]\n\"\"\"\nraw = '''\n  [jobs.j{i}] # no\n'''\n\
             args = [\n[\"s{i}y\"]\n]\nenv = {{ A = \"[services.z]\" }}\n\n"
        );
    }
    let text = format!("[platform]\nname = \"x\"\n\n{tricky}");
    for segment_bytes in [1, 50, 200, 1000] {
        assert!(
            !same_as_one_parse(&text, segment_bytes),
            "cut every {segment_bytes} bytes"
        );
    }
    let padded = format!("{}{text}", "#\n".repeat(SEGMENTED_FROM / 2));
    let (tree, errors) = parse(&padded);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        format!("{tree:?}"),
        format!("{:?}", DeTable::parse_recoverable(&padded).0)
    );
    // Header lines that are not taken (`[3]` and `["s0y"]` in arrays, a line with more after
    // the `]` in a string) do not stop the cuts between services.
    let mut plain = String::new();
    for i in 0..30 {
        let _ = write!(
            plain,
            "[services.s{i}]\nargs = [\n[\"s{i}y\"]\n]\nports = [\n[3]\n]\n\
             note = \"\"\"\n[services.s{i}x] = 1\n\"\"\"\n\n"
        );
    }
    let text = format!("[platform]\nname = \"x\"\n\n{plain}");
    assert!(same_as_one_parse(&text, 1), "a cut before every service");
    assert_eq!(segments(&blocks(&text), text.len(), 1).unwrap().len(), 31);
}

#[test]
fn header_lines_are_read_as_toml_reads_them() {
    for (line, read) in [
        ("[services.a]", Some(Header::Service("a"))),
        ("[ services . a-1 . probes ] # comment", Some(Header::Service("a-1"))),
        ("[services.a]\r", Some(Header::Service("a"))),
        ("[services.\"a\"]", Some(Header::Other)),
        ("[[services.a.sidecars]]", Some(Header::Other)),
        ("[environments.\"prod \\\" x\".tiers]", Some(Header::Other)),
        ("['a.b'.c]", None),
        ("[\"sh\"]", None),
        ("[3]", None),
        ("[services]", Some(Header::Other)),
        ("[\"a\"],", None),
        ("[services.a] = 1", None),
        ("[services.a", None),
        ("[services..a]", None),
        ("[]", None),
        ("[\"open]", None),
        ("[[services.a]", None),
    ] {
        assert_eq!(header(line), read, "{line}");
    }
}

#[test]
fn what_could_interact_is_parsed_at_once() {
    // A service's tables apart, a `[services]` table, a dotted `services` key at the top,
    // a top-level table in two runs, and arrays of tables: one parse, not segments.
    for text in [
        "[services.a]\nimage = \"i\"\n[services.b]\nimage = \"j\"\n[services.a.probes]\nliveness = \"/\"\n",
        "[services]\na.image = \"i\"\n[services.b]\nimage = \"j\"\n",
        "services.a.image = \"i\"\n[services.b]\nimage = \"j\"\n",
        "[environments.a]\n[services.b]\nimage = \"j\"\n[environments.b]\n",
        "[services.a]\nimage = \"i\"\n[[services.a.sidecars]]\nname = \"x\"\n[services.b]\nimage = \"j\"\n",
        "[services.\"a\"]\nimage = \"i\"\n[services.a.probes]\nliveness = \"/\"\n",
    ] {
        assert!(!same_as_one_parse(text, 1), "not segmented:\n{text}");
    }
}

#[test]
fn a_syntax_error_leaves_the_errors_to_one_parse() {
    let text = format!("{}[services.broken]\nimage = = 1\n", services(5));
    assert!(parse_segmented(&text, 1).is_none());
    let padded = format!("{}{}", " ".repeat(SEGMENTED_FROM), text);
    let (_, errors) = parse(&padded);
    assert_eq!(errors.len(), DeTable::parse_recoverable(&padded).1.len());
    assert!(!errors.is_empty());
}

#[test]
fn a_large_spec_takes_the_segmented_path() {
    let text = services(SEGMENTED_FROM / 150);
    assert!(text.len() >= SEGMENTED_FROM, "{} bytes", text.len());
    let cut = segment_bytes(text.len());
    assert!(parse_segmented(&text, cut).is_some(), "the cut `parse` makes is taken");
    assert!(same_as_one_parse(&text, cut));
    let (tree, errors) = parse(&text);
    assert!(errors.is_empty());
    assert_eq!(
        format!("{tree:?}"),
        format!("{:?}", DeTable::parse_recoverable(&text).0)
    );
}

#[test]
fn errors_across_segments_are_the_errors_of_one_parse() {
    // Each segment parses, but together they define a table twice: one parse reports it.
    for text in [
        format!("[jobs.x]\nimage = \"a\"\n{}[jobs.x]\nimage = \"b\"\n", services(3)),
        format!(
            "{}[datastores.db]\nengine = \"redis\"\n[services.svc-1.probes]\nreadiness = \"/\"\n",
            services(3)
        ),
        format!("{}[services.svc-1]\nport = 1\n", services(3)),
    ] {
        assert!(parse_segmented(&text, 1).is_none(), "not segmented:\n{text}");
        let padded = format!("{}{text}", "#\n".repeat(SEGMENTED_FROM / 2));
        let (_, errors) = parse(&padded);
        let (_, whole) = DeTable::parse_recoverable(&padded);
        assert!(!errors.is_empty(), "an error:\n{text}");
        assert_eq!(format!("{errors:?}"), format!("{whole:?}"));
    }
}
