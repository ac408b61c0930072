//! Requests per second through `Engine::handle_text` (raw JSON bytes in, JSON text out — the
//! same path every front uses), for PutItem, GetItem and a Query returning 10 items; with
//! throttling on and off, with the read-consistency delays on, through a DAX cluster (hits,
//! misses), and with IAM identities (sent as none of them, and as one with a policy).
//!
//! Run: `cargo bench -p dynaplay-engine --bench entry_point` (`BENCH_GLOBAL=1`: on a global
//! table). Figures are wall-clock on a noisy machine: compare them as ratios taken in the same
//! run.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dynaplay_engine::Engine;

/// Runs `f` repeatedly for about `budget`; returns operations per second (wall clock) and
/// the thread's CPU µs per operation, which a loaded machine does not inflate the way it does
/// wall-clock time (`None` where /proc/thread-self/schedstat is missing).
fn measure(budget: Duration, mut f: impl FnMut(u64)) -> (f64, Option<f64>) {
    // Warm up caches and the allocator.
    for i in 0..1_000 {
        f(i);
    }
    let cpu0 = cpu_nanos();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..256 {
            f(n);
            n += 1;
        }
    }
    let ops = n as f64 / start.elapsed().as_secs_f64();
    let cpu = cpu0.zip(cpu_nanos()).map(|(a, b)| (b - a) as f64 / 1e3 / n as f64);
    (ops, cpu)
}

