//! What the schemas do not say, written down once: how each resource is referred to,
//! which untyped properties are really references, and names for union kinds.
//!
//! Every override must match a property of the schemas; the generator fails otherwise,
//! so this table cannot silently rot when the schemas change.

/// A way of referring to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Id,
    Arn,
    Name,
    Url,
    /// The ARN of a resource's change stream (a DynamoDB table's), which is not the
    /// resource's own ARN: what a stream's consumers name.
    StreamArn,
}

impl Kind {
    pub fn method(self) -> &'static str {
        match self {
            Kind::Id => "id",
            Kind::Arn => "arn",
            Kind::Name => "name",
            Kind::Url => "url",
            Kind::StreamArn => "stream_arn",
        }
    }
    /// How a sentence names it.
    pub fn words(self) -> &'static str {
        match self {
            Kind::Id => "id",
            Kind::Arn => "ARN",
            Kind::Name => "name",
            Kind::Url => "URL",
            Kind::StreamArn => "stream's ARN",
        }
    }
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Id => "Id",
            Kind::Arn => "Arn",
            Kind::Name => "Name",
            Kind::Url => "Url",
            Kind::StreamArn => "StreamArn",
        }
    }
}

/// How a template obtains a reference of some kind to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Ref,
    GetAtt(&'static str),
}

use Kind::{Arn, Id, Name, StreamArn, Url};
use Via::{GetAtt, Ref};

/// For each resource type, the references it can produce and how (from the CloudFormation
/// documentation's "Return values" section of each type).
pub const IDENTITIES: &[(&str, Kind, Via)] = &[
    ("AWS::EC2::VPC", Id, Ref),
    ("AWS::EC2::Subnet", Id, Ref),
    ("AWS::EC2::InternetGateway", Id, Ref),
    ("AWS::EC2::EIP", Id, GetAtt("AllocationId")),
    ("AWS::EC2::NatGateway", Id, Ref),
    ("AWS::EC2::RouteTable", Id, Ref),
    ("AWS::EC2::SecurityGroup", Id, GetAtt("GroupId")),
    ("AWS::EC2::FlowLog", Id, Ref),
    ("AWS::KMS::Key", Id, Ref),
    ("AWS::KMS::Key", Arn, GetAtt("Arn")),
    ("AWS::KMS::Alias", Name, Ref),
    ("AWS::S3::Bucket", Name, Ref),
    ("AWS::S3::Bucket", Arn, GetAtt("Arn")),
    ("AWS::Logs::LogGroup", Name, Ref),
    ("AWS::Logs::LogGroup", Arn, GetAtt("Arn")),
    ("AWS::IAM::Role", Name, Ref),
    ("AWS::IAM::Role", Arn, GetAtt("Arn")),
    ("AWS::IAM::Policy", Id, Ref),
    ("AWS::IAM::ManagedPolicy", Arn, Ref),
    ("AWS::Lambda::Function", Name, Ref),
    ("AWS::Lambda::Function", Arn, GetAtt("Arn")),
    ("AWS::SecretsManager::Secret", Arn, Ref),
    ("AWS::CertificateManager::Certificate", Arn, Ref),
    ("AWS::RDS::DBSubnetGroup", Name, Ref),
    ("AWS::RDS::DBCluster", Id, Ref),
    ("AWS::RDS::DBCluster", Arn, GetAtt("DBClusterArn")),
    ("AWS::RDS::DBInstance", Id, Ref),
    ("AWS::RDS::DBInstance", Arn, GetAtt("DBInstanceArn")),
    ("AWS::RDS::DBClusterParameterGroup", Name, Ref),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", Arn, Ref),
    ("AWS::ElasticLoadBalancingV2::TargetGroup", Arn, Ref),
    ("AWS::ElasticLoadBalancingV2::Listener", Arn, Ref),
    ("AWS::ECS::Cluster", Name, Ref),
    ("AWS::ECS::Cluster", Arn, GetAtt("Arn")),
    ("AWS::ECS::TaskDefinition", Arn, Ref),
    ("AWS::ECS::Service", Arn, Ref),
    ("AWS::ApplicationAutoScaling::ScalableTarget", Id, Ref),
    ("AWS::ApplicationAutoScaling::ScalingPolicy", Arn, Ref),
    // What an SDK addresses a queue by: its URL, which is also what `Ref` returns.
    ("AWS::SQS::Queue", Url, GetAtt("QueueUrl")),
    // What a function reading a table's changes names: the stream's ARN, not the table's.
    ("AWS::DynamoDB::Table", StreamArn, GetAtt("StreamArn")),
    ("AWS::Kinesis::StreamConsumer", Arn, GetAtt("ConsumerARN")),
];

