//! The capacity calculator's form: its values, the `PlaygroundEstimateCapacity` request they
//! make, and "Try it" — the same workload as real requests (one second's worth, sampled when
//! large) whose answered ConsumedCapacity is summed beside the estimate. Platform-free;
//! `components/calculator.rs` shows it. The price table and every figure are the engine's.

use serde_json::{json, Map, Value};

/// The table "Try it" writes to.
pub const TRY_TABLE: &str = "CalculatorTryIt";
/// The most requests one trial sends (a larger workload is sampled and scaled).
pub const TRIAL_REQUESTS: u64 = 200;

/// Requests to send in order: (operation, request).
pub type Requests = Vec<(&'static str, Value)>;

/// Price overrides by request member; an empty field means the engine's dated default.
pub const PRICE_FIELDS: [&str; 5] = [
    "ReadCapacityUnitHour",
    "WriteCapacityUnitHour",
    "ReadRequestUnitsPerMillion",
    "WriteRequestUnitsPerMillion",
    "StorageGBMonth",
];

/// The calculator's inputs, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct CalcForm {
    pub item_size: String,
    pub reads: String,
    pub writes: String,
    pub consistent: bool,
    pub transactional: String,
    pub storage: String,
    /// One per [`PRICE_FIELDS`], then hours per month.
    pub prices: [String; 6],
}

impl Default for CalcForm {
    /// Seed 004's example.
    fn default() -> Self {
        Self {
            item_size: "1000".into(),
            reads: "100".into(),
            writes: "50".into(),
            consistent: true,
            transactional: "0".into(),
            storage: "0".into(),
            prices: Default::default(),
        }
    }
}

fn whole(text: &str, what: &str) -> Result<u64, String> {
    text.trim().parse::<u64>().map_err(|_| format!("{what} must be a whole number"))
}

impl CalcForm {
    /// The `PlaygroundEstimateCapacity` request, or what is wrong with the form.
    pub fn request(&self) -> Result<Value, String> {
        let mut prices = Map::new();
        for (name, text) in PRICE_FIELDS.iter().zip(&self.prices) {
            if !text.trim().is_empty() {
                prices.insert((*name).into(), json!(text.trim()));
            }
        }
        if !self.prices[5].trim().is_empty() {
            prices.insert("HoursPerMonth".into(), json!(whole(&self.prices[5], "Hours per month")?));
        }
        let mut request = json!({
            "ItemSizeBytes": whole(&self.item_size, "Item size")?,
            "ReadsPerSecond": whole(&self.reads, "Reads per second")?,
            "WritesPerSecond": whole(&self.writes, "Writes per second")?,
            "ConsistentReads": self.consistent,
            "TransactionalPercent": whole(&self.transactional, "Transactional share")?,
            "StorageGB": whole(&self.storage, "Storage")?,
        });
        if !prices.is_empty() {
            request["Prices"] = Value::Object(prices);
        }
        Ok(request)
    }

