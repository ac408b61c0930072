//! One request and its answer, as every view shows it: the [`Exchange`] record (operation,
//! the exact request sent, the response or the error, the round trip) and the texts drawn
//! from it — the DynamoDB error line, a short ConsumedCapacity line, and whether a read was
//! served stale (the engine's `ReadConsistency`). Platform-free;
//! `components/exchange.rs` shows it.

use serde_json::Value;

/// A request that was sent, and its answer once it came.
#[derive(Clone, PartialEq, Debug)]
pub struct Exchange {
    /// Operation name.
    pub operation: String,
    /// The exact request JSON sent.
    pub request: Value,
    /// `None` while waiting; then the response or the error.
    pub result: Option<Result<Value, Value>>,
    /// Round trip in milliseconds (including the commit for writes).
    pub ms: f64,
    /// The engine's id of the request when it consumed capacity: `PlaygroundExplainRequest`
    /// explains it ("why?").
    pub request_id: Option<String>,
    /// How an eventually consistent read was served (the engine's `ReadConsistency`, asked
    /// right after it): see [`consistency_text`].
    pub consistency: Option<Value>,
    /// Sent through a DAX cluster: how the cluster served it (`PlaygroundDaxRequest`'s answer
    /// without its `Response`, with `ClusterName`); `None` for a request to the table.
    pub dax: Option<Value>,
}

impl Exchange {
    /// The DynamoDB error message, when the request failed.
    pub fn error_message(&self) -> Option<String> {
        match &self.result {
            Some(Err(e)) => Some(format!(
                "{}: {}",
                e["__type"].as_str().unwrap_or("Error").rsplit('#').next().unwrap_or("Error"),
                e["message"].as_str().or_else(|| e["Message"].as_str()).unwrap_or("")
            )),
            _ => None,
        }
    }
}

/// A short text for the ConsumedCapacity of a response.
pub fn consumed_capacity_text(response: &Value) -> Option<String> {
    let one = |c: &Value| {
        // A vector search is metered in bytes, not capacity units.
        if let Some(bytes) = c.get("VectorSearchRequestBytes") {
            return format!("{bytes} VectorSearchRequestBytes");
        }
        // JSON numbers print as DynamoDB sent them (no float formatting in the bundle).
        let units = c.get("CapacityUnits").filter(|v| v.is_number()).cloned().unwrap_or(Value::from(0));
        let mut parts = Vec::new();
        if let Some(r) = c.get("ReadCapacityUnits").filter(|v| v.is_number()) {
            parts.push(format!("{r} RCU"));
        }
        if let Some(w) = c.get("WriteCapacityUnits").filter(|v| v.is_number()) {
            parts.push(format!("{w} WCU"));
        }
        let detail = if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) };
        let mut text =
            format!("{units} capacity units on {}{detail}", c["TableName"].as_str().unwrap_or("?"));
        // A write's vector indexes are metered in bytes beside the units (INDEXES only).
        if let Some(Value::Object(vectors)) = c.get("VectorIndexes") {
            let each: Vec<String> =
                vectors.iter().map(|(name, v)| format!("{name} {}", v["VectorWriteRequestBytes"])).collect();
            text.push_str(&format!("; VectorWriteRequestBytes {}", each.join(", ")));
        }
        text
    };
    match &response["ConsumedCapacity"] {
        Value::Object(_) => Some(one(&response["ConsumedCapacity"])),
        Value::Array(list) if !list.is_empty() => Some(list.iter().map(one).collect::<Vec<_>>().join("; ")),
        _ => None,
    }
}

/// What a read did, in the learner's words: which consistency a GetItem, Query or Scan asked
/// for, and for a Query or Scan its `Count` against its `ScannedCount` — a filter is applied
/// after the read, so what was read (and charged) can be more than what came back.
pub fn read_summary(operation: &str, request: &Value, response: &Value) -> Option<String> {
    if !matches!(operation, "GetItem" | "Query" | "Scan") {
        return None;
    }
    let consistency = if request["ConsistentRead"] == Value::Bool(true) {
        "strongly consistent read"
    } else if request.get("IndexName").is_some() {
        "eventually consistent read (of an index)"
    } else {
        "eventually consistent read"
    };
    let (Some(count), Some(scanned)) = (response["Count"].as_u64(), response["ScannedCount"].as_u64()) else {
        return Some(consistency.to_owned());
    };
    let mut text = format!("{consistency} · Count {count} of ScannedCount {scanned}");
    if scanned > count {
        text.push_str(&format!(
            ": the filter dropped {} after the read, and capacity is charged for all {} read",
            scanned - count,
            crate::fixed::plural(scanned, "item")
        ));
    }
    Some(text)
}

