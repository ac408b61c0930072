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
use crate::playground;

/// The API an operation belongs to. An HTTP front serves each family under its own
/// `X-Amz-Target` prefix (`DynamoDB_20120810.PutItem`, `Dynaplay.PlaygroundDescribeTime`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiFamily {
    /// DynamoDB itself (API version 2012-08-10).
    DynamoDB,
    /// DynamoDB Streams (API version 2012-08-10).
    DynamoDBStreams,
    /// The playground's own operations (clock, partitions, metrics, settings, workloads).
    Playground,
}

impl ApiFamily {
    /// The `X-Amz-Target` prefix (before the `.`) this family is served under.
    pub fn target_prefix(self) -> &'static str {
        match self {
            Self::DynamoDB => "DynamoDB_20120810",
            Self::DynamoDBStreams => "DynamoDBStreams_20120810",
            Self::Playground => "Dynaplay",
        }
    }
}

/// An operation's action on a parsed request.
pub(crate) type Handler = fn(&mut Engine, &Value) -> ApiResult<Value>;
/// An action that writes its answer as JSON text directly (the same text as `Handler`'s
/// answer serialised), skipping the `Value` in between.
pub(crate) type TextHandler = fn(&mut Engine, &Value) -> ApiResult<String>;

/// One operation the engine serves: everything dispatch, journaling, routing and the tests
/// need to know about it. [`OPERATIONS`] lists them all.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operation's name, as `X-Amz-Target` and `Engine::handle` name it (`PutItem`).
    pub name: &'static str,
    /// The API it belongs to.
    pub family: ApiFamily,
    /// Whether it can change what a workspace holds: a host that persists by journaling
    /// requests journals these (see [`is_mutating`]).
    pub mutates: bool,
    /// Whether it takes `ReturnConsumedCapacity` and can answer with `ConsumedCapacity`.
    pub returns_capacity: bool,
    pub(crate) run: Handler,
    pub(crate) run_text: Option<TextHandler>,
}

impl OperationSpec {
    const fn new(name: &'static str, family: ApiFamily, run: Handler) -> Self {
        Self { name, family, mutates: false, returns_capacity: false, run, run_text: None }
    }

    const fn mutates(mut self) -> Self {
        self.mutates = true;
        self
    }

    const fn capacity(mut self) -> Self {
        self.returns_capacity = true;
        self
    }

    const fn text(mut self, run_text: TextHandler) -> Self {
        self.run_text = Some(run_text);
        self
    }
}

use ApiFamily::{DynamoDB, DynamoDBStreams, Playground};

/// Every operation the engine serves, each named once. Dispatch, [`is_mutating`], the
/// server's `X-Amz-Target` routing and the tests all read this table; a new operation is a
/// module of its own and one line here.
pub static OPERATIONS: &[OperationSpec] = &[
    // DynamoDB: tables.
    OperationSpec::new("CreateTable", DynamoDB, create_table::run).mutates(),
    OperationSpec::new("DescribeTable", DynamoDB, describe_table::run),
    OperationSpec::new("ListTables", DynamoDB, list_tables::run),
    OperationSpec::new("UpdateTable", DynamoDB, update_table::run).mutates(),
    OperationSpec::new("DeleteTable", DynamoDB, delete_table::run).mutates(),
    // DynamoDB: items.
    OperationSpec::new("PutItem", DynamoDB, put_item::run).mutates().capacity(),
    OperationSpec::new("GetItem", DynamoDB, get_item::run).capacity().text(get_item::run_text),
    OperationSpec::new("UpdateItem", DynamoDB, update_item::run).mutates().capacity(),
    OperationSpec::new("DeleteItem", DynamoDB, delete_item::run).mutates().capacity(),
    OperationSpec::new("Query", DynamoDB, query::run).capacity().text(query::run_text),
    OperationSpec::new("Scan", DynamoDB, scan::run).capacity().text(scan::run_text),
    OperationSpec::new("BatchGetItem", DynamoDB, batch_get_item::run).capacity(),
    OperationSpec::new("BatchWriteItem", DynamoDB, batch_write_item::run).mutates().capacity(),
    OperationSpec::new("TransactGetItems", DynamoDB, transact_get_items::run).capacity(),
    OperationSpec::new("TransactWriteItems", DynamoDB, transact_write_items::run).mutates().capacity(),
    // DynamoDB: PartiQL.
    OperationSpec::new("ExecuteStatement", DynamoDB, execute_statement::run).mutates().capacity(),
    OperationSpec::new("BatchExecuteStatement", DynamoDB, batch_execute_statement::run).mutates().capacity(),
    OperationSpec::new("ExecuteTransaction", DynamoDB, execute_transaction::run).mutates().capacity(),
    // DynamoDB: table settings and account.
    OperationSpec::new("TagResource", DynamoDB, tags::tag_resource).mutates(),
    OperationSpec::new("UntagResource", DynamoDB, tags::untag_resource).mutates(),
    OperationSpec::new("ListTagsOfResource", DynamoDB, tags::list_tags_of_resource),
    OperationSpec::new("DescribeTimeToLive", DynamoDB, time_to_live::describe),
    OperationSpec::new("UpdateTimeToLive", DynamoDB, time_to_live::update).mutates(),
    OperationSpec::new("DescribeContinuousBackups", DynamoDB, continuous_backups::describe),
    OperationSpec::new("UpdateContinuousBackups", DynamoDB, continuous_backups::update).mutates(),
    OperationSpec::new("DescribeLimits", DynamoDB, account::describe_limits),
    OperationSpec::new("DescribeEndpoints", DynamoDB, account::describe_endpoints),
    // Contributor Insights is session state, not workspace state: not journaled.
    OperationSpec::new("UpdateContributorInsights", DynamoDB, contributor_insights::update),
    OperationSpec::new("DescribeContributorInsights", DynamoDB, contributor_insights::describe),
    OperationSpec::new("ListContributorInsights", DynamoDB, contributor_insights::list),
    // DynamoDB Streams.
    OperationSpec::new("ListStreams", DynamoDBStreams, list_streams::run),
    OperationSpec::new("DescribeStream", DynamoDBStreams, describe_stream::run),
    OperationSpec::new("GetShardIterator", DynamoDBStreams, get_shard_iterator::run),
    OperationSpec::new("GetRecords", DynamoDBStreams, get_records::run),
    // The playground. Settings are workspace state (they survive a reload); the clock and
    // workloads belong to the session.
    OperationSpec::new("PlaygroundDescribeTime", Playground, playground::describe_time),
    OperationSpec::new("PlaygroundUpdateTime", Playground, playground::update_time),
    OperationSpec::new("PlaygroundAdvanceTime", Playground, playground::advance_time),
    OperationSpec::new("PlaygroundDescribeSettings", Playground, playground::describe_settings),
    OperationSpec::new("PlaygroundUpdateSettings", Playground, playground::update_settings).mutates(),
    OperationSpec::new("PlaygroundDescribePartitions", Playground, playground::describe_partitions),
    OperationSpec::new("PlaygroundGetMetrics", Playground, playground::get_metrics),
    OperationSpec::new("PlaygroundDescribeHotKeys", Playground, playground::describe_hot_keys),
    OperationSpec::new("PlaygroundStartWorkload", Playground, playground::start_workload),
    OperationSpec::new("PlaygroundStopWorkload", Playground, playground::stop_workload),
    OperationSpec::new("PlaygroundListWorkloads", Playground, playground::list_workloads),
];

