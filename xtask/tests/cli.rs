//! `cargo xtask check`, `codegen` and `openapi diff` as a contract
//! maintainer and a CI job use them: exit codes, status lines, diffs,
//! annotations, and a tree left untouched on failure. Each test works on a
//! copy of the workspace's spec and generated files in a temporary
//! directory (a git repository only where the test says so).

use std::path::{Path, PathBuf};
use std::process::Command;

const GENERATED: [&str; 5] = [
    "crates/popsell-types/src/generated.rs",
    "crates/popsell-types/src/utoipa_schemas.rs",
    "crates/popsell-client/src/generated.rs",
    "crates/popsell-server/src/generated.rs",
    "crates/popsell-cli/src/generated.rs",
];

/// The checkout these tests run in (at run time: see `workspace::discover`).
fn workspace_root() -> PathBuf {
    let xtask = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).expect("cargo test sets CARGO_MANIFEST_DIR");
    xtask.parent().unwrap().to_path_buf()
}

/// A temporary copy of the spec and the committed generated files, with a
/// `[workspace]` manifest so that it is found from inside.
fn copy_of_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in GENERATED.iter().chain(["openapi.yaml"].iter()) {
        let target = dir.path().join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(workspace_root().join(file), target).unwrap();
    }
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    dir
}

struct Run {
    code: i32,
    stdout: String,
}

fn execute(command: &mut Command) -> Run {
    let output = command.env("NO_COLOR", "1").output().unwrap();
    Run { code: output.status.code().unwrap(), stdout: String::from_utf8(output.stdout).unwrap() }
}

fn xtask(root: &Path, args: &[&str]) -> Run {
    execute(Command::new(env!("CARGO_BIN_EXE_xtask")).arg("--root").arg(root).args(args).env_remove("GITHUB_BASE_REF"))
}

/// Runs xtask from `dir` without `--root` nor `CARGO_MANIFEST_DIR`, as a
/// binary run by hand: file arguments and their names are relative to it.
fn xtask_in(dir: &Path, args: &[&str]) -> Run {
    execute(Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(dir).env_remove("CARGO_MANIFEST_DIR").env_remove("GITHUB_BASE_REF"))
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap()
}

