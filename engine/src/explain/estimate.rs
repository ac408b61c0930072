//! The capacity calculator: from an item size and a workload (reads and writes per second,
//! read consistency, transactional share, storage) to RCU/WCU per item and per second, and
//! the month's cost provisioned and on demand, side by side, from a price table
//! ([`super::prices`]). Units are counted in thousandths and money in nano-dollars, so every
//! figure is exact: seed 004's example (items ≤ 1 KB, 100 strongly consistent reads/s, 50
//! writes/s) gives 1 RCU and 1 WCU per item and $9.36 + $23.40 a month provisioned.

use serde_json::{json, Value};

use super::prices::{cents, exact_dollars, Nanos, Prices};
use super::text::{bytes, grouped};
use super::Explanation;

/// Bytes in a read unit and a write unit [read-write-operations].
const READ_UNIT_BYTES: u64 = 4096;
const WRITE_UNIT_BYTES: u64 = 1024;

/// A workload to price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Workload {
    pub item_size_bytes: u64,
    pub reads_per_second: u64,
    pub writes_per_second: u64,
    /// Strongly consistent reads (DynamoDB's default is eventually consistent).
    pub consistent_reads: bool,
    /// Percent of reads and of writes that are transactional (0–100).
    pub transactional_percent: u64,
    pub storage_gb: u64,
}

/// What the workload needs and costs. Units are thousandths of a unit ("milli"); a per-second
/// figure is kept ×100 more (`centi_milli`) so a transactional share never rounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Estimate {
    pub workload: Workload,
    pub prices: Prices,
    /// Read units per item read in 4 KB steps, and write units per item in 1 KB steps.
    pub read_chunks: u64,
    pub write_chunks: u64,
    /// RCU of one read at the chosen consistency, of one transactional read; WCU of one write,
    /// of one transactional write (milli).
    pub read_milli: u64,
    pub transactional_read_milli: u64,
    pub write_milli: u64,
    pub transactional_write_milli: u64,
    /// RCU/s and WCU/s the workload consumes (milli × 100).
    pub read_centi_milli: u128,
    pub write_centi_milli: u128,
    /// Whole units to provision (the per-second need, rounded up).
    pub provisioned_rcu: u128,
    pub provisioned_wcu: u128,
    pub provisioned_read_cost: Nanos,
    pub provisioned_write_cost: Nanos,
    /// Request units a month on demand (rounded to the nearest unit for display; the cost
    /// uses the exact figure).
    pub read_request_units: u128,
    pub write_request_units: u128,
    pub on_demand_read_cost: Nanos,
    pub on_demand_write_cost: Nanos,
    pub storage_cost: Nanos,
}

/// Prices `workload` with `prices`.
pub(crate) fn estimate(workload: Workload, prices: Prices) -> Estimate {
    let size = workload.item_size_bytes.max(1);
    let read_chunks = size.div_ceil(READ_UNIT_BYTES);
    let write_chunks = size.div_ceil(WRITE_UNIT_BYTES);
    let strong = read_chunks * 1000;
    let read_milli = if workload.consistent_reads { strong } else { strong / 2 };
    let transactional_read_milli = 2 * strong;
    let write_milli = write_chunks * 1000;
    let transactional_write_milli = 2 * write_milli;
    let t = u128::from(workload.transactional_percent.min(100));
    let mix = |plain: u64, transactional: u64| (100 - t) * u128::from(plain) + t * u128::from(transactional);
    let read_centi_milli = u128::from(workload.reads_per_second) * mix(read_milli, transactional_read_milli);
    let write_centi_milli =
        u128::from(workload.writes_per_second) * mix(write_milli, transactional_write_milli);
    let provisioned_rcu = read_centi_milli.div_ceil(100_000);
    let provisioned_wcu = write_centi_milli.div_ceil(100_000);
    let hours = u128::from(prices.hours_per_month);
    let seconds = hours * 3600;
    let hourly = |units: u128, price: Nanos| units as Nanos * hours as Nanos * price;
    // Request units a month × price per million, from centi-milli units: ÷ 10⁵ ÷ 10⁶,
    // rounded half up to the nano-dollar.
    let on_demand = |centi_milli: u128, per_million: Nanos| {
        let numerator = centi_milli as Nanos * seconds as Nanos * per_million;
        (numerator + 50_000_000_000) / 100_000_000_000
    };
    let request_units = |centi_milli: u128| (centi_milli * seconds + 50_000) / 100_000;
    Estimate {
        read_chunks,
        write_chunks,
        read_milli,
        transactional_read_milli,
        write_milli,
        transactional_write_milli,
        read_centi_milli,
        write_centi_milli,
        provisioned_rcu,
        provisioned_wcu,
        provisioned_read_cost: hourly(provisioned_rcu, prices.read_capacity_unit_hour),
        provisioned_write_cost: hourly(provisioned_wcu, prices.write_capacity_unit_hour),
        read_request_units: request_units(read_centi_milli),
        write_request_units: request_units(write_centi_milli),
        on_demand_read_cost: on_demand(read_centi_milli, prices.read_request_units_per_million),
        on_demand_write_cost: on_demand(write_centi_milli, prices.write_request_units_per_million),
        storage_cost: Nanos::from(workload.storage_gb) * prices.storage_gb_month,
        workload,
        prices,
    }
}

