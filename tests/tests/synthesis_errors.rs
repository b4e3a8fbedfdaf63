//! Every check synthesis makes, each with its message: CloudFormation's quotas, names,
//! required properties, dangling references and dependency cycles.

use infra_runtime::aws::ec2::security_group;
use infra_runtime::aws::ec2::subnet;
use infra_runtime::aws::ec2::vpc;
use infra_runtime::aws::s3::bucket;
use infra_runtime::intrinsic::sub;
use infra_runtime::{Json, Output, Parameter, ResourceOptions, Stack, SynthError, Value, limits};
use tests::wide_stack;

fn errors(stack: &Stack) -> Vec<SynthError> {
    match stack.synth() {
        Ok(_) => panic!("expected synthesis to fail"),
        Err(e) => e.0,
    }
}

fn vpc() -> vpc::Vpc {
    vpc::Vpc {
        cidr_block: Some("10.0.0.0/16".into()),
        ..Default::default()
    }
}

#[test]
fn five_hundred_resources_synthesize_and_five_hundred_and_one_do_not() {
    assert!(wide_stack(limits::MAX_RESOURCES).synth().is_ok());
    let errs = errors(&wide_stack(limits::MAX_RESOURCES + 1));
    assert_eq!(
        errs,
        vec![SynthError::TooMany {
            what: "resources",
            count: 501,
            limit: 500
        }]
    );
    assert_eq!(
        errs[0].to_string(),
        "the stack declares 501 resources, over CloudFormation's limit of 500; split it into nested or separate stacks"
    );
}

#[test]
fn more_than_two_hundred_parameters_is_an_error() {
    let mut stack = Stack::new();
    stack.add("Vpc", vpc());
    for i in 0..=limits::MAX_PARAMETERS {
        stack.parameter::<String>(&format!("P{i}"), Parameter::new("a parameter"));
    }
    assert_eq!(
        errors(&stack),
        vec![SynthError::TooMany {
            what: "parameters",
            count: 201,
            limit: 200
        }]
    );
}

#[test]
fn more_than_two_hundred_outputs_is_an_error() {
    let mut stack = Stack::new();
    let vpc = stack.add("Vpc", vpc());
    for i in 0..=limits::MAX_OUTPUTS {
        stack.output(&format!("O{i}"), Output::new(vpc.id()));
    }
    assert_eq!(
        errors(&stack),
        vec![SynthError::TooMany {
            what: "outputs",
            count: 201,
            limit: 200
        }]
    );
}

