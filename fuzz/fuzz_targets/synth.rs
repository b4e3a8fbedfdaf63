//! Random typed stacks through synthesis: valid names or not, references to anything, and
//! now and then one resource, output, parameter, description byte or name character past
//! CloudFormation's limits. Synthesis never panics; what it returns is valid JSON and
//! byte-identical on a second run; over a limit it is an error that says so; a name
//! CloudFormation refuses, or one given twice in a namespace, is an error exactly when an
//! oracle written here says so.
//!
//! Stacks stay small unless an input asks to fill up to a limit: a run costs in proportion
//! to its resources, and most of what synthesis does is already reached by a few dozen.

#![no_main]

use arbitrary::Arbitrary;
use infra_runtime::aws::ec2::{security_group, subnet, vpc};
use infra_runtime::limits::{MAX_DESCRIPTION_BYTES, MAX_NAME_CHARS, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES};
use infra_runtime::{Output, Parameter, Stack};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Vpc { name: u8 },
    Subnet { name: u8, vpc: u8 },
    Group { name: u8, vpc: u8, description: String },
    Many { count: u8 },
    /// Resources up to one past the limit.
    FillResources,
    Output { name: u8, of: u8 },
    /// Outputs up to one past the limit.
    FillOutputs,
    Tag { key: String, value: String },
    Parameter { name: u8 },
    /// Parameters up to one past the limit.
    FillParameters,
    /// A template description of up to a little over the limit, in bytes.
    Description { length: u16 },
    /// A resource whose logical id is up to a little over the limit, in characters.
    LongName { length: u16 },
}

/// How many resources a stack gets without filling up to the limit.
const SMALL: usize = 64;

