//! How long `stack!` and `component!` take to expand: the loan stack as written in
//! `stacks/src/loan.rs` and its seven components in `stacks/src/loan/`, and a generated
//! stack of 500 declarations (CloudFormation's resource limit). This is the macro's own
//! share of every `cargo check` and of every rust-analyzer keystroke.
//! Run with `cargo bench -p infra-dsl`; `scripts/bench-check` measures `cargo check`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use proc_macro2::TokenStream;

/// The body of the `stack!` or `component!` in a Rust file.
fn body(path: &Path) -> (infra_dsl::Mode, TokenStream) {
    let text = std::fs::read_to_string(path).expect("read the source");
    infra_dsl::find_body(&text).expect("a stack! or component! invocation")
}

/// A header, a VPC and `n - 1` raw security groups in it.
fn wide_stack(n: usize) -> TokenStream {
    let mut text = String::from(
        r#"pub stack Wide { region: "eu-west-2" }
        vpc network { cidr: "10.0.0.0/16", public: ["10.0.1.0/24", "10.0.2.0/24"] }
        "#,
    );
    for i in 1..n {
        text.push_str(&format!(
            "resource group_{i}: ec2::SecurityGroup {{ group_description: \"group {i}\".into(), vpc_id: Some(network.vpc_id()) }}\n"
        ));
    }
    text.parse().expect("tokens")
}

fn expansion(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks/src");
    let mut files = vec![root.join("loan.rs")];
    let mut components: Vec<_> = std::fs::read_dir(root.join("loan"))
        .expect("the loan's components")
        .map(|e| e.expect("an entry").path())
        .collect();
    components.sort();
    files.extend(components);
    let bodies: Vec<(infra_dsl::Mode, TokenStream)> = files.iter().map(|f| body(f)).collect();
    for (mode, tokens) in &bodies {
        let checked = infra_dsl::analyze_as(tokens.clone(), *mode);
        assert!(
            checked.diagnostics.is_empty(),
            "{:?}",
            checked.diagnostics.messages()
        );
    }
    c.bench_function("expand/loan, the stack and its components", |b| {
        b.iter(|| {
            for (mode, tokens) in &bodies {
                infra_dsl::expand_as(tokens.clone(), *mode);
            }
        })
    });

    let wide = wide_stack(500);
    let checked = infra_dsl::analyze(wide.clone());
    assert!(
        checked.diagnostics.is_empty(),
        "{:?}",
        checked.diagnostics.messages()
    );
    c.bench_function("expand/500-declarations", |b| {
        b.iter(|| infra_dsl::expand(wide.clone()))
    });
}

criterion_group!(benches, expansion);
criterion_main!(benches);
