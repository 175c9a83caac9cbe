//! The server stub: parameter structs, request structs, response enums,
//! handlers with `#[utoipa::path]`, the `Api` trait, the router, `ApiDoc`.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::{Body, BodySchema, Location, Operation, Param, ParamType, ValueKind, operations};
use crate::spec::{str_field, token};
use crate::{Error, Settings};

/// The whole server module for a document.
pub fn server(doc: &Value, settings: &Settings) -> Result<TokenStream, Error> {
    let operations = operations(doc)?;
    let Settings { types, runtime } = settings;
    let per_operation = operations.iter().map(|op| operation_items(op, settings)).collect::<Vec<_>>();
    let trait_methods = operations.iter().map(trait_method);
    // Operations behind a bearer token get the token checked before their
    // parameters: an unknown token is 401 whatever else is wrong.
    let authenticate = operations.iter().any(|op| op.bearer).then(|| {
        quote! {
            /// Whether `token` is a known bearer token. Called before any
            /// parameter is read, so an unknown token is a 401 whatever
            /// else the request gets wrong. The default accepts every token
            /// (each operation can still answer 401 itself).
            fn authenticate(&self, token: &rt::BearerToken) -> impl ::std::future::Future<Output = bool> + Send {
                let _ = token;
                async { true }
            }
        }
    });
    let router = router(&operations);
    let api_doc = api_doc(doc, &operations, settings)?;
    let base_path = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .map(base_path_of)
        .unwrap_or_default();
    Ok(quote! {
        #![allow(clippy::all, unused_imports)]

        use ::std::sync::Arc;
        use #runtime as rt;
        use #types as types;
        use rt::reexports::axum::{self, extract::State, response::{IntoResponse, Response}, http::StatusCode};

        /// The path of the first server URL, under which [`router`]'s
        /// routes are meant to be nested.
        pub const BASE_PATH: &str = #base_path;

        /// The API: one method per operation, each taking typed, validated
        /// inputs and returning the operation's response enum.
        pub trait Api: Send + Sync + 'static {
            #authenticate
            #(#trait_methods)*
        }

        #(#per_operation)*

        #router

        #api_doc
    })
}

fn base_path_of(url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = without_scheme.find('/').map_or("", |i| &without_scheme[i..]);
    path.trim_end_matches('/').to_owned()
}

fn doc_attr(text: &Option<String>) -> TokenStream {
    match text {
        Some(text) if !text.is_empty() => quote!(#[doc = #text]),
        _ => quote!(),
    }
}

fn ident(name: &str) -> proc_macro2::Ident {
    let name = if syn_keyword(name) { format!("r#{name}") } else { name.to_owned() };
    if let Some(raw) = name.strip_prefix("r#") { proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()) } else { format_ident!("{}", name) }
}

fn syn_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break" | "const" | "continue" | "crate" | "else" | "enum" | "extern" | "false" | "fn" | "for" | "if" | "impl" | "in"
            | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref" | "return" | "self" | "static" | "struct"
            | "super" | "trait" | "true" | "type" | "unsafe" | "use" | "where" | "while" | "async" | "await" | "dyn"
            | "gen" | "try" | "box" | "yield" | "macro" | "override" | "priv" | "typeof" | "unsized" | "virtual" | "final"
            | "abstract" | "become" | "do"
    )
}

