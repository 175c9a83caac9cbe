//! What progenitor's builder client lacks, added to its output (on the
//! syntax tree, before formatting; never by editing the generated file):
//!
//! - **Owned builders.** A request builder borrows its `Client`, so a
//!   stream of pages built from it could not outlive the client nor be
//!   returned from a function. The builders hold a `Cow<'a, Client>`
//!   instead, and `into_owned()` gives a `'static` builder that owns a
//!   clone (a `Client` is a few `Arc`s: cheap to clone).
//! - **Mistakes in words.** A setter whose value does not convert says what
//!   the spec allows (`per_page must be an integer from 1 to 100`), and a
//!   missing required parameter says so: the message of the setter named
//!   after the parameter, and of its field's `Err` in `new`, found by the
//!   syntax (which function, which field), not by progenitor's wording.
//!
//! The spec's bounds, enums and patterns are not checked here: the
//! client's pre-request hook runs the request through the runtime's
//! engine with the table `generate` adds (`parameters::PARAMETERS`), the
//! one the generated server reads requests with.

use openapi_spec::model::{OperationModel, ParameterModel, SchemaFacts};
use openapi_spec::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Fields, Item, ItemImpl, ItemMod, ItemStruct, parse_quote};

/// One parameter as the client's messages and docs need it.
struct Parameter {
    /// As the spec names it (`filter[flag]`).
    name: String,
    /// The builder's field and setter (`filter_flag`).
    field: String,
    /// What the spec allows, in words (`an integer from 1 to 100`).
    allowed: String,
    /// The setter's documentation: the spec's description, what it allows, its default.
    doc: String,
}

/// The builder struct of each operation, and its parameters, from the
/// spec's one model of them.
fn operations_parameters(operations: &[OperationModel]) -> Vec<(String, Vec<Parameter>)> {
    operations
        .iter()
        .filter_map(|operation| {
            let parameters = operation.parameters.iter().map(parameter).collect();
            Some((operation.client_builder.clone()?, parameters))
        })
        .collect()
}

fn parameter(p: &ParameterModel) -> Parameter {
    let allowed = p.schema.as_ref().map_or_else(|| SchemaFacts::default().allowed(), SchemaFacts::allowed);
    let required = if p.required { "required" } else { "optional" };
    let default = p.schema.as_ref().and_then(|s| s.default.as_ref()).map(|d| format!("; default {d}")).unwrap_or_default();
    let description = p.description.clone().unwrap_or_default();
    let doc = format!("`{}` ({} parameter, {required}): {description}\n\nMust be {allowed}{default}.", p.name, p.location.as_str());
    Parameter { name: p.name.clone(), field: p.client_field.clone(), allowed, doc }
}

impl Parameter {
    /// One paragraph for a command-line help: the description, then what
    /// the spec allows and the default.
    fn help(&self) -> String {
        let description = self.doc.split("): ").nth(1).unwrap_or_default().replace("\n\n", " ");
        description.trim().to_owned()
    }
}

