//! The gate in-process: inputs in a temporary directory, the library's
//! [`Report`] out, its exit code and renderings asserted. The binary is run
//! once at the end, end to end.

use std::path::Path;
use std::process::Command;

use openapi_compat::Level;
use openapi_gate::args::FailOn;
use openapi_gate::report::{Kind, Report};
use openapi_gate::{Format, Gate, Inputs, Project, Styles, diff, render};

/// A small API: `GET /items` with an optional `q`, answering an object
/// whose `state` is an enum of `values`, with `extra` properties.
fn spec(parameter: bool, values: &str, extra: &str) -> String {
    let parameter = if parameter { "      parameters:\n        - {name: q, in: query, schema: {type: string}}\n" } else { "" };
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /items:\n    get:\n      operationId: list\n{parameter}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  state: {{type: string, enum: [{values}]}}\n{extra}"
    )
}

/// One change at each level: the parameter removed (error), an enum value
/// added to a response (warning), a response property added (info).
fn leveled_pair() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yaml", &spec(true, "open", ""));
    write(dir.path(), "new.yaml", &spec(false, "open, closed", "                  note: {type: string}\n"));
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn gate(fail_on: FailOn, levels: Option<&str>, dir: &Path) -> Gate {
    Gate { fail_on: fail_on.into(), levels: levels.map(|l| dir.join(l)) }
}

fn files(dir: &Path, accepted: Option<&str>) -> Inputs {
    Inputs::Files { old: dir.join("old.yaml"), new: dir.join("new.yaml"), accepted: accepted.map(|a| dir.join(a)) }
}

fn project(dir: &Path) -> Project {
    Project { root: dir.to_owned(), spec: dir.join("openapi.yaml") }
}

fn run(dir: &Path, inputs: &Inputs, gate: &Gate) -> Report {
    diff(&project(dir), inputs, gate, None)
}

fn assert_valid(report: &Report) {
    let schema: serde_json::Value = serde_json::from_str(include_str!("../report.schema.json")).unwrap();
    let json = serde_json::to_value(report).unwrap();
    let errors: Vec<String> = jsonschema::validator_for(&schema).unwrap().iter_errors(&json).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn levels_fail_on_acceptances_and_the_levels_file_decide_the_exit_code() {
    let dir = leveled_pair();
    let d = dir.path();
    let report = run(d, &files(d, None), &gate(FailOn::Error, None, d));
    let s = &report.summary;
    assert_eq!((s.error, s.warning, s.info, s.failing, report.exit_code()), (1, 1, 1, 1, 1));
    let removed = report.findings.iter().find(|f| f.rule == "parameter-removed").unwrap();
    // A removal is located in the old file, at the parameter's line.
    assert_eq!((removed.file.ends_with("old.yaml"), removed.line), (true, Some(8)));
    assert_valid(&report);

    write(d, "accepted.yaml", "accepted:\n  - rule: parameter-removed\n    pointer: /paths/~1items/get/parameters/0\n    reason: nobody sends q\n");
    assert_eq!(run(d, &files(d, Some("accepted.yaml")), &gate(FailOn::Error, None, d)).exit_code(), 0);
    assert_eq!(run(d, &files(d, Some("accepted.yaml")), &gate(FailOn::Warning, None, d)).exit_code(), 1);

    write(d, "levels.yaml", "levels:\n  - rule: response-enum-value-added\n    level: error\n    reason: our clients decode enums closed\n");
    let raised = run(d, &files(d, Some("accepted.yaml")), &gate(FailOn::Error, Some("levels.yaml"), d));
    assert_eq!(raised.exit_code(), 1);
    assert_eq!(raised.findings.iter().find(|f| f.rule == "response-enum-value-added").and_then(|f| f.level).map(|l| l.as_str()), Some("error"));

    write(d, "levels.yaml", "levels:\n  - rule: response-enum-value-added\n    level: fatal\n    reason: r\n");
    let broken = run(d, &files(d, None), &gate(FailOn::Error, Some("levels.yaml"), d));
    assert_eq!(broken.exit_code(), 100);
    let problem = &broken.findings[0];
    assert_eq!((problem.kind, problem.line, problem.pointer.as_deref()), (Kind::Problem, Some(3), Some("/levels/0/level")));
    assert!(problem.message.contains("`fatal` is not a level"), "{}", problem.message);
}

#[test]
fn an_acceptance_matching_no_change_fails_and_says_where_it_is() {
    let dir = leveled_pair();
    let d = dir.path();
    write(d, "accepted.yaml", "accepted:\n  - rule: parameter-removed\n    pointer: /paths/~1other/get/parameters/0\n    reason: r\n");
    let report = run(d, &files(d, Some("accepted.yaml")), &gate(FailOn::Error, None, d));
    assert_eq!(report.exit_code(), 100);
    let stale = report.findings.iter().find(|f| f.kind == Kind::StaleAcceptance).unwrap();
    assert_eq!(stale.line, Some(2));
}

#[test]
fn an_invalid_spec_is_100_and_every_format_names_the_place() {
    let dir = leveled_pair();
    let d = dir.path();
    write(d, "new.yaml", &spec(true, "open", "                  note: {$ref: '#/components/schemas/Missing'}\n"));
    let report = run(d, &files(d, None), &gate(FailOn::Error, None, d));
    assert_eq!(report.exit_code(), 100);
    for format in [Format::Human, Format::Json, Format::Github, Format::Markdown, Format::Sarif, Format::Junit] {
        let text = render(&report, format, &Styles::PLAIN);
        assert!(text.contains("/note/$ref"), "{format:?}: {text}");
    }
    let missing = run(d, &Inputs::Files { old: d.join("old.yaml"), new: d.join("absent.yaml"), accepted: None }, &gate(FailOn::Error, None, d));
    assert_eq!(missing.exit_code(), 100);
    assert!(render(&missing, Format::Human, &Styles::PLAIN).contains("absent.yaml: at /: cannot read"));
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=gate", "-c", "user.email=gate@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_BASE_REF")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_spec_against_its_git_base_and_without_one() {
    for (branch, expected) in [("main", 1), ("trunk", 3)] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "openapi.yaml", &spec(true, "open", ""));
        git(d, &["init", "-q", "-b", branch]);
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", "base"]);
        write(d, "openapi.yaml", &spec(false, "open", ""));
        let report = run(d, &Inputs::Base(None), &Gate { fail_on: Level::Error, levels: None });
        assert_eq!(report.exit_code(), expected, "{branch}: {}", render(&report, Format::Human, &Styles::PLAIN));
        if expected == 3 {
            assert!(render(&report, Format::Human, &Styles::PLAIN).contains("pass `--base <ref>`"));
            let named = run(d, &Inputs::Base(Some(branch.into())), &Gate { fail_on: Level::Error, levels: None });
            assert_eq!(named.exit_code(), 1);
        } else {
            assert!(report.base.as_ref().unwrap().label.starts_with("main (merge-base "), "{:?}", report.base);
        }
    }
}

