//! The online index: UpdateTable creates the GSI `schema::ONLINE_INDEX` on `Hash` while items
//! come and go, and deletes it again. Creation backfills it from the table's items; it is
//! CREATING (unreadable) for the playground's 3 s of engine time and kept in step meanwhile,
//! then must equal its projection like any index. A deleted index shows DELETING for 1 s;
//! while an index is CREATING or DELETING no other may be created or deleted
//! (LimitExceededException), and while the table is UPDATING (1 s) it cannot be changed
//! (ResourceInUseException). The durations are the playground's (`engine/src/control.rs`).

use serde_json::{json, Value};

use crate::harness::{validation, Check, Ctx};
use crate::schema::{attribute_definitions, index_request, ONLINE_INDEX, ONLINE_TABLE};
use crate::{ensure, ensure_eq};

const TABLE_UPDATE_MS: u64 = 1_000;
const INDEX_BACKFILL_MS: u64 = 3_000;
const INDEX_DELETE_MS: u64 = 1_000;

/// The error a read of the online index gets now, if it cannot be read.
pub fn read_error(ctx: &Ctx) -> Option<Value> {
    let online = ctx.model.online_index;
    if !online.present {
        return Some(validation(&format!(
            "The table does not have the specified index: {}",
            ONLINE_INDEX.name
        )));
    }
    if !online.readable(ctx.model.now_ms) {
        return Some(validation(&format!(
            "Cannot read from backfilling global secondary index: {}",
            ONLINE_INDEX.name
        )));
    }
    None
}

pub fn check_toggle(ctx: &mut Ctx) -> Check {
    let now = ctx.model.now_ms;
    let online = ctx.model.online_index;
    let table = ONLINE_TABLE.name();
    let request = if online.present {
        json!({ "TableName": table, "GlobalSecondaryIndexUpdates": [{ "Delete": { "IndexName": ONLINE_INDEX.name } }] })
    } else {
        json!({
            "TableName": table,
            "AttributeDefinitions": attribute_definitions(&ONLINE_INDEX.key_names()),
            "GlobalSecondaryIndexUpdates": [{ "Create": index_request(&ONLINE_INDEX) }],
        })
    };
    let got = ctx.client.call("UpdateTable", request.clone());

    let busy = (online.present && now < online.ready_at_ms) || now < online.deleting_until_ms;
    if busy {
        let expected = json!({
            "__type": "com.amazonaws.dynamodb.v20120810#LimitExceededException",
            "message": "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
        });
        ensure_eq!(got, Err(expected), "UpdateTable {request}");
        return Ok(());
    }
    if now < online.updating_until_ms {
        let expected = json!({
            "__type": "com.amazonaws.dynamodb.v20120810#ResourceInUseException",
            "message": format!("Attempt to change a resource which is still in use: Table is being updated: {table}"),
        });
        ensure_eq!(got, Err(expected), "UpdateTable {request}");
        return Ok(());
    }
    let got = got.map_err(|e| format!("UpdateTable failed: {e}\nrequest: {request}"))?;
    let description = &got["TableDescription"];
    ensure_eq!(description["TableStatus"], json!("UPDATING"), "UpdateTable {request} → {got}");
    let shown = description["GlobalSecondaryIndexes"]
        .as_array()
        .and_then(|list| list.iter().find(|i| i["IndexName"] == ONLINE_INDEX.name).cloned());
    let status = shown.as_ref().map(|i| i["IndexStatus"].clone());
    let state = &mut ctx.model.online_index;
    if online.present {
        ensure_eq!(status, Some(json!("DELETING")), "UpdateTable {request} → {got}");
        state.present = false;
        state.deleting_until_ms = now + INDEX_DELETE_MS;
    } else {
        ensure_eq!(status, Some(json!("CREATING")), "UpdateTable {request} → {got}");
        ensure!(shown.is_some_and(|i| i["Backfilling"] == true), "a new index is backfilling: {got}");
        state.present = true;
        state.ready_at_ms = now + INDEX_BACKFILL_MS;
    }
    state.updating_until_ms = now + TABLE_UPDATE_MS;
    ctx.client.stats.online_index_changes += 1;
    Ok(())
}
