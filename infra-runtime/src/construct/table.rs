//! `table`: a DynamoDB table with typed keys, billed on demand (or provisioned when both
//! capacities are written), point-in-time recovery on, encrypted with a key of the stack
//! (or DynamoDB's own), kept when it leaves the stack and protected from deletion in
//! production; `read` and `write` grant a role its actions, with the key's.
//!
//! ```text
//! table orders { partition_key: string("order_id"), sort_key: number("placed_at"), key: data_key }
//! role api { assumed_by: lambda, grants: [read(orders), write(orders)] }
//! ```

use super::{Grant, IamResource, Scope, some};
use crate::aws::dynamodb::{self, table};
use crate::aws::kms::Key;
use crate::{Handle, Policy, ResourceOptions, Value};
use infra_facts::limits::dynamodb as limits;

/// A key attribute: its name and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyAttribute<'a> {
    name: &'a str,
    kind: &'static str,
}

impl<'a> KeyAttribute<'a> {
    /// A string attribute (`S`).
    pub const fn string(name: &'a str) -> Self {
        Self { name, kind: "S" }
    }

    /// A number attribute (`N`).
    pub const fn number(name: &'a str) -> Self {
        Self { name, kind: "N" }
    }

    /// A binary attribute (`B`).
    pub const fn binary(name: &'a str) -> Self {
        Self { name, kind: "B" }
    }

    fn definition(self) -> table::AttributeDefinition {
        table::AttributeDefinition {
            attribute_name: self.name.into(),
            attribute_type: Value::unchecked(self.kind.into()),
        }
    }
}

/// What a `table` declaration writes.
#[derive(Debug)]
pub struct TableSpec<'a> {
    /// The partition (hash) key.
    pub partition_key: KeyAttribute<'a>,
    /// The sort (range) key, if items are ordered within a partition.
    pub sort_key: Option<KeyAttribute<'a>>,
    /// A customer-managed key; `None` uses DynamoDB's own.
    pub key: Option<&'a Handle<Key>>,
    /// Provisioned read capacity units (with `write_capacity`; on demand without).
    pub read_capacity: Option<u32>,
    /// Provisioned write capacity units (with `read_capacity`).
    pub write_capacity: Option<u32>,
    /// A stream of every change, with the item before and after.
    pub stream: bool,
    /// Restore to any second of the last 35 days.
    pub point_in_time_recovery: bool,
}

impl Default for TableSpec<'_> {
    fn default() -> Self {
        Self {
            partition_key: KeyAttribute::string(""),
            sort_key: None,
            key: None,
            read_capacity: None,
            write_capacity: None,
            stream: false,
            point_in_time_recovery: true,
        }
    }
}

/// A DynamoDB table and the key that encrypts it.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table.
    pub table: Handle<dynamodb::Table>,
    /// Its customer-managed key, if it has one.
    pub key: Option<Handle<Key>>,
}

impl Table {
    /// The table's name, what SDK clients address it by.
    pub fn name(&self) -> Value<crate::Name<dynamodb::Table>> {
        self.table.reference()
    }

    /// The table's ARN.
    pub fn arn(&self) -> Value<crate::Arn<dynamodb::Table>> {
        self.table.arn()
    }

    /// The ARN of the table's stream of changes (declared with `stream: true`), what a
    /// function reading those changes names; the table's own ARN is no event source.
    pub fn stream_arn(&self) -> Value<crate::StreamArn<dynamodb::Table>> {
        self.table.stream_arn()
    }
}