#[test]
fn the_binary_is_a_thin_shell_over_the_library() {
    let dir = leveled_pair();
    let d = dir.path();
    let gate = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_openapi-gate")).args(args).current_dir(d).env_remove("NO_COLOR").output().unwrap();
    let github = gate(&["old.yaml", "new.yaml", "--format", "github"]);
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert_eq!(github.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("::error file=old.yaml,line=8,col=11,title=parameter-removed (error)::"), "{stdout}");
    let coloured = gate(&["old.yaml", "new.yaml", "--color", "always"]);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\u{1b}[1;31m"), "--color always colours a pipe");
    let plain = gate(&["old.yaml", "new.yaml"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'), "auto: a pipe is not a terminal");
    assert_eq!(gate(&["old.yaml", "new.yaml", "--fail-on", "info", "--format", "json"]).status.code(), Some(1));
}

/// Runs `f` with the current directory at `dir` (relative inputs), one test at a time.
fn in_dir<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let before = std::env::current_dir().unwrap();
    std::env::set_current_dir(dir).unwrap();
    let result = f();
    std::env::set_current_dir(before).unwrap();
    result
}

#[test]
fn sarif_and_junit_reports_match_their_schemas() {
    let dir = leveled_pair();
    let d = dir.path();
    std::fs::write(d.join("accepted.yaml"), "accepted:\n  - rule: response-enum-value-added\n    pointer: /paths/~1items/get/responses/200/content/application~1json/schema/properties/state/enum/1\n    reason: clients were told\n").unwrap();
    // Relative names, as a CI job passes them.
    let inputs = Inputs::Files { old: "old.yaml".into(), new: "new.yaml".into(), accepted: Some(d.join("accepted.yaml")) };
    let report = in_dir(d, || run(d, &inputs, &gate(FailOn::Error, None, d)));
    assert_eq!(report.exit_code(), 1);
    let sarif = render(&report, Format::Sarif, &Styles::PLAIN);
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap_or_else(|e| panic!("{e}: {sarif}"));
    let mut schema: serde_json::Value = serde_json::from_str(include_str!("../schemas/sarif-2.1.0.schema.json")).unwrap();
    // The published schema's `language` patterns have a stray `]`
    // (`...{2}]?$`) that a strict regular-expression engine refuses; they
    // constrain a property this log does not write.
    for owner in ["run", "toolComponent"] {
        let language = schema.pointer_mut(&format!("/definitions/{owner}/properties/language/pattern")).unwrap();
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let removed = results.iter().find(|r| r["ruleId"] == "parameter-removed").unwrap();
    assert_eq!(removed["level"], "error");
    assert_eq!(removed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "old.yaml");
    assert_eq!(removed["locations"][0]["physicalLocation"]["region"]["startLine"], 8);
    let accepted = results.iter().find(|r| r["ruleId"] == "response-enum-value-added").unwrap();
    assert_eq!((accepted["level"].as_str(), accepted["suppressions"][0]["justification"].as_str()), (Some("warning"), Some("clients were told")));
    assert_eq!(results.iter().find(|r| r["ruleId"] == "response-property-added").unwrap()["level"], "note");

    let junit = render(&report, Format::Junit, &Styles::PLAIN);
    assert_eq!(junit.matches("<testcase ").count(), 3, "{junit}");
    assert_eq!(junit.matches("<failure ").count(), 1, "{junit}");
    assert!(junit.contains("classname=\"openapi.parameter-removed\""), "{junit}");
    assert_valid_xml(&junit, "schemas/junit-10.xsd");
}

/// Validates XML against an XSD with xmllint (libxml2), which CI installs;
/// elsewhere a missing xmllint skips the check, and says so.
fn assert_valid_xml(xml: &str, xsd: &str) {
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(xsd);
    let child = Command::new("xmllint").args(["--noout", "--schema"]).arg(&xsd).arg("-").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if std::env::var_os("CI").is_none() => return eprintln!("xmllint not run ({e}): the XML was not validated against {}", xsd.display()),
        Err(e) => panic!("xmllint is needed in CI (apt-get install libxml2-utils): {e}"),
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(xml.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}\n{xml}", String::from_utf8_lossy(&output.stderr));
}
