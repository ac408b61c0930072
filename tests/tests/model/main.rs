//! Model-based test of the whole data-plane API: long random sessions of requests run against
//! the engine and against a plain reference model, and every answer must be what the model
//! predicts.
//!
//! - **Tables and indexes** (`schema`): `Model` (partition key `pk` S, sort key `sk` N) with two
//!   local and four global secondary indexes (KEYS_ONLY, INCLUDE and ALL projections; sparse on
//!   `title`/`qty`; one keyed by the table's own sort and partition keys swapped; one with a
//!   multi-attribute key, HASH `title` + `qty` and RANGE `sk` + `pk`), `Hash`
//!   (partition key only, two GSIs, one sorted by the TTL attribute) and `Tight` (provisioned at
//!   1 RCU / 1 WCU with its burst spent, so requests are throttled and batches return
//!   UnprocessedItems / UnprocessedKeys). Key spaces are tiny (28, 6 and 4 keys), so overwrites,
//!   failed conditions, sparse entries and ties on index sort keys are common.
//! - **Operations** (`ops`, `generate`): PutItem, GetItem, DeleteItem, UpdateItem (SET, REMOVE,
//!   ADD, DELETE, `if_not_exists`, `list_append`, arithmetic; conditions as expressions and as
//!   legacy `Expected`, updates also as legacy `AttributeUpdates`, projections also as
//!   `AttributesToGet`; every ReturnValues; ReturnValuesOnConditionCheckFailure), Query and Scan
//!   of tables and of every index (key conditions incl. BETWEEN and begins_with, filters,
//!   projections, Select ALL_ATTRIBUTES and COUNT, ConsistentRead, Limit with pagination, both
//!   directions, parallel Scan segments, legacy KeyConditions/QueryFilter/ScanFilter), BatchWriteItem,
//!   BatchGetItem, TransactWriteItems (Put, Update, Delete, ConditionCheck; ClientRequestToken
//!   idempotency, retries included), TransactGetItems,
//!   ExecuteStatement (INSERT, UPDATE, DELETE, SELECT as Query or Scan with NextToken),
//!   BatchExecuteStatement, ExecuteTransaction, and moving engine time (`Engine::advance`,
//!   `Engine::set_now`, `PlaygroundAdvanceTime`), which lets TTL delete expired items, and
//!   UpdateTable creating and deleting a GSI on `Hash` while items change (`online`).
//! - **The model** (`reference`): a `BTreeMap` per table keyed by primary key, engine time and
//!   the TTL sweep. Index contents are derived from the table when needed, never maintained.
//! - **Checks**: each answer exactly (items, Count/ScannedCount, LastEvaluatedKey, Attributes,
//!   errors with their messages, cancellation reasons); after each step, every table the step
//!   may have changed (all of them when time moved) is read in full — items, and each index
//!   against the projection derived from the model; every 100 steps and at the end, all.
//!
//! Runs are seeded: a failure names the seed, the step and the operation, the command that
//! replays it, and a shortened sequence of operations that still fails. `MODEL_SEED=n` runs
//! one seed, `MODEL_STEPS=n` sets the steps per seed (e.g. for a longer soak).

mod batches;
mod generate;
mod harness;
mod items;
mod online;
mod ops;
mod partiql;
mod reads;
mod reference;
mod schema;
mod transactions;
mod values;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use dynaplay_engine::Engine;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::json;

use crate::harness::{Check, Client, Ctx, Stats};
use crate::ops::{Clock, Op};
use crate::reference::Model;
use crate::schema::{create_table_request, TableId, TABLES, TABLE_IDS, TTL_ATTRIBUTE};

/// Seeds run by the two tests (half each, so both cores work).
const SEEDS: u64 = 20;
/// Operations per seed: SEEDS × STEPS ≥ 100,000 operations per CI run.
const STEPS: usize = 5_000;
/// Engine time at the start: 2026-01-01T00:00:00Z.
const START_MS: u64 = 1_767_225_600_000;
/// Every this many steps, all tables are checked, not only the ones the step wrote.
const FULL_CHECK_EVERY: usize = 100;

