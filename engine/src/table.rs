//! A table: its definition, its items in key order, and its secondary indexes, kept in step
//! with every write. Also renders the `TableDescription` of DescribeTable and friends.

use serde_json::{json, Map, Value};

use crate::capacity::write_units;
use crate::control::{IndexControl, TableControl};
use crate::error::{ApiError, ApiResult};
use crate::storage::{IndexPosition, ItemStore, Tie};
use crate::streams::StreamLog;
use crate::ttl::TtlIndex;
use crate::types::{item_size, map_from, Item, KeySchema, KeyValue, PartitionKey, PrimaryKey, ScalarType};

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

/// A secondary index and its entries.
#[derive(Clone)]
pub(crate) struct SecondaryIndex {
    pub name: String,
    pub kind: IndexKind,
    pub key_schema: KeySchema,
    pub projection: Projection,
    /// GSIs only; `None` under on-demand billing.
    pub throughput: Option<BillingMode>,
    pub entries: ItemStore<IndexPosition>,
    /// Status and throughput history (GSIs).
    pub control: IndexControl,
}

impl SecondaryIndex {
    /// The index key of an item, if the item has every index key attribute with its declared
    /// type (sparse indexes skip items that lack one — of a multi-attribute key, any one; a
    /// backfill skips items whose attribute has another type or is empty).
    pub(crate) fn entry_key(
        &self,
        table_key: &PrimaryKey,
        item: &Item,
    ) -> Option<(PartitionKey, IndexPosition)> {
        let partition = self.key_schema.partition_value_of(item)?;
        let sort = self.key_schema.sort_value_of(item)?;
        Some((PartitionKey::new(partition), IndexPosition { sort, table_key: Tie::At(table_key.clone()) }))
    }

    /// Replaces the entry of one table item (`old` → `new`), returning the write units the
    /// index consumed (see [`SecondaryIndex::write_cost`]).
    pub(crate) fn replace(
        &mut self,
        table_schema: &KeySchema,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
    ) -> IndexUnits {
        let old_entry = old.and_then(|item| self.entry_key(key, item)).and_then(|ek| {
            let removed = self.entries.remove(&ek.0, &ek.1)?;
            Some((ek, removed))
        });
        let new_entry =
            new.and_then(|item| Some((self.entry_key(key, item)?, self.project(table_schema, item))));
        let units: f64 = entry_costs(old_entry.as_ref(), new_entry.as_ref()).iter().map(|(_, u)| u).sum();
        if let Some(((partition, position), projected)) = new_entry {
            self.entries.insert(partition, position, &projected);
        }
        (self.name.clone(), units, self.kind == IndexKind::Global)
    }

    /// What replacing one table item's entry (`old` → `new`) will cost, without changing
    /// anything: per index partition key touched, the write units. Nothing if the projected
    /// entry is unchanged, one write for an entry added, removed or changed in place, two when
    /// its index key moved (a delete on the old key, a put on the new one).
    pub(crate) fn write_cost(
        &self,
        table_schema: &KeySchema,
        key: &PrimaryKey,
        old: Option<&Item>,
        new: Option<&Item>,
    ) -> Vec<(PartitionKey, f64)> {
        let old_entry = old.and_then(|item| {
            let ek = self.entry_key(key, item)?;
            let stored = self.entries.get(&ek.0, &ek.1)?;
            Some((ek, stored))
        });
        let new_entry =
            new.and_then(|item| Some((self.entry_key(key, item)?, self.project(table_schema, item))));
        entry_costs(old_entry.as_ref(), new_entry.as_ref())
    }

    /// Whether the index holds the attribute `name` of its items: the table's and the index's
    /// key attributes, and what the projection names.
    pub fn projects(&self, table_schema: &KeySchema, name: &str) -> bool {
        match &self.projection {
            Projection::All => true,
            Projection::KeysOnly | Projection::Include(_) => {
                table_schema.is_key(name)
                    || self.key_schema.is_key(name)
                    || matches!(&self.projection, Projection::Include(attrs) if attrs.iter().any(|a| a == name))
            }
        }
    }

    /// The names it does not project among `names`, each once, in their order.
    pub fn unprojected<'n>(
        &self,
        table_schema: &KeySchema,
        names: impl Iterator<Item = &'n str>,
    ) -> Vec<&'n str> {
        let mut missing: Vec<&str> = Vec::new();
        for name in names {
            if !self.projects(table_schema, name) && !missing.contains(&name) {
                missing.push(name);
            }
        }
        missing
    }

    /// The projected copy of an item stored in the index.
    pub fn project(&self, table_schema: &KeySchema, item: &Item) -> Item {
        match &self.projection {
            Projection::All => item.clone(),
            Projection::KeysOnly | Projection::Include(_) => map_from(
                item.iter()
                    .filter(|(name, _)| self.projects(table_schema, name))
                    .map(|(k, v)| (k.clone(), v.clone())),
            ),
        }
    }
}

