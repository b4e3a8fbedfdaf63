//! A component that places an Aurora cluster in the database tier of its input
//! (`parts/data.rs`), given a VPC whose database tier has one zone (`zones/mod.rs`): an
//! error at the VPC the instance is given.

#[path = "parts/mod.rs"]
mod parts;
#[path = "zones/mod.rs"]
mod zones;

use infra_macros::stack;
use parts::data::Data;
use parts::groups::Groups;
use parts::storage::Storage;
use zones::SmallNetwork;

stack! {
    pub stack OneZone { region: "eu-west-2" }

    construct storage: Storage {}
    construct net: SmallNetwork {}
    construct groups: Groups { network: &net.network }
    construct data: Data { network: &net.network, groups: &groups, key: &storage.data_key }
}

fn main() {}
