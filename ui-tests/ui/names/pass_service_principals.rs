//! Any service principal, written as a string: a state machine's role, an EventBridge
//! rule's, an EKS cluster's, and one of a service the language has no type of
//! (`bedrock`, a prefix of AWS's authorization reference); the trust policy names that
//! service.

use infra_macros::stack;

stack! {
    pub stack Flow { region: "eu-west-2" }
    role machine_role {
        assumed_by: "states.amazonaws.com",
        grants: [allow(["xray:PutTraceSegments"], ["*"])],
    }
    role rule_role { assumed_by: "events.amazonaws.com" }
    role cluster_role { assumed_by: "eks.amazonaws.com" }
    role agent_role { assumed_by: "bedrock.amazonaws.com" }
}

fn main() {
    let built = Flow::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let resources = &template.document()["Resources"];
    for (id, service) in [
        ("MachineRole", "states.amazonaws.com"),
        ("RuleRole", "events.amazonaws.com"),
        ("ClusterRole", "eks.amazonaws.com"),
        ("AgentRole", "bedrock.amazonaws.com"),
    ] {
        let trust = &resources[id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(trust["Principal"]["Service"], service, "{id}");
    }
}
