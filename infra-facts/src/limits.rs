//! What AWS accepts, one function or constant per rule. The checker applies them to
//! literals and words its own errors; the runtime applies them to values it learns only
//! when a stack is built and reports through synthesis.

/// The retention periods CloudWatch Logs accepts, in days.
pub const RETENTION_DAYS: &[u16] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// The shortest retention compliance allows, in days.
pub const MIN_COMPLIANT_RETENTION_DAYS: u16 = 365;

/// The CPU sizes Fargate offers, in CPU units.
pub const FARGATE_CPU: &[u32] = &[256, 512, 1024, 2048, 4096, 8192, 16384];

/// The memory sizes Fargate allows with `cpu` units, in MiB; `None` when `cpu` is not
/// a Fargate size.
pub fn fargate_memory(cpu: u32) -> Option<Vec<u32>> {
    let gib =
        |from: u32, to: u32, step: usize| (from..=to).step_by(step).map(|g| g * 1024).collect();
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => gib(1, 4, 1),
        1024 => gib(2, 8, 1),
        2048 => gib(4, 16, 1),
        4096 => gib(8, 30, 1),
        8192 => gib(16, 60, 4),
        16384 => gib(32, 120, 8),
        _ => return None,
    })
}

/// Aurora Serverless v2 capacity: 0 to 256 ACU in steps of 0.5.
pub fn is_aurora_capacity(acu: f64) -> bool {
    (0.0..=256.0).contains(&acu) && (acu * 2.0).fract() == 0.0
}

/// The smallest top of an Aurora Serverless v2 range, in ACU.
pub const AURORA_MIN_MAX_CAPACITY: f64 = 1.0;

/// Days automated backups are kept.
pub const BACKUP_DAYS: std::ops::RangeInclusive<i64> = 1..=35;

/// TCP ports.
pub const PORTS: std::ops::RangeInclusive<i64> = 1..=65535;

/// Utilization targets, in percent.
pub const PERCENT: std::ops::RangeInclusive<i64> = 1..=100;

/// NAT gateways in a VPC with `zones` public subnets: none, one shared, or one per zone.
pub fn nat_gateways_allowed(count: u32, zones: usize) -> bool {
    count == 0 || count == 1 || usize::try_from(count).is_ok_and(|c| c == zones)
}

/// Why private subnets cannot host what must reach AWS's endpoints and an image registry
/// (Fargate tasks pulling their image and shipping their logs, EKS nodes joining their
/// cluster), if they cannot: such subnets leave the VPC only through NAT, and a `vpc`
/// builds no interface endpoints.
pub fn private_egress_problem(nat_gateways: u32) -> Option<&'static str> {
    (nat_gateways == 0).then_some(
        "its VPC has no NAT gateway, so nothing there reaches ECR, CloudWatch Logs or the other AWS endpoints it needs",
    )
}

/// The fewest zones the subnets of a load balancer or a database subnet group span: ELB
/// and RDS refuse fewer.
pub const MIN_ZONES: usize = 2;

/// Whether a tier of `subnets` subnets (one per zone) spans enough zones for a load
/// balancer, a database subnet group or an EKS cluster.
pub const fn spans_enough_zones(subnets: usize) -> bool {
    subnets >= MIN_ZONES
}

/// The longest health-check path Elastic Load Balancing accepts.
pub const HEALTH_CHECK_PATH_MAX: usize = 1024;

/// Why a health-check path is not one Elastic Load Balancing accepts, if it is not.
pub fn health_check_path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        Some("a health-check path starts with `/`")
    } else if path.len() > HEALTH_CHECK_PATH_MAX {
        Some("a health-check path is at most 1024 characters")
    } else if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("a health-check path has no spaces or control characters")
    } else {
        None
    }
}