/// AWS-specific parameter types for resource ids.
pub const ID_PARAMETER_TYPES: &[(&str, &str)] = &[
    ("AWS::EC2::VPC", "AWS::EC2::VPC::Id"),
    ("AWS::EC2::Subnet", "AWS::EC2::Subnet::Id"),
    ("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroup::Id"),
];

/// Type names used in `format` annotations that differ from the resource type's name.
pub const FORMAT_ALIASES: &[(&str, &str)] = &[(
    "AWS::ACM::Certificate",
    "AWS::CertificateManager::Certificate",
)];

/// References the schemas leave unannotated: (resource type, `Definition/Property` or
/// `Property` for a top-level one, the format it should have had).
pub const OVERRIDES: &[(&str, &str, &str)] = &[
    (
        "AWS::EC2::VPCGatewayAttachment",
        "InternetGatewayId",
        "AWS::EC2::InternetGateway.Id",
    ),
    ("AWS::EC2::NatGateway", "AllocationId", "AWS::EC2::EIP.Id"),
    ("AWS::EC2::Route", "RouteTableId", "AWS::EC2::RouteTable.Id"),
    ("AWS::EC2::Route", "NatGatewayId", "AWS::EC2::NatGateway.Id"),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        "RouteTableId",
        "AWS::EC2::RouteTable.Id",
    ),
    (
        "AWS::EC2::FlowLog",
        "DeliverLogsPermissionArn",
        "AWS::IAM::Role.Arn",
    ),
    (
        "AWS::KMS::Alias",
        "TargetKeyId",
        "AWS::KMS::Key.Id|AWS::KMS::Key.Arn",
    ),
    (
        "AWS::S3::Bucket",
        "LoggingConfiguration/DestinationBucketName",
        "AWS::S3::Bucket.Name",
    ),
    ("AWS::S3::BucketPolicy", "Bucket", "AWS::S3::Bucket.Name"),
    ("AWS::IAM::Policy", "Roles", "AWS::IAM::Role.Name"),
    ("AWS::IAM::ManagedPolicy", "Roles", "AWS::IAM::Role.Name"),
    ("AWS::Lambda::Function", "Role", "AWS::IAM::Role.Arn"),
    (
        "AWS::Lambda::Function",
        "LoggingConfig/LogGroup",
        "AWS::Logs::LogGroup.Name",
    ),
    (
        "AWS::RDS::DBCluster",
        "DBSubnetGroupName",
        "AWS::RDS::DBSubnetGroup.Name",
    ),
    (
        "AWS::RDS::DBCluster",
        "DBClusterParameterGroupName",
        "AWS::RDS::DBClusterParameterGroup.Name",
    ),
    (
        "AWS::RDS::DBInstance",
        "DBClusterIdentifier",
        "AWS::RDS::DBCluster.Id",
    ),
    (
        "AWS::RDS::DBInstance",
        "DBSubnetGroupName",
        "AWS::RDS::DBSubnetGroup.Name",
    ),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "LoadBalancerArn",
        "AWS::ElasticLoadBalancingV2::LoadBalancer.Arn",
    ),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "Action/TargetGroupArn",
        "AWS::ElasticLoadBalancingV2::TargetGroup.Arn",
    ),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "TargetGroupTuple/TargetGroupArn",
        "AWS::ElasticLoadBalancingV2::TargetGroup.Arn",
    ),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "Certificate/CertificateArn",
        "AWS::ACM::Certificate.Arn",
    ),
    (
        "AWS::ECS::Service",
        "Cluster",
        "AWS::ECS::Cluster.Name|AWS::ECS::Cluster.Arn",
    ),
    (
        "AWS::ECS::Service",
        "TaskDefinition",
        "AWS::ECS::TaskDefinition.Arn",
    ),
    (
        "AWS::ECS::Service",
        "LoadBalancer/TargetGroupArn",
        "AWS::ElasticLoadBalancingV2::TargetGroup.Arn",
    ),
    (
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "ScalingTargetId",
        "AWS::ApplicationAutoScaling::ScalableTarget.Id",
    ),
    // The serverless and event world: a function's dead-letter target is a queue or a
    // topic; what names a function takes its name or its ARN; roles, log groups and keys
    // are named by ARN (the CloudFormation reference of each property).
    (
        "AWS::Lambda::Function",
        "DeadLetterConfig/TargetArn",
        "AWS::SQS::Queue.Arn|AWS::SNS::Topic.Arn",
    ),
    (
        "AWS::Lambda::EventSourceMapping",
        "EventSourceArn",
        EVENT_SOURCES,
    ),
    (
        "AWS::Lambda::EventSourceMapping",
        "FunctionName",
        "AWS::Lambda::Function.Name|AWS::Lambda::Function.Arn",
    ),
    (
        "AWS::Lambda::Permission",
        "FunctionName",
        "AWS::Lambda::Function.Name|AWS::Lambda::Function.Arn",
    ),
    (
        "AWS::Lambda::EventInvokeConfig",
        "FunctionName",
        "AWS::Lambda::Function.Name|AWS::Lambda::Function.Arn",
    ),
    (
        "AWS::StepFunctions::StateMachine",
        "CloudWatchLogsLogGroup/LogGroupArn",
        "AWS::Logs::LogGroup.Arn",
    ),
    (
        "AWS::ApiGatewayV2::Stage",
        "AccessLogSettings/DestinationArn",
        "AWS::Logs::LogGroup.Arn",
    ),
    (
        "AWS::ApiGatewayV2::Integration",
        "CredentialsArn",
        "AWS::IAM::Role.Arn",
    ),
    ("AWS::Events::Rule", "Target/RoleArn", "AWS::IAM::Role.Arn"),
    (
        "AWS::Events::Rule",
        "DeadLetterConfig/Arn",
        "AWS::SQS::Queue.Arn",
    ),
    (
        "AWS::Scheduler::Schedule",
        "Target/RoleArn",
        "AWS::IAM::Role.Arn",
    ),
    (
        "AWS::Scheduler::Schedule",
        "DeadLetterConfig/Arn",
        "AWS::SQS::Queue.Arn",
    ),
    ("AWS::EKS::Nodegroup", "NodeRole", "AWS::IAM::Role.Arn"),
    (
        "AWS::EKS::Nodegroup",
        "ClusterName",
        "AWS::EKS::Cluster.Name",
    ),
    ("AWS::EKS::Cluster", "Provider/KeyArn", "AWS::KMS::Key.Arn"),
    (
        "AWS::CloudTrail::Trail",
        "CloudWatchLogsLogGroupArn",
        "AWS::Logs::LogGroup.Arn",
    ),
];

