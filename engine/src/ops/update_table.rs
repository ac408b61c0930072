//! UpdateTable: provisioned throughput, billing-mode switches, stream settings, and GSI
//! create / update / delete, with DynamoDB's checks in DynamoDB's order. Every change takes
//! effect on engine time (see `control.rs` for the durations); nothing runs in the background.

use serde_json::{json, Value};

use super::create_table::MAX_CAPACITY_UNITS;
use super::throughput_settings::{
    self, check_max_on_update, merge_max, requested_max, requested_warm, Owner,
};
use super::{gsi_updates, request, vector_indexes};
use crate::control::{Stream, TABLE_UPDATE_MS};
use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::{BillingMode, IndexKind, Table};
use crate::validate::{self, Field};

/// The request's members, in the order DynamoDB reports constraint failures in.
pub(crate) static SCHEMA: &[Field] = {
    use crate::validate::shapes::*;
    // ProvisionedThroughput is optional since an update may change OnDemandThroughput or
    // WarmThroughput alone; an update naming none of the three is refused as before
    // (`gsi_updates::check_without_table`).
    const UPDATE_GLOBAL_SECONDARY_INDEX_ACTION: &[Field] = &[
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
        field("WarmThroughput", Struct("WarmThroughput", WARM_THROUGHPUT), &[]),
    ];
    const CREATE_GLOBAL_SECONDARY_INDEX_ACTION: &[Field] = &[
        field("Projection", Struct("Projection", PROJECTION), &[NotNull]),
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        // No upper bound: a GSI may have a multi-attribute key (`create_table::key_schema`).
        field("KeySchema", List(&Struct("KeySchemaElement", KEY_SCHEMA_ELEMENT)), &[NotNull, MinLength(1)]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
        field("WarmThroughput", Struct("WarmThroughput", WARM_THROUGHPUT), &[]),
    ];
    const DELETE_GLOBAL_SECONDARY_INDEX_ACTION: &[Field] =
        &[field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)])];
    const GLOBAL_SECONDARY_INDEX_UPDATE: &[Field] = &[
        field(
            "Update",
            Struct("UpdateGlobalSecondaryIndexAction", UPDATE_GLOBAL_SECONDARY_INDEX_ACTION),
            &[],
        ),
        field(
            "Create",
            Struct("CreateGlobalSecondaryIndexAction", CREATE_GLOBAL_SECONDARY_INDEX_ACTION),
            &[],
        ),
        field(
            "Delete",
            Struct("DeleteGlobalSecondaryIndexAction", DELETE_GLOBAL_SECONDARY_INDEX_ACTION),
            &[],
        ),
    ];
    const REGION_NAME: Field = field("RegionName", Str, &[NotNull]);
    const REPLICA_GLOBAL_SECONDARY_INDEX: &[Field] = &[
        field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)]),
        field(
            "ProvisionedThroughputOverride",
            Struct("ProvisionedThroughputOverride", &[field("ReadCapacityUnits", Long, &[Min(1)])]),
            &[],
        ),
        field(
            "OnDemandThroughputOverride",
            Struct("OnDemandThroughputOverride", &[field("MaxReadRequestUnits", Long, &[])]),
            &[],
        ),
    ];
    const REPLICATION_GROUP_MEMBER_ACTION: &[Field] = &[
        REGION_NAME,
        field("KMSMasterKeyId", Str, &[]),
        field(
            "ProvisionedThroughputOverride",
            Struct("ProvisionedThroughputOverride", &[field("ReadCapacityUnits", Long, &[Min(1)])]),
            &[],
        ),
        field(
            "OnDemandThroughputOverride",
            Struct("OnDemandThroughputOverride", &[field("MaxReadRequestUnits", Long, &[])]),
            &[],
        ),
        field(
            "GlobalSecondaryIndexes",
            List(&Struct("ReplicaGlobalSecondaryIndex", REPLICA_GLOBAL_SECONDARY_INDEX)),
            &[MinLength(1)],
        ),
        field("TableClassOverride", Str, &[Enum(&["STANDARD", "STANDARD_INFREQUENT_ACCESS"])]),
    ];
    const REPLICATION_GROUP_UPDATE: &[Field] = &[
        field("Create", Struct("CreateReplicationGroupMemberAction", REPLICATION_GROUP_MEMBER_ACTION), &[]),
        field("Update", Struct("UpdateReplicationGroupMemberAction", REPLICATION_GROUP_MEMBER_ACTION), &[]),
        field("Delete", Struct("DeleteReplicationGroupMemberAction", &[REGION_NAME]), &[]),
        field("Disassociate", Struct("DisassociateReplicationGroupMemberAction", &[]), &[]),
    ];
    const WITNESS_GROUP_UPDATE: &[Field] = &[
        field("Create", Struct("CreateGlobalTableWitnessGroupMemberAction", &[REGION_NAME]), &[]),
        field("Delete", Struct("DeleteGlobalTableWitnessGroupMemberAction", &[REGION_NAME]), &[]),
    ];
    const VECTOR_INDEX_UPDATE: &[Field] = &[
        field("Create", Struct("CreateVectorIndexAction", VECTOR_INDEX), &[]),
        field(
            "Delete",
            Struct(
                "DeleteVectorIndexAction",
                &[field("IndexName", Str, &[NotNull, NamePattern, MinLength(3), MaxLength(255)])],
            ),
            &[],
        ),
    ];
    &[
        field("AttributeDefinitions", List(&Struct("AttributeDefinition", ATTRIBUTE_DEFINITION)), &[]),
        CONTROL_TABLE_NAME,
        field("BillingMode", Str, &[Enum(&["PROVISIONED", "PAY_PER_REQUEST"])]),
        field("ProvisionedThroughput", Struct("ProvisionedThroughput", PROVISIONED_THROUGHPUT), &[]),
        field(
            "GlobalSecondaryIndexUpdates",
            List(&Struct("GlobalSecondaryIndexUpdate", GLOBAL_SECONDARY_INDEX_UPDATE)),
            &[],
        ),
        field("StreamSpecification", Struct("StreamSpecification", STREAM_SPECIFICATION), &[]),
        field("SSESpecification", Struct("SSESpecification", SSE_SPECIFICATION), &[]),
        field("TableClass", Str, &[Enum(&["STANDARD", "STANDARD_INFREQUENT_ACCESS"])]),
        field("DeletionProtectionEnabled", Bool, &[]),
        field("OnDemandThroughput", Struct("OnDemandThroughput", ON_DEMAND_THROUGHPUT), &[]),
        field("WarmThroughput", Struct("WarmThroughput", WARM_THROUGHPUT), &[]),
        field("VectorIndexUpdates", List(&Struct("VectorIndexUpdate", VECTOR_INDEX_UPDATE)), &[]),
        field(
            "ReplicaUpdates",
            List(&Struct("ReplicationGroupUpdate", REPLICATION_GROUP_UPDATE)),
            &[MinLength(1)],
        ),
        field("MultiRegionConsistency", Str, &[Enum(&["EVENTUAL", "STRONG"])]),
        field(
            "GlobalTableWitnessUpdates",
            List(&Struct("GlobalTableWitnessGroupUpdate", WITNESS_GROUP_UPDATE)),
            &[MinLength(1), MaxLength(1)],
        ),
    ]
};

