//! The DSL's vocabulary as data: one [`Row`] per declaration, saying its keyword, how it is
//! named in messages, what it expands to, and each field it takes with how the field is
//! checked and generated, whether it is required and what the runtime does without it.
//!
//! [`Kind::row`] is the only place a kind is matched to its data, and it has no `_` arm:
//! a new kind does not compile until it has a row.

use std::borrow::Cow;
use std::fmt;

use infra_facts::defaults as d;
use infra_facts::derived;
use infra_facts::limits::{Range, apigateway, dynamodb, events, lambda, sqs};

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `stack Name { region, name, tags, required_tags, description }`: the header.
    Stack,
    /// `settings Name { field: Type = default, … }`: run-time knobs of the stack.
    Settings,
    /// `parameter name: Type { description, … }`.
    Parameter,
    /// `vpc name { cidr, public, private, database, nat_gateways, flow_logs }`.
    Vpc,
    /// `security_group name in network { description, ingress, egress }`.
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
    /// `secret name { description, key, length }`: a generated Secrets Manager secret.
    Secret,
    /// `cluster name { container_insights }`: an ECS cluster services share.
    Cluster,
    /// `queue name { key, fifo, visibility_timeout_seconds, max_receives, … }`: an SQS
    /// queue with its dead-letter queue.
    Queue,
    /// `function name { code, handler, runtime, memory, timeout_seconds, role, logs, … }`:
    /// a Lambda function.
    Function,
    /// `table name { partition_key, sort_key, key, … }`: a DynamoDB table.
    Table,
    /// `http_api name { routes: [post("/orders", intake)], logs, … }`: API Gateway.
    HttpApi,
    /// `schedule name { every: "rate(1 day)", target: function, input }`: EventBridge.
    Schedule,
    /// `topic name { key, subscribers: [function(f)] }`: an SNS topic.
    Topic,
    /// `state_machine name { steps: [invoke(f), put_item(t, "$.item")], logs }`: Step
    /// Functions.
    StateMachine,
    /// `trail name { bucket, key, multi_region }`: a CloudTrail trail.
    Trail,
    /// `recorder name { bucket, key }`: AWS Config's configuration recorder.
    Recorder,
    /// `eks_cluster name { subnets, key, version, instance_types, min, max }`: EKS and
    /// its managed node group.
    EksCluster,
    /// `resource name: svc::Type { property: value, … }`: any generated type.
    Resource,
    /// `output name { value, description, export }`; `output name: Type { … }` is also
    /// exported, typed, for other stacks to import.
    Output,
    /// `import name: OtherStack;`: the typed exports of another stack of the app.
    Import,
    /// `component Name { description }`: the header of a `component!`.
    Component,
    /// `input name: Type;`: a value a component is given where it is instantiated.
    Input,
    /// `construct name: path::Type { field: value, .. }`: a construct of any crate (a
    /// component among them), built through `infra_runtime::Construct`.
    Construct,
}

/// Everything the parser, checker and generator know about one kind of declaration.
#[derive(Debug)]
pub struct Row {
    /// The keyword that introduces it.
    pub keyword: &'static str,
    /// How messages name it, with its article ("a security group").
    pub article: &'static str,
    /// What it expands to.
    pub expands: Expands,
    /// The fields the macro knows. For constructs the spec struct has the final say on
    /// names (rustc reports others at the user's token); for the header, parameters and
    /// outputs this is every field there is, and the macro reports the others.
    pub fields: &'static [FieldDef],
}

/// What a declaration expands to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expands {
    /// The stack's struct and its constants.
    Header,
    /// The settings struct.
    Settings,
    /// A typed CloudFormation parameter.
    Parameter,
    /// `<handle as infra_runtime::Construct>::build(&mut scope, id, <spec> { … })`: a
    /// built-in construct, through the trait every construct implements.
    Construct {
        /// Its spec struct in `infra_runtime::construct`.
        spec: &'static str,
        /// The type of what it returns.
        handle: Handle,
    },
    /// A raw resource of the generated model.
    Resource,
    /// A stack output.
    Output,
    /// Another stack's exports.
    Import,
    /// A component's input.
    Input,
    /// A construct named by its path.
    Path,
}

/// The type a built-in construct is built as, and the facts its binding carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handle {
    /// A struct of `infra_runtime::construct` (`Network`, `FargateService`, …).
    Construct(&'static str),
    /// `Handle<infra_runtime::aws::<service>::<Type>>`.
    Resource(&'static str, &'static str),
    /// `facts::GroupHandle<Marker>`: the marker type the stack declares for the group.
    Group,
    /// `facts::RoleHandle<Principal>`: the principal from `assumed_by`.
    Role,
    /// `Aurora`, bound as `facts::DatabaseHandle<Group, Port>`.
    Database,
    /// `LoadBalancer`, bound as `facts::BalancerHandle<Group, Port>`.
    Balancer,
    /// `facts::KeyHandle<Logs>`: whether CloudWatch Logs may use the key.
    Key,
    /// `facts::LogGroupHandle<Marker>`.
    LogGroup,
    /// `facts::SecretHandle<Marker>`.
    Secret,
    /// `facts::BucketHandle<Encryption, Delivery>`: its encryption and log delivery.
    Bucket,
}

