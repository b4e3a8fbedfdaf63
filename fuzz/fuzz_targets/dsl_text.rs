//! Any text that tokenizes, run through parse → resolve → check → codegen: no panic, no
//! runaway time (libFuzzer's `-timeout`), every error at a span inside the input, and the
//! generated code renders.

#![no_main]

use libfuzzer_sys::fuzz_target;
use proc_macro2::TokenStream;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(tokens) = text.parse::<TokenStream>() {
        let empty = tokens.is_empty();
        let expansion = infra_dsl::analyze(tokens);
        let lines: Vec<&str> = text.split('\n').collect();
        for (span, message) in expansion.diagnostics.spans().into_iter().zip(expansion.diagnostics.messages()) {
            let start = span.start();
            let inside = start.line >= 1
                && start.line <= lines.len()
                && start.column <= lines[start.line - 1].chars().count();
            assert!(inside || empty, "error outside the input at {start:?}: {message}");
        }
        let _ = expansion.code.to_string();
    }
    // Spans accumulate in a thread-local source map; start afresh every input.
    proc_macro2::extra::invalidate_current_thread_spans();
});
