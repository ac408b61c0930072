//! Target tracking on engine time: the alarms DynamoDB's target tracking policies create,
//! evaluated once per engine minute, and the capacity changes they cause.
//!
//! What AWS documents, and what dynaplay does:
//!
//! - DynamoDB publishes consumed capacity per one-minute period. The **AlarmHigh** alarm goes
//!   off when consumed capacity is above the target utilization of the provisioned capacity for
//!   **two consecutive** one-minute datapoints; the **AlarmLow** alarm when it is below the
//!   target minus 20 percentage points for **15 consecutive** datapoints. dynaplay sums the
//!   per-second consumption its metrics keep into those minutes (a minute with no traffic is a
//!   datapoint of zero); only minutes after the policy was created count (its alarms did not
//!   exist before).
//! - While an alarm is in ALARM the policy is invoked each minute. The new capacity is what
//!   brings the latest minute's utilization to the target: `ceil(consumed per second × 100 /
//!   TargetValue)`, kept between the target's MinCapacity and MaxCapacity. Throttled requests
//!   consume nothing, so while demand is above what is provisioned, each step only reaches
//!   what was served — auto scaling chases a ramp and the table throttles on the way.
//! - The change is an UpdateTable: the table (or GSI) is UPDATING for `control::TABLE_UPDATE_MS`
//!   and the activity is InProgress until then.
//! - `ScaleOutCooldown` / `ScaleInCooldown` (seconds, 0 for DynamoDB by default) keep a scale-out
//!   (scale-in) from following the previous one sooner; a scale-out is not held by a scale-in's
//!   cooldown. `DisableScaleIn` leaves the AlarmLow alarm without effect.
//! - Decreases are limited as DynamoDB limits them: four at any time in a UTC day, and after
//!   those one an hour. A decrease past the limit fails, recorded as a Failed activity (once,
//!   not every minute the alarm stays in ALARM).
//! - Several policies on one target: scale out when any asks, to the largest capacity asked;
//!   scale in only when all ask, to the largest of theirs.
//!
//! Simplification: a jump of engine time across several minutes evaluates once, at the last
//! minute boundary, looking back over the minutes before it (the metrics keep an hour).

use serde_json::{json, Value};

use super::{dimension_parts, parse_resource_id, record, units_word, Activity, Policy};
use crate::capacity::bucket::MICRO;
use crate::engine::Engine;
use crate::table::{BillingMode, Table};

const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 86_400_000;
/// Datapoints AlarmHigh and AlarmLow need in a row.
pub(crate) const HIGH_DATAPOINTS: u64 = 2;
pub(crate) const LOW_DATAPOINTS: u64 = 15;
/// AlarmLow's threshold sits this many percentage points under the target.
pub(crate) const LOW_MARGIN: f64 = 20.0;
/// Decreases a day that need no wait.
pub(crate) const FREE_DECREASES: u64 = 4;

/// Runs once per engine second (from `Engine::housekeeping`): at a new engine minute,
/// evaluates every policy's alarms.
pub(crate) fn tick(engine: &mut Engine, second: u64) {
    let minute = second / 60;
    if minute <= engine.auto_scaling.evaluated_minute {
        return;
    }
    engine.auto_scaling.evaluated_minute = minute;
    if engine.auto_scaling.quiet {
        return;
    }
    for i in 0..engine.auto_scaling.targets.len() {
        evaluate(engine, i, minute * MINUTE_MS);
    }
}

