//! The CloudFormation calls the engine makes, over the query protocol ([`super::query`]):
//! each a signed form POSTed to the region's endpoint, its answer read into the few
//! fields the engine uses. The SDK's generated client for these sixteen calls was the
//! largest crate of every app's cold build.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use aws_config::SdkConfig;
use bytes::Bytes;

use super::calls::{Answer, Caller, Request, Service, Transport, aws_host, configured_endpoint};
use super::connect::{ApiCallCounter, Target};
use super::engine::Described;
use super::http::Https;
use super::query::{Element, Form, epoch_seconds, error_of, parse};
use super::{DeployError, StackStatus};

/// The API version of every call.
const VERSION: &str = "2010-05-15";

/// CloudFormation in one region, for one target's credentials.
#[derive(Clone)]
pub struct CloudFormation {
    caller: Caller,
    /// Where the calls go.
    url: String,
}

impl std::fmt::Debug for CloudFormation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudFormation")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// A resource change of a change set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ResourceChange {
    pub logical_id: String,
    pub resource_type: String,
    /// `Add`, `Modify`, `Remove`, …
    pub action: String,
    /// `True`, `False`, `Conditional`, or nothing.
    pub replacement: String,
    /// The properties it changes.
    pub properties: Vec<String>,
}

/// A change set as `DescribeChangeSet` gives it, all its pages read.
#[derive(Debug, Clone, Default)]
pub(super) struct ChangeSet {
    pub status: String,
    pub status_reason: String,
    pub changes: Vec<ResourceChange>,
}

/// A change set of a stack's list.
#[derive(Debug, Clone, Default)]
pub(super) struct ChangeSetSummary {
    pub id: String,
    pub name: String,
    pub status: String,
    pub execution_status: String,
    /// When it was created, in seconds since 1970 (0 when not said).
    pub created: f64,
}

/// A resource of a stack.
#[derive(Debug, Clone, Default)]
pub(super) struct StackResource {
    pub logical_id: String,
    pub resource_type: String,
    pub physical_id: Option<String>,
    pub status: String,
}

/// One stack event.
#[derive(Debug, Clone, Default)]
pub(super) struct StackEvent {
    pub id: String,
    pub logical_id: String,
    pub resource_type: String,
    pub status: String,
    pub reason: Option<String>,
    pub timestamp: String,
    pub client_request_token: Option<String>,
}

/// A page of a list and the token of the next one.
pub(super) struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// The page tokens of one listing so far: an endpoint that gives a token it gave before
/// would page in a circle, and the listing ends there with an error rather than never.
#[derive(Default)]
pub(super) struct PageTokens(HashSet<String>);

impl PageTokens {
    /// `token`, the next page's, unless it was given before.
    pub(super) fn next(
        &mut self,
        operation: &'static str,
        token: Option<String>,
    ) -> Result<Option<String>, DeployError> {
        match token {
            Some(token) if !self.0.insert(token.clone()) => Err(DeployError::Api {
                operation,
                code: "RepeatedPageToken".into(),
                message: format!(
                    "the endpoint gave the page token `{token}` twice; the listing stopped there"
                ),
            }),
            other => Ok(other),
        }
    }
}

/// What creates a change set.
pub(super) struct NewChangeSet<'a> {
    pub stack: &'a str,
    pub name: &'a str,
    /// `CREATE` or `UPDATE`.
    pub kind: &'a str,
    pub template_body: Option<String>,
    pub template_url: Option<String>,
    /// Each parameter's key and its value (`None`: the previous value).
    pub parameters: Vec<(String, Option<String>)>,
}

impl CloudFormation {
    /// The client of `config`'s region, credentials and endpoint (the command line's, the
    /// environment's or profile's for CloudFormation or for every service, else AWS's),
    /// with the target's attempts and timeout, sending over `http` and counting each
    /// attempt in `counter`. Fails without a region, or for an endpoint that is not an
    /// http(s) URL.
    pub fn new(
        config: &SdkConfig,
        target: &Target,
        counter: &ApiCallCounter,
        http: &Https,
    ) -> Result<Self, DeployError> {
        let caller = Caller::new(config, target, counter, Arc::new(http.clone()))?;
        Self::with_caller(config, caller)
    }

    /// The client of `config`'s endpoint over `caller`; `Err` for an endpoint that is not
    /// an http(s) URL.
    pub(super) fn with_caller(config: &SdkConfig, caller: Caller) -> Result<Self, DeployError> {
        let url = match configured_endpoint(config, Service::CloudFormation)? {
            Some(endpoint) => endpoint.trim_end_matches('/').to_owned(),
            None => {
                let fips = config.use_fips().unwrap_or(false);
                let dual_stack = config.use_dual_stack().unwrap_or(false);
                let host = aws_host(Service::CloudFormation, &caller.region, fips, dual_stack);
                format!("https://{host}")
            }
        };
        Ok(Self { caller, url })
    }

