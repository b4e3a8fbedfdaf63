use infra_macros::component;
use infra_runtime::Handle;
use infra_runtime::aws::kms::Key;
use infra_runtime::construct::Network;

use super::groups::Groups;

component! {
    /// Aurora MySQL in the database tier, in `db_sg`.
    pub component Data {}

    input network: &Network;
    input groups: &Groups;
    input key: &Handle<Key>;

    pub aurora database { subnets: network.database, security_group: groups.db_sg, key: key }
}
