//! CloudFormation's quotas that synthesis checks. Values from the CloudFormation User
//! Guide's quota table.

/// Resources declared in one stack.
pub const MAX_RESOURCES: usize = 500;
/// Parameters declared in one template.
pub const MAX_PARAMETERS: usize = 200;
/// Outputs declared in one template.
pub const MAX_OUTPUTS: usize = 200;
/// Bytes of a template body passed inline to `CreateStack`/`CreateChangeSet`.
pub const MAX_INLINE_BODY_BYTES: usize = 51_200;
/// Bytes of a template passed by S3 URL.
pub const MAX_S3_BODY_BYTES: usize = 1_000_000;
/// Characters of a logical id, parameter name or output name.
pub const MAX_NAME_CHARS: usize = 255;
/// Bytes of one parameter's value.
pub const MAX_PARAMETER_VALUE_BYTES: usize = 4_096;
/// Bytes of the template's description.
pub const MAX_DESCRIPTION_BYTES: usize = 1_024;
