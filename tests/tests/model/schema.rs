//! The tables the model runs against, as data: key schemas, secondary indexes with their
//! projections, billing, and the small key spaces that make collisions, overwrites and failed
//! conditions common. The CreateTable requests are derived from this data, and so is
//! everything the reference model knows about indexes.

use serde_json::{json, Value};

use crate::values::{Item, Scalar, Val};

/// Which attributes an index copies from its table.
#[derive(Clone, Copy, Debug)]
pub enum Projection {
    KeysOnly,
    Include(&'static [&'static str]),
    All,
}

/// A secondary index.
#[derive(Debug)]
pub struct IndexDef {
    pub name: &'static str,
    pub global: bool,
    pub hash: &'static str,
    pub range: Option<&'static str>,
    /// A multi-attribute key's further HASH and RANGE attributes (a GSI's; empty elsewhere).
    pub more_hash: &'static [&'static str],
    pub more_range: &'static [&'static str],
    pub projection: Projection,
    /// (RCU, WCU) of a GSI on a provisioned table.
    pub provisioned: Option<(u64, u64)>,
}

impl IndexDef {
    /// The index's key attributes: the HASH attributes, then the RANGE attributes.
    pub fn key_names(&self) -> Vec<&'static str> {
        let hash = std::iter::once(self.hash).chain(self.more_hash.iter().copied());
        hash.chain(self.range).chain(self.more_range.iter().copied()).collect()
    }

    /// Whether the key has several HASH or several RANGE attributes.
    pub fn multi_attribute(&self) -> bool {
        !self.more_hash.is_empty() || !self.more_range.is_empty()
    }

    /// Whether `attribute` is in the index's entries (when the entry exists).
    pub fn projects(&self, table: &TableDef, attribute: &str) -> bool {
        table.key_names().contains(&attribute)
            || self.key_names().contains(&attribute)
            || match self.projection {
                Projection::KeysOnly => false,
                Projection::Include(names) => names.contains(&attribute),
                Projection::All => true,
            }
    }
}

/// A table.
#[derive(Debug)]
pub struct TableDef {
    pub name: &'static str,
    pub hash: &'static str,
    pub range: Option<&'static str>,
    pub indexes: &'static [IndexDef],
    /// (RCU, WCU) when provisioned; on-demand otherwise.
    pub provisioned: Option<(u64, u64)>,
}

impl TableDef {
    pub fn key_names(&self) -> Vec<&'static str> {
        std::iter::once(self.hash).chain(self.range).collect()
    }

    /// The index `name` (the online index of `Hash` included, whether it exists now or not).
    pub fn index(&self, name: &str) -> &'static IndexDef {
        let online = (self.name == ONLINE_TABLE.name() && name == ONLINE_INDEX.name).then_some(&ONLINE_INDEX);
        let found = self.indexes.iter().find(|i| i.name == name).or(online);
        found.unwrap_or_else(|| panic!("no index {name} on {}", self.name))
    }
}

/// The three tables. `Model` has a composite key and five indexes; `Hash` a partition key
/// only; `Tight` is provisioned with so little capacity that writes and reads are throttled,
/// which is where batches report UnprocessedItems / UnprocessedKeys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TableId {
    Model,
    Hash,
    Tight,
}

pub const TABLE_IDS: [TableId; 3] = [TableId::Model, TableId::Hash, TableId::Tight];

