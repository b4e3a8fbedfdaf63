//! What a role may do, as types, so that a service in another file is held to it: each
//! `write_logs(x)` and `read_secret(x)` of a role is a `Grants<Verb, X>` impl on the role's
//! marker, each `connect(db, "user")` a `ConnectsAs<Db>` impl whose `USER` is the user. A
//! service whose roles or log group, secrets or database are of another file is then held
//! to them at the user's token: `<Marker as Grants<…>>::HOLDS` for a grant, and
//! `database_user_problem` of the granted user (a const evaluation) for a database user.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Type};

use crate::ast::{Item, Value};
use crate::facts::{binding_type, marker_path, respan, strip_reference, type_of, underline};
use crate::kind::{Kind, SECRET_SOURCES};
use crate::model::{self, Model};

fn facts_at(span: Span) -> TokenStream {
    quote_spanned!(span=> ::infra_runtime::facts)
}

/// Whether a type is a handle without facts or a value (`Handle<LogGroup>`,
/// `Value<Arn<Secret>>`): it names no declaration.
fn is_plain(ty: &Type) -> bool {
    match strip_reference(ty) {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Handle" || s.ident == "Value"),
        _ => false,
    }
}

/// What a service's check names: a log group, a secret source or a database.
#[derive(Clone, Copy)]
enum Of {
    LogGroup,
    Secret,
    Database,
}

impl Of {
    /// The declarations of this file that are one.
    fn kinds(self) -> &'static [Kind] {
        match self {
            Of::LogGroup => &[Kind::LogGroup],
            Of::Secret => SECRET_SOURCES,
            Of::Database => &[Kind::Aurora],
        }
    }

    /// The trait that reads the marker type of a handle of another file.
    fn marker_trait(self) -> &'static str {
        match self {
            Of::LogGroup => "LogGroupMarker",
            Of::Secret => "SecretMarker",
            Of::Database => "DatabaseMarker",
        }
    }
}

