//! A `component!`: its declarations become a struct of handles (`pub` ones public), a
//! spec struct of its `input`s, and an `infra_runtime::Construct` impl whose `build`
//! binds the inputs and runs the same declarations a stack's constructor runs, each
//! logical id after the instance's prefix. Each handle is also a `Field<hash of its
//! name>` of the struct, so that another file names its type (and the facts in it).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Type};

use crate::ast::Item;
use crate::codegen::{self, Locals};
use crate::facts;
use crate::kind::Kind;
use crate::model::Model;

/// The component's items.
pub fn generate(model: &Model<'_>, order: &[&Item], places: &TokenStream) -> TokenStream {
    let header = model.header;
    let name = header.map_or_else(
        || Ident::new("UnnamedComponent", Span::call_site()),
        |h| h.name.clone(),
    );
    let vis = header.map(|h| h.vis.clone());
    let attrs = header.map(|h| h.attrs.as_slice()).unwrap_or_default();
    let handles: Vec<&Item> = order
        .iter()
        .copied()
        .filter(|i| codegen::has_handle(i))
        .collect();
    let fields = handles.iter().map(|item| {
        let (ident, vis) = (&item.name, &item.vis);
        let ty = facts::binding_type(model, item);
        let docs = codegen::field_attrs(item);
        // A private declaration is kept for its handle whether or not the component
        // reads it again: no dead-code warning for it.
        let kept = matches!(vis, syn::Visibility::Inherited).then(|| quote!(#[allow(dead_code)]));
        quote!(#(#docs)* #kept #vis #ident: #ty,)
    });
    let lookups = handles.iter().map(|item| {
        let field = facts::field_trait(&item.name.to_string());
        let ty = facts::binding_type(model, item);
        quote!(impl #field for #name { type Type = #ty; })
    });
    let spec = spec(model, &name, &vis);
    let build = build(model, order, &name, &handles, places);
    // The struct and the lookups after `build`: their types are read from the
    // declarations' values, and an editor completing inside one compares this expansion
    // with its own up to the cursor.
    quote! {
        #spec

        #build

        #(#attrs)*
        #[derive(Debug)]
        #vis struct #name {
            #(#fields)*
        }

        #(#lookups)*
    }
}

fn inputs<'m>(model: &Model<'m>) -> Vec<&'m Item> {
    model
        .items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Input)
        .collect()
}

fn spec_name(name: &Ident) -> Ident {
    format_ident!("{}Spec", name)
}

/// The type with `'a` on every reference that names no lifetime (`&Network`,
/// `Option<&Network>`, `&[&str]`): such inputs borrow for the spec's `'a`.
fn with_lifetime(ty: &Type) -> Type {
    let mut ty = ty.clone();
    add_lifetimes(&mut ty);
    ty
}

/// Whether a type borrows without naming a lifetime somewhere in it.
fn borrows(ty: &Type) -> bool {
    add_lifetimes(&mut ty.clone())
}

/// Puts `'a` on each reference without a lifetime; whether there was one.
fn add_lifetimes(ty: &mut Type) -> bool {
    match ty {
        Type::Reference(r) => {
            let elided = r.lifetime.is_none();
            if elided {
                r.lifetime = Some(syn::Lifetime::new("'a", Span::call_site()));
            }
            add_lifetimes(&mut r.elem) | elided
        }
        Type::Slice(s) => add_lifetimes(&mut s.elem),
        Type::Array(a) => add_lifetimes(&mut a.elem),
        Type::Paren(p) => add_lifetimes(&mut p.elem),
        Type::Group(g) => add_lifetimes(&mut g.elem),
        Type::Tuple(t) => t
            .elems
            .iter_mut()
            .fold(false, |any, t| add_lifetimes(t) | any),
        Type::Path(p) => p
            .path
            .segments
            .iter_mut()
            .filter_map(|segment| match &mut segment.arguments {
                syn::PathArguments::AngleBracketed(args) => Some(args),
                _ => None,
            })
            .flat_map(|args| args.args.iter_mut())
            .fold(false, |any, arg| match arg {
                syn::GenericArgument::Type(t) => add_lifetimes(t) | any,
                _ => any,
            }),
        _ => false,
    }
}

/// `<Name>Spec`: one public field per input, with its docs.
fn spec(model: &Model<'_>, name: &Ident, vis: &Option<syn::Visibility>) -> TokenStream {
    let spec = spec_name(name);
    let borrowing = inputs(model)
        .into_iter()
        .any(|i| i.ty.as_ref().is_some_and(borrows));
    let generics = borrowing.then(|| quote!(<'a>));
    let fields = inputs(model).into_iter().map(|input| {
        let ident = &input.name;
        let docs = &input.attrs;
        let ty = input.ty.as_ref().map(with_lifetime);
        quote!(#(#docs)* pub #ident: #ty,)
    });
    let doc = format!("What an instance of [`{name}`] is given: its inputs.");
    quote! {
        #[doc = #doc]
        #vis struct #spec #generics {
            #(#fields)*
        }
    }
}

/// `impl Construct`: the inputs bound by name, `config` read from the scope, then the
/// declarations, and the handles.
fn build(
    model: &Model<'_>,
    order: &[&Item],
    name: &Ident,
    handles: &[&Item],
    places: &TokenStream,
) -> TokenStream {
    let locals = Locals::new(true);
    let (scope, id) = (&locals.scope, &locals.id);
    let spec = spec_name(name);
    let borrowing = inputs(model)
        .into_iter()
        .any(|i| i.ty.as_ref().is_some_and(borrows));
    let (spec_a, spec_anon) = if borrowing {
        (quote!(#spec<'a>), quote!(#spec<'_>))
    } else {
        (quote!(#spec), quote!(#spec))
    };
    let input_names: Vec<&Ident> = inputs(model).into_iter().map(|i| &i.name).collect();
    let declarations = codegen::declarations(model, order, &locals);
    let names = handles.iter().map(|i| &i.name);
    quote! {
        impl ::infra_runtime::Construct for #name {
            type Spec<'a> = #spec_a;

            #[allow(clippy::redundant_clone, clippy::needless_update, clippy::redundant_field_names, clippy::default_constructed_unit_structs, unused_variables, unused_mut)]
            fn build(mut #scope: &mut ::infra_runtime::construct::Scope<'_>, #id: &str, spec: #spec_anon) -> Self {
                let #spec { #(#input_names),* } = spec;
                let config: &::infra_runtime::StackConfig = #scope.config;
                #declarations
                let _ = &mut #scope;
                Self { #(#names),* }
            }

            // After `build`: they quote its values, and an editor completing inside one
            // compares this expansion with its own up to the cursor.
            #places
        }
    }
}
