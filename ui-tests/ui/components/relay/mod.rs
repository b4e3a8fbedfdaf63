//! A component that passes its inputs on to another (`Data`): what `Data` asks of them
//! becomes what `Relay` asks of its own.

use infra_macros::component;
use infra_runtime::Handle;
use infra_runtime::aws::kms::Key;
use infra_runtime::construct::Network;

use super::parts::data::Data;
use super::parts::groups::Groups;

component! {
    pub component Relay {}

    input network: &Network;
    input groups: &Groups;
    input key: &Handle<Key>;

    pub construct data: Data { network: network, groups: groups, key: key }
}
