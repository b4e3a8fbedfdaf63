use infra_macros::component;

use super::data::Data;
use super::edge::Edge;
use super::groups::Groups;
use super::network::Networking;
use super::roles::Roles;
use super::storage::Storage;

component! {
    /// Everything a service is wired against, each part a component of its own file: the
    /// cases instantiate this component and make their mistakes against its handles.
    pub component Platform {}

    pub construct storage: Storage {}
    pub construct net: Networking {}
    pub construct groups: Groups { network: &net.network }
    pub construct data: Data { network: &net.network, groups: &groups, key: &storage.data_key }
    pub construct roles: Roles { storage: &storage, data: &data }
    pub construct edge: Edge {
        network: &net.network,
        groups: &groups,
        access_logs: &storage.access_logs,
    }
}
