//! The DSL library without the proc-macro shell: the loan stack checks clean, the parser
//! recovers, incomplete input keeps the expansion's shape, and no prefix of a real stack
//! makes it panic.

use proc_macro2::TokenStream;

fn loan_body() -> TokenStream {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks/src/loan.rs");
    infra_dsl::find_stack(&std::fs::read_to_string(path).expect("loan.rs")).expect("a stack")
}

/// The loan stack's components, one per file of `stacks/src/loan/`, with their names.
fn loan_components() -> Vec<(String, TokenStream)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../stacks/src/loan");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("stacks/src/loan")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a component file");
            let (mode, body) = infra_dsl::find_body(&text).expect("a component");
            assert_eq!(mode, infra_dsl::Mode::Component, "{}", path.display());
            (path.display().to_string(), body)
        })
        .collect()
}

fn messages(input: &str) -> Vec<String> {
    let tokens: TokenStream = input.parse().expect("tokens");
    infra_dsl::analyze(tokens).diagnostics.messages()
}

const HEADER: &str = r#"pub stack S { region: "eu-west-2" }"#;

#[test]
fn the_loan_stack_checks_clean() {
    let expansion = infra_dsl::analyze(loan_body());
    assert!(
        expansion.diagnostics.is_empty(),
        "{:?}",
        expansion.diagnostics.messages()
    );
    let code = expansion.code.to_string();
    assert!(code.contains("pub struct LoanStack"));
    assert!(code.contains("pub struct LoanSettings"));
    let components = loan_components();
    assert!(
        components.len() >= 4,
        "{} component files",
        components.len()
    );
    for (file, body) in components {
        let expansion = infra_dsl::analyze_as(body, infra_dsl::Mode::Component);
        let messages = expansion.diagnostics.messages();
        assert!(messages.is_empty(), "{file}: {messages:?}");
        assert!(
            expansion
                .code
                .to_string()
                .contains("impl :: infra_runtime :: Construct for")
        );
    }
}

#[test]
fn a_broken_declaration_does_not_hide_the_next_ones() {
    let input = format!(
        r#"{HEADER}
        vpc network {{ cidr: "10.0.0.0/8" }}
        security_group @@ in network {{ }}
        bucket logs {{ encryption: s3_managed, versioning: }}
        log_group short {{ retention_days: 30 }}"#
    );
    let found = messages(&input);
    assert!(
        found.iter().any(|m| m.contains("between /16 and /28")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|m| m.contains("expected a name after `security_group`")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|m| m.contains("at least 365 days")),
        "{found:?}"
    );
    let code = infra_dsl::expand(input.parse().expect("tokens")).to_string();
    assert!(
        code.contains("pub logs"),
        "the bucket after the error is still generated"
    );
    assert!(code.contains("pub short"));
}

#[test]
fn an_incomplete_field_keeps_the_expansion_shape() {
    let input = format!("{HEADER} vpc network {{ cidr: \"10.0.0.0/16\", nat_gat }}");
    let expansion = infra_dsl::analyze(input.parse().expect("tokens"));
    assert!(
        expansion.diagnostics.is_empty(),
        "{:?}",
        expansion.diagnostics.messages()
    );
    let code = expansion.code.to_string();
    assert!(
        code.contains("nat_gat : :: core :: default :: Default :: default ()"),
        "{code}"
    );
}