/// Why a container image reference is not one ECS runs pinned, if it is not: a
/// reference of the registry grammar (`[registry[:port]/]path[:tag|@digest]`, the path
/// in lowercase components, at most 255 characters) that names a tag other than `latest`
/// (`nginx:1.27.3`) or a digest (`nginx@sha256:<64 hex>`), so that a deploy runs what
/// was reviewed.
pub fn image_problem(image: &str) -> Option<&'static str> {
    if image.is_empty() {
        return Some("is empty");
    }
    if image.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("has spaces or control characters");
    }
    if image.len() > 255 {
        return Some("is longer than ECS's 255 characters");
    }
    if !image
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.:/@".contains(&b))
    {
        return Some(
            "has characters an image reference cannot (only letters, digits and `-_.:/@`)",
        );
    }
    let (name, pin) = match image.split_once('@') {
        Some((name, digest)) => (name, Pin::Digest(digest)),
        None => match image.rsplit_once(':').filter(|(_, tag)| !tag.contains('/')) {
            Some((name, tag)) => (name, Pin::Tag(tag)),
            None => (image, Pin::None),
        },
    };
    if let Some(problem) = repository_problem(name) {
        return Some(problem);
    }
    match pin {
        Pin::Digest(digest) => {
            let hex = digest.strip_prefix("sha256:").unwrap_or_default();
            let valid = hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
            (!valid).then_some("has a digest that is not `sha256:` and 64 hex digits")
        }
        Pin::None => Some("has no tag, so it means `latest`, which changes under the stack"),
        Pin::Tag("latest") => Some("is `latest`, which changes under the stack"),
        Pin::Tag("") => Some("has an empty tag"),
        Pin::Tag(tag) => {
            let valid = tag.len() <= 128
                && !tag.starts_with(['.', '-'])
                && tag
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
            (!valid).then_some("has a tag that is not 1 to 128 letters, digits, `_`, `.` and `-` (not starting with `.` or `-`)")
        }
    }
}

/// What an image reference must be, for a message's help.
pub const IMAGE_HELP: &str = "an image is `[registry[:port]/]repository:tag`, pinned to a version (`nginxinc/nginx-unprivileged:1.27.3-alpine`) or a digest (`repository@sha256:…`)";

/// How an image reference is pinned.
enum Pin<'a> {
    Digest(&'a str),
    Tag(&'a str),
    None,
}

/// Why the part before the tag or digest is not `[registry[:port]/]path`, if it is not:
/// the registry a host name (with a port, if any), the path lowercase letters and digits
/// in components joined by `/` and separated inside by `.`, `_`, `__` or dashes.
fn repository_problem(name: &str) -> Option<&'static str> {
    let mut components: Vec<&str> = name.split('/').collect();
    let first = components[0];
    let is_registry = components.len() > 1
        && (first.contains(['.', ':'])
            || first == "localhost"
            || first.bytes().any(|b| b.is_ascii_uppercase()));
    if is_registry {
        let (host, port) = first.split_once(':').unwrap_or((first, "1"));
        let host_ok = !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b));
        if !host_ok || port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Some("has a registry that is not a host name with an optional port");
        }
        components.remove(0);
    }
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && !c.contains("..")
            && !c.contains("___")
    };
    (!components.iter().all(|c| component_ok(c))).then_some(
        "has a repository path that is not lowercase letters and digits in `/`-separated parts",
    )
}