/// One field of a declaration.
#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    /// Its name.
    pub key: &'static str,
    /// How it is checked and generated.
    pub shape: FieldKind,
    /// When the declaration cannot do without it: what it is for, for the `help:` line.
    pub required: Option<&'static str>,
    /// What the runtime uses when it is not written.
    pub default: Fact,
    /// The range AWS takes an integer field in, judged on literals here and on every
    /// value by the construct (`Range::problem`, one predicate).
    pub range: Option<&'static Range>,
    /// The strings AWS takes in a text field, judged on literals here and on every
    /// value by the construct.
    pub one_of: Option<&'static [&'static str]>,
    /// The grammar AWS holds a text field to (the names of an `Environment` field): why a
    /// value is refused, if it is. Judged on literals here and on every value by the
    /// construct.
    pub grammar: Option<Grammar>,
    /// What the value must be to the declaration's other fields (a role a service can
    /// assume, a resource the declaration's role is granted).
    pub wire: Wire,
}

/// Why AWS refuses a text, if it does: the words after "which" (`is not JSON (…)`).
pub type Grammar = fn(&str) -> Option<Cow<'static, str>>;

/// A text that must be JSON (an event's input): serde's words for where it is not.
fn json_problem(text: &str) -> Option<Cow<'static, str>> {
    let error = serde_json::from_str::<serde_json::Value>(text).err()?;
    Some(Cow::Owned(format!("is not JSON ({error})")))
}

/// A resource a declaration derives: the suffix of its logical id after the
/// declaration's (`infra_facts::derived`), what it is to a message, and the field that,
/// written, stands in for it (a function's `logs` is the log group it would derive).
#[derive(Debug, Clone, Copy)]
pub struct Derived {
    /// Of which declarations.
    pub kind: Kind,
    /// The logical id's suffix.
    pub suffix: &'static str,
    /// What it is, after "gives".
    pub what: &'static str,
    /// The field that, written, means it is not derived.
    pub unless: Option<&'static str>,
}

/// The resources the constructs derive under ids a user's declaration could also give.
pub static DERIVED: &[Derived] = &[
    derive(
        Kind::Function,
        derived::LOGS,
        "the log group it derives",
        Some("logs"),
    ),
    derive(
        Kind::Function,
        derived::ROLE,
        "the role it derives",
        Some("role"),
    ),
    derive(Kind::StateMachine, derived::ROLE, "its role", None),
    derive(Kind::EksCluster, derived::ROLE, "its cluster role", None),
    derive(
        Kind::EksCluster,
        derived::LOGS,
        "its control-plane log group",
        None,
    ),
    derive(Kind::EksCluster, derived::NODES, "its node group", None),
    derive(
        Kind::EksCluster,
        derived::NODE_ROLE,
        "its nodes' role",
        None,
    ),
    derive(
        Kind::Queue,
        derived::DEAD_LETTERS,
        "its dead-letter queue",
        None,
    ),
    derive(Kind::Queue, derived::POLICY, "its policy", None),
    derive(
        Kind::FargateService,
        derived::CLUSTER,
        "the cluster it derives",
        Some("cluster"),
    ),
    derive(
        Kind::FargateService,
        derived::TASK,
        "its task definition",
        None,
    ),
    derive(
        Kind::FargateService,
        derived::SERVICE,
        "its ECS service",
        None,
    ),
];

const fn derive(
    kind: Kind,
    suffix: &'static str,
    what: &'static str,
    unless: Option<&'static str>,
) -> Derived {
    Derived {
        kind,
        suffix,
        what,
        unless,
    }
}

/// A wiring rule a field carries, judged in the file and across files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// None.
    None,
    /// A role the construct hands to a service, which must be able to assume it: the
    /// type stem of `infra_facts::iam::SERVICE_PRINCIPALS` (`"EcsTasks"`, `"Lambda"`).
    AssumedBy(&'static str),
    /// A resource the role of field `role` must be granted `verb` on (`write_logs` on
    /// the log group a service writes to).
    GrantedBy {
        /// The grant's verb.
        verb: &'static str,
        /// The field of the declaration naming the role.
        role: &'static str,
    },
}

/// A default value, as the checker reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fact {
    /// No default the checker needs (optional, or required).
    None,
    /// An integer.
    Int(i64),
    /// A number.
    Float(f64),
    /// A flag.
    Bool(bool),
    /// A string.
    Str(&'static str),
}

/// The literal type a plain field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lit {
    /// Any Rust expression; the checker reads no literal from it.
    Any,
    /// An integer.
    Int,
    /// A number: integer literals are written as floats.
    Float,
    /// `true` or `false`.
    Bool,
    /// A string.
    Str,
}

/// How a field is checked and generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A Rust expression, passed through; literals of this type are read by the checker.
    Plain(Lit),
    /// An optional value: `Some(expr)`.
    Optional(Lit),
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
    /// `[443 to internet]`.
    Egress,
    /// `["python", "app.py"]`: a list of strings.
    Strings,
    /// `{ LOG_LEVEL: "info" }`: environment variables, any string expressions.
    Environment,
    /// `{ API_KEY: api_key }`: environment variables read from secrets of the stack.
    Secrets,
    /// `[cloudfront_read(cdn)]`: statements a bucket's policy adds, built after every
    /// declaration (so not a dependency: the reader may itself name the bucket).
    Statements,
    /// `s3_managed` or `kms(key)`.
    Encryption,
    /// A function's code: `"dir"` (relative to the crate's manifest) or
    /// `inline("source")`.
    Code,
    /// `f(args)`: a constructor of the runtime's `construct::<ty>` (`string("id")` for a
    /// `KeyAttribute`), so that rustc judges the name and the arguments at the user's
    /// tokens and the editor completes them.
    Call {
        /// The type in `infra_runtime::construct`, and its constructors.
        ty: &'static CallType,
        /// What a value looks like, for a message.
        example: &'static str,
        /// Whether the spec field is an `Option`.
        optional: bool,
    },
    /// `[f(args), …]`: a list of [`FieldKind::Call`]s, the spec's `&[ty]`; arguments
    /// other than literals are passed by reference (`post("/orders", intake)`).
    Calls {
        /// The type in `infra_runtime::construct`, and its constructors.
        ty: &'static CallType,
        /// What a value looks like, for a message.
        example: &'static str,
    },
    /// `{ CostCenter: "fintech" }`: the header's tags.
    Tags,
    /// `[Environment, CostCenter]`: tag names.
    TagNames,
}

