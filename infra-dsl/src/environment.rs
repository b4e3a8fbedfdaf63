//! `#[derive(Environment)]`: a struct whose fields are a function's or a service's
//! environment variables, each typed by what it carries (`Value<Url<sqs::Queue>>`,
//! `Value<Name<dynamodb::Table>>`), so that a table's name where a queue's URL belongs is
//! rustc's mismatched type at the value.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr};

/// The variable a field stands for: its name in capitals (`queue_url` is `QUEUE_URL`).
pub fn variable_name(field: &Ident) -> String {
    field.unraw().to_string().to_ascii_uppercase()
}

/// The `Environment` impl of a struct with named fields: each field, cloned and converted
/// to a string value, under its variable's name.
pub fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => &fields.named,
            _ => return not_named(&input),
        },
        _ => return not_named(&input),
    };
    let entries = fields.iter().filter_map(|field| {
        let ident = field.ident.as_ref()?;
        let name = LitStr::new(&variable_name(ident), ident.span());
        // At the field's type: rustc says there what does not convert to a string.
        Some(quote_spanned! {field.ty.span()=>
            (#name, ::core::convert::Into::<::infra_runtime::Value<::std::string::String>>::into(
                ::core::clone::Clone::clone(&self.#ident),
            ))
        })
    });
    let name = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::infra_runtime::construct::Environment for #name #type_generics #where_clause {
            fn variables(&self) -> ::std::vec::Vec<(&'static str, ::infra_runtime::Value<::std::string::String>)> {
                ::std::vec![#(#entries),*]
            }
        }
    }
}

fn not_named(input: &DeriveInput) -> TokenStream {
    syn::Error::new(
        input.ident.span(),
        "`Environment` is derived for a struct with named fields, one per variable",
    )
    .to_compile_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_its_variable_in_capitals_and_a_tuple_struct_is_refused() {
        let ident: Ident = syn::parse_str("r#queue_url").expect("ident");
        assert_eq!(variable_name(&ident), "QUEUE_URL");
        let derived = derive(quote!(
            struct Env {
                queue_url: Value<Url<Queue>>,
            }
        ))
        .to_string();
        assert!(derived.contains("\"QUEUE_URL\""), "{derived}");
        let refused = derive(quote!(
            struct Env(Value<String>);
        ))
        .to_string();
        assert!(refused.contains("compile_error"), "{refused}");
    }
}
