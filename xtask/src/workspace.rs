//! Where things are: the workspace root and its spec.

use std::path::{Path, PathBuf};

use popsell_codegen::{Error, GeneratedFile, Spec};

/// The spec's conventional place, relative to the workspace root.
pub const SPEC_FILE: &str = "openapi.yaml";
/// The server generator's fixture specs, relative to the workspace root.
pub const FIXTURES_DIR: &str = "crates/server-gen/fixtures";

fn unreadable(name: &str, error: &std::io::Error) -> Error {
    Error::Invalid(vec![popsell_codegen::Diagnostic { file: name.to_owned(), pointer: String::new(), message: format!("cannot read: {error}") }])
}

fn read_spec(path: &Path, name: &str) -> Result<Spec, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(name, &e))?;
    Spec::parse(name, &text)
}

pub struct Workspace {
    pub root: PathBuf,
    pub spec: PathBuf,
}

impl Workspace {
    /// A workspace (default: the one this xtask belongs to) and its spec
    /// (default: its `openapi.yaml`).
    pub fn new(root: Option<PathBuf>, spec: Option<PathBuf>) -> Workspace {
        let root = root.unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
        });
        let spec = spec.unwrap_or_else(|| root.join(SPEC_FILE));
        Workspace { root, spec }
    }

    /// The spec's name for messages: relative to the root when inside it.
    pub fn spec_name(&self) -> String {
        let path = self.spec.strip_prefix(&self.root).unwrap_or(&self.spec);
        path.display().to_string()
    }

    /// Reads, validates and generates, all in memory: the files of the
    /// spec, then those of each server-generator fixture.
    pub fn generate(&self) -> Result<Vec<GeneratedFile>, Error> {
        let mut files = popsell_codegen::generate(&read_spec(&self.spec, &self.spec_name())?)?;
        for (name, path) in self.fixtures()? {
            let display = path.strip_prefix(&self.root).unwrap_or(&path).display().to_string();
            files.extend(popsell_codegen::generate_fixture(&read_spec(&path, &display)?, &name)?);
        }
        Ok(files)
    }

    /// The fixture specs of the server generator, by module name, sorted.
    fn fixtures(&self) -> Result<Vec<(String, PathBuf)>, Error> {
        let dir = self.root.join(FIXTURES_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            // A workspace copy without fixtures (the CLI tests) has none.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(unreadable(FIXTURES_DIR, &e)),
        };
        let mut fixtures: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
            .filter_map(|path| Some((path.file_stem()?.to_str()?.to_owned(), path)))
            .collect();
        fixtures.sort();
        Ok(fixtures)
    }

    /// The committed text of a generated file (`None` when missing).
    pub fn read(&self, file: &GeneratedFile) -> Option<String> {
        std::fs::read_to_string(self.root.join(&file.path)).ok()
    }
}
