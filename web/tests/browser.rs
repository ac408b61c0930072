//! Browser tests of the engine host in headless Chromium (wasm-bindgen-test): durability,
//! group commit, reload, compaction, the failed-transaction and quota paths, import/reset.
//! Run: `cargo test -p dynaplay-web --target wasm32-unknown-unknown` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use dynaplay_engine::journal::CompactionPolicy;
use dynaplay_web::host::store::{InjectedFault, Store};
use dynaplay_web::host::{Host, HostConfig, Mode};
use futures_util::future::join_all;
use serde_json::{json, Value};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn config(db: &str) -> HostConfig {
    HostConfig { database: Some(db.into()), use_lock: false, compaction: CompactionPolicy::default() }
}

async fn fresh(db: &str, config: HostConfig) -> Host {
    Store::delete(db).await.unwrap();
    Host::open(config).await
}

fn create_table(name: &str) -> Value {
    json!({
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        "BillingMode": "PAY_PER_REQUEST"
    })
}

fn put(n: usize) -> Value {
    json!({"TableName": "Tab", "Item": {"pk": {"S": "p"}, "sk": {"N": n.to_string()}, "v": {"S": "x".repeat(20)}}})
}

async fn count(host: &Host) -> u64 {
    let r = host
        .send(
            "Query",
            &json!({
                "TableName": "Tab", "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": {"S": "p"}}, "Select": "COUNT"
            }),
        )
        .await
        .unwrap();
    r["Count"].as_u64().unwrap()
}

/// Items (under partition key `p`) of table `Tab` after reopening the workspace `db` from IndexedDB (a reload).
async fn count_after_reopen(db: &str) -> u64 {
    let again = Host::open(config(db)).await;
    let n = count(&again).await;
    again.close();
    n
}

#[wasm_bindgen_test]
async fn writes_survive_a_reload() {
    let db = "t-reload";
    let host = fresh(db, config(db)).await;
    assert_eq!(host.mode(), Mode::Owner);
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    for n in 0..5 {
        host.send("PutItem", &put(n)).await.unwrap();
    }
    host.send("DeleteItem", &json!({"TableName": "Tab", "Key": {"pk": {"S": "p"}, "sk": {"N": "0"}}}))
        .await
        .unwrap();
    host.close();

    let again = Host::open(config(db)).await;
    assert_eq!(count(&again).await, 4);
    assert_eq!(again.stats().replayed, 7);
    let d = again.send("DescribeTable", &json!({"TableName": "Tab"})).await.unwrap();
    assert_eq!(d["Table"]["KeySchema"][1]["AttributeName"], "sk");
    again.close();
}

#[wasm_bindgen_test]
async fn concurrent_writes_share_one_transaction_and_resolve_after_commit() {
    let db = "t-group";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    let before = host.stats().transactions;
    let sends: Vec<_> = (0..200)
        .map(|n| {
            let host = host.clone();
            async move { host.send("PutItem", &put(n)).await }
        })
        .collect();
    // Issued in one task: nothing is acknowledged yet, all 200 wait for the same commit.
    let results = join_all(sends).await;
    assert!(results.iter().all(Result::is_ok));
    let stats = host.stats();
    assert_eq!(stats.transactions - before, 1, "200 concurrent PutItems, one IndexedDB transaction");
    assert_eq!(host.unacknowledged(), 0);
    host.close();
    assert_eq!(count_after_reopen(db).await, 200);
}

#[wasm_bindgen_test]
async fn a_failed_transaction_rejects_and_rolls_the_engine_back() {
    let db = "t-abort";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    host.send("PutItem", &put(1)).await.unwrap();
    host.inject_fault(InjectedFault::Abort);
    let err = host.send("PutItem", &put(2)).await.unwrap_err();
    assert_eq!(err["__type"], "com.amazonaws.dynamodb.v20120810#InternalServerError");
    assert!(err["message"].as_str().unwrap().contains("was not applied"), "{err}");
    host.settled().await;
    // Rolled back: the unacknowledged item is gone from memory too, the acknowledged one stays.
    assert_eq!(count(&host).await, 1);
    // And the host keeps working.
    host.send("PutItem", &put(3)).await.unwrap();
    host.close();
    assert_eq!(count_after_reopen(db).await, 2);
}

