//! The generators' own rules, which the OpenAPI schema does not express:
//! progenitor names methods after `operationId`s and gives one operation
//! one error type.

use openapi_spec::document::{operations, resolve};
use openapi_spec::{Diagnostic, Error, Spec};

/// Every check of a spec the generators accept: [`openapi_spec::validate`]
/// (schema, `$ref`s, examples), then the generators' rules. All problems
/// are returned, not only the first.
pub fn validate(spec: &Spec) -> Result<(), Error> {
    let mut problems = match openapi_spec::validate(spec) {
        Ok(()) => Vec::new(),
        Err(Error::Invalid(problems)) => problems,
        Err(other) => return Err(other),
    };
    problems.extend(generator_rules(spec));
    if problems.is_empty() { Ok(()) } else { Err(Error::Invalid(problems)) }
}

fn generator_rules(spec: &Spec) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for operation in operations(&spec.json) {
        if operation.loc.str("operationId").is_none() {
            problems.push(spec.diagnostic(&operation.loc.pointer, "every operation needs an `operationId` (it names the generated method)"));
        }
        let mut error_schemas: Vec<(String, Option<serde_json::Value>)> = Vec::new();
        for (status, response) in operation.loc.entries_at("responses") {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let schema = resolve(&spec.json, response).value.pointer("/content/application~1json/schema").cloned();
            if !error_schemas.iter().any(|(_, s)| *s == schema) {
                error_schemas.push((status.clone(), schema));
            }
        }
        if error_schemas.len() > 1 {
            let statuses: Vec<_> = error_schemas.iter().map(|(s, _)| s.as_str()).collect();
            problems.push(spec.diagnostic(
                format!("{}/responses", operation.loc.pointer),
                format!("error responses {} have different schemas; the client generator needs one error schema per operation", statuses.join(", ")),
            ));
        }
    }
    problems
}
