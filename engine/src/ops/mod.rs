//! One module per API action: each validates its request (shape first, then the rules that
//! need a table) and executes it against the engine.

mod account;
mod batch;
mod batch_execute_statement;
mod batch_get_item;
mod batch_write_item;
mod continuous_backups;
mod contributor_insights;
mod create_table;
mod delete_item;
mod delete_table;
mod describe_stream;
mod describe_table;
mod execute_statement;
mod execute_transaction;
mod get_item;
mod get_records;
mod get_shard_iterator;
mod gsi_updates;
mod item_collection;
mod list_streams;
mod list_tables;
mod put_item;
mod query;
mod read;
pub(crate) mod request;
mod scan;
mod statement;
mod tags;
mod time_to_live;
pub(crate) mod transact;
mod transact_get_items;
mod transact_write_items;
mod update_item;
mod update_table;
pub(crate) mod write;

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};

pub(crate) use get_item::run_text as get_item_text;
pub(crate) use query::run_text as query_text;
pub(crate) use scan::run_text as scan_text;

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
        "BatchGetItem" => batch_get_item::run(engine, request),
        "BatchWriteItem" => batch_write_item::run(engine, request),
        "TransactGetItems" => transact_get_items::run(engine, request),
        "TransactWriteItems" => transact_write_items::run(engine, request),
        "ExecuteStatement" => execute_statement::run(engine, request),
        "BatchExecuteStatement" => batch_execute_statement::run(engine, request),
        "ExecuteTransaction" => execute_transaction::run(engine, request),
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
        // DynamoDB Streams (`DynamoDBStreams_20120810.*`).
        "ListStreams" => list_streams::run(engine, request),
        "DescribeStream" => describe_stream::run(engine, request),
        "GetShardIterator" => get_shard_iterator::run(engine, request),
        "GetRecords" => get_records::run(engine, request),
        "UpdateContributorInsights" => contributor_insights::update(engine, request),
        "DescribeContributorInsights" => contributor_insights::describe(engine, request),
        "ListContributorInsights" => contributor_insights::list(engine, request),
        _ => crate::playground::dispatch(engine, operation, request)
            .unwrap_or_else(|| Err(ApiError::new(ErrorKind::UnknownOperation, ""))),
    }
}