#[wasm_bindgen_test]
async fn quota_exhaustion_is_a_clear_error_and_loses_nothing_acknowledged() {
    let db = "t-quota";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    host.send("PutItem", &put(1)).await.unwrap();
    host.inject_fault(InjectedFault::Quota);
    // Two writes in the same batch, and one queued behind it, all fail together.
    let (p2, p3) = (put(2), put(3));
    let (a, b) = futures_util::join!(host.send("PutItem", &p2), host.send("PutItem", &p3));
    let a = a.unwrap_err();
    assert!(a["message"].as_str().unwrap().contains("storage for this site is full"), "{a}");
    assert!(b.is_err());
    host.settled().await;
    assert_eq!(count(&host).await, 1);
    host.close();
    assert_eq!(count_after_reopen(db).await, 1);
}

#[wasm_bindgen_test]
async fn compaction_folds_the_journal_into_a_snapshot() {
    let db = "t-compact";
    let mut cfg = config(db);
    cfg.compaction = CompactionPolicy { min_journal_bytes: 2_000 };
    let host = fresh(db, cfg.clone()).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    for n in 0..60 {
        host.send("PutItem", &put(n)).await.unwrap();
    }
    let stats = host.stats();
    assert!(stats.compactions >= 1, "{stats:?}");
    assert!(stats.journal_bytes < 2_000 + 200);
    host.close();
    let again = Host::open(cfg).await;
    assert_eq!(count(&again).await, 60);
    assert!(again.stats().replayed < 60, "most entries came from the snapshot");
    again.close();
}

#[wasm_bindgen_test]
async fn import_export_and_reset() {
    let db = "t-import";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    host.send("PutItem", &put(7)).await.unwrap();
    let exported = host.export();

    // A bad file is a clear error and changes nothing.
    let bad = JsFuture::from(host.import("{\"format\": \"something else\"}")).await.unwrap_err();
    assert!(bad.as_string().unwrap().contains("Invalid workspace file"));
    let not_json = JsFuture::from(host.import("not json")).await.unwrap_err();
    assert!(not_json.as_string().unwrap().contains("not JSON"));
    assert_eq!(count(&host).await, 1);

    JsFuture::from(host.reset()).await.unwrap();
    let tables = host.send("ListTables", &json!({})).await.unwrap();
    assert_eq!(tables["TableNames"], json!([]));

    JsFuture::from(host.import(&exported)).await.unwrap();
    assert_eq!(count(&host).await, 1);
    host.close();
    assert_eq!(count_after_reopen(db).await, 1);
}

#[wasm_bindgen_test]
async fn bad_requests_get_dynamodb_errors_and_change_nothing() {
    let db = "t-bad";
    let host = fresh(db, config(db)).await;
    let err = host.send("PutItem", &json!({"TableName": "Nope", "Item": {}})).await.unwrap_err();
    assert!(err["__type"].as_str().unwrap().ends_with("Exception"), "{err}");
    let unknown = host.send("Frobnicate", &json!({})).await.unwrap_err();
    assert!(unknown["__type"].as_str().unwrap().contains("UnknownOperation"));
    match host.dispatch("PutItem", "{not json") {
        dynaplay_web::host::Dispatch::Failed(text) => assert!(text.contains("SerializationException")),
        _ => panic!("malformed JSON must fail"),
    }
    assert_eq!(host.stats().transactions, 0, "failed requests are not journaled");
    host.close();
}

#[wasm_bindgen_test]
async fn a_second_owner_is_read_only() {
    let db = "t-locks";
    Store::delete(db).await.unwrap();
    let mut cfg = config(db);
    cfg.use_lock = true;
    let owner = Host::open(cfg.clone()).await;
    assert_eq!(owner.mode(), Mode::Owner);
    owner.send("CreateTable", &create_table("Tab")).await.unwrap();
    let follower = Host::open(cfg).await;
    assert_eq!(follower.mode(), Mode::ReadOnly);
    let err = follower.send("PutItem", &put(1)).await.unwrap_err();
    assert!(err["__type"].as_str().unwrap().ends_with("AccessDeniedException"));
    assert!(err["message"].as_str().unwrap().contains("read-only"));
    // It reads what the owner committed.
    assert_eq!(count(&follower).await, 0);
    owner.close();
    follower.close();
}

fn stored_trigger(code: &str) -> String {
    json!({"TableName": "Tab", "Code": code, "BatchSize": 10, "StartingPosition": "TRIM_HORIZON", "TimeoutMs": 3000,
           "StreamArn": null, "Positions": {}})
    .to_string()
}

async fn save_trigger(host: &Host, state: Option<String>) {
    JsFuture::from(host.save_trigger("Tab", state).expect("an owner saves triggers")).await.unwrap();
}

