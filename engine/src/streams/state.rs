//! A stream's whole state as JSON — ARN, label, status times, shards with their lineage and
//! ranges, every retained record, the sequence-number counter — for a host's snapshot of the
//! workspace (`Engine::export_snapshot`). With it, a workspace rebuilt from a snapshot has the
//! same stream: the same records under the same sequence numbers, and the next change gets the
//! next number, so a reader's saved position (a Lambda-style trigger's) stays meaningful.
//! Sequence numbers are written as strings (they exceed what a JSON number holds exactly).

use std::collections::VecDeque;

use serde_json::{json, Map, Value};

use super::shard::{parse_sequence, sequence_text, Shard, Shards, StoredRecord};
use super::{StreamLog, ViewType};

fn seq(v: &Value) -> Option<u128> {
    parse_sequence(v.as_str()?)
}

fn record_json(r: &StoredRecord) -> Value {
    json!({"Sequence": sequence_text(r.sequence), "CreatedMs": r.created_ms, "Size": r.size, "Record": r.body})
}

fn record_from(v: &Value) -> Option<StoredRecord> {
    Some(StoredRecord {
        sequence: seq(&v["Sequence"])?,
        created_ms: v["CreatedMs"].as_u64()?,
        size: usize::try_from(v["Size"].as_u64()?).ok()?,
        body: v.get("Record")?.clone(),
    })
}

fn shard_json(s: &Shard) -> Value {
    let mut m = Map::new();
    m.insert("ShardId".into(), json!(s.id));
    if let Some(p) = &s.parent {
        m.insert("ParentShardId".into(), json!(p));
    }
    m.insert("Range".into(), json!([s.range.0, s.range.1]));
    m.insert("OpenedMs".into(), json!(s.opened_ms));
    m.insert("Starting".into(), json!(sequence_text(s.starting)));
    if let (Some(end), Some(at)) = (s.ending, s.closed_ms) {
        m.insert("Ending".into(), json!(sequence_text(end)));
        m.insert("ClosedMs".into(), json!(at));
    }
    m.insert("TrimHorizon".into(), json!(sequence_text(s.trim_horizon)));
    m.insert("Records".into(), s.records.iter().map(record_json).collect());
    Value::Object(m)
}

fn shard_from(v: &Value) -> Option<Shard> {
    let records = v["Records"].as_array()?.iter().map(record_from).collect::<Option<VecDeque<_>>>()?;
    let ending = match v.get("Ending") {
        None => None,
        Some(e) => Some(seq(e)?),
    };
    Some(Shard {
        id: v["ShardId"].as_str()?.to_owned(),
        parent: v["ParentShardId"].as_str().map(str::to_owned),
        range: (v["Range"][0].as_u64()?, v["Range"][1].as_u64()?),
        opened_ms: v["OpenedMs"].as_u64()?,
        starting: seq(&v["Starting"])?,
        ending,
        closed_ms: if ending.is_some() { Some(v["ClosedMs"].as_u64()?) } else { None },
        records,
        trim_horizon: seq(&v["TrimHorizon"])?,
    })
}

/// The stream log as JSON.
pub(crate) fn to_json(log: &StreamLog) -> Value {
    let mut m = Map::new();
    m.insert("StreamArn".into(), json!(log.arn));
    m.insert("StreamLabel".into(), json!(log.label));
    m.insert("TableName".into(), json!(log.table_name));
    m.insert("Region".into(), json!(log.region));
    m.insert("StreamViewType".into(), json!(log.view_type.name()));
    m.insert("KeySchema".into(), log.key_schema.clone());
    m.insert("CreatedMs".into(), json!(log.created_ms));
    m.insert("EnabledAtMs".into(), json!(log.enabled_at_ms));
    if let Some(t) = log.disabled_ms {
        m.insert("DisabledMs".into(), json!(t));
    }
    let shards = &log.shards;
    m.insert("LastSequence".into(), json!(sequence_text(shards.last_sequence)));
    m.insert("ShardsOpened".into(), json!(shards.opened));
    m.insert("Seed".into(), json!(shards.seed));
    m.insert("Shards".into(), shards.list.iter().map(shard_json).collect());
    if let Some(policy) = &log.policy {
        m.insert("ResourcePolicy".into(), policy.to_json());
    }
    Value::Object(m)
}

/// A stream log from [`to_json`]'s JSON, or `None` if it is not one.
pub(crate) fn from_json(v: &Value) -> Option<StreamLog> {
    let view = v["StreamViewType"].as_str()?;
    if !["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"].contains(&view) {
        return None;
    }
    let list = v["Shards"].as_array()?.iter().map(shard_from).collect::<Option<Vec<_>>>()?;
    Some(StreamLog {
        arn: v["StreamArn"].as_str()?.to_owned(),
        label: v["StreamLabel"].as_str()?.to_owned(),
        table_name: v["TableName"].as_str()?.to_owned(),
        region: v["Region"].as_str()?.to_owned(),
        view_type: ViewType::parse(view),
        key_schema: v.get("KeySchema")?.clone(),
        created_ms: v["CreatedMs"].as_u64()?,
        enabled_at_ms: v["EnabledAtMs"].as_u64()?,
        disabled_ms: match v.get("DisabledMs") {
            None => None,
            Some(t) => Some(t.as_u64()?),
        },
        shards: Shards {
            bytes: list.iter().flat_map(|s| &s.records).map(|r| r.size).sum(),
            list,
            last_sequence: seq(&v["LastSequence"])?,
            opened: v["ShardsOpened"].as_u64()?,
            seed: v["Seed"].as_u64()?,
        },
        // The engine's setting, set by whoever imports the log.
        retention_bytes: super::DEFAULT_RETENTION_BYTES as usize,
        policy: match v.get("ResourcePolicy") {
            None => None,
            Some(p) => Some(crate::control::ResourcePolicy::from_json(p)?),
        },
    })
}
