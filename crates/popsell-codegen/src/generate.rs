//! The generators: every file derived from the spec, computed in memory.

use std::panic::{AssertUnwindSafe, catch_unwind};

use openapi_spec::model::{self, OperationModel, ParameterIn, ParameterModel};
use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use quote::{format_ident, quote};

use crate::CLIENT_SCOPED_EXTENSION;
use crate::builders::with_builders;
use crate::client_patch::{patch_cli, patch_client};
use openapi_spec::{Error, Spec};
use crate::format::rust_file;
use crate::rules::validate;

/// One generated file: its path relative to the workspace root and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, with `/` separators.
    pub path: String,
    /// The whole file, header included.
    pub contents: String,
}

/// Path of the shared types, generated once for client and server.
pub const TYPES_PATH: &str = "crates/popsell-types/src/generated.rs";
/// Path of the progenitor client.
pub const CLIENT_PATH: &str = "crates/popsell-client/src/generated.rs";
/// Path of the utoipa `ToSchema` impls of the shared types.
pub const TYPES_UTOIPA_PATH: &str = "crates/popsell-types/src/utoipa_schemas.rs";
/// Path of the server stub.
pub const SERVER_PATH: &str = "crates/popsell-server/src/generated.rs";
/// Path of the command-line client (progenitor's CLI generator).
pub const CLI_PATH: &str = "crates/popsell-cli/src/generated.rs";

/// Schemas implemented by hand in the types crate, because their wire form
/// is not what a generator would derive: (schema name, trait impls).
const HAND_WRITTEN_TYPES: &[(&str, &[TypeImpl])] = &[
    // Laravel writes `message` before `errors`; a derived type would not.
    ("ErrorBody", &[]),
    // `YYYY-MM-DD HH:MM:SS.fff`, round-tripped as written.
    ("LaravelDateTime", &[TypeImpl::Display, TypeImpl::FromStr]),
    // Sent as `1`/`0`, accepted as `1`/`0`/`true`/`false`.
    ("QueryBoolean", &[TypeImpl::Display, TypeImpl::FromStr, TypeImpl::Default]),
    // Enums whose values make unreadable variant names (`-last_action_date`, `"7"`).
    ("ChatroomSort", &[TypeImpl::Display, TypeImpl::FromStr, TypeImpl::Default]),
    ("ChatroomTypeFilter", &[TypeImpl::Display, TypeImpl::FromStr]),
    // Closed enums whose variants deserve their meaning in the docs.
    ("CommentedFilter", &[TypeImpl::Display, TypeImpl::FromStr]),
    ("FlagFilter", &[TypeImpl::Display, TypeImpl::FromStr]),
];

/// Validates the spec and produces every generated file, in a stable order.
/// Nothing is written: on error, the caller's tree stays as it was.
pub fn generate(spec: &Spec) -> Result<Vec<GeneratedFile>, Error> {
    validate(spec)?;
    let mut server_settings = openapi_server_gen::Settings::new(quote!(::popsell_types), quote!(::openapi_server_runtime));
    // Laravel's: `{message, errors}` with its sentences, 422 for invalid input.
    server_settings.error_format = Some(openapi_server_gen::ErrorFormat { path: quote!(crate::LaravelErrors), schema: "ErrorBody".into() });
    server_settings.validation_status = 422;
    // PHP's reading of a request: the last of a repeated key, `1`/`0` booleans.
    server_settings.request_settings = Some(quote!(::popsell_types::LARAVEL_REQUESTS));
    let view = ClientView::of(spec)?;
    Ok(vec![
        GeneratedFile { path: TYPES_PATH.into(), contents: types(spec, TYPES_PATH, "crate")? },
        GeneratedFile { path: TYPES_UTOIPA_PATH.into(), contents: utoipa_schemas(spec, TYPES_UTOIPA_PATH, quote!(crate))? },
        GeneratedFile { path: CLIENT_PATH.into(), contents: client(spec, &view)? },
        GeneratedFile { path: SERVER_PATH.into(), contents: server(spec, SERVER_PATH, &server_settings)? },
        GeneratedFile { path: CLI_PATH.into(), contents: cli(spec, &view)? },
    ])
}

/// The spec as the client and its CLI see it, computed once: the model of
/// its operations, its client-scoped headers, and the document without
/// them (progenitor's input, and the client's parameter table's).
struct ClientView {
    operations: Vec<OperationModel>,
    scoped: Vec<ParameterModel>,
    json: serde_json::Value,
    openapi: OpenAPI,
}

