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
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Generate and check the code derived from openapi.yaml, and judge spec changes")]
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
    /// In a git checkout, the spec is also compared with the one at the
    /// merge-base of HEAD with `main`: a warning per change that breaks
    /// existing clients.
    ///
    /// Exit codes: 0 everything fresh, 4 some generated file is stale (run
    /// `cargo xtask codegen`), 1 a breaking change with `--deny-breaking`
    /// (stale files take precedence), 100 the spec is invalid or generation
    /// failed.
    Check {
        /// The spec to check (default: openapi.yaml at the workspace root).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Fail (exit 1) when the spec breaks existing clients compared with the base.
        #[arg(long)]
        deny_breaking: bool,
    },
    /// Commands about the OpenAPI document itself.
    #[command(subcommand)]
    Openapi(Openapi),
    /// Check the contract with outside tools: lint the spec (Redocly CLI),
    /// fuzz the reference server (Schemathesis), and a bounded load run
    /// (wrk). Starts and stops the server itself; installs the pinned tools
    /// under target/contract-tools.
    ///
    /// Exit codes: 0 every gate passed, 1 a gate failed (report printed),
    /// 100 a gate could not run.
    Contract {
        /// Schemathesis test cases per operation and phase.
        #[arg(long, default_value_t = 1000)]
        examples: u32,
        /// Schemathesis seed (same seed, same cases).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Chatrooms of the server's demo data.
        #[arg(long, default_value_t = 100_000)]
        chatrooms: u32,
        /// Seconds of load (256 connections); 0 skips it.
        #[arg(long, default_value_t = 0)]
        load_seconds: u32,
        /// Skip the spec lint.
        #[arg(long)]
        skip_lint: bool,
        /// Skip Schemathesis.
        #[arg(long)]
        skip_fuzz: bool,
    },
    /// Run the benchmarks and rewrite BENCHMARKS.md (release build).
    Bench {
        /// The short version (smaller data, shorter runs).
        #[arg(long)]
        quick: bool,
    },
}

#[derive(Subcommand)]
enum Openapi {
    /// Whether a spec change breaks existing clients: every change, breaking
    /// ones first, with its rule, operation, reason and JSON pointer.
    ///
    /// Compares openapi.yaml at a git revision (default: the merge-base of
    /// HEAD with `main`) with the working tree's, or OLD with NEW.
    ///
    /// Exit codes: 0 no breaking change, 1 some breaking change, 100 an
    /// unreadable or invalid input (file and pointer printed).
    Diff {
        /// The git revision whose openapi.yaml is the old spec (default: `git merge-base HEAD main`).
        #[arg(long, value_name = "GIT-REF", conflicts_with = "old")]
        base: Option<String>,
        /// The old spec file (then NEW is required).
        #[arg(value_name = "OLD.yaml", requires = "new")]
        old: Option<PathBuf>,
        /// The new spec file.
        #[arg(value_name = "NEW.yaml")]
        new: Option<PathBuf>,
        /// `human` (status lines) or `json` (one document, for bots).
        #[arg(long, value_enum, default_value = "human")]
        format: cmd::openapi::Format,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status: u8 = match cli.command {
        Command::Codegen { spec } => cmd::codegen::run(&workspace::Workspace::new(cli.root, spec)) as u8,
        Command::Check { spec, deny_breaking } => cmd::check::run(&workspace::Workspace::new(cli.root, spec), deny_breaking) as u8,
        Command::Openapi(Openapi::Diff { base, old, new, format }) => {
            let inputs = match (old, new) {
                (Some(old), Some(new)) => cmd::openapi::Inputs::Files { old, new },
                _ => cmd::openapi::Inputs::Base(base),
            };
            cmd::openapi::diff(&workspace::Workspace::new(cli.root, None), &inputs, format) as u8
        }
        Command::Contract { examples, seed, chatrooms, load_seconds, skip_lint, skip_fuzz } => {
            let options = cmd::contract::Options { examples, seed, chatrooms, load_seconds, skip_lint, skip_fuzz };
            cmd::contract::run(&workspace::Workspace::new(cli.root, None), &options)
        }
        Command::Bench { quick } => cmd::bench::run(&workspace::Workspace::new(cli.root, None), quick),
    };
    ExitCode::from(status)
}