fn rust_type(ty: &ParamType) -> TokenStream {
    match ty {
        ParamType::Component { name, .. } => {
            let name = format_ident!("{}", name);
            quote!(types::#name)
        }
        ParamType::Int32 => quote!(i32),
        ParamType::Int64 => quote!(i64),
        ParamType::Number => quote!(f64),
        ParamType::Boolean => quote!(bool),
        ParamType::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        ParamType::Text => quote!(::std::string::String),
    }
}

fn body_type(schema: &BodySchema) -> TokenStream {
    match schema {
        BodySchema::Component(name) => {
            let name = format_ident!("{}", name);
            quote!(types::#name)
        }
        BodySchema::Json => quote!(::serde_json::Value),
    }
}

/// The field's type in its struct: optional without default is `Option`.
fn field_type(param: &Param) -> TokenStream {
    let ty = rust_type(&param.ty);
    if param.required || param.default.is_some() { ty } else { quote!(::std::option::Option<#ty>) }
}

fn f64_literal(value: f64) -> Literal {
    Literal::f64_unsuffixed(value)
}

/// A JSON literal as a utoipa attribute value.
fn attr_value(value: &Value) -> TokenStream {
    match value {
        Value::Bool(b) => quote!(#b),
        Value::Number(n) if n.is_i64() => {
            let n = Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
            quote!(#n)
        }
        Value::Number(n) => {
            let n = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
            quote!(#n)
        }
        Value::String(s) => quote!(#s),
        other => {
            let text = other.to_string();
            quote!(json!(#text))
        }
    }
}

/// The runtime's parsing rule for a parameter; integer bounds are the
/// spec's narrowed to the Rust type's range.
fn kind(param: &Param) -> TokenStream {
    let bounds = |min: Option<f64>, max: Option<f64>| {
        let min = match min {
            Some(v) => {
                let v = f64_literal(v);
                quote!(Some(#v))
            }
            None => quote!(None),
        };
        let max = match max {
            Some(v) => {
                let v = f64_literal(v);
                quote!(Some(#v))
            }
            None => quote!(None),
        };
        (min, max)
    };
    let integer = |lo: Option<f64>, hi: Option<f64>| {
        let narrow = |spec: Option<f64>, limit: Option<f64>, pick: fn(f64, f64) -> f64| match (spec, limit) {
            (Some(s), Some(l)) => Some(pick(s, l)),
            (s, l) => s.or(l),
        };
        let (min, max) = bounds(narrow(param.minimum, lo, f64::max), narrow(param.maximum, hi, f64::min));
        quote!(rt::Kind::Integer { minimum: #min, maximum: #max })
    };
    match &param.ty {
        // int64 needs no implicit bound: parsing as i64 is the bound.
        ParamType::Int32 => integer(Some(i32::MIN as f64), Some(i32::MAX as f64)),
        ParamType::Int64 => integer(None, None),
        ParamType::Number | ParamType::Component { kind: ValueKind::Number, .. } => {
            let (min, max) = bounds(param.minimum, param.maximum);
            quote!(rt::Kind::Number { minimum: #min, maximum: #max })
        }
        ParamType::Component { kind: ValueKind::Integer, .. } => integer(None, None),
        ParamType::Boolean | ParamType::Component { kind: ValueKind::Boolean, .. } => quote!(rt::Kind::Boolean),
        ParamType::DateTime | ParamType::Component { kind: ValueKind::DateTime, .. } => quote!(rt::Kind::DateTime),
        ParamType::Component { kind: ValueKind::Enum, .. } => quote!(rt::Kind::Enum),
        ParamType::Text | ParamType::Component { kind: ValueKind::Text, .. } => quote!(rt::Kind::Text),
    }
}

fn location_name(location: Location) -> (&'static str, TokenStream, TokenStream) {
    match location {
        Location::Path => ("Path", quote!(Path), quote!(rt::Location::Path)),
        Location::Query => ("Query", quote!(Query), quote!(rt::Location::Query)),
        Location::Header => ("Headers", quote!(Header), quote!(rt::Location::Header)),
    }
}

const LOCATIONS: [Location; 3] = [Location::Path, Location::Query, Location::Header];

/// The parameter struct of one location, with utoipa `IntoParams`.
fn params_struct(op: &Operation, location: Location) -> Option<TokenStream> {
    let params: Vec<&Param> = op.params.iter().filter(|p| p.location == location).collect();
    if params.is_empty() {
        return None;
    }
    let (suffix, parameter_in, _) = location_name(location);
    let name = format_ident!("{}{}", op.type_prefix(), suffix);
    let doc = format!("{suffix} parameters of `{}`.", op.id);
    let fields = params.iter().map(|p| {
        let field = ident(&p.field);
        let ty = field_type(p);
        let doc = doc_attr(&p.description);
        let rename = &p.name;
        let mut attrs = vec![quote!(rename = #rename)];
        if !p.required {
            attrs.push(quote!(required = false));
            attrs.push(quote!(nullable = false));
        }
        if let (Some(default), false) = (&p.default, p.default_in_component) {
            let value = attr_value(default);
            attrs.push(quote!(default = #value));
        }
        if let (Some(min), false) = (&p.bounds_as_written.0, p.default_in_component) {
            let min = attr_value(min);
            attrs.push(quote!(minimum = #min));
        }
        if let (Some(max), false) = (&p.bounds_as_written.1, p.default_in_component) {
            let max = attr_value(max);
            attrs.push(quote!(maximum = #max));
        }
        quote! {
            #doc
            #[param(#(#attrs),*)]
            pub #field: #ty,
        }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, ::utoipa::IntoParams)]
        #[into_params(parameter_in = #parameter_in)]
        pub struct #name {
            #(#fields)*
        }
    })
}

fn request_struct(op: &Operation) -> TokenStream {
    let name = format_ident!("{}Request", op.type_prefix());
    let doc = format!("The validated inputs of `{}`.", op.id);
    let mut fields = Vec::new();
    if op.bearer {
        fields.push(quote! {
            /// The bearer token (its validity is the service's to decide).
            pub bearer: rt::BearerToken,
        });
    }
    for location in LOCATIONS {
        if op.params.iter().any(|p| p.location == location) {
            let (suffix, _, _) = location_name(location);
            let ty = format_ident!("{}{}", op.type_prefix(), suffix);
            let field = format_ident!("{}", suffix.to_lowercase());
            fields.push(quote!(pub #field: #ty,));
        }
    }
    if let Some(Body { schema, required, description }) = &op.body {
        let ty = body_type(schema);
        let ty = if *required { ty } else { quote!(::std::option::Option<#ty>) };
        let doc = doc_attr(description);
        fields.push(quote!(#doc pub body: #ty,));
    }
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn response_enum(op: &Operation) -> TokenStream {
    let name = format_ident!("{}Response", op.type_prefix());
    let doc = format!("The documented responses of `{}`, one variant per status.", op.id);
    let variants = op.responses.iter().map(|r| {
        let variant = format_ident!("{}", r.variant);
        let doc = format!("{}: {}", r.status, r.description);
        match &r.body {
            Some(schema) => {
                let ty = body_type(schema);
                quote!(#[doc = #doc] #variant(#ty),)
            }
            None => quote!(#[doc = #doc] #variant,),
        }
    });
    let arms = op.responses.iter().map(|r| {
        let variant = format_ident!("{}", r.variant);
        let status = format_ident!("{}", r.variant.to_shouty_snake_case());
        let status = quote!(StatusCode::#status);
        match &r.body {
            Some(_) => quote!(Self::#variant(body) => rt::json_response(#status, &body),),
            None => quote!(Self::#variant => #status.into_response(),),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub enum #name {
            #(#variants)*
        }

        impl IntoResponse for #name {
            fn into_response(self) -> Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let name = ident(&op.fn_name());
    let request = format_ident!("{}Request", op.type_prefix());
    let response = format_ident!("{}Response", op.type_prefix());
    let doc = match (&op.summary, &op.description) {
        (Some(s), Some(d)) if s != d => format!("{s}\n\n{d}\n\n`{} {}`", op.method.to_uppercase(), op.path),
        (Some(s), _) | (None, Some(s)) => format!("{s}\n\n`{} {}`", op.method.to_uppercase(), op.path),
        (None, None) => format!("`{} {}`", op.method.to_uppercase(), op.path),
    };
    quote! {
        #[doc = #doc]
        fn #name(&self, request: #request) -> impl ::std::future::Future<Output = #response> + Send;
    }
}

/// The handler: bearer first (401 before 422, as Laravel's middleware
/// does), then every parameter, then the body; all problems in one 422.
fn handler(op: &Operation, settings: &Settings) -> TokenStream {
    let _ = settings;
    let name = ident(&format!("{}_handler", op.fn_name()));
    let method = ident(&op.fn_name());
    let request = format_ident!("{}Request", op.type_prefix());
    let bearer = op.bearer.then(|| {
        quote! {
            let bearer = match rt::bearer(parts.headers()) {
                Ok(token) => token,
                Err(error) => return error.into_response(),
            };
            if !api.authenticate(&bearer).await {
                return rt::ErrorResponse::unauthorized().into_response();
            }
        }
    });
    let mut reads = Vec::new();
    let mut bindings = Vec::new();
    for p in &op.params {
        let var = format_ident!("param_{}", p.field);
        let (_, _, location) = location_name(p.location);
        let param_name = &p.name;
        let kind = kind(p);
        let ty = rust_type(&p.ty);
        let spec = quote!(&rt::ParamSpec { name: #param_name, location: #location, kind: #kind });
        let read = match (&p.default, p.required) {
            (_, true) => quote!(validator.required::<#ty>(#spec)),
            (Some(default), false) => {
                let json = default.to_string();
                quote!(validator.with_default::<#ty>(#spec, rt::reexports::serde_json::from_str(#json).unwrap_or_default()))
            }
            (None, false) => quote!(validator.optional::<#ty>(#spec)),
        };
        reads.push(quote!(let #var = #read;));
        bindings.push(var);
    }
    let body_param = op.body.as_ref().map(|_| quote!(, body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>));
    let body_read = op.body.as_ref().map(|Body { schema, required, .. }| {
        let ty = body_type(schema);
        let read = if *required {
            quote!(validator.json_body::<#ty>(&body))
        } else {
            quote!(if body.is_empty() { Ok(None) } else { validator.json_body::<#ty>(&body).map(Some) })
        };
        quote! {
            let body = match body {
                Ok(body) => body,
                Err(rejection) => return rt::ErrorResponse::new(rejection.status(), rejection.body_text()).into_response(),
            };
            let param_body = #read;
        }
    });
    if op.body.is_some() {
        bindings.push(format_ident!("param_body"));
    }
    let patterns = bindings.iter().map(|b| quote!(Ok(#b)));
    let mut fields = Vec::new();
    if op.bearer {
        fields.push(quote!(bearer,));
    }
    for location in LOCATIONS {
        let params: Vec<&Param> = op.params.iter().filter(|p| p.location == location).collect();
        if params.is_empty() {
            continue;
        }
        let (suffix, _, _) = location_name(location);
        let ty = format_ident!("{}{}", op.type_prefix(), suffix);
        let field = format_ident!("{}", suffix.to_lowercase());
        let inits = params.iter().map(|p| {
            let f = ident(&p.field);
            let var = format_ident!("param_{}", p.field);
            quote!(#f: #var,)
        });
        fields.push(quote!(#field: #ty { #(#inits)* },));
    }
    if op.body.is_some() {
        fields.push(quote!(body: param_body,));
    }
    let utoipa = utoipa_path(op);
    quote! {
        #utoipa
        async fn #name<A: Api>(State(api): State<Arc<A>>, parts: rt::RequestParts #body_param) -> Response {
            #bearer
            let mut validator = rt::Validator::new(&parts);
            #(#reads)*
            #body_read
            let (#(#patterns,)*) = (#(#bindings,)*) else {
                return validator.into_response();
            };
            api.#method(#request { #(#fields)* }).await.into_response()
        }
    }
}

fn utoipa_path(op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.method);
    let path = &op.path;
    let id = &op.id;
    let mut attrs = vec![quote!(#method), quote!(path = #path), quote!(operation_id = #id)];
    if let Some(tag) = op.tags.first() {
        attrs.push(quote!(tag = #tag));
    }
    if let Some(summary) = &op.summary {
        attrs.push(quote!(summary = #summary));
    }
    if let Some(description) = &op.description {
        attrs.push(quote!(description = #description));
    }
    let param_structs: Vec<_> = LOCATIONS
        .iter()
        .filter(|l| op.params.iter().any(|p| p.location == **l))
        .map(|l| format_ident!("{}{}", op.type_prefix(), location_name(*l).0))
        .collect();
    if !param_structs.is_empty() {
        attrs.push(quote!(params(#(#param_structs),*)));
    }
    if let Some(Body { schema, description, .. }) = &op.body {
        let ty = body_type(schema);
        let description = description.clone().unwrap_or_default();
        attrs.push(quote!(request_body(content = #ty, content_type = "application/json", description = #description)));
    }
    let responses = op.responses.iter().map(|r| {
        let status = Literal::u16_unsuffixed(r.status);
        let description = &r.description;
        match &r.body {
            Some(schema) => {
                let ty = body_type(schema);
                quote!((status = #status, description = #description, body = #ty, content_type = "application/json"))
            }
            None => quote!((status = #status, description = #description)),
        }
    });
    attrs.push(quote!(responses(#(#responses),*)));
    if let Some(security) = &op.security {
        if security.is_empty() {
            attrs.push(quote!(security(())));
        } else {
            let names = security.iter().map(|s| quote!((#s = [])));
            attrs.push(quote!(security(#(#names),*)));
        }
    }
    quote!(#[::utoipa::path(#(#attrs),*)])
}

fn operation_items(op: &Operation, settings: &Settings) -> TokenStream {
    let structs = LOCATIONS.iter().filter_map(|l| params_struct(op, *l));
    let request = request_struct(op);
    let response = response_enum(op);
    let handler = handler(op, settings);
    quote! {
        #(#structs)*
        #request
        #response
        #handler
    }
}

fn router(operations: &[Operation]) -> TokenStream {
    let mut by_path: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in operations {
        by_path.entry(op.path.as_str()).or_default().push(op);
    }
    let routes = by_path.iter().map(|(path, ops)| {
        let methods = ops.iter().map(|op| {
            let method = format_ident!("{}", op.method);
            let handler = ident(&format!("{}_handler", op.fn_name()));
            quote!(.#method(#handler::<A>))
        });
        quote!(.route(#path, axum::routing::MethodRouter::new() #(#methods)* .fallback(rt::method_not_allowed)))
    });
    quote! {
        /// The routes of the API (relative to [`BASE_PATH`]) and
        /// `/openapi.json`, the server's own document. Unknown paths and
        /// methods get 404 and 405 in the error shape.
        pub fn router<A: Api>(api: A) -> axum::Router {
            router_serving(api, &openapi())
        }

        /// [`router`] serving `document` as `/openapi.json`: a deployment
        /// that lists itself in `servers` (so that a docs page sends its
        /// "try it" requests there) changes [`openapi`]'s document and
        /// serves it here.
        pub fn router_serving<A: Api>(api: A, document: &::utoipa::openapi::OpenApi) -> axum::Router {
            axum::Router::new()
                #(#routes)*
                .route("/openapi.json", rt::json_document(document))
                .fallback(rt::not_found)
                .with_state(Arc::new(api))
        }

        /// The server's OpenAPI document, built by utoipa from the
        /// annotations above.
        pub fn openapi() -> ::utoipa::openapi::OpenApi {
            <ApiDoc as ::utoipa::OpenApi>::openapi()
        }
    }
}

fn api_doc(doc: &Value, operations: &[Operation], settings: &Settings) -> Result<TokenStream, Error> {
    let _ = settings;
    let title = doc.pointer("/info/title").and_then(Value::as_str).unwrap_or_default();
    let version = doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default();
    let description = doc.pointer("/info/description").and_then(Value::as_str).unwrap_or_default();
    let handlers = operations.iter().map(|op| ident(&format!("{}_handler", op.fn_name())));
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| {
            let name = format_ident!("{}", name);
            quote!(types::#name)
        });
    let servers = doc.get("servers").and_then(Value::as_array).into_iter().flatten().filter_map(|s| str_field(s, "url")).map(|url| {
        quote!((url = #url))
    });
    let tags = doc.get("tags").and_then(Value::as_array).into_iter().flatten().map(|t| {
        let name = str_field(t, "name").unwrap_or_default();
        match str_field(t, "description") {
            Some(description) => quote!((name = #name, description = #description)),
            None => quote!((name = #name)),
        }
    });
    let security = doc.get("security").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).map(|req| {
        let names = req.keys().map(|k| quote!(#k = []));
        quote!((#(#names),*))
    });
    let mut schemes = Vec::new();
    for (name, scheme) in doc.pointer("/components/securitySchemes").and_then(Value::as_object).into_iter().flatten() {
        let pointer = format!("/components/securitySchemes/{}", token(name));
        let built = match (str_field(scheme, "type"), str_field(scheme, "scheme").map(str::to_ascii_lowercase).as_deref()) {
            (Some("http"), Some("bearer")) => quote!(::utoipa::openapi::security::SecurityScheme::Http(
                ::utoipa::openapi::security::Http::new(::utoipa::openapi::security::HttpAuthScheme::Bearer)
            )),
            (Some("http"), Some("basic")) => quote!(::utoipa::openapi::security::SecurityScheme::Http(
                ::utoipa::openapi::security::Http::new(::utoipa::openapi::security::HttpAuthScheme::Basic)
            )),
            (Some("apiKey"), _) if str_field(scheme, "in") == Some("header") => {
                let header = str_field(scheme, "name").unwrap_or_default();
                quote!(::utoipa::openapi::security::SecurityScheme::ApiKey(
                    ::utoipa::openapi::security::ApiKey::Header(::utoipa::openapi::security::ApiKeyValue::new(#header))
                ))
            }
            _ => return Err(Error::at(pointer, "only http bearer/basic and header apiKey security schemes are supported")),
        };
        schemes.push(quote!(components.add_security_scheme(#name, #built);));
    }
    Ok(quote! {
        /// The document utoipa builds from the generated annotations; the
        /// parity test compares it with the source spec.
        #[derive(::utoipa::OpenApi)]
        #[openapi(
            info(title = #title, version = #version, description = #description),
            servers(#(#servers),*),
            paths(#(#handlers),*),
            components(schemas(#(#schemas),*)),
            security(#(#security),*),
            tags(#(#tags),*),
            modifiers(&SecuritySchemes)
        )]
        pub struct ApiDoc;

        /// Adds the spec's security schemes (utoipa has no attribute for them).
        struct SecuritySchemes;

        impl ::utoipa::Modify for SecuritySchemes {
            fn modify(&self, openapi: &mut ::utoipa::openapi::OpenApi) {
                let components = openapi.components.get_or_insert_with(Default::default);
                #(#schemes)*
            }
        }
    })
}
