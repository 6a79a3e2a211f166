//! The command line (SPEC.md §7). Exit codes: 0 success (warnings allowed), 1 the spec is
//! invalid or `--check` found drift, 2 usage or I/O error. Diagnostics go to stderr, output
//! to stdout. `anyhow` lives here, at the edge; the pipeline returns typed results.
#![allow(clippy::print_stdout)] // this module is the reporter/emitter: stdout is its job

mod build;
mod images;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::render::Format;

#[derive(Parser)]
#[command(
    name = "platc",
    version,
    about = "Compile a platform spec into Kubernetes, Compose, Prometheus and Grafana files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate and compile a spec: the output tree with -o, else Kubernetes YAML on stdout.
    Build {
        spec: PathBuf,
        /// Write the output tree here (atomically; only files platc generated are replaced or pruned).
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
        /// Only these environments (repeatable).
        #[arg(long = "env")]
        envs: Vec<String>,
        /// Write nothing; exit 1 if DIR differs from what build would write.
        #[arg(long, requires = "out")]
        check: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Replace a service's or job's image for this build: NAME=IMAGE (repeatable).
        #[arg(long = "image", value_name = "NAME=IMAGE")]
        images: Vec<String>,
    },
    /// Validate specs only (pre-commit, CI).
    Check {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the JSON Schema of the spec, for editors.
    Schema,
    /// Explain a diagnostic code, e.g. `platc explain E0070`; without a code, list them all.
    Explain { code: Option<String> },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            spec,
            out,
            envs,
            check,
            deny_warnings,
            format,
            images,
        } => build::build(&build::Options {
            spec,
            out,
            envs,
            check,
            deny_warnings,
            format,
            images,
        }),
        Command::Check {
            specs,
            format,
            deny_warnings,
        } => report::check(&specs, format, deny_warnings),
        Command::Schema => schema(),
        Command::Explain { code } => explain(code.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn schema() -> anyhow::Result<ExitCode> {
    println!("{}", serde_json::to_string_pretty(&crate::spec::json_schema())?);
    Ok(ExitCode::SUCCESS)
}

fn explain(code: Option<&str>) -> anyhow::Result<ExitCode> {
    use crate::diag::Code;
    match code {
        None => {
            for code in Code::ALL {
                println!("{code}  {}", code.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(text) => {
            let code = Code::parse(text)
                .ok_or_else(|| anyhow::anyhow!("no diagnostic code `{text}`; `platc explain` lists them"))?;
            println!("{code}: {}\n\n{}", code.summary(), code.explanation());
            Ok(ExitCode::SUCCESS)
        }
    }
}
