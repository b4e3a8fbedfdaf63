//! The built-in `http_api` as the outside judges it (cfn-lint, checkov's API Gateway
//! checks), and routes known only when the stack is built refused at synthesis.

use infra_macros::stack;
use infra_runtime::Stack;
use infra_runtime::construct::{self, FunctionSpec, HttpApiSpec, Route, Scope};
use tests::{checkov_template, lint_template};

stack! {
    /// An API of two routes in front of one function.
    pub stack Shop { name: "Shop", region: "eu-west-2" }

    key logs_key { description: "Shop logs", allow_logs: true }
    log_group fn_logs { retention_days: 365, key: logs_key }
    log_group api_logs { retention_days: 365, key: logs_key }
    queue failed { key: logs_key }
    role fn_role { assumed_by: lambda, grants: [write_logs(fn_logs), send(failed)] }
    function orders {
        code: inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
        handler: "index.handler",
        role: fn_role,
        logs: fn_logs,
        dead_letters: failed,
        reserved_concurrency: 10,
    }
    http_api shop {
        routes: [post("/orders", orders), get("/orders/{id}", orders)],
        logs: api_logs,
    }
}

#[test]
fn an_api_passes_cfn_lint_and_checkovs_api_gateway_checks() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let template = Shop::new(&config)
        .stack
        .synth()
        .expect("the stack synthesizes");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let path = dir.join("shop.json");
    std::fs::write(&path, template.pretty()).expect("template written");
    let findings = lint_template(&path).expect("cfn-lint runs");
    assert!(findings.is_empty(), "cfn-lint findings:\n{findings}");
    let report = checkov_template(&path).expect("checkov runs");
    let on_api: Vec<_> = report
        .failed
        .iter()
        .filter(|(_, r)| r.starts_with("AWS::ApiGateway") || r.starts_with("AWS::Lambda"))
        .collect();
    assert!(on_api.is_empty(), "checkov: {on_api:?}");
}

#[test]
fn routes_api_gateway_refuses_are_reported_with_the_apis_line() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let mut stack = Stack::new();
    let mut scope = Scope::new(&mut stack, &config, "Shop");
    let function = construct::function(
        &mut scope,
        "Fn",
        FunctionSpec {
            code: construct::Code::Inline("def handler(event, context):\n    return None\n"),
            handler: "index.handler",
            ..Default::default()
        },
    );
    let path = String::from("orders/{id}");
    let routes = [
        Route::get(&path, &function),
        Route::post("/orders", &function),
        Route::post("/orders", &function),
    ];
    let line = line!() + 1;
    construct::http_api(
        &mut scope,
        "Api",
        HttpApiSpec {
            routes: &routes,
            throttle_burst: 0,
            ..Default::default()
        },
    );
    construct::http_api(&mut scope, "Empty", HttpApiSpec::default());
    let messages: Vec<String> = match stack.synth() {
        Ok(_) => panic!("synthesis refuses the routes"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    };
    for expected in [
        "the route `GET orders/{id}` does not start with `/`",
        "has the route `POST /orders` twice",
        "throttle_burst is 0, but API Gateway takes 1 to 5000 requests",
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(expected) && m.contains(&format!("http_apis.rs:{line}"))),
            "{expected}: {messages:#?}"
        );
    }
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("`Empty`") && m.contains("has no routes")),
        "{messages:#?}"
    );
}
