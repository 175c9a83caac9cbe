//! The project's spec against its base: the spec at the base revision,
//! the changes between them (at the project's levels), and how the
//! accepted-changes file (as it is now, and as it was at the base) judges
//! them. The two documents are read side by side, one per core: reading a
//! large document is most of a comparison's time.

use openapi_compat::Change;
use openapi_spec::{Document, Error};

use crate::accept::{self, Acceptance, Judgement};
use crate::git::{self, NoBase};
use crate::levels::{self, Override};
use crate::report::BaseInfo;
use crate::project::{ACCEPTED_FILE, Project, unreadable};

/// The spec against its base.
pub struct Comparison {
    /// The base.
    pub base: BaseInfo,
    /// The changes, at the project's levels.
    pub changes: Vec<Change>,
    /// How the accepted-changes file judges them.
    pub judgement: Judgement,
}

/// Why the spec was not compared.
pub enum NotCompared {
    /// No base revision (or no spec in it).
    NoBase(NoBase),
    /// The spec at the base does not load: nothing to compare with.
    BaseInvalid(String),
    /// The spec, the accepted-changes file or the levels file is invalid.
    Invalid(Error),
}

/// `a` and `b` run at once, on two threads.
pub fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        (a.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), b)
    })
}

/// The base spec, and its name in messages.
fn load_base(project: &Project, requested: Option<&str>) -> Result<(git::Base, String, Document), NotCompared> {
    let dir = project.spec_dir();
    let base = git::resolve(dir, requested).map_err(NotCompared::NoBase)?;
    let file = project.spec.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let name = format!("{}:{}", base.short, project.spec_name());
    let text = git::show(dir, &base.commit, &file).map_err(|e| NotCompared::NoBase(NoBase::Unresolved(format!("cannot read {name}: {e}"))))?;
    let old = openapi_compat::load(&name, &text).map_err(|e| {
        let first = e.diagnostics().first().map(ToString::to_string).unwrap_or_default();
        NotCompared::BaseInvalid(format!("the base spec is invalid: {first}"))
    })?;
    Ok((base, name, old))
}

/// The work tree's spec and the base's, read at once, then compared.
pub fn with_base(project: &Project, requested: Option<&str>, overrides: &[Override]) -> Result<Comparison, NotCompared> {
    let (new, old) = both(|| load_new(project), || load_base(project, requested));
    let new = new.map_err(NotCompared::Invalid)?;
    let (base, name, old) = old?;
    let mut changes = openapi_compat::diff(&old, &new);
    levels::apply(&mut changes, overrides);
    let dir = project.spec_dir();
    let current = accepted(project).map_err(NotCompared::Invalid)?;
    // The base's entries: those of changes that have landed.
    let landed = git::show(dir, &base.commit, ACCEPTED_FILE).ok().and_then(|text| accept::parse(ACCEPTED_FILE, &text).ok()).unwrap_or_default();
    let judgement = accept::judge(&changes, &current, &landed);
    // The process ends soon after: freeing two large documents, value by
    // value, would only delay the report.
    std::mem::forget((old, new));
    Ok(Comparison { base: BaseInfo { label: base.label, file: name }, changes, judgement })
}

/// The entries of the work tree's accepted-changes file (none when it is absent).
pub fn accepted(project: &Project) -> Result<Vec<Acceptance>, Error> {
    let path = project.accepted_file();
    match std::fs::read_to_string(&path) {
        Ok(text) => accept::parse(ACCEPTED_FILE, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(unreadable(ACCEPTED_FILE, &e)),
    }
}

/// The spec of the work tree, loaded for comparison.
pub fn load_new(project: &Project) -> Result<Document, Error> {
    let name = project.spec_name();
    let text = std::fs::read_to_string(&project.spec).map_err(|e| unreadable(&name, &e))?;
    openapi_compat::load(&name, &text)
}
