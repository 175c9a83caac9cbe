//! `cargo xtask server-gen` on real public OpenAPI 3.0 documents of other
//! projects (`crates/openapi-server-gen/fixtures/public/`, sources and
//! licenses in its README): each valid one becomes a crate that builds and
//! whose served document (`server::openapi()`) means what its spec says,
//! or is refused with `file:line:column`, pointer and reason; each invalid
//! one is refused with the pointer. The outcomes are a reviewed snapshot.
//!
//! Slow (it builds the generated crates): `#[ignore]`d in the README's
//! test command, run by `.ci/run`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    let xtask = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).expect("cargo test sets CARGO_MANIFEST_DIR");
    xtask.parent().unwrap().to_path_buf()
}

const FIXTURES: &str = "crates/openapi-server-gen/fixtures/public";

fn specs(root: &Path) -> Vec<String> {
    let mut specs = Vec::new();
    for kind in ["valid", "invalid"] {
        let dir = root.join(FIXTURES).join(kind);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            specs.push(format!("{FIXTURES}/{kind}/{name}"));
        }
    }
    specs.sort();
    specs
}

fn stem(spec: &str) -> String {
    Path::new(spec).file_stem().unwrap().to_string_lossy().into_owned()
}

/// The served document of a generated crate: a small example printing
/// `server::openapi()` as JSON, built and run.
fn served_document(root: &Path, dir: &Path, target: &Path) -> serde_json::Value {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let name = manifest.lines().find_map(|l| l.strip_prefix("name = \"")).unwrap().trim_end_matches('"').replace('-', "_");
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    std::fs::write(
        dir.join("examples/document.rs"),
        format!("fn main() {{ println!(\"{{}}\", serde_json::to_string(&{name}::server::openapi()).unwrap()); }}\n"),
    )
    .unwrap();
    // The workspace's versions of the dependencies: the build is the one
    // CI already fetched.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--example", "document"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    assert!(output.status.success(), "{} does not build or run:\n{}", dir.display(), String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
#[ignore = "builds a crate per public spec (a few minutes on 2 cores); run by .ci/run"]
fn public_specs_become_crates_that_build_or_are_refused_with_pointers() {
    let root = workspace_root();
    let out = root.join("target/server-gen-fixtures");
    let mut outcomes = String::new();
    let mut generated = Vec::new();
    for spec in specs(&root) {
        let dir = out.join(stem(&spec));
        let _ = std::fs::remove_dir_all(&dir);
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["server-gen", &spec, "--out"])
            .arg(&dir)
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let code = output.status.code().unwrap();
        outcomes.push_str(&format!("== {spec}: exit {code}\n"));
        for line in stdout.lines().filter(|l| !l.trim_start().starts_with("Updated") && !l.starts_with("build it:") && !l.contains("written to")) {
            outcomes.push_str(line);
            outcomes.push('\n');
        }
        if spec.contains("/invalid/") {
            assert_eq!(code, 100, "{spec} is invalid: {stdout}");
            assert!(stdout.contains("does not match the OpenAPI 3.0 schema"), "{spec}: {stdout}");
        }
        match code {
            0 => generated.push((spec, dir)),
            100 => assert!(!dir.join("Cargo.toml").exists(), "{spec}: refused, yet files were written"),
            other => panic!("{spec}: exit {other}: {stdout}"),
        }
    }
    insta::assert_snapshot!("public_specs", outcomes);
    assert!(generated.len() >= 3, "fewer public specs generated than expected: {generated:?}");
    let target = out.join("target");
    for (spec, dir) in &generated {
        let served = served_document(&root, dir, &target);
        let text = std::fs::read_to_string(root.join(spec)).unwrap();
        let source = openapi_spec::Spec::parse(spec, &text).unwrap();
        let (served, source) = (openapi_spec::normalize::table(&served), openapi_spec::normalize::table(&source.json));
        assert_eq!(served.operations.len(), source.operations.len(), "{spec}");
        for (key, operation) in &source.operations {
            assert_eq!(served.operations.get(key), Some(operation), "{spec}: {key}");
        }
        assert_eq!(served.schemas, source.schemas, "{spec}: component schemas");
    }
}
