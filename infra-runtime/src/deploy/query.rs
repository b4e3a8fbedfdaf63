//! AWS's query protocol, as CloudFormation speaks it: a call is a form of parameters
//! (`Action=DescribeStacks&Version=2010-05-15&StackName=Shop`, lists as
//! `Capabilities.member.1=…`), an answer is XML (`<DescribeStacksResponse>` around
//! `<DescribeStacksResult>`), a refusal is an `<ErrorResponse>` with a code and a message.

use std::borrow::Cow;

/// The parameters of one call, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form(Vec<(String, String)>);

impl Form {
    /// The form of `action` of the API version `version`.
    pub fn new(action: &str, version: &str) -> Self {
        Self(vec![
            ("Action".to_owned(), action.to_owned()),
            ("Version".to_owned(), version.to_owned()),
        ])
    }

    /// `name=value`.
    pub fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.push((name.to_owned(), value.into()));
        self
    }

    /// `name=value` when there is a value.
    pub fn set_opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.set(name, value),
            None => self,
        }
    }

    /// A list: `name.member.1=first`, `name.member.2=second`, ….
    pub fn list<S: AsRef<str>>(mut self, name: &str, items: &[S]) -> Self {
        for (i, item) in items.iter().enumerate() {
            self = self.set(&format!("{name}.member.{}", i + 1), item.as_ref());
        }
        self
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The items of the list `name`, in order.
    pub fn items(&self, name: &str) -> Vec<&str> {
        let prefix = format!("{name}.member.");
        self.0
            .iter()
            .filter(|(n, _)| {
                n.strip_prefix(&prefix)
                    .is_some_and(|i| i.parse::<u32>().is_ok())
            })
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body of the request (`application/x-www-form-urlencoded`).
    pub fn encode(&self) -> String {
        let pairs: Vec<String> = self
            .0
            .iter()
            .map(|(n, v)| format!("{}={}", percent_encode(n, b""), percent_encode(v, b"")))
            .collect();
        pairs.join("&")
    }

    /// A form read back from a body [`Form::encode`] wrote (what a stand-in endpoint reads).
    pub fn decode(body: &str) -> Self {
        let pairs = body.split('&').filter(|pair| !pair.is_empty()).map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        });
        Self(pairs.collect())
    }
}

/// Every byte but the unreserved characters and those of `keep` percent-encoded, as
/// Signature Version 4, the query protocol and S3's keys (which keep `/`) expect.
pub(super) fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An element of an answer: its local name, its text and its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Element {
    /// The name without its namespace prefix.
    pub(super) name: String,
    /// Its text, unescaped (empty for an element of elements).
    pub(super) text: String,
    /// Its child elements, in order.
    pub(super) children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the child `name`, when it has one that is not empty.
    pub(super) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// The `member`s of the list `name` (none when it is absent).
    pub(super) fn members(&self, name: &str) -> impl Iterator<Item = &Element> {
        self.child(name)
            .into_iter()
            .flat_map(|list| list.children.iter().filter(|m| m.name == "member"))
    }

    /// The `<…Result>` an answer wraps its content in, or the answer itself.
    pub(super) fn result(&self) -> &Element {
        self.children
            .iter()
            .find(|c| c.name.ends_with("Result"))
            .unwrap_or(self)
    }
}

/// How deep an answer may nest: CloudFormation's go five deep; a deeper one (from a proxy
/// or an endpoint that is not CloudFormation) is refused rather than read, so that no
/// answer can exhaust the stack.
const MAX_DEPTH: usize = 32;

