//! Where the archive is kept: a versioned bucket encrypted with the archive's own
//! rotating key, moved to Glacier after 90 days.

use infra_macros::component;

component! {
    /// The archive's bucket and key.
    pub component Vault {}

    /// Encrypts every log file of the archive.
    pub key archive_key { description: "Audit log archive" }
    /// The log files, every version kept.
    pub bucket archive {
        encryption: kms(archive_key),
        versioning: true,
        glacier_after_days: 90,
    }
}
