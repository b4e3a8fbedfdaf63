//! Helpers shared by the integration tests and the benchmarks: generated stacks of any
//! size, and the external validators the tests run.

pub mod lsp;

use std::path::{Path, PathBuf};
use std::process::Command;

use infra_runtime::aws::ec2::{security_group, subnet, vpc};
use infra_runtime::intrinsic::{get_azs, select};
use infra_runtime::{Stack, Tag};

/// A stack of `resources` resources: one VPC, then subnets and security groups in it,
/// alternating, each with a distinct CIDR or description and a tag.
pub fn wide_stack(resources: usize) -> Stack {
    let mut stack = Stack::new();
    stack.default_tag("Environment", "bench");
    let vpc = stack.add(
        "Vpc",
        vpc::Vpc {
            cidr_block: Some("10.0.0.0/8".into()),
            ..Default::default()
        },
    );
    for i in 1..resources {
        if i % 2 == 1 {
            stack.add(
                &format!("Subnet{i}"),
                subnet::Subnet {
                    vpc_id: vpc.id(),
                    cidr_block: Some(format!("10.{}.{}.0/24", i / 256, i % 256).into()),
                    availability_zone: Some(select((i % 3) as u32, get_azs())),
                    tags: Some(vec![Tag::new("Index", i.to_string())]),
                    ..Default::default()
                },
            );
        } else {
            stack.add(
                &format!("SecurityGroup{i}"),
                security_group::SecurityGroup {
                    group_description: format!("Group number {i}").into(),
                    vpc_id: Some(vpc.id()),
                    ..Default::default()
                },
            );
        }
    }
    stack
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The cfn-lint that `scripts/setup` installs (or `INFRA_CFN_LINT`).
pub fn cfn_lint() -> Result<PathBuf, String> {
    let path = std::env::var_os("INFRA_CFN_LINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".tools/venv/bin/cfn-lint"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "cfn-lint is not installed at {}; run `scripts/setup` (the README's test command does)",
            path.display()
        ))
    }
}

/// Runs cfn-lint with informational checks on a template file; returns its findings
/// (empty when it reports nothing) or why it could not run.
pub fn lint_template(template: &Path) -> Result<String, String> {
    let output = Command::new(cfn_lint()?)
        .args([
            "--include-checks",
            "I",
            "--regions",
            "eu-west-2",
            "--format",
            "parseable",
            "--",
        ])
        .arg(template)
        .output()
        .map_err(|e| format!("cannot run cfn-lint: {e}"))?;
    let findings = String::from_utf8_lossy(&output.stdout).into_owned();
    match output.status.code() {
        Some(0) => Ok(String::new()),
        // cfn-lint's exit code is a bit mask of error (2), warning (4) and info (8) findings.
        Some(code) if code & 1 == 0 && code < 16 => Ok(findings),
        _ => Err(format!(
            "cfn-lint failed: {}{}",
            findings,
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// Writes `template` to a temporary `<name>.json` and asserts that cfn-lint, with its
/// informational checks, finds nothing in it.
pub fn assert_lints_clean(template: &infra_runtime::Template, name: &str) {
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join(format!("{name}.json"));
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(
        findings.is_empty(),
        "cfn-lint findings in {name}:\n{findings}"
    );
}

/// The checkov that `scripts/setup` installs (or `INFRA_CHECKOV`).
pub fn checkov() -> Result<PathBuf, String> {
    let path = std::env::var_os("INFRA_CHECKOV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".tools/checkov/bin/checkov"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "checkov is not installed at {}; run `scripts/setup` (the README's test command does)",
            path.display()
        ))
    }
}

/// What checkov reports on a CloudFormation template.
#[derive(Debug)]
pub struct CheckovReport {
    /// `(check id, resource)` for every failed check.
    pub failed: Vec<(String, String)>,
    /// `(check id, resource, the template's written reason)` for every suppressed check.
    pub skipped: Vec<(String, String, String)>,
    /// How many checks passed.
    pub passed: u64,
}

/// Runs `checkov --framework cloudformation` offline on a template file.
pub fn checkov_template(template: &Path) -> Result<CheckovReport, String> {
    let output = Command::new(checkov()?)
        .args([
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--skip-download",
            "-f",
        ])
        .arg(template)
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .map_err(|e| format!("cannot run checkov: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "checkov did not print a JSON report ({e}): {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let results = &report["results"];
    let list = |key: &str| results[key].as_array().cloned().unwrap_or_default();
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    Ok(CheckovReport {
        failed: list("failed_checks")
            .iter()
            .map(|c| (text(c, "check_id"), text(c, "resource")))
            .collect(),
        skipped: list("skipped_checks")
            .iter()
            .map(|c| {
                (
                    text(c, "check_id"),
                    text(c, "resource"),
                    text(&c["check_result"], "suppress_comment"),
                )
            })
            .collect(),
        passed: report["summary"]["passed"].as_u64().unwrap_or_default(),
    })
}

/// The parliament (an IAM policy linter) that `scripts/setup` installs (or
/// `INFRA_PARLIAMENT`).
pub fn parliament() -> Result<PathBuf, String> {
    let path = std::env::var_os("INFRA_PARLIAMENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".tools/parliament/bin/parliament"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "parliament is not installed at {}; run `scripts/setup` (the README's test command does)",
            path.display()
        ))
    }
}

/// Runs parliament on every `.json` policy document of a directory; returns its findings
/// (empty when it reports nothing) or why it could not run.
pub fn parliament_directory(dir: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(parliament()?)
        .args([
            "--include_policy_extension",
            ".json",
            "--json",
            "--directory",
        ])
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run parliament: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let findings: Vec<String> = stdout.lines().map(str::to_owned).collect();
    match output.status.code() {
        Some(0) | Some(1) if output.status.success() == findings.is_empty() => Ok(findings),
        _ => Err(format!(
            "parliament failed ({}): {stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}
