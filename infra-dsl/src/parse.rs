//! The recovering parser: token trees in, declarations and errors out.
//!
//! A declaration is `attrs vis? keyword name [: Type] [in network] { fields }`. The
//! braces are one token tree, so an error inside a declaration never loses the ones
//! after it; an error inside a field loses only that field. A key without a value is kept
//! (the editor is mid-word there) so that the expansion keeps its shape.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Expr, Ident, LitInt, Token, Type, Visibility};

use crate::ast::{Field, Item, PortRule, Stack, Value};
use crate::bounds;
use crate::diag::Diagnostics;
use crate::kind::{FieldKind, Kind};
use crate::suggest::did_you_mean_or_longer;

/// Parses a whole invocation, reporting what it cannot understand and keeping the rest.
pub fn parse(input: TokenStream, diag: &mut Diagnostics) -> Stack {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let mut stack = Stack {
        first_span: tokens.first().map(TokenTree::span),
        ..Stack::default()
    };
    let mut i = 0;
    while i < tokens.len() {
        // Everything up to and including the next brace group (or `;`) is one declaration.
        let end = tokens[i..]
            .iter()
            .position(|t| match t {
                TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
                TokenTree::Punct(p) => p.as_char() == ';',
                _ => false,
            })
            .map_or(tokens.len(), |p| i + p + 1);
        let chunk: TokenStream = tokens[i..end].iter().cloned().collect();
        if let Some(item) = parse_item(chunk, diag) {
            stack.items.push(item);
        }
        i = end;
    }
    stack
}

struct Head {
    attrs: Vec<Attribute>,
    vis: Visibility,
    keyword: Ident,
    name: Option<Ident>,
    ty: Option<Type>,
    within: Option<Ident>,
    within_field: Option<Ident>,
}

fn parse_head(input: ParseStream<'_>) -> syn::Result<Head> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let keyword: Ident = input.call(syn::ext::IdentExt::parse_any).map_err(|e| {
        syn::Error::new(
            e.span(),
            format!(
                "expected a declaration such as `vpc network {{ … }}`\nhelp: {}",
                expected_keywords()
            ),
        )
    })?;
    let name = if input.peek(Ident) {
        Some(input.parse()?)
    } else if input.is_empty() || Kind::from_keyword(&keyword.to_string()).is_none() {
        None
    } else {
        return Err(syn::Error::new(
            input.span(),
            format!("expected a name after `{keyword}`"),
        ));
    };
    let ty = if name.is_some() && input.peek(Token![:]) {
        input.parse::<Token![:]>()?;
        Some(input.parse()?)
    } else {
        None
    };
    let within = if input.peek(Token![in]) {
        input.parse::<Token![in]>()?;
        Some(input.parse()?)
    } else {
        None
    };
    let within_field = if within.is_some() && input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        Some(input.call(syn::ext::IdentExt::parse_any)?)
    } else {
        None
    };
    if !input.is_empty() {
        let what = name
            .as_ref()
            .map_or_else(|| keyword.to_string(), |n| format!("{keyword} {n}"));
        return Err(syn::Error::new(
            input.span(),
            format!("expected `{{` after `{what}`"),
        ));
    }
    Ok(Head {
        attrs,
        vis,
        keyword,
        name,
        ty,
        within,
        within_field,
    })
}

fn parse_item(chunk: TokenStream, diag: &mut Diagnostics) -> Option<Item> {
    let mut tokens: Vec<TokenTree> = chunk.into_iter().collect();
    // The chunk's last token: where an error about a chunk with nothing else goes.
    let last_span = tokens.last().map_or_else(Span::call_site, TokenTree::span);
    let body = match tokens.last() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            let g = g.clone();
            tokens.pop();
            Some(g)
        }
        Some(TokenTree::Punct(p)) if p.as_char() == ';' => {
            tokens.pop();
            None
        }
        _ => None,
    };
    let head_tokens: TokenStream = tokens.into_iter().collect();
    if let Err(error) = bounds::check(&head_tokens) {
        diag.push(error);
        return None;
    }
    let head = match parse_head.parse2(head_tokens.clone()) {
        Ok(head) => head,
        Err(error) => {
            // An empty head (a stray `{ … }` or `;`) is reported at that token.
            let error = if head_tokens.is_empty() {
                syn::Error::new(last_span, error.to_string())
            } else {
                at_end(error, &head_tokens)
            };
            diag.push(error);
            return None;
        }
    };
    let kind = declaration_kind(&head.keyword, diag)?;
    let Some(name) = head.name.clone() else {
        diag.push(syn::Error::new(
            head.keyword.span(),
            format!("expected a name after `{}`", head.keyword),
        ));
        return None;
    };
    if matches!(kind, Kind::Import | Kind::Input) {
        return typed_name(kind, Head { name: None, ..head }, name, body, diag);
    }
    if kind == Kind::Construct && head.ty.is_none() {
        diag.push(syn::Error::new(
            name.span(),
            format!(
                "expected `: path::Type` after `construct {name}`: the construct's type, e.g. `construct {name}: crate::network::Networking {{ … }}`"
            ),
        ));
    }
    let Some(body) = body else {
        diag.push(syn::Error::new(
            name.span(),
            format!("expected `{{` after `{} {name}`", head.keyword),
        ));
        return None;
    };
    Some(declaration(kind, head, name, &body, diag))
}