/// The TTL deletion delay of a seed: half the seeds delete at the first second past expiry,
/// half after the playground's default 5 s.
fn ttl_delay_ms(seed: u64) -> u64 {
    if seed.is_multiple_of(2) {
        0
    } else {
        dynaplay_engine::DEFAULT_TTL_DELETION_DELAY_MS
    }
}

/// A fresh engine with the three tables, TTL enabled on `exp`, and `Tight`'s burst capacity
/// spent (one large item written, read and deleted), so it throttles from early on.
fn setup(seed: u64) -> Ctx {
    let mut engine = Engine::new();
    engine.set_now(START_MS);
    let mut run = |op: &str, request: serde_json::Value| {
        engine.handle_json(op, request.clone()).unwrap_or_else(|e| panic!("setup {op} {request}: {e}"))
    };
    for table in &TABLES {
        run("CreateTable", create_table_request(table));
        run(
            "UpdateTimeToLive",
            json!({"TableName": table.name, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": TTL_ATTRIBUTE}}),
        );
    }
    run("PlaygroundUpdateSettings", json!({"TtlDeletionDelayMilliseconds": ttl_delay_ms(seed)}));
    // A request is admitted while the bucket is above zero and then charged in full, so a few
    // large ones spend the 300 s of banked capacity.
    let big = json!({"id": {"S": "burst"}, "pad": {"S": "x".repeat(290 * 1024)}});
    run("PutItem", json!({"TableName": "Tight", "Item": big}));
    for _ in 0..5 {
        run("GetItem", json!({"TableName": "Tight", "Key": {"id": {"S": "burst"}}, "ConsistentRead": true}));
    }
    run("DeleteItem", json!({"TableName": "Tight", "Key": {"id": {"S": "burst"}}}));
    let now = engine.now();
    Ctx {
        client: Client { engine, stats: Stats::default() },
        model: Model::new(now, ttl_delay_ms(seed), START_MS),
    }
}

/// Moves engine time as the step says, and the model's with it.
fn advance(ctx: &mut Ctx, ms: u64, clock: Clock) -> Check {
    let target = ctx.model.now_ms + ms;
    match clock {
        Clock::Advance => ctx.client.engine.advance(ms),
        Clock::SetNow => ctx.client.engine.set_now(target),
        Clock::Request => {
            let got = ctx.client.call("PlaygroundAdvanceTime", json!({ "Milliseconds": ms }));
            let expected = Ok(json!({ "Now": target, "Paused": false, "Speed": 1.0 }));
            ensure_eq!(got, expected, "PlaygroundAdvanceTime {ms}");
        }
    }
    ctx.client.stats.ttl_deletions += ctx.model.advance_to(target) as u64;
    Ok(())
}

/// Runs one operation against engine and model, then compares the state it may have changed.
fn step(ctx: &mut Ctx, op: &Op, full_check: bool) -> Check {
    let mut op = op.clone();
    op.resolve_expiry(ctx.model.now_ms);
    ctx.client.stats.operations += 1;
    match &op {
        Op::Put { table, item, cond, return_old, old_on_failure, spelling, legacy } => items::check_put(
            ctx,
            items::Put {
                table: *table,
                item,
                cond: cond.as_ref(),
                return_old: *return_old,
                old_on_failure: *old_on_failure,
                spelling: *spelling,
                legacy: *legacy,
            },
        ),
        Op::Get { table, key, projection, consistent, spelling, legacy } => {
            items::check_get(ctx, *table, key, projection, *consistent, *spelling, *legacy)
        }
        Op::Delete { table, key, cond, return_old, old_on_failure, spelling, legacy } => items::check_delete(
            ctx,
            items::Delete {
                table: *table,
                key,
                cond: cond.as_ref(),
                return_old: *return_old,
                old_on_failure: *old_on_failure,
                spelling: *spelling,
                legacy: *legacy,
            },
        ),
        Op::Update { table, key, actions, cond, return_values, old_on_failure, spelling, legacy } => {
            items::check_update(
                ctx,
                items::Update {
                    table: *table,
                    key,
                    actions,
                    cond: cond.as_ref(),
                    return_values: *return_values,
                    old_on_failure: *old_on_failure,
                    spelling: *spelling,
                    legacy: *legacy,
                },
            )
        }
        Op::Query(q) => reads::check_query(ctx, q),
        Op::Scan(s) => reads::check_scan(ctx, s).map(|_| ()),
        Op::BatchWrite(requests) => batches::check_batch_write(ctx, requests),
        Op::BatchGet { keys, options } => batches::check_batch_get(ctx, keys, options),
        Op::TransactWrite { actions, old_on_failure, token } => {
            let token = token.map(|t| match t {
                ops::Token::Fresh => format!("fresh-{}", ctx.client.stats.operations),
                ops::Token::Reused(t) => t.to_owned(),
            });
            let request = transactions::transact_write_request(actions, *old_on_failure, token.as_deref());
            ctx.model.last_transaction = Some((actions.clone(), request.clone()));
            transactions::check_transact_write(ctx, actions, request)
        }
        Op::RepeatTransaction => match ctx.model.last_transaction.clone() {
            Some((actions, request)) => transactions::check_transact_write(ctx, &actions, request),
            None => Ok(()),
        },
        Op::TransactGet(gets) => transactions::check_transact_get(ctx, gets),
        Op::ExecuteStatement { statement, limit, parameters } => {
            partiql::check_execute_statement(ctx, statement, *limit, *parameters)
        }
        Op::BatchExecuteStatement { statements, parameters } => {
            partiql::check_batch_execute(ctx, statements, *parameters)
        }
        Op::ExecuteTransaction { statements, parameters } => {
            partiql::check_execute_transaction(ctx, statements, *parameters)
        }
        Op::AdvanceTime { ms, clock } => advance(ctx, *ms, *clock),
        Op::ToggleOnlineIndex => online::check_toggle(ctx),
    }?;
    let tables = if full_check { TABLE_IDS.to_vec() } else { op.writes() };
    reads::check_state(ctx, &tables)
}

/// Runs `ops` on a fresh engine; on failure, the step and what went wrong. A panic (in the
/// engine or in a check) is a failure like any other.
fn replay(seed: u64, ops: &[Op]) -> Result<Stats, (usize, String)> {
    let mut ctx = setup(seed);
    for (n, op) in ops.iter().enumerate() {
        let full = n % FULL_CHECK_EVERY == FULL_CHECK_EVERY - 1 || n + 1 == ops.len();
        let outcome = catch_unwind(AssertUnwindSafe(|| step(&mut ctx, op, full)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(message)) => return Err((n, message)),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                return Err((n, format!("panicked: {message}")));
            }
        }
    }
    Ok(ctx.client.stats)
}

/// The operations of a seed, generated by a proptest runner seeded from it.
fn generate(seed: u64, steps: usize) -> Vec<Op> {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&0x6d6f_6465_6c31_3521u64.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::XorShift, &bytes[..16]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = generate::op();
    (0..steps).map(|_| strategy.new_tree(&mut runner).expect("generate an operation").current()).collect()
}

/// Shortens a failing sequence by dropping runs of operations while it still fails (within a
/// time budget): the shorter sequence is what the failure message shows.
fn shorten(seed: u64, mut ops: Vec<Op>) -> Vec<Op> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut chunk = ops.len().div_ceil(2);
    while chunk >= 1 && Instant::now() < deadline {
        let mut start = 0;
        let mut dropped = false;
        while start < ops.len() && Instant::now() < deadline {
            let mut candidate = ops.clone();
            candidate.drain(start..(start + chunk).min(ops.len()));
            match replay(seed, &candidate) {
                Err((failed_at, _)) => {
                    candidate.truncate(failed_at + 1);
                    ops = candidate;
                    dropped = true;
                }
                Ok(_) => start += chunk,
            }
        }
        if !dropped {
            chunk /= 2;
        }
    }
    ops
}

