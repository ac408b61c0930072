//! A table's design as the generators read it — keys, attribute definitions, indexes and their
//! projections, billing and capacity, stream, Time to Live, tags, point-in-time recovery,
//! deletion protection and table class — built from what DynamoDB's own describe calls answer
//! (DescribeTable, DescribeTimeToLive, ListTagsOfResource, DescribeContinuousBackups), so the
//! same code reads the playground's engine, `dynaplay-server` or real DynamoDB.
//!
//! What is not design is left out: sizes, counts, ARNs, statuses, and a table's warm
//! throughput (DescribeTable reports one for every table; asking for it is a one-time
//! pre-warming that is billed, not part of a table's shape).

use serde_json::Value;

/// A key attribute's type in `AttributeDefinitions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScalarType {
    /// `S`.
    String,
    /// `N`.
    Number,
    /// `B`.
    Binary,
}

impl ScalarType {
    /// The type from its DynamoDB letter.
    pub fn from_letter(letter: &str) -> Option<ScalarType> {
        match letter {
            "S" => Some(ScalarType::String),
            "N" => Some(ScalarType::Number),
            "B" => Some(ScalarType::Binary),
            _ => None,
        }
    }

    /// The DynamoDB letter: `S`, `N` or `B`.
    pub fn letter(self) -> &'static str {
        match self {
            ScalarType::String => "S",
            ScalarType::Number => "N",
            ScalarType::Binary => "B",
        }
    }
}

/// A key: a partition key attribute and an optional sort key attribute — or, for a global
/// index with a multi-attribute key (DynamoDB, November 2025), up to four of each: `partition`
/// and `sort` are the first, the others follow in KeySchema order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Key {
    /// The (first) partition (HASH) key attribute.
    pub partition: String,
    /// The (first) sort (RANGE) key attribute.
    pub sort: Option<String>,
    /// The HASH attributes after the first.
    pub more_partition: Vec<String>,
    /// The RANGE attributes after the first.
    pub more_sort: Vec<String>,
}

impl Key {
    /// A key of one partition and at most one sort key attribute.
    pub fn new(partition: impl Into<String>, sort: Option<String>) -> Key {
        Key { partition: partition.into(), sort, ..Key::default() }
    }

    /// The HASH attributes, in KeySchema order.
    pub fn partitions(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.partition.as_str()).chain(self.more_partition.iter().map(String::as_str))
    }

    /// The RANGE attributes, in KeySchema order.
    pub fn sorts(&self) -> impl Iterator<Item = &str> {
        self.sort.iter().chain(&self.more_sort).map(String::as_str)
    }

    /// Whether `name` is one of the key's attributes.
    pub fn has(&self, name: &str) -> bool {
        self.partitions().chain(self.sorts()).any(|n| n == name)
    }

    /// Whether the partition or the sort key has several attributes.
    pub fn is_multi_attribute(&self) -> bool {
        !self.more_partition.is_empty() || !self.more_sort.is_empty()
    }
}

/// Read and write capacity units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throughput {
    /// ReadCapacityUnits.
    pub read: u64,
    /// WriteCapacityUnits.
    pub write: u64,
}

/// An on-demand table's or index's maximum request units (`OnDemandThroughput`); `None` for
/// no limit (DescribeTable's `-1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OnDemandLimits {
    /// MaxReadRequestUnits.
    pub max_read: Option<u64>,
    /// MaxWriteRequestUnits.
    pub max_write: Option<u64>,
}

impl OnDemandLimits {
    /// Whether either limit is set.
    pub fn is_set(&self) -> bool {
        self.max_read.is_some() || self.max_write.is_some()
    }
}

/// How a table is billed, with its capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Billing {
    /// `PROVISIONED`, with the table's capacity units.
    Provisioned(Throughput),
    /// `PAY_PER_REQUEST`, with its optional maximums.
    OnDemand(OnDemandLimits),
}