/// `tokens` (progenitor's CLI) with each argument's help saying what the
/// spec allows and the default, beside its description, and for each
/// operation a `request_<op>(matches)` giving the request builder the
/// flags make, so that a command can fetch or stream it itself instead of
/// letting `execute_<op>` send it.
pub(crate) fn patch_cli(tokens: TokenStream, operations: &[OperationModel]) -> Result<TokenStream, String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("progenitor's CLI does not parse: {e}"))?;
    let parameters: Vec<Parameter> = operations_parameters(operations).into_iter().flat_map(|(_, p)| p).collect();
    Help { parameters: &parameters }.visit_file_mut(&mut file);
    let builders: Vec<(String, String)> = operations
        .iter()
        .filter_map(|op| Some((names::progenitor_field(op.operation_id.as_deref()?), op.client_builder.clone()?)))
        .collect();
    for item in &mut file.items {
        if let Item::Impl(item) = item
            && self_name(item).as_deref() == Some("Cli")
            && item.trait_.is_none()
        {
            split_requests(item, &builders)?;
        }
    }
    Ok(quote!(#file))
}

/// `execute_<op>` builds the request from the flags, hands it to the
/// config's hook, then sends it: the building becomes `request_<op>`,
/// which `execute_<op>` calls.
fn split_requests(item: &mut ItemImpl, builders: &[(String, String)]) -> Result<(), String> {
    let mut added = Vec::new();
    for member in &mut item.items {
        let syn::ImplItem::Fn(function) = member else { continue };
        let name = function.sig.ident.to_string();
        let Some((op, builder)) = name.strip_prefix("execute_").and_then(|op| builders.iter().find(|(o, _)| o == op)) else { continue };
        // The statements before the hook call (`self.config.execute_<op>(…)`).
        let hook = function.block.stmts.iter().position(|s| quote!(#s).to_string().contains(&format!("config . execute_{op}")));
        let Some(hook) = hook else { return Err(format!("progenitor's `{name}` has no call of its config's hook: the CLI generator changed")) };
        let building: Vec<syn::Stmt> = function.block.stmts.drain(..hook).collect();
        let request = format_ident!("request_{op}");
        let builder = format_ident!("{builder}");
        let doc = format!("The `{op}` request the flags in `matches` describe, not sent.");
        added.push(syn::ImplItem::Fn(parse_quote! {
            #[doc = #doc]
            pub fn #request(&self, matches: &::clap::ArgMatches) -> builder::#builder<'_> {
                #(#building)*
                request
            }
        }));
        function.block.stmts.insert(0, parse_quote!(let mut request = self.#request(matches);));
    }
    item.items.extend(added);
    Ok(())
}

/// `Arg::new("per-page")…help("…")`: the help of the parameter's setter.
struct Help<'a> {
    parameters: &'a [Parameter],
}

impl VisitMut for Help<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method != "help" {
            return;
        }
        let id = arg_id(&call.receiver);
        if let Some(parameter) = id.and_then(|id| self.parameters.iter().find(|p| p.field == names::progenitor_field(&id))) {
            let help = parameter.help();
            call.args = parse_quote!(#help);
        }
    }
}

/// The id of `::clap::Arg::new("id")` at the start of a method chain.
fn arg_id(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::MethodCall(call) => arg_id(&call.receiver),
        syn::Expr::Call(call) => match (&*call.func, call.args.first()) {
            (syn::Expr::Path(path), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. })))
                if path.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().ends_with(&["Arg".into(), "new".into()]) =>
            {
                Some(id.value())
            }
            _ => None,
        },
        _ => None,
    }
}

