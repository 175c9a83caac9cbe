//! `cargo xtask check`, `codegen` and `openapi diff` as a contract
//! maintainer and a CI job use them: exit codes, status lines, diffs, and a
//! tree left untouched on failure. Each test works on a copy of the
//! workspace's spec and generated files in a temporary directory (a git
//! repository only where the test says so).

use std::path::{Path, PathBuf};
use std::process::Command;

const GENERATED: [&str; 4] = [
    "crates/popsell-types/src/generated.rs",
    "crates/popsell-types/src/utoipa_schemas.rs",
    "crates/popsell-client/src/generated.rs",
    "crates/popsell-server/src/generated.rs",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A temporary copy of the spec and the committed generated files.
fn copy_of_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in GENERATED.iter().chain(["openapi.yaml"].iter()) {
        let target = dir.path().join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(workspace_root().join(file), target).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    stdout: String,
}

fn xtask(root: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run { code: output.status.code().unwrap(), stdout: String::from_utf8(output.stdout).unwrap() }
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap()
}

fn edit_spec(root: &Path, from: &str, to: &str) {
    let spec = read(root, "openapi.yaml");
    assert!(spec.contains(from), "the spec no longer contains {from:?}");
    std::fs::write(root.join("openapi.yaml"), spec.replacen(from, to, 1)).unwrap();
}

/// The output with the diff's context and hunk positions left out, so the
/// snapshot shows the wording and the changed lines, not unrelated code.
fn without_diff_context(stdout: &str) -> String {
    const WORDS: [&str; 5] = ["Valid", "Fresh", "Stale", "Failure", "Updated"];
    stdout
        .lines()
        .filter(|line| {
            let status = line.trim_start().split(' ').next().is_some_and(|w| WORDS.contains(&w)) && line.starts_with("  ");
            let changed = line.starts_with('+') || line.starts_with('-');
            let summary = line.starts_with(|c: char| c.is_ascii_digit()) || line.starts_with("error:");
            status || changed || summary
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const NEW_FIELD: (&str, &str) = (
    "        anonymized:\n          type: boolean\n",
    "        anonymized:\n          type: boolean\n        nickname:\n          type: string\n          description: A new optional field.\n",
);

#[test]
fn check_passes_on_the_committed_tree() {
    let dir = copy_of_workspace();
    let run = xtask(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    insta::assert_snapshot!("check_fresh", run.stdout);
}

#[test]
fn a_spec_change_is_stale_until_regenerated_and_reverting_restores_the_bytes() {
    let dir = copy_of_workspace();
    let before: Vec<String> = GENERATED.iter().map(|f| read(dir.path(), f)).collect();

    edit_spec(dir.path(), NEW_FIELD.0, NEW_FIELD.1);
    let stale = xtask(dir.path(), &["check"]);
    assert_eq!(stale.code, 4, "{}", stale.stdout);
    insta::assert_snapshot!("check_stale_new_field", without_diff_context(&stale.stdout));
    // check wrote nothing.
    assert_eq!(read(dir.path(), GENERATED[0]), before[0]);

    let codegen = xtask(dir.path(), &["codegen"]);
    assert_eq!(codegen.code, 0, "{}", codegen.stdout);
    assert!(read(dir.path(), GENERATED[0]).contains("pub nickname: ::std::option::Option<::std::string::String>"));
    assert_eq!(xtask(dir.path(), &["check"]).code, 0);

    edit_spec(dir.path(), NEW_FIELD.1, NEW_FIELD.0);
    assert_eq!(xtask(dir.path(), &["codegen"]).code, 0);
    let after: Vec<String> = GENERATED.iter().map(|f| read(dir.path(), f)).collect();
    assert!(before == after, "regenerating the original spec must give the original bytes");
}

#[test]
fn an_invalid_spec_fails_with_pointer_and_changes_nothing() {
    let dir = copy_of_workspace();
    // Make the generated files stale too: a failed codegen must not touch them.
    std::fs::write(dir.path().join(GENERATED[2]), "// stale\n").unwrap();
    edit_spec(dir.path(), "$ref: '#/components/schemas/Rating'", "$ref: '#/components/schemas/Ratings'");

    for command in ["check", "codegen"] {
        let run = xtask(dir.path(), &[command]);
        assert_eq!(run.code, 100, "{command}: {}", run.stdout);
        assert!(run.stdout.contains("Failure openapi.yaml"), "{}", run.stdout);
        assert!(
            run.stdout.contains(
                "openapi.yaml: at /components/schemas/Chatroom/properties/last_rating/anyOf/0/$ref: $ref `#/components/schemas/Ratings` does not resolve"
            ),
            "{}",
            run.stdout
        );
    }
    assert_eq!(read(dir.path(), GENERATED[2]), "// stale\n");
    assert_eq!(read(dir.path(), GENERATED[0]), read(&workspace_root(), GENERATED[0]));
}

#[test]
fn a_missing_generated_file_is_stale_and_codegen_creates_it() {
    let dir = copy_of_workspace();
    std::fs::remove_file(dir.path().join(GENERATED[3])).unwrap();
    let run = xtask(dir.path(), &["check"]);
    assert_eq!(run.code, 4, "{}", run.stdout);
    assert!(run.stdout.contains(&format!("{} does not exist", GENERATED[3])), "{}", run.stdout);
    assert_eq!(xtask(dir.path(), &["codegen"]).code, 0);
    assert_eq!(read(dir.path(), GENERATED[3]), read(&workspace_root(), GENERATED[3]));
}

/// Runs xtask from `dir`, so that file arguments and their names in the
/// output are relative to it.
fn xtask_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap();
    Run { code: output.status.code().unwrap(), stdout: String::from_utf8(output.stdout).unwrap() }
}

const FLAG_FILTER: &str = "        - name: filter[flag]
          in: query
          required: false
          description: Only chatrooms whose last summary carries this flag.
          schema:
            $ref: '#/components/schemas/FlagFilter'
";

/// A directory with `old.yaml` (the real spec) and `new.yaml` (`from` replaced by `to`).
fn spec_pair(from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let spec = read(&workspace_root(), "openapi.yaml");
    assert!(spec.contains(from), "the spec no longer contains {from:?}");
    std::fs::write(dir.path().join("old.yaml"), &spec).unwrap();
    std::fs::write(dir.path().join("new.yaml"), spec.replacen(from, to, 1)).unwrap();
    dir
}

#[test]
fn openapi_diff_reports_a_removed_parameter_as_breaking() {
    let dir = spec_pair(FLAG_FILTER, "");
    let run = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    insta::assert_snapshot!("openapi_diff_breaking", run.stdout);

    let json = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stdout);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["breaking"], 1);
    assert_eq!(report["changes"][0]["rule"], "parameter-removed");
    assert_eq!(report["changes"][0]["document"], "old");
}

#[test]
fn openapi_diff_accepts_an_optional_response_field() {
    let dir = spec_pair(NEW_FIELD.0, NEW_FIELD.1);
    let run = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    insta::assert_snapshot!("openapi_diff_compatible", run.stdout);
}

#[test]
fn openapi_diff_of_an_invalid_spec_exits_100_with_file_and_pointer() {
    let dir = spec_pair("$ref: '#/components/schemas/Rating'", "$ref: '#/components/schemas/Ratings'");
    for format in ["human", "json"] {
        let run = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml", "--format", format]);
        assert_eq!(run.code, 100, "{}", run.stdout);
        assert!(run.stdout.contains("/components/schemas/Chatroom/properties/last_rating/anyOf/0/$ref"), "{}", run.stdout);
        assert!(run.stdout.contains("new.yaml"), "{}", run.stdout);
    }
    let missing = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "absent.yaml"]);
    assert_eq!(missing.code, 100, "{}", missing.stdout);
    assert!(missing.stdout.contains("absent.yaml: at /: cannot read"), "{}", missing.stdout);
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=xtask", "-c", "user.email=xtask@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

/// A copy of the workspace in a git repository whose `branch` holds the
/// spec with an extra optional parameter, and whose work tree holds the
/// real spec: removing that parameter is the breaking change.
fn git_checkout_with_a_breaking_change(branch: &str) -> tempfile::TempDir {
    let dir = copy_of_workspace();
    let extra = format!("{FLAG_FILTER}        - name: filter[extra]\n          in: query\n          schema:\n            type: string\n");
    edit_spec(dir.path(), FLAG_FILTER, &extra);
    git(dir.path(), &["init", "-q", "-b", branch]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    edit_spec(dir.path(), &extra, FLAG_FILTER);
    dir
}

#[test]
fn check_warns_about_breaking_changes_against_the_base_and_denies_them_on_request() {
    let dir = git_checkout_with_a_breaking_change("main");
    let run = xtask(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("    Breaking openapi.yaml against main (merge-base "), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "warning: GET /chat/ambassadors/{ambassador}/chatrooms (get_ambassador_chatrooms): query parameter `filter[extra]` was removed [parameter-removed] at /paths/~1chat~1ambassadors~1{ambassador}~1chatrooms/get/parameters/7"
        ),
        "{}",
        run.stdout
    );

    let denied = xtask(dir.path(), &["check", "--deny-breaking"]);
    assert_eq!(denied.code, 1, "{}", denied.stdout);
    assert!(denied.stdout.contains("error: the spec breaks existing clients and --deny-breaking is set"), "{}", denied.stdout);

    let diff = xtask(dir.path(), &["openapi", "diff"]);
    assert_eq!(diff.code, 1, "{}", diff.stdout);
    assert!(diff.stdout.contains("Breaking parameter-removed GET /chat/ambassadors/{ambassador}/chatrooms"), "{}", diff.stdout);
    assert_eq!(xtask(dir.path(), &["openapi", "diff", "--base", "HEAD"]).code, 1);
}

#[test]
fn check_notes_an_unresolvable_base_in_one_line_and_passes() {
    let dir = git_checkout_with_a_breaking_change("trunk");
    let run = xtask(dir.path(), &["check", "--deny-breaking"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let notes: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("note: breaking changes not checked: no merge-base of HEAD and `main`")).collect();
    assert_eq!(notes.len(), 1, "{}", run.stdout);

    let diff = xtask(dir.path(), &["openapi", "diff"]);
    assert_eq!(diff.code, 100, "{}", diff.stdout);
}
