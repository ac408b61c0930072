//! Generators for the operations: small value domains and key spaces, so that overwrites,
//! conditional failures, sparse index entries, ties on index sort keys and TTL expiry happen
//! often. Driven by a seeded proptest runner, one operation per step.

use proptest::prelude::*;

use crate::ops::{
    BatchWrite, Clock, Cond, Op, QueryOp, ReturnValues, Returning, ScanOp, SortCond, Statement, Token,
    TxAction, UpdateAction,
};
use crate::schema::{
    Key, TableId, HASH_IDS, MODEL_PARTITIONS, NON_KEY_ATTRIBUTES, ONLINE_INDEX, ONLINE_TABLE, SORT_BOUNDS,
    TABLE_IDS, TIGHT_IDS,
};
use crate::values::{Item, Scalar, Spelling, Val};

/// Strings for `title`: also an index key, so the empty string (refused as an index key) is
/// rare. Quotes, tabs and non-ASCII must round-trip, through PartiQL literals too.
const TITLES: [&str; 7] = ["x", "xy", "hello world", "ünïcödé", "quote\"d", "it's", "tab\tnew\nline"];
/// Prefixes for `begins_with`.
const PREFIXES: [&str; 5] = ["x", "h", "ü", "it", "zz"];
/// Numbers from a small set, so comparisons often meet equal values (the boundary cases).
const NUMBERS: [i64; 10] = [-250, -15, -10, 0, 5, 10, 15, 25, 100, 12345];
/// TTL values, in tenths of a second from now: long past, just past, now, soon, later.
const EXPIRY_OFFSETS: [i64; 8] = [-600, -50, -10, 0, 10, 50, 300, 36_000];

fn select<T: Clone + std::fmt::Debug + 'static>(values: &[T]) -> BoxedStrategy<T> {
    prop::sample::select(values.to_vec()).boxed()
}

/// Whether a request uses DynamoDB's legacy parameters (one in five).
fn legacy() -> BoxedStrategy<bool> {
    prop::bool::weighted(0.2).boxed()
}

fn spelling() -> BoxedStrategy<Spelling> {
    select(&[Spelling::Plain, Spelling::TrailingZero, Spelling::Exponent])
}

/// Tables, `Tight` less often: its operations are throttled much of the time.
fn table() -> BoxedStrategy<TableId> {
    prop_oneof![3 => Just(TableId::Model), 2 => Just(TableId::Hash), 1 => Just(TableId::Tight)].boxed()
}

fn key(table: TableId) -> BoxedStrategy<Key> {
    select(&table.key_space())
}

fn title() -> BoxedStrategy<String> {
    prop_oneof![1 => Just(String::new()), 12 => select(&TITLES).prop_map(str::to_owned)].boxed()
}

fn string_value() -> BoxedStrategy<String> {
    // Empty strings are allowed outside keys.
    select(&["", "x", "hello world", "ünïcödé", "quote\"d", "it's", "tab\tnew\nline"])
        .prop_map(str::to_owned)
        .boxed()
}

/// A scalar or small list, for the members of `parts` and `meta`.
fn element_value() -> BoxedStrategy<Val> {
    let scalar = prop_oneof![
        string_value().prop_map(Val::S),
        select(&NUMBERS).prop_map(Val::N),
        any::<bool>().prop_map(Val::Bool)
    ];
    scalar.prop_recursive(2, 6, 3, |inner| prop::collection::vec(inner, 0..3).prop_map(Val::L)).boxed()
}

fn tag_set() -> BoxedStrategy<std::collections::BTreeSet<String>> {
    prop::collection::btree_set(select(&["red", "green", "blue", "ü"]).prop_map(str::to_owned), 1..4).boxed()
}

