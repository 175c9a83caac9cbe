//! `cargo xtask`: the workspace's automation. Commands only parse their
//! arguments here (each command's clap `Args` is its options struct, used
//! as it is); each lives in `cmd/`; the contract gate, its report and its
//! renderers are the `openapi-gate` library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod semver;
mod tidy;
mod workspace;

use openapi_gate::report::Status;
use openapi_gate::{ColorChoice, Styles};

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Generate and check the code derived from openapi.yaml, and judge spec changes")]
struct Cli {
    /// The workspace to work on (default: found at run time: the one cargo
    /// runs this xtask for, else the nearest `[workspace]` above the
    /// current directory). The spec defaults to its openapi.yaml.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Colours: `auto` (on a terminal, unless NO_COLOR is set), `always`, `never`.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
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
    /// Validate openapi.yaml, compare what would be generated with the
    /// committed files (writing nothing), and compare the spec with its base
    /// for changes that break existing clients.
    ///
    /// The base is the merge-base of HEAD with `--base`, else with `main`,
    /// `origin/main`, or `origin/$GITHUB_BASE_REF`. Breaking changes are
    /// warnings, or errors with `--deny-breaking`; breaking changes listed in
    /// openapi-breaking.yaml are accepted.
    ///
    /// Exit codes: 0 fine; 1 a breaking (or unclassified) change with
    /// `--deny-breaking`; 3 `--deny-breaking` and no base to compare with;
    /// 4 a generated file is stale (run `cargo xtask codegen`); 100 the spec
    /// or openapi-breaking.yaml is invalid, or generation failed. When several
    /// apply, the highest wins.
    Check(cmd::check::Options),
    /// Generate a server crate from any OpenAPI 3.0 document: the component
    /// types, the `Api` trait, typed requests and responses, the axum router
    /// and utoipa document, and a `Cargo.toml` depending on this
    /// workspace's runtime by path. Refusals (a feature the generator does
    /// not support, an invalid document) name the file, the place and the
    /// reason; nothing is written then.
    ///
    /// Exit codes: 0 written; 100 invalid spec, a refusal, or a write failed.
    ServerGen(cmd::server_gen::Options),
    /// Commands about the OpenAPI document itself.
    #[command(subcommand)]
    Openapi(Openapi),
    /// Check the contract with outside tools: lint the spec (Redocly CLI),
    /// generate and compile consumers (openapi-typescript + tsc,
    /// openapi-python-client, Prism mock and proxy), load the docs page in
    /// headless Chromium (try it included), fuzz the reference server
    /// (Schemathesis), and a bounded load run (wrk). Starts and stops
    /// the server itself; installs the pinned tools under
    /// target/contract-tools.
    ///
    /// Exit codes: 0 every gate passed, 1 a gate failed (report printed),
    /// 100 a gate could not run.
    Contract(cmd::contract::Options),
    /// Run the benchmarks and rewrite BENCHMARKS.md (release build).
    Bench {
        /// The short version (smaller data, shorter runs).
        #[arg(long)]
        quick: bool,
        /// The reference store's backends: SQLite always; `postgres` adds
        /// PostgreSQL's tables beside it (built with the `postgres` feature;
        /// DATABASE_URL, else a throwaway local server).
        #[arg(long, value_enum, value_delimiter = ',')]
        backend: Vec<cmd::Backend>,
    },
}

#[derive(Subcommand)]
enum Openapi {
    /// Cut a spec pair down to what its change touches (the path items
    /// that differ, the components they reach, the components that
    /// differ), for a corpus of real histories. Writes OUT/old.json and
    /// OUT/new.json, after checking that `openapi diff` finds the same
    /// changes on the reduced pair as on the whole one.
    ///
    /// Exit codes: 0 written; 1 the reduction would change the findings
    /// (nothing written); 100 an invalid input.
    Reduce {
        /// The old spec file.
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The new spec file.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        /// The directory to write old.json and new.json in (created).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Whether a spec change breaks existing clients: every change, breaking
    /// ones first, with its rule, operation, reason and place
    /// (`file:line:column` and JSON pointer; removals in the old file).
    ///
    /// Compares openapi.yaml at a git base (default: the merge-base of HEAD
    /// with `main`, else `origin/main`, else `origin/$GITHUB_BASE_REF`) with
    /// the working tree's, or OLD with NEW.
    ///
    /// Exit codes: 0 no breaking change; 1 a breaking or unclassified change
    /// that nothing accepts; 3 no base to compare with; 100 an unreadable or
    /// invalid input (file and place printed), or a stale entry in the
    /// accepted-changes file.
    Diff(cmd::openapi::Diff),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styles = Styles::for_stdout(cli.color, workspace::FIX_COMMAND);
    // Comparing two files needs no workspace; every other command does.
    let files_only = matches!(&cli.command, Command::Openapi(Openapi::Diff(diff)) if diff.diff.old.is_some()) || matches!(&cli.command, Command::Openapi(Openapi::Reduce { .. }));
    let root = match workspace::discover(cli.root) {
        Ok(root) => root,
        Err(_) if files_only => PathBuf::from("."),
        Err(message) => {
            println!("{}", styles.error(&message));
            return ExitCode::from(Status::Failure as u8);
        }
    };
    let status: u8 = match cli.command {
        Command::Codegen { spec } => cmd::codegen::run(&workspace::Workspace::new(root, spec), &styles) as u8,
        Command::Check(options) => cmd::check::run(&workspace::Workspace::new(root, options.spec.clone()), &options, &styles),
        Command::Openapi(Openapi::Reduce { old, new, out }) => cmd::openapi::reduce(&old, &new, &out, &styles) as u8,
        Command::Openapi(Openapi::Diff(diff)) => cmd::openapi::diff(&workspace::Workspace::new(root, None), &diff, &styles),
        Command::Contract(options) => cmd::contract::run(&workspace::Workspace::new(root, None), &options, &styles),
        Command::ServerGen(options) => cmd::server_gen::run(&workspace::Workspace::new(root, None), &options, &styles) as u8,
        Command::Bench { quick, backend } => cmd::bench::run(&workspace::Workspace::new(root, None), quick, &backend),
    };
    ExitCode::from(status)
}
