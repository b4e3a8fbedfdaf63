//! The DSL's vocabulary: the declarations it knows, what each field of a construct means
//! to the checker and the generator, and the runtime items each expands to.

use std::fmt;

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `stack Name { region, name, tags, required_tags, description }`: the header.
    Stack,
    /// `settings Name { field: Type = default, … }`: run-time knobs of the stack.
    Settings,
    /// `parameter name: Type { description }`.
    Parameter,
    /// `vpc name { cidr, public, private, database, nat_gateways, flow_logs }`.
    Vpc,
    /// `security_group name in network { description, ingress }`.
    SecurityGroup,
    /// `key name { description, rotation, allow_logs }`.
    Key,
    /// `bucket name { encryption, versioning, glacier_after_days, load_balancer_logs }`.
    Bucket,
    /// `log_group name { retention_days, key, name }`.
    LogGroup,
    /// `role name { assumed_by, grants, description }`.
    Role,
    /// `aurora name { subnets, security_group, key, … }`.
    Aurora,
    /// `load_balancer name { subnets, security_group, certificate, … }`.
    LoadBalancer,
    /// `fargate_service name { subnets, security_group, load_balancer, … }`.
    FargateService,
    /// `resource name: svc::Type { property: value, … }`: any generated type.
    Resource,
    /// `output name { value, description }`.
    Output,
}

impl Kind {
    /// Every keyword, for "did you mean" and "expected one of".
    pub const KEYWORDS: &'static [&'static str] = &[
        "stack",
        "settings",
        "parameter",
        "vpc",
        "security_group",
        "key",
        "bucket",
        "log_group",
        "role",
        "aurora",
        "load_balancer",
        "fargate_service",
        "resource",
        "output",
    ];

    /// The declaration a keyword introduces.
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        Some(match keyword {
            "stack" => Self::Stack,
            "settings" => Self::Settings,
            "parameter" => Self::Parameter,
            "vpc" => Self::Vpc,
            "security_group" => Self::SecurityGroup,
            "key" => Self::Key,
            "bucket" => Self::Bucket,
            "log_group" => Self::LogGroup,
            "role" => Self::Role,
            "aurora" => Self::Aurora,
            "load_balancer" => Self::LoadBalancer,
            "fargate_service" => Self::FargateService,
            "resource" => Self::Resource,
            "output" => Self::Output,
            _ => return None,
        })
    }

    /// Whether the declaration is a construct (expands through `infra_runtime::construct`).
    pub fn is_construct(self) -> bool {
        self.builder().is_some()
    }

    /// The builder function and spec struct in `infra_runtime::construct`.
    pub fn builder(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Self::Vpc => ("vpc", "VpcSpec"),
            Self::SecurityGroup => ("security_group", "SecurityGroupSpec"),
            Self::Key => ("key", "KeySpec"),
            Self::Bucket => ("bucket", "BucketSpec"),
            Self::LogGroup => ("log_group", "LogGroupSpec"),
            Self::Role => ("role", "RoleSpec"),
            Self::Aurora => ("aurora", "AuroraSpec"),
            Self::LoadBalancer => ("load_balancer", "LoadBalancerSpec"),
            Self::FargateService => ("fargate_service", "FargateServiceSpec"),
            _ => return None,
        })
    }

    /// Fields a construct cannot do without, with what each is for.
    pub fn required_fields(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Vpc => &[("cidr", "the VPC's address block, e.g. `\"10.0.0.0/16\"`")],
            Self::LogGroup => &[("retention_days", "how long events are kept, e.g. `365`")],
            Self::Role => &[("assumed_by", "who may assume it, e.g. `ecs_tasks`")],
            Self::Aurora => &[
                ("subnets", "its database tier, e.g. `network.database`"),
                ("security_group", "its security group"),
                ("key", "the key that encrypts it"),
            ],
            Self::LoadBalancer => &[
                ("subnets", "its tier, e.g. `network.public`"),
                ("security_group", "its security group"),
            ],
            Self::FargateService => &[
                ("subnets", "its tier, e.g. `network.private`"),
                ("security_group", "its security group"),
                ("image", "the container image, pinned to a version"),
                ("execution_role", "the role ECS starts tasks with"),
                ("task_role", "the role the application runs as"),
                ("logs", "the log group the container writes to"),
            ],
            Self::Output => &[("value", "what the output shows, a Rust expression")],
            Self::Stack => &[("region", "the one region the stack lives in")],
            _ => &[],
        }
    }

    /// How the generator treats a construct's field; `Plain` passes the expression through.
    pub fn field(self, key: &str) -> FieldKind {
        use FieldKind::*;
        match (self, key) {
            (Self::Vpc, "public" | "private" | "database") => CidrList,
            (Self::Vpc, "flow_logs") => Ref(&[Kind::LogGroup]),
            (Self::SecurityGroup, "ingress") => Ingress,
            (Self::Bucket, "encryption") => Encryption,
            (Self::Bucket, "glacier_after_days") => Optional,
            (Self::LogGroup, "key") => Ref(&[Kind::Key]),
            (Self::LogGroup, "name") => Optional,
            (Self::Role, "assumed_by") => Principal,
            (Self::Role, "grants") => Grants,
            (Self::Aurora | Self::LoadBalancer | Self::FargateService, "subnets") => Tier,
            (Self::Aurora | Self::LoadBalancer | Self::FargateService, "security_group") => {
                Ref(&[Kind::SecurityGroup])
            }
            (Self::Aurora, "key") => Ref(&[Kind::Key]),
            (Self::Aurora, "min_capacity" | "max_capacity") => Float,
            (Self::LoadBalancer, "certificate") => ValueRef(&[Kind::Parameter]),
            (Self::LoadBalancer, "access_logs") => Ref(&[Kind::Bucket]),
            (Self::FargateService, "load_balancer") => Ref(&[Kind::LoadBalancer]),
            (Self::FargateService, "execution_role" | "task_role") => Ref(&[Kind::Role]),
            (Self::FargateService, "logs") => Ref(&[Kind::LogGroup]),
            (Self::FargateService, "database") => Ref(&[Kind::Aurora]),
            _ => Plain,
        }
    }

    /// What the kind is called in messages ("a security group").
    pub fn article(self) -> &'static str {
        match self {
            Self::Stack => "the stack header",
            Self::Settings => "the settings",
            Self::Parameter => "a parameter",
            Self::Vpc => "a VPC",
            Self::SecurityGroup => "a security group",
            Self::Key => "a KMS key",
            Self::Bucket => "a bucket",
            Self::LogGroup => "a log group",
            Self::Role => "a role",
            Self::Aurora => "an Aurora cluster",
            Self::LoadBalancer => "a load balancer",
            Self::FargateService => "a Fargate service",
            Self::Resource => "a raw resource",
            Self::Output => "an output",
        }
    }
}

