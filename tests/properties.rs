//! Properties over generated and mutated specs (a deterministic generator, no fuzzing engine):
//!
//! - nothing panics;
//! - a spec is either valid or invalid with at least one error, and every error is located
//!   (has a span inside the file) — the `platc check` exit code 1;
//! - platc never reports a bug in itself for a spec (what `check` and `build` would exit 2 with);
//! - a spec `check` accepts (exit 0) builds: every target renders and parses back (`verify`).
//!
//! `cargo test` runs `PLATC_PROPTEST_CASES` cases (default 500: seconds); CI runs many
//! more. `PLATC_PROPTEST_SEED` picks another deterministic sequence. A failing case is written
//! to `target/proptest-failures/` and named in the panic message.

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// splitmix64: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Values that have broken checks before, or sit on a boundary.
const VALUES: &[&str] = &[
    "\"\"",
    "\" \"",
    "\"0\"",
    "0",
    "-1",
    "1",
    "2",
    "\"0m\"",
    "\"1m\"",
    "\"100m\"",
    "\"1.5\"",
    "\"1e3\"",
    "\"abc\"",
    "true",
    "false",
    "[]",
    "{}",
    "[\"\"]",
    "\"/\"",
    "\"a:b\"",
    "4294967296",
    "65536",
    "\"99999999Gi\"",
    "\"0Mi\"",
    "\"1Ki\"",
    "\"$x\"",
    "\"${X}\"",
    "\"a\\u0000b\"",
    "\"1s\"",
    "\"0s\"",
    "\"99.9\"",
    "100",
    "99.99",
    "\"compose\"",
    "[\"compose\"]",
    "[\"kubernetes\", \"compose\"]",
    "\"web\"",
    "\"x/y\"",
    "\"-a\"",
    "\"a.b\"",
    "\"é\"",
    "\"\\n\"",
    "1.5",
    "-0.5",
    "\"yes\"",
    "\"null\"",
    "\"10Gi\"",
    "\"200ms\"",
    "\"5..\"",
];

/// Lines inserted into a random table.
const LINES: &[&str] = &[
    "replicas = 0",
    "replicas = 1",
    "replicas = 3",
    "image = \"\"",
    "image = \"x:1\"",
    "port = 8080",
    "port = 0",
    "targets = [\"compose\"]",
    "targets = [\"kubernetes\", \"compose\"]",
    "targets = []",
    "monitoring = false",
    "paging = false",
    "resources = { cpu = \"0\" }",
    "resources = { cpu = \"10m\", cpu_limit = \"5m\" }",
    "resources = { memory = \"0\" }",
    "uses = [\"web\"]",
    "uses = [\"nope\"]",
    "routes = [\"/\"]",
    "routes = [\"/a\", \"/a\"]",
    "autoscale = { min = 0, max = 1 }",
    "autoscale = { min = 2, max = 5, cpu = 70 }",
    "probes = { readiness = \"/r\" }",
    "probes = { command = [] }",
    "migrate = []",
    "migrate = [\"m\"]",
    "secrets = { A = \"s/k\" }",
    "env = { A = \"$\" }",
    "writable = [\"/tmp\"]",
    "writable = [\"tmp\"]",
    "slo = { availability = 99.9 }",
    "slo = { availability = 50 }",
    "[services.web]",
    "[services.web-migrate]",
    "[datastores.db]",
    "engine = \"redis\"",
    "engine = \"postgres\"",
    "external = \"db:5432\"",
    "storage = \"0\"",
    "[environments.dev]",
    "[environments.e2]",
    "namespace = \"\"",
    "[ingress]",
    "host = \"a.example\"",
    "quota = { pods = 0 }",
    "[tiers.t]",
    "tier = \"t\"",
    "command = [\"\"]",
    "args = []",
    "run_as_user = 0",
];

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for dir in [
        root.join("specs"),
        root.join("specs/invalid"),
        root.join("specs/examples"),
        root.join("specs/shared-invalid"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        texts.extend(
            paths
                .iter()
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| std::fs::read_to_string(p).ok()),
        );
    }
    assert!(texts.len() >= 8, "the corpus is there");
    texts
}