/// `tokens` (progenitor's client) with owned builders and messages in words.
pub(crate) fn patch_client(tokens: TokenStream, operations: &[OperationModel]) -> Result<TokenStream, String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("progenitor's output does not parse: {e}"))?;
    let operations = operations_parameters(operations);
    for item in &mut file.items {
        if let Item::Impl(item) = item
            && self_name(item).as_deref() == Some("Client")
            && item.trait_.is_none()
        {
            hide_constructors(item);
        }
        let Item::Mod(ItemMod { ident, content: Some((_, items)), .. }) = item else { continue };
        if ident != "builder" {
            continue;
        }
        let mut added = Vec::new();
        for item in items.iter_mut() {
            match item {
                Item::Struct(item) if owns_client(item) => {
                    set_client_type(item);
                    added.push(into_owned(item));
                }
                Item::Impl(item) => {
                    let name = self_name(item);
                    let parameters = operations.iter().find(|(n, _)| Some(n) == name.as_ref()).map(|(_, p)| p.as_slice()).unwrap_or(&[]);
                    patch_impl(item, parameters);
                }
                _ => {}
            }
        }
        items.extend(added);
    }
    Ok(quote!(#file))
}

fn owns_client(item: &ItemStruct) -> bool {
    let Fields::Named(fields) = &item.fields else { return false };
    fields.named.iter().any(|f| f.ident.as_ref().is_some_and(|i| i == "client"))
}

fn set_client_type(item: &mut ItemStruct) {
    if let Fields::Named(fields) = &mut item.fields {
        for field in &mut fields.named {
            if field.ident.as_ref().is_some_and(|i| i == "client") {
                field.ty = parse_quote!(::std::borrow::Cow<'a, super::Client>);
            }
        }
    }
}

/// `impl X<'_> { pub fn into_owned(self) -> X<'static> }`.
fn into_owned(item: &ItemStruct) -> Item {
    let name = &item.ident;
    let Fields::Named(fields) = &item.fields else { unreachable!("checked by owns_client") };
    let others = fields.named.iter().filter_map(|f| f.ident.as_ref()).filter(|i| *i != "client");
    parse_quote! {
        impl<'a> #name<'a> {
            /// This builder with its own clone of the client: it may
            /// outlive the client it was made from (a `Client` is cheap to
            /// clone).
            pub fn into_owned(self) -> #name<'static> {
                #name { client: ::std::borrow::Cow::Owned(self.client.into_owned()), #(#others: self.#others,)* }
            }
        }
    }
}

fn self_name(item: &ItemImpl) -> Option<String> {
    match &*item.self_ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn patch_impl(item: &mut ItemImpl, parameters: &[Parameter]) {
    for member in &mut item.items {
        let syn::ImplItem::Fn(function) = member else { continue };
        let name = function.sig.ident.to_string();
        if name == "new" {
            Borrow.visit_block_mut(&mut function.block);
            RequiredMessages { parameters }.visit_block_mut(&mut function.block);
        }
        if let Some(parameter) = parameters.iter().find(|p| p.field == name) {
            let doc = &parameter.doc;
            function.attrs.push(parse_quote!(#[doc = #doc]));
            // A setter's only message: the value did not convert.
            Message(format!("{} must be {}", parameter.name, parameter.allowed)).visit_block_mut(&mut function.block);
        }
    }
}

/// `Client::new` and `new_with_client` take the client's private state:
/// `ClientBuilder` is the way to build one, so they are hidden.
fn hide_constructors(item: &mut ItemImpl) {
    for member in &mut item.items {
        if let syn::ImplItem::Fn(function) = member
            && matches!(function.sig.ident.to_string().as_str(), "new" | "new_with_client")
        {
            function.attrs.push(parse_quote!(#[doc(hidden)]));
        }
    }
}

/// `client: client` in `new` becomes `client: Cow::Borrowed(client)`.
struct Borrow;

impl VisitMut for Borrow {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        if matches!(&field.member, syn::Member::Named(i) if i == "client") {
            let expr = &field.expr;
            field.expr = parse_quote!(::std::borrow::Cow::Borrowed(#expr));
        }
    }
}

/// Every string literal it visits becomes this message.
struct Message(String);

impl VisitMut for Message {
    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        *literal = syn::LitStr::new(&self.0, literal.span());
    }
}

/// In `new`, a required parameter's field starts as `Err(<message>)`: the
/// message says it is required and what the spec allows.
struct RequiredMessages<'a> {
    parameters: &'a [Parameter],
}

impl VisitMut for RequiredMessages<'_> {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        let parameter = match &field.member {
            syn::Member::Named(ident) => self.parameters.iter().find(|p| ident == &p.field),
            syn::Member::Unnamed(_) => None,
        };
        let starts_as_error = matches!(&field.expr, syn::Expr::Call(call) if matches!(&*call.func, syn::Expr::Path(path) if path.path.is_ident("Err")));
        if let Some(parameter) = parameter.filter(|_| starts_as_error) {
            Message(format!("{} is required ({})", parameter.name, parameter.allowed)).visit_expr_mut(&mut field.expr);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setter_docs_say_what_the_spec_allows() {
        let doc = serde_json::json!({"paths": {"/a": {"get": {"operationId": "get_a", "parameters": [
            {"name": "per_page", "in": "query", "description": "Size.", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 15}},
        ]}}}});
        let [(builder, parameters)] = operations_parameters(&openapi_spec::model::operations(&doc)).try_into().unwrap_or_else(|_| panic!());
        assert_eq!(builder, "GetA");
        assert_eq!(parameters[0].doc, "`per_page` (query parameter, optional): Size.\n\nMust be an integer from 1 to 100; default 15.");
    }
}
