//! Properties of the DSL's pure pieces, checked on generated inputs: CIDR parsing and
//! arithmetic against a bit-level oracle, logical ids, and "did you mean".

use infra_dsl::cidr::{Cidr, CidrError};
use infra_dsl::naming::{is_valid_logical_id, logical_id};
use infra_dsl::suggest::{did_you_mean, distance};
use proptest::prelude::*;

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

fn dotted(address: u32) -> String {
    std::net::Ipv4Addr::from(address).to_string()
}

fn block() -> impl Strategy<Value = Cidr> {
    (any::<u32>(), 0u8..=32).prop_map(|(a, p)| Cidr {
        address: a & mask(p),
        prefix: p,
    })
}

proptest! {
    #[test]
    fn a_block_prints_and_parses_back(b in block()) {
        prop_assert_eq!(Cidr::parse(&b.to_string()), Ok(b));
    }

    #[test]
    fn host_bits_are_refused_with_the_block_they_mean(address in any::<u32>(), prefix in 0u8..=32) {
        let text = format!("{}/{prefix}", dotted(address));
        let masked = Cidr { address: address & mask(prefix), prefix };
        if address & !mask(prefix) == 0 {
            prop_assert_eq!(Cidr::parse(&text), Ok(masked));
        } else {
            prop_assert_eq!(Cidr::parse(&text), Err(CidrError::HostBits(masked)));
        }
    }

    #[test]
    fn containment_and_overlap_agree_with_the_bits(a in block(), b in block()) {
        let contains = b.prefix >= a.prefix && (b.address & mask(a.prefix)) == a.address;
        prop_assert_eq!(a.contains(b), contains);
        // Two CIDR blocks share an address exactly when one holds the other.
        prop_assert_eq!(a.overlaps(b), a.contains(b) || b.contains(a));
        prop_assert_eq!(a.overlaps(b), b.overlaps(a));
        prop_assert!(a.contains(a) && a.overlaps(a));
    }

    #[test]
    fn any_text_is_accepted_exactly_when_the_oracle_accepts_it(text in prop_oneof![
        "\\PC{0,24}",
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,2}",
    ]) {
        match (Cidr::parse(&text), oracle(&text)) {
            (Ok(b), Oracle::Block(address, prefix)) => {
                prop_assert_eq!((b.address, b.prefix), (address, prefix));
                prop_assert_eq!(b.to_string(), text);
            }
            (Err(CidrError::HostBits(b)), Oracle::HostBits(address, prefix)) => {
                prop_assert_eq!((b.address, b.prefix), (address & mask(prefix), prefix));
            }
            (Err(e), Oracle::Malformed) => {
                prop_assert!(!matches!(e, CidrError::HostBits(_)), "{}: {:?}", text, e);
            }
            (got, expected) => prop_assert!(false, "{:?}: parsed {:?}, the oracle says {:?}", text, got, expected),
        }
    }

    #[test]
    fn what_parses_is_written_the_one_canonical_way(address in any::<u32>(), prefix in 0u8..=32, octet in 0usize..4) {
        let canonical = format!("{}/{prefix}", dotted(address & mask(prefix)));
        let parsed = Cidr::parse(&canonical);
        prop_assert_eq!(parsed.map(|b| b.to_string()), Ok(canonical.clone()));
        // The same block written another way (a leading zero in one octet, or in the
        // prefix) is refused, so that one block has one spelling.
        let mut parts: Vec<String> = canonical.split(['.', '/']).map(str::to_owned).collect();
        parts[octet] = format!("0{}", parts[octet]);
        let padded = format!("{}.{}.{}.{}/{}", parts[0], parts[1], parts[2], parts[3], parts[4]);
        prop_assert!(Cidr::parse(&padded).is_err(), "{}", padded);
        let padded_prefix = format!("{}/0{prefix}", dotted(address & mask(prefix)));
        prop_assert!(Cidr::parse(&padded_prefix).is_err(), "{}", padded_prefix);
    }

    #[test]
    fn logical_ids_are_valid_stable_and_follow_the_words(words in prop::collection::vec("[a-z][a-z0-9]{0,8}", 1..5)) {
        let name = words.join("_");
        let id = logical_id(&name);
        prop_assert!(is_valid_logical_id(&id), "{}", id);
        prop_assert_eq!(&id, &logical_id(&name));
        prop_assert_eq!(id.to_lowercase(), words.concat());
        prop_assert_eq!(logical_id(&format!("r#{name}")), id);
    }

    #[test]
    fn distinct_single_word_names_give_distinct_ids(a in "[a-z][a-z0-9]{0,10}", b in "[a-z][a-z0-9]{0,10}") {
        prop_assume!(a != b);
        prop_assert_ne!(logical_id(&a), logical_id(&b));
    }

    #[test]
    fn distance_agrees_with_a_naive_oracle(a in "[a-c]{0,7}", b in "[a-c]{0,7}") {
        prop_assert_eq!(distance(&a, &b), naive_distance(&a, &b));
    }

    #[test]
    fn a_suggestion_is_a_closest_other_candidate(word in "[a-z_]{1,10}", candidates in prop::collection::vec("[a-z_]{1,10}", 0..6)) {
        let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
        match did_you_mean(&word, refs.iter().copied()) {
            Some(s) => {
                prop_assert!(s != word && refs.contains(&s));
                let best = refs.iter().filter(|c| **c != word).map(|c| naive_distance(&word, c)).min();
                prop_assert_eq!(Some(naive_distance(&word, s)), best);
                prop_assert!(naive_distance(&word, s) <= (word.chars().count() / 3).max(1));
            }
            None => {
                let limit = (word.chars().count() / 3).max(1);
                prop_assert!(refs.iter().all(|c| *c == word || naive_distance(&word, c) > limit));
            }
        }
    }
}

