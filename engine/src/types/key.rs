//! Primary keys: the key schema of a table or index, key values and their sort order, and the
//! stable hash that places a partition key on the key space (and later on a partition).

use super::number::Number;
use super::value::{AttributeValue, Item};
use crate::error::{ApiError, ApiResult, Cause};

/// Longest partition key value, in bytes.
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;
/// Longest sort key value, in bytes.
pub const MAX_SORT_KEY_BYTES: usize = 1024;

/// The three types a key attribute may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
}

impl ScalarType {
    /// Parses `S`, `N` or `B`.
    pub fn parse(text: &str) -> Option<ScalarType> {
        match text {
            "S" => Some(Self::S),
            "N" => Some(Self::N),
            "B" => Some(Self::B),
            _ => None,
        }
    }

    /// The DynamoDB tag.
    pub fn name(self) -> &'static str {
        match self {
            Self::S => "S",
            Self::N => "N",
            Self::B => "B",
        }
    }
}

/// One key attribute: its name and declared type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyAttribute {
    /// Attribute name.
    pub name: String,
    /// Declared type (from AttributeDefinitions).
    pub scalar_type: ScalarType,
}

/// A table's or index's key schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySchema {
    /// The HASH key.
    pub partition_key: KeyAttribute,
    /// The RANGE key, if any.
    pub sort_key: Option<KeyAttribute>,
}

/// A scalar key value; ordered as DynamoDB orders keys: strings and binary bytewise,
/// numbers numerically.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyValue {
    /// String key.
    S(String),
    /// Number key.
    N(Number),
    /// Binary key.
    B(Vec<u8>),
}

impl KeyValue {
    /// The key value as an attribute value.
    pub fn to_attribute(&self) -> AttributeValue {
        match self {
            Self::S(s) => AttributeValue::S(s.clone()),
            Self::N(n) => AttributeValue::N(*n),
            Self::B(b) => AttributeValue::B(b.clone()),
        }
    }

    /// A key value from an attribute value of a scalar key type.
    pub fn from_attribute(value: &AttributeValue) -> Option<KeyValue> {
        match value {
            AttributeValue::S(s) => Some(Self::S(s.clone())),
            AttributeValue::N(n) => Some(Self::N(*n)),
            AttributeValue::B(b) => Some(Self::B(b.clone())),
            _ => None,
        }
    }

    /// The type of this value.
    pub fn scalar_type(&self) -> ScalarType {
        match self {
            Self::S(_) => ScalarType::S,
            Self::N(_) => ScalarType::N,
            Self::B(_) => ScalarType::B,
        }
    }

    /// A stable 64-bit hash of the value (FNV-1a over a type tag and the value's bytes, then
    /// a splitmix64 finaliser to spread nearby keys). It orders Scan results and parallel-scan
    /// segments, and will place keys on partitions; it never changes between versions.
    pub fn hash64(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        match self {
            Self::S(s) => {
                feed(b"S");
                feed(s.as_bytes());
            }
            Self::N(n) => {
                feed(b"N");
                feed(n.to_string().as_bytes());
            }
            Self::B(b) => {
                feed(b"B");
                feed(b);
            }
        }
        let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Size in bytes, as counted against the key length limits.
    pub fn size(&self) -> usize {
        match self {
            Self::S(s) => s.len(),
            Self::N(n) => n.size(),
            Self::B(b) => b.len(),
        }
    }
}

/// A partition key value with its hash: the hash orders Scan results and parallel-scan
/// segments (and will place keys on partitions).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartitionKey {
    /// `value.hash64()`, cached.
    pub token: u64,
    /// The partition key value.
    pub value: KeyValue,
}

impl PartitionKey {
    /// A partition key and its hash.
    pub fn new(value: KeyValue) -> Self {
        Self { token: value.hash64(), value }
    }

    /// The smallest partition key with this token (for segment starts): an empty string sorts
    /// before every other key value.
    pub fn first_with_token(token: u64) -> Self {
        Self { token, value: KeyValue::S(String::new()) }
    }
}

/// Where an item lives: its partition key, and its sort key (`None` on a table without one).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrimaryKey {
    /// Partition key value and hash.
    pub partition: PartitionKey,
    /// Sort key value, if the schema has one.
    pub sort: Option<KeyValue>,
}

impl PrimaryKey {
    /// A key from its parts.
    pub fn new(partition: KeyValue, sort: Option<KeyValue>) -> Self {
        Self { partition: PartitionKey::new(partition), sort }
    }
}

/// Which request member a key came from, for DynamoDB's differing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// A full item (`Item` of PutItem): missing or mistyped keys name the key.
    Item,
    /// A `Key` member (GetItem, UpdateItem, DeleteItem, …).
    Key,
}