/// The triggers a fresh open of `db` restores.
async fn triggers_after_reopen(db: &str) -> Vec<String> {
    let again = Host::open(config(db)).await;
    let triggers = again.take_stored_triggers().expect("a reload hands the triggers over");
    assert_eq!(again.take_stored_triggers(), None, "once");
    again.close();
    triggers
}

#[wasm_bindgen_test]
async fn triggers_are_saved_with_the_workspace_and_removed_by_detach_and_reset() {
    let db = "t-triggers";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    save_trigger(&host, Some(stored_trigger("v1"))).await;
    // In the same transaction as a write, the last state wins.
    let write = host.dispatch("PutItem", &put(1).to_string());
    let second = host.save_trigger("Tab", Some(stored_trigger("v2"))).unwrap();
    if let dynaplay_web::host::Dispatch::Pending(p) = write {
        JsFuture::from(p).await.unwrap();
    }
    JsFuture::from(second).await.unwrap();
    host.close();
    assert_eq!(triggers_after_reopen(db).await, vec![stored_trigger("v2")]);

    // Detached: gone.
    let host = Host::open(config(db)).await;
    save_trigger(&host, None).await;
    host.close();
    assert_eq!(triggers_after_reopen(db).await, Vec::<String>::new());

    // Reset (and import) remove every trigger, in the same transaction.
    let host = Host::open(config(db)).await;
    let _ = host.take_stored_triggers();
    save_trigger(&host, Some(stored_trigger("v3"))).await;
    JsFuture::from(host.reset()).await.unwrap();
    assert_eq!(host.take_stored_triggers(), Some(vec![]), "the registry is told to stop them");
    host.close();
    assert_eq!(triggers_after_reopen(db).await, Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn a_failed_write_rolls_triggers_back_to_their_saved_state() {
    let db = "t-trigger-abort";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    save_trigger(&host, Some(stored_trigger("saved"))).await;
    let epoch = host.epoch();
    host.inject_fault(InjectedFault::Abort);
    let failed = host.save_trigger("Tab", Some(stored_trigger("lost"))).unwrap();
    assert!(JsFuture::from(failed).await.is_err());
    host.settled().await;
    // Rolled back: the registry restarts the triggers from what is saved.
    assert_ne!(host.epoch(), epoch, "work started on the old engine stops");
    assert_eq!(host.take_stored_triggers(), Some(vec![stored_trigger("saved")]));
    host.close();
}

#[wasm_bindgen_test]
async fn a_format_1_database_opens_and_is_upgraded() {
    use dynaplay_engine::journal::{encode_record, Mutation};
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;

    let db = "t-format-1";
    Store::delete(db).await.unwrap();
    // What dynaplay wrote before triggers were saved: schema 1, format 1, three stores.
    let mut engine = dynaplay_engine::Engine::new();
    engine.set_now(1_767_225_600_000);
    engine.handle_json("CreateTable", create_table("Tab")).unwrap();
    engine.handle_json("PutItem", put(1)).unwrap();
    let snapshot = dynaplay_web::host::workspace::export(&engine).to_string();
    let record = encode_record(&[Mutation {
        operation: "PutItem".into(),
        at_ms: 1_767_225_601_000,
        request: put(2).to_string(),
        region: None,
    }])
    .unwrap();
    let v1 = Database::open(db)
        .with_version(1u8)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("meta").build()?;
            db.create_object_store("snapshot").build()?;
            db.create_object_store("journal").with_auto_increment(true).build()?;
            Ok(())
        })
        .await
        .unwrap();
    let tx = v1
        .transaction(["meta", "snapshot", "journal"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("meta").unwrap().put(1u32).with_key("format").primitive().unwrap();
    tx.object_store("snapshot").unwrap().put(snapshot.as_str()).with_key("workspace").primitive().unwrap();
    tx.object_store("journal").unwrap().add(record.as_str()).primitive().unwrap();
    tx.commit().await.unwrap();
    v1.close();

    let host = Host::open(config(db)).await;
    assert_eq!(host.mode(), Mode::Owner);
    assert_eq!(count(&host).await, 2, "snapshot + journal of the format-1 store");
    assert_eq!(host.take_stored_triggers(), Some(vec![]));
    save_trigger(&host, Some(stored_trigger("after the upgrade"))).await;
    host.close();
    let store = Store::open(db).await.unwrap();
    let stored = store.load().await.unwrap().stored;
    store.close();
    assert_eq!(stored.format, Some(2), "the next write stores the new format");
    assert_eq!(stored.side, vec![stored_trigger("after the upgrade")]);
    assert_eq!(count_after_reopen(db).await, 2);
}

/// Puts `value` under `key` in the `meta` store of `db` behind the host's back (a store damaged
/// by hand, a lease taken by another tab).
async fn put_meta(db: &str, key: &str, value: &str) {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let raw = Database::open(db).await.unwrap();
    let tx = raw.transaction(["meta"]).with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store("meta").unwrap().put(value).with_key(key).primitive().unwrap();
    tx.commit().await.unwrap();
    raw.close();
}

/// Appends journal records to `db` as a host would (one transaction each).
async fn append_records(db: &str, records: &[&str]) {
    let store = Store::open(db).await.unwrap();
    for record in records {
        let plan = dynaplay_engine::journal::TxnPlan { record: Some((*record).into()), ..Default::default() };
        store.write(&plan).await.unwrap();
    }
    store.close();
}

#[wasm_bindgen_test]
async fn a_damaged_store_opens_with_everything_before_the_damage_and_keeps_the_rest() {
    let db = "t-damaged";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    host.send("PutItem", &put(1)).await.unwrap();
    host.send("PutItem", &put(2)).await.unwrap();
    host.close();
    // A request that cannot replay (its table does not exist), and a good one after it.
    let bad = r#"[["PutItem",1767225601000,{"TableName":"Gone","Item":{"pk":{"S":"p"}}}]]"#;
    let after = json!([["PutItem", 1_767_225_602_000u64, put(3)]]).to_string();
    append_records(db, &[bad, &after]).await;

    let host = Host::open(config(db)).await;
    assert_eq!(host.mode(), Mode::Owner, "it opens, and writes");
    assert_eq!(count(&host).await, 2, "everything before the damaged entry");
    let damage = host.damage().expect("the damage is reported");
    assert!(
        damage
            .description
            .starts_with("PutItem (request 1 of saved change 4, run at 2026-01-01T00:00:01.000Z)"),
        "{}",
        damage.description
    );
    assert!(damage.description.contains("ResourceNotFoundException"), "{}", damage.description);
    assert!(host.replay_failure().is_some());
    let data: Value = serde_json::from_slice(damage.stored_data.as_bytes()).unwrap();
    assert_eq!(data["journal"][3], bad, "the damaged record, as stored");
    assert_eq!(data["journal"][4], after.as_str(), "and what came after it");
    // Export exports what was restored.
    assert!(host.export().contains("\"Tab\""));
    host.send("PutItem", &put(10)).await.unwrap();
    host.close();

    // The damaged entry is not replayed again, the data set aside is still offered.
    let again = Host::open(config(db)).await;
    assert_eq!(again.mode(), Mode::Owner);
    assert!(again.replay_failure().is_none(), "the journal restarted from a snapshot");
    assert_eq!(count(&again).await, 3);
    let kept = again.damage().expect("kept until dismissed");
    assert_eq!(kept.stored_data, damage.stored_data);
    assert_eq!(kept.description, damage.description);
    again.dismiss_damage().await.unwrap();
    assert!(again.damage().is_none());
    again.close();
    let last = Host::open(config(db)).await;
    assert!(last.damage().is_none(), "dismissed for good");
    assert_eq!(count(&last).await, 3);
    last.close();
}

#[wasm_bindgen_test]
async fn reset_and_import_work_when_storage_failed() {
    let db = "t-failed-reset";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    host.send("PutItem", &put(1)).await.unwrap();
    let exported = host.export();
    host.close();
    // A store this version cannot read at all: the tab opens in the storage-failed mode.
    put_meta(db, "format", "not a number").await;
    let host = Host::open(config(db)).await;
    assert!(matches!(host.mode(), Mode::Failed(_)), "{:?}", host.mode());
    let refused = host.send("PutItem", &put(2)).await.unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("cannot save changes"), "{refused}");
    JsFuture::from(host.import(&exported)).await.unwrap();
    assert_eq!(host.mode(), Mode::Owner, "saving again");
    host.send("PutItem", &put(2)).await.unwrap();
    host.close();
    assert_eq!(count_after_reopen(db).await, 2);

    put_meta(db, "format", "not a number").await;
    let host = Host::open(config(db)).await;
    assert!(matches!(host.mode(), Mode::Failed(_)));
    JsFuture::from(host.reset()).await.unwrap();
    assert_eq!(host.mode(), Mode::Owner);
    host.close();
    let again = Host::open(config(db)).await;
    assert_eq!(again.send("ListTables", &json!({})).await.unwrap()["TableNames"], json!([]));
    again.close();
}

/// Hides `navigator.locks` (as a page on plain http from a LAN address has none), or shows it again.
fn hide_web_locks(hide: bool) {
    let navigator: wasm_bindgen::JsValue = web_sys::window().unwrap().navigator().into();
    if hide {
        let descriptor = js_sys::Object::new();
        js_sys::Reflect::set(&descriptor, &"value".into(), &wasm_bindgen::JsValue::UNDEFINED).unwrap();
        js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
        js_sys::Object::define_property(&navigator.into(), &"locks".into(), &descriptor);
    } else {
        js_sys::Reflect::delete_property(&navigator.into(), &"locks".into()).unwrap();
    }
}

async fn sleep_ms(ms: i32) {
    let _ = JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    }))
    .await;
}