impl TableId {
    pub fn def(self) -> &'static TableDef {
        &TABLES[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// Every key the test uses in this table.
    pub fn key_space(self) -> Vec<Key> {
        match self {
            TableId::Model => MODEL_PARTITIONS
                .iter()
                .flat_map(|pk| {
                    SORT_KEYS.iter().map(move |sk| (Scalar::S((*pk).into()), Some(Scalar::N(*sk))))
                })
                .collect(),
            TableId::Hash => HASH_IDS.iter().map(|id| (Scalar::S((*id).into()), None)).collect(),
            TableId::Tight => TIGHT_IDS.iter().map(|id| (Scalar::S((*id).into()), None)).collect(),
        }
    }
}

/// A primary key: partition key and, for `Model`, sort key.
pub type Key = (Scalar, Option<Scalar>);

pub static TABLES: [TableDef; 3] = [
    TableDef {
        name: "Model",
        hash: "pk",
        range: Some("sk"),
        indexes: &[
            IndexDef {
                name: "QtyLocal",
                global: false,
                hash: "pk",
                range: Some("qty"),
                more_hash: &[],
                more_range: &[],
                projection: Projection::KeysOnly,
                provisioned: None,
            },
            IndexDef {
                name: "TitleLocal",
                global: false,
                hash: "pk",
                range: Some("title"),
                more_hash: &[],
                more_range: &[],
                projection: Projection::Include(&["done", "exp"]),
                provisioned: None,
            },
            IndexDef {
                name: "TitleQty",
                global: true,
                hash: "title",
                range: Some("qty"),
                more_hash: &[],
                more_range: &[],
                projection: Projection::Include(&["tags"]),
                provisioned: None,
            },
            IndexDef {
                name: "ByQty",
                global: true,
                hash: "qty",
                range: None,
                more_hash: &[],
                more_range: &[],
                projection: Projection::All,
                provisioned: None,
            },
            // A multi-attribute key: HASH title + qty, RANGE sk + pk (DynamoDB, November 2025).
            IndexDef {
                name: "Multi",
                global: true,
                hash: "title",
                range: Some("sk"),
                more_hash: &["qty"],
                more_range: &["pk"],
                projection: Projection::Include(&["done"]),
                provisioned: None,
            },
            IndexDef {
                name: "BySk",
                global: true,
                hash: "sk",
                range: Some("pk"),
                more_hash: &[],
                more_range: &[],
                projection: Projection::KeysOnly,
                provisioned: None,
            },
        ],
        provisioned: None,
    },
    TableDef {
        name: "Hash",
        hash: "id",
        range: None,
        indexes: &[
            IndexDef {
                name: "TitleExp",
                global: true,
                hash: "title",
                range: Some("exp"),
                more_hash: &[],
                more_range: &[],
                projection: Projection::All,
                provisioned: None,
            },
            IndexDef {
                name: "QtyTitle",
                global: true,
                hash: "qty",
                range: Some("title"),
                more_hash: &[],
                more_range: &[],
                projection: Projection::Include(&["done"]),
                provisioned: None,
            },
        ],
        provisioned: None,
    },
    TableDef {
        name: "Tight",
        hash: "id",
        range: None,
        indexes: &[IndexDef {
            name: "TightTitle",
            global: true,
            hash: "title",
            range: None,
            more_hash: &[],
            more_range: &[],
            projection: Projection::KeysOnly,
            provisioned: Some((1000, 1000)),
        }],
        provisioned: Some((TIGHT_CAPACITY, TIGHT_CAPACITY)),
    },
];

/// A GSI that UpdateTable creates and deletes on `Hash` while a run goes on: it is backfilled
/// from the items there, kept in step while it is CREATING, and must then equal its projection.
pub static ONLINE_INDEX: IndexDef = IndexDef {
    name: "Online",
    global: true,
    hash: "title",
    range: Some("qty"),
    more_hash: &[],
    more_range: &[],
    projection: Projection::Include(&["exp", "done"]),
    provisioned: None,
};
/// The table of [`ONLINE_INDEX`].
pub const ONLINE_TABLE: TableId = TableId::Hash;

/// RCU and WCU of `Tight`.
pub const TIGHT_CAPACITY: u64 = 1;

pub const MODEL_PARTITIONS: [&str; 4] = ["a", "b", "long-partition-key", "ü"];
/// Sort keys in tenths: -10, -1.5, 0, 0.5, 2, 2.5, 10.
pub const SORT_KEYS: [i64; 7] = [-100, -15, 0, 5, 20, 25, 100];
/// Sort-key bounds used by Query conditions: the stored keys plus values between them.
pub const SORT_BOUNDS: [i64; 10] = [-100, -20, -15, 0, 5, 10, 20, 25, 30, 100];
pub const HASH_IDS: [&str; 6] = ["h0", "h1", "h2", "h3", "h4", "h5"];
pub const TIGHT_IDS: [&str; 4] = ["t0", "t1", "t2", "t3"];

/// The non-key attributes every table's items may have; each always has one type.
pub const NON_KEY_ATTRIBUTES: [&str; 7] = ["title", "qty", "done", "tags", "parts", "meta", "exp"];
/// The Time to Live attribute of every table (epoch seconds).
pub const TTL_ATTRIBUTE: &str = "exp";

/// The type of a key attribute (of a table or an index).
pub fn key_type(attribute: &str) -> &'static str {
    match attribute {
        "pk" | "id" | "title" => "S",
        "sk" | "qty" | "exp" => "N",
        other => panic!("{other} is no key attribute"),
    }
}

