use infra_macros::component;

use super::data::Data;
use super::groups::Groups;
use super::network::Networking;
use super::storage::Storage;

component! {
    /// A network, its groups and a database: components instantiated by a component.
    pub component Platform {}

    pub construct storage: Storage {}
    pub construct net: Networking {}
    pub construct groups: Groups { network: &net.network }
    pub construct data: Data { network: &net.network, groups: &groups, key: &storage.data_key }
}
