//! Which VPC a handle is in, as a value the compiler computes, so that "the subnets and
//! the group of one VPC" and "a tier of two zones" are compile errors across files and
//! across the instances of one component.
//!
//! A `component!` lists in [`Construct::PLACES`](super::Construct::PLACES) where each of
//! its VPCs and groups is: a VPC it declares, or the VPC of one of its inputs. What its
//! declarations ask of its inputs (a group of the VPC of the subnets; a tier of two zones)
//! it lists in [`Construct::NEEDS`](super::Construct::NEEDS). Where a stack or another
//! component makes an instance of it, that instance's inputs are known: each need is
//! judged there by const evaluation, at the token of the input it concerns.
//!
//! A place that arrives as a value (a `settings` field, a function's result) is
//! [`Place::Unknown`]: synthesis judges it, naming both VPCs and the declaring line.

use super::facts::field_hash;

/// Where a handle is.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// A VPC: `id` tells it from every other VPC of the stack (a hash of its path through
    /// the component instances); `zones` counts the zones of its public, private and
    /// database tiers ([`UNKNOWN_ZONES`](super::facts::UNKNOWN_ZONES) when they are a value).
    Vpc {
        /// The VPC's identity.
        id: u64,
        /// Zones of the public, private and database tiers.
        zones: [usize; 3],
    },
    /// The VPC of a component's input (its name's [`field_hash`]), or of a handle of that
    /// input (`field`, 0 for the input itself).
    Input {
        /// The input.
        input: u64,
        /// The input's handle, or 0.
        field: u64,
    },
    /// Known only when the stack is built.
    Unknown,
}

impl Place {
    /// The VPC declared as `name` in this file.
    pub const fn vpc(name: &str, zones: [usize; 3]) -> Self {
        Place::Vpc {
            id: field_hash(name),
            zones,
        }
    }

    /// The VPC of the input `input`, or of its handle `field` (a [`handle_key`], 0 for the
    /// input itself).
    pub const fn input(input: &str, field: u64) -> Self {
        Place::Input {
            input: field_hash(input),
            field,
        }
    }

    /// This place, seen from the file that declares the instance `instance` of the
    /// component it was found in: each instance's own VPCs are VPCs of their own.
    pub const fn of_instance(self, instance: &str) -> Self {
        match self {
            Place::Vpc { id, zones } => Place::Vpc {
                id: (id ^ field_hash(instance)).wrapping_mul(0x0100_0000_01b3),
                zones,
            },
            other => other,
        }
    }

    /// The input this place waits for, if any.
    pub const fn waits_for(self) -> Option<u64> {
        match self {
            Place::Input { input, .. } => Some(input),
            _ => None,
        }
    }
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

/// A handle of a construct and where it is: an entry of `Construct::PLACES`.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    /// The handle's name, as a [`field_hash`].
    pub handle: u64,
    /// Where it is.
    pub place: Place,
}

impl Placed {
    /// No handle: what fills a list before it is written.
    pub const NONE: Placed = Placed {
        handle: 0,
        place: Place::Unknown,
    };

    /// The handle `handle` is at `place`.
    pub const fn new(handle: &str, place: Place) -> Self {
        Self {
            handle: field_hash(handle),
            place,
        }
    }
}

/// Where the handle `handle` (a [`field_hash`], or a [`handle_key`] for a handle of a
/// component instance inside it) of a construct is, by its `PLACES`.
pub const fn place_of(places: &[Placed], handle: u64) -> Place {
    let mut i = 0;
    while i < places.len() {
        if places[i].handle == handle {
            return places[i].place;
        }
        i += 1;
    }
    Place::Unknown
}

/// What a rule asks of two places.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Both are in one VPC (subnets and their group; a group and the group it admits).
    SameVpc,
    /// The tier (0 public, 1 private, 2 database) of the first spans two zones.
    TwoZones(usize),
    /// The stack's region is one of these (bits over `infra_facts::REGIONS`): a raw type
    /// of a component that only some regions offer, judged by the stack that builds it.
    OfferedIn(u64),
}

/// What a declaration asks of where its parts are: judged where the places are known.
#[derive(Debug, Clone, Copy)]
pub struct Need {
    /// The rule.
    pub rule: Rule,
    /// The first place (the subnets' VPC, or the VPC whose tier is placed in).
    pub a: Place,
    /// The second place (the group's VPC; unused for [`Rule::TwoZones`]).
    pub b: Place,
    /// What is wrong when the rule fails, in the declaring file's words.
    pub why: &'static str,
}

impl Need {
    /// No need: what fills a list before it is written.
    pub const NONE: Need = Need::same_vpc(Place::Unknown, Place::Unknown, "");

    /// `a` and `b` are one VPC.
    pub const fn same_vpc(a: Place, b: Place, why: &'static str) -> Self {
        Need {
            rule: Rule::SameVpc,
            a,
            b,
            why,
        }
    }

