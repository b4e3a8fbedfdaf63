//! The rule catalogue (`docs/rules.md`) against the cases: every rule names at least one
//! case, every case it names exists (a file of `ui-tests/`, or a test function of
//! `tests/tests/`), ids are unique, and every compile-fail case of `ui-tests/ui/` belongs
//! to a rule of the catalogue, so a new case cannot land without saying what it covers.

use std::collections::BTreeSet;
use std::path::Path;

use tests::workspace_root;

/// One row of the catalogue: its id and the cases of its last three columns.
struct Rule {
    id: String,
    cases: Vec<String>,
}

fn rules(text: &str) -> Vec<Rule> {
    text.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| id ") && !l.starts_with("|---"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 6, "a row has six cells: {line}");
            let cases = cells[3..]
                .iter()
                .flat_map(|cell| cell.split(", "))
                .map(str::trim)
                .filter(|c| *c != "—")
                .map(str::to_owned)
                .collect();
            Rule {
                id: cells[0].to_owned(),
                cases,
            }
        })
        .collect()
}

/// Whether a case names something that exists.
fn exists(root: &Path, case: &str) -> bool {
    match case.split_once("::") {
        Some((file, test)) => std::fs::read_to_string(root.join("tests/tests").join(file))
            .is_ok_and(|source| source.contains(&format!("fn {test}("))),
        None => case.starts_with("ui/") && root.join("ui-tests").join(case).is_file(),
    }
}

#[test]
fn every_rule_has_cases_that_exist_and_every_case_has_a_rule() {
    let root = workspace_root();
    let text = std::fs::read_to_string(root.join("docs/rules.md")).expect("docs/rules.md");
    let rules = rules(&text);
    assert!(
        rules.len() > 40,
        "the catalogue lists the rules: {}",
        rules.len()
    );

    let mut ids = BTreeSet::new();
    let mut named = BTreeSet::new();
    for rule in &rules {
        assert!(ids.insert(rule.id.clone()), "`{}` is listed twice", rule.id);
        assert!(!rule.cases.is_empty(), "rule `{}` has no case", rule.id);
        for case in &rule.cases {
            assert!(
                exists(&root, case),
                "rule `{}` names `{case}`, which does not exist",
                rule.id
            );
            named.insert(case.clone());
        }
    }

    let ui = root.join("ui-tests/ui");
    let mut missing = Vec::new();
    for family in std::fs::read_dir(&ui).expect("ui-tests/ui").flatten() {
        for file in std::fs::read_dir(family.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.starts_with("fail_") && name.ends_with(".rs") {
                let case = format!("ui/{}/{name}", family.file_name().to_string_lossy());
                if !named.contains(&case) {
                    missing.push(case);
                }
            }
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "compile-fail cases no rule of docs/rules.md names: {missing:?}"
    );
}
