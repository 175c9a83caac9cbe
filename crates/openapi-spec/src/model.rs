//! The one typed model of a document's operations and their parameters,
//! computed once from the JSON: where each parameter is read from, how it
//! is written (its effective `style` and `explode`), whether it is
//! required, and its schema's facts (type, format, bounds, lengths,
//! pattern, enum, default, items, properties), with the Rust names the
//! generators give it. Every tool that needs what a parameter means reads
//! it here: the server generator, the client's checks and docs, the CLI's
//! help, the normalized table. Nothing else interprets a parameter's schema
//! keywords or resolves its `$ref`s.

use serde_json::Value;

use crate::document::{self, Loc};
use crate::names;

/// Where a parameter is read from (`in`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParameterIn {
    /// `path`.
    Path,
    /// `query`.
    Query,
    /// `header`.
    Header,
    /// `cookie`.
    Cookie,
    /// Anything else (not OpenAPI: kept so a generator can refuse it with
    /// its pointer).
    Other(String),
}

impl ParameterIn {
    fn of(text: &str) -> ParameterIn {
        match text {
            "path" => ParameterIn::Path,
            "query" => ParameterIn::Query,
            "header" => ParameterIn::Header,
            "cookie" => ParameterIn::Cookie,
            other => ParameterIn::Other(other.to_owned()),
        }
    }

    /// As the spec writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ParameterIn::Path => "path",
            ParameterIn::Query => "query",
            ParameterIn::Header => "header",
            ParameterIn::Cookie => "cookie",
            ParameterIn::Other(other) => other,
        }
    }

    /// The style a parameter here has when it says none (OpenAPI 3.0
    /// §4.7.12.4): `form` in the query and cookies, `simple` elsewhere.
    pub fn default_style(&self) -> &'static str {
        match self {
            ParameterIn::Query | ParameterIn::Cookie => "form",
            _ => "simple",
        }
    }
}

/// One operation and its parameters.
#[derive(Clone, Debug)]
pub struct OperationModel {
    /// `get`, `post`, ...
    pub method: &'static str,
    /// The path template as written.
    pub path: String,
    /// Its pointer (`/paths/~1items/get`).
    pub pointer: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// The builder type progenitor generates for it (`GetItems`).
    pub client_builder: Option<String>,
    /// The path item's parameters overridden by the operation's own, in
    /// document order.
    pub parameters: Vec<ParameterModel>,
    /// The `security` the operation declares itself (alternatives, each
    /// the scheme names it requires together), with its pointer.
    pub own_security: Option<(String, Vec<Vec<String>>)>,
    /// The security in force: its own, else the document's (`None`: none
    /// declared anywhere).
    pub security: Option<Vec<Vec<String>>>,
    /// `requestBody`, resolved.
    pub request_body: Option<BodyModel>,
    /// `responses`, in document order, each resolved.
    pub responses: Vec<ResponseModel>,
}

/// A request body or a response's content: its media types.
#[derive(Clone, Debug)]
pub struct BodyModel {
    /// The body object, resolved.
    pub pointer: String,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// `content`, in document order.
    pub media: Vec<MediaModel>,
}

/// One media type of a body.
#[derive(Clone, Debug)]
pub struct MediaModel {
    /// `application/json`, ...
    pub media_type: String,
    /// Where its schema is written, if it has one.
    pub schema: Option<String>,
}

/// One response of an operation.
#[derive(Clone, Debug)]
pub struct ResponseModel {
    /// `200`, `4XX`, `default`.
    pub status: String,
    /// The entry of `responses` (may be a `$ref`).
    pub entry: String,
    /// The response object, resolved.
    pub pointer: String,
    /// `description`.
    pub description: Option<String>,
    /// `content`, in document order.
    pub media: Vec<MediaModel>,
    /// `headers`, in document order, each resolved.
    pub headers: Vec<HeaderModel>,
}

/// One response header.
#[derive(Clone, Debug)]
pub struct HeaderModel {
    /// Its name as written.
    pub name: String,
    /// The header object, resolved.
    pub pointer: String,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// Where its schema is written, if it has one.
    pub schema: Option<String>,
}

