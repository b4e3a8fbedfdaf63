//! Compile-fail cases live in `ui/`, driven by `tests/ui.rs`.