/// The kind a keyword introduces, or its error with the nearest keyword.
fn declaration_kind(keyword: &Ident, diag: &mut Diagnostics) -> Option<Kind> {
    let word = keyword.to_string();
    let kind = Kind::from_keyword(&word);
    if kind.is_none() {
        let help = match did_you_mean_or_longer(&word, Kind::keywords()) {
            Some(s) => format!("help: a declaration with a similar name exists: `{s}`"),
            None => format!("help: {}", expected_keywords()),
        };
        diag.push(syn::Error::new(
            keyword.span(),
            format!("unknown declaration `{word}`\n{help}"),
        ));
    }
    kind
}

/// A declaration with its braced fields (a `construct`'s ending in `..` or not).
fn declaration(kind: Kind, head: Head, name: Ident, body: &Group, diag: &mut Diagnostics) -> Item {
    let (stream, rest) = match kind {
        Kind::Construct => take_rest(body.stream()),
        _ => (body.stream(), None),
    };
    let fields = parse_fields(kind, stream, diag);
    Item {
        attrs: head.attrs,
        vis: head.vis,
        kind,
        keyword: head.keyword,
        name,
        ty: head.ty,
        within: head.within,
        within_field: head.within_field,
        fields,
        body_span: body.span(),
        rest,
    }
}

/// A construct's fields without a final `..`, and where the `..` was.
fn take_rest(stream: TokenStream) -> (TokenStream, Option<Span>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let is_dot = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == '.');
    match tokens.as_slice() {
        [before @ .., a, b] if is_dot(a) && is_dot(b) => {
            let at_field_start = before
                .last()
                .is_none_or(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','));
            if at_field_start {
                return (before.iter().cloned().collect(), Some(a.span()));
            }
            (tokens.into_iter().collect(), None)
        }
        _ => (tokens.into_iter().collect(), None),
    }
}

/// `import name: OtherStack;` and `input name: Type;` (or with an empty `{}`): the type
/// is required.
fn typed_name(
    kind: Kind,
    head: Head,
    name: Ident,
    body: Option<Group>,
    diag: &mut Diagnostics,
) -> Option<Item> {
    if head.ty.is_none() {
        let example = match kind {
            Kind::Import => format!(
                "`: StackType` after `import {name}`: the stack whose exports it imports, e.g. `import {name}: NetworkStack;`"
            ),
            _ => format!(
                "`: Type` after `input {name}`: what the component is given, e.g. `input {name}: &Network;`"
            ),
        };
        diag.push(syn::Error::new(name.span(), format!("expected {example}")));
        return None;
    }
    let fields = match &body {
        Some(group) => parse_fields(kind, group.stream(), diag),
        None => Vec::new(),
    };
    Some(Item {
        attrs: head.attrs,
        vis: head.vis,
        kind,
        keyword: head.keyword,
        body_span: body.map_or_else(|| name.span(), |g| g.span()),
        name,
        ty: head.ty,
        within: head.within,
        within_field: head.within_field,
        fields,
        rest: None,
    })
}

fn expected_keywords() -> String {
    let list: Vec<String> = Kind::keywords().map(|k| format!("`{k}`")).collect();
    format!("declarations are {}", list.join(", "))
}

/// Splits at top-level commas and parses each `key: value`.
fn parse_fields(kind: Kind, body: TokenStream, diag: &mut Diagnostics) -> Vec<Field> {
    let mut fields = Vec::new();
    for chunk in split(body, ',') {
        if !chunk.is_empty() {
            parse_field(kind, chunk, diag, &mut fields);
        }
    }
    fields
}