/// The marker type of the declaration a reference names, when its type names one: a
/// declaration of this file of that kind, or a handle of another file (not a plain
/// `Handle<…>` input).
fn marker_of(model: &Model<'_>, expr: &Expr, of: Of) -> Option<TokenStream> {
    if let Some(name) = model::ident(expr)
        && let Some(item) = model.get_kind(name, of.kinds())
    {
        return Some(marker_path(model, &item.name));
    }
    let base = model.external(expr)?;
    if base.kind == Kind::Input
        && model::ident(expr).is_some()
        && base.ty.as_ref().is_none_or(is_plain)
    {
        return None;
    }
    let ty = type_of(model, expr)?;
    let at = facts_at(expr.span());
    let of_kind = syn::Ident::new(of.marker_trait(), expr.span());
    Some(underline(quote!(<#ty as #at::#of_kind>::Marker), expr))
}

/// The type of a role or a database a service names, for a const evaluation.
fn type_named(model: &Model<'_>, expr: &Expr, kind: Kind) -> Option<TokenStream> {
    match model::ident(expr).and_then(|n| model.get_kind(n, &[kind])) {
        Some(item) => Some(binding_type(model, item)),
        None if model.external(expr).is_some() => type_of(model, expr),
        None => None,
    }
}

/// The `Grants` and `ConnectsAs` impls of one role, each once.
pub fn grants(model: &Model<'_>, role: &Item) -> Vec<TokenStream> {
    let Some(list) = role.expr("grants").and_then(model::list) else {
        return Vec::new();
    };
    let me = marker_path(model, &role.name);
    let mut seen = std::collections::BTreeSet::new();
    list.into_iter()
        .filter_map(|grant| {
            let (verb, args) = model::call(grant)?;
            let at = facts_at(verb.span());
            let target = *args.first()?;
            let span = verb.span();
            let me = respan(me.clone(), span);
            let tokens = match verb.to_string().as_str() {
                "write_logs" => {
                    let on = marker_of(model, target, Of::LogGroup)?;
                    quote_spanned!(span=> #[diagnostic::do_not_recommend] impl #at::Grants<#at::grant::WriteLogs, #on> for #me {})
                }
                "read_secret" => {
                    let on = marker_of(model, target, Of::Secret)?;
                    quote_spanned!(span=> #[diagnostic::do_not_recommend] impl #at::Grants<#at::grant::ReadSecret, #on> for #me {})
                }
                "connect" => {
                    let on = marker_of(model, target, Of::Database)?;
                    let user = args.get(1).and_then(|u| model::string(u))?;
                    quote_spanned!(span=> #[diagnostic::do_not_recommend] impl #at::ConnectsAs<#on> for #me { const USER: &'static str = #user; })
                }
                _ => return None,
            };
            seen.insert(tokens.to_string()).then_some(tokens)
        })
        .collect()
}

/// The role of field `role_key` writes the log group of field `logs_key`, when either is
/// of another file.
pub fn writes_logs(
    model: &Model<'_>,
    item: &Item,
    logs_key: &str,
    role_key: &str,
) -> Option<TokenStream> {
    let external = |e: &Expr| model.external(e).is_some();
    let (role, logs) = (item.expr(role_key)?, item.expr(logs_key)?);
    if !(external(role) || external(logs)) || marker_of(model, logs, Of::LogGroup).is_none() {
        return None;
    }
    Some(granted(model, role, "WriteLogs", logs, role))
}

/// The role `role` names has the grant `verb` on the declaration `on` names, checked at
/// the value `at`.
fn granted(model: &Model<'_>, role: &Expr, verb: &str, on: &Expr, at: &Expr) -> TokenStream {
    let (user, at) = (at, facts_at(at.span()));
    let verb = syn::Ident::new(verb, user.span());
    let (Some(role), Some(on)) = (type_of(model, role), type_of(model, on)) else {
        return TokenStream::new();
    };
    let role = quote!(<#role as #at::Marked>::Marker);
    let on = quote!(<#on as #at::Marked>::Marker);
    crate::facts::holds(user, role, quote!(#at::Grants<#at::grant::#verb, #on>))
}

/// A service's checks against secrets and a database of another file.
pub fn service_checks(model: &Model<'_>, service: &Item) -> Vec<TokenStream> {
    let external = |e: &Expr| model.external(e).is_some();
    let mut checks = Vec::new();
    let execution = service.expr("execution_role");
    if let (Some(role), Some(Value::Map(pairs))) =
        (execution, service.field("secrets").map(|f| &f.value))
    {
        for (_, secret) in pairs {
            if (external(role) || external(secret))
                && marker_of(model, secret, Of::Secret).is_some()
            {
                // The role at the secret: what it lacks is this secret.
                checks.push(granted(model, role, "ReadSecret", secret, secret));
            }
        }
    }
    checks.extend(connects_as(model, service));
    checks
}

/// The task role connects to the service's database as its `database_user`.
fn connects_as(model: &Model<'_>, service: &Item) -> Option<TokenStream> {
    let (role, database) = (service.expr("task_role")?, service.expr("database")?);
    if model.external(role).is_none() && model.external(database).is_none() {
        return None;
    }
    let user = service.text("database_user");
    // At the user the service names, or at the database when the user is the default.
    let at: &Expr = user.expr().unwrap_or(database);
    let user = user.value()?;
    let role_type = type_named(model, role, Kind::Role)?;
    let database_type = type_named(model, database, Kind::Aurora)?;
    let facts = facts_at(at.span());
    // A role without the grant is an error at the role; another user, at the user.
    let role_marker = underline(quote!(<#role_type as #facts::Marked>::Marker), role);
    let granted = quote! {
        <#role_marker as #facts::ConnectsAs<<#database_type as #facts::Marked>::Marker>>::USER
    };
    let problem = quote!(#facts::database_user_problem(#granted, #user));
    Some(crate::facts::stops_on(at, problem))
}
