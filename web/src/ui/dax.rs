//! DAX in the page, platform-free and unit-tested natively: the exchange view's line on how a
//! request went through a cluster ([`outcome_line`]), and what the DAX view (`learn/dax.rs`)
//! draws from `PlaygroundDescribeDaxCache` — hit ratios, time
//! left, keys in short, the hits-and-misses chart (markup text, as the Capacity charts are) —
//! and the requests its form sends to make a cluster.

use serde_json::{json, Value};

use crate::ui::markup::push_esc;

/// The operations a DAX cluster serves (`engine/src/dax/serve.rs`): the console sends only
/// these through one.
pub const SERVED: [&str; 10] = [
    "GetItem",
    "BatchGetItem",
    "Query",
    "Scan",
    "TransactGetItems",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "TransactWriteItems",
];

/// Microseconds as the view shows them: `200 µs`, `3.2 ms`.
pub fn micros(us: u64) -> String {
    match us {
        0..1_000 => format!("{us} µs"),
        _ => format!("{}.{} ms", us / 1_000, us % 1_000 / 100),
    }
}

/// The exchange view's line for a request sent through a cluster: `{ClusterName, Outcome,
/// Cache?, CacheHits, CacheMisses, LatencyMicroseconds}` (PlaygroundDaxRequest's answer without
/// its `Response`), in the learner's words.
pub fn outcome_line(dax: &Value) -> String {
    let cluster = dax["ClusterName"].as_str().unwrap_or("?");
    let Some(outcome) = dax["Outcome"].as_str() else {
        return format!("Sent through DAX cluster {cluster}");
    };
    let cache = if dax["Cache"] == "QUERY" { "query cache" } else { "item cache" };
    let what = match outcome {
        "HIT" => format!("{cache} hit, no read capacity used"),
        "MISS" => format!("{cache} miss, read from the table and cached"),
        "PARTIAL_HIT" => format!(
            "{} of {} keys from the item cache",
            dax["CacheHits"],
            dax["CacheHits"].as_u64().unwrap_or(0) + dax["CacheMisses"].as_u64().unwrap_or(0)
        ),
        "PASS_THROUGH" => {
            "passed through: strongly consistent and transactional reads are never cached".into()
        }
        "WRITE_THROUGH" => "written to the table, then to the item cache".into(),
        other => other.to_owned(),
    };
    let latency = micros(dax["LatencyMicroseconds"].as_u64().unwrap_or(0));
    format!("DAX {cluster}: {what} · {latency} (simulated)")
}

/// A hit ratio as a percentage with one decimal (`87.5 %`), or `—` before any lookup; integer
/// arithmetic only (no float formatting in the bundle).
pub fn hit_ratio(hits: u64, misses: u64) -> String {
    let total = hits + misses;
    if total == 0 {
        return "—".into();
    }
    let tenths = (hits * 1000 + total / 2) / total;
    format!("{}.{} %", tenths / 10, tenths % 10)
}

/// Time left before an entry expires: `4:59`, `0:03`, or `never` (a TTL of 0).
pub fn time_left(ms: &Value) -> String {
    match ms.as_u64() {
        None => "never".into(),
        Some(ms) => {
            let s = ms.div_ceil(1000);
            format!("{}:{:02}", s / 60, s % 60)
        }
    }
}

/// A DynamoDB-JSON value in short: `"Ada"`, `42`, `true`, or its type for a larger one.
fn short_value(v: &Value) -> String {
    let Some((tag, inner)) = v.as_object().and_then(|m| m.iter().next()) else { return "?".into() };
    match (tag.as_str(), inner) {
        ("S", Value::String(s)) | ("N", Value::String(s)) => {
            let mut s = s.clone();
            if s.chars().count() > 24 {
                s = s.chars().take(23).chain(['…']).collect();
            }
            if tag == "S" {
                format!("\"{s}\"")
            } else {
                s
            }
        }
        ("BOOL", b) => b.to_string(),
        ("NULL", _) => "null".into(),
        (tag, _) => format!("({tag})"),
    }
}

/// An item or key in short: `UserId="U1", Age=41`.
pub fn short_item(item: &Value) -> String {
    match item.as_object() {
        Some(m) => m.iter().map(|(k, v)| format!("{k}={}", short_value(v))).collect::<Vec<_>>().join(", "),
        None => String::new(),
    }
}

