//! Completion inside `stack!`, asked of a real rust-analyzer over LSP: property names of
//! the raw resource being written, names of the stack's declarations at a reference
//! position, the fields of a construct (of another crate too), the inputs of a component,
//! the tiers after `network.`, grant verbs and their resources inside `grants: [ … ]`, and
//! only groups and `internet` after `from`; grant verbs and their resources inside a
//! component too; after a `.` being typed, the handles of an instance or input component
//! and the methods of a handle, in a field, an environment, an output or another
//! component's input, inside a call too; a table's key type being typed, and a step's
//! argument.
//!
//! The fixture is a one-crate workspace under `target/completion-fixture` that depends on
//! `infra-macros` and `infra-runtime` by path; rust-analyzer builds the macro, expands it
//! through its proc-macro server, and completes the edited (unsaved) text.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tests::lsp::LspClient;
use tests::workspace_root;

const FIXTURE: &str = r#"use infra_macros::stack;

mod parts {
    use infra_runtime::construct::Network;

    infra_macros::component! {
        pub component Edge {}
        input network: &Network;
        input open_port: u16;
        pub security_group edge_sg in network { ingress: [443 from internet] }
    }

    infra_macros::component! {
        pub component Jobs {}
        input network: &Network;
        input edge: &Edge;
        pub function job {
            code: inline("def handler(event, context):\n    return None\n"),
            handler: "index.handler",
            subnets: network.private,
            security_group: edge./*COMPONENT_HANDLE*/,
        }
    }

    infra_macros::component! {
        pub component Net {}
        pub vpc network {
            cidr: "10.1.0.0/16",
            public: ["10.1.1.0/24", "10.1.2.0/24"],
            private: ["10.1.11.0/24", "10.1.12.0/24"],
        }
    }

    infra_macros::component! {
        pub component Workers {}
        pub log_group worker_logs { retention_days: 365 }
        pub role worker_role { assumed_by: ecs_tasks, grants: [/*COMPONENT_GRANT*/] }
    }
}

stack! {
    pub stack Probe { region: "eu-west-2" }
    vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        /*CONSTRUCT*/
    }
    security_group alb_sg in network { ingress: [443 from internet] }
    security_group app_sg in network { ingress: [8080 from alb_sg] }
    security_group db_sg in network { ingress: [3306 from /*SOURCE*/] }
    log_group app_logs { retention_days: 365 }
    role exec { assumed_by: ecs_tasks, grants: [/*GRANT*/] }
    resource extra_subnet: ec2::Subnet {
        vpc_id: ::core::convert::identity(network./*NESTED*/),
        /*PROPERTY*/
    }
    resource events: kinesis::Stream {
        shard_count: Some(1.into()),
        stream_mode_details: Some(stream::/*RAW_NESTED*/ { stream_mode: stream::StreamMode::Provisioned.into() }),
        /*RAW_PROPERTY*/
    }
    load_balancer web {
        internet_facing: true,
        subnets: network./*TIER*/,
        security_group: /*REFERENCE*/,
        allow_plain_http: true,
    }
    construct jobs: extra_constructs::WorkQueue { key: None, /*USER*/ }
    construct edge: parts::Edge { network: &network, /*INPUT*/ }
    queue tasks {}
    table keyed { partition_key: /*KEY*/ }
    function probe {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        environment: { Q: tasks./*METHOD*/, R: /*ENVREF*/ },
    }
    state_machine flow { steps: [invoke(/*STEP_ARG*/)], logs: app_logs }
    construct net2: parts::Net {}
    load_balancer inner2 {
        internet_facing: false,
        subnets: net2.network./*INSTANCE_TIER*/,
        security_group: db_sg,
    }
    output q_url { value: tasks./*OUTPUT*/ }
    construct edge3: parts::Edge { network: &net2./*INSTANCE_INPUT*/, open_port: 1 }
    load_balancer inner {
        internet_facing: false,
        subnets: network.private,
        security_group: edge./*INSTANCE*/,
    }
}

fn main() {}
"#;

fn rust_analyzer() -> PathBuf {
    if let Some(path) = std::env::var_os("INFRA_RUST_ANALYZER") {
        return PathBuf::from(path);
    }
    let output = Command::new("rustup")
        .args(["which", "rust-analyzer"])
        .output()
        .expect("rustup runs");
    assert!(
        output.status.success(),
        "rust-analyzer is not installed; `rustup component add rust-analyzer` (the README's test command does it)"
    );
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
}

