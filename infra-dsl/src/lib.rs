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
pub mod component;
pub mod diag;
pub mod environment;
pub mod facts;
pub mod grant_facts;
pub mod kind;
pub mod model;
pub mod naming;
pub mod order;
pub mod parse;
pub mod place;
mod raw;
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

/// Which macro the body belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `stack! { … }`: a deployable stack.
    Stack,
    /// `component! { … }`: declarations a stack (or another component) instantiates.
    Component,
}

impl Mode {
    /// Why a declaration of this kind does not belong in this macro, if it does not.
    pub fn refuses(self, kind: kind::Kind) -> Option<&'static str> {
        use kind::Kind;
        match (self, kind) {
            (Mode::Stack, Kind::Component) => Some(
                "a `component` header belongs in `component! { … }`\nhelp: a stack starts with `pub stack Name { region: \"…\" }`",
            ),
            (Mode::Stack, Kind::Input) => Some(
                "a stack has no inputs\nhelp: declare a `parameter`, a `settings` field, or move these declarations into a `component!`",
            ),
            (Mode::Component, Kind::Stack) => Some(
                "a `stack` header belongs in `stack! { … }`\nhelp: a component starts with `pub component Name { }`",
            ),
            (Mode::Component, Kind::Settings | Kind::Import | Kind::Output | Kind::Parameter) => {
                Some(
                    "settings, parameters, imports and outputs belong to the stack\nhelp: declare an `input` and pass the value where the component is instantiated",
                )
            }
            _ => None,
        }
    }

    /// The error for a body without its header.
    pub fn missing_header(self) -> &'static str {
        match self {
            Mode::Stack => {
                "a stack needs a header\nhelp: start with `pub stack MyStack { region: \"eu-west-2\" }`"
            }
            Mode::Component => {
                "a component needs a header\nhelp: start with `pub component MyComponent { }`"
            }
        }
    }
}

/// Runs every phase over a `stack! { … }` body.
pub fn analyze(input: TokenStream) -> Expansion {
    analyze_as(input, Mode::Stack)
}

/// Runs every phase over the body of a `stack!` or a `component!`.
pub fn analyze_as(input: TokenStream, mode: Mode) -> Expansion {
    let mut diagnostics = diag::Diagnostics::default();
    let stack = parse::parse(input, &mut diagnostics);
    let model = model::Model::resolve(&stack, mode, &mut diagnostics);
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
    let model = model::Model::resolve(&stack, Mode::Stack, &mut diagnostics);
    check::check(&model, &mut diagnostics);
    let _ = order::order(&model, &mut diagnostics);
    diagnostics
}

/// The body of the first `stack! { … }` in a Rust source file (for tests, benchmarks and
/// tools that look at a stack without compiling it).
pub fn find_stack(source: &str) -> Result<TokenStream, String> {
    match find_body(source)? {
        (Mode::Stack, body) => Ok(body),
        (Mode::Component, _) => Err("the file has no `stack!` invocation".to_owned()),
    }
}

/// The body of the first `stack! { … }` or `component! { … }` in a Rust source file, and
/// which of the two it is.
pub fn find_body(source: &str) -> Result<(Mode, TokenStream), String> {
    let file = syn::parse_file(source).map_err(|e| format!("the file does not parse: {e}"))?;
    file.items
        .into_iter()
        .find_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.is_ident("stack") => {
                Some((Mode::Stack, m.mac.tokens))
            }
            syn::Item::Macro(m) if m.mac.path.is_ident("component") => {
                Some((Mode::Component, m.mac.tokens))
            }
            _ => None,
        })
        .ok_or_else(|| "the file has no `stack!` or `component!` invocation".to_owned())
}

/// The macro's output: the generated item, then the `compile_error!`s. The errors come
/// last so that an expansion of half-typed input lines up, token for token, with the
/// expansion the editor makes of the same input with its completion marker in it, up to
/// the marker: rust-analyzer finds what to complete by that offset.
pub fn expand(input: TokenStream) -> TokenStream {
    expand_as(input, Mode::Stack)
}

/// Runs `expand` (the whole of a macro's work) so that a panic in it, which is a bug,
/// becomes one `compile_error!` that says so and shows the panic's message, beside
/// nothing else, instead of aborting the user's build with a backtrace. `name` is the
/// macro's (`stack!`).
pub fn guarded(name: &str, expand: impl FnOnce() -> TokenStream) -> TokenStream {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(expand)) {
        Ok(output) => output,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let message = format!(
                "internal error in `{name}`: {detail}\nhelp: this is a bug in the macro, not in your stack; please report it with the input that caused it"
            );
            quote::quote!(::core::compile_error!(#message);)
        }
    }
}

/// The macro's output for a `stack!` or a `component!` body.
pub fn expand_as(input: TokenStream, mode: Mode) -> TokenStream {
    let Expansion { diagnostics, code } = analyze_as(input, mode);
    let errors = diagnostics.to_compile_errors();
    quote!(#code #errors)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_is_reported_as_a_bug_in_one_compile_error() {
        let output = super::guarded("stack!", || panic!("index out of bounds"));
        let text = output.to_string();
        assert!(text.starts_with(":: core :: compile_error !"), "{text}");
        assert!(
            text.contains("internal error in `stack!`: index out of bounds"),
            "{text}"
        );
        assert!(
            text.contains("this is a bug in the macro, not in your stack"),
            "{text}"
        );
        let fine = super::guarded("stack!", || {
            quote::quote!(
                struct Fine;
            )
        });
        assert_eq!(fine.to_string(), "struct Fine ;");
    }
}
