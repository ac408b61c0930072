//! What the *Regions* view (`learn/regions.rs`, `#/regions`) computes, platform-free: the
//! engine's `PlaygroundDescribeRegions` answer read into rows, the words it draws them with
//! (how far behind a replica is, where a write is, who won a conflict), and the requests the
//! view sends — a Region offline and back, a replica added, the replication delay, an item
//! written or read in a chosen Region. Only the module loaded on demand uses it, so none of it
//! is in the first page load.

use serde_json::{json, Value};

/// One Region the playground knows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RegionRow {
    pub name: String,
    pub available: bool,
    /// The engine's own Region (where requests naming none go).
    pub home: bool,
    pub tables: u64,
}

/// One replica of a global table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ReplicaRow {
    pub region: String,
    pub status: String,
    pub available: bool,
    pub items: Option<u64>,
    /// Writes on their way to it.
    pub pending: u64,
    /// How old the oldest of them is (ms): how far behind it is.
    pub lag_ms: u64,
    pub conflicts: u64,
    /// The Region that created it.
    pub source: Option<String>,
}

/// A write on its way from one Region to another.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Flight {
    pub from: String,
    pub to: String,
    /// The item's key as `name=value, …`.
    pub key: String,
    pub delete: bool,
    pub written_at: u64,
    /// When it arrives; `None` while a Region it needs is offline (or its replica CREATING).
    pub arrives_at: Option<u64>,
}

/// A conflict one Region resolved: two Regions wrote the item concurrently.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ConflictRow {
    /// Where it was resolved.
    pub region: String,
    pub key: String,
    pub winner: (String, u64),
    /// `None`: the item had not been written through replication before.
    pub loser: Option<(String, u64)>,
    pub resolved_at: u64,
}

/// One global table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct GlobalTable {
    pub name: String,
    /// EVENTUAL or STRONG.
    pub consistency: String,
    /// A strong table's witness: Region, status, online.
    pub witness: Option<(String, String, bool)>,
    pub replicas: Vec<ReplicaRow>,
    pub in_flight: u64,
    pub flights: Vec<Flight>,
    pub conflicts_resolved: u64,
    pub conflicts: Vec<ConflictRow>,
}

/// `PlaygroundDescribeRegions`' answer.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RegionsView {
    pub now: u64,
    pub delay_ms: u64,
    pub regions: Vec<RegionRow>,
    pub tables: Vec<GlobalTable>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn number(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[][..], Vec::as_slice)
}

/// A key in DynamoDB JSON as `name=value, …` (numbers, strings and binaries as they are).
pub fn key_text(key: &Value) -> String {
    let Some(attrs) = key.as_object() else { return String::new() };
    let parts: Vec<String> = attrs
        .iter()
        .map(|(name, v)| {
            let value = v.as_object().and_then(|o| o.values().next()).map_or(String::new(), |x| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            format!("{name}={value}")
        })
        .collect();
    parts.join(", ")
}

impl RegionsView {
    /// Reads the answer; anything missing reads as empty.
    pub fn from_answer(answer: &Value) -> Self {
        let regions = list(&answer["Regions"])
            .iter()
            .map(|r| RegionRow {
                name: text(&r["RegionName"]),
                available: r["Available"].as_bool().unwrap_or(true),
                home: r["Home"].as_bool().unwrap_or(false),
                tables: number(&r["TableCount"]),
            })
            .collect();
        let tables = list(&answer["GlobalTables"]).iter().map(table).collect();
        Self {
            now: number(&answer["Now"]),
            delay_ms: number(&answer["ReplicationDelayMilliseconds"]),
            regions,
            tables,
        }
    }

    /// The Regions offered to write in and to add a replica in: the ones known, then a few
    /// common ones.
    pub fn region_choices(&self) -> Vec<String> {
        let mut out: Vec<String> = self.regions.iter().map(|r| r.name.clone()).collect();
        for common in ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "us-east-2"] {
            if !out.iter().any(|r| r == common) {
                out.push(common.to_owned());
            }
        }
        out
    }
}

