//! The command line (SPEC.md §7). Exit codes: 0 success (warnings allowed), 1 the spec is
//! invalid or `--check` found drift, 2 usage or I/O error. Diagnostics go to stderr; stdout
//! carries output only (manifests, the schema, JSON diagnostics of `check`), and a closed
//! stdout (`platc build spec.toml | head`) ends the run quietly. `anyhow` lives here, at the
//! edge; the pipeline returns typed results.

mod args;
mod build;
mod images;
mod init;
mod output;
mod report;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};
use output::Stdout;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color.enabled();
    let result = match cli.command {
        Command::Build(build) => build::build(&build::Options {
            spec: build.spec,
            out: build.out,
            envs: build.envs,
            check: build.check,
            deny_warnings: build.deny_warnings,
            format: build.format,
            images: build.images,
            color,
        }),
        Command::Check(check) => report::check(
            &check.specs,
            &report::CheckOptions {
                format: check.format,
                deny_warnings: check.deny_warnings,
                envs: check.envs,
                color,
            },
        ),
        Command::Schema => print(&format!("{}\n", schema_text())),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Init { path, force } => init::init(&path, force),
        Command::Completions { shell } => completions(shell),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The JSON Schema as `platc schema` prints it.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(&crate::spec::json_schema()).unwrap_or_default()
}

fn print(text: &str) -> anyhow::Result<ExitCode> {
    Stdout::write(text)?;
    Ok(ExitCode::SUCCESS)
}

fn explain(code: Option<&str>) -> anyhow::Result<ExitCode> {
    use crate::diag::Code;
    match code {
        None => {
            let mut list = String::new();
            for code in Code::ALL {
                list.push_str(&format!("{code}  {}\n", code.summary()));
            }
            print(&list)
        }
        Some(text) => {
            let code = Code::parse(text)
                .ok_or_else(|| anyhow::anyhow!("no diagnostic code `{text}`; `platc explain` lists them"))?;
            print(&format!("{code}: {}\n\n{}\n", code.summary(), code.explanation()))
        }
    }
}

fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "platc", &mut script);
    print(&String::from_utf8_lossy(&script))
}
