//! A built-in `http_api`: routes to functions, each with an integration, an IAM-signed
//! route and the function's permission scoped to that route; access logs and throttling
//! on its stage.

use infra_macros::stack;

stack! {
    pub stack Shop { region: "eu-west-2" }

    log_group fn_logs { retention_days: 365 }
    log_group api_logs { retention_days: 365 }
    role fn_role { assumed_by: lambda, grants: [write_logs(fn_logs)] }
    function intake {
        code: inline("def handler(event, context):\n    return {'statusCode': 201}\n"),
        handler: "index.handler",
        role: fn_role,
        logs: fn_logs,
    }
    function lookup {
        code: inline("def handler(event, context):\n    return {'statusCode': 200}\n"),
        handler: "index.handler",
        role: fn_role,
        logs: fn_logs,
    }
    http_api shop {
        routes: [post("/orders", intake), get("/orders/{id}", lookup)],
        logs: api_logs,
        throttle_rate: 50,
    }
    output url { value: shop.url() }
}

fn main() {
    let config = infra_runtime::StackConfig::new("qa", "eu-west-2");
    let built = Shop::new(&config);
    let template = built.stack.synth().expect("the stack synthesizes");
    let resources = &template.document()["Resources"];
    assert_eq!(resources["Shop"]["Properties"]["ProtocolType"], "HTTP");
    let stage = &resources["ShopStage"]["Properties"];
    assert_eq!(stage["StageName"], "$default");
    assert_eq!(stage["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0], "ApiLogs");
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingRateLimit"], 50.0);

    let route = &resources["ShopGetOrdersIdRoute"]["Properties"];
    assert_eq!(route["RouteKey"], "GET /orders/{id}");
    assert_eq!(route["AuthorizationType"], "AWS_IAM", "signed requests unless public");
    let integration = &resources["ShopGetOrdersIdIntegration"]["Properties"];
    assert_eq!(integration["IntegrationUri"]["Fn::GetAtt"][0], "Lookup");
    let permission = &resources["ShopGetOrdersIdPermission"]["Properties"];
    assert_eq!(permission["Principal"], "apigateway.amazonaws.com");
    let source = permission["SourceArn"]["Fn::Sub"][0].as_str().expect("a Sub");
    assert!(source.ends_with("${Api}/*/GET/orders/*"), "scoped to the route: {source}");
    assert!(resources["ShopPostOrdersPermission"].is_object());
}
