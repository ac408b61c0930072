//! One module per API action: each validates its request (shape first, then the rules that
//! need a table) and executes it against the engine.

mod account;
mod continuous_backups;
mod create_table;
mod delete_item;
mod delete_table;
mod describe_table;
mod get_item;
mod gsi_updates;
mod item_collection;
mod list_tables;
mod put_item;
mod query;
mod read;
mod request;
mod scan;
mod tags;
mod time_to_live;
mod update_item;
mod update_table;
mod write;

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};

/// Routes an operation name to its action.
pub(crate) fn dispatch(engine: &mut Engine, operation: &str, request: &Value) -> ApiResult<Value> {
    match operation {
        "CreateTable" => create_table::run(engine, request),
        "DescribeTable" => describe_table::run(engine, request),
        "ListTables" => list_tables::run(engine, request),
        "DeleteTable" => delete_table::run(engine, request),
        "PutItem" => put_item::run(engine, request),
        "GetItem" => get_item::run(engine, request),
        "UpdateItem" => update_item::run(engine, request),
        "DeleteItem" => delete_item::run(engine, request),
        "Query" => query::run(engine, request),
        "Scan" => scan::run(engine, request),
        "UpdateTable" => update_table::run(engine, request),
        "TagResource" => tags::tag_resource(engine, request),
        "UntagResource" => tags::untag_resource(engine, request),
        "ListTagsOfResource" => tags::list_tags_of_resource(engine, request),
        "DescribeTimeToLive" => time_to_live::describe(engine, request),
        "UpdateTimeToLive" => time_to_live::update(engine, request),
        "DescribeContinuousBackups" => continuous_backups::describe(engine, request),
        "UpdateContinuousBackups" => continuous_backups::update(engine, request),
        "DescribeLimits" => account::describe_limits(engine, request),
        "DescribeEndpoints" => account::describe_endpoints(engine, request),
        _ => Err(ApiError::new(ErrorKind::UnknownOperation, "")),
    }
}