#[wasm_bindgen_test]
async fn without_web_locks_an_indexeddb_lease_keeps_one_writer() {
    let db = "t-lease";
    Store::delete(db).await.unwrap();
    hide_web_locks(true);
    let mut cfg = config(db);
    cfg.use_lock = true;
    let owner = Host::open(cfg.clone()).await;
    let follower = Host::open(cfg).await;
    hide_web_locks(false);
    assert_eq!(owner.mode(), Mode::Owner);
    assert_eq!(follower.mode(), Mode::ReadOnly);
    owner.send("CreateTable", &create_table("Tab")).await.unwrap();
    owner.send("PutItem", &put(1)).await.unwrap();
    let refused = follower.send("PutItem", &put(2)).await.unwrap_err();
    assert!(refused["__type"].as_str().unwrap().ends_with("AccessDeniedException"), "{refused}");

    // A third tab took the lease while the owner was not looking (frozen past the expiry):
    // the owner's next write is refused in its own transaction, and it becomes read-only.
    put_meta(db, "lease", &format!("intruder {}", js_sys::Date::now() as u64 + 60_000)).await;
    let lost = owner.send("PutItem", &put(3)).await.unwrap_err();
    assert!(lost["__type"].as_str().unwrap().ends_with("AccessDeniedException"), "{lost}");
    assert!(lost["message"].as_str().unwrap().contains("not saved"), "{lost}");
    owner.settled().await;
    assert_eq!(owner.mode(), Mode::ReadOnly);
    assert_eq!(count(&owner).await, 1, "rolled back to what is stored");

    // The intruder's lease expires: a waiting tab takes over (within a poll) and writes.
    put_meta(db, "lease", "intruder 0").await;
    for _ in 0..50 {
        if owner.mode() == Mode::Owner || follower.mode() == Mode::Owner {
            break;
        }
        sleep_ms(100).await;
    }
    let modes = (owner.mode(), follower.mode());
    assert!(
        matches!(modes, (Mode::Owner, Mode::ReadOnly) | (Mode::ReadOnly, Mode::Owner)),
        "exactly one takes over: {modes:?}"
    );
    let writer = if owner.mode() == Mode::Owner { &owner } else { &follower };
    writer.send("PutItem", &put(4)).await.unwrap();
    owner.close();
    follower.close();
    sleep_ms(50).await;
    assert_eq!(count_after_reopen(db).await, 2);
}

#[wasm_bindgen_test]
async fn a_stored_value_that_is_not_text_is_reported_not_fatal() {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = "t-not-text";
    let host = fresh(db, config(db)).await;
    host.send("CreateTable", &create_table("Tab")).await.unwrap();
    host.send("PutItem", &put(1)).await.unwrap();
    host.close();
    // Another program stored a number where a record (text) belongs.
    let raw = Database::open(db).await.unwrap();
    let tx = raw.transaction(["journal"]).with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store("journal").unwrap().add(42u32).primitive().unwrap();
    tx.commit().await.unwrap();
    raw.close();

    let host = Host::open(config(db)).await;
    assert_eq!(host.mode(), Mode::Owner, "it opens instead of failing the whole load");
    assert_eq!(count(&host).await, 1, "everything before the bad record");
    let damage = host.damage().expect("reported");
    assert!(damage.description.starts_with("saved change 3 is not readable"), "{}", damage.description);
    let data: Value = serde_json::from_slice(damage.stored_data.as_bytes()).unwrap();
    assert_eq!(data["journal"][2], "42", "kept as its JSON text");
    host.close();
}
