//! The facts a declaration's type carries (`infra_runtime::facts`), so that the checks
//! the model makes inside one file are rustc's across files.
//!
//! - Each `security_group` gets a marker type (in the module `<header>_groups`) and one
//!   `Admits<Source, TcpPort<port>>` impl per ingress rule; its handle is `GroupHandle<Marker>`.
//! - An `aurora` is bound as `DatabaseHandle<Marker, TcpPort<port>>`, a `load_balancer` as
//!   `BalancerHandle<Marker, TcpPort<target port>>`, a `role` as `RoleHandle<Principal>`.
//! - A reference that reaches outside the file (an `input`, or a field of one or of a
//!   `construct`) is checked at the user's token by naming the trait that says the rule:
//!   `let () = <Type as Rule>::HOLDS;` (see [`holds`]).
//!
//! A component's handles are found again by type through `Field<hash of the name>`, so
//! that `groups.db_sg` names the group's type without this file seeing its declaration.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident, Type};

use crate::ast::{Item, Value};
use crate::kind::{self, Handle, Kind, Wire};
use crate::model::{self, Model};

const FACTS: &str = "::infra_runtime::facts";

fn facts() -> TokenStream {
    FACTS.parse().unwrap_or_default()
}

/// `::infra_runtime::facts` at a user's token: a check's call then spans only that token,
/// and rustc's error (a const evaluation's too) points there.
fn facts_at(span: Span) -> TokenStream {
    quote_spanned!(span=> ::infra_runtime::facts)
}

/// The module of the marker types: `LoanStack` -> `loan_stack_markers`.
pub fn markers_module(model: &Model<'_>) -> Ident {
    let name = model
        .header
        .map_or_else(|| "unnamed".to_owned(), |h| h.name.to_string());
    format_ident!("{}_markers", snake(&name))
}

/// The declarations that get a marker type: what another file's checks name.
const MARKED: &[Kind] = &[
    Kind::SecurityGroup,
    Kind::LogGroup,
    Kind::Secret,
    Kind::Aurora,
    Kind::Role,
];

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A declaration's marker type, at its name's span (`AppSg`).
fn marker(group: &Ident) -> Ident {
    Ident::new(&crate::naming::type_name(&group.to_string()), group.span())
}

