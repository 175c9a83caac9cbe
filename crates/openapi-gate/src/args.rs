//! The gate's command-line arguments, as clap `Args` structs that a
//! command flattens as they are (`cargo xtask check`, `cargo xtask openapi
//! diff`, the `openapi-gate` binary): no field is copied by hand.

use std::path::PathBuf;

use openapi_compat::Level;

use crate::diff::{Gate, Inputs};
use crate::output::Format;

/// How changes are judged and the report printed.
#[derive(Clone, Debug, clap::Args)]
pub struct GateArgs {
    /// Fail on unaccepted changes at this level and above: `error`
    /// (breaks correct clients), `warning` (also breaks clients that
    /// rely on more than the contract), or `info` (any change).
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "error")]
    pub fail_on: FailOn,
    /// The project's levels for rules (default: openapi-levels.yaml
    /// beside the spec, when it exists).
    #[arg(long, value_name = "FILE")]
    pub levels: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

impl GateArgs {
    /// The judging part.
    pub fn gate(&self) -> Gate {
        Gate { fail_on: self.fail_on.into(), levels: self.levels.clone() }
    }
}

/// What `openapi diff` compares.
#[derive(Clone, Debug, clap::Args)]
pub struct DiffArgs {
    /// The git revision whose spec is the old one (its merge-base with HEAD).
    #[arg(long, value_name = "GIT-REF", conflicts_with = "old")]
    pub base: Option<String>,
    /// The old spec file (then NEW is required).
    #[arg(value_name = "OLD.yaml", requires = "new")]
    pub old: Option<PathBuf>,
    /// The new spec file.
    #[arg(value_name = "NEW.yaml")]
    pub new: Option<PathBuf>,
    /// With two files: the accepted breaking changes (format of openapi-breaking.yaml).
    #[arg(long, value_name = "FILE", requires = "old")]
    pub accepted: Option<PathBuf>,
    /// Levels and format.
    #[command(flatten)]
    pub gate: GateArgs,
}

impl DiffArgs {
    /// Two files, or the spec against a git base.
    pub fn inputs(&self) -> Inputs {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => Inputs::Files { old: old.clone(), new: new.clone(), accepted: self.accepted.clone() },
            _ => Inputs::Base(self.base.clone()),
        }
    }
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Breaks clients that follow the contract.
    Error,
    /// Also breaks clients that rely on more than the contract.
    Warning,
    /// Any change.
    Info,
}

impl From<FailOn> for Level {
    fn from(level: FailOn) -> Self {
        match level {
            FailOn::Error => Level::Error,
            FailOn::Warning => Level::Warning,
            FailOn::Info => Level::Info,
        }
    }
}