pub(crate) fn run(engine: &mut Engine, request: &Value) -> ApiResult<Value> {
    validate::check(request, SCHEMA)?;
    check_without_table(request)?;
    if crate::global::replica_updates::wanted(request) {
        return crate::global::replica_updates::run(engine, request);
    }
    let now = engine.now_ms;
    let name = request::string(request, "TableName").unwrap_or_default().to_owned();
    let (region, account) = (engine.config.region.clone(), engine.config.account_id.clone());
    let retention = engine.playground.settings.stream_retention_bytes;
    let table = engine.tables.get_mut(&name).ok_or_else(|| ApiError::table_not_found(&name))?;
    table.control.forget_deleted_indexes(now);

    let requested_mode = request::string(request, "BillingMode");
    let throughput = requested_throughput(request.get("ProvisionedThroughput"));
    let target_ppr = match requested_mode {
        Some(mode) => mode == "PAY_PER_REQUEST",
        None => table.billing == BillingMode::PayPerRequest,
    };
    if throughput.is_some() && target_ppr {
        return Err(ApiError::invalid_parameter(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ));
    }
    let max_asked = requested_max(request);
    if let Some(asked) = max_asked {
        check_max_on_update(asked, !target_ppr, Owner::Table)?;
    }
    let warm = requested_warm(request)
        .map(|asked| throughput_settings::warm(asked, table.control.warm, Owner::Table, now))
        .transpose()?;
    let plan = gsi_updates::plan(table, request, target_ppr, now)?;
    let vector_plan = vector_indexes::plan(table, request, target_ppr, plan.creates_or_deletes(), now)?;
    let online = plan.creates_or_deletes() || !vector_plan.is_empty();
    let switching = match requested_mode {
        Some("PAY_PER_REQUEST") => table.billing != BillingMode::PayPerRequest,
        Some(_) => table.billing == BillingMode::PayPerRequest,
        None => false,
    };
    if let (Some(BillingMode::Provisioned { read: r, write: w }), false) = (throughput, switching) {
        if let BillingMode::Provisioned { read, write } = table.billing {
            if (read, write) == (r, w) {
                return Err(ApiError::validation(format!(
                    "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {read}. Requested ReadCapacityUnits: {r}. Current WriteCapacityUnits provisioned for the table: {write}. Requested WriteCapacityUnits: {w}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
                )));
            }
        }
    }
    let global = engine.global.group(&name).is_some();
    let table = engine.tables.get_mut(&name).ok_or_else(|| ApiError::table_not_found(&name))?;
    let stream = stream_change(table, request, now, global)?;
    if stream.is_some() && online {
        return Err(ApiError::invalid_parameter(
            "You cannot create or delete index while changing stream status",
        ));
    }
    if stream.is_some() && throughput.is_some() {
        return Err(ApiError::invalid_parameter("You cannot modify stream status while updating table IOPS"));
    }
    if throughput.is_some() && online {
        return Err(ApiError::invalid_parameter(
            "You cannot create or delete index while updating table IOPS",
        ));
    }
    if now < table.control.updating_until_ms {
        return Err(ApiError::new(
            ErrorKind::ResourceInUse,
            format!("Attempt to change a resource which is still in use: Table is being updated: {name}"),
        ));
    }
    if switching && target_ppr {
        table
            .control
            .check_switch_to_pay_per_request(now)
            .map_err(|m| ApiError::new(ErrorKind::LimitExceeded, m))?;
    }

    // Every check has passed: apply.
    let done = now + TABLE_UPDATE_MS;
    let mut table_changed = stream.is_some();
    // Warm throughput never falls: what the table and its GSIs served at once before a billing
    // or throughput change stays their floor.
    if switching || throughput.is_some() {
        let base = crate::table::warm_base(table.billing, &table.items.capacity);
        table.control.warm.raise_floor(base);
        for index in table.indexes.iter_mut().filter(|i| i.kind == IndexKind::Global) {
            let billing = index.throughput.unwrap_or(BillingMode::PayPerRequest);
            index.control.warm.raise_floor(crate::table::warm_base(billing, &index.entries.capacity));
        }
    }
    if switching && !target_ppr {
        // PROVISIONED again: on-demand maxima no longer apply, and are dropped.
        table.control.max_on_demand = Default::default();
        for index in &mut table.indexes {
            index.control.max_on_demand = Default::default();
        }
    }
    let mut max_echo = None;
    if let Some(asked) = max_asked {
        let (kept, echo) = merge_max(table.control.max_on_demand, asked);
        table.control.max_on_demand = kept;
        max_echo = Some(echo);
    }
    if let Some(warm) = warm {
        table.control.warm = warm;
    }
    if switching && target_ppr {
        table.control.throughput.record(now, done, table.billing, BillingMode::PayPerRequest);
        table.billing = BillingMode::PayPerRequest;
        table.control.pay_per_request_since_ms = Some(done);
        table.control.switches_to_pay_per_request_ms.push(now);
        for index in table.indexes.iter_mut().filter(|i| i.kind == IndexKind::Global) {
            let from = index.throughput.unwrap_or(BillingMode::PayPerRequest);
            index.control.throughput.record(now, done, from, BillingMode::PayPerRequest);
            index.throughput = Some(BillingMode::PayPerRequest);
            index.control.updating_until_ms = done;
        }
        table_changed = true;
    } else if let Some(to) = throughput {
        // PROVISIONED again, or new units: the old units show until the change completes.
        table.control.throughput.record(now, done, table.billing, to);
        table.billing = to;
        table_changed = true;
    }
    if !plan.is_empty() || !vector_plan.is_empty() {
        table_changed = true;
    }
    // Deletion protection takes effect at once; a new table class is a change in progress.
    if let Some(protection) = request::optional_boolean(request, "DeletionProtectionEnabled") {
        table.settings.insert("DeletionProtectionEnabled".into(), json!(protection));
    }
    if let Some(class) = request::string(request, "TableClass") {
        table.settings.insert("TableClassSummary".into(), json!({ "TableClass": class }));
        table_changed = true;
    }
    gsi_updates::apply(table, plan, now, &region, &account);
    let arn = table.arn(&region, &account);
    vector_indexes::apply(table, vector_plan, now, &arn);
    let mut retired = None;
    if let Some(stream) = stream {
        let arn = table.arn(&region, &account);
        retired =
            crate::streams::set_table_stream(table, Some(stream), &arn, &region, (now, done), retention);
    }
    if table_changed {
        table.control.updating_until_ms = done;
    }
    // New throughput or indexes reshape the partitions now, at this request, not at whatever
    // request (perhaps an unjournaled read) touches the table next.
    let (tables, layout) = engine.tables_with_layout();
    let table = tables.get_mut(&name).ok_or_else(|| ApiError::table_not_found(&name))?;
    crate::capacity::admission::maintain_all(table, layout);
    let mut description = table.describe(&region, &account, now, None);
    crate::global::describe::decorate(engine, &mut description);
    if let Some(echo) = max_echo {
        // The answer shows the merge as asked for, a -1 included; DescribeTable what remains.
        description["OnDemandThroughput"] = echo;
    }
    engine.retire_stream(retired);
    Ok(json!({ "TableDescription": description }))
}

