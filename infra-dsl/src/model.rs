//! The resolved model: every declaration by name, every reference checked once (undeclared
//! names with "did you mean", duplicates, wrong kinds), and the dependency edges the
//! generator orders declarations by.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenTree;
use quote::ToTokens;
use syn::{Expr, Ident};

use crate::ast::{Item, Stack, Value};
use crate::diag::Diagnostics;
use crate::kind::{self, ALLOW, FieldKind, Kind};

/// Declarations by name, with their dependencies.
pub struct Model<'a> {
    /// The `stack` header.
    pub header: Option<&'a Item>,
    /// The `settings` declaration.
    pub settings: Option<&'a Item>,
    /// Every other declaration, in source order, duplicates removed.
    pub items: Vec<&'a Item>,
    by_name: BTreeMap<String, &'a Item>,
    /// For each declaration, the declarations it must follow.
    pub deps: BTreeMap<String, BTreeSet<String>>,
    /// References to undeclared names, kept so the expansion can still mention them.
    pub unresolved: Vec<Ident>,
    /// Names declared more than once: references to them are not checked further.
    duplicated: BTreeSet<String>,
}

impl<'a> Model<'a> {
    /// Indexes the declarations and resolves every reference.
    pub fn resolve(stack: &'a Stack, mode: crate::Mode, diag: &mut Diagnostics) -> Self {
        let mut model = Model {
            header: None,
            settings: None,
            items: Vec::new(),
            by_name: BTreeMap::new(),
            deps: BTreeMap::new(),
            unresolved: Vec::new(),
            duplicated: BTreeSet::new(),
        };
        for item in &stack.items {
            if let Some(why) = mode.refuses(item.kind) {
                diag.error(item.keyword.span(), why);
            } else if matches!(item.kind, Kind::Stack | Kind::Component | Kind::Settings) {
                model.index_singleton(item, diag);
            } else {
                model.index(item, diag);
            }
        }
        model.check_logical_ids(diag);
        if model.header.is_none() {
            diag.error(
                stack
                    .first_span
                    .unwrap_or_else(proc_macro2::Span::call_site),
                mode.missing_header(),
            );
        }
        for item in model.items.clone() {
            let deps = model.resolve_item(item, diag);
            model.deps.insert(item.name.to_string(), deps);
        }
        model
    }

    /// The header or the settings: one of each.
    fn index_singleton(&mut self, item: &'a Item, diag: &mut Diagnostics) {
        let slot = if item.kind == Kind::Settings {
            &mut self.settings
        } else {
            &mut self.header
        };
        let Some(first) = slot else {
            *slot = Some(item);
            return;
        };
        let whole = if item.kind == Kind::Component {
            "component"
        } else {
            "stack"
        };
        diag.error(
            item.keyword.span(),
            format!("the {whole} has a second `{}` declaration", item.keyword),
        );
        diag.error(
            first.keyword.span(),
            format!("the first `{}` declaration is here", first.keyword),
        );
    }

    /// A named declaration: reserved names and duplicates are reported, the rest indexed.
    fn index(&mut self, item: &'a Item, diag: &mut Diagnostics) {
        let name = item.name.to_string();
        // `r#config` is the same identifier as `config`.
        if let Some(why) = kind::reserved(name.strip_prefix("r#").unwrap_or(&name)) {
            diag.error_help(
                &item.name,
                format!("`{name}` is a reserved name: {why}"),
                "choose another name for this declaration",
            );
        } else if let Some(first) = self.by_name.get(&name) {
            self.duplicated.insert(name.clone());
            diag.error(
                item.name.span(),
                format!("the name `{name}` is declared twice\nhelp: rename one of them"),
            );
            diag.error(
                first.name.span(),
                format!("`{name}` is first declared here as {}", first.kind),
            );
        } else {
            self.by_name.insert(name, item);
            self.items.push(item);
        }
    }

    /// Declarations whose names give the same logical id, or none a template accepts.
    fn check_logical_ids(&self, diag: &mut Diagnostics) {
        let mut seen: BTreeMap<String, &Item> = BTreeMap::new();
        for item in &self.items {
            let id = crate::naming::logical_id(&item.name.to_string());
            if !crate::naming::is_valid_logical_id(&id) {
                diag.error_help(
                    &item.name,
                    format!(
                        "`{}` gives the logical id `{id}`, which CloudFormation does not accept",
                        item.name
                    ),
                    "use letters and digits, 255 at most, in snake_case",
                );
            } else if let Some(first) = seen.get(&id) {
                diag.error_help(
                    &item.name,
                    format!(
                        "`{}` and `{}` both give the logical id `{id}`",
                        item.name, first.name
                    ),
                    "rename one of them",
                );
                diag.error(
                    first.name.span(),
                    format!("`{}` is declared here", first.name),
                );
            } else {
                seen.insert(id, item);
            }
        }
        self.check_derived_ids(&seen, diag);
    }

