//! How deep the tokens handed to syn may go.
//!
//! syn parses expressions, types and attributes by recursion, and so do the phases after
//! it (and `Drop`) over what it builds: a field value of a few thousand nested brackets,
//! unary operators, closures or generic arguments overflows the stack of the compiler
//! thread the macro runs on, and rustc or rust-analyzer dies instead of reporting an
//! error.
//!
//! The parser's recursion at a token is bounded by the tokens that lead to it: every
//! enclosing group, and at each level the tokens since the last `,` or `;` (a prefix
//! operator, a closure's bars or a generic's `<` each open one more frame; a separator
//! closes them). That count, the token's *depth*, is what this module bounds. Attributes
//! add nothing at their own level. The stacks in this repository reach a depth of 10, so
//! the bound leaves room for any real value and none for a runaway one.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// The deepest a token may be, counted from the start of its declaration head or field.
pub const MAX_DEPTH: usize = 64;

/// The first token deeper than [`MAX_DEPTH`], as an error at that token. The walk keeps
/// its own stack, so it never recurses however deep the input.
pub fn check(tokens: &TokenStream) -> syn::Result<()> {
    walk(tokens, |span, depth| {
        if depth > MAX_DEPTH {
            Err(too_deep(span))
        } else {
            Ok(())
        }
    })
}

/// The largest depth any token of `tokens` reaches (for measuring real stacks).
pub fn depth(tokens: &TokenStream) -> usize {
    let mut max = 0;
    let _ = walk(tokens, |_, depth| {
        max = max.max(depth);
        Ok(())
    });
    max
}

/// Walks every token with its depth, stopping at the first error `visit` returns.
fn walk(
    tokens: &TokenStream,
    mut visit: impl FnMut(Span, usize) -> syn::Result<()>,
) -> syn::Result<()> {
    let mut levels = vec![Level::new(tokens.clone())];
    // The sum of every level's run: once a token is counted, that token's depth.
    let mut depth = 0;
    while let Some(level) = levels.last_mut() {
        let Some(token) = level.tokens.next() else {
            depth -= level.run;
            levels.pop();
            continue;
        };
        let attribute = matches!(&token, TokenTree::Punct(p) if p.as_char() == '#')
            && matches!(level.tokens.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket);
        let attribute_brackets = std::mem::replace(&mut level.after_hash, attribute);
        match &token {
            TokenTree::Punct(p) if matches!(p.as_char(), ',' | ';') => {
                depth -= level.run;
                level.run = 0;
                continue;
            }
            _ if attribute || attribute_brackets => {}
            _ => {
                level.run += 1;
                depth += 1;
            }
        }
        let span = match &token {
            TokenTree::Group(g) => g.span_open(),
            other => other.span(),
        };
        visit(span, depth)?;
        if let TokenTree::Group(g) = token {
            levels.push(Level::new(g.stream()));
        }
    }
    Ok(())
}

/// One group being walked: its remaining tokens, how many have run since the last
/// separator, and whether the last was an attribute's `#`.
struct Level {
    tokens: std::iter::Peekable<proc_macro2::token_stream::IntoIter>,
    run: usize,
    after_hash: bool,
}

impl Level {
    fn new(tokens: TokenStream) -> Self {
        Level {
            tokens: tokens.into_iter().peekable(),
            run: 0,
            after_hash: false,
        }
    }
}

fn too_deep(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "this token is nested more than {MAX_DEPTH} deep, counting every enclosing group and every token since the last `,`\nhelp: no stack needs this; a value is a literal, a name, a call or a list: separate list elements with `,`, or move what is nested into a declaration of its own"
        ),
    )
}
