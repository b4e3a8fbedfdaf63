//! Values nested or strung out far past any real stack are reported at the token where
//! they cross the bound, instead of overflowing the compiler's stack; up to the bound,
//! every construct syn parses by recursion fits in a quarter of that stack.

use infra_dsl::bounds::{self, MAX_DEPTH};
use proc_macro2::TokenStream;

/// rustc runs macros on a thread with an 8 MiB stack (rust-analyzer's expansion threads
/// have the same).
const COMPILER_STACK: usize = 8 << 20;

/// Openings syn recurses on, each with what closes it.
const CONSTRUCTS: &[(&str, &str)] = &[
    ("[", "]"),
    ("(", ")"),
    ("{ ", " }"),
    ("f(", ")"),
    ("-", ""),
    ("!", ""),
    ("*", ""),
    ("&mut ", ""),
    ("return ", ""),
    ("|x| ", ""),
    ("move || ", ""),
    ("x::<A<", ""),
    ("if x { ", " } else { y }"),
];

fn value(open: &str, close: &str, times: usize) -> String {
    format!("{}x{}", open.repeat(times), close.repeat(times))
}

fn stack(value: &str) -> String {
    format!("pub stack S {{ region: \"eu-west-2\" }}\nbucket b {{ encryption: {value} }}\n")
}

/// The messages for `text`, analysed on a thread with `stack` bytes of stack: a stack
/// overflow aborts the test binary, which fails the test.
fn analyze_with_stack(text: String, stack: usize) -> Vec<(String, proc_macro2::LineColumn)> {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let tokens: TokenStream = text.parse().expect("tokenizes");
            let expansion = infra_dsl::analyze(tokens);
            let _ = expansion.code.to_string();
            let spans = expansion.diagnostics.spans();
            expansion
                .diagnostics
                .messages()
                .into_iter()
                .zip(spans.iter().map(|s| s.start()))
                .collect()
        })
        .expect("spawn")
        .join()
        .expect("analysis panicked")
}

fn too_deep(
    messages: &[(String, proc_macro2::LineColumn)],
) -> Vec<&(String, proc_macro2::LineColumn)> {
    messages
        .iter()
        .filter(|(m, _)| m.contains(&format!("nested more than {MAX_DEPTH} deep")))
        .collect()
}

#[test]
fn far_past_the_bound_is_one_error_not_an_overflow() {
    for (open, close) in CONSTRUCTS {
        let messages = analyze_with_stack(stack(&value(open, close, 5000)), COMPILER_STACK);
        let errors = too_deep(&messages);
        assert_eq!(errors.len(), 1, "`{open}`: {messages:#?}");
        assert_eq!(
            errors[0].1.line, 2,
            "`{open}`: the error is on the bucket's line"
        );
        assert_eq!(
            messages.len(),
            1,
            "`{open}`: nothing else is reported: {messages:#?}"
        );
    }
}

#[test]
fn up_to_the_bound_fits_a_quarter_of_the_compilers_stack() {
    for (open, close) in CONSTRUCTS {
        let field = |times: usize| format!("encryption: {}", value(open, close, times));
        let depth = |times: usize| bounds::depth(&field(times).parse().expect("tokenizes"));
        let deepest = (1..)
            .take_while(|times| depth(*times) <= MAX_DEPTH)
            .last()
            .expect("one fits");
        assert!(
            depth(deepest) > MAX_DEPTH - 8,
            "`{open}` {deepest} times reaches only {}",
            depth(deepest)
        );
        let messages = analyze_with_stack(stack(&value(open, close, deepest)), COMPILER_STACK / 4);
        assert!(
            too_deep(&messages).is_empty(),
            "`{open}` {deepest} times: {messages:#?}"
        );
    }
}

#[test]
fn the_error_points_at_the_first_token_past_the_bound() {
    // `encryption` is 1 deep and `:` 2, so the k-th `[` is k + 2 deep.
    let text = stack(&value("[", "]", 100));
    let messages = analyze_with_stack(text.clone(), COMPILER_STACK);
    let line = text.lines().nth(1).expect("the bucket's line");
    let first_bracket = line.find('[').expect("a bracket");
    let expected = first_bracket + (MAX_DEPTH + 1 - 2) - 1;
    assert_eq!(too_deep(&messages)[0].1.column, expected, "{line}");
}

#[test]
fn separators_and_attributes_do_not_add_depth() {
    let long_list = format!(
        "[{}]",
        (0..500)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert_eq!(
        bounds::depth(&format!("cidrs: {long_list}").parse().expect("tokenizes")),
        4
    );
    let documented: String = (0..200)
        .map(|i| format!("/// line {i}\n"))
        .collect::<String>()
        + "port: 443";
    assert_eq!(bounds::depth(&documented.parse().expect("tokenizes")), 3);
    let semicolons = format!("f({{ {} }})", "a; ".repeat(300));
    assert_eq!(bounds::depth(&semicolons.parse().expect("tokenizes")), 4);
}

#[test]
fn declaration_heads_are_bounded_too() {
    let deep_type = value("Option<", ">", 2000);
    let text = format!("pub stack S {{ region: \"eu-west-2\" }}\nresource r: {deep_type} {{}}\n");
    let messages = analyze_with_stack(text, COMPILER_STACK);
    assert_eq!(too_deep(&messages).len(), 1, "{messages:#?}");
    let attribute = format!(
        "#[doc = {}]\nbucket b {{ encryption: s3_managed }}",
        value("-", "", 5000)
    );
    let messages = analyze_with_stack(
        format!("pub stack S {{ region: \"eu-west-2\" }}\n{attribute}"),
        COMPILER_STACK,
    );
    assert_eq!(too_deep(&messages).len(), 1, "{messages:#?}");
}