/// Why RDS would refuse `identifier` as a cluster identifier, if it would: letters,
/// digits and hyphens, starting with a letter, with no two hyphens in a row and none at
/// the end. (Its length, 1 to 63, is the registry schema's, which synthesis holds every
/// resource's literal strings to.)
pub fn db_cluster_identifier_problem(identifier: &str) -> Option<&'static str> {
    if identifier.is_empty() {
        None
    } else if !identifier.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("does not start with a letter")
    } else if !identifier
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        Some("has a character other than letters, digits and hyphens")
    } else if identifier.contains("--") || identifier.ends_with('-') {
        Some("has two hyphens in a row or ends with one")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nat_gateways_are_none_one_or_one_per_zone() {
        assert!(nat_gateways_allowed(0, 3));
        assert!(nat_gateways_allowed(1, 3));
        assert!(nat_gateways_allowed(3, 3));
        assert!(!nat_gateways_allowed(2, 3));
        assert!(!nat_gateways_allowed(5, 3));
    }

    #[test]
    fn fargate_sizes() {
        assert_eq!(fargate_memory(256), Some(vec![512, 1024, 2048]));
        assert!(fargate_memory(8192).is_some_and(|m| m.contains(&(60 * 1024))));
        assert_eq!(fargate_memory(300), None);
        assert!(FARGATE_CPU.iter().all(|c| fargate_memory(*c).is_some()));
    }

    #[test]
    fn a_fifo_queue_feeds_batches_of_ten_at_most() {
        assert_eq!(lambda::fifo_batch_problem(10), None);
        assert!(lambda::fifo_batch_problem(11).is_some_and(|p| p.contains("at most 10")));
    }

    #[test]
    fn function_environment_names() {
        for name in ["QUEUE_URL", "tableName", "A1", "LANG", "TZ"] {
            assert_eq!(lambda::environment_name_problem(name), None, "{name}");
        }
        for name in [
            "AWS_REGION",
            "_HANDLER",
            "LAMBDA_TASK_ROOT",
            "A",
            "_TOKEN",
            "1ST",
            "é_X",
            "",
        ] {
            assert!(lambda::environment_name_problem(name).is_some(), "{name}");
        }
    }

    #[test]
    fn health_check_paths() {
        assert_eq!(health_check_path_problem("/health"), None);
        assert!(health_check_path_problem("health").is_some());
        assert!(health_check_path_problem("/a b").is_some());
    }

    #[test]
    fn images_are_pinned() {
        assert_eq!(
            image_problem("nginxinc/nginx-unprivileged:1.27.3-alpine"),
            None
        );
        assert_eq!(image_problem("registry.example:5000/team/app:2.1"), None);
        assert_eq!(
            image_problem(&format!("app@sha256:{}", "a".repeat(64))),
            None
        );
        for bad in [
            "",
            "nginx",
            "nginx:latest",
            "registry:5000/app",
            "app:",
            "a b:1",
            "app@sha256:xyz",
            "🚀:1.0",
            "App:1.0",
            "team//app:1.0",
            "app:-bad",
            "registry.example:port/app:1.0",
        ] {
            assert!(image_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn cluster_identifiers_follow_rds_rules() {
        assert_eq!(
            db_cluster_identifier_problem("tap-stack-database-dev"),
            None
        );
        assert!(db_cluster_identifier_problem(&"a".repeat(63)).is_none());
        assert!(db_cluster_identifier_problem("1db").is_some());
        assert!(db_cluster_identifier_problem("db--one").is_some());
        assert!(db_cluster_identifier_problem("db-").is_some());
        assert!(db_cluster_identifier_problem("db_one").is_some());
    }

    #[test]
    fn a_rate_says_its_unit_in_the_number_its_count_asks() {
        use events::schedule_problem;
        for fine in [
            "rate(1 minute)",
            "rate(1 hour)",
            "rate(1 day)",
            "rate(5 minutes)",
            "rate(2 hours)",
            "rate(7 days)",
        ] {
            assert_eq!(schedule_problem(fine), None, "{fine}");
        }
        for (wrong, fix) in [
            ("rate(1 minutes)", "write `minute`"),
            ("rate(1 hours)", "write `hour`"),
            ("rate(1 days)", "write `day`"),
            ("rate(5 minute)", "write `minutes`"),
            ("rate(12 hour)", "write `hours`"),
            ("rate(7 day)", "write `days`"),
        ] {
            let problem = schedule_problem(wrong).unwrap_or_default();
            assert!(problem.ends_with(&format!("({fix})")), "{wrong}: {problem}");
        }
        assert!(schedule_problem("rate(5 weeks)").is_some());
    }

    #[test]
    fn a_cron_field_holds_values_of_its_range_names_and_the_day_fields_specials() {
        use events::schedule_problem;
        for fine in [
            "cron(0 2 * * ? *)",
            "cron(0/15 8-17 ? * MON-FRI *)",
            "cron(59 23 L * ? 2199)",
            "cron(0 12 15W JAN,JUL ? *)",
            "cron(0 9 ? * 6L *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(30 6 LW dec ? 1970-2030)",
        ] {
            assert_eq!(schedule_problem(fine), None, "{fine}");
        }
        for (wrong, says) in [
            ("cron(60 2 * * ? *)", "minute outside 0-59"),
            ("cron(0 24 * * ? *)", "hour outside 0-23"),
            ("cron(0 8-25 * * ? *)", "hour outside 0-23"),
            ("cron(0 2 32 * ? *)", "day of the month outside 1-31"),
            ("cron(0 2 0 * ? *)", "day of the month outside 1-31"),
            ("cron(0 2 1 13 ? *)", "month outside 1-12"),
            ("cron(0 2 ? * 8 *)", "day of the week outside 1-7"),
            ("cron(0 2 * * ? 1969)", "year outside 1970-2199"),
            ("cron(0 2 * JANUARY ? *)", "neither a number nor a name"),
            ("cron(? 2 * * ? *)", "neither a number nor a name"),
            ("cron(0/0 2 * * ? *)", "step"),
        ] {
            let problem = schedule_problem(wrong).unwrap_or_default();
            assert!(problem.contains(says), "{wrong}: {problem}");
        }
    }
}

/// A whole number a service takes only within a range, with the value a construct uses
/// when the field is left out: one fact that the checker applies to a literal at the
/// user's token and the construct to a value known only when the stack is built, through
/// [`Range::problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// The smallest value taken.
    pub min: i64,
    /// The largest value taken.
    pub max: i64,
    /// What is used when the field is not written.
    pub default: i64,
    /// The unit, plural, as a message says it after the numbers ("seconds").
    pub unit: &'static str,
    /// Who takes the value, as a message says it ("SQS").
    pub service: &'static str,
}

impl Range {
    /// `service` takes `range` of `unit`, and `default` is used when nothing is written.
    pub const fn new(
        service: &'static str,
        range: std::ops::RangeInclusive<i64>,
        default: i64,
        unit: &'static str,
    ) -> Self {
        Self {
            min: *range.start(),
            max: *range.end(),
            default,
            unit,
            service,
        }
    }

    /// Why `value` is refused, if it is: "SQS takes 0 to 43200 seconds".
    pub fn problem(&self, value: i64) -> Option<String> {
        (!(self.min..=self.max).contains(&value)).then(|| {
            format!(
                "{} takes {} to {} {}",
                self.service, self.min, self.max, self.unit
            )
        })
    }

    /// The default, as the unsigned type a spec struct holds it in.
    pub const fn default_u32(&self) -> u32 {
        self.default as u32
    }
}

/// Amazon SQS: what a `queue` takes, and what it uses when a field is left out.
pub mod sqs {
    use super::Range;

    /// How long a received message stays hidden from other consumers.
    pub const VISIBILITY_TIMEOUT_SECONDS: Range = Range::new("SQS", 0..=43_200, 30, "seconds");
    /// How long the queue keeps a message nobody deleted.
    pub const RETENTION_DAYS: Range = Range::new("SQS", 1..=14, 4, "days");
    /// How long a new message stays hidden before its first delivery.
    pub const DELAY_SECONDS: Range = Range::new("SQS", 0..=900, 0, "seconds");
    /// Receives of a message before it moves to the dead-letter queue.
    pub const MAX_RECEIVES: Range = Range::new("SQS", 1..=1000, 5, "receives");
    /// How long the dead-letter queue keeps a message: as long as SQS keeps any.
    pub const DEAD_LETTER_RETENTION_DAYS: i64 = 14;
    /// Seconds in a day, for retention periods SQS takes in seconds.
    pub const SECONDS_PER_DAY: i64 = 86_400;
}

/// Amazon SNS: what a `topic` delivers to.
pub mod sns {
    /// Why a topic cannot deliver to a queue, if it cannot: a standard topic (the only
    /// kind a `topic` is) sends to standard queues, never to a FIFO queue.
    pub fn queue_subscriber_problem(fifo_queue: bool) -> Option<&'static str> {
        fifo_queue
            .then_some("a standard topic delivers to standard queues only, and this queue is FIFO")
    }
}

/// AWS Lambda: what a `function` takes.
pub mod lambda {
    use super::Range;

    /// Memory, which also sets the CPU share.
    pub const MEMORY_MB: Range = Range::new("Lambda", 128..=10_240, 128, "MB");
    /// How long one invocation may run.
    pub const TIMEOUT_SECONDS: Range = Range::new("Lambda", 1..=900, 3, "seconds");
    /// Instances kept for the function alone (and the most it runs at once).
    pub const RESERVED_CONCURRENCY: Range = Range::new(
        "Lambda",
        0..=1000,
        0,
        "instances (the account's default quota)",
    );
    /// Messages a function takes from a queue per invocation (a FIFO queue takes at most
    /// 10).
    pub const BATCH_SIZE: Range = Range::new("Lambda", 1..=10_000, 10, "messages");
    /// The most a package holds once unpacked, in bytes.
    pub const MAX_UNZIPPED_BYTES: u64 = 262_144_000;
    /// The most source code written inline (`ZipFile`) may be, in bytes.
    pub const MAX_INLINE_BYTES: usize = 4096;
    /// The runtimes Lambda creates functions with (its runtimes page, "Supported
    /// runtimes", December 2026); older ones are deprecated and refused on create.
    pub const RUNTIMES: &[&str] = &[
        "dotnet8",
        "dotnet10",
        "java11",
        "java17",
        "java21",
        "java25",
        "nodejs20.x",
        "nodejs22.x",
        "nodejs24.x",
        "provided.al2",
        "provided.al2023",
        "python3.10",
        "python3.11",
        "python3.12",
        "python3.13",
        "python3.14",
        "ruby3.3",
        "ruby3.4",
    ];
    /// The runtime a `function` runs on when none is written.
    pub const DEFAULT_RUNTIME: &str = "python3.13";
    /// The instruction sets Lambda runs.
    pub const ARCHITECTURES: &[&str] = &["arm64", "x86_64"];
    /// The architecture a `function` runs on when none is written: Graviton, cheaper per
    /// millisecond.
    pub const DEFAULT_ARCHITECTURE: &str = "arm64";

    /// Why a queue with `visibility_timeout` seconds cannot feed a function that runs up to
    /// `timeout` seconds, if it cannot: Lambda refuses the mapping when a message could
    /// reappear while the function still works on it.
    pub fn queue_feed_problem(visibility_timeout: i64, timeout: i64) -> Option<String> {
        (visibility_timeout < timeout).then(|| {
            format!(
                "the queue hides a received message {visibility_timeout} seconds, less than the function's timeout of {timeout} seconds, so Lambda refuses to feed it from the queue"
            )
        })
    }

    /// The variables Lambda sets in every function and refuses in a function's
    /// configuration (Lambda's developer guide, "Defined runtime environment variables",
    /// the reserved ones).
    pub const RESERVED_ENVIRONMENT: &[&str] = &[
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_DEFAULT_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_LAMBDA_RUNTIME_API",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "LAMBDA_RUNTIME_DIR",
        "LAMBDA_TASK_ROOT",
    ];

    /// The most bytes a function's environment holds: every variable's name and value
    /// together (Lambda's quota).
    pub const ENVIRONMENT_BYTES: usize = 4096;

    /// Why Lambda would refuse a function whose environment's names and values come to
    /// `bytes` (as far as they are known before deploy), if it would.
    pub fn environment_size_problem(bytes: usize) -> Option<String> {
        (bytes > ENVIRONMENT_BYTES).then(|| {
            format!(
                "has an environment whose names and values come to {bytes} bytes, more than the {ENVIRONMENT_BYTES} Lambda takes"
            )
        })
    }

    /// Why `name` cannot be an environment variable of a function, if it cannot: Lambda
    /// sets it itself, or it is not of the pattern Lambda's API holds names to
    /// (`[a-zA-Z][a-zA-Z0-9_]+`).
    pub fn environment_name_problem(name: &str) -> Option<&'static str> {
        if RESERVED_ENVIRONMENT.contains(&name) {
            return Some(
                "Lambda sets in every function and refuses in its configuration; the function reads it as it is",
            );
        }
        let mut chars = name.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let rest_is_word = chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        (!(starts_with_letter && rest_is_word && name.len() >= 2)).then_some(
            "is not a name Lambda takes: a letter, then one or more letters, digits or `_`",
        )
    }

    /// The largest batch Lambda takes from a queue without waiting to gather it; a larger
    /// one needs a batching window (Lambda's SQS event source, "Batching behavior").
    pub const BATCH_WITHOUT_WINDOW: i64 = 10;
    /// The batching window a function fed batches above [`BATCH_WITHOUT_WINDOW`] waits,
    /// in seconds: Lambda's least.
    pub const BATCH_WINDOW_SECONDS: i64 = 1;

    /// Why a function cannot take batches of `batch` messages from a FIFO queue, if it
    /// cannot: Lambda hands it at most ten at once.
    pub fn fifo_batch_problem(batch: i64) -> Option<String> {
        (batch > BATCH_WITHOUT_WINDOW).then(|| {
            format!(
                "a FIFO queue hands a function at most {BATCH_WITHOUT_WINDOW} messages at once, and the batch size is {batch}"
            )
        })
    }

    /// Why `runtime` is not one Lambda creates functions with, if it is not.
    pub fn runtime_problem(runtime: &str) -> Option<&'static str> {
        (!RUNTIMES.contains(&runtime)).then_some("is not a runtime Lambda creates functions with")
    }
}