/// What a text is, by a reading independent of the parser: a block, a block with host
/// bits set, or not a block. Octets and the prefix are decimal without leading zeros.
#[derive(Debug, PartialEq)]
enum Oracle {
    Block(u32, u8),
    HostBits(u32, u8),
    Malformed,
}

fn oracle(text: &str) -> Oracle {
    let number = |s: &str, max: u32| -> Option<u32> {
        let canonical = !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_digit())
            && (s == "0" || !s.starts_with('0'))
            && s.len() <= 3;
        canonical
            .then(|| s.parse::<u32>().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    let Some((address, prefix)) = text.split_once('/') else {
        return Oracle::Malformed;
    };
    let octets: Vec<&str> = address.split('.').collect();
    let (4, Some(prefix)) = (octets.len(), number(prefix, 32)) else {
        return Oracle::Malformed;
    };
    let mut value = 0u32;
    for octet in octets {
        let Some(n) = number(octet, 255) else {
            return Oracle::Malformed;
        };
        value = (value << 8) | n;
    }
    let prefix = prefix as u8;
    if value & !mask(prefix) == 0 {
        Oracle::Block(value, prefix)
    } else {
        Oracle::HostBits(value, prefix)
    }
}

/// Optimal string alignment distance by plain recursion over the last characters: slow,
/// obviously right, and sharing no code with the crate the DSL uses.
fn naive_distance(a: &str, b: &str) -> usize {
    fn go(a: &[char], b: &[char]) -> usize {
        match (a, b) {
            ([], _) => b.len(),
            (_, []) => a.len(),
            ([a_rest @ .., x], [b_rest @ .., y]) => {
                let mut best = (go(a_rest, b) + 1)
                    .min(go(a, b_rest) + 1)
                    .min(go(a_rest, b_rest) + usize::from(x != y));
                if let ([a2 @ .., p, q], [b2 @ .., r, t]) = (a, b)
                    && p == t
                    && q == r
                {
                    best = best.min(go(a2, b2) + 1);
                }
                best
            }
        }
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    go(&a, &b)
}
