//! Raw resources of the model: the property modules a declaration needs, defined where the
//! stack is.
//!
//! `resource orders: dynamodb::Table { … }` is of the type `infra_runtime::aws::dynamodb::Table`,
//! which the runtime always compiles (it is what `Handle`, `Arn` and `Id` are of). Its
//! property struct, nested types and enums (`dynamodb::table::Table`, `table::KeySchema`) are
//! defined by the macro `infra_runtime::aws::dynamodb::Table!` wherever it is invoked: in the
//! runtime when its Cargo feature is on, else in a module beside the stack. So a stack names a
//! type once, in its declaration, and compiles that type alone.
//!
//! Beside the stack, `mod __<Stack>_model { pub mod dynamodb { pub use …::dynamodb::*;
//! Table! {} } }`; in its constructor, `use __<Stack>_model::{dynamodb, dynamodb::table};`, so
//! that the declarations' values name nested types as `table::KeySchema` or
//! `dynamodb::table::KeySchema` with no `use` of their own.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

use crate::ast::Item;
use crate::kind::Expands;
use crate::model::{self, Model};

/// A raw resource's type of the model: its service, the type's name and its property module,
/// each at the user's tokens.
struct ModelType {
    service: Ident,
    name: Ident,
    module: Ident,
}

/// The model type a raw resource declares, when its type is one (`sqs::Queue`): a path of
/// two segments whose first is a service of the model and that names a type of it.
fn model_type(item: &Item) -> Option<ModelType> {
    if item.kind.row().expands != Expands::Resource {
        return None;
    }
    // A relative path whose first segment is a service of the model, of two segments.
    model::model_path(item.ty.as_ref()?)?;
    let Some(syn::Type::Path(path)) = &item.ty else {
        return None;
    };
    let segments: Vec<&syn::PathSegment> = path.path.segments.iter().collect();
    let [service, name] = segments[..] else {
        return None;
    };
    let found = infra_facts::model_type(&format!("{}::{}", service.ident, name.ident))?;
    let module = syn::parse_str::<Ident>(found.module).ok()?;
    Some(ModelType {
        service: service.ident.clone(),
        name: name.ident.clone(),
        module: respan(&module, name.ident.span()),
    })
}

fn respan(ident: &Ident, at: Span) -> Ident {
    let mut ident = ident.clone();
    ident.set_span(Span::call_site().located_at(at));
    ident
}

/// The module beside the stack that holds the property modules (`__Orders_model`).
fn module_name(model: &Model<'_>) -> Ident {
    let owner = model
        .header
        .map_or_else(|| "Unnamed".to_owned(), |h| h.name.to_string());
    format_ident!("__{}_model", owner.trim_start_matches("r#"))
}

/// Each service's types, by service, once each.
fn by_service(model: &Model<'_>) -> BTreeMap<String, (Ident, BTreeMap<String, ModelType>)> {
    let mut services: BTreeMap<String, (Ident, BTreeMap<String, ModelType>)> = BTreeMap::new();
    for t in model.items.iter().filter_map(|i| model_type(i)) {
        let entry = services
            .entry(t.service.to_string())
            .or_insert_with(|| (respan(&t.service, Span::call_site()), BTreeMap::new()));
        entry.1.entry(t.name.to_string()).or_insert(t);
    }
    services
}

/// The module beside the stack, when a raw resource is of the model.
pub(crate) fn definitions(model: &Model<'_>) -> TokenStream {
    let services = by_service(model);
    if services.is_empty() {
        return TokenStream::new();
    }
    let module = module_name(model);
    let services = services.values().map(|(service, types)| {
        let types = types.values().map(|t| {
            let name = respan(&t.name, Span::call_site());
            quote!(::infra_runtime::aws::#service::#name! {})
        });
        quote! {
            pub mod #service {
                pub use ::infra_runtime::aws::#service::*;
                #(#types)*
            }
        }
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, unused_imports, clippy::all)]
        mod #module {
            #(#services)*
        }
    }
}

/// The constructor's imports of the services and property modules.
pub(crate) fn imports(model: &Model<'_>) -> TokenStream {
    let services = by_service(model);
    if services.is_empty() {
        return TokenStream::new();
    }
    let module = module_name(model);
    let uses = services.values().map(|(service, types)| {
        let modules = types.values().map(|t| respan(&t.module, Span::call_site()));
        quote!(#[allow(unused_imports)] use #module::{#service, #(#service::#modules),*};)
    });
    quote!(#(#uses)*)
}

/// The path of a raw resource's property struct, for its struct literal: for a type of the
/// model `__Orders_model::dynamodb::table::Table` at the user's `dynamodb::Table`, else the
/// user's own type as written.
pub(crate) fn literal_path(model: &Model<'_>, item: &Item) -> Option<TokenStream> {
    let t = model_type(item)?;
    let module = respan(&module_name(model), t.service.span());
    let (service, name, property) = (&t.service, &t.name, &t.module);
    Some(quote!(#module::#service::#property::#name))
}