    /// "Try it": the setup requests, then the measured ones (each asks for its
    /// ConsumedCapacity), and the factor (numerator, denominator) that scales the measured
    /// sample to one second of the workload.
    pub fn trial(&self) -> Result<(Requests, Requests, (u64, u64)), String> {
        let size = whole(&self.item_size, "Item size")?.clamp(1, 400 * 1024);
        let (reads, writes) =
            (whole(&self.reads, "Reads per second")?, whole(&self.writes, "Writes per second")?);
        let share = whole(&self.transactional, "Transactional share")?.min(100);
        let total = reads + writes;
        if total == 0 {
            return Err("Nothing to try: no reads or writes per second".into());
        }
        let n = total.min(TRIAL_REQUESTS);
        // The sample keeps the mix: reads first, then writes.
        let r = (reads * n).div_ceil(total).min(n);
        let w = n - r;
        let keys = r.clamp(1, 50);
        let setup = vec![(
            "CreateTable",
            json!({"TableName": TRY_TABLE, "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
        )];
        let mut setup = setup;
        for k in 0..keys {
            setup
                .push(("PutItem", json!({"TableName": TRY_TABLE, "Item": item(&format!("read#{k}"), size)})));
        }
        let mut measured = Vec::new();
        let transactional = |i: u64, count: u64| i * 100 < share * count;
        for i in 0..r {
            let key = json!({"pk": {"S": format!("read#{}", i % keys)}});
            measured.push(if transactional(i, r) {
                ("TransactGetItems", json!({"TransactItems": [{"Get": {"TableName": TRY_TABLE, "Key": key}}], "ReturnConsumedCapacity": "TOTAL"}))
            } else {
                ("GetItem", json!({"TableName": TRY_TABLE, "Key": key, "ConsistentRead": self.consistent, "ReturnConsumedCapacity": "TOTAL"}))
            });
        }
        for i in 0..w {
            let put = item(&format!("write#{i}"), size);
            measured.push(if transactional(i, w) {
                ("TransactWriteItems", json!({"TransactItems": [{"Put": {"TableName": TRY_TABLE, "Item": put}}], "ReturnConsumedCapacity": "TOTAL"}))
            } else {
                ("PutItem", json!({"TableName": TRY_TABLE, "Item": put, "ReturnConsumedCapacity": "TOTAL"}))
            });
        }
        Ok((setup, measured, (total, n)))
    }
}

/// An item of `size` bytes as DynamoDB counts them (names and values): `pk` and a padding
/// attribute `d` (or only `pk` when the key alone reaches the size).
fn item(key: &str, size: u64) -> Value {
    let fixed = 2 + key.len() as u64 + 1;
    match size.checked_sub(fixed) {
        Some(pad) => json!({"pk": {"S": key}, "d": {"S": "x".repeat(pad as usize)}}),
        None => json!({"pk": {"S": key}}),
    }
}

/// Capacity units an answer reports (one ConsumedCapacity, or a transaction's list).
pub fn consumed_units(response: &Value) -> f64 {
    match &response["ConsumedCapacity"] {
        Value::Array(list) => list.iter().filter_map(|c| c["CapacityUnits"].as_f64()).sum(),
        c => c["CapacityUnits"].as_f64().unwrap_or(0.0),
    }
}

/// The estimate as markup (a data-only panel, through the one escaping helper): the per-item
/// line, per second, the month's costs side by side, the worked steps and the dated prices.
pub fn estimate_markup(v: &Value) -> String {
    use crate::fixed::Fixed;
    use crate::ui::markup::push_esc;
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut out = String::from("<p class=\"calc-per-item\" data-testid=\"calc-per-item\"><strong>");
    push_esc(&mut out, &s(&v["PerItem"]["Summary"]));
    out.push_str("</strong></p><p data-testid=\"calc-per-second\">");
    let per_second = format!(
        "Per second: {} RCU, {} WCU — provisioned as {} RCU, {} WCU",
        Fixed(v["PerSecond"]["ReadCapacityUnits"].as_f64().unwrap_or(0.0), 2),
        Fixed(v["PerSecond"]["WriteCapacityUnits"].as_f64().unwrap_or(0.0), 2),
        v["Provisioned"]["ReadCapacityUnits"],
        v["Provisioned"]["WriteCapacityUnits"]
    );
    push_esc(&mut out, &per_second);
    out.push_str("</p><table class=\"calc-costs\" data-testid=\"calc-costs\"><tr><th>a month</th><th>provisioned</th><th>on demand</th></tr>");
    for (name, key) in [
        ("reads", "ReadCostPerMonth"),
        ("writes", "WriteCostPerMonth"),
        ("storage", "StorageCostPerMonth"),
        ("total", "TotalCostPerMonth"),
    ] {
        out.push_str(&format!("<tr><th>{name}</th><td>$"));
        push_esc(&mut out, &s(&v["Provisioned"][key]));
        out.push_str("</td><td>$");
        push_esc(&mut out, &s(&v["OnDemand"][key]));
        out.push_str("</td></tr>");
    }
    out.push_str("</table><p data-testid=\"calc-provisioned-summary\">Provisioned: ");
    push_esc(&mut out, &s(&v["Provisioned"]["Summary"]));
    out.push_str(" a month</p><details class=\"why\" open><summary>Why these figures?</summary>");
    let steps: Vec<String> = crate::ui::why::explanations(v).1.into_iter().flat_map(|e| e.steps).collect();
    crate::ui::why::steps_markup(&mut out, &steps);
    out.push_str("</details><p class=\"muted small\" data-testid=\"calc-price-date\">");
    let t = &v["PriceTable"];
    let dated = format!(
        "Prices: {} as of {}{} — {}",
        s(&t["Region"]),
        s(&t["Date"]),
        if t["Edited"] == true { ", edited" } else { "" },
        s(&t["Source"])
    );
    push_esc(&mut out, &dated);
    out.push_str("</p>");
    out
}

/// Whether an operation of the trial reads.
pub fn is_read(operation: &str) -> bool {
    matches!(operation, "GetItem" | "TransactGetItems")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_form_is_seed_004() {
        let request = CalcForm::default().request().unwrap();
        assert_eq!(
            request,
            json!({"ItemSizeBytes": 1000, "ReadsPerSecond": 100, "WritesPerSecond": 50, "ConsistentReads": true,
                   "TransactionalPercent": 0, "StorageGB": 0})
        );
        let mut form = CalcForm::default();
        form.prices[0] = " 0.00026 ".into();
        form.prices[5] = "730".into();
        let request = form.request().unwrap();
        assert_eq!(request["Prices"], json!({"ReadCapacityUnitHour": "0.00026", "HoursPerMonth": 730}));
        form.reads = "lots".into();
        assert_eq!(form.request().unwrap_err(), "Reads per second must be a whole number");
    }

    #[test]
    fn a_trial_keeps_the_mix_sizes_and_consistency() {
        let (setup, measured, scale) = CalcForm::default().trial().unwrap();
        // 150 requests a second: all of them, 100 reads then 50 writes.
        assert_eq!(scale, (150, 150));
        assert_eq!(measured.iter().filter(|(op, _)| is_read(op)).count(), 100);
        assert_eq!(measured.len(), 150);
        assert_eq!(setup.len(), 1 + 50);
        assert_eq!(measured[0].1["ConsistentRead"], true);
        // Items are exactly the size asked for: pk (2 + 7) + d (1 + 990) = 1,000.
        let item = &setup[1].1["Item"];
        assert_eq!(
            item["pk"]["S"].as_str().unwrap().len() + 2 + 1 + item["d"]["S"].as_str().unwrap().len(),
            1000
        );

        let form = CalcForm {
            reads: "4000".into(),
            writes: "1000".into(),
            transactional: "10".into(),
            ..CalcForm::default()
        };
        let (_, measured, scale) = form.trial().unwrap();
        assert_eq!(scale, (5000, 200), "a large workload is sampled and scaled");
        let reads: Vec<_> = measured.iter().filter(|(op, _)| is_read(op)).collect();
        assert_eq!(reads.len(), 160);
        assert_eq!(
            reads.iter().filter(|(op, _)| *op == "TransactGetItems").count(),
            16,
            "10 % transactional"
        );
        assert_eq!(measured.iter().filter(|(op, _)| *op == "TransactWriteItems").count(), 4);
        let none = CalcForm { reads: "0".into(), writes: "0".into(), ..CalcForm::default() };
        assert!(none.trial().is_err());
    }

    #[test]
    fn the_estimate_shows_its_figures_escaped() {
        let v = json!({"PerItem": {"Summary": "Capacity per Item: 1 RCU, 1 WCU"},
            "PerSecond": {"ReadCapacityUnits": 100.0, "WriteCapacityUnits": 0.5},
            "Provisioned": {"ReadCapacityUnits": 100, "WriteCapacityUnits": 1, "ReadCostPerMonth": "9.36", "Summary": "$9.36 reads + $0.47 writes"},
            "OnDemand": {"ReadCostPerMonth": "32.40"},
            "Explanation": {"Summary": "s", "Steps": ["a < b"]},
            "PriceTable": {"Region": "us-east-1", "Date": "2026-12-03", "Edited": true, "Source": "x"}});
        let m = estimate_markup(&v);
        assert!(m.contains("<strong>Capacity per Item: 1 RCU, 1 WCU</strong>"), "{m}");
        assert!(m.contains("Per second: 100.00 RCU, 0.50 WCU — provisioned as 100 RCU, 1 WCU"), "{m}");
        assert!(m.contains("<tr><th>reads</th><td>$9.36</td><td>$32.40</td></tr>"), "{m}");
        assert!(m.contains("Provisioned: $9.36 reads + $0.47 writes a month"), "{m}");
        assert!(m.contains("<li>a &lt; b</li>") && m.contains("us-east-1 as of 2026-12-03, edited"), "{m}");
    }

    #[test]
    fn units_are_summed_from_either_shape() {
        assert_eq!(consumed_units(&json!({"ConsumedCapacity": {"CapacityUnits": 1.5}})), 1.5);
        assert_eq!(
            consumed_units(&json!({"ConsumedCapacity": [{"CapacityUnits": 2.0}, {"CapacityUnits": 4.0}]})),
            6.0
        );
        assert_eq!(consumed_units(&json!({})), 0.0);
    }
}
