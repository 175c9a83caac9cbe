//! The operations of a document, as the generator needs them.

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::Value;

use crate::Error;
use crate::spec::{METHODS, resolve, schema_ref_name, str_field, token};

pub(crate) struct Operation {
    pub id: String,
    pub method: &'static str,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// `None`: the document's default; `Some(names)`: this operation's own.
    pub security: Option<Vec<String>>,
    pub bearer: bool,
}

impl Operation {
    pub fn fn_name(&self) -> String {
        self.id.to_snake_case()
    }

    pub fn type_prefix(&self) -> String {
        self.id.to_pascal_case()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

pub(crate) struct Param {
    pub name: String,
    pub field: String,
    pub location: Location,
    pub required: bool,
    pub description: Option<String>,
    pub ty: ParamType,
    /// The default, from the parameter's schema or the component it names.
    pub default: Option<Value>,
    /// Whether the default lives in a referenced component (not repeated in
    /// the parameter's own documentation).
    pub default_in_component: bool,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// The bounds as written in the spec (for the documentation).
    pub bounds_as_written: (Option<Value>, Option<Value>),
}

pub(crate) enum ParamType {
    /// A component schema, by name, with the kind of its values.
    Component { name: String, kind: ValueKind },
    Int32,
    Int64,
    Number,
    Boolean,
    DateTime,
    Text,
}

#[derive(Clone, Copy)]
pub(crate) enum ValueKind {
    Integer,
    Number,
    Boolean,
    DateTime,
    Enum,
    Text,
}

pub(crate) struct Body {
    pub schema: BodySchema,
    pub required: bool,
    pub description: Option<String>,
}

pub(crate) enum BodySchema {
    Component(String),
    Json,
}

pub(crate) struct Response {
    pub status: u16,
    pub variant: String,
    pub description: String,
    pub body: Option<BodySchema>,
}

/// Every operation of the document, in document order.
pub(crate) fn operations(doc: &Value) -> Result<Vec<Operation>, Error> {
    let bearer_schemes: Vec<&str> = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| str_field(s, "type") == Some("http") && str_field(s, "scheme").is_some_and(|x| x.eq_ignore_ascii_case("bearer")))
        .map(|(name, _)| name.as_str())
        .collect();
    let default_security = security_names(doc.get("security"));
    let mut operations = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let item_pointer = format!("/paths/{}", token(path));
        let shared = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let pointer = format!("{item_pointer}/{method}");
            let id = str_field(operation, "operationId")
                .ok_or_else(|| Error::at(&pointer, "every operation needs an operationId"))?
                .to_owned();
            let own = operation.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            let mut params: Vec<Param> = Vec::new();
            let declared = shared
                .iter()
                .enumerate()
                .map(|(i, raw)| (raw, format!("{item_pointer}/parameters/{i}")))
                .chain(own.iter().enumerate().map(|(i, raw)| (raw, format!("{pointer}/parameters/{i}"))));
            for (raw, here) in declared {
                let parameter = param(doc, resolve(doc, raw), &here)?;
                // An operation's parameter overrides the path item's of the same name and location.
                params.retain(|p| !(p.name == parameter.name && p.location == parameter.location));
                if let Some(clash) = params.iter().find(|p| p.location == parameter.location && p.field == parameter.field) {
                    return Err(Error::at(here, format!("`{}` and `{}` would both be the Rust field `{}`", clash.name, parameter.name, parameter.field)));
                }
                params.push(parameter);
            }
            let security = operation.get("security").map(|s| security_names(Some(s)));
            let effective = security.clone().unwrap_or_else(|| default_security.clone());
            let requirements = operation.get("security").or_else(|| doc.get("security")).and_then(Value::as_array);
            let alternatives = requirements.map_or(0, Vec::len);
            let supported = match (alternatives, effective.as_slice()) {
                (0, []) => true,
                (1, [only]) => bearer_schemes.contains(&only.as_str()),
                _ => false,
            };
            if !supported {
                return Err(Error::at(
                    format!("{pointer}/security"),
                    "the server generator supports no security or one bearer scheme per operation (no alternatives, no API keys)",
                ));
            }
            // The runtime answers 401 and 422 itself: the spec must say so.
            let responses = responses(doc, operation, &pointer)?;
            let documented = |status: u16| responses.iter().any(|r| r.status == status);
            let bearer = effective.iter().any(|name| bearer_schemes.contains(&name.as_str()));
            if bearer && !documented(401) {
                return Err(Error::at(format!("{pointer}/responses"), "an operation behind a bearer token must document 401 (the server answers it)"));
            }
            if (!params.is_empty() || operation.get("requestBody").is_some()) && !documented(422) {
                return Err(Error::at(format!("{pointer}/responses"), "an operation with parameters or a body must document 422 (the server answers invalid input with it)"));
            }
            operations.push(Operation {
                method,
                path: path.clone(),
                summary: str_field(operation, "summary").map(str::to_owned),
                description: str_field(operation, "description").map(str::to_owned),
                tags: operation
                    .get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                params,
                body: operation.get("requestBody").map(|b| body(doc, resolve(doc, b), &format!("{pointer}/requestBody"))).transpose()?,
                responses,
                bearer,
                security,
                id,
            });
        }
    }
    Ok(operations)
}

