//! `cargo xtask`: the workspace's automation. Commands only parse their
//! arguments here; each lives in `cmd/`, display in `output.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod output;
mod tidy;
mod workspace;

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Generate and check the code derived from openapi.yaml")]
struct Cli {
    /// The workspace whose generated files are checked or written (default:
    /// the one this xtask belongs to). The spec defaults to its openapi.yaml.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate openapi.yaml and regenerate every generated file from it.
    ///
    /// Everything is generated in memory first; files are written (atomically)
    /// only when all of them could be produced, so a bad spec changes nothing.
    /// Exit codes: 0 done, 100 invalid spec or failed generation.
    Codegen {
        /// The spec to generate from (default: openapi.yaml at the workspace root).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Validate openapi.yaml and compare what would be generated with the
    /// committed files, writing nothing.
    ///
    /// Exit codes: 0 everything fresh, 4 some generated file is stale (run
    /// `cargo xtask codegen`), 100 the spec is invalid or generation failed.
    Check {
        /// The spec to check (default: openapi.yaml at the workspace root).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Codegen { spec } => cmd::codegen::run(&workspace::Workspace::new(cli.root, spec)),
        Command::Check { spec } => cmd::check::run(&workspace::Workspace::new(cli.root, spec)),
    };
    ExitCode::from(status as u8)
}
