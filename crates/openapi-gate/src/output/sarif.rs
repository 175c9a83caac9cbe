//! The report as SARIF 2.1.0, the format code-scanning services read
//! (GitHub's among them): one run, every rule of the table in the driver
//! with its default level, one result per finding with its rule, level and
//! place. Accepted changes are results with an external suppression.
//! <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>

use serde_json::{Value, json};

use crate::report::{ChangeLevel, Finding, Report, Severity};

pub fn render(report: &Report) -> String {
    let mut rules: Vec<Value> = openapi_compat::RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "shortDescription": {"text": rule.id},
                "fullDescription": {"text": rule.description},
                "defaultConfiguration": {"level": sarif_level(rule.level.into())},
            })
        })
        .collect();
    // What is not a change has a rule of its own (`invalid-input`, ...).
    for finding in &report.findings {
        if openapi_compat::rule(&finding.rule).is_none() && !rules.iter().any(|r| r["id"] == finding.rule.as_str()) {
            rules.push(json!({"id": finding.rule, "shortDescription": {"text": finding.rule}}));
        }
    }
    let results: Vec<Value> = report.findings.iter().map(|finding| result(finding, &rules)).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "openapi-compat",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
            "properties": {"command": report.command, "exitCode": report.exit_code, "failOn": report.fail_on.as_str()},
        }],
    });
    serde_json::to_string_pretty(&log).expect("a SARIF log is JSON") + "\n"
}

fn result(finding: &Finding, rules: &[Value]) -> Value {
    let level = match (finding.level, finding.severity) {
        (Some(level), _) => sarif_level(level),
        (None, Severity::Error) => "error",
        (None, Severity::Warning) => "warning",
        (None, Severity::Notice) => "note",
    };
    let mut text = match &finding.operation {
        Some(operation) => format!("{operation}: {}", finding.message),
        None => finding.message.clone(),
    };
    if let Some(fix) = &finding.fix {
        text.push_str(&format!(" Fix: {fix}"));
    }
    let mut physical = json!({"artifactLocation": {"uri": finding.path}});
    if let (Some(line), Some(column)) = (finding.line, finding.column) {
        physical["region"] = json!({"startLine": line, "startColumn": column});
    }
    let mut location = json!({"physicalLocation": physical});
    if let Some(pointer) = finding.pointer.as_deref().filter(|p| !p.is_empty()) {
        location["logicalLocations"] = json!([{"fullyQualifiedName": pointer, "kind": "member"}]);
    }
    let mut result = json!({
        "ruleId": finding.rule,
        "level": level,
        "message": {"text": text},
        "locations": [location],
    });
    if let Some(index) = rules.iter().position(|r| r["id"] == finding.rule.as_str()) {
        result["ruleIndex"] = json!(index);
    }
    if finding.file != finding.path {
        result["properties"] = json!({"file": finding.file});
    }
    if let Some(reason) = &finding.accepted {
        result["suppressions"] = json!([{"kind": "external", "justification": reason}]);
    }
    result
}

fn sarif_level(level: ChangeLevel) -> &'static str {
    match level {
        ChangeLevel::Error => "error",
        ChangeLevel::Warning => "warning",
        ChangeLevel::Info => "note",
    }
}