/// The document's root element, or what is wrong with the document.
pub(super) fn parse(xml: &str) -> Result<Element, String> {
    use xmlparser::{ElementEnd, Token, Tokenizer};
    let mut open: Vec<Element> = Vec::new();
    for token in Tokenizer::from(xml) {
        match token.map_err(|e| format!("malformed XML: {e}"))? {
            Token::ElementStart { .. } if open.len() == MAX_DEPTH => {
                return Err(format!("an answer nested deeper than {MAX_DEPTH} elements"));
            }
            Token::ElementStart { local, .. } => open.push(Element {
                name: local.as_str().to_owned(),
                ..Element::default()
            }),
            Token::Text { text } | Token::Cdata { text, .. } => {
                if let Some(element) = open.last_mut() {
                    element.text.push_str(&printable(&unescape(text.as_str())));
                }
            }
            Token::ElementEnd {
                end: ElementEnd::Empty | ElementEnd::Close(..),
                ..
            } => {
                let done = open.pop().ok_or("malformed XML: a close without an open")?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(trimmed(done)),
                }
            }
            _ => {}
        }
    }
    Err("malformed XML: the document ends before its root element does".to_owned())
}

/// An element of elements keeps no text (the whitespace between its children).
fn trimmed(mut element: Element) -> Element {
    if !element.children.is_empty() {
        element.text.clear();
    }
    element.children = element.children.into_iter().map(trimmed).collect();
    element
}

/// `text` with every control character but line breaks and tabs replaced by `�`: what an
/// endpoint says (a reason, an output, a name) is printed on the user's terminal, where an
/// escape sequence in it could rewrite the screen or the window's title.
pub(super) fn printable(text: &str) -> Cow<'_, str> {
    let harmless = |c: char| !c.is_control() || matches!(c, '\n' | '\t' | '\r');
    if text.chars().all(harmless) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if harmless(c) { c } else { '\u{fffd}' })
            .collect(),
    )
}

/// XML's five entities and character references.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(end) = after.find(';') else {
            out.push_str(&rest[at..]);
            return Cow::Owned(out);
        };
        let entity = &after[..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..at + end + 2]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A refusal: the error's code and message (`<ErrorResponse><Error><Code>…`).
pub(super) fn error_of(root: &Element) -> Option<(String, String)> {
    let error = root
        .child("Error")
        .or((root.name == "Error").then_some(root))?;
    let code = error.text_of("Code")?.to_owned();
    let message = error
        .text_of("Message")
        .unwrap_or("(no message)")
        .to_owned();
    Some((code, message))
}