    /// This client sending over `transport` instead (a stand-in for CloudFormation).
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.caller = self.caller.with_transport(transport);
        self
    }

    /// Where the calls go.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sends `call`; the `<…Result>` of the answer, or CloudFormation's refusal.
    async fn call(&self, call: Call) -> Result<Element, DeployError> {
        let Call { operation, form } = call;
        let request = Request {
            service: Service::CloudFormation,
            operation,
            method: "POST",
            url: &self.url,
            headers: &[(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )],
            body: Bytes::from(form.encode()),
        };
        let answer = self.caller.send(&request, retryable).await?;
        read(operation, &answer)
    }

    /// The stack with this name or id, or `None` when there is none.
    pub(super) async fn describe_stack(
        &self,
        stack: &str,
    ) -> Result<Option<Described>, DeployError> {
        let call = Call::new("DescribeStacks").set("StackName", stack);
        match self.call(call).await {
            Ok(result) => Ok(result.members("Stacks").next().map(described)),
            Err(error) if error.is_missing_stack() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Creates a change set; its id and its stack's.
    pub(super) async fn create_change_set(
        &self,
        new: NewChangeSet<'_>,
    ) -> Result<(Option<String>, Option<String>), DeployError> {
        let mut call = Call::new("CreateChangeSet")
            .set("StackName", new.stack)
            .set("ChangeSetName", new.name)
            .set("ChangeSetType", new.kind)
            .set_opt("TemplateBody", new.template_body)
            .set_opt("TemplateURL", new.template_url)
            .list("Capabilities", &["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
            .set("ClientToken", new.name);
        for (i, (key, value)) in new.parameters.iter().enumerate() {
            let at = format!("Parameters.member.{}", i + 1);
            call = call.set(&format!("{at}.ParameterKey"), key);
            call = match value {
                Some(value) => call.set(&format!("{at}.ParameterValue"), value),
                None => call.set(&format!("{at}.UsePreviousValue"), "true"),
            };
        }
        let result = self.call(call).await?;
        let text = |name| result.text_of(name).map(str::to_owned);
        Ok((text("Id"), text("StackId")))
    }

    /// A change set with every page of its changes.
    pub(super) async fn describe_change_set(
        &self,
        stack: &str,
        id: &str,
    ) -> Result<ChangeSet, DeployError> {
        let mut read = ChangeSet::default();
        let mut next: Option<String> = None;
        loop {
            let call = Call::new("DescribeChangeSet")
                .set("ChangeSetName", id)
                .set("StackName", stack)
                .set_opt("NextToken", next.take());
            let result = self.call(call).await?;
            read.status = text(&result, "Status");
            read.status_reason = text(&result, "StatusReason");
            read.changes
                .extend(result.members("Changes").filter_map(resource_change));
            match result.text_of("NextToken") {
                Some(token) => next = Some(token.to_owned()),
                None => return Ok(read),
            }
        }
    }

    /// Deletes a change set.
    pub(super) async fn delete_change_set(&self, stack: &str, id: &str) -> Result<(), DeployError> {
        let call = Call::new("DeleteChangeSet")
            .set("ChangeSetName", id)
            .set("StackName", stack);
        self.call(call).await.map(drop)
    }

    /// The change sets of a stack (its first page, the newest).
    pub(super) async fn list_change_sets(
        &self,
        stack: &str,
    ) -> Result<Vec<ChangeSetSummary>, DeployError> {
        let call = Call::new("ListChangeSets").set("StackName", stack);
        let result = self.call(call).await?;
        Ok(result
            .members("Summaries")
            .map(|s| ChangeSetSummary {
                id: text(s, "ChangeSetId"),
                name: text(s, "ChangeSetName"),
                status: text(s, "Status"),
                execution_status: text(s, "ExecutionStatus"),
                created: s
                    .text_of("CreationTime")
                    .and_then(epoch_seconds)
                    .unwrap_or(0.0),
            })
            .collect())
    }

    /// Executes a change set; its events carry `token`.
    pub(super) async fn execute_change_set(
        &self,
        stack: &str,
        id: &str,
        token: &str,
    ) -> Result<(), DeployError> {
        let call = Call::new("ExecuteChangeSet")
            .set("ChangeSetName", id)
            .set("StackName", stack)
            .set("ClientRequestToken", token);
        self.call(call).await.map(drop)
    }

    /// Deletes a stack, keeping `retain` (of a stack whose deletion failed).
    pub(super) async fn delete_stack(
        &self,
        stack: &str,
        retain: &[String],
        token: Option<&str>,
    ) -> Result<(), DeployError> {
        let call = Call::new("DeleteStack")
            .set("StackName", stack)
            .list("RetainResources", retain)
            .set_opt("ClientRequestToken", token);
        self.call(call).await.map(drop)
    }

    /// Continues a rollback that failed.
    pub(super) async fn continue_update_rollback(&self, stack: &str) -> Result<(), DeployError> {
        let call = Call::new("ContinueUpdateRollback").set("StackName", stack);
        self.call(call).await.map(drop)
    }

    /// Turns termination protection on.
    pub(super) async fn protect(&self, stack: &str) -> Result<(), DeployError> {
        let call = Call::new("UpdateTerminationProtection")
            .set("StackName", stack)
            .set("EnableTerminationProtection", "true");
        self.call(call).await.map(drop)
    }

    /// A page of a stack's resources.
    pub(super) async fn list_stack_resources(
        &self,
        stack: &str,
        next: Option<String>,
    ) -> Result<Page<StackResource>, DeployError> {
        let call = Call::new("ListStackResources")
            .set("StackName", stack)
            .set_opt("NextToken", next);
        let result = self.call(call).await?;
        let items = result
            .members("StackResourceSummaries")
            .map(|r| StackResource {
                logical_id: text(r, "LogicalResourceId"),
                resource_type: text(r, "ResourceType"),
                physical_id: r.text_of("PhysicalResourceId").map(str::to_owned),
                status: text(r, "ResourceStatus"),
            })
            .collect();
        Ok(Page {
            items,
            next: result.text_of("NextToken").map(str::to_owned),
        })
    }

    /// A page of a stack's events, the newest first.
    pub(super) async fn describe_stack_events(
        &self,
        stack: &str,
        next: Option<String>,
    ) -> Result<Page<StackEvent>, DeployError> {
        let call = Call::new("DescribeStackEvents")
            .set("StackName", stack)
            .set_opt("NextToken", next);
        let result = self.call(call).await?;
        let items = result
            .members("StackEvents")
            .map(|e| StackEvent {
                id: text(e, "EventId"),
                logical_id: text(e, "LogicalResourceId"),
                resource_type: text(e, "ResourceType"),
                status: text(e, "ResourceStatus"),
                reason: e.text_of("ResourceStatusReason").map(str::to_owned),
                timestamp: text(e, "Timestamp"),
                client_request_token: e.text_of("ClientRequestToken").map(str::to_owned),
            })
            .collect();
        Ok(Page {
            items,
            next: result.text_of("NextToken").map(str::to_owned),
        })
    }

    /// The template a stack was deployed with.
    pub(super) async fn template_of(&self, stack: &str) -> Result<Option<String>, DeployError> {
        let call = Call::new("GetTemplate").set("StackName", stack);
        let result = self.call(call).await?;
        Ok(result.text_of("TemplateBody").map(str::to_owned))
    }

    /// A page of the stacks that import `export`.
    pub(super) async fn list_imports(
        &self,
        export: &str,
        next: Option<String>,
    ) -> Result<Page<String>, DeployError> {
        let call = Call::new("ListImports")
            .set("ExportName", export)
            .set_opt("NextToken", next);
        let result = self.call(call).await?;
        Ok(Page {
            items: result.members("Imports").map(|m| m.text.clone()).collect(),
            next: result.text_of("NextToken").map(str::to_owned),
        })
    }

    /// Starts drift detection; its id.
    pub(super) async fn detect_drift(&self, stack: &str) -> Result<String, DeployError> {
        let call = Call::new("DetectStackDrift").set("StackName", stack);
        Ok(text(&self.call(call).await?, "StackDriftDetectionId"))
    }

    /// A drift detection's status and reason.
    pub(super) async fn drift_detection_status(
        &self,
        id: &str,
    ) -> Result<(String, Option<String>), DeployError> {
        let call = Call::new("DescribeStackDriftDetectionStatus").set("StackDriftDetectionId", id);
        let result = self.call(call).await?;
        let reason = result.text_of("DetectionStatusReason").map(str::to_owned);
        Ok((text(&result, "DetectionStatus"), reason))
    }

    /// Each resource's drift: its logical id, type and drift status.
    pub(super) async fn resource_drifts(
        &self,
        stack: &str,
    ) -> Result<Vec<(String, String, String)>, DeployError> {
        let call = Call::new("DescribeStackResourceDrifts").set("StackName", stack);
        let result = self.call(call).await?;
        Ok(result
            .members("StackResourceDrifts")
            .map(|d| {
                (
                    text(d, "LogicalResourceId"),
                    text(d, "ResourceType"),
                    text(d, "StackResourceDriftStatus"),
                )
            })
            .collect())
    }
}

/// The text of `name`, or nothing.
fn text(element: &Element, name: &str) -> String {
    element.text_of(name).unwrap_or_default().to_owned()
}

/// A stack of `DescribeStacks`.
fn described(stack: &Element) -> Described {
    let outputs: Vec<&Element> = stack.members("Outputs").collect();
    let key = |o: &Element| o.text_of("OutputKey").map(str::to_owned);
    Described {
        stack_id: stack.text_of("StackId").map(str::to_owned),
        status: StackStatus::from(stack.text_of("StackStatus").unwrap_or("UNKNOWN")),
        parameters: stack
            .members("Parameters")
            .filter_map(|p| p.text_of("ParameterKey").map(str::to_owned))
            .collect(),
        outputs: outputs
            .iter()
            .filter_map(|o| Some((key(o)?, text(o, "OutputValue"))))
            .collect::<BTreeMap<_, _>>(),
        exports: outputs
            .iter()
            .filter_map(|o| Some((key(o)?, o.text_of("ExportName")?.to_owned())))
            .collect(),
        protected: stack.text_of("EnableTerminationProtection") == Some("true"),
    }
}

/// A change of a change set, when it is a resource's.
fn resource_change(change: &Element) -> Option<ResourceChange> {
    let rc = change.child("ResourceChange")?;
    let mut properties: Vec<String> = rc
        .members("Details")
        .filter_map(|d| d.child("Target"))
        .filter(|t| t.text_of("Attribute") == Some("Properties"))
        .filter_map(|t| t.text_of("Name").map(str::to_owned))
        .collect();
    properties.sort();
    properties.dedup();
    Some(ResourceChange {
        logical_id: text(rc, "LogicalResourceId"),
        resource_type: text(rc, "ResourceType"),
        action: text(rc, "Action"),
        replacement: text(rc, "Replacement"),
        properties,
    })
}

/// An answer read: its result, or the refusal it carries.
fn read(operation: &'static str, answer: &Answer) -> Result<Element, DeployError> {
    let body = String::from_utf8_lossy(&answer.body);
    let root = parse(&body);
    if (200..300).contains(&answer.status) {
        let malformed = |message| DeployError::Api {
            operation,
            code: "MalformedAnswer".into(),
            message,
        };
        let root = root.map_err(malformed)?;
        // Anything else (a proxy's page, a service that is not CloudFormation) would read
        // as an empty answer: no stack, a change set with no status, polled for ever.
        if root.name != format!("{operation}Response") {
            return Err(malformed(format!(
                "the endpoint answered `<{}>` where CloudFormation answers `<{operation}Response>`; is it CloudFormation's?",
                root.name
            )));
        }
        return Ok(root.result().clone());
    }
    let (code, message) = root
        .ok()
        .as_ref()
        .and_then(error_of)
        .unwrap_or_else(|| (format!("HTTP {}", answer.status), excerpt(&body)));
    Err(DeployError::Api {
        operation,
        code,
        message,
    })
}

/// The start of a body that is not a refusal CloudFormation wrote (a proxy's page).
fn excerpt(body: &str) -> String {
    let body = super::query::printable(body);
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None if line.is_empty() => "(no message)".to_owned(),
        None => line,
    }
}

/// Throttling and transient errors are worth another attempt, as the SDK's standard mode
/// has them: a 5xx or 429, or a throttling code in a 400.
fn retryable(answer: &Answer) -> bool {
    if answer.status == 429 || answer.status >= 500 {
        return true;
    }
    if answer.status != 400 {
        return false;
    }
    let body = String::from_utf8_lossy(&answer.body);
    let code = parse(&body)
        .ok()
        .as_ref()
        .and_then(error_of)
        .map(|(c, _)| c);
    code.is_some_and(|c| {
        matches!(
            c.as_str(),
            "Throttling"
                | "ThrottlingException"
                | "ThrottledException"
                | "RequestThrottledException"
                | "TooManyRequestsException"
                | "RequestLimitExceeded"
                | "RequestThrottled"
                | "SlowDown"
                | "PriorRequestNotComplete"
                | "EC2ThrottledException"
                | "TransactionInProgressException"
                | "RequestTimeout"
                | "RequestTimeoutException"
                | "InternalError"
        )
    })
}

/// A call of the API: its action, and its form of parameters.
struct Call {
    operation: &'static str,
    form: Form,
}

impl Call {
    fn new(action: &'static str) -> Self {
        Self {
            operation: action,
            form: Form::new(action, VERSION),
        }
    }

    fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.form = self.form.set(name, value);
        self
    }

    fn set_opt(mut self, name: &str, value: Option<impl Into<String>>) -> Self {
        self.form = self.form.set_opt(name, value);
        self
    }

    fn list<S: AsRef<str>>(mut self, name: &str, items: &[S]) -> Self {
        self.form = self.form.list(name, items);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn a_stack_is_read_with_its_outputs_exports_and_protection() {
        let xml = "<DescribeStacksResponse><DescribeStacksResult><Stacks><member>
            <StackId>arn:1</StackId><StackName>Shop</StackName><StackStatus>UPDATE_COMPLETE</StackStatus>
            <Parameters><member><ParameterKey>Env</ParameterKey><ParameterValue>prod</ParameterValue></member></Parameters>
            <Outputs><member><OutputKey>VpcId</OutputKey><OutputValue>vpc-1</OutputValue><ExportName>Shop-VpcId</ExportName></member>
              <member><OutputKey>Url</OutputKey><OutputValue>https://x</OutputValue></member></Outputs>
            <EnableTerminationProtection>true</EnableTerminationProtection>
            </member></Stacks></DescribeStacksResult></DescribeStacksResponse>";
        let result = read("DescribeStacks", &answer(200, xml)).expect("reads");
        let stack = described(result.members("Stacks").next().expect("a stack"));
        assert_eq!(stack.status, StackStatus::UpdateComplete);
        assert_eq!(stack.parameters, ["Env"]);
        assert_eq!(stack.outputs["Url"], "https://x");
        assert_eq!(stack.exports.len(), 1);
        assert_eq!(stack.exports["VpcId"], "Shop-VpcId");
        assert!(stack.protected);
    }

    #[test]
    fn a_refusal_is_its_code_and_message_and_throttling_is_retried() {
        let refusal = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>";
        let error = read("DescribeStacks", &answer(400, refusal)).expect_err("refused");
        assert!(
            matches!(&error, DeployError::Api { code, message, .. } if code == "Throttling" && message == "Rate exceeded"),
            "{error:?}"
        );
        assert!(retryable(&answer(400, refusal)));
        let validation = refusal.replace("Throttling", "ValidationError");
        assert!(!retryable(&answer(400, &validation)));
        assert!(retryable(&answer(503, "")));
        let page = read(
            "GetTemplate",
            &answer(502, "<html><body>Bad gateway\u{1b}[2J</body></html>"),
        );
        assert!(
            matches!(&page, Err(DeployError::Api { code, message, .. }) if code == "HTTP 502" && message.contains("Bad gateway\u{fffd}[2J")),
            "{page:?}"
        );
    }

    #[test]
    fn an_answer_that_is_not_cloudformations_is_refused_not_read_as_empty() {
        let page = "<html><body>Welcome</body></html>";
        let error = read("DescribeStacks", &answer(200, page)).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "DescribeStacks: MalformedAnswer: the endpoint answered `<html>` where CloudFormation answers `<DescribeStacksResponse>`; is it CloudFormation's?"
        );
        let mut tokens = PageTokens::default();
        assert_eq!(
            tokens.next("ListImports", Some("a".into())).ok(),
            Some(Some("a".into()))
        );
        assert_eq!(tokens.next("ListImports", None).ok(), Some(None));
        assert!(tokens.next("ListImports", Some("a".into())).is_err());
    }

    #[test]
    fn a_change_names_the_properties_it_changes_once_each() {
        let xml = "<member><Type>Resource</Type><ResourceChange><Action>Modify</Action>
            <LogicalResourceId>Vpc</LogicalResourceId><ResourceType>AWS::EC2::VPC</ResourceType><Replacement>True</Replacement>
            <Details><member><Target><Attribute>Properties</Attribute><Name>CidrBlock</Name></Target></member>
              <member><Target><Attribute>Properties</Attribute><Name>CidrBlock</Name></Target></member>
              <member><Target><Attribute>Tags</Attribute></Target></member></Details>
            </ResourceChange></member>";
        let change = resource_change(&parse(xml).expect("parses")).expect("a resource's");
        assert_eq!(change.properties, ["CidrBlock"]);
        assert_eq!(change.replacement, "True");
        assert_eq!(change.action, "Modify");
    }
}