#[test]
fn an_inline_body_over_51200_bytes_says_its_size_and_what_to_do() {
    let template = wide_stack(400).synth().expect("400 resources synthesize");
    assert!(
        template.size() > limits::MAX_INLINE_BODY_BYTES,
        "the test needs a large template"
    );
    let err = template
        .check_inline_body()
        .expect_err("too large to pass inline");
    assert_eq!(
        err,
        SynthError::InlineBodyTooLarge {
            size: template.size()
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("over CloudFormation's limit of 51,200 bytes"),
        "{message}"
    );
    assert!(message.contains("upload it to an S3 bucket"), "{message}");
    let small = wide_stack(3).synth().expect("synthesizes");
    assert!(small.check_inline_body().is_ok());
}

#[test]
fn a_template_over_a_megabyte_cannot_be_deployed_at_all() {
    // Every value within its own limit (a rule's description is at most 255 characters),
    // and the whole past a megabyte.
    let mut stack = Stack::new();
    let rule = security_group::Ingress {
        ip_protocol: "tcp".into(),
        cidr_ip: Some("10.0.0.0/8".into()),
        from_port: Some(443.into()),
        to_port: Some(443.into()),
        description: Some("x".repeat(250).into()),
        ..Default::default()
    };
    for i in 0..300 {
        stack.add(
            &format!("Group{i}"),
            security_group::SecurityGroup {
                group_description: "Many rules".into(),
                security_group_ingress: Some(vec![rule.clone(); 20]),
                ..Default::default()
            },
        );
    }
    match errors(&stack).as_slice() {
        [SynthError::TemplateTooLarge { size }] => assert!(*size > limits::MAX_S3_BODY_BYTES),
        other => panic!("unexpected errors: {other:?}"),
    }
}

#[test]
fn a_missing_required_property_names_resource_property_and_line() {
    let mut stack = Stack::new();
    stack.add("Group", security_group::SecurityGroup::default());
    let errs = errors(&stack);
    let message = errs[0].to_string();
    assert!(
        message.starts_with("resource `Group` (AWS::EC2::SecurityGroup) is missing the required property `GroupDescription` (declared at tests/tests/synthesis_errors.rs:"),
        "{message}"
    );
}

#[test]
fn a_required_object_with_nothing_set_is_missing_not_empty() {
    use infra_runtime::aws::lambda::function;
    let mut stack = Stack::new();
    stack.add(
        "Worker",
        function::Function {
            code: function::Code::default(),
            role: Value::external("arn:aws:iam::111122223333:role/worker"),
            ..Default::default()
        },
    );
    let errs = errors(&stack);
    assert!(
        matches!(&errs[..], [SynthError::MissingRequired { property, .. }] if property == "Code"),
        "{errs:?}"
    );
    // With the code given, the same function synthesizes.
    let mut stack = Stack::new();
    stack.add(
        "Worker",
        function::Function {
            code: function::Code {
                zip_file: Some("def handler(event, context): pass".into()),
                ..Default::default()
            },
            role: Value::external("arn:aws:iam::111122223333:role/worker"),
            ..Default::default()
        },
    );
    assert!(stack.synth().is_ok());
}

#[test]
fn missing_required_properties_of_nested_types_are_found_too() {
    use security_group::Ingress;
    let mut stack = Stack::new();
    stack.add(
        "Group",
        security_group::SecurityGroup {
            group_description: "web".into(),
            security_group_ingress: Some(vec![Ingress::default()]),
            ..Default::default()
        },
    );
    let errs = errors(&stack);
    assert!(
        matches!(&errs[..], [SynthError::MissingRequired { property, .. }] if property == "SecurityGroupIngress[0].IpProtocol"),
        "{errs:?}"
    );
}

#[test]
fn duplicate_and_invalid_logical_ids_are_reported_together() {
    let mut stack = Stack::new();
    stack.add("Vpc", vpc());
    stack.add("Vpc", vpc());
    stack.add("my-vpc", vpc());
    let errs = errors(&stack);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(matches!(&errs[0], SynthError::Duplicate { name, .. } if name == "Vpc"));
    assert!(
        errs[1]
            .to_string()
            .contains("`my-vpc` is not a valid name: only ASCII letters and digits are allowed")
    );
}

#[test]
fn a_parameter_and_a_resource_may_not_share_a_name() {
    let mut stack = Stack::new();
    stack.parameter::<String>("Vpc", Parameter::new("clash"));
    stack.add("Vpc", vpc());
    assert!(matches!(&errors(&stack)[..], [SynthError::Duplicate { name, .. }] if name == "Vpc"));
}

#[test]
fn references_to_nothing_are_reported_with_a_suggestion() {
    let mut stack = Stack::new();
    stack.add(
        "PublicSubnet",
        subnet::Subnet {
            vpc_id: Value::unchecked(serde_json::json!({ "Ref": "Vcp" })),
            ..Default::default()
        },
    );
    stack.add("Vpc", vpc());
    stack.add(
        "Group",
        security_group::SecurityGroup {
            group_description: sub("group in ${Vpcc}"),
            ..Default::default()
        },
    );
    let errs = errors(&stack);
    let messages: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(messages.contains(&"resource `PublicSubnet` refers to `Vcp` with `Ref`, but the stack declares no such resource or parameter; did you mean `Vpc`?".to_owned()), "{messages:?}");
    assert!(messages.contains(&"resource `Group` refers to `Vpcc` with `Fn::Sub`, but the stack declares no such resource or parameter; did you mean `Vpc`?".to_owned()), "{messages:?}");
}

#[test]
fn a_handle_from_another_stack_is_a_dangling_reference() {
    let mut other = Stack::new();
    let foreign = other.add("ForeignVpc", vpc());
    let mut stack = Stack::new();
    stack.add(
        "Subnet",
        subnet::Subnet {
            vpc_id: foreign.id(),
            ..Default::default()
        },
    );
    assert!(
        matches!(&errors(&stack)[..], [SynthError::Dangling { target, .. }] if target == "ForeignVpc")
    );
}

#[test]
fn get_att_of_an_attribute_the_type_lacks_is_an_error() {
    let mut stack = Stack::new();
    stack.add("Bucket", bucket::Bucket::default());
    stack.add(
        "Group",
        security_group::SecurityGroup {
            group_description: Value::unchecked(
                serde_json::json!({ "Fn::GetAtt": ["Bucket", "VpcId"] }),
            ),
            ..Default::default()
        },
    );
    let message = errors(&stack)[0].to_string();
    assert!(message.starts_with("resource `Group` reads attribute `VpcId` of `Bucket`, but AWS::S3::Bucket has only: Arn, DomainName"), "{message}");
}

#[test]
fn a_dependency_cycle_is_reported_as_the_cycle() {
    // First reads Second's GroupId; Second is declared to depend on First.
    let mut stack = Stack::new();
    let first = stack.add(
        "First",
        security_group::SecurityGroup {
            group_description: Value::unchecked(
                serde_json::json!({ "Fn::GetAtt": ["Second", "GroupId"] }),
            ),
            ..Default::default()
        },
    );
    stack.add_with(
        "Second",
        security_group::SecurityGroup {
            group_description: "second".into(),
            ..Default::default()
        },
        ResourceOptions::new().depends_on(&first),
    );
    let errs = errors(&stack);
    assert_eq!(
        errs,
        vec![SynthError::Cycle(vec![
            "First".into(),
            "Second".into(),
            "First".into()
        ])]
    );
    assert_eq!(
        errs[0].to_string(),
        "resources depend on each other in a cycle: First -> Second -> First"
    );
}

#[test]
fn references_without_a_cycle_are_fine() {
    let mut stack = Stack::new();
    let first = stack.add(
        "First",
        security_group::SecurityGroup {
            group_description: "first".into(),
            ..Default::default()
        },
    );
    stack.add_with(
        "Second",
        security_group::SecurityGroup {
            group_description: "second".into(),
            ..Default::default()
        },
        ResourceOptions::new().depends_on(&first),
    );
    stack.add(
        "Third",
        security_group::SecurityGroup {
            group_description: Value::unchecked(
                serde_json::json!({ "Fn::GetAtt": ["Second", "GroupId"] }),
            ),
            ..Default::default()
        },
    );
    assert!(stack.synth().is_ok());
}

#[test]
fn every_error_of_a_stack_is_reported_at_once() {
    let mut stack = Stack::new();
    stack.add("Group", security_group::SecurityGroup::default());
    stack.add("bad_id", vpc());
    stack.output(
        "Out",
        Output::new(Value::<Json>::unchecked(
            serde_json::json!({ "Ref": "Nothing" }),
        )),
    );
    let errs = stack.synth().expect_err("three problems");
    assert_eq!(errs.errors().len(), 3, "{errs}");
    assert!(
        errs.to_string()
            .starts_with("synthesis found 3 errors:\n  error: ")
    );
}

#[test]
fn a_rule_between_groups_of_different_vpcs_is_refused_with_its_line() {
    // Across files the group a rule admits may come from another component: only
    // synthesis sees both VPCs.
    use infra_runtime::construct::{self, Scope, SecurityGroupSpec, VpcSpec};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Split");
    let spec = |cidr| VpcSpec {
        cidr,
        private: &["10.0.1.0/24", "10.0.2.0/24"],
        nat_gateways: 0,
        restrict_default_group: false,
        ..Default::default()
    };
    let blue = construct::vpc(&mut scope, "Blue", spec("10.0.0.0/16"));
    let green = construct::vpc(&mut scope, "Green", spec("10.0.0.0/16"));
    let group = |scope: &mut Scope<'_>, id, network: &construct::Network| {
        construct::security_group(
            scope,
            id,
            SecurityGroupSpec {
                network: Some(network),
                ..Default::default()
            },
        )
    };
    let db = group(&mut scope, "DbSg", &blue);
    let app = group(&mut scope, "AppSg", &green);
    let same = group(&mut scope, "WorkerSg", &blue);
    let line = line!() + 1;
    construct::allow_from_group(&mut scope, "DbSgFromAppSg3306", &db, &app, 3306);
    construct::allow_from_group(&mut scope, "DbSgFromWorkerSg3306", &db, &same, 3306);
    let errs = errors(&stack);
    let messages: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("`DbSg` admits `AppSg`, but the two groups are in different VPCs (`BlueVpc` and `GreenVpc`)"),
        "{messages:?}"
    );
    assert!(
        messages[0].contains(&format!("synthesis_errors.rs:{line}")),
        "{messages:?}"
    );
}

