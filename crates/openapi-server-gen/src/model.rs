//! The document as the server generator needs it: operations with typed
//! parameters, bodies, responses and security, and the statuses the
//! runtime answers itself. Read through `openapi_spec::document` (one
//! resolver that ends on `$ref` cycles, one operation iterator that
//! merges the path item's parameters); every refusal names its pointer.

use heck::{ToPascalCase, ToSnakeCase};
use openapi_spec::document::{self, Loc};
use openapi_spec::model::{OperationModel, ParameterIn, ParameterModel, SchemaFacts};
use serde_json::Value;

use crate::names::{rust_type_name, variant_of_status};
use crate::{Error, Settings};

/// The whole document.
pub(crate) struct Model {
    pub operations: Vec<Operation>,
    /// The security schemes the operations use, in document order.
    pub schemes: Vec<Scheme>,
    /// The body of every response the runtime answers itself, when one of
    /// them has content (they must agree).
    pub refusal_body: Option<RefusalBody>,
}

/// The body type of the runtime's refusals and the media type it is sent as.
pub(crate) struct RefusalBody {
    pub ty: BodyType,
    pub media_type: String,
}

pub(crate) struct Operation {
    pub id: String,
    pub method: &'static str,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// `None`: nothing required (no security, or only `{}`).
    pub security: Option<Security>,
    /// Whether the operation declares `security` itself (else the document's applies).
    pub own_security: Option<Vec<Vec<String>>>,
    pub refusals: Refusals,
}

impl Operation {
    pub fn fn_name(&self) -> String {
        self.id.to_snake_case()
    }

    pub fn type_prefix(&self) -> String {
        self.id.to_pascal_case()
    }
}

/// Which response answers each refusal of the runtime, and with which status.
#[derive(Default)]
pub(crate) struct Refusals {
    pub unauthenticated: Option<Answer>,
    pub invalid: Option<Answer>,
    pub unsupported_media_type: Option<Answer>,
    pub body_unreadable: Option<Answer>,
}

