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

/// Which kind of units a transactional operation consumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnitKind {
    Read,
    Write,
}

impl UnitKind {
    fn member(self) -> &'static str {
        match self {
            Self::Read => "ReadCapacityUnits",
            Self::Write => "WriteCapacityUnits",
        }
    }
}

/// What a batch or transaction consumed, per table, in table-name order. A sorted list rather
/// than a map: a batch names few tables, and a map type of its own would compile its tree code
/// into the browser bundle.
#[derive(Debug, Default)]
pub(crate) struct ConsumedByTable(Vec<(String, Consumed)>);

impl ConsumedByTable {
    /// Adds `used` to what `table` consumed.
    pub fn add(&mut self, table: &str, used: &Consumed) {
        match self.0.binary_search_by(|(t, _)| t.as_str().cmp(table)) {
            Ok(i) => self.0[i].1.add(used),
            Err(i) => self.0.insert(i, (table.to_owned(), used.clone())),
        }
    }

    /// Each table and what it consumed, by table name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Consumed)> {
        self.0.iter().map(|(t, c)| (t.as_str(), c))
    }
}

/// Capacity one request consumed on a table and its indexes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Consumed {
    pub table: f64,
    /// (index name, units, is_global)
    pub indexes: Vec<(String, f64, bool)>,
    /// (vector index name, `VectorWriteRequestBytes`): vector indexes are metered in bytes, apart
    /// from capacity units (`vector/mod.rs`), and shown only under INDEXES.
    pub vectors: Vec<(String, f64)>,
}

impl Consumed {
    /// Only table capacity.
    pub fn table(units: f64) -> Self {
        Self { table: units, indexes: Vec::new(), vectors: Vec::new() }
    }

    /// Total units across the table and its indexes.
    pub fn total(&self) -> f64 {
        self.table + self.indexes.iter().map(|(_, u, _)| u).sum::<f64>()
    }

    /// Adds more consumption on the same table (batches and transactions sum their items).
    pub fn add(&mut self, other: &Consumed) {
        self.table += other.table;
        for (name, units, global) in &other.indexes {
            match self.indexes.iter_mut().find(|(n, _, _)| n == name) {
                Some(entry) => entry.1 += units,
                None => self.indexes.push((name.clone(), *units, *global)),
            }
        }
        for (name, bytes) in &other.vectors {
            match self.vectors.iter_mut().find(|(n, _)| n == name) {
                Some(entry) => entry.1 += bytes,
                None => self.vectors.push((name.clone(), *bytes)),
            }
        }
    }

    /// The `ConsumedCapacity` member for `mode`, or `None` when not asked for.
    pub fn to_json(&self, table_name: &str, mode: ReturnConsumedCapacity) -> Option<Value> {
        self.render(table_name, mode, None)
    }

    /// The `ConsumedCapacity` of a transactional operation: every `CapacityUnits` is repeated
    /// as `ReadCapacityUnits` or `WriteCapacityUnits`, as DynamoDB reports transactions.
    pub fn to_json_transactional(
        &self,
        table_name: &str,
        mode: ReturnConsumedCapacity,
        kind: UnitKind,
    ) -> Option<Value> {
        self.render(table_name, mode, Some(kind))
    }

    fn render(
        &self,
        table_name: &str,
        mode: ReturnConsumedCapacity,
        kind: Option<UnitKind>,
    ) -> Option<Value> {
        let units = |n: f64| {
            let mut m = Map::new();
            m.insert("CapacityUnits".into(), json!(n));
            if let Some(kind) = kind {
                m.insert(kind.member().into(), json!(n));
            }
            m
        };
        match mode {
            ReturnConsumedCapacity::None => None,
            ReturnConsumedCapacity::Total => {
                let mut m = Map::new();
                m.insert("TableName".into(), json!(table_name));
                m.extend(units(self.total()));
                Some(Value::Object(m))
            }
            ReturnConsumedCapacity::Indexes => {
                let mut m = Map::new();
                m.insert("TableName".into(), json!(table_name));
                m.extend(units(self.total()));
                m.insert("Table".into(), Value::Object(units(self.table)));
                let mut globals = Map::new();
                let mut locals = Map::new();
                for (name, n, global) in &self.indexes {
                    let target = if *global { &mut globals } else { &mut locals };
                    target.insert(name.clone(), Value::Object(units(*n)));
                }
                if !globals.is_empty() {
                    m.insert("GlobalSecondaryIndexes".into(), Value::Object(globals));
                }
                if !locals.is_empty() {
                    m.insert("LocalSecondaryIndexes".into(), Value::Object(locals));
                }
                if !self.vectors.is_empty() {
                    let vectors = self
                        .vectors
                        .iter()
                        .map(|(name, bytes)| (name.clone(), json!({"VectorWriteRequestBytes": bytes})));
                    m.insert("VectorIndexes".into(), Value::Object(crate::types::object_from(vectors)));
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