/// A value of the type the attribute always has (`exp` as an offset from now).
fn value_for(attribute: &'static str) -> BoxedStrategy<Val> {
    match attribute {
        "title" => title().prop_map(Val::S).boxed(),
        "qty" => select(&NUMBERS).prop_map(Val::N).boxed(),
        "done" => any::<bool>().prop_map(Val::Bool).boxed(),
        "tags" => tag_set().prop_map(Val::Ss).boxed(),
        "parts" => prop::collection::vec(element_value(), 0..4).prop_map(Val::L).boxed(),
        "meta" => prop::collection::btree_map(
            select(&["k1", "k2", "Name"]).prop_map(str::to_owned),
            element_value(),
            0..3,
        )
        .prop_map(Val::M)
        .boxed(),
        "exp" => select(&EXPIRY_OFFSETS).prop_map(Val::N).boxed(),
        other => unreachable!("no generator for {other}"),
    }
}

fn item(table: TableId) -> BoxedStrategy<Item> {
    let optional =
        |a: &'static str| prop::option::of(value_for(a)).prop_map(move |v| v.map(|v| (a.to_owned(), v)));
    (
        key(table),
        optional("title"),
        optional("qty"),
        optional("done"),
        optional("tags"),
        optional("parts"),
        optional("meta"),
        prop::option::weighted(0.4, value_for("exp").prop_map(|v| ("exp".to_owned(), v))),
    )
        .prop_map(move |(key, a, b, c, d, e, f, g)| {
            let mut item = crate::schema::key_item(table, &key);
            item.extend([a, b, c, d, e, f, g].into_iter().flatten());
            item
        })
        .boxed()
}

fn non_key_attribute() -> BoxedStrategy<&'static str> {
    select(&NON_KEY_ATTRIBUTES)
}

/// Attributes for a ProjectionExpression: any, keys included.
fn projection() -> BoxedStrategy<Vec<&'static str>> {
    let all = ["pk", "sk", "id", "title", "qty", "done", "tags", "parts", "meta", "exp"];
    prop_oneof![2 => Just(vec![]), 1 => prop::sample::subsequence(all.to_vec(), 1..=3)].boxed()
}

pub fn cond() -> BoxedStrategy<Cond> {
    prop_oneof![
        non_key_attribute().prop_map(Cond::Exists),
        non_key_attribute().prop_map(Cond::NotExists),
        select(&NUMBERS).prop_map(Cond::QtyBelow),
        any::<bool>().prop_map(Cond::DoneIs),
        select(&PREFIXES).prop_map(|p| Cond::TitleBegins(p.to_owned())),
    ]
    .boxed()
}

fn update_action() -> BoxedStrategy<UpdateAction> {
    let increment = || select(&[-25i64, -10, -5, 0, 5, 15]);
    prop_oneof![
        4 => non_key_attribute().prop_flat_map(|a| value_for(a).prop_map(move |v| UpdateAction::Set(a, v))),
        1 => non_key_attribute().prop_flat_map(|a| value_for(a).prop_map(move |v| UpdateAction::SetIfMissing(a, v))),
        2 => increment().prop_map(UpdateAction::Add),
        1 => increment().prop_map(UpdateAction::SetPlus),
        1 => tag_set().prop_map(UpdateAction::AddTags),
        1 => tag_set().prop_map(UpdateAction::DeleteTags),
        1 => (prop::collection::vec(element_value(), 1..3), any::<bool>())
            .prop_map(|(values, guarded)| UpdateAction::AppendParts { values, guarded }),
        2 => non_key_attribute().prop_map(UpdateAction::Remove),
    ]
    .boxed()
}

/// One to three update actions on distinct attributes (DynamoDB refuses overlapping paths).
fn update_actions() -> BoxedStrategy<Vec<UpdateAction>> {
    prop::collection::vec(update_action(), 1..=3)
        .prop_map(|actions| {
            let mut seen = Vec::new();
            actions
                .into_iter()
                .filter(|a| {
                    let fresh = !seen.contains(&a.attribute());
                    seen.push(a.attribute());
                    fresh
                })
                .collect()
        })
        .boxed()
}

fn return_values() -> BoxedStrategy<ReturnValues> {
    select(&[
        ReturnValues::None,
        ReturnValues::AllOld,
        ReturnValues::UpdatedOld,
        ReturnValues::AllNew,
        ReturnValues::UpdatedNew,
    ])
}

