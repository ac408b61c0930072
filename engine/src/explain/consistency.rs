//! A read's consistency, explained: which replica (or which propagated index) served an
//! eventually consistent read, and — when the playground's delays are on — whether its answer
//! was older than the latest, by how much, and why (`replication`). The figures are the ones
//! the read noted in its trace ([`super::trace::ReadStep::served`]).

use serde_json::{json, Map, Value};

use super::text::{count, grouped};
use super::trace::{ReadStep, Step, Trace};
use super::Explanation;
use crate::replication::{Served, LAGGING_REPLICA, REPLICAS};

fn ms(n: u64) -> String {
    format!("{} ms", grouped(u128::from(n)))
}

/// The rule behind one eventually consistent read, when there is something to say: a delay
/// was on, or the answer was stale. A GSI read names `index`; `global` says it is one.
pub(crate) fn read_consistency(table: &str, step: &ReadStep, global: bool) -> Option<Explanation> {
    let served = step.served?;
    if served.delay_ms == 0 && served.stale_items == 0 {
        return None;
    }
    let what = match &step.index {
        Some(index) => format!("index {index} of {table}"),
        None => table.to_owned(),
    };
    let mut steps = Vec::new();
    let summary = if global {
        let index = step.index.as_deref().unwrap_or("?");
        steps.push(format!(
            "A global secondary index is updated asynchronously, after its table: a write reaches {index} {} after the table acknowledged it (GsiPropagationDelayMilliseconds, a playground setting; in DynamoDB usually within a second).",
            ms(served.delay_ms)
        ));
        steps.push(
            "Every read of a global secondary index is eventually consistent: ConsistentRead: true is refused on one."
                .into(),
        );
        if served.stale() {
            steps.push(format!(
                "{} to what this read covered had not reached the index yet: the answer shows {} as before them — missing, an old version, or an item since deleted.",
                count(served.missed_writes, "write", "writes"),
                count(served.stale_items, "item", "items")
            ));
            steps.push(caught_up(&served, "the index"));
            steps.push("To see a write at once, read the table itself with ConsistentRead: true (GetItem, or a Query of the table's key).".into());
            format!("Stale: {what} had not received {} yet.", count(served.missed_writes, "write", "writes"))
        } else {
            steps.push(
                "Every write to what this read covered had reached the index: the answer is the latest."
                    .into(),
            );
            format!("Up to date: every write had reached {what}.")
        }
    } else {
        steps.push(format!(
            "DynamoDB keeps each partition on {REPLICAS} replicas. A write is acknowledged once two have it (the leader and one follower); the third receives it later — here replica {LAGGING_REPLICA}, {} after the acknowledgement (ReplicationDelayMilliseconds, a playground setting; in DynamoDB usually well under a second).",
            ms(served.delay_ms)
        ));
        steps.push(format!(
            "An eventually consistent read (the default: ConsistentRead absent or false) may be served by any replica. The playground takes them in turn, 1, 2, 3, 1, …: this one was served by replica {}.",
            served.replica
        ));
        if served.stale() {
            steps.push(format!(
                "Replica {} had not yet received {} to what this read covered: the answer shows {} as before them — an older version, an item since deleted, or no item where one was just written.",
                served.replica,
                count(served.missed_writes, "write", "writes"),
                count(served.stale_items, "item", "items")
            ));
            steps.push(caught_up(&served, &format!("replica {}", served.replica)));
        } else if served.replica == LAGGING_REPLICA {
            steps.push(format!(
                "Replica {LAGGING_REPLICA} lags, but already had every write to what this read covered: the answer is the latest."
            ));
        } else {
            steps.push(format!(
                "Replica {} takes every write before it is acknowledged: the answer is the latest.",
                served.replica
            ));
        }
        steps.push(
            "A strongly consistent read (ConsistentRead: true) is served by the leader and reflects every acknowledged write — for twice the read units of an eventually consistent one."
                .into(),
        );
        if served.stale() {
            format!(
                "Stale: replica {} of {what} had not received {} yet.",
                served.replica,
                count(served.missed_writes, "write", "writes")
            )
        } else {
            format!("Up to date: replica {} of {what} had every write.", served.replica)
        }
    };
    Some(Explanation { rule: "ReadConsistency", summary, steps })
}

fn caught_up(served: &Served, copy: &str) -> String {
    format!(
        "The oldest of them was acknowledged {} before this read; {copy} had them all {} after it — repeat the read a little later and it returns the latest.",
        ms(served.behind_ms),
        ms(served.caught_up_in_ms)
    )
}

