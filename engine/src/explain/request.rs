//! One request's "why?": its read units, write units and each admission verdict, one
//! function per rule, each from the figures its trace recorded (see [`super::trace`]).

use serde_json::{json, Map, Value};

use super::consistency::{consistency_json, read_consistency};
use super::text::{bytes, clock, count, grouped, units};
use super::trace::{AdmitStep, ReadStep, Refusal, Step, Trace, Verdict, WriteKind, WriteStep};
use super::Explanation;
use crate::capacity::bucket::{BURST_SECONDS, CEILING_BURST_SECONDS, MICRO};
use crate::capacity::resource::{Access, MAX_ON_DEMAND_BURST_SECONDS};
use crate::partition::{PARTITION_MAX_RCU, PARTITION_MAX_WCU};
use crate::table::{IndexKind, Table};

const READ_UNIT_BYTES: u64 = 4096;
const WRITE_UNIT_BYTES: u64 = 1024;

/// Where an explanation looks up what the trace names only (whether an index is global).
pub(crate) type Tables<'a> = &'a dyn Fn(&str) -> Option<&'a Table>;

/// The rule for read units: the item's (or the page's summed) size in 4 KB units, rounded up
/// once, × ½ eventually consistent, × 2 transactional.
pub(crate) fn read_units(op: &str, table: &str, step: &ReadStep, global: Option<bool>) -> Explanation {
    let chunks = step.bytes.div_ceil(READ_UNIT_BYTES).max(1);
    let mut steps = Vec::new();
    if step.page {
        steps.push(format!(
            "{op} read {} totalling {} (ScannedCount). Sizes are summed as read — before any FilterExpression or ProjectionExpression is applied, so neither reduces the cost.",
            count(step.items, "item", "items"),
            bytes(step.bytes)
        ));
        steps.push(format!(
            "The page's total is rounded up once, in 4 KB (4,096 B) read units: ⌈{} / 4,096⌉ = {}{}.",
            grouped(u128::from(step.bytes)),
            count(chunks, "read unit", "read units"),
            if step.bytes == 0 {
                " (a read costs at least one unit, even one that found nothing)"
            } else {
                ""
            }
        ));
        if step.bytes >= 1024 * 1024 {
            steps.push(
                "A page stops once 1 MB has been read; LastEvaluatedKey lets the next request go on.".into(),
            );
        }
    } else {
        if step.items == 0 {
            steps.push(
                "No item has this key: the read still costs the minimum, as if an item of 0 B was read."
                    .into(),
            );
        } else {
            steps.push(format!(
                "The item is {}: its attribute names and values as DynamoDB counts them.",
                bytes(step.bytes)
            ));
        }
        steps.push(format!(
            "Reads are counted in 4 KB (4,096 B) units, rounded up: ⌈{} / 4,096⌉ = {}.",
            grouped(u128::from(step.bytes)),
            count(chunks, "read unit", "read units")
        ));
        if op == "BatchGetItem" {
            steps.push(
                "BatchGetItem rounds each item up on its own, then adds them: never the sum of sizes.".into(),
            );
        }
    }
    let rcu = units(step.micro);
    steps.push(if step.transactional {
        format!("A transactional read costs twice a strongly consistent one: {chunks} × 2 = {rcu} RCU.")
    } else if step.consistent {
        format!("Strongly consistent (ConsistentRead: true): {chunks} × 1 = {rcu} RCU.")
    } else {
        format!("Eventually consistent (the default): half a unit each, {chunks} × 0.5 = {rcu} RCU.")
    });
    let on = match (&step.index, global) {
        (Some(index), Some(true)) => {
            steps.push(format!(
                "Read from the global secondary index {index}: charged to the index's own read capacity, not the table's."
            ));
            format!("index {index}")
        }
        (Some(index), _) => {
            steps.push(format!(
                "Read from the local secondary index {index}: charged to the table's read capacity."
            ));
            format!("index {index}")
        }
        (None, _) => table.to_owned(),
    };
    let what = if step.page {
        format!("{} B read from {on} in one page", grouped(u128::from(step.bytes)))
    } else if step.items == 0 {
        format!("no item found on {on}")
    } else {
        format!("an item of {} B on {on}", grouped(u128::from(step.bytes)))
    };
    let how = if step.transactional {
        "transactional"
    } else if step.consistent {
        "strongly consistent"
    } else {
        "eventually consistent"
    };
    Explanation { rule: "ReadUnits", summary: format!("{rcu} RCU: {what}, {how}."), steps }
}

