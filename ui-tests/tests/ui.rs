//! Wiring mistakes rustc must reject, each with its reviewed message in a `.stderr` file,
//! and wiring it must accept. Regenerate the messages with `TRYBUILD=overwrite` and
//! review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*/fail_*.rs");
    t.pass("ui/*/pass_*.rs");
}