/// `Stale`, and when it was: how many items and writes, how far behind, when caught up.
fn staleness(m: &mut Map<String, Value>, s: &Served) {
    m.insert("Stale".into(), Value::Bool(s.stale()));
    if s.stale() {
        let figures = [
            ("StaleItems", s.stale_items),
            ("MissedWrites", s.missed_writes),
            ("BehindMilliseconds", s.behind_ms),
            ("CaughtUpInMilliseconds", s.caught_up_in_ms),
        ];
        for (name, n) in figures {
            m.insert(name.into(), n.into());
        }
    }
}

/// `ReadConsistency` of `PlaygroundExplainRequest`: how the trace's reads were served, for a
/// UI to mark a stale answer; `None` when the request read nothing.
pub(crate) fn consistency_json(trace: &Trace, global: &dyn Fn(&str, &str) -> bool) -> Option<Value> {
    let reads: Vec<&ReadStep> = trace
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Read(r) => Some(r),
            _ => None,
        })
        .collect();
    let first = reads.first()?;
    let kind = |r: &ReadStep| match (r.transactional, r.consistent) {
        (true, _) => "TRANSACTIONAL",
        (false, true) => "STRONG",
        (false, false) => "EVENTUAL",
    };
    let consistency = if reads.iter().all(|r| kind(r) == kind(first)) { kind(first) } else { "MIXED" };
    let mut total = Served::default();
    let mut list = Vec::new();
    for r in &reads {
        let Some(s) = r.served else { continue };
        let table = trace.table(r.table);
        let mut m = Map::new();
        m.insert("TableName".into(), json!(table));
        if let Some(index) = &r.index {
            m.insert("IndexName".into(), json!(index));
        }
        if !r.index.as_deref().is_some_and(|i| global(table, i)) {
            m.insert("Replica".into(), json!(s.replica));
        }
        m.insert("DelayMilliseconds".into(), json!(s.delay_ms));
        staleness(&mut m, &s);
        total.stale_items += s.stale_items;
        total.missed_writes += s.missed_writes;
        total.behind_ms = total.behind_ms.max(s.behind_ms);
        total.caught_up_in_ms = total.caught_up_in_ms.max(s.caught_up_in_ms);
        list.push(Value::Object(m));
    }
    let mut body = Map::new();
    body.insert("Consistency".into(), json!(consistency));
    staleness(&mut body, &total);
    if !list.is_empty() {
        body.insert("Reads".into(), Value::Array(list));
    }
    Some(Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(served: Option<Served>, index: Option<&str>) -> ReadStep {
        ReadStep {
            table: 0,
            index: index.map(str::to_owned),
            bytes: 10,
            items: 1,
            page: false,
            consistent: served.is_none(),
            transactional: false,
            micro: 500_000,
            served,
        }
    }

    #[test]
    fn a_stale_read_names_its_replica_and_how_far_behind_it_was() {
        let served = Served {
            replica: 3,
            delay_ms: 2_000,
            stale_items: 1,
            missed_writes: 2,
            behind_ms: 1_500,
            caught_up_in_ms: 700,
        };
        let e = read_consistency("Orders", &step(Some(served), None), false).unwrap();
        assert_eq!(e.summary, "Stale: replica 3 of Orders had not received 2 writes yet.");
        assert!(e.steps.iter().any(|s| s.contains("acknowledged 1,500 ms before this read")));
        assert!(e.steps.iter().any(|s| s.contains("had them all 700 ms after it")));
        let fresh = Served { replica: 1, delay_ms: 2_000, ..Served::default() };
        let e = read_consistency("Orders", &step(Some(fresh), None), false).unwrap();
        assert_eq!(e.summary, "Up to date: replica 1 of Orders had every write.");
        // With the delays off there is nothing to say, and a strong read has no replica.
        let off = Served { replica: 3, ..Served::default() };
        assert!(read_consistency("Orders", &step(Some(off), None), false).is_none());
        assert!(read_consistency("Orders", &step(None, None), false).is_none());
    }

    #[test]
    fn a_gsi_read_is_explained_by_propagation() {
        let served = Served {
            replica: 0,
            delay_ms: 900,
            stale_items: 1,
            missed_writes: 1,
            behind_ms: 100,
            caught_up_in_ms: 800,
        };
        let e = read_consistency("Orders", &step(Some(served), Some("ByCustomer")), true).unwrap();
        assert_eq!(e.summary, "Stale: index ByCustomer of Orders had not received 1 write yet.");
        assert!(e.steps[0].contains("reaches ByCustomer 900 ms after"));
    }
}
