//! Control-plane state of a table that DescribeTable shows and UpdateTable changes: throughput
//! history, billing-mode switches, the stream, tags, Time to Live, point-in-time recovery, and
//! indexes on their way out.
//!
//! Nothing here runs in the background. A change records *when* it completes on engine time,
//! and every read computes the status from the engine time it is given: a table is UPDATING,
//! an index CREATING or DELETING, exactly until that instant. The durations are fixed so a
//! learner (and a test) sees the same sequence every time:
//!
//! - [`TABLE_UPDATE_MS`]: a throughput, billing-mode or stream change keeps the table UPDATING
//!   for 1 s of engine time (real DynamoDB takes a few seconds to minutes);
//! - [`INDEX_BACKFILL_MS`]: a GSI added by UpdateTable is CREATING with `Backfilling: true`
//!   for 3 s, and reads of it fail until then; its entries are written at once;
//! - [`INDEX_DELETE_MS`]: a GSI being deleted shows DELETING for 1 s, then is gone.

use serde_json::{json, Map, Value};

use crate::table::{epoch_seconds, BillingMode};

/// How long a throughput, billing-mode or stream change keeps a table UPDATING.
pub(crate) const TABLE_UPDATE_MS: u64 = 1_000;
/// How long a GSI added by UpdateTable stays CREATING (backfilling).
pub(crate) const INDEX_BACKFILL_MS: u64 = 3_000;
/// How long a deleted GSI stays visible as DELETING.
pub(crate) const INDEX_DELETE_MS: u64 = 1_000;

const DAY_MS: u64 = 86_400_000;

/// A provisioned-throughput change in progress.
#[derive(Clone, Debug)]
struct PendingThroughput {
    requested_ms: u64,
    done_ms: u64,
    /// The units shown until the change completes.
    from: (u64, u64),
    increase: bool,
    decrease: bool,
}

/// The history DynamoDB reports in a `ProvisionedThroughput` description.
#[derive(Clone, Debug, Default)]
pub(crate) struct ThroughputHistory {
    last_increase_ms: Option<u64>,
    last_decrease_ms: Option<u64>,
    /// Completion times of decreases (NumberOfDecreasesToday counts today's).
    decreases_ms: Vec<u64>,
    pending: Option<PendingThroughput>,
}

impl ThroughputHistory {
    /// Records a change from `from` to `to` requested at `now`, completing at `done_ms`.
    pub fn record(&mut self, now: u64, done_ms: u64, from: BillingMode, to: BillingMode) {
        self.settle();
        let (from, to) = (units(from), units(to));
        let increase = to.0 > from.0 || to.1 > from.1;
        let decrease = to.0 < from.0 || to.1 < from.1;
        self.pending = Some(PendingThroughput { requested_ms: now, done_ms, from, increase, decrease });
    }

    /// Folds a finished change into the history (called before recording the next one, which
    /// DynamoDB only accepts once the table is ACTIVE again).
    fn settle(&mut self) {
        if let Some(p) = self.pending.take() {
            if p.increase {
                self.last_increase_ms = Some(p.done_ms);
            }
            if p.decrease {
                self.last_decrease_ms = Some(p.done_ms);
                self.decreases_ms.retain(|t| p.done_ms - t < DAY_MS);
                self.decreases_ms.push(p.done_ms);
            }
        }
    }

    /// The `ProvisionedThroughput` description at engine time `now` for current units.
    pub fn describe(&self, now: u64, current: BillingMode) -> Value {
        let mut history = self.clone();
        let mut shown = units(current);
        match &self.pending {
            Some(p) if now < p.done_ms => {
                shown = p.from;
                history.pending = None;
                if p.increase {
                    history.last_increase_ms = Some(p.requested_ms);
                }
                if p.decrease {
                    history.last_decrease_ms = Some(p.requested_ms);
                }
            }
            _ => history.settle(),
        }
        if current == BillingMode::PayPerRequest {
            // On-demand shows zero units from the moment the switch is asked for.
            shown = (0, 0);
        }
        let today = now - now % DAY_MS;
        let decreases = history.decreases_ms.iter().filter(|t| **t >= today && **t <= now).count();
        let mut d = Map::new();
        if let Some(t) = history.last_increase_ms {
            d.insert("LastIncreaseDateTime".into(), epoch_seconds(t));
        }
        if let Some(t) = history.last_decrease_ms {
            d.insert("LastDecreaseDateTime".into(), epoch_seconds(t));
        }
        d.insert("NumberOfDecreasesToday".into(), json!(decreases));
        d.insert("ReadCapacityUnits".into(), json!(shown.0));
        d.insert("WriteCapacityUnits".into(), json!(shown.1));
        Value::Object(d)
    }
}

