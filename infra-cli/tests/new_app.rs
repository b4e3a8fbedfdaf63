//! `infra new` end to end: it makes the app's three files, depending on the checkout it
//! was built from (or on a git URL), and says what to run next; it refuses a directory
//! that is not empty, a name Cargo would refuse and a path that is no checkout, each in
//! one line, writing nothing; `--rev` without `--git` is a usage error.

use std::process::{Command, Output};

fn infra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .output()
        .expect("infra runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn new_makes_the_app_depending_on_this_checkout() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("ops-infra");
    let out = infra(&["new", dir.to_str().expect("UTF-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("next: cd "), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("name = \"ops-infra\""), "{manifest}");
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the checkout");
    assert!(
        manifest.contains(&format!("path = \"{}/infra-cli\"", checkout.display())),
        "{manifest}"
    );
    let main = std::fs::read_to_string(dir.join("src/main.rs")).expect("main.rs");
    assert!(
        main.contains("infra_cli::App::new(\"ops-infra\")"),
        "{main}"
    );
    assert!(dir.join(".gitignore").is_file());
}

#[test]
fn new_takes_a_git_source_and_a_name() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("x");
    let out = infra(&[
        "new",
        dir.to_str().expect("UTF-8"),
        "--name",
        "platform",
        "--git",
        "https://example.org/infra.git",
        "--rev",
        "v1",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("infra-cli = { git = \"https://example.org/infra.git\", rev = \"v1\" }"),
        "{manifest}"
    );
    assert!(manifest.contains("name = \"platform\""), "{manifest}");
}

#[test]
fn new_refuses_in_one_line_and_writes_nothing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let taken = temp.path().join("taken");
    std::fs::create_dir_all(&taken).expect("dir");
    std::fs::write(taken.join("notes.txt"), "mine").expect("a file");
    let out = infra(&["new", taken.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not empty; nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(&taken).expect("dir").count(),
        1,
        "only the user's file"
    );

    let bad = temp.path().join("9lives");
    let out = infra(&["new", bad.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("it must start with a letter; give another with --name"),
        "{}",
        stderr(&out)
    );
    assert!(!bad.exists(), "nothing was made");

    let elsewhere = temp.path().join("app");
    let out = infra(&[
        "new",
        elsewhere.to_str().expect("UTF-8"),
        "--path",
        temp.path().to_str().expect("UTF-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a checkout of this project"),
        "{}",
        stderr(&out)
    );
    assert!(!elsewhere.exists(), "nothing was made");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));

    let out = infra(&["new", elsewhere.to_str().expect("UTF-8"), "--rev", "v1"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a usage error: {}",
        stderr(&out)
    );
}
