//! A component whose Aurora cluster takes its subnets from one input and its group from
//! another (`parts/data.rs`): an instance given a VPC and the groups of another VPC is an
//! error at the input that brings the other VPC, here or two components deep
//! (`relay/mod.rs` passes its own inputs on to `Data`).

#[path = "parts/mod.rs"]
mod parts;
#[path = "relay/mod.rs"]
mod relay;

use infra_macros::stack;
use parts::data::Data;
use parts::groups::Groups;
use parts::network::Networking;
use parts::storage::Storage;
use relay::Relay;

stack! {
    pub stack TwoVpcs { region: "eu-west-2" }

    construct storage: Storage {}
    construct blue: Networking {}
    construct green: Networking {}
    construct green_groups: Groups { network: &green.network }
    construct data: Data { network: &blue.network, groups: &green_groups, key: &storage.data_key }
    construct relayed: Relay { network: &blue.network, groups: &green_groups, key: &storage.data_key }
    construct fine: Relay { network: &green.network, groups: &green_groups, key: &storage.data_key }
}

fn main() {}