/// What an index copies from the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Projection {
    /// `ALL`.
    All,
    /// `KEYS_ONLY`.
    KeysOnly,
    /// `INCLUDE`, with its `NonKeyAttributes`.
    Include(Vec<String>),
}

impl Projection {
    /// The `ProjectionType` value.
    pub fn type_name(&self) -> &'static str {
        match self {
            Projection::All => "ALL",
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include(_) => "INCLUDE",
        }
    }

    /// The `NonKeyAttributes` of an `INCLUDE` projection.
    pub fn non_key_attributes(&self) -> Option<&[String]> {
        match self {
            Projection::Include(names) => Some(names),
            _ => None,
        }
    }
}

/// A global secondary index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalIndex {
    /// IndexName.
    pub name: String,
    /// Its key.
    pub key: Key,
    /// What it projects.
    pub projection: Projection,
    /// Its capacity when the table is provisioned.
    pub throughput: Option<Throughput>,
    /// Its maximums when the table is on demand.
    pub on_demand: OnDemandLimits,
}

/// A local secondary index: the table's partition key with another sort key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalIndex {
    /// IndexName.
    pub name: String,
    /// Its sort key attribute.
    pub sort: String,
    /// What it projects.
    pub projection: Projection,
}

/// Everything the generators write about one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDesign {
    /// TableName.
    pub name: String,
    /// AttributeDefinitions, in the order DescribeTable gave them.
    pub attributes: Vec<(String, ScalarType)>,
    /// The table's key.
    pub key: Key,
    /// Billing mode and capacity.
    pub billing: Billing,
    /// Global secondary indexes (not those being deleted).
    pub global_indexes: Vec<GlobalIndex>,
    /// Local secondary indexes.
    pub local_indexes: Vec<LocalIndex>,
    /// The stream's view type, when a stream is enabled.
    pub stream: Option<String>,
    /// The Time to Live attribute, when TTL is enabled (or being enabled).
    pub ttl_attribute: Option<String>,
    /// Tags, in the order ListTagsOfResource gave them.
    pub tags: Vec<(String, String)>,
    /// Whether point-in-time recovery is enabled.
    pub point_in_time_recovery: bool,
    /// Whether deletion protection is on.
    pub deletion_protection: bool,
    /// The table class, when the description names one.
    pub table_class: Option<String>,
}

/// The describe answers a design is read from. Only DescribeTable's is required; a missing
/// one reads as "not enabled" / "no tags".
#[derive(Clone, Copy, Debug, Default)]
pub struct Descriptions<'a> {
    /// DescribeTable's answer (`{"Table": …}`) or its `Table` member.
    pub table: Option<&'a Value>,
    /// DescribeTimeToLive's answer.
    pub time_to_live: Option<&'a Value>,
    /// ListTagsOfResource's answer (every page's `Tags` concatenated, or one page).
    pub tags: Option<&'a Value>,
    /// DescribeContinuousBackups' answer.
    pub continuous_backups: Option<&'a Value>,
}

/// A description the generators cannot read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesignError(pub String);

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn missing(what: &str) -> DesignError {
    DesignError(format!("DescribeTable's answer has no {what}"))
}

fn text<'v>(value: &'v Value, member: &str) -> Option<&'v str> {
    value.get(member).and_then(Value::as_str)
}

fn list<'v>(value: &'v Value, member: &str) -> &'v [Value] {
    value.get(member).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A positive count; DescribeTable writes `-1` (or leaves it out) for "no limit".
fn units(value: &Value, member: &str) -> Option<u64> {
    value.get(member).and_then(Value::as_u64).filter(|n| *n > 0)
}

