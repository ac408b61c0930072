//! `--data-dir` (issue 12, items 7 and 8): every acknowledged write survives `kill -9` under
//! load; a torn journal tail, a damaged record or a record that cannot be replayed costs only
//! itself and what follows, and the server says so; one server per directory; engine time never
//! runs backwards across a restart.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Req, Server};
use serde_json::{json, Value};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynaplay-durability-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn start(dir: &Path) -> Server {
    Server::start_logged(&["--data-dir", dir.to_str().unwrap()])
        .unwrap_or_else(|log| panic!("did not start: {log}"))
}

fn ok(server: &Server, operation: &str, body: Value) -> Value {
    let resp = server.send(&Req::op(operation, &body.to_string()));
    assert_eq!(resp.status, 200, "{operation}: {}", resp.text());
    resp.json()
}

fn create_table(server: &Server) {
    ok(
        server,
        "CreateTable",
        json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    );
}

fn put(server: &Server, key: &str) {
    ok(server, "PutItem", json!({"TableName": "Tab", "Item": {"pk": {"S": key}}}));
}

/// Every item's key → its attributes, read with a paginated Scan.
fn scan_all(server: &Server) -> BTreeMap<String, Value> {
    let mut items = BTreeMap::new();
    let mut start: Option<Value> = None;
    loop {
        let mut request = json!({"TableName": "Tab"});
        if let Some(key) = start.take() {
            request["ExclusiveStartKey"] = key;
        }
        let page = ok(server, "Scan", request);
        for item in page["Items"].as_array().unwrap() {
            items.insert(item["pk"]["S"].as_str().unwrap().to_owned(), item.clone());
        }
        match page.get("LastEvaluatedKey") {
            Some(key) => start = Some(key.clone()),
            None => return items,
        }
    }
}

fn journal_path(dir: &Path) -> PathBuf {
    let mut journals: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("journal-"))
        .collect();
    assert_eq!(journals.len(), 1, "{journals:?}");
    journals.pop().unwrap()
}

/// A journal frame as the server writes it: length, CRC-32 of length and payload, payload.
fn frame(payload: &[u8]) -> Vec<u8> {
    let len = (payload.len() as u32).to_le_bytes();
    let mut crc = crc32fast::Hasher::new();
    crc.update(&len);
    crc.update(payload);
    [&len[..], &crc.finalize().to_le_bytes(), payload].concat()
}

