//! Where each VPC and security group is, as places the compiler computes
//! (`infra_runtime::facts::Place`), so that "the subnets and the group of one VPC", "a
//! rule names a group of the same VPC" and "a tier of two zones" are judged across files
//! and told apart between instances of one component.
//!
//! The model judges what this file declares. What is reached through another file (an
//! input, a construct's handle) becomes a const expression:
//!
//! - the file's instances (`construct c: T { .. }`) are one table, `Owner::__INFRA_FILE`
//!   (`facts::Instance`: `T::PLACES`, `T::NEEDS` and what this file gives each input);
//!   the runtime's const fns read it (`place_in`: where `c.handle` is, its inputs replaced
//!   by what `c` is given), so that what is generated here is data, not code;
//! - each rule over such a place is a `const` whose evaluation stops the build at the
//!   token at fault; in a component, a rule that waits for an input is listed in
//!   `Construct::NEEDS` instead, and each instance judges it at the input it concerns
//!   (`facts::failing`), and a stack of a known region the needs on its region.
//!
//! An import's VPC is known only when deployed (two outputs of a stack may name one VPC):
//! synthesis and CloudFormation judge what arrives through it.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use crate::ast::{Item, Value};
use crate::kind::{self, Kind};
use crate::model::{self, Model};

/// The runtime's `facts`, by the short name each generated block imports it as
/// ([`imports`]): most of what the places generate is paths into it.
fn facts() -> TokenStream {
    quote!(__infra_f)
}

/// What a generated block begins with, so that [`facts`] names the runtime's module.
fn imports() -> TokenStream {
    quote!(
        use ::infra_runtime::facts as __infra_f;
    )
}

/// What a block of checks also imports: `__infra_some` and `__infra_panic!` name the
/// core library's, whatever the user's scope names `Some` or `panic`.
fn check_imports() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use ::core::{option::Option::Some as __infra_some, panic as __infra_panic};
    }
}

/// An index as an unsuffixed literal.
fn index(i: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(i)
}

/// A place as a const expression; `external` when it was reached through another file
/// (what the model cannot judge), `known` unless it is `Place::Unknown` as written.
struct At {
    tokens: TokenStream,
    external: bool,
    known: bool,
    /// An input of this component: what only an instance can judge.
    input: bool,
}