/// One parameter, resolved.
#[derive(Clone, Debug)]
pub struct ParameterModel {
    /// `name`.
    pub name: String,
    /// `in`.
    pub location: ParameterIn,
    /// The entry of the `parameters` list (may be a `$ref`).
    pub entry: String,
    /// The parameter object, resolved.
    pub pointer: String,
    /// `required`.
    pub required: bool,
    /// `description`, trimmed.
    pub description: Option<String>,
    /// `style`, or its location's default.
    pub style: String,
    /// `explode`, or its default (`true` for `form` only).
    pub explode: bool,
    /// Whether it is described by `content` rather than `schema`.
    pub by_content: bool,
    /// Its schema (`schema`, else that of its first `content` media type).
    pub schema: Option<SchemaFacts>,
    /// The field and setter progenitor's client gives it (`filter_flag`).
    pub client_field: String,
    /// The field the server generator gives it.
    pub server_field: String,
    /// Its `x-` extensions, by name.
    pub extensions: std::collections::BTreeMap<String, Value>,
}

impl ParameterModel {
    /// `query parameter `page``.
    pub fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location.as_str(), self.name)
    }
}

/// Numeric bounds (3.0: `exclusiveMinimum` is a flag on `minimum`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NumericBounds {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum: true`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum: true`.
    pub exclusive_maximum: bool,
}

/// Keywords a parameter's schema may carry that no generated check of
/// parameters enforces.
pub const UNENFORCED: [&str; 4] = ["multipleOf", "uniqueItems", "not", "minProperties"];

/// What a schema says of a value, read once.
#[derive(Clone, Debug, Default)]
pub struct SchemaFacts {
    /// Where the schema is written.
    pub pointer: String,
    /// Where its facts were read: the end of its `$ref` chain, else `pointer`.
    pub target: String,
    /// The component it names (`$ref: '#/components/schemas/Name'`).
    pub component: Option<String>,
    /// `type`.
    pub ty: Option<String>,
    /// `format`.
    pub format: Option<String>,
    /// `minimum`, `maximum` and their exclusivity.
    pub bounds: NumericBounds,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `enum`.
    pub values: Option<Vec<Value>>,
    /// `default`.
    pub default: Option<Value>,
    /// `items`.
    pub items: Option<Box<SchemaFacts>>,
    /// `properties`, in document order.
    pub properties: Vec<(String, SchemaFacts)>,
    /// Whether `additionalProperties` is written.
    pub additional_properties: bool,
    /// Those of [`UNENFORCED`] it carries.
    pub unenforced: Vec<&'static str>,
}

impl SchemaFacts {
    /// The facts of the schema at `loc`, through its `$ref`s, with those of
    /// its items and properties, and of theirs (two levels: what a
    /// parameter can use; a recursive schema ends there).
    pub fn read(doc: &Value, loc: Loc<'_>) -> SchemaFacts {
        SchemaFacts::read_to(doc, loc, 2)
    }

    fn read_to(doc: &Value, loc: Loc<'_>, depth: usize) -> SchemaFacts {
        let component = loc.str("$ref").and_then(document::schema_ref_name).map(str::to_owned);
        let pointer = loc.pointer.clone();
        let target = document::resolve(doc, loc);
        let value = target.value;
        let number = |key: &str| value.get(key).and_then(Value::as_f64);
        let count = |key: &str| value.get(key).and_then(Value::as_u64);
        let text = |key: &str| target.str(key).map(str::to_owned);
        SchemaFacts {
            pointer,
            target: target.pointer.clone(),
            component,
            ty: text("type"),
            format: text("format"),
            bounds: NumericBounds {
                minimum: number("minimum"),
                maximum: number("maximum"),
                exclusive_minimum: target.flag("exclusiveMinimum"),
                exclusive_maximum: target.flag("exclusiveMaximum"),
            },
            min_length: count("minLength"),
            max_length: count("maxLength"),
            pattern: text("pattern"),
            min_items: count("minItems"),
            max_items: count("maxItems"),
            values: value.get("enum").and_then(Value::as_array).cloned(),
            default: value.get("default").cloned(),
            items: target.get("items").filter(|_| depth > 0).map(|items| Box::new(SchemaFacts::read_to(doc, items, depth - 1))),
            properties: match depth {
                0 => Vec::new(),
                _ => target.entries_at("properties").into_iter().map(|(name, p)| (name.clone(), SchemaFacts::read_to(doc, p, depth - 1))).collect(),
            },
            additional_properties: value.get("additionalProperties").is_some(),
            unenforced: UNENFORCED.into_iter().filter(|k| value.get(*k).is_some()).collect(),
        }
    }

