//! `docs/own-app.md` is a crate that builds and runs: its `Cargo.toml` and `src/main.rs`
//! are taken from the page as they are, written to a directory outside
//! the workspace (with this checkout as `../infra`), built, and run: `list` shows both
//! stacks and the import, and the jobs stack's security group reads the network stack's
//! exported VPC id.
//!
//! The build shares the workspace's target directory, and the workspace's lock file and
//! development profile, so that it reuses what the workspace built.

use std::path::{Path, PathBuf};
use std::process::Command;

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
fn the_documented_app_builds_outside_the_workspace_and_runs() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace");
    let page = std::fs::read_to_string(workspace.join("docs/own-app.md")).expect("the page");
    let manifest = block(&page, "toml", 0);
    let main = block(&page, "rust", 0);
    assert!(
        manifest.contains("path = \"../infra/infra-cli\""),
        "{manifest}"
    );

    let dir = std::env::temp_dir().join(format!("own-app-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("a directory");
    let manifest = manifest.replace("../infra/", &format!("{}/", workspace.display()));
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("Cargo.toml");
    std::fs::write(dir.join("src/main.rs"), main).expect("main.rs");
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");

    let listed = cargo(&dir, &["list", "--output", "json"]);
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(listed.status.success(), "{stderr}");
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
    let _ = std::fs::remove_dir_all(&dir);
}
