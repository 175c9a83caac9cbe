//! Where a gate's inputs are: the spec, and beside it the accepted-changes
//! and levels files, in a git repository.

use std::path::{Path, PathBuf};

use openapi_spec::{Diagnostic, Error};

/// The breaking changes accepted on purpose, beside the spec.
pub const ACCEPTED_FILE: &str = "openapi-breaking.yaml";
/// The project's levels for rules, beside the spec.
pub const LEVELS_FILE: &str = "openapi-levels.yaml";

/// A spec in a repository.
#[derive(Clone, Debug)]
pub struct Project {
    /// The directory paths in messages are relative to.
    pub root: PathBuf,
    /// The spec file.
    pub spec: PathBuf,
}

impl Project {
    /// The spec's name for messages: relative to the root when inside it.
    pub fn spec_name(&self) -> String {
        self.relative(&self.spec)
    }

    /// A path for messages: relative to the root when inside it.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).display().to_string()
    }

    /// The directory of the spec (where git runs and the accepted-changes file is).
    pub fn spec_dir(&self) -> &Path {
        self.spec.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
    }

    /// The file of accepted breaking changes, beside the spec.
    pub fn accepted_file(&self) -> PathBuf {
        self.spec_dir().join(ACCEPTED_FILE)
    }

    /// The project's levels for rules, beside the spec.
    pub fn levels_file(&self) -> PathBuf {
        self.spec_dir().join(LEVELS_FILE)
    }
}

/// A file that could not be read, as a diagnostic naming it.
pub fn unreadable(name: &str, error: &std::io::Error) -> Error {
    Error::Invalid(vec![Diagnostic::new(name, "", format!("cannot read: {error}"))])
}
