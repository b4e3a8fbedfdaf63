//! Where each VPC and security group is, as places the compiler computes
//! (`infra_runtime::facts::Place`), so that "the subnets and the group of one VPC", "a
//! rule names a group of the same VPC" and "a tier of two zones" are judged across files
//! and told apart between instances of one component.
//!
//! The model judges what this file declares. What is reached through another file (an
//! input, a construct's handle, an import) becomes a const expression:
//!
//! - each `construct c: T { .. }` gets `__infra_place_c(handle)`, where `c.handle` is by
//!   `T::PLACES`, its inputs replaced by what this file gives `c`;
//! - each rule over such a place is a `const` whose evaluation stops the build at the
//!   token at fault; in a component, a rule that waits for an input is also listed in
//!   `Construct::NEEDS`, and each instance judges it at the input it concerns.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use crate::ast::{Item, Value};
use crate::kind::{self, Kind};
use crate::model::{self, Model};

fn facts() -> TokenStream {
    quote!(::infra_runtime::facts)
}

/// A place as a const expression; `external` when it was reached through another file
/// (what the model cannot judge), `known` unless it is `Place::Unknown` as written.
struct At {
    tokens: TokenStream,
    external: bool,
    known: bool,
}

impl At {
    fn unknown() -> Self {
        let facts = facts();
        At {
            tokens: quote!(#facts::Place::Unknown),
            external: false,
            known: false,
        }
    }

    fn external(tokens: TokenStream) -> Self {
        At {
            tokens,
            external: true,
            known: true,
        }
    }
}

/// What the places are generated into: items beside the declarations, and, for a
/// component, the body of its `PLACES` and `NEEDS` in its `Construct` impl.
pub struct Places {
    /// The resolving functions and the checks.
    pub items: TokenStream,
    /// `const PLACES` and `const NEEDS` (a component's).
    pub consts: TokenStream,
}

/// The type the resolving functions are associated with: the stack's or component's.
fn owner(model: &Model<'_>) -> Ident {
    let fallback = if model.is_component() {
        "UnnamedComponent"
    } else {
        "UnnamedStack"
    };
    model.header.map_or_else(
        || Ident::new(fallback, Span::call_site()),
        |h| h.name.clone(),
    )
}

/// A name as the places hash it: without `r#`, as the other file writes it too.
fn text(name: &Ident) -> String {
    name.unraw().to_string()
}

fn place_fn(instance: &Ident) -> Ident {
    format_ident!("__infra_place_{}", instance.unraw())
}

fn input_fn(instance: &Ident) -> Ident {
    format_ident!("__infra_input_{}", instance.unraw())
}

/// An expression as written, for a message (`blue.network.private`).
fn written(expr: &Expr) -> String {
    quote!(#expr)
        .to_string()
        .replace(" . ", ".")
        .replace("& ", "&")
}

/// `&x`, `(x)` -> `x`.
fn peel(expr: &Expr) -> &Expr {
    match expr {
        Expr::Reference(r) => peel(&r.expr),
        Expr::Paren(p) => peel(&p.expr),
        _ => expr,
    }
}

/// `a.b.c` -> `[a, b, c]`, when every part is a name.
fn path(expr: &Expr) -> Option<Vec<&Ident>> {
    match peel(expr) {
        Expr::Field(f) => {
            let syn::Member::Named(member) = &f.member else {
                return None;
            };
            let mut parts = path(&f.base)?;
            parts.push(member);
            Some(parts)
        }
        other => model::ident(other).map(|name| vec![name]),
    }
}

/// Where a `vpc` of this file is, with the zones of its tiers.
fn vpc_place(vpc: &Item) -> TokenStream {
    let facts = facts();
    let name = text(&vpc.name);
    let [public, private, database] =
        ["public", "private", "database"].map(|tier| crate::facts::tier_zones(vpc, tier));
    quote!(#facts::Place::vpc(#name, [#public, #private, #database]))
}

/// The key of the handle a path names inside an instance or input (`net.network`), a
/// tier left out (the tier of a VPC is the VPC); `0u64` for the instance itself.
fn handle_key(rest: &[&Ident]) -> TokenStream {
    let facts = facts();
    let rest = match rest.split_last() {
        Some((last, before)) if kind::TIERS.contains(&text(last).as_str()) => before,
        _ => rest,
    };
    rest.iter().fold(quote!(0u64), |key, name| {
        let name = text(name);
        quote!(#facts::handle_key(#key, #facts::field_hash(#name)))
    })
}

/// The input `input`, or its handle that `rest` names.
fn input_place(input: &Ident, rest: &[&Ident]) -> At {
    let facts = facts();
    let (input, key) = (text(input), handle_key(rest));
    At::external(quote!(#facts::Place::input(#input, #key)))
}

/// The handle that `rest` names in the construct `instance` of this file.
fn instance_place(model: &Model<'_>, instance: &Ident, rest: &[&Ident]) -> At {
    let (owner, function, key) = (owner(model), place_fn(instance), handle_key(rest));
    At::external(quote!(#owner::#function(#key)))
}

/// An output of an imported stack that names a VPC: a VPC of its own.
fn import_place(import: &Ident, field: &Ident) -> At {
    let facts = facts();
    let name = format!("{}.{}", text(import), text(field));
    let unknown = quote!(#facts::UNKNOWN_ZONES);
    At::external(quote!(#facts::Place::vpc(#name, [#unknown, #unknown, #unknown])))
}

/// Where the VPC named by `base` (a declaration of this file) and the path `rest` after
/// it is.
fn named_place(model: &Model<'_>, base: &Ident, rest: &[&Ident]) -> At {
    let Some(item) = model.get(base) else {
        return At::unknown();
    };
    match (item.kind, rest) {
        (Kind::Vpc, _) => At {
            tokens: vpc_place(item),
            external: false,
            known: true,
        },
        (Kind::SecurityGroup, []) => group_place(model, item),
        (Kind::Input, rest) => input_place(base, rest),
        (Kind::Construct, [_, ..]) => instance_place(model, base, rest),
        (Kind::Import, [field, ..]) => import_place(base, field),
        _ => At::unknown(),
    }
}

/// Where a security group of this file is: the VPC it is declared `in`.
fn group_place(model: &Model<'_>, group: &Item) -> At {
    match &group.within {
        Some(within) => {
            let rest: Vec<&Ident> = group.within_field.iter().collect();
            named_place(model, within, &rest)
        }
        None => At::unknown(),
    }
}

/// Where the VPC of an expression is: `network.private`, `groups.db_sg`, `db_sg`, `&blue.network`.
fn expr_place(model: &Model<'_>, expr: &Expr) -> At {
    match path(expr).as_deref() {
        Some([base, rest @ ..]) => named_place(model, base, rest),
        _ => At::unknown(),
    }
}

/// A rule over two places (or one, for zones), as a `Need` expression.
struct Check {
    need: TokenStream,
    /// Where a failure in this file is reported.
    span: Span,
    external: bool,
}

fn same_vpc(a: &At, b: &At, why: String, span: Span) -> Option<Check> {
    if !(a.known && b.known && (a.external || b.external)) {
        return None;
    }
    let (facts, a, b) = (facts(), &a.tokens, &b.tokens);
    Some(Check {
        need: quote!(#facts::Need::same_vpc(#a, #b, #why)),
        span,
        external: true,
    })
}

/// `subnets` and `security_group` of one declaration: one VPC.
fn subnets_and_group(model: &Model<'_>, file: &str, item: &Item) -> Option<Check> {
    let (subnets, group) = (item.expr("subnets")?, item.expr("security_group")?);
    let why = format!(
        "`{file}`: the {} `{}` is in the subnets `{}` of one VPC and in the security group `{}` of another; a group and the subnets it is used in must be of one VPC",
        item.kind.noun(),
        text(&item.name),
        written(subnets),
        written(group),
    );
    same_vpc(
        &expr_place(model, subnets),
        &expr_place(model, group),
        why,
        group.span(),
    )
}

/// `from source` in a group's ingress: a group of the same VPC.
fn ingress_sources(model: &Model<'_>, file: &str, group: &Item) -> Vec<Check> {
    let Some(Value::Ingress(rules)) = group.field("ingress").map(|f| &f.value) else {
        return Vec::new();
    };
    let own = group_place(model, group);
    rules
        .iter()
        .filter(|r| r.complete && r.source != kind::INTERNET)
        .filter_map(|rule| {
            let why = format!(
                "`{file}`: the security group `{}` admits `{}`, a group of another VPC; a rule can only name a group of the same VPC",
                text(&group.name),
                text(&rule.source),
            );
            let source = named_place(model, &rule.source, &[]);
            same_vpc(&own, &source, why, rule.source.span())
        })
        .collect()
}

/// A database, load balancer or EKS cluster in a tier of an input's VPC: two zones,
/// judged where the component's instance is given its VPC.
fn zones_of_input(model: &Model<'_>, file: &str, item: &Item) -> Option<Check> {
    if !matches!(
        item.kind,
        Kind::Aurora | Kind::LoadBalancer | Kind::EksCluster
    ) {
        return None;
    }
    let subnets = item.expr("subnets")?;
    let parts = path(subnets)?;
    let last = text(parts.last()?);
    let tier = kind::TIERS.iter().position(|t| *t == last)?;
    let base = model.get_kind(parts[0], &[Kind::Input])?;
    let place = input_place(&base.name, &parts[1..]);
    let why = format!(
        "`{file}`: the {} `{}` is placed in `{}`, a tier with subnets in fewer than two zones here, but {} needs subnets in at least two: give that tier a subnet in a second zone where its `vpc` is declared",
        item.kind.noun(),
        text(&item.name),
        written(subnets),
        item.kind.article(),
    );
    let (facts, place) = (facts(), place.tokens);
    Some(Check {
        need: quote!(#facts::Need::two_zones(#place, #tier, #why)),
        span: subnets.span(),
        external: true,
    })
}

/// A raw resource of a component whose type only some regions offer: the stack that
/// builds the component judges it against its region. (A stack judges its own resources
/// in `check/registry.rs`.)
fn offered_regions(model: &Model<'_>, file: &str, item: &Item) -> Option<Check> {
    if item.kind != Kind::Resource || !model.is_component() {
        return None;
    }
    let ty = item.ty.as_ref()?;
    let path = model::model_path(ty).filter(|segments| segments.len() == 2)?;
    let found = infra_facts::model_type(&path.join("::"))?;
    let all = infra_facts::REGIONS
        .iter()
        .filter_map(|r| infra_facts::region_bit(r))
        .fold(0, |mask, bit| mask | bit);
    let mask = found.region_mask();
    if mask & all == all {
        return None;
    }
    let regions: Vec<&str> = found.regions().collect();
    let why = format!(
        "`{file}`: the resource `{}` is `{}`, which this stack's region does not offer; the pinned registry offers it in {}",
        text(&item.name),
        found.type_name,
        regions.join(", "),
    );
    let facts = facts();
    Some(Check {
        need: quote!(#facts::Need::offered_in(#mask, #why)),
        span: ty.span(),
        external: true,
    })
}

fn checks(model: &Model<'_>) -> Vec<Check> {
    let file = owner(model).unraw().to_string();
    let mut checks = Vec::new();
    for item in &model.items {
        checks.extend(subnets_and_group(model, &file, item));
        checks.extend(zones_of_input(model, &file, item));
        checks.extend(offered_regions(model, &file, item));
        if item.kind == Kind::SecurityGroup {
            checks.extend(ingress_sources(model, &file, item));
        }
    }
    checks.retain(|c| c.external);
    checks
}

/// `const _: () = ..` that stops the build at `span` when `need` fails.
fn judged(need: &TokenStream, span: Span) -> TokenStream {
    quote_spanned! {span=>
        const _: () = {
            let __need = #need;
            if !__need.holds() {
                ::core::panic!("{}", __need.why);
            }
        };
    }
}

fn instances<'m>(model: &Model<'m>) -> impl Iterator<Item = (&'m Item, &'m syn::Type)> {
    model
        .items
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Construct)
        .filter_map(|i| i.ty.as_ref().map(|ty| (i, ty)))
}

/// `__infra_place_c` and `__infra_input_c` of an instance `c`: a handle's place, and a
/// place of `c`'s file brought into this one (an input replaced by what `c` is given).
fn resolvers(model: &Model<'_>, instance: &Item, ty: &syn::Type) -> TokenStream {
    let facts = facts();
    let (place, input) = (place_fn(&instance.name), input_fn(&instance.name));
    let name = text(&instance.name);
    let arms = instance.fields.iter().filter_map(|field| {
        let Value::Expr(expr) = &field.value else {
            return None;
        };
        let key = text(&field.key);
        let given = given_place(model, expr);
        Some(quote!(if input == #facts::field_hash(#key) { return #given; }))
    });
    let owner = owner(model);
    quote! {
        #[allow(dead_code, non_snake_case)]
        const fn #place(handle: u64) -> #facts::Place {
            #owner::#input(#facts::place_of(<#ty as ::infra_runtime::Construct>::PLACES, handle))
        }

        #[allow(dead_code, non_snake_case, unused_variables)]
        const fn #input(place: #facts::Place) -> #facts::Place {
            match place {
                #facts::Place::Input { input, field } => {
                    #(#arms)*
                    #facts::Place::Unknown
                }
                other => other.of_instance(#name),
            }
        }
    }
}

/// The place of what an instance is given for one of its inputs, and of its handle
/// `field` (a variable of the resolver): a construct or an input passes the handle on.
fn given_place(model: &Model<'_>, expr: &Expr) -> TokenStream {
    let facts = facts();
    let parts = path(expr).unwrap_or_default();
    let Some((base, rest)) = parts.split_first() else {
        return At::unknown().tokens;
    };
    let key = handle_key(rest);
    match model.get(base).map(|i| i.kind) {
        Some(Kind::Construct) => {
            let (owner, function) = (owner(model), place_fn(base));
            quote!(#owner::#function(#facts::handle_key(#key, field)))
        }
        Some(Kind::Input) => {
            let input = text(base);
            quote!(#facts::Place::Input {
                input: #facts::field_hash(#input),
                field: #facts::handle_key(#key, field),
            })
        }
        _ => expr_place(model, expr).tokens,
    }
}

/// Each need of an instance's type judged at the input it blames, where this file gives it.
fn instance_needs(model: &Model<'_>, instance: &Item, ty: &syn::Type) -> TokenStream {
    let facts = facts();
    let (owner, input) = (owner(model), input_fn(&instance.name));
    instance
        .fields
        .iter()
        .filter_map(|field| match &field.value {
            Value::Expr(expr) => Some((text(&field.key), peel(expr).span())),
            _ => None,
        })
        .map(|(key, span)| {
            quote_spanned! {span=>
                const _: () = {
                    let __needs = <#ty as ::infra_runtime::Construct>::NEEDS;
                    let mut __i = 0;
                    while __i < __needs.len() {
                        let __need = __needs[__i];
                        match __need.blames() {
                            ::core::option::Option::Some(__blamed)
                                if __blamed == #facts::field_hash(#key) =>
                            {
                                let __need =
                                    __need.at(#owner::#input(__need.a), #owner::#input(__need.b));
                                if !__need.holds() {
                                    ::core::panic!("{}", __need.why);
                                }
                            }
                            _ => {}
                        }
                        __i += 1;
                    }
                };
            }
        })
        .collect()
}

/// `const NAME: &'static [Elem] = ..`: `own`, then each instance's list of the same name,
/// each entry brought into this file by `map` (of the instance and `__e`, the entry).
fn list_const(
    model: &Model<'_>,
    name: &str,
    elem: TokenStream,
    own: &[TokenStream],
    map: impl Fn(&Ident) -> TokenStream,
) -> TokenStream {
    let construct = quote!(::infra_runtime::Construct);
    let name = Ident::new(name, Span::call_site());
    let inner: Vec<_> = instances(model).collect();
    let lengths = inner
        .iter()
        .map(|(_, ty)| quote!(+ <#ty as #construct>::#name.len()));
    let copies = inner.iter().map(|(instance, ty)| {
        let mapped = map(&instance.name);
        quote! {
            let __inner = <#ty as #construct>::#name;
            let mut __i = 0;
            while __i < __inner.len() {
                let __e = __inner[__i];
                __all[__n] = #mapped;
                __n += 1;
                __i += 1;
            }
        }
    });
    quote! {
        const #name: &'static [#elem] = &{
            const OWN: &[#elem] = &[#(#own,)*];
            const LEN: usize = OWN.len() #(#lengths)*;
            let mut __all = [#elem::NONE; LEN];
            let mut __n = 0;
            let mut __i = 0;
            while __i < OWN.len() {
                __all[__n] = OWN[__i];
                __n += 1;
                __i += 1;
            }
            #(#copies)*
            let _ = __n;
            __all
        };
    }
}

/// The needs of an instance's type on the region, judged at its type where a stack of a
/// known region makes it.
fn instance_region(model: &Model<'_>, ty: &syn::Type) -> TokenStream {
    let region = model
        .header
        .filter(|_| !model.is_component())
        .and_then(|h| h.text("region").literal().map(|(r, _)| r.to_owned()))
        .and_then(|r| infra_facts::region_bit(&r));
    let Some(bit) = region else {
        return TokenStream::new();
    };
    quote_spanned! {ty.span()=>
        const _: () = {
            let __needs = <#ty as ::infra_runtime::Construct>::NEEDS;
            let mut __i = 0;
            while __i < __needs.len() {
                if !__needs[__i].holds_in_region(#bit) {
                    ::core::panic!("{}", __needs[__i].why);
                }
                __i += 1;
            }
        };
    }
}

/// A component's `PLACES`: its VPCs and security groups, and those of its instances of
/// other components under the instance's name (`net.network`).
fn places_const(model: &Model<'_>) -> TokenStream {
    let facts = facts();
    let own: Vec<TokenStream> = model
        .items
        .iter()
        .filter_map(|item| {
            let place = match item.kind {
                Kind::Vpc => vpc_place(item),
                Kind::SecurityGroup => group_place(model, item).tokens,
                _ => return None,
            };
            let name = text(&item.name);
            Some(quote!(#facts::Placed::new(#name, #place)))
        })
        .collect();
    let owner = owner(model);
    list_const(model, "PLACES", quote!(#facts::Placed), &own, |instance| {
        let (name, input) = (text(instance), input_fn(instance));
        quote!(#facts::Placed {
            handle: #facts::handle_key(#facts::field_hash(#name), __e.handle),
            place: #owner::#input(__e.place),
        })
    })
}

/// A component's `NEEDS`: its own, and those of its instances of other components
/// brought into its own places (what still waits for an input waits for its own).
fn needs_const(model: &Model<'_>, own: &[TokenStream]) -> TokenStream {
    let facts = facts();
    let owner = owner(model);
    list_const(model, "NEEDS", quote!(#facts::Need), own, |instance| {
        let input = input_fn(instance);
        quote!(__e.at(#owner::#input(__e.a), #owner::#input(__e.b)))
    })
}

/// The places of a stack or component.
pub fn generate(model: &Model<'_>) -> Places {
    let owner = owner(model);
    let checks = checks(model);
    let resolvers = instances(model).map(|(i, ty)| resolvers(model, i, ty));
    let judged_here = checks.iter().map(|c| judged(&c.need, c.span));
    let instance_needs = instances(model).map(|(i, ty)| instance_needs(model, i, ty));
    let regions = instances(model).map(|(_, ty)| instance_region(model, ty));
    let items = quote! {
        impl #owner {
            #(#resolvers)*
        }
        #(#judged_here)*
        #(#instance_needs)*
        #(#regions)*
    };
    let consts = if model.is_component() {
        let own: Vec<TokenStream> = checks.iter().map(|c| c.need.clone()).collect();
        let places = places_const(model);
        let needs = needs_const(model, &own);
        quote!(#places #needs)
    } else {
        TokenStream::new()
    };
    Places { items, consts }
}
