//! Replays `tests/corpus/*.stack`: inputs that once broke something (an error reported
//! outside the input, a logical id CloudFormation refuses, a CIDR read two ways, nesting
//! that overflowed the stack). Each must expand without panicking, report every error
//! inside the input, and, where the file's first line says `// expect: …`, report that
//! message.

use proc_macro2::TokenStream;

#[test]
fn the_committed_corpus_replays_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 11, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect:"))
            .map(str::trim)
            .unwrap_or_default();
        let tokens: TokenStream = text.parse().expect("the corpus tokenizes");
        let expansion = infra_dsl::analyze(tokens);
        let lines: Vec<&str> = text.split('\n').collect();
        let messages = expansion.diagnostics.messages();
        for (span, message) in expansion.diagnostics.spans().into_iter().zip(&messages) {
            let start = span.start();
            assert!(
                start.line >= 2
                    && start.line <= lines.len()
                    && start.column <= lines[start.line - 1].len(),
                "{}: `{message}` is at {start:?}, outside the input",
                path.display()
            );
        }
        if expect.is_empty() {
            assert!(messages.is_empty(), "{}: {messages:?}", path.display());
        } else {
            assert!(
                messages.iter().any(|m| m.contains(expect)),
                "{}: expected `{expect}` in {messages:?}",
                path.display()
            );
        }
        let code = expansion.code.to_string();
        assert!(
            !code.contains("\"R#"),
            "{}: logical ids keep raw-identifier marks",
            path.display()
        );
    }
}