/// The hits (up), misses (down) and evictions (dots) of each second of `metrics` (a
/// `PlaygroundDescribeDaxCache` answer's `Metrics`), item and query caches together, as an SVG.
pub fn chart(metrics: &Value) -> String {
    const W: u64 = 600;
    const H: u64 = 120;
    let column = |name: &str| -> Vec<u64> {
        metrics[name]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_u64().unwrap_or(0)).collect())
            .unwrap_or_default()
    };
    let sum =
        |a: &str, b: &str| -> Vec<u64> { column(a).iter().zip(column(b)).map(|(x, y)| x + y).collect() };
    let hits = sum("ItemCacheHits", "QueryCacheHits");
    let misses = sum("ItemCacheMisses", "QueryCacheMisses");
    let evictions = sum("ItemCacheEvictions", "QueryCacheEvictions");
    let n = hits.len().max(1) as u64;
    let top = hits.iter().chain(&misses).copied().max().unwrap_or(0).max(1);
    let bar = (W / n).max(1);
    let mid = H / 2;
    let mut out = format!(
        "<svg class=\"dax-chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"Cache hits (up) and misses (down) per second\"><line x1=\"0\" y1=\"{mid}\" x2=\"{W}\" y2=\"{mid}\" class=\"axis\"/>"
    );
    for (i, ((h, m), e)) in hits.iter().zip(&misses).zip(&evictions).enumerate() {
        let x = i as u64 * W / n;
        let up = h * (mid - 4) / top;
        let down = m * (mid - 4) / top;
        if up > 0 {
            out.push_str(&format!(
                "<rect class=\"hit\" fill=\"#2e7d4f\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{up}\"/>",
                mid - up
            ));
        }
        if down > 0 {
            out.push_str(&format!(
                "<rect class=\"miss\" fill=\"#c0392b\" x=\"{x}\" y=\"{mid}\" width=\"{bar}\" height=\"{down}\"/>"
            ));
        }
        if *e > 0 {
            out.push_str(&format!(
                "<circle class=\"evict\" fill=\"#e0a100\" cx=\"{}\" cy=\"6\" r=\"3\"/>",
                x + bar / 2
            ));
        }
    }
    let total = |v: &[u64]| v.iter().sum::<u64>();
    let mut caption = String::new();
    push_esc(
        &mut caption,
        &format!(
            "last {n} s: {} hits, {} misses, {} evictions (peak {top}/s)",
            total(&hits),
            total(&misses),
            total(&evictions)
        ),
    );
    out.push_str("</svg><p class=\"muted small\" data-testid=\"dax-chart-caption\">");
    out.push_str(&caption);
    out.push_str("</p>");
    out
}

/// What the form to make a cluster holds, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateForm {
    pub name: String,
    pub node_type: String,
    pub nodes: String,
    /// `record-ttl-millis`, `query-ttl-millis` as typed; other than 300000, a parameter group
    /// `<name>-ttl` is made with them.
    pub record_ttl: String,
    pub query_ttl: String,
}

impl Default for CreateForm {
    fn default() -> Self {
        Self {
            name: "cache".into(),
            node_type: "dax.t3.small".into(),
            nodes: "1".into(),
            record_ttl: "300000".into(),
            query_ttl: "300000".into(),
        }
    }
}

/// The role a playground cluster names (DAX requires one; the playground never assumes it).
pub const ROLE: &str = "arn:aws:iam::000000000000:role/DAXServiceRole";