/// The fixture text with one marker replaced by a partial word (and what closes it, so
/// that brackets stay balanced) and the others by valid text; returns the text and the
/// cursor (line, character) just after the partial word.
fn edit(marker: &str, partial: &str, closing: &str) -> (String, u32, u32) {
    let fillers = [
        ("/*CONSTRUCT*/", ""),
        ("/*PROPERTY*/", ""),
        ("/*RAW_PROPERTY*/", ""),
        ("/*RAW_NESTED*/", "StreamModeDetails"),
        ("/*REFERENCE*/", "alb_sg"),
        ("/*TIER*/", "public"),
        ("/*GRANT*/", "write_logs(app_logs)"),
        ("/*SOURCE*/", "app_sg"),
        ("/*USER*/", ".."),
        ("/*INPUT*/", "open_port: 443"),
        ("/*COMPONENT_GRANT*/", "write_logs(worker_logs)"),
        ("/*COMPONENT_HANDLE*/", "edge_sg"),
        ("/*METHOD*/", "url()"),
        ("/*ENVREF*/", "\"x\""),
        ("/*INSTANCE*/", "edge_sg"),
        ("/*NESTED*/", "vpc_id()"),
        ("/*INSTANCE_TIER*/", "private"),
        ("/*OUTPUT*/", "url()"),
        ("/*INSTANCE_INPUT*/", "network"),
        ("/*KEY*/", "string(\"id\")"),
        ("/*STEP_ARG*/", "probe"),
    ];
    let mut text = FIXTURE.to_owned();
    for (m, filler) in fillers {
        if m != marker {
            text = text.replace(m, filler);
        }
    }
    let offset = text.find(marker).expect("marker");
    text = text.replacen(marker, &format!("{partial}{closing}"), 1);
    let before = &text[..offset + partial.len()];
    let line = before.matches('\n').count() as u32;
    let character = before.rsplit('\n').next().map_or(0, str::len) as u32;
    (text, line, character)
}

