//! # dynaplay-engine
//!
//! A faithful DynamoDB engine: tables, items, the expression language, Query and Scan, with
//! DynamoDB's own limits and error texts. It is synchronous, platform-free and deterministic:
//! it never reads a clock — the host sets engine time with [`Engine::set_now`] or
//! [`Engine::advance`].
//!
//! Every front end (the browser UI, the JS API, the HTTP server, the tests) talks to it the
//! same way: an operation name and a request body in DynamoDB's JSON wire format in, the
//! response JSON or a DynamoDB error out.
//!
//! ```
//! use dynaplay_engine::Engine;
//! use serde_json::json;
//!
//! let mut engine = Engine::new();
//! engine.handle_json("CreateTable", json!({
//!     "TableName": "Users",
//!     "KeySchema": [{"AttributeName": "UserId", "KeyType": "HASH"}],
//!     "AttributeDefinitions": [{"AttributeName": "UserId", "AttributeType": "S"}],
//!     "BillingMode": "PAY_PER_REQUEST"
//! })).unwrap();
//! engine.handle_json("PutItem", json!({
//!     "TableName": "Users",
//!     "Item": {"UserId": {"S": "U1001"}, "Age": {"N": "29"}}
//! })).unwrap();
//! let got = engine.handle_json("GetItem", json!({
//!     "TableName": "Users", "Key": {"UserId": {"S": "U1001"}}
//! })).unwrap();
//! assert_eq!(got["Item"]["Age"], json!({"N": "29"}));
//!
//! let err = engine.handle_json("GetItem", json!({"TableName": "Nope", "Key": {}})).unwrap_err();
//! assert_eq!(err.kind.name(), "ResourceNotFoundException");
//! ```

// The bundle rules (clippy.toml) bind the engine's code, which ships in the browser; its tests
// never do.
#![cfg_attr(test, allow(clippy::disallowed_methods, clippy::disallowed_types))]

mod autoscaling;
mod backups;
mod capacity;
mod control;
mod dax;
mod engine;
mod error;
mod explain;
mod expr;
mod features;
mod global;
mod iam;
mod inspect;
pub mod journal;
mod ops;
mod partiql;
mod partition;
mod playground;
mod replication;
mod snapshot;
mod storage;
mod streams;
mod table;
mod tables;
mod ttl;
pub mod types;
mod validate;
mod vector;
mod workspace;

/// Engine milliseconds as `YYYY-MM-DDTHH:MM:SS.mmm` (UTC): the stream labels' format, also used
/// by the page's triggers for the times in an on-failure invocation record.
pub use control::iso8601_millis;
pub use engine::{Engine, EngineConfig};
pub use error::{ApiError, ApiResult, Cause, ErrorKind};
pub use explain::text::grouped;
pub use features::NOT_IN_THIS_BUILD;
/// The AWS Regions a global table can have replicas in (a server accepts requests signed for
/// any of them: each is served in its Region).
pub use global::regions::SUPPORTED_REGIONS as GLOBAL_TABLE_REGIONS;
pub use global::DEFAULT_REPLICATION_DELAY_MS;
pub use ops::{is_mutating, operation, ApiFamily, OperationSpec, OPERATIONS};

/// Request schemas as the engine's validator checks them ([`OperationSpec::request_members`]):
/// each member's JSON shape and the API model's constraints on it.
pub mod schema {
    pub use crate::validate::{Field, Rule, Shape};
}
pub use ttl::DEFAULT_TTL_DELETION_DELAY_MS;
pub use workspace::{WORKSPACE_FORMAT, WORKSPACE_VERSION};
