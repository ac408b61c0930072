//! RCU/WCU arithmetic [CapacityUnitCalculations]: reads in 4 KB units (eventually consistent
//! reads cost half), writes in 1 KB units, every request at least one unit.

use serde_json::{json, Map, Value};

const READ_UNIT_BYTES: usize = 4096;
const WRITE_UNIT_BYTES: usize = 1024;

/// Read capacity for `bytes` read in one request (a Query or Scan sums its items first).
pub(crate) fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(READ_UNIT_BYTES).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

/// Write capacity for writing an item of `bytes` (callers pass max(old, new) for puts and
/// updates, the old size for deletes).
pub(crate) fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(WRITE_UNIT_BYTES).max(1) as f64
}

/// The `ReturnConsumedCapacity` request member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReturnConsumedCapacity {
    None,
    Total,
    Indexes,
}

impl ReturnConsumedCapacity {
    /// Reads the member (already checked against its enum).
    pub fn from_request(request: &Value) -> Self {
        match request.get("ReturnConsumedCapacity").and_then(Value::as_str) {
            Some("TOTAL") => Self::Total,
            Some("INDEXES") => Self::Indexes,
            _ => Self::None,
        }
    }
}

/// Capacity one request consumed on a table and its indexes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Consumed {
    pub table: f64,
    /// (index name, units, is_global)
    pub indexes: Vec<(String, f64, bool)>,
}

impl Consumed {
    /// Only table capacity.
    pub fn table(units: f64) -> Self {
        Self { table: units, indexes: Vec::new() }
    }

    /// Total units across the table and its indexes.
    pub fn total(&self) -> f64 {
        self.table + self.indexes.iter().map(|(_, u, _)| u).sum::<f64>()
    }

    /// The `ConsumedCapacity` member for `mode`, or `None` when not asked for.
    pub fn to_json(&self, table_name: &str, mode: ReturnConsumedCapacity) -> Option<Value> {
        match mode {
            ReturnConsumedCapacity::None => None,
            ReturnConsumedCapacity::Total => {
                Some(json!({"TableName": table_name, "CapacityUnits": self.total()}))
            }
            ReturnConsumedCapacity::Indexes => {
                let mut m = Map::new();
                m.insert("TableName".into(), json!(table_name));
                m.insert("CapacityUnits".into(), json!(self.total()));
                m.insert("Table".into(), json!({"CapacityUnits": self.table}));
                let mut globals = Map::new();
                let mut locals = Map::new();
                for (name, units, global) in &self.indexes {
                    let target = if *global { &mut globals } else { &mut locals };
                    target.insert(name.clone(), json!({"CapacityUnits": units}));
                }
                if !globals.is_empty() {
                    m.insert("GlobalSecondaryIndexes".into(), Value::Object(globals));
                }
                if !locals.is_empty() {
                    m.insert("LocalSecondaryIndexes".into(), Value::Object(locals));
                }
                Some(Value::Object(m))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_round_up_per_documented_rules() {
        assert_eq!(read_units(0, true), 1.0);
        assert_eq!(read_units(0, false), 0.5);
        assert_eq!(read_units(4096, true), 1.0);
        assert_eq!(read_units(4097, true), 2.0);
        // SEMANTICS.md: a 1,500 × 64-byte Query costs 24 RCU strongly consistent.
        assert_eq!(read_units(1500 * 64, true), 24.0);
        assert_eq!(write_units(1), 1.0);
        assert_eq!(write_units(1025), 2.0);
    }
}