impl ThroughputHistory {
    /// The history as a snapshot keeps it (`None` when there is none).
    pub fn to_json(&self) -> Option<Value> {
        let mut m = Map::new();
        if let Some(t) = self.last_increase_ms {
            m.insert("LastIncreaseMs".into(), json!(t));
        }
        if let Some(t) = self.last_decrease_ms {
            m.insert("LastDecreaseMs".into(), json!(t));
        }
        if !self.decreases_ms.is_empty() {
            m.insert("DecreasesMs".into(), json!(self.decreases_ms));
        }
        if let Some(p) = &self.pending {
            m.insert(
                "Pending".into(),
                json!({"RequestedMs": p.requested_ms, "DoneMs": p.done_ms, "From": [p.from.0, p.from.1],
                       "Increase": p.increase, "Decrease": p.decrease}),
            );
        }
        (!m.is_empty()).then_some(Value::Object(m))
    }

    /// A history from [`ThroughputHistory::to_json`]'s form; `None` if it is not that.
    pub fn from_json(v: &Value) -> Option<Self> {
        let time = |name: &str| match v.get(name) {
            None => Some(None),
            Some(t) => t.as_u64().map(Some),
        };
        let pending = match v.get("Pending") {
            None => None,
            Some(p) => Some(PendingThroughput {
                requested_ms: p.get("RequestedMs")?.as_u64()?,
                done_ms: p.get("DoneMs")?.as_u64()?,
                from: (p.get("From")?.get(0)?.as_u64()?, p.get("From")?.get(1)?.as_u64()?),
                increase: p.get("Increase")?.as_bool()?,
                decrease: p.get("Decrease")?.as_bool()?,
            }),
        };
        let decreases_ms = match v.get("DecreasesMs") {
            None => Vec::new(),
            Some(list) => list.as_array()?.iter().map(Value::as_u64).collect::<Option<_>>()?,
        };
        Some(Self {
            last_increase_ms: time("LastIncreaseMs")?,
            last_decrease_ms: time("LastDecreaseMs")?,
            decreases_ms,
            pending,
        })
    }
}

fn units(billing: BillingMode) -> (u64, u64) {
    match billing {
        BillingMode::Provisioned { read, write } => (read, write),
        BillingMode::PayPerRequest => (0, 0),
    }
}

/// `OnDemandThroughput`: the most request units a second an on-demand table or GSI may use,
/// each way (`None`: no maximum but the account's per-table quota). The simulation throttles
/// past it (`capacity::resource`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MaxOnDemand {
    pub read: Option<u64>,
    pub write: Option<u64>,
}

impl MaxOnDemand {
    /// The `OnDemandThroughput` member of a description (and of a workspace's CreateTable
    /// request): the maxima set, `None` when there are none.
    pub fn to_json(self) -> Option<Value> {
        let mut m = Map::new();
        if let Some(r) = self.read {
            m.insert("MaxReadRequestUnits".into(), json!(r));
        }
        if let Some(w) = self.write {
            m.insert("MaxWriteRequestUnits".into(), json!(w));
        }
        (!m.is_empty()).then_some(Value::Object(m))
    }
}

/// Warm throughput: the units a second a table or GSI serves at once. It is the largest of
/// what CreateTable or UpdateTable asked for (`read`, `write`; 0 when nothing was), what the
/// table serves at once now (its provisioned units, or on demand its allowance: the `base`
/// the describing code passes) and what it served at once before a billing change (`floor`):
/// "once increased, warm throughput values can't be decreased".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WarmRequest {
    pub read: u64,
    pub write: u64,
    /// The highest base before the last billing or throughput change (read, write).
    pub floor: (u64, u64),
    /// A request shows `UPDATING` until this engine time.
    pub updating_until_ms: u64,
}

impl WarmRequest {
    /// Warm throughput (read, write) given what the table serves at once now.
    pub fn effective(self, base: (u64, u64)) -> (u64, u64) {
        (self.read.max(self.floor.0).max(base.0), self.write.max(self.floor.1).max(base.1))
    }

    /// Keeps what the table served at once before a billing or throughput change.
    pub fn raise_floor(&mut self, base: (u64, u64)) {
        self.floor = (self.floor.0.max(base.0), self.floor.1.max(base.1));
    }

