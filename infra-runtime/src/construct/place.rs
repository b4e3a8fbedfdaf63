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

use infra_facts::field_hash;

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

    /// The VPC of the input `input`, or of its handle `field` (an
    /// [`infra_facts::handle_key`], 0 for the input itself).
    pub const fn input(input: &str, field: u64) -> Self {
        Place::Input {
            input: field_hash(input),
            field,
        }
    }

    /// This place, seen from the file that declares the instance of the component it was
    /// found in (`instance`, the [`field_hash`] of the instance's name): each instance's
    /// own VPCs are VPCs of their own.
    pub const fn of_instance(self, instance: u64) -> Self {
        match self {
            Place::Vpc { id, zones } => Place::Vpc {
                id: infra_facts::handle_key(instance, id),
                zones,
            },
            other => other,
        }
    }

    /// [`Place::input`] by the input's [`field_hash`]: what `component!` writes, in
    /// fewer tokens than the variant. A construct written by hand names its input.
    #[doc(hidden)]
    pub const fn of_input(input: u64, field: u64) -> Self {
        Place::Input { input, field }
    }

    /// The input this place waits for, if any.
    pub const fn waits_for(self) -> Option<u64> {
        match self {
            Place::Input { input, .. } => Some(input),
            _ => None,
        }
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

/// Where the handle `handle` (a [`field_hash`], or an [`infra_facts::handle_key`] for a
/// handle of a component instance inside it) of a construct is, by its `PLACES`.
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

    /// Why the need fails, if it fails here ([`Need::holds`]).
    pub const fn failure(self) -> Option<&'static str> {
        if self.holds() { None } else { Some(self.why) }
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

/// What a file gives one input of an instance it makes: where the value's place comes
/// from.
#[derive(Debug, Clone, Copy)]
pub enum Given {
    /// A place of this file: a VPC it declares, a group's VPC, an import's, or an input of
    /// its own (a component's, which its own instances resolve).
    Place(Place),
    /// The handle `key` of the file's instance number `instance` (`&net.network`), or
    /// the instance itself (key 0: `&groups`), whose handle the input's handle names.
    Instance {
        /// The instance's index in the file's [`Instance`] table.
        instance: usize,
        /// The handle's key, or 0.
        key: u64,
    },
}

/// One input of an instance, and what the file gives it.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The input's name, as a [`field_hash`].
    pub input: u64,
    /// What the file gives it.
    pub given: Given,
}

impl Arg {
    /// The input `input` is given `given`.
    pub const fn new(input: u64, given: Given) -> Self {
        Arg { input, given }
    }

    /// The input `input` is given the handle `key` of instance `instance` (or the instance
    /// itself, key 0).
    pub const fn of(input: u64, instance: usize, key: u64) -> Self {
        Arg::new(input, Given::Instance { instance, key })
    }

    /// The input `input` is given a value at `place`.
    pub const fn at(input: u64, place: Place) -> Self {
        Arg::new(input, Given::Place(place))
    }
}

/// An instance of a construct that a stack or component makes (`construct c: T { .. }`),
/// as const evaluation sees it: the construct's places and needs, and its inputs.
#[derive(Debug, Clone, Copy)]
pub struct Instance {
    /// The instance's name, as a [`field_hash`].
    pub name: u64,
    /// `T::PLACES`.
    pub places: &'static [Placed],
    /// `T::NEEDS`.
    pub needs: &'static [Need],
    /// What the file gives its inputs (those that may have a place).
    pub args: &'static [Arg],
}

/// Where the handle `key` (a [`field_hash`], or an [`infra_facts::handle_key`] for a
/// handle deeper down) of the instance `i` of `file` is, in that file.
pub const fn place_in(file: &[Instance], i: usize, key: u64) -> Place {
    bring(file, i, place_of(file[i].places, key))
}

/// A place of the file of instance `i`'s construct, brought into `file`: its inputs
/// replaced by what `file` gives them, its own VPCs told apart from other instances'.
pub const fn bring(file: &[Instance], i: usize, place: Place) -> Place {
    bring_within(file, i, place, file.len())
}