/// What a function's event source mapping reads from (Lambda's `EventSourceArn`): a
/// queue, a table's stream (not the table), a Kinesis stream or its consumer, a Kafka
/// cluster of MSK, an MQ broker. A DocumentDB cluster, whose ARN CloudFormation does not
/// return, is named with `Value::external`.
pub const EVENT_SOURCES: &str = "AWS::SQS::Queue.Arn|AWS::DynamoDB::Table.StreamArn|AWS::Kinesis::Stream.Arn|AWS::Kinesis::StreamConsumer.Arn|AWS::MSK::Cluster.Arn|AWS::MSK::ServerlessCluster.Arn|AWS::AmazonMQ::Broker.Arn";

/// Names for properties that accept several kinds of reference.
pub const UNION_NAMES: &[(&str, &str)] = &[
    (
        "AWS::KMS::Key.Arn|AWS::KMS::Key.Id|AWS::KMS::Alias.AliasName",
        "KmsKeyRef",
    ),
    ("AWS::KMS::Key.Id|AWS::KMS::Key.Arn", "KmsKeyIdOrArn"),
    (
        "AWS::ECS::Cluster.Name|AWS::ECS::Cluster.Arn",
        "ClusterNameOrArn",
    ),
    ("AWS::SQS::Queue.Arn|AWS::SNS::Topic.Arn", "QueueOrTopicArn"),
    (EVENT_SOURCES, "EventSourceArn"),
    (
        "AWS::Lambda::Function.Name|AWS::Lambda::Function.Arn",
        "FunctionNameOrArn",
    ),
];

/// Types whose every property `Fn::GetAtt` may read, not only the read-only ones
/// (the CloudFormation documentation's return values; cfn-lint keeps the same list).
pub const GETATT_ALL_PROPERTIES: &[&str] = &[
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::RDS::DBInstance",
];
