//! What is recorded into the vault: a trail of every region's management events, and
//! AWS Config's record of every resource's configuration.

use infra_macros::component;

use super::vault::Vault;

component! {
    /// The account's activity, recorded.
    pub component Recording {}

    /// Where the records go.
    input vault: &Vault;

    /// Every region's management events, log files validated and encrypted.
    pub trail activity { bucket: vault.archive, key: vault.archive_key }
    /// The configuration of every resource of the region, a snapshot a day.
    pub recorder configuration { bucket: vault.archive, key: vault.archive_key }
}