fn table(t: &Value) -> GlobalTable {
    let replicas = list(&t["Replicas"])
        .iter()
        .map(|r| ReplicaRow {
            region: text(&r["RegionName"]),
            status: text(&r["ReplicaStatus"]),
            available: r["Available"].as_bool().unwrap_or(true),
            items: r["ItemCount"].as_u64(),
            pending: number(&r["PendingWrites"]),
            lag_ms: number(&r["LagMilliseconds"]),
            conflicts: number(&r["ConflictsResolved"]),
            source: r["SourceRegion"].as_str().map(str::to_owned),
        })
        .collect();
    let flights = list(&t["InFlight"])
        .iter()
        .map(|f| Flight {
            from: text(&f["From"]),
            to: text(&f["To"]),
            key: key_text(&f["Key"]),
            delete: f["Operation"] == "DELETE",
            written_at: number(&f["WrittenAt"]),
            arrives_at: f["ArrivesAt"].as_u64(),
        })
        .collect();
    let write = |w: &Value| w.is_object().then(|| (text(&w["RegionName"]), number(&w["WrittenAt"])));
    let conflicts = list(&t["Conflicts"])
        .iter()
        .map(|c| ConflictRow {
            region: text(&c["RegionName"]),
            key: key_text(&c["Key"]),
            winner: write(&c["Winner"]).unwrap_or_default(),
            loser: write(&c["Loser"]),
            resolved_at: number(&c["ResolvedAt"]),
        })
        .collect();
    let witness = t["Witness"].is_object().then(|| {
        let w = &t["Witness"];
        (text(&w["RegionName"]), text(&w["WitnessStatus"]), w["Available"].as_bool().unwrap_or(true))
    });
    GlobalTable {
        name: text(&t["TableName"]),
        consistency: text(&t["MultiRegionConsistency"]),
        witness,
        replicas,
        in_flight: number(&t["WritesInFlight"]),
        flights,
        conflicts_resolved: number(&t["ConflictsResolved"]),
        conflicts,
    }
}

/// How far behind a replica is, in words.
pub fn lag_text(replica: &ReplicaRow) -> String {
    match (replica.pending, replica.available) {
        (0, _) => "up to date".to_owned(),
        (n, false) => format!("{n} write{} waiting (Region offline)", if n == 1 { "" } else { "s" }),
        (n, true) => {
            format!("{n} write{} on the way, oldest {} ms old", if n == 1 { "" } else { "s" }, replica.lag_ms)
        }
    }
}

/// Where a write is, in words, at engine time `now`.
pub fn flight_text(flight: &Flight, now: u64) -> String {
    let what = if flight.delete { "delete of" } else { "write of" };
    let age = now.saturating_sub(flight.written_at);
    match flight.arrives_at {
        Some(at) => format!(
            "{} → {}: {what} {} ({age} ms ago), arrives in {} ms",
            flight.from,
            flight.to,
            flight.key,
            at.saturating_sub(now)
        ),
        None => format!(
            "{} → {}: {what} {} ({age} ms ago), waiting for a Region to come back",
            flight.from, flight.to, flight.key
        ),
    }
}

/// Who won a conflict, in words (times as engine milliseconds past `since`, the oldest of the
/// two writes, so they read as "+0 ms" and "+300 ms").
pub fn conflict_text(c: &ConflictRow) -> String {
    match &c.loser {
        Some((loser, loser_at)) => {
            let since = (*loser_at).min(c.winner.1);
            format!(
                "{key} in {region}: {winner}'s write (+{w} ms) won over {loser}'s (+{l} ms) — last writer wins",
                key = c.key,
                region = c.region,
                winner = c.winner.0,
                w = c.winner.1 - since,
                l = loser_at - since,
            )
        }
        None => format!("{} in {}: {}'s write won (last writer wins)", c.key, c.region, c.winner.0),
    }
}

/// `PlaygroundUpdateRegion`.
pub fn update_region(region: &str, available: bool) -> Value {
    json!({"RegionName": region, "Available": available})
}

/// `UpdateTable` adding a replica in `region`.
pub fn add_replica(table: &str, region: &str) -> Value {
    json!({"TableName": table, "ReplicaUpdates": [{"Create": {"RegionName": region}}]})
}

/// `PlaygroundUpdateSettings` for the replication delay, from the text typed (whole ms).
pub fn delay_setting(typed: &str) -> Result<Value, String> {
    let ms: u64 =
        typed.trim().parse().map_err(|_| format!("{typed:?} is not a whole number of milliseconds"))?;
    Ok(json!({"GlobalTableReplicationDelayMilliseconds": ms}))
}

/// A write or read of one item in a Region, from the item typed as DynamoDB JSON: `PutItem`
/// stores it whole; `GetItem` (strongly consistent: what that Region's replica holds now) and
/// `DeleteItem` take its key attributes, named by `key_names`.
pub fn item_request(op: &str, table: &str, typed: &str, key_names: &[String]) -> Result<Value, String> {
    let item: Value =
        serde_json::from_slice(typed.as_bytes()).map_err(|e| format!("the item is not JSON: {e}"))?;
    let Some(attrs) = item.as_object() else { return Err("the item must be a JSON object".into()) };
    if op == "PutItem" {
        return Ok(json!({"TableName": table, "Item": item}));
    }
    let mut key = serde_json::Map::new();
    for name in key_names {
        let value = attrs.get(name).ok_or_else(|| format!("the item has no {name} (a key attribute)"))?;
        key.insert(name.clone(), value.clone());
    }
    let mut request = json!({"TableName": table, "Key": key});
    if op == "GetItem" {
        request["ConsistentRead"] = json!(true);
    }
    Ok(request)
}