/// Whether a successful `operation` may have been served by a lagging replica or index, so
/// the view asks the engine how it was served (`PlaygroundExplainRequest`'s
/// `ReadConsistency`): a read that did not ask for `ConsistentRead: true`.
pub fn may_be_stale(operation: &str, request: &Value) -> bool {
    match operation {
        "GetItem" | "Query" | "Scan" | "ExecuteStatement" => request["ConsistentRead"] != Value::Bool(true),
        "BatchGetItem" => request["RequestItems"]
            .as_object()
            .is_some_and(|tables| tables.values().any(|t| t["ConsistentRead"] != Value::Bool(true))),
        _ => false,
    }
}

/// What the engine said of a read's consistency (`ReadConsistency` of
/// `PlaygroundExplainRequest`), in the learner's words, and whether the answer was stale: the
/// replica (or index) that served it, how many writes it missed, how long ago and when it caught
/// up. `None` when there is nothing to add: a strong read, or the playground's delays at zero.
pub fn consistency_text(consistency: &Value) -> Option<(String, bool)> {
    let reads = consistency["Reads"].as_array()?;
    let on = |r: &Value| match (r["IndexName"].as_str(), r["Replica"].as_u64()) {
        (Some(index), None) => format!("index {index} (updated after its table)"),
        (_, Some(replica)) => format!("replica {replica} of 3"),
        _ => "a replica".to_owned(),
    };
    let ms = |v: &Value| v.as_u64().unwrap_or(0);
    if consistency["Stale"] == Value::Bool(true) {
        let stale: Vec<String> = reads.iter().filter(|r| r["Stale"] == Value::Bool(true)).map(on).collect();
        let (missed, behind, caught) = (
            ms(&consistency["MissedWrites"]),
            ms(&consistency["BehindMilliseconds"]),
            ms(&consistency["CaughtUpInMilliseconds"]),
        );
        let writes = match missed {
            1 => format!("1 write, acknowledged {behind} ms before the read and arriving {caught} ms after it"),
            n => format!("{n} writes, the oldest acknowledged {behind} ms before the read, all arriving within {caught} ms after it"),
        };
        return Some((
            format!(
                "Stale answer: served by {} without {writes}. ConsistentRead: true reads the latest (at twice the read units; GSIs cannot).",
                stale.join(", ")
            ),
            true,
        ));
    }
    // Fresh: worth a word only while a delay is on (otherwise every read is the latest).
    let first = reads.iter().find(|r| ms(&r["DelayMilliseconds"]) > 0)?;
    let text = match reads.len() {
        1 => format!("Up to date: served by {}, which had every write.", on(first)),
        n => format!("Up to date: {n} reads, each served by a replica that had every write."),
    };
    Some((text, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn capacity_text_names_units_table_and_split() {
        assert_eq!(
            consumed_capacity_text(&json!({"ConsumedCapacity": {"TableName": "T", "CapacityUnits": 1.0}})),
            Some("1.0 capacity units on T".into())
        );
        let batch = json!({"ConsumedCapacity": [
            {"TableName": "A", "CapacityUnits": 2.5, "ReadCapacityUnits": 2.5},
            {"TableName": "B", "CapacityUnits": 3, "WriteCapacityUnits": 3}
        ]});
        assert_eq!(
            consumed_capacity_text(&batch),
            Some("2.5 capacity units on A (2.5 RCU); 3 capacity units on B (3 WCU)".into())
        );
        assert_eq!(consumed_capacity_text(&json!({"ConsumedCapacity": []})), None);
        assert_eq!(
            consumed_capacity_text(&json!({"ConsumedCapacity": {"VectorSearchRequestBytes": 1024.0}})),
            Some("1024.0 VectorSearchRequestBytes".into())
        );
        let write = json!({"ConsumedCapacity": {"TableName": "P", "CapacityUnits": 2.0, "VectorIndexes": {
            "ByCategory": {"VectorWriteRequestBytes": 1150.0}, "Nearest": {"VectorWriteRequestBytes": 1024.0}}}});
        assert_eq!(
            consumed_capacity_text(&write),
            Some("2.0 capacity units on P; VectorWriteRequestBytes ByCategory 1150.0, Nearest 1024.0".into())
        );
        assert_eq!(consumed_capacity_text(&json!({"Item": {}})), None);
    }

    #[test]
    fn read_summary_names_consistency_and_what_the_filter_dropped() {
        let filtered = read_summary(
            "Query",
            &json!({"FilterExpression": "#Year > :y"}),
            &json!({"Count": 0, "ScannedCount": 2}),
        );
        assert_eq!(
            filtered.as_deref(),
            Some("eventually consistent read · Count 0 of ScannedCount 2: the filter dropped 2 after the read, and capacity is charged for all 2 items read")
        );
        assert_eq!(
            read_summary("Scan", &json!({"ConsistentRead": true}), &json!({"Count": 1, "ScannedCount": 1}))
                .as_deref(),
            Some("strongly consistent read · Count 1 of ScannedCount 1")
        );
        assert_eq!(
            read_summary("GetItem", &json!({"ConsistentRead": false}), &json!({})).as_deref(),
            Some("eventually consistent read")
        );
        assert_eq!(read_summary("PutItem", &json!({}), &json!({})), None);
    }

    #[test]
    fn consistency_says_which_replica_was_stale_and_by_how_much() {
        let stale = json!({"Consistency": "EVENTUAL", "Stale": true, "StaleItems": 1, "MissedWrites": 1,
            "BehindMilliseconds": 400, "CaughtUpInMilliseconds": 600,
            "Reads": [{"TableName": "T", "Replica": 3, "DelayMilliseconds": 1000, "Stale": true}]});
        assert_eq!(
            consistency_text(&stale),
            Some((
                "Stale answer: served by replica 3 of 3 without 1 write, acknowledged 400 ms before the read and arriving 600 ms after it. ConsistentRead: true reads the latest (at twice the read units; GSIs cannot).".into(),
                true
            ))
        );
        let gsi = json!({"Stale": true, "MissedWrites": 2, "Reads": [{"TableName": "T", "IndexName": "ByColour",
            "DelayMilliseconds": 500, "Stale": true}]});
        assert!(consistency_text(&gsi).unwrap().0.starts_with(
            "Stale answer: served by index ByColour (updated after its table) without 2 writes, the oldest"
        ));
        let fresh = json!({"Stale": false, "Reads": [{"TableName": "T", "Replica": 2, "DelayMilliseconds": 1000, "Stale": false}]});
        assert_eq!(
            consistency_text(&fresh),
            Some(("Up to date: served by replica 2 of 3, which had every write.".into(), false))
        );
        let off = json!({"Stale": false, "Reads": [{"TableName": "T", "Replica": 3, "DelayMilliseconds": 0, "Stale": false}]});
        assert_eq!(consistency_text(&off), None, "nothing to say with the delays at zero");
        assert_eq!(consistency_text(&json!({"Consistency": "STRONG", "Stale": false})), None);
        assert!(may_be_stale("GetItem", &json!({"ConsistentRead": false})));
        assert!(!may_be_stale("Query", &json!({"ConsistentRead": true})));
        assert!(may_be_stale(
            "BatchGetItem",
            &json!({"RequestItems": {"A": {"ConsistentRead": true}, "B": {}}})
        ));
        assert!(!may_be_stale("PutItem", &json!({})));
    }

    #[test]
    fn error_message_is_the_short_type_and_the_message() {
        let mut x = Exchange {
            operation: "PutItem".into(),
            request: json!({}),
            result: None,
            ms: 0.0,
            request_id: None,
            consistency: None,
            dax: None,
        };
        assert_eq!(x.error_message(), None);
        x.result = Some(Err(
            json!({"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": "bad <thing>"}),
        ));
        assert_eq!(x.error_message(), Some("ValidationException: bad <thing>".into()));
        x.result = Some(Err(json!({"__type": "InternalServerError", "Message": "m"})));
        assert_eq!(x.error_message(), Some("InternalServerError: m".into()));
        x.result = Some(Ok(json!({})));
        assert_eq!(x.error_message(), None);
    }
}