/// The item holding just `key`.
pub fn key_item(table: TableId, key: &Key) -> Item {
    let def = table.def();
    let mut item = Item::new();
    item.insert(def.hash.to_owned(), key.0.to_val());
    if let (Some(name), Some(value)) = (def.range, &key.1) {
        item.insert(name.to_owned(), value.to_val());
    }
    item
}

/// The primary key of a model item.
pub fn key_of(table: TableId, item: &Item) -> Key {
    let def = table.def();
    let part = |name: &str| {
        item.get(name).and_then(Scalar::of).unwrap_or_else(|| panic!("model item without {name}: {item:?}"))
    };
    (part(def.hash), def.range.map(part))
}

/// A `KeySchema` member: the HASH attributes, then the RANGE attributes.
fn key_schema(hash: &[&str], range: &[&str]) -> Value {
    let element = |name: &&str, kind| json!({"AttributeName": name, "KeyType": kind});
    hash.iter().map(|n| element(n, "HASH")).chain(range.iter().map(|n| element(n, "RANGE"))).collect()
}

/// An index as CreateTable's index lists and UpdateTable's `Create` spell it.
pub fn index_request(i: &IndexDef) -> Value {
    let projection = match i.projection {
        Projection::KeysOnly => json!({"ProjectionType": "KEYS_ONLY"}),
        Projection::Include(names) => json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": names}),
        Projection::All => json!({"ProjectionType": "ALL"}),
    };
    let hash: Vec<&str> = std::iter::once(i.hash).chain(i.more_hash.iter().copied()).collect();
    let range: Vec<&str> = i.range.into_iter().chain(i.more_range.iter().copied()).collect();
    let mut v =
        json!({ "IndexName": i.name, "KeySchema": key_schema(&hash, &range), "Projection": projection });
    if let Some((read, write)) = i.provisioned {
        v["ProvisionedThroughput"] = json!({"ReadCapacityUnits": read, "WriteCapacityUnits": write});
    }
    v
}

/// `AttributeDefinitions` for the key attributes `names`.
pub fn attribute_definitions(names: &[&str]) -> Value {
    names.iter().map(|a| json!({"AttributeName": a, "AttributeType": key_type(a)})).collect()
}

/// The CreateTable request of a table.
pub fn create_table_request(table: &TableDef) -> Value {
    let mut attributes: Vec<&str> = table.key_names();
    for index in table.indexes {
        for name in index.key_names() {
            if !attributes.contains(&name) {
                attributes.push(name);
            }
        }
    }
    let mut request = json!({
        "TableName": table.name,
        "KeySchema": key_schema(&[table.hash], table.range.as_slice()),
        "AttributeDefinitions": attribute_definitions(&attributes),
    });
    match table.provisioned {
        Some((read, write)) => {
            request["ProvisionedThroughput"] = json!({"ReadCapacityUnits": read, "WriteCapacityUnits": write})
        }
        None => request["BillingMode"] = json!("PAY_PER_REQUEST"),
    }
    let globals: Vec<Value> = table.indexes.iter().filter(|i| i.global).map(index_request).collect();
    let locals: Vec<Value> = table.indexes.iter().filter(|i| !i.global).map(index_request).collect();
    if !globals.is_empty() {
        request["GlobalSecondaryIndexes"] = Value::Array(globals);
    }
    if !locals.is_empty() {
        request["LocalSecondaryIndexes"] = Value::Array(locals);
    }
    request
}

/// Attribute values that may not be stored because an index key would be empty: DynamoDB
/// refuses an empty string as a secondary index key. Returns the attribute.
pub fn empty_index_key(table: TableId, item: &Item) -> Option<&'static str> {
    table
        .def()
        .indexes
        .iter()
        .flat_map(|i| i.key_names())
        .find(|name| matches!(item.get(*name), Some(Val::S(s)) if s.is_empty()))
}
