//! What the mock-client deploy tests share: a one-VPC stack, an engine on stack `Shop`
//! over a mocked client, options that poll quickly, and an empty event log.

#![allow(dead_code)]

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_smithy_mocks::{Rule, mock};
use infra_runtime::Stack;
use infra_runtime::aws::ec2::Vpc;
use infra_runtime::deploy::{
    ApiCallCounter, DeployOptions, Deployable, Engine, Https, ObjectStore, Target,
};

/// The id of stack `Shop` in the mocked account.
pub const STACK_ID: &str = "arn:aws:cloudformation:eu-west-2:123456789012:stack/Shop/1";

/// A stack of one VPC.
pub fn deployable() -> Deployable {
    let mut stack = Stack::new();
    stack.add(
        "Vpc",
        Vpc {
            cidr_block: Some("10.0.0.0/16".into()),
            ..Default::default()
        },
    );
    Deployable::new(&stack).expect("synthesizes")
}

/// Options that poll every few milliseconds; `yes` answers every question.
pub fn options(yes: bool) -> DeployOptions {
    DeployOptions {
        yes,
        poll_min: Duration::from_millis(1),
        poll_max: Duration::from_millis(5),
        ..DeployOptions::default()
    }
}

/// An engine on stack `Shop` over `client` (S3 is never called).
pub fn engine(client: Client) -> Engine {
    let target = Target::new("Shop");
    let config = aws_config::SdkConfig::builder()
        .region(aws_config::Region::new("eu-west-2"))
        .build();
    let https = Https::new(std::time::Duration::from_secs(5));
    let objects =
        ObjectStore::new(&config, &target, &ApiCallCounter::default(), &https).expect("objects");
    Engine::new(client, objects, target)
}

/// A stack without events.
pub fn no_events() -> Rule {
    mock!(Client::describe_stack_events)
        .then_output(|| DescribeStackEventsOutput::builder().build())
}
