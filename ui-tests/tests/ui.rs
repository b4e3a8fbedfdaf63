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

/// A rule's message quotes no source of the runtime's plumbing: each check is a trait
/// named at the user's token or a panic in the generated code, never a call into a
/// function whose bound or body rustc would print ("required by a bound in", "inside").
#[test]
fn no_note_of_a_rule_quotes_the_runtime_plumbing() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut quoting = Vec::new();
    for dir in std::fs::read_dir(&root).expect("ui cases") {
        let dir = dir.expect("entry").path();
        for case in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = case.path();
            if path.extension().is_some_and(|e| e == "stderr") {
                let text = std::fs::read_to_string(&path).expect("stderr");
                quoting.extend(notes_into_facts(&text).map(|n| format!("{}: {n}", path.display())));
            }
        }
    }
    assert!(quoting.is_empty(), "{quoting:#?}");
}

/// The runtime's files that exist for generated code: the facts types carry across files,
/// and what an importing stack reads of another.
const PLUMBING: [&str; 2] = [
    "infra-runtime/src/construct/facts.rs",
    "infra-runtime/src/app.rs",
];

/// The notes of `stderr` that lead into the runtime's plumbing through a function's bound
/// or a const evaluation inside one.
fn notes_into_facts(stderr: &str) -> impl Iterator<Item = String> + '_ {
    let lines: Vec<&str> = stderr.lines().collect();
    let starts = |line: &str| {
        ["error", "warning", "note:", "help:"]
            .iter()
            .any(|s| line.starts_with(s))
    };
    (0..lines.len()).filter_map(move |i| {
        let line = lines[i];
        let note =
            line.starts_with("note: required by a bound in") || line.starts_with("note: inside `");
        let mut body = lines[i + 1..].iter().take_while(|l| !starts(l));
        (note && body.any(|l| PLUMBING.iter().any(|file| l.contains(file))))
            .then(|| line.to_owned())
    })
}