/// Nanoseconds this thread has run on a CPU (Linux).
fn cpu_nanos() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MILLIS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_500),
    );
    let mut engine = Engine::new();
    engine
        .handle(
            "CreateTable",
            br#"{"TableName":"bench","BillingMode":"PAY_PER_REQUEST",
                "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}]}"#,
        )
        .expect("create table");
    // Engine time moves 1 ms per request throughout (1,000 requests per engine second), so the
    // on-demand table is measured serving traffic it would really sustain, never throttling.
    // 10,000 partitions of 10 items each: Query reads one partition.
    for p in 0..10_000 {
        for s in 0..10 {
            engine.advance(1);
            let body = format!(
                r#"{{"TableName":"bench","Item":{{"pk":{{"S":"user#{p}"}},"sk":{{"N":"{s}"}},"name":{{"S":"someone"}},"score":{{"N":"{}"}}}}}}"#,
                p * 10 + s
            );
            engine.handle("PutItem", body.as_bytes()).expect("preload");
        }
    }

    // BENCH_GLOBAL=1: the table is a global table (a replica in us-west-2), so every write
    // also replicates there a second later — the cost of replication next to the same run
    // without it.
    // BENCH_STREAM=1: a regional table with the NEW_AND_OLD_IMAGES stream a global table has
    // (the fair baseline for BENCH_GLOBAL).
    if std::env::var("BENCH_STREAM").is_ok_and(|v| v == "1") {
        let stream = br#"{"TableName":"bench","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}"#;
        engine.handle("UpdateTable", stream).expect("stream");
        engine.advance(1_000);
        println!("a regional table with a NEW_AND_OLD_IMAGES stream");
    }
    if std::env::var("BENCH_GLOBAL").is_ok_and(|v| v == "1") {
        let replica = br#"{"TableName":"bench","ReplicaUpdates":[{"Create":{"RegionName":"us-west-2"}}]}"#;
        engine.handle("UpdateTable", replica).expect("replica");
        engine.advance(10_000);
        println!("a global table: every write replicates to us-west-2 one second later");
    }
    let puts: Vec<String> = (0..4096)
        .map(|i| {
            format!(
                r#"{{"TableName":"bench","Item":{{"pk":{{"S":"put#{i}"}},"sk":{{"N":"0"}},"name":{{"S":"someone"}},"score":{{"N":"{i}"}}}}}}"#
            )
        })
        .collect();
    let gets: Vec<String> = (0..4096)
        .map(|i| {
            format!(
                r#"{{"TableName":"bench","Key":{{"pk":{{"S":"user#{}"}},"sk":{{"N":"{}"}}}}}}"#,
                i % 10_000,
                i % 10
            )
        })
        .collect();
    let queries: Vec<String> = (0..4096)
        .map(|i| {
            format!(
                r#"{{"TableName":"bench","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{{":p":{{"S":"user#{}"}}}}}}"#,
                i % 10_000
            )
        })
        .collect();
    let check = engine.handle("Query", queries[0].as_bytes()).expect("query");
    assert_eq!(check["Count"], 10, "the benchmark Query must return 10 items");

    // BENCH_ONLY=GetItem (or PutItem, Query) measures one operation, e.g. under a profiler.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only == name;
    let budget_for = |name: &str| if wanted(name) { budget } else { Duration::ZERO };
    // Each operation twice in a row: with the capacity simulation as it starts (charging every
    // request, throttling what the table could not serve) and with throttling off
    // (PlaygroundUpdateSettings; every request is still charged and recorded, none refused).
    // Then once more with throttling off and the read-consistency delays on (1 s each: about
    // 1,000 writes wait for replica 3 at any time, and every third read lands there).
    let mut rows = Vec::new();
    for (name, requests) in [("PutItem", &puts), ("GetItem", &gets), ("Query", &queries)] {
        for (throttling, lag) in [(true, 0), (false, 0), (false, 1_000)] {
            let settings = format!(
                r#"{{"ThrottlingEnabled":{throttling},"ReplicationDelayMilliseconds":{lag},"GsiPropagationDelayMilliseconds":{lag}}}"#
            );
            engine.handle("PlaygroundUpdateSettings", settings.as_bytes()).expect("settings");
            if lag > 0 {
                // Writes in flight, as a busy table with the delay on has them.
                for i in 0..1_000 {
                    engine.advance(1);
                    black_box(engine.handle_text("PutItem", puts[i % 4096].as_bytes()).expect("put"));
                }
            }
            let ops = measure(budget_for(name), |i| {
                engine.advance(1);
                black_box(engine.handle_text(name, requests[(i % 4096) as usize].as_bytes()).expect(name));
            });
            let setting = match (throttling, lag) {
                (true, _) => "on",
                (false, 0) => "off",
                _ => "off, lag 1s",
            };
            rows.push((name, setting, ops));
        }
    }
    let off = br#"{"ReplicationDelayMilliseconds":0,"GsiPropagationDelayMilliseconds":0}"#;
    engine.handle("PlaygroundUpdateSettings", off).expect("settings");
    // The same GetItem through `handle` + `to_string` (a `Value` tree in between): the ratio
    // to the GetItem rows is what writing the item directly saves.
    let get_value = measure(budget_for("GetItem"), |i| {
        engine.advance(1);
        black_box(engine.handle("GetItem", gets[(i % 4096) as usize].as_bytes()).expect("get").to_string());
    });
    rows.push(("GetItem via Value", "off", get_value));
    // A build without DAX (`--no-default-features`, as the page's first load) has no rows for it.
    if cfg!(feature = "dax") {
        // Through a DAX cluster (PlaygroundDaxRequest): GetItem and Query answered by its caches
        // (the 4,096 requests are cached during the warm-up), and GetItem missing every time (a
        // parameter group whose record TTL, 1 ms, runs out before the next request).
        let role = "arn:aws:iam::000000000000:role/DAX";
        let miss_group = br#"{"ParameterGroupName":"miss","ParameterNameValues":[{"ParameterName":"record-ttl-millis","ParameterValue":"1"}]}"#;
        engine.handle("CreateParameterGroup", br#"{"ParameterGroupName":"miss"}"#).expect("group");
        engine.handle("UpdateParameterGroup", miss_group).expect("group");
        for (cluster, group) in [("hits", "default.dax1.0"), ("misses", "miss")] {
            let create = format!(
                r#"{{"ClusterName":"{cluster}","NodeType":"dax.r5.large","ReplicationFactor":1,"IamRoleArn":"{role}","ParameterGroupName":"{group}"}}"#
            );
            engine.handle("CreateCluster", create.as_bytes()).expect("cluster");
        }
        let through = |cluster: &str, op: &str, requests: &[String]| -> Vec<String> {
            let wrap =
                |r: &String| format!(r#"{{"ClusterName":"{cluster}","Operation":"{op}","Request":{r}}}"#);
            requests.iter().map(wrap).collect()
        };
        for (label, cluster, op, requests) in [
            ("GetItem via DAX hit", "hits", "GetItem", &gets),
            ("GetItem via DAX miss", "misses", "GetItem", &gets),
            ("Query via DAX hit", "hits", "Query", &queries),
        ] {
            let wrapped = through(cluster, op, requests);
            let ops = measure(budget_for(op), |i| {
                engine.advance(1);
                black_box(
                    engine
                        .handle_text("PlaygroundDaxRequest", wrapped[(i % 4096) as usize].as_bytes())
                        .expect(op),
                );
            });
            rows.push((label, "off", ops));
        }
    }
    // A build without IAM has no rows for it. Access control costs nothing while requests are
    // sent as no identity (the account's root user: every request before a learner picks one,
    // even once identities exist); sent as an identity, each request is evaluated against its
    // policy, here one statement with a `dynamodb:LeadingKeys` condition, as the lab's.
    if cfg!(feature = "iam") {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:*:*:table/bench","Condition":{"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["user#*","put#*"]}}}]}"#;
        let identity = serde_json::json!({"IdentityName": "reader",
            "AccessKeys": [{"AccessKeyId": "AKIAREADER0000000000", "SecretAccessKey": "secret"}],
            "Policies": [{"PolicyName": "own-keys", "PolicyDocument": policy}]});
        engine.handle("PlaygroundPutIdentity", identity.to_string().as_bytes()).expect("identity");
        for (label, act_as) in [("off, IAM root", None), ("off, as identity", Some("AKIAREADER0000000000"))] {
            let key = act_as.map_or(serde_json::json!({}), |k| serde_json::json!({"AccessKeyId": k}));
            engine.handle("PlaygroundUseAccessKey", key.to_string().as_bytes()).expect("act as");
            for (name, requests) in [("PutItem", &puts), ("GetItem", &gets), ("Query", &queries)] {
                let ops = measure(budget_for(name), |i| {
                    engine.advance(1);
                    black_box(
                        engine.handle_text(name, requests[(i % 4096) as usize].as_bytes()).expect(name),
                    );
                });
                rows.push((name, label, ops));
            }
        }
        engine.handle("PlaygroundUseAccessKey", b"{}").expect("root");
    }
    println!("engine entry point (Engine::handle_text, bytes in → JSON text out), one thread:");
    println!(
        "  {:<18} {:>16} {:>12}         {:>8}         {:>8}",
        "operation", "throttle", "ops/s", "µs/op", "CPU µs/op"
    );
    for (name, throttling, (ops, cpu)) in rows {
        if !wanted(name.split(' ').next().unwrap_or(name)) {
            continue;
        }
        let cpu = cpu.map_or("-".into(), |c| format!("{c:.2}"));
        println!(
            "  {name:<18} {throttling:>16} {ops:>12.0} ops/s   {:>8.2} µs/op   {cpu:>8} CPU µs/op",
            1e6 / ops
        );
    }
}
