//! Two ordinary stacks beyond the loan platform, written with raw resources of the whole
//! registry beside the constructs: an event-driven service (an encrypted SQS queue with a
//! dead-letter queue feeding a Lambda function that writes a DynamoDB table, its role
//! least-privilege through typed ARNs) and a static site (a private bucket behind
//! CloudFront with origin access control, a Route 53 alias, a certificate parameter).
//! Each synthesizes, wires its references as typed values, and passes cfn-lint.

use infra_macros::stack;
use infra_runtime::intrinsic::sub;
use infra_runtime::{StackConfig, Template};
use serde_json::{Value, json};
use tests::{lint_template, workspace_root};

/// The worker: stores each order of a batch.
const WORKER: &str = r#"import json, os
import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    for record in event["Records"]:
        TABLE.put_item(Item=json.loads(record["body"]))
"#;

stack! {
    /// Orders arrive on a queue; a function stores them; failures wait in a second queue.
    pub stack Orders {
        name: "Orders",
        region: "eu-west-2",
        tags: { CostCenter: "orders" },
        required_tags: [Environment, CostCenter],
    }

    key data_key { description: "Orders: queues, table and logs", rotation: true, allow_logs: true }
    log_group worker_logs { retention_days: 365, key: data_key }

    #[deletion_policy(Retain)]
    resource failed_orders: sqs::Queue {
        kms_master_key_id: Some(data_key.arn().into()),
        message_retention_period: Some(1_209_600.into()),
    }
    #[deletion_policy(Retain)]
    resource orders: sqs::Queue {
        kms_master_key_id: Some(data_key.arn().into()),
        message_retention_period: Some(345_600.into()),
        visibility_timeout: Some(180.into()),
        redrive_policy: Some(
            json!({ "deadLetterTargetArn": failed_orders.arn(), "maxReceiveCount": 5 }).into(),
        ),
    }
    #[deletion_policy(Retain)]
    resource order_table: dynamodb::Table {
        key_schema: json!([{ "AttributeName": "orderId", "KeyType": "HASH" }]).into(),
        attribute_definitions: Some(vec![table::AttributeDefinition {
            attribute_name: "orderId".into(),
            attribute_type: table::AttributeType::S.into(),
        }]),
        billing_mode: Some(table::BillingMode::PayPerRequest.into()),
        sse_specification: Some(table::SseSpecification {
            sse_enabled: true.into(),
            sse_type: Some(table::SseType::Kms.into()),
            kms_master_key_id: Some(data_key.arn().into()),
        }),
        point_in_time_recovery_specification: Some(table::PointInTimeRecoverySpecification {
            point_in_time_recovery_enabled: Some(true.into()),
            ..Default::default()
        }),
    }

    role worker_role {
        description: "Stores orders from the queue in the table",
        assumed_by: lambda,
        grants: [
            write_logs(worker_logs),
            use_key(data_key),
            allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], [orders.arn()]),
            allow(["dynamodb:PutItem"], [order_table.arn()]),
        ],
    }
    resource worker: lambda::Function {
        code: function::Code { zip_file: Some(WORKER.into()), ..Default::default() },
        handler: Some("index.handler".into()),
        runtime: Some(function::Runtime::Python313.into()),
        role: worker_role.arn(),
        timeout: Some(30.into()),
        environment: Some(function::Environment {
            variables: Some(
                std::collections::BTreeMap::from([(
                    "TABLE_NAME".to_owned(),
                    json!(sub("${OrderTable}")),
                )])
                .into(),
            ),
        }),
        logging_config: Some(function::LoggingConfig {
            log_group: Some(worker_logs.name()),
            ..Default::default()
        }),
    }
    resource feed: lambda::EventSourceMapping {
        event_source_arn: Some(orders.arn().into()),
        function_name: worker.arn().into(),
        batch_size: Some(10.into()),
    }

    output queue_url { value: orders.queue_url(), description: "Where orders are sent" }
}