/// [`bring`], following at most `hops` handles of other instances: a chain longer than
/// the file has instances is a cycle (which the macro reports), and its place unknown.
const fn bring_within(file: &[Instance], i: usize, place: Place, hops: usize) -> Place {
    let Place::Input { input, field } = place else {
        return place.of_instance(file[i].name);
    };
    let args = file[i].args;
    let mut j = 0;
    while j < args.len() {
        if args[j].input == input {
            return match args[j].given {
                // An input passed on: the handle of it this place names.
                Given::Place(Place::Input { input, field: key }) => Place::Input {
                    input,
                    field: infra_facts::handle_key(key, field),
                },
                Given::Place(place) => place,
                Given::Instance { .. } if hops == 0 => Place::Unknown,
                Given::Instance { instance, key } => {
                    let key = infra_facts::handle_key(key, field);
                    bring_within(
                        file,
                        instance,
                        place_of(file[instance].places, key),
                        hops - 1,
                    )
                }
            };
        }
        j += 1;
    }
    Place::Unknown
}

/// A need of instance `i`'s construct with its places brought into `file`.
pub const fn bring_need(file: &[Instance], i: usize, need: Need) -> Need {
    need.at(bring(file, i, need.a), bring(file, i, need.b))
}

/// What fails, if anything, among the needs of instance `i` that blame its input
/// `input`, as `file` gives its inputs: the need's words.
pub const fn failing(file: &[Instance], i: usize, input: u64) -> Option<&'static str> {
    let needs = file[i].needs;
    let mut k = 0;
    while k < needs.len() {
        if let Some(blamed) = needs[k].blames()
            && blamed == input
        {
            let need = bring_need(file, i, needs[k]);
            if !need.holds() {
                return Some(need.why);
            }
        }
        k += 1;
    }
    None
}

/// What fails, if anything, among the needs of instance `i` on the region of a stack in
/// the region of bit `region`.
pub const fn failing_in_region(file: &[Instance], i: usize, region: u64) -> Option<&'static str> {
    let needs = file[i].needs;
    let mut k = 0;
    while k < needs.len() {
        if !needs[k].holds_in_region(region) {
            return Some(needs[k].why);
        }
        k += 1;
    }
    None
}