    /// What the schema allows, in words: `an integer from 1 to 100`,
    /// `one of asc, desc`.
    pub fn allowed(&self) -> String {
        if let Some(values) = &self.values {
            let values: Vec<String> = values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
            return format!("one of {}", values.join(", "));
        }
        let kind = match (self.ty.as_deref(), self.format.as_deref()) {
            (Some("integer"), _) => "an integer",
            (Some("number"), _) => "a number",
            (Some("boolean"), _) => "a boolean",
            (Some("string"), Some("date-time")) => "an RFC 3339 date-time",
            (Some("string"), _) => "a string",
            _ => "a value of the spec's type",
        };
        let number = |n: f64| if n.fract() == 0.0 { format!("{n:.0}") } else { n.to_string() };
        match (self.bounds.minimum, self.bounds.maximum) {
            (Some(min), Some(max)) => format!("{kind} from {} to {}", number(min), number(max)),
            (Some(min), None) => format!("{kind} of at least {}", number(min)),
            (None, Some(max)) => format!("{kind} of at most {}", number(max)),
            (None, None) => kind.to_owned(),
        }
    }
}

/// Every operation of the document, in document order, with its
/// parameters, security, body and responses.
pub fn operations(doc: &Value) -> Vec<OperationModel> {
    let document_security = Loc::root(doc).get("security").map(|s| alternatives(&s));
    document::operations(doc)
        .into_iter()
        .map(|operation| {
            let operation_id = operation.loc.str("operationId").map(str::to_owned);
            let parameters = operation.parameters(doc).iter().map(|p| parameter(doc, p)).collect();
            let own_security = operation.loc.get("security").map(|s| (s.pointer.clone(), alternatives(&s)));
            let security = own_security.as_ref().map(|(_, a)| a.clone()).or_else(|| document_security.clone());
            let request_body = operation.loc.get("requestBody").map(|body| {
                let body = document::resolve(doc, body);
                BodyModel { pointer: body.pointer.clone(), required: body.flag("required"), description: text(&body, "description"), media: media(&body) }
            });
            let responses = operation
                .loc
                .entries_at("responses")
                .into_iter()
                .map(|(status, entry)| {
                    let response = document::resolve(doc, entry.clone());
                    let headers = response
                        .entries_at("headers")
                        .into_iter()
                        .map(|(name, header)| {
                            let header = document::resolve(doc, header);
                            HeaderModel {
                                name: name.clone(),
                                pointer: header.pointer.clone(),
                                required: header.flag("required"),
                                description: text(&header, "description"),
                                schema: header.get("schema").map(|s| s.pointer),
                            }
                        })
                        .collect();
                    ResponseModel {
                        status: status.clone(),
                        entry: entry.pointer.clone(),
                        pointer: response.pointer.clone(),
                        description: text(&response, "description"),
                        media: media(&response),
                        headers,
                    }
                })
                .collect();
            OperationModel {
                method: operation.method,
                path: operation.path.to_owned(),
                pointer: operation.loc.pointer.clone(),
                client_builder: operation_id.as_deref().map(names::progenitor_type),
                operation_id,
                parameters,
                own_security,
                security,
                request_body,
                responses,
            }
        })
        .collect()
}

/// Security requirements: alternatives, each the scheme names it names.
fn alternatives(security: &Loc<'_>) -> Vec<Vec<String>> {
    security.items().map(|requirement| requirement.entries().map(|(name, _)| name.clone()).collect()).collect()
}

fn media(owner: &Loc<'_>) -> Vec<MediaModel> {
    owner.entries_at("content").into_iter().map(|(media_type, m)| MediaModel { media_type: media_type.clone(), schema: m.get("schema").map(|s| s.pointer) }).collect()
}

fn text(loc: &Loc<'_>, key: &str) -> Option<String> {
    loc.str(key).map(str::to_owned)
}

/// How a parameter is written: its `style`, or its location's default, and
/// its `explode`, or its default (`true` for `form` only).
pub fn serialization(parameter: &document::Parameter<'_>) -> (String, bool) {
    let style = parameter.loc.str("style").unwrap_or(ParameterIn::of(parameter.location).default_style()).to_owned();
    let explode = parameter.loc.value.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
    (style, explode)
}