/// A small spec built from fragments: many of these are valid, which is where check ⇒ build
/// can fail.
fn generated(rng: &mut Rng) -> String {
    let mut text = String::from("[platform]\nname = \"gen\"\nteam = \"t\"\n");
    for env in ["dev", "prod"].iter().take(1 + rng.below(2)) {
        let _ = writeln!(text, "[environments.{env}]");
        let targets = ["[\"kubernetes\"]", "[\"compose\"]", "[\"kubernetes\", \"compose\"]"];
        let _ = writeln!(text, "targets = {}", rng.pick(&targets));
        if rng.chance(30) {
            text.push_str("monitoring = false\n");
        }
    }
    for name in ["web", "api", "worker"].iter().take(rng.below(4)) {
        let _ = writeln!(text, "[services.{name}]\nimage = \"example/{name}:1.0\"\nreplicas = 2");
        if rng.chance(70) {
            text.push_str("port = 8080\nprobes = { readiness = \"/ready\" }\n");
        }
        for _ in 0..rng.below(3) {
            let _ = writeln!(text, "{}", rng.pick(LINES));
        }
    }
    if rng.chance(40) {
        text.push_str("[datastores.db]\nengine = \"redis\"\n");
    }
    text
}

fn mutate(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(3) {
        if lines.is_empty() {
            lines.push(rng.pick(LINES).to_string());
        }
        let at = rng.below(lines.len());
        match rng.below(7) {
            0 | 1 => {
                if let Some((key, _)) = lines[at].split_once(" = ") {
                    lines[at] = format!("{key} = {}", rng.pick(VALUES));
                }
            }
            2 => {
                lines.remove(at);
            }
            3 => lines.insert(at, lines[at].clone()),
            4 => {
                let other = rng.below(lines.len());
                lines.swap(at, other);
            }
            _ => lines.insert(at, rng.pick(LINES).to_string()),
        }
    }
    let mut bytes = (lines.join("\n") + "\n").into_bytes();
    if rng.chance(5) {
        let at = rng.below(bytes.len());
        bytes[at] = *rng.pick(&[0xff, 0x00, b'"', b'[', b'=', b'.', b'\n']);
    }
    bytes
}

/// Whether `bytes` is a valid spec, or what is wrong with how platc handled it.
fn outcome(bytes: &[u8]) -> Result<bool, String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let (text, not_utf8) = platc::spec::decode(bytes.to_vec());
        if let Some(problem) = not_utf8 {
            return (text, Err(platc::Failure::Invalid(vec![problem])), None);
        }
        let compiled = platc::compile(&text);
        let rendered = match &compiled {
            Ok(compilation) => Some(platc::render(&compilation.platform).map(|files| files.len())),
            Err(_) => None,
        };
        (text, compiled.map(|_| ()), rendered)
    }));
    let Ok((text, compiled, rendered)) = outcome else {
        return Err("platc panicked".into());
    };
    match (compiled, rendered) {
        (Err(platc::Failure::Internal(message)), _) => Err(format!("check fails with an internal error: {message}")),
        (Err(platc::Failure::Invalid(diagnostics)), _) => {
            let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
            if errors.is_empty() {
                return Err("invalid without an error".into());
            }
            match errors
                .iter()
                .find(|d| d.span.as_ref().is_none_or(|s| s.start > text.len()))
            {
                Some(d) => Err(format!("an error without a location: {:?} {}", d.code, d.message)),
                None => Ok(false),
            }
        }
        (Ok(()), Some(Err(failure))) => Err(format!("check passes but build fails: {failure:?}")),
        (Ok(()), _) => Ok(true),
    }
}

#[test]
fn generated_and_mutated_specs_keep_platcs_promises() {
    let number = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let cases = number("PLATC_PROPTEST_CASES", 500);
    let mut rng = Rng(number("PLATC_PROPTEST_SEED", 14));
    let corpus = corpus();
    let (mut valid, mut failures) = (0, Vec::new());
    for case in 0..cases {
        let base = if rng.chance(50) {
            generated(&mut rng)
        } else {
            rng.pick(&corpus).clone()
        };
        let bytes = if rng.chance(15) {
            base.into_bytes()
        } else {
            mutate(&mut rng, &base)
        };
        match outcome(&bytes) {
            Ok(is_valid) => valid += u64::from(is_valid),
            Err(problem) if failures.len() < 5 => failures.push(save(case, &bytes, &problem)),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(valid >= cases / 10, "only {valid} of {cases} cases were valid specs");
}

fn save(case: u64, bytes: &[u8], problem: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/proptest-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("case-{case}.toml"));
    std::fs::write(&path, bytes).unwrap();
    format!("{}: {problem}", path.display())
}