fn stop(mut server: Server) {
    let status = server.signal_and_wait("TERM", Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
}

/// What the writers of the kill test saw acknowledged.
#[derive(Default)]
struct Acknowledged {
    /// Keys whose PutItem got a 200.
    puts: Vec<String>,
    /// Per writer: how many of its counter increments got a 200.
    increments: BTreeMap<usize, u64>,
}

/// Eight clients write as fast as they can — PutItem of fresh keys and an ADD to their own
/// counter — recording every 200, until the server dies under them.
fn write_until_killed(
    server: &Server,
    round: usize,
    acknowledged: &Arc<Mutex<Acknowledged>>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..8)
        .map(|writer| {
            let addr = server.addr;
            let acknowledged = Arc::clone(acknowledged);
            std::thread::spawn(move || {
                let Ok(stream) = std::net::TcpStream::connect(addr) else { return };
                stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                let mut conn = common::Connection { stream };
                for n in 0.. {
                    let key = format!("r{round}-w{writer}-{n}");
                    let put = json!({"TableName": "Tab", "Item": {"pk": {"S": key}, "pad": {"S": "p".repeat(n % 300)}}});
                    match conn.try_send(&Req::op("PutItem", &put.to_string())) {
                        Ok(resp) if resp.status == 200 => acknowledged.lock().unwrap().puts.push(key),
                        Ok(resp) => panic!("PutItem answered {}: {}", resp.status, resp.text()),
                        Err(_) => return, // killed
                    }
                    let add = json!({"TableName": "Tab", "Key": {"pk": {"S": format!("counter-{writer}")}},
                                     "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}});
                    match conn.try_send(&Req::op("UpdateItem", &add.to_string())) {
                        Ok(resp) if resp.status == 200 => *acknowledged.lock().unwrap().increments.entry(writer).or_default() += 1,
                        Ok(resp) => panic!("UpdateItem answered {}: {}", resp.status, resp.text()),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect()
}

#[test]
fn kill_9_under_load_loses_nothing_acknowledged() {
    let dir = temp_dir("kill");
    let server = start(&dir);
    create_table(&server);
    drop(server); // SIGKILL (Drop kills): even the table must survive.
    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    for round in 0..3 {
        let mut server = start(&dir);
        let writers = write_until_killed(&server, round, &acknowledged);
        // Kill once a good number of writes were acknowledged (bounded wait).
        let started = Instant::now();
        let target = (round + 1) * 400;
        while acknowledged.lock().unwrap().puts.len() < target {
            assert!(started.elapsed() < Duration::from_secs(60), "writes are not being acknowledged");
            std::thread::sleep(Duration::from_millis(10));
        }
        server.child.kill().unwrap(); // SIGKILL, writes in flight
        server.child.wait().unwrap();
        for writer in writers {
            writer.join().unwrap();
        }

        let server = start(&dir);
        let log = server.log_until("keeping tables in");
        assert!(log.contains("loaded 1 tables"), "{log}");
        assert!(!log.contains("WARNING"), "a kill -9 damaged the store: {log}");
        let items = scan_all(&server);
        let acknowledged = acknowledged.lock().unwrap();
        let missing: Vec<&String> = acknowledged.puts.iter().filter(|k| !items.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "round {round}: {} acknowledged PutItems lost, e.g. {:?}",
            missing.len(),
            &missing[..missing.len().min(5)]
        );
        for (writer, acked) in &acknowledged.increments {
            let stored: u64 =
                items[&format!("counter-{writer}")]["n"]["N"].as_str().unwrap().parse().unwrap();
            // The increment in flight at each kill so far may or may not have reached the disk.
            let kills = round as u64 + 1;
            assert!(
                (*acked..=acked + kills).contains(&stored),
                "counter {writer}: {stored} stored, {acked} acknowledged, {kills} kills"
            );
        }
        eprintln!("round {round}: {} PutItems acknowledged so far, all present", acknowledged.puts.len());
        drop(server);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tables_survive_a_clean_restart_and_the_store_says_what_it_loaded() {
    let dir = temp_dir("restart");
    let server = start(&dir);
    assert!(
        server.log_until("keeping tables in").contains("(new)"),
        "{}",
        server.log_until("keeping tables in")
    );
    create_table(&server);
    for n in 0..20 {
        put(&server, &format!("k{n}"));
    }
    ok(
        &server,
        "TagResource",
        json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Tab", "Tags": [{"Key": "team", "Value": "a"}]}),
    );
    stop(server);
    let server = start(&dir);
    assert_eq!(scan_all(&server).len(), 20);
    let tags = ok(
        &server,
        "ListTagsOfResource",
        json!({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Tab"}),
    );
    assert_eq!(tags["Tags"], json!([{"Key": "team", "Value": "a"}]));
    stop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_torn_journal_tail_is_dropped_and_said() {
    let dir = temp_dir("torn");
    let server = start(&dir);
    create_table(&server);
    for n in 0..10 {
        put(&server, &format!("k{n}"));
    }
    drop(server);
    // Half of a write that a crash cut off: a frame header promising more than is there.
    let journal = journal_path(&dir);
    let torn = &frame(br#"[["PutItem",1,{"TableName":"Tab","Item":{"pk":{"S":"torn"}}}]]"#)[..30];
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(torn);
    std::fs::write(&journal, &bytes).unwrap();

    let server = start(&dir);
    assert!(
        server.log_until("keeping tables in").contains("dropped the last 30 bytes"),
        "{}",
        server.log_until("keeping tables in")
    );
    let items = scan_all(&server);
    assert_eq!(items.len(), 10);
    // The journal was cut where the good part ends, so what is written next reads back.
    put(&server, "after");
    drop(server);
    let server = start(&dir);
    assert!(
        !server.log_until("keeping tables in").contains("WARNING"),
        "{}",
        server.log_until("keeping tables in")
    );
    assert_eq!(scan_all(&server).len(), 11);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_damaged_record_keeps_everything_before_it_and_sets_the_journal_aside() {
    let dir = temp_dir("damaged");
    let server = start(&dir);
    create_table(&server);
    put(&server, "before");
    let journal = journal_path(&dir);
    let good_len = std::fs::metadata(&journal).unwrap().len() as usize;
    put(&server, "damaged");
    put(&server, "after");
    drop(server);
    // Flip a byte inside the record of "damaged": it is not the last record, so this is
    // damage, not a torn tail.
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes[good_len + 20] ^= 0x55;
    std::fs::write(&journal, &bytes).unwrap();

    let server = start(&dir);
    let log = server.log_until("keeping tables in");
    assert!(log.contains("WARNING: the journal is damaged at byte"), "{log}");
    assert!(log.contains("checksum mismatch"), "{log}");
    assert!(log.contains("Kept the 2 requests before it"), "{log}");
    let items = scan_all(&server);
    assert_eq!(items.keys().collect::<Vec<_>>(), ["before"]);
    // Nothing is deleted: the whole journal is kept beside the store, byte for byte.
    let aside: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), bytes);
    assert!(log.contains(&aside[0].display().to_string()), "{log}");
    // The store goes on from what it kept.
    put(&server, "new");
    stop(server);
    let server = start(&dir);
    assert!(
        !server.log_until("keeping tables in").contains("WARNING"),
        "{}",
        server.log_until("keeping tables in")
    );
    assert_eq!(scan_all(&server).keys().collect::<Vec<_>>(), ["before", "new"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_record_that_cannot_be_replayed_names_the_request() {
    let dir = temp_dir("replay");
    let server = start(&dir);
    create_table(&server);
    put(&server, "kept");
    drop(server);
    // A well-framed record whose request fails: the table it names does not exist.
    let journal = journal_path(&dir);
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(&frame(br#"[["PutItem",1,{"TableName":"Gone","Item":{"pk":{"S":"x"}}}]]"#));
    bytes.extend_from_slice(&frame(br#"[["PutItem",2,{"TableName":"Tab","Item":{"pk":{"S":"later"}}}]]"#));
    std::fs::write(&journal, &bytes).unwrap();

    let server = start(&dir);
    let log = server.log_until("keeping tables in");
    assert!(log.contains("WARNING: replaying PutItem (journal record 3"), "{log}");
    assert!(log.contains("ResourceNotFoundException"), "{log}");
    assert_eq!(scan_all(&server).keys().collect::<Vec<_>>(), ["kept"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_damaged_snapshot_stops_the_server_with_a_clear_message_and_changes_nothing() {
    let dir = temp_dir("snapshot");
    let server = start(&dir);
    create_table(&server);
    stop(server);
    let snapshot = dir.join("snapshot");
    let mut bytes = std::fs::read(&snapshot).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    std::fs::write(&snapshot, &bytes).unwrap();
    let before: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();

    let log = Server::start_logged(&["--data-dir", dir.to_str().unwrap()]).err().expect("it must not start");
    assert!(
        log.contains("snapshot") && log.contains("damaged") && log.contains("checksum mismatch"),
        "{log}"
    );
    let after: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(before, after);
    assert_eq!(std::fs::read(&snapshot).unwrap(), bytes);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_server_per_data_directory() {
    let dir = temp_dir("lock");
    let first = start(&dir);
    let log = Server::start_logged(&["--data-dir", dir.to_str().unwrap()])
        .err()
        .expect("a second server must not start");
    assert!(log.contains("in use by another dynaplay-server"), "{log}");
    assert!(log.contains(&format!("pid {}", first.child.id())), "{log}");
    // The first one is unaffected, and once it is gone (even killed) the directory opens.
    create_table(&first);
    drop(first);
    let server = start(&dir);
    assert!(
        server.log_until("keeping tables in").contains("loaded 1 tables"),
        "{}",
        server.log_until("keeping tables in")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn engine_time_does_not_run_backwards_across_a_restart() {
    let dir = temp_dir("time");
    let server = start(&dir);
    create_table(&server);
    // A day ahead of the wall clock, then a write at that time.
    let mut advance = Req::op("ListTables", "{\"Milliseconds\": 86400000}");
    advance.headers.retain(|(n, _)| n != "X-Amz-Target");
    let ahead = server.send(&advance.header("X-Amz-Target", "Dynaplay.PlaygroundAdvanceTime")).json()["Now"]
        .as_u64()
        .unwrap();
    put(&server, "tomorrow");
    drop(server);
    let server = start(&dir);
    let mut describe = Req::op("ListTables", "{}");
    describe.headers.retain(|(n, _)| n != "X-Amz-Target");
    let now = server.send(&describe.header("X-Amz-Target", "Dynaplay.PlaygroundDescribeTime")).json()["Now"]
        .as_u64()
        .unwrap();
    assert!(now >= ahead, "engine time went back from {ahead} to {now}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_data_dir_nothing_is_written() {
    let dir = temp_dir("memory");
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dynaplay-server"))
        .args(["--port", "0"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line)
        .unwrap();
    let addr = line.trim().strip_prefix("dynaplay-server listening on http://").unwrap().parse().unwrap();
    let server = Server { child, addr, log: None };
    create_table(&server);
    put(&server, "k");
    stop(server);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_writers_share_fsyncs_and_all_get_answers() {
    // Not a timing test: it checks that many writers in flight at once are all acknowledged
    // and all stored (the group commit path), whatever the batching turned out to be.
    let dir = temp_dir("group");
    let server = start(&dir);
    create_table(&server);
    let writers: Vec<_> = (0..16)
        .map(|w| {
            let addr = server.addr;
            std::thread::spawn(move || {
                let stream = std::net::TcpStream::connect(addr).unwrap();
                let mut conn = common::Connection { stream };
                for n in 0..50 {
                    let body = json!({"TableName": "Tab", "Item": {"pk": {"S": format!("w{w}-{n}")}}});
                    assert_eq!(conn.send(&Req::op("PutItem", &body.to_string())).status, 200);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    drop(server);
    let server = start(&dir);
    assert_eq!(scan_all(&server).len(), 16 * 50);
    std::fs::remove_dir_all(&dir).unwrap();
}
