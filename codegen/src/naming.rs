//! Rust names for CloudFormation names.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `AWS::EC2::VPC` → (`ec2`, `vpc`, `Vpc`): the service's module is CloudFormation's
/// service name lowercased, as aws-cdk-lib's `aws_<service>` modules are
/// (`AWS::ElasticLoadBalancingV2` → `elasticloadbalancingv2`).
pub fn type_names(type_name: &str) -> (String, String, String) {
    let parts: Vec<&str> = type_name.split("::").collect();
    let service = parts.get(1).copied().unwrap_or_default();
    let resource = parts.get(2).copied().unwrap_or_default();
    (service.to_lowercase(), snake(resource), camel(resource))
}

/// The Cargo feature of one resource type: `ec2-vpc-gateway-attachment`.
pub fn feature(service: &str, module: &str) -> String {
    format!("{service}-{}", module.replace('_', "-"))
}

/// A field, method or module name; keywords are made raw (`r#type`), and the four that
/// cannot be raw take a trailing underscore (`self_`).
pub fn field(name: &str) -> String {
    let s = snake(name);
    if ["self", "super", "crate"].contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

pub fn snake(name: &str) -> String {
    name.to_snake_case()
}

pub fn camel(name: &str) -> String {
    name.to_upper_camel_case()
}

/// An enum variant for a schema value: `aws:kms` → `AwsKms`, `5xx` → `V5xx`.
pub fn variant(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let c = camel(&cleaned);
    match c.chars().next() {
        None => "Empty".to_owned(),
        // A digit cannot start a name, and `Self` cannot be one.
        Some(first) if first.is_ascii_digit() || c == "Self" => format!("V{c}"),
        Some(_) => c,
    }
}

/// Names a generated type may not take, because the prelude or the runtime owns them.
pub const RESERVED_TYPES: &[&str] = &[
    "Option", "Vec", "String", "Box", "Result", "Default", "Value", "Self", "Some", "None",
];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "yield", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            type_names("AWS::EC2::VPCGatewayAttachment"),
            (
                "ec2".into(),
                "vpc_gateway_attachment".into(),
                "VpcGatewayAttachment".into()
            )
        );
        assert_eq!(
            type_names("AWS::ElasticLoadBalancingV2::TargetGroup").0,
            "elasticloadbalancingv2"
        );
        assert_eq!(field("Type"), "r#type");
        assert_eq!(field("DBSubnetGroupName"), "db_subnet_group_name");
        assert_eq!(variant("aws:kms:dsse"), "AwsKmsDsse");
        assert_eq!(variant("2"), "V2");
        assert_eq!(variant("SELF"), "VSelf");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("Type"), "r#type");
    }
}