/// Splits a token stream at top-level occurrences of a lone punctuation character.
pub(crate) fn split(stream: TokenStream, separator: char) -> Vec<Vec<TokenTree>> {
    let mut parts = vec![Vec::new()];
    for token in stream {
        match &token {
            TokenTree::Punct(p) if p.as_char() == separator => parts.push(Vec::new()),
            _ => {
                if let Some(last) = parts.last_mut() {
                    last.push(token);
                }
            }
        }
    }
    if parts.last().is_some_and(Vec::is_empty) {
        parts.pop();
    }
    parts
}

/// Parses one `key: value` into `out`; a value followed by another `key: value`
/// without a comma is reported and both fields are kept.
fn parse_field(kind: Kind, chunk: Vec<TokenTree>, diag: &mut Diagnostics, out: &mut Vec<Field>) {
    let stream: TokenStream = chunk.into_iter().collect();
    if let Err(error) = bounds::check(&stream) {
        diag.push(error);
        keep_key_of_too_deep_field(stream, out);
        return;
    }
    let Some((attrs, key, rest)) = parse_key(stream, diag, out) else {
        return;
    };
    let shape = kind.field(&key.to_string());
    let parse = |tokens: TokenStream| -> syn::Result<Value> {
        match (kind, shape) {
            (Kind::Settings, _) => parse_setting.parse2(tokens),
            (_, FieldKind::Tags) => parse_tags.parse2(tokens),
            (_, FieldKind::Environment) if !starts_braced(&tokens) => {
                // A struct of typed variables (`#[derive(Environment)]`), or any value
                // whose type implements `Environment`.
                (|input: ParseStream<'_>| input.parse::<Expr>().map(Value::Expr)).parse2(tokens)
            }
            (_, FieldKind::Environment | FieldKind::Secrets) => parse_map.parse2(tokens),
            (_, FieldKind::Ingress) => parse_ingress.parse2(tokens),
            (_, FieldKind::Egress) => parse_egress.parse2(tokens),
            _ => (|input: ParseStream<'_>| input.parse::<Expr>().map(Value::Expr)).parse2(tokens),
        }
    };
    match parse(rest.clone()) {
        Ok(value) => {
            report_incomplete_rules(&value, diag);
            out.push(Field::new(attrs, key, value));
        }
        // A value being typed, cut at a `.`: kept with a placeholder, so that the expansion
        // keeps the shape the editor completes in.
        Err(_) if let Some((value, errors)) = cut_at_dot(shape, &rest, &parse) => {
            errors.into_iter().for_each(|e| diag.push(e));
            out.push(Field::new(attrs, key, value));
        }
        Err(error) => match missing_comma(&rest, &parse) {
            Some((value, before, next)) => {
                diag.push(syn::Error::new(
                    before,
                    format!(
                        "expected `,` after the value of `{key}`\nhelp: fields are separated by commas"
                    ),
                ));
                out.push(Field::new(attrs, key, value));
                parse_field(kind, next, diag, out);
            }
            None => {
                diag.push(at_end(error, &rest));
                out.push(Field::new(attrs, key, Value::Invalid(rest)));
            }
        },
    }
}

/// A field nested past the bound keeps its key (`key: …`), so that it is not also
/// reported missing.
fn keep_key_of_too_deep_field(stream: TokenStream, out: &mut Vec<Field>) {
    let mut tokens = stream.into_iter();
    if let (Some(TokenTree::Ident(key)), Some(TokenTree::Punct(colon))) =
        (tokens.next(), tokens.next())
        && colon.as_char() == ':'
    {
        out.push(Field::new(
            Vec::new(),
            key,
            Value::Invalid(tokens.collect()),
        ));
    }
}

/// The attributes, key and value tokens of `key: value`. A key without a value yet is
/// kept as a field (the editor is mid-word there) and `None` is returned, as it is for
/// what is no field at all (reported).
fn parse_key(
    stream: TokenStream,
    diag: &mut Diagnostics,
    out: &mut Vec<Field>,
) -> Option<(Vec<Attribute>, Ident, TokenStream)> {
    let head = |input: ParseStream<'_>| -> syn::Result<(Vec<Attribute>, Ident, bool, TokenStream)> {
        let attrs = input.call(Attribute::parse_outer)?;
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        let colon = input.parse::<Option<Token![:]>>()?.is_some();
        let rest: TokenStream = input.parse()?;
        Ok((attrs, key, colon, rest))
    };
    let (attrs, key, colon, rest) = match head.parse2(stream.clone()) {
        Ok(parts) => parts,
        Err(error) => {
            diag.push(syn::Error::new(
                at_end(error, &stream).span(),
                "expected a field: `name: value`",
            ));
            return None;
        }
    };
    if !colon && !rest.is_empty() {
        diag.push(syn::Error::new_spanned(
            &rest,
            format!("expected `:` after `{key}`"),
        ));
        out.push(Field::new(attrs, key, Value::Invalid(rest)));
        return None;
    }
    if rest.is_empty() {
        out.push(Field::new(attrs, key, Value::Missing));
        return None;
    }
    Some((attrs, key, rest))
}

/// A value cut at one or more dangling dots (`network.`, `groups.`, `jobs.`,
/// `Some(network.)`, `{ QUEUE: jobs. }`), completed with a placeholder after each (the
/// first tier for a tier, else `handle`) and parsed, with an error at each dot; `None`
/// when the value has no dangling dot or does not parse even so.
fn cut_at_dot(
    shape: FieldKind,
    rest: &TokenStream,
    parse: &impl Fn(TokenStream) -> syn::Result<Value>,
) -> Option<(Value, Vec<syn::Error>)> {
    let (placeholder, message) = match shape {
        FieldKind::Tier => (
            crate::kind::TIERS[0],
            format!(
                "expected a tier after `.`\nhelp: the tiers are {}",
                crate::model::quote_list(crate::kind::TIERS)
            ),
        ),
        FieldKind::Ref(_) | FieldKind::ValueRef(_) => (
            "handle",
            "expected a handle after `.`\nhelp: name a field of the component or construct before the `.`".to_owned(),
        ),
        _ => (
            "handle",
            "expected a method or field after `.`\nhelp: e.g. `jobs.url()`, `orders.name()`".to_owned(),
        ),
    };
    let (completed, dots) = complete_dots(rest, placeholder)?;
    let value = match parse(completed).ok()? {
        Value::Expr(expr) => Value::Incomplete(expr),
        other => other,
    };
    let errors = dots
        .into_iter()
        .map(|dot| syn::Error::new(dot, &message))
        .collect();
    Some((value, errors))
}

/// `tokens` with `placeholder` after each dangling `.` (one that ends a group or comes
/// before a `,` or `;`, and is not the second of `..`), and the spans of those dots;
/// `None` when there is none.
fn complete_dots(tokens: &TokenStream, placeholder: &str) -> Option<(TokenStream, Vec<Span>)> {
    let mut dots = Vec::new();
    let completed = fill_dots(tokens.clone(), placeholder, &mut dots);
    (!dots.is_empty()).then_some((completed, dots))
}

/// [`complete_dots`] of one group's tokens, and of the groups inside (no deeper than
/// [`crate::bounds::MAX_DEPTH`], checked before).
fn fill_dots(tokens: TokenStream, placeholder: &str, dots: &mut Vec<Span>) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let is_dot =
        |tree: Option<&TokenTree>| matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == '.');
    let mut out = Vec::with_capacity(trees.len());
    for (i, tree) in trees.iter().enumerate() {
        out.push(match tree {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), fill_dots(g.stream(), placeholder, dots));
                group.set_span(g.span());
                TokenTree::Group(group)
            }
            other => other.clone(),
        });
        let before = i.checked_sub(1).and_then(|j| trees.get(j));
        let ends = match trees.get(i + 1) {
            None => true,
            Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';'),
            Some(_) => false,
        };
        if is_dot(Some(tree)) && !is_dot(before) && ends {
            dots.push(tree.span());
            out.push(TokenTree::Ident(Ident::new(placeholder, tree.span())));
        }
    }
    out.into_iter().collect()
}

