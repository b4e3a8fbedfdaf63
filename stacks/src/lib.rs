//! The project's stacks, and the command line that synthesizes, deploys and inspects them.

pub mod cli;
pub mod files;
pub mod graph;
pub mod loan;
pub mod local;
pub mod sample;
pub mod ui;