/// What Query and Scan read: a table or one of its indexes (the online index too, whether it
/// exists at the time or not).
fn target() -> BoxedStrategy<(TableId, Option<&'static str>)> {
    let mut targets: Vec<(TableId, Option<&'static str>)> = TABLE_IDS
        .iter()
        .flat_map(|t| {
            std::iter::once((*t, None)).chain(t.def().indexes.iter().map(move |i| (*t, Some(i.name))))
        })
        .collect();
    targets.push((ONLINE_TABLE, Some(ONLINE_INDEX.name)));
    select(&targets)
}

/// What a PartiQL SELECT reads: the indexes that always exist, but not one with a
/// multi-attribute key (DynamoDB's PartiQL refuses to read it; golden cases check that).
fn statement_target() -> BoxedStrategy<(TableId, Option<&'static str>)> {
    target()
        .prop_filter("not the online or a multi-attribute index", |(table, index)| match index {
            Some(name) => *name != ONLINE_INDEX.name && !table.def().index(name).multi_attribute(),
            None => true,
        })
        .boxed()
}

/// Values of a key attribute, as Query conditions use them (`exp` relative to now).
fn key_values(table: TableId, attribute: &str) -> Vec<Scalar> {
    let strings = |v: &[&str]| v.iter().map(|s| Scalar::S((*s).to_owned())).collect();
    let numbers = |v: &[i64]| v.iter().map(|n| Scalar::N(*n)).collect();
    match attribute {
        "pk" => strings(&MODEL_PARTITIONS),
        "id" if table == TableId::Hash => strings(&HASH_IDS),
        "id" => strings(&TIGHT_IDS),
        "title" => strings(&TITLES),
        "qty" => numbers(&NUMBERS),
        "sk" => numbers(&crate::schema::SORT_KEYS),
        "exp" => numbers(&EXPIRY_OFFSETS),
        other => unreachable!("{other} is no key"),
    }
}

/// Bounds for sort-key conditions: the stored values plus values between them.
fn bounds(table: TableId, attribute: &str) -> Vec<Scalar> {
    let mut values = match attribute {
        "sk" => SORT_BOUNDS.iter().map(|n| Scalar::N(*n)).collect(),
        "qty" => [-300, -15, -12, 0, 7, 15, 100, 20000].iter().map(|n| Scalar::N(*n)).collect(),
        "pk" => ["a", "az", "b", "m", "ü"].iter().map(|s| Scalar::S((*s).to_owned())).collect(),
        "title" => {
            ["", "a", "hello", "it", "x", "xz", "ü"].iter().map(|s| Scalar::S((*s).to_owned())).collect()
        }
        "exp" => [-100, -10, 0, 5, 300].iter().map(|n| Scalar::N(*n)).collect(),
        _ => Vec::new(),
    };
    values.extend(key_values(table, attribute));
    values.retain(|v| v != &Scalar::S(String::new()));
    values
}

fn sort_cond(table: TableId, attribute: &'static str) -> BoxedStrategy<SortCond> {
    let bound = move || select(&bounds(table, attribute));
    let comparisons = prop_oneof![
        bound().prop_map(SortCond::Eq),
        bound().prop_map(SortCond::Lt),
        bound().prop_map(SortCond::Le),
        bound().prop_map(SortCond::Gt),
        bound().prop_map(SortCond::Ge),
        // BETWEEN needs lower <= upper (otherwise it is a ValidationException).
        (bound(), bound()).prop_map(|(a, b)| if a <= b {
            SortCond::Between(a, b)
        } else {
            SortCond::Between(b, a)
        }),
    ];
    if crate::schema::key_type(attribute) == "S" {
        prop_oneof![6 => comparisons, 1 => select(&PREFIXES).prop_map(|p| SortCond::BeginsWith(p.to_owned()))]
            .boxed()
    } else {
        comparisons.boxed()
    }
}

/// The (hash, range) attributes of a target.
fn target_keys(table: TableId, index: Option<&'static str>) -> (&'static str, Option<&'static str>) {
    match index {
        Some(name) => {
            let i = table.def().index(name);
            (i.hash, i.range)
        }
        None => (table.def().hash, table.def().range),
    }
}

/// A filter the target can evaluate as DynamoDB documents it: not on the target's key
/// attributes (refused), and on an index only attributes it projects.
fn usable_filter(table: TableId, index: Option<&str>, cond: Option<Cond>) -> Option<Cond> {
    let cond = cond?;
    let attribute = cond.attribute();
    let def = table.def();
    match index {
        Some(name) => {
            let i = def.index(name);
            (!i.key_names().contains(&attribute) && i.projects(def, attribute)).then_some(cond)
        }
        None => (!def.key_names().contains(&attribute)).then_some(cond),
    }
}

/// A key condition beyond the first HASH attribute: the further HASH values, then the RANGE
/// equalities and the condition on the next RANGE attribute.
type KeyRest = (Vec<Scalar>, (Vec<Scalar>, Option<SortCond>));

/// The key condition beyond the first HASH attribute: values for a multi-attribute key's
/// further HASH attributes, equalities on its first `k` RANGE attributes, and an optional
/// condition on the next one (on a plain key: no values, no equalities, the sort condition).
fn key_rest(table: TableId, index: Option<&'static str>) -> BoxedStrategy<KeyRest> {
    let def = index.map(|n| table.def().index(n));
    let (_, range) = target_keys(table, index);
    let more_hash: Vec<BoxedStrategy<Scalar>> =
        def.map_or(&[][..], |i| i.more_hash).iter().map(|n| select(&key_values(table, n))).collect();
    let ranges: Vec<&'static str> =
        range.into_iter().chain(def.map_or(&[][..], |i| i.more_range).iter().copied()).collect();
    let sort = if ranges.is_empty() {
        Just((Vec::new(), None)).boxed()
    } else {
        (0..ranges.len())
            .prop_flat_map(move |k| {
                let prefix: Vec<BoxedStrategy<Scalar>> =
                    ranges[..k].iter().map(|n| select(&key_values(table, n))).collect();
                (prefix, prop::option::of(sort_cond(table, ranges[k])))
            })
            .boxed()
    };
    (more_hash, sort).boxed()
}

fn query() -> BoxedStrategy<QueryOp> {
    target()
        .prop_flat_map(|(table, index)| {
            let (hash, _) = target_keys(table, index);
            (
                select(&key_values(table, hash)),
                key_rest(table, index),
                any::<bool>(),
                prop::option::of(1usize..5),
                prop::option::of(cond()),
                projection(),
                prop::bool::weighted(0.15),
                prop::bool::weighted(0.15),
                spelling(),
                legacy(),
                prop::bool::weighted(0.1),
                prop::bool::weighted(0.1),
            )
                .prop_map(
                    move |(
                        hash,
                        (more_hash, (sort_prefix, sort)),
                        forward,
                        limit,
                        filter,
                        projection,
                        select_all,
                        consistent,
                        spelling,
                        legacy,
                        count,
                        unprojected,
                    )| {
                        let def = table.def();
                        let global = index.is_some_and(|i| def.index(i).global);
                        // A GSI refuses what it does not project: mostly ask it for nothing
                        // else, sometimes ask anyway to see the refusal.
                        let projection = match index {
                            Some(i) if global && !unprojected => {
                                projection.into_iter().filter(|a| def.index(i).projects(def, a)).collect()
                            }
                            _ => projection,
                        };
                        let select_all = select_all && projection.is_empty() && !consistent;
                        let count = count && projection.is_empty() && !select_all;
                        QueryOp {
                            table,
                            index,
                            hash,
                            more_hash,
                            sort_prefix,
                            sort,
                            forward,
                            limit,
                            filter: usable_filter(table, index, filter),
                            projection,
                            select_all,
                            count,
                            consistent,
                            spelling,
                            legacy: legacy && index.is_none(),
                        }
                    },
                )
        })
        .boxed()
}

fn scan() -> BoxedStrategy<ScanOp> {
    (
        target(),
        prop::option::of(1usize..6),
        prop::option::of(1u32..4),
        prop::option::weighted(0.3, cond()),
        prop::bool::weighted(0.1),
        legacy(),
    )
        .prop_map(|((table, index), limit, segments, filter, count, legacy)| {
            // A Scan may filter on key attributes; an index only on what it projects.
            let filter = match (index, filter) {
                (Some(i), Some(f)) => table.def().index(i).projects(table.def(), f.attribute()).then_some(f),
                (None, f) => f,
                (Some(_), None) => None,
            };
            ScanOp { table, index, limit, segments, filter, count, legacy }
        })
        .boxed()
}

fn batch_write() -> BoxedStrategy<(TableId, BatchWrite)> {
    table()
        .prop_flat_map(|t| {
            prop_oneof![2 => item(t).prop_map(BatchWrite::Put), 1 => key(t).prop_map(BatchWrite::Delete)]
                .prop_map(move |w| (t, w))
        })
        .boxed()
}

fn tx_action() -> BoxedStrategy<(TableId, TxAction)> {
    table()
        .prop_flat_map(|t| {
            prop_oneof![
                3 => (item(t), prop::option::of(cond())).prop_map(|(item, cond)| TxAction::Put { item, cond }),
                3 => (key(t), update_actions(), prop::option::of(cond()))
                    .prop_map(|(key, actions, cond)| TxAction::Update { key, actions, cond }),
                2 => (key(t), prop::option::of(cond())).prop_map(|(key, cond)| TxAction::Delete { key, cond }),
                1 => (key(t), cond()).prop_map(|(key, cond)| TxAction::Check { key, cond }),
            ]
            .prop_map(move |a| (t, a))
        })
        .boxed()
}

fn statement_write() -> BoxedStrategy<Statement> {
    let returning = || {
        prop::option::of(select(&[
            Returning::AllOld,
            Returning::ModifiedOld,
            Returning::AllNew,
            Returning::ModifiedNew,
        ]))
    };
    let set_or_remove = || {
        non_key_attribute()
            .prop_flat_map(|a| prop::option::weighted(0.75, value_for(a)).prop_map(move |v| (a, v)))
    };
    table()
        .prop_flat_map(move |table| {
            prop_oneof![
                item(table).prop_map(move |item| Statement::Insert { table, item }),
                (
                    key(table),
                    prop::collection::vec(set_or_remove(), 1..=3),
                    prop::option::of(cond()),
                    returning()
                )
                    .prop_map(move |(key, actions, cond, returning)| {
                        let mut seen = Vec::new();
                        let actions = actions
                            .into_iter()
                            .filter(|(a, _)| {
                                !seen.contains(a) && {
                                    seen.push(*a);
                                    true
                                }
                            })
                            .collect();
                        Statement::Update { table, key, actions, cond, returning }
                    }),
                (key(table), prop::option::of(cond()), prop::bool::weighted(0.3)).prop_map(
                    move |(key, cond, returning_old)| Statement::Delete { table, key, cond, returning_old }
                ),
            ]
        })
        .boxed()
}

/// A SELECT naming one item by its whole primary key (batches and transactions need that).
fn statement_get() -> BoxedStrategy<Statement> {
    table()
        .prop_flat_map(|table| {
            (key(table), projection()).prop_map(move |((hash, range), projection)| Statement::Select {
                table,
                index: None,
                hash: Some(hash),
                sort: range.map(SortCond::Eq),
                filter: None,
                projection,
                descending: false,
            })
        })
        .boxed()
}

/// A SELECT: a Query when the partition key is given, a Scan otherwise.
fn statement_select() -> BoxedStrategy<Statement> {
    statement_target()
        .prop_flat_map(|(table, index)| {
            let (hash, range) = target_keys(table, index);
            let sort = match range {
                Some(r) => prop::option::of(sort_cond(table, r)).boxed(),
                None => Just(None).boxed(),
            };
            (
                prop::option::weighted(0.8, select(&key_values(table, hash))),
                sort,
                prop::option::weighted(0.3, cond()),
                projection(),
                any::<bool>(),
            )
                .prop_map(move |(hash, sort, filter, projection, descending)| {
                    let def = table.def();
                    // PartiQL reads an index as it is projected (no fetch from the table).
                    let projection = match index {
                        Some(i) => projection.into_iter().filter(|a| def.index(i).projects(def, a)).collect(),
                        None => projection,
                    };
                    // Without the partition key it is a Scan: no sort-key range, no order.
                    let (sort, descending) = if hash.is_some() { (sort, descending) } else { (None, false) };
                    let filter = match hash {
                        Some(_) => usable_filter(table, index, filter),
                        None => {
                            filter.filter(|f| index.is_none_or(|i| def.index(i).projects(def, f.attribute())))
                        }
                    };
                    Statement::Select { table, index, hash, sort, filter, projection, descending }
                })
        })
        .boxed()
}

fn statements(one: BoxedStrategy<Statement>, max: usize) -> BoxedStrategy<Vec<Statement>> {
    prop::collection::vec(one, 1..=max).boxed()
}

/// One step.
pub fn op() -> BoxedStrategy<Op> {
    prop_oneof![
        6 => table().prop_flat_map(|t| (Just(t), item(t), prop::option::of(cond()), any::<bool>(), any::<bool>(), spelling(), prop::bool::weighted(0.2)))
            .prop_map(|(table, item, cond, return_old, old_on_failure, spelling, legacy)| {
                Op::Put { table, item, cond, return_old, old_on_failure, spelling, legacy }
            }),
        3 => table().prop_flat_map(|t| (Just(t), key(t), projection(), any::<bool>(), spelling(), legacy()))
            .prop_map(|(table, key, projection, consistent, spelling, legacy)| Op::Get { table, key, projection, consistent, spelling, legacy }),
        3 => table().prop_flat_map(|t| (Just(t), key(t), prop::option::of(cond()), any::<bool>(), any::<bool>(), spelling(), legacy()))
            .prop_map(|(table, key, cond, return_old, old_on_failure, spelling, legacy)| {
                Op::Delete { table, key, cond, return_old, old_on_failure, spelling, legacy }
            }),
        6 => table().prop_flat_map(|t| (Just(t), key(t), update_actions(), prop::option::of(cond()), return_values(), any::<bool>(), spelling(), legacy()))
            .prop_map(|(table, key, actions, cond, return_values, old_on_failure, spelling, legacy)| {
                Op::Update { table, key, actions, cond, return_values, old_on_failure, spelling, legacy }
            }),
        5 => query().prop_map(Op::Query),
        2 => scan().prop_map(Op::Scan),
        3 => prop::collection::vec(batch_write(), 1..=6).prop_map(Op::BatchWrite),
        2 => (
            prop::collection::vec(table().prop_flat_map(|t| key(t).prop_map(move |k| (t, k))), 1..=8),
            [(projection(), any::<bool>()), (projection(), any::<bool>()), (projection(), any::<bool>())],
        )
            .prop_map(|(keys, options)| Op::BatchGet { keys, options }),
        4 => (
            prop::collection::vec(tx_action(), 1..=4),
            any::<bool>(),
            prop_oneof![
                4 => Just(None),
                3 => Just(Some(Token::Fresh)),
                1 => select(&["token-a", "token-b"]).prop_map(|t| Some(Token::Reused(t))),
            ],
        )
            .prop_map(|(actions, old_on_failure, token)| Op::TransactWrite { actions, old_on_failure, token }),
        2 => Just(Op::RepeatTransaction),
        1 => Just(Op::ToggleOnlineIndex),
        2 => prop::collection::vec(table().prop_flat_map(|t| (Just(t), key(t), projection())), 1..=4).prop_map(Op::TransactGet),
        5 => (prop_oneof![statement_write(), statement_select()], prop::option::weighted(0.3, 1usize..4), any::<bool>())
            .prop_map(|(statement, limit, parameters)| Op::ExecuteStatement { statement, limit, parameters }),
        2 => (prop_oneof![statements(statement_write(), 5), statements(statement_get(), 5)], any::<bool>())
            .prop_map(|(statements, parameters)| Op::BatchExecuteStatement { statements, parameters }),
        2 => (prop_oneof![statements(statement_write(), 4), statements(statement_get(), 4)], any::<bool>())
            .prop_map(|(statements, parameters)| Op::ExecuteTransaction { statements, parameters }),
        4 => (select(&[0u64, 1, 100, 250, 999, 1000, 1500, 4000, 6000]), select(&[Clock::Advance, Clock::SetNow, Clock::Request]))
            .prop_map(|(ms, clock)| Op::AdvanceTime { ms, clock }),
    ]
    .boxed()
}
