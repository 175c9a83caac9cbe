//! Where things are: the workspace root, its spec, and the spec as of a
//! git revision (the base that spec changes are compared with).

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The default base: the merge-base of `HEAD` with this branch.
pub const BASE_BRANCH: &str = "main";

/// The spec at the base revision.
pub struct BaseSpec {
    /// How the base was chosen: `main (merge-base 1a2b3c4)`, or the ref given.
    pub label: String,
    /// Its name in messages, git style: `1a2b3c4:openapi.yaml`.
    pub name: String,
    pub text: String,
}

/// Why there is no base spec.
pub enum NoBase {
    /// The workspace is not in a git checkout (or git is missing).
    NotGit(String),
    /// In a git checkout, but the revision or the file does not resolve.
    Unresolved(String),
}

impl NoBase {
    pub fn message(&self) -> &str {
        match self {
            NoBase::NotGit(message) | NoBase::Unresolved(message) => message,
        }
    }
}

/// Runs git in `dir`; its stdout, or its first stderr line.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git").args(args).current_dir(dir).output().map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("git failed").trim_start_matches("fatal: ").to_owned())
    }
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

    /// The spec as committed at `base` (default: the merge-base of `HEAD`
    /// with [`BASE_BRANCH`]), read with `git show`.
    pub fn base_spec(&self, base: Option<&str>) -> Result<BaseSpec, NoBase> {
        let dir = self.spec.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match git(dir, &["rev-parse", "--is-inside-work-tree"]) {
            Ok(inside) if inside.trim() == "true" => {}
            Ok(_) => return Err(NoBase::NotGit(format!("{} is not in a git work tree", dir.display()))),
            Err(message) => return Err(NoBase::NotGit(message)),
        }
        // The revision, how messages name it, and how it was chosen.
        let (revision, short, label) = match base {
            Some(base) => (base.to_owned(), base.to_owned(), base.to_owned()),
            None => {
                let commit = git(dir, &["merge-base", "HEAD", BASE_BRANCH])
                    .map_err(|e| NoBase::Unresolved(format!("no merge-base of HEAD and `{BASE_BRANCH}`: {e}")))?
                    .trim()
                    .to_owned();
                let short = commit.get(..7).unwrap_or(&commit).to_owned();
                let label = format!("{BASE_BRANCH} (merge-base {short})");
                (commit, short, label)
            }
        };
        git(dir, &["rev-parse", "--verify", "--quiet", &format!("{revision}^{{commit}}")])
            .map_err(|_| NoBase::Unresolved(format!("`{revision}` is not a commit")))?;
        let file = self.spec.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let name = format!("{short}:{}", self.spec_name());
        let text = git(dir, &["show", &format!("{revision}:./{file}")])
            .map_err(|e| NoBase::Unresolved(format!("cannot read {name}: {e}")))?;
        Ok(BaseSpec { label, name, text })
    }

    /// The committed text of a generated file (`None` when missing).
    pub fn read(&self, file: &GeneratedFile) -> Option<String> {
        std::fs::read_to_string(self.root.join(&file.path)).ok()
    }
}