fn edit_spec(root: &Path, from: &str, to: &str) {
    let spec = read(root, "openapi.yaml");
    assert!(spec.contains(from), "the spec no longer contains {from:?}");
    std::fs::write(root.join("openapi.yaml"), spec.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of the first occurrence of `text` in a file.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line contains {needle:?}")) + 1
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

const PER_PAGE_MAXIMUM: (&str, &str) = ("            maximum: 100\n", "            maximum: 50\n");

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

const DANGLING_REF: (&str, &str) = ("$ref: '#/components/schemas/Rating'", "$ref: '#/components/schemas/Ratings'");

#[test]
fn an_invalid_spec_fails_with_place_and_changes_nothing() {
    let dir = copy_of_workspace();
    // Make the generated files stale too: a failed codegen must not touch them.
    std::fs::write(dir.path().join(GENERATED[2]), "// stale\n").unwrap();
    edit_spec(dir.path(), DANGLING_REF.0, DANGLING_REF.1);
    let line = line_of(&read(dir.path(), "openapi.yaml"), DANGLING_REF.1);
    let expected = format!(
        "openapi.yaml:{line}:15: at /components/schemas/Chatroom/properties/last_rating/anyOf/0/$ref: $ref `#/components/schemas/Ratings` does not resolve"
    );

    for command in ["check", "codegen"] {
        let run = xtask(dir.path(), &[command]);
        assert_eq!(run.code, 100, "{command}: {}", run.stdout);
        assert!(run.stdout.contains("Failure openapi.yaml"), "{}", run.stdout);
        assert!(run.stdout.contains(&expected), "{}", run.stdout);
        assert!(run.stdout.contains("error: no file was generated or changed; fix openapi.yaml and run the command again"), "{}", run.stdout);
    }
    assert_eq!(read(dir.path(), GENERATED[2]), "// stale\n");
    assert_eq!(read(dir.path(), GENERATED[0]), read(&workspace_root(), GENERATED[0]));
}

#[test]
fn check_in_github_format_annotates_the_line_of_a_dangling_ref() {
    let dir = copy_of_workspace();
    edit_spec(dir.path(), DANGLING_REF.0, DANGLING_REF.1);
    let line = line_of(&read(dir.path(), "openapi.yaml"), DANGLING_REF.1);
    let run = xtask(dir.path(), &["check", "--format", "github"]);
    assert_eq!(run.code, 100, "{}", run.stdout);
    let errors: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert!(errors[0].starts_with(&format!("::error file=openapi.yaml,line={line},col=15,title=invalid-input::$ref")), "{}", errors[0]);
}

#[test]
fn a_broken_fixture_spec_is_named_in_the_error() {
    let dir = copy_of_workspace();
    let fixtures = dir.path().join("crates/openapi-server-gen/fixtures");
    std::fs::create_dir_all(&fixtures).unwrap();
    std::fs::write(fixtures.join("broken.yaml"), "openapi: 3.0.3\ninfo:\n  title: x\npaths: {}\n").unwrap();
    let run = xtask(dir.path(), &["check"]);
    assert_eq!(run.code, 100, "{}", run.stdout);
    assert!(run.stdout.contains("Failure crates/openapi-server-gen/fixtures/broken.yaml"), "{}", run.stdout);
    assert!(run.stdout.contains("fix crates/openapi-server-gen/fixtures/broken.yaml and run the command again"), "{}", run.stdout);
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

/// An xtask binary built in one checkout checks the checkout it is run
/// from: the workspace is found at run time, not compiled in.
#[test]
fn the_workspace_is_found_from_the_current_directory() {
    let dir = copy_of_workspace();
    edit_spec(dir.path(), NEW_FIELD.0, NEW_FIELD.1);
    let nested = dir.path().join("crates/popsell-types");
    let run = xtask_in(&nested, &["check"]);
    assert_eq!(run.code, 4, "{}", run.stdout);
    assert!(run.stdout.contains("Stale crates/popsell-types/src/generated.rs"), "{}", run.stdout);
    // The checkout that built the binary is fresh: it was not the one checked.
    assert_eq!(xtask_in(&workspace_root(), &["check"]).code, 0);
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
fn openapi_diff_reports_a_removed_parameter_at_its_line_in_the_old_file() {
    let dir = spec_pair(FLAG_FILTER, "");
    let run = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // Lines move with every edit of the spec; they are asserted below.
    insta::with_settings!({ filters => vec![(r"\.yaml:\d+:\d+", ".yaml:[line]:[column]")] }, {
        insta::assert_snapshot!("openapi_diff_breaking", run.stdout);
    });
    let line = line_of(&read(dir.path(), "old.yaml"), "- name: filter[flag]");
    assert!(run.stdout.contains(&format!("at old.yaml:{line}:11 (#/paths/")), "{}", run.stdout);

    let json = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml", "--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stdout);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["summary"]["error"], 1);
    assert_eq!(report["findings"][0]["rule"], "parameter-removed");
    assert_eq!(report["findings"][0]["file"], "old.yaml");
    assert_eq!(report["findings"][0]["line"], line);
    assert_valid_report(&report);
}

#[test]
fn openapi_diff_accepts_an_optional_response_field() {
    let dir = spec_pair(NEW_FIELD.0, NEW_FIELD.1);
    let run = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let markdown = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml", "--format", "markdown"]);
    assert_eq!(markdown.code, 0, "{}", markdown.stdout);
    let line = line_of(&read(dir.path(), "new.yaml"), "        nickname:");
    assert!(run.stdout.contains(&format!("at new.yaml:{line}:9 (#/components/schemas/Ambassador/properties/nickname)")), "{}", run.stdout);
    // Lines move with every edit of the spec; they are asserted above.
    insta::with_settings!({ filters => vec![(r"\.yaml:\d+:\d+", ".yaml:[line]:[column]")] }, {
        insta::assert_snapshot!("openapi_diff_compatible", run.stdout);
        insta::assert_snapshot!("openapi_diff_compatible_markdown", markdown.stdout);
    });
}

/// The README's transcripts are what the commands print: the positions in
/// them move with every edit of the spec above the place they show.
fn assert_readme_shows(line: &str) {
    let readme = read(&workspace_root(), "README.md");
    assert!(readme.contains(line), "README.md's example is out of date; the command now prints:\n{line}");
}

#[test]
fn the_readme_shows_what_the_commands_print() {
    let copy = copy_of_workspace();
    edit_spec(copy.path(), DANGLING_REF.0, DANGLING_REF.1);
    let invalid = xtask(copy.path(), &["codegen"]);
    assert_eq!(invalid.code, 100, "{}", invalid.stdout);
    let problem = invalid.stdout.lines().find(|l| l.trim_start().starts_with("openapi.yaml:")).unwrap_or_else(|| panic!("{}", invalid.stdout));
    assert_readme_shows(problem.trim_start());

    let dir = spec_pair(PER_PAGE_MAXIMUM.0, PER_PAGE_MAXIMUM.1);
    let run = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let place = run.stdout.lines().find(|l| l.trim_start().starts_with("at new.yaml:")).unwrap_or_else(|| panic!("{}", run.stdout));
    let line = line_of(&read(dir.path(), "new.yaml"), PER_PAGE_MAXIMUM.1.trim_end());
    assert!(place.contains(&format!("at new.yaml:{line}:13 (#/paths/")), "{place}");
    assert_readme_shows(&place.replace("new.yaml", "openapi.yaml"));

    let github = xtask_in(dir.path(), &["openapi", "diff", "old.yaml", "new.yaml", "--format", "github"]);
    let annotation = format!("::error file=new.yaml,line={line},col=13,title=request-range-narrowed (error)::");
    assert!(github.stdout.contains(&annotation), "{}", github.stdout);
    assert_readme_shows(&annotation.replace("new.yaml", "openapi.yaml"));
}

// The gate's own cases (levels, acceptances, invalid inputs, bases, the
// binary) are in-process tests of the library: crates/openapi-gate/tests/.
// These run the command end to end on this workspace's spec.

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=xtask", "-c", "user.email=xtask@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
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
    let line = line_of(&read(dir.path(), "openapi.yaml"), "- name: filter[flag]") + 6;
    let expected = format!(
        ":openapi.yaml:{line}:11: GET /chat/ambassadors/{{ambassador}}/chatrooms (get_ambassador_chatrooms): query parameter `filter[extra]` was removed [parameter-removed]"
    );
    let warning = run.stdout.lines().find(|l| l.starts_with("warning: ")).unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(warning.ends_with(&expected), "{warning}\nexpected the end: {expected}");

    let denied = xtask(dir.path(), &["check", "--deny-breaking"]);
    assert_eq!(denied.code, 1, "{}", denied.stdout);
    assert!(denied.stdout.contains("error: the spec breaks existing clients and --deny-breaking is set"), "{}", denied.stdout);

    let diff = xtask(dir.path(), &["openapi", "diff"]);
    assert_eq!(diff.code, 1, "{}", diff.stdout);
    assert!(diff.stdout.contains("Breaking parameter-removed [error] GET /chat/ambassadors/{ambassador}/chatrooms"), "{}", diff.stdout);
    assert_eq!(xtask(dir.path(), &["openapi", "diff", "--base", "HEAD"]).code, 1);

    // In GitHub format, the removal is annotated at its line in the base.
    let github = xtask(dir.path(), &["openapi", "diff", "--format", "github"]);
    let error = github.stdout.lines().find(|l| l.starts_with("::error ")).unwrap_or_else(|| panic!("{}", github.stdout));
    assert!(error.starts_with(&format!("::error file=openapi.yaml,line={line},col=11,title=parameter-removed (error)::")), "{error}");
}

#[test]
fn the_acceptance_file_accepts_a_break_until_it_lands() {
    let dir = git_checkout_with_a_breaking_change("main");
    let pointer = "/paths/~1chat~1ambassadors~1{ambassador}~1chatrooms/get/parameters/7";
    let entry = format!("accepted:\n  - rule: parameter-removed\n    pointer: {pointer}\n    reason: nobody sent filter[extra]\n");
    std::fs::write(dir.path().join("openapi-breaking.yaml"), &entry).unwrap();
    let run = xtask(dir.path(), &["check", "--deny-breaking"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("no breaking change (1 breaking change accepted)"), "{}", run.stdout);

    // Once landed, the entry accepts nothing more and is only noted.
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "remove filter[extra]"]);
    let landed = xtask(dir.path(), &["check", "--deny-breaking"]);
    assert_eq!(landed.code, 0, "{}", landed.stdout);
    assert!(landed.stdout.contains("note: openapi-breaking.yaml:2:5: accepted by a change that has landed"), "{}", landed.stdout);

    // A new entry that matches nothing fails the gate.
    std::fs::write(dir.path().join("openapi-breaking.yaml"), format!("{entry}  - rule: parameter-removed\n    pointer: /nowhere\n    reason: r\n")).unwrap();
    let stale = xtask(dir.path(), &["check", "--deny-breaking"]);
    assert_eq!(stale.code, 100, "{}", stale.stdout);
    assert!(stale.stdout.contains("error: openapi-breaking.yaml:5:5: this accepted change matches no change"), "{}", stale.stdout);
}