impl ClientView {
    fn of(spec: &Spec) -> Result<ClientView, Error> {
        let operations = model::operations(&spec.json);
        let scoped = client_scoped_headers(&operations);
        let json = without_headers(&spec.json, &operations, &scoped);
        let openapi = serde_json::from_value(json.clone())
            .map_err(|e| generation_error(spec, CLIENT_PATH, format!("the spec without client-scoped headers: {e}")))?;
        Ok(ClientView { operations, scoped, json, openapi })
    }
}

/// The utoipa `ToSchema` impls of the component schemas.
fn utoipa_schemas(spec: &Spec, target: &str, types: proc_macro2::TokenStream) -> Result<String, Error> {
    let tokens = openapi_server_gen::utoipa_schemas(&spec.json, &types).map_err(|errors| openapi_server_gen::standalone::refusals(spec, errors))?;
    rust_file(tokens, &spec.file, "utoipa schemas of the component schemas").map_err(|m| generation_error(spec, target, m))
}

/// The axum server stub.
fn server(spec: &Spec, target: &str, settings: &openapi_server_gen::Settings) -> Result<String, Error> {
    let tokens = openapi_server_gen::server(&spec.json, settings).map_err(|errors| openapi_server_gen::standalone::refusals(spec, errors))?;
    rust_file(tokens, &spec.file, "the axum server stub").map_err(|m| generation_error(spec, target, m))
}

/// Every component schema as a Rust type (serde + schemars), the single
/// definition shared by the client and the server.
/// `own_types` is the path of the crate with the hand-written types
/// (`crate` in popsell-types itself).
fn types(spec: &Spec, target: &str, own_types: &str) -> Result<String, Error> {
    let mut settings = base_settings(own_types);
    settings.with_interface(InterfaceStyle::Positional);
    for (name, impls) in HAND_WRITTEN_TYPES {
        settings.with_replacement(name, format!("{own_types}::{name}"), impls.iter().cloned());
    }
    let mut generator = Generator::new(&settings);
    run(spec, target, || generator.generate_tokens(&spec.openapi))?;
    // The types crate derives JSON Schemas under a feature; a fixture always.
    let schemars_feature = own_types == "crate";
    let tokens = with_builders(generator.get_type_space().to_stream(), schemars_feature).map_err(|message| generation_error(spec, target, message))?;
    rust_file(tokens, &spec.file, "the component schemas as Rust types").map_err(|message| generation_error(spec, target, message))
}

/// The progenitor client (builder style). Every component schema is
/// replaced by the types crate's, so the client holds no copy of them, and
/// client-scoped headers are left to the hand-written client builder.
fn client(spec: &Spec, view: &ClientView) -> Result<String, Error> {
    let mut generator = Generator::new(&client_settings(spec));
    let tokens = run(spec, CLIENT_PATH, || generator.generate_tokens(&view.openapi))?;
    let mut tokens = patch_client(tokens, &view.operations).map_err(|message| generation_error(spec, CLIENT_PATH, message))?;
    tokens.extend(parameter_checks(spec, view)?);
    tokens.extend(client_scoped_header_names(&view.scoped));
    rust_file(tokens, &spec.file, "the progenitor client").map_err(|message| generation_error(spec, CLIENT_PATH, message))
}

/// `pub mod parameters`: each operation's parameter table, as the server
/// generator reads the spec; the client's pre-request hook runs it through
/// the runtime's engine, the one the generated server validates with.
/// Client-scoped headers are not the operations' (the client builder sets
/// them), as in progenitor's view.
fn parameter_checks(spec: &Spec, view: &ClientView) -> Result<proc_macro2::TokenStream, Error> {
    let settings = openapi_server_gen::Settings::new(quote!(::popsell_types), quote!(::openapi_server_runtime));
    let table = openapi_server_gen::parameter_table(&view.json, &settings).map_err(|errors| {
        let message = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        generation_error(spec, CLIENT_PATH, message)
    })?;
    Ok(quote! {
        /// The spec's parameter checks, run on every request before it is
        /// sent (the server reads requests with the same table).
        pub mod parameters {
            use ::openapi_server_runtime as rt;
            #table
        }
    })
}

/// The command-line client: progenitor's CLI generator (clap) over the
/// same client, with the same settings; the hand-written `popsell-cli`
/// drives it.
fn cli(spec: &Spec, view: &ClientView) -> Result<String, Error> {
    let mut generator = Generator::new(&client_settings(spec));
    let tokens = run(spec, CLI_PATH, || generator.cli(&view.openapi, "popsell_client"))?;
    let tokens = patch_cli(tokens, &view.operations).map_err(|message| generation_error(spec, CLI_PATH, message))?;
    rust_file(tokens, &spec.file, "the command-line client (progenitor CLI)").map_err(|message| generation_error(spec, CLI_PATH, message))
}