impl Kind {
    /// The kind without its article ("security group"), after "in" or before a name.
    pub fn noun(self) -> &'static str {
        let article = self.article();
        article.split_once(' ').map_or(article, |(first, rest)| {
            if matches!(first, "a" | "an" | "the") {
                rest
            } else {
                article
            }
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.article())
    }
}

/// How a construct's field is checked and generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A Rust expression, passed through.
    Plain,
    /// An optional value: `Some(expr)`.
    Optional,
    /// A float: integer literals are written as floats.
    Float,
    /// The name of a declaration of one of these kinds: `Some(&name)`.
    Ref(&'static [Kind]),
    /// A value-typed declaration (a parameter): `Some(name.clone())`.
    ValueRef(&'static [Kind]),
    /// `network.tier`: `Some(&network.tier)`.
    Tier,
    /// `["10.0.1.0/24", …]`: one CIDR per zone.
    CidrList,
    /// `ecs_tasks`, `vpc_flow_logs`, `lambda`, `ec2`.
    Principal,
    /// `[write_logs(group), connect(db, "user"), …]`.
    Grants,
    /// `[443 from internet, 8080 from alb_sg]`.
    Ingress,
    /// `s3_managed` or `kms(key)`.
    Encryption,
}

/// The service principals `assumed_by` accepts, with their runtime variants.
pub const PRINCIPALS: &[(&str, &str)] = &[
    ("ecs_tasks", "EcsTasks"),
    ("vpc_flow_logs", "VpcFlowLogs"),
    ("lambda", "Lambda"),
    ("ec2", "Ec2"),
];

/// The grants a role accepts: verb, the kind of its resource, extra arguments.
pub const GRANTS: &[(&str, Kind, usize)] = &[
    ("write_logs", Kind::LogGroup, 0),
    ("read", Kind::Bucket, 0),
    ("write", Kind::Bucket, 0),
    ("use_key", Kind::Key, 0),
    ("connect", Kind::Aurora, 1),
    ("read_secret", Kind::Aurora, 0),
];

/// Tiers a `vpc` declares.
pub const TIERS: &[&str] = &["public", "private", "database"];
