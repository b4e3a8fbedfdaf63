//! `docs/own-app.md` shows what `infra new` makes, file for file, and that crate builds
//! and runs: made in a directory outside the workspace (depending on this checkout by
//! path), built, and run: `list` shows both stacks and the import, and the jobs stack's
//! security group reads the network stack's exported VPC id.
//!
//! The build shares the workspace's target directory, and the workspace's lock file and
//! development profile, so that it reuses what the workspace built.

use std::path::{Path, PathBuf};
use std::process::Command;

use infra_cli::new_app::{Source, create, files};

/// The `nth` fenced block of `language` in a page.
fn block(page: &str, language: &str, nth: usize) -> String {
    let section = page;
    let fence = format!("```{language}\n");
    let body = section.split(&fence).nth(nth + 1).expect("the block");
    body.split("```")
        .next()
        .expect("the block's end")
        .to_owned()
}

fn cargo(app: &Path, args: &[&str]) -> std::process::Output {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    Command::new(env!("CARGO"))
        .current_dir(app)
        .args(["run", "--quiet", "--offline"])
        .args(["--config", "profile.dev.debug=\"line-tables-only\""])
        .args(["--config", "profile.dev.package.\"*\".debug=false"])
        .arg("--")
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env("ENVIRONMENT_SUFFIX", "dev")
        .output()
        .expect("cargo runs")
}

#[test]
fn the_documented_app_is_what_infra_new_makes() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let page = std::fs::read_to_string(workspace.join("docs/own-app.md")).expect("the page");
    let made = files("team-infra", &Source::Path(PathBuf::from("../infra")));
    let made = |path: &str| {
        made.iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text.clone())
            .expect("the file")
    };
    assert_eq!(block(&page, "toml", 0), made("Cargo.toml"));
    assert_eq!(block(&page, "rust", 0), made("src/main.rs"));
}

#[test]
fn the_app_infra_new_makes_builds_outside_the_workspace_and_runs() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("own-app");
    create(&dir, Some("team-infra"), &Source::Path(workspace.clone())).expect("made");
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");

    let listed = cargo(&dir, &["list", "--output", "json"]);
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(listed.status.success(), "{stderr}");
    assert!(
        !stderr.contains("warning"),
        "a new app builds without a warning: {stderr}"
    );
    let stacks: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    assert_eq!(stacks[0]["key"], "network");
    assert_eq!(stacks[1]["key"], "jobs");
    assert_eq!(stacks[1]["imports"], serde_json::json!(["network"]));
    assert_eq!(stacks[0]["settings"][0]["flag"], "--nat-gateways");

    let synth = cargo(&dir, &["synth", "--stack", "jobs"]);
    assert!(
        synth.status.success(),
        "{}",
        String::from_utf8_lossy(&synth.stderr)
    );
    let template: serde_json::Value = serde_json::from_slice(&synth.stdout).expect("JSON");
    assert_eq!(
        template["Resources"]["Workers"]["Properties"]["VpcId"],
        serde_json::json!({ "Fn::ImportValue": "TeamNetworkdev-VpcId" })
    );
    let network = cargo(
        &dir,
        &["synth", "--stack", "network", "--nat-gateways", "0"],
    );
    let template: serde_json::Value = serde_json::from_slice(&network.stdout).expect("JSON");
    assert_eq!(
        template["Outputs"]["VpcId"]["Export"]["Name"],
        "TeamNetworkdev-VpcId"
    );
}
