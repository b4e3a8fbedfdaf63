//! The runtime of `stack!`: a typed model of CloudFormation resources, values that keep
//! their types through intrinsic functions, and deterministic template synthesis.
//!
//! # Crate organization
//!
//! - [`aws`]: one module per AWS service, **generated** from AWS's CloudFormation
//!   registry schemas by `cargo run -p codegen`. Every resource type (`aws::ec2::Vpc`,
//!   what `Handle<_>`, `Arn<_>` and `Id<_>` are of) with the attributes and references its
//!   [`Handle`] offers, compiled always; and its property module (`aws::ec2::vpc`: the
//!   struct `vpc::Vpc`, nested types and enums), defined by the type's macro
//!   (`aws::ec2::Vpc! {}`) where a stack declares one, or here with the type's feature.
//! - [`Value`], [`reference`](mod@reference), [`intrinsic`], [`value::pseudo`]: property values, literal
//!   or intrinsic, typed by what they evaluate to; typed references (`Id<Vpc>`,
//!   `Arn<Role>`, `Name<Bucket>`).
//! - [`Stack`] and [`synth`]: gathering resources, parameters, conditions, outputs and
//!   default tags, then producing a [`Template`] checked against CloudFormation's
//!   [`limits`].
//! - [`construct`]: what each `stack!` construct expands to; [`Built`]: what a `stack!`
//!   constructor returns, the stack beside its declarations' handles.
//!
//! ```
//! use infra_runtime::aws::ec2::{subnet, vpc};
//! use infra_runtime::Stack;
//!
//! let mut stack = Stack::new();
//! let vpc = stack.add("Vpc", vpc::Vpc { cidr_block: Some("10.0.0.0/16".into()), ..Default::default() });
//! stack.add("Subnet", subnet::Subnet {
//!     vpc_id: vpc.id(),
//!     cidr_block: Some("10.0.1.0/24".into()),
//!     ..Default::default()
//! });
//! let template = stack.synth().expect("a valid stack");
//! assert!(template.body().contains(r#"{"Ref":"Vpc"}"#));
//! ```

#![forbid(unsafe_code)]

pub mod app;
pub mod asset;
pub mod aws;
pub mod built;
pub mod compliance;
pub mod config;
#[cfg(feature = "constructs")]
pub mod construct;
#[cfg(feature = "deploy")]
pub mod deploy;
pub mod error;
pub mod intrinsic;
pub mod limits;
pub mod reference;
pub mod resource;
pub mod stack;
pub mod synth;
mod trust;
pub mod value;

pub use app::{AppStack, SettingField, Settings};
pub use built::Built;
pub use config::{ConfigError, StackConfig};
pub use construct::{Construct, facts};
pub use error::{SynthError, SynthErrors};
pub use reference::{Arn, Id, Name, StreamArn, Url};
pub use resource::{Handle, Policy, Resource, ResourceOptions, ResourceProperties, Tag};
pub use stack::{Condition, ConditionRef, Output, Parameter, Stack};
pub use synth::Template;
pub use value::Value;

// The model's property structs derive `Serialize` through `::infra_runtime::__private::serde`
// (their `#[serde(crate)]`), here and where a stack's macro defines them, so that a stack's
// crate needs no serde of its own.
extern crate self as infra_runtime;
#[doc(hidden)]
pub mod __private {
    pub use serde;
}

/// JSON as it appears in a template.
pub type Json = serde_json::Value;
