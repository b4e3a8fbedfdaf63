//! The `stack!` DSL as an ordinary library, so that it can be unit-tested and fuzzed; the
//! proc-macro crate `infra-macros` is a thin shell over [`expand`].
//!
//! The phases stay apart:
//!
//! 1. [`parse`]: tokens to declarations, recovering after errors ([`ast`]);
//! 2. [`model`]: names resolved, duplicates and wrong kinds reported, dependencies found;
//! 3. [`check`]: the wiring rules, one `check_*` function each;
//! 4. [`order`] and [`codegen`]: the typed Rust item, generated even when checks fail so
//!    that the rest of the user's code still type-checks and completes.
//!
//! Every error is gathered in [`diag::Diagnostics`] and reported together.

#![forbid(unsafe_code)]

pub mod ast;
pub mod bounds;
pub mod check;
pub mod cidr;
pub mod codegen;
pub mod diag;
pub mod kind;
pub mod model;
pub mod naming;
pub mod order;
pub mod parse;
pub mod suggest;

use proc_macro2::TokenStream;
use quote::quote;

/// What one invocation produced: its errors and the generated code.
pub struct Expansion {
    /// Every error found, in phase order.
    pub diagnostics: diag::Diagnostics,
    /// The generated item (always produced).
    pub code: TokenStream,
}

/// Runs every phase over a `stack! { … }` body.
pub fn analyze(input: TokenStream) -> Expansion {
    let mut diagnostics = diag::Diagnostics::default();
    let stack = parse::parse(input, &mut diagnostics);
    let model = model::Model::resolve(&stack, &mut diagnostics);
    check::check(&model, &mut diagnostics);
    let order = order::order(&model, &mut diagnostics);
    let code = codegen::generate(&model, &order);
    Expansion { diagnostics, code }
}

/// The errors of a `stack! { … }` body, without generating code (parse, resolve, check,
/// order): what a checker-only tool or fuzzer needs.
pub fn check_only(input: TokenStream) -> diag::Diagnostics {
    let mut diagnostics = diag::Diagnostics::default();
    let stack = parse::parse(input, &mut diagnostics);
    let model = model::Model::resolve(&stack, &mut diagnostics);
    check::check(&model, &mut diagnostics);
    let _ = order::order(&model, &mut diagnostics);
    diagnostics
}

/// The body of the first `stack! { … }` in a Rust source file (for tests, benchmarks and
/// tools that look at a stack without compiling it).
pub fn find_stack(source: &str) -> Result<TokenStream, String> {
    let file = syn::parse_file(source).map_err(|e| format!("the file does not parse: {e}"))?;
    file.items
        .into_iter()
        .find_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.is_ident("stack") => Some(m.mac.tokens),
            _ => None,
        })
        .ok_or_else(|| "the file has no `stack!` invocation".to_owned())
}

/// The macro's output: the generated item, then the `compile_error!`s. The errors come
/// last so that an expansion of half-typed input lines up, token for token, with the
/// expansion the editor makes of the same input with its completion marker in it, up to
/// the marker: rust-analyzer finds what to complete by that offset.
pub fn expand(input: TokenStream) -> TokenStream {
    let Expansion { diagnostics, code } = analyze(input);
    let errors = diagnostics.to_compile_errors();
    quote!(#code #errors)
}