/// A throughput pair that was shape-checked as two longs ≥ 1.
fn requested_throughput(spec: Option<&Value>) -> Option<BillingMode> {
    let spec = spec.filter(|v| !v.is_null())?;
    let read = request::integer(spec, "ReadCapacityUnits")?;
    let write = request::integer(spec, "WriteCapacityUnits")?;
    Some(BillingMode::Provisioned { read: read.max(0) as u64, write: write.max(0) as u64 })
}

/// The checks DynamoDB makes before it looks the table up.
fn check_without_table(request: &Value) -> ApiResult<()> {
    // An OnDemandThroughput or WarmThroughput with no member asks for nothing.
    let present = |name: &str| match name {
        "OnDemandThroughput" => requested_max(request).is_some(),
        "WarmThroughput" => requested_warm(request).is_some(),
        _ => request::is_present(request, name),
    };
    let index_updates = request.get("GlobalSecondaryIndexUpdates").and_then(Value::as_array);
    let vector_updates = request.get("VectorIndexUpdates").and_then(Value::as_array);
    let any = [
        "ProvisionedThroughput",
        "BillingMode",
        "StreamSpecification",
        "SSESpecification",
        "ReplicaUpdates",
        "DeletionProtectionEnabled",
        "OnDemandThroughput",
        "WarmThroughput",
        "TableClass",
    ]
    .into_iter()
    .any(present)
        || index_updates.is_some_and(|u| !u.is_empty())
        || vector_updates.is_some_and(|u| !u.is_empty());
    if !any {
        return Err(ApiError::validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required",
        ));
    }
    if request::string(request, "BillingMode") == Some("PROVISIONED") && !present("ProvisionedThroughput") {
        return Err(ApiError::invalid_parameter(
            "ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
        ));
    }
    if let Some(spec) = request.get("ProvisionedThroughput").filter(|v| !v.is_null()) {
        for name in ["ReadCapacityUnits", "WriteCapacityUnits"] {
            if let Some(value) = request::integer(spec, name).filter(|v| *v > MAX_CAPACITY_UNITS) {
                return Err(ApiError::validation(format!("Given value {value} for {name} is out of bounds")));
            }
        }
    }
    gsi_updates::check_without_table(index_updates.map_or(&[][..], Vec::as_slice))?;
    vector_indexes::check_without_table(vector_updates.map_or(&[][..], Vec::as_slice))
}

