//! The operation registry ([`OPERATIONS`]) and one module per operation,
//! `<operation in snake case>.rs`: its request `SCHEMA` and its `run`, which validates the
//! request (shape first, then the rules that need a table) and executes it against the
//! engine. The other modules hold what several operations share.

mod batch;
mod batch_execute_statement;
mod batch_get_item;
mod batch_write_item;
mod contributor_insights;
mod create_backup;
mod create_cluster;
mod create_global_table;
mod create_parameter_group;
mod create_table;
mod delete_backup;
mod delete_cluster;
mod delete_item;
mod delete_resource_policy;
mod delete_scaling_policy;
mod delete_table;
mod deregister_scalable_target;
mod describe_backup;
mod describe_clusters;
mod describe_continuous_backups;
mod describe_contributor_insights;
mod describe_endpoints;
mod describe_export;
mod describe_global_table;
mod describe_global_table_settings;
mod describe_import;
mod describe_limits;
mod describe_parameter_groups;
mod describe_parameters;
mod describe_scalable_targets;
mod describe_scaling_activities;
mod describe_scaling_policies;
mod describe_stream;
mod describe_table;
mod describe_time_to_live;
mod execute_statement;
mod execute_transaction;
mod export_table_to_point_in_time;
mod get_item;
mod get_records;
mod get_resource_policy;
mod get_shard_iterator;
mod gsi_updates;
mod import_table;
mod item_collection;
mod legacy_global_tables;
mod list_backups;
mod list_contributor_insights;
mod list_exports;
mod list_global_tables;
mod list_imports;
mod list_streams;
mod list_tables;
mod list_tags_of_resource;
mod playground_advance_time;
pub(crate) mod playground_dax_request;
mod playground_delete_identity;
mod playground_delete_object;
mod playground_describe_dax_cache;
mod playground_describe_history;
mod playground_describe_hot_keys;
mod playground_describe_partitions;
mod playground_describe_regions;
mod playground_describe_settings;
mod playground_describe_time;
mod playground_estimate_capacity;
mod playground_explain_access;
mod playground_explain_item_size;
mod playground_explain_request;
mod playground_explain_table;
mod playground_get_metrics;
mod playground_get_object;
mod playground_list_identities;
mod playground_list_objects;
mod playground_list_workloads;
mod playground_put_identity;
mod playground_put_object;
mod playground_start_workload;
mod playground_stop_workload;
mod playground_update_region;
mod playground_update_settings;
mod playground_update_time;
mod playground_use_access_key;
mod put_item;
mod put_resource_policy;
pub(crate) mod put_scaling_policy;
mod query;
mod read;
mod register_scalable_target;
pub(crate) mod request;
pub(crate) mod resource_policy;
mod restore_table_from_backup;
mod restore_table_to_point_in_time;
mod scan;
mod search_vectors;
mod statement;
mod table_arn;
mod tag_resource;
mod tags;
mod throughput_settings;
pub(crate) mod transact;
mod transact_get_items;
mod transact_write_items;
mod untag_resource;
mod update_continuous_backups;
mod update_contributor_insights;
mod update_global_table;
mod update_global_table_settings;
mod update_item;
mod update_parameter_group;
mod update_table;
mod update_time_to_live;
mod vector_indexes;
mod worded;
pub(crate) mod write;

pub(crate) use create_table::run as create_table;

use serde_json::Value;

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::validate::Field;

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
    /// DynamoDB Accelerator's management API (API version 2017-04-19).
    Dax,
    /// Application Auto Scaling (API version 2016-02-06), for DynamoDB's scalable targets.
    ApplicationAutoScaling,
}

impl ApiFamily {
    /// The `X-Amz-Target` prefix (before the `.`) this family is served under.
    pub fn target_prefix(self) -> &'static str {
        match self {
            Self::DynamoDB => "DynamoDB_20120810",
            Self::DynamoDBStreams => "DynamoDBStreams_20120810",
            Self::Playground => "Dynaplay",
            Self::Dax => "AmazonDAXV3",
            Self::ApplicationAutoScaling => "AnyScaleFrontendService",
        }
    }
}