    /// The `WarmThroughput` description at `now`.
    pub fn describe(self, base: (u64, u64), now: u64) -> Value {
        let (read, write) = self.effective(base);
        json!({
            "ReadUnitsPerSecond": read,
            "WriteUnitsPerSecond": write,
            "Status": if now < self.updating_until_ms { "UPDATING" } else { "ACTIVE" },
        })
    }

    /// The state as a snapshot keeps it (`None` when there is nothing to keep).
    pub fn to_json(self) -> Option<Value> {
        (self != Self::default()).then(|| {
            json!({"ReadUnitsPerSecond": self.read, "WriteUnitsPerSecond": self.write,
                   "Floor": [self.floor.0, self.floor.1], "UpdatingUntilMs": self.updating_until_ms})
        })
    }

    /// The state from [`WarmRequest::to_json`]'s form.
    pub fn from_json(v: &Value) -> Option<Self> {
        let floor = match v.get("Floor") {
            None => (0, 0),
            Some(f) => (f.get(0)?.as_u64()?, f.get(1)?.as_u64()?),
        };
        Some(Self {
            read: v.get("ReadUnitsPerSecond")?.as_u64()?,
            write: v.get("WriteUnitsPerSecond")?.as_u64()?,
            floor,
            updating_until_ms: v.get("UpdatingUntilMs").map_or(Some(0), Value::as_u64)?,
        })
    }
}

/// Control-plane state of one GSI.
#[derive(Clone, Debug, Default)]
pub(crate) struct IndexControl {
    /// Engine time the index becomes ACTIVE (0 for indexes created with the table).
    pub ready_at_ms: u64,
    /// UPDATING until this engine time (a throughput or billing change).
    pub updating_until_ms: u64,
    pub throughput: ThroughputHistory,
    pub max_on_demand: MaxOnDemand,
    pub warm: WarmRequest,
}

impl IndexControl {
    /// `IndexStatus` at engine time `now`.
    pub fn status(&self, now: u64) -> &'static str {
        if now < self.ready_at_ms {
            "CREATING"
        } else if now < self.updating_until_ms {
            "UPDATING"
        } else {
            "ACTIVE"
        }
    }

    /// Whether Query and Scan may read the index at `now`.
    pub fn readable(&self, now: u64) -> bool {
        now >= self.ready_at_ms
    }
}

/// The table's stream, enabled or (after UpdateTable disables it) kept for its ARN.
#[derive(Clone, Debug)]
pub(crate) struct Stream {
    pub enabled: bool,
    pub view_type: String,
    /// Engine time the stream was created; its label is this instant in ISO 8601.
    pub created_ms: u64,
}

impl Stream {
    /// `LatestStreamLabel`: the creation instant, `YYYY-MM-DDTHH:MM:SS.mmm` (UTC).
    pub fn label(&self) -> String {
        iso8601_millis(self.created_ms)
    }
}

/// Time to Live settings.
#[derive(Clone, Debug)]
pub(crate) struct TimeToLive {
    pub attribute: String,
    pub enabled: bool,
    /// Engine time of the last UpdateTimeToLive.
    pub changed_ms: u64,
}

/// A GSI being deleted: its last description, shown as DELETING until `gone_at_ms`.
#[derive(Clone, Debug)]
pub(crate) struct DeletingIndex {
    pub description: Value,
    pub gone_at_ms: u64,
}

/// A resource-based policy attached to a table or stream: the document as given and its
/// revision. Evaluated for requests sent as an identity (`iam`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ResourcePolicy {
    pub document: String,
    /// `RevisionId`: engine milliseconds of the change, as decimal text, so later revisions
    /// compare greater (as DynamoDB's timestamp revisions do).
    pub revision: String,
}

impl ResourcePolicy {
    /// A new revision of `document` made at engine time `now`, after `previous` (always a
    /// later revision than it, even within the same millisecond).
    pub fn revise(document: String, now: u64, previous: Option<&ResourcePolicy>) -> Self {
        let after = previous.and_then(|p| p.revision.parse::<u64>().ok()).map_or(0, |r| r + 1);
        Self { document, revision: now.max(after).to_string() }
    }

    /// The policy as a snapshot keeps it.
    pub fn to_json(&self) -> Value {
        json!({"Policy": self.document, "RevisionId": self.revision})
    }