#[test]
fn unknown_declarations_suggest_the_keyword() {
    let found = messages(&format!("{HEADER} securty_group g in n {{ }}"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`security_group`"), "{found:?}");
}

#[test]
fn a_stack_without_header_says_how_to_start() {
    let found = messages("vpc network { cidr: \"10.0.0.0/16\" }");
    assert!(
        found.iter().any(|m| m.contains("a stack needs a header")),
        "{found:?}"
    );
}

/// Every way of stopping part-way through `stream`, with open groups closed: what an
/// editor hands the macro while the user types.
fn prefixes(stream: TokenStream) -> Vec<TokenStream> {
    let tokens: Vec<proc_macro2::TokenTree> = stream.into_iter().collect();
    let mut out = Vec::new();
    for i in 0..=tokens.len() {
        out.push(tokens[..i].iter().cloned().collect());
        if let Some(proc_macro2::TokenTree::Group(group)) = tokens.get(i) {
            for inner in prefixes(group.stream()) {
                let mut prefix: Vec<proc_macro2::TokenTree> = tokens[..i].to_vec();
                prefix.push(proc_macro2::Group::new(group.delimiter(), inner).into());
                out.push(prefix.into_iter().collect());
            }
        }
    }
    out
}

#[test]
fn every_prefix_of_the_loan_stack_expands_without_panicking() {
    let all = prefixes(loan_body());
    assert!(all.len() > 300, "{} prefixes", all.len());
    for prefix in all {
        let _ = infra_dsl::expand(prefix);
    }
    let mut count = 0;
    for (_, body) in loan_components() {
        for prefix in prefixes(body) {
            count += 1;
            let _ = infra_dsl::expand_as(prefix, infra_dsl::Mode::Component);
        }
    }
    assert!(count > 500, "{count} prefixes of the components");
}

#[test]
fn stray_tokens_in_a_declaration_head_are_named() {
    let found = messages(&format!(
        "{HEADER} vpc network extra {{ cidr: \"10.0.0.0/16\" }}"
    ));
    assert_eq!(found, ["expected `{` after `vpc network`"]);
}

#[test]
fn a_missing_comma_is_one_error_and_both_fields_are_kept() {
    let input = format!(
        r#"{HEADER}
        vpc network {{ cidr: "10.0.0.0/16" public: ["10.0.1.0/24", "10.0.2.0/24"] nat_gateways: 7 }}"#
    );
    let found = messages(&input);
    // Both commas are named; the field after each is still read (`nat_gateways: 7` is
    // checked against the two public subnets), and `cidr` is not reported missing.
    assert_eq!(
        found
            .iter()
            .filter(|m| m.starts_with("expected `,` after the value of"))
            .count(),
        2,
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|m| m.contains("cannot have 7 NAT gateways")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|m| m.contains("missing field")),
        "{found:?}"
    );
}

#[test]
fn dynamic_values_are_never_judged_against_defaults() {
    let service = |fields: &str| {
        format!(
            r#"{HEADER}
            pub settings S {{ max: u16 = 4, cpu: u32 = 1024, path: &'static str = "/" }}
            fargate_service app {{ {fields} }}
            load_balancer lb {{ health_check: settings.path }}"#
        )
    };
    let found = messages(&service("desired: 2, min: 1, max: settings.max"));
    assert!(
        !found.iter().any(|m| m.contains("`desired` is")),
        "{found:?}"
    );
    let found = messages(&service("cpu: settings.cpu, memory: 4096"));
    assert!(!found.iter().any(|m| m.contains("CPU units")), "{found:?}");
    // A literal is still judged against the default of the field it is paired with.
    let found = messages(&service("desired: 2"));
    assert!(
        found.iter().any(|m| m.contains("`max` is 1 (the default)")),
        "{found:?}"
    );
}

#[test]
fn a_tier_known_only_at_run_time_is_not_guessed() {
    let found = messages(&format!(
        r#"{HEADER}
        pub settings S {{ public: bool = false }}
        vpc network {{ cidr: "10.0.0.0/16", private: ["10.0.11.0/24", "10.0.12.0/24"] }}
        security_group lb_sg in network {{ }}
        load_balancer lb {{ internet_facing: settings.public, subnets: network.private, security_group: lb_sg, allow_plain_http: true }}"#
    ));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_component_borrows_its_reference_inputs_for_the_specs_lifetime() {
    let input = r#"pub component Parts {}
        input network: &Network;
        input names: &[&str];
        input logs: Option<&Handle<LogGroup>>;
        input count: u8;
        input owned: &'static str;"#;
    let expansion =
        infra_dsl::analyze_as(input.parse().expect("tokens"), infra_dsl::Mode::Component);
    assert!(
        expansion.diagnostics.is_empty(),
        "{:?}",
        expansion.diagnostics.messages()
    );
    let code = expansion.code.to_string();
    for field in [
        "pub network : & 'a Network",
        "pub names : & 'a [& 'a str]",
        "pub logs : Option < & 'a Handle < LogGroup > >",
        "pub count : u8",
        "pub owned : & 'static str",
    ] {
        assert!(code.contains(field), "{field} in {code}");
    }
    assert!(code.contains("pub struct PartsSpec < 'a >"), "{code}");
}

#[test]
fn a_component_without_borrowed_inputs_has_no_lifetime() {
    let input = "pub component Plain {} input count: u8;";
    let code = infra_dsl::expand_as(input.parse().expect("tokens"), infra_dsl::Mode::Component)
        .to_string();
    assert!(code.contains("pub struct PlainSpec {"), "{code}");
    assert!(code.contains("type Spec < 'a > = PlainSpec ;"), "{code}");
}

#[test]
fn an_environment_value_cut_short_after_the_dot_keeps_the_map_and_says_what_is_missing() {
    let input = format!(
        "{HEADER} queue jobs {{}} function f {{ code: inline(\"x\"), handler: \"index.handler\", \
         environment: {{ QUEUE: jobs., MODE: \"fast\" }} }}"
    );
    let found = messages(&input);
    let cut = found
        .iter()
        .filter(|m| m.starts_with("expected a method or field after `.`"))
        .count();
    assert_eq!(cut, 1, "{found:?}");
    let code = infra_dsl::expand(input.parse().expect("tokens")).to_string();
    for kept in ["environment_value (jobs . handle)", "(\"MODE\" ,"] {
        assert!(code.contains(kept), "{kept} in {code}");
    }
}

#[test]
fn a_handle_cut_short_after_the_dot_keeps_its_field_and_says_what_is_missing() {
    let input = format!(
        "{HEADER} construct edge: parts::Edge {{ }} \
         load_balancer lb {{ internet_facing: true, security_group: edge., allow_plain_http: true }}"
    );
    let found = messages(&input);
    assert!(
        found
            .iter()
            .any(|m| m.starts_with("expected a handle after `.`")),
        "{found:?}"
    );
    let code = infra_dsl::expand(input.parse().expect("tokens")).to_string();
    assert!(
        code.contains("security_group : :: core :: option :: Option :: Some (& edge . handle)"),
        "{code}"
    );
    assert!(
        code.contains("allow_plain_http : true"),
        "the fields after it are kept: {code}"
    );
}