/// An operation's action on a parsed request.
pub(crate) type Handler = fn(&mut Engine, &Value) -> ApiResult<Value>;
/// An action that writes its answer as JSON text directly (the same text as `Handler`'s
/// answer serialised), skipping the `Value` in between.
pub(crate) type TextHandler = fn(&mut Engine, &Value) -> ApiResult<String>;
/// An action on a request whose map member `member` was read straight from the body into an
/// item (`types::item_reader`); `None`: run it the usual way instead.
pub(crate) struct DirectHandler {
    pub member: &'static str,
    pub run: fn(&mut Engine, &Value, crate::types::Item) -> Option<ApiResult<String>>,
}

/// A reader of an operation's plainest requests (GetItem's: `get_item::read_plain`).
pub(crate) type PlainReader = fn(&[u8]) -> Option<get_item::Get<'_>>;

/// A request read straight from its body, one of two ways.
pub(crate) enum Direct<'a> {
    /// A GetItem in its plainest form (`get_item::read_plain`), read without any `Value`.
    PlainGet(get_item::Get<'a>),
    /// The request as a `Value` with its [`DirectHandler`] member read into an item.
    Member(Value, crate::types::Item),
}

impl std::fmt::Debug for DirectHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DirectHandler({})", self.member)
    }
}

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
    /// The request's members as the validator checks them.
    pub(crate) schema: &'static [Field],
    pub(crate) run: Handler,
    pub(crate) run_text: Option<TextHandler>,
    /// The fastest way, for the operations that take most traffic (PutItem, GetItem).
    pub(crate) run_direct: Option<DirectHandler>,
    /// Faster still, for GetItem's plainest requests (in every build: [`Direct::PlainGet`]).
    pub(crate) read_plain: Option<PlainReader>,
    /// Whether DynamoDB reads the body strictly before validating it (`validate/strict.rs`).
    pub(crate) strict_body: bool,
    /// Whether it belongs to a feature the page's first-load build leaves out (`features`):
    /// a lab that uses it says it needs the full engine.
    pub full_only: bool,
}

impl OperationSpec {
    const fn new(name: &'static str, family: ApiFamily, schema: &'static [Field], run: Handler) -> Self {
        Self {
            name,
            family,
            mutates: false,
            returns_capacity: false,
            schema,
            run,
            run_text: None,
            run_direct: None,
            read_plain: None,
            strict_body: false,
            full_only: false,
        }
    }

    /// The request's members, as the engine's validator checks them (their JSON shapes and the
    /// API model's constraints): for tools and tests that build requests.
    pub fn request_members(&self) -> &'static [Field] {
        self.schema
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

    const fn direct(
        mut self,
        member: &'static str,
        run: fn(&mut Engine, &Value, crate::types::Item) -> Option<ApiResult<String>>,
    ) -> Self {
        // A build without it keeps neither the handler nor what only it reaches.
        if crate::features::DIRECT_READ {
            self.run_direct = Some(DirectHandler { member, run });
        }
        self
    }

    const fn plain(mut self, read: PlainReader) -> Self {
        self.read_plain = Some(read);
        self
    }

    const fn strict(mut self) -> Self {
        self.strict_body = true;
        self
    }
}

use ApiFamily::{ApplicationAutoScaling, Dax, DynamoDB, DynamoDBStreams, Playground};

/// A registry row: the operation `name` of `family`, its request `schema` and its `run`.
const fn op(name: &'static str, family: ApiFamily, schema: &'static [Field], run: Handler) -> OperationSpec {
    OperationSpec::new(name, family, schema, run)
}

/// A row of a feature the page's first load leaves out (`features`): as it is when the build
/// has the feature (`on`), otherwise its `refusal` with no schema, so the linker keeps neither
/// its run nor what only that reaches (a request reaches the refusal as it is).
const fn gated(on: bool, spec: OperationSpec, refusal: Handler) -> OperationSpec {
    match on {
        true => OperationSpec { full_only: true, ..spec },
        false => OperationSpec { schema: &[], run: refusal, full_only: true, ..spec },
    }
}

/// A global tables operation ([`gated`]).
const fn global(spec: OperationSpec) -> OperationSpec {
    gated(crate::features::GLOBAL_TABLES, spec, |_, _| Err(crate::features::no_global_tables()))
}

