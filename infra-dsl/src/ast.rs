//! The syntax tree the recovering parser produces: declarations and their fields, every
//! identifier kept with its span. Values stay Rust expressions where Rust can type-check
//! them; only the DSL's own forms (`443 from alb_sg`, `{ Key: "value" }`) get their own
//! nodes.

use proc_macro2::{Span, TokenStream};
use syn::{Attribute, Expr, Ident, LitInt, LitStr, Type, Visibility};

use crate::kind::Kind;

/// A whole `stack! { … }` invocation.
#[derive(Default)]
pub struct Stack {
    /// Declarations in source order (the `stack` header and `settings` included).
    pub items: Vec<Item>,
    /// The first token of the input, for errors about the whole stack.
    pub first_span: Option<Span>,
}

/// One declaration: `kind name [: Type] [in network] { field: value, … }`.
pub struct Item {
    /// Doc comments and other attributes written above it.
    pub attrs: Vec<Attribute>,
    /// `pub` or nothing (used by the header and settings).
    pub vis: Visibility,
    /// What is declared.
    pub kind: Kind,
    /// The keyword as written (for spans).
    pub keyword: Ident,
    /// The declared name.
    pub name: Ident,
    /// The type after `:` (raw resources and parameters).
    pub ty: Option<Type>,
    /// The network after `in` (security groups).
    pub within: Option<Ident>,
    /// The fields, in source order.
    pub fields: Vec<Field>,
    /// The braces around the fields.
    pub body_span: Span,
}

/// `key: value`.
pub struct Field {
    /// Doc comments on the field (settings).
    pub attrs: Vec<Attribute>,
    /// The field's name as written.
    pub key: Ident,
    /// Its value.
    pub value: Value,
}

/// A field's value.
// With span locations (the tests turn them on) an expression outgrows the other variants;
// a stack has a few hundred values, built once per expansion, so boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Value {
    /// A Rust expression.
    Expr(Expr),
    /// `[443 from internet, 8080 from alb_sg]`.
    Ingress(Vec<IngressRule>),
    /// `{ CostCenter: "fintech-infrastructure" }`.
    Tags(Vec<(Ident, LitStr)>),
    /// A setting: `name: Type = default`.
    Setting(Box<Type>, Box<Expr>),
    /// A key with nothing after it yet (`cidr` or `cidr:` while typing).
    Missing,
    /// Tokens that did not parse; the error is already reported.
    Invalid(TokenStream),
}

/// `443 from alb_sg`.
pub struct IngressRule {
    /// The TCP port.
    pub port: LitInt,
    /// `internet` or a security group of the stack.
    pub source: Ident,
}

impl Item {
    /// The field with this key, if written.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The expression of a field, if written as one.
    pub fn expr(&self, key: &str) -> Option<&Expr> {
        match self.field(key).map(|f| &f.value) {
            Some(Value::Expr(expr)) => Some(expr),
            _ => None,
        }
    }

    /// Whether a field is written at all (even without a value).
    pub fn has(&self, key: &str) -> bool {
        self.field(key).is_some()
    }
}
