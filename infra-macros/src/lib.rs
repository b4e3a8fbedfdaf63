//! `stack!`: AWS stacks whose wiring mistakes are compiler errors at the offending token.
//!
//! This crate is a thin shell: the parser, the checks and the generator live in
//! `infra-dsl`, an ordinary library. A panic there is a bug; it is caught and reported as
//! one, beside nothing else, instead of aborting the user's build with a backtrace.
//!
//! See `stacks/src/loan.rs` for a complete stack and `docs/language.md` for the language.

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
    infra_dsl::guarded(name, || infra_dsl::expand_as(input, mode)).into()
}