/// A type of the runtime's `construct` whose values are written as calls of its
/// constructors (`string("id")`, `post("/orders", intake)`). The macro calls the ones it
/// knows through a pointer, so that rustc's error for an argument of the wrong type quotes
/// no definition of the runtime; another name is called as written, for rustc to judge.
#[derive(Debug, PartialEq, Eq)]
pub struct CallType {
    /// Its name in `infra_runtime::construct`.
    pub name: &'static str,
    /// Its constructors; `ui-tests/ui/names/pass_every_call_verb.rs` calls each (and
    /// `tests/tests/static_site.rs` a bucket's statements).
    pub verbs: &'static [&'static str],
}

const fn field(key: &'static str, shape: FieldKind) -> FieldDef {
    FieldDef {
        key,
        shape,
        required: None,
        default: Fact::None,
        range: None,
        one_of: None,
        grammar: None,
        wire: Wire::None,
    }
}

const fn required(key: &'static str, shape: FieldKind, what: &'static str) -> FieldDef {
    FieldDef {
        key,
        shape,
        required: Some(what),
        default: Fact::None,
        range: None,
        one_of: None,
        grammar: None,
        wire: Wire::None,
    }
}

const fn int(key: &'static str, default: i64) -> FieldDef {
    FieldDef {
        key,
        shape: FieldKind::Plain(Lit::Int),
        required: None,
        default: Fact::Int(default),
        range: None,
        one_of: None,
        grammar: None,
        wire: Wire::None,
    }
}

const fn float(key: &'static str, default: f64) -> FieldDef {
    FieldDef {
        key,
        shape: FieldKind::Plain(Lit::Float),
        required: None,
        default: Fact::Float(default),
        range: None,
        one_of: None,
        grammar: None,
        wire: Wire::None,
    }
}

const fn flag(key: &'static str, default: bool) -> FieldDef {
    FieldDef {
        key,
        shape: FieldKind::Plain(Lit::Bool),
        required: None,
        default: Fact::Bool(default),
        range: None,
        one_of: None,
        grammar: None,
        wire: Wire::None,
    }
}

const fn text(key: &'static str, default: &'static str) -> FieldDef {
    FieldDef {
        key,
        shape: FieldKind::Plain(Lit::Str),
        required: None,
        default: Fact::Str(default),
        range: None,
        one_of: None,
        grammar: None,
        wire: Wire::None,
    }
}

/// An integer field AWS takes within `range`, defaulting to the range's default.
const fn ranged(key: &'static str, range: &'static Range) -> FieldDef {
    FieldDef {
        key,
        shape: FieldKind::Plain(Lit::Int),
        required: None,
        default: Fact::Int(range.default),
        range: Some(range),
        one_of: None,
        grammar: None,
        wire: Wire::None,
    }
}

/// A text field AWS takes one of `values` in, defaulting to `default`.
const fn choice(
    key: &'static str,
    values: &'static [&'static str],
    default: &'static str,
) -> FieldDef {
    FieldDef {
        one_of: Some(values),
        ..text(key, default)
    }
}

/// A required text field AWS holds to `grammar`.
const fn phrase(key: &'static str, grammar: Grammar, what: &'static str) -> FieldDef {
    FieldDef {
        grammar: Some(grammar),
        ..required(key, STR, what)
    }
}

/// A required role the construct hands to the service of type stem `principal`.
const fn role_for(key: &'static str, principal: &'static str, what: &'static str) -> FieldDef {
    FieldDef {
        wire: Wire::AssumedBy(principal),
        ..required(key, FieldKind::Ref(&[Kind::Role]), what)
    }
}

/// A reference the role of field `role` must be granted `verb` on.
const fn granted(def: FieldDef, verb: &'static str, role: &'static str) -> FieldDef {
    FieldDef {
        wire: Wire::GrantedBy { verb, role },
        ..def
    }
}

use FieldKind::{
    CidrList, Egress, Encryption, Environment, Grants, Ingress, Optional, Plain, Principal, Ref,
    Secrets, Statements, Strings, TagNames, Tags, Tier, ValueRef,
};

const STR: FieldKind = Plain(Lit::Str);
const ANY: FieldKind = Plain(Lit::Any);
const SECURITY_GROUP: FieldKind = Ref(&[Kind::SecurityGroup]);
const KEY: FieldKind = Ref(&[Kind::Key]);

