//! Scale (issue #14): `platc check` of 40,000 services, and the peak memory of
//! `platc build -o` at 10,000 services × 2 environments.
//!
//!     cargo build --release && cargo bench --bench scale
//!
//! The check runs in this process; the build runs the release binary (`target/release/platc`),
//! whose peak resident memory (`VmHWM`) is sampled from `/proc` until it exits.
#![allow(clippy::print_stdout)] // a bench prints its numbers

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn spec(services: usize) -> String {
    let mut text = String::from(
        "[platform]\nname = \"bench\"\nteam = \"perf\"\n\n[environments.staging]\npaging = false\n\n\
         [environments.production]\n\n[tiers.standard]\nreplicas = 2\nautoscale = { min = 2, max = 6, cpu = 70 }\n\
         slo = { availability = 99.9 }\n\n[ingress]\nhost = \"bench.example.com\"\ntls_secret = \"bench-tls\"\n\n\
         [datastores.postgres]\nengine = \"postgres\"\nsecret = \"pg\"\n\n[datastores.redis]\nengine = \"redis\"\n\n",
    );
    for i in 0..services {
        let previous = if i == 0 {
            "postgres".to_string()
        } else {
            format!("svc-{:05}", i - 1)
        };
        let _ = write!(
            text,
            "[services.svc-{i:05}]\ntier = \"standard\"\nimage = \"registry.example.com/bench/svc-{i:05}:1.0.{i}\"\n\
             port = 8080\nprobes = {{ liveness = \"/live\", readiness = \"/ready\" }}\n\
             resources = {{ cpu = \"100m\", memory = \"128Mi\", cpu_limit = \"250m\", memory_limit = \"256Mi\" }}\n\
             env = {{ LOG_LEVEL = \"info\", INDEX = \"{i}\" }}\nsecrets = {{ DATABASE_URL = \"db/url\" }}\n\
             uses = [\"{previous}\", \"redis\"]\nroutes = [\"/svc-{i:05}\"]\n\n"
        );
    }
    text
}

fn vm_hwm_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// User + system CPU seconds of a process so far (`/proc/<pid>/stat`, in clock ticks of 1/100 s).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

fn check_time(services: usize) {
    let text = spec(services);
    println!(
        "check of {services} services x 2 environments ({} MiB of TOML)",
        text.len() >> 20
    );
    check_runs(&text);
    let cpu_before = cpu_seconds("self").unwrap_or(0.0);
    let start = Instant::now();
    let checked = platc::check_for(&text, &[], Path::new(".")).expect("the generated spec is valid");
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds("self").unwrap_or(0.0) - cpu_before;
    assert_eq!(checked.environments.len(), 2);
    println!("  in this process (platc::check_for): {elapsed:.2} s wall, {cpu:.2} s CPU");
    // Where the time goes, stage by stage (the calls `platc::check_for` makes, then the model
    // that only `build` adds).
    let dir = Path::new(".");
    let timed = |name: &str, start: Instant| println!("  {name}: {:.2} s", start.elapsed().as_secs_f64());
    let start = Instant::now();
    let mut document = platc::spec::parse(&text).expect("parses");
    timed("parse (TOML in segments, shape check, typed read)", start);
    let start = Instant::now();
    let (environments, _) = platc::resolve::resolve(&mut document);
    timed("resolve", start);
    let start = Instant::now();
    drop(platc::check::check(&document, &environments, dir));
    timed("check rules", start);
    let start = Instant::now();
    let platform = platc::model::build(&document.spec, &environments, dir).expect("builds");
    timed("model (build only)", start);
    let start = Instant::now();
    drop((platform, environments, document));
    timed("freeing it all", start);
}

/// `platc check` itself (the release binary), three runs: wall time, CPU and peak memory.
fn check_runs(text: &str) {
    let Some((binary, dir)) = release_binary_and_spec("  platc check", text) else {
        return;
    };
    let spec_path = dir.path().join("spec.toml");
    let mut walls = Vec::new();
    for _ in 0..3 {
        let (status, wall, cpu, peak) = run_sampled(Command::new(&binary).arg("check").arg(&spec_path));
        assert!(status.success(), "platc check accepts the generated spec");
        println!("  platc check: {wall:.2} s wall, {cpu:.2} s CPU, peak memory (VmHWM, sampled) {peak:.0} MB");
        walls.push(wall);
    }
    walls.sort_by(f64::total_cmp);
    println!("  platc check median: {:.2} s wall", walls[1]);
}

/// Runs a command with its output discarded, sampling its CPU time and peak memory until it
/// exits: (status, wall seconds, CPU seconds, peak MB).
fn run_sampled(command: &mut Command) -> (std::process::ExitStatus, f64, f64, f64) {
    let start = Instant::now();
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("platc runs");
    let mut peak: f64 = 0.0;
    let mut cpu: f64 = 0.0;
    let pid = child.id().to_string();
    while child.try_wait().expect("waits").is_none() {
        peak = peak.max(vm_hwm_mb(child.id()).unwrap_or(0.0));
        cpu = cpu.max(cpu_seconds(&pid).unwrap_or(0.0));
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = child.wait().expect("waits");
    (status, start.elapsed().as_secs_f64(), cpu, peak)
}

/// The release binary, and a temporary folder holding `text` as `spec.toml`; `None` (said on
/// stdout) when the binary is not built.
fn release_binary_and_spec(what: &str, text: &str) -> Option<(std::path::PathBuf, tempfile::TempDir)> {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/platc");
    if !binary.exists() {
        println!(
            "{what}: {} is missing; run `cargo build --release` first",
            binary.display()
        );
        return None;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("spec.toml"), text).expect("the spec is written");
    Some((binary, dir))
}

fn build_memory(services: usize) {
    let Some((binary, dir)) = release_binary_and_spec("build -o", &spec(services)) else {
        return;
    };
    let spec_path = dir.path().join("spec.toml");
    let out = dir.path().join("out");
    let (status, wall, cpu, peak) = run_sampled(Command::new(&binary).arg("build").arg(&spec_path).arg("-o").arg(&out));
    println!(
        "build -o of {services} services x 2 environments: {status}, {wall:.1} s wall, {cpu:.1} s CPU, peak memory (VmHWM, sampled) {peak:.0} MB"
    );
}

fn main() {
    check_time(40_000);
    build_memory(10_000);
}
