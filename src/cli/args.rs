//! The command-line grammar: every subcommand and argument with its help text.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::render::Format;

/// `--version`: the crate version, with the git commit when built from a git checkout
/// (set by `build.rs`).
const VERSION: &str = env!("PLATC_VERSION");

#[derive(Parser)]
#[command(
    name = "platc",
    version = VERSION,
    about = "Compile a platform spec into Kubernetes, Compose, Prometheus and Grafana files",
    after_help = "Exit codes: 0 success (warnings allowed), 1 invalid spec or drift, 2 usage or I/O error.\n\
                  `platc explain` lists every diagnostic code."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour diagnostics: `auto` colours on a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: Color,
}

#[derive(Subcommand)]
pub enum Command {
    /// Validate and compile a spec: the output tree with -o, else Kubernetes YAML on stdout.
    Build(BuildArgs),
    /// Validate specs only (pre-commit, CI).
    Check(CheckArgs),
    /// Print the JSON Schema of the spec, for editors.
    Schema,
    /// Explain a diagnostic code, e.g. `platc explain E0070`; without a code, list them all.
    Explain {
        /// The code to explain, such as E0070 or W0003.
        code: Option<String>,
    },
    /// Write a commented starter spec that compiles.
    Init {
        /// Where to write it.
        #[arg(default_value = "platform.toml")]
        path: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script, e.g. `platc completions bash > /etc/bash_completion.d/platc`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args)]
pub struct BuildArgs {
    /// The spec to compile (`-` reads it from standard input).
    pub spec: PathBuf,
    /// Write the output tree here (atomically; only files platc generated are replaced or pruned).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only these environments (repeatable); warnings are those of these environments.
    #[arg(long = "env", value_name = "ENV")]
    pub envs: Vec<String>,
    /// Write nothing; exit 1 if DIR differs from what build would write.
    #[arg(long, requires = "out")]
    pub check: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print diagnostics (always on stderr when stdout carries manifests).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Replace a service's or job's image for this build: NAME=IMAGE (repeatable).
    #[arg(long = "image", value_name = "NAME=IMAGE")]
    pub images: Vec<String>,
}

#[derive(Args)]
pub struct CheckArgs {
    /// The specs to validate (`-` reads one from standard input).
    #[arg(required = true)]
    pub specs: Vec<PathBuf>,
    /// How to print diagnostics: human and github on stderr, json as one array on stdout.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Report warnings of these environments only (repeatable); errors are always reported.
    #[arg(long = "env", value_name = "ENV")]
    pub envs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when stderr is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour (overrides `NO_COLOR`).
    Always,
    /// Never colour.
    Never,
}

impl Color {
    /// Whether diagnostics on stderr are coloured.
    pub fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()) && std::io::stderr().is_terminal()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_and_argument_has_help() {
        let mut missing = Vec::new();
        let mut pending = vec![super::Cli::command()];
        while let Some(command) = pending.pop() {
            if command.get_about().is_none() && command.get_name() != "platc" {
                missing.push(command.get_name().to_string());
            }
            for arg in command.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && arg.get_help().is_none() {
                    missing.push(format!("{} {}", command.get_name(), arg.get_id()));
                }
            }
            pending.extend(command.get_subcommands().cloned());
        }
        assert!(missing.is_empty(), "without help text: {missing:?}");
    }

    #[test]
    fn the_grammar_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
