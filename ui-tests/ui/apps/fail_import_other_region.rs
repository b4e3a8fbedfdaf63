//! Exports are regional: a stack imports only from a stack of its own region. A typed
//! output is exported under the name importers compute, so it takes no `export` name.

mod shared {
    infra_macros::stack! {
        pub stack SharedStack { region: "eu-west-1" }
        key data_key { description: "Shared data", rotation: true }
        output key_arn: Arn<kms::Key> { value: data_key.arn(), export: "shared-key" }
    }
}

infra_macros::stack! {
    pub stack ServiceStack { region: "eu-west-2" }
    import shared: crate::shared::SharedStack;
    key own_key { description: "Own data", rotation: true }
}

fn main() {}
