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
    let cpu_before = cpu_seconds("self").unwrap_or(0.0);
    let start = Instant::now();
    let compilation = platc::compile(&text).expect("the generated spec is valid");
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds("self").unwrap_or(0.0) - cpu_before;
    assert_eq!(compilation.platform.environments.len(), 2);
    drop(compilation);
    println!(
        "check of {services} services x 2 environments ({} MiB of TOML): {elapsed:.2} s wall, {cpu:.2} s CPU",
        text.len() >> 20
    );
    // Where the time goes, stage by stage (the same calls `platc::compile` makes).
    let dir = Path::new(".");
    let timed = |name: &str, start: Instant| println!("  {name}: {:.2} s", start.elapsed().as_secs_f64());
    let start = Instant::now();
    let mut document = platc::spec::parse(&text).expect("parses");
    timed("parse (TOML, shape check, typed read)", start);
    let start = Instant::now();
    let (environments, _) = platc::resolve::resolve(&mut document);
    timed("resolve", start);
    let start = Instant::now();
    drop(platc::check::check(&document, &environments, dir));
    timed("check rules", start);
    let start = Instant::now();
    let platform = platc::model::build(&document.spec, &environments, dir).expect("builds");
    timed("model", start);
    let start = Instant::now();
    drop((platform, environments, document));
    timed("freeing it all", start);
}

fn build_memory(services: usize) {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/platc");
    if !binary.exists() {
        println!(
            "build -o: {} is missing; run `cargo build --release` first",
            binary.display()
        );
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec_path = dir.path().join("spec.toml");
    std::fs::write(&spec_path, spec(services)).expect("the spec is written");
    let start = Instant::now();
    let mut child = Command::new(&binary)
        .arg("build")
        .arg(&spec_path)
        .arg("-o")
        .arg(dir.path().join("out"))
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
    println!(
        "build -o of {services} services x 2 environments: {status}, {:.1} s wall, {cpu:.1} s CPU, peak memory (VmHWM, sampled) {peak:.0} MB",
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    check_time(40_000);
    build_memory(10_000);
}
