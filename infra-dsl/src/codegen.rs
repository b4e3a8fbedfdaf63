//! The generator: a typed Rust item for the stack, built from the user's own tokens.
//!
//! Field keys are re-emitted with their spans as fields of the runtime's spec structs
//! (`VpcSpec { cidr: …, ..Default::default() }`), references as expressions over `let`
//! bindings at the user's spans, and types in path position, so rustc checks property
//! names and types where the user wrote them and rust-analyzer completes them. The shape
//! of the expansion does not depend on whether the input checked: on error the same item
//! is generated beside the `compile_error!`s.
//!
//! Hygiene: the constructor's own locals (the stack, the scope, the handles) are named at
//! [`Span::mixed_site`], so a declaration of any name neither shadows nor is shadowed by
//! them; `config` and `settings`, which the user's values read, are reserved names.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident, LitFloat, LitStr};

use crate::ast::{Field, Item, PortRule, Value};
use crate::kind::{self, CallType, Expands, FieldKind, Kind, Lit};
use crate::model::{self, Model};

/// The constructor's locals, named so that nothing the user writes can reach them.
pub(crate) struct Locals {
    pub(crate) stack: Ident,
    pub(crate) scope: Ident,
    pub(crate) handles: Ident,
    /// A component's logical-id prefix (its `build`'s `id`).
    pub(crate) id: Ident,
    /// Whether the declarations are a component's: their logical ids start with `id`.
    pub(crate) component: bool,
}

impl Locals {
    pub(crate) fn new(component: bool) -> Self {
        let at = Span::mixed_site();
        Self {
            stack: Ident::new("stack", at),
            scope: Ident::new("scope", at),
            handles: Ident::new("handles", at),
            id: Ident::new("id", at),
            component,
        }
    }

    /// A declaration's logical id: its name in Pascal case, after the component's prefix.
    fn logical(&self, name: &Ident) -> TokenStream {
        let logical = logical_id(name);
        self.prefixed(&logical)
    }

