//! Components the cases in `ui/components/` assemble, each in its own file.

pub mod data;
pub mod edge;
pub mod groups;
pub mod network;
pub mod platform;
pub mod roles;
pub mod storage;
