//! A deterministic stand-in for a fuzz target (cargo-fuzz needs a nightly toolchain, which
//! this project's machines do not have): damage the examples in many small ways and
//! require that parse → check → render → verify never panics, that a rejected spec always
//! has an error with a position, and that an accepted one renders output that verifies.

use std::path::Path;

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FRAGMENTS: [&str; 16] = [
    "\"",
    "=",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "-1",
    "0",
    "\"x\"",
    "99999999999",
    "1.5",
    "true",
    "#",
    "é",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(lines.len());
        match rng.below(4) {
            0 => {
                lines.remove(at);
            }
            1 => {
                let copy = lines[at].clone();
                lines.insert(rng.below(lines.len()), copy);
            }
            2 => {
                let line = &mut lines[at];
                let cut = line
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(rng.below(line.chars().count().max(1)))
                    .unwrap_or(0);
                line.insert_str(cut, FRAGMENTS[rng.below(FRAGMENTS.len())]);
            }
            _ => {
                let digits: String = lines[at]
                    .chars()
                    .map(|c| if c.is_ascii_digit() { '7' } else { c })
                    .collect();
                lines[at] = digits;
            }
        }
        if lines.is_empty() {
            break;
        }
    }
    lines.join("\n")
}

#[test]
fn damaged_specs_never_panic() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/examples");
    let mut rng = Rng(0x5EED_CAFE_F00D_BEEF);
    let (mut rejected, mut accepted) = (0, 0);
    for name in ["azora.toml", "learning-assistant.toml", "quizmentor.toml"] {
        let original = std::fs::read_to_string(examples.join(name)).unwrap();
        for round in 0..80 {
            let text = mutate(&original, &mut rng);
            let outcome = std::panic::catch_unwind(|| match platc::compile(&text) {
                Ok(compilation) => platc::render(&compilation.platform)
                    .map(|_| true)
                    .map_err(|f| format!("{f:?}")),
                Err(platc::Failure::Invalid(diagnostics)) => {
                    assert!(
                        diagnostics.iter().any(|d| d.is_error() && d.span.is_some()),
                        "rejected without a located error"
                    );
                    Ok(false)
                }
                Err(platc::Failure::Internal(message)) => Err(message),
            });
            match outcome {
                Ok(Ok(true)) => accepted += 1,
                Ok(Ok(false)) => rejected += 1,
                Ok(Err(message)) => panic!("{name} round {round}: internal error {message}\n--- spec ---\n{text}"),
                Err(_) => panic!("{name} round {round}: panicked\n--- spec ---\n{text}"),
            }
        }
    }
    assert!(
        rejected > 30 && accepted > 15,
        "the mutations exercise both paths: {rejected} rejected, {accepted} accepted"
    );
}