/// A DAX operation ([`gated`]).
const fn dax(spec: OperationSpec) -> OperationSpec {
    gated(crate::features::DAX, spec, |_, _| Err(crate::features::no_dax()))
}

/// An auto scaling operation ([`gated`]).
const fn scaling(spec: OperationSpec) -> OperationSpec {
    gated(crate::features::AUTO_SCALING, spec, |_, _| Err(crate::features::no_auto_scaling()))
}

/// An access control operation: identities and IAM policies ([`gated`]).
const fn iam(spec: OperationSpec) -> OperationSpec {
    gated(crate::features::IAM, spec, |_, _| Err(crate::features::no_iam()))
}

/// A backup or restore operation ([`gated`]).
const fn backups(spec: OperationSpec) -> OperationSpec {
    gated(crate::features::BACKUPS, spec, |_, _| Err(crate::features::no_backups()))
}

/// Every operation the engine serves, each named once. Dispatch, [`is_mutating`], the
/// server's `X-Amz-Target` routing and the tests all read this table; a new operation is a
/// module of its own and one line here.
pub static OPERATIONS: &[OperationSpec] = &[
    // DynamoDB: tables.
    op("CreateTable", DynamoDB, create_table::SCHEMA, create_table::run).mutates(),
    op("DescribeTable", DynamoDB, describe_table::SCHEMA, describe_table::run),
    op("ListTables", DynamoDB, list_tables::SCHEMA, list_tables::run),
    op("UpdateTable", DynamoDB, update_table::SCHEMA, update_table::run).mutates(),
    op("DeleteTable", DynamoDB, delete_table::SCHEMA, delete_table::run).mutates(),
    // DynamoDB: global tables version 2017.11.29 (Legacy), which DynamoDB no longer makes.
    global(op("CreateGlobalTable", DynamoDB, create_global_table::SCHEMA, create_global_table::run)),
    global(op("DescribeGlobalTable", DynamoDB, describe_global_table::SCHEMA, describe_global_table::run)),
    global(op("UpdateGlobalTable", DynamoDB, update_global_table::SCHEMA, update_global_table::run)),
    global(op("ListGlobalTables", DynamoDB, list_global_tables::SCHEMA, list_global_tables::run)),
    global(op(
        "DescribeGlobalTableSettings",
        DynamoDB,
        describe_global_table_settings::SCHEMA,
        describe_global_table_settings::run,
    )),
    global(op(
        "UpdateGlobalTableSettings",
        DynamoDB,
        update_global_table_settings::SCHEMA,
        update_global_table_settings::run,
    )),
    // DynamoDB: items.
    op("PutItem", DynamoDB, put_item::SCHEMA, put_item::run)
        .mutates()
        .capacity()
        .direct("Item", put_item::run_read_directly),
    op("GetItem", DynamoDB, get_item::SCHEMA, get_item::run)
        .capacity()
        .text(get_item::run_text)
        .plain(get_item::read_plain)
        .direct("Key", get_item::run_read_directly),
    op("UpdateItem", DynamoDB, update_item::SCHEMA, update_item::run).mutates().capacity(),
    op("DeleteItem", DynamoDB, delete_item::SCHEMA, delete_item::run).mutates().capacity(),
    op("Query", DynamoDB, query::SCHEMA, query::run).capacity().text(query::run_text),
    op("Scan", DynamoDB, scan::SCHEMA, scan::run).capacity().text(scan::run_text),
    op("SearchVectors", DynamoDB, search_vectors::SCHEMA, search_vectors::run).capacity().strict(),
    op("BatchGetItem", DynamoDB, batch_get_item::SCHEMA, batch_get_item::run).capacity(),
    op("BatchWriteItem", DynamoDB, batch_write_item::SCHEMA, batch_write_item::run).mutates().capacity(),
    op("TransactGetItems", DynamoDB, transact_get_items::SCHEMA, transact_get_items::run).capacity(),
    op("TransactWriteItems", DynamoDB, transact_write_items::SCHEMA, transact_write_items::run)
        .mutates()
        .capacity(),
    // DynamoDB: PartiQL.
    op("ExecuteStatement", DynamoDB, execute_statement::SCHEMA, execute_statement::run).mutates().capacity(),
    op("BatchExecuteStatement", DynamoDB, batch_execute_statement::SCHEMA, batch_execute_statement::run)
        .mutates()
        .capacity(),
    op("ExecuteTransaction", DynamoDB, execute_transaction::SCHEMA, execute_transaction::run)
        .mutates()
        .capacity(),
    // DynamoDB: table settings and account.
    op("TagResource", DynamoDB, tag_resource::SCHEMA, tag_resource::run).mutates(),
    op("UntagResource", DynamoDB, untag_resource::SCHEMA, untag_resource::run).mutates(),
    op("ListTagsOfResource", DynamoDB, list_tags_of_resource::SCHEMA, list_tags_of_resource::run),
    op("DescribeTimeToLive", DynamoDB, describe_time_to_live::SCHEMA, describe_time_to_live::run),
    op("UpdateTimeToLive", DynamoDB, update_time_to_live::SCHEMA, update_time_to_live::run).mutates(),
    op(
        "DescribeContinuousBackups",
        DynamoDB,
        describe_continuous_backups::SCHEMA,
        describe_continuous_backups::run,
    ),
    op(
        "UpdateContinuousBackups",
        DynamoDB,
        update_continuous_backups::SCHEMA,
        update_continuous_backups::run,
    )
    .mutates(),
    // Resource-based policies: evaluated for requests sent as an identity (`iam`).
    // On-demand backups and restores (`backups`): workspace state.
    backups(op("CreateBackup", DynamoDB, create_backup::SCHEMA, create_backup::run)).mutates(),
    backups(op("DescribeBackup", DynamoDB, describe_backup::SCHEMA, describe_backup::run)),
    backups(op("ListBackups", DynamoDB, list_backups::SCHEMA, list_backups::run)),
    backups(op("DeleteBackup", DynamoDB, delete_backup::SCHEMA, delete_backup::run)).mutates(),
    backups(op(
        "RestoreTableFromBackup",
        DynamoDB,
        restore_table_from_backup::SCHEMA,
        restore_table_from_backup::run,
    ))
    .mutates(),
    backups(op(
        "RestoreTableToPointInTime",
        DynamoDB,
        restore_table_to_point_in_time::SCHEMA,
        restore_table_to_point_in_time::run,
    ))
    .mutates(),
    // Exports to and imports from the playground's object store (`backups/export.rs`,
    // `import.rs`): workspace state.
    backups(op(
        "ExportTableToPointInTime",
        DynamoDB,
        export_table_to_point_in_time::SCHEMA,
        export_table_to_point_in_time::run,
    ))
    .mutates(),
    backups(op("DescribeExport", DynamoDB, describe_export::SCHEMA, describe_export::run)),
    backups(op("ListExports", DynamoDB, list_exports::SCHEMA, list_exports::run)),
    backups(op("ImportTable", DynamoDB, import_table::SCHEMA, import_table::run)).mutates(),
    backups(op("DescribeImport", DynamoDB, describe_import::SCHEMA, describe_import::run)),
    backups(op("ListImports", DynamoDB, list_imports::SCHEMA, list_imports::run)),
    // The timeline view's read of a table's history (`backups/preview.rs`): read-only.
    backups(op(
        "PlaygroundDescribeHistory",
        Playground,
        playground_describe_history::SCHEMA,
        playground_describe_history::run,
    )),
    // Resource-based policies: stored and returned, not evaluated (`resource_policy.rs`).
    op("PutResourcePolicy", DynamoDB, put_resource_policy::SCHEMA, put_resource_policy::run).mutates(),
    op("GetResourcePolicy", DynamoDB, get_resource_policy::SCHEMA, get_resource_policy::run),
    op("DeleteResourcePolicy", DynamoDB, delete_resource_policy::SCHEMA, delete_resource_policy::run)
        .mutates(),
    op("DescribeLimits", DynamoDB, describe_limits::SCHEMA, describe_limits::run),
    op("DescribeEndpoints", DynamoDB, describe_endpoints::SCHEMA, describe_endpoints::run),
    // Contributor Insights is session state, not workspace state: not journaled.
    op(
        "UpdateContributorInsights",
        DynamoDB,
        update_contributor_insights::SCHEMA,
        update_contributor_insights::run,
    ),
    op(
        "DescribeContributorInsights",
        DynamoDB,
        describe_contributor_insights::SCHEMA,
        describe_contributor_insights::run,
    ),
    op(
        "ListContributorInsights",
        DynamoDB,
        list_contributor_insights::SCHEMA,
        list_contributor_insights::run,
    ),
    // DynamoDB Streams.
    op("ListStreams", DynamoDBStreams, list_streams::SCHEMA, list_streams::run),
    op("DescribeStream", DynamoDBStreams, describe_stream::SCHEMA, describe_stream::run),
    op("GetShardIterator", DynamoDBStreams, get_shard_iterator::SCHEMA, get_shard_iterator::run),
    op("GetRecords", DynamoDBStreams, get_records::SCHEMA, get_records::run),
    // DynamoDB Accelerator (DAX): clusters and parameter groups are workspace state.
    dax(op("CreateCluster", Dax, create_cluster::SCHEMA, create_cluster::run)).mutates(),
    dax(op("DescribeClusters", Dax, describe_clusters::SCHEMA, describe_clusters::run)),
    dax(op("DeleteCluster", Dax, delete_cluster::SCHEMA, delete_cluster::run)).mutates(),
    dax(op("CreateParameterGroup", Dax, create_parameter_group::SCHEMA, create_parameter_group::run))
        .mutates(),
    dax(op("UpdateParameterGroup", Dax, update_parameter_group::SCHEMA, update_parameter_group::run))
        .mutates(),
    dax(op(
        "DescribeParameterGroups",
        Dax,
        describe_parameter_groups::SCHEMA,
        describe_parameter_groups::run,
    )),
    dax(op("DescribeParameters", Dax, describe_parameters::SCHEMA, describe_parameters::run)),
    // Application Auto Scaling for DynamoDB: targets and policies are workspace state.
    scaling(op(
        "RegisterScalableTarget",
        ApplicationAutoScaling,
        register_scalable_target::SCHEMA,
        register_scalable_target::run,
    ))
    .mutates(),
    scaling(op(
        "DescribeScalableTargets",
        ApplicationAutoScaling,
        describe_scalable_targets::SCHEMA,
        describe_scalable_targets::run,
    )),
    scaling(op(
        "DeregisterScalableTarget",
        ApplicationAutoScaling,
        deregister_scalable_target::SCHEMA,
        deregister_scalable_target::run,
    ))
    .mutates(),
    scaling(op(
        "PutScalingPolicy",
        ApplicationAutoScaling,
        put_scaling_policy::SCHEMA,
        put_scaling_policy::run,
    ))
    .mutates(),
    scaling(op(
        "DescribeScalingPolicies",
        ApplicationAutoScaling,
        describe_scaling_policies::SCHEMA,
        describe_scaling_policies::run,
    )),
    scaling(op(
        "DeleteScalingPolicy",
        ApplicationAutoScaling,
        delete_scaling_policy::SCHEMA,
        delete_scaling_policy::run,
    ))
    .mutates(),
    scaling(op(
        "DescribeScalingActivities",
        ApplicationAutoScaling,
        describe_scaling_activities::SCHEMA,
        describe_scaling_activities::run,
    )),
    // The playground. Settings are workspace state (they survive a reload); the clock and
    // workloads belong to the session.
    op("PlaygroundDescribeTime", Playground, playground_describe_time::SCHEMA, playground_describe_time::run),
    op("PlaygroundUpdateTime", Playground, playground_update_time::SCHEMA, playground_update_time::run),
    op("PlaygroundAdvanceTime", Playground, playground_advance_time::SCHEMA, playground_advance_time::run),
    op(
        "PlaygroundDescribeSettings",
        Playground,
        playground_describe_settings::SCHEMA,
        playground_describe_settings::run,
    ),
    op(
        "PlaygroundUpdateSettings",
        Playground,
        playground_update_settings::SCHEMA,
        playground_update_settings::run,
    )
    .mutates(),
    op(
        "PlaygroundDescribePartitions",
        Playground,
        playground_describe_partitions::SCHEMA,
        playground_describe_partitions::run,
    ),
    op("PlaygroundGetMetrics", Playground, playground_get_metrics::SCHEMA, playground_get_metrics::run),
    op(
        "PlaygroundDescribeHotKeys",
        Playground,
        playground_describe_hot_keys::SCHEMA,
        playground_describe_hot_keys::run,
    ),
    op(
        "PlaygroundStartWorkload",
        Playground,
        playground_start_workload::SCHEMA,
        playground_start_workload::run,
    ),
    op("PlaygroundStopWorkload", Playground, playground_stop_workload::SCHEMA, playground_stop_workload::run),
    op(
        "PlaygroundListWorkloads",
        Playground,
        playground_list_workloads::SCHEMA,
        playground_list_workloads::run,
    ),
    // Requests through a DAX cluster (journaled as the write they carry; the caches are session
    // state), and what the cluster holds and counts.
    dax(op("PlaygroundDaxRequest", Playground, playground_dax_request::SCHEMA, playground_dax_request::run))
        .mutates(),
    dax(op(
        "PlaygroundDescribeDaxCache",
        Playground,
        playground_describe_dax_cache::SCHEMA,
        playground_describe_dax_cache::run,
    )),
    // Regions and global tables: taking a Region offline is workspace state (journaled), as
    // replication's outcome depends on it.
    global(op(
        "PlaygroundUpdateRegion",
        Playground,
        playground_update_region::SCHEMA,
        playground_update_region::run,
    ))
    .mutates(),
    global(op(
        "PlaygroundDescribeRegions",
        Playground,
        playground_describe_regions::SCHEMA,
        playground_describe_regions::run,
    )),
    // Access control: identities and their policies are workspace state.
    iam(op(
        "PlaygroundPutIdentity",
        Playground,
        playground_put_identity::SCHEMA,
        playground_put_identity::run,
    ))
    .mutates(),
    iam(op(
        "PlaygroundListIdentities",
        Playground,
        playground_list_identities::SCHEMA,
        playground_list_identities::run,
    )),
    iam(op(
        "PlaygroundDeleteIdentity",
        Playground,
        playground_delete_identity::SCHEMA,
        playground_delete_identity::run,
    ))
    .mutates(),
    // Who the next requests are sent as: session state (the page's identity picker).
    iam(op(
        "PlaygroundUseAccessKey",
        Playground,
        playground_use_access_key::SCHEMA,
        playground_use_access_key::run,
    )),
    iam(op(
        "PlaygroundExplainAccess",
        Playground,
        playground_explain_access::SCHEMA,
        playground_explain_access::run,
    )),
    // The object store exports write into and imports read from: workspace state.
    backups(op(
        "PlaygroundListObjects",
        Playground,
        playground_list_objects::SCHEMA,
        playground_list_objects::run,
    )),
    backups(op("PlaygroundGetObject", Playground, playground_get_object::SCHEMA, playground_get_object::run)),
    backups(op("PlaygroundPutObject", Playground, playground_put_object::SCHEMA, playground_put_object::run))
        .mutates(),
    backups(op(
        "PlaygroundDeleteObject",
        Playground,
        playground_delete_object::SCHEMA,
        playground_delete_object::run,
    ))
    .mutates(),
    // "Why?" explanations and the capacity calculator: they read, never change, a workspace.
    op(
        "PlaygroundExplainRequest",
        Playground,
        playground_explain_request::SCHEMA,
        playground_explain_request::run,
    ),
    op("PlaygroundExplainTable", Playground, playground_explain_table::SCHEMA, playground_explain_table::run),
    op(
        "PlaygroundExplainItemSize",
        Playground,
        playground_explain_item_size::SCHEMA,
        playground_explain_item_size::run,
    ),
    op(
        "PlaygroundEstimateCapacity",
        Playground,
        playground_estimate_capacity::SCHEMA,
        playground_estimate_capacity::run,
    ),
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
    operation(name).ok_or_else(unknown_operation)
}

