//! A table: its definition, its items in key order, and its secondary indexes, kept in step
//! with every write. Also renders the `TableDescription` of DescribeTable and friends.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::types::{item_size, Item, KeySchema, KeyValue, PrimaryKey, ScalarType};

/// How a table (or GSI) pays for throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BillingMode {
    /// Fixed read and write capacity units.
    Provisioned { read: u64, write: u64 },
    /// On-demand.
    PayPerRequest,
}

/// Which attributes an index copies from the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Projection {
    /// Only the table's and the index's key attributes.
    KeysOnly,
    /// Keys plus the named attributes.
    Include(Vec<String>),
    /// The whole item.
    All,
}

impl Projection {
    fn type_name(&self) -> &'static str {
        match self {
            Self::KeysOnly => "KEYS_ONLY",
            Self::Include(_) => "INCLUDE",
            Self::All => "ALL",
        }
    }
}

/// Global or local.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IndexKind {
    Global,
    Local,
}

/// The key of an index entry: the index key, then the table key (index keys need not be
/// unique). Ordered like table keys: hash token, partition key, sort key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct IndexEntryKey {
    pub token: u64,
    pub partition: KeyValue,
    pub sort: Option<KeyValue>,
    pub table_key: PrimaryKey,
}

/// A secondary index and its entries.
pub(crate) struct SecondaryIndex {
    pub name: String,
    pub kind: IndexKind,
    pub key_schema: KeySchema,
    pub projection: Projection,
    /// GSIs only; `None` under on-demand billing.
    pub throughput: Option<BillingMode>,
    pub entries: BTreeMap<IndexEntryKey, Item>,
    pub size_bytes: u64,
}

impl SecondaryIndex {
    /// The index key of an item, if the item has all index key attributes (sparse indexes
    /// skip items that lack them).
    fn entry_key(&self, table_key: &PrimaryKey, item: &Item) -> Option<IndexEntryKey> {
        let partition = KeyValue::from_attribute(item.get(&self.key_schema.partition_key.name)?)?;
        let sort = match &self.key_schema.sort_key {
            Some(sk) => Some(KeyValue::from_attribute(item.get(&sk.name)?)?),
            None => None,
        };
        Some(IndexEntryKey { token: partition.hash64(), partition, sort, table_key: table_key.clone() })
    }

