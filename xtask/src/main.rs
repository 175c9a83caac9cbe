//! `cargo xtask`: the workspace's automation. Commands only parse their
//! arguments here; each lives in `cmd/`, display in `output.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod accept;
mod cmd;
mod compare;
mod git;
mod levels;
mod output;
mod report;
mod semver;
mod tidy;
mod workspace;

use output::Format;

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Generate and check the code derived from openapi.yaml, and judge spec changes")]
struct Cli {
    /// The workspace to work on (default: found at run time: the one cargo
    /// runs this xtask for, else the nearest `[workspace]` above the
    /// current directory). The spec defaults to its openapi.yaml.
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
    Check {
        /// The spec to check (default: openapi.yaml at the workspace root).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Fail (exit 1) on a breaking or unclassified change that
        /// openapi-breaking.yaml does not accept, and (exit 3) when there is
        /// no base.
        #[arg(long)]
        deny_breaking: bool,
        /// The git revision to compare with (its merge-base with HEAD).
        #[arg(long, value_name = "GIT-REF")]
        base: Option<String>,
        /// Also judge the public Rust API of the generated crates
        /// (cargo-semver-checks; slow: it documents both trees).
        #[arg(long)]
        semver: bool,
        /// Fail on unaccepted changes at this level and above: `error`
        /// (breaks correct clients), `warning` (also breaks clients that
        /// rely on more than the contract), or `info` (any change).
        #[arg(long, value_enum, value_name = "LEVEL", default_value = "error")]
        fail_on: FailOn,
        /// The project's levels for rules (default: openapi-levels.yaml
        /// beside the spec, when it exists).
        #[arg(long, value_name = "FILE")]
        levels: Option<PathBuf>,
        /// How to print the report.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Generate a server crate from any OpenAPI 3.0 document: the component
    /// types, the `Api` trait, typed requests and responses, the axum router
    /// and utoipa document, and a `Cargo.toml` depending on this
    /// workspace's runtime by path. Refusals (a feature the generator does
    /// not support, an invalid document) name the file, the place and the
    /// reason; nothing is written then.
    ///
    /// Exit codes: 0 written; 100 invalid spec, a refusal, or a write failed.
    ServerGen {
        /// The OpenAPI 3.0 document (YAML or JSON).
        spec: PathBuf,
        /// The crate's directory (created; an earlier output is replaced).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The crate's name (default: the spec's file name and `-server`).
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
    },
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
        /// Skip the consumer matrix (openapi-typescript, openapi-python-client, Prism).
        #[arg(long)]
        skip_consumers: bool,
        /// Skip Schemathesis.
        #[arg(long)]
        skip_fuzz: bool,
        /// Skip the docs page check (headless Chromium).
        #[arg(long)]
        skip_docs: bool,
        /// Skip the hostile transport suite (real sockets to the served binary).
        #[arg(long)]
        skip_transport: bool,
        /// Seconds of soak: wrk at 256 connections beside a slowloris crowd; 0 skips it.
        #[arg(long, value_name = "SECONDS", default_value_t = 0)]
        soak: u32,
        /// The backends the server's gates (Prism proxy, Schemathesis, load)
        /// run on, each in turn: `sqlite` (default), `postgres`, or both
        /// (`sqlite,postgres`).
        #[arg(long, value_enum, value_delimiter = ',', default_value = "sqlite")]
        backend: Vec<cmd::Backend>,
        /// PostgreSQL's database for `--backend postgres` (migrated, seeded
        /// when empty); default: a throwaway local server.
        #[arg(long, value_name = "URL")]
        database_url: Option<String>,
    },
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
    Diff {
        /// The git revision whose openapi.yaml is the old spec (its merge-base with HEAD).
        #[arg(long, value_name = "GIT-REF", conflicts_with = "old")]
        base: Option<String>,
        /// The old spec file (then NEW is required).
        #[arg(value_name = "OLD.yaml", requires = "new")]
        old: Option<PathBuf>,
        /// The new spec file.
        #[arg(value_name = "NEW.yaml")]
        new: Option<PathBuf>,
        /// With two files: the accepted breaking changes (format of openapi-breaking.yaml).
        #[arg(long, value_name = "FILE", requires = "old")]
        accepted: Option<PathBuf>,
        /// Also judge the public Rust API of the generated crates (git base only; slow).
        #[arg(long, conflicts_with = "old")]
        semver: bool,
        /// Fail on unaccepted changes at this level and above: `error`
        /// (breaks correct clients), `warning` (also breaks clients that
        /// rely on more than the contract), or `info` (any change).
        #[arg(long, value_enum, value_name = "LEVEL", default_value = "error")]
        fail_on: FailOn,
        /// The project's levels for rules (default: openapi-levels.yaml
        /// beside the spec, when it exists).
        #[arg(long, value_name = "FILE")]
        levels: Option<PathBuf>,
        /// How to print the report.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for openapi_compat::Level {
    fn from(level: FailOn) -> Self {
        match level {
            FailOn::Error => openapi_compat::Level::Error,
            FailOn::Warning => openapi_compat::Level::Warning,
            FailOn::Info => openapi_compat::Level::Info,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Comparing two files needs no workspace; every other command does.
    let files_only = matches!(&cli.command, Command::Openapi(Openapi::Diff { old: Some(_), .. } | Openapi::Reduce { .. }));
    let root = match workspace::discover(cli.root) {
        Ok(root) => root,
        Err(_) if files_only => PathBuf::from("."),
        Err(message) => {
            println!("{}", output::error(&message));
            return ExitCode::from(output::Status::Failure as u8);
        }
    };
    let status: u8 = match cli.command {
        Command::Codegen { spec } => cmd::codegen::run(&workspace::Workspace::new(root, spec)) as u8,
        Command::Check { spec, deny_breaking, base, semver, fail_on, levels, format } => {
            let gate = cmd::Gate { fail_on: fail_on.into(), levels };
            let options = cmd::check::Options { deny_breaking, base, format, semver, gate };
            cmd::check::run(&workspace::Workspace::new(root, spec), &options) as u8
        }
        Command::Openapi(Openapi::Reduce { old, new, out }) => cmd::openapi::reduce(&old, &new, &out) as u8,
        Command::Openapi(Openapi::Diff { base, old, new, accepted, semver, fail_on, levels, format }) => {
            let inputs = match (old, new) {
                (Some(old), Some(new)) => cmd::openapi::Inputs::Files { old, new, accepted },
                _ => cmd::openapi::Inputs::Base(base),
            };
            let gate = cmd::Gate { fail_on: fail_on.into(), levels };
            cmd::openapi::diff(&workspace::Workspace::new(root, None), &inputs, format, semver, &gate) as u8
        }
        Command::Contract {
            examples,
            seed,
            chatrooms,
            load_seconds,
            skip_lint,
            skip_consumers,
            skip_fuzz,
            skip_docs,
            skip_transport,
            soak,
            backend,
            database_url,
        } => {
            let options = cmd::contract::Options {
                examples,
                seed,
                chatrooms,
                load_seconds,
                skip_lint,
                skip_consumers,
                skip_fuzz,
                skip_docs,
                skip_transport,
                soak_seconds: soak,
                backends: backend,
                database_url,
            };
            cmd::contract::run(&workspace::Workspace::new(root, None), &options)
        }
        Command::ServerGen { spec, out, crate_name } => {
            let options = cmd::server_gen::Options { spec, out, crate_name };
            cmd::server_gen::run(&workspace::Workspace::new(root, None), &options) as u8
        }
        Command::Bench { quick, backend } => cmd::bench::run(&workspace::Workspace::new(root, None), quick, &backend),
    };
    ExitCode::from(status)
}