    /// The tier `tier` of the VPC at `a` spans two zones.
    pub const fn two_zones(a: Place, tier: usize, why: &'static str) -> Self {
        Need {
            rule: Rule::TwoZones(tier),
            a,
            b: Place::Unknown,
            why,
        }
    }

    /// The stack's region is one of `regions` (bits over `infra_facts::REGIONS`).
    pub const fn offered_in(regions: u64, why: &'static str) -> Self {
        Need {
            rule: Rule::OfferedIn(regions),
            a: Place::Unknown,
            b: Place::Unknown,
            why,
        }
    }

    /// Whether a stack in the region of bit `region` meets the need (any need but a
    /// region's does).
    pub const fn holds_in_region(self, region: u64) -> bool {
        match self.rule {
            Rule::OfferedIn(regions) => regions & region != 0,
            _ => true,
        }
    }

    /// The same need with its places replaced.
    pub const fn at(self, a: Place, b: Place) -> Self {
        Need { a, b, ..self }
    }

    /// The input whose token a failure is reported at, where an instance is made: the
    /// second place's (the group's), else the first's.
    pub const fn blames(self) -> Option<u64> {
        match self.b.waits_for() {
            Some(input) => Some(input),
            None => self.a.waits_for(),
        }
    }

    /// Whether the need is met, or cannot be judged yet (a place is an input or unknown;
    /// the region, which only a stack knows).
    pub const fn holds(self) -> bool {
        match (self.rule, self.a, self.b) {
            (Rule::SameVpc, Place::Vpc { id: a, .. }, Place::Vpc { id: b, .. }) => a == b,
            (Rule::TwoZones(tier), Place::Vpc { zones, .. }, _) => {
                tier >= zones.len()
                    || zones[tier] == super::facts::UNKNOWN_ZONES
                    || infra_facts::limits::spans_enough_zones(zones[tier])
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NET: Place = Place::vpc("network", [3, 3, 1]);

    #[test]
    fn one_vpc_is_one_vpc_and_instances_tell_theirs_apart() {
        let why = "";
        assert!(Need::same_vpc(NET, NET, why).holds());
        assert!(!Need::same_vpc(NET, Place::vpc("other", [3, 3, 3]), why).holds());
        let (blue, green) = (NET.of_instance("blue"), NET.of_instance("green"));
        assert!(Need::same_vpc(blue, NET.of_instance("blue"), why).holds());
        assert!(!Need::same_vpc(blue, green, why).holds());
    }

    #[test]
    fn inputs_and_unknowns_wait_and_blame_the_group_first() {
        let (network, group) = (
            Place::input("network", 0),
            Place::input("groups", field_hash("db_sg")),
        );
        let need = Need::same_vpc(network, group, "");
        assert!(need.holds());
        assert_eq!(need.blames(), Some(field_hash("groups")));
        assert_eq!(
            Need::same_vpc(network, NET, "").blames(),
            Some(field_hash("network"))
        );
        assert!(Need::same_vpc(NET, Place::Unknown, "").holds());
        assert_eq!(Need::same_vpc(NET, Place::Unknown, "").blames(), None);
    }

    #[test]
    fn a_tier_needs_two_zones_unless_they_are_a_value() {
        assert!(Need::two_zones(NET, 1, "").holds());
        assert!(!Need::two_zones(NET, 2, "").holds());
        let unknown = Place::vpc("n", [1, 1, super::super::facts::UNKNOWN_ZONES]);
        assert!(Need::two_zones(unknown, 2, "").holds());
    }

    #[test]
    fn a_region_need_waits_for_the_stack_and_holds_in_its_regions() {
        let (london, virginia) = (1 << 3, 1 << 7);
        let need = Need::offered_in(virginia, "");
        assert!(need.holds(), "a component does not know its region");
        assert!(need.holds_in_region(virginia));
        assert!(!need.holds_in_region(london));
        assert!(Need::same_vpc(NET, Place::vpc("other", [3, 3, 3]), "").holds_in_region(london));
        assert_eq!(need.blames(), None);
    }

    #[test]
    fn a_handle_is_found_by_its_name() {
        let places = [
            Placed::new("db_sg", NET),
            Placed::new("app_sg", Place::Unknown),
        ];
        assert!(matches!(
            place_of(&places, field_hash("db_sg")),
            Place::Vpc { .. }
        ));
        assert!(matches!(
            place_of(&places, field_hash("nothing")),
            Place::Unknown
        ));
    }

    #[test]
    fn a_handle_two_instances_deep_has_a_key_of_its_own() {
        let (net, network) = (field_hash("net"), field_hash("network"));
        assert_eq!(handle_key(0, network), network);
        assert_eq!(handle_key(net, 0), net);
        assert_ne!(handle_key(net, network), network);
        assert_ne!(handle_key(net, network), handle_key(network, net));
    }
}
