//! The audit log archive: a trail of the account's activity in every region and AWS
//! Config's record of every resource's configuration, delivered to a versioned bucket
//! encrypted with a key of its own (two components: the vault and what records into
//! it), and a second stack for the auditors, which imports the bucket and the key and
//! may read both.

mod recording;
mod vault;

use infra_macros::stack;

pub use recording::Recording;
pub use vault::Vault;

stack! {
    /// The log archive (`LogArchive<suffix>`).
    pub stack LogArchiveStack {
        name: "LogArchive",
        description: "Audit log archive: a multi-region trail into a key-encrypted, versioned bucket",
        region: "eu-west-2",
        tags: { CostCenter: "security" },
    }

    construct vault: Vault {}
    construct recording: Recording { vault: &vault }

    /// The archive's bucket, for readers in other stacks.
    output archive_arn: Arn<s3::Bucket> { value: vault.archive.arn(), description: "The archive bucket's ARN" }
    /// The archive's key, which reading needs.
    output archive_key_arn: Arn<kms::Key> { value: vault.archive_key.arn(), description: "The archive key's ARN" }
}

stack! {
    /// The auditors' access to the archive (`ArchiveReaders<suffix>`).
    pub stack ArchiveReadersStack {
        name: "ArchiveReaders",
        description: "Read access to the audit log archive",
        region: "eu-west-2",
        tags: { CostCenter: "security" },
    }

    /// The archive's exports.
    import archive: LogArchiveStack;

    /// What an auditor's tooling runs as, on EC2: it lists and reads the log files and
    /// decrypts them, nothing else.
    role auditor {
        assumed_by: ec2,
        description: "Reads the audit log archive",
        grants: [list(archive.archive_arn), read(archive.archive_arn), use_key(archive.archive_key_arn)],
    }
}
