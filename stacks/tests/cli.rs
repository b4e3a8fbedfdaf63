//! The `stacks` binary, end to end.

use std::process::Command;

fn stacks() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stacks"))
}

#[test]
fn synth_prints_the_compact_template_and_exits_zero() {
    let out = stacks().arg("synth").output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let expected = stacks::sample::sample_stack().synth().expect("synthesizes");
    assert_eq!(text, format!("{}\n", expected.body()));
}

#[test]
fn synth_out_writes_the_file_and_nothing_to_stdout() {
    let dir = std::env::temp_dir().join(format!("stacks-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("template.json");
    let out = stacks()
        .args(["synth", "--pretty", "--out"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&path).expect("file written");
    let parsed: serde_json::Value = serde_json::from_str(&written).expect("valid JSON");
    assert_eq!(parsed["Resources"]["Vpc"]["Type"], "AWS::EC2::VPC");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left behind: {leftovers:?}"
    );
}

#[test]
fn an_unwritable_out_path_is_one_clear_line_and_exit_one() {
    let out = stacks()
        .args(["synth", "--out", "/nonexistent-dir/template.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.starts_with("error: cannot write the template to /nonexistent-dir/template.json:"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn help_explains_synth() {
    let out = stacks().args(["synth", "--help"]).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("deterministic"), "{text}");
    assert!(text.contains("--out <PATH>"), "{text}");
}
