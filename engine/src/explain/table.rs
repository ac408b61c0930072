//! A table's (or GSI's) "why?": how many partitions and why, what each can serve, its burst
//! buckets and ceilings, the pool adaptive capacity lends from, on-demand growth, and its hot
//! keys — one function per rule, from the resource's live state.

use serde_json::Value;

use super::text::{bytes, count, grouped, units};
use super::Explanation;
use crate::capacity::bucket::{BURST_SECONDS, CEILING_BURST_SECONDS, MICRO};
use crate::capacity::on_demand::{ACCOUNT_TABLE_LIMIT, INITIAL_RCU, INITIAL_WCU};
use crate::capacity::resource::{Mode, Resource};
use crate::partition::{
    partitions_for, partitions_for_on_demand, ITEM_OVERHEAD_BYTES, PARTITION_MAX_RCU, PARTITION_MAX_WCU,
    TEN_GB,
};
use crate::types::KeyValue;

/// The rule for the partition count: provisioned, the larger of ⌈RCU/3,000 + WCU/1,000⌉ and
/// ⌈size / partition size limit⌉; on demand, reads and writes each on their own,
/// max(⌈RCU/3,000⌉, ⌈WCU/1,000⌉), for the throughput the table absorbs now. Partitions never
/// merge, so earlier splits stay.
pub(crate) fn partition_count(resource: &mut Resource, mode: Mode, size_limit: u64, now: u64) -> Explanation {
    let n = resource.partitions.parts.len() as u64;
    let stored = resource.bytes + ITEM_OVERHEAD_BYTES * resource.items;
    let mut steps = Vec::new();
    let (r, w, by_throughput) = match mode {
        Mode::Provisioned { read, write } => {
            steps.push(format!(
                "Provisioned throughput: {} RCU and {} WCU.",
                grouped(read.into()),
                grouped(write.into())
            ));
            let by_throughput = partitions_for(read, write, 0, u64::MAX);
            steps.push(format!(
                "For throughput: ⌈{} / 3,000 + {} / 1,000⌉ = {} (a partition serves at most 3,000 RCU and 1,000 WCU a second).",
                grouped(read.into()),
                grouped(write.into()),
                by_throughput
            ));
            (read, write, by_throughput)
        }
        Mode::OnDemand => {
            let (r, w) = resource.capacity(now / 1000);
            let (r, w) = ((r / MICRO) as u64, (w / MICRO) as u64);
            steps.push(format!(
                "On demand, a table has the partitions the throughput it absorbs now needs: {} reads and {} writes a second (a new table's warm throughput is {} reads and {} writes; later twice its previous peak).",
                grouped(r.into()),
                grouped(w.into()),
                grouped(INITIAL_RCU as u128),
                grouped(INITIAL_WCU as u128)
            ));
            let by_throughput = partitions_for_on_demand(r, w, 0, u64::MAX);
            steps.push(format!(
                "For throughput: the larger of ⌈{} / 3,000⌉ and ⌈{} / 1,000⌉ = {} (a partition serves at most 3,000 RCU and 1,000 WCU a second).",
                grouped(r.into()),
                grouped(w.into()),
                by_throughput
            ));
            (r, w, by_throughput)
        }
    };
    let by_size = stored.div_ceil(size_limit.max(1)).max(1);
    let limit_text = if size_limit == TEN_GB {
        "10 GB".to_owned()
    } else {
        format!("{} (the playground's partition size setting; DynamoDB's is 10 GB)", bytes(size_limit))
    };
    steps.push(format!(
        "For size: {} stored ({} with 100 B of overhead each) ÷ {limit_text} → {}.",
        bytes(stored),
        count(resource.items, "item", "items"),
        by_size
    ));
    let rule = match mode {
        Mode::Provisioned { .. } => partitions_for(r, w, stored, size_limit),
        Mode::OnDemand => partitions_for_on_demand(r, w, stored, size_limit),
    } as u64;
    steps.push(format!("The larger of the two: {rule}."));
    if n > rule {
        steps.push(format!(
            "It has {n}: {} more, because partitions split and never merge — {} so far, for throughput or size earlier, or by adaptive capacity isolating a hot item held at its ceiling.",
            n - rule,
            count(resource.splits, "split", "splits")
        ));
    }
    if n == 1 && matches!(mode, Mode::Provisioned { .. }) {
        steps.push("With one partition every key shares it: a better partition key cannot spread the load until the table has more partitions.".into());
    }
    let formula = match mode {
        Mode::Provisioned { .. } => "⌈RCU/3,000 + WCU/1,000⌉",
        Mode::OnDemand => "max(⌈RCU/3,000⌉, ⌈WCU/1,000⌉)",
    };
    Explanation {
        rule: "PartitionCount",
        summary: format!(
            "{}: the larger of {formula} = {by_throughput} and ⌈size/{}⌉ = {by_size}{}.",
            count(n, "partition", "partitions"),
            if size_limit == TEN_GB { "10 GB".to_owned() } else { bytes(size_limit) },
            if n > rule { format!(", plus {} kept from earlier splits", n - rule) } else { String::new() }
        ),
        steps,
    }
}

