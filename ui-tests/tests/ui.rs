//! Wiring mistakes rustc must reject, each with its reviewed message in a `.stderr` file,
//! and wiring it must accept. Regenerate the messages with `TRYBUILD=overwrite` and
//! review the diff. `UI_CASES=ui/components` runs the cases of one directory.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    let dir = std::env::var("UI_CASES").unwrap_or_else(|_| "ui/*".to_owned());
    t.compile_fail(format!("{dir}/fail_*.rs"));
    t.pass(format!("{dir}/pass_*.rs"));
}
