//! Additive spec changes never break consumers' code, proven on a copy of
//! the workspace: optional properties added to the response schemas and an
//! optional query parameter added to an operation (of `openapi.yaml` and of
//! the server generator's fixture) leave every hand-written target building
//! and every test passing, snapshots aside (they show the change, for
//! review); a required property fails to compile where the type is built,
//! naming the field.
//!
//! Slow (it builds the copy from scratch: minutes on 2 cores), hence
//! ignored by `cargo test`; `.ci/run` runs it with `--ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    let xtask = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).expect("cargo test sets CARGO_MANIFEST_DIR");
    xtask.parent().unwrap().to_path_buf()
}

/// The committed files of the workspace, copied; a git repository (the
/// tidy tests list files with git). Its build goes to its own target
/// directory under this workspace's (kept between runs, so a second run is
/// incremental).
struct Copy {
    _dir: tempfile::TempDir,
    root: PathBuf,
    target: PathBuf,
}

fn copy_of_workspace(name: &str) -> Copy {
    let source = workspace_root();
    let files = Command::new("git").args(["ls-files", "-z"]).current_dir(&source).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("workspace");
    for file in String::from_utf8(files.stdout).unwrap().split('\0').filter(|f| !f.is_empty()) {
        let target = root.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        if let Err(e) = std::fs::copy(source.join(file), &target) {
            // A file deleted in the work tree but still in the index.
            assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{file}: {e}");
        }
    }
    for args in [&["init", "-q", "-b", "main"][..], &["add", "-A"], &["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "copy"]] {
        assert!(Command::new("git").args(args).current_dir(&root).status().unwrap().success());
    }
    Copy { _dir: dir, root, target: source.join("target").join(name) }
}

fn edit(root: &Path, file: &str, after: &str, insert: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(after), "{file} no longer contains {after:?}");
    std::fs::write(&path, text.replacen(after, &format!("{after}{insert}"), 1)).unwrap();
}

struct Output {
    success: bool,
    text: String,
}

fn cargo(copy: &Copy, args: &[&str]) -> Output {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(&copy.root)
        .env("CARGO_TARGET_DIR", &copy.target)
        .env("INSTA_FORCE_PASS", "1")
        .env("INSTA_UPDATE", "new")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Output { success: output.status.success(), text }
}

/// The lines of a cargo run that say what failed.
fn failures(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains("panicked at") || line.starts_with("error") || line.contains("FAILED") {
            out.extend(lines[i..(i + 4).min(lines.len())].iter().copied());
        }
    }
    out.join("\n")
}

fn codegen(copy: &Copy) {
    let run = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("--root").arg(&copy.root).arg("codegen").output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
}

/// The hand-written files the change touched: none may differ from the
/// commit but the spec, the generated files and new snapshots.
fn changed_files(copy: &Copy) -> Vec<String> {
    // `--ignored`: pending snapshots (`*.snap.new`) are ignored by git.
    let status = Command::new("git").args(["status", "--porcelain", "--untracked-files=all", "--ignored"]).current_dir(&copy.root).output().unwrap();
    String::from_utf8(status.stdout).unwrap().lines().map(|l| l[3..].to_owned()).collect()
}

// Names no other test adds: the copy runs every test, and a second edit
// adding the same property would make the spec invalid.
const OPTIONAL_PROPERTIES: [(&str, &str); 4] = [
    ("        anonymized:\n          type: boolean\n", "        pronouns:\n          type: string\n          nullable: true\n"),
    ("        type_discussion:\n          type: integer\n          format: int32\n", "        display_name:\n          type: string\n"),
    ("        total:\n          type: integer\n          format: int64\n", "        has_more:\n          type: boolean\n"),
    ("        status_moderation:\n          type: integer\n          format: int32\n", "        edited_at:\n          type: string\n          format: date-time\n          nullable: true\n"),
];

#[test]
#[ignore = "builds a copy of the workspace (minutes); .ci/run runs it with --ignored"]
fn optional_properties_and_parameters_break_no_hand_written_code() {
    let copy = copy_of_workspace("additive-copy");
    for (after, insert) in OPTIONAL_PROPERTIES {
        edit(&copy.root, "openapi.yaml", after, insert);
    }
    // An optional query parameter, in the spec and in the server generator's fixture.
    edit(
        &copy.root,
        "openapi.yaml",
        "            $ref: '#/components/schemas/ChatroomTypeFilter'\n",
        "        - name: filter[pinned]\n          in: query\n          required: false\n          description: Only pinned chatrooms.\n          schema:\n            type: boolean\n",
    );
    edit(
        &copy.root,
        "crates/openapi-server-gen/fixtures/two_operations.yaml",
        "      parameters:\n",
        "        - name: fields\n          in: query\n          required: false\n          schema:\n            type: string\n",
    );
    codegen(&copy);

    let build = cargo(&copy, &["build", "--workspace", "--all-targets", "--no-default-features"]);
    assert!(build.success, "the workspace no longer builds:\n{}", build.text);
    // Skipped: pending snapshots are the point here, and the README's
    // transcripts show places in the committed spec, which the copy edits.
    let test = cargo(
        &copy,
        &["test", "--workspace", "--no-default-features", "--no-fail-fast", "--", "--skip", "no_unreviewed_snapshots", "--skip", "the_readme_shows"],
    );
    assert!(test.success, "tests fail:\n{}", failures(&test.text));

    let changed = changed_files(&copy);
    let hand_written: Vec<&String> = changed
        .iter()
        .filter(|f| !(f.ends_with(".snap.new") || f.ends_with("generated.rs") || f.ends_with("utoipa_schemas.rs") || f.ends_with(".yaml")))
        .filter(|f| !f.starts_with("crates/openapi-server-fixtures/src/two_operations/"))
        .collect();
    assert!(hand_written.is_empty(), "files other than the spec, generated code and snapshots changed: {hand_written:?}");
    let snapshots: Vec<&String> = changed.iter().filter(|f| f.ends_with(".snap.new")).collect();
    assert!(!snapshots.is_empty(), "the change shows in no snapshot: {changed:?}");
}

#[test]
#[ignore = "builds a copy of the workspace (minutes); .ci/run runs it with --ignored"]
fn a_required_property_fails_to_compile_where_the_type_is_built_naming_the_field() {
    let copy = copy_of_workspace("additive-copy");
    edit(&copy.root, "openapi.yaml", "      required:\n        - id_chatroom\n", "        - nickname\n");
    edit(&copy.root, "openapi.yaml", "        type_discussion:\n          type: integer\n          format: int32\n", "        nickname:\n          type: string\n");
    // The spec's examples must have it too, or the spec is invalid.
    let spec = copy.root.join("openapi.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let mut lines = Vec::new();
    for line in text.lines() {
        lines.push(line.to_owned());
        if let Some((indent, _)) = line.split_once("- id_chatroom: ").filter(|(indent, _)| indent.trim().is_empty() && indent.len() > 16) {
            lines.push(format!("{indent}  nickname: Room"));
        }
    }
    std::fs::write(&spec, lines.join("\n") + "\n").unwrap();
    codegen(&copy);
    // The client's mock builds Chatroom values (feature `mock`).
    let build = cargo(&copy, &["build", "-p", "popsell-client", "--no-default-features", "--features", "mock"]);
    assert!(!build.success, "building a Chatroom without its new required field compiled");
    assert!(build.text.contains("nickname"), "the error does not name the field:\n{}", build.text);
}
