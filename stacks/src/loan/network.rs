//! Networking: a VPC over three zones with public, private and database tiers.

use infra_macros::component;
use infra_runtime::Handle;
use infra_runtime::aws::logs::LogGroup;

component! {
    /// The VPC, its tiers, NAT and flow logs.
    pub component Networking {}

    /// NAT gateways: 1 (shared), 3 (one per zone) or 0 (no outbound internet).
    input nat_gateways: u8;
    /// Close the VPC's default security group.
    input restrict_default_group: bool;
    /// Where the VPC's flow logs go.
    input flow_logs: &Handle<LogGroup>;

    pub vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24", "10.0.13.0/24"],
        database: ["10.0.21.0/24", "10.0.22.0/24", "10.0.23.0/24"],
        nat_gateways: nat_gateways,
        flow_logs: flow_logs,
        restrict_default_group: restrict_default_group,
    }
}
