//! Where things are: the workspace root and its spec.

use std::path::{Path, PathBuf};

use popsell_codegen::{Error, GeneratedFile, Spec};

/// The spec's conventional place, relative to the workspace root.
pub const SPEC_FILE: &str = "openapi.yaml";

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

    /// Reads, validates and generates, all in memory.
    pub fn generate(&self) -> Result<Vec<GeneratedFile>, Error> {
        let name = self.spec_name();
        let text = std::fs::read_to_string(&self.spec).map_err(|e| {
            Error::Invalid(vec![popsell_codegen::Diagnostic { file: name.clone(), pointer: String::new(), message: format!("cannot read the spec: {e}") }])
        })?;
        let spec = Spec::parse(&name, &text)?;
        popsell_codegen::generate(&spec)
    }

    /// The committed text of a generated file (`None` when missing).
    pub fn read(&self, file: &GeneratedFile) -> Option<String> {
        std::fs::read_to_string(self.root.join(&file.path)).ok()
    }
}