impl CreateForm {
    /// The requests that make the cluster: a parameter group first when a TTL is not the
    /// default, then CreateCluster; or why they cannot be sent.
    pub fn requests(&self) -> Result<Vec<(&'static str, Value)>, String> {
        let name = self.name.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err("Name the cluster.".into());
        }
        let number = |text: &str, what: &str| {
            text.trim()
                .parse::<u64>()
                .map_err(|_| format!("{what} must be a whole number of milliseconds (0 or more)."))
        };
        let record = number(&self.record_ttl, "The item cache TTL")?;
        let query = number(&self.query_ttl, "The query cache TTL")?;
        let nodes: u64 =
            self.nodes.trim().parse().map_err(|_| "Nodes must be a number from 1 to 10.".to_owned())?;
        let mut out = Vec::new();
        let mut cluster = json!({"ClusterName": name, "NodeType": self.node_type, "ReplicationFactor": nodes, "IamRoleArn": ROLE});
        if record != 300_000 || query != 300_000 {
            let group = format!("{name}-ttl");
            out.push((
                "CreateParameterGroup",
                json!({"ParameterGroupName": group, "Description": format!("TTLs of {name}")}),
            ));
            out.push((
                "UpdateParameterGroup",
                json!({"ParameterGroupName": group, "ParameterNameValues": [
                    {"ParameterName": "record-ttl-millis", "ParameterValue": record.to_string()},
                    {"ParameterName": "query-ttl-millis", "ParameterValue": query.to_string()},
                ]}),
            ));
            cluster["ParameterGroupName"] = json!(group);
        }
        out.push(("CreateCluster", cluster));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_in_words() {
        let hit = json!({"ClusterName": "c1", "Outcome": "HIT", "Cache": "ITEM", "CacheHits": 1, "CacheMisses": 0, "LatencyMicroseconds": 200});
        assert_eq!(outcome_line(&hit), "DAX c1: item cache hit, no read capacity used · 200 µs (simulated)");
        let miss =
            json!({"ClusterName": "c1", "Outcome": "MISS", "Cache": "QUERY", "LatencyMicroseconds": 3200});
        assert_eq!(
            outcome_line(&miss),
            "DAX c1: query cache miss, read from the table and cached · 3.2 ms (simulated)"
        );
        let part = json!({"ClusterName": "c1", "Outcome": "PARTIAL_HIT", "CacheHits": 2, "CacheMisses": 1, "LatencyMicroseconds": 3200});
        assert!(outcome_line(&part).contains("2 of 3 keys"));
        assert!(
            outcome_line(&json!({"ClusterName": "c1", "Outcome": "PASS_THROUGH"})).contains("never cached")
        );
        assert_eq!(outcome_line(&json!({"ClusterName": "c1"})), "Sent through DAX cluster c1");
    }

    #[test]
    fn figures() {
        assert_eq!(hit_ratio(0, 0), "—");
        assert_eq!(hit_ratio(7, 1), "87.5 %");
        assert_eq!(hit_ratio(2, 1), "66.7 %");
        assert_eq!(time_left(&json!(299_001)), "5:00");
        assert_eq!(time_left(&json!(2_500)), "0:03");
        assert_eq!(time_left(&Value::Null), "never");
        assert_eq!(micros(5_200), "5.2 ms");
        let item = json!({"UserId": {"S": "U1"}, "Age": {"N": "41"}, "Tags": {"SS": ["a"]}});
        assert_eq!(short_item(&item), "Age=41, Tags=(SS), UserId=\"U1\"");
    }

    #[test]
    fn the_chart_draws_hits_up_misses_down_and_escapes_nothing_it_should_not() {
        let m = json!({"ItemCacheHits": [0, 3, 1], "QueryCacheHits": [0, 1, 0], "ItemCacheMisses": [2, 0, 0],
            "QueryCacheMisses": [0, 0, 0], "ItemCacheEvictions": [0, 0, 1], "QueryCacheEvictions": [0, 0, 0]});
        let svg = chart(&m);
        assert_eq!(svg.matches("class=\"hit\"").count(), 2);
        assert_eq!(svg.matches("class=\"miss\"").count(), 1);
        assert_eq!(svg.matches("class=\"evict\"").count(), 1);
        assert!(svg.contains("last 3 s: 5 hits, 2 misses, 1 evictions (peak 4/s)"));
        assert!(chart(&json!({})).contains("last 1 s: 0 hits"));
    }

    #[test]
    fn the_form_makes_a_parameter_group_only_for_other_ttls() {
        let plain = CreateForm::default().requests().unwrap();
        assert_eq!(plain.iter().map(|(op, _)| *op).collect::<Vec<_>>(), ["CreateCluster"]);
        assert_eq!(plain[0].1["ClusterName"], "cache");
        let short = CreateForm { name: "Fast".into(), record_ttl: "10000".into(), ..CreateForm::default() };
        let ops = short.requests().unwrap();
        assert_eq!(
            ops.iter().map(|(op, _)| *op).collect::<Vec<_>>(),
            ["CreateParameterGroup", "UpdateParameterGroup", "CreateCluster"]
        );
        assert_eq!(ops[2].1["ParameterGroupName"], "fast-ttl");
        assert_eq!(ops[1].1["ParameterNameValues"][0]["ParameterValue"], "10000");
        let bad = CreateForm { query_ttl: "soon".into(), ..CreateForm::default() };
        assert!(bad.requests().unwrap_err().contains("query cache TTL"));
    }
}