type EntryKey = (PartitionKey, IndexPosition);

/// Units of an index entry change, per index partition key (see `write_cost`).
fn entry_costs(old: Option<&(EntryKey, Item)>, new: Option<&(EntryKey, Item)>) -> Vec<(PartitionKey, f64)> {
    match (old, new) {
        (None, None) => Vec::new(),
        (Some(((p, _), o)), None) => vec![(p.clone(), write_units(item_size(o)))],
        (None, Some(((p, _), n))) => vec![(p.clone(), write_units(item_size(n)))],
        (Some((ok, o)), Some((nk, n))) if ok == nk => {
            if o == n {
                Vec::new()
            } else {
                vec![(ok.0.clone(), write_units(item_size(o).max(item_size(n))))]
            }
        }
        (Some(((op, _), o)), Some(((np, _), n))) => {
            vec![(op.clone(), write_units(item_size(o))), (np.clone(), write_units(item_size(n)))]
        }
    }
}

/// Write units one index consumed for one table write: (index name, units, is global).
pub(crate) type IndexUnits = (String, f64, bool);

/// A table.
#[derive(Clone)]
pub(crate) struct Table {
    pub name: String,
    pub table_id: String,
    pub key_schema: KeySchema,
    pub attribute_definitions: Vec<(String, ScalarType)>,
    pub billing: BillingMode,
    pub created_at_ms: u64,
    pub items: ItemStore<Option<KeyValue>>,
    pub indexes: Vec<SecondaryIndex>,
    /// The vector indexes (`vector/`), kept in step with every write as `indexes` are.
    pub vectors: crate::vector::VectorIndexes,
    /// Extra description members kept verbatim (SSE, TableClass, …).
    pub settings: Map<String, Value>,
    /// Control-plane state: statuses on engine time, stream, tags, TTL, backups.
    pub control: TableControl,
    /// The enabled stream's records (see `streams`); `None` while no stream is enabled.
    pub stream_log: Option<StreamLog>,
    /// TTL deadlines of the items, while Time to Live is enabled (see `ttl`).
    pub ttl_index: Option<TtlIndex>,
    /// While the table is a replica of a global table: what replication needs (`global`).
    pub replica: Option<Box<crate::global::ReplicaLog>>,
    /// While point-in-time recovery is on (in a build with backups): its history (`backups`).
    pub history: crate::backups::Slot,
}

/// An index key is held to the table's key limits: its HASH attributes together at most
/// 2,048 bytes, its RANGE attributes together at most 1,024 (strings and binaries; a number is
/// never that long). DynamoDB refuses the write rather than leave the item out of the index.
/// The texts are the table key's (which wording DynamoDB gives an index key is not recorded).
fn check_index_key_sizes(schema: &KeySchema, item: &Item) -> ApiResult<()> {
    use crate::types::{MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES};
    let size = |attrs: &mut dyn Iterator<Item = &crate::types::KeyAttribute>| -> usize {
        attrs
            .filter_map(|a| item.get(&a.name).and_then(KeyValue::from_attribute))
            .filter(|k| k.scalar_type() != Some(ScalarType::N))
            .map(|k| k.size())
            .sum()
    };
    if size(&mut schema.partition_attributes()) > MAX_PARTITION_KEY_BYTES {
        return Err(ApiError::invalid_parameter(format!(
            "Size of hashkey has exceeded the maximum size limit of{MAX_PARTITION_KEY_BYTES} bytes"
        )));
    }
    if size(&mut schema.sort_attributes()) > MAX_SORT_KEY_BYTES {
        return Err(ApiError::invalid_parameter(format!(
            "Aggregated size of all range keys has exceeded the size limit of {MAX_SORT_KEY_BYTES} bytes"
        )));
    }
    Ok(())
}

impl Table {
    /// Where the GSI named `name` sits among the indexes (a GSI has capacity of its own:
    /// `On::Index(position)`).
    pub fn global_index_position(&self, name: &str) -> Option<usize> {
        self.indexes.iter().position(|i| i.name == name && i.kind == IndexKind::Global)
    }