/// Amazon EKS: what an `eks_cluster` takes.
pub mod eks {
    use super::Range;

    /// Nodes of a managed node group (EKS's quota is 450 per group); the group starts
    /// with its minimum.
    pub const NODES: Range = Range::new("EKS", 0..=450, 2, "nodes");

    /// Why EKS would refuse `version` as a Kubernetes version, if it would: `1.<minor>`.
    pub fn version_problem(version: &str) -> Option<&'static str> {
        let minor = version.strip_prefix("1.").unwrap_or_default();
        let valid = !minor.is_empty()
            && minor.len() <= 3
            && !minor.starts_with('0')
            && minor.bytes().all(|b| b.is_ascii_digit());
        (!valid).then_some("is not a Kubernetes version such as `1.33`")
    }

    /// Why `instance_type` is not the name of an EC2 instance type, if it is not: a
    /// family with its generation (`m7g`, `c6in`), a dot and a size (`large`, `metal`).
    pub fn instance_type_problem(instance_type: &str) -> Option<&'static str> {
        let Some((family, size)) = instance_type.split_once('.') else {
            return Some("is not an instance type such as `m7g.large`");
        };
        let lower = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        let generation = family.bytes().any(|b| b.is_ascii_digit());
        let starts = family
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase());
        (!(lower(family) && lower(size) && generation && starts))
            .then_some("is not an instance type such as `m7g.large`")
    }

    /// The processor architecture of an instance type: `arm64` for AWS Graviton (a `g`
    /// among the attributes after the generation: `m7g`, `c6gn`, `t4g`, `g5g`; and the
    /// first `a1`), `x86_64` otherwise.
    pub fn architecture_of(instance_type: &str) -> &'static str {
        let family = instance_type.split('.').next().unwrap_or_default();
        let attributes = family
            .trim_start_matches(|c: char| c.is_ascii_lowercase())
            .trim_start_matches(|c: char| c.is_ascii_digit());
        if family == "a1" || attributes.contains('g') {
            "arm64"
        } else {
            "x86_64"
        }
    }
}