/// The path of a declaration's marker type from the module level.
pub(crate) fn marker_path(model: &Model<'_>, group: &Ident) -> TokenStream {
    let module = markers_module(model);
    let marker = marker(group);
    quote!(#module::#marker)
}

/// The marker types and what each group admits.
pub fn markers(model: &Model<'_>) -> TokenStream {
    let facts = facts();
    let module = markers_module(model);
    let vis = model.header.map(|h| h.vis.clone());
    let marked: Vec<&Item> = model
        .items
        .iter()
        .copied()
        .filter(|i| MARKED.contains(&i.kind))
        .collect();
    // Two names that give one logical id (reported by the model) share one marker.
    let mut seen = std::collections::BTreeSet::new();
    let enums = marked
        .iter()
        .filter(|i| seen.insert(marker(&i.name).to_string()))
        .map(|item| {
            let marker = marker(&item.name);
            let doc = format!(
                "{} `{}`, as a type.",
                capitalized(item.kind.article()),
                item.name
            );
            quote_spanned!(item.name.span()=> #[doc = #doc] #[derive(Debug)] pub enum #marker {})
        });
    let groups: Vec<&Item> = marked
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::SecurityGroup)
        .collect();
    let impls = groups.iter().flat_map(|g| admits(model, g));
    let grants = marked
        .iter()
        .filter(|i| i.kind == Kind::Role)
        .flat_map(|role| crate::grant_facts::grants(model, role));
    let trust = marked
        .iter()
        .filter(|i| i.kind == Kind::Role)
        .filter_map(|role| trusts(model, role));
    let exposure = groups.iter().map(|g| {
        let target = marker_path(model, &g.name);
        let open = matches!(
            g.field("ingress").map(|f| &f.value),
            Some(Value::Ingress(rules)) if rules.iter().any(|r| r.complete && r.source == kind::INTERNET)
        );
        quote!(impl #facts::GroupFacts for #target { const OPEN_TO_INTERNET: bool = #open; })
    });
    let doc = "The groups, log groups, secrets, databases and roles declared here, as types: what a group admits is an `Admits` impl, what a role may do a `Grants` impl.";
    quote! {
        #[doc = #doc]
        #[allow(dead_code, non_camel_case_types)]
        #vis mod #module {
            #(#enums)*
        }
        #(#impls)*
        #(#exposure)*
        #(#grants)*
        #(#trust)*
    }
}

/// `impl AssumableBy<Principal> for Marker {}` for a role whose `assumed_by` names a
/// principal, at that value: what a role given to a service in another file is held to,
/// and what rustc shows as the principal the role has.
fn trusts(model: &Model<'_>, role: &Item) -> Option<TokenStream> {
    let facts = facts();
    let principal = principal(role)?;
    let principal = format_ident!("{principal}Principal", span = principal.span());
    let marker = marker_path(model, &role.name);
    Some(quote_spanned! {principal.span()=>
        #[diagnostic::do_not_recommend]
        impl #facts::AssumableBy<#facts::principal::#principal> for #marker {}
    })
}

/// `impl Admits<Source, TcpPort<port>> for Marker {}` for each distinct rule of a group.
fn admits(model: &Model<'_>, group: &Item) -> Vec<TokenStream> {
    let facts = facts();
    let Some(Value::Ingress(rules)) = group.field("ingress").map(|f| &f.value) else {
        return Vec::new();
    };
    let target = marker_path(model, &group.name);
    let mut seen = std::collections::BTreeSet::new();
    rules
        .iter()
        .filter(|r| r.complete)
        .filter_map(|rule| {
            let port = rule.port.base10_parse::<u16>().ok()?;
            let source = if rule.source == kind::INTERNET {
                quote!(#facts::Internet)
            } else {
                let item = model.get(&rule.source)?;
                match item.kind {
                    Kind::SecurityGroup => marker_path(model, &rule.source),
                    Kind::Input => {
                        let ty = strip_reference(item.ty.as_ref()?);
                        quote!(<#ty as #facts::GroupOf>::Marker)
                    }
                    _ => return None,
                }
            };
            seen.insert((source.to_string(), port)).then(|| {
                quote_spanned! {rule.port.span()=>
                    #[diagnostic::do_not_recommend]
                    impl #facts::Admits<#source, #facts::TcpPort<#port>> for #target {}
                }
            })
        })
        .collect()
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// `&T` -> `T`.
pub(crate) fn strip_reference(ty: &Type) -> &Type {
    match ty {
        Type::Reference(r) => strip_reference(&r.elem),
        Type::Paren(p) => strip_reference(&p.elem),
        _ => ty,
    }
}

/// `Field<{ field_hash("name") }>`: the lookup of a handle's type by its name (the hash
/// is the runtime's, evaluated by rustc).
pub fn field_trait(name: &str) -> TokenStream {
    let facts = facts();
    quote!(#facts::Field<{ #facts::field_hash(#name) }>)
}

/// The type of a reference to a declaration, when the model can name it: a declaration
/// of this file, an input (its declared type), or a field of either
/// (`<Type as Field<H>>::Type`).
pub fn type_of(model: &Model<'_>, expr: &Expr) -> Option<TokenStream> {
    match expr {
        Expr::Field(field) => {
            let base = type_of(model, &field.base)?;
            let syn::Member::Named(name) = &field.member else {
                return None;
            };
            let field = field_trait(&name.to_string());
            Some(quote!(<#base as #field>::Type))
        }
        Expr::Paren(p) => type_of(model, &p.expr),
        _ => {
            let item = model.get(model::ident(expr)?)?;
            match item.kind {
                Kind::Input => {
                    let ty = strip_reference(item.ty.as_ref()?);
                    Some(quote!(#ty))
                }
                _ => Some(binding_type(model, item)),
            }
        }
    }
}

/// The marker type of the group a field names, or `Unread` when it cannot be read.
fn group_marker(model: &Model<'_>, item: &Item) -> TokenStream {
    let facts = facts();
    let group = item
        .expr("security_group")
        .and_then(|e| match model::ident(e) {
            Some(name) if model.get_kind(name, &[Kind::SecurityGroup]).is_some() => {
                Some(marker_path(model, name))
            }
            _ if model.external(e).is_some() => {
                type_of(model, e).map(|ty| {
                    // At the user's value: what rustc says of the type points there.
                    underline(quote!(<#ty as #facts::GroupOf>::Marker), e)
                })
            }
            _ => None,
        });
    group.unwrap_or_else(|| quote!(#facts::Unread))
}

/// Generated tokens moved to a user's token.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(g) = &tree {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                return group.into();
            }
            tree.set_span(span);
            tree
        })
        .collect()
}

/// `TcpPort<port>` when the port is known at compile time, else `AnyPort`.
fn port_type(port: Option<i128>) -> TokenStream {
    let facts = facts();
    match port.and_then(|p| u16::try_from(p).ok()) {
        Some(port) => quote!(#facts::TcpPort<#port>),
        None => quote!(#facts::AnyPort),
    }
}

fn database_port(item: &Item) -> Option<i128> {
    crate::check::limits::aurora_port(item)
}

fn balancer_port(item: &Item) -> Option<i128> {
    item.int("target_port").value().copied()
}

/// The principal type `assumed_by` names, if it names one.
fn principal(item: &Item) -> Option<Ident> {
    let expr = item.expr("assumed_by")?;
    let (stem, _) = kind::principal(expr)?;
    Some(Ident::new(stem, expr.span()))
}

/// The type a built-in construct is built as through `Construct`.
pub fn built_type(model: &Model<'_>, item: &Item, handle: Handle) -> TokenStream {
    let span = item.name.span();
    let facts = facts();
    match handle {
        Handle::Construct(ty) => {
            let ty = Ident::new(ty, span);
            quote_spanned!(span=> ::infra_runtime::construct::#ty)
        }
        Handle::Resource(service, ty) => resource_handle(service, ty, span),
        Handle::Group => {
            let marker = marker_path(model, &item.name);
            quote_spanned!(span=> #facts::GroupHandle<#marker>)
        }
        Handle::Role => match principal(item) {
            Some(p) => {
                let p = format_ident!("{}Principal", p);
                let marker = marker_path(model, &item.name);
                quote_spanned!(span=> #facts::RoleHandle<#facts::principal::#p, #marker>)
            }
            None => resource_handle("iam", "Role", span),
        },
        Handle::LogGroup => {
            let marker = marker_path(model, &item.name);
            quote_spanned!(span=> #facts::LogGroupHandle<#marker>)
        }
        Handle::Secret => {
            let marker = marker_path(model, &item.name);
            quote_spanned!(span=> #facts::SecretHandle<#marker>)
        }
        Handle::Key => {
            let logs = flag_type(
                item.flag("allow_logs").value(),
                "LogsAllowed",
                "LogsRefused",
            );
            quote_spanned!(span=> #facts::KeyHandle<#logs>)
        }
        Handle::Bucket => {
            let encryption = match item.expr("encryption") {
                None => Some(true),
                Some(e) if model::ident(e).is_some_and(|i| i == "s3_managed") => Some(true),
                Some(e) if model::call(e).is_some_and(|(f, _)| f == "kms") => Some(false),
                Some(_) => None,
            };
            let encryption = flag_type(encryption.as_ref(), "S3ManagedKeys", "KmsKey");
            let delivery = flag_type(
                item.flag("load_balancer_logs").value(),
                "LogDelivery",
                "NoLogDelivery",
            );
            quote_spanned!(span=> #facts::BucketHandle<#encryption, #delivery>)
        }
        Handle::Database => quote_spanned!(span=> ::infra_runtime::construct::Aurora),
        Handle::Balancer => quote_spanned!(span=> ::infra_runtime::construct::LoadBalancer),
    }
}

/// The fact type of a flag: `yes` or `no` when known at compile time, else `Unread`.
fn flag_type(value: Option<&bool>, yes: &str, no: &str) -> TokenStream {
    let facts = facts();
    let name = match value {
        Some(true) => yes,
        Some(false) => no,
        None => "Unread",
    };
    let name = Ident::new(name, Span::call_site());
    quote!(#facts::#name)
}

fn resource_handle(service: &str, ty: &str, span: Span) -> TokenStream {
    let (service, ty) = (Ident::new(service, span), Ident::new(ty, span));
    quote_spanned!(span=> ::infra_runtime::Handle<::infra_runtime::aws::#service::#ty>)
}

/// The type a declaration is bound as: what it is built as, with the facts it carries.
pub fn binding_type(model: &Model<'_>, item: &Item) -> TokenStream {
    let facts = facts();
    match item.kind.construct() {
        Some((_, Handle::Database)) => {
            let (group, port) = (group_marker(model, item), port_type(database_port(item)));
            let marker = marker_path(model, &item.name);
            quote!(#facts::DatabaseHandle<#group, #port, #marker>)
        }
        Some((_, Handle::Balancer)) => {
            let (group, port) = (group_marker(model, item), port_type(balancer_port(item)));
            quote!(#facts::BalancerHandle<#group, #port>)
        }
        Some((_, handle)) => built_type(model, item, handle),
        None => crate::codegen::plain_binding_type(item),
    }
}

/// The built value `name` with its facts attached (`let db = Database::<Group, Port>::new(db);`),
/// after it is built: the facts' types are read from the declaration's values, and an
/// editor completing inside one compares this expansion with its own up to the cursor.
pub fn attach(model: &Model<'_>, item: &Item, name: &Ident) -> TokenStream {
    match item.kind.construct() {
        Some((_, Handle::Database | Handle::Balancer)) => {
            let ty = binding_type(model, item);
            quote!(let #name = <#ty>::new(#name);)
        }
        _ => TokenStream::new(),
    }
}

/// The wiring rules of the declaration's fields (`Wire`) where a value comes from another
/// file: a role the service must be able to assume, a log group its role must write.
fn wire_checks(model: &Model<'_>, item: &Item) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    for def in item.kind.row().fields {
        match def.wire {
            Wire::AssumedBy(stem) => {
                let Some(role) = item.expr(def.key).filter(|e| model.external(e).is_some()) else {
                    continue;
                };
                checks.extend(assumable(model, role, stem));
            }
            Wire::GrantedBy {
                verb: "write_logs",
                role,
            } => {
                checks.extend(crate::grant_facts::writes_logs(model, item, def.key, role));
            }
            Wire::GrantedBy { .. } | Wire::None => {}
        }
    }
    checks
}

/// A role of another file a raw resource hands to a service at a property
/// (`infra_facts::iam::ROLE_PROPERTIES`) is one that service may assume: rustc's unmet
/// `AssumableBy` at the role.
pub fn given_role_checks(model: &Model<'_>, item: &Item) -> TokenStream {
    let checks = crate::model::given_roles(item)
        .into_iter()
        .filter(|given| model.external(given.role).is_some())
        .filter_map(|given| assumable(model, given.role, given.stem));
    quote!(#(#checks)*)
}

/// The role `role` names may be assumed by the service whose principal is `stem`: a
/// declared role's marker says whom it trusts (so that rustc points at its `assumed_by`),
/// an input's handle type says it itself.
fn assumable(model: &Model<'_>, role: &Expr, stem: &str) -> Option<TokenStream> {
    let at = facts_at(role.span());
    let principal = format_ident!("{stem}Principal", span = role.span());
    let ty = type_of(model, role)?;
    let input = model::ident(role).and_then(|n| model.get_kind(n, &[Kind::Input]));
    let ty = match input {
        Some(_) => ty,
        None => quote!(<#ty as #at::Marked>::Marker),
    };
    Some(holds(
        role,
        ty,
        quote!(#at::AssumableBy<#at::principal::#principal>),
    ))
}

/// `const _: () = ..` that stops the build at the user's value `at` with the message
/// `problem` (a const `Option<&str>` the runtime computes, its tokens spanned by the
/// caller) when it is `Some`: the error is the runtime's words at the user's token, and
/// quotes no source of the runtime.
pub fn stops_on(at: &impl ToTokens, problem: TokenStream) -> TokenStream {
    let span = first_span(at);
    // rustc underlines the call to `panic!`: from the first token of the value to its last.
    let panic = underline(quote!(::core::panic!("{}", why)), at);
    quote_spanned! {span=>
        const _: () = if let ::core::option::Option::Some(why) = #problem {
            #panic;
        };
    }
}

/// `let () = <ty as check>::HOLDS;` at the user's value `at`: where `ty` does not
/// implement `check`, rustc says so under the whole value, in the trait's own words, and
/// quotes no source of the runtime (a call to a function with that bound would add its
/// signature as a note).
pub fn holds(at: &impl ToTokens, ty: TokenStream, check: TokenStream) -> TokenStream {
    let first = first_span(at);
    let ty = underline(ty, at);
    let check = respan(check, first);
    quote_spanned!(first=> let () = <#ty as #check>::HOLDS;)
}

/// `tokens` moved to the user's value `at`, so that what rustc says of them (a type it
/// underlines from its first token's start to its last token's end) is under the whole
/// value.
pub fn underline(tokens: TokenStream, at: &impl ToTokens) -> TokenStream {
    let last = at.to_token_stream().into_iter().last().map(|t| t.span());
    let mut tokens: Vec<_> = respan(tokens, first_span(at)).into_iter().collect();
    if let (Some(end), Some(last)) = (tokens.last_mut(), last) {
        end.set_span(last);
    }
    tokens.into_iter().collect()
}

fn first_span(at: &impl ToTokens) -> Span {
    at.to_token_stream()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span())
}

/// The checks across a boundary a declaration needs: each a trait that says the rule,
/// named at the token that reaches outside the file.
pub fn boundary_checks(model: &Model<'_>, item: &Item) -> TokenStream {
    let external = |key: &str| item.expr(key).filter(|e| model.external(e).is_some());
    let mut checks = Vec::new();
    let public =
        item.kind == Kind::LoadBalancer && item.flag("internet_facing").value() != Some(&false);
    if let Some(group) = external("security_group").filter(|_| !public)
        && let Some(ty) = type_of(model, group)
    {
        let at = facts_at(group.span());
        let marker = quote!(<#ty as #at::GroupOf>::Marker);
        let problem = quote!(<#marker as #at::GroupFacts>::INTERNAL_USE_PROBLEM);
        checks.push(stops_on(group, underline(problem, group)));
    }
    if let Some(key) = external("key").filter(|_| item.kind == Kind::LogGroup)
        && let Some(ty) = type_of(model, key)
    {
        let at = facts_at(key.span());
        checks.push(holds(key, ty, quote!(#at::EncryptsLogs)));
    }
    if let Some(bucket) = external("access_logs").filter(|_| item.kind == Kind::LoadBalancer)
        && let Some(ty) = type_of(model, bucket)
    {
        let at = facts_at(bucket.span());
        checks.push(holds(bucket, ty, quote!(#at::TakesAccessLogs)));
    }
    checks.extend(wire_checks(model, item));
    if item.kind != Kind::FargateService {
        return quote!(#(#checks)*);
    }
    checks.extend(crate::grant_facts::service_checks(model, item));
    let local_or_external = |key: &str, kinds: &[Kind]| {
        item.expr(key).filter(|e| {
            model.external(e).is_some()
                || model::ident(e).is_some_and(|n| model.get_kind(n, kinds).is_some())
        })
    };
    let Some(group) = local_or_external("security_group", &[Kind::SecurityGroup]) else {
        return quote!(#(#checks)*);
    };
    let group_is_external = model.external(group).is_some();
    let listener = |key: &str, kind: Kind| {
        let expr = local_or_external(key, &[kind])
            .filter(|e| group_is_external || model.external(e).is_some())?;
        Some((expr, type_of(model, expr)?))
    };
    let Some(group_type) = type_of(model, group) else {
        return quote!(#(#checks)*);
    };
    let members = {
        let at = facts_at(group.span());
        quote!(<#group_type as #at::GroupOf>::Marker)
    };
    if let Some((lb, lb_type)) = listener("load_balancer", Kind::LoadBalancer) {
        // The balancer sends to the service's port, and the service's group admits it.
        let at = facts_at(lb.span());
        let port = port_type(item.int("port").value().copied());
        checks.push(holds(lb, lb_type.clone(), quote!(#at::SendsTo<#port>)));
        let from = quote!(<#lb_type as #at::Listener>::Group);
        checks.push(holds(
            group,
            members.clone(),
            quote!(#at::Admits<#from, #port>),
        ));
    }
    if let Some((db, db_type)) = listener("database", Kind::Aurora) {
        // The database's group admits the service's on the database's port.
        let at = facts_at(db.span());
        let (database, port) = (
            quote!(<#db_type as #at::Listener>::Group),
            quote!(<#db_type as #at::Listener>::Port),
        );
        checks.push(holds(db, database, quote!(#at::Admits<#members, #port>)));
    }
    quote!(#(#checks)*)
}
