//! Least privilege in identity policies: one predicate per rule, which `stack!` applies to
//! the literals it reads and synthesis to every statement of the built template, so the
//! two never disagree. Actions are judged against AWS's authorization reference
//! ([`reference`]).

pub mod reference;

/// The CloudFormation types whose `PolicyDocument` is an identity policy.
pub const POLICY_TYPES: &[&str] = &[
    "AWS::IAM::GroupPolicy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Policy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
];

/// The CloudFormation types whose `Policies` hold inline identity policies.
pub const INLINE_POLICY_TYPES: &[&str] = &["AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::User"];

/// Whether an action names more than one action: `*`, `s3:*`, `s3:Get*`, `s3:?etObject`.
/// Least privilege names each action exactly.
pub fn wildcard_action(action: &str) -> bool {
    action.contains(['*', '?'])
}

/// Whether a resource names no particular resource: `*`, or an ARN whose service, region
/// or account, or the head of whose resource part, is a wildcard. A path under a named
/// resource (`arn:aws:s3:::reports/*`, `arn:aws:logs:…:log-group:app:*`) names that
/// resource.
pub fn wildcard_resource(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [_, _, service, region, account, resource] => {
            [service, region, account]
                .iter()
                .any(|p| p.contains(['*', '?']))
                || resource
                    .split(['/', ':'])
                    .next()
                    .is_some_and(|head| head.contains(['*', '?']))
        }
        _ => arn.contains(['*', '?']),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_wildcards_when_they_match_more_than_one() {
        for wild in ["*", "s3:*", "s3:Get*", "sqs:Send*", "s3:?etObject"] {
            assert!(wildcard_action(wild), "{wild}");
        }
        for exact in ["s3:GetObject", "logs:CreateLogStream"] {
            assert!(!wildcard_action(exact), "{exact}");
        }
    }

    #[test]
    fn resources_are_wildcards_unless_they_name_one() {
        for wild in [
            "*",
            "arn:aws:s3:::*",
            "arn:aws:sqs:*:123456789012:jobs",
            "arn:aws:sqs:eu-west-2:*:jobs",
            "arn:aws:*:eu-west-2:123456789012:jobs",
            "arn:aws:logs:eu-west-2:123456789012:*",
        ] {
            assert!(wildcard_resource(wild), "{wild}");
        }
        for named in [
            "arn:aws:s3:::reports/*",
            "arn:aws:sqs:eu-west-2:123456789012:jobs",
            "arn:aws:logs:eu-west-2:123456789012:log-group:app:*",
        ] {
            assert!(!wildcard_resource(named), "{named}");
        }
    }
}
