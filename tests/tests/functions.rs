//! The built-in `function`: code from a directory becomes an asset the template names by
//! its hash, the stack takes the bucket as a parameter, and the outside checkers judge it;
//! what arrives only when the stack is built is refused at synthesis with its line.

use infra_macros::stack;
use infra_runtime::asset::BUCKET_PARAMETER;
use infra_runtime::construct::{self, Code, FunctionSpec, Scope};
use infra_runtime::{Stack, Value};
use tests::{checkov_template, lint_template};

stack! {
    /// A function whose code is a directory of this crate, failing into a queue.
    pub stack Hello { name: "Hello", region: "eu-west-2" }

    key data_key { description: "Hello", allow_logs: true }
    log_group hello_logs { retention_days: 365, key: data_key }
    queue failed { key: data_key }
    role hello_role { assumed_by: lambda, grants: [write_logs(hello_logs), send(failed)] }
    function hello {
        code: "functions/hello",
        handler: "app.handler",
        role: hello_role,
        logs: hello_logs,
        dead_letters: failed,
        reserved_concurrency: 2,
    }
}

#[test]
fn a_directory_becomes_an_asset_named_by_its_hash() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Hello::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let [asset] = template.assets() else {
        panic!("one asset: {:?}", template.assets());
    };
    assert!(asset.source().ends_with("functions/hello"));
    let again = infra_runtime::asset::Asset::from_directory(asset.source()).expect("packs");
    assert_eq!(again.bytes(), asset.bytes(), "packing is deterministic");

    let document = template.document();
    let code = &document["Resources"]["Hello"]["Properties"]["Code"];
    assert_eq!(code["S3Bucket"]["Ref"], BUCKET_PARAMETER);
    assert_eq!(code["S3Key"], asset.key());
    assert!(document["Parameters"][BUCKET_PARAMETER].is_object());
}

#[test]
fn a_function_passes_cfn_lint_and_checkovs_lambda_checks() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Hello::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("hello.json");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    let on_lambda: Vec<_> = report
        .failed
        .iter()
        .filter(|(_, resource)| resource.starts_with("AWS::Lambda"))
        .collect();
    assert!(on_lambda.is_empty(), "checkov: {on_lambda:?}");
}