/// Names from a small set, some invalid for CloudFormation, so that collisions happen.
fn name(n: u8) -> String {
    match n % 8 {
        7 => "bad-name".to_owned(),
        6 => String::new(),
        k => format!("Res{k}"),
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let mut stack = Stack::new();
    let mut vpcs = Vec::new();
    let mut total = 0usize;
    let mut outputs = 0usize;
    let mut parameters = 0usize;
    let mut description = 0usize;
    let mut longest_name = 0usize;
    // Resources and parameters share one namespace (`Ref` names either); outputs have
    // their own. Every name given, in order, to judge validity and collisions.
    let mut referable: Vec<String> = Vec::new();
    let mut output_names: Vec<String> = Vec::new();
    for op in ops.iter().take(32) {
        match op {
            Op::Vpc { name: n } => {
                referable.push(name(*n));
                vpcs.push(stack.add(&name(*n), vpc::Vpc { cidr_block: Some("10.0.0.0/16".into()), ..Default::default() }));
                total += 1;
            }
            Op::Subnet { name: n, vpc } => {
                let Some(v) = vpcs.get(usize::from(*vpc) % vpcs.len().max(1)) else { continue };
                referable.push(name(*n));
                stack.add(&name(*n), subnet::Subnet { vpc_id: v.id(), ..Default::default() });
                total += 1;
            }
            Op::Group { name: n, vpc, description } => {
                let vpc_id = vpcs.get(usize::from(*vpc) % vpcs.len().max(1)).map(|v| v.id());
                referable.push(name(*n));
                stack.add(&name(*n), security_group::SecurityGroup { group_description: description.as_str().into(), vpc_id, ..Default::default() });
                total += 1;
            }
            Op::Many { count } => {
                // A few dozen resources reach what synthesis does; hundreds only cost time.
                let count = usize::from(*count % 8).min(SMALL.saturating_sub(total));
                for i in 0..count {
                    stack.add(&format!("Many{total}x{i}"), vpc::Vpc::default());
                }
                total += count;
            }
            Op::FillResources => {
                for i in total..=MAX_RESOURCES {
                    stack.add(&format!("Fill{i}"), vpc::Vpc::default());
                }
                total = total.max(MAX_RESOURCES + 1);
            }
            Op::Output { name: n, of } => {
                if let Some(v) = vpcs.get(usize::from(*of) % vpcs.len().max(1)) {
                    output_names.push(name(*n));
                    stack.output(&name(*n), Output::new(v.id()));
                    outputs += 1;
                }
            }
            Op::FillOutputs => {
                let Some(v) = vpcs.first() else { continue };
                for i in outputs..=MAX_OUTPUTS {
                    stack.output(&format!("Fill{i}"), Output::new(v.id()));
                }
                outputs = outputs.max(MAX_OUTPUTS + 1);
            }
            Op::Tag { key, value } => {
                stack.default_tag(key.as_str(), value.as_str());
            }
            Op::Parameter { name: n } => {
                referable.push(name(*n));
                stack.parameter::<String>(&name(*n), Parameter::new("a parameter"));
                parameters += 1;
            }
            Op::FillParameters => {
                for i in parameters..=MAX_PARAMETERS {
                    stack.parameter::<String>(&format!("Param{i}"), Parameter::new("a parameter"));
                }
                parameters = parameters.max(MAX_PARAMETERS + 1);
            }
            Op::Description { length } => {
                description = usize::from(*length) % (MAX_DESCRIPTION_BYTES + 64);
                stack.description("d".repeat(description));
            }
            Op::LongName { length } => {
                let length = usize::from(*length) % (MAX_NAME_CHARS + 16) + 1;
                referable.push("L".repeat(length));
                stack.add(&"L".repeat(length), vpc::Vpc::default());
                longest_name = longest_name.max(length);
                total += 1;
            }
        }
    }
    // The oracle for names: CloudFormation takes 1 to 255 ASCII letters and digits, and
    // a name once per namespace. (The fill operations use names of their own, valid and
    // unique, so they change neither.)
    let invalid = referable
        .iter()
        .chain(&output_names)
        .any(|n| n.is_empty() || !n.chars().all(|c| c.is_ascii_alphanumeric()) || n.chars().count() > MAX_NAME_CHARS);
    let repeated = |names: &[String]| names.iter().enumerate().any(|(i, n)| names[..i].contains(n));
    let duplicate = repeated(&referable) || repeated(&output_names);
    match stack.synth() {
        Ok(template) => {
            assert!(!invalid, "an invalid name synthesized without an error: {referable:?} {output_names:?}");
            assert!(!duplicate, "a name given twice synthesized without an error: {referable:?} {output_names:?}");
            assert!(total <= MAX_RESOURCES, "{total} resources synthesized without an error");
            assert!(outputs <= MAX_OUTPUTS, "{outputs} outputs synthesized without an error");
            assert!(parameters <= MAX_PARAMETERS, "{parameters} parameters synthesized without an error");
            assert!(description <= MAX_DESCRIPTION_BYTES, "a {description}-byte description synthesized without an error");
            assert!(longest_name <= MAX_NAME_CHARS, "a {longest_name}-character name synthesized without an error");
            let parsed: serde_json::Value = serde_json::from_str(template.body()).expect("valid JSON");
            assert_eq!(&parsed, template.document());
            let again = stack.synth().expect("the same stack synthesizes again");
            assert_eq!(template.body(), again.body(), "byte-identical");
        }
        Err(errors) => {
            let message = errors.to_string();
            assert!(!message.is_empty());
            let over = |what: &str, count: usize, limit: usize| {
                let expected = format!("declares {count} {what}, over CloudFormation's limit of {limit}");
                assert_eq!(message.contains(&expected), count > limit, "{what}: {message}");
            };
            over("resources", total, MAX_RESOURCES);
            over("outputs", outputs, MAX_OUTPUTS);
            over("parameters", parameters, MAX_PARAMETERS);
            let long_description = format!("description is {description} bytes, over");
            assert_eq!(message.contains(&long_description), description > MAX_DESCRIPTION_BYTES, "{message}");
            assert_eq!(message.contains("longer than 255 characters"), longest_name > MAX_NAME_CHARS, "{message}");
            assert_eq!(message.contains("is not a valid name"), invalid, "{referable:?} {output_names:?}: {message}");
            assert_eq!(message.contains("is declared twice"), duplicate, "{referable:?} {output_names:?}: {message}");
        }
    }
});
