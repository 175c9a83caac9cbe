//! Where things are: the workspace root (found at run time, never from a
//! path compiled in), its spec, the file of accepted breaking changes, and
//! the generated files.

use std::path::{Path, PathBuf};

use openapi_gate::Project;
use popsell_codegen::{Error, GeneratedFile, Spec};

/// The spec's conventional place, relative to the workspace root.
pub const SPEC_FILE: &str = "openapi.yaml";
/// The command that brings generated files up to date.
pub const FIX_COMMAND: &str = "cargo xtask codegen";
/// The server generator's fixture specs, relative to the workspace root.
pub const FIXTURES_DIR: &str = "crates/openapi-server-gen/fixtures";
/// Where the fixtures' generated modules are compiled and driven.
pub const FIXTURES_CRATE: &str = "crates/openapi-server-fixtures";

pub use openapi_gate::unreadable;

/// The workspace: the gate's [`Project`] (its root and spec, their names
/// in messages, the files beside the spec), and what this workspace
/// generates from it.
pub struct Workspace {
    project: Project,
}

impl std::ops::Deref for Workspace {
    type Target = Project;

    fn deref(&self) -> &Project {
        &self.project
    }
}

/// Whether `dir` holds the `Cargo.toml` of a workspace.
fn is_workspace_root(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
}

/// The workspace to work on, found at run time: `--root`; else the one
/// whose xtask cargo is running (`CARGO_MANIFEST_DIR`, set by `cargo run`,
/// hence by `cargo xtask`); else the nearest directory above the current
/// one with a `[workspace]` manifest. A path compiled into the binary would
/// name the checkout that built it, which with a shared target directory is
/// not always the one it runs in.
pub fn discover(root: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(root) = root {
        return Ok(root);
    }
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from)
        && manifest_dir.file_name().is_some_and(|name| name == "xtask")
        && let Some(parent) = manifest_dir.parent().filter(|p| is_workspace_root(p))
    {
        return Ok(parent.to_path_buf());
    }
    let current = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    current
        .ancestors()
        .find(|dir| is_workspace_root(dir))
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("no Cargo workspace at or above {}; run inside the workspace or pass --root DIR", current.display()))
}

impl Workspace {
    /// A workspace and its spec (default: its `openapi.yaml`).
    pub fn new(root: PathBuf, spec: Option<PathBuf>) -> Workspace {
        let spec = spec.unwrap_or_else(|| root.join(SPEC_FILE));
        Workspace { project: Project { root, spec } }
    }

    /// The spec and its list files, as the gate sees them.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Reads and parses a spec file, named as messages show it.
    pub fn read_spec(&self, path: &Path) -> Result<Spec, Error> {
        let name = self.relative(path);
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(&name, &e))?;
        Spec::parse(&name, &text)
    }

    /// Reads, validates and generates, all in memory: the files of the
    /// spec, then those of each server-generator fixture. An error names the
    /// spec it is about.
    pub fn generate(&self) -> Result<Vec<GeneratedFile>, Error> {
        let mut files = popsell_codegen::generate(&self.read_spec(&self.spec)?)?;
        for (name, path) in self.fixtures()? {
            let spec = self.read_spec(&path)?;
            openapi_spec::validate(&spec)?;
            let module = quote::format_ident!("{}", name);
            let generated = openapi_server_gen::standalone::module(&spec, "cargo xtask codegen", quote::quote!(crate::#module), quote::quote!(::openapi_server_runtime))?;
            files.extend(generated.into_iter().map(|f| GeneratedFile { path: format!("{FIXTURES_CRATE}/src/{name}/{}", f.path), contents: f.contents }));
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