static STACK: Row = Row {
    keyword: "stack",
    article: "the stack header",
    expands: Expands::Header,
    fields: &[
        required(
            "region",
            STR,
            "the one region the stack lives in, e.g. `\"eu-west-2\"`",
        ),
        field("name", STR),
        field("description", STR),
        field("tags", Tags),
        field("required_tags", TagNames),
    ],
};

static SETTINGS: Row = Row {
    keyword: "settings",
    article: "the settings",
    expands: Expands::Settings,
    fields: &[],
};

static PARAMETER: Row = Row {
    keyword: "parameter",
    article: "a parameter",
    expands: Expands::Parameter,
    fields: &[
        field("description", STR),
        field("default", ANY),
        flag("no_echo", false),
        field("allowed_values", ANY),
        field("allowed_pattern", STR),
        field("min_length", Plain(Lit::Int)),
        field("max_length", Plain(Lit::Int)),
    ],
};

static VPC: Row = Row {
    keyword: "vpc",
    article: "a VPC",
    expands: Expands::Construct {
        spec: "VpcSpec",
        handle: Handle::Construct("Network"),
    },
    fields: &[
        required(
            "cidr",
            STR,
            "the VPC's address block, e.g. `\"10.0.0.0/16\"`",
        ),
        field("public", CidrList),
        field("private", CidrList),
        field("database", CidrList),
        int("nat_gateways", d::vpc::NAT_GATEWAYS as i64),
        field("flow_logs", Ref(&[Kind::LogGroup])),
        flag("restrict_default_group", d::vpc::RESTRICT_DEFAULT_GROUP),
    ],
};

static SECURITY_GROUP_ROW: Row = Row {
    keyword: "security_group",
    article: "a security group",
    expands: Expands::Construct {
        spec: "SecurityGroupSpec",
        handle: Handle::Group,
    },
    fields: &[
        field("description", STR),
        field("ingress", Ingress),
        field("egress", Egress),
    ],
};

static KEY_ROW: Row = Row {
    keyword: "key",
    article: "a KMS key",
    expands: Expands::Construct {
        spec: "KeySpec",
        handle: Handle::Key,
    },
    fields: &[
        field("description", STR),
        flag("rotation", d::key::ROTATION),
        flag("allow_logs", d::key::ALLOW_LOGS),
    ],
};

static BUCKET: Row = Row {
    keyword: "bucket",
    article: "a bucket",
    expands: Expands::Construct {
        spec: "BucketSpec",
        handle: Handle::Bucket,
    },
    fields: &[
        field("encryption", Encryption),
        flag("versioning", d::bucket::VERSIONING),
        field("glacier_after_days", Optional(Lit::Int)),
        flag("load_balancer_logs", d::bucket::LOAD_BALANCER_LOGS),
        field("statements", Statements),
    ],
};

static LOG_GROUP: Row = Row {
    keyword: "log_group",
    article: "a log group",
    expands: Expands::Construct {
        spec: "LogGroupSpec",
        handle: Handle::LogGroup,
    },
    fields: &[
        required(
            "retention_days",
            Plain(Lit::Int),
            "how long events are kept, e.g. `365`",
        ),
        field("key", KEY),
        field("name", Optional(Lit::Str)),
    ],
};

static ROLE: Row = Row {
    keyword: "role",
    article: "a role",
    expands: Expands::Construct {
        spec: "RoleSpec",
        handle: Handle::Role,
    },
    fields: &[
        field("description", STR),
        required(
            "assumed_by",
            Principal,
            "who may assume it, e.g. `ecs_tasks`",
        ),
        field("grants", Grants),
        FieldDef {
            one_of: Some(infra_facts::iam::MANAGED_POLICIES),
            ..field("managed_policies", Strings)
        },
    ],
};

static AURORA: Row = Row {
    keyword: "aurora",
    article: "an Aurora cluster",
    expands: Expands::Construct {
        spec: "AuroraSpec",
        handle: Handle::Database,
    },
    fields: &[
        required(
            "subnets",
            Tier,
            "its database tier, e.g. `network.database`",
        ),
        required("security_group", SECURITY_GROUP, "its security group"),
        required("key", KEY, "the key that encrypts it"),
        text("engine", d::aurora::ENGINE),
        field("port", Optional(Lit::Int)),
        float("min_capacity", d::aurora::MIN_CAPACITY),
        float("max_capacity", d::aurora::MAX_CAPACITY),
        int("backup_days", d::aurora::BACKUP_DAYS as i64),
        int("instances", d::aurora::INSTANCES as i64),
        text("database_name", d::aurora::DATABASE_NAME),
        text("master_username", d::aurora::MASTER_USERNAME),
        flag("deletion_protection", d::aurora::DELETION_PROTECTION),
        flag("final_snapshot", d::aurora::FINAL_SNAPSHOT),
        int("log_retention_days", d::aurora::LOG_RETENTION_DAYS as i64),
        int("monitoring_interval", d::aurora::MONITORING_INTERVAL as i64),
    ],
};

static LOAD_BALANCER: Row = Row {
    keyword: "load_balancer",
    article: "a load balancer",
    expands: Expands::Construct {
        spec: "LoadBalancerSpec",
        handle: Handle::Balancer,
    },
    fields: &[
        required("subnets", Tier, "its tier, e.g. `network.public`"),
        required("security_group", SECURITY_GROUP, "its security group"),
        flag("internet_facing", d::load_balancer::INTERNET_FACING),
        field("certificate", ValueRef(&[Kind::Parameter])),
        flag("allow_plain_http", d::load_balancer::ALLOW_PLAIN_HTTP),
        int("target_port", d::load_balancer::TARGET_PORT as i64),
        text("health_check", d::load_balancer::HEALTH_CHECK),
        field("access_logs", Ref(&[Kind::Bucket])),
        flag("deletion_protection", d::load_balancer::DELETION_PROTECTION),
    ],
};