/// The rule for write units: the item's size in 1 KB units, rounded up — the larger of the old
/// and new item for a put or update, the old item for a delete, at least one unit — × 2 on the
/// base table when transactional; each index its own units; each vector index its bytes
/// (`vector_indexes`: whether the table has any).
pub(crate) fn write_units(op: &str, table: &str, step: &WriteStep, vector_indexes: bool) -> Explanation {
    let mut steps = Vec::new();
    let charged = match (step.kind, step.old, step.new) {
        (WriteKind::Store, Some(old), Some(new)) => {
            steps.push(format!(
                "{op} replaced an item of {} with one of {}: a write is charged on the larger of the two.",
                bytes(old),
                bytes(new)
            ));
            old.max(new)
        }
        (WriteKind::Store, _, new) => {
            let new = new.unwrap_or(0);
            steps.push(format!("{op} wrote a new item of {}.", bytes(new)));
            new
        }
        (WriteKind::Remove, old, _) => {
            let old = old.unwrap_or(0);
            steps.push(format!(
                "{op} deleted an item of {}: a delete is charged on the item's size.",
                bytes(old)
            ));
            old
        }
        (WriteKind::Nothing, old, _) => {
            steps.push(match old {
                Some(old) => format!(
                    "Nothing changed, but the write was still performed against the item of {}: charged on its size.",
                    bytes(old)
                ),
                None => "No item has this key and nothing was written: a write still costs at least one unit.".into(),
            });
            old.unwrap_or(0)
        }
        (WriteKind::ConditionFailed, old, _) => {
            steps.push(format!(
                "The condition was false, so nothing was written — yet a failed conditional write consumes write capacity for the existing item ({}), at least one unit. Its error carries no ConsumedCapacity.",
                old.map_or_else(|| "none".to_owned(), bytes)
            ));
            old.unwrap_or(0)
        }
    };
    for (name, dimensions, stored) in &step.billed_vectors {
        steps.push(format!(
            "Its vector attribute {name} counts {} B ({} for the name + 4 × {dimensions} dimensions), not the {} B of its numbers: a write bills an indexed vector so; a read and the 400 KB limit count the numbers.",
            name.len() + 4 * dimensions,
            name.len(),
            name.len() + stored
        ));
    }
    let chunks = charged.div_ceil(WRITE_UNIT_BYTES).max(1);
    steps.push(format!(
        "Writes are counted in 1 KB (1,024 B) units, rounded up: ⌈{} / 1,024⌉ = {} WCU.",
        grouped(u128::from(charged)),
        chunks
    ));
    if step.transactional {
        steps.push(format!(
            "A transactional write costs twice a standard one on the base table: {chunks} × 2 = {} WCU.",
            units(step.micro)
        ));
    }
    let mut index_total = 0;
    for (name, micro, global) in &step.indexes {
        index_total += micro;
        steps.push(if *global {
            format!(
                "Global secondary index {name}: {} WCU on the index's own write capacity — its projected entry was written (an entry whose index key changed costs a delete plus a put; an unchanged projection costs nothing; transactions do not double it).",
                units(*micro)
            )
        } else {
            format!(
                "Local secondary index {name}: {} WCU, charged with the item on the table's partition.",
                units(*micro)
            )
        });
    }
    let mut vector_bytes = 0.0;
    if !step.vectors.is_empty() {
        steps.push(
            "Vector indexes are metered in bytes, not WCU: VectorWriteRequestBytes, the item size of each index entry the write changed (the key, the projected attributes, the vector at its name + 4 B a dimension; a removed entry counts the key), at least 1,024 B per index, reported under ReturnConsumedCapacity INDEXES.".into(),
        );
    }
    for (name, written) in &step.vectors {
        vector_bytes += written;
        let floor = if *written == 1024.0 { " (the minimum)" } else { "" };
        steps.push(format!(
            "Vector index {name}: {} VectorWriteRequestBytes{floor}.",
            grouped(u128::from(*written as u64))
        ));
    }
    if vector_indexes && step.vectors.is_empty() && step.kind != WriteKind::ConditionFailed {
        steps.push(
            "No vector index entry changed, so no VectorWriteRequestBytes: an index is charged only when a write changes what it holds.".into(),
        );
    }
    let mut summary = format!("{} WCU on {table}", units(step.micro));
    if index_total > 0 {
        summary.push_str(&format!(" + {} WCU on its indexes", units(index_total)));
    }
    if vector_bytes > 0.0 {
        summary.push_str(&format!(
            " + {} B of VectorWriteRequestBytes on its vector indexes",
            grouped(u128::from(vector_bytes as u64))
        ));
    }
    summary.push_str(&match step.kind {
        WriteKind::ConditionFailed => ": a failed condition still consumes write units.".to_owned(),
        _ => format!(
            ": ⌈{} / 1,024⌉{}.",
            grouped(u128::from(charged)),
            if step.transactional { " × 2" } else { "" }
        ),
    });
    Explanation { rule: "WriteUnits", summary, steps }
}

