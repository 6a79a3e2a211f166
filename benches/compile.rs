//! Compiles a generated spec of 1,000 services in 2 environments, end to end (parse,
//! resolve, check, model, render, verify), and prints wall time and peak memory.
//!
//!     cargo bench --bench compile
//!
//! Target (issue #2): well under one second and under 200 MB on the 2-core CI machine.
#![allow(clippy::print_stdout)] // a bench prints its numbers

use std::fmt::Write as _;
use std::time::Instant;

const SERVICES: usize = 1000;
const RUNS: usize = 5;

fn spec() -> String {
    let mut text = String::from(
        "[platform]\nname = \"bench\"\nteam = \"perf\"\n\n\
         [environments.staging]\npaging = false\n\n\
         [environments.production]\ncontainer_defaults = { cpu = \"100m\", memory = \"128Mi\", cpu_limit = \"500m\", memory_limit = \"512Mi\" }\n\n\
         [tiers.standard]\nreplicas = 2\nautoscale = { min = 2, max = 6, cpu = 70 }\n\
         slo = { availability = 99.9, latency = { objective = 99, threshold = \"300ms\" } }\n\n\
         [ingress]\nhost = \"bench.example.com\"\ntls_secret = \"bench-tls\"\n\n\
         [datastores.postgres]\nengine = \"postgres\"\nsecret = \"pg\"\n\n[datastores.redis]\nengine = \"redis\"\n\n",
    );
    for i in 0..SERVICES {
        let previous = if i == 0 {
            "postgres".to_string()
        } else {
            format!("svc-{:04}", i - 1)
        };
        let _ = write!(
            text,
            "[services.svc-{i:04}]\ntier = \"standard\"\nimage = \"registry.example.com/bench/svc-{i:04}:1.0.{i}\"\n\
             port = 8080\nprobes = {{ liveness = \"/live\", readiness = \"/ready\" }}\n\
             resources = {{ cpu = \"100m\", memory = \"128Mi\", cpu_limit = \"250m\", memory_limit = \"256Mi\" }}\n\
             env = {{ LOG_LEVEL = \"info\", INDEX = \"{i}\" }}\nsecrets = {{ DATABASE_URL = \"db/url\" }}\n\
             uses = [\"{previous}\", \"redis\"]\nroutes = [\"/svc-{i:04}\"]\negress = [\"0.0.0.0/0:443\"]\n\n"
        );
    }
    text
}

/// Output bytes per target (the first path segment).
fn sizes(files: &[platc::render::OutputFile]) -> std::collections::BTreeMap<String, usize> {
    let mut sizes = std::collections::BTreeMap::new();
    for file in files {
        let target = file.path.split('/').next().unwrap_or_default().to_string();
        *sizes.entry(target).or_default() += file.contents.len();
    }
    sizes
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let text = spec();
    let mut times = Vec::new();
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let compilation = platc::compile(&text).expect("the generated spec is valid");
        let output = platc::render(&compilation.platform).expect("the generated spec renders");
        times.push(start.elapsed().as_secs_f64());
        files = output.len();
        bytes = output.iter().map(|f| f.contents.len()).sum::<usize>();
    }
    times.sort_by(f64::total_cmp);
    let mut kubernetes_times = Vec::new();
    let mut kubernetes_bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let compilation = platc::compile(&text).expect("the generated spec is valid");
        let output = platc::render_targets(&compilation.platform, platc::render::Targets::KUBERNETES).expect("renders");
        kubernetes_times.push(start.elapsed().as_secs_f64());
        kubernetes_bytes = output.iter().map(|f| f.contents.len()).sum::<usize>();
    }
    kubernetes_times.sort_by(f64::total_cmp);
    let stage = |name: &str, f: &dyn Fn()| {
        let start = Instant::now();
        f();
        println!("  stage {name}: {:.3} s", start.elapsed().as_secs_f64());
    };
    let compilation = platc::compile(&text).expect("valid");
    stage("parse+resolve+check+model", &|| drop(platc::compile(&text).ok()));
    let rendered = platc::render::render(&compilation.platform).expect("renders");
    stage("render", &|| drop(platc::render::render(&compilation.platform).ok()));
    stage("verify", &|| {
        assert!(platc::verify::verify(&rendered).is_ok(), "verifies");
    });
    println!(
        "spec: {SERVICES} services x 2 environments, {} KiB of TOML",
        text.len() / 1024
    );
    println!("output: {files} files, {:.1} MiB", bytes as f64 / 1_048_576.0);
    println!(
        "compile+render+verify: min {:.3} s, median {:.3} s, max {:.3} s ({RUNS} runs)",
        times[0],
        times[RUNS / 2],
        times[RUNS - 1]
    );
    println!(
        "Kubernetes only ({:.1} MiB, what `platc build SPEC` streams): min {:.3} s, median {:.3} s",
        kubernetes_bytes as f64 / 1_048_576.0,
        kubernetes_times[0],
        kubernetes_times[RUNS / 2]
    );
    for (target, size) in sizes(&platc::render(&platc::compile(&text).expect("valid").platform).expect("renders")) {
        println!("  output of {target}: {:.1} MiB", size as f64 / 1_048_576.0);
    }
    match peak_rss_mb() {
        Some(mb) => println!("peak memory (VmHWM): {mb:.1} MB"),
        None => println!("peak memory: /proc/self/status not available"),
    }
}
