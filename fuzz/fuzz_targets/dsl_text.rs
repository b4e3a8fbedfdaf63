//! Any text that tokenizes, run through parse → resolve → check → codegen as a stack and as
//! a component: no panic, no runaway time (libFuzzer's `-timeout`), no stack overflow
//! (`scripts/fuzz` runs this on a quarter of the stack rustc gives a macro), every error at
//! a span inside the input, and the generated code renders.

#![no_main]

use libfuzzer_sys::fuzz_target;
use proc_macro2::TokenStream;

/// Without AddressSanitizer, a stack overflow would kill the fuzzer silently: libFuzzer's
/// crash handler runs on the stack that just overflowed, so the input is never saved. This
/// handler runs on a stack of its own and aborts, and libFuzzer saves the input on the
/// abort (`scripts/fuzz` passes `-handle_segv=0` so that libFuzzer leaves it in place).
fn abort_on_stack_overflow() {
    const SIZE: usize = 1 << 16;
    extern "C" fn on_segv(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
        const MESSAGE: &[u8] = b"dsl_text: SIGSEGV, most likely a stack overflow\n";
        // SAFETY: write(2) and abort(3) are async-signal-safe.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::abort();
        }
    }
    // SAFETY: the alternate stack is leaked, so it outlives every signal; the action is
    // fully initialised before it is installed.
    unsafe {
        let stack = Box::leak(vec![0u8; SIZE].into_boxed_slice());
        let alternate = libc::stack_t { ss_sp: stack.as_mut_ptr().cast(), ss_flags: 0, ss_size: SIZE };
        assert_eq!(libc::sigaltstack(&alternate, std::ptr::null_mut()), 0, "sigaltstack");
        let mut action: libc::sigaction = std::mem::zeroed();
        let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = on_segv;
        action.sa_sigaction = handler as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        assert_eq!(libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut()), 0, "sigaction");
    }
}

fuzz_target!(init: abort_on_stack_overflow(), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(tokens) = text.parse::<TokenStream>() {
        let empty = tokens.is_empty();
        let lines: Vec<&str> = text.split('\n').collect();
        // The same text as a stack's body and as a component's.
        for mode in [infra_dsl::Mode::Stack, infra_dsl::Mode::Component] {
            let expansion = infra_dsl::analyze_as(tokens.clone(), mode);
            for (span, message) in expansion.diagnostics.spans().into_iter().zip(expansion.diagnostics.messages()) {
                let start = span.start();
                let inside = start.line >= 1
                    && start.line <= lines.len()
                    && start.column <= lines[start.line - 1].chars().count();
                assert!(inside || empty, "error outside the input at {start:?}: {message}");
            }
            let _ = expansion.code.to_string();
        }
    }
    // Spans accumulate in a thread-local source map; start afresh every input.
    proc_macro2::extra::invalidate_current_thread_spans();
});
