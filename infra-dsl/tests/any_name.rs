//! Every identifier the macro derives from a user's name (marker types, constants,
//! logical ids, tier constants) must be valid for any name Rust accepts. The repository's
//! own stacks and components are the inputs: one identifier at a time, anywhere in a
//! body, is replaced by an awkward name (raw, a leading `_` and digit, underscores only,
//! upper case), and the expansion must neither panic nor report an error outside its input.

use proc_macro2::{Delimiter, Group, Ident, TokenStream, TokenTree};
use proptest::prelude::*;

/// The source files of the repository's `stacks` crate, read once for every case.
fn sources() -> &'static [String] {
    static SOURCES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SOURCES.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks/src");
        let mut files = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("stacks/src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
            .iter()
            .map(|path| std::fs::read_to_string(path).expect("read"))
            .collect()
    })
}

/// The bodies of every `stack!` and `component!` in the repository's `stacks` crate,
/// with the mode each is expanded in and its file's line count.
fn bodies() -> Vec<(TokenStream, infra_dsl::Mode, usize)> {
    let mut out = Vec::new();
    for text in sources() {
        let tokens: TokenStream = text.parse().expect("a source file tokenizes");
        collect(tokens, text.lines().count(), &mut out);
    }
    out
}

/// `stack! { … }` and `component! { … }` wherever they occur, nested groups included.
fn collect(
    tokens: TokenStream,
    lines: usize,
    out: &mut Vec<(TokenStream, infra_dsl::Mode, usize)>,
) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            let call = match (
                i.checked_sub(2).map(|j| &trees[j]),
                i.checked_sub(1).map(|j| &trees[j]),
            ) {
                (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(bang)))
                    if bang.as_char() == '!' =>
                {
                    Some(name.to_string())
                }
                _ => None,
            };
            match call.as_deref() {
                Some("stack") if group.delimiter() == Delimiter::Brace => {
                    out.push((group.stream(), infra_dsl::Mode::Stack, lines));
                }
                Some("component") if group.delimiter() == Delimiter::Brace => {
                    out.push((group.stream(), infra_dsl::Mode::Component, lines));
                }
                _ => collect(group.stream(), lines, out),
            }
        }
    }
}

fn count_idents(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(_) => 1,
            TokenTree::Group(group) => count_idents(&group.stream()),
            _ => 0,
        })
        .sum()
}

/// The body with its `index`-th identifier (depth first) renamed to `name`, at its span.
fn rename(tokens: TokenStream, index: &mut usize, name: &str) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) => {
                let hit = *index == 0;
                *index = index.wrapping_sub(1);
                if !hit {
                    return TokenTree::Ident(ident);
                }
                let renamed = match name.strip_prefix("r#") {
                    Some(raw) => Ident::new_raw(raw, ident.span()),
                    None => Ident::new(name, ident.span()),
                };
                TokenTree::Ident(renamed)
            }
            TokenTree::Group(group) => {
                let mut renamed =
                    Group::new(group.delimiter(), rename(group.stream(), index, name));
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            other => other,
        })
        .collect()
}

fn awkward_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,10}",
        "_[0-9][a-z0-9_]{0,6}",
        "_{2,3}",
        "[A-Z][A-Za-z0-9_]{0,8}",
        "r#(type|match|fn|async|loop|database|public|private|move|dyn)",
    ]
}

/// Expands `body` with its `position`-th identifier renamed: no panic, every error inside
/// the input, the code renders.
fn expand_renamed(
    body: &TokenStream,
    mode: infra_dsl::Mode,
    lines: usize,
    position: usize,
    name: &str,
) -> Result<(), String> {
    let mut index = position;
    let renamed = rename(body.clone(), &mut index, name);
    let expansion = infra_dsl::analyze_as(renamed, mode);
    for (span, message) in expansion
        .diagnostics
        .spans()
        .into_iter()
        .zip(expansion.diagnostics.messages())
    {
        let line = span.start().line;
        if !(1..=lines).contains(&line) {
            return Err(format!(
                "`{name}` at identifier {position}: `{message}` at line {line}"
            ));
        }
    }
    let _ = expansion.code.to_string();
    Ok(())
}

/// Every position of every body with one name of each awkward family.
#[test]
fn each_awkward_family_at_every_position_expands() {
    let bodies = bodies();
    assert!(bodies.len() >= 10, "{} bodies", bodies.len());
    assert!(
        bodies
            .iter()
            .any(|(_, mode, _)| *mode == infra_dsl::Mode::Component)
    );
    let names = ["r#type", "_0app", "__", "Upper_case", "r#database"];
    for (body, mode, lines) in &bodies {
        for position in 0..count_idents(body) {
            for name in names {
                if let Err(message) = expand_renamed(body, *mode, *lines, position, name) {
                    panic!("{message}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn any_name_at_any_position_expands(
        which in any::<prop::sample::Index>(),
        position in any::<prop::sample::Index>(),
        name in awkward_name(),
    ) {
        let bodies = bodies();
        let (body, mode, lines) = &bodies[which.index(bodies.len())];
        let position = position.index(count_idents(body));
        if let Err(message) = expand_renamed(body, *mode, *lines, position, &name) {
            prop_assert!(false, "{}", message);
        }
    }
}
