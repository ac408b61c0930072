//! Stream records as GetRecords returns them [API_streams_Record, API_streams_StreamRecord].

use serde_json::{json, Map, Value};

use super::shard::{mix, sequence_text};
use crate::types::{item_size, item_to_json, Item};

/// What a stream shows of each change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ViewType {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

impl ViewType {
    /// From the API's name (already checked against the enum).
    pub fn parse(name: &str) -> Self {
        match name {
            "NEW_IMAGE" => Self::NewImage,
            "OLD_IMAGE" => Self::OldImage,
            "NEW_AND_OLD_IMAGES" => Self::NewAndOldImages,
            _ => Self::KeysOnly,
        }
    }

    /// The API's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::KeysOnly => "KEYS_ONLY",
            Self::NewImage => "NEW_IMAGE",
            Self::OldImage => "OLD_IMAGE",
            Self::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }

    fn shows_new(self) -> bool {
        matches!(self, Self::NewImage | Self::NewAndOldImages)
    }

    fn shows_old(self) -> bool {
        matches!(self, Self::OldImage | Self::NewAndOldImages)
    }
}

/// Who made a change: a caller, or DynamoDB itself deleting an expired item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    User,
    TimeToLive,
    /// A write replicated from another Region's replica (global tables): its stream record
    /// carries no `userIdentity`, as AWS documents none for version 2019.11.21.
    Replication,
}

/// One committed change to one item.
pub(crate) struct Change<'a> {
    /// The item's key attributes.
    pub keys: Item,
    pub old: Option<&'a Item>,
    pub new: Option<&'a Item>,
    pub origin: Origin,
}

impl Change<'_> {
    /// INSERT, MODIFY or REMOVE; `None` when nothing changed (DynamoDB writes no record then).
    pub fn event_name(&self) -> Option<&'static str> {
        match (self.old, self.new) {
            (None, Some(_)) => Some("INSERT"),
            (Some(old), Some(new)) if old != new => Some("MODIFY"),
            (Some(_), None) => Some("REMOVE"),
            _ => None,
        }
    }
}

/// Where a record is written: the stream and the engine's region.
pub(crate) struct RecordContext<'a> {
    pub stream_arn: &'a str,
    pub region: &'a str,
    pub view_type: ViewType,
    pub now_ms: u64,
}

/// The record for `change` with sequence number `sequence`, and its size in bytes
/// (`SizeBytes`: the keys and the images the view type carries).
pub(crate) fn build(
    ctx: &RecordContext<'_>,
    change: &Change<'_>,
    event_name: &str,
    sequence: u128,
) -> (Value, usize) {
    let mut size = item_size(&change.keys);
    let mut data = Map::new();
    // Whole seconds: "rounded down to the closest second".
    data.insert("ApproximateCreationDateTime".into(), json!(ctx.now_ms / 1000));
    data.insert("Keys".into(), item_to_json(&change.keys));
    if let Some(new) = change.new.filter(|_| ctx.view_type.shows_new()) {
        size += item_size(new);
        data.insert("NewImage".into(), item_to_json(new));
    }
    if let Some(old) = change.old.filter(|_| ctx.view_type.shows_old()) {
        size += item_size(old);
        data.insert("OldImage".into(), item_to_json(old));
    }
    data.insert("SequenceNumber".into(), json!(sequence_text(sequence)));
    data.insert("SizeBytes".into(), json!(size));
    data.insert("StreamViewType".into(), json!(ctx.view_type.name()));

    let mut record = Map::new();
    record.insert("eventID".into(), json!(event_id(ctx.stream_arn, sequence)));
    record.insert("eventName".into(), json!(event_name));
    record.insert("eventVersion".into(), json!("1.1"));
    record.insert("eventSource".into(), json!("aws:dynamodb"));
    record.insert("awsRegion".into(), json!(ctx.region));
    record.insert("dynamodb".into(), Value::Object(data));
    if change.origin == Origin::TimeToLive {
        // The wire API's `Identity` members are capitalised; a Lambda event spells the same
        // object `{"type", "principalId"}` (the trigger runner converts).
        record.insert(
            "userIdentity".into(),
            json!({"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}),
        );
    }
    (Value::Object(record), size)
}

/// A 32-hex-digit event id, unique per stream and sequence number, and stable.
fn event_id(stream_arn: &str, sequence: u128) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in stream_arn.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let low = sequence as u64;
    format!("{:016x}{:016x}", mix(h ^ low), mix(h.rotate_left(17) ^ low ^ 0x5bd1_e995))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::AttributeValue;

    fn item(pairs: &[(&str, &str)]) -> Item {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), AttributeValue::S((*v).to_owned()))).collect()
    }

    fn record(view: ViewType, old: Option<&Item>, new: Option<&Item>, origin: Origin) -> Value {
        let ctx = RecordContext { stream_arn: "arn", region: "us-east-1", view_type: view, now_ms: 1_500 };
        let change = Change { keys: item(&[("pk", "a")]), old, new, origin };
        let name = change.event_name().unwrap_or("none");
        build(&ctx, &change, name, 100_000_000_000_000_000_001).0
    }

    #[test]
    fn images_follow_the_view_type() {
        let (old, new) = (item(&[("pk", "a"), ("x", "1")]), item(&[("pk", "a"), ("x", "2")]));
        let all = record(ViewType::NewAndOldImages, Some(&old), Some(&new), Origin::User);
        assert_eq!(all["eventName"], "MODIFY");
        assert_eq!(all["dynamodb"]["OldImage"]["x"], json!({"S": "1"}));
        assert_eq!(all["dynamodb"]["NewImage"]["x"], json!({"S": "2"}));
        assert_eq!(all["dynamodb"]["ApproximateCreationDateTime"], 1);
        assert_eq!(all["dynamodb"]["SequenceNumber"], "100000000000000000001");
        assert_eq!(all["eventID"].as_str().map(str::len), Some(32));
        let keys = record(ViewType::KeysOnly, Some(&old), Some(&new), Origin::User);
        assert!(keys["dynamodb"].get("OldImage").is_none() && keys["dynamodb"].get("NewImage").is_none());
        assert_eq!(keys["dynamodb"]["Keys"], json!({"pk": {"S": "a"}}));
        let new_only = record(ViewType::NewImage, Some(&old), Some(&new), Origin::User);
        assert!(new_only["dynamodb"].get("OldImage").is_none());
        let old_only = record(ViewType::OldImage, Some(&old), None, Origin::User);
        assert_eq!(old_only["eventName"], "REMOVE");
        assert!(old_only["dynamodb"].get("NewImage").is_none());
        assert!(old_only.get("userIdentity").is_none());
    }

    #[test]
    fn ttl_deletions_name_the_service() {
        let old = item(&[("pk", "a")]);
        let r = record(ViewType::KeysOnly, Some(&old), None, Origin::TimeToLive);
        assert_eq!(r["userIdentity"], json!({"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}));
    }

    #[test]
    fn unchanged_items_make_no_event() {
        let same = item(&[("pk", "a")]);
        let change = Change { keys: same.clone(), old: Some(&same), new: Some(&same), origin: Origin::User };
        assert_eq!(change.event_name(), None);
    }
}