/// A pull request as CI checks it out: a feature branch, no local `main`,
/// `origin/main` present.
#[test]
fn in_a_ci_checkout_the_gate_finds_origin_main_and_fails_on_a_lowered_maximum() {
    let origin = copy_of_workspace();
    git(origin.path(), &["init", "-q", "-b", "main"]);
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "main"]);
    let parent = tempfile::tempdir().unwrap();
    let clone = parent.path().join("clone");
    git(parent.path(), &["clone", "-q", origin.path().to_str().unwrap(), "clone"]);
    git(&clone, &["checkout", "-q", "-b", "feature"]);
    git(&clone, &["branch", "-q", "-D", "main"]);
    edit_spec(&clone, PER_PAGE_MAXIMUM.0, PER_PAGE_MAXIMUM.1);
    assert_eq!(xtask(&clone, &["codegen"]).code, 0);

    let run = xtask(&clone, &["check", "--deny-breaking"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("against origin/main (merge-base "), "{}", run.stdout);
    assert!(run.stdout.contains("parameter `per_page`: `maximum` 100 became 50 [request-range-narrowed]"), "{}", run.stdout);

    // GitHub Actions names the base branch of a pull request: found as
    // `origin/$GITHUB_BASE_REF` when there is no `main` at all.
    git(&clone, &["update-ref", "refs/remotes/origin/release", "refs/remotes/origin/main"]);
    git(&clone, &["update-ref", "-d", "refs/remotes/origin/main"]);
    assert_eq!(xtask(&clone, &["check", "--deny-breaking"]).code, 3);
    let pull_request = execute(Command::new(env!("CARGO_BIN_EXE_xtask")).arg("--root").arg(&clone).args(["check", "--deny-breaking"]).env("GITHUB_BASE_REF", "release"));
    assert_eq!(pull_request.code, 1, "{}", pull_request.stdout);
    assert!(pull_request.stdout.contains("against origin/release (merge-base "), "{}", pull_request.stdout);
}