/// A KeySchema: its HASH attributes, then its RANGE attributes (several of each only in a
/// global index's multi-attribute key, which `multi` allows).
fn key_schema(schema: &Value, owner: &str, multi: bool) -> Result<Key, DesignError> {
    let mut partitions = Vec::new();
    let mut sorts = Vec::new();
    for element in schema.as_array().map_or(&[][..], Vec::as_slice) {
        let name = text(element, "AttributeName")
            .ok_or_else(|| missing(&format!("AttributeName in {owner}'s KeySchema")))?;
        match text(element, "KeyType") {
            Some("HASH") if sorts.is_empty() => partitions.push(name.to_owned()),
            Some("HASH") => {
                return Err(DesignError(format!(
                    "{owner}'s KeySchema lists a HASH attribute after a RANGE one"
                )))
            }
            Some("RANGE") => sorts.push(name.to_owned()),
            _ => return Err(missing(&format!("HASH or RANGE KeyType in {owner}'s KeySchema"))),
        }
    }
    if !multi && (partitions.len() > 1 || sorts.len() > 1) {
        return Err(DesignError(format!(
            "{owner} has a key of several attributes of one kind, which only a global secondary index can have"
        )));
    }
    let mut partitions = partitions.into_iter();
    let mut sorts = sorts.into_iter();
    let partition =
        partitions.next().ok_or_else(|| missing(&format!("partition key in {owner}'s KeySchema")))?;
    Ok(Key {
        partition,
        sort: sorts.next(),
        more_partition: partitions.collect(),
        more_sort: sorts.collect(),
    })
}

fn projection(index: &Value, owner: &str) -> Result<Projection, DesignError> {
    let projection = index.get("Projection").ok_or_else(|| missing(&format!("Projection for {owner}")))?;
    match text(projection, "ProjectionType") {
        Some("ALL") => Ok(Projection::All),
        Some("KEYS_ONLY") => Ok(Projection::KeysOnly),
        Some("INCLUDE") => Ok(Projection::Include(
            list(projection, "NonKeyAttributes")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        )),
        _ => Err(missing(&format!("ProjectionType for {owner}"))),
    }
}

fn on_demand(value: &Value) -> OnDemandLimits {
    value.get("OnDemandThroughput").map_or_else(OnDemandLimits::default, |o| OnDemandLimits {
        max_read: units(o, "MaxReadRequestUnits"),
        max_write: units(o, "MaxWriteRequestUnits"),
    })
}

fn throughput(value: &Value) -> Option<Throughput> {
    let t = value.get("ProvisionedThroughput")?;
    Some(Throughput { read: units(t, "ReadCapacityUnits")?, write: units(t, "WriteCapacityUnits")? })
}