/// Adds the table.
#[track_caller]
pub fn table(scope: &mut Scope<'_>, id: &str, spec: TableSpec<'_>) -> Table {
    scope.enter();
    reject_invalid(scope, id, &spec);
    let keys: Vec<(KeyAttribute<'_>, &str)> = std::iter::once((spec.partition_key, "HASH"))
        .chain(spec.sort_key.map(|k| (k, "RANGE")))
        .collect();
    let provisioned = match (spec.read_capacity, spec.write_capacity) {
        (Some(read), Some(write)) => Some(table::ProvisionedThroughput {
            read_capacity_units: i64::from(read).into(),
            write_capacity_units: i64::from(write).into(),
        }),
        _ => None,
    };
    let handle = scope.add_with(
        id,
        dynamodb::table::Table {
            attribute_definitions: Some(keys.iter().map(|(k, _)| k.definition()).collect()),
            key_schema: Value::unchecked(serde_json::json!(
                keys.iter()
                    .map(
                        |(k, role)| serde_json::json!({ "AttributeName": k.name, "KeyType": role })
                    )
                    .collect::<Vec<_>>()
            )),
            billing_mode: Some(Value::unchecked(
                if provisioned.is_some() {
                    "PROVISIONED"
                } else {
                    "PAY_PER_REQUEST"
                }
                .into(),
            )),
            provisioned_throughput: provisioned,
            point_in_time_recovery_specification: Some(table::PointInTimeRecoverySpecification {
                point_in_time_recovery_enabled: some(spec.point_in_time_recovery),
                ..Default::default()
            }),
            sse_specification: spec.key.map(|key| table::SseSpecification {
                kms_master_key_id: Some(key.arn().erase().cast()),
                sse_enabled: true.into(),
                sse_type: Some(Value::unchecked("KMS".into())),
            }),
            stream_specification: spec.stream.then(|| table::StreamSpecification {
                stream_view_type: Value::unchecked("NEW_AND_OLD_IMAGES".into()),
                ..Default::default()
            }),
            deletion_protection_enabled: scope.config.is_production().then(|| true.into()),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
        options(&spec),
    );
    Table {
        table: handle,
        key: spec.key.cloned(),
    }
}

/// Kept when it leaves the stack, whatever the environment: a table holds data. A table
/// on DynamoDB's own key says why to checkers that know only customer keys.
fn options(spec: &TableSpec<'_>) -> ResourceOptions {
    let options = ResourceOptions::new().retain_policy(Policy::Retain);
    if spec.key.is_some() {
        return options;
    }
    super::suppress(
        options,
        super::Checker::Checkov,
        "CKV_AWS_119",
        "Encrypted at rest with DynamoDB's own key; a `key` gives the table a customer-managed key instead",
    )
}

/// Names and capacities DynamoDB would refuse.
fn reject_invalid(scope: &mut Scope<'_>, id: &str, spec: &TableSpec<'_>) {
    let keys = std::iter::once(spec.partition_key).chain(spec.sort_key);
    for key in keys {
        if let Some(problem) = limits::attribute_name_problem(key.name) {
            scope.reject(id, format!("the key attribute `{}` {problem}", key.name));
        }
    }
    if spec
        .sort_key
        .is_some_and(|k| k.name == spec.partition_key.name)
    {
        scope.reject(
            id,
            format!(
                "its sort key and partition key are both `{}`; give them different attributes",
                spec.partition_key.name
            ),
        );
    }
    if let Some(problem) =
        limits::capacity_problem(spec.read_capacity.is_some(), spec.write_capacity.is_some())
    {
        scope.reject(id, problem.to_owned());
    }
    for (field, value) in [
        ("read_capacity", spec.read_capacity),
        ("write_capacity", spec.write_capacity),
    ] {
        if let Some(value) = value
            && let Some(problem) = limits::CAPACITY_UNITS.problem(i64::from(value))
        {
            scope.reject(id, format!("{field} is {value}, but {problem}"));
        }
    }
}

/// The verbs of a `table`: `read` and `write` its items, with the key's actions when it
/// is encrypted with a key of the stack.
#[derive(Debug, Clone, Copy)]
pub struct TableVerbs<'a>(&'a Table);

/// The access levels of the Table beneath these verbs (`tag`, …).
impl super::AccessLevels for TableVerbs<'_> {
    type Primary = crate::aws::dynamodb::Table;

    fn primary(&self) -> &Handle<crate::aws::dynamodb::Table> {
        &self.0.table
    }
}

impl TableVerbs<'_> {
    /// Get, query and scan items.
    pub fn read(&self) -> Grant {
        Grant::new(
            "ReadItems",
            &[
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DescribeTable",
            ],
            [self.0.arn().into()],
        )
        .and(&["kms:Decrypt"], self.key())
    }

    /// Put, update and delete items.
    pub fn write(&self) -> Grant {
        Grant::new(
            "WriteItems",
            &[
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:DescribeTable",
            ],
            [self.0.arn().into()],
        )
        .and(
            &["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
            self.key(),
        )
    }

    fn key(&self) -> Option<IamResource> {
        self.0.key.as_ref().map(|k| k.arn().into())
    }
}

super::grantable!(Table => TableVerbs);

impl super::Construct for Table {
    type Spec<'a> = TableSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: TableSpec<'_>) -> Self {
        table(scope, id, spec)
    }
}