static FARGATE_SERVICE: Row = Row {
    keyword: "fargate_service",
    article: "a Fargate service",
    expands: Expands::Construct {
        spec: "FargateServiceSpec",
        handle: Handle::Construct("FargateService"),
    },
    fields: &[
        required("subnets", Tier, "its tier, e.g. `network.private`"),
        required("security_group", SECURITY_GROUP, "its security group"),
        field("load_balancer", Ref(&[Kind::LoadBalancer])),
        required("image", STR, "the container image, pinned to a version"),
        int("port", d::fargate::PORT as i64),
        int("cpu", d::fargate::CPU as i64),
        int("memory", d::fargate::MEMORY as i64),
        int("desired", d::fargate::DESIRED as i64),
        int("min", d::fargate::MIN as i64),
        int("max", d::fargate::MAX as i64),
        int("cpu_target", d::fargate::CPU_TARGET as i64),
        int("memory_target", d::fargate::MEMORY_TARGET as i64),
        role_for(
            "execution_role",
            "EcsTasks",
            "the role ECS starts tasks with",
        ),
        role_for("task_role", "EcsTasks", "the role the application runs as"),
        granted(
            required(
                "logs",
                Ref(&[Kind::LogGroup]),
                "the log group the container writes to",
            ),
            "write_logs",
            "execution_role",
        ),
        field("database", Ref(&[Kind::Aurora])),
        text("database_user", d::fargate::DATABASE_USER),
        flag("container_insights", d::fargate::CONTAINER_INSIGHTS),
        field("cluster", Ref(&[Kind::Cluster])),
        field("command", Strings),
        field("environment", Environment),
        field("secrets", Secrets),
    ],
};

static SECRET: Row = Row {
    keyword: "secret",
    article: "a secret",
    expands: Expands::Construct {
        spec: "SecretSpec",
        handle: Handle::Secret,
    },
    fields: &[
        field("description", STR),
        field("key", KEY),
        field("length", Optional(Lit::Int)),
    ],
};

static CLUSTER: Row = Row {
    keyword: "cluster",
    article: "an ECS cluster",
    expands: Expands::Construct {
        spec: "ClusterSpec",
        handle: Handle::Resource("ecs", "Cluster"),
    },
    fields: &[flag("container_insights", d::fargate::CONTAINER_INSIGHTS)],
};

static QUEUE: Row = Row {
    keyword: "queue",
    article: "a queue",
    expands: Expands::Construct {
        spec: "QueueSpec",
        handle: Handle::Construct("Queue"),
    },
    fields: &[
        field("key", KEY),
        flag("fifo", false),
        ranged(
            "visibility_timeout_seconds",
            &sqs::VISIBILITY_TIMEOUT_SECONDS,
        ),
        ranged("retention_days", &sqs::RETENTION_DAYS),
        ranged("delay_seconds", &sqs::DELAY_SECONDS),
        ranged("max_receives", &sqs::MAX_RECEIVES),
    ],
};

static FUNCTION: Row = Row {
    keyword: "function",
    article: "a Lambda function",
    expands: Expands::Construct {
        spec: "FunctionSpec",
        handle: Handle::Construct("Function"),
    },
    fields: &[
        required(
            "code",
            FieldKind::Code,
            "its code: a directory, e.g. `\"functions/api\"`, or `inline(\"…\")`",
        ),
        required("handler", STR, "its entry point, e.g. `\"app.handler\"`"),
        choice("runtime", lambda::RUNTIMES, lambda::DEFAULT_RUNTIME),
        choice(
            "architecture",
            lambda::ARCHITECTURES,
            lambda::DEFAULT_ARCHITECTURE,
        ),
        ranged("memory", &lambda::MEMORY_MB),
        ranged("timeout_seconds", &lambda::TIMEOUT_SECONDS),
        FieldDef {
            required: None,
            ..role_for("role", "Lambda", "the role it runs as")
        },
        granted(field("logs", Ref(&[Kind::LogGroup])), "write_logs", "role"),
        field("grants", Grants),
        FieldDef {
            grammar: Some(|name| lambda::environment_name_problem(name).map(Cow::Borrowed)),
            ..field("environment", Environment)
        },
        granted(field("key", KEY), "use_key", "role"),
        granted(field("dead_letters", Ref(&[Kind::Queue])), "send", "role"),
        FieldDef {
            shape: Optional(Lit::Int),
            ..ranged("reserved_concurrency", &lambda::RESERVED_CONCURRENCY)
        },
        granted(field("queue", Ref(&[Kind::Queue])), "consume", "role"),
        field("subnets", Tier),
        field("security_group", SECURITY_GROUP),
        ranged("batch_size", &lambda::BATCH_SIZE),
        field("description", STR),
    ],
};

/// A bucket's extra statement (`statements: [cloudfront_read(cdn)]`); the raw
/// distribution it takes is called by `tests/tests/static_site.rs`.
pub const BUCKET_STATEMENT: CallType = CallType {
    name: "BucketStatement",
    verbs: &["cloudfront_read"],
};

