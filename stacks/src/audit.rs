//! The loan platform's audit trail, a stack of its own beside the platform: a queue of
//! loan decisions for auditors, with its dead-letter queue, both encrypted with the
//! trail's own rotating key, and the security group audit workers run under inside the
//! platform's VPC.
//!
//! It imports the platform's VPC id: `loan.vpc_id` is an `Id<ec2::Vpc>` here as it is in
//! `LoanStack`, so handing it to a property that wants a subnet id does not compile, and
//! the app deploys the platform first and destroys it last.

use infra_macros::stack;

use crate::loan::LoanStack;

stack! {
    /// The loan platform's audit trail (`TapAudit<suffix>`), importing the platform's VPC.
    pub stack AuditStack {
        name: "TapAudit",
        description: "Audit trail of the loan platform: encrypted decision queue and audit workers' security group",
        region: "eu-west-2",
        tags: { CostCenter: "fintech-infrastructure", ComplianceLevel: "high" },
    }

    /// The platform's exports: its VPC.
    import loan: LoanStack;

    /// Encrypts the decision queues.
    key audit_key {
        description: "Loan platform audit trail: decision queues",
        rotation: true,
    }

    /// Decisions auditors could not process, kept 14 days.
    #[deletion_policy(Retain)]
    resource unprocessed: sqs::Queue {
        kms_master_key_id: Some(audit_key.arn().into()),
        message_retention_period: Some(1_209_600.into()),
    }

    /// Loan decisions for auditors, kept 4 days; five failed receipts send one to
    /// `unprocessed`.
    #[deletion_policy(Retain)]
    resource decisions: sqs::Queue {
        kms_master_key_id: Some(audit_key.arn().into()),
        message_retention_period: Some(345_600.into()),
        redrive_policy: Some(
            serde_json::json!({ "deadLetterTargetArn": unprocessed.arn(), "maxReceiveCount": 5 }).into(),
        ),
    }

    /// Audit workers take no inbound traffic and send only HTTPS (the queue's endpoint).
    resource audit_workers: ec2::SecurityGroup {
        group_description: "Audit workers: no inbound traffic, HTTPS out".into(),
        vpc_id: Some(loan.vpc_id.clone()),
        security_group_egress: Some(vec![ec2::security_group::Egress {
            ip_protocol: "tcp".into(),
            from_port: Some(443.into()),
            to_port: Some(443.into()),
            cidr_ip: Some("0.0.0.0/0".into()),
            description: Some("HTTPS to the queue's endpoint".into()),
            ..Default::default()
        }]),
    }

    output decisions_url { value: decisions.queue_url(), description: "The decision queue's URL" }
    output audit_workers_group { value: audit_workers.group_id(), description: "The audit workers' security group" }
}
