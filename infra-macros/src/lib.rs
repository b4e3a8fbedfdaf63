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
    let input = proc_macro2::TokenStream::from(input);
    match std::panic::catch_unwind(|| infra_dsl::expand(input)) {
        Ok(output) => output.into(),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let message = format!(
                "internal error in `stack!`: {detail}\nhelp: this is a bug in the macro, not in your stack; please report it with the input that caused it"
            );
            quote::quote!(::core::compile_error!(#message);).into()
        }
    }
}
