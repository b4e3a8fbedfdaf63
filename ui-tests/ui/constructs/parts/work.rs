//! A component that holds a construct of another crate: the cases in `ui/constructs/`
//! grant its verbs from their own file.

use infra_macros::component;

component! {
    /// A work queue and what it needs.
    pub component Work {}

    pub key queue_key { description: "Jobs" }
    pub construct jobs: extra_constructs::WorkQueue { key: Some(&queue_key), .. }
    pub log_group work_logs { retention_days: 365 }
}