/// The settings of the client and its CLI: builders over the types crate.
fn client_settings(spec: &Spec) -> GenerationSettings {
    let mut settings = base_settings("::popsell_types");
    settings.with_interface(InterfaceStyle::Builder);
    // Client-scoped headers (bearer token, brand) live in the client's inner
    // state and are added by a hand-written `ClientHooks::pre`.
    settings.with_inner_type(quote!(crate::ClientHeaders));
    settings.with_hooks(HooksMode::Expected);
    let schema_names = spec.openapi.components.iter().flat_map(|c| c.schemas.keys());
    for name in schema_names {
        let impls = HAND_WRITTEN_TYPES.iter().find(|(n, _)| n == name).map(|(_, i)| i.to_vec()).unwrap_or_default();
        settings.with_replacement(name, format!("::popsell_types::{name}"), impls.into_iter());
    }
    settings
}

/// `types` is the path of the types crate as seen from the generated code.
fn base_settings(types: &str) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    // `date-time` is the hand-written Timestamp: real payloads spell it
    // three ways, and a page must re-encode to the text it came with.
    let date_time = schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        format: Some("date-time".into()),
        ..Default::default()
    };
    settings.with_conversion(date_time, format!("{types}::Timestamp"), [TypeImpl::Display, TypeImpl::FromStr].into_iter());
    // Ordered maps: serialized maps keep a stable order.
    settings.with_map_type("::std::collections::BTreeMap");
    settings.with_derive("PartialEq");
    settings.with_derive("::schemars::JsonSchema");
    settings
}

/// Runs a generator, turning its errors and panics (progenitor panics on
/// some inputs) into an [`Error`] that names the target.
fn run<T>(spec: &Spec, target: &str, f: impl FnOnce() -> progenitor_impl::Result<T>) -> Result<T, Error> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(generation_error(spec, target, e.to_string())),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the generator panicked".into());
            Err(generation_error(spec, target, format!("the generator panicked: {message}")))
        }
    }
}

fn generation_error(spec: &Spec, target: &str, message: String) -> Error {
    Error::Generation { file: spec.file.clone(), target: target.into(), message }
}

/// The header parameters marked `x-client-scoped`, by name.
fn client_scoped_headers(operations: &[OperationModel]) -> Vec<ParameterModel> {
    let mut found: Vec<ParameterModel> = operations
        .iter()
        .flat_map(|operation| &operation.parameters)
        .filter(|p| p.location == ParameterIn::Header && p.extensions.get(CLIENT_SCOPED_EXTENSION) == Some(&serde_json::Value::Bool(true)))
        .cloned()
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found.dedup_by(|a, b| a.name == b.name);
    found
}

/// `pub mod client_scoped_headers` with one constant per client-scoped
/// header, so hand-written code names them without repeating the spec.
fn client_scoped_header_names(scoped: &[ParameterModel]) -> proc_macro2::TokenStream {
    let constants = scoped.iter().map(|p| {
        let ident = format_ident!("{}", p.name.to_uppercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
        let name = &p.name;
        let doc = p.description.clone().unwrap_or_default();
        quote! {
            #[doc = #doc]
            pub const #ident: &str = #name;
        }
    });
    quote! {
        /// Header parameters set once on the client rather than on every
        /// call (marked `x-client-scoped` in the spec).
        pub mod client_scoped_headers {
            #(#constants)*
        }
    }
}

/// The document without the header parameters of those names: the client
/// builder sets them once, as default headers, instead of on every call,
/// so the client's operations do not have them. The entries the model
/// found are removed from the document.
fn without_headers(doc: &serde_json::Value, operations: &[OperationModel], scoped: &[ParameterModel]) -> serde_json::Value {
    // (list, index): a path item's entries are every operation's.
    let mut entries: Vec<(String, usize)> = operations
        .iter()
        .flat_map(|operation| &operation.parameters)
        .filter(|p| p.location == ParameterIn::Header && scoped.iter().any(|s| s.name == p.name))
        .filter_map(|p| p.entry.rsplit_once('/').and_then(|(list, i)| Some((list.to_owned(), i.parse().ok()?))))
        .collect();
    entries.sort();
    entries.dedup();
    let mut json = doc.clone();
    // Last index first, so that earlier entries keep their index.
    for (list, index) in entries.iter().rev() {
        if let Some(serde_json::Value::Array(items)) = json.pointer_mut(list) {
            items.remove(*index);
        }
    }
    json
}
