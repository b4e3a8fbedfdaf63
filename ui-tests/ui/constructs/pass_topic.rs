//! A built-in `topic`: encrypted with the stack's key, TLS-only, invoking its subscribed
//! function (with the permission scoped to the topic), and `publish` granted with the
//! key's actions.

use infra_macros::stack;

stack! {
    pub stack Alerts { region: "eu-west-2" }

    key data_key { description: "Alerts" }
    log_group notify_logs { retention_days: 365 }
    role notify_role { assumed_by: lambda, grants: [write_logs(notify_logs)] }
    function notify {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        role: notify_role,
        logs: notify_logs,
    }
    topic alerts { key: data_key, subscribers: [function(notify)] }
    role publisher { assumed_by: ecs_tasks, grants: [publish(alerts)] }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Alerts::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    assert_eq!(resources["Alerts"]["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0], "DataKey");
    let deny = &resources["AlertsPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(deny["Condition"]["Bool"]["aws:SecureTransport"], "false");
    let subscription = &resources["AlertsSubscriber1"]["Properties"];
    assert_eq!(subscription["Protocol"], "lambda");
    assert_eq!(subscription["Endpoint"]["Fn::GetAtt"][0], "Notify");
    let permission = &resources["AlertsSubscriber1Permission"]["Properties"];
    assert_eq!(permission["Principal"], "sns.amazonaws.com");
    assert_eq!(permission["SourceArn"]["Fn::GetAtt"][0], "Alerts");
    let statements = &resources["PublisherPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Action"][0], "sns:Publish");
    assert_eq!(statements[0]["Resource"][0]["Fn::GetAtt"][0], "Alerts");
    // The key's actions on the key alone, in a statement of their own.
    assert_eq!(statements[1]["Action"][0], "kms:GenerateDataKey");
    assert_eq!(statements[1]["Resource"][0]["Fn::GetAtt"][0], "DataKey");
}