/// Seconds since 1970 of an ISO 8601 time in UTC (`2026-12-07T21:40:32.123Z`), as
/// CloudFormation writes them; `None` for anything else.
pub(super) fn epoch_seconds(time: &str) -> Option<f64> {
    let (date, clock) = time.trim().split_once('T')?;
    let mut date = date.splitn(3, '-').map(str::parse::<i64>);
    let (year, month, day) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let clock = clock.strip_suffix('Z').unwrap_or(clock);
    let clock = clock.strip_suffix("+00:00").unwrap_or(clock);
    let mut parts = clock.splitn(3, ':');
    let hour: i64 = parts.next()?.parse().ok()?;
    let minute: i64 = parts.next()?.parse().ok()?;
    let second: f64 = parts.next()?.parse().ok()?;
    let in_range = (0..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..=23).contains(&hour)
        && (0..=59).contains(&minute)
        && (0.0..61.0).contains(&second);
    if !in_range {
        return None;
    }
    // Days from the civil date (the proleptic Gregorian calendar).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some((days * 86_400 + hour * 3_600 + minute * 60) as f64 + second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_encodes_lists_and_reserved_characters_and_reads_back() {
        let form = Form::new("DeleteStack", "2010-05-15")
            .set(
                "StackName",
                "arn:aws:cloudformation:eu-west-2:1:stack/Shop/1",
            )
            .list("RetainResources", &["Vpc", "Bucket Two"]);
        let body = form.encode();
        assert_eq!(
            body,
            "Action=DeleteStack&Version=2010-05-15&StackName=arn%3Aaws%3Acloudformation%3Aeu-west-2%3A1%3Astack%2FShop%2F1&RetainResources.member.1=Vpc&RetainResources.member.2=Bucket%20Two"
        );
        let read = Form::decode(&body);
        assert_eq!(read, form);
        assert_eq!(read.items("RetainResources"), ["Vpc", "Bucket Two"]);
        assert_eq!(read.get("Action"), Some("DeleteStack"));
    }

    #[test]
    fn an_answer_is_read_into_elements_with_entities_unescaped() {
        let xml = r#"<?xml version="1.0"?>
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult>
                <Stacks>
                  <member>
                    <StackName>Shop</StackName>
                    <StackStatusReason>a &lt;b&gt; &amp; &#x41;&#66;</StackStatusReason>
                    <Outputs/>
                  </member>
                </Stacks>
              </DescribeStacksResult>
            </DescribeStacksResponse>"#;
        let root = parse(xml).expect("parses");
        let stack = root.result().members("Stacks").next().expect("one stack");
        assert_eq!(stack.text_of("StackName"), Some("Shop"));
        assert_eq!(stack.text_of("StackStatusReason"), Some("a <b> & AB"));
        assert_eq!(stack.members("Outputs").count(), 0);
        assert_eq!(root.result().text, "", "an element of elements has no text");
    }

    #[test]
    fn an_escape_sequence_in_an_answer_never_reaches_the_terminal() {
        // XML 1.0 has no raw control characters, but character references carry them.
        let xml = "<R><Reason>a&#x1b;]0;owned&#7;b &#x1b;[2J&#x9b;c\nd\te</Reason></R>";
        let root = parse(xml).expect("parses");
        assert_eq!(
            root.text_of("Reason"),
            Some("a\u{fffd}]0;owned\u{fffd}b \u{fffd}[2J\u{fffd}c\nd\te")
        );
        assert!(parse("<R>a\u{1b}[2J</R>").is_err(), "a raw one is refused");
    }

    #[test]
    fn a_refusal_gives_its_code_and_message() {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id Shop does not exist</Message></Error><RequestId>1</RequestId></ErrorResponse>";
        let root = parse(xml).expect("parses");
        assert_eq!(
            error_of(&root),
            Some((
                "ValidationError".to_owned(),
                "Stack with id Shop does not exist".to_owned()
            ))
        );
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
    }

    #[test]
    fn an_answer_nested_past_the_bound_is_refused_not_read() {
        let deep = "<a>".repeat(100_000) + &"</a>".repeat(100_000);
        assert_eq!(
            parse(&deep),
            Err("an answer nested deeper than 32 elements".to_owned())
        );
        let within = "<a>".repeat(32) + &"</a>".repeat(32);
        assert!(parse(&within).is_ok());
    }

    proptest::proptest! {
        /// Whatever an endpoint or a proxy answers, reading it ends in an element or an
        /// error, never a panic.
        #[test]
        fn any_answer_is_read_or_refused(text in "(<[a-zA-Z]{1,3}>|</[a-zA-Z]{1,3}>|<[a-z]/>|&[#x0-9a-z]{0,6};?|[^<&]{0,8}){0,40}") {
            if let Ok(root) = parse(&text) {
                let _ = error_of(&root);
                let _ = root.result().members("member").count();
            }
            let _ = epoch_seconds(&text);
            let _ = Form::decode(&text).items("a");
        }

        /// Any time an endpoint writes is read or refused, never an overflow.
        #[test]
        fn any_time_is_read_or_refused(text in "-?[0-9]{1,20}-[0-9]{1,4}-[0-9]{1,4}T-?[0-9]{1,4}:[0-9]{1,4}:[0-9.]{1,8}(Z|\\+00:00)?") {
            if let Some(seconds) = epoch_seconds(&text) {
                proptest::prop_assert!(seconds.is_finite());
            }
        }
    }

    #[test]
    fn times_are_read_as_seconds_since_1970() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(epoch_seconds("2000-03-01T00:00:01.5Z"), Some(951_868_801.5));
        assert_eq!(
            epoch_seconds("2026-12-07T21:40:32.000Z"),
            Some(1_796_679_632.0)
        );
        assert_eq!(epoch_seconds("yesterday"), None);
        assert_eq!(epoch_seconds("2026-13-07T21:40:32Z"), None);
        // A year no arithmetic of days overflows on, whatever an endpoint writes.
        assert_eq!(epoch_seconds("9223372036854775807-01-01T00:00:00Z"), None);
        assert_eq!(epoch_seconds("2026-01-01T-1:00:00Z"), None);
    }
}