/// The operation named `name`, if the engine serves one by that name.
pub fn operation(name: &str) -> Option<&'static OperationSpec> {
    OPERATIONS.iter().find(|spec| spec.name == name)
}

/// Whether an operation can change what a workspace holds (hosts journal these).
pub fn is_mutating(operation_name: &str) -> bool {
    operation(operation_name).is_some_and(|spec| spec.mutates)
}

/// The operation named `name`, or DynamoDB's UnknownOperationException.
pub(crate) fn known(name: &str) -> ApiResult<&'static OperationSpec> {
    operation(name).ok_or_else(|| ApiError::new(ErrorKind::UnknownOperation, ""))
}

/// Runs an operation by name on a parsed request.
pub(crate) fn dispatch(engine: &mut Engine, operation: &str, request: &Value) -> ApiResult<Value> {
    (known(operation)?.run)(engine, request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_is_named_once() {
        for (i, spec) in OPERATIONS.iter().enumerate() {
            assert!(
                OPERATIONS[..i].iter().all(|other| other.name != spec.name),
                "{} is registered twice",
                spec.name
            );
            assert!(std::ptr::eq(operation(spec.name).unwrap(), spec));
        }
        assert!(operation("CreateBackup").is_none());
        assert!(operation("getitem").is_none());
    }

    #[test]
    fn playground_operations_and_only_they_carry_the_prefix() {
        for spec in OPERATIONS {
            assert_eq!(spec.name.starts_with("Playground"), spec.family == Playground, "{}", spec.name);
        }
    }

    /// The journal's set of operations, frozen: a change here changes what a reload restores.
    #[test]
    fn mutating_operations_are_exactly_the_journaled_ones() {
        let mutating: Vec<&str> = OPERATIONS.iter().filter(|s| s.mutates).map(|s| s.name).collect();
        assert_eq!(
            mutating,
            [
                "CreateTable",
                "UpdateTable",
                "DeleteTable",
                "PutItem",
                "UpdateItem",
                "DeleteItem",
                "BatchWriteItem",
                "TransactWriteItems",
                "ExecuteStatement",
                "BatchExecuteStatement",
                "ExecuteTransaction",
                "TagResource",
                "UntagResource",
                "UpdateTimeToLive",
                "UpdateContinuousBackups",
                "PlaygroundUpdateSettings",
            ]
        );
        assert!(is_mutating("PutItem") && !is_mutating("GetItem") && !is_mutating("NoSuchOperation"));
    }

    #[test]
    fn unknown_operations_are_refused() {
        let mut engine = Engine::new();
        let err = dispatch(&mut engine, "CreateBackup", &serde_json::json!({})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnknownOperation);
    }
}
