//! What the deploy tests against a stand-in CloudFormation share: a one-VPC stack, an
//! engine on stack `Shop` whose calls go to rules instead of AWS (each rule answers one
//! action, as CloudFormation's query API would, and counts its calls), options that poll
//! quickly, and the XML of the answers.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use bytes::Bytes;
use infra_runtime::Stack;
use infra_runtime::aws::ec2::vpc;
use infra_runtime::deploy::{
    Answer, ApiCallCounter, CloudFormation, DeployOptions, Deployable, Engine, Form, Https,
    ObjectStore, Sending, Target, Transport,
};

/// The id of stack `Shop` in the stand-in account.
pub const STACK_ID: &str = "arn:aws:cloudformation:eu-west-2:123456789012:stack/Shop/1";

/// A stack of one VPC.
pub fn deployable() -> Deployable {
    let mut stack = Stack::new();
    stack.add(
        "Vpc",
        vpc::Vpc {
            cidr_block: Some("10.0.0.0/16".into()),
            ..Default::default()
        },
    );
    Deployable::new(&stack).expect("synthesizes")
}

/// Options that poll every few milliseconds; `yes` answers every question.
pub fn options(yes: bool) -> DeployOptions {
    DeployOptions {
        yes,
        poll_min: Duration::from_millis(1),
        poll_max: Duration::from_millis(5),
        ..DeployOptions::default()
    }
}

type Matcher = Arc<dyn Fn(&Form) -> bool + Send + Sync>;
type Reply = Arc<dyn Fn(&Form) -> Answer + Send + Sync>;

/// What answers one action: the requests it takes (all of that action unless narrowed
/// with [`Rule::when`]), its answer, and how often it answered.
#[derive(Clone)]
pub struct Rule {
    action: &'static str,
    when: Matcher,
    reply: Reply,
    calls: Arc<AtomicUsize>,
}

/// A rule for `action` that answers with an empty result.
pub fn on(action: &'static str) -> Rule {
    Rule {
        action,
        when: Arc::new(|_| true),
        reply: Arc::new(move |_| ok(action, "")),
        calls: Arc::default(),
    }
}

impl Rule {
    /// Only requests whose form `when` accepts.
    pub fn when(mut self, when: impl Fn(&Form) -> bool + Send + Sync + 'static) -> Self {
        self.when = Arc::new(when);
        self
    }

    /// Answers with the result `result` writes (the XML inside `<…Result>`).
    pub fn reply(mut self, result: impl Fn(&Form) -> String + Send + Sync + 'static) -> Self {
        let action = self.action;
        self.reply = Arc::new(move |form| ok(action, &result(form)));
        self
    }

    /// Answers with whatever `answer` gives (a refusal, a status of its own).
    pub fn answer(mut self, answer: impl Fn(&Form) -> Answer + Send + Sync + 'static) -> Self {
        self.reply = Arc::new(answer);
        self
    }

    /// Refuses every request with CloudFormation's `code` and `message`.
    pub fn refuse(self, code: &'static str, message: &'static str) -> Self {
        self.answer(move |_| refusal(code, message))
    }

    /// Answers the listed answers in turn, the last one ever after.
    pub fn in_turn(self, answers: Vec<Answer>) -> Self {
        let next = Mutex::new(0usize);
        self.answer(move |_| {
            let mut at = next.lock().expect("lock");
            let answer = answers[(*at).min(answers.len() - 1)].clone();
            *at += 1;
            answer
        })
    }

    /// How many requests it answered.
    pub fn num_calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }
}

/// A stand-in CloudFormation: each request goes to the first rule of its action that
/// takes it; a request no rule takes is refused, naming it.
struct Rules(Vec<Rule>);

impl Transport for Rules {
    fn send(&self, request: http::Request<aws_smithy_types::body::SdkBody>) -> Sending<'_> {
        let body = request.body().bytes().unwrap_or_default();
        let form = Form::decode(&String::from_utf8_lossy(body));
        let action = form.get("Action").unwrap_or_default().to_owned();
        let rule = self
            .0
            .iter()
            .find(|r| r.action == action && (r.when)(&form));
        let answer = match rule {
            Some(rule) => {
                rule.calls.fetch_add(1, Ordering::Relaxed);
                (rule.reply)(&form)
            }
            None => refusal("NoRule", "no rule of the test answers this request"),
        };
        Box::pin(async move { Ok(answer) })
    }
}

/// An engine on stack `Shop` whose CloudFormation is `rules` (S3 is never called).
pub fn engine(rules: &[&Rule]) -> Engine {
    let target = Target::new("Shop");
    let credentials = Credentials::new("test", "test", None, None, "test");
    let config = aws_config::SdkConfig::builder()
        .region(aws_config::Region::new("eu-west-2"))
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .build();
    let https = Https::new(Duration::from_secs(5));
    let counter = ApiCallCounter::default();
    let objects = ObjectStore::new(&config, &target, &counter, &https).expect("objects");
    let rules = Rules(rules.iter().map(|r| (*r).clone()).collect());
    let cfn = CloudFormation::new(&config, &target, &counter, &https)
        .expect("client")
        .with_transport(Arc::new(rules));
    Engine::new(cfn, objects, target)
}

/// A stack without events.
pub fn no_events() -> Rule {
    on("DescribeStackEvents").reply(|_| "<StackEvents/>".to_owned())
}

/// CloudFormation's answer to `action` holding `result`.
pub fn ok(action: &str, result: &str) -> Answer {
    let xml = format!(
        "<{action}Response xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></{action}Response>"
    );
    Answer {
        status: 200,
        body: Bytes::from(xml),
    }
}

/// CloudFormation's refusal with `code` and `message`.
pub fn refusal(code: &str, message: &str) -> Answer {
    let xml = format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error><RequestId>1</RequestId></ErrorResponse>",
        escape(message)
    );
    Answer {
        status: 400,
        body: Bytes::from(xml),
    }
}

/// `text` as XML text.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `<name>text</name>`, escaped.
pub fn el(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// The members of a list named `name`.
pub fn list(name: &str, members: &[String]) -> String {
    let members: String = members
        .iter()
        .map(|m| format!("<member>{m}</member>"))
        .collect();
    format!("<{name}>{members}</{name}>")
}

/// A `DescribeStacks` result of stack `Shop` with `status` and `more` (outputs, protection).
pub fn stack(status: &str, more: &str) -> String {
    let member = format!(
        "{}{}{}<CreationTime>2026-01-01T00:00:00Z</CreationTime>{more}",
        el("StackName", "Shop"),
        el("StackId", STACK_ID),
        el("StackStatus", status)
    );
    list("Stacks", &[member])
}

/// The refusal for a stack that does not exist.
pub fn no_such_stack() -> Answer {
    refusal("ValidationError", "Stack with id Shop does not exist")
}