/// The rule for what each partition can serve: provisioned capacity divided evenly, each
/// share banking 300 s of burst, the table's pool lending unused capacity (adaptive
/// capacity); on demand, the allowance of twice the previous peak.
pub(crate) fn partition_capacity(resource: &mut Resource, mode: Mode, now: u64) -> Explanation {
    let n = resource.partitions.parts.len();
    let mut steps = Vec::new();
    let summary = match mode {
        Mode::Provisioned { read, write } => {
            let (r, w) = (read as i64 * MICRO / n as i64, write as i64 * MICRO / n as i64);
            steps.push(format!(
                "{} RCU / {} WCU over {}: {} RCU and {} WCU a second each, and each banks up to {BURST_SECONDS} s of unused capacity as burst ({} RCU / {} WCU).",
                grouped(read.into()),
                grouped(write.into()),
                count(n as u64, "partition", "partitions"),
                units(r),
                units(w),
                units(r.saturating_mul(BURST_SECONDS)),
                units(w.saturating_mul(BURST_SECONDS))
            ));
            for (i, p) in resource.partitions.parts.iter_mut().enumerate().take(16) {
                p.read.refill(now);
                p.write.refill(now);
                steps.push(format!(
                    "Partition {} (id {}): read bucket {} of {} RCU, write bucket {} of {} WCU{}.",
                    i + 1,
                    p.id,
                    units(p.read.level),
                    units(p.read.capacity()),
                    units(p.write.level),
                    units(p.write.capacity()),
                    if p.read.level <= 0 || p.write.level <= 0 {
                        " — empty: it throttles unless adaptive capacity lends"
                    } else {
                        ""
                    }
                ));
            }
            steps.push(ceiling_step(resource, now));
            resource.read_pool.refill(now);
            resource.write_pool.refill(now);
            steps.push(format!(
                "Adaptive capacity: a partition whose bucket is empty borrows at once from the table's pool of unused capacity, now {} of {} RCU and {} of {} WCU — never above 3,000 RCU / 1,000 WCU a second per partition.",
                units(resource.read_pool.level),
                units(resource.read_pool.capacity()),
                units(resource.write_pool.level),
                units(resource.write_pool.capacity())
            ));
            format!(
                "{} RCU and {} WCU a second per partition, with {BURST_SECONDS} s of burst each.",
                units(r),
                units(w)
            )
        }
        Mode::OnDemand => {
            let second = now / 1000;
            let (pr, pw) = resource.on_demand_peak();
            let (r, w) = resource.capacity(second);
            steps.push(format!(
                "On demand there is no provisioned share: the table has as many partitions as the larger of a new table's {} reads / {} writes a second and twice its previous peak ({} RCU / {} WCU) needs, capped by the account's {} a second per table.",
                grouped(INITIAL_RCU as u128),
                grouped(INITIAL_WCU as u128),
                units(pr),
                units(pw),
                grouped(ACCOUNT_TABLE_LIMIT as u128)
            ));
            steps.push("A new peak becomes the previous peak 30 minutes after it is reached, so the partitions (and what they serve) can double every half hour; traffic beyond them throttles on the partitions it lands on.".into());
            steps.push(ceiling_step(resource, now));
            format!(
                "On demand: up to {} RCU and {} WCU a second now, over {}.",
                units(r),
                units(w),
                count(n as u64, "partition", "partitions")
            )
        }
    };
    Explanation { rule: "PartitionCapacity", summary, steps }
}