fn security_names(security: Option<&Value>) -> Vec<String> {
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().cloned())
        .collect()
}

/// Schema keywords of a parameter the generated parsing would not enforce.
const UNENFORCED: [&str; 5] = ["exclusiveMinimum", "exclusiveMaximum", "pattern", "minLength", "maxLength"];

fn param(doc: &Value, raw: &Value, pointer: &str) -> Result<Param, Error> {
    let name = str_field(raw, "name").ok_or_else(|| Error::at(pointer, "a parameter needs a name"))?.to_owned();
    let location = match str_field(raw, "in") {
        Some("path") => Location::Path,
        Some("query") => Location::Query,
        Some("header") => Location::Header,
        other => return Err(Error::at(pointer, format!("parameters in {other:?} are not supported (path, query and header are)"))),
    };
    let schema = raw.get("schema").ok_or_else(|| Error::at(pointer, "a parameter needs a schema"))?;
    let target = resolve(doc, schema);
    if let Some(keyword) = UNENFORCED.iter().find(|k| target.get(**k).is_some()) {
        return Err(Error::at(format!("{pointer}/schema"), format!("`{keyword}` on a parameter is not enforced by the server generator")));
    }
    let ty = match schema_ref_name(schema) {
        Some(component) => ParamType::Component { name: component.to_owned(), kind: value_kind(target) },
        None => inline_type(schema).ok_or_else(|| {
            Error::at(
                format!("{pointer}/schema"),
                "this parameter schema has no Rust type here: use an integer, number, boolean or string, or a $ref to a component schema (for enums)",
            )
        })?,
    };
    let number = |key: &str| target.get(key).and_then(Value::as_f64);
    let field = match location {
        Location::Header => name.to_snake_case(),
        _ => name.replace(['[', '.', '-'], "_").replace(']', "").to_snake_case(),
    };
    Ok(Param {
        field,
        location,
        required: raw.get("required") == Some(&Value::Bool(true)),
        description: str_field(raw, "description").map(str::to_owned),
        default: target.get("default").cloned(),
        default_in_component: schema_ref_name(schema).is_some(),
        minimum: number("minimum"),
        maximum: number("maximum"),
        bounds_as_written: (target.get("minimum").cloned(), target.get("maximum").cloned()),
        ty,
        name,
    })
}

fn inline_type(schema: &Value) -> Option<ParamType> {
    if schema.get("enum").is_some() {
        return None;
    }
    Some(match (str_field(schema, "type")?, str_field(schema, "format")) {
        ("integer", Some("int32")) => ParamType::Int32,
        ("integer", _) => ParamType::Int64,
        ("number", _) => ParamType::Number,
        ("boolean", _) => ParamType::Boolean,
        ("string", Some("date-time")) => ParamType::DateTime,
        ("string", _) => ParamType::Text,
        _ => return None,
    })
}

fn value_kind(schema: &Value) -> ValueKind {
    if schema.get("enum").is_some() {
        return ValueKind::Enum;
    }
    match (str_field(schema, "type"), str_field(schema, "format")) {
        (Some("integer"), _) => ValueKind::Integer,
        (Some("number"), _) => ValueKind::Number,
        (Some("boolean"), _) => ValueKind::Boolean,
        (Some("string"), Some("date-time")) => ValueKind::DateTime,
        _ => ValueKind::Text,
    }
}

fn json_schema(doc: &Value, owner: &Value, pointer: &str) -> Result<Option<BodySchema>, Error> {
    let Some(content) = owner.get("content").and_then(Value::as_object) else { return Ok(None) };
    let Some(media) = content.get("application/json") else {
        let types: Vec<&String> = content.keys().collect();
        return Err(Error::at(format!("{pointer}/content"), format!("only application/json bodies are supported, found {types:?}")));
    };
    let _ = doc;
    Ok(Some(match media.get("schema").and_then(schema_ref_name) {
        Some(name) => BodySchema::Component(name.to_owned()),
        None => BodySchema::Json,
    }))
}

fn body(doc: &Value, raw: &Value, pointer: &str) -> Result<Body, Error> {
    let schema = json_schema(doc, raw, pointer)?.ok_or_else(|| Error::at(pointer, "a request body needs content"))?;
    Ok(Body {
        schema,
        required: raw.get("required") == Some(&Value::Bool(true)),
        description: str_field(raw, "description").map(str::to_owned),
    })
}

fn responses(doc: &Value, operation: &Value, pointer: &str) -> Result<Vec<Response>, Error> {
    let mut out = Vec::new();
    for (status, raw) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let here = format!("{pointer}/responses/{}", token(status));
        let code: u16 = status.parse().map_err(|_| Error::at(&here, "only numeric status codes are supported (no `default` or `4XX`)"))?;
        let reason = http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .ok_or_else(|| Error::at(&here, format!("{code} is not a status code with a name")))?;
        let raw = resolve(doc, raw);
        out.push(Response {
            status: code,
            variant: reason.to_pascal_case(),
            description: str_field(raw, "description").unwrap_or_default().to_owned(),
            body: json_schema(doc, raw, &here)?,
        });
    }
    out.sort_by_key(|r| r.status);
    Ok(out)
}
