//! A test hook on every change platc makes to the output tree, so tests can interrupt a real
//! build at each step: with `PLATC_TEST_PAUSE_AT=N` the process stops before its N-th change
//! (it prints `platc: paused at step N` and sleeps until it is killed); with
//! `PLATC_TEST_FAIL_AT=N` that change fails with an injected I/O error. Without them (the
//! normal case) a step costs one atomic increment.

use std::io;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

static STEPS: AtomicUsize = AtomicUsize::new(0);

struct Plan {
    pause_at: Option<usize>,
    fail_at: Option<usize>,
}

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
        Plan {
            pause_at: number("PLATC_TEST_PAUSE_AT"),
            fail_at: number("PLATC_TEST_FAIL_AT"),
        }
    })
}

/// Counts one change to the tree (about to happen to `path`).
pub fn step(path: &Path) -> io::Result<()> {
    let step = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
    let plan = plan();
    if plan.pause_at == Some(step) {
        eprintln!("platc: paused at step {step} ({})", path.display());
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
    if plan.fail_at == Some(step) {
        return Err(io::Error::other(format!("injected failure at step {step}")));
    }
    Ok(())
}