    /// No declaration gives the logical id of a resource another one derives
    /// (`log_group api_logs` and `function api` without `logs`: both `ApiLogs`).
    fn check_derived_ids(&self, declared: &BTreeMap<String, &Item>, diag: &mut Diagnostics) {
        for owner in &self.items {
            let derives = kind::DERIVED.iter().filter(|d| d.kind == owner.kind);
            for derived in derives.filter(|d| d.unless.is_none_or(|f| owner.field(f).is_none())) {
                let id = crate::naming::logical_id(&owner.name.to_string()) + derived.suffix;
                let Some(clash) = declared.get(&id).filter(|c| c.name != owner.name) else {
                    continue;
                };
                let help = match derived.unless {
                    Some(field) => format!(
                        "if it is meant to be `{owner}`'s, give `{owner}` `{field}: {clash}`; else rename it",
                        owner = owner.name,
                        clash = clash.name
                    ),
                    None => "rename it".to_owned(),
                };
                diag.error_help(
                    &clash.name,
                    format!(
                        "`{}` gives the logical id `{id}`, which `{}` gives {}",
                        clash.name, owner.name, derived.what
                    ),
                    help,
                );
                diag.error_at(&owner.name, format!("`{}` is declared here", owner.name));
            }
        }
    }

    /// The declaration with this name.
    pub fn get(&self, name: &Ident) -> Option<&'a Item> {
        self.by_name.get(&name.to_string()).copied()
    }

    /// The declaration a field names (`security_group: alb_sg`), if it resolved to a
    /// declaration of the kind the field takes.
    pub fn target(&self, item: &Item, key: &str) -> Option<&'a Item> {
        let kinds = match item.kind.field(key) {
            FieldKind::Ref(kinds) | FieldKind::ValueRef(kinds) => kinds,
            _ => return None,
        };
        item.expr(key)
            .and_then(ident)
            .and_then(|i| self.get_kind(i, kinds))
    }

    /// The declaration with this name when it is of one of `kinds` and declared once.
    pub fn get_kind(&self, name: &Ident, kinds: &[Kind]) -> Option<&'a Item> {
        if self.duplicated.contains(&name.to_string()) {
            return None;
        }
        self.get(name).filter(|item| is_of(item, kinds))
    }

    /// The network and tier a field names (`subnets: network.public`), if they resolved.
    pub fn tier<'i>(&self, item: &'i Item, key: &str) -> Option<(&'a Item, &'i Ident, String)> {
        let expr = item.expr(key)?;
        let (base, tier) = tier_path(expr)?;
        let network = self.get(base).filter(|n| n.kind == Kind::Vpc)?;
        kind::TIERS
            .contains(&tier.to_string().as_str())
            .then(|| (network, base, tier.to_string()))
    }

    /// Resolves a name that must be one of `kinds`; reports what is wrong.
    fn resolve_as(
        &mut self,
        name: &Ident,
        kinds: &[Kind],
        diag: &mut Diagnostics,
    ) -> Option<&'a Item> {
        let expected = describe(kinds);
        if self.duplicated.contains(&name.to_string()) {
            return None;
        }
        match self.get(name) {
            None => {
                // rustc reports it, with its own "did you mean", through the reference
                // the generator keeps at this span.
                self.unresolved.push(name.clone());
                None
            }
            Some(target) if !is_of(target, kinds) => {
                diag.error(
                    name.span(),
                    format!(
                        "expected {expected}, found `{name}`, which is {}",
                        target.kind
                    ),
                );
                diag.error(
                    target.name.span(),
                    format!("`{name}` is declared here as {}", target.kind),
                );
                None
            }
            Some(target) => Some(target),
        }
    }

    fn resolve_item(&mut self, item: &'a Item, diag: &mut Diagnostics) -> BTreeSet<String> {
        let mut deps = BTreeSet::new();
        self.resolve_within(item, &mut deps, diag);
        for field in &item.fields {
            let key = field.key.to_string();
            match &field.value {
                Value::Expr(expr) => self.resolve_expr(item, &key, expr, &mut deps, diag),
                Value::Map(pairs) => self.resolve_map(item, &key, pairs, &mut deps, diag),
                Value::Ingress(rules) => self.resolve_sources(rules, diag),
                _ => {}
            }
        }
        for target in crate::codegen::depends_on(item) {
            if target == item.name {
                diag.error(
                    target.span(),
                    format!("`{}` cannot depend on itself", item.name),
                );
            } else if self.resolve_as(&target, &[Kind::Resource], diag).is_some() {
                deps.insert(target.to_string());
            }
        }
        deps
    }

    /// `in network`: a VPC of the stack, an input or a construct; `in shared.vpc_id`: a
    /// field of another stack's exports, an input or a construct.
    fn resolve_within(&mut self, item: &Item, deps: &mut BTreeSet<String>, diag: &mut Diagnostics) {
        if let Some(network) = &item.within {
            let kinds: &[Kind] = if item.within_field.is_some() {
                &[Kind::Import, Kind::Input, Kind::Construct]
            } else {
                &[Kind::Vpc, Kind::Input, Kind::Construct]
            };
            if self.resolve_as(network, kinds, diag).is_some() {
                deps.insert(network.to_string());
            }
        } else if item.kind == Kind::SecurityGroup {
            diag.error_help(
                &item.name,
                format!("security group `{}` is not in a VPC", item.name),
                format!("write `security_group {} in <network> {{ … }}`", item.name),
            );
        }
    }

    /// Ingress sources: group-to-group rules are separate resources, so not dependencies.
    /// An undeclared source is rustc's to report, at the generator's probe that also
    /// completes the sources.
    fn resolve_sources(&mut self, rules: &[crate::ast::PortRule], diag: &mut Diagnostics) {
        for rule in rules.iter().filter(|r| r.complete) {
            if rule.source != kind::INTERNET && self.get(&rule.source).is_some() {
                self.resolve_as(&rule.source, &[Kind::SecurityGroup, Kind::Input], diag);
            }
        }
    }

    /// A field written as a Rust expression, read as its shape says.
    fn resolve_expr(
        &mut self,
        item: &Item,
        key: &str,
        expr: &Expr,
        deps: &mut BTreeSet<String>,
        diag: &mut Diagnostics,
    ) {
        let shape = item.kind.field(key);
        let names_a_declaration = matches!(
            shape,
            FieldKind::Ref(_) | FieldKind::ValueRef(_) | FieldKind::Tier
        );
        // A reference into another file is typed by rustc, not by this model.
        if names_a_declaration && self.external(expr).is_some() {
            self.depend_on_base(expr, deps);
            return;
        }
        match shape {
            // Added after every declaration exists: what they name is no dependency.
            FieldKind::Statements => {}
            FieldKind::Ref(kinds) | FieldKind::ValueRef(kinds) => match ident(expr) {
                Some(name) => {
                    if self.resolve_as(name, kinds, diag).is_some() {
                        deps.insert(name.to_string());
                    }
                }
                None => diag.error_help(
                    expr,
                    format!("expected the name of {}", describe(kinds)),
                    format!("`{key}` names a declaration of this stack"),
                ),
            },
            FieldKind::Tier => match tier_path(expr) {
                // An unknown tier is rustc's to report: the generator passes
                // `network.<tier>` through, where it also completes.
                // Another stack's tier (`shared.app_subnets`) is typed by its import.
                Some((base, _)) => {
                    if self.resolve_as(base, TIER_SOURCES, diag).is_some() {
                        deps.insert(base.to_string());
                    }
                }
                None => diag.error_help(
                    expr,
                    "expected a subnet tier",
                    "name a tier of a VPC, e.g. `network.private`",
                ),
            },
            FieldKind::Encryption => {
                if let Some((func, args)) = call(expr)
                    && func == "kms"
                    && let Some(key) = args.first().and_then(|a| ident(a))
                    && self.external(args[0]).is_none()
                    && self.resolve_as(key, &[Kind::Key], diag).is_some()
                {
                    deps.insert(key.to_string());
                }
            }
            FieldKind::Grants => self.resolve_grants(expr, deps, diag),
            _ => {
                // Raw properties, outputs and plain fields: Rust expressions that may
                // mention declarations by name.
                for name in idents(expr) {
                    if name != item.name && self.get(&name).is_some() {
                        deps.insert(name.to_string());
                    }
                }
            }
        }
    }

    /// Each grant's resource: a declaration of any kind (whether it offers the verb is
    /// rustc's to say, through `Grantable`), or a handle of another file.
    fn resolve_grants(&mut self, expr: &Expr, deps: &mut BTreeSet<String>, diag: &mut Diagnostics) {
        for grant in list(expr).unwrap_or_default() {
            let Some((verb, args)) = call(grant) else {
                continue;
            };
            let Some(first) = args.first().filter(|_| verb != ALLOW) else {
                continue;
            };
            if self.external(first).is_some() {
                self.depend_on_base(first, deps);
            } else if let Some(import) = self.imported(first) {
                deps.insert(import.name.to_string());
            } else if let Some(name) = ident(first) {
                if self.resolve_as(name, &Kind::ALL, diag).is_some() {
                    deps.insert(name.to_string());
                }
            } else {
                diag.error_help(
                    first,
                    format!("`{verb}` is granted on a declaration, not on an expression"),
                    "name a declaration of the stack, an input, a construct's handle (`storage.archive`) or an import's output (`shared.archive_arn`)",
                );
            }
        }
    }
}

