//! Global tables against a model (issue 17): random interleavings of writes and deletes in
//! three Regions, time advancing between them by less or more than the replication delay,
//! and Regions going offline and coming back. Whatever the interleaving, once every Region is
//! back and the writes have arrived, every Region holds the same items: for each key the
//! last write the engine made (last writer wins, by engine time then engine order). The
//! whole run also goes through the journal (`handle_logged_in`, `journal::restore`), which
//! must rebuild the same engine.

use dynaplay_engine::{journal, Engine};
use proptest::prelude::*;
use serde_json::{json, Value};

const T0: u64 = 1_767_225_600_000;
const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];
const KEYS: u8 = 4;

#[derive(Clone, Debug)]
enum Step {
    Put { region: usize, key: u8, value: u16 },
    Delete { region: usize, key: u8 },
    Advance(u64),
    Offline(usize),
    Online(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..3usize, 0..KEYS, any::<u16>()).prop_map(|(region, key, value)| Step::Put { region, key, value }),
        2 => (0..3usize, 0..KEYS).prop_map(|(region, key)| Step::Delete { region, key }),
        3 => prop_oneof![Just(0u64), 1..400u64, 400..2_500u64].prop_map(Step::Advance),
        1 => (0..3usize).prop_map(Step::Offline),
        1 => (0..3usize).prop_map(Step::Online),
    ]
}

/// A host that journals: every request through `handle_logged_in`, entries kept.
struct Host {
    engine: Engine,
    snapshot: String,
    entries: Vec<journal::Mutation>,
}

impl Host {
    fn send(&mut self, region: &str, op: &str, request: Value) -> Value {
        let (answer, entry) = self.engine.handle_logged_in(region, op, request.to_string().as_bytes());
        self.entries.extend(entry);
        let text = answer.unwrap_or_else(|e| panic!("{op} in {region}: {e}"));
        serde_json::from_slice(text.as_bytes()).expect("JSON")
    }
}

/// A table with replicas in the three Regions, the second added from the first replica.
fn host(delay_ms: u64) -> Host {
    let mut engine = Engine::new();
    engine.set_now(T0);
    let snapshot = engine.export_snapshot().to_string();
    let mut host = Host { engine, snapshot, entries: Vec::new() };
    host.send(
        REGIONS[0],
        "CreateTable",
        json!({"TableName": "Songs", "BillingMode": "PAY_PER_REQUEST",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
    );
    host.send(
        REGIONS[0],
        "PlaygroundUpdateSettings",
        json!({"GlobalTableReplicationDelayMilliseconds": delay_ms}),
    );
    for (from, to) in [(REGIONS[0], REGIONS[1]), (REGIONS[1], REGIONS[2])] {
        host.send(
            from,
            "UpdateTable",
            json!({"TableName": "Songs", "ReplicaUpdates": [{"Create": {"RegionName": to}}]}),
        );
        host.engine.advance(10_000);
    }
    host
}

fn items(engine: &mut Engine, region: &str) -> Vec<(String, String)> {
    let scan =
        engine.handle_json_in(region, "Scan", json!({"TableName": "Songs", "ConsistentRead": true})).unwrap();
    let mut items: Vec<(String, String)> = scan["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["pk"]["S"].as_str().unwrap().to_owned(), i["v"]["N"].as_str().unwrap().to_owned()))
        .collect();
    items.sort();
    items
}

fn run(steps: &[Step], delay_ms: u64) -> Result<(), TestCaseError> {
    let mut h = host(delay_ms);
    // The model: per key, the value of the last write the engine made (None: deleted).
    let mut model: [Option<u16>; KEYS as usize] = [None; KEYS as usize];
    for s in steps {
        match *s {
            Step::Put { region, key, value } => {
                h.send(
                    REGIONS[region],
                    "PutItem",
                    json!({"TableName": "Songs", "Item": {"pk": {"S": format!("k{key}")}, "v": {"N": value.to_string()}}}),
                );
                model[usize::from(key)] = Some(value);
            }
            Step::Delete { region, key } => {
                // A delete of an item the Region does not hold changes nothing, so nothing
                // replicates: the model follows what the Region saw.
                let had = h.send(
                    REGIONS[region],
                    "DeleteItem",
                    json!({"TableName": "Songs", "Key": {"pk": {"S": format!("k{key}")}}, "ReturnValues": "ALL_OLD"}),
                );
                if had.get("Attributes").is_some() {
                    model[usize::from(key)] = None;
                }
            }
            Step::Advance(ms) => h.engine.advance(ms),
            Step::Offline(r) | Step::Online(r) => {
                let available = matches!(s, Step::Online(_));
                h.send(
                    REGIONS[0],
                    "PlaygroundUpdateRegion",
                    json!({"RegionName": REGIONS[r], "Available": available}),
                );
            }
        }
    }
    for region in REGIONS {
        h.send(REGIONS[0], "PlaygroundUpdateRegion", json!({"RegionName": region, "Available": true}));
    }
    h.engine.advance(delay_ms + 1);
    let view = h.engine.handle_json("PlaygroundDescribeRegions", json!({})).unwrap();
    prop_assert_eq!(&view["GlobalTables"][0]["WritesInFlight"], &json!(0));
    let want: Vec<(String, String)> =
        (0..KEYS).filter_map(|k| Some((format!("k{k}"), model[usize::from(k)]?.to_string()))).collect();
    for region in REGIONS {
        prop_assert_eq!(items(&mut h.engine, region), want.clone(), "{} after {:?}", region, steps);
    }
    // The journal rebuilds the same engine.
    let record = journal::encode_record(&h.entries).expect("entries");
    let restored = journal::restore(Some(h.snapshot.as_bytes()), &[record], Default::default());
    prop_assert!(restored.failure.is_none(), "{:?}", restored.failure);
    let mut rebuilt = restored.engine;
    rebuilt.set_now(h.engine.now());
    prop_assert_eq!(rebuilt.export_snapshot(), h.engine.export_snapshot());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_region_converges_on_the_last_writer(steps in prop::collection::vec(step(), 1..40)) {
        run(&steps, 1_000)?;
    }

    #[test]
    fn with_no_delay_too(steps in prop::collection::vec(step(), 1..30)) {
        run(&steps, 0)?;
    }
}

/// Two writes to one item in two Regions, each before the other's arrives: the later wins
/// in both, whichever Region wrote first.
#[test]
fn a_conflict_goes_to_the_later_write_in_every_order() {
    for (first, second) in [(0, 1), (1, 0), (2, 0), (1, 2)] {
        for gap in [0, 1, 999] {
            let steps = [
                Step::Put { region: first, key: 0, value: 1 },
                Step::Advance(gap),
                Step::Put { region: second, key: 0, value: 2 },
            ];
            run(&steps, 1_000).unwrap_or_else(|e| panic!("{first} then {second}, {gap} ms apart: {e}"));
        }
    }
}