/// A rule whose peer is not typed yet (`443 from`, `443 to`) is reported here; the
/// parser keeps it as an incomplete rule for the expansion's shape.
fn report_incomplete_rules(value: &Value, diag: &mut Diagnostics) {
    let (rules, expected, help) = match value {
        Value::Ingress(rules) => (
            rules,
            "expected a source after `from`",
            "write `internet` or a security group of the stack",
        ),
        Value::Egress(rules) => (
            rules,
            "expected a destination after `to`",
            "write `internet`",
        ),
        _ => return,
    };
    for rule in rules.iter().filter(|r| !r.complete) {
        diag.error_help(&rule.source, expected, help);
    }
}

/// Where a value that does not parse is a whole value followed by the next field with
/// the comma left out (`cidr: "10.0.0.0/16" public: [...]`): the value, the span of its
/// last token, and the tokens of the next field.
fn missing_comma(
    tokens: &TokenStream,
    parse: &impl Fn(TokenStream) -> syn::Result<Value>,
) -> Option<(Value, Span, Vec<TokenTree>)> {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let lone_colon = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Alone);
    (1..tokens.len().saturating_sub(1))
        .filter(|&i| matches!(tokens[i], TokenTree::Ident(_)) && lone_colon(&tokens[i + 1]))
        .filter(|&i| !lone_colon(&tokens[i - 1]))
        .find_map(|i| {
            let value = parse(tokens[..i].iter().cloned().collect()).ok()?;
            Some((value, tokens[i - 1].span(), tokens[i..].to_vec()))
        })
}