/// The rule that admitted or refused one charge: the per-partition ceiling; provisioned
/// capacity shared over the partitions with 300 s of burst banked per partition, and adaptive
/// capacity lending the table's unused capacity; on demand, the partitions the table's
/// throughput needs and the account's per-table quota; GSI back-pressure.
pub(crate) fn admission(table: &str, step: &AdmitStep, at_ms: u64) -> Explanation {
    let read = step.access == Access::Read;
    let unit = if read { "RCU" } else { "WCU" };
    let (what, ceiling) = if read { ("read", PARTITION_MAX_RCU) } else { ("write", PARTITION_MAX_WCU) };
    let resource = match &step.index {
        Some(index) => format!("index {index} of {table}"),
        None => table.to_owned(),
    };
    let partition = format!(
        "partition {} of {} of {resource} (id {})",
        step.position + 1,
        step.partitions,
        step.partition_id
    );
    let charge = format!("{} {unit}", units(step.micro));
    let per_second = |rate_milli: i64| units(rate_milli.saturating_mul(1000));
    let mut steps = vec![format!(
        "The {what} of {charge} landed on {partition}, the one holding its partition key's hash."
    )];
    let summary = match &step.verdict {
        Verdict::Bucket { level_before, capacity, rate_milli, pool_before: _ } => {
            steps.push(format!(
                "Provisioned capacity is shared evenly over the partitions: this one refills at {} {unit}/s and banks up to {BURST_SECONDS} s of it ({} {unit}) as burst capacity.",
                per_second(*rate_milli),
                units(*capacity)
            ));
            steps.push(format!(
                "Its {what} bucket held {} {unit}, above zero, so the request was served from it (and from the table's pool).",
                units(*level_before)
            ));
            format!("Served: {partition}'s {what} bucket held {} {unit}.", units(*level_before))
        }
        Verdict::Pool { level, rate_milli, pool_before, pool_rate_milli } => {
            steps.push(format!(
                "This partition's {what} bucket was empty ({} {unit}; it refills at {} {unit}/s).",
                units(*level),
                per_second(*rate_milli)
            ));
            steps.push(format!(
                "Adaptive capacity: the table's other partitions had left capacity unused — its pool held {} {unit} (refilling at the table's {} {unit}/s) — so the hot partition borrowed it at once, still within its {} {unit}/s ceiling.",
                units(*pool_before),
                per_second(*pool_rate_milli),
                grouped(ceiling as u128)
            ));
            format!("Served by adaptive capacity: {partition}'s bucket was empty, the table's unused capacity covered it.")
        }
        Verdict::OnDemand { ceiling_before, capacity } => {
            steps.push(
                "On demand the partitions are the limit: a table has as many as the throughput it absorbs now needs (a new table four, for 12,000 RCU or 4,000 WCU a second; more as its peaks grow).".into(),
            );
            steps.push(format!(
                "This partition's {what} ceiling bucket held {} of at most {} {unit} ({} {unit} a second, {CEILING_BURST_SECONDS} s banked), above zero, so the request was served.",
                units(*ceiling_before),
                units(*capacity),
                grouped(ceiling as u128)
            ));
            format!(
                "Served on demand: the partition's {what} ceiling held {} of {} {unit}.",
                units(*ceiling_before),
                units(*capacity)
            )
        }
        Verdict::Unthrottled => {
            steps.push(
                "Throttling is switched off in the playground settings: the charge is counted, never refused.".into(),
            );
            "Served: throttling is switched off, the charge was only counted.".into()
        }
        Verdict::Refused(Refusal::PartitionCeiling { level, capacity, rate_milli }) => {
            steps.push(format!(
                "A partition serves at most {} {unit} a second, whatever the table's capacity: its ceiling bucket refills at that rate and banks at most {CEILING_BURST_SECONDS} s of it ({} {unit}), so a short spike goes through but traffic held above the ceiling empties it. Neither burst nor adaptive capacity refills it faster.",
                grouped(ceiling as u128),
                units(*capacity)
            ));
            steps
                .push(format!("This partition's {what} ceiling bucket was empty: {} {unit}.", units(*level)));
            if *rate_milli > 0 {
                let ms = (level.saturating_neg().max(0) / rate_milli).saturating_add(1).max(0) as u64;
                steps.push(format!(
                    "At {} {unit}/s it is above zero again after {} ms, at {} engine time.",
                    per_second(*rate_milli),
                    grouped(u128::from(ms)),
                    clock(at_ms.saturating_add(ms))
                ));
            }
            steps.push(
                "One partition key taking this much traffic is a hot key: spread it (write sharding with a suffix), or let adaptive capacity isolate a single hot item on its own partition, which still cannot pass the ceiling.".into(),
            );
            format!("Throttled: {partition} was at its {} {unit}/s ceiling.", grouped(ceiling as u128))
        }
        Verdict::Refused(Refusal::Buckets { level, pool, rate_milli, capacity }) => {
            steps.push(format!(
                "Provisioned capacity is shared evenly over the partitions: this one refills at {} {unit}/s and banks up to {BURST_SECONDS} s of it ({} {unit}) as burst capacity.",
                per_second(*rate_milli),
                units(*capacity)
            ));
            steps.push(format!(
                "Its {what} bucket was empty: {} {unit}. The burst it had banked was spent.",
                units(*level)
            ));
            steps.push(format!(
                "Adaptive capacity could not help: the table's pool of unused capacity was empty too ({} {unit}).",
                units(*pool)
            ));
            if *rate_milli > 0 {
                let ms = (level.saturating_neg().max(0) / rate_milli).saturating_add(1).max(0) as u64;
                steps.push(format!(
                    "At {} {unit}/s the bucket is above zero again after {} ms, at {} engine time.",
                    per_second(*rate_milli),
                    grouped(u128::from(ms)),
                    clock(at_ms.saturating_add(ms))
                ));
            }
            format!("Throttled: {partition}'s {what} bucket was empty and the table had no unused capacity to lend.")
        }
        Verdict::Refused(Refusal::Quota { level, rate_milli }) => {
            steps.push(format!(
                "On demand: the account's per-table quota of {} {unit}/s was spent ({} {unit} left, {CEILING_BURST_SECONDS} s banked at most).",
                per_second(*rate_milli),
                units(*level)
            ));
            format!(
                "Throttled: {resource} reached the account's per-table quota of {} {unit}/s.",
                per_second(*rate_milli)
            )
        }
        Verdict::Refused(Refusal::MaxOnDemand { level, rate_milli }) => {
            steps.push(format!(
                "On demand: its OnDemandThroughput allows at most {} {unit}/s ({} {unit} left, {MAX_ON_DEMAND_BURST_SECONDS} s banked at most).",
                per_second(*rate_milli),
                units(*level)
            ));
            format!(
                "Throttled: {resource} reached the maximum its OnDemandThroughput sets, {} {unit}/s.",
                per_second(*rate_milli)
            )
        }
    };
    if matches!(step.verdict, Verdict::Refused(_)) && step.index.is_some() && !read {
        steps.push(format!(
            "GSI back-pressure: the write to {table} was refused because this index could not take its entry — a table's writes are throttled when any of its global secondary indexes lacks write capacity."
        ));
    }
    Explanation { rule: "Admission", summary, steps }
}