    /// A policy from [`ResourcePolicy::to_json`]'s form; `None` unless its document passes
    /// PutResourcePolicy's checks (an imported file must not hold what the engine's own next
    /// snapshot would refuse).
    pub fn from_json(v: &Value) -> Option<Self> {
        let document = v.get("Policy")?.as_str()?.to_owned();
        crate::ops::resource_policy::check_document(&document).ok()?;
        Some(Self { document, revision: v.get("RevisionId")?.as_str()?.to_owned() })
    }
}

/// Control-plane state of a table.
#[derive(Clone, Debug, Default)]
pub(crate) struct TableControl {
    pub throughput: ThroughputHistory,
    /// The table is UPDATING until this engine time.
    pub updating_until_ms: u64,
    /// When the table last became on-demand (`LastUpdateToPayPerRequestDateTime`).
    pub pay_per_request_since_ms: Option<u64>,
    /// When UpdateTable switched the table from PROVISIONED to PAY_PER_REQUEST within the
    /// last 24 hours (see [`TableControl::check_switch_to_pay_per_request`]).
    pub switches_to_pay_per_request_ms: Vec<u64>,
    pub stream: Option<Stream>,
    /// Tags in the order they were first added.
    pub tags: Vec<(String, String)>,
    pub ttl: Option<TimeToLive>,
    /// Point-in-time recovery, when enabled: (engine time enabled, recovery period in days).
    pub point_in_time_recovery: Option<(u64, i64)>,
    pub deleting_indexes: Vec<DeletingIndex>,
    /// The table's resource-based policy (PutResourcePolicy, CreateTable's `ResourcePolicy`).
    pub policy: Option<ResourcePolicy>,
    pub max_on_demand: MaxOnDemand,
    pub warm: WarmRequest,
}

impl TableControl {
    /// `TableStatus` at engine time `now` (for a table past its creation).
    pub fn status(&self, now: u64) -> &'static str {
        if now < self.updating_until_ms {
            "UPDATING"
        } else {
            "ACTIVE"
        }
    }

    /// Drops deleted indexes whose DELETING phase is over.
    pub fn forget_deleted_indexes(&mut self, now: u64) {
        self.deleting_indexes.retain(|d| now < d.gone_at_ms);
    }

    /// Descriptions of the GSIs still DELETING at `now`.
    pub fn deleting_at(&self, now: u64) -> impl Iterator<Item = &Value> {
        self.deleting_indexes.iter().filter(move |d| now < d.gone_at_ms).map(|d| &d.description)
    }

    /// DynamoDB's limit on billing-mode switches: "You can switch tables from provisioned
    /// capacity mode to on-demand mode up to four times in a 24-hour rolling window. You can
    /// switch tables from on-demand mode to provisioned capacity mode at any time" (developer
    /// guide, *Considerations when switching capacity modes*, 2025). A fifth switch within
    /// 24 hours is a `LimitExceededException`; its text is DynamoDB's of the once-a-day rule
    /// (recorded 2019) with the count of the current rule.
    pub fn check_switch_to_pay_per_request(&mut self, now: u64) -> Result<(), String> {
        self.switches_to_pay_per_request_ms.retain(|t| now < t + DAY_MS);
        let switches = &self.switches_to_pay_per_request_ms;
        if switches.len() < MAX_SWITCHES_TO_PAY_PER_REQUEST {
            return Ok(());
        }
        let (first, last) = (switches[0], switches[switches.len() - 1]);
        Err(format!(
            "Subscriber limit exceeded: Update to PayPerRequest mode are limited to {MAX_SWITCHES_TO_PAY_PER_REQUEST} times in 1 day(s). Last update at {}. Next update can be made at {}",
            java_date(last),
            java_date(first + DAY_MS)
        ))
    }

    /// `BillingModeSummary` at engine time `now`.
    pub fn billing_summary(&self, now: u64, billing: BillingMode) -> Value {
        let mode = match billing {
            BillingMode::PayPerRequest => "PAY_PER_REQUEST",
            BillingMode::Provisioned { .. } => "PROVISIONED",
        };
        let mut summary = Map::new();
        summary.insert("BillingMode".into(), json!(mode));
        if let Some(t) = self.pay_per_request_since_ms.filter(|t| *t <= now) {
            summary.insert("LastUpdateToPayPerRequestDateTime".into(), epoch_seconds(t));
        }
        Value::Object(summary)
    }

    /// Adds the stream members of a table description.
    pub fn describe_stream(&self, d: &mut Map<String, Value>, table_arn: &str) {
        let Some(stream) = &self.stream else { return };
        if stream.enabled {
            d.insert(
                "StreamSpecification".into(),
                json!({"StreamEnabled": true, "StreamViewType": stream.view_type}),
            );
        }
        let label = stream.label();
        d.insert("LatestStreamLabel".into(), json!(label));
        d.insert("LatestStreamArn".into(), json!(format!("{table_arn}/stream/{label}")));
    }
}