/// A table's key attribute by its type.
const KEY_ATTRIBUTE: CallType = CallType {
    name: "KeyAttribute",
    verbs: &["string", "number", "binary"],
};

static TABLE: Row = Row {
    keyword: "table",
    article: "a DynamoDB table",
    expands: Expands::Construct {
        spec: "TableSpec",
        handle: Handle::Construct("Table"),
    },
    fields: &[
        required(
            "partition_key",
            FieldKind::Call {
                ty: &KEY_ATTRIBUTE,
                example: "string(\"order_id\")",
                optional: false,
            },
            "its partition key, e.g. `string(\"order_id\")`",
        ),
        field(
            "sort_key",
            FieldKind::Call {
                ty: &KEY_ATTRIBUTE,
                example: "number(\"placed_at\")",
                optional: true,
            },
        ),
        field("key", KEY),
        FieldDef {
            shape: Optional(Lit::Int),
            ..ranged("read_capacity", &dynamodb::CAPACITY_UNITS)
        },
        FieldDef {
            shape: Optional(Lit::Int),
            ..ranged("write_capacity", &dynamodb::CAPACITY_UNITS)
        },
        flag("stream", false),
        flag("point_in_time_recovery", true),
    ],
};

static HTTP_API: Row = Row {
    keyword: "http_api",
    article: "an HTTP API",
    expands: Expands::Construct {
        spec: "HttpApiSpec",
        handle: Handle::Construct("HttpApi"),
    },
    fields: &[
        required(
            "routes",
            FieldKind::Calls {
                ty: &CallType {
                    name: "Route",
                    verbs: &["get", "post", "put", "patch", "delete", "any"],
                },
                example: "[post(\"/orders\", intake)]",
            },
            "its routes, e.g. `[post(\"/orders\", intake)]`",
        ),
        required(
            "logs",
            Ref(&[Kind::LogGroup]),
            "the log group of its access logs",
        ),
        ranged("throttle_rate", &apigateway::THROTTLE_RATE),
        ranged("throttle_burst", &apigateway::THROTTLE_BURST),
        flag("public", false),
    ],
};

static SCHEDULE: Row = Row {
    keyword: "schedule",
    article: "a schedule",
    expands: Expands::Construct {
        spec: "ScheduleSpec",
        handle: Handle::Construct("Schedule"),
    },
    fields: &[
        phrase(
            "every",
            |every| events::schedule_problem(every).map(Cow::Borrowed),
            "when it fires, e.g. `\"rate(5 minutes)\"` or `\"cron(0 2 * * ? *)\"`",
        ),
        required("target", Ref(&[Kind::Function]), "the function it invokes"),
        FieldDef {
            grammar: Some(json_problem),
            ..field("input", Optional(Lit::Str))
        },
        field("description", STR),
    ],
};

static TOPIC: Row = Row {
    keyword: "topic",
    article: "a topic",
    expands: Expands::Construct {
        spec: "TopicSpec",
        handle: Handle::Construct("Topic"),
    },
    fields: &[
        field("key", KEY),
        field(
            "subscribers",
            FieldKind::Calls {
                ty: &CallType {
                    name: "Subscriber",
                    verbs: &["function", "queue"],
                },
                example: "[function(notify), queue(audit)]",
            },
        ),
    ],
};

static STATE_MACHINE: Row = Row {
    keyword: "state_machine",
    article: "a state machine",
    expands: Expands::Construct {
        spec: "StateMachineSpec",
        handle: Handle::Construct("StateMachine"),
    },
    fields: &[
        required(
            "steps",
            FieldKind::Calls {
                ty: &CallType {
                    name: "Step",
                    verbs: &["invoke", "put_item", "send", "publish"],
                },
                example: "[invoke(check), put_item(orders, \"$.order\")]",
            },
            "its tasks, run in order, e.g. `[invoke(check), put_item(orders, \"$.order\")]`",
        ),
        required(
            "logs",
            Ref(&[Kind::LogGroup]),
            "the log group of its executions",
        ),
        flag("express", false),
    ],
};

static TRAIL: Row = Row {
    keyword: "trail",
    article: "a trail",
    expands: Expands::Construct {
        spec: "TrailSpec",
        handle: Handle::Resource("cloudtrail", "Trail"),
    },
    fields: &[
        required(
            "bucket",
            Ref(&[Kind::Bucket]),
            "the bucket of this stack its log files are delivered to",
        ),
        required(
            "key",
            KEY,
            "the key of this stack its log files are encrypted with",
        ),
        flag("multi_region", true),
    ],
};

static RECORDER: Row = Row {
    keyword: "recorder",
    article: "a configuration recorder",
    expands: Expands::Construct {
        spec: "RecorderSpec",
        handle: Handle::Construct("Recorder"),
    },
    fields: &[
        required(
            "bucket",
            Ref(&[Kind::Bucket]),
            "the bucket its snapshots are delivered to",
        ),
        required("key", KEY, "the key its snapshots are encrypted with"),
    ],
};

