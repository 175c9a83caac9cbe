//! The server module: parameter structs, request structs, response enums,
//! handlers with `#[utoipa::path]`, the `Api` trait, the router, `ApiDoc`.

use std::collections::BTreeMap;

use openapi_spec::document::{self, Loc};
use openapi_spec::to_openapi_31;
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};
use serde_json::{Map, Value, json};

use crate::model::{
    Answer, ArrayStyle, BodyType, BoundsSpec, Content, Format, KeyIn, KindSpec, Location, Model, Operation, Param, RequestBody, Response,
    RustType, Scheme, SchemeKind, StatusKey, model,
};
use crate::names::rust_type_name;
use crate::utoipa_json::for_utoipa;
use crate::{Error, Settings};

/// The whole server module for a document, or every refusal found.
pub fn server(doc: &Value, settings: &Settings) -> Result<TokenStream, Vec<Error>> {
    let model = model(doc, settings)?;
    let Settings { types, runtime, .. } = settings;
    let per_operation = model.operations.iter().map(|op| operation_items(op, &model, settings));
    let trait_methods = model.operations.iter().map(trait_method);
    let credential = credential_enum(&model.schemes);
    let authenticate = (!model.schemes.is_empty()).then(|| {
        quote! {
            /// Whether `credential` is known. Called before any parameter
            /// is read, for each credential of the security alternative the
            /// request satisfies, so that an unknown one is a 401 whatever
            /// else the request gets wrong. The default accepts every
            /// credential (each operation can still refuse).
            fn authenticate(&self, credential: &Credential) -> impl ::std::future::Future<Output = bool> + Send {
                let _ = credential;
                async { true }
            }
        }
    });
    let rejection_body = model.refusal_body.as_ref().map(|refusal| {
        let ty = body_type(&refusal.ty);
        match &settings.error_format {
            Some(format) => {
                let path = &format.path;
                quote! {
                    /// The body of the answers the server gives itself (401,
                    /// invalid parameters or body, 413, 415, 404, 405): by
                    /// default the error format chosen at generation.
                    fn rejection_body(&self, rejection: &rt::Rejection) -> #ty {
                        <#path as rt::ErrorFormat>::body(rejection)
                    }
                }
            }
            None => quote! {
                /// The body of the answers the server gives itself (401,
                /// invalid parameters or body, 413, 415, 404, 405), in the
                /// schema the spec declares for them.
                fn rejection_body(&self, rejection: &rt::Rejection) -> #ty;
            },
        }
    });
    let router = router(&model);
    let api_doc = api_doc(doc, &model)?;
    let base_path = doc.pointer("/servers/0/url").and_then(Value::as_str).map(base_path_of).unwrap_or_default();
    Ok(quote! {
        #![allow(clippy::all, unused_imports, unused_variables, unused_mut, unreachable_patterns)]

        use ::std::sync::Arc;
        use #runtime as rt;
        use #types as types;
        use rt::reexports::axum::{self, extract::State, response::{IntoResponse, Response}, http::StatusCode};

        /// The path of the first server URL, under which [`router`]'s
        /// routes are meant to be nested.
        pub const BASE_PATH: &str = #base_path;

        #credential

        /// The API: one method per operation, each taking typed, validated
        /// inputs and returning the operation's response enum.
        pub trait Api: Send + Sync + 'static {
            #authenticate
            #rejection_body
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
    // A templated server (`{basePath}`) names no fixed path.
    if path.contains('{') { String::new() } else { path.trim_end_matches('/').to_owned() }
}

fn doc_attr(text: &Option<String>) -> TokenStream {
    match text {
        Some(text) if !text.is_empty() => quote!(#[doc = #text]),
        _ => quote!(),
    }
}

pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    match syn::parse_str::<syn::Ident>(name) {
        Ok(ident) => ident,
        // A keyword: `r#type`, or `type_` for those raw identifiers cannot spell.
        Err(_) if !matches!(name, "self" | "Self" | "super" | "crate" | "_") => proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site()),
        Err(_) => format_ident!("{}_", name),
    }
}

fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::Component(name) => {
            let name = format_ident!("{}", name);
            quote!(types::#name)
        }
        RustType::Int(name) => {
            let name = format_ident!("{}", name);
            quote!(#name)
        }
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        RustType::String => quote!(::std::string::String),
        RustType::Json => quote!(rt::reexports::serde_json::Value),
        RustType::JsonObject => quote!(rt::reexports::serde_json::Map<::std::string::String, rt::reexports::serde_json::Value>),
        RustType::Vec(item) => {
            let item = rust_type(item);
            quote!(::std::vec::Vec<#item>)
        }
    }
}

fn body_type(ty: &BodyType) -> TokenStream {
    match ty {
        BodyType::Component(name) => {
            let name = format_ident!("{}", rust_type_name(name));
            quote!(types::#name)
        }
        BodyType::Inline(_) => quote!(rt::reexports::serde_json::Value),
    }
}

/// The field's type in its struct: optional without default is `Option`.
fn field_type(param: &Param) -> TokenStream {
    let ty = rust_type(&param.ty);
    if param.required || param.default.is_some() { ty } else { quote!(::std::option::Option<#ty>) }
}

/// `Some(value)` or `None`, as an unsuffixed literal.
fn option_literal<T: Copy>(value: Option<T>, literal: fn(T) -> Literal) -> TokenStream {
    match value.map(literal) {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn bounds(b: &BoundsSpec) -> TokenStream {
    let (min, max) = (option_literal(b.minimum, Literal::f64_unsuffixed), option_literal(b.maximum, Literal::f64_unsuffixed));
    let (emin, emax) = (b.exclusive_minimum, b.exclusive_maximum);
    quote!(rt::Bounds { minimum: #min, maximum: #max, exclusive_minimum: #emin, exclusive_maximum: #emax })
}

/// `rt::ParamSpec { .. }` of a parameter: the one table of its checks, which
/// the server's handler and [`parameter_table`] share.
fn param_spec(p: &Param) -> TokenStream {
    let (_, _, _, location) = location_names(p.location);
    let name = &p.name;
    let kind = kind(&p.kind);
    quote!(rt::ParamSpec { name: #name, location: #location, kind: #kind })
}

/// Every operation's parameters as the runtime checks them:
/// `pub const PARAMETERS: &[rt::OperationParameters]`, for a client that
/// checks a request before sending it with the server's own rules
/// (`rt` must name the runtime where the tokens go).
pub fn parameter_table(doc: &Value, settings: &Settings) -> Result<TokenStream, Vec<Error>> {
    let model = model(doc, settings)?;
    let operations = model.operations.iter().map(|op| {
        let (id, path) = (&op.id, &op.path);
        let specs = op.params.iter().map(param_spec);
        quote!(rt::OperationParameters { operation_id: #id, path: #path, parameters: &[#(#specs),*] })
    });
    Ok(quote! {
        /// Each operation's parameters as the spec constrains them, in the
        /// runtime's terms: the generated server reads requests with the
        /// same kinds.
        pub const PARAMETERS: &[rt::OperationParameters] = &[#(#operations),*];
    })
}

/// The runtime's parsing rule for a parameter.
fn kind(kind: &KindSpec) -> TokenStream {
    match kind {
        KindSpec::Integer(b) => {
            let b = bounds(b);
            quote!(rt::Kind::Integer(#b))
        }
        KindSpec::Number(b) => {
            let b = bounds(b);
            quote!(rt::Kind::Number(#b))
        }
        KindSpec::Boolean => quote!(rt::Kind::Boolean),
        KindSpec::DateTime => quote!(rt::Kind::DateTime),
        KindSpec::Enum => quote!(rt::Kind::Enum),
        KindSpec::Any => quote!(rt::Kind::Any),
        KindSpec::OneOf(values) => quote!(rt::Kind::OneOf(&[#(#values),*])),
        KindSpec::Text { min_length, max_length, pattern } => {
            let (min, max) = (option_literal(*min_length, Literal::u64_unsuffixed), option_literal(*max_length, Literal::u64_unsuffixed));
            let pattern = match pattern {
                Some(p) => quote!(Some(#p)),
                None => quote!(None),
            };
            quote!(rt::Kind::Text { min_length: #min, max_length: #max, pattern: #pattern })
        }
        KindSpec::Array { items, style, min_items, max_items } => {
            let items = self::kind(items);
            let style = match style {
                ArrayStyle::Exploded => quote!(Exploded),
                ArrayStyle::Comma => quote!(Comma),
                ArrayStyle::Space => quote!(Space),
                ArrayStyle::Pipe => quote!(Pipe),
            };
            let (min, max) = (option_literal(*min_items, Literal::u64_unsuffixed), option_literal(*max_items, Literal::u64_unsuffixed));
            quote!(rt::Kind::Array { items: &#items, style: rt::ArrayStyle::#style, min_items: #min, max_items: #max })
        }
        KindSpec::Object { properties } => {
            let properties = properties.iter().map(|(name, k)| {
                let k = self::kind(k);
                quote!((#name, #k))
            });
            quote!(rt::Kind::Object { properties: &[#(#properties),*] })
        }
    }
}

/// (struct suffix, field name, utoipa `parameter_in`, runtime location)
fn location_names(location: Location) -> (&'static str, &'static str, TokenStream, TokenStream) {
    match location {
        Location::Path => ("Path", "path", quote!(Path), quote!(rt::Location::Path)),
        Location::Query => ("Query", "query", quote!(Query), quote!(rt::Location::Query)),
        Location::Header => ("Headers", "headers", quote!(Header), quote!(rt::Location::Header)),
        Location::Cookie => ("Cookies", "cookies", quote!(Cookie), quote!(rt::Location::Cookie)),
    }
}

const LOCATIONS: [Location; 4] = [Location::Path, Location::Query, Location::Header, Location::Cookie];

fn has_location(op: &Operation, location: Location) -> bool {
    op.params.iter().any(|p| p.location == location)
}

/// The parameter struct of one location, with utoipa `IntoParams` (the
/// schemas themselves are the spec's, set on the document by `ApiDoc`).
/// The constant of a default a literal writes (an integer, a number or a
/// boolean of the parameter's own type): its name and value.
fn default_const(p: &Param) -> Option<(proc_macro2::Ident, TokenStream)> {
    let value = p.default.as_ref()?;
    let literal = match (&p.ty, value) {
        // Only a value of the type: one it cannot hold is the runtime's
        // `InvalidDefault` problem, not a build error of the generated code.
        (RustType::Int(ty), Value::Number(n)) => {
            let n = n.as_i64()?;
            let (low, high): (i128, i128) = match *ty {
                "i8" => (i8::MIN.into(), i8::MAX.into()),
                "i16" => (i16::MIN.into(), i16::MAX.into()),
                "i32" => (i32::MIN.into(), i32::MAX.into()),
                "u8" => (0, u8::MAX.into()),
                "u16" => (0, u16::MAX.into()),
                "u32" => (0, u32::MAX.into()),
                "u64" => (0, u64::MAX.into()),
                _ => (i64::MIN.into(), i64::MAX.into()),
            };
            (low..=high).contains(&i128::from(n)).then(|| Literal::i64_unsuffixed(n).into_token_stream())?
        }
        (RustType::F64, Value::Number(n)) => Literal::f64_unsuffixed(n.as_f64()?).into_token_stream(),
        (RustType::Bool, Value::Bool(b)) => quote!(#b),
        _ => return None,
    };
    let name = format_ident!("DEFAULT_{}", p.field.to_uppercase());
    Some((name, literal))
}

fn params_struct(op: &Operation, location: Location) -> Option<TokenStream> {
    if !has_location(op, location) {
        return None;
    }
    let (suffix, _, parameter_in, _) = location_names(location);
    let name = format_ident!("{}{}", op.type_prefix(), suffix);
    let doc = format!("{suffix} parameters of `{}`.", op.id);
    let fields = op.params.iter().filter(|p| p.location == location).map(|p| {
        let field = ident(&p.field);
        let ty = field_type(p);
        let doc = doc_attr(&p.description);
        let (rename, required) = (&p.name, p.required);
        quote! {
            #doc
            #[param(rename = #rename, required = #required, value_type = Object)]
            pub #field: #ty,
        }
    });
    let defaults: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == location)
        .filter_map(|p| {
            let (constant, value) = default_const(p)?;
            let ty = rust_type(&p.ty);
            let doc = format!("The spec's default of `{}`.", p.name);
            Some(quote! {
                #[doc = #doc]
                pub const #constant: #ty = #value;
            })
        })
        .collect();
    let defaults = (!defaults.is_empty()).then(|| quote!(impl #name { #(#defaults)* }));
    Some(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, ::utoipa::IntoParams)]
        #[into_params(parameter_in = #parameter_in)]
        pub struct #name {
            #(#fields)*
        }
        #defaults
    })
}

fn scheme_type(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Bearer => quote!(rt::BearerToken),
        SchemeKind::Basic => quote!(rt::BasicCredentials),
        SchemeKind::ApiKey { .. } => quote!(rt::ApiKey),
    }
}

/// The credential of `scheme` in the request, if presented.
fn scheme_read(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Bearer => quote!(rt::bearer(parts.headers())),
        SchemeKind::Basic => quote!(rt::basic(parts.headers())),
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                KeyIn::Header => quote!(Header),
                KeyIn::Query => quote!(Query),
                KeyIn::Cookie => quote!(Cookie),
            };
            quote!(rt::api_key(&parts, rt::KeyIn::#location, #name))
        }
    }
}

fn credential_enum(schemes: &[Scheme]) -> Option<TokenStream> {
    if schemes.is_empty() {
        return None;
    }
    let variants = schemes.iter().map(|s| {
        let variant = format_ident!("{}", s.variant());
        let ty = scheme_type(&s.kind);
        let how = match &s.kind {
            SchemeKind::Bearer => "`Authorization: Bearer`".to_owned(),
            SchemeKind::Basic => "`Authorization: Basic`".to_owned(),
            SchemeKind::ApiKey { location, name } => format!("API key `{name}` in the {}", format!("{location:?}").to_lowercase()),
        };
        let doc = match &s.description {
            Some(d) => format!("`{}`: {how}. {d}", s.name),
            None => format!("`{}`: {how}.", s.name),
        };
        quote!(#[doc = #doc] #variant(#ty),)
    });
    Some(quote! {
        /// A credential presented with a request, by security scheme.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Credential {
            #(#variants)*
        }
    })
}

fn request_struct(op: &Operation, model: &Model) -> TokenStream {
    let name = format_ident!("{}Request", op.type_prefix());
    let doc = format!("The validated inputs of `{}`.", op.id);
    let mut fields = Vec::new();
    if let Some(security) = &op.security {
        match security.single().and_then(|name| model.schemes.iter().find(|s| s.name == name)) {
            Some(scheme) => {
                let field = ident(&scheme.field());
                let ty = scheme_type(&scheme.kind);
                let doc = format!("The `{}` credential (accepted by `Api::authenticate`).", scheme.name);
                fields.push(quote!(#[doc = #doc] pub #field: #ty,));
            }
            None => fields.push(quote! {
                /// The credentials of the security alternative the request
                /// satisfied (each accepted by `Api::authenticate`); empty
                /// for anonymous access.
                pub credentials: ::std::vec::Vec<Credential>,
            }),
        }
    }
    for location in LOCATIONS.into_iter().filter(|l| has_location(op, *l)) {
        let (suffix, field, _, _) = location_names(location);
        let ty = format_ident!("{}{}", op.type_prefix(), suffix);
        let field = format_ident!("{}", field);
        fields.push(quote!(pub #field: #ty,));
    }
    if op.responses.iter().any(|r| r.content.negotiated()) {
        fields.push(quote! {
            /// The request's `Accept`: some responses come in several
            /// representations, and the service picks.
            pub accept: rt::Accept,
        });
    }
    let mut body_enum = None;
    if let Some(body) = &op.body {
        let ty = match &body.ty {
            Some(ty) if body.mixed() => {
                let name = format_ident!("{}Body", op.type_prefix());
                let ty = body_type(ty);
                let decoded: Vec<&str> = body.media_types.iter().filter(|(_, f)| *f != Format::Raw).map(|(m, _)| m.as_str()).collect();
                let raw: Vec<&str> = body.media_types.iter().filter(|(_, f)| *f == Format::Raw).map(|(m, _)| m.as_str()).collect();
                let (decoded, raw) = (format!("Sent as {}: decoded.", decoded.join(", ")), format!("Sent as {}: the bytes.", raw.join(", ")));
                let doc = format!("The request body of `{}`, as its media type allows.", op.id);
                body_enum = Some(quote! {
                    #[doc = #doc]
                    #[derive(Clone, Debug)]
                    pub enum #name {
                        #[doc = #decoded]
                        Decoded(#ty),
                        #[doc = #raw]
                        Other(rt::RawBody),
                    }
                });
                quote!(#name)
            }
            Some(ty) => body_type(ty),
            None => quote!(rt::RawBody),
        };
        let ty = if body.required { ty } else { quote!(::std::option::Option<#ty>) };
        let doc = doc_attr(&body.description);
        fields.push(quote!(#doc pub body: #ty,));
    }
    quote! {
        #body_enum

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn status_literal(code: u16) -> TokenStream {
    let code = Literal::u16_unsuffixed(code);
    quote!(rt::status(#code))
}

/// The enum of a response's representations (JSON, and others as bytes).
fn representations_name(op: &Operation, response: &Response) -> proc_macro2::Ident {
    format_ident!("{}{}Body", op.type_prefix(), response.variant)
}

/// A response variant's fields: `status` (ranges, `default`), `body`, headers.
fn variant_fields(op: &Operation, response: &Response) -> (Vec<(proc_macro2::Ident, TokenStream, Option<String>)>, bool) {
    let mut fields = Vec::new();
    if response.carries_status() {
        fields.push((format_ident!("status"), quote!(StatusCode), Some("The status sent.".to_owned())));
    }
    let body = match &response.content {
        Content::None => None,
        Content::Json { ty, others, .. } if others.is_empty() => Some(body_type(ty)),
        Content::Json { .. } => {
            let name = representations_name(op, response);
            Some(quote!(#name))
        }
        Content::Raw { .. } => Some(quote!(rt::RawBody)),
    };
    if let Some(body) = &body {
        fields.push((format_ident!("body"), body.clone(), None));
    }
    for header in &response.headers {
        let ty = rust_type(&header.ty);
        let ty = if header.required { ty } else { quote!(::std::option::Option<#ty>) };
        let doc = match &header.description {
            Some(d) => format!("Header `{}`: {d}", header.name),
            None => format!("Header `{}`.", header.name),
        };
        fields.push((ident(&header.field), ty, Some(doc)));
    }
    // A variant with only a body is a tuple variant.
    let tuple = !response.carries_status() && response.headers.is_empty() && body.is_some();
    (fields, tuple)
}

fn response_enum(op: &Operation) -> TokenStream {
    let name = format_ident!("{}Response", op.type_prefix());
    let doc = format!("The documented responses of `{}`, one variant per status.", op.id);
    let variants = op.responses.iter().map(|r| {
        let variant = format_ident!("{}", r.variant);
        let status = match r.key {
            StatusKey::Code(code) => code.to_string(),
            StatusKey::Range(digit) => format!("{digit}XX"),
            StatusKey::Default => "default".into(),
        };
        let doc = format!("{status}: {}", r.description);
        let (fields, tuple) = variant_fields(op, r);
        if fields.is_empty() {
            quote!(#[doc = #doc] #variant,)
        } else if tuple {
            let ty = &fields[0].1;
            quote!(#[doc = #doc] #variant(#ty),)
        } else {
            let fields = fields.iter().map(|(field, ty, doc)| {
                let doc = doc_attr(doc);
                quote!(#doc #field: #ty)
            });
            quote!(#[doc = #doc] #variant { #(#fields),* },)
        }
    });
    let arms = op.responses.iter().map(|r| {
        let variant = format_ident!("{}", r.variant);
        let (fields, tuple) = variant_fields(op, r);
        let status = match r.key {
            StatusKey::Code(code) => status_literal(code),
            StatusKey::Range(digit) => {
                let digit = Literal::u16_unsuffixed(digit);
                quote!(rt::status_in(status, #digit))
            }
            StatusKey::Default => quote!(status),
        };
        let response = match &r.content {
            Content::None => quote!(#status.into_response()),
            Content::Json { media_type, others, .. } if others.is_empty() => quote!(rt::json_response(#status, &body, #media_type)),
            Content::Json { media_type, .. } => {
                let name = representations_name(op, r);
                quote!(match body {
                    #name::Json(body) => rt::json_response(#status, &body, #media_type),
                    #name::Other(body) => rt::raw_response(#status, body),
                })
            }
            Content::Raw { .. } => quote!(rt::raw_response(#status, body)),
        };
        let headers = r.headers.iter().map(|h| {
            let field = ident(&h.field);
            let wire = h.name.to_ascii_lowercase();
            if h.required {
                quote!(let response = rt::with_header(response, #wire, &#field);)
            } else {
                quote!(let response = match &#field { Some(value) => rt::with_header(response, #wire, value), None => response };)
            }
        });
        let pattern = if fields.is_empty() {
            quote!(Self::#variant)
        } else if tuple {
            quote!(Self::#variant(body))
        } else {
            let names = fields.iter().map(|(f, _, _)| f);
            quote!(Self::#variant { #(#names),* })
        };
        quote!(#pattern => {
            let response = #response;
            #(#headers)*
            response
        })
    });
    let representations = op.responses.iter().filter_map(|r| {
        let Content::Json { ty, media_types, others, .. } = &r.content else { return None };
        if others.is_empty() {
            return None;
        }
        let name = representations_name(op, r);
        let ty = body_type(ty);
        let doc = format!("The representations of `{}`'s {} response: the service picks one (see the request's `accept`).", op.id, r.variant);
        let json = format!("As {}.", media_types.join(", "));
        let other = format!("As {}: bytes with their media type.", others.join(", "));
        Some(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub enum #name {
                #[doc = #json]
                Json(#ty),
                #[doc = #other]
                Other(rt::RawBody),
            }
        })
    });
    quote! {
        #(#representations)*

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

/// `fn refuse_<op>`: a rejection as the operation's documented response.
fn refuse_fn(op: &Operation, schemes: &[Scheme], has_body: bool) -> Option<TokenStream> {
    let answers = op.refusals.distinct();
    let last = answers.len().checked_sub(1)?;
    let name = format_ident!("refuse_{}", op.fn_name());
    let response = format_ident!("{}Response", op.type_prefix());
    let arms = answers.iter().enumerate().map(|(i, Answer { status, response: index })| {
        let r = &op.responses[*index];
        let variant = format_ident!("{}", r.variant);
        let (fields, tuple) = variant_fields(op, r);
        let body = match &r.content {
            // A media range (`*/*`): the rejection body as JSON, if the API has one.
            Content::Raw { .. } if has_body => quote!(rt::RawBody::json(&api.rejection_body(&rejection))),
            Content::Raw { .. } => quote!(rt::RawBody::new("text/plain", "")),
            Content::Json { others, .. } if !others.is_empty() => {
                let name = representations_name(op, r);
                quote!(#name::Json(api.rejection_body(&rejection)))
            }
            _ => quote!(api.rejection_body(&rejection)),
        };
        let value = |field: &proc_macro2::Ident| match field.to_string().as_str() {
            "status" if r.carries_status() => quote!(rejection.status),
            "body" => body.clone(),
            _ => quote!(None),
        };
        let built = if fields.is_empty() {
            quote!(#response::#variant)
        } else if tuple {
            quote!(#response::#variant(#body))
        } else {
            let inits = fields.iter().map(|(f, _, _)| {
                let v = value(f);
                quote!(#f: #v)
            });
            quote!(#response::#variant { #(#inits),* })
        };
        let pattern = if i == last {
            quote!(_)
        } else {
            let status = Literal::u16_unsuffixed(*status);
            quote!(#status)
        };
        quote!(#pattern => #built.into_response(),)
    });
    // RFC 9110: a 401 says how to authenticate (bearer and basic schemes).
    let mut challenges: Vec<&str> = Vec::new();
    for scheme in op.security.iter().flat_map(|s| s.alternatives.iter().flatten()).filter_map(|n| schemes.iter().find(|s| s.name == *n)) {
        let challenge = match scheme.kind {
            SchemeKind::Bearer => "Bearer",
            SchemeKind::Basic => "Basic realm=\"api\", charset=\"UTF-8\"",
            SchemeKind::ApiKey { .. } => continue,
        };
        if !challenges.contains(&challenge) {
            challenges.push(challenge);
        }
    }
    let challenge = (!challenges.is_empty()).then(|| {
        let challenge = challenges.join(", ");
        quote! {
            if unauthenticated {
                return rt::with_header(response, "www-authenticate", &#challenge);
            }
        }
    });
    let flag = challenge.as_ref().map(|_| quote!(let unauthenticated = rejection.reason == rt::Reason::Unauthenticated;));
    Some(quote! {
        fn #name<A: Api>(api: &A, rejection: rt::Rejection) -> Response {
            #flag
            let response = match rejection.status.as_u16() {
                #(#arms)*
            };
            #challenge
            response
        }
    })
}

fn rejection(answer: Option<Answer>, reason: TokenStream) -> TokenStream {
    let status = status_literal(answer.map_or(500, |a| a.status));
    quote!(rt::Rejection::new(#status, #reason))
}

fn body_spec(body: &RequestBody) -> TokenStream {
    let accepted = body.media_types.iter().map(|(media, format)| {
        let format = match format {
            Format::Json => quote!(Json),
            Format::Form => quote!(Form),
            Format::Raw => quote!(Raw),
        };
        quote!((#media, rt::BodyFormat::#format))
    });
    let names = body.media_types.iter().map(|(m, _)| m);
    let required = body.required;
    quote!(&rt::BodySpec { accepted: &[#(#accepted),*], media_types: &[#(#names),*], required: #required })
}

/// The handler: credentials first (401 before anything else), then the
/// body's media type (415), then every parameter and the body, all
/// problems in one answer.
fn handler(op: &Operation, model: &Model, settings: &Settings) -> TokenStream {
    let name = ident(&format!("{}_handler", op.fn_name()));
    let method = ident(&op.fn_name());
    let request = format_ident!("{}Request", op.type_prefix());
    let refuse = format_ident!("refuse_{}", op.fn_name());
    let unauthenticated = rejection(op.refusals.unauthenticated, quote!(rt::Reason::Unauthenticated));
    let mut fields = Vec::new();
    let security = op.security.as_ref().map(|security| {
        let scheme = |name: &str| model.schemes.iter().find(|s| s.name == name).expect("checked by the model");
        if let Some(single) = security.single() {
            let scheme = scheme(single);
            let (read, variant, field) = (scheme_read(&scheme.kind), format_ident!("{}", scheme.variant()), ident(&scheme.field()));
            fields.push(quote!(#field,));
            return quote! {
                let Some(#field) = #read else {
                    return #refuse(&*api, #unauthenticated);
                };
                if !api.authenticate(&Credential::#variant(#field.clone())).await {
                    return #refuse(&*api, #unauthenticated);
                }
            };
        }
        let attempts = security.alternatives.iter().filter(|a| !a.is_empty()).map(|alternative| {
            let vars: Vec<_> = (0..alternative.len()).map(|i| format_ident!("c{}", i)).collect();
            let reads = alternative.iter().map(|n| scheme_read(&scheme(n).kind));
            let built = alternative.iter().zip(&vars).map(|(n, var)| {
                let variant = format_ident!("{}", scheme(n).variant());
                quote!(Credential::#variant(#var))
            });
            quote! {
                if let (#(Some(#vars),)*) = (#(#reads,)*) {
                    break 'credentials vec![#(#built),*];
                }
            }
        });
        let otherwise = if security.anonymous_allowed() { quote!(::std::vec::Vec::new()) } else { quote!(return #refuse(&*api, #unauthenticated)) };
        fields.push(quote!(credentials,));
        quote! {
            let credentials: ::std::vec::Vec<Credential> = 'credentials: {
                #(#attempts)*
                #otherwise
            };
            for credential in &credentials {
                if !api.authenticate(credential).await {
                    return #refuse(&*api, #unauthenticated);
                }
            }
        }
    });
    let body_param = op.body.as_ref().map(|_| quote!(, body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>));
    let body_format = op.body.as_ref().map(|body| {
        let spec = body_spec(body);
        let unreadable = rejection(op.refusals.body_unreadable, quote!(rt::Reason::BodyUnreadable { message: error.body_text() }));
        let unsupported = rejection(op.refusals.unsupported_media_type, quote!(reason));
        quote! {
            let body = match body {
                Ok(body) => body,
                Err(error) => return #refuse(&*api, #unreadable),
            };
            let body_format = match rt::body_format(parts.headers(), &body, #spec) {
                Ok(format) => format,
                Err(reason) => return #refuse(&*api, #unsupported),
            };
        }
    });
    let mut reads = Vec::new();
    let mut bindings = Vec::new();
    for p in &op.params {
        let var = format_ident!("param_{}", p.field);
        let ty = rust_type(&p.ty);
        let spec = param_spec(p);
        let spec = quote!(&#spec);
        let read = match (&p.default, p.required) {
            (_, true) => quote!(validator.required::<#ty>(#spec)),
            (Some(default), false) => match default_const(p) {
                Some((name, _)) => {
                    let owner = format_ident!("{}{}", op.type_prefix(), location_names(p.location).0);
                    quote!(validator.with_default::<#ty>(#spec, || Ok(#owner::#name)))
                }
                // Read from the spec's JSON once, on first use.
                None => {
                    let json = default.to_string();
                    quote!({
                        static DEFAULT: ::std::sync::LazyLock<::std::result::Result<#ty, ::std::string::String>> =
                            ::std::sync::LazyLock::new(|| rt::reexports::serde_json::from_str(#json).map_err(|e| e.to_string()));
                        validator.with_default::<#ty>(#spec, || DEFAULT.clone())
                    })
                }
            },
            (None, false) => quote!(validator.optional::<#ty>(#spec)),
        };
        reads.push(quote!(let #var = #read;));
        bindings.push(var);
    }
    if let Some(body) = &op.body {
        let required = body.required;
        let read = match &body.ty {
            Some(ty) if body.mixed() => {
                let name = format_ident!("{}Body", op.type_prefix());
                let ty = body_type(ty);
                quote!(match &body_format {
                    Some((rt::BodyFormat::Raw, _)) => validator.raw_body(body_format, body.clone(), #required).map(|b| b.map(#name::Other)),
                    _ => validator.body::<#ty>(body_format, &body, #required).map(|b| b.map(#name::Decoded)),
                })
            }
            Some(ty) => {
                let ty = body_type(ty);
                quote!(validator.body::<#ty>(body_format, &body, #required))
            }
            None => quote!(validator.raw_body(body_format, body.clone(), #required)),
        };
        let read = if required { quote!(#read.and_then(|b| b.ok_or(rt::Invalid))) } else { read };
        reads.push(quote!(let param_body = #read;));
        bindings.push(format_ident!("param_body"));
    }
    let validation = (!bindings.is_empty()).then(|| {
        let patterns = bindings.iter().map(|b| quote!(Ok(#b)));
        let invalid = match op.refusals.invalid {
            Some(_) => {
                let rejection = rejection(op.refusals.invalid, quote!(rt::Reason::Invalid(validator.into_problems())));
                quote!(#refuse(&*api, #rejection))
            }
            // Nothing documented for invalid input, and nothing that can
            // be invalid but an unreadable header or path: a bare 400.
            None => quote!(StatusCode::BAD_REQUEST.into_response()),
        };
        let validator = match &settings.request_settings {
            Some(path) => quote!(rt::Validator::with_settings(&parts, #path)),
            None => quote!(rt::Validator::new(&parts)),
        };
        quote! {
            let mut validator = #validator;
            #(#reads)*
            let (#(#patterns,)*) = (#(#bindings,)*) else {
                return #invalid;
            };
        }
    });
    for location in LOCATIONS.into_iter().filter(|l| has_location(op, *l)) {
        let (suffix, field, _, _) = location_names(location);
        let ty = format_ident!("{}{}", op.type_prefix(), suffix);
        let field = format_ident!("{}", field);
        let inits = op.params.iter().filter(|p| p.location == location).map(|p| {
            let f = ident(&p.field);
            let var = format_ident!("param_{}", p.field);
            quote!(#f: #var,)
        });
        fields.push(quote!(#field: #ty { #(#inits)* },));
    }
    let negotiated = op.responses.iter().any(|r| r.content.negotiated());
    if negotiated {
        fields.push(quote!(accept: rt::Accept::from_headers(parts.headers()),));
    }
    if op.body.is_some() {
        fields.push(quote!(body: param_body,));
    }
    let utoipa = utoipa_path(op);
    let parts_param =
        if op.security.is_some() || !bindings.is_empty() || negotiated { quote!(parts: rt::RequestParts) } else { quote!(_parts: rt::RequestParts) };
    quote! {
        #utoipa
        async fn #name<A: Api>(State(api): State<Arc<A>>, #parts_param #body_param) -> Response {
            #security
            #body_format
            #validation
            api.#method(#request { #(#fields)* }).await.into_response()
        }
    }
}

fn utoipa_path(op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.method);
    let path = &op.path;
    let id = &op.id;
    let mut attrs = vec![quote!(#method), quote!(path = #path), quote!(operation_id = #id)];
    if !op.tags.is_empty() {
        let tags = &op.tags;
        attrs.push(quote!(tags = [#(#tags),*]));
    }
    if let Some(summary) = &op.summary {
        attrs.push(quote!(summary = #summary));
    }
    if let Some(description) = &op.description {
        attrs.push(quote!(description = #description));
    }
    let param_structs: Vec<_> =
        LOCATIONS.iter().filter(|l| has_location(op, **l)).map(|l| format_ident!("{}{}", op.type_prefix(), location_names(*l).0)).collect();
    if !param_structs.is_empty() {
        attrs.push(quote!(params(#(#param_structs),*)));
    }
    if let Some(RequestBody { ty: Some(BodyType::Component(name)), media_types, description, .. }) = &op.body {
        let ty = body_type(&BodyType::Component(name.clone()));
        let content = media_types.iter().filter(|(_, f)| *f != Format::Raw).map(|(m, _)| quote!((#ty = #m)));
        let description = description.clone().unwrap_or_default();
        attrs.push(quote!(request_body(content(#(#content),*), description = #description)));
    }
    let responses = op.responses.iter().map(|r| {
        let status = match r.key {
            StatusKey::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            StatusKey::Range(digit) => {
                let range = format!("{digit}XX");
                quote!(#range)
            }
            StatusKey::Default => quote!("default"),
        };
        let description = &r.description;
        match &r.content {
            Content::Json { ty: ty @ BodyType::Component(_), media_types, .. } => {
                let ty = body_type(ty);
                let content = media_types.iter().map(|m| quote!((#ty = #m)));
                quote!((status = #status, description = #description, content(#(#content),*)))
            }
            _ => quote!((status = #status, description = #description)),
        }
    });
    attrs.push(quote!(responses(#(#responses),*)));
    if let Some(alternatives) = &op.own_security {
        let alternatives = alternatives.iter().map(|names| {
            let names = names.iter().map(|n| quote!(#n = []));
            quote!((#(#names),*))
        });
        attrs.push(quote!(security(#(#alternatives),*)));
    }
    quote!(#[::utoipa::path(#(#attrs),*)])
}

fn operation_items(op: &Operation, model: &Model, settings: &Settings) -> TokenStream {
    let structs = LOCATIONS.iter().filter_map(|l| params_struct(op, *l));
    let request = request_struct(op, model);
    let response = response_enum(op);
    let refuse = refuse_fn(op, &model.schemes, model.refusal_body.is_some());
    let handler = handler(op, model, settings);
    quote! {
        #(#structs)*
        #request
        #response
        #refuse
        #handler
    }
}

fn router(model: &Model) -> TokenStream {
    let mut by_path: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &model.operations {
        by_path.entry(op.path.as_str()).or_default().push(op);
    }
    let routes = by_path.iter().map(|(path, ops)| {
        let methods = ops.iter().map(|op| {
            let method = format_ident!("{}", op.method);
            let handler = ident(&format!("{}_handler", op.fn_name()));
            quote!(.#method(#handler::<A>))
        });
        quote!(.route(#path, axum::routing::MethodRouter::new() #(#methods)* .fallback(method_not_allowed::<A>)))
    });
    let answer = |status: TokenStream, reason: TokenStream| match &model.refusal_body {
        Some(body) => {
            let media_type = &body.media_type;
            quote! {
                let rejection = rt::Rejection::new(#status, #reason);
                rt::json_response(rejection.status, &api.rejection_body(&rejection), #media_type)
            }
        }
        None => quote!(#status.into_response()),
    };
    let not_found = answer(quote!(StatusCode::NOT_FOUND), quote!(rt::Reason::NotFound));
    let not_allowed = answer(quote!(StatusCode::METHOD_NOT_ALLOWED), quote!(rt::Reason::MethodNotAllowed { method }));
    quote! {
        /// The routes of the API (relative to [`BASE_PATH`]) and
        /// `/openapi.json`, the server's own document. Unknown paths and
        /// methods get 404 and 405 in the spec's error body.
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
                .route("/openapi.json", rt::json_document(document).fallback(method_not_allowed::<A>))
                .fallback(not_found::<A>)
                .with_state(Arc::new(api))
        }

        async fn not_found<A: Api>(State(api): State<Arc<A>>) -> Response {
            #not_found
        }

        async fn method_not_allowed<A: Api>(State(api): State<Arc<A>>, method: axum::http::Method) -> Response {
            #not_allowed
        }

        /// The server's OpenAPI document, built by utoipa from the
        /// annotations above.
        pub fn openapi() -> ::utoipa::openapi::OpenApi {
            <ApiDoc as ::utoipa::OpenApi>::openapi()
        }
    }
}

/// The spec's own parameters, request bodies, responses and security
/// schemes (as OpenAPI 3.1), which `ApiDoc` sets over what the
/// annotations say: utoipa's attributes cannot state every schema keyword,
/// header or media type exactly.
fn spec_fragments(doc: &Value, model: &Model) -> Result<Value, Vec<Error>> {
    let mut errors = Vec::new();
    let convert_schemas = |value: &Value| -> Value { with_schemas_31(document_resolved(doc, value)) };
    let mut paths = Map::new();
    for operation in document::operations(doc) {
        let Some(op) = model.operations.iter().find(|o| o.path == operation.path && o.method == operation.method) else { continue };
        let mut fragment = Map::new();
        let parameters: Vec<Value> = operation
            .parameters(doc)
            .iter()
            .map(|p| {
                let mut parameter = convert_schemas(p.loc.value);
                // utoipa's model needs `required` spelled out.
                if parameter.get("required").is_none() {
                    parameter["required"] = Value::Bool(false);
                }
                parameter
            })
            .collect();
        if !parameters.is_empty() {
            fragment.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = operation.loc.get("requestBody") {
            fragment.insert("requestBody".into(), convert_schemas(document::resolve(doc, body).value));
        }
        let responses: Map<String, Value> =
            operation.loc.entries_at("responses").into_iter().map(|(status, r)| (status.clone(), convert_schemas(document::resolve(doc, r).value))).collect();
        fragment.insert("responses".into(), Value::Object(responses));
        let _ = op;
        let fragment = Value::Object(fragment);
        if let Err(e) = serde_json::from_value::<utoipa::openapi::path::Operation>(fragment.clone()) {
            errors.push(Error::at(&operation.loc.pointer, format!("utoipa's document model cannot hold this operation's parameters, body or responses: {e}")));
        }
        let item = paths.entry(operation.path.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        item[operation.method] = fragment;
    }
    let mut fragments = json!({"paths": paths});
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        fragments["securitySchemes"] = schemes.clone();
    }
    if errors.is_empty() { Ok(fragments) } else { Err(errors) }
}

/// `value` with its `$ref`s to parameters, responses, headers and bodies
/// resolved (schemas stay references).
fn document_resolved(doc: &Value, value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                if !reference.starts_with("#/components/schemas/") {
                    let resolved = document::resolve(doc, Loc::new(value, ""));
                    if resolved.value != value {
                        return document_resolved(doc, resolved.value);
                    }
                }
                return value.clone();
            }
            Value::Object(map.iter().map(|(k, v)| (k.clone(), document_resolved(doc, v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| document_resolved(doc, v)).collect()),
        other => other.clone(),
    }
}

/// Every `schema` member (of a parameter, header or media type) as 3.1,
/// in the form utoipa's model holds.
fn with_schemas_31(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if k == "schema" { for_utoipa(&to_openapi_31(&v)) } else { with_schemas_31(v) };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(with_schemas_31).collect()),
        other => other,
    }
}

fn api_doc(doc: &Value, model: &Model) -> Result<TokenStream, Vec<Error>> {
    let title = doc.pointer("/info/title").and_then(Value::as_str).unwrap_or_default();
    let version = doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default();
    let description = doc.pointer("/info/description").and_then(Value::as_str).map(|d| quote!(, description = #d));
    let handlers = model.operations.iter().map(|op| ident(&format!("{}_handler", op.fn_name())));
    let schemas = doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten().map(|(name, _)| {
        let name = format_ident!("{}", rust_type_name(name));
        quote!(types::#name)
    });
    let servers = doc.get("servers").and_then(Value::as_array).into_iter().flatten().filter_map(|s| s.get("url")?.as_str()).map(|url| quote!((url = #url)));
    let tags = doc.get("tags").and_then(Value::as_array).into_iter().flatten().map(|t| {
        let name = t.get("name").and_then(Value::as_str).unwrap_or_default();
        match t.get("description").and_then(Value::as_str) {
            Some(description) => quote!((name = #name, description = #description)),
            None => quote!((name = #name)),
        }
    });
    let security = doc.get("security").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).map(|req| {
        let names = req.keys().map(|k| quote!(#k = []));
        quote!((#(#names),*))
    });
    let fragments = raw_string(&serde_json::to_string_pretty(&spec_fragments(doc, model)?).unwrap_or_default());
    Ok(quote! {
        /// The document utoipa builds from the generated annotations, with
        /// the spec's own schemas of parameters, bodies and responses; the
        /// parity test compares it with the source spec.
        #[derive(::utoipa::OpenApi)]
        #[openapi(
            info(title = #title, version = #version #description),
            servers(#(#servers),*),
            paths(#(#handlers),*),
            components(schemas(#(#schemas),*)),
            security(#(#security),*),
            tags(#(#tags),*),
            modifiers(&SpecFragments)
        )]
        pub struct ApiDoc;

        /// Sets the spec's parameters, request bodies, responses and
        /// security schemes (as OpenAPI 3.1) over the annotations'.
        struct SpecFragments;

        impl ::utoipa::Modify for SpecFragments {
            fn modify(&self, openapi: &mut ::utoipa::openapi::OpenApi) {
                rt::patch_document(openapi, #fragments);
            }
        }
    })
}

/// A raw string literal, so the JSON keeps its lines and a spec change is
/// a readable diff.
pub(crate) fn raw_string(text: &str) -> Literal {
    let hashes = "#".repeat((1..).find(|n| !text.contains(&format!("\"{}", "#".repeat(*n)))).unwrap_or(1));
    format!("r{hashes}\"{text}\"{hashes}").parse().expect("a raw string literal")
}