#[test]
fn a_database_or_load_balancer_in_a_tier_of_one_zone_is_refused_with_its_line() {
    // The tier may come from another component, or the VPC's subnets from a setting: the
    // macro sees neither, synthesis sees both.
    use infra_runtime::construct::{self, AuroraSpec, LoadBalancerSpec, Scope, VpcSpec};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Narrow");
    let network = construct::vpc(
        &mut scope,
        "Net",
        VpcSpec {
            cidr: "10.0.0.0/16",
            public: &["10.0.1.0/24"],
            database: &["10.0.21.0/24", "10.0.22.0/24"],
            nat_gateways: 0,
            restrict_default_group: false,
            ..Default::default()
        },
    );
    let key = construct::key(&mut scope, "Key", Default::default());
    let db_line = line!() + 1;
    construct::aurora(
        &mut scope,
        "Db",
        AuroraSpec {
            subnets: Some(&network.public),
            key: Some(&key),
            ..Default::default()
        },
    );
    construct::aurora(
        &mut scope,
        "Wide",
        AuroraSpec {
            subnets: Some(&network.database),
            key: Some(&key),
            ..Default::default()
        },
    );
    let lb_line = line!() + 1;
    construct::load_balancer(
        &mut scope,
        "Web",
        LoadBalancerSpec {
            subnets: Some(&network.public),
            allow_plain_http: true,
            ..Default::default()
        },
    );
    let messages: Vec<String> = errors(&stack).iter().map(ToString::to_string).collect();
    let about = |id: &str| messages.iter().find(|m| m.starts_with(&format!("`{id}`")));
    let db = about("Db").unwrap_or_else(|| panic!("{messages:?}"));
    assert!(
        db.contains(
            "is an Aurora cluster in a tier of 1 subnet: AWS needs subnets in at least 2 zones"
        ),
        "{db}"
    );
    assert!(
        db.contains(&format!("synthesis_errors.rs:{db_line}")),
        "{db}"
    );
    let lb = about("Web").unwrap_or_else(|| panic!("{messages:?}"));
    assert!(
        lb.contains("is a load balancer in a tier of 1 subnet"),
        "{lb}"
    );
    assert!(
        lb.contains(&format!("synthesis_errors.rs:{lb_line}")),
        "{lb}"
    );
    assert!(
        about("Wide").is_none(),
        "two zones are enough: {messages:?}"
    );
}