/// Thousandths of a unit as text: `1500` → `"1.5"`.
fn milli(m: u64) -> String {
    super::text::units(m as i64 * 1000)
}

/// Hundred-thousandths of a unit as text.
fn centi_milli(m: u128) -> String {
    super::text::units((m * 10).min(i64::MAX as u128) as i64)
}

/// JSON number of a milli figure (0.5, 1, 1.1).
fn milli_json(m: u128) -> Value {
    json!(m as f64 / 1000.0)
}

impl Estimate {
    /// The per-item line of seed 004's calculator: "Capacity per Item: 1 RCU, 1 WCU".
    pub fn per_item_line(&self) -> String {
        format!("Capacity per Item: {} RCU, {} WCU", milli(self.read_milli), milli(self.write_milli))
    }

    /// The worked explanation: each rule with this workload's figures.
    pub fn explanation(&self) -> Explanation {
        let w = &self.workload;
        let p = &self.prices;
        let consistency = if w.consistent_reads { "strongly consistent" } else { "eventually consistent" };
        let mut steps = vec![
            format!(
                "Reads are counted in 4 KB (4,096 B) units: an item of {} is ⌈{} / 4,096⌉ = {} read unit(s); {} → {} RCU per read (a transactional read: 2 × {} = {} RCU).",
                bytes(w.item_size_bytes),
                grouped(u128::from(w.item_size_bytes)),
                self.read_chunks,
                consistency,
                milli(self.read_milli),
                self.read_chunks,
                milli(self.transactional_read_milli),
            ),
            format!(
                "Writes are counted in 1 KB (1,024 B) units: ⌈{} / 1,024⌉ = {} WCU per write (a transactional write: {} WCU).",
                grouped(u128::from(w.item_size_bytes)),
                self.write_chunks,
                milli(self.transactional_write_milli),
            ),
        ];
        let share = w.transactional_percent.min(100);
        if share > 0 {
            steps.push(format!(
                "{share} % of requests are transactional: a read averages {} % × {} + {share} % × {} RCU, a write {} % × {} + {share} % × {} WCU.",
                100 - share,
                milli(self.read_milli),
                milli(self.transactional_read_milli),
                100 - share,
                milli(self.write_milli),
                milli(self.transactional_write_milli),
            ));
        }
        steps.push(format!(
            "Per second: {} reads/s need {} RCU/s; {} writes/s need {} WCU/s.",
            grouped(u128::from(w.reads_per_second)),
            centi_milli(self.read_centi_milli),
            grouped(u128::from(w.writes_per_second)),
            centi_milli(self.write_centi_milli),
        ));
        steps.push(format!(
            "Provisioned (whole units, billed by the hour): {} RCU × {} h × ${} = ${}; {} WCU × {} h × ${} = ${}.",
            grouped(self.provisioned_rcu),
            p.hours_per_month,
            exact_dollars(p.read_capacity_unit_hour),
            cents(self.provisioned_read_cost),
            grouped(self.provisioned_wcu),
            p.hours_per_month,
            exact_dollars(p.write_capacity_unit_hour),
            cents(self.provisioned_write_cost),
        ));
        steps.push(format!(
            "On demand (billed per request unit; {} h = {} s): {} read request units × ${} per million = ${}; {} write request units × ${} per million = ${}.",
            p.hours_per_month,
            grouped(u128::from(p.hours_per_month) * 3600),
            grouped(self.read_request_units),
            exact_dollars(p.read_request_units_per_million),
            cents(self.on_demand_read_cost),
            grouped(self.write_request_units),
            exact_dollars(p.write_request_units_per_million),
            cents(self.on_demand_write_cost),
        ));
        if w.storage_gb > 0 {
            steps.push(format!(
                "Storage, the same in both modes: {} GB × ${} per GB-month = ${} (the first 25 GB a month are free on AWS; not subtracted here).",
                grouped(u128::from(w.storage_gb)),
                exact_dollars(p.storage_gb_month),
                cents(self.storage_cost),
            ));
        }
        Explanation {
            rule: "CapacityEstimate",
            summary: format!(
                "{}. Provisioned: ${} reads + ${} writes a month; on demand: ${} reads + ${} writes.",
                self.per_item_line(),
                cents(self.provisioned_read_cost),
                cents(self.provisioned_write_cost),
                cents(self.on_demand_read_cost),
                cents(self.on_demand_write_cost),
            ),
            steps,
        }
    }