#[cfg(test)]
mod eks_tests {
    use super::eks::*;

    #[test]
    fn graviton_families_are_arm64_and_the_others_x86() {
        for arm in [
            "m7g.large",
            "c6gn.xlarge",
            "t4g.micro",
            "g5g.2xlarge",
            "a1.medium",
            "r8g.metal-24xl",
            "im4gn.large",
        ] {
            assert_eq!(architecture_of(arm), "arm64", "{arm}");
        }
        for x86 in [
            "m7i.large",
            "g4dn.xlarge",
            "c5.large",
            "p5.48xlarge",
            "inf2.xlarge",
            "m6a.large",
            "u-6tb1.metal",
        ] {
            assert_eq!(architecture_of(x86), "x86_64", "{x86}");
        }
    }

    #[test]
    fn versions_and_instance_types_follow_their_grammar() {
        assert_eq!(version_problem("1.33"), None);
        for bad in ["1.", "2.1", "1.033", "v1.33", "1.3a", ""] {
            assert!(version_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(instance_type_problem("m7g.large"), None);
        assert_eq!(instance_type_problem("u-6tb1.metal"), None);
        for bad in [
            "m7g",
            "M7g.large",
            "large.",
            ".large",
            "m.large",
            "m7g.Large",
        ] {
            assert!(instance_type_problem(bad).is_some(), "{bad}");
        }
    }
}

/// Amazon DynamoDB: what a `table` takes.
pub mod dynamodb {
    use super::Range;

    /// Provisioned read or write capacity of a table (up to the default per-table quota).
    pub const CAPACITY_UNITS: Range = Range::new("DynamoDB", 1..=40_000, 5, "capacity units");
    /// The longest key attribute name, in bytes.
    pub const KEY_NAME_MAX: usize = 255;

    /// Why DynamoDB would refuse a table given only one side of provisioned capacity, if
    /// it would: both, or neither for on-demand.
    pub fn capacity_problem(read: bool, write: bool) -> Option<&'static str> {
        (read != write).then_some(
            "provisioned capacity needs both read_capacity and write_capacity (leave both out for on-demand)",
        )
    }

    /// Why DynamoDB would refuse `name` as a key attribute's name, if it would.
    pub fn attribute_name_problem(name: &str) -> Option<&'static str> {
        if name.is_empty() {
            Some("is empty: a key attribute has a name")
        } else if name.len() > KEY_NAME_MAX {
            Some("is longer than DynamoDB's 255 bytes for a key attribute's name")
        } else {
            None
        }
    }
}

