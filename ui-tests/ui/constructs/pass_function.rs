//! A built-in `function` with inline code: its role, log group, dead-letter queue,
//! environment and numbers as the template says them, and `invoke` granted to another
//! role.

use infra_macros::stack;

stack! {
    pub stack Orders { region: "eu-west-2" }

    key data_key { description: "Orders" }
    log_group api_logs { retention_days: 365 }
    queue failed { key: data_key }
    role api_role { assumed_by: lambda, grants: [write_logs(api_logs), send(failed)] }
    role caller { assumed_by: "states.amazonaws.com", grants: [invoke(api)] }
    queue jobs { visibility_timeout_seconds: 180 }
    role worker_role { assumed_by: lambda, grants: [write_logs(api_logs), consume(jobs)] }
    function worker {
        code: inline("def handler(event, context):\n    return None\n"),
        handler: "index.handler",
        timeout_seconds: 30,
        role: worker_role,
        logs: api_logs,
        queue: jobs,
        batch_size: 5,
    }

    function api {
        code: inline("def handler(event, context):\n    return event\n"),
        handler: "index.handler",
        runtime: "python3.13",
        memory: 256,
        timeout_seconds: 30,
        role: api_role,
        logs: api_logs,
        environment: { QUEUE_URL: failed.url() },
        dead_letters: failed,
        reserved_concurrency: 5,
    }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Orders::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    assert!(template.assets().is_empty(), "inline code needs no upload");
    let resources = &template.document()["Resources"];
    let api = &resources["Api"]["Properties"];
    assert_eq!(api["Runtime"], "python3.13");
    assert_eq!(api["Architectures"][0], "arm64", "Graviton unless written");
    assert_eq!(api["MemorySize"], 256);
    assert_eq!(api["Timeout"], 30);
    assert_eq!(api["ReservedConcurrentExecutions"], 5);
    assert_eq!(api["Role"]["Fn::GetAtt"][0], "ApiRole");
    assert_eq!(api["LoggingConfig"]["LogGroup"]["Ref"], "ApiLogs");
    assert_eq!(api["DeadLetterConfig"]["TargetArn"]["Fn::GetAtt"][0], "Failed");
    assert_eq!(api["Environment"]["Variables"]["QUEUE_URL"]["Fn::GetAtt"][0], "Failed");
    assert!(api["Code"]["ZipFile"].as_str().expect("inline").starts_with("def handler"));

    let feed = &resources["WorkerJobsFeed"]["Properties"];
    assert_eq!(feed["EventSourceArn"]["Fn::GetAtt"][0], "Jobs");
    assert_eq!(feed["FunctionName"]["Ref"], "Worker");
    assert_eq!(feed["BatchSize"], 5);
    assert_eq!(feed["FunctionResponseTypes"][0], "ReportBatchItemFailures");

    let invoke = &resources["CallerPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(invoke["Action"][0], "lambda:InvokeFunction");
    assert_eq!(invoke["Resource"][0]["Fn::GetAtt"][0], "Api");
}