impl KeySchema {
    /// Names of the key attributes, partition key first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.partition_key.name.as_str())
            .chain(self.sort_key.as_ref().map(|k| k.name.as_str()))
    }

    /// Whether `name` is one of the key attributes.
    pub fn is_key(&self, name: &str) -> bool {
        self.names().any(|n| n == name)
    }

    /// Extracts and checks the primary key of a full item (PutItem's `Item`).
    pub fn key_of_item(&self, item: &Item) -> ApiResult<PrimaryKey> {
        let partition = self.key_value(item, &self.partition_key, KeySource::Item, true)?;
        let sort = match &self.sort_key {
            Some(sk) => Some(self.key_value(item, sk, KeySource::Item, false)?),
            None => None,
        };
        Ok(PrimaryKey::new(partition, sort))
    }

    /// Checks a `Key` member: exactly the key attributes, with the declared types.
    pub fn key_of_key(&self, key: &Item) -> ApiResult<PrimaryKey> {
        let expected = 1 + usize::from(self.sort_key.is_some());
        if key.len() != expected || !key.keys().all(|k| self.is_key(k)) {
            return Err(ApiError::validation("The provided key element does not match the schema"));
        }
        let partition = self.key_value(key, &self.partition_key, KeySource::Key, true)?;
        let sort = match &self.sort_key {
            Some(sk) => Some(self.key_value(key, sk, KeySource::Key, false)?),
            None => None,
        };
        Ok(PrimaryKey::new(partition, sort))
    }

    fn key_value(
        &self,
        item: &Item,
        attr: &KeyAttribute,
        source: KeySource,
        is_partition: bool,
    ) -> ApiResult<KeyValue> {
        let Some(value) = item.get(&attr.name) else {
            return Err(match source {
                KeySource::Item => {
                    ApiError::invalid_parameter(format!("Missing the key {} in the item", attr.name))
                        .because(Cause::MissingKeyAttribute)
                }
                KeySource::Key => ApiError::validation("The provided key element does not match the schema"),
            });
        };
        let key = KeyValue::from_attribute(value).filter(|k| k.scalar_type() == attr.scalar_type);
        let Some(key) = key else {
            return Err(match source {
                KeySource::Item => ApiError::invalid_parameter(format!(
                    "Type mismatch for key {} expected: {} actual: {}",
                    attr.name,
                    attr.scalar_type.name(),
                    value.type_name()
                ))
                .because(Cause::KeyTypeMismatch),
                KeySource::Key => ApiError::validation("The provided key element does not match the schema"),
            });
        };
        check_key_size(&attr.name, &key, is_partition, source)?;
        Ok(key)
    }

    /// A key-only item for a primary key (the start of an item UpdateItem creates).
    pub fn key_item_from(&self, key: &PrimaryKey) -> Item {
        let mut item = Item::new();
        item.insert(self.partition_key.name.clone(), key.partition.value.to_attribute());
        if let (Some(attr), Some(value)) = (&self.sort_key, &key.sort) {
            item.insert(attr.name.clone(), value.to_attribute());
        }
        item
    }

    /// The key attributes of an item, as a `Key` map (for LastEvaluatedKey and the like).
    pub fn key_item(&self, item: &Item) -> Item {
        super::map_from(self.names().filter_map(|n| item.get(n).map(|v| (n.to_owned(), v.clone()))))
    }
}

/// DynamoDB's checks on key values: no empty string or binary, and the length limits.
/// A full item (PutItem) words the empty-value error differently from a `Key` member.
pub fn check_key_size(name: &str, key: &KeyValue, is_partition: bool, source: KeySource) -> ApiResult<()> {
    let empty = match key {
        KeyValue::S(s) => s.is_empty(),
        KeyValue::B(b) => b.is_empty(),
        KeyValue::N(_) => false,
    };
    if empty {
        let kind = if key.scalar_type() == ScalarType::S { "string" } else { "binary" };
        let lead = match source {
            KeySource::Item => "One or more parameter values are not valid.",
            KeySource::Key => "One or more parameter values were invalid:",
        };
        return Err(ApiError::validation(format!(
            "{lead} The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {name}"
        )));
    }
    if key.scalar_type() == ScalarType::N {
        return Ok(());
    }
    if is_partition && key.size() > MAX_PARTITION_KEY_BYTES {
        return Err(ApiError::invalid_parameter(format!(
            "Size of hashkey has exceeded the maximum size limit of{MAX_PARTITION_KEY_BYTES} bytes"
        )));
    }
    if !is_partition && key.size() > MAX_SORT_KEY_BYTES {
        return Err(ApiError::invalid_parameter(format!(
            "Aggregated size of all range keys has exceeded the size limit of {MAX_SORT_KEY_BYTES} bytes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> KeySchema {
        KeySchema {
            partition_key: KeyAttribute { name: "pk".into(), scalar_type: ScalarType::S },
            sort_key: Some(KeyAttribute { name: "sk".into(), scalar_type: ScalarType::N }),
        }
    }

    #[test]
    fn keys_order_by_type_rules() {
        let n = |s: &str| KeyValue::N(Number::parse(s).unwrap());
        assert!(n("9") < n("10"));
        assert!(KeyValue::S("B".into()) < KeyValue::S("a".into()));
        assert!(KeyValue::B(vec![0x7f]) < KeyValue::B(vec![0x80]));
    }

    #[test]
    fn key_errors_use_dynamodb_texts() {
        let s = schema();
        let mut item = Item::new();
        item.insert("sk".into(), AttributeValue::N(Number::ZERO));
        assert_eq!(
            s.key_of_item(&item).unwrap_err().message,
            "One or more parameter values were invalid: Missing the key pk in the item"
        );
        item.insert("pk".into(), AttributeValue::N(Number::ZERO));
        assert_eq!(
            s.key_of_item(&item).unwrap_err().message,
            "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
        );
        assert_eq!(
            s.key_of_key(&item).unwrap_err().message,
            "The provided key element does not match the schema"
        );
        item.insert("pk".into(), AttributeValue::S(String::new()));
        assert_eq!(
            s.key_of_item(&item).unwrap_err().message,
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"
        );
    }

    #[test]
    fn hash_is_stable() {
        // Pinned: the hash orders scans and will place keys on partitions; it must not drift.
        assert_eq!(KeyValue::S("U1001".into()).hash64(), KeyValue::S("U1001".into()).hash64());
        assert_ne!(KeyValue::S("a".into()).hash64(), KeyValue::S("b".into()).hash64());
    }
}