/// What one target's policies ask for at `at` (a minute boundary), done.
fn evaluate(engine: &mut Engine, i: usize, at: u64) {
    let target = engine.auto_scaling.targets[i].clone();
    let policies: Vec<Policy> = engine
        .auto_scaling
        .policies
        .iter()
        .filter(|p| p.resource_id == target.resource_id && p.dimension == target.dimension)
        .cloned()
        .collect();
    if policies.is_empty() {
        return;
    }
    let Some((table, index)) = parse_resource_id(&target.resource_id) else { return };
    let Some(table) = engine.tables.get(table) else { return };
    let (on_index, reads) = dimension_parts(&target.dimension);
    let Some(current) = provisioned(table, index.filter(|_| on_index), reads) else { return };
    let current = current as i64;
    // (policy, desired, alarm kind) of the policies whose alarms are in ALARM.
    let mut out: Vec<(&Policy, i64)> = Vec::new();
    let mut ins: Vec<(&Policy, i64)> = Vec::new();
    for p in &policies {
        let since = p.created_ms.max(engine.auto_scaling.observed_since_ms);
        let Some(minutes) = consumed_minutes(table, index.filter(|_| on_index), p.reads, at, since) else {
            continue;
        };
        let latest = minutes.first().copied().unwrap_or(0.0);
        let desired = ((latest * 100.0 / p.target_value).ceil() as i64).clamp(target.min, target.max);
        let high = current as f64 * p.target_value / 100.0;
        let low = current as f64 * (p.target_value - LOW_MARGIN) / 100.0;
        if minutes.len() as u64 >= HIGH_DATAPOINTS
            && minutes[..HIGH_DATAPOINTS as usize].iter().all(|c| *c > high)
        {
            out.push((p, desired));
        } else if minutes.len() as u64 >= LOW_DATAPOINTS
            && minutes[..LOW_DATAPOINTS as usize].iter().all(|c| *c < low)
            && !p.disable_scale_in
        {
            ins.push((p, desired));
        } else {
            // This policy holds the capacity where it is: no scale-in while it does.
            ins.push((p, i64::MAX));
        }
    }
    let scale_out = out.iter().max_by_key(|(_, d)| *d).filter(|(_, d)| *d > current).filter(|(p, _)| {
        !target.suspended[1]
            && target.last_scale_out_ms.is_none_or(|t| at >= t.saturating_add(p.scale_out_cooldown_s * 1000))
    });
    if let Some((p, desired)) = scale_out {
        let cause = cause(p, "AlarmHigh");
        set_capacity(engine, i, *desired, cause, true);
        return;
    }
    if !out.is_empty() || target.suspended[0] {
        return;
    }
    let scale_in = ins.iter().max_by_key(|(_, d)| *d).filter(|(_, d)| *d < current).filter(|(p, _)| {
        target.last_scale_in_ms.is_none_or(|t| at >= t.saturating_add(p.scale_in_cooldown_s * 1000))
    });
    if let Some((p, desired)) = scale_in {
        let cause = cause(p, "AlarmLow");
        set_capacity(engine, i, *desired, cause, false);
    }
}

/// An activity's Cause, as Application Auto Scaling writes it.
fn cause(p: &Policy, alarm: &str) -> String {
    format!("monitor alarm {} in state ALARM triggered policy {}", super::alarm_name(p, alarm), p.name)
}

/// The provisioned units of a table's or GSI's reads or writes (`None` on demand).
fn provisioned(table: &Table, index: Option<&str>, reads: bool) -> Option<u64> {
    let billing = match index {
        None => table.billing,
        Some(name) => table.indexes.iter().find(|x| x.name == name)?.throughput?,
    };
    match billing {
        BillingMode::Provisioned { read, write } => Some(if reads { read } else { write }),
        BillingMode::PayPerRequest => None,
    }
}

/// Consumed capacity units per second of each whole minute before `at`, the latest first: as
/// many as the alarms look at, and none from before the policy was created.
fn consumed_minutes(
    table: &Table,
    index: Option<&str>,
    reads: bool,
    at: u64,
    since_ms: u64,
) -> Option<Vec<f64>> {
    let series = match index {
        None => &table.items.capacity.series,
        Some(name) => &table.indexes.iter().find(|x| x.name == name)?.entries.capacity.series,
    };
    let mut minutes = Vec::new();
    for k in 1..=LOW_DATAPOINTS {
        // Minutes before engine time began, or before the policy, are no datapoints.
        let Some(start) = at.checked_sub(k * MINUTE_MS).filter(|s| *s >= since_ms) else { break };
        let first = start / 1000;
        let micro: i64 =
            (first..first + 60).map(|s| series.used(s)).map(|(r, w)| if reads { r } else { w }).sum();
        minutes.push(micro as f64 / MICRO as f64 / 60.0);
    }
    Some(minutes)
}