    /// The answer of `PlaygroundEstimateCapacity`.
    pub fn to_json(&self) -> Value {
        let p = &self.prices;
        let provisioned_total = self.provisioned_read_cost + self.provisioned_write_cost + self.storage_cost;
        let on_demand_total = self.on_demand_read_cost + self.on_demand_write_cost + self.storage_cost;
        json!({
            "PerItem": {
                "ReadCapacityUnits": milli_json(u128::from(self.read_milli)),
                "TransactionalReadCapacityUnits": milli_json(u128::from(self.transactional_read_milli)),
                "WriteCapacityUnits": milli_json(u128::from(self.write_milli)),
                "TransactionalWriteCapacityUnits": milli_json(u128::from(self.transactional_write_milli)),
                "Summary": self.per_item_line(),
            },
            "PerSecond": {
                "ReadCapacityUnits": json!(self.read_centi_milli as f64 / 100_000.0),
                "WriteCapacityUnits": json!(self.write_centi_milli as f64 / 100_000.0),
            },
            "Provisioned": {
                "ReadCapacityUnits": self.provisioned_rcu as u64,
                "WriteCapacityUnits": self.provisioned_wcu as u64,
                "ReadCostPerMonth": cents(self.provisioned_read_cost),
                "WriteCostPerMonth": cents(self.provisioned_write_cost),
                "StorageCostPerMonth": cents(self.storage_cost),
                "TotalCostPerMonth": cents(provisioned_total),
                "Summary": format!("${} reads + ${} writes", cents(self.provisioned_read_cost), cents(self.provisioned_write_cost)),
            },
            "OnDemand": {
                "ReadRequestUnitsPerMonth": self.read_request_units as u64,
                "WriteRequestUnitsPerMonth": self.write_request_units as u64,
                "ReadCostPerMonth": cents(self.on_demand_read_cost),
                "WriteCostPerMonth": cents(self.on_demand_write_cost),
                "StorageCostPerMonth": cents(self.storage_cost),
                "TotalCostPerMonth": cents(on_demand_total),
                "Summary": format!("${} reads + ${} writes", cents(self.on_demand_read_cost), cents(self.on_demand_write_cost)),
            },
            "Prices": {
                "ReadCapacityUnitHour": exact_dollars(p.read_capacity_unit_hour),
                "WriteCapacityUnitHour": exact_dollars(p.write_capacity_unit_hour),
                "ReadRequestUnitsPerMillion": exact_dollars(p.read_request_units_per_million),
                "WriteRequestUnitsPerMillion": exact_dollars(p.write_request_units_per_million),
                "StorageGBMonth": exact_dollars(p.storage_gb_month),
                "HoursPerMonth": p.hours_per_month,
            },
            "Explanation": self.explanation().to_json(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workload(size: u64, reads: u64, writes: u64, consistent: bool) -> Workload {
        Workload {
            item_size_bytes: size,
            reads_per_second: reads,
            writes_per_second: writes,
            consistent_reads: consistent,
            transactional_percent: 0,
            storage_gb: 0,
        }
    }

    /// Seed 004's calculator, to the cent.
    #[test]
    fn seed_004_example_comes_out_exactly() {
        let e = estimate(workload(1000, 100, 50, true), Prices::default());
        assert_eq!(e.per_item_line(), "Capacity per Item: 1 RCU, 1 WCU");
        assert_eq!((e.provisioned_rcu, e.provisioned_wcu), (100, 50));
        assert_eq!(e.provisioned_read_cost, 9_360_000_000);
        assert_eq!(e.provisioned_write_cost, 23_400_000_000);
        let json = e.to_json();
        assert_eq!(json["Provisioned"]["Summary"], "$9.36 reads + $23.40 writes");
        // On demand: 100 × 2,592,000 s = 259.2 M read request units × $0.125 per million.
        assert_eq!(json["OnDemand"]["ReadRequestUnitsPerMonth"], 259_200_000);
        assert_eq!(json["OnDemand"]["Summary"], "$32.40 reads + $81.00 writes");
        assert_eq!(json["OnDemand"]["TotalCostPerMonth"], "113.40");
    }

    #[test]
    fn read_units_follow_size_and_consistency() {
        // 9,421 B: ⌈9,421 / 4,096⌉ = 3 read units; eventually consistent → 1.5 RCU.
        let e = estimate(workload(9421, 10, 0, false), Prices::default());
        assert_eq!((e.read_chunks, e.read_milli, e.transactional_read_milli), (3, 1500, 6000));
        assert_eq!(e.write_chunks, 10);
        // 10 reads/s × 1.5 = 15 RCU/s.
        assert_eq!(e.provisioned_rcu, 15);
        // 4,096 B is one unit, 4,097 two.
        assert_eq!(estimate(workload(4096, 1, 1, true), Prices::default()).read_chunks, 1);
        assert_eq!(estimate(workload(4097, 1, 1, true), Prices::default()).read_chunks, 2);
        assert_eq!(estimate(workload(1025, 1, 1, true), Prices::default()).write_chunks, 2);
    }

    #[test]
    fn a_transactional_share_doubles_that_share_and_rounds_up_once() {
        let mut w = workload(1000, 10, 10, false);
        w.transactional_percent = 10;
        let e = estimate(w, Prices::default());
        // Reads: 90 % × 0.5 + 10 % × 2 = 0.65 RCU each → 6.5 RCU/s → provision 7.
        assert_eq!(e.read_centi_milli, 650_000);
        assert_eq!(e.provisioned_rcu, 7);
        // Writes: 90 % × 1 + 10 % × 2 = 1.1 WCU each → 11 WCU/s.
        assert_eq!(e.provisioned_wcu, 11);
        assert!(e.explanation().steps.iter().any(|s| s.contains("10 % of requests are transactional")));
    }

    #[test]
    fn storage_and_edited_prices_are_priced() {
        let mut w = workload(1000, 0, 0, true);
        w.storage_gb = 30;
        let prices = Prices { storage_gb_month: 100_000_000, hours_per_month: 730, ..Prices::default() };
        let e = estimate(w, prices);
        assert_eq!(cents(e.storage_cost), "3.00");
        assert_eq!(e.to_json()["Provisioned"]["TotalCostPerMonth"], "3.00");
        assert_eq!(e.to_json()["Prices"]["HoursPerMonth"], 730);
    }
}