/// syn reports running out of tokens at the call site; point at the last token instead,
/// so that every error stays inside the user's input.
fn at_end(error: syn::Error, tokens: &TokenStream) -> syn::Error {
    if error.to_string().contains("end of input")
        && let Some(last) = tokens.clone().into_iter().last()
    {
        return syn::Error::new(last.span(), error.to_string());
    }
    error
}

fn parse_setting(input: ParseStream<'_>) -> syn::Result<Value> {
    let ty: Type = input.parse()?;
    input.parse::<Token![=]>()?;
    let default: Expr = input.parse()?;
    Ok(Value::Setting(Box::new(ty), Box::new(default)))
}

fn parse_tags(input: ParseStream<'_>) -> syn::Result<Value> {
    braced_pairs(input, |content| content.parse()).map(Value::Tags)
}

/// `{ NAME: expr, … }`: environment variables and the secrets read into them (a name may
/// be any identifier, keywords included).
/// Whether the tokens are a `{ … }` group first (a map, not a struct literal).
fn starts_braced(tokens: &TokenStream) -> bool {
    matches!(
        tokens.clone().into_iter().next(),
        Some(proc_macro2::TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Brace
    )
}

fn parse_map(input: ParseStream<'_>) -> syn::Result<Value> {
    braced_pairs(input, |content| content.call(syn::ext::IdentExt::parse_any)).map(Value::Map)
}

/// `{ key: value, … }` with an optional trailing comma; `key` reads each key.
fn braced_pairs<V: syn::parse::Parse>(
    input: ParseStream<'_>,
    key: fn(ParseStream<'_>) -> syn::Result<Ident>,
) -> syn::Result<Vec<(Ident, V)>> {
    let content;
    syn::braced!(content in input);
    let mut pairs = Vec::new();
    while !content.is_empty() {
        let name = key(&content)?;
        content.parse::<Token![:]>()?;
        pairs.push((name, content.parse()?));
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(pairs)
}

fn parse_ingress(input: ParseStream<'_>) -> syn::Result<Value> {
    parse_rules(input, "from", "`443 from internet` or `8080 from alb_sg`").map(Value::Ingress)
}

fn parse_egress(input: ParseStream<'_>) -> syn::Result<Value> {
    parse_rules(input, "to", "`443 to internet`").map(Value::Egress)
}

/// `[PORT <direction> PEER, …]`, the direction being `from` or `to`.
fn parse_rules(
    input: ParseStream<'_>,
    direction: &str,
    example: &str,
) -> syn::Result<Vec<PortRule>> {
    let content;
    syn::bracketed!(content in input);
    let mut rules = Vec::new();
    while !content.is_empty() {
        let port: LitInt = content.parse()?;
        let word: Ident = content.parse()?;
        if word != direction {
            return Err(syn::Error::new(
                word.span(),
                format!("expected `{direction}`, found `{word}`\nhelp: write a rule as {example}"),
            ));
        }
        // Nothing after the direction yet: a placeholder peer there, reported by the caller.
        let (source, complete) = if content.is_empty() || content.peek(Token![,]) {
            (Ident::new(crate::kind::INTERNET, word.span()), false)
        } else {
            (content.parse()?, true)
        };
        rules.push(PortRule {
            port,
            source,
            complete,
        });
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(rules)
}
