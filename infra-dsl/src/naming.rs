//! Logical ids: a declaration's snake_case name in CloudFormation's PascalCase
//! (`alb_sg` becomes `AlbSg`), which must be alphanumeric, at most 255 characters, and
//! unique in the stack.

/// `alb_sg` -> `AlbSg`; a raw identifier's `r#` is dropped.
pub fn logical_id(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The Rust type name the macro derives from a declaration's name: its logical id, with
/// `_` in front where that would start with a digit (`_0app_logs` -> `_0appLogs`), so
/// that every name Rust accepts gives an identifier (`__` -> `_Unnamed2`); a logical id
/// holds no `_`, so distinct logical ids still give distinct type names.
pub fn type_name(name: &str) -> String {
    let id = logical_id(name);
    if id.is_empty() {
        // A name of underscores alone (`__`, refused as a logical id at its name): no
        // logical id starts with `_` and a letter, so this names no other declaration.
        format!("_Unnamed{}", name.len())
    } else if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{id}")
    } else {
        id
    }
}

/// How an app's command line names a stack type: `LoanStack` -> `loan`,
/// `EdgeCacheStack` -> `edge-cache`, `Stack` -> `stack`.
pub fn stack_key(type_name: &str) -> String {
    let name = type_name.strip_prefix("r#").unwrap_or(type_name);
    let base = match name.strip_suffix("Stack") {
        Some(rest) if !rest.is_empty() => rest,
        _ => name,
    };
    let mut key = String::new();
    for (i, c) in base.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !key.ends_with('-') {
            key.push('-');
        }
        if c == '_' {
            if !key.is_empty() && !key.ends_with('-') {
                key.push('-');
            }
        } else {
            key.push(c.to_ascii_lowercase());
        }
    }
    key
}

/// Whether CloudFormation accepts `id` as a logical id.
pub fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_without_underscores() {
        assert_eq!(logical_id("alb_sg"), "AlbSg");
        assert_eq!(logical_id("r#type"), "Type");
        assert_eq!(logical_id("_x__y_"), "XY");
        assert_eq!(type_name("_0app__logs"), "_0appLogs");
        assert_eq!(type_name("r#type"), "Type");
        assert_eq!(stack_key("LoanStack"), "loan");
        assert_eq!(stack_key("EdgeCacheStack"), "edge-cache");
        assert_eq!(stack_key("Stack"), "stack");
        assert_eq!(stack_key("Network_stack"), "network-stack");
        assert!(
            is_valid_logical_id("AlbSg") && !is_valid_logical_id("") && !is_valid_logical_id("A-b")
        );
    }

    /// Every name Rust accepts, over an alphabet of an underscore, a letter of each case
    /// and a digit, up to five characters, gives a type name Rust accepts.
    #[test]
    fn every_name_rust_accepts_gives_a_type_name() {
        let mut names = vec![String::new()];
        for _ in 0..5 {
            names = names
                .iter()
                .flat_map(|n| ['_', 'a', 'Z', '0'].map(|c| format!("{n}{c}")))
                .chain(names.iter().cloned())
                .collect();
            names.sort();
            names.dedup();
        }
        let accepted = names
            .iter()
            .filter(|n| syn::parse_str::<syn::Ident>(n).is_ok());
        let mut checked = 0;
        for name in accepted {
            let derived = type_name(name);
            assert!(
                syn::parse_str::<syn::Ident>(&derived).is_ok(),
                "`{name}` gives `{derived}`"
            );
            checked += 1;
        }
        assert!(checked > 500, "{checked} names");
    }
}

/// The field the generated model gives a CloudFormation property: `RoleArn` is
/// `role_arn`, `RoleARN` too, `CloudWatchLogsRoleArn` is `cloud_watch_logs_role_arn`.
pub fn field_name(property: &str) -> String {
    let chars: Vec<char> = property.chars().collect();
    let mut field = String::new();
    for (i, c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary {
            field.push('_');
        }
        field.extend(c.to_lowercase());
    }
    field
}

#[cfg(test)]
mod field_tests {
    #[test]
    fn properties_become_the_models_fields() {
        for (property, field) in [
            ("Role", "role"),
            ("RoleArn", "role_arn"),
            ("RoleARN", "role_arn"),
            ("CloudWatchLogsRoleArn", "cloud_watch_logs_role_arn"),
            ("DeliverLogsPermissionArn", "deliver_logs_permission_arn"),
            ("NodeRole", "node_role"),
            ("ServiceRoleArn", "service_role_arn"),
        ] {
            assert_eq!(super::field_name(property), field);
        }
    }
}