static EKS_CLUSTER: Row = Row {
    keyword: "eks_cluster",
    article: "an EKS cluster",
    expands: Expands::Construct {
        spec: "EksClusterSpec",
        handle: Handle::Construct("EksCluster"),
    },
    fields: &[
        required("subnets", Tier, "its private tier, e.g. `network.private`"),
        required(
            "key",
            KEY,
            "the key of this stack its secrets and control-plane logs are encrypted with",
        ),
        phrase(
            "version",
            |version| infra_facts::limits::eks::version_problem(version).map(Cow::Borrowed),
            "its Kubernetes version, e.g. `\"1.33\"`",
        ),
        FieldDef {
            grammar: Some(|t| {
                infra_facts::limits::eks::instance_type_problem(t).map(Cow::Borrowed)
            }),
            ..required(
                "instance_types",
                Strings,
                "its nodes' instance types, e.g. `[\"m7g.large\"]`",
            )
        },
        ranged("min", &infra_facts::limits::eks::NODES),
        ranged("max", &infra_facts::limits::eks::NODES),
    ],
};

static RESOURCE: Row = Row {
    keyword: "resource",
    article: "a raw resource",
    expands: Expands::Resource,
    fields: &[],
};

static OUTPUT: Row = Row {
    keyword: "output",
    article: "an output",
    expands: Expands::Output,
    fields: &[
        required("value", ANY, "what the output shows, a Rust expression"),
        field("description", STR),
        field("export", ANY),
    ],
};

static IMPORT: Row = Row {
    keyword: "import",
    article: "an import",
    expands: Expands::Import,
    fields: &[],
};

static COMPONENT: Row = Row {
    keyword: "component",
    article: "the component header",
    expands: Expands::Header,
    fields: &[field("description", STR)],
};

static INPUT: Row = Row {
    keyword: "input",
    article: "an input",
    expands: Expands::Input,
    fields: &[],
};

static CONSTRUCT: Row = Row {
    keyword: "construct",
    article: "a construct",
    expands: Expands::Path,
    fields: &[],
};

impl Kind {
    /// Every kind, in the order messages list them.
    pub const ALL: [Kind; 30] = [
        Kind::Stack,
        Kind::Settings,
        Kind::Parameter,
        Kind::Vpc,
        Kind::SecurityGroup,
        Kind::Key,
        Kind::Bucket,
        Kind::LogGroup,
        Kind::Role,
        Kind::Aurora,
        Kind::LoadBalancer,
        Kind::FargateService,
        Kind::Secret,
        Kind::Cluster,
        Kind::Queue,
        Kind::Function,
        Kind::Table,
        Kind::HttpApi,
        Kind::Schedule,
        Kind::Topic,
        Kind::StateMachine,
        Kind::Trail,
        Kind::Recorder,
        Kind::EksCluster,
        Kind::Resource,
        Kind::Output,
        Kind::Import,
        Kind::Component,
        Kind::Input,
        Kind::Construct,
    ];

    /// The kind's data.
    pub fn row(self) -> &'static Row {
        match self {
            Kind::Stack => &STACK,
            Kind::Settings => &SETTINGS,
            Kind::Parameter => &PARAMETER,
            Kind::Vpc => &VPC,
            Kind::SecurityGroup => &SECURITY_GROUP_ROW,
            Kind::Key => &KEY_ROW,
            Kind::Bucket => &BUCKET,
            Kind::LogGroup => &LOG_GROUP,
            Kind::Role => &ROLE,
            Kind::Aurora => &AURORA,
            Kind::LoadBalancer => &LOAD_BALANCER,
            Kind::FargateService => &FARGATE_SERVICE,
            Kind::Secret => &SECRET,
            Kind::Cluster => &CLUSTER,
            Kind::Queue => &QUEUE,
            Kind::Function => &FUNCTION,
            Kind::Table => &TABLE,
            Kind::HttpApi => &HTTP_API,
            Kind::Schedule => &SCHEDULE,
            Kind::Topic => &TOPIC,
            Kind::StateMachine => &STATE_MACHINE,
            Kind::Trail => &TRAIL,
            Kind::Recorder => &RECORDER,
            Kind::EksCluster => &EKS_CLUSTER,
            Kind::Resource => &RESOURCE,
            Kind::Output => &OUTPUT,
            Kind::Import => &IMPORT,
            Kind::Component => &COMPONENT,
            Kind::Input => &INPUT,
            Kind::Construct => &CONSTRUCT,
        }
    }

    /// Every keyword, for "did you mean" and "expected one of".
    pub fn keywords() -> impl Iterator<Item = &'static str> + Clone {
        Self::ALL.iter().map(|k| k.row().keyword)
    }

    /// The declaration a keyword introduces.
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.row().keyword == keyword)
    }

    /// The spec struct and handle type of a built-in construct.
    pub fn construct(self) -> Option<(&'static str, Handle)> {
        match self.row().expands {
            Expands::Construct { spec, handle } => Some((spec, handle)),
            _ => None,
        }
    }

    /// Whether the declaration is a construct (expands through `infra_runtime::construct`).
    pub fn is_construct(self) -> bool {
        self.construct().is_some()
    }

    /// Whether [`Row::fields`] lists every field the declaration takes, so that the macro
    /// itself reports any other (constructs leave that to rustc and their spec struct;
    /// raw resources to the generated struct; settings declare their own).
    pub fn fields_are_closed(self) -> bool {
        matches!(
            self.row().expands,
            Expands::Header
                | Expands::Parameter
                | Expands::Output
                | Expands::Import
                | Expands::Input
        )
    }

    /// The definition of a field the macro knows.
    pub fn field_def(self, key: &str) -> Option<&'static FieldDef> {
        self.row().fields.iter().find(|f| f.key == key)
    }

    /// How the generator treats a field; unknown fields pass through as expressions.
    pub fn field(self, key: &str) -> FieldKind {
        self.field_def(key).map_or(ANY, |f| f.shape)
    }

    /// Fields the declaration cannot do without, with what each is for.
    pub fn required_fields(self) -> impl Iterator<Item = (&'static str, &'static str)> {
        self.row()
            .fields
            .iter()
            .filter_map(|f| f.required.map(|what| (f.key, what)))
    }

    /// What the runtime uses for a field left out.
    pub fn default(self, key: &str) -> Fact {
        self.field_def(key).map_or(Fact::None, |f| f.default)
    }

    /// What the kind is called in messages ("a security group").
    pub fn article(self) -> &'static str {
        self.row().article
    }

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