impl At {
    fn unknown() -> Self {
        let facts = facts();
        At {
            tokens: quote!(#facts::Place::Unknown),
            external: false,
            known: false,
            input: false,
        }
    }

    fn external(tokens: TokenStream) -> Self {
        At {
            tokens,
            external: true,
            known: true,
            input: false,
        }
    }
}

/// What the places are generated into: items beside the declarations, and, for a
/// component, the body of its `PLACES` and `NEEDS` in its `Construct` impl.
pub struct Places {
    /// The table of instances and the checks.
    pub items: TokenStream,
    /// `const PLACES` and `const NEEDS` (a component's).
    pub consts: TokenStream,
}

/// The type the table of instances is associated with: the stack's or component's.
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

/// A name's hash, as a `u64` literal: the runtime's `field_hash` of the same name.
fn hashed(name: &Ident) -> proc_macro2::Literal {
    proc_macro2::Literal::u64_unsuffixed(infra_facts::field_hash(&text(name)))
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
    let (facts, id) = (facts(), hashed(&vpc.name));
    let [public, private, database] =
        ["public", "private", "database"].map(|tier| tier_zones(vpc, tier));
    quote!(#facts::Place::Vpc { id: #id, zones: [#public, #private, #database] })
}

/// How many zones a tier of a `vpc` spans: the subnets of a literal list (none when the
/// tier is not written), `UNKNOWN_ZONES` for a value.
fn tier_zones(vpc: &Item, tier: &str) -> TokenStream {
    match vpc.expr(tier) {
        None => quote!(0usize),
        Some(expr) => match model::list(expr) {
            Some(subnets) => {
                let zones = subnets.len();
                quote!(#zones)
            }
            None => quote!(::infra_runtime::facts::UNKNOWN_ZONES),
        },
    }
}

/// The key of the handle a path names inside an instance or input (`net.network`), a
/// tier left out (the tier of a VPC is the VPC); 0 for the instance itself.
fn handle_key(rest: &[&Ident]) -> u64 {
    let rest = match rest.split_last() {
        Some((last, before)) if kind::TIERS.contains(&text(last).as_str()) => before,
        _ => rest,
    };
    rest.iter().fold(0, |key, name| {
        infra_facts::handle_key(key, infra_facts::field_hash(&text(name)))
    })
}

/// The input `input`, or its handle that `rest` names.
fn input_place(input: &Ident, rest: &[&Ident]) -> At {
    let (facts, input, key) = (facts(), hashed(input), handle_key(rest));
    At {
        input: true,
        ..At::external(quote!(#facts::Place::of_input(#input, #key)))
    }
}

/// The index of the construct `instance` in this file's table of instances.
fn index_of(model: &Model<'_>, instance: &Ident) -> Option<usize> {
    instances(model).position(|(i, _)| i.name == *instance)
}

/// The handle that `rest` names in the construct `instance` of this file.
fn instance_place(model: &Model<'_>, instance: &Ident, rest: &[&Ident]) -> At {
    let Some(at) = index_of(model, instance) else {
        return At::unknown();
    };
    let (facts, key, index) = (facts(), handle_key(rest), index(at));
    At::external(quote!(#facts::place_in(__INFRA_FILE, #index, #key)))
}

/// Where the handle named by `base` (a declaration of this file) and the path `rest` after
/// it is: a group, database or load balancer is in the VPC it is declared in; anything
/// else names that VPC itself.
fn named_place(model: &Model<'_>, base: &Ident, rest: &[&Ident]) -> At {
    let Some(item) = model.get(base) else {
        return At::unknown();
    };
    match (item.kind, rest) {
        (Kind::SecurityGroup, []) => match &item.within {
            Some(within) => {
                let rest: Vec<&Ident> = item.within_field.iter().collect();
                vpc_named(model, within, &rest)
            }
            None => At::unknown(),
        },
        // A database or load balancer is in the VPC of its subnets.
        (Kind::Aurora | Kind::LoadBalancer, []) => item
            .expr("subnets")
            .map_or_else(At::unknown, |subnets| vpc_of(model, subnets)),
        _ => vpc_named(model, base, rest),
    }
}

/// The VPC named by `base` and the path `rest` after it: a `vpc` of this file, one of an
/// input or of an instance. Never a handle's VPC, so a declaration that names itself or
/// its neighbour where a VPC belongs (`subnets: db`) ends here, unknown, however the
/// declarations loop.
fn vpc_named(model: &Model<'_>, base: &Ident, rest: &[&Ident]) -> At {
    let Some(item) = model.get(base) else {
        return At::unknown();
    };
    match (item.kind, rest) {
        (Kind::Vpc, _) => At {
            tokens: vpc_place(item),
            external: false,
            known: true,
            input: false,
        },
        (Kind::Input, rest) => input_place(base, rest),
        (Kind::Construct, [_, ..]) => instance_place(model, base, rest),
        // Several outputs of another stack may name one VPC: which is known when it is
        // deployed, not here.
        _ => At::unknown(),
    }
}

/// Where the handle an expression names is: `groups.db_sg`, `db_sg`, `&blue.network`.
fn expr_place(model: &Model<'_>, expr: &Expr) -> At {
    match path(expr).as_deref() {
        Some([base, rest @ ..]) => named_place(model, base, rest),
        _ => At::unknown(),
    }
}

/// The VPC of a tier an expression names (`network.private`, `net.network.private`).
fn vpc_of(model: &Model<'_>, expr: &Expr) -> At {
    match path(expr).as_deref() {
        Some([base, rest @ ..]) => vpc_named(model, base, rest),
        _ => At::unknown(),
    }
}

/// A rule over two places (or one, for zones), as a `Need` expression.
struct Check {
    need: TokenStream,
    /// Where a failure in this file is reported.
    span: Span,
    /// It waits for an input: only an instance of the component judges it.
    waits: bool,
}

/// A rule that two places are one VPC, where one is reached through another file: the
/// model judges a rule between places of this file, with the names of both VPCs.
fn same_vpc(a: &At, b: &At, why: String, span: Span) -> Option<Check> {
    same_vpc_in(a, b, why, span, false)
}

/// A rule that two places are one VPC, also between places of this file when `in_file`
/// (a rule the model has no check of its own for).
fn same_vpc_in(a: &At, b: &At, why: String, span: Span, in_file: bool) -> Option<Check> {
    if !(a.known && b.known && (in_file || a.external || b.external)) {
        return None;
    }
    let waits = a.input || b.input;
    let (facts, a, b) = (facts(), &a.tokens, &b.tokens);
    Some(Check {
        need: quote!(#facts::Need::same_vpc(#a, #b, #why)),
        span,
        waits,
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
        &vpc_of(model, subnets),
        &expr_place(model, group),
        why,
        group.span(),
    )
}

/// The database and the load balancer a service uses: in the VPC of its subnets (a target
/// group lives in its load balancer's VPC; a group rule cannot cross VPCs).
fn subnets_and_handles(model: &Model<'_>, file: &str, item: &Item) -> Vec<Check> {
    let Some(subnets) = item.expr("subnets") else {
        return Vec::new();
    };
    let own = vpc_of(model, subnets);
    ["database", "load_balancer"]
        .into_iter()
        .filter_map(|key| {
            let value = item.expr(key)?;
            let (kind, name) = (item.kind.noun(), text(&item.name));
            let why = format!(
                "`{file}`: the {kind} `{name}` is in the subnets `{}` of one VPC and uses `{}`, a {} of another; it can reach only a {} of its own VPC",
                written(subnets),
                written(value),
                key.replace('_', " "),
                key.replace('_', " "),
            );
            let place = expr_place(model, value);
            same_vpc_in(&own, &place, why, value.span(), true)
        })
        .collect()
}

/// `from source` in a group's ingress: a group of the same VPC.
fn ingress_sources(model: &Model<'_>, file: &str, group: &Item) -> Vec<Check> {
    let Some(Value::Ingress(rules)) = group.field("ingress").map(|f| &f.value) else {
        return Vec::new();
    };
    let own = named_place(model, &group.name, &[]);
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

/// A database, load balancer or EKS cluster in a tier of a VPC of another file (an
/// input's, judged where the component's instance is given its VPC, or an instance's,
/// judged here): that tier spans two zones. (The model judges a `vpc` of this file.)
fn zones_of_tier(model: &Model<'_>, file: &str, item: &Item) -> Option<Check> {
    if !matches!(
        item.kind,
        Kind::Aurora | Kind::LoadBalancer | Kind::EksCluster
    ) {
        return None;
    }
    let subnets = item.expr("subnets")?;
    let last = text(path(subnets)?.last()?);
    let tier = kind::TIERS.iter().position(|t| *t == last)?;
    let place = vpc_of(model, subnets);
    if !(place.known && place.external) {
        return None;
    }
    let why = format!(
        "`{file}`: the {} `{}` is placed in `{}`, a tier with subnets in fewer than two zones, but {} needs subnets in at least two: give that tier a subnet in a second zone where its `vpc` is declared",
        item.kind.noun(),
        text(&item.name),
        written(subnets),
        item.kind.article(),
    );
    let (facts, waits, place) = (facts(), place.input, place.tokens);
    Some(Check {
        need: quote!(#facts::Need::two_zones(#place, #tier, #why)),
        span: subnets.span(),
        waits,
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
        waits: true,
    })
}

fn checks(model: &Model<'_>) -> Vec<Check> {
    let file = owner(model).unraw().to_string();
    let mut checks = Vec::new();
    for item in &model.items {
        checks.extend(subnets_and_group(model, &file, item));
        checks.extend(subnets_and_handles(model, &file, item));
        checks.extend(zones_of_tier(model, &file, item));
        checks.extend(offered_regions(model, &file, item));
        if item.kind == Kind::SecurityGroup {
            checks.extend(ingress_sources(model, &file, item));
        }
    }
    checks
}

/// `const _: () = ..` that stops the build at `span` when `need` fails.
fn judged(need: &TokenStream, span: Span) -> TokenStream {
    quote_spanned! {span=>
        const _: () = if let __infra_some(__why) = #need.failure() {
            __infra_panic!("{}", __why);
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

/// `Owner::__INFRA_FILE`: each instance of this file, its construct's places and needs,
/// and what this file gives its inputs.
fn table(model: &Model<'_>) -> TokenStream {
    let facts = facts();
    let entries = instances(model).map(|(instance, ty)| {
        let name = hashed(&instance.name);
        let args = given(model, instance)
            .into_iter()
            .map(|(input, given, _)| match given {
                Given::Instance(i, key) => {
                    let i = index(i);
                    quote!(#facts::Arg::of(#input, #i, #key),)
                }
                Given::Place(place) => quote!(#facts::Arg::at(#input, #place),),
            });
        // The construct's consts by `<T as Construct>`: a type that is not a construct is
        // then the one error rustc already reports at the type.
        let construct = quote!(<#ty as ::infra_runtime::Construct>);
        quote!(#facts::Instance {
            name: #name,
            places: #construct::PLACES,
            needs: #construct::NEEDS,
            args: &[#(#args)*],
        },)
    });
    let owner = owner(model);
    quote! {
        impl #owner {
            #[allow(dead_code)]
            const __INFRA_FILE: &'static [::infra_runtime::facts::Instance] = &[#(#entries)*];
        }
        const __INFRA_FILE: &[#facts::Instance] = #owner::__INFRA_FILE;
    }
}

/// What an instance is given for one of its inputs, as `facts::Given`: a place of this
/// file, or a handle of another instance (or the instance itself, whose handles the
/// input's handles then name). `None` for a value that has no place (a setting, a
/// literal, a call).
fn given_place(model: &Model<'_>, expr: &Expr) -> Option<Given> {
    let parts = path(expr)?;
    let (base, rest) = parts.split_first()?;
    match model.get(base).map(|i| i.kind) {
        Some(Kind::Construct) => Some(Given::Instance(index_of(model, base)?, handle_key(rest))),
        _ => {
            let at = expr_place(model, expr);
            at.known.then_some(Given::Place(at.tokens))
        }
    }
}

/// What an instance's input is given (`facts::Given`, as the macro builds it).
enum Given {
    /// The handle (key, or 0) of the instance of this index.
    Instance(usize, u64),
    /// A place of this file.
    Place(TokenStream),
}

/// The inputs an instance is given that may have a place: `(input, its place, the span
/// of the value)`.
fn given(model: &Model<'_>, instance: &Item) -> Vec<(proc_macro2::Literal, Given, Span)> {
    instance
        .fields
        .iter()
        .filter_map(|field| {
            let Value::Expr(expr) = &field.value else {
                return None;
            };
            let place = given_place(model, expr)?;
            Some((hashed(&field.key), place, peel(expr).span()))
        })
        .collect()
}

/// The needs of an instance's type, judged where this file makes it: each need on an
/// input at the value this file gives that input, and, in a stack of a known region,
/// the needs on the region at the instance's type.
fn instance_needs(model: &Model<'_>, index: usize, instance: &Item, ty: &syn::Type) -> TokenStream {
    let (facts, index) = (facts(), self::index(index));
    let inputs = given(model, instance).into_iter().map(|(input, _, span)| {
        quote_spanned! {span=>
            const _: () = if let __infra_some(__why) = #facts::failing(__INFRA_FILE, #index, #input) {
                __infra_panic!("{}", __why);
            };
        }
    });
    let region = stack_region(model).map(|bit| {
        quote_spanned! {ty.span()=>
            const _: () = if let __infra_some(__why) = #facts::failing_in_region(__INFRA_FILE, #index, #bit) {
                __infra_panic!("{}", __why);
            };
        }
    });
    quote!(#(#inputs)* #region)
}

/// The bit of a stack's region (`infra_facts::region_bit`), when it is written.
fn stack_region(model: &Model<'_>) -> Option<u64> {
    model
        .header
        .filter(|_| !model.is_component())
        .and_then(|h| h.text("region").literal().map(|(r, _)| r.to_owned()))
        .and_then(|r| infra_facts::region_bit(&r))
}

/// `const NAME: &'static [Elem] = ..`: `own`, then each instance's list of the same name
/// brought into this file (`gather_places`, `gather_needs`).
fn list_const(model: &Model<'_>, name: &str, elem: &str, own: &[TokenStream]) -> TokenStream {
    let (facts, imports, owner) = (facts(), imports(), owner(model));
    let elem = Ident::new(elem, Span::call_site());
    let lower = name.to_lowercase();
    let (len, gather) = (
        format_ident!("{lower}_len"),
        format_ident!("gather_{lower}"),
    );
    let name = Ident::new(name, Span::call_site());
    if instances(model).next().is_none() {
        if own.is_empty() {
            return quote!(const #name: &'static [::infra_runtime::facts::#elem] = &[];);
        }
        return quote! {
            const #name: &'static [::infra_runtime::facts::#elem] = {
                #imports
                &[#(#own,)*]
            };
        };
    }
    quote! {
        const #name: &'static [::infra_runtime::facts::#elem] = {
            #imports
            const __INFRA_FILE: &[#facts::Instance] = #owner::__INFRA_FILE;
            const OWN: &[#facts::#elem] = &[#(#own,)*];
            &#facts::#gather::<{ #facts::#len(OWN, __INFRA_FILE) }>(OWN, __INFRA_FILE)
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
                Kind::SecurityGroup | Kind::Aurora | Kind::LoadBalancer => {
                    named_place(model, &item.name, &[]).tokens
                }
                _ => return None,
            };
            let name = hashed(&item.name);
            Some(quote!(#facts::Placed { handle: #name, place: #place }))
        })
        .collect();
    list_const(model, "PLACES", "Placed", &own)
}

/// The places of a stack or component.
pub fn generate(model: &Model<'_>) -> Places {
    let checks = checks(model);
    let judged_here = checks
        .iter()
        .filter(|c| !c.waits)
        .map(|c| judged(&c.need, c.span));
    let instance_needs = instances(model)
        .enumerate()
        .map(|(index, (i, ty))| instance_needs(model, index, i, ty));
    let checks_here: Vec<TokenStream> = judged_here.chain(instance_needs).collect();
    let has_instances = instances(model).next().is_some();
    let items = if checks_here.is_empty() && !has_instances {
        TokenStream::new()
    } else {
        let imports = imports();
        let check_imports = (!checks_here.is_empty()).then(check_imports);
        let table = has_instances.then(|| table(model));
        quote! {
            const _: () = {
                #imports
                #check_imports
                #table
                #(#checks_here)*
            };
        }
    };
    let consts = if model.is_component() {
        let own: Vec<TokenStream> = checks.iter().map(|c| c.need.clone()).collect();
        let places = places_const(model);
        let needs = list_const(model, "NEEDS", "Need", &own);
        quote!(#places #needs)
    } else {
        TokenStream::new()
    };
    Places { items, consts }
}
