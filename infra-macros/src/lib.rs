//! The `stack!` macro's entry point. The DSL (parser, checker, code generator) is not
//! written yet; stacks are written against `infra_runtime`'s typed model directly.
