//! The hashes that name a handle to the compiler: `component!` and `stack!` compute them
//! when they expand, and the runtime's const evaluation computes the same ones from names.

/// A handle's name as a number (FNV-1a, 64 bits): `Field<{ field_hash("db_sg") }>`, and
/// the keys of a construct's places.
pub const fn field_hash(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The key of the handle `inner` of the handle `outer` (`net.network`: the handle
/// `network` of the component instance `net`); 0 stands for no handle.
pub const fn handle_key(outer: u64, inner: u64) -> u64 {
    if outer == 0 {
        inner
    } else if inner == 0 {
        outer
    } else {
        (outer.rotate_left(17) ^ inner).wrapping_mul(0x0100_0000_01b3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_hash_apart_and_paths_keep_their_order() {
        assert_ne!(field_hash("db_sg"), field_hash("app_sg"));
        assert_eq!(field_hash(""), 0xcbf2_9ce4_8422_2325);
        let (net, network) = (field_hash("net"), field_hash("network"));
        assert_eq!(handle_key(0, network), network);
        assert_eq!(handle_key(net, 0), net);
        assert_ne!(handle_key(net, network), handle_key(network, net));
    }
}
