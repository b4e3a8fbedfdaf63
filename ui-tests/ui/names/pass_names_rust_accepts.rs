//! Every name Rust accepts is a name of a declaration: a leading underscore before a
//! digit, raw identifiers. The types the macro derives from them
//! are identifiers, and the logical ids stay distinct and alphanumeric.

#![deny(warnings)]

use infra_macros::stack;

stack! {
    pub stack Odd {
        region: "eu-west-2",
    }
    key _0data_key { description: "Data", allow_logs: true }
    log_group _0app_logs { retention_days: 365, key: _0data_key }
    vpc _1network {
        cidr: "10.0.0.0/16",
        private: ["10.0.11.0/24", "10.0.12.0/24"],
    }
    security_group _2sg in _1network { egress: [443 to internet] }
    security_group r#type in _1network { ingress: [443 from _2sg] }
    secret _3s { description: "Token", key: _0data_key }
    role _4role {
        assumed_by: ecs_tasks,
        grants: [write_logs(_0app_logs), read_secret(_3s), use_key(_0data_key)],
    }
}

fn main() {
    let built = Odd::new(&infra_runtime::StackConfig::new("qa", "eu-west-2"));
    let template = built.stack.synth().expect("synthesizes");
    let resources = template.document()["Resources"].as_object().expect("resources");
    for id in ["0dataKey", "0appLogs", "2sg", "Type", "3s", "4role"] {
        assert!(resources.contains_key(id), "{id}: {:?}", resources.keys());
    }
}