#[test]
fn with_no_base_the_gate_exits_3_and_says_how_to_fix_it() {
    let dir = git_checkout_with_a_breaking_change("trunk");
    let run = xtask(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let notes: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("note: breaking changes not checked: no base to compare with")).collect();
    assert_eq!(notes.len(), 1, "{}", run.stdout);

    let denied = xtask(dir.path(), &["check", "--deny-breaking"]);
    assert_eq!(denied.code, 3, "{}", denied.stdout);
    assert!(denied.stdout.contains("pass `--base <ref>`"), "{}", denied.stdout);
    assert_eq!(xtask(dir.path(), &["openapi", "diff"]).code, 3);
    // Outside git there is no base either.
    assert_eq!(xtask(copy_of_workspace().path(), &["check", "--deny-breaking"]).code, 3);
    // Naming the base explicitly works.
    assert_eq!(xtask(dir.path(), &["check", "--deny-breaking", "--base", "trunk"]).code, 1);
}

fn assert_valid_report(report: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(&read(&workspace_root(), "crates/openapi-gate/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(report).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn json_reports_match_their_schema() {
    let dir = git_checkout_with_a_breaking_change("main");
    for args in [&["check", "--format", "json"][..], &["openapi", "diff", "--format", "json"]] {
        let run = xtask(dir.path(), args);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
        assert_eq!(report["exit_code"], run.code);
        assert_valid_report(&report);
    }
}