/// Sets target `i`'s capacity to `capacity` through UpdateTable, recording the activity; a
/// change DynamoDB refuses for now (the table busy) is left for a later minute.
pub(crate) fn set_capacity(engine: &mut Engine, i: usize, capacity: i64, cause: String, increase: bool) {
    let target = engine.auto_scaling.targets[i].clone();
    let Some((table_name, index)) = parse_resource_id(&target.resource_id) else { return };
    let (on_index, reads) = dimension_parts(&target.dimension);
    let index = index.filter(|_| on_index);
    let word = units_word(&target.dimension);
    let now = engine.now_ms;
    let Some(table) = engine.tables.get(table_name) else { return };
    let Some(other) = provisioned(table, index, !reads) else { return };
    let description = format!("Setting {word} capacity units to {capacity}.");
    if !increase {
        if let Some(refusal) = decrease_refused(table, index, now) {
            let repeated = engine
                .auto_scaling
                .activities
                .iter()
                .rev()
                .find(|a| a.resource_id == target.resource_id && a.dimension == target.dimension);
            if repeated.is_some_and(|a| {
                a.failure.as_deref() == Some(refusal.as_str()) && a.description == description
            }) {
                return;
            }
            let id = engine.auto_scaling.next_uuid();
            let activity = Activity {
                id,
                resource_id: target.resource_id.clone(),
                dimension: target.dimension.clone(),
                description,
                cause,
                start_ms: now,
                end_ms: now,
                failure: Some(refusal),
                capacity,
            };
            record(&mut engine.auto_scaling, activity);
            engine.background_writes += 1;
            return;
        }
    }
    let (read, write) = if reads { (capacity, other as i64) } else { (other as i64, capacity) };
    let throughput = json!({"ReadCapacityUnits": read, "WriteCapacityUnits": write});
    let request = match index {
        None => json!({"TableName": table_name, "ProvisionedThroughput": throughput}),
        Some(index) => json!({
            "TableName": table_name,
            "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": index, "ProvisionedThroughput": throughput}}],
        }),
    };
    if crate::ops::dispatch(engine, "UpdateTable", &request).is_err() {
        // Busy (UPDATING) or gone: the alarm stays in ALARM and the next minute tries again.
        return;
    }
    let end = now + crate::control::TABLE_UPDATE_MS;
    let id = engine.auto_scaling.next_uuid();
    let activity = Activity {
        id,
        resource_id: target.resource_id.clone(),
        dimension: target.dimension.clone(),
        description,
        cause,
        start_ms: now,
        end_ms: end,
        failure: None,
        capacity,
    };
    record(&mut engine.auto_scaling, activity);
    let t = &mut engine.auto_scaling.targets[i];
    if increase {
        t.last_scale_out_ms = Some(end);
    } else {
        t.last_scale_in_ms = Some(end);
    }
    engine.background_writes += 1;
}

/// DynamoDB's refusal of one more decrease today, if it would refuse: after the first four
/// decreases of a UTC day, one an hour.
fn decrease_refused(table: &Table, index: Option<&str>, now: u64) -> Option<String> {
    let history = match index {
        None => table.control.throughput.describe(now, table.billing),
        Some(name) => {
            let x = table.indexes.iter().find(|x| x.name == name)?;
            x.control.throughput.describe(now, x.throughput?)
        }
    };
    let today = history.get("NumberOfDecreasesToday").and_then(Value::as_u64).unwrap_or(0);
    let last = history.get("LastDecreaseDateTime").and_then(Value::as_f64).map(|s| (s * 1000.0) as u64);
    let last = last.filter(|l| l / DAY_MS == now / DAY_MS)?;
    if today < FREE_DECREASES || now >= last + HOUR_MS {
        return None;
    }
    let java = crate::control::java_date;
    Some(format!(
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first {FREE_DECREASES} decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: {today}. Last decrease at {}. Next decrease can be made at {}",
        java(last),
        java(last + HOUR_MS)
    ))
}
