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
    fn any_text_parses_or_says_why(text in "\\PC{0,24}") {
        match Cidr::parse(&text) {
            Ok(b) => prop_assert_eq!(b.to_string(), text),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn what_parses_is_written_the_one_canonical_way(text in "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,2}") {
        if let Ok(b) = Cidr::parse(&text) {
            prop_assert_eq!(b.to_string(), text);
        }
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
    fn distance_is_a_symmetric_edit_count(a in "[a-c]{0,8}", b in "[a-c]{0,8}") {
        prop_assert_eq!(distance(&a, &b), distance(&b, &a));
        prop_assert_eq!(distance(&a, &a), 0);
        prop_assert!(distance(&a, &b) <= a.chars().count().max(b.chars().count()));
        prop_assert_eq!(distance(&a, &b) == 0, a == b);
    }

    #[test]
    fn a_suggestion_is_a_closest_other_candidate(word in "[a-z_]{1,10}", candidates in prop::collection::vec("[a-z_]{1,10}", 0..6)) {
        let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
        match did_you_mean(&word, refs.iter().copied()) {
            Some(s) => {
                prop_assert!(s != word && refs.contains(&s));
                let best = refs.iter().filter(|c| **c != word).map(|c| distance(&word, c)).min();
                prop_assert_eq!(Some(distance(&word, s)), best);
                prop_assert!(distance(&word, s) <= (word.chars().count() / 3).max(1));
            }
            None => {
                let limit = (word.chars().count() / 3).max(1);
                prop_assert!(refs.iter().all(|c| *c == word || distance(&word, c) > limit));
            }
        }
    }
}
