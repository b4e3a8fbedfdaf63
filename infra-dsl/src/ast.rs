//! The syntax tree the recovering parser produces: declarations and their fields, every
//! identifier kept with its span. Values stay Rust expressions where Rust can type-check
//! them; only the DSL's own forms (`443 from alb_sg`, `{ Key: "value" }`) get their own
//! nodes.

use proc_macro2::{Span, TokenStream};
use syn::{Attribute, Expr, Ident, LitInt, LitStr, Type, Visibility};

use crate::kind::{Fact, Kind};

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
    /// `in shared.vpc_id`: the field of an imported stack's exports that names the VPC.
    pub within_field: Option<Ident>,
    /// The fields, in source order.
    pub fields: Vec<Field>,
    /// The braces around the fields.
    pub body_span: Span,
    /// `..` after the fields of a `construct`: the others take their defaults.
    pub rest: Option<Span>,
}

/// `key: value`.
pub struct Field {
    /// Doc comments on the field (settings).
    pub attrs: Vec<Attribute>,
    /// The field's name as written.
    pub key: Ident,
    /// Its value.
    pub value: Value,
    /// The literal its value is, if any.
    pub literal: Literal,
}

impl Field {
    /// A field, its literal read from its value.
    pub fn new(attrs: Vec<Attribute>, key: Ident, value: Value) -> Self {
        let literal = match &value {
            Value::Expr(expr) => Literal::of(expr),
            _ => Literal::None,
        };
        Self {
            attrs,
            key,
            value,
            literal,
        }
    }
}

/// A field's value.
// With span locations (the tests turn them on) an expression outgrows the other variants;
// a stack has a few hundred values, built once per expansion, so boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Value {
    /// A Rust expression.
    Expr(Expr),
    /// `[443 from internet, 8080 from alb_sg]`.
    Ingress(Vec<PortRule>),
    /// `[443 to internet]`.
    Egress(Vec<PortRule>),
    /// `{ CostCenter: "fintech-infrastructure" }`.
    Tags(Vec<(Ident, LitStr)>),
    /// `{ LOG_LEVEL: "info", API_KEY: api_key }`: names and Rust expressions.
    Map(Vec<(Ident, Expr)>),
    /// A setting: `name: Type = default`.
    Setting(Box<Type>, Box<Expr>),
    /// A key with nothing after it yet (`cidr` or `cidr:` while typing).
    Missing,
    /// A value still being typed (`network.`), completed with a placeholder so that the
    /// expansion keeps the shape the editor completes in; the error is already reported
    /// and the checks do not read it.
    Incomplete(Expr),
    /// Tokens that did not parse; the error is already reported.
    Invalid(TokenStream),
}

/// `443 from alb_sg` (ingress) or `443 to internet` (egress).
pub struct PortRule {
    /// The TCP port.
    pub port: LitInt,
    /// The peer: an ingress rule's source, `internet` or a security group of the stack;
    /// an egress rule's destination, which must be `internet`.
    pub source: Ident,
    /// `false` while the peer is still being typed (`443 from` and nothing yet): the peer
    /// is then a placeholder that only keeps the expansion's shape for the editor.
    pub complete: bool,
}

impl Item {
    /// The field with this key, if written.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Whether a field is written that the declaration does not have (rustc reports it):
    /// a misspelt field leaves the one meant unwritten, which no check should then read.
    pub fn writes_unknown_fields(&self) -> bool {
        self.fields
            .iter()
            .any(|f| self.kind.field_def(&f.key.to_string()).is_none())
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

    /// An integer field as the checks read it.
    pub fn int(&self, key: &str) -> Typed<'_, i128> {
        self.typed(key, |literal, default| match (literal, default) {
            (Some(Literal::Int(v)), _) => Some(*v),
            (None, Fact::Int(v)) => Some(i128::from(v)),
            _ => None,
        })
    }

