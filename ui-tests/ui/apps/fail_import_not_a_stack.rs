//! `import` names another stack's type: a type that is not a stack is refused at the type,
//! and an import without a type says what to write.

infra_macros::stack! {
    pub stack ServiceStack { region: "eu-west-2" }
    import shared: String;
    import other;
}

fn main() {}
