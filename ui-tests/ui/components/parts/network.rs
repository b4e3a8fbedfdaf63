use infra_macros::component;

component! {
    /// A VPC with its three tiers.
    pub component Networking {}

    pub vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        database: ["10.0.21.0/24", "10.0.22.0/24"],
        nat_gateways: 0,
        restrict_default_group: false,
    }
}