/// What a tier may be read from: a VPC of this stack, another stack's exports, a
/// component's input or a construct's handle (the last three typed by rustc).
const TIER_SOURCES: &[Kind] = &[Kind::Vpc, Kind::Import, Kind::Input, Kind::Construct];

impl<'a> Model<'a> {
    /// Whether this is a `component!` (its header says so).
    pub fn is_component(&self) -> bool {
        self.header.is_some_and(|h| h.kind == Kind::Component)
    }

    /// The `import` an expression reads an output of (`shared.archive_arn`).
    pub fn imported(&self, expr: &Expr) -> Option<&'a Item> {
        let Expr::Field(_) = expr else {
            return None;
        };
        self.get_kind(field_base(expr)?, &[Kind::Import])
    }

    /// The declaration an expression reaches outside this file through: an `input` by
    /// name, or a field of an input or of a `construct` (`groups.app_sg`). What it names
    /// is typed by rustc, not by this model.
    pub fn external(&self, expr: &Expr) -> Option<&'a Item> {
        let base = match expr {
            Expr::Path(_) => ident(expr)?,
            Expr::Field(_) => field_base(expr)?,
            _ => return None,
        };
        let item = self.get_kind(base, &[Kind::Input, Kind::Construct])?;
        (item.kind == Kind::Input || matches!(expr, Expr::Field(_))).then_some(item)
    }

    /// A dependency on the construct an external reference goes through.
    fn depend_on_base(&self, expr: &Expr, deps: &mut BTreeSet<String>) {
        if let Some(base) = self.external(expr).filter(|b| b.kind == Kind::Construct) {
            deps.insert(base.name.to_string());
        }
    }
}