#[test]
fn a_service_whose_roles_ecs_may_not_assume_is_refused_in_plain_rust_too() {
    // `stack!` checks trust at compile time; a stack written in plain Rust, or a role
    // from elsewhere, is judged by the trust policy the template holds.
    use infra_runtime::construct::{self, FargateServiceSpec, Principal, RoleSpec, Scope};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Plain");
    let role = |scope: &mut Scope<'_>, id, assumed_by| {
        construct::role(
            scope,
            id,
            RoleSpec {
                assumed_by,
                ..Default::default()
            },
        )
    };
    let lambda = role(&mut scope, "FunctionRole", Principal::Lambda);
    let ecs = role(&mut scope, "TaskRole", Principal::EcsTasks);
    let line = line!() + 1;
    construct::fargate_service(
        &mut scope,
        "App",
        FargateServiceSpec {
            image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
            execution_role: Some(&ecs),
            task_role: Some(&lambda),
            ..Default::default()
        },
    );
    let messages: Vec<String> = errors(&stack).iter().map(ToString::to_string).collect();
    let trust: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("trust policy"))
        .collect();
    assert_eq!(trust.len(), 1, "only the task role: {messages:?}");
    assert!(
        trust[0].starts_with("`AppTask` gives the role `FunctionRole` to ecs-tasks.amazonaws.com in `TaskRoleArn`, which the role's trust policy does not let assume it"),
        "{trust:?}"
    );
    assert!(
        trust[0].contains(&format!("synthesis_errors.rs:{line}")),
        "{trust:?}"
    );
}

#[test]
fn a_role_given_to_a_service_through_a_raw_resources_property_must_trust_that_service() {
    // Trust from the resource: the same rule for every type of
    // `infra_facts::iam::ROLE_PROPERTIES`, however the resource was written.
    use infra_runtime::aws::stepfunctions;
    use infra_runtime::construct::{self, Principal, RoleSpec, Scope};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Plain");
    let lambda = construct::role(
        &mut scope,
        "FunctionRole",
        RoleSpec {
            assumed_by: Principal::Lambda,
            ..Default::default()
        },
    );
    let states = construct::role(
        &mut scope,
        "WorkflowRole",
        RoleSpec {
            assumed_by: Principal::Service("states.amazonaws.com"),
            ..Default::default()
        },
    );
    let line = line!() + 1;
    scope.stack.add(
        "Workflow",
        stepfunctions::state_machine::StateMachine {
            role_arn: lambda.arn(),
            definition_string: Some("{}".into()),
            ..Default::default()
        },
    );
    scope.stack.add(
        "Trusted",
        stepfunctions::state_machine::StateMachine {
            role_arn: states.arn(),
            definition_string: Some("{}".into()),
            ..Default::default()
        },
    );
    let messages: Vec<String> = errors(&stack).iter().map(ToString::to_string).collect();
    let trust: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("trust policy"))
        .collect();
    assert_eq!(trust.len(), 1, "only the untrusted one: {messages:?}");
    assert!(
        trust[0].starts_with(
            "`Workflow` gives the role `FunctionRole` to states.amazonaws.com in `RoleArn`"
        ),
        "{trust:?}"
    );
    assert!(
        trust[0].contains(&format!("synthesis_errors.rs:{line}")),
        "{trust:?}"
    );
}

