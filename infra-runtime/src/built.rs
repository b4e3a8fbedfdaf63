//! What a `stack!` constructor returns: the [`Stack`], ready for synthesis, beside the
//! handles of the stack's declarations.
//!
//! The two live apart so that a declaration may take any name, `stack` included: the
//! handles are a struct of their own (`LoanStack`), reached through [`Built::handles`] or,
//! for every name but `stack` and `handles`, directly (`built.network`) through `Deref`.

use std::ops::Deref;

use crate::stack::Stack;

/// A built stack and the handles of its declarations.
#[derive(Debug)]
pub struct Built<H> {
    /// The stack, ready for `synth()`.
    pub stack: Stack,
    /// The declarations' handles, one field per declaration.
    pub handles: H,
}

impl<H> Built<H> {
    /// Pairs a stack with its handles.
    pub fn new(stack: Stack, handles: H) -> Self {
        Self { stack, handles }
    }

    /// The stack, without the handles.
    pub fn into_stack(self) -> Stack {
        self.stack
    }
}

impl<H> Deref for Built<H> {
    type Target = H;

    fn deref(&self) -> &H {
        &self.handles
    }
}