/// The keywords `assumed_by` accepts (`ecs_tasks`), with their runtime variants (the
/// type stems of `infra_facts::iam::SERVICE_PRINCIPALS` that have a keyword); any other
/// principal of that table is written as a string.
pub fn principal_keywords() -> impl Iterator<Item = (&'static str, &'static str)> + Clone {
    infra_facts::iam::SERVICE_PRINCIPALS
        .iter()
        .filter_map(|(keyword, stem, _)| Some(((*keyword)?, *stem)))
}

/// The principal an `assumed_by` value names, `(type stem, service principal)`: an entry
/// of `infra_facts::iam::SERVICE_PRINCIPALS` by keyword (`ecs_tasks`) or string
/// (`"states.amazonaws.com"`), or any other service's principal as a string
/// (`"bedrock.amazonaws.com"`, type stem `infra_facts::iam::OTHER_SERVICE`).
pub fn principal(expr: &syn::Expr) -> Option<(&'static str, String)> {
    let listed = |(stem, service): (&'static str, &str)| (stem, service.to_owned());
    match crate::model::ident(expr) {
        Some(ident) => infra_facts::iam::service_principal(&ident.to_string(), false).map(listed),
        None => {
            let text = crate::model::string(expr)?;
            match infra_facts::iam::service_principal(&text, true) {
                Some(found) => Some(listed(found)),
                None => infra_facts::iam::is_service_principal(&text)
                    .then_some((infra_facts::iam::OTHER_SERVICE, text)),
            }
        }
    }
}

/// The grant that is the language's own rather than a verb of a resource:
/// `allow([actions], [arns])`. Every other grant is `<verb>(<resource>, …)`, a method of
/// the resource's `Grantable::Verbs`.
pub const ALLOW: &str = "allow";

/// What a task's `secrets` and the `read_secret` grant read: a secret, or an Aurora
/// cluster's managed master secret.
pub const SECRET_SOURCES: &[Kind] = &[Kind::Secret, Kind::Aurora];

/// What a task's `secrets` may name: a secret source, or a parameter holding a secret's
/// ARN (its type is rustc's to check).
pub const SECRET_VALUES: &[Kind] = &[Kind::Secret, Kind::Aurora, Kind::Parameter];

/// Tiers a `vpc` declares.
pub const TIERS: &[&str] = &["public", "private", "database"];

/// The tier a construct's subnets belong in: services in private subnets, databases in
/// database ones, load balancers in public ones when they face the internet and private
/// ones otherwise (`None` when that is known only at run time, or the kind takes none).
pub fn expected_tier(kind: Kind, internet_facing: Option<bool>) -> Option<&'static str> {
    match kind {
        Kind::FargateService | Kind::Function | Kind::EksCluster => Some("private"),
        Kind::Aurora => Some("database"),
        Kind::LoadBalancer => internet_facing.map(|i| if i { "public" } else { "private" }),
        _ => None,
    }
}

/// The tier a `Subnets<Marker>` names: `Private` -> `private`.
pub fn tier_of_marker(marker: &str) -> Option<&'static str> {
    TIERS
        .iter()
        .copied()
        .find(|t| t.eq_ignore_ascii_case(marker))
}

/// The source of an ingress rule that is not a security group.
pub const INTERNET: &str = "internet";

/// Names the language gives a meaning of its own, which a declaration may not take:
/// `internet` (an ingress source), the principals, and the constructor's `config` and
/// `settings`, which field values read.
pub fn reserved(name: &str) -> Option<&'static str> {
    if name == INTERNET {
        Some("`internet` is the peer of rules from and to anywhere")
    } else if principal_keywords().any(|(p, _)| p == name) {
        Some("it names a service principal in `assumed_by`")
    } else if name == "config" {
        Some("field values read the stack's configuration as `config`")
    } else if name == "settings" {
        Some("field values read the stack's settings as `settings`")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_keyword() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_keyword(kind.row().keyword), Some(kind));
        }
        assert_eq!(Kind::keywords().count(), Kind::ALL.len());
    }

    #[test]
    fn field_names_are_unique_within_a_row() {
        for kind in Kind::ALL {
            let fields = kind.row().fields;
            for (i, f) in fields.iter().enumerate() {
                assert!(
                    fields[i + 1..].iter().all(|g| g.key != f.key),
                    "{kind:?}.{}",
                    f.key
                );
            }
        }
    }

    #[test]
    fn defaults_match_the_runtime_facts() {
        assert_eq!(
            Kind::FargateService.default("port"),
            Fact::Int(i64::from(d::fargate::PORT))
        );
        assert_eq!(Kind::Aurora.default("engine"), Fact::Str(d::aurora::ENGINE));
        assert_eq!(Kind::Key.default("rotation"), Fact::Bool(d::key::ROTATION));
    }
}
