//! The facts that both halves of the project read, kept in one place: the `stack!` checker
//! (`infra-dsl`, at compile time, on literals) and the runtime (`infra-runtime`, when a
//! stack is built, on values only known then).
//!
//! - [`defaults`]: what a construct does with a field the user did not write;
//! - [`limits`]: what AWS accepts (Fargate sizes, Aurora capacity, retention periods,
//!   ports, NAT gateways, health-check paths), each rule one function;
//! - [`REGIONS`]: the regions of the pinned CloudFormation registry, and [`model_type`]:
//!   which regions offer each resource type (both generated).
//!
//! The crate has no dependencies, so the proc macro pays nothing for it.

#![forbid(unsafe_code)]

mod availability;
pub mod defaults;
pub mod derived;
mod engines;
mod hash;
pub mod iam;
pub mod limits;
mod regions;

pub use engines::{AURORA_ENGINES, AuroraEngine, aurora_engine, aurora_engine_names};
pub use hash::{field_hash, handle_key};
pub use regions::REGIONS;

/// A resource type of the generated model, and where the pinned registry offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelType {
    /// The CloudFormation name, e.g. `AWS::SQS::Queue`.
    pub type_name: &'static str,
    /// Its property module under its service (`queue`: `sqs::queue::Queue`).
    pub module: &'static str,
    /// The fields of its property struct that CloudFormation requires (`role`, `code`).
    pub required: &'static [&'static str],
    regions: u64,
}

impl ModelType {
    /// Whether `region` offers the type.
    pub fn offered_in(&self, region: &str) -> bool {
        REGIONS
            .binary_search(&region)
            .is_ok_and(|i| self.regions & (1 << i) != 0)
    }

    /// The regions that offer the type, as bits over [`REGIONS`] (bit `i` for the
    /// `i`-th): what a component lists for the stack that builds it to judge.
    pub fn region_mask(&self) -> u64 {
        self.regions
    }

    /// The regions that offer the type, sorted.
    pub fn regions(&self) -> impl Iterator<Item = &'static str> + '_ {
        REGIONS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.regions & (1 << i) != 0)
            .map(|(_, r)| *r)
    }
}

/// The model's type at `path` under the model (`sqs::Queue`), if there is one.
pub fn model_type(path: &str) -> Option<ModelType> {
    let table = availability::OFFERED;
    let i = table.binary_search_by(|(p, ..)| (*p).cmp(path)).ok()?;
    let (_, type_name, module, regions, required) = table[i];
    Some(ModelType {
        type_name,
        module,
        required,
        regions,
    })
}

/// The type of the model CloudFormation calls `type_name` (`AWS::SQS::Queue`).
/// Synthesis asks this for every resource of a stack: the table, sorted by path, is
/// indexed by name once per process.
pub fn model_type_named(type_name: &str) -> Option<ModelType> {
    static BY_NAME: std::sync::OnceLock<std::collections::HashMap<&'static str, ModelType>> =
        std::sync::OnceLock::new();
    let index = BY_NAME.get_or_init(|| {
        availability::OFFERED
            .iter()
            .map(|&(_, type_name, module, regions, required)| {
                let found = ModelType {
                    type_name,
                    module,
                    required,
                    regions,
                };
                (type_name, found)
            })
            .collect()
    });
    index.get(type_name).copied()
}

/// The names of a service's types (`Queue`, `QueuePolicy` of `sqs`), sorted.
pub fn service_types(service: &str) -> impl Iterator<Item = &'static str> + '_ {
    let table = availability::OFFERED;
    let start = table.partition_point(|(p, ..)| *p < service);
    table[start..].iter().map_while(move |(p, ..)| {
        p.strip_prefix(service)
            .and_then(|rest| rest.strip_prefix("::"))
    })
}

/// Whether `module` is a service module of the model (`sqs`, `ec2`).
pub fn is_service(module: &str) -> bool {
    let table = availability::OFFERED;
    let i = table.partition_point(|(p, ..)| *p < module);
    table.get(i).is_some_and(|(p, ..)| {
        p.strip_prefix(module)
            .is_some_and(|rest| rest.starts_with("::"))
    })
}

/// Whether the pinned registry knows `region`.
pub fn is_region(region: &str) -> bool {
    REGIONS.binary_search(&region).is_ok()
}

/// A region's bit in [`ModelType::region_mask`], if it is a region.
pub fn region_bit(region: &str) -> Option<u64> {
    REGIONS.binary_search(&region).ok().map(|i| 1 << i)
}

#[cfg(test)]
mod tests {
    #[test]
    fn regions_are_sorted_for_binary_search() {
        assert!(super::REGIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_region("eu-west-2"));
        assert!(!super::is_region("eu-west-9"));
    }

    #[test]
    fn availability_is_sorted_and_names_regions() {
        let table = super::availability::OFFERED;
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        let function = super::model_type("lambda::Function").expect("Lambda functions");
        assert_eq!(function.required, ["code", "role"]);
        let queue = super::model_type("sqs::Queue").expect("SQS queues");
        assert_eq!(queue.type_name, "AWS::SQS::Queue");
        assert!(queue.offered_in("eu-west-2"));
        let report = super::model_type("cur::ReportDefinition").expect("CUR reports");
        assert!(!report.offered_in("eu-west-2"));
        let offered: Vec<&str> = report.regions().collect();
        assert!(
            offered.contains(&"us-east-1") && !offered.contains(&"eu-west-2"),
            "{offered:?}"
        );
        assert_eq!(
            super::model_type_named("AWS::CUR::ReportDefinition"),
            Some(report)
        );
        assert_eq!(super::model_type_named("AWS::SQS::Nothing"), None);
        assert!(super::is_service("sqs") && super::is_service("ec2"));
        assert!(!super::is_service("sq") && !super::is_service("crate"));
    }
}
