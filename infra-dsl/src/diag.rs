//! Errors gathered across a phase and reported together, each at the narrowest span,
//! worded like rustc's: lowercase, no trailing period, code in backticks, and a `help:`
//! line where the fix is known.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// The errors of one invocation.
#[derive(Default)]
pub struct Diagnostics {
    errors: Vec<syn::Error>,
}

impl Diagnostics {
    /// Records an error.
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// An error at one span.
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.push(syn::Error::new(span, message.into()));
    }

    /// An error over the tokens of a node (the whole expression, say).
    pub fn error_at(&mut self, node: &(impl ToTokens + ?Sized), message: impl Into<String>) {
        self.push(syn::Error::new_spanned(node, message.into()));
    }

    /// An error with a `help:` line.
    pub fn error_help(
        &mut self,
        node: &(impl ToTokens + ?Sized),
        message: impl AsRef<str>,
        help: impl AsRef<str>,
    ) {
        self.error_at(
            node,
            format!("{}\nhelp: {}", message.as_ref(), help.as_ref()),
        );
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many errors were reported.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// The messages, for tests.
    pub fn messages(&self) -> Vec<String> {
        self.errors.iter().map(ToString::to_string).collect()
    }

    /// The spans the errors point at, for tests.
    pub fn spans(&self) -> Vec<Span> {
        self.errors.iter().map(syn::Error::span).collect()
    }

    /// `compile_error!` invocations, one per error.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}