impl TableDesign {
    /// Reads a design from the describe answers; a DescribeTable answer without a name, key,
    /// attribute definitions or index projection is an error that says what is missing.
    pub fn from_descriptions(d: Descriptions<'_>) -> Result<TableDesign, DesignError> {
        let answer = d.table.ok_or_else(|| DesignError("DescribeTable's answer is missing".into()))?;
        let table = answer.get("Table").unwrap_or(answer);
        let name = text(table, "TableName").ok_or_else(|| missing("TableName"))?.to_owned();
        let mut attributes = Vec::new();
        for def in list(table, "AttributeDefinitions") {
            let attribute =
                text(def, "AttributeName").ok_or_else(|| missing("AttributeName in AttributeDefinitions"))?;
            let kind = text(def, "AttributeType")
                .and_then(ScalarType::from_letter)
                .ok_or_else(|| missing(&format!("S, N or B AttributeType for {attribute}")))?;
            attributes.push((attribute.to_owned(), kind));
        }
        if attributes.is_empty() {
            return Err(missing("AttributeDefinitions"));
        }
        let key = key_schema(table.get("KeySchema").unwrap_or(&Value::Null), "the table", false)?;
        // A table that never changed its billing mode has no summary: it is provisioned.
        let on_demand_table = table
            .get("BillingModeSummary")
            .and_then(|s| text(s, "BillingMode"))
            .is_some_and(|mode| mode == "PAY_PER_REQUEST");
        let billing = if on_demand_table {
            Billing::OnDemand(on_demand(table))
        } else {
            Billing::Provisioned(throughput(table).ok_or_else(|| missing("ProvisionedThroughput"))?)
        };
        let mut global_indexes = Vec::new();
        for index in list(table, "GlobalSecondaryIndexes") {
            // An index on its way out is no longer part of the design.
            if text(index, "IndexStatus") == Some("DELETING") {
                continue;
            }
            let index_name = text(index, "IndexName").ok_or_else(|| missing("IndexName"))?;
            global_indexes.push(GlobalIndex {
                name: index_name.to_owned(),
                key: key_schema(index.get("KeySchema").unwrap_or(&Value::Null), index_name, true)?,
                projection: projection(index, index_name)?,
                throughput: if on_demand_table { None } else { throughput(index) },
                on_demand: if on_demand_table { on_demand(index) } else { OnDemandLimits::default() },
            });
        }
        let mut local_indexes = Vec::new();
        for index in list(table, "LocalSecondaryIndexes") {
            let index_name = text(index, "IndexName").ok_or_else(|| missing("IndexName"))?;
            let index_key = key_schema(index.get("KeySchema").unwrap_or(&Value::Null), index_name, false)?;
            let sort = index_key.sort.ok_or_else(|| missing(&format!("sort key for {index_name}")))?;
            local_indexes.push(LocalIndex {
                name: index_name.to_owned(),
                sort,
                projection: projection(index, index_name)?,
            });
        }
        // The view type and table class become enum members in generated code: only the
        // values DynamoDB defines are taken.
        let stream = table
            .get("StreamSpecification")
            .filter(|s| s.get("StreamEnabled").and_then(Value::as_bool) == Some(true))
            .map(|s| match text(s, "StreamViewType") {
                Some(view @ ("KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES")) => {
                    Ok(view.to_owned())
                }
                _ => Err(missing("known StreamViewType in StreamSpecification")),
            })
            .transpose()?;
        let table_class = match table.pointer("/TableClassSummary/TableClass").and_then(Value::as_str) {
            None => None,
            Some(class @ ("STANDARD" | "STANDARD_INFREQUENT_ACCESS")) => Some(class.to_owned()),
            Some(other) => {
                return Err(DesignError(format!(
                    "DescribeTable's answer names an unknown TableClass {other}"
                )))
            }
        };
        let ttl_attribute = d.time_to_live.and_then(|answer| {
            let description = answer.get("TimeToLiveDescription")?;
            let status = text(description, "TimeToLiveStatus")?;
            matches!(status, "ENABLED" | "ENABLING")
                .then(|| text(description, "AttributeName").map(str::to_owned))?
        });
        let tags = d.tags.map_or_else(Vec::new, |answer| {
            list(answer, "Tags")
                .iter()
                .filter_map(|t| Some((text(t, "Key")?.to_owned(), text(t, "Value").unwrap_or("").to_owned())))
                .collect()
        });
        let point_in_time_recovery = d.continuous_backups.is_some_and(|answer| {
            answer.pointer(
                "/ContinuousBackupsDescription/PointInTimeRecoveryDescription/PointInTimeRecoveryStatus",
            ) == Some(&Value::from("ENABLED"))
        });
        Ok(TableDesign {
            name,
            attributes,
            key,
            billing,
            global_indexes,
            local_indexes,
            stream,
            ttl_attribute,
            tags,
            point_in_time_recovery,
            deletion_protection: table.get("DeletionProtectionEnabled").and_then(Value::as_bool)
                == Some(true),
            table_class,
        })
    }

    /// The type of a key attribute (from AttributeDefinitions).
    pub fn attribute_type(&self, name: &str) -> Option<ScalarType> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, t)| *t)
    }

    /// Whether the table is on demand.
    pub fn on_demand(&self) -> bool {
        matches!(self.billing, Billing::OnDemand(_))
    }
}