/// The key attribute names of a DescribeTable answer, HASH first.
pub fn key_names(described: &Value) -> Vec<String> {
    list(&described["Table"]["KeySchema"]).iter().map(|k| text(&k["AttributeName"])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> Value {
        json!({
            "Now": 10_500, "ReplicationDelayMilliseconds": 1000,
            "Regions": [{"RegionName": "us-east-1", "Available": true, "Home": true, "TableCount": 1},
                        {"RegionName": "us-west-2", "Available": false, "Home": false, "TableCount": 1}],
            "GlobalTables": [{
                "TableName": "Users", "MultiRegionConsistency": "EVENTUAL",
                "Replicas": [
                    {"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE", "Available": true, "ItemCount": 2,
                     "PendingWrites": 0, "LagMilliseconds": 0, "ConflictsResolved": 1},
                    {"RegionName": "us-west-2", "ReplicaStatus": "ACTIVE", "Available": false, "ItemCount": 2,
                     "PendingWrites": 1, "LagMilliseconds": 500, "ConflictsResolved": 1, "SourceRegion": "us-east-1"}],
                "WritesInFlight": 1,
                "InFlight": [{"From": "us-east-1", "To": "us-west-2", "Key": {"UserId": {"S": "U1"}},
                              "Operation": "PUT", "WrittenAt": 10_000, "ArrivesAt": null, "Held": true}],
                "ConflictsResolved": 2,
                "Conflicts": [{"RegionName": "us-east-1", "Key": {"UserId": {"S": "U1"}},
                               "Winner": {"RegionName": "us-west-2", "WrittenAt": 9_200},
                               "Loser": {"RegionName": "us-east-1", "WrittenAt": 9_000}, "ResolvedAt": 10_200}]
            }]
        })
    }

    #[test]
    fn the_answer_reads_into_rows_and_words() {
        let view = RegionsView::from_answer(&answer());
        assert_eq!((view.now, view.delay_ms, view.regions.len()), (10_500, 1000, 2));
        assert!(view.regions[0].home && !view.regions[1].available);
        let t = &view.tables[0];
        assert_eq!(t.replicas[1].source.as_deref(), Some("us-east-1"));
        assert_eq!(lag_text(&t.replicas[0]), "up to date");
        assert_eq!(lag_text(&t.replicas[1]), "1 write waiting (Region offline)");
        assert_eq!(
            flight_text(&t.flights[0], view.now),
            "us-east-1 → us-west-2: write of UserId=U1 (500 ms ago), waiting for a Region to come back"
        );
        assert_eq!(
            conflict_text(&t.conflicts[0]),
            "UserId=U1 in us-east-1: us-west-2's write (+200 ms) won over us-east-1's (+0 ms) — last writer wins"
        );
        let flying = Flight { arrives_at: Some(10_800), ..t.flights[0].clone() };
        assert!(
            flight_text(&flying, 10_500).ends_with("arrives in 300 ms"),
            "{}",
            flight_text(&flying, 10_500)
        );
        assert_eq!(view.region_choices()[..3], ["us-east-1", "us-west-2", "eu-west-1"]);
        assert_eq!(RegionsView::from_answer(&json!({})), RegionsView::default());
    }

    #[test]
    fn the_requests_the_view_sends() {
        assert_eq!(update_region("us-west-2", false), json!({"RegionName": "us-west-2", "Available": false}));
        assert_eq!(
            add_replica("Users", "eu-west-1")["ReplicaUpdates"][0]["Create"]["RegionName"],
            "eu-west-1"
        );
        assert_eq!(delay_setting(" 250 ").unwrap(), json!({"GlobalTableReplicationDelayMilliseconds": 250}));
        assert!(delay_setting("soon").is_err());
        let keys = vec!["UserId".to_owned()];
        let typed = r#"{"UserId": {"S": "U1"}, "Name": {"S": "Ana"}}"#;
        assert_eq!(
            item_request("PutItem", "Users", typed, &keys).unwrap()["Item"]["Name"],
            json!({"S": "Ana"})
        );
        let get = item_request("GetItem", "Users", typed, &keys).unwrap();
        assert_eq!(
            get,
            json!({"TableName": "Users", "Key": {"UserId": {"S": "U1"}}, "ConsistentRead": true})
        );
        assert!(item_request("DeleteItem", "Users", r#"{"Name": {"S": "x"}}"#, &keys)
            .unwrap_err()
            .contains("UserId"));
        assert!(item_request("PutItem", "Users", "[1]", &keys).is_err());
        let described = json!({"Table": {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}});
        assert_eq!(key_names(&described), ["pk", "sk"]);
    }
}
