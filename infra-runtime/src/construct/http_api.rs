//! `http_api`: an API Gateway HTTP API whose routes invoke functions, with access logs,
//! throttling, and each function's permission to be invoked scoped to its route.
//!
//! ```text
//! http_api shop {
//!     routes: [post("/orders", intake), get("/orders/{id}", lookup)],
//!     logs: api_logs,
//! }
//! ```
//!
//! Routes require IAM-signed requests unless the API is `public`.

use super::{Function, Scope, some};
use crate::aws::apigatewayv2::{self, stage};
use crate::aws::lambda;
use crate::aws::logs::LogGroup;
use crate::intrinsic::sub_with;
use crate::{Handle, Value};
use infra_facts::limits::apigateway as limits;

/// A route: a method and a path, and the function that answers it.
#[derive(Debug, Clone, Copy)]
pub struct Route<'a> {
    method: &'static str,
    path: &'a str,
    function: &'a Function,
}

macro_rules! methods {
    ($($name:ident => $method:literal),* $(,)?) => {$(
        #[doc = concat!("`", $method, " path`, answered by `function`.")]
        pub fn $name(path: &'a str, function: &'a Function) -> Self {
            Self { method: $method, path, function }
        }
    )*};
}

impl<'a> Route<'a> {
    methods! {
        get => "GET",
        post => "POST",
        put => "PUT",
        patch => "PATCH",
        delete => "DELETE",
        any => "ANY",
    }

    /// `POST /orders`: how API Gateway keys the route.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// `PostOrdersId`: a logical-id part from the method and the path's words.
    fn id(&self) -> String {
        let words = self
            .path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(super::pascal);
        let method = super::pascal(&self.method.to_ascii_lowercase());
        std::iter::once(method).chain(words).collect()
    }

    /// The route's part of an execute-api ARN: `POST/orders/*` (parameters as `*`).
    fn arn_path(&self) -> String {
        let method = if self.method == "ANY" {
            "*"
        } else {
            self.method
        };
        let path: Vec<&str> = self
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "*" } else { s })
            .collect();
        format!("{method}{}", path.join("/"))
    }
}

/// What an `http_api` declaration writes.
#[derive(Debug)]
pub struct HttpApiSpec<'a> {
    /// Its routes.
    pub routes: &'a [Route<'a>],
    /// Where each request is logged, as JSON.
    pub logs: Option<&'a Handle<LogGroup>>,
    /// Requests per second before throttling.
    pub throttle_rate: u32,
    /// Requests at once before throttling.
    pub throttle_burst: u32,
    /// Routes answer unsigned requests (without, each needs IAM-signed requests).
    pub public: bool,
}

impl Default for HttpApiSpec<'_> {
    fn default() -> Self {
        Self {
            routes: &[],
            logs: None,
            throttle_rate: limits::THROTTLE_RATE.default_u32(),
            throttle_burst: limits::THROTTLE_BURST.default_u32(),
            public: false,
        }
    }
}

/// An HTTP API and its default stage.
#[derive(Debug, Clone)]
pub struct HttpApi {
    /// The API.
    pub api: Handle<apigatewayv2::Api>,
}

impl HttpApi {
    /// Its URL (`https://<id>.execute-api.<region>.amazonaws.com`).
    pub fn url(&self) -> Value<String> {
        self.api.api_endpoint()
    }
}

/// The access-log record of one request.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength","integrationError":"$context.integrationErrorMessage"}"#;

/// Adds the API, its stage, and per route an integration, the route and the function's
/// permission.
#[track_caller]
pub fn http_api(scope: &mut Scope<'_>, id: &str, spec: HttpApiSpec<'_>) -> HttpApi {
    scope.enter();
    reject_invalid(scope, id, &spec);
    let api = scope.add(
        id,
        apigatewayv2::api::Api {
            name: some(scope.physical_name(&super::kebab(id))),
            protocol_type: some("HTTP"),
            ..Default::default()
        },
    );
    scope.add(
        &format!("{id}Stage"),
        apigatewayv2::stage::Stage {
            api_id: api.reference(),
            stage_name: "$default".into(),
            auto_deploy: some(true),
            access_log_settings: spec.logs.map(|logs| stage::AccessLogSettings {
                destination_arn: Some(logs.arn()),
                format: some(ACCESS_LOG_FORMAT),
            }),
            default_route_settings: Some(stage::RouteSettings {
                throttling_rate_limit: some(f64::from(spec.throttle_rate)),
                throttling_burst_limit: some(i64::from(spec.throttle_burst)),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    for route in spec.routes {
        add_route(scope, id, &api, route, spec.public);
    }
    HttpApi { api }
}

/// One route: its Lambda integration, the route, and the permission for API Gateway to
/// invoke the function for this route alone.
fn add_route(
    scope: &mut Scope<'_>,
    id: &str,
    api: &Handle<apigatewayv2::Api>,
    route: &Route<'_>,
    public: bool,
) {
    let name = format!("{id}{}", route.id());
    let integration = scope.add(
        &format!("{name}Integration"),
        apigatewayv2::integration::Integration {
            api_id: api.reference(),
            integration_type: "AWS_PROXY".into(),
            integration_uri: Some(route.function.arn().erase().cast()),
            payload_format_version: some("2.0"),
            ..Default::default()
        },
    );
    scope.add(
        &format!("{name}Route"),
        apigatewayv2::route::Route {
            api_id: api.reference(),
            route_key: route.key().into(),
            target: Some(crate::intrinsic::join(
                "/",
                [Value::from("integrations"), integration.reference()],
            )),
            authorization_type: some(if public { "NONE" } else { "AWS_IAM" }),
            ..Default::default()
        },
    );
    let source = sub_with(
        format!(
            "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}/*/{}",
            route.arn_path()
        ),
        [("Api", api.reference::<String>().erase())],
    );
    scope.add(
        &format!("{name}Permission"),
        lambda::permission::Permission {
            action: "lambda:InvokeFunction".into(),
            function_name: route.function.arn().into(),
            principal: "apigateway.amazonaws.com".into(),
            source_arn: Some(source),
            ..Default::default()
        },
    );
}

/// Routes, paths and throttling API Gateway would refuse.
fn reject_invalid(scope: &mut Scope<'_>, id: &str, spec: &HttpApiSpec<'_>) {
    if spec.routes.is_empty() {
        scope.reject(
            id,
            "has no routes: write e.g. `routes: [get(\"/\", function)]`".to_owned(),
        );
    }
    for (i, route) in spec.routes.iter().enumerate() {
        if let Some(problem) = limits::route_path_problem(route.path) {
            scope.reject(id, format!("the route `{}` {problem}", route.key()));
        }
        if spec.routes[..i].iter().any(|r| r.key() == route.key()) {
            scope.reject(id, format!("has the route `{}` twice", route.key()));
        }
    }
    for (field, value, range) in [
        ("throttle_rate", spec.throttle_rate, &limits::THROTTLE_RATE),
        (
            "throttle_burst",
            spec.throttle_burst,
            &limits::THROTTLE_BURST,
        ),
    ] {
        if let Some(problem) = range.problem(i64::from(value)) {
            scope.reject(id, format!("{field} is {value}, but {problem}"));
        }
    }
}

impl super::Construct for HttpApi {
    type Spec<'a> = HttpApiSpec<'a>;

    #[track_caller]
    fn build(scope: &mut Scope<'_>, id: &str, spec: HttpApiSpec<'_>) -> Self {
        http_api(scope, id, spec)
    }
}
