//! What a construct names the resources it derives: its own logical id and a suffix
//! (`function api` derives `ApiLogs` and `ApiRole`). The constructs build the ids with
//! these suffixes, and `stack!` reads them to refuse a declaration whose logical id is
//! one a construct derives, at the declaration, before synthesis finds it twice.

/// A function's log group, and an EKS cluster's control-plane log group.
pub const LOGS: &str = "Logs";
/// The role a function, a state machine or an EKS cluster derives.
pub const ROLE: &str = "Role";
/// An EKS cluster's node group, and its role.
pub const NODES: &str = "Nodes";
/// An EKS cluster's node role.
pub const NODE_ROLE: &str = "NodeRole";
/// A queue's dead-letter queue.
pub const DEAD_LETTERS: &str = "DeadLetters";
/// A queue's policy.
pub const POLICY: &str = "Policy";
/// A Fargate service's own cluster, its task definition and its ECS service.
pub const CLUSTER: &str = "Cluster";
/// A Fargate service's task definition.
pub const TASK: &str = "Task";
/// A Fargate service's ECS service.
pub const SERVICE: &str = "Service";
