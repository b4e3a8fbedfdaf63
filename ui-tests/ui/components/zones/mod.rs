//! A network of one zone per tier, declared in a file of its own.

use infra_macros::component;

component! {
    pub component SmallNetwork {}

    pub vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24"],
        private: ["10.0.11.0/24"],
        database: ["10.0.21.0/24"],
        nat_gateways: 1,
    }
}