    /// `id` as a logical id: as is in a stack, after the prefix in a component.
    fn prefixed(&self, id: &LitStr) -> TokenStream {
        let prefix = &self.id;
        if self.component {
            quote!(&::std::format!("{}{}", #prefix, #id))
        } else {
            quote!(#id)
        }
    }

    /// The id a `construct` is built with: its own logical id, or with `#[unprefixed]`
    /// the prefix of the declarations around it (so its resources keep the ids they
    /// would have if declared here).
    fn construct_id(&self, item: &Item) -> TokenStream {
        if !item.attrs.iter().any(|a| a.path().is_ident(UNPREFIXED)) {
            return self.logical(&item.name);
        }
        let prefix = &self.id;
        if self.component {
            quote!(#prefix)
        } else {
            quote!("")
        }
    }
}

/// The attribute that builds a `construct` without a logical-id prefix of its own.
pub(crate) const UNPREFIXED: &str = "unprefixed";

/// Generates the stack's struct, settings, outputs and constructor.
pub fn generate(model: &Model<'_>, order: &[&Item]) -> TokenStream {
    let markers = crate::facts::markers(model);
    let places = crate::place::generate(model);
    let item = if model.is_component() {
        crate::component::generate(model, order, &places.consts)
    } else {
        stack(model, order)
    };
    let places = places.items;
    let raw = crate::raw::definitions(model);
    quote!(#item #markers #places #raw)
}

/// The docs and attributes of a declaration that its handle's field keeps.
pub(crate) fn field_attrs(item: &Item) -> impl Iterator<Item = &syn::Attribute> {
    item.attrs.iter().filter(|a| {
        ![DELETION_POLICY, DEPENDS_ON, UNPREFIXED]
            .iter()
            .any(|name| a.path().is_ident(name))
    })
}

fn stack(model: &Model<'_>, order: &[&Item]) -> TokenStream {
    let header = model.header;
    let name = header.map_or_else(
        || Ident::new("UnnamedStack", Span::call_site()),
        |h| h.name.clone(),
    );
    let vis = header.map(|h| h.vis.clone());
    let string_of = |key: &str| header.and_then(|h| h.expr(key)).and_then(model::string);
    let region = string_of("region").unwrap_or_default();
    let stack_name = string_of("name").unwrap_or_else(|| name.to_string());
    let (settings_item, settings_param, settings_type) = settings(model, &vis);
    let outputs: Vec<&Item> = order
        .iter()
        .copied()
        .filter(|i| i.kind == Kind::Output)
        .collect();
    let output_names = outputs.iter().map(|o| {
        let field = o.name.to_string();
        let logical = logical_id(&o.name);
        quote!((#field, #logical))
    });
    let outputs_item = outputs_struct(&name, &vis, &outputs);
    let exports_item = exports(&name, &vis, &outputs);
    let body = constructor_body(model, order);
    let app_stack = app_stack(model, &name, &stack_name, &region, &settings_type);
    let doc_new =
        "Builds the stack for `config`; the template is checked when `stack.synth()` runs.";

    // The struct after `new`: its field types are read from the declarations' values, and
    // an editor completing inside one compares this expansion with its own up to the
    // cursor.
    let definition = definition(model, order, &name, &vis);
    quote! {
        #settings_item

        #outputs_item

        #exports_item

        impl #name {
            /// The region the stack is pinned to, unless the configuration says otherwise.
            pub const REGION: &'static str = #region;
            /// The stack name's prefix; the environment suffix completes it.
            pub const NAME: &'static str = #stack_name;
            /// The outputs: field name and output logical id.
            pub const OUTPUTS: &'static [(&'static str, &'static str)] = &[#(#output_names),*];

            /// The CloudFormation stack name for a configuration: the prefix and the suffix.
            pub fn stack_name(config: &::infra_runtime::StackConfig) -> ::std::string::String {
                ::std::format!("{}{}", Self::NAME, config.environment_suffix)
            }

            /// The configuration from the environment, with this stack's region as default.
            pub fn config_from_env() -> ::core::result::Result<::infra_runtime::StackConfig, ::infra_runtime::ConfigError> {
                ::infra_runtime::StackConfig::from_env(Self::REGION)
            }

            #[doc = #doc_new]
            #[allow(clippy::redundant_clone, clippy::needless_update, clippy::redundant_field_names, clippy::default_constructed_unit_structs, unused_variables, unused_mut)]
            pub fn new(config: &::infra_runtime::StackConfig #settings_param) -> ::infra_runtime::Built<Self> {
                let _ = ::core::marker::PhantomData::<#settings_type>;
                #body
            }
        }

        #definition

        #app_stack
    }
}

/// The stack's struct: its doc comment, and a field per declaration with a handle.
fn definition(
    model: &Model<'_>,
    order: &[&Item],
    name: &Ident,
    vis: &Option<syn::Visibility>,
) -> TokenStream {
    let attrs = model.header.map(|h| h.attrs.as_slice()).unwrap_or_default();
    let fields = order.iter().filter(|i| has_handle(i)).map(|item| {
        let ident = &item.name;
        let ty = crate::facts::binding_type(model, item);
        let docs = field_attrs(item);
        quote!(#(#docs)* pub #ident: #ty,)
    });
    quote! {
        #(#attrs)*
        #[derive(Debug)]
        #vis struct #name {
            #(#fields)*
        }
    }
}

/// `impl AppStack`: what an app's command line needs to list, build and order the stack.
fn app_stack(
    model: &Model<'_>,
    name: &Ident,
    stack_name: &str,
    region: &str,
    settings_type: &TokenStream,
) -> TokenStream {
    let key = crate::naming::stack_key(&name.to_string());
    let about = model.header.map(|h| doc_text(&h.attrs)).unwrap_or_default();
    let about = about
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('.');
    let imported = model
        .items
        .iter()
        .filter(|i| i.kind == Kind::Import)
        .filter_map(|i| i.ty.as_ref())
        .map(|ty| quote_spanned!(ty.span()=> <#ty as ::infra_runtime::app::Exports>::IMPORTED_KEY));
    let settings = Ident::new("settings", Span::mixed_site());
    let build = if model.settings.is_some() {
        quote!(Self::new(config, #settings).stack)
    } else {
        quote!({ let _ = #settings; Self::new(config).stack })
    };
    quote! {
        impl ::infra_runtime::AppStack for #name {
            const KEY: &'static str = #key;
            const NAME: &'static str = #stack_name;
            const REGION: &'static str = #region;
            const ABOUT: &'static str = #about;
            type Settings = #settings_type;

            fn imports() -> &'static [&'static str] {
                const IMPORTS: &[&str] = &[#(#imported),*];
                IMPORTS
            }

            fn build(
                config: &::infra_runtime::StackConfig,
                #settings: &Self::Settings,
            ) -> ::infra_runtime::Stack {
                #build
            }
        }
    }
}

/// The text of `///` comments, one line each, without the leading space.
fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value().trim().to_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a declaration is a field of the stack's handles: everything but outputs and
/// imports (another stack's exports are `Other::exports(config)`).
pub(crate) fn has_handle(item: &Item) -> bool {
    !matches!(item.kind, Kind::Output | Kind::Import | Kind::Input)
}

/// The constructor's body: the stack's description and tags, every declaration bound in
/// dependency order, group-to-group rules, outputs, the probes that let rustc report and
/// the editor complete what did not resolve, and the handles beside the stack.
/// Every declaration bound in dependency order, then group-to-group rules and bucket
/// statements, and the probes that let rustc report and the editor complete what did
/// not resolve: the body a stack's constructor and a component's `build` share.
pub(crate) fn declarations(model: &Model<'_>, order: &[&Item], locals: &Locals) -> TokenStream {
    let bindings = order
        .iter()
        .filter(|i| i.kind != Kind::Output)
        .map(|item| binding(model, item, locals));
    let ingress = order
        .iter()
        .filter(|i| i.kind == Kind::SecurityGroup)
        .map(|g| group_rules(model, g, locals));
    let statements = order
        .iter()
        .filter(|i| i.kind == Kind::Bucket)
        .map(|b| bucket_statements(b, locals));
    let probes = model
        .unresolved
        .iter()
        .map(|ident| quote_spanned!(ident.span()=> let _ = &#ident;));
    let sources = ingress_sources(model);
    let raw = crate::raw::imports(model);
    quote! {
        #raw
        #(#bindings)*
        #(#ingress)*
        #(#statements)*
        #(#probes)*
        #sources
    }
}

fn constructor_body(model: &Model<'_>, order: &[&Item]) -> TokenStream {
    let header = model.header;
    let locals = Locals::new(false);
    let Locals {
        stack,
        scope,
        handles,
        ..
    } = &locals;
    let declarations = declarations(model, order, &locals);
    let outputs = order
        .iter()
        .filter(|i| i.kind == Kind::Output)
        .map(|o| output(o, &locals));
    let names = order
        .iter()
        .filter(|i| i.kind != Kind::Output && has_handle(i))
        .map(|i| &i.name);
    let tags = header_tags(header, stack);
    let description = header
        .and_then(|h| h.expr("description"))
        .and_then(model::string)
        .map(|d| quote!(#stack.description(#d);));
    quote! {
        let mut #stack = ::infra_runtime::Stack::new();
        #description
        for (key, value) in &config.default_tags {
            #stack.default_tag(key.as_str(), value.as_str());
        }
        #(#tags)*
        let mut #scope = ::infra_runtime::construct::Scope::new(&mut #stack, config, Self::NAME);
        #declarations
        #(#outputs)*
        let _ = &mut #scope;
        let #handles = Self { #(#names),* };
        ::infra_runtime::Built::new(#stack, #handles)
    }
}

/// `<Name>Outputs`: the deployed stack's outputs, one `String` field per `output`.
fn outputs_struct(name: &Ident, vis: &Option<syn::Visibility>, outputs: &[&Item]) -> TokenStream {
    let outputs_name = format_ident!("{}Outputs", name);
    let map = Ident::new("outputs", Span::mixed_site());
    let doc = format!("The outputs of a deployed `{name}`, by field.");
    let fields = outputs.iter().map(|o| {
        let field = &o.name;
        let docs = &o.attrs;
        let description = o
            .expr("description")
            .and_then(model::string)
            .map(|d| quote!(#[doc = #d]));
        quote!(#(#docs)* #description pub #field: ::std::string::String,)
    });
    let reads = outputs.iter().map(|o| {
        let field = &o.name;
        let logical = logical_id(&o.name);
        quote! {
            #field: #map.get(#logical).cloned().ok_or(#logical)?,
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        #vis struct #outputs_name { #(#fields)* }

        impl #outputs_name {
            /// Reads the outputs from a map of output key to value (what `DescribeStacks`
            /// returns); the error is the first output key that is missing.
            pub fn from_map(
                #map: &::std::collections::BTreeMap<::std::string::String, ::std::string::String>,
            ) -> ::core::result::Result<Self, &'static str> {
                ::core::result::Result::Ok(Self { #(#reads)* })
            }
        }
    }
}

/// The settings struct and the constructor's parameter for it.
fn settings(
    model: &Model<'_>,
    vis: &Option<syn::Visibility>,
) -> (TokenStream, TokenStream, TokenStream) {
    let Some(item) = model.settings else {
        return (TokenStream::new(), TokenStream::new(), quote!(()));
    };
    let name = &item.name;
    let attrs = &item.attrs;
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    let mut described = Vec::new();
    let mut setters = Vec::new();
    for field in &item.fields {
        let key = &field.key;
        let docs = &field.attrs;
        if let Value::Setting(ty, default) = &field.value {
            fields.push(quote!(#(#docs)* pub #key: #ty,));
            defaults.push(quote!(#key: #default,));
            let index = described.len();
            described.push(setting_field(field, ty, default));
            let key_text = key.to_string();
            setters.push(quote_spanned! {ty.span()=>
                #key_text => {
                    self.#key = ::infra_runtime::app::parse_setting::<#ty>(&fields[#index], text)?;
                    ::core::result::Result::Ok(())
                }
            });
        }
    }
    let settings_trait = quote! {
        impl ::infra_runtime::Settings for #name {
            fn fields() -> &'static [::infra_runtime::SettingField] {
                &[#(#described),*]
            }

            fn set(&mut self, key: &str, text: &str) -> ::core::result::Result<(), ::std::string::String> {
                let fields = <Self as ::infra_runtime::Settings>::fields();
                match key {
                    #(#setters)*
                    _ => ::core::result::Result::Err(::std::format!("there is no setting `{key}`")),
                }
            }
        }
    };
    let doc_default = format!("The defaults of `{name}`.");
    let settings = quote! {
        #(#attrs)*
        #[derive(Debug, Clone)]
        #vis struct #name { #(#fields)* }

        impl ::core::default::Default for #name {
            #[doc = #doc_default]
            fn default() -> Self {
                Self { #(#defaults)* }
            }
        }

        #settings_trait
    };
    (settings, quote!(, settings: &#name), quote!(#name))
}

/// A setting's description for the command line: key, documentation, type and default.
fn setting_field(field: &Field, ty: &syn::Type, default: &Expr) -> TokenStream {
    let key = field.key.to_string();
    let doc = doc_text(&field.attrs).replace("\n", " ");
    let ty = compact(&quote!(#ty));
    let literal = match default {
        Expr::MethodCall(call) => &*call.receiver,
        other => other,
    };
    let default = match literal {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => text.value(),
        _ => compact(&quote!(#default)),
    };
    quote! {
        ::infra_runtime::SettingField { key: #key, doc: #doc, ty: #ty, default: #default }
    }
}

/// Tokens as text without the spaces `to_string` puts between them.
fn compact(tokens: &TokenStream) -> String {
    tokens.to_string().replace(' ', "")
}

fn header_tags(header: Option<&Item>, stack: &Ident) -> Vec<TokenStream> {
    match header.and_then(|h| h.field("tags")).map(|f| &f.value) {
        Some(Value::Tags(tags)) => tags
            .iter()
            .map(|(key, value)| {
                let key = key.to_string();
                quote!(#stack.default_tag(#key, #value);)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `alb_sg` -> `"AlbSg"`, at the name's span.
pub fn logical_id(name: &Ident) -> LitStr {
    LitStr::new(&crate::naming::logical_id(&name.to_string()), name.span())
}

/// The type of a declaration's field in the stack struct, for what is not a built-in
/// construct (those carry facts: [`crate::facts::binding_type`]).
pub(crate) fn plain_binding_type(item: &Item) -> TokenStream {
    let span = item.name.span();
    match item.kind.row().expands {
        Expands::Construct { .. } => quote!(()),
        Expands::Path | Expands::Input => {
            let ty = &item.ty;
            quote_spanned!(span=> #ty)
        }
        Expands::Parameter => {
            let ty = parameter_type(item);
            quote_spanned!(span=> ::infra_runtime::Value<#ty>)
        }
        Expands::Resource => {
            let ty = resource_type(item);
            quote_spanned!(span=> ::infra_runtime::Handle<#ty>)
        }
        Expands::Import => {
            let ty = &item.ty;
            quote_spanned!(span=> <#ty as ::infra_runtime::app::Exports>::Exports)
        }
        Expands::Header | Expands::Settings | Expands::Output => quote!(()),
    }
}

/// `ec2::Vpc` -> `::infra_runtime::aws::ec2::Vpc`, the path segments keeping their spans.
/// A raw resource's type: a path whose first segment is a service of the model
/// (`sqs::Queue`) is under `::infra_runtime::aws`; any other path names a type that
/// implements the model's resource trait elsewhere (the user's own, another crate's), as is.
fn resource_type(item: &Item) -> TokenStream {
    match &item.ty {
        Some(ty) if model::model_path(ty).is_some() => quote!(::infra_runtime::aws::#ty),
        Some(ty) => quote!(#ty),
        None => quote_spanned!(item.name.span()=> ()),
    }
}

/// `let name = <Other as Exports>::exports(config);`, after a const evaluation that stops
/// the build at the stack type when the two stacks live in different regions (exports
/// are regional).
fn import(model: &Model<'_>, item: &Item) -> TokenStream {
    let name = &item.name;
    let this = model.header.map_or_else(
        || Ident::new("UnnamedStack", Span::call_site()),
        |h| h.name.clone(),
    );
    let Some(ty) = &item.ty else {
        return TokenStream::new();
    };
    let span = ty.span();
    quote_spanned! {span=>
        const _: () = ::core::assert!(
            ::infra_runtime::app::same_region(
                <#ty as ::infra_runtime::app::Exports>::IMPORTED_REGION,
                <#this as ::infra_runtime::AppStack>::REGION,
            ),
            "a stack imports only from a stack in its own region: CloudFormation exports are regional",
        );
        let #name = <#ty as ::infra_runtime::app::Exports>::exports(config);
    }
}

/// `Arn<certificatemanager::Certificate>` -> the runtime's paths; `String`, `i64` as is.
fn parameter_type(item: &Item) -> TokenStream {
    let Some(syn::Type::Path(path)) = &item.ty else {
        return quote!(::std::string::String);
    };
    let Some(last) = path.path.segments.last() else {
        return quote!(::std::string::String);
    };
    let wrapper = &last.ident;
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args)
            if ["Arn", "Id", "Name"].iter().any(|w| wrapper == w) =>
        {
            let inner = &args.args;
            quote!(::infra_runtime::#wrapper<::infra_runtime::aws::#inner>)
        }
        _ => quote!(#path),
    }
}

/// The attribute that gives a raw resource its `DeletionPolicy` and `UpdateReplacePolicy`.
const DELETION_POLICY: &str = "deletion_policy";

/// The attribute that orders a raw resource after others: `#[depends_on(bucket_policy)]`.
pub(crate) const DEPENDS_ON: &str = "depends_on";

/// The names a `#[depends_on(a, b)]` attribute lists (none when it does not parse; the
/// checks say why).
pub(crate) fn depends_on(item: &Item) -> Vec<Ident> {
    item.attrs
        .iter()
        .filter(|a| a.path().is_ident(DEPENDS_ON))
        .filter_map(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<Ident, syn::Token![,]>::parse_terminated,
            )
            .ok()
        })
        .flatten()
        .collect()
}

/// A raw resource's options: `#[deletion_policy(Retain)]` gives both policies, as a
/// stateful resource wants (the policy is a variant of the runtime's `Policy`, so rustc
/// names one that is not there, at its token); `#[depends_on(a, b)]` a `DependsOn` on
/// each, at its name's span.
fn resource_options(item: &Item) -> TokenStream {
    let mut options = quote!(::infra_runtime::ResourceOptions::new());
    let policy = item
        .attrs
        .iter()
        .find(|a| a.path().is_ident(DELETION_POLICY))
        .and_then(|a| a.parse_args::<Ident>().ok());
    if let Some(policy) = policy {
        options = quote!(#options.retain_policy(::infra_runtime::Policy::#policy));
    }
    for target in depends_on(item) {
        options = quote_spanned!(target.span()=> #options.depends_on(&#target));
    }
    options
}

fn binding(model: &Model<'_>, item: &Item, locals: &Locals) -> TokenStream {
    let name = &item.name;
    let span = name.span();
    let logical = locals.logical(name);
    let scope = &locals.scope;
    match item.kind.row().expands {
        Expands::Parameter => {
            let ty = parameter_type(item);
            let declaration = parameter(item);
            quote_spanned! {span=>
                let #name = #scope.stack.parameter::<#ty>(#logical, #declaration);
            }
        }
        Expands::Resource => {
            let ty = crate::raw::literal_path(model, item).unwrap_or_else(|| resource_type(item));
            let fields = item.fields.iter().map(|f| {
                let key = &f.key;
                let value = plain(&f.value);
                quote!(#key: #value,)
            });
            let options = resource_options(item);
            let checks = crate::facts::given_role_checks(model, item);
            // The checks after the declaration: they quote its values, and an editor
            // completing inside one compares this expansion with its own up to the cursor.
            quote_spanned! {span=>
                let #name = #scope.stack.add_with(#logical, #ty { #(#fields)* ..::core::default::Default::default() }, #options);
                #checks
            }
        }
        Expands::Construct { spec, handle } => {
            let built = crate::facts::built_type(model, item, handle);
            let spec = Ident::new(spec, span);
            let fields = item.fields.iter().map(|f| spec_field(model, item, f));
            let network = construct_network(model, item);
            let build = quote_spanned! {span=>
                <#built as ::infra_runtime::Construct>::build(&mut #scope, #logical, ::infra_runtime::construct::#spec {
                    #(#fields)*
                    #network
                    ..::core::default::Default::default()
                })
            };
            let facts = crate::facts::attach(model, item, name);
            let checks = crate::facts::boundary_checks(model, item);
            quote_spanned! {span=>
                let #name = #build;
                #facts
                #checks
            }
        }
        Expands::Path => path_construct(item, locals),
        Expands::Import => import(model, item),
        Expands::Header | Expands::Settings | Expands::Output | Expands::Input => {
            TokenStream::new()
        }
    }
}

/// `construct name: Type { key: value, .. }`: `<Type as Construct>::build` with the spec
/// as a struct literal at the user's tokens (through an alias of `Type::Spec`), so that
/// rustc checks each key and value there and the editor completes them. Without `..`
/// every field is required, as in any struct literal.
fn path_construct(item: &Item, locals: &Locals) -> TokenStream {
    let (name, scope) = (&item.name, &locals.scope);
    let span = name.span();
    let ty = match &item.ty {
        Some(ty) => quote!(#ty),
        None => return quote_spanned!(span=> let #name = ();),
    };
    let id = locals.construct_id(item);
    let fields = item.fields.iter().map(|f| {
        let key = &f.key;
        let value = plain(&f.value);
        quote!(#key: #value,)
    });
    let rest = item
        .rest
        .map(|at| quote_spanned!(at=> ..::core::default::Default::default()));
    // The literal's path and braces are the user's type and braces, where rustc reports
    // a field left out.
    let at = item.ty.as_ref().map_or(span, |t| t.span());
    let alias = Ident::new("Spec", Span::mixed_site().located_at(at));
    let mut body =
        proc_macro2::Group::new(proc_macro2::Delimiter::Brace, quote!(#(#fields)* #rest));
    body.set_span(item.body_span);
    quote_spanned! {span=>
        let #name = <#ty as ::infra_runtime::Construct>::build(&mut #scope, #id, {
            type #alias<'s> = <#ty as ::infra_runtime::Construct>::Spec<'s>;
            #alias #body
        });
    }
}

/// The `network` field of a construct declared `in` one (security groups): a VPC of the
/// stack, or a field of an import, an input or a construct (`in shared.vpc_id`), or an
/// input itself; rustc checks that it is in a VPC (`InVpc`).
fn construct_network(model: &Model<'_>, item: &Item) -> TokenStream {
    if item.kind != Kind::SecurityGroup {
        return TokenStream::new();
    }
    let base = item
        .within
        .as_ref()
        .and_then(|w| model.get(w).map(|n| (w, n.kind)));
    let network = match (base, &item.within_field) {
        (Some((network, Kind::Vpc)), None) => some(quote!(&#network)),
        (Some((base, Kind::Import | Kind::Input | Kind::Construct)), Some(field)) => {
            some(quote!(&#base.#field))
        }
        (Some((input, Kind::Input)), None) => some(quote!(&#input)),
        _ => quote!(::core::option::Option::None),
    };
    quote!(network: #network,)
}

/// `Parameter::new(description).default(…).no_echo_if(…)…`, each written field a call.
fn parameter(item: &Item) -> TokenStream {
    let description = item
        .expr("description")
        .map_or_else(|| quote!(""), |d| quote!(#d));
    let calls = item.fields.iter().filter_map(|field| {
        let Value::Expr(expr) = &field.value else {
            return None;
        };
        let into = quote!(::core::convert::Into::into);
        Some(match field.key.to_string().as_str() {
            "default" => quote!(.default(#into(#expr))),
            "no_echo" => quote!(.no_echo_if(#expr)),
            "allowed_values" => {
                quote!(.allowed_values(::core::iter::Iterator::map(::core::iter::IntoIterator::into_iter(#expr), #into)))
            }
            "allowed_pattern" => quote!(.allowed_pattern(#expr)),
            "min_length" => quote!(.min_length(#expr)),
            "max_length" => quote!(.max_length(#expr)),
            _ => return None,
        })
    });
    quote!(::infra_runtime::Parameter::new(#description) #(#calls)*)
}

/// A value passed through as written (missing or unparsable values become defaults).
/// A value as written; one being typed (`jobs.`) with its placeholder, for the shape the
/// editor completes in.
fn plain(value: &Value) -> TokenStream {
    match value {
        Value::Expr(expr) | Value::Incomplete(expr) => quote!(#expr),
        _ => quote!(::core::default::Default::default()),
    }
}

fn some(tokens: TokenStream) -> TokenStream {
    quote!(::core::option::Option::Some(#tokens))
}

/// `Some(tokens)` at the user's value, so that a value of another file of the wrong type
/// is reported there alone, not across the macro.
fn some_at(span: proc_macro2::Span, tokens: TokenStream) -> TokenStream {
    quote_spanned!(span=> ::core::option::Option::Some(#tokens))
}

/// A declaration name as a reference, when it resolved to the right kind.
fn reference<'a>(model: &Model<'_>, expr: &'a Expr, kinds: &[Kind]) -> Option<&'a Ident> {
    model::ident(expr).filter(|i| model.get(i).is_some_and(|t| model::is_of(t, kinds)))
}

fn spec_field(model: &Model<'_>, item: &Item, field: &Field) -> TokenStream {
    let key = &field.key;
    let default = quote!(::core::default::Default::default());
    let (Value::Expr(expr) | Value::Incomplete(expr)) = &field.value else {
        let value = match &field.value {
            Value::Ingress(rules) => internet_rules(rules, "Ingress"),
            Value::Egress(rules) => internet_rules(rules, "Egress"),
            Value::Map(pairs) => map(model, item, &key.to_string(), pairs),
            _ => default,
        };
        return quote!(#key: #value,);
    };
    if item.kind.field(&key.to_string()) == FieldKind::Statements {
        return TokenStream::new();
    }
    let shape = item.kind.field(&key.to_string());
    let external = model.external(expr).is_some();
    let value = match shape {
        FieldKind::Ref(_) if external => some_at(expr.span(), quote_spanned!(expr.span()=> &#expr)),
        FieldKind::ValueRef(_) if external => some_at(
            expr.span(),
            quote_spanned!(expr.span()=> ::core::clone::Clone::clone(&#expr)),
        ),
        FieldKind::Tier if external => some(imported_tier(item, expr)),
        FieldKind::Plain(Lit::Float) => match model::int(expr) {
            Some((v, _)) => {
                let lit = LitFloat::new(&format!("{v}.0"), key.span());
                quote!(#lit)
            }
            None => quote!(#expr),
        },
        FieldKind::Plain(_) | FieldKind::Tags | FieldKind::TagNames => quote!(#expr),
        FieldKind::Optional(_) => some(quote!(#expr)),
        FieldKind::Ref(kinds) => match reference(model, expr, kinds) {
            Some(ident) => some(quote!(&#ident)),
            None => default,
        },
        FieldKind::ValueRef(kinds) => match reference(model, expr, kinds) {
            Some(ident) => some(quote!(::core::clone::Clone::clone(&#ident))),
            None => default,
        },
        // `network.<tier>` goes through whatever the tier: rustc reports one that is not
        // there, and the editor completes after `network.`.
        FieldKind::Tier => match model::tier_path(expr) {
            Some((base, _)) if model.get_kind(base, &[Kind::Vpc]).is_some() => some(quote!(&#expr)),
            Some((base, _)) if model.get_kind(base, &[Kind::Import]).is_some() => {
                some(imported_tier(item, expr))
            }
            _ => default,
        },
        FieldKind::CidrList | FieldKind::Strings => quote!(&#expr),
        // A struct of typed variables: its `Environment` impl names and converts them,
        // and rustc says at the value what does not implement it.
        FieldKind::Environment => quote_spanned! {expr.span()=>
            &::infra_runtime::construct::Environment::variables(&#expr)
        },
        FieldKind::Secrets | FieldKind::Statements => default,
        FieldKind::Principal => principal(expr).unwrap_or(default),
        FieldKind::Encryption => encryption(model, expr).unwrap_or(default),
        FieldKind::Code => code(expr),
        FieldKind::Calls { ty, .. } => {
            let calls = model::list(expr).unwrap_or_default();
            let calls = calls.iter().filter_map(|call| constructor(ty, call));
            quote!(&[#(#calls),*])
        }
        // Anything but a call is reported at the value (check/fields.rs).
        FieldKind::Call { ty, optional, .. } => match constructor(ty, expr) {
            Some(call) if optional => some(call),
            Some(call) => call,
            None => default,
        },
        FieldKind::Grants => grants(model, expr),
        FieldKind::Ingress | FieldKind::Egress => default,
    };
    quote!(#key: #value,)
}

/// `f(args)` as a call of `::infra_runtime::construct::<ty>::f`, at the user's `f`;
/// `None` for anything but a call. One of the type's constructors is called through a
/// pointer to it, so that an argument of the wrong type is rustc's error at the argument
/// with no note quoting the constructor's definition in the runtime.
fn constructor(ty: &CallType, expr: &Expr) -> Option<TokenStream> {
    let (function, args) = model::call(expr)?;
    let known = ty.verbs.iter().any(|verb| function == *verb);
    let ty = Ident::new(ty.name, function.span());
    let args: Vec<TokenStream> = args
        .iter()
        .map(|arg| match arg {
            // Literals as written; a declaration or any other value by reference.
            Expr::Lit(_) => quote!(#arg),
            _ => quote_spanned!(arg.span()=> &#arg),
        })
        .collect();
    let path = quote_spanned!(function.span()=> ::infra_runtime::construct::#ty::#function);
    if !known {
        // Called as written: rustc names the constructors there, and the editor completes
        // a name being typed (in a call's position, not in a pointer's).
        return Some(quote_spanned!(function.span()=> #path(#(#args),*)));
    }
    // A name of the macro's own, which no name of the user's can mean or shadow.
    let verb = Ident::new("verb", Span::mixed_site().located_at(function.span()));
    let holes = args.iter().map(|_| quote!(_));
    Some(quote_spanned! {function.span()=> {
        let #verb: fn(#(#holes),*) -> _ = #path;
        #verb(#(#args),*)
    }})
}

/// A function's code: a string is a directory under the crate's manifest (or an absolute
/// path), `inline(source)` source in the template; anything else is passed through.
fn code(expr: &Expr) -> TokenStream {
    let construct = quote_spanned!(expr.span()=> ::infra_runtime::construct);
    if let Some(path) = model::string(expr) {
        let lit = LitStr::new(&path, expr.span());
        if path.starts_with('/') {
            return quote_spanned!(expr.span()=> #construct::Code::Directory(#lit));
        }
        return quote_spanned! {expr.span()=>
            #construct::Code::Directory(::core::concat!(::core::env!("CARGO_MANIFEST_DIR"), "/", #lit))
        };
    }
    if let Some((function, args)) = model::call(expr)
        && function == "inline"
        && let [source] = args[..]
    {
        return quote_spanned!(expr.span()=> #construct::Code::Inline(#source));
    }
    quote!(#expr)
}

/// `{ NAME: value, … }` as the spec's `&[(name, value)]`: environment values converted to
/// strings, secrets through `SecretSource`, each at the user's value, so that rustc says
/// at that token what does not fit.
fn map(model: &Model<'_>, item: &Item, key: &str, pairs: &[(Ident, Expr)]) -> TokenStream {
    let secrets = item.kind.field(key) == FieldKind::Secrets;
    // A declaration of the wrong kind is already reported at its name.
    let wrong_kind = |value: &Expr| {
        model::ident(value)
            .and_then(|n| model.get(n))
            .is_some_and(|d| !kind::SECRET_VALUES.contains(&d.kind))
    };
    let entries = pairs.iter().filter(|(_, v)| !(secrets && wrong_kind(v))).map(|(name, value)| {
        let name = LitStr::new(&name.to_string(), name.span());
        let converted = if secrets {
            quote_spanned!(value.span()=> ::infra_runtime::construct::SecretSource::secret_arn(&#value))
        } else {
            quote_spanned!(value.span()=> ::infra_runtime::construct::environment_value(#value))
        };
        quote!((#name, #converted))
    });
    quote!(&[#(#entries),*])
}

/// Another stack's tier, as the tier the construct belongs in: `{ let subnets:
/// &Subnets<tier::Private> = &shared.app_subnets; subnets.tier() }`, at the user's value,
/// so that a tier of another kind is rustc's mismatched `Subnets<…>` there (and not an
/// argument of a runtime function, which rustc would quote).
fn imported_tier(item: &Item, expr: &Expr) -> TokenStream {
    let expected = kind::expected_tier(item.kind, item.flag("internet_facing").value().copied());
    let span = expr.span();
    match expected {
        Some(tier) => {
            let marker = Ident::new(&crate::naming::logical_id(tier), span);
            quote_spanned! {span=>
                {
                    let subnets: &::infra_runtime::construct::Subnets<
                        ::infra_runtime::construct::tier::#marker,
                    > = &#expr;
                    subnets.tier()
                }
            }
        }
        None => quote_spanned!(span=> #expr.tier()),
    }
}

fn principal(expr: &Expr) -> Option<TokenStream> {
    let span = expr.span();
    if let Some(ident) = model::ident(expr) {
        let (_, variant) = kind::principal_keywords().find(|(n, _)| ident == n)?;
        let variant = Ident::new(variant, ident.span());
        return Some(quote!(::infra_runtime::construct::Principal::#variant));
    }
    let (_, service) = kind::principal(expr)?;
    Some(quote_spanned!(span=> ::infra_runtime::construct::Principal::Service(#service)))
}

fn encryption(model: &Model<'_>, expr: &Expr) -> Option<TokenStream> {
    if let Some(ident) = model::ident(expr).filter(|i| *i == "s3_managed") {
        let variant = Ident::new("S3Managed", ident.span());
        return Some(quote!(::infra_runtime::construct::BucketEncryption::#variant));
    }
    let (func, args) = model::call(expr)?;
    let first = args.first()?;
    let key = match model.external(first) {
        Some(_) => quote_spanned!(first.span()=> #first),
        None => {
            let key = reference(model, first, &[Kind::Key])?;
            quote!(#key)
        }
    };
    let variant = Ident::new("Kms", func.span());
    Some(quote!(::infra_runtime::construct::BucketEncryption::#variant(&#key)))
}

/// The grants at the user's tokens: `verb(resource, args…)` is
/// `Grantable::verbs(&resource).verb(args…)`, with the method at the verb, so that rustc
/// names a verb the resource does not offer there (with the verbs it does offer), and
/// a resource that offers none at the resource; `AccessLevels` is in scope for the levels. `allow` is `Grant::allow`. A bare word
/// becomes a path under `grant::builtin`, where the editor completes the built-in verbs.
fn grants(model: &Model<'_>, expr: &Expr) -> TokenStream {
    let construct = quote!(::infra_runtime::construct);
    let mut probes = Vec::new();
    let mut items = Vec::new();
    for element in model::list(expr).unwrap_or_default() {
        if let Some(word) = model::ident(element) {
            probes.push(quote!(let _ = #construct::grant::builtin::#word;));
            continue;
        }
        let Some((verb, args)) = model::call(element) else {
            continue;
        };
        if verb == kind::ALLOW {
            if let [actions, resources] = args[..] {
                // Each resource converted on its own, so that literals and typed ARNs mix.
                let resources = model::list(resources)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| quote!(#construct::IamResource::from(#r)));
                items.push(quote!(#construct::Grant::#verb(&#actions, &[#(#resources),*])));
            }
            continue;
        }
        let Some((target, rest)) = args.split_first() else {
            continue;
        };
        if model.external(target).is_some()
            || model.imported(target).is_some()
            || model::ident(target).is_some()
        {
            let verbs = quote_spanned!(target.span()=> ::infra_runtime::construct::Grantable::verbs(&#target));
            items.push(quote_spanned!(verb.span()=> #verbs.#verb(#(#rest),*)));
        }
    }
    // The access levels beneath a construct's own verbs (`tag(queue)`), and a raw
    // resource's only verbs, are `AccessLevels`' methods.
    quote!({ use #construct::AccessLevels as _; #(#probes)* ::std::vec![#(#items),*] })
}

/// Rules with `internet` as their peer stay inline (`Ingress::internet(443)`,
/// `Egress::internet(443)`); rules between groups are added after every group exists.
fn internet_rules(rules: &[PortRule], ty: &str) -> TokenStream {
    let ty = Ident::new(ty, Span::call_site());
    let internet = rules
        .iter()
        .filter(|r| r.complete && r.source == kind::INTERNET)
        .map(|r| {
            let port = &r.port;
            let func = Ident::new("internet", r.source.span());
            quote!(::infra_runtime::construct::#ty::#func(#port))
        });
    quote!(::std::vec![#(#internet),*])
}

fn group_rules(model: &Model<'_>, group: &Item, locals: &Locals) -> TokenStream {
    let Some(Field {
        value: Value::Ingress(rules),
        ..
    }) = group.field("ingress")
    else {
        return TokenStream::new();
    };
    let target = &group.name;
    let scope = &locals.scope;
    rules
        .iter()
        .filter(|r| r.source != kind::INTERNET)
        .filter(|r| {
            model
                .get(&r.source)
                .is_some_and(|s| matches!(s.kind, Kind::SecurityGroup | Kind::Input))
        })
        .map(|r| {
            let source = &r.source;
            let port = &r.port;
            let id = format!("{}From{}{}", logical_id(target).value(), logical_id(source).value(), port.base10_digits());
            let id = locals.prefixed(&LitStr::new(&id, source.span()));
            quote_spanned! {source.span()=>
                ::infra_runtime::construct::allow_from_group(&mut #scope, #id, &#target, &#source, #port);
            }
        })
        .collect()
}

/// Every `from` source as a variant of an enum of the stack's groups and `internet`: the
/// editor completes exactly those after `from`, and rustc reports a source that is none
/// of them at its token, with the nearest name. Each probe's enum is written at its
/// source's span, so that rustc's note about the enum stays on that token. Sources
/// declared as something else are reported by the model instead.
fn ingress_sources(model: &Model<'_>) -> TokenStream {
    let groups: Vec<&Ident> = model
        .items
        .iter()
        .filter(|i| is_group_source(i))
        .map(|i| &i.name)
        .collect();
    model
        .items
        .iter()
        .filter_map(|i| match i.field("ingress").map(|f| &f.value) {
            Some(Value::Ingress(rules)) => Some(rules),
            _ => None,
        })
        .flatten()
        .map(|r| &r.source)
        .filter(|s| *s == kind::INTERNET || model.get(s).is_none_or(is_group_source))
        .map(|source| {
            let at = source.span();
            // The groups' own identifiers (raw ones stay raw), moved to this source's span.
            let variants =
                std::iter::once(Ident::new(kind::INTERNET, at)).chain(groups.iter().map(|group| {
                    let mut variant = (*group).clone();
                    variant.set_span(at);
                    variant
                }));
            let ty = Ident::new("IngressSource", Span::mixed_site().located_at(at));
            quote_spanned! {at=>
                {
                    #[allow(non_camel_case_types, dead_code)]
                    enum #ty { #(#variants),* }
                    let _ = #ty::#source;
                }
            }
        })
        .collect()
}

/// What a `from` may name: a group of this file, or an input (a group of another).
fn is_group_source(item: &Item) -> bool {
    matches!(item.kind, Kind::SecurityGroup | Kind::Input)
}

fn output(item: &Item, locals: &Locals) -> TokenStream {
    let logical = logical_id(&item.name);
    let value = item.field("value").map_or_else(
        || quote!(::infra_runtime::Value::<::std::string::String>::default()),
        |f| plain(&f.value),
    );
    let description = item.expr("description").map(|d| quote!(.description(#d)));
    let span = item.name.span();
    let scope = &locals.scope;
    if let Some(marker) = item.ty.as_ref().and_then(model::subnets_marker) {
        return subnets_output(item, marker, locals);
    }
    let (new, export) = match &item.ty {
        Some(_) => {
            let ty = parameter_type(item);
            (
                quote!(::infra_runtime::Output::new::<#ty>),
                Some(quote!(.export(::infra_runtime::app::export_name(
                    &<Self as ::infra_runtime::AppStack>::stack_name(config),
                    #logical,
                )))),
            )
        }
        None => (
            quote!(::infra_runtime::Output::new),
            item.expr("export").map(|e| quote!(.export(#e))),
        ),
    };
    quote_spanned! {span=>
        #scope.stack.output(#logical, #new(#value) #description #export);
    }
}

/// A bucket's extra policy statements, once every declaration exists: each element
/// `verb(args)` is a [`constructor`] of `BucketStatement`, so rustc reports an unknown verb
/// or a reader of the wrong type at the user's token.
fn bucket_statements(bucket: &Item, locals: &Locals) -> TokenStream {
    let Some(expr) = bucket.expr("statements") else {
        return TokenStream::new();
    };
    let calls = model::list(expr)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|element| constructor(&kind::BUCKET_STATEMENT, element));
    let name = &bucket.name;
    let logical = locals.logical(name);
    let scope = &locals.scope;
    quote! {
        ::infra_runtime::construct::bucket_statements(&mut #scope, #logical, &#name, &[#(#calls),*]);
    }
}

/// A tier as two exported outputs: its subnet ids joined by commas (`<Id>`) and its VPC
/// (`<Id>Vpc`), which an importing stack reads back as a `Subnets<Marker>`.
fn subnets_output(item: &Item, marker: &Ident, locals: &Locals) -> TokenStream {
    let logical = logical_id(&item.name);
    let vpc_logical = LitStr::new(&format!("{}Vpc", logical.value()), logical.span());
    let description = item.expr("description").map(|d| quote!(.description(#d)));
    let Some(value) = item.expr("value") else {
        return TokenStream::new();
    };
    let scope = &locals.scope;
    let export = |id: &LitStr| {
        quote!(.export(::infra_runtime::app::export_name(
            &<Self as ::infra_runtime::AppStack>::stack_name(config),
            #id,
        )))
    };
    let (ids_export, vpc_export) = (export(&logical), export(&vpc_logical));
    quote_spanned! {value.span()=>
        #scope.stack.output(#logical, ::infra_runtime::Output::new(
            ::infra_runtime::construct::Subnets::<::infra_runtime::construct::tier::#marker>::export_ids(&#value),
        ) #description #ids_export);
        #scope.stack.output(#vpc_logical, ::infra_runtime::Output::new(#value.vpc.clone()) #vpc_export);
    }
}

/// `<Name>Exports` and `impl Exports`: the typed outputs as another stack imports them
/// (`Fn::ImportValue` of the names this stack exports them under).
fn exports(name: &Ident, vis: &Option<syn::Visibility>, outputs: &[&Item]) -> TokenStream {
    let exports_name = format_ident!("{}Exports", name);
    let doc = format!("The typed outputs of `{name}`, as a stack that imports it reads them.");
    let typed: Vec<&&Item> = outputs.iter().filter(|o| o.ty.is_some()).collect();
    let fields = typed.iter().map(|o| {
        let field = &o.name;
        let docs = &o.attrs;
        let ty = match o.ty.as_ref().and_then(model::subnets_marker) {
            Some(marker) => quote!(::infra_runtime::construct::Subnets<::infra_runtime::construct::tier::#marker>),
            None => {
                let ty = parameter_type(o);
                quote!(::infra_runtime::Value<#ty>)
            }
        };
        quote!(#(#docs)* pub #field: #ty,)
    });
    let reads = typed.iter().map(|o| {
        let field = &o.name;
        let logical = logical_id(&o.name);
        let import = |id: &LitStr| {
            quote!(::infra_runtime::intrinsic::import_value(
                ::infra_runtime::app::export_name(&stack_name, #id).into(),
            ))
        };
        let value = match o.ty.as_ref().and_then(model::subnets_marker) {
            Some(_) => {
                let vpc = LitStr::new(&format!("{}Vpc", logical.value()), logical.span());
                let (ids, vpc) = (import(&logical), import(&vpc));
                quote!(::infra_runtime::construct::Subnets::imported(#ids, #vpc))
            }
            None => import(&logical),
        };
        quote!(#field: #value,)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #vis struct #exports_name { #(#fields)* }

        impl ::infra_runtime::app::Exports for #name {
            type Exports = #exports_name;

            fn exports(config: &::infra_runtime::StackConfig) -> #exports_name {
                let stack_name = <Self as ::infra_runtime::AppStack>::stack_name(config);
                #exports_name { #(#reads)* }
            }
        }
    }
}