/// Every partition's ceiling: 3,000 RCU / 1,000 WCU a second with a few seconds banked, and the
/// lowest level a partition's ceiling bucket holds now.
fn ceiling_step(resource: &mut Resource, now: u64) -> String {
    let mut lowest = (i64::MAX, i64::MAX);
    for p in &mut resource.partitions.parts {
        p.read_ceiling.refill(now);
        p.write_ceiling.refill(now);
        lowest = (lowest.0.min(p.read_ceiling.level), lowest.1.min(p.write_ceiling.level));
    }
    format!(
        "Every partition serves at most {} RCU and {} WCU a second and banks {CEILING_BURST_SECONDS} s of that for short spikes; held above it, a hot key empties the bank and throttles. Lowest bank now: {} RCU, {} WCU.",
        grouped(PARTITION_MAX_RCU as u128),
        grouped(PARTITION_MAX_WCU as u128),
        units(lowest.0),
        units(lowest.1)
    )
}

/// A partition key as a learner reads it (a multi-attribute one as the list of its values).
fn key_text(key: &KeyValue) -> Value {
    Value::String(match key {
        KeyValue::S(s) => format!("\"{s}\""),
        KeyValue::N(n) => n.to_string(),
        KeyValue::B(b) => crate::types::base64::encode(b),
        KeyValue::Tuple(_) => key.to_attribute().to_json().to_string(),
    })
}

/// Units of a hot-key count (a JSON number the sketch gives in units) as exact text.
fn count_units(v: &Value) -> i64 {
    (v.as_f64().unwrap_or(0.0) * MICRO as f64).round() as i64
}

/// The rule behind the hot keys: the most accessed and most throttled partition keys of the
/// last minute or two, each with its share of the traffic, against one partition's share of
/// the table's capacity.
pub(crate) fn hot_keys(resource: &Resource, now: u64) -> Explanation {
    let top = resource.hot.top(now, 5, key_text);
    let n = resource.partitions.parts.len();
    let mut steps = Vec::new();
    let total = count_units(&top["MostAccessed"]["Total"]);
    let mut first = None;
    for row in top["MostAccessed"]["Keys"].as_array().into_iter().flatten() {
        let c = count_units(&row["Count"]);
        let key = row["Key"].as_str().unwrap_or_default().to_owned();
        let share = if total > 0 { c * 100 / total } else { 0 };
        first.get_or_insert_with(|| (key.clone(), share));
        steps.push(format!(
            "{key}: {} capacity unit{}, {share} % of the traffic.",
            units(c),
            if c == MICRO { "" } else { "s" }
        ));
    }
    let throttled: Vec<String> = top["MostThrottled"]["Keys"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            format!(
                "{} ({} throttled)",
                row["Key"].as_str().unwrap_or_default(),
                units(count_units(&row["Count"]))
            )
        })
        .collect();
    if !throttled.is_empty() {
        steps.push(format!("Most throttled: {}.", throttled.join(", ")));
    }
    steps.push(format!(
        "Counted by a 64-counter heavy-hitters sketch over the last one to two minutes: a count is at most {} too high.",
        units(count_units(&top["MostAccessed"]["ErrorBound"]))
    ));
    let summary = match first {
        None => "No traffic in the last minute or two: no hot keys.".to_owned(),
        Some((key, share)) => format!(
            "{key} takes {share} % of the traffic, and all of a key's traffic goes to one partition: with {}, each holds about {} % of the capacity.",
            count(n as u64, "partition", "partitions"),
            100 / n.max(1)
        ),
    };
    Explanation { rule: "HotKeys", summary, steps }
}