/// DynamoDB's UnknownOperationException.
pub(crate) fn unknown_operation() -> ApiError {
    ApiError::new(ErrorKind::UnknownOperation, "")
}

/// Runs an operation by name on a parsed request.
pub(crate) fn dispatch(engine: &mut Engine, operation: &str, request: &Value) -> ApiResult<Value> {
    run(engine, known(operation)?, request)
}

/// Runs an operation on a parsed request, its table ARNs resolved to names and echoed back
/// (`table_arn.rs`).
pub(crate) fn run(engine: &mut Engine, spec: &OperationSpec, request: &Value) -> ApiResult<Value> {
    if spec.strict_body {
        crate::validate::strict::read_value(request, spec.schema)?;
    }
    replicated(engine, |engine| match table_arn::resolve(engine, spec.name, request) {
        Err(e) => Err(e),
        Ok(None) => authorized(engine, spec, request).and_then(|()| (spec.run)(engine, request)),
        Ok(Some(resolved)) => authorized(engine, spec, &resolved.request)
            .and_then(|()| (spec.run)(engine, &resolved.request))
            .map(|answer| resolved.echo(answer)),
    })
}

/// Runs one request between the steps of replication every request takes: the writes due
/// from other Regions have arrived before it (engine time moving runs them), and its own
/// leave after it — with no replication delay they arrive at once, so the state after a
/// request is settled.
fn replicated<T>(engine: &mut Engine, request: impl FnOnce(&mut Engine) -> T) -> T {
    crate::global::replicate::run_due(engine, engine.now_ms);
    let answer = request(engine);
    crate::global::replicate::drain(engine);
    crate::global::replicate::run_due(engine, engine.now_ms);
    answer
}

