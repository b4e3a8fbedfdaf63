//! `secret`: a Secrets Manager secret with a generated value, encrypted with a key of the
//! stack; and [`SecretSource`], what a task's `secrets` and a role's `read_secret` accept.

use super::{Aurora, Grant, Scope, some};
use crate::aws::kms::Key;
use crate::aws::secretsmanager::{Secret, secret};
use crate::{Arn, Handle, Value};

/// What a `secret` construct declares.
#[derive(Debug, Default)]
pub struct SecretSpec<'a> {
    /// What the secret is for.
    pub description: &'a str,
    /// The key that encrypts it (Secrets Manager's own key when `None`).
    pub key: Option<&'a Handle<Key>>,
    /// The generated value's length.
    pub length: Option<u16>,
}

/// Adds a secret whose value Secrets Manager generates (32 characters unless `length`),
/// so that no value is ever written in the template.
#[track_caller]
pub fn secret(scope: &mut Scope<'_>, id: &str, spec: SecretSpec<'_>) -> Handle<Secret> {
    scope.enter();
    let length = spec.length.unwrap_or(32);
    if !(20..=4096).contains(&length) {
        scope.reject(
            id,
            format!("generates {length} characters, but a secret takes 20 to 4096"),
        );
    }
    scope.add(
        id,
        secret::Secret {
            description: (!spec.description.is_empty()).then(|| spec.description.into()),
            kms_key_id: spec.key.map(|k| k.arn().into()),
            generate_secret_string: Some(secret::GenerateSecretString {
                password_length: some(i64::from(length)),
                exclude_punctuation: some(true),
                ..Default::default()
            }),
            tags: Some(scope.name_tag(&super::kebab(id))),
            ..Default::default()
        },
    )
}

/// A Secrets Manager secret a task reads into its environment or a role may read: a
/// secret of the stack, an Aurora cluster's managed master secret, or a secret's ARN
/// from a parameter or another stack's export.
///
/// Its impls are not recommended in errors: the note lists what is a secret, without
/// quoting this crate.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Secrets Manager secret",
    label = "not a secret",
    note = "a `secret` declaration, an `aurora` cluster (its master secret), or an `Arn<secretsmanager::Secret>` value"
)]
pub trait SecretSource {
    /// The secret's ARN.
    fn secret_arn(&self) -> Value<Arn<Secret>>;
}

#[diagnostic::do_not_recommend]
impl SecretSource for Handle<Secret> {
    fn secret_arn(&self) -> Value<Arn<Secret>> {
        self.arn()
    }
}

#[diagnostic::do_not_recommend]
impl SecretSource for Aurora {
    fn secret_arn(&self) -> Value<Arn<Secret>> {
        self.cluster.master_user_secret_secret_arn().cast()
    }
}

#[diagnostic::do_not_recommend]
impl SecretSource for Value<Arn<Secret>> {
    fn secret_arn(&self) -> Value<Arn<Secret>> {
        self.clone()
    }
}

/// `read_secret(secret)`: read a secret's value (a secret of the stack, or an Aurora
/// cluster's managed master-user secret).
pub fn read_secret(secret: &impl SecretSource) -> Grant {
    Grant::new(
        "ReadSecret",
        &["secretsmanager:GetSecretValue"],
        [secret.secret_arn().into()],
    )
}

/// The verbs of a secret: `read_secret`.
#[derive(Debug, Clone, Copy)]
pub struct SecretVerbs<'a>(&'a Handle<Secret>);

/// The access levels of the Secret beneath these verbs (`tag`, …).
impl super::AccessLevels for SecretVerbs<'_> {
    type Primary = Secret;

    fn primary(&self) -> &Handle<Secret> {
        self.0
    }
}

impl SecretVerbs<'_> {
    /// Read its value.
    pub fn read_secret(&self) -> Grant {
        read_secret(self.0)
    }
}

super::grantable! {
    Handle<Secret> => SecretVerbs,
}