/// The model of one parameter the document iterator found.
pub fn parameter(doc: &Value, parameter: &document::Parameter<'_>) -> ParameterModel {
    let loc = &parameter.loc;
    let location = ParameterIn::of(parameter.location);
    let (style, explode) = serialization(parameter);
    ParameterModel {
        name: parameter.name.to_owned(),
        entry: parameter.entry.clone(),
        pointer: loc.pointer.clone(),
        required: parameter.required(),
        description: loc.str("description").map(|d| d.trim().to_owned()),
        explode,
        style,
        by_content: loc.get("content").is_some(),
        schema: parameter.schema().map(|schema| SchemaFacts::read(doc, schema)),
        client_field: names::progenitor_field(parameter.name),
        server_field: names::server_field(parameter.name, &location),
        extensions: loc.value.as_object().into_iter().flatten().filter(|(k, _)| k.starts_with("x-")).map(|(k, v)| (k.clone(), v.clone())).collect(),
        location,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_with_their_effective_style_and_schema_facts() {
        let doc = serde_json::json!({
            "paths": {"/items": {"get": {"operationId": "list_items", "parameters": [
                {"name": "per_page", "in": "query", "description": " Page size. ", "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 15}},
                {"name": "X-Trace", "in": "header", "required": true, "schema": {"$ref": "#/components/schemas/Trace"}},
                {"name": "ids", "in": "query", "explode": false, "schema": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}, "maxItems": 3}},
            ]}}},
            "components": {"schemas": {"Trace": {"type": "string", "enum": ["a", "b"], "multipleOf": 2}}},
        });
        let operations = operations(&doc);
        let [operation] = operations.as_slice() else { panic!("{operations:?}") };
        assert_eq!((operation.operation_id.as_deref(), operation.client_builder.as_deref()), (Some("list_items"), Some("ListItems")));
        let [per_page, trace, ids] = operation.parameters.as_slice() else { panic!() };
        assert_eq!((per_page.style.as_str(), per_page.explode, per_page.description.as_deref()), ("form", true, Some("Page size.")));
        let facts = per_page.schema.as_ref().unwrap();
        assert_eq!((facts.bounds.minimum, facts.bounds.maximum, facts.default.clone()), (Some(1.0), Some(100.0), Some(15.into())));
        assert_eq!(facts.allowed(), "an integer from 1 to 100");
        assert_eq!((trace.location.clone(), trace.style.as_str(), trace.explode, trace.required), (ParameterIn::Header, "simple", false, true));
        let facts = trace.schema.as_ref().unwrap();
        assert_eq!((facts.component.as_deref(), facts.target.as_str(), facts.unenforced.clone()), (Some("Trace"), "/components/schemas/Trace", vec!["multipleOf"]));
        assert_eq!(facts.allowed(), "one of a, b");
        assert_eq!((trace.client_field.as_str(), trace.server_field.as_str()), ("x_trace", "x_trace"));
        assert!(!ids.explode);
        let items = ids.schema.as_ref().unwrap().items.as_ref().unwrap();
        assert_eq!((items.pointer.as_str(), items.pattern.as_deref()), ("/paths/~1items/get/parameters/2/schema/items", Some("^[a-z]+$")));
    }

    #[test]
    fn a_recursive_schema_ends_and_operations_carry_security_bodies_and_responses() {
        let doc = serde_json::json!({
            "security": [{"key": []}],
            "paths": {"/trees": {"post": {
                "parameters": [{"name": "filter", "in": "query", "style": "deepObject", "schema": {"$ref": "#/components/schemas/Tree"}}],
                "requestBody": {"$ref": "#/components/requestBodies/Tree"},
                "responses": {"201": {"description": "made", "headers": {"Location": {"schema": {"type": "string"}}}}},
            }}},
            "components": {
                "schemas": {"Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}}},
                "requestBodies": {"Tree": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tree"}}}}},
            },
        });
        let [operation] = operations(&doc).try_into().unwrap_or_else(|_| panic!());
        let tree = operation.parameters[0].schema.as_ref().unwrap();
        let children = &tree.properties[0].1;
        assert_eq!(children.items.as_ref().map(|i| i.properties.is_empty()), Some(true), "two levels, then it ends");
        assert_eq!((operation.own_security.is_none(), operation.security.clone()), (true, Some(vec![vec!["key".to_owned()]])));
        let body = operation.request_body.unwrap();
        assert_eq!((body.pointer.as_str(), body.required, body.media[0].schema.as_deref()), ("/components/requestBodies/Tree", true, Some("/components/requestBodies/Tree/content/application~1json/schema")));
        let created = &operation.responses[0];
        assert_eq!((created.status.as_str(), created.headers[0].name.as_str()), ("201", "Location"));
    }
}
