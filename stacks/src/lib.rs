//! The project's stacks, and the command line that synthesizes them.

pub mod cli;
pub mod loan;
pub mod sample;
