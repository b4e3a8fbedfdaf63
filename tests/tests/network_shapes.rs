//! What a `vpc` synthesizes for the tiers it is given: a route table only for a tier that
//! has subnets, and a handler that closes the default group writing to a log group of its
//! own (kept and encrypted as the flow logs are), never into the flow-log group.

use infra_macros::stack;
use infra_runtime::StackConfig;
use serde_json::{Value, json};

stack! {
    pub stack Lean {
        region: "eu-west-2",
    }
    key data_key { description: "Logs", allow_logs: true }
    log_group flow { retention_days: 400, key: data_key }
    vpc network {
        cidr: "10.0.0.0/16",
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        flow_logs: flow,
    }
}

fn resources() -> serde_json::Map<String, Value> {
    let built = Lean::new(&StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    template.document()["Resources"]
        .as_object()
        .expect("resources")
        .clone()
}

#[test]
fn only_tiers_with_subnets_get_a_route_table() {
    let resources = resources();
    let tables: Vec<&String> = resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::EC2::RouteTable")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(tables, ["NetworkPrivateRouteTable"], "{tables:?}");
}

#[test]
fn the_default_group_handler_logs_to_its_own_group_never_the_flow_logs() {
    let resources = resources();
    let handler = &resources["NetworkRestrictDefaultGroupHandler"]["Properties"];
    assert_eq!(
        handler["LoggingConfig"]["LogGroup"],
        json!({ "Ref": "NetworkRestrictDefaultGroupLogs" })
    );
    let own = &resources["NetworkRestrictDefaultGroupLogs"]["Properties"];
    assert_eq!(own["RetentionInDays"], 400, "the flow logs' retention");
    assert_eq!(
        own["KmsKeyId"],
        json!({ "Fn::GetAtt": ["DataKey", "Arn"] }),
        "and key"
    );
    let role = resources["NetworkRestrictDefaultGroupRolePolicy"]["Properties"].to_string();
    assert!(role.contains("NetworkRestrictDefaultGroupLogs"), "{role}");
    assert!(
        !role.contains("\"Flow\""),
        "the handler may not write the flow logs: {role}"
    );
}
