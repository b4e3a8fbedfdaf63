//! The reference app (the `reference` binary): the log archive and the stack that reads
//! it, and the Kubernetes cluster, beside the loan platform and the serverless app. The
//! local endpoint creates part of them (it says which before a deploy); synthesis and AWS
//! have all.

/// The app: the archive first (the one commands use without `--stack`), its readers, and
/// the cluster.
pub fn app() -> infra_cli::App {
    infra_cli::App::new("reference")
        .stack::<crate::archive::LogArchiveStack>()
        .stack::<crate::archive::ArchiveReadersStack>()
        .stack::<crate::kubernetes::KubernetesStack>()
}
