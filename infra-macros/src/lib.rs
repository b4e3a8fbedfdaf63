//! `stack!`: AWS stacks whose wiring mistakes are compiler errors at the offending token.
//!
//! This crate is a thin shell: the parser, the checks and the generator live in
//! `infra-dsl`, an ordinary library. A panic there is a bug; it is caught and reported as
//! one, beside nothing else, instead of aborting the user's build with a backtrace.
//!
//! See `stacks/src/loan.rs` for a complete stack and the README for the language.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

/// Declares a stack. See the crate documentation and `stacks/src/loan.rs`.
#[proc_macro]
pub fn stack(input: TokenStream) -> TokenStream {
    expand(input, infra_dsl::Mode::Stack, "stack!")
}

/// Declares a component: declarations in their own file, with `input`s and `pub`
/// handles, that a stack or another component instantiates with `construct name: Type
/// { … }`. See `stacks/src/loan/` for a stack split into components.
#[proc_macro]
pub fn component(input: TokenStream) -> TokenStream {
    expand(input, infra_dsl::Mode::Component, "component!")
}

fn expand(input: TokenStream, mode: infra_dsl::Mode, name: &str) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    match std::panic::catch_unwind(|| infra_dsl::expand_as(input, mode)) {
        Ok(output) => output.into(),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let message = format!(
                "internal error in `{name}`: {detail}\nhelp: this is a bug in the macro, not in your stack; please report it with the input that caused it"
            );
            quote::quote!(::core::compile_error!(#message);).into()
        }
    }
}