/// How many times a table may switch to PAY_PER_REQUEST in 24 hours.
pub(crate) const MAX_SWITCHES_TO_PAY_PER_REQUEST: usize = 4;

/// Engine milliseconds as Java's `Date.toString()` in UTC (`Sat Feb 23 03:07:45 UTC 2019`), as
/// DynamoDB's limit messages print instants.
pub fn java_date(ms: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = ms / DAY_MS;
    let rem = ms % DAY_MS;
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{} {} {d:02} {:02}:{:02}:{:02} UTC {y}",
        DAYS[(days % 7) as usize],
        MONTHS[(m - 1) as usize],
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60
    )
}

/// Engine milliseconds as `YYYY-MM-DDTHH:MM:SS.mmm` in UTC.
pub fn iso8601_millis(ms: u64) -> String {
    let days = (ms / DAY_MS) as i64;
    let rem = ms % DAY_MS;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_utc_iso8601_with_millis() {
        assert_eq!(iso8601_millis(0), "1970-01-01T00:00:00.000");
        assert_eq!(iso8601_millis(1_767_225_600_123), "2026-01-01T00:00:00.123");
        assert_eq!(iso8601_millis(951_782_400_000 + 3_723_004), "2000-02-29T01:02:03.004");
    }

    #[test]
    fn java_dates_as_dynamodb_prints_them() {
        // DynamoDB's own: "Last update at Sat Feb 23 03:07:45 UTC 2019".
        assert_eq!(java_date(1_550_891_265_000), "Sat Feb 23 03:07:45 UTC 2019");
        assert_eq!(java_date(0), "Thu Jan 01 00:00:00 UTC 1970");
    }

    #[test]
    fn four_switches_to_on_demand_a_rolling_day() {
        let mut c = TableControl::default();
        for i in 0..4 {
            assert!(c.check_switch_to_pay_per_request(i * 3_600_000).is_ok());
            c.switches_to_pay_per_request_ms.push(i * 3_600_000);
        }
        let err = c.check_switch_to_pay_per_request(5 * 3_600_000).unwrap_err();
        assert_eq!(
            err,
            "Subscriber limit exceeded: Update to PayPerRequest mode are limited to 4 times in 1 day(s). Last update at Thu Jan 01 03:00:00 UTC 1970. Next update can be made at Fri Jan 02 00:00:00 UTC 1970"
        );
        // A day after the first, one switch is free again.
        assert!(c.check_switch_to_pay_per_request(DAY_MS).is_ok());
        assert_eq!(c.switches_to_pay_per_request_ms.len(), 3);
    }

    #[test]
    fn throughput_shows_old_units_until_the_change_completes() {
        let mut h = ThroughputHistory::default();
        let from = BillingMode::Provisioned { read: 5, write: 5 };
        let to = BillingMode::Provisioned { read: 10, write: 2 };
        h.record(1_000, 2_000, from, to);
        let during = h.describe(1_500, to);
        assert_eq!(during["ReadCapacityUnits"], 5);
        assert_eq!(during["LastIncreaseDateTime"], 1.0);
        assert_eq!(during["LastDecreaseDateTime"], 1.0);
        assert_eq!(during["NumberOfDecreasesToday"], 0);
        let after = h.describe(2_000, to);
        assert_eq!(after["ReadCapacityUnits"], 10);
        assert_eq!(after["WriteCapacityUnits"], 2);
        assert_eq!(after["LastIncreaseDateTime"], 2.0);
        assert_eq!(after["NumberOfDecreasesToday"], 1);
        // The next UTC day starts the count again.
        assert_eq!(h.describe(DAY_MS + 1, to)["NumberOfDecreasesToday"], 0);
    }

    #[test]
    fn index_status_follows_engine_time() {
        let c = IndexControl { ready_at_ms: 10, updating_until_ms: 20, ..Default::default() };
        assert_eq!(c.status(9), "CREATING");
        assert!(!c.readable(9));
        assert_eq!(c.status(10), "UPDATING");
        assert_eq!(c.status(20), "ACTIVE");
    }
}