/// Whether the identity requests are sent as may make this one (`iam`): nothing to do, and
/// nothing compiled in a build without access control, while requests are sent as no one.
#[inline]
fn authorized(engine: &Engine, spec: &OperationSpec, request: &Value) -> ApiResult<()> {
    if sent_as_someone(engine) && spec.family != Playground && spec.family != Dax {
        return crate::iam::authorize(engine, spec.name, request);
    }
    Ok(())
}

/// Whether requests go as an identity with policies to check (never in a build without IAM).
#[inline]
fn sent_as_someone(engine: &Engine) -> bool {
    crate::features::IAM && engine.iam.caller.is_some()
}

/// [`run`] answering JSON text, written directly by the operations that can; `body` is the
/// text `request` was parsed from (a strict reading counts its columns there).
pub(crate) fn run_text(
    engine: &mut Engine,
    spec: &OperationSpec,
    body: &[u8],
    request: &Value,
) -> ApiResult<String> {
    if spec.strict_body {
        crate::validate::strict::read(body, request, spec.schema)?;
    }
    replicated(engine, |engine| match table_arn::resolve(engine, spec.name, request) {
        Err(e) => Err(e),
        Ok(resolved) => match authorized(engine, spec, resolved.as_ref().map_or(request, |r| &r.request)) {
            Err(e) => Err(e),
            Ok(()) => match (spec.run_text, resolved) {
                (Some(run_text), None) => run_text(engine, request),
                (None, None) => (spec.run)(engine, request).map(|answer| answer.to_string()),
                (_, Some(resolved)) => {
                    (spec.run)(engine, &resolved.request).map(|answer| resolved.echo(answer).to_string())
                }
            },
        },
    })
}

