//! The facts that both halves of the project read, kept in one place: the `stack!` checker
//! (`infra-dsl`, at compile time, on literals) and the runtime (`infra-runtime`, when a
//! stack is built, on values only known then).
//!
//! - [`defaults`]: what a construct does with a field the user did not write;
//! - [`limits`]: what AWS accepts (Fargate sizes, Aurora capacity, retention periods,
//!   ports, NAT gateways, health-check paths), each rule one function;
//! - [`REGIONS`]: the regions of the pinned CloudFormation registry (generated).
//!
//! The crate has no dependencies, so the proc macro pays nothing for it.

#![forbid(unsafe_code)]

pub mod defaults;
pub mod limits;
mod regions;

pub use regions::REGIONS;

/// Whether the pinned registry knows `region`.
pub fn is_region(region: &str) -> bool {
    REGIONS.binary_search(&region).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn regions_are_sorted_for_binary_search() {
        assert!(super::REGIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_region("eu-west-2"));
        assert!(!super::is_region("eu-west-9"));
    }
}