impl Refusals {
    /// Every answer, each status once, the validation one last (it is the
    /// fallback arm).
    pub fn distinct(&self) -> Vec<Answer> {
        let mut found: Vec<Answer> = Vec::new();
        for answer in [self.unauthenticated, self.unsupported_media_type, self.body_unreadable, self.invalid].into_iter().flatten() {
            found.retain(|a| a.status != answer.status);
            found.push(answer);
        }
        found
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Answer {
    pub status: u16,
    /// Index in the operation's responses.
    pub response: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// Whether a media range admits a JSON body (`*/*`, `application/*`).
pub(crate) fn admits_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    matches!(essence.as_str(), "*/*" | "application/*") || classify(&essence) == Format::Json
}

pub(crate) struct Param {
    pub name: String,
    pub field: String,
    pub location: Location,
    pub required: bool,
    pub description: Option<String>,
    pub ty: RustType,
    pub kind: KindSpec,
    /// The default, from the parameter's schema or the component it names.
    pub default: Option<Value>,
}

impl Param {
    /// Whether a request can get it wrong: a path parameter of any text
    /// cannot (a path that is not UTF-8 matches no route's text).
    pub fn can_fail(&self) -> bool {
        let any_text = matches!(self.kind, KindSpec::Text { min_length: None, max_length: None, pattern: None });
        !(any_text && (self.location == Location::Path || !self.required))
    }
}

/// A parameter's or header's Rust type.
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum RustType {
    /// A component schema's generated type.
    Component(String),
    Int(&'static str),
    F64,
    Bool,
    DateTime,
    String,
    Json,
    JsonObject,
    Vec(Box<RustType>),
}

/// What the runtime checks of a parameter's text (mirrors `rt::Kind`).
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum KindSpec {
    Integer(BoundsSpec),
    Number(BoundsSpec),
    Boolean,
    DateTime,
    Enum,
    Any,
    OneOf(Vec<String>),
    Text { min_length: Option<u64>, max_length: Option<u64>, pattern: Option<String> },
    Array { items: Box<KindSpec>, style: ArrayStyle, min_items: Option<u64>, max_items: Option<u64> },
    Object { properties: Vec<(String, KindSpec)> },
}

#[derive(Clone, Copy, PartialEq, Debug, Default)]
pub(crate) struct BoundsSpec {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ArrayStyle {
    Exploded,
    Comma,
    Space,
    Pipe,
}

/// The schema of a decoded body: a component (its generated type) or
/// written inline (a `serde_json::Value`).
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum BodyType {
    Component(String),
    Inline(Value),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Format {
    Json,
    Form,
    Raw,
}

pub(crate) struct RequestBody {
    /// `None`: not decoded (raw bytes with their media type).
    pub ty: Option<BodyType>,
    pub media_types: Vec<(String, Format)>,
    pub required: bool,
    pub description: Option<String>,
}

impl RequestBody {
    /// Whether some media types are decoded and others passed as bytes.
    pub fn mixed(&self) -> bool {
        self.ty.is_some() && self.media_types.iter().any(|(_, f)| *f == Format::Raw)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum StatusKey {
    Code(u16),
    /// `1XX` … `5XX`, by its first digit.
    Range(u16),
    Default,
}

pub(crate) struct Response {
    pub key: StatusKey,
    pub variant: String,
    pub description: String,
    pub content: Content,
    pub headers: Vec<ResponseHeader>,
    pub pointer: String,
}

impl Response {
    /// Whether the service (or the runtime) chooses the status: a range or `default`.
    pub fn carries_status(&self) -> bool {
        !matches!(self.key, StatusKey::Code(_))
    }

}

pub(crate) enum Content {
    None,
    /// JSON of one schema (sent as `media_type`, the first JSON one), and
    /// maybe other representations (`others`: XML, text), which the
    /// service gives as bytes.
    Json { ty: BodyType, media_type: String, media_types: Vec<String>, others: Vec<String> },
    Raw { media_types: Vec<String> },
}

impl Content {
    /// Whether the service chooses among representations (and so is
    /// given the request's `Accept`).
    pub fn negotiated(&self) -> bool {
        match self {
            Content::Json { others, .. } => !others.is_empty(),
            Content::Raw { media_types } => media_types.len() > 1,
            Content::None => false,
        }
    }
}

pub(crate) struct ResponseHeader {
    /// As the spec writes it.
    pub name: String,
    pub field: String,
    pub required: bool,
    pub ty: RustType,
    pub description: Option<String>,
}

pub(crate) struct Scheme {
    pub name: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

impl Scheme {
    pub fn variant(&self) -> String {
        rust_type_name(&self.name)
    }

    pub fn field(&self) -> String {
        self.name.to_snake_case()
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum SchemeKind {
    Bearer,
    Basic,
    ApiKey { location: KeyIn, name: String },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum KeyIn {
    Header,
    Query,
    Cookie,
}

/// The security an operation requires: alternatives, each a set of
/// schemes that must all be presented; an empty one is anonymous access.
pub(crate) struct Security {
    pub alternatives: Vec<Vec<String>>,
}

impl Security {
    pub fn anonymous_allowed(&self) -> bool {
        self.alternatives.iter().any(Vec::is_empty)
    }

    /// The one scheme of the one alternative, when that is all there is.
    pub fn single(&self) -> Option<&str> {
        match self.alternatives.as_slice() {
            [only] => match only.as_slice() {
                [scheme] => Some(scheme),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Reads the whole document; every refusal found, each with its pointer.
pub(crate) fn model(doc: &Value, settings: &Settings) -> Result<Model, Vec<Error>> {
    let mut errors = Vec::new();
    let schemes = schemes(doc, &mut errors);
    let mut operations = Vec::new();
    let mut refusal_body: Option<(RefusalBody, String)> = None;
    for (operation, modelled) in document::operations(doc).iter().zip(openapi_spec::model::operations(doc)) {
        let before = errors.len();
        let op = read_operation(doc, operation, &modelled, &schemes, settings, &mut errors);
        if let (Some(op), true) = (op, errors.len() == before) {
            check_refusal_bodies(&op, settings, &mut refusal_body, &mut errors);
            operations.push(op);
        }
    }
    // Identifiers the generated module defines once.
    let mut seen: Vec<(String, String)> = Vec::new();
    for (operation, op) in document::operations(doc).iter().zip(&operations) {
        if let Some((_, other)) = seen.iter().find(|(name, _)| *name == op.fn_name()) {
            errors.push(Error::at(&operation.loc.pointer, format!("operations `{other}` and `{}` would both be the Rust method `{}`", op.id, op.fn_name())));
        }
        seen.push((op.fn_name(), op.id.clone()));
    }
    let used: Vec<Scheme> = schemes
        .into_iter()
        .filter(|s| operations.iter().any(|op| op.security.as_ref().is_some_and(|sec| sec.alternatives.iter().flatten().any(|n| *n == s.name))))
        .collect();
    if errors.is_empty() { Ok(Model { operations, schemes: used, refusal_body: refusal_body.map(|(body, _)| body) }) } else { Err(errors) }
}

fn schemes(doc: &Value, errors: &mut Vec<Error>) -> Vec<Scheme> {
    let mut found = Vec::new();
    for (name, scheme) in Loc::root(doc).get("components").map(|c| c.entries_at("securitySchemes")).unwrap_or_default() {
        let scheme = document::resolve(doc, scheme);
        let kind = match (scheme.str("type"), scheme.str("scheme").map(str::to_ascii_lowercase).as_deref()) {
            (Some("http"), Some("bearer")) => SchemeKind::Bearer,
            (Some("http"), Some("basic")) => SchemeKind::Basic,
            // OAuth 2 and OpenID Connect access tokens are sent as bearer tokens (RFC 6750).
            (Some("oauth2" | "openIdConnect"), _) => SchemeKind::Bearer,
            (Some("apiKey"), _) => {
                let location = match scheme.str("in") {
                    Some("header") => KeyIn::Header,
                    Some("query") => KeyIn::Query,
                    Some("cookie") => KeyIn::Cookie,
                    _ => continue,
                };
                SchemeKind::ApiKey { location, name: scheme.str("name").unwrap_or_default().to_owned() }
            }
            (Some("http"), Some(other)) => {
                errors.push(Error::at(&scheme.pointer, format!("the HTTP `{other}` scheme is not supported (bearer and basic are)")));
                continue;
            }
            _ => continue,
        };
        found.push(Scheme { name: name.clone(), kind, description: scheme.str("description").map(str::to_owned) });
    }
    found
}


fn read_operation(
    doc: &Value,
    operation: &document::Operation<'_>,
    modelled: &OperationModel,
    schemes: &[Scheme],
    settings: &Settings,
    errors: &mut Vec<Error>,
) -> Option<Operation> {
    let pointer = operation.loc.pointer.clone();
    let Some(id) = operation.loc.str("operationId") else {
        errors.push(Error::at(&pointer, "every operation needs an operationId (it names the trait method)"));
        return None;
    };
    let mut params: Vec<Param> = Vec::new();
    for parameter in &modelled.parameters {
        match read_param(parameter) {
            Ok(param) => {
                if let Some(clash) = params.iter().find(|p| p.location == param.location && p.field == param.field) {
                    errors.push(Error::at(&parameter.entry, format!("`{}` and `{}` would both be the Rust field `{}`", clash.name, param.name, param.field)));
                }
                params.push(param);
            }
            Err(error) => errors.push(error),
        }
    }
    let body = operation.loc.get("requestBody").map(|b| document::resolve(doc, b)).and_then(|b| match read_body(doc, &b) {
        Ok(body) => Some(body),
        Err(error) => {
            errors.push(error);
            None
        }
    });
    let mut responses = Vec::new();
    for (status, response) in operation.loc.entries_at("responses") {
        let pointer = response.pointer.clone();
        match read_response(doc, status, &document::resolve(doc, response), &pointer) {
            Ok(response) => responses.push(response),
            Err(error) => errors.push(error),
        }
    }
    responses.sort_by_key(|r| match r.key {
        StatusKey::Code(code) => code * 10,
        StatusKey::Range(digit) => digit * 1000 + 999,
        StatusKey::Default => u16::MAX,
    });
    let alternatives = modelled.security.clone().unwrap_or_default();
    for name in alternatives.iter().flatten() {
        if !schemes.iter().any(|s| s.name == *name) {
            let at = modelled.own_security.as_ref().map_or("/security", |(pointer, _)| pointer.as_str());
            errors.push(Error::at(at, format!("`{name}` is not a security scheme of components/securitySchemes that the generator supports")));
        }
    }
    let security = (alternatives.iter().any(|a| !a.is_empty())).then(|| Security { alternatives: alternatives.clone() });
    let op = Operation {
        id: id.to_owned(),
        method: operation.method,
        path: operation.path.to_owned(),
        summary: operation.loc.str("summary").map(str::to_owned),
        description: operation.loc.str("description").map(str::to_owned),
        tags: operation.loc.items_at("tags").iter().filter_map(|t| t.value.as_str()).map(str::to_owned).collect(),
        params,
        body,
        responses,
        own_security: modelled.own_security.as_ref().map(|(_, alternatives)| alternatives.clone()),
        security,
        refusals: Refusals::default(),
    };
    Some(with_refusals(op, &pointer, settings, errors))
}

/// The response that answers `status`: the status itself, its range, or `default`.
fn answer(responses: &[Response], status: u16) -> Option<Answer> {
    let exact = responses.iter().position(|r| r.key == StatusKey::Code(status));
    let range = responses.iter().position(|r| r.key == StatusKey::Range(status / 100));
    let default = responses.iter().position(|r| r.key == StatusKey::Default);
    exact.or(range).or(default).map(|response| Answer { status, response })
}

fn with_refusals(mut op: Operation, pointer: &str, settings: &Settings, errors: &mut Vec<Error>) -> Operation {
    let responses = format!("{pointer}/responses");
    if op.security.is_some() {
        op.refusals.unauthenticated = answer(&op.responses, 401);
        if op.refusals.unauthenticated.is_none() {
            errors.push(Error::at(&responses, "an operation with security must document 401 (or 4XX, or default): the server answers it"));
        }
    }
    if op.params.iter().any(Param::can_fail) || op.body.is_some() {
        let documented = |code| op.responses.iter().any(|r| r.key == StatusKey::Code(code));
        let status = match (documented(400), documented(422)) {
            (true, false) => 400,
            (false, true) => 422,
            _ => settings.validation_status,
        };
        op.refusals.invalid = answer(&op.responses, status);
        if op.refusals.invalid.is_none() {
            errors.push(Error::at(
                &responses,
                "an operation with parameters or a body must document 400 or 422 (or 4XX, or default): the server answers invalid input with it",
            ));
        }
    }
    if op.body.is_some() {
        op.refusals.unsupported_media_type = answer(&op.responses, 415).or(op.refusals.invalid);
        op.refusals.body_unreadable = answer(&op.responses, 413).or(op.refusals.invalid);
    }
    for refusal in op.refusals.distinct() {
        let response = &op.responses[refusal.response];
        if let Some(header) = response.headers.iter().find(|h| h.required) {
            errors.push(Error::at(
                format!("{}/headers", response.pointer),
                format!("the server answers {} itself with this response, and cannot set its required header `{}`", refusal.status, header.name),
            ));
        }
        if let Content::Raw { media_types } = &response.content
            && !media_types.iter().any(|m| admits_json(m))
        {
            errors.push(Error::at(
                format!("{}/content", response.pointer),
                format!("the server answers {} itself with this response, in JSON; it declares only {}", refusal.status, media_types.join(", ")),
            ));
        }
    }
    op
}

/// Every response the runtime answers must declare the same body: the
/// error format's (settings) or, without one, the first such response's.
fn check_refusal_bodies(op: &Operation, settings: &Settings, found: &mut Option<(RefusalBody, String)>, errors: &mut Vec<Error>) {
    for refusal in op.refusals.distinct() {
        let response = &op.responses[refusal.response];
        let Content::Json { ty, media_type, .. } = &response.content else { continue };
        let here = format!("{}/content/{}/schema", response.pointer, openapi_spec::pointer::escape(media_type));
        if let Some(format) = &settings.error_format
            && *ty != BodyType::Component(format.schema.clone())
        {
            errors.push(Error::at(
                &here,
                format!(
                    "the server answers {} itself with this response, with the error format's body (`#/components/schemas/{}`); this response declares {}",
                    refusal.status,
                    format.schema,
                    describe(ty)
                ),
            ));
            continue;
        }
        match found {
            None => *found = Some((RefusalBody { ty: ty.clone(), media_type: media_type.clone() }, here)),
            Some((body, first)) if body.ty != *ty => errors.push(Error::at(
                &here,
                format!(
                    "the server's own answers (401, 400/422, 413, 415, 404, 405) share one body type; this {} response declares {}, {first} declares {}",
                    refusal.status,
                    describe(ty),
                    describe(&body.ty)
                ),
            )),
            Some(_) => {}
        }
    }
}

fn describe(ty: &BodyType) -> String {
    match ty {
        BodyType::Component(name) => format!("`#/components/schemas/{name}`"),
        BodyType::Inline(_) => "an inline schema".into(),
    }
}

fn read_param(parameter: &ParameterModel) -> Result<Param, Error> {
    let name = parameter.name.clone();
    let location = match &parameter.location {
        ParameterIn::Path => Location::Path,
        ParameterIn::Query => Location::Query,
        ParameterIn::Header => Location::Header,
        ParameterIn::Cookie => Location::Cookie,
        ParameterIn::Other(other) => return Err(Error::at(&parameter.pointer, format!("parameters in `{other}` do not exist in OpenAPI 3.0"))),
    };
    if parameter.by_content {
        return Err(Error::at(format!("{}/content", parameter.pointer), "parameters described by `content` (not `schema`) are not supported"));
    }
    let schema = parameter.schema.as_ref().ok_or_else(|| Error::at(&parameter.pointer, "a parameter needs a schema"))?;
    let (ty, kind) = param_type(schema, location, parameter)?;
    Ok(Param {
        field: parameter.server_field.clone(),
        location,
        required: parameter.required,
        description: parameter.description.clone(),
        default: schema.default.clone(),
        ty,
        kind,
        name,
    })
}

fn array_style(location: Location, parameter: &ParameterModel, pointer: &str) -> Result<ArrayStyle, Error> {
    Ok(match (location, parameter.style.as_str()) {
        (Location::Path | Location::Header, "simple") => ArrayStyle::Comma,
        (Location::Query | Location::Cookie, "form") if parameter.explode => ArrayStyle::Exploded,
        (Location::Query | Location::Cookie, "form") => ArrayStyle::Comma,
        (Location::Query, "spaceDelimited") => ArrayStyle::Space,
        (Location::Query, "pipeDelimited") => ArrayStyle::Pipe,
        (_, other) => return Err(Error::at(pointer, format!("the `{other}` style is not supported for {location:?} parameters"))),
    })
}

fn param_type(schema: &SchemaFacts, location: Location, parameter: &ParameterModel) -> Result<(RustType, KindSpec), Error> {
    let pointer = &schema.pointer;
    let style = parameter.style.as_str();
    if matches!(style, "label" | "matrix") {
        return Err(Error::at(pointer, format!("the `{style}` style is not supported")));
    }
    let component = schema.component.as_deref();
    if component.is_none()
        && let Some(keyword) = schema.unenforced.first()
    {
        return Err(Error::at(pointer, format!("`{keyword}` on a parameter is not enforced by the server generator")));
    }
    let (ty, kind) = match schema.ty.as_deref() {
        Some("array") => {
            let items = schema.items.as_deref().ok_or_else(|| Error::at(&schema.target, "an array parameter needs `items`"))?;
            let (item_type, item_kind) = match items.component.as_deref() {
                Some(name) => (RustType::Component(rust_type_name(name)), scalar(items, false)?.1),
                None => scalar(items, true)?,
            };
            if matches!(item_kind, KindSpec::Array { .. } | KindSpec::Object { .. }) {
                return Err(Error::at(&items.pointer, "arrays of arrays or objects are not supported as parameters"));
            }
            let kind = KindSpec::Array {
                items: Box::new(item_kind),
                style: array_style(location, parameter, pointer)?,
                min_items: schema.min_items,
                max_items: schema.max_items,
            };
            (RustType::Vec(Box::new(item_type)), kind)
        }
        Some("object") if !schema.properties.is_empty() || schema.additional_properties => {
            if style != "deepObject" || location != Location::Query {
                return Err(Error::at(pointer, "object parameters are supported in the query with `style: deepObject` only"));
            }
            let mut properties = Vec::new();
            for (name, property) in &schema.properties {
                let (_, kind) = scalar(property, false).map_err(|e| Error::at(&property.target, e.message))?;
                properties.push((name.clone(), kind));
            }
            (RustType::JsonObject, KindSpec::Object { properties })
        }
        _ if style == "deepObject" => return Err(Error::at(pointer, "`deepObject` needs an object schema")),
        _ => scalar(schema, component.is_none())?,
    };
    let ty = match component {
        Some(name) => RustType::Component(rust_type_name(name)),
        None => ty,
    };
    Ok((ty, kind))
}

/// The Rust type and check of a scalar schema. `inline`: written in the
/// parameter (an enum becomes a checked `String`); else a component's
/// target (its generated type does the typed check).
fn scalar(schema: &SchemaFacts, inline: bool) -> Result<(RustType, KindSpec), Error> {
    let bounds = |lo: Option<f64>, hi: Option<f64>| {
        let narrow = |spec: Option<f64>, limit: Option<f64>, pick: fn(f64, f64) -> f64| match (spec, limit) {
            (Some(s), Some(l)) => Some(pick(s, l)),
            (s, l) => s.or(l),
        };
        BoundsSpec {
            minimum: narrow(schema.bounds.minimum, lo, f64::max),
            maximum: narrow(schema.bounds.maximum, hi, f64::min),
            exclusive_minimum: schema.bounds.exclusive_minimum,
            exclusive_maximum: schema.bounds.exclusive_maximum,
        }
    };
    if let Some(values) = &schema.values {
        if !inline {
            return Ok((RustType::Json, KindSpec::Enum));
        }
        let strings: Option<Vec<String>> = values.iter().map(|v| v.as_str().map(str::to_owned)).collect();
        return match strings {
            Some(strings) => Ok((RustType::String, KindSpec::OneOf(strings))),
            None => Err(Error::at(&schema.target, "an inline enum of non-strings is not supported in a parameter: use a $ref to a component schema")),
        };
    }
    let format = schema.format.as_deref();
    Ok(match schema.ty.as_deref() {
        Some("integer") => {
            let (ty, lo, hi): (&'static str, f64, f64) = match format {
                Some("int8") => ("i8", i8::MIN as f64, i8::MAX as f64),
                Some("int16") => ("i16", i16::MIN as f64, i16::MAX as f64),
                Some("int32") => ("i32", i32::MIN as f64, i32::MAX as f64),
                Some("uint8") => ("u8", 0.0, u8::MAX as f64),
                Some("uint16") => ("u16", 0.0, u16::MAX as f64),
                Some("uint32") => ("u32", 0.0, u32::MAX as f64),
                Some("uint64" | "uint") => ("u64", 0.0, f64::NAN),
                _ => ("i64", f64::NAN, f64::NAN),
            };
            let bound = |b: f64| (!b.is_nan()).then_some(b);
            (RustType::Int(ty), KindSpec::Integer(bounds(bound(lo), bound(hi))))
        }
        Some("number") => (RustType::F64, KindSpec::Number(bounds(None, None))),
        Some("boolean") => (RustType::Bool, KindSpec::Boolean),
        Some("string") if format == Some("date-time") => (RustType::DateTime, KindSpec::DateTime),
        Some("string") => (
            RustType::String,
            KindSpec::Text { min_length: schema.min_length, max_length: schema.max_length, pattern: schema.pattern.clone() },
        ),
        Some("array" | "object") => return Err(Error::at(&schema.target, "a nested array or object is not supported here")),
        // oneOf / anyOf / allOf / no type: the text goes to the Rust type as it is.
        _ => (RustType::Json, KindSpec::Any),
    })
}

fn classify(media_type: &str) -> Format {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        Format::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Format::Form
    } else {
        Format::Raw
    }
}

fn body_type(media: &Loc<'_>) -> BodyType {
    match media.get("schema") {
        Some(schema) => match schema.str("$ref").and_then(document::schema_ref_name) {
            Some(name) => BodyType::Component(name.to_owned()),
            None => BodyType::Inline(schema.value.clone()),
        },
        None => BodyType::Inline(Value::Object(Default::default())),
    }
}

/// The decoded types of some media types: one, shared, or a refusal.
fn shared_type(media: &[(&String, Loc<'_>)], pointer: &str) -> Result<BodyType, Error> {
    let mut types = media.iter().map(|(_, m)| body_type(m));
    let first = types.next().unwrap_or(BodyType::Inline(Value::Null));
    if types.any(|t| t != first) {
        return Err(Error::at(pointer, "its media types have different schemas; the server generator decodes one type per body"));
    }
    Ok(first)
}

fn read_body(doc: &Value, body: &Loc<'_>) -> Result<RequestBody, Error> {
    let _ = doc;
    let pointer = format!("{}/content", body.pointer);
    let media = body.entries_at("content");
    if media.is_empty() {
        return Err(Error::at(&pointer, "a request body needs at least one media type"));
    }
    let media_types: Vec<(String, Format)> = media.iter().map(|(m, _)| ((*m).clone(), classify(m))).collect();
    let decoded: Vec<(&String, Loc<'_>)> = media.iter().filter(|(m, _)| classify(m) != Format::Raw).cloned().collect();
    // Media types decoded into the schema's type; the others (XML, text,
    // binary) reach the service as bytes.
    let ty = if decoded.is_empty() { None } else { Some(shared_type(&decoded, &pointer)?) };
    Ok(RequestBody { ty, media_types, required: body.flag("required"), description: body.str("description").map(str::to_owned) })
}

fn read_response(doc: &Value, status: &str, response: &Loc<'_>, pointer: &str) -> Result<Response, Error> {
    let key = match status {
        "default" => StatusKey::Default,
        s if s.len() == 3 && s.ends_with("XX") || s.ends_with("xx") => match s[..1].parse::<u16>() {
            Ok(digit @ 1..=5) => StatusKey::Range(digit),
            _ => return Err(Error::at(pointer, format!("`{s}` is not a status range"))),
        },
        s => match s.parse::<u16>() {
            Ok(code @ 100..=599) => StatusKey::Code(code),
            _ => return Err(Error::at(pointer, format!("`{s}` is not a status code"))),
        },
    };
    let media = response.entries_at("content");
    let content_pointer = format!("{}/content", response.pointer);
    let content = if media.is_empty() {
        Content::None
    } else if media.iter().any(|(m, _)| classify(m) == Format::Json) {
        let json: Vec<(&String, Loc<'_>)> = media.iter().filter(|(m, _)| classify(m) == Format::Json).cloned().collect();
        Content::Json {
            ty: shared_type(&json, &content_pointer)?,
            media_type: json[0].0.clone(),
            media_types: json.iter().map(|(m, _)| (*m).clone()).collect(),
            others: media.iter().filter(|(m, _)| classify(m) != Format::Json).map(|(m, _)| (*m).clone()).collect(),
        }
    } else {
        Content::Raw { media_types: media.iter().map(|(m, _)| (*m).clone()).collect() }
    };
    let mut headers = Vec::new();
    for (name, header) in response.entries_at("headers") {
        // OpenAPI: a `Content-Type` response header is ignored.
        if name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let header = document::resolve(doc, header);
        if axum_header_name_is_invalid(name) {
            return Err(Error::at(&header.pointer, format!("`{name}` is not a valid header name")));
        }
        let schema = header.get("schema").ok_or_else(|| Error::at(&header.pointer, "a response header needs a schema"))?;
        let facts = SchemaFacts::read(doc, schema);
        let (ty, _) = scalar(&facts, true).map_err(|e| Error::at(&facts.target, e.message))?;
        let ty = match ty {
            RustType::Json => return Err(Error::at(&facts.target, "a response header needs a scalar schema (string, integer, number, boolean)")),
            // Sent as written: the service formats dates as the API wants.
            RustType::DateTime => RustType::String,
            other => other,
        };
        headers.push(ResponseHeader {
            field: name.to_snake_case(),
            required: header.flag("required"),
            description: header.str("description").map(str::to_owned),
            ty,
            name: name.clone(),
        });
    }
    Ok(Response {
        variant: variant_of_status(key),
        key,
        description: response.str("description").unwrap_or_default().to_owned(),
        content,
        headers,
        pointer: pointer.to_owned(),
    })
}

fn axum_header_name_is_invalid(name: &str) -> bool {
    name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