/// `a` in `a.b.c`.
/// Raw resources of the model that stand where a declaration of a kind is expected:
/// a raw `kms::Key` is a key, a raw `s3::Bucket` a bucket (their policies are the
/// user's, judged at synthesis; what a type says of a declared one, a raw one leaves
/// to rustc: a load balancer's logs need a bucket declared for them).
const RAW_STAND_INS: &[(&str, Kind)] = &[("kms::Key", Kind::Key), ("s3::Bucket", Kind::Bucket)];

/// Whether a declaration is of one of `kinds`, or a raw resource that stands for one.
pub fn is_of(item: &Item, kinds: &[Kind]) -> bool {
    if kinds.contains(&item.kind) {
        return true;
    }
    let Some(path) = (item.kind == Kind::Resource)
        .then_some(item.ty.as_ref())
        .flatten()
        .and_then(model_path)
    else {
        return false;
    };
    let path = path.join("::");
    RAW_STAND_INS
        .iter()
        .any(|(raw, kind)| *raw == path && kinds.contains(kind))
}

pub fn field_base(expr: &Expr) -> Option<&Ident> {
    match expr {
        Expr::Field(f) => field_base(&f.base),
        Expr::Path(_) => ident(expr),
        _ => None,
    }
}

impl<'a> Model<'a> {
    /// The values of `{ NAME: value }`: declarations they mention are dependencies; a
    /// secret named by itself must be a secret or an Aurora cluster of the stack.
    fn resolve_map(
        &mut self,
        item: &Item,
        key: &str,
        pairs: &[(Ident, Expr)],
        deps: &mut BTreeSet<String>,
        diag: &mut Diagnostics,
    ) {
        for (_, value) in pairs {
            if item.kind.field(key) == FieldKind::Secrets
                && let Some(name) = ident(value)
                && self.get(name).is_some()
            {
                if self.resolve_as(name, kind::SECRET_VALUES, diag).is_some() {
                    deps.insert(name.to_string());
                }
                continue;
            }
            for name in idents(value) {
                if name != item.name && self.get(&name).is_some() {
                    deps.insert(name.to_string());
                }
            }
        }
    }
}

/// `Marker` when a typed output's type is `Subnets<Marker>`: a tier exported to other
/// stacks.
pub fn subnets_marker(ty: &syn::Type) -> Option<&Ident> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last().filter(|s| s.ident == "Subnets")?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(syn::Type::Path(marker))) => marker.path.get_ident(),
        _ => None,
    }
}

