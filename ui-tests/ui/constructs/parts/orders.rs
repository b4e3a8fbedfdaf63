//! A component that owns a queue and the key that encrypts it.

use infra_macros::component;

component! {
    pub component Orders { description: "Orders and their queue" }
    pub key orders_key { description: "Orders" }
    pub queue placed { key: orders_key, visibility_timeout_seconds: 120, max_receives: 3 }
}