fn write_fixture(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).expect("fixture dir");
    let root = workspace_root().canonicalize().expect("workspace root");
    let manifest = format!(
        "[package]\nname = \"completion-fixture\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ninfra-macros = {{ path = {macros:?} }}\ninfra-runtime = {{ path = {runtime:?} }}\n\
         extra-constructs = {{ path = {extra:?} }}\n\n[workspace]\n",
        macros = root.join("infra-macros").display().to_string(),
        runtime = root.join("infra-runtime").display().to_string(),
        extra = root.join("extra-constructs").display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    // The workspace's lock file pins the same versions, so nothing new is resolved.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    let (valid, _, _) = edit("/*CONSTRUCT*/", "", "");
    std::fs::write(dir.join("src/main.rs"), valid).expect("source");
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.get("items").unwrap_or(result);
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["label"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn rust_analyzer_completes_inside_stack() {
    let dir = workspace_root().join("target/completion-fixture");
    write_fixture(&dir);
    let dir = dir.canonicalize().expect("fixture path");
    let root_uri = format!("file://{}", dir.display());
    let file_uri = format!("{root_uri}/src/main.rs");

    let mut command = Command::new(rust_analyzer());
    command
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"));
    let mut lsp = LspClient::start(command).expect("rust-analyzer starts");
    lsp.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "capabilities": {
                "textDocument": { "completion": { "completionItem": { "snippetSupport": false } } },
                "experimental": { "serverStatusNotification": true }
            },
            "initializationOptions": {
                "cargo": { "buildScripts": { "enable": true } },
                "procMacro": { "enable": true },
                "checkOnSave": false,
                "cachePriming": { "enable": false }
            }
        }),
        Duration::from_secs(60),
    )
    .expect("initialize");
    lsp.notify("initialized", json!({})).expect("initialized");
    // Quiescent: the workspace is loaded, build scripts have run and proc macros are built.
    lsp.wait_for(Duration::from_secs(600), |m| {
        m["method"] == "experimental/serverStatus" && m["params"]["quiescent"] == true
    })
    .expect("rust-analyzer loads the fixture");

    // Marker, partial word, what closes it, labels that must be offered, labels that
    // must not be, and what the case is about.
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a [&'a str],
        &'a str,
    );
    let cases: [Case<'_>; 26] = [
        (
            "/*NESTED*/",
            "",
            "",
            &["vpc_id"],
            &[],
            "a handle's methods after `network.` inside a call, in a raw resource",
        ),
        (
            "/*INSTANCE_TIER*/",
            "",
            "",
            &["private"],
            &[],
            "the tiers of an instance's VPC after `net2.network.`",
        ),
        (
            "/*OUTPUT*/",
            "",
            "",
            &["url"],
            &[],
            "a handle's methods after `tasks.`, in an output's value",
        ),
        (
            "/*INSTANCE_INPUT*/",
            "",
            "",
            &["network"],
            &[],
            "an instance's handles after `&net2.`, given to another component",
        ),
        (
            "/*INSTANCE*/",
            "",
            "",
            &["edge_sg"],
            &[],
            "an instance's handles after `edge.`, in a stack",
        ),
        (
            "/*METHOD*/",
            "",
            "",
            &["url"],
            &[],
            "a handle's methods after `tasks.`, in an environment",
        ),
        (
            "/*KEY*/",
            "num",
            "(\"id\")",
            &["number"],
            &[],
            "a key type being typed, a constructor of the runtime's `KeyAttribute`",
        ),
        (
            "/*STEP_ARG*/",
            "pro",
            "",
            &["probe"],
            &[],
            "a declaration being typed as a step's argument, in a call through a pointer",
        ),
        (
            "/*ENVREF*/",
            "ta",
            "",
            &["tasks"],
            &[],
            "a declaration, being typed, in an environment",
        ),
        (
            "/*PROPERTY*/",
            "cidr_",
            "",
            &["cidr_block"],
            &[],
            "a property of the raw `ec2::Subnet` being written",
        ),
        (
            "/*RAW_PROPERTY*/",
            "retention_",
            "",
            &["retention_period_hours"],
            &[],
            "a property of a raw type the runtime does not compile itself (`kinesis::Stream`)",
        ),
        (
            "/*RAW_NESTED*/",
            "StreamMode",
            "",
            &["StreamModeDetails"],
            &[],
            "a nested type of that raw type, by its property module the macro imports",
        ),
        (
            "/*REFERENCE*/",
            "a",
            "",
            &["alb_sg", "app_sg"],
            &[],
            "declarations of the stack at a reference position",
        ),
        (
            "/*CONSTRUCT*/",
            "nat",
            "",
            &["nat_gateways"],
            &[],
            "a field of the `vpc` construct",
        ),
        (
            "/*TIER*/",
            "",
            "",
            &["public", "private", "database"],
            &[],
            "the tiers after `network.`",
        ),
        (
            "/*GRANT*/",
            "wr",
            "",
            &["write_logs", "write"],
            &[],
            "grant verbs inside `grants: [ … ]`",
        ),
        (
            "/*GRANT*/",
            "ta",
            "",
            &["tag"],
            &[],
            "an access level among the grant verbs",
        ),
        (
            "/*GRANT*/",
            "se",
            "",
            &["send"],
            &[],
            "a construct's verb among the grant verbs",
        ),
        (
            "/*GRANT*/",
            "write_logs(app",
            ")",
            &["app_logs"],
            &[],
            "the resource a grant is on",
        ),
        (
            "/*SOURCE*/",
            "",
            "",
            &["internet", "alb_sg", "app_sg", "db_sg"],
            &["network", "app_logs", "exec", "web"],
            "only groups and `internet` after `from`",
        ),
        (
            "/*USER*/",
            "max_",
            "",
            &["max_receives"],
            &[],
            "a field of a construct of another crate, by its spec",
        ),
        (
            "/*INPUT*/",
            "open",
            "",
            &["open_port"],
            &[],
            "an input of a component",
        ),
        (
            "/*COMPONENT_GRANT*/",
            "wr",
            "",
            &["write_logs", "write"],
            &[],
            "grant verbs inside a component's `grants: [ … ]`",
        ),
        (
            "/*COMPONENT_HANDLE*/",
            "ed",
            "",
            &["edge_sg"],
            &[],
            "a handle of an input component, being typed, where a component places a function",
        ),
        (
            "/*COMPONENT_HANDLE*/",
            "",
            "",
            &["edge_sg"],
            &[],
            "the handles of an input component after `edge.`",
        ),
        (
            "/*COMPONENT_GRANT*/",
            "write_logs(worker",
            ")",
            &["worker_logs"],
            &[],
            "the resource of a grant inside a component",
        ),
    ];
    let mut version = 1;
    for (marker, partial, closing, expected, absent, what) in cases {
        let (text, line, character) = edit(marker, partial, closing);
        version += 1;
        if version == 2 {
            lsp.notify("textDocument/didOpen", json!({ "textDocument": { "uri": file_uri, "languageId": "rust", "version": version, "text": text } }))
                .expect("didOpen");
        } else {
            lsp.notify("textDocument/didChange", json!({ "textDocument": { "uri": file_uri, "version": version }, "contentChanges": [{ "text": text }] }))
                .expect("didChange");
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut last = Vec::new();
        loop {
            let result = lsp.request(
                "textDocument/completion",
                json!({ "textDocument": { "uri": file_uri }, "position": { "line": line, "character": character } }),
                Duration::from_secs(60),
            );
            if let Ok(result) = result {
                last = labels(&result);
                if expected.iter().all(|e| last.iter().any(|l| l == e)) {
                    eprintln!("after `{partial}`: {last:?}");
                    let offered: Vec<&&str> = absent
                        .iter()
                        .filter(|a| last.iter().any(|l| l == *a))
                        .collect();
                    assert!(
                        offered.is_empty(),
                        "completion after `{partial}` ({what}) should not offer {offered:?}; it offered {last:?}"
                    );
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "completion after `{partial}` should offer {expected:?} ({what}); it offered {last:?}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}