#[test]
fn a_service_whose_roles_may_not_do_its_job_is_refused_in_plain_rust_too() {
    // The same grants `stack!` requires at compile time, judged on the policies the
    // template gives the roles, however they were written.
    use infra_runtime::construct::grant::builtin::{connect, write_logs};
    use infra_runtime::construct::{
        self, AuroraSpec, FargateServiceSpec, Principal, RoleSpec, Scope, SecretSource, VpcSpec,
    };
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Plain");
    let network = construct::vpc(
        &mut scope,
        "Net",
        VpcSpec {
            cidr: "10.0.0.0/16",
            database: &["10.0.21.0/24", "10.0.22.0/24"],
            nat_gateways: 0,
            restrict_default_group: false,
            ..Default::default()
        },
    );
    let key = construct::key(&mut scope, "Key", Default::default());
    let logs = construct::log_group(
        &mut scope,
        "Logs",
        construct::LogGroupSpec {
            retention_days: 365,
            ..Default::default()
        },
    );
    let db = construct::aurora(
        &mut scope,
        "Db",
        AuroraSpec {
            subnets: Some(&network.database),
            key: Some(&key),
            ..Default::default()
        },
    );
    let role = |scope: &mut Scope<'_>, id, grants| {
        construct::role(
            scope,
            id,
            RoleSpec {
                assumed_by: Principal::EcsTasks,
                grants,
                ..Default::default()
            },
        )
    };
    // Writes the logs, but may not read the database's secret; connects as `app`.
    let execution = role(&mut scope, "Execution", vec![write_logs(&logs)]);
    let task = role(&mut scope, "Task", vec![connect(&db, "app")]);
    let line = line!() + 1;
    construct::fargate_service(
        &mut scope,
        "Reporting",
        FargateServiceSpec {
            image: "nginxinc/nginx-unprivileged:1.27.3-alpine",
            execution_role: Some(&execution),
            task_role: Some(&task),
            logs: Some(&logs),
            database: Some(&db),
            database_user: "reporting",
            secrets: &[("DB_SECRET", db.secret_arn())],
            ..Default::default()
        },
    );
    let messages: Vec<String> = errors(&stack).iter().map(ToString::to_string).collect();
    let needs: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("needs its"))
        .collect();
    assert_eq!(needs.len(), 2, "{messages:?}");
    assert!(
        needs.iter().any(|m| m.starts_with(
            "`Reporting` needs its execution role `Execution` to be allowed secretsmanager:GetSecretValue there; grant it `read_secret` on the secret of `DB_SECRET`"
        )),
        "{needs:?}"
    );
    assert!(
        needs.iter().any(|m| m.starts_with(
            "`Reporting` needs its task role `Task` to be allowed rds-db:connect there; grant it `connect` on the database as \"reporting\""
        )),
        "{needs:?}"
    );
    assert!(
        needs
            .iter()
            .all(|m| m.contains(&format!("synthesis_errors.rs:{line}"))),
        "{needs:?}"
    );
}

#[test]
fn numbers_sqs_does_not_take_are_refused_with_the_queues_line() {
    // A value from a setting or a component's input: the macro sees no literal, the
    // construct judges it with the same range the macro judges literals with.
    use infra_runtime::construct::{self, QueueSpec, Scope};
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Jobs");
    let line = line!() + 1;
    construct::queue(
        &mut scope,
        "Jobs",
        QueueSpec {
            visibility_timeout_seconds: 43_201,
            max_receives: 0,
            ..Default::default()
        },
    );
    construct::queue(&mut scope, "Fine", QueueSpec::default());
    let messages: Vec<String> = errors(&stack).iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0]
            .contains("visibility_timeout_seconds is 43201, but SQS takes 0 to 43200 seconds")
            && messages[1].contains("max_receives is 0, but SQS takes 1 to 1000 receives"),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .all(|m| m.starts_with("`Jobs`") && m.contains(&format!("synthesis_errors.rs:{line}"))),
        "{messages:?}"
    );
}