/// `a` when the expression is a lone identifier.
pub fn ident(expr: &Expr) -> Option<&Ident> {
    match expr {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
        Expr::Paren(p) => ident(&p.expr),
        _ => None,
    }
}

/// The segments of a raw resource's type path when it goes into the generated model: no
/// leading `::`, at least two segments, the first a service module (`sqs::Queue`). Any
/// other path names a type outside the model.
pub fn model_path(ty: &syn::Type) -> Option<Vec<String>> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() || path.path.leading_colon.is_some() {
        return None;
    }
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    (segments.len() > 1 && infra_facts::is_service(&segments[0])).then_some(segments)
}

/// A role handed to a service at a raw resource's property
/// (`infra_facts::iam::ROLE_PROPERTIES`): `role_arn: runner.arn()`.
pub struct GivenRole<'a> {
    /// The property's field (`role_arn`).
    pub field: String,
    /// The type stem of the service that assumes it (`"States"`).
    pub stem: &'static str,
    /// What the value reads the ARN or name of (`runner`, `roles.runner`).
    pub role: &'a Expr,
}

/// The roles a raw resource hands to a service through its top-level properties.
pub fn given_roles(item: &Item) -> Vec<GivenRole<'_>> {
    let Some(path) = item.ty.as_ref().and_then(model_path) else {
        return Vec::new();
    };
    let Some(found) = infra_facts::model_type(&path.join("::")) else {
        return Vec::new();
    };
    infra_facts::iam::ROLE_PROPERTIES
        .iter()
        .filter(|(t, property, _)| *t == found.type_name && !property.contains('.'))
        .filter_map(|(_, property, stem)| {
            let field = crate::naming::field_name(property);
            let role = handle_read(item.expr(&field)?)?;
            Some(GivenRole { field, stem, role })
        })
        .collect()
}

/// `x` of `x.arn()` or `x.name()`, through `Some(…)` and `.into()`.
fn handle_read(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Paren(p) => handle_read(&p.expr),
        Expr::Call(c) if ident(&c.func).is_some_and(|f| f == "Some") && c.args.len() == 1 => {
            handle_read(&c.args[0])
        }
        Expr::MethodCall(m) if m.method == "into" && m.args.is_empty() => handle_read(&m.receiver),
        Expr::MethodCall(m)
            if matches!(m.method.to_string().as_str(), "arn" | "name" | "reference") =>
        {
            Some(&m.receiver)
        }
        _ => None,
    }
}

/// `(network, public)` for `network.public`.
pub fn tier_path(expr: &Expr) -> Option<(&Ident, &Ident)> {
    match expr {
        Expr::Field(f) => match (&f.member, ident(&f.base)) {
            (syn::Member::Named(tier), Some(base)) => Some((base, tier)),
            _ => None,
        },
        _ => None,
    }
}

/// `(f, [args])` for `f(args)`.
pub fn call(expr: &Expr) -> Option<(&Ident, Vec<&Expr>)> {
    match expr {
        Expr::Call(c) => ident(&c.func).map(|f| (f, c.args.iter().collect())),
        _ => None,
    }
}

/// The elements of `[a, b]` (or of `vec![a, b]`, which is parsed as a macro).
pub fn list(expr: &Expr) -> Option<Vec<&Expr>> {
    match expr {
        Expr::Array(a) => Some(a.elems.iter().collect()),
        Expr::Reference(r) => list(&r.expr),
        _ => None,
    }
}

/// An integer literal's value.
pub fn int(expr: &Expr) -> Option<(i128, &Expr)> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse().ok().map(|v| (v, expr)),
        _ => None,
    }
}

/// A float or integer literal's value.
pub fn number(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Float(f),
            ..
        }) => f.base10_parse().ok(),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse::<i64>().ok().map(|v| v as f64),
        _ => None,
    }
}

/// A string literal's value.
pub fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// A boolean literal's value.
pub fn boolean(expr: &Expr) -> Option<bool> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(b.value),
        _ => None,
    }
}

/// Every identifier in an expression's tokens (to find the declarations it mentions).
pub fn idents(expr: &Expr) -> Vec<Ident> {
    fn walk(stream: proc_macro2::TokenStream, out: &mut Vec<Ident>) {
        for token in stream {
            match token {
                TokenTree::Ident(i) => out.push(i),
                TokenTree::Group(g) => walk(g.stream(), out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(expr.to_token_stream(), &mut out);
    out
}

fn describe(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| k.article())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// `` `a`, `b` and `c` ``.
pub fn quote_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