/// Reads a request straight from its body, if the operation has a way to and the body is
/// one that way reads (`None`: nothing was read, and nothing has run).
pub(crate) fn read_directly<'a>(spec: &OperationSpec, body: &'a [u8]) -> Option<Direct<'a>> {
    if let Some(get) = spec.read_plain.and_then(|read| read(body)) {
        return Some(Direct::PlainGet(get));
    }
    if !crate::features::DIRECT_READ {
        return None;
    }
    let (request, item) = crate::types::item_reader::request_with(body, spec.run_direct.as_ref()?.member)?;
    Some(Direct::Member(request, item))
}

/// Runs a request [`read_directly`]; `None` when it must run the usual way ([`run_text`]),
/// which it does then from the same state: nothing was changed.
pub(crate) fn run_direct(
    engine: &mut Engine,
    spec: &OperationSpec,
    direct: Direct<'_>,
) -> Option<ApiResult<String>> {
    // A caller whose policies read the request takes the usual way.
    if spec.strict_body || sent_as_someone(engine) {
        return None;
    }
    match direct {
        Direct::PlainGet(get) => replicated(engine, |engine| get_item::run_plain(engine, get)),
        Direct::Member(request, item) => {
            let run = spec.run_direct.as_ref()?.run;
            // So does a table named by ARN.
            let plain_name =
                request.get("TableName").and_then(Value::as_str).is_some_and(|n| !n.starts_with("arn:"));
            if !plain_name {
                return None;
            }
            replicated(engine, |engine| run(engine, &request, item))
        }
    }
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
        assert!(operation("CancelImport").is_none());
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
                "CreateBackup",
                "DeleteBackup",
                "RestoreTableFromBackup",
                "RestoreTableToPointInTime",
                "ExportTableToPointInTime",
                "ImportTable",
                "PutResourcePolicy",
                "DeleteResourcePolicy",
                "CreateCluster",
                "DeleteCluster",
                "CreateParameterGroup",
                "UpdateParameterGroup",
                "RegisterScalableTarget",
                "DeregisterScalableTarget",
                "PutScalingPolicy",
                "DeleteScalingPolicy",
                "PlaygroundUpdateSettings",
                "PlaygroundDaxRequest",
                "PlaygroundUpdateRegion",
                "PlaygroundPutIdentity",
                "PlaygroundDeleteIdentity",
                "PlaygroundPutObject",
                "PlaygroundDeleteObject",
            ]
        );
        assert!(is_mutating("PutItem") && !is_mutating("GetItem") && !is_mutating("NoSuchOperation"));
    }

    /// A JSON value of the wrong type for a member of this shape.
    fn wrong_type(shape: &crate::validate::Shape) -> Value {
        use crate::validate::Shape;
        match shape {
            Shape::Str | Shape::List(_) | Shape::Map(_) | Shape::Struct(..) | Shape::AttributeValue => {
                serde_json::json!(7)
            }
            _ => serde_json::json!(["not", "a", "scalar"]),
        }
    }

    /// Each operation checks its request against the schema the registry names (and so a
    /// body that is not an object, whatever the schema, is a SerializationException).
    #[test]
    fn every_operation_validates_against_its_registered_schema() {
        for spec in OPERATIONS {
            let mut engine = Engine::new();
            let err = dispatch(&mut engine, spec.name, &serde_json::json!([])).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Serialization, "{}: {err}", spec.name);
            for field in spec.schema {
                let request = serde_json::json!({ field.name: wrong_type(&field.shape) });
                let got = dispatch(&mut engine, spec.name, &request).unwrap_err();
                if spec.strict_body {
                    // Refused by the strict reading, in serde's words (`validate/strict.rs`).
                    assert_eq!(got.kind, ErrorKind::Serialization, "{}: {got}", spec.name);
                    assert!(got.message.starts_with("invalid type: "), "{}: {got}", spec.name);
                    continue;
                }
                let expected = crate::validate::check_types(&request, spec.schema).unwrap_err();
                assert_eq!(got, expected, "{} with a mistyped {}", spec.name, field.name);
            }
        }
    }

    /// The operations that return ConsumedCapacity are exactly those whose request takes
    /// `ReturnConsumedCapacity`.
    #[test]
    fn capacity_operations_take_return_consumed_capacity() {
        for spec in OPERATIONS {
            let takes = spec.schema.iter().any(|f| f.name == "ReturnConsumedCapacity");
            assert_eq!(spec.returns_capacity, takes, "{}", spec.name);
        }
    }

    /// Each operation's module is `ops/<its name in snake case>.rs`, so the registry is also
    /// the map of where to find it.
    #[test]
    fn each_operation_has_its_own_module() {
        let ops = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ops");
        for spec in OPERATIONS {
            let mut file = String::new();
            for (i, c) in spec.name.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    file.push('_');
                }
                file.push(c.to_ascii_lowercase());
            }
            let path = ops.join(format!("{file}.rs"));
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                text.contains("pub(crate) static SCHEMA") && text.contains("pub(crate) fn run("),
                "{}: expected its SCHEMA and run in {}",
                spec.name,
                path.display()
            );
        }
    }

    #[test]
    fn unknown_operations_are_refused() {
        let mut engine = Engine::new();
        let err = dispatch(&mut engine, "CancelImport", &serde_json::json!({})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnknownOperation);
    }
}