stack! {
    /// A static site: a private bucket served by CloudFront over HTTPS at the site's name.
    pub stack Site {
        name: "Site",
        region: "us-east-1",
        tags: { CostCenter: "web" },
        required_tags: [Environment, CostCenter],
    }

    /// CloudFront certificates live in us-east-1, as this stack does.
    parameter certificate_arn: Arn<certificatemanager::Certificate> {
        description: "ACM certificate for the site's name",
    }
    parameter domain_name: String { description: "The site's name, e.g. www.example.com" }
    parameter zone_id: String { description: "The Route 53 hosted zone of that name" }

    #[deletion_policy(Retain)]
    resource content: s3::Bucket {
        bucket_encryption: Some(bucket::BucketEncryption {
            server_side_encryption_configuration: vec![bucket::ServerSideEncryptionRule {
                server_side_encryption_by_default: Some(bucket::ServerSideEncryptionByDefault {
                    sse_algorithm: bucket::SseAlgorithm::Aes256.into(),
                    ..Default::default()
                }),
                ..Default::default()
            }],
        }),
        public_access_block_configuration: Some(bucket::PublicAccessBlockConfiguration {
            block_public_acls: Some(true.into()),
            block_public_policy: Some(true.into()),
            ignore_public_acls: Some(true.into()),
            restrict_public_buckets: Some(true.into()),
        }),
        versioning_configuration: Some(bucket::VersioningConfiguration {
            status: bucket::VersioningConfigurationStatus::Enabled.into(),
        }),
    }
    resource access: cloudfront::OriginAccessControl {
        origin_access_control_config: origin_access_control::OriginAccessControlConfig {
            name: sub("${AWS::StackName}-content"),
            origin_access_control_origin_type: "s3".into(),
            signing_behavior: "always".into(),
            signing_protocol: "sigv4".into(),
            ..Default::default()
        },
    }
    resource cdn: cloudfront::Distribution {
        distribution_config: distribution::DistributionConfig {
            enabled: true.into(),
            aliases: Some(vec![domain_name.clone()].into()),
            default_root_object: Some("index.html".into()),
            http_version: Some(distribution::HttpVersion::Http2and3.into()),
            origins: Some(vec![distribution::Origin {
                id: "content".into(),
                domain_name: content.regional_domain_name(),
                origin_access_control_id: Some(access.id()),
                s3_origin_config: Some(distribution::S3OriginConfig {
                    origin_access_identity: Some("".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            default_cache_behavior: distribution::DefaultCacheBehavior {
                target_origin_id: "content".into(),
                viewer_protocol_policy: distribution::ViewerProtocolPolicy::RedirectToHttps.into(),
                // The managed CachingOptimized policy.
                cache_policy_id: Some("658327ea-f89d-4fab-a63d-7e88639e58f6".into()),
                compress: Some(true.into()),
                ..Default::default()
            },
            viewer_certificate: Some(distribution::ViewerCertificate {
                acm_certificate_arn: Some(certificate_arn.clone()),
                minimum_protocol_version: Some(distribution::MinimumProtocolVersion::TlSv122021.into()),
                ssl_support_method: Some(distribution::SslSupportMethod::SniOnly.into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    }
    resource content_policy: s3::BucketPolicy {
        bucket: content.name(),
        policy_document: json!({
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyWithoutTls",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [content.arn(), sub("${Content.Arn}/*")],
                    "Condition": { "Bool": { "aws:SecureTransport": "false" } }
                },
                {
                    "Sid": "CloudFrontReadsContent",
                    "Effect": "Allow",
                    "Principal": { "Service": "cloudfront.amazonaws.com" },
                    "Action": "s3:GetObject",
                    "Resource": sub("${Content.Arn}/*"),
                    "Condition": { "StringEquals": {
                        "AWS:SourceArn": sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn}")
                    } }
                }
            ]
        })
        .into(),
    }
    resource alias: route53::RecordSet {
        name: domain_name.clone(),
        r#type: "A".into(),
        hosted_zone_id: Some(zone_id.clone()),
        alias_target: Some(record_set::AliasTarget {
            dns_name: cdn.domain_name(),
            // CloudFront's own hosted zone, the same for every distribution.
            hosted_zone_id: "Z2FDTNDATAQYW2".into(),
            evaluate_target_health: Some(false.into()),
        }),
    }

    output url { value: sub("https://${DomainName}"), description: "The site" }
}

fn lint(name: &str, template: &Template) {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(
        findings.is_empty(),
        "cfn-lint findings on {name}:\n{findings}"
    );
}

fn resource<'a>(template: &'a Template, id: &str) -> &'a Value {
    &template.document()["Resources"][id]
}

#[test]
fn the_event_driven_stack_wires_queue_function_and_table() {
    let config = StackConfig::new("dev", Orders::REGION);
    let template = Orders::new(&config).stack.synth().expect("synthesizes");
    let orders = &resource(&template, "Orders")["Properties"];
    assert_eq!(
        orders["RedrivePolicy"]["deadLetterTargetArn"],
        json!({ "Fn::GetAtt": ["FailedOrders", "Arn"] })
    );
    assert_eq!(
        resource(&template, "Feed")["Properties"]["EventSourceArn"],
        json!({ "Fn::GetAtt": ["Orders", "Arn"] })
    );
    // The role's policy names each resource by its typed ARN, never `*`.
    let policy =
        resource(&template, "WorkerRolePolicy")["Properties"]["PolicyDocument"].to_string();
    assert!(
        policy.contains(r#""Resource":[{"Fn::GetAtt":["OrderTable","Arn"]}]"#),
        "{policy}"
    );
    assert!(
        policy.contains(r#""Resource":[{"Fn::GetAtt":["Orders","Arn"]}]"#),
        "{policy}"
    );
    assert!(!policy.contains(r#""*""#), "{policy}");
    assert_eq!(
        resource(&template, "Worker")["Properties"]["Role"],
        json!({ "Fn::GetAtt": ["WorkerRole", "Arn"] })
    );
    lint("orders", &template);
}

#[test]
fn the_static_site_serves_a_private_bucket_through_cloudfront() {
    let config = StackConfig::new("dev", Site::REGION);
    let template = Site::new(&config).stack.synth().expect("synthesizes");
    assert_eq!(resource(&template, "Content")["DeletionPolicy"], "Retain");
    let origin = &resource(&template, "Cdn")["Properties"]["DistributionConfig"]["Origins"][0];
    assert_eq!(
        origin["OriginAccessControlId"],
        json!({ "Fn::GetAtt": ["Access", "Id"] })
    );
    assert_eq!(
        resource(&template, "Alias")["Properties"]["AliasTarget"]["DNSName"],
        json!({ "Fn::GetAtt": ["Cdn", "DomainName"] })
    );
    lint("site", &template);
}

/// Every property `infra_facts::iam::ROLE_PROPERTIES` names is a property of its type in
/// the generated model (its first step, for a path), so that trust is judged where roles
/// are actually given.
#[test]
fn role_properties_name_properties_of_the_model() {
    let aws = workspace_root().join("infra-runtime/src/aws");
    let mut sources = std::collections::BTreeMap::new();
    for service in std::fs::read_dir(&aws).expect("the model's services") {
        let service = service.expect("an entry").path();
        let Ok(files) = std::fs::read_dir(&service) else {
            continue;
        };
        for file in files {
            let path = file.expect("an entry").path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if let Some(at) = text.find("const TYPE_NAME: &'static str = \"") {
                let rest = &text[at + 33..];
                let name = rest.split('"').next().unwrap_or_default().to_owned();
                sources.insert(name, text);
            }
        }
    }
    assert!(sources.len() > 1000, "the model is read: {}", sources.len());
    for (type_name, property, _) in infra_facts::iam::ROLE_PROPERTIES {
        let source = sources
            .get(*type_name)
            .unwrap_or_else(|| panic!("{type_name} is a type of the model"));
        let first = property.split('.').next().unwrap_or_default();
        let first = first.trim_end_matches("[]");
        assert!(
            source.contains(&format!("serialize_entry(\"{first}\"")),
            "{type_name} has a property {first}"
        );
    }
}
