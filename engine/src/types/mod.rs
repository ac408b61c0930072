//! DynamoDB's data: numbers, attribute values, items, keys.

pub mod base64;
pub mod compact;
pub(crate) mod item_reader;
pub mod key;
pub(crate) mod layer;
pub mod number;
pub(crate) mod plain_json;
pub(crate) mod stored;
pub mod text;
pub mod value;

pub use crate::control::{civil_from_days, iso8601_millis};
pub use compact::{map_from, object_from, sort_by, sort_dedup, Seen};
pub use key::{KeyAttribute, KeySchema, KeyValue, PartitionKey, PrimaryKey, ScalarType};
pub(crate) use key::{MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES};
pub use number::{Number, NumberError};
pub use text::ItemText;
pub use value::{item_from_json, item_size, item_to_json, AttributeValue, Item};
