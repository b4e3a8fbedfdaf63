//! Any service principal the language knows, written as a string: a state machine's role,
//! an EventBridge rule's, an EKS cluster's; the trust policy names that service.

use infra_macros::stack;

stack! {
    pub stack Flow { region: "eu-west-2" }
    role machine_role {
        assumed_by: "states.amazonaws.com",
        grants: [allow(["xray:PutTraceSegments"], ["*"])],
    }
    role rule_role { assumed_by: "events.amazonaws.com" }
    role cluster_role { assumed_by: "eks.amazonaws.com" }
}

fn main() {
    let built = Flow::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let resources = &template.document()["Resources"];
    for (id, service) in [
        ("MachineRole", "states.amazonaws.com"),
        ("RuleRole", "events.amazonaws.com"),
        ("ClusterRole", "eks.amazonaws.com"),
    ] {
        let trust = &resources[id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(trust["Principal"]["Service"], service, "{id}");
    }
}