/// A StreamSpecification change, checked against the table's stream; `None` when the request
/// has none.
fn stream_change(table: &Table, request: &Value, now: u64, global: bool) -> ApiResult<Option<Stream>> {
    let Some(spec) = request.get("StreamSpecification").filter(|v| !v.is_null()) else { return Ok(None) };
    let enable = request::boolean(spec, "StreamEnabled");
    if global && !enable {
        // Replication reads the stream (DynamoDB's text, recorded 2026).
        return Err(ApiError::invalid_parameter(
            "Disabling Stream is not allowed for a Global Table replica.",
        ));
    }
    let view_type = request::string(spec, "StreamViewType");
    let enabled_now = table.control.stream.as_ref().is_some_and(|s| s.enabled);
    match (enable, view_type) {
        (true, None) => {
            Err(ApiError::invalid_parameter("If stream is being enabled then UpdateViewType is required"))
        }
        (false, Some(_)) => Err(ApiError::invalid_parameter(
            "If stream is being disabled, then UpdateViewType must not be specified",
        )),
        (true, Some(_)) if enabled_now => Err(ApiError::validation(format!(
            "Table already has an enabled stream: TableName: {}",
            table.name
        ))),
        (false, None) if !enabled_now => {
            Err(ApiError::validation(format!("Table has no stream to disable: TableName: {}", table.name)))
        }
        (true, Some(view_type)) => {
            Ok(Some(Stream { enabled: true, view_type: view_type.to_owned(), created_ms: now }))
        }
        // Disabling keeps the stream's ARN and label in the description.
        (false, None) => Ok(table.control.stream.clone().map(|s| Stream { enabled: false, ..s })),
    }
}