#[test]
fn values_lambda_refuses_are_reported_with_the_functions_line() {
    // Values a setting or plain Rust gives: the macro sees none of them.
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Hello");
    let role = construct::role(&mut scope, "Task", construct::RoleSpec::default());
    let logs = construct::log_group(&mut scope, "Logs", Default::default());
    let line = line!() + 1;
    construct::function(
        &mut scope,
        "Fn",
        FunctionSpec {
            code: Code::Directory("/nonexistent/code"),
            handler: "app.handler",
            runtime: "python2.7",
            memory: 64,
            role: Some(&role),
            logs: Some(&logs),
            environment: &[
                ("AWS_REGION", Value::from("eu-west-2".to_owned())),
                ("_TOKEN", Value::from("t".to_owned())),
                ("QUEUE_URL", Value::from("q".to_owned())),
                // With the names and values above, 4,104 bytes: past Lambda's 4,096.
                ("SETTINGS", Value::from("s".repeat(4060))),
            ],
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the function"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    let about_fn: Vec<&String> = messages.iter().filter(|m| m.starts_with("`Fn`")).collect();
    assert!(
        !messages.iter().any(|m| m.contains("QUEUE_URL")),
        "{messages:#?}"
    );
    for expected in [
        "memory is 64, but Lambda takes 128 to 10240 MB",
        "the runtime `python2.7` is not a runtime Lambda creates functions with",
        "which the role's trust policy does not let assume it",
        "grant it `write_logs` on `Logs`",
        "the code directory `/nonexistent/code` cannot be read",
        "environment names `AWS_REGION`, which Lambda sets in every function",
        "environment names `_TOKEN`, which is not a name Lambda takes",
        "has an environment whose names and values come to 4104 bytes, more than the 4096 Lambda takes",
    ] {
        assert!(
            about_fn
                .iter()
                .any(|m| m.contains(expected) && m.contains(&format!("functions.rs:{line}"))),
            "{expected}: {messages:#?}"
        );
    }
}

#[test]
fn a_queue_that_hides_messages_shorter_than_the_function_runs_is_refused() {
    use infra_runtime::construct::{QueueSpec, RoleSpec, queue, role};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Feed");
    let jobs = queue(&mut scope, "Jobs", QueueSpec::default());
    let worker = role(
        &mut scope,
        "Worker",
        RoleSpec {
            assumed_by: construct::Principal::Lambda,
            grants: vec![],
            ..Default::default()
        },
    );
    let line = line!() + 1;
    construct::function(
        &mut scope,
        "Fn",
        FunctionSpec {
            code: Code::Inline("def handler(event, context):\n    return None\n"),
            handler: "index.handler",
            timeout_seconds: 60,
            role: Some(&worker),
            queue: Some(&jobs),
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the feed"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    for expected in [
        "the queue hides a received message 30 seconds, less than the function's timeout of 60 seconds",
        "grant it `consume` on `Jobs`",
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(expected) && m.contains(&format!("functions.rs:{line}"))),
            "{expected}: {messages:#?}"
        );
    }
}

stack! {
    /// A function inside a VPC's private tier.
    pub stack Placed { name: "Placed", region: "eu-west-2" }

    vpc network {
        cidr: "10.0.0.0/16",
        public: ["10.0.1.0/24", "10.0.2.0/24"],
        private: ["10.0.11.0/24", "10.0.12.0/24"],
        nat_gateways: 1,
    }
    security_group fn_sg in network { egress: [443 to internet] }
    key fn_key { description: "Placed", allow_logs: true }
    log_group fn_logs { retention_days: 365, key: fn_key }
    queue failed { key: fn_key }
    role fn_role { assumed_by: lambda, grants: [write_logs(fn_logs), send(failed)] }
    function worker {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        role: fn_role,
        logs: fn_logs,
        dead_letters: failed,
        reserved_concurrency: 2,
        subnets: network.private,
        security_group: fn_sg,
    }
}

#[test]
fn a_function_in_a_vpc_may_manage_its_network_interfaces_there_and_waits_for_that() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Placed::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let document = template.document();
    let worker = &document["Resources"]["Worker"];
    assert_eq!(worker["DependsOn"][0], "WorkerNetworkPolicy");
    let vpc = &worker["Properties"]["VpcConfig"];
    assert_eq!(vpc["SubnetIds"][0]["Ref"], "NetworkPrivateSubnet1");
    assert_eq!(vpc["SecurityGroupIds"][0]["Fn::GetAtt"][0], "FnSg");
    let policy = &document["Resources"]["WorkerNetworkPolicy"]["Properties"];
    assert_eq!(policy["Roles"][0]["Ref"], "FnRole");
    let manage = &policy["PolicyDocument"]["Statement"][0];
    assert_eq!(manage["Action"][0], "ec2:CreateNetworkInterface");
    assert!(
        manage["Resource"]
            .as_array()
            .expect("resources")
            .iter()
            .all(|r| r != "*"),
        "scoped to the account's interfaces, the group and the subnets: {manage}"
    );

    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("placed.json");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    let on_lambda: Vec<_> = report
        .failed
        .iter()
        .filter(|(_, r)| r.starts_with("AWS::Lambda") || r.starts_with("AWS::IAM"))
        .collect();
    assert!(on_lambda.is_empty(), "checkov: {on_lambda:?}");
    assert!(
        !report
            .skipped
            .iter()
            .any(|(id, r, _)| id == "CKV_AWS_117" && r.ends_with("Worker")),
        "placed in a VPC, nothing to explain"
    );
}

