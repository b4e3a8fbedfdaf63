//! What is recorded into the vault: a trail of every region's management events.

use infra_macros::component;

use super::vault::Vault;

component! {
    /// The account's activity, recorded.
    pub component Recording {}

    /// Where the records go.
    input vault: &Vault;

    /// Every region's management events, log files validated and encrypted.
    pub trail activity { bucket: vault.archive, key: vault.archive_key }
}
