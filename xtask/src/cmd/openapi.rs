//! `cargo xtask openapi diff`: whether a spec change breaks existing
//! clients. The old spec is the one at a git base (default: the merge-base
//! of `HEAD` with `main`, else `origin/main`, else the pull request's base
//! branch) or a file; detection is `openapi_compat`, display `output`.

use openapi_gate::args::DiffArgs;
use openapi_gate::report::Status;
use openapi_gate::{Styles, compare, read_spec, render};

use crate::workspace::Workspace;

/// `cargo xtask openapi diff`'s arguments: the gate's own, and the Rust
/// API verdict of this workspace's generated crates.
#[derive(clap::Args)]
pub struct Diff {
    #[command(flatten)]
    pub diff: DiffArgs,
    /// Also judge the public Rust API of the generated crates (git base only; slow).
    #[arg(long, conflicts_with = "old")]
    pub semver: bool,
}

/// The gate, printed; its exit code.
pub fn diff(workspace: &Workspace, args: &Diff, styles: &Styles) -> u8 {
    let semver = |requested: Option<&str>| crate::semver::check(workspace, requested);
    let rust_api: Option<openapi_gate::RustApiJudge> = if args.semver { Some(&semver) } else { None };
    let report = openapi_gate::diff(workspace.project(), &args.diff.inputs(), &args.diff.gate.gate(), rust_api);
    print!("{}", render(&report, args.diff.gate.format, styles));
    report.exit_code()
}

/// `cargo xtask openapi reduce`: the pair cut down, written only when the
/// comparison finds the same changes at `warning` and above on it as on
/// the whole pair.
pub fn reduce(old: &std::path::Path, new: &std::path::Path, out: &std::path::Path, styles: &Styles) -> Status {
    let (old, new) = compare::both(|| read_spec(old), || read_spec(new));
    let (old, new) = match old.and_then(|old| Ok((old, new?))) {
        Ok(specs) => specs,
        Err(error) => {
            print!("{}", styles.error(&error.to_string()));
            println!();
            return Status::Failure;
        }
    };
    let (reduced_old, reduced_new) = openapi_compat::reduce::reduce(&old.json, &new.json);
    // The verdict: every change at `warning` and above, as it is reported
    // (documentation and extensions are not in the reduced pair).
    let key = |changes: Vec<openapi_compat::Change>| -> Vec<String> {
        changes.into_iter().filter(|c| c.level > openapi_compat::Level::Info).map(|c| format!("{} {} {:?} {} {:?} {}", c.rule, c.level, c.document, c.pointer, c.operation, c.reason)).collect()
    };
    let (whole, reduced) = compare::both(|| key(openapi_compat::diff_values(&old.json, &new.json)), || key(openapi_compat::diff_values(&reduced_old, &reduced_new)));
    if whole != reduced {
        let lost: Vec<&String> = whole.iter().filter(|c| !reduced.contains(c)).collect();
        let gained: Vec<&String> = reduced.iter().filter(|c| !whole.contains(c)).collect();
        println!("{}", styles.error(&format!("the reduced pair compares differently; nothing written\n  only in the whole pair: {lost:#?}\n  only in the reduced pair: {gained:#?}")));
        return Status::Breaking;
    }
    // One line: a corpus of many pairs stays small (indentation would
    // double it); `jq .` reads it.
    let write = |name: &str, value: &serde_json::Value| std::fs::write(out.join(name), serde_json::to_string(value).expect("a document is JSON") + "\n");
    if let Err(e) = std::fs::create_dir_all(out).and_then(|()| write("old.json", &reduced_old)).and_then(|()| write("new.json", &reduced_new)) {
        println!("{}", styles.error(&format!("{}: {e}", out.display())));
        return Status::Failure;
    }
    let size = |v: &serde_json::Value| serde_json::to_string(v).map(|s| s.len()).unwrap_or(0);
    println!(
        "{}",
        styles.status_line(
            openapi_gate::Word::Updated,
            &format!("{} ({} changes; {} + {} bytes of {} + {})", out.display(), whole.len(), size(&reduced_old), size(&reduced_new), size(&old.json), size(&new.json))
        )
    );
    Status::Ok
}
