//! `openapi-gate`: the contract gate of `cargo xtask openapi diff`, for any
//! repository's spec. A thin shell: parse, call the library, print, exit
//! with the report's code.
//!
//! ```sh
//! cargo install --path crates/openapi-gate
//! openapi-gate --spec api/openapi.yaml --base origin/main --format github
//! openapi-gate old.yaml new.yaml --fail-on warning
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use openapi_gate::args::DiffArgs;
use openapi_gate::{ColorChoice, Project, Styles, diff, render};

/// Whether a spec change breaks existing clients: the spec against its git
/// base (the merge-base of HEAD with `--base`, else `main`, `origin/main`
/// or `origin/$GITHUB_BASE_REF`), or OLD against NEW. Breaking changes
/// listed in openapi-breaking.yaml (beside the spec) are accepted; levels
/// per rule come from openapi-levels.yaml.
///
/// Exit codes: 0 nothing fails; 1 an unaccepted change at or above
/// `--fail-on`; 3 no base to compare with; 100 an invalid input.
#[derive(Parser)]
#[command(name = "openapi-gate", version)]
struct Cli {
    /// The spec compared with its git base (default: openapi.yaml in the
    /// current directory).
    #[arg(long, value_name = "FILE", default_value = "openapi.yaml", conflicts_with = "old")]
    spec: PathBuf,
    #[command(flatten)]
    diff: DiffArgs,
    /// Colours: `auto` (on a terminal, unless NO_COLOR is set), `always`, `never`.
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let project = Project { spec: root.join(&cli.spec), root };
    let report = diff(&project, &cli.diff.inputs(), &cli.diff.gate.gate(), None);
    let styles = Styles::for_stdout(cli.color, "your code generator");
    let mut out = std::io::stdout().lock();
    if out.write_all(render(&report, cli.diff.gate.format, &styles).as_bytes()).and_then(|()| out.flush()).is_err() {
        return ExitCode::from(100);
    }
    ExitCode::from(report.exit_code())
}