/// Every explanation of a trace, in the order the engine did things.
pub(crate) fn explain_steps(trace: &Trace, tables: Tables<'_>) -> Vec<Explanation> {
    let mut list = Vec::with_capacity(trace.steps.len());
    for step in &trace.steps {
        match step {
            Step::Read(r) => {
                let table = trace.table(r.table);
                let global = r.index.as_ref().and_then(|name| {
                    tables(table).and_then(|t| t.index(name)).map(|i| i.kind == IndexKind::Global)
                });
                list.push(read_units(trace.operation, table, r, global));
                list.extend(read_consistency(table, r, global == Some(true)));
            }
            Step::Write(w) => {
                let table = trace.table(w.table);
                let vector_indexes = tables(table).is_some_and(|t| !t.vectors.is_empty());
                list.push(write_units(trace.operation, table, w, vector_indexes));
            }
            Step::Admit(a) => list.push(admission(trace.table(a.table), a, trace.at_ms)),
        }
    }
    list
}

/// Whether `index` of `table` is a global secondary index.
fn is_global(tables: Tables<'_>, table: &str, index: &str) -> bool {
    tables(table).and_then(|t| t.index(index)).is_some_and(|i| i.kind == IndexKind::Global)
}

/// The answer of `PlaygroundExplainRequest` for one trace.
pub(crate) fn explain_trace(trace: &Trace, tables: Tables<'_>) -> Value {
    let list = explain_steps(trace, tables);
    let (mut read, mut write, mut vector_bytes) = (0i64, 0i64, 0.0);
    for step in &trace.steps {
        match step {
            Step::Read(r) => read += r.micro,
            Step::Write(w) => {
                write += w.micro + w.indexes.iter().map(|(_, m, _)| m).sum::<i64>();
                vector_bytes += w.vectors.iter().map(|(_, b)| b).sum::<f64>();
            }
            Step::Admit(_) => {}
        }
    }
    let refused = trace.steps.iter().find_map(|s| match s {
        Step::Admit(a) if matches!(a.verdict, Verdict::Refused(_)) => {
            Some(admission(trace.table(a.table), a, trace.at_ms))
        }
        _ => None,
    });
    let mut consumed = Vec::new();
    if read > 0 {
        consumed.push(format!("{} RCU", units(read)));
    }
    if write > 0 {
        consumed.push(format!("{} WCU", units(write)));
    }
    if vector_bytes > 0.0 {
        consumed.push(format!("{} B of VectorWriteRequestBytes", grouped(u128::from(vector_bytes as u64))));
    }
    let tables_named = trace.tables().join(", ");
    let summary = match (&refused, trace.error) {
        (Some(refusal), _) => refusal.summary.clone(),
        (None, Some(error)) => format!("{} on {tables_named} failed with {error}.", trace.operation),
        // Metered in bytes apart from RCU (`vector/search.rs`); "no capacity" would mislead.
        (None, None) if trace.operation == "SearchVectors" => {
            "SearchVectors consumed no read capacity units: a vector search is metered in VectorSearchRequestBytes (its ConsumedCapacity), at least 1 KB — here a model, as AWS publishes no formula: the vector bytes an approximate search of the partition would examine (TopK plus 16 vectors for each doubling of its size, 4 bytes a dimension) plus the items returned.".to_owned()
        }
        (None, None) if consumed.is_empty() => format!("{} consumed no capacity.", trace.operation),
        (None, None) => format!("{} on {tables_named} consumed {}.", trace.operation, consumed.join(" and ")),
    };
    let mut body = Map::new();
    body.insert("RequestId".into(), json!(trace.id()));
    body.insert("Operation".into(), json!(trace.operation));
    body.insert("EngineTime".into(), json!(trace.at_ms));
    if let Some(error) = trace.error {
        body.insert("Error".into(), json!(error));
    }
    body.insert("Summary".into(), json!(summary));
    body.insert("ReadCapacityUnits".into(), json!(read as f64 / MICRO as f64));
    body.insert("WriteCapacityUnits".into(), json!(write as f64 / MICRO as f64));
    if vector_bytes > 0.0 {
        body.insert("VectorWriteRequestBytes".into(), json!(vector_bytes));
    }
    if let Some(consistency) = consistency_json(trace, &|table, index| is_global(tables, table, index)) {
        body.insert("ReadConsistency".into(), consistency);
    }
    body.insert("Explanations".into(), super::list_json(&list));
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admit(verdict: Verdict, index: Option<&str>, access: Access) -> AdmitStep {
        AdmitStep {
            table: 0,
            index: index.map(str::to_owned),
            access,
            micro: 2 * MICRO,
            partition_id: 7,
            position: 2,
            partitions: 3,
            verdict,
        }
    }

    #[test]
    fn adaptive_capacity_names_the_pool_it_borrowed_from() {
        let v = Verdict::Pool {
            level: -MICRO / 2,
            rate_milli: 1_666,
            pool_before: 120 * MICRO,
            pool_rate_milli: 5_000,
        };
        let e = admission("Orders", &admit(v, None, Access::Write), 0);
        assert_eq!(
            e.summary,
            "Served by adaptive capacity: partition 3 of 3 of Orders (id 7)'s bucket was empty, the table's unused capacity covered it."
        );
        assert!(
            e.steps[1].starts_with(
                "This partition's write bucket was empty (-0.5 WCU; it refills at 1.666 WCU/s)."
            ),
            "{:?}",
            e.steps
        );
        assert!(
            e.steps[2].contains("its pool held 120 WCU (refilling at the table's 5 WCU/s)"),
            "{:?}",
            e.steps
        );
    }

    #[test]
    fn a_refused_gsi_write_is_back_pressure() {
        let v = Verdict::Refused(Refusal::Buckets {
            level: 0,
            pool: -MICRO,
            rate_milli: 1_000,
            capacity: 300 * MICRO,
        });
        let e = admission("Orders", &admit(v.clone(), Some("ByStatus"), Access::Write), 0);
        assert!(
            e.summary.starts_with("Throttled: partition 3 of 3 of index ByStatus of Orders"),
            "{}",
            e.summary
        );
        assert!(e.steps.last().unwrap().starts_with("GSI back-pressure: the write to Orders was refused"));
        // A read refused on a GSI is not back-pressure.
        let e = admission("Orders", &admit(v, Some("ByStatus"), Access::Read), 0);
        assert!(!e.steps.iter().any(|s| s.contains("back-pressure")));
    }

    #[test]
    fn on_demand_refusals_name_the_partition_ceiling_or_the_quota() {
        let v = Verdict::Refused(Refusal::PartitionCeiling {
            level: -500 * MICRO,
            capacity: 6_000 * MICRO,
            rate_milli: 1_000 * 1_000,
        });
        let e = admission("Orders", &admit(v.clone(), None, Access::Write), 0);
        assert_eq!(e.summary, "Throttled: partition 3 of 3 of Orders (id 7) was at its 1,000 WCU/s ceiling.");
        assert!(e.steps[1].contains("banks at most 10 s of it (6,000 WCU)"), "{:?}", e.steps);
        assert!(
            e.steps[3].starts_with("At 1,000 WCU/s it is above zero again after 501 ms"),
            "{:?}",
            e.steps
        );
        assert_eq!(
            Refusal::PartitionCeiling { level: 0, capacity: 0, rate_milli: 0 }.limit(),
            crate::capacity::resource::Limit::KeyRange
        );
        let v = Verdict::Refused(Refusal::Quota { level: 0, rate_milli: 40_000 * 1_000 });
        let e = admission("Orders", &admit(v, None, Access::Read), 0);
        assert!(e.steps[1].contains("the account's per-table quota of 40,000 RCU/s"), "{:?}", e.steps);
        assert_eq!(
            Refusal::Quota { level: 0, rate_milli: 0 }.limit(),
            crate::capacity::resource::Limit::Account
        );
    }

    #[test]
    fn deletes_and_no_ops_are_charged_by_the_old_item() {
        let step = |kind, old| WriteStep {
            table: 0,
            kind,
            old,
            new: None,
            transactional: false,
            micro: MICRO,
            indexes: Vec::new(),
            vectors: Vec::new(),
            billed_vectors: Vec::new(),
        };
        let e = write_units("DeleteItem", "Orders", &step(WriteKind::Remove, Some(3000)), false);
        assert!(e.steps[0].starts_with("DeleteItem deleted an item of 3,000 B"));
        assert!(e.steps[1].ends_with("⌈3,000 / 1,024⌉ = 3 WCU."));
        let e = write_units("DeleteItem", "Orders", &step(WriteKind::Nothing, None), false);
        assert!(e.steps[0].starts_with("No item has this key and nothing was written"));
        assert!(e.steps[1].ends_with("⌈0 / 1,024⌉ = 1 WCU."));
    }

    #[test]
    fn a_write_to_vector_indexes_is_explained_in_bytes() {
        let step = WriteStep {
            table: 0,
            kind: WriteKind::Store,
            old: None,
            new: Some(1150),
            transactional: false,
            micro: 2 * MICRO,
            indexes: Vec::new(),
            vectors: vec![("ByCategory".into(), 1150.0), ("Nearest".into(), 1024.0)],
            billed_vectors: vec![("Embedding".into(), 3, 11)],
        };
        let e = write_units("PutItem", "Products", &step, true);
        assert_eq!(
            e.summary,
            "2 WCU on Products + 2,174 B of VectorWriteRequestBytes on its vector indexes: ⌈1,150 / 1,024⌉."
        );
        assert!(
            e.steps[1].starts_with("Its vector attribute Embedding counts 21 B (9 for the name + 4 × 3 dimensions), not the 20 B of its numbers"),
            "{:?}",
            e.steps
        );
        assert!(e.steps[3].starts_with("Vector indexes are metered in bytes, not WCU"));
        assert!(e.steps[3].contains("at least 1,024 B per index"));
        assert_eq!(e.steps[4], "Vector index ByCategory: 1,150 VectorWriteRequestBytes.");
        assert_eq!(e.steps[5], "Vector index Nearest: 1,024 VectorWriteRequestBytes (the minimum).");
        // A write that changes no entry says why it reports no bytes — on a table with vector
        // indexes only.
        let unchanged = WriteStep { vectors: Vec::new(), billed_vectors: Vec::new(), ..step };
        let e = write_units("UpdateItem", "Products", &unchanged, true);
        assert!(e.steps.last().unwrap().starts_with("No vector index entry changed"), "{:?}", e.steps);
        assert!(!e.summary.contains("VectorWriteRequestBytes"));
        let e = write_units("UpdateItem", "Products", &unchanged, false);
        assert!(!e.steps.iter().any(|s| s.contains("vector")), "{:?}", e.steps);
    }

    #[test]
    fn batch_get_rounds_each_item_and_transactions_double() {
        let step = ReadStep {
            table: 0,
            index: None,
            bytes: 1536,
            items: 1,
            page: false,
            consistent: true,
            transactional: true,
            micro: 2 * MICRO,
            served: None,
        };
        let e = read_units("TransactGetItems", "Orders", &step, None);
        assert_eq!(e.summary, "2 RCU: an item of 1,536 B on Orders, transactional.");
        assert!(e.steps.contains(
            &"A transactional read costs twice a strongly consistent one: 1 × 2 = 2 RCU.".to_owned()
        ));
        let step = ReadStep { transactional: false, micro: MICRO, ..step };
        let e = read_units("BatchGetItem", "Orders", &step, None);
        assert!(e.steps.iter().any(|s| s.starts_with("BatchGetItem rounds each item up on its own")));
    }
}
