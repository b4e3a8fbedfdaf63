//! Any text that tokenizes, run through parse → resolve → check → codegen as a stack and as
//! a component: no panic, no runaway time (libFuzzer's `-timeout`), no stack overflow
//! (`scripts/fuzz` runs this on a quarter of the stack rustc gives a macro), every error at
//! a span inside the input, and the generated code renders.

#![no_main]

use libfuzzer_sys::fuzz_target;
use proc_macro2::TokenStream;
use std::ffi::CString;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// The input being run, for the overflow handler to save: libFuzzer's own crash path runs
/// on the stack that just overflowed, hangs, and saves nothing.
static INPUT: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static INPUT_LEN: AtomicUsize = AtomicUsize::new(0);
/// `<artifact prefix>stack-overflow`, NUL-terminated, fixed at start-up.
static SAVE_AS: OnceLock<CString> = OnceLock::new();

/// Without AddressSanitizer, a stack overflow would kill the fuzzer silently. This handler
/// runs on a stack of its own, writes the input to `<artifact prefix>stack-overflow` with
/// async-signal-safe calls only, and exits (`scripts/fuzz` passes `-handle_segv=0` so that
/// libFuzzer leaves it in place).
fn abort_on_stack_overflow() {
    const SIZE: usize = 1 << 16;
    let prefix = std::env::args()
        .find_map(|arg| arg.strip_prefix("-artifact_prefix=").map(str::to_owned))
        .unwrap_or_default();
    // An argument holds no NUL; without the path the handler saves in the working directory.
    if let Ok(path) = CString::new(format!("{prefix}stack-overflow")) {
        let _ = SAVE_AS.set(path);
    }
    extern "C" fn on_segv(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
        const MESSAGE: &[u8] = b"dsl_text: SIGSEGV, most likely a stack overflow; the input is saved as ";
        let (input, len) = (INPUT.load(Ordering::Relaxed), INPUT_LEN.load(Ordering::Relaxed));
        // SAFETY: open(2), write(2), close(2) and _exit(2) are async-signal-safe; the path
        // and the input outlive the call (the input is libFuzzer's, still being run).
        unsafe {
            let path = SAVE_AS.get().map_or(c"stack-overflow", |p| p.as_c_str());
            let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, 0o644);
            if fd >= 0 && !input.is_null() {
                libc::write(fd, input.cast(), len);
                libc::close(fd);
            }
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::write(2, path.as_ptr().cast(), path.count_bytes());
            libc::write(2, b"\n".as_ptr().cast(), 1);
            libc::_exit(77);
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
    INPUT.store(data.as_ptr().cast_mut(), Ordering::Relaxed);
    INPUT_LEN.store(data.len(), Ordering::Relaxed);
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
