//! DynamoDB's data: numbers, attribute values, items, keys.

pub mod key;
pub mod number;
pub mod value;

pub use key::{KeyAttribute, KeySchema, KeyValue, PartitionKey, PrimaryKey, ScalarType};
pub use number::{Number, NumberError};
pub use value::{item_from_json, item_size, item_to_json, AttributeValue, Item};