/// `$len` and `$gather` over the list `$field` of a component and its instances: how
/// long it is, and the list itself, each instance's entries brought in by `$bring`.
macro_rules! gathered {
    ($(#[$len_doc:meta])* $len:ident, $(#[$doc:meta])* $gather:ident, $elem:ty, $field:ident, $bring:expr) => {
        $(#[$len_doc])*
        pub const fn $len(own: &[$elem], file: &[Instance]) -> usize {
            let (mut n, mut i) = (own.len(), 0);
            while i < file.len() {
                n += file[i].$field.len();
                i += 1;
            }
            n
        }

        $(#[$doc])*
        pub const fn $gather<const N: usize>(own: &[$elem], file: &[Instance]) -> [$elem; N] {
            let mut all = [<$elem>::NONE; N];
            let mut n = 0;
            while n < own.len() {
                all[n] = own[n];
                n += 1;
            }
            let mut i = 0;
            while i < file.len() {
                let mut k = 0;
                while k < file[i].$field.len() {
                    all[n] = $bring(file, i, file[i].$field[k]);
                    n += 1;
                    k += 1;
                }
                i += 1;
            }
            all
        }
    };
}

gathered! {
    /// How many needs a component lists: its own, and each of its instances'.
    needs_len,
    /// A component's `NEEDS`: its own, then each of its instances' brought into its own
    /// places (what still waits for an input then waits for one of the component's).
    gather_needs, Need, needs, bring_need
}

gathered! {
    /// How many places a component lists: its own, and each of its instances'.
    places_len,
    /// A component's `PLACES`: its own VPCs and groups, then each of its instances' under
    /// the instance's name (`net.network`), brought into its own places.
    gather_places, Placed, places, bring_placed
}

/// A place of instance `i`'s construct, under the instance's name and brought into `file`.
pub const fn bring_placed(file: &[Instance], i: usize, placed: Placed) -> Placed {
    Placed {
        handle: infra_facts::handle_key(file[i].name, placed.handle),
        place: bring(file, i, placed.place),
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
        let (blue, green) = (field_hash("blue"), field_hash("green"));
        let (blue, green) = (NET.of_instance(blue), NET.of_instance(green));
        assert!(Need::same_vpc(blue, NET.of_instance(field_hash("blue")), why).holds());
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

    /// `blue`, `green`: instances of a component declaring the VPC `network`;
    /// `groups`: one declaring `db_sg` in its input `network`, given green's VPC; `data`:
    /// one that needs its `network` and its `groups`' `db_sg` in one VPC.
    fn file(data_network: usize) -> [Instance; 4] {
        const NETWORKING: &[Placed] = &[Placed::new("network", NET)];
        const GROUPS: &[Placed] = &[Placed::new("db_sg", Place::input("network", 0))];
        const NEEDS: &[Need] = &[Need::same_vpc(
            Place::input("network", 0),
            Place::Input {
                input: field_hash("groups"),
                field: field_hash("db_sg"),
            },
            "two VPCs",
        )];
        let network = field_hash("network");
        let given = |instance| Given::Instance {
            instance,
            key: network,
        };
        let leak = |args: Vec<Arg>| -> &'static [Arg] { Vec::leak(args) };
        [
            Instance {
                name: field_hash("blue"),
                places: NETWORKING,
                needs: &[],
                args: &[],
            },
            Instance {
                name: field_hash("green"),
                places: NETWORKING,
                needs: &[],
                args: &[],
            },
            Instance {
                name: field_hash("groups"),
                places: GROUPS,
                needs: &[],
                args: leak(vec![Arg::new(network, given(1))]),
            },
            Instance {
                name: field_hash("data"),
                places: &[],
                needs: NEEDS,
                args: leak(vec![
                    Arg::new(network, given(data_network)),
                    Arg::new(
                        field_hash("groups"),
                        Given::Instance {
                            instance: 2,
                            key: 0,
                        },
                    ),
                ]),
            },
        ]
    }

    #[test]
    fn a_need_is_judged_through_the_instances_it_reaches() {
        let apart = file(0);
        assert_eq!(failing(&apart, 3, field_hash("groups")), Some("two VPCs"));
        assert_eq!(
            failing(&apart, 3, field_hash("network")),
            None,
            "blamed on the group"
        );
        let together = file(1);
        assert_eq!(failing(&together, 3, field_hash("groups")), None);
        let (db_sg, green) = (
            place_in(&together, 2, field_hash("db_sg")),
            place_in(&together, 1, field_hash("network")),
        );
        assert!(Need::same_vpc(db_sg, green, "").holds());
        assert!(!Need::same_vpc(db_sg, place_in(&together, 0, field_hash("network")), "").holds());
    }

    /// Two instances each given the other's group (the macro reports the cycle; the
    /// table is still evaluated): the walk ends, the place unknown.
    #[test]
    fn instances_given_each_other_end_in_an_unknown_place() {
        const GROUPS: &[Placed] = &[Placed::new("db_sg", Place::input("peer", 0))];
        let given = |instance| {
            let key = field_hash("db_sg");
            let arg = Arg::new(field_hash("peer"), Given::Instance { instance, key });
            Vec::leak(vec![arg]) as &'static [Arg]
        };
        let instance = |name, peer| Instance {
            name: field_hash(name),
            places: GROUPS,
            needs: &[],
            args: given(peer),
        };
        let looped = [instance("a", 1), instance("b", 0)];
        assert!(matches!(
            place_in(&looped, 0, field_hash("db_sg")),
            Place::Unknown
        ));
        assert!(matches!(
            place_in(&looped, 1, field_hash("db_sg")),
            Place::Unknown
        ));
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
}