    /// The projected copy of an item stored in the index.
    pub fn project(&self, table_schema: &KeySchema, item: &Item) -> Item {
        match &self.projection {
            Projection::All => item.clone(),
            Projection::KeysOnly | Projection::Include(_) => item
                .iter()
                .filter(|(name, _)| {
                    table_schema.is_key(name)
                        || self.key_schema.is_key(name)
                        || matches!(&self.projection, Projection::Include(attrs) if attrs.contains(name))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}

/// A table.
pub(crate) struct Table {
    pub name: String,
    pub table_id: String,
    pub key_schema: KeySchema,
    pub attribute_definitions: Vec<(String, ScalarType)>,
    pub billing: BillingMode,
    pub created_at_ms: u64,
    pub items: BTreeMap<PrimaryKey, Item>,
    pub size_bytes: u64,
    pub indexes: Vec<SecondaryIndex>,
    /// Extra description members kept verbatim (StreamSpecification, SSE, TableClass, …).
    pub settings: Map<String, Value>,
}

impl Table {
    /// The index named `name`.
    pub fn index(&self, name: &str) -> Option<&SecondaryIndex> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Checks an item's GSI/LSI key attributes have their declared types, as DynamoDB does
    /// before any write.
    pub fn check_index_keys(&self, item: &Item) -> ApiResult<()> {
        for index in &self.indexes {
            for attr in index.key_schema.partition_key_and_sort() {
                let Some(value) = item.get(&attr.name) else { continue };
                let ok = KeyValue::from_attribute(value).is_some_and(|k| k.scalar_type() == attr.scalar_type);
                if !ok {
                    return Err(ApiError::invalid_parameter(format!(
                        "Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                        attr.name,
                        attr.scalar_type.name(),
                        value.type_name(),
                        index.name
                    )));
                }
                if let Some(key) = KeyValue::from_attribute(value) {
                    if key.size() == 0 {
                        return Err(ApiError::validation(format!(
                            "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {} value. IndexName: {}, IndexKey: {}",
                            if key.scalar_type() == ScalarType::S { "string" } else { "binary" },
                            index.name,
                            attr.name
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Stores `item` under `key` (replacing any old item) and updates every index.
    /// Returns the old item.
    pub fn put(&mut self, key: PrimaryKey, item: Item) -> Option<Item> {
        let new_size = item_size(&item) as u64;
        for index in &mut self.indexes {
            if let Some(old) = self.items.get(&key) {
                if let Some(ek) = index.entry_key(&key, old) {
                    if let Some(removed) = index.entries.remove(&ek) {
                        index.size_bytes -= item_size(&removed) as u64;
                    }
                }
            }
            if let Some(ek) = index.entry_key(&key, &item) {
                let projected = index.project(&self.key_schema, &item);
                index.size_bytes += item_size(&projected) as u64;
                index.entries.insert(ek, projected);
            }
        }
        self.size_bytes += new_size;
        let old = self.items.insert(key, item);
        if let Some(old) = &old {
            self.size_bytes -= item_size(old) as u64;
        }
        old
    }

    /// Removes the item under `key` from the table and its indexes.
    pub fn delete(&mut self, key: &PrimaryKey) -> Option<Item> {
        let old = self.items.remove(key)?;
        self.size_bytes -= item_size(&old) as u64;
        for index in &mut self.indexes {
            if let Some(ek) = index.entry_key(key, &old) {
                if let Some(removed) = index.entries.remove(&ek) {
                    index.size_bytes -= item_size(&removed) as u64;
                }
            }
        }
        Some(old)
    }

    /// The table's ARN.
    pub fn arn(&self, region: &str, account: &str) -> String {
        format!("arn:aws:dynamodb:{region}:{account}:table/{}", self.name)
    }

    /// The `TableDescription` DescribeTable returns.
    pub fn describe(&self, region: &str, account: &str, status: &str) -> Value {
        let arn = self.arn(region, account);
        let mut d = Map::new();
        d.insert(
            "AttributeDefinitions".into(),
            self.attribute_definitions
                .iter()
                .map(|(n, t)| json!({"AttributeName": n, "AttributeType": t.name()}))
                .collect(),
        );
        d.insert("TableName".into(), json!(self.name));
        d.insert("KeySchema".into(), key_schema_json(&self.key_schema));
        d.insert("TableStatus".into(), json!(status));
        d.insert("CreationDateTime".into(), epoch_seconds(self.created_at_ms));
        d.insert("ProvisionedThroughput".into(), throughput_json(self.billing));
        d.insert("TableSizeBytes".into(), json!(self.size_bytes));
        d.insert("ItemCount".into(), json!(self.items.len()));
        d.insert("TableArn".into(), json!(arn));
        d.insert("TableId".into(), json!(self.table_id));
        if self.billing == BillingMode::PayPerRequest {
            d.insert(
                "BillingModeSummary".into(),
                json!({"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": epoch_seconds(self.created_at_ms)}),
            );
        } else {
            d.insert("BillingModeSummary".into(), json!({"BillingMode": "PROVISIONED"}));
        }
        let describe_index = |i: &SecondaryIndex| {
            let mut m = Map::new();
            m.insert("IndexName".into(), json!(i.name));
            m.insert("KeySchema".into(), key_schema_json(&i.key_schema));
            let mut p = Map::new();
            p.insert("ProjectionType".into(), json!(i.projection.type_name()));
            if let Projection::Include(attrs) = &i.projection {
                p.insert("NonKeyAttributes".into(), json!(attrs));
            }
            m.insert("Projection".into(), Value::Object(p));
            if i.kind == IndexKind::Global {
                m.insert("IndexStatus".into(), json!("ACTIVE"));
                m.insert(
                    "ProvisionedThroughput".into(),
                    throughput_json(i.throughput.unwrap_or(BillingMode::PayPerRequest)),
                );
            }
            m.insert("IndexSizeBytes".into(), json!(i.size_bytes));
            m.insert("ItemCount".into(), json!(i.entries.len()));
            m.insert("IndexArn".into(), json!(format!("{arn}/index/{}", i.name)));
            Value::Object(m)
        };
        let (globals, locals): (Vec<&SecondaryIndex>, Vec<&SecondaryIndex>) =
            self.indexes.iter().partition(|i| i.kind == IndexKind::Global);
        if !locals.is_empty() {
            d.insert("LocalSecondaryIndexes".into(), locals.into_iter().map(describe_index).collect());
        }
        if !globals.is_empty() {
            d.insert("GlobalSecondaryIndexes".into(), globals.into_iter().map(describe_index).collect());
        }
        for (k, v) in &self.settings {
            d.insert(k.clone(), v.clone());
        }
        Value::Object(d)
    }
}

impl KeySchema {
    /// The key attributes, partition key first.
    pub(crate) fn partition_key_and_sort(&self) -> impl Iterator<Item = &crate::types::KeyAttribute> {
        std::iter::once(&self.partition_key).chain(self.sort_key.as_ref())
    }
}

fn key_schema_json(schema: &KeySchema) -> Value {
    let mut v = vec![json!({"AttributeName": schema.partition_key.name, "KeyType": "HASH"})];
    if let Some(sk) = &schema.sort_key {
        v.push(json!({"AttributeName": sk.name, "KeyType": "RANGE"}));
    }
    Value::Array(v)
}

fn throughput_json(billing: BillingMode) -> Value {
    let (read, write) = match billing {
        BillingMode::Provisioned { read, write } => (read, write),
        BillingMode::PayPerRequest => (0, 0),
    };
    json!({"NumberOfDecreasesToday": 0, "ReadCapacityUnits": read, "WriteCapacityUnits": write})
}

/// Engine milliseconds as DynamoDB's epoch-seconds timestamps (fractional).
pub(crate) fn epoch_seconds(ms: u64) -> Value {
    json!(ms as f64 / 1000.0)
}
