//! How long `stack!` takes to expand: the loan stack as written in `stacks/src/loan.rs`,
//! and a generated stack of 500 declarations (CloudFormation's resource limit). This is
//! the macro's own share of every `cargo check` and of every rust-analyzer keystroke.
//! Run with `cargo bench -p infra-dsl`; `scripts/bench-check` measures `cargo check`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use proc_macro2::TokenStream;

/// The body of the `stack!` in a Rust file.
fn stack_body(path: &Path) -> TokenStream {
    let text = std::fs::read_to_string(path).expect("read the stack's source");
    infra_dsl::find_stack(&text).expect("a stack! invocation")
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
    let loan = stack_body(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks/src/loan.rs"));
    let checked = infra_dsl::analyze(loan.clone());
    assert!(
        checked.diagnostics.is_empty(),
        "{:?}",
        checked.diagnostics.messages()
    );
    c.bench_function("expand/loan", |b| {
        b.iter(|| infra_dsl::expand(loan.clone()))
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
