pub mod check;
pub mod codegen;
pub mod openapi;
pub mod server_gen;
pub mod bench;
pub mod contract;

/// A backend of the reference server's store (`bench` and `contract`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How a comparison judges changes: the level that fails the run, and the
/// project's levels for rules (`--fail-on`, `--levels`).
pub struct Gate {
    pub fail_on: openapi_compat::Level,
    /// The levels file; `None`: the workspace's, when it exists.
    pub levels: Option<std::path::PathBuf>,
}

impl Gate {
    /// The overrides of the levels file (none when the default one is absent).
    pub fn overrides(&self, workspace: &crate::workspace::Workspace) -> Result<Vec<crate::levels::Override>, openapi_spec::Error> {
        let (path, required) = match &self.levels {
            Some(path) => (path.clone(), true),
            None => (workspace.levels_file(), false),
        };
        let name = if required { path.display().to_string() } else { crate::workspace::LEVELS_FILE.to_owned() };
        match std::fs::read_to_string(&path) {
            Ok(text) => crate::levels::parse(&name, &text),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(crate::workspace::unreadable(&name, &e)),
        }
    }
}