#[test]
fn a_function_given_subnets_without_a_group_is_refused_with_its_line() {
    use infra_runtime::construct::{VpcSpec, vpc};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Placed");
    let network = vpc(
        &mut scope,
        "Net",
        VpcSpec {
            cidr: "10.0.0.0/16",
            private: &["10.0.11.0/24", "10.0.12.0/24"],
            nat_gateways: 0,
            ..Default::default()
        },
    );
    let line = line!() + 1;
    construct::function(
        &mut scope,
        "Fn",
        FunctionSpec {
            code: Code::Inline("def handler(event, context):\n    return None\n"),
            handler: "index.handler",
            subnets: Some(&network.private),
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the placement"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    assert!(
        messages
            .iter()
            .any(|m| m.contains("give both, or neither")
                && m.contains(&format!("functions.rs:{line}"))),
        "{messages:#?}"
    );
}

stack! {
    /// The same function with its role and log group derived.
    pub stack Derived { name: "Derived", region: "eu-west-2" }

    key data_key { description: "Derived", allow_logs: true }
    queue failed { key: data_key }
    queue jobs { key: data_key, visibility_timeout_seconds: 60 }
    bucket reports { encryption: kms(data_key) }
    function hello {
        code: "functions/hello",
        handler: "app.handler",
        key: data_key,
        dead_letters: failed,
        queue: jobs,
        reserved_concurrency: 2,
        grants: [write(reports)],
    }
}

/// The actions of the statement of `policy` whose `Sid` starts with `sid`.
fn actions_of(document: &serde_json::Value, policy: &str, sid: &str) -> Vec<String> {
    let statements = document["Resources"][policy]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    statements
        .iter()
        .filter(|s| s["Sid"].as_str().is_some_and(|id| id.starts_with(sid)))
        .flat_map(|s| s["Action"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_function_without_a_role_derives_one_allowed_exactly_what_its_fields_need() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Derived::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let document = template.document();
    let function = &document["Resources"]["Hello"]["Properties"];
    assert_eq!(function["Role"]["Fn::GetAtt"][0], "HelloRole");
    assert_eq!(function["LoggingConfig"]["LogGroup"]["Ref"], "HelloLogs");
    let logs = &document["Resources"]["HelloLogs"]["Properties"];
    assert_eq!(logs["RetentionInDays"], 365);
    assert_eq!(logs["KmsKeyId"]["Fn::GetAtt"][0], "DataKey");
    let trust = &document["Resources"]["HelloRole"]["Properties"]["AssumeRolePolicyDocument"];
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    for (sid, action) in [
        ("WriteLogs", "logs:PutLogEvents"),
        ("UseKey", "kms:Decrypt"),
        ("ConsumeMessages", "sqs:ReceiveMessage"),
        ("SendMessages", "sqs:SendMessage"),
        ("Write", "s3:PutObject"),
    ] {
        let actions = actions_of(document, "HelloRolePolicy", sid);
        assert!(actions.iter().any(|a| a == action), "{sid}: {actions:?}");
    }

    tests::assert_lints_clean(&template, "derived");
}

#[test]
fn grants_beside_a_role_of_its_own_are_refused_with_the_functions_line() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Hello");
    let role = construct::role(
        &mut scope,
        "Task",
        construct::RoleSpec {
            assumed_by: construct::Principal::Lambda,
            ..Default::default()
        },
    );
    let line = line!() + 1;
    construct::function(
        &mut scope,
        "Fn",
        FunctionSpec {
            code: Code::Inline("def handler(event, context):\n    return event\n"),
            handler: "index.handler",
            role: Some(&role),
            grants: vec![construct::Grant::allow(&["sqs:ListQueues"], &["*".into()])],
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the function"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    assert!(
        messages
            .iter()
            .any(|m| m.contains("has grants and a role of its own")
                && m.contains(&format!("functions.rs:{line}"))),
        "{messages:#?}"
    );
}

stack! {
    /// Workers fed batches: above ten from a standard queue, ten from a FIFO queue.
    pub stack Batches { region: "eu-west-2" }

    queue events { visibility_timeout_seconds: 120 }
    queue entries { fifo: true, visibility_timeout_seconds: 120 }
    function bulk {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        timeout_seconds: 20,
        queue: events,
        batch_size: 100,
        grants: [consume(events)],
    }
    function ordered {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        timeout_seconds: 20,
        queue: entries,
        batch_size: 10,
        grants: [consume(entries)],
    }
}

#[test]
fn a_batch_above_ten_gathers_for_a_second_and_the_template_passes_cfn_lint() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Batches::new(&config).stack.synth().expect("synthesizes");
    let resources = &template.document()["Resources"];
    let mapping = |function: &str| {
        resources
            .as_object()
            .expect("resources")
            .iter()
            .find(|(id, r)| {
                r["Type"] == "AWS::Lambda::EventSourceMapping" && id.starts_with(function)
            })
            .map(|(_, r)| r["Properties"].clone())
            .expect("a mapping")
    };
    let bulk = mapping("Bulk");
    assert_eq!(bulk["BatchSize"], 100);
    assert_eq!(bulk["MaximumBatchingWindowInSeconds"], 1, "{bulk}");
    let ordered = mapping("Ordered");
    assert!(
        ordered.get("MaximumBatchingWindowInSeconds").is_none(),
        "{ordered}"
    );
    tests::assert_lints_clean(&template, "batches");
}

#[test]
fn a_fifo_queue_feeding_batches_above_ten_is_refused_at_synthesis_with_the_line() {
    // The batch size of plain Rust: the macro sees none of it.
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Ledger");
    let spec = construct::QueueSpec {
        fifo: true,
        visibility_timeout_seconds: 120,
        ..Default::default()
    };
    let entries = construct::queue(&mut scope, "Entries", spec);
    let line = line!() + 1;
    construct::function(
        &mut scope,
        "Posting",
        FunctionSpec {
            code: Code::Inline("def handler(event, context):\n    return None\n"),
            handler: "index.handler",
            timeout_seconds: 20,
            queue: Some(&entries),
            batch_size: 50,
            grants: vec![construct::grant::builtin::consume(&entries)],
            ..Default::default()
        },
    );
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the batch"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    assert!(
        messages.iter().any(|m| m.starts_with("`Posting`")
            && m.contains("a FIFO queue hands a function at most 10 messages at once")
            && m.contains(&format!("functions.rs:{line}"))),
        "{messages:#?}"
    );
}

/// A worker's variables, each typed by what it carries.
#[derive(Clone, infra_macros::Environment)]
pub struct WorkerEnvironment {
    jobs: Value<infra_runtime::Url<infra_runtime::aws::sqs::Queue>>,
    orders: Value<infra_runtime::Name<infra_runtime::aws::dynamodb::Table>>,
    log_level: Value<String>,
}

stack! {
    /// A function whose environment is a struct of typed variables.
    pub stack Typed { region: "eu-west-2" }

    queue jobs { visibility_timeout_seconds: 60 }
    table orders { partition_key: string("id") }
    function worker {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        environment: WorkerEnvironment { jobs: jobs.url(), orders: orders.name(), log_level: "info".into() },
        grants: [consume(jobs), read(orders)],
    }
}

#[test]
fn a_struct_of_typed_variables_is_the_functions_environment_by_its_fields_in_capitals() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Typed::new(&config).stack.synth().expect("synthesizes");
    let resources = template.document()["Resources"]
        .as_object()
        .expect("resources")
        .clone();
    let id_of = |ty: &str| {
        let (id, _) = resources.iter().find(|(_, r)| r["Type"] == ty).expect(ty);
        id.clone()
    };
    // The queue the function reads, not its dead letters: the one with a redrive policy.
    let (queue, _) = resources
        .iter()
        .find(|(_, r)| {
            r["Type"] == "AWS::SQS::Queue" && r["Properties"].get("RedrivePolicy").is_some()
        })
        .expect("the jobs queue");
    let (queue, table) = (queue.clone(), id_of("AWS::DynamoDB::Table"));
    let function = &resources[&id_of("AWS::Lambda::Function")];
    let variables = &function["Properties"]["Environment"]["Variables"];
    assert_eq!(
        variables,
        &serde_json::json!({
            "JOBS": { "Fn::GetAtt": [queue, "QueueUrl"] },
            "ORDERS": { "Ref": table },
            "LOG_LEVEL": "info",
        }),
        "{function}"
    );
    tests::assert_lints_clean(&template, "typed-environment");
}
