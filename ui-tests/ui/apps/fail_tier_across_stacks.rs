//! A tier is still a tier across stacks: a database in another stack's private tier is a
//! type error at the value; an exported tier must be the tier its type names, and a tier.

mod network {
    infra_macros::stack! {
        pub stack NetworkStack { region: "eu-west-2" }
        vpc network {
            cidr: "10.0.0.0/16",
            public: ["10.0.1.0/24", "10.0.2.0/24"],
            private: ["10.0.11.0/24", "10.0.12.0/24"],
            database: ["10.0.21.0/24", "10.0.22.0/24"],
            nat_gateways: 1,
        }
        output app_subnets: Subnets<Private> { value: network.private }
        output db_subnets: Subnets<Private> { value: network.database }
        output edge_subnets: Subnets<Edge> { value: network.public }
    }
}

infra_macros::stack! {
    pub stack DataStack { region: "eu-west-2" }
    import net: crate::network::NetworkStack;
    key data_key { description: "Data", rotation: true, allow_logs: true }
    security_group db_sg in net.app_subnets { description: "The database" }
    aurora db { subnets: net.app_subnets, security_group: db_sg, key: data_key }
}

fn main() {}