/// Runs one seed; panics with a reproducible report on failure.
fn run_seed(seed: u64, steps: usize) -> Stats {
    let ops = generate(seed, steps);
    match replay(seed, &ops) {
        Ok(stats) => stats,
        Err((failed_at, message)) => {
            let failing = ops[..=failed_at].to_vec();
            let short = shorten(seed, failing);
            let listing: Vec<String> =
                short.iter().enumerate().map(|(n, op)| format!("  {n:>4}: {op:?}")).collect();
            panic!(
                "model mismatch: seed {seed}, step {failed_at}\noperation: {:?}\n{message}\n\n\
                 reproduce: MODEL_SEED={seed} MODEL_STEPS={} cargo test -p dynaplay-tests --test model\n\
                 a shorter failing sequence ({} operations; TTL values are offsets from engine time):\n{}",
                ops[failed_at],
                failed_at + 1,
                short.len(),
                listing.join("\n")
            );
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs this test's share of the seeds and checks the run exercised what the model covers.
fn run_share(share: u64) {
    let steps = env_number("MODEL_STEPS").map_or(STEPS, |s| s as usize);
    let seeds: Vec<u64> = match env_number("MODEL_SEED") {
        Some(seed) if share == 0 => vec![seed],
        Some(_) => vec![],
        None => (0..SEEDS).filter(|s| s % 2 == share).collect(),
    };
    let started = Instant::now();
    let mut total = Stats::default();
    for &seed in &seeds {
        total.add(&run_seed(seed, steps));
    }
    eprintln!("model share {share}: seeds {seeds:?}, {:.1} s, {total:#?}", started.elapsed().as_secs_f64());
    assert_eq!(total.operations, seeds.len() as u64 * steps as u64, "every operation ran");
    if seeds.len() * steps >= 10_000 {
        // What the sessions must have met, or the generators have drifted.
        let met = [
            ("conditional check failures", total.conditional_failures),
            ("validation errors", total.validation_errors),
            ("throttled requests", total.throttled),
            ("unprocessed batch writes", total.unprocessed_items),
            ("unprocessed batch keys", total.unprocessed_keys),
            ("cancelled transactions", total.transactions_cancelled),
            ("duplicate PartiQL inserts", total.duplicate_items),
            ("idempotent transaction retries", total.token_replays),
            ("client tokens reused with another request", total.token_mismatches),
            ("TTL deletions", total.ttl_deletions),
            ("online index creations and deletions", total.online_index_changes),
            ("Query/Scan/SELECT pages", total.pages),
            ("index entries compared", total.index_entries_checked),
        ];
        for (what, count) in met {
            assert!(count > 0, "the run met no {what}: {total:#?}");
        }
    }
}

#[test]
fn engine_matches_model_even_seeds() {
    run_share(0);
}

#[test]
fn engine_matches_model_odd_seeds() {
    run_share(1);
}

/// The model itself: TTL deletes at the first sweep of a second past expiry plus the delay.
#[test]
fn model_ttl_sweeps_once_per_second() {
    let mut model = Model::new(START_MS, 0, START_MS);
    let item = |id: &str, exp_tenths: i64| {
        let mut item = schema::key_item(TableId::Hash, &(values::Scalar::S(id.into()), None));
        item.insert(TTL_ATTRIBUTE.into(), values::Val::N(exp_tenths));
        item
    };
    let now_tenths = (START_MS / 100) as i64;
    model.put(TableId::Hash, item("soon", now_tenths + 25));
    model.put(TableId::Hash, item("later", now_tenths + 100));
    assert_eq!(model.advance_to(START_MS + 2_400), 0, "ENABLING for one second, then not due yet");
    assert_eq!(model.advance_to(START_MS + 2_999), 0, "same second: no second sweep");
    assert_eq!(model.advance_to(START_MS + 3_000), 1, "2.5 s expiry is due at the 3 s sweep");
    assert_eq!(model.items(TableId::Hash).len(), 1);
}
