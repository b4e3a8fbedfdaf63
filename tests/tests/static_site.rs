//! A static site with the `bucket` construct: the bucket's policy takes one extra
//! statement, CloudFront's origin access for the distribution that serves it, although the
//! distribution itself names the bucket as its origin. The template passes cfn-lint.

use infra_macros::stack;
use infra_runtime::StackConfig;
use infra_runtime::intrinsic::sub;
use serde_json::json;

stack! {
    /// A private bucket served by CloudFront over HTTPS.
    pub stack Site { name: "Site", region: "us-east-1" }

    parameter certificate_arn: Arn<certificatemanager::Certificate> {
        description: "ACM certificate for the site's name",
    }

    bucket content {
        encryption: s3_managed,
        versioning: true,
        statements: [cloudfront_read(cdn)],
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
            default_root_object: Some("index.html".into()),
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
                cache_policy_id: Some("658327ea-f89d-4fab-a63d-7e88639e58f6".into()),
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
}

#[test]
fn the_bucket_policy_lets_only_the_distribution_read() {
    let template = Site::new(&StackConfig::new("dev", "us-east-1"))
        .stack
        .synth()
        .expect("synthesizes");
    let statements = &template.document()["Resources"]["ContentPolicy"]["Properties"]["PolicyDocument"]
        ["Statement"];
    let statements = statements.as_array().expect("statements");
    assert_eq!(statements.len(), 2, "{statements:?}");
    assert_eq!(statements[0]["Sid"], "DenyWithoutTls");
    let read = &statements[1];
    assert_eq!(read["Sid"], "CloudFrontReadsObjects1");
    assert_eq!(
        read["Principal"],
        json!({ "Service": "cloudfront.amazonaws.com" })
    );
    assert_eq!(read["Action"], json!(["s3:GetObject"]));
    assert_eq!(
        read["Condition"]["StringEquals"]["AWS:SourceArn"],
        json!({ "Fn::Sub": [
            "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Id}",
            { "Id": { "Fn::GetAtt": ["Cdn", "Id"] } }
        ] })
    );
    assert_eq!(
        read["Condition"]["StringEquals"]["AWS:SourceAccount"],
        json!({ "Ref": "AWS::AccountId" })
    );

    tests::assert_lints_clean(&template, "site");
}