    /// The secondary index named `name`.
    pub fn index(&self, name: &str) -> Option<&SecondaryIndex> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Checks an item's GSI/LSI key attributes have their declared types, as DynamoDB does
    /// before any write.
    pub fn check_index_keys(&self, item: &Item) -> ApiResult<()> {
        for index in &self.indexes {
            for attr in index.key_schema.attributes() {
                let Some(value) = item.get(&attr.name) else { continue };
                let ok = KeyValue::from_attribute(value)
                    .is_some_and(|k| k.scalar_type() == Some(attr.scalar_type));
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
                            if key.scalar_type() == Some(ScalarType::S) { "string" } else { "binary" },
                            index.name,
                            attr.name
                        )));
                    }
                }
            }
            check_index_key_sizes(&index.key_schema, item)?;
        }
        self.vectors.check_item(item)
    }

    /// An item's size as a write to this table bills it: its item size, but a vector an index
    /// reads counts 4 bytes a dimension ([`crate::vector::VectorIndexes::billed_size`]).
    pub fn billed_size(&self, item: &Item) -> usize {
        if self.vectors.is_empty() {
            return item_size(item);
        }
        self.vectors.billed_size(item)
    }

    /// TableSizeBytes: the items' billed sizes.
    pub fn billed_bytes(&self) -> u64 {
        (self.items.bytes() as i64 - self.vectors.unbilled).max(0) as u64
    }

    /// The item under `key`.
    pub fn get(&self, key: &PrimaryKey) -> Option<Item> {
        self.items.get(&key.partition, &key.sort)
    }

    /// The size of the item under `key`, without reading it.
    pub fn size_of(&self, key: &PrimaryKey) -> Option<usize> {
        self.items.size_of(&key.partition, &key.sort)
    }

    /// Stores `item` under `key` (replacing any old item) and updates every index.
    /// Returns the old item and the write units each index consumed.
    pub fn put(&mut self, key: PrimaryKey, item: &Item) -> (Option<Item>, Vec<IndexUnits>) {
        let old = self.items.insert(key.partition.clone(), key.sort.clone(), item);
        let units = self.follow_write(&key, old.as_ref(), Some(item));
        (old, units)
    }

    /// Stores `item` under `key` over `old`, the item there now as the write's plan read it
    /// (so it is not read again); returns the write units each index consumed.
    pub fn put_over(&mut self, key: &PrimaryKey, item: &Item, old: Option<&Item>) -> Vec<IndexUnits> {
        let replaced = self.items.store(key.partition.clone(), key.sort.clone(), item);
        debug_assert_eq!(replaced, old.is_some(), "a plan's old item is the item its commit replaces");
        self.follow_write(key, old, Some(item))
    }

    /// Removes the item under `key` from the table and its indexes.
    pub fn delete(&mut self, key: &PrimaryKey) -> Option<(Item, Vec<IndexUnits>)> {
        let old = self.items.remove(&key.partition, &key.sort)?;
        let units = self.follow_write(key, Some(&old), None);
        Some((old, units))
    }

    /// Removes `old`, the item under `key` as the write's plan read it; returns the write
    /// units each index consumed.
    pub fn delete_over(&mut self, key: &PrimaryKey, old: &Item) -> Vec<IndexUnits> {
        let removed = self.items.discard(&key.partition, &key.sort);
        debug_assert!(removed, "a plan's old item is the item its commit removes");
        self.follow_write(key, Some(old), None)
    }

    /// Brings the indexes, TTL deadlines and vector indexes in line with a write of `new`
    /// (`None`: a deletion) over `old`.
    fn follow_write(&mut self, key: &PrimaryKey, old: Option<&Item>, new: Option<&Item>) -> Vec<IndexUnits> {
        let units = self.indexes.iter_mut().map(|i| i.replace(&self.key_schema, key, old, new)).collect();
        if let Some(ttl) = self.ttl_index.as_mut() {
            ttl.update(key, new);
        }
        self.vectors.replace(&self.key_schema, key, old, new);
        units
    }

    /// Adds an index created after the table (UpdateTable), writing an entry for every item
    /// that has the index key attributes.
    pub fn add_index(&mut self, mut index: SecondaryIndex) {
        for item in self.items.iter().map(|entry| entry.item()) {
            if let Ok(key) = self.key_schema.key_of_item(&item) {
                index.replace(&self.key_schema, &key, None, Some(&item));
            }
        }
        self.indexes.push(index);
    }

    /// Bytes of one item collection: the items under a partition key plus their entries in
    /// every local secondary index (what ItemCollectionMetrics estimates).
    pub fn item_collection_bytes(&self, partition: &PartitionKey) -> u64 {
        let entries: u64 = self
            .indexes
            .iter()
            .filter(|i| i.kind == IndexKind::Local)
            .map(|i| i.entries.partition_bytes(partition))
            .sum();
        self.items.partition_bytes(partition) + entries
    }

    /// Bytes an item adds to its item collection: its own size plus its entry in every local
    /// secondary index it appears in (one whose sort key attribute it has).
    pub fn collection_share(&self, key: &PrimaryKey, item: &Item) -> u64 {
        let entries: usize = self
            .indexes
            .iter()
            .filter(|index| index.kind == IndexKind::Local && index.entry_key(key, item).is_some())
            .map(|index| item_size(&index.project(&self.key_schema, item)))
            .sum();
        (item_size(item) + entries) as u64
    }

    /// Whether deletion protection is on (DeleteTable is refused while it is).
    pub fn deletion_protection(&self) -> bool {
        self.settings.get("DeletionProtectionEnabled").and_then(Value::as_bool).unwrap_or(false)
    }

    /// The table's ARN.
    pub fn arn(&self, region: &str, account: &str) -> String {
        format!("arn:aws:dynamodb:{region}:{account}:table/{}", self.name)
    }

    /// The `TableDescription` at engine time `now`; `status` overrides the computed
    /// TableStatus (CREATING in CreateTable's answer, DELETING in DeleteTable's).
    pub fn describe(&self, region: &str, account: &str, now: u64, status: Option<&str>) -> Value {
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
        d.insert("TableStatus".into(), json!(status.unwrap_or(self.control.status(now))));
        d.insert("CreationDateTime".into(), epoch_seconds(self.created_at_ms));
        d.insert("ProvisionedThroughput".into(), self.control.throughput.describe(now, self.billing));
        d.insert("TableSizeBytes".into(), json!(self.billed_bytes()));
        d.insert("ItemCount".into(), json!(self.items.len()));
        d.insert("TableArn".into(), json!(arn));
        d.insert("TableId".into(), json!(self.table_id));
        d.insert("BillingModeSummary".into(), self.control.billing_summary(now, self.billing));
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
                let status = i.control.status(now);
                m.insert("IndexStatus".into(), json!(status));
                if status == "CREATING" {
                    m.insert("Backfilling".into(), json!(true));
                }
                let billing = i.throughput.unwrap_or(BillingMode::PayPerRequest);
                m.insert("ProvisionedThroughput".into(), i.control.throughput.describe(now, billing));
                if let Some(max) = i.control.max_on_demand.to_json() {
                    m.insert("OnDemandThroughput".into(), max);
                }
                let base = warm_base(billing, &i.entries.capacity);
                m.insert("WarmThroughput".into(), i.control.warm.describe(base, now));
            }
            m.insert("IndexSizeBytes".into(), json!(i.entries.bytes()));
            m.insert("ItemCount".into(), json!(i.entries.len()));
            m.insert("IndexArn".into(), json!(format!("{arn}/index/{}", i.name)));
            Value::Object(m)
        };
        let (globals, locals): (Vec<&SecondaryIndex>, Vec<&SecondaryIndex>) =
            self.indexes.iter().partition(|i| i.kind == IndexKind::Global);
        if !locals.is_empty() {
            d.insert("LocalSecondaryIndexes".into(), locals.into_iter().map(describe_index).collect());
        }
        let globals: Vec<Value> =
            globals.into_iter().map(describe_index).chain(self.control.deleting_at(now).cloned()).collect();
        if !globals.is_empty() {
            d.insert("GlobalSecondaryIndexes".into(), Value::Array(globals));
        }
        if let Some(vectors) = self.vectors.describe(&arn, now) {
            d.insert("VectorIndexes".into(), vectors);
        }
        self.control.describe_stream(&mut d, &arn);
        if let Some(max) = self.control.max_on_demand.to_json() {
            d.insert("OnDemandThroughput".into(), max);
        }
        let base = warm_base(self.billing, &self.items.capacity);
        d.insert("WarmThroughput".into(), self.control.warm.describe(base, now));
        for (k, v) in &self.settings {
            d.insert(k.clone(), v.clone());
        }
        Value::Object(d)
    }
}

/// What a table or GSI serves at once when no warm throughput was asked for: its provisioned
/// units, or on demand what its partitions serve (a new table's 12,000 reads and 4,000 writes
/// a second), as DynamoDB's DescribeTable reports them.
pub(crate) fn warm_base(billing: BillingMode, capacity: &crate::capacity::resource::Resource) -> (u64, u64) {
    match billing {
        BillingMode::Provisioned { read, write } => (read, write),
        BillingMode::PayPerRequest => capacity.on_demand_warm(),
    }
}

/// A KeySchema as DynamoDB shows it: the HASH attributes, then the RANGE attributes, in the
/// order the request gave them (which must list every HASH attribute first).
pub(crate) fn key_schema_json(schema: &KeySchema) -> Value {
    let hash = schema.more_partition_keys.len() + 1;
    let elements = schema
        .attributes()
        .enumerate()
        .map(|(i, k)| json!({"AttributeName": k.name, "KeyType": if i < hash { "HASH" } else { "RANGE" }}));
    Value::Array(elements.collect())
}

/// Engine milliseconds as DynamoDB's epoch-seconds timestamps (fractional).
pub(crate) fn epoch_seconds(ms: u64) -> Value {
    json!(ms as f64 / 1000.0)
}