    /// A number field as the checks read it (integer literals included).
    pub fn float(&self, key: &str) -> Typed<'_, f64> {
        self.typed(key, |literal, default| match (literal, default) {
            (Some(Literal::Float(v)), _) => Some(*v),
            (Some(Literal::Int(v)), _) => Some(*v as f64),
            (None, Fact::Float(v)) => Some(v),
            _ => None,
        })
    }

    /// A flag as the checks read it.
    pub fn flag(&self, key: &str) -> Typed<'_, bool> {
        self.typed(key, |literal, default| match (literal, default) {
            (Some(Literal::Bool(v)), _) => Some(*v),
            (None, Fact::Bool(v)) => Some(v),
            _ => None,
        })
    }

    /// A string field as the checks read it.
    pub fn text(&self, key: &str) -> Typed<'_, String> {
        self.typed(key, |literal, default| match (literal, default) {
            (Some(Literal::Str(v)), _) => Some(v.clone()),
            (None, Fact::Str(v)) => Some(v.to_owned()),
            _ => None,
        })
    }

    /// The one reading of a field: `read` gets the literal written (or `None` when the
    /// field is absent) and the default, and returns the value if it can tell it.
    fn typed<T>(
        &self,
        key: &str,
        read: impl Fn(Option<&Literal>, Fact) -> Option<T>,
    ) -> Typed<'_, T> {
        let default = self.kind.default(key);
        let Some(field) = self.field(key) else {
            return read(None, default).map_or(Typed::Absent, Typed::Default);
        };
        match (&field.value, &field.literal) {
            (Value::Expr(expr), Literal::Dynamic) => Typed::Dynamic(expr),
            (Value::Expr(expr), literal) => {
                read(Some(literal), default).map_or(Typed::Unusable, |v| Typed::Literal(v, expr))
            }
            _ => Typed::Unusable,
        }
    }
}

/// What a field's value is, read once from its tokens when it is parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// An integer literal (`-1` included).
    Int(i128),
    /// A float literal.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A string literal.
    Str(String),
    /// Any other expression: its value is known only when the stack is built.
    Dynamic,
    /// Not an expression (the DSL's own forms, a missing or unparsable value).
    None,
}

impl Literal {
    /// The literal an expression is, if it is one.
    pub fn of(expr: &Expr) -> Self {
        match expr {
            Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
                syn::Lit::Int(i) => i.base10_parse().map_or(Self::Dynamic, Self::Int),
                syn::Lit::Float(f) => f.base10_parse().map_or(Self::Dynamic, Self::Float),
                syn::Lit::Bool(b) => Self::Bool(b.value),
                syn::Lit::Str(s) => Self::Str(s.value()),
                _ => Self::Dynamic,
            },
            Expr::Unary(syn::ExprUnary {
                op: syn::UnOp::Neg(_),
                expr,
                ..
            }) => match Self::of(expr) {
                Self::Int(v) => Self::Int(-v),
                Self::Float(v) => Self::Float(-v),
                _ => Self::Dynamic,
            },
            Expr::Paren(p) => Self::of(&p.expr),
            Expr::Group(g) => Self::of(&g.expr),
            _ => Self::Dynamic,
        }
    }
}

/// A field's value as the checks see it: resolved once, so that no check reads raw
/// tokens or copies a default.
#[derive(Clone, Copy)]
pub enum Typed<'a, T> {
    /// Written as a literal, with its expression for the error's span.
    Literal(T, &'a Expr),
    /// Written as an expression known only when the stack is built (`settings.max`):
    /// the runtime checks it.
    Dynamic(&'a Expr),
    /// Not written: what the runtime uses.
    Default(T),
    /// Not written, and without a default the checks can use.
    Absent,
    /// Written, but not as a value of this type (reported elsewhere, or by rustc).
    Unusable,
}

impl<'a, T> Typed<'a, T> {
    /// The value the stack will have, when it is known at compile time.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Literal(v, _) | Self::Default(v) => Some(v),
            _ => None,
        }
    }

    /// The written literal and its expression.
    pub fn literal(&self) -> Option<(&T, &'a Expr)> {
        match self {
            Self::Literal(v, e) => Some((v, e)),
            _ => None,
        }
    }

    /// The written expression, literal or not.
    pub fn expr(&self) -> Option<&'a Expr> {
        match self {
            Self::Literal(_, e) | Self::Dynamic(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the value comes from the runtime's default.
    pub fn is_default(&self) -> bool {
        matches!(self, Self::Default(_))
    }
}
