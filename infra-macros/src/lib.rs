//! `stack!`: AWS stacks whose wiring mistakes are compiler errors at the offending token.
//!
//! This crate is a thin shell: the parser, the checks and the generator live in
//! `infra-dsl`, an ordinary library. A panic there is a bug; it is caught and reported as
//! one, beside nothing else, instead of aborting the user's build with a backtrace.
//!
//! See `stacks/src/loan.rs` for a complete stack and `docs/language.md` for the language.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

/// Declares a stack: a struct whose `new(&config)` builds its resources, its wiring
/// checked at compile time (tiers, security-group chains, trust, grants, ports, CIDRs,
/// compliance), each mistake a rustc error at its token.
///
/// ```text
/// stack! {
///     pub stack Shop { region: "eu-west-2", tags: { CostCenter: "shop" } }
///
///     key data_key { description: "Shop data", allow_logs: true }
///     queue jobs { key: data_key, visibility_timeout_seconds: 60 }
///     function worker { code: "functions/worker", handler: "app.handler", key: data_key, queue: jobs }
///     output jobs_url { value: jobs.url() }
/// }
/// ```
///
/// One declaration per item, `keyword name { field: value, … }`:
/// - the language: `stack` (the header), `settings`, `parameter`, `import`, `output`,
///   `construct` (a `component!` or any `Construct`), `resource` (any type of the model);
/// - network: `vpc`, `security_group`, `load_balancer`;
/// - data: `key`, `bucket`, `log_group`, `secret`, `aurora`, `table`, `queue`, `topic`;
/// - compute: `cluster`, `fargate_service`, `function`, `http_api`, `state_machine`,
///   `schedule`, `eks_cluster`;
/// - identity and audit: `role` (`assumed_by`, `grants: [read(bucket), send(jobs)]`),
///   `trail`, `recorder`.
///
/// Every field of each is in `docs/language.md`; every rule in `docs/rules.md`.
#[proc_macro]
pub fn stack(input: TokenStream) -> TokenStream {
    expand(input, infra_dsl::Mode::Stack, "stack!")
}

/// Declares a component: declarations of [`stack!`] in a file of their own, with
/// `input`s it is given and `pub` handles others read, checked across files as in one.
///
/// ```text
/// component! {
///     pub component Storage {}
///
///     input network: &Network;
///
///     pub key data_key { description: "Data", allow_logs: true }
///     pub bucket archive { encryption: kms(data_key) }
/// }
/// ```
///
/// A stack (or another component) instantiates it with `construct storage: Storage {
/// network: &net.network }` and reads `storage.archive`. `component` is the header,
/// `input` a value it is given; the other keywords are those of [`stack!`].
#[proc_macro]
pub fn component(input: TokenStream) -> TokenStream {
    expand(input, infra_dsl::Mode::Component, "component!")
}

/// Derives `infra_runtime::construct::Environment` for a struct whose named fields are
/// environment variables, each named by its field in capitals and typed by what it
/// carries, so that the wrong value is rustc's mismatched type at it:
///
/// ```text
/// #[derive(Environment)]
/// struct WorkerEnvironment {
///     jobs: Value<Url<sqs::Queue>>,         // JOBS
///     orders: Value<Name<dynamodb::Table>>, // ORDERS
/// }
///
/// function worker { …, environment: WorkerEnvironment { jobs: jobs.url(), orders: orders.name() } }
/// ```
#[proc_macro_derive(Environment)]
pub fn derive_environment(input: TokenStream) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    infra_dsl::guarded("#[derive(Environment)]", || {
        infra_dsl::environment::derive(input)
    })
    .into()
}

fn expand(input: TokenStream, mode: infra_dsl::Mode, name: &str) -> TokenStream {
    let input = proc_macro2::TokenStream::from(input);
    infra_dsl::guarded(name, || infra_dsl::expand_as(input, mode)).into()
}

#[cfg(test)]
mod tests {
    /// What hovering `stack!` shows names every keyword of the language.
    #[test]
    fn the_hover_summary_names_every_keyword() {
        let source = include_str!("lib.rs");
        let summary: String = source
            .lines()
            .take_while(|line| !line.starts_with("pub fn stack"))
            .filter(|line| line.starts_with("///"))
            .collect::<Vec<_>>()
            .join("\n");
        let missing: Vec<&str> = infra_dsl::kind::Kind::keywords()
            .filter(|k| !matches!(*k, "component" | "input"))
            .filter(|k| !summary.contains(&format!("`{k}`")))
            .collect();
        assert!(missing.is_empty(), "not in stack!'s summary: {missing:?}");
    }
}
