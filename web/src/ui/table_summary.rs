//! What a table is, in one header: which attribute is the partition key and which the sort
//! key (in words, not only a colour), billing mode and capacity, warm throughput, deletion
//! protection and on-demand maxima, indexes, stream — drawn from
//! DescribeTable — and the UpdateTable behind *Edit capacity*. Platform-free (tested
//! natively); the item explorer shows it above the items. The facts are static text written as
//! markup (through [`crate::ui::markup::esc`]): as `html!` they cost several KB of bundle for
//! a dozen elements without a control (web/README.md, *One way to write a view*).

use serde_json::{json, Value};

use crate::fixed::plural;
use crate::ui::markup::esc;

/// "Artist (S)" for the key of `kind` (`HASH` or `RANGE`) in `schema`.
fn key(table: &Value, schema: &Value, kind: &str) -> Option<String> {
    typed(table, &schema.as_array()?.iter().find(|k| k["KeyType"] == json!(kind))?["AttributeName"])
}

/// "Artist (S)" for the key attribute `name`.
fn typed(table: &Value, name: &Value) -> Option<String> {
    let name = name.as_str()?;
    let attribute_type = table["AttributeDefinitions"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["AttributeName"] == json!(name)))
        .and_then(|d| d["AttributeType"].as_str())
        .unwrap_or("?");
    Some(format!("{name} ({attribute_type})"))
}

/// The provisioned (RCU, WCU) of a DescribeTable's table, `None` on demand.
pub fn provisioned(table: &Value) -> Option<(u64, u64)> {
    let t = &table["ProvisionedThroughput"];
    let units = (t["ReadCapacityUnits"].as_u64()?, t["WriteCapacityUnits"].as_u64()?);
    (table["BillingModeSummary"]["BillingMode"] != json!("PAY_PER_REQUEST") && units.0 > 0).then_some(units)
}

/// The header's facts of a DescribeTable response as markup: a `<dl>` of partition key, sort
/// key, capacity, indexes and stream (each `<dd>` with a `data-testid`), and the status.
pub fn facts(describe: &Value) -> String {
    let table = &describe["Table"];
    let mut indexes = Vec::new();
    for (list, kind) in [("GlobalSecondaryIndexes", "GSI"), ("LocalSecondaryIndexes", "LSI")] {
        for index in table[list].as_array().into_iter().flatten() {
            // Every key attribute in KeySchema order (a multi-attribute key has several).
            let keys: Vec<String> = index["KeySchema"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|k| typed(table, &k["AttributeName"]))
                .collect();
            indexes.push(format!(
                "{kind} {}: {} · {}",
                index["IndexName"].as_str().unwrap_or("?"),
                keys.join(", "),
                index["Projection"]["ProjectionType"].as_str().unwrap_or("ALL")
            ));
        }
    }
    let stream = &table["StreamSpecification"];
    let warm = &table["WarmThroughput"];
    let warm_text = match (warm["ReadUnitsPerSecond"].as_u64(), warm["WriteUnitsPerSecond"].as_u64()) {
        (Some(r), Some(w)) => {
            let updating = if warm["Status"] == json!("UPDATING") { " (updating)" } else { "" };
            format!("{r} reads · {w} writes a second at once{updating}")
        }
        _ => "unknown".into(),
    };
    // The 2024–2026 settings a learner set: deletion protection, on-demand maxima.
    let mut limits = Vec::new();
    if table["DeletionProtectionEnabled"] == json!(true) {
        limits.push("deletion protection on".to_owned());
    }
    let max = &table["OnDemandThroughput"];
    for (member, what) in [("MaxReadRequestUnits", "reads"), ("MaxWriteRequestUnits", "writes")] {
        if let Some(n) = max[member].as_u64() {
            limits.push(format!("at most {n} {what} a second"));
        }
    }
    let rows = [
        ("Partition key", "partition-key", key(table, &table["KeySchema"], "HASH").unwrap_or_default()),
        ("Sort key", "sort-key", key(table, &table["KeySchema"], "RANGE").unwrap_or_else(|| "none".into())),
        (
            "Capacity",
            "billing",
            match provisioned(table) {
                Some((r, w)) => format!("Provisioned · {r} RCU / {w} WCU"),
                None => "On-demand (pay per request)".into(),
            },
        ),
        ("Warm throughput", "warm", warm_text),
        ("Limits", "limits", if limits.is_empty() { "none".into() } else { limits.join(" · ") }),
        ("Indexes", "indexes", if indexes.is_empty() { "none".into() } else { indexes.join(" · ") }),
        (
            "Stream",
            "stream",
            if stream["StreamEnabled"] == json!(true) {
                stream["StreamViewType"].as_str().unwrap_or("on").to_owned()
            } else {
                "off".into()
            },
        ),
        (
            "Status",
            "status",
            format!(
                "{} · {}",
                table["TableStatus"].as_str().unwrap_or("?"),
                plural(table["ItemCount"].as_u64().unwrap_or(0), "item")
            ),
        ),
    ];
    let mut s = String::from("<dl class=\"facts\">");
    for (label, id, value) in rows {
        s.push_str(&format!(
            "<div class=\"fact\"><dt>{label}</dt><dd data-testid=\"fact-{id}\">{}</dd></div>",
            esc(&value)
        ));
    }
    s.push_str("</dl>");
    s
}