/// Amazon API Gateway (HTTP APIs): what an `http_api` takes.
pub mod apigateway {
    use super::Range;

    /// Requests per second a stage serves before throttling (the account's default quota).
    pub const THROTTLE_RATE: Range =
        Range::new("API Gateway", 1..=10_000, 100, "requests per second");
    /// Requests a stage serves at once before throttling.
    pub const THROTTLE_BURST: Range = Range::new("API Gateway", 1..=5_000, 50, "requests");

    /// Why API Gateway would refuse `path` as a route's path, if it would: it starts with
    /// `/`, has no empty segment and no trailing `/` (but `/` itself), and each segment is
    /// letters, digits and `-._~`, or a parameter `{name}` (`{name+}` greedy, last only).
    pub fn route_path_problem(path: &str) -> Option<&'static str> {
        let Some(rest) = path.strip_prefix('/') else {
            return Some("does not start with `/`");
        };
        if rest.is_empty() {
            return None;
        }
        let segments: Vec<&str> = rest.split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            if segment.is_empty() {
                return Some("has an empty segment (`//` or a trailing `/`)");
            }
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let (name, greedy) = match name.strip_suffix('+') {
                    Some(name) => (name, true),
                    None => (name, false),
                };
                if greedy && i + 1 != segments.len() {
                    return Some("has a greedy parameter `{name+}` before its last segment");
                }
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Some("has a parameter whose name is not letters, digits and `_`");
                }
            } else if !segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
            {
                return Some(
                    "has a segment with characters other than letters, digits and `-._~` (a parameter is `{name}`)",
                );
            }
        }
        None
    }
}