/// What *Edit capacity* offers to change: the current setting as the learner types it back.
pub fn capacity_text(describe: &Value) -> String {
    match provisioned(&describe["Table"]) {
        Some((r, w)) => format!("{r} {w}"),
        None => "on-demand".to_owned(),
    }
}

/// The UpdateTable for what the learner answered *Edit capacity* with: "on-demand", or read
/// and write capacity units ("10 5"); `None` when there is nothing to send (no answer, or the
/// same setting). Numbers that are not whole pass through as typed, so the engine's own
/// validation message answers them. A switch to provisioned gives every GSI the same
/// capacity, which DynamoDB requires.
pub fn capacity_update(describe: &Value, answer: &str) -> Option<Value> {
    let table = &describe["Table"];
    let name = table["TableName"].as_str().unwrap_or("");
    let answer = answer.trim();
    let was = provisioned(table);
    if answer.is_empty() || answer == capacity_text(describe) {
        return None;
    }
    if answer.eq_ignore_ascii_case("on-demand") {
        return was.map(|_| json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST"}));
    }
    let mut parts = answer.split([' ', ',', '/']).filter(|p| !p.is_empty());
    let number = |t: &str| t.parse::<u64>().map(Value::from).unwrap_or_else(|_| json!(t));
    let read = number(parts.next()?);
    let write = parts.next().map_or_else(|| read.clone(), number);
    let throughput = json!({"ReadCapacityUnits": read, "WriteCapacityUnits": write});
    let mut request = json!({"TableName": name, "ProvisionedThroughput": throughput});
    if was.is_none() {
        request["BillingMode"] = json!("PROVISIONED");
        let updates: Vec<Value> = table["GlobalSecondaryIndexes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|g| json!({"Update": {"IndexName": g["IndexName"], "ProvisionedThroughput": throughput}}))
            .collect();
        if !updates.is_empty() {
            request["GlobalSecondaryIndexUpdates"] = Value::Array(updates);
        }
    }
    Some(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn music() -> Value {
        json!({"Table": {
            "TableName": "Music", "TableStatus": "ACTIVE", "ItemCount": 1,
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                {"AttributeName": "Year", "AttributeType": "N"}, {"AttributeName": "Genre", "AttributeType": "S"}],
            "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
            "GlobalSecondaryIndexes": [{"IndexName": "By<Genre>", "KeySchema": [{"AttributeName": "Genre", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}
        }})
    }

    #[test]
    fn facts_name_keys_billing_indexes_stream_and_status() {
        let html = facts(&music());
        for expected in [
            "<dt>Partition key</dt><dd data-testid=\"fact-partition-key\">Artist (S)</dd>",
            "<dd data-testid=\"fact-sort-key\">Year (N)</dd>",
            "<dd data-testid=\"fact-billing\">On-demand (pay per request)</dd>",
            "<dd data-testid=\"fact-indexes\">GSI By&lt;Genre&gt;: Genre (S) · KEYS_ONLY</dd>",
            "<dd data-testid=\"fact-stream\">NEW_IMAGE</dd>",
            "<dd data-testid=\"fact-status\">ACTIVE · 1 item</dd>",
        ] {
            assert!(html.contains(expected), "{expected} in {html}");
        }
        let mut provisioned = music();
        provisioned["Table"]["BillingModeSummary"]["BillingMode"] = json!("PROVISIONED");
        provisioned["Table"]["ProvisionedThroughput"] =
            json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 10});
        provisioned["Table"]["StreamSpecification"] = json!({"StreamEnabled": false});
        let html = facts(&provisioned);
        assert!(
            html.contains(">Provisioned · 5 RCU / 10 WCU<") && html.contains("fact-stream\">off<"),
            "{html}"
        );
        // A multi-attribute key: every attribute, in KeySchema order.
        let mut multi = music();
        multi["Table"]["GlobalSecondaryIndexes"][0]["KeySchema"] = json!([{"AttributeName": "Genre", "KeyType": "HASH"},
            {"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"}]);
        assert!(
            facts(&multi).contains(": Genre (S), Artist (S), Year (N) · KEYS_ONLY<"),
            "{}",
            facts(&multi)
        );
        // Nothing to read is not a panic.
        assert!(facts(&json!(null)).contains("fact-sort-key\">none<"));
    }

    #[test]
    fn facts_show_warm_throughput_protection_and_maxima() {
        let mut table = music();
        table["Table"]["WarmThroughput"] =
            json!({"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"});
        let html = facts(&table);
        assert!(html.contains("fact-warm\">12000 reads · 4000 writes a second at once<"), "{html}");
        assert!(html.contains("fact-limits\">none<"), "{html}");
        table["Table"]["WarmThroughput"]["Status"] = json!("UPDATING");
        table["Table"]["DeletionProtectionEnabled"] = json!(true);
        table["Table"]["OnDemandThroughput"] = json!({"MaxWriteRequestUnits": 50});
        let html = facts(&table);
        assert!(html.contains("a second at once (updating)<"), "{html}");
        assert!(
            html.contains("fact-limits\">deletion protection on · at most 50 writes a second<"),
            "{html}"
        );
    }

    #[test]
    fn edit_capacity_answers_become_update_table() {
        let on_demand = music();
        assert_eq!(capacity_text(&on_demand), "on-demand");
        assert_eq!(capacity_update(&on_demand, " on-demand "), None);
        assert_eq!(capacity_update(&on_demand, ""), None);
        let throughput = json!({"ReadCapacityUnits": 7, "WriteCapacityUnits": 3});
        assert_eq!(
            capacity_update(&on_demand, "7 3"),
            Some(
                json!({"TableName": "Music", "ProvisionedThroughput": throughput, "BillingMode": "PROVISIONED",
                "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "By<Genre>", "ProvisionedThroughput": throughput}}]})
            )
        );
        let mut provisioned = music();
        provisioned["Table"]["BillingModeSummary"]["BillingMode"] = json!("PROVISIONED");
        provisioned["Table"]["ProvisionedThroughput"] =
            json!({"ReadCapacityUnits": 7, "WriteCapacityUnits": 3});
        assert_eq!(capacity_text(&provisioned), "7 3");
        assert_eq!(capacity_update(&provisioned, "7 3"), None);
        assert_eq!(
            capacity_update(&provisioned, "10/x"),
            Some(
                json!({"TableName": "Music", "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": "x"}})
            )
        );
        assert_eq!(
            capacity_update(&provisioned, "On-Demand"),
            Some(json!({"TableName": "Music", "BillingMode": "PAY_PER_REQUEST"}))
        );
    }
}