/// Amazon EventBridge: what a `schedule` takes.
pub mod events {
    /// Why EventBridge would refuse `expression` as a schedule, if it would: `rate(N
    /// unit)` with a positive whole N and the unit singular for 1 (`minute`, `hour`,
    /// `day`) and plural otherwise, or `cron(minutes hours day-of-month month day-of-week
    /// year)` with one of the two days `?`.
    pub fn schedule_problem(expression: &str) -> Option<&'static str> {
        if let Some(rate) = expression
            .strip_prefix("rate(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return rate_problem(rate);
        }
        if let Some(cron) = expression
            .strip_prefix("cron(")
            .and_then(|c| c.strip_suffix(')'))
        {
            return cron_problem(cron);
        }
        Some("is neither `rate(…)` nor `cron(…)`")
    }

    fn rate_problem(rate: &str) -> Option<&'static str> {
        let Some((count, unit)) = rate.split_once(' ') else {
            return Some("is not `rate(<number> <unit>)`");
        };
        let Ok(count) = count.parse::<u32>() else {
            return Some("does not start with a whole number");
        };
        if count == 0 {
            return Some("is a rate of zero");
        }
        match (count == 1, unit) {
            (true, "minute" | "hour" | "day") | (false, "minutes" | "hours" | "days") => None,
            (true, "minutes") => Some("says a plural unit for 1 (write `minute`)"),
            (true, "hours") => Some("says a plural unit for 1 (write `hour`)"),
            (true, "days") => Some("says a plural unit for 1 (write `day`)"),
            (false, "minute") => Some("says a singular unit for more than 1 (write `minutes`)"),
            (false, "hour") => Some("says a singular unit for more than 1 (write `hours`)"),
            (false, "day") => Some("says a singular unit for more than 1 (write `days`)"),
            _ => Some("has a unit other than minute(s), hour(s) or day(s)"),
        }
    }

    fn cron_problem(cron: &str) -> Option<&'static str> {
        let fields: Vec<&str> = cron.split(' ').collect();
        if fields.len() != 6 {
            return Some(
                "does not have six fields (minutes hours day-of-month month day-of-week year)",
            );
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || ",-*/?#".contains(c);
        if fields
            .iter()
            .any(|f| f.is_empty() || !f.chars().all(allowed))
        {
            return Some("has a field with characters a cron field does not take");
        }
        if (fields[2] == "?") == (fields[4] == "?") {
            return Some("must have `?` in exactly one of day-of-month and day-of-week");
        }
        fields
            .iter()
            .zip(&CRON_FIELDS)
            .find_map(|(text, field)| field.problem(text))
    }

    /// What one field of a cron expression holds: values from `least` to `most`, or
    /// the names counted from `least` (`JAN` is 1, `SUN` is 1).
    struct CronField {
        least: u32,
        most: u32,
        names: &'static [&'static str],
        /// Whether `?` may stand for it (the two day fields).
        day: bool,
        outside: &'static str,
    }

    const MONTHS: &[&str] = &[
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    const WEEKDAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    const CRON_FIELDS: [CronField; 6] = [
        CronField {
            least: 0,
            most: 59,
            names: &[],
            day: false,
            outside: "has a minute outside 0-59",
        },
        CronField {
            least: 0,
            most: 23,
            names: &[],
            day: false,
            outside: "has an hour outside 0-23",
        },
        CronField {
            least: 1,
            most: 31,
            names: &[],
            day: true,
            outside: "has a day of the month outside 1-31",
        },
        CronField {
            least: 1,
            most: 12,
            names: MONTHS,
            day: false,
            outside: "has a month outside 1-12 (or JAN-DEC)",
        },
        CronField {
            least: 1,
            most: 7,
            names: WEEKDAYS,
            day: true,
            outside: "has a day of the week outside 1-7 (or SUN-SAT)",
        },
        CronField {
            least: 1970,
            most: 2199,
            names: &[],
            day: false,
            outside: "has a year outside 1970-2199",
        },
    ];

    impl CronField {
        /// Why EventBridge would refuse `text` in this field: each of its comma-separated
        /// items is `*`, a value, or a range, with an optional `/step`; the day fields also
        /// take `?`, `L`, `W` (`15W`, `LW`) and `#` (`2#1`).
        fn problem(&self, text: &str) -> Option<&'static str> {
            for item in text.split(',') {
                let (base, step) = match item.split_once('/') {
                    Some((base, step)) => (base, Some(step)),
                    None => (item, None),
                };
                if step.is_some_and(|s| s.parse::<u32>().map_or(true, |s| s == 0)) {
                    return Some("has a step (`/n`) that is not a positive whole number");
                }
                if base == "*" || (self.day && matches!(base, "?" | "L" | "LW")) {
                    continue;
                }
                let base = if self.day {
                    base.trim_end_matches(['L', 'W'])
                        .split('#')
                        .next()
                        .unwrap_or_default()
                } else {
                    base
                };
                let (from, to) = base.split_once('-').unwrap_or((base, base));
                for value in [from, to] {
                    match self.value(value) {
                        Some(v) if (self.least..=self.most).contains(&v) => {}
                        Some(_) => return Some(self.outside),
                        None => {
                            return Some(
                                "has a value that is neither a number nor a name of its field",
                            );
                        }
                    }
                }
            }
            None
        }

        fn value(&self, text: &str) -> Option<u32> {
            let named = self.names.iter().position(|n| n.eq_ignore_ascii_case(text));
            match named {
                Some(index) => u32::try_from(index).ok().map(|i| i + self.least),
                None => text.parse().ok(),
            }
        }
    }
}
