//! On-demand backups and point-in-time recovery (cargo feature `backups`).
//!
//! - A **backup** keeps its table as the workspace document writes a table (`workspace.rs`
//!   `export_table`: its definition and items), so restoring one is importing that document
//!   under the target name, and the workspace document and snapshot carry backups as they are.
//!   A backup is ready at once (its `CreateBackup` answer says CREATING, as CreateTable's
//!   does), so `BackupInUseException` never arises.
//! - **Point-in-time recovery** keeps each table's changes since the window's start as an
//!   undo log (`history.rs`, bounded in bytes). A restore imports the table as it is now and
//!   undoes the changes after the restore time.
//! - A **restored table** is CREATING for [`RESTORE_MS`] of engine time, then ACTIVE; its
//!   `RestoreSummary` says `RestoreInProgress` meanwhile. Reads and writes are served
//!   throughout (a simplification: DynamoDB refuses them until ACTIVE).
//! - Deleting a table with point-in-time recovery on keeps a `SYSTEM` backup of it
//!   (`<table>$DeletedTableBackup`), kept for the recovery period of 35 days.
//!
//! - **Exports and imports** (`export.rs`, `import.rs`) write into and read from the playground's
//!   object store (`objects.rs`), a small stand-in for S3 kept with the workspace.
//!
//! Journal replay stays exact because all of it is workspace state: backups, histories and
//! restores in flight are in the document's `"backups"` member (written only when there are
//! some) and follow from journaled requests at their engine times.

pub(crate) mod export;
pub(crate) mod gz;
pub(crate) mod history;
pub(crate) mod import;
pub(crate) mod md5;
pub(crate) mod objects;
pub(crate) mod preview;
pub(crate) mod restore;

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use crate::table::{epoch_seconds, Table};

pub(crate) use history::History;

/// What the engine's backups and a table's history are kept in: a trait object, so that the
/// code that drops or clones one is linked only where one is made — never in the page's first
/// load, which makes none (`features::BACKUPS`; as plain fields their drop code cost it about
/// 630 bytes of wasm).
#[derive(Default)]
pub(crate) struct Slot(Option<Box<dyn Kept>>);

/// A value a [`Slot`] holds.
/// (`Send + Sync`: the engine is, a server shares it between threads.)
pub(crate) trait Kept: std::any::Any + Send + Sync {
    fn clone_kept(&self) -> Box<dyn Kept>;
    fn as_any(&self) -> &dyn std::any::Any;
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
}

impl<T: Clone + Send + Sync + 'static> Kept for T {
    fn clone_kept(&self) -> Box<dyn Kept> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

impl Clone for Slot {
    fn clone(&self) -> Self {
        Self(self.0.as_deref().map(<dyn Kept>::clone_kept))
    }
}

impl Slot {
    pub fn get<T: 'static>(&self) -> Option<&T> {
        <dyn Kept>::as_any(self.0.as_deref()?).downcast_ref()
    }

    pub fn get_mut<T: 'static>(&mut self) -> Option<&mut T> {
        <dyn Kept>::as_any_mut(self.0.as_deref_mut()?).downcast_mut()
    }

    /// Empties the slot (without naming a type, which would link its code).
    pub fn clear(&mut self) {
        self.0 = None;
    }

    pub fn set<T: Clone + Send + Sync + 'static>(&mut self, value: Option<T>) {
        self.0 = value.map(|v| Box::new(v) as Box<dyn Kept>);
    }

    /// The value, made if there is none yet.
    pub fn get_or_default<T: Clone + Default + Send + Sync + 'static>(&mut self) -> Option<&mut T> {
        if self.get::<T>().is_none() {
            self.set(Some(T::default()));
        }
        self.get_mut()
    }
}

/// How long a restored table stays CREATING, in engine milliseconds.
pub(crate) const RESTORE_MS: u64 = 10_000;

/// How long a SYSTEM backup of a deleted table is kept.
const SYSTEM_BACKUP_MS: u64 = 35 * 86_400_000;

/// One on-demand backup.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Backup {
    pub arn: String,
    pub name: String,
    pub created_ms: u64,
    /// `USER`, or `SYSTEM` for the backup DeleteTable keeps.
    pub kind: &'static str,
    /// The table as `workspace::export_table` writes it, at the backup's time.
    pub table: Value,
    pub table_arn: String,
}

/// A restored table still CREATING.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Restore {
    pub table_id: String,
    pub until_ms: u64,
    /// `RestoreSummary` without `RestoreInProgress`.
    pub summary: Value,
}

/// An export or an import: its description when done, when it is done, and the request that
/// made it (a ClientToken's reuse is compared with it).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Job {
    pub description: Value,
    pub until_ms: u64,
    pub request: Value,
}

/// The engine's backups and restores in flight (workspace state).
#[derive(Clone, Debug, Default)]
pub(crate) struct Backups {
    /// In creation order (ListBackups' order).
    pub list: Vec<Backup>,
    pub restores: Vec<Restore>,
    /// Backups made so far: seeds each ARN's suffix deterministically.
    pub made: u64,
    /// Exports and imports, oldest first (they are never deleted).
    pub exports: Vec<Job>,
    pub imports: Vec<Job>,
    /// The object store exports write into and imports read from.
    pub objects: objects::Objects,
}

/// A deterministic 8-hex-digit suffix for an ARN: of `seed` and a count.
pub(crate) fn suffix(seed: &str, n: u64) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes().chain(n.to_le_bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    format!("{:08x}", h as u32)
}

/// The engine's backups, exports, imports and objects, made if there are none yet (`None`
/// in a build without backups).
pub(crate) fn state_mut(engine: &mut Engine) -> ApiResult<&mut Backups> {
    if !crate::features::BACKUPS {
        return Err(crate::features::no_backups());
    }
    engine.backups.get_or_default::<Backups>().ok_or_else(crate::features::no_backups)
}

/// The engine's backups, exports, imports and objects, if any.
pub(crate) fn state(engine: &Engine) -> Option<&Backups> {
    engine.backups.get::<Backups>().filter(|_| crate::features::BACKUPS)
}

/// The backup `arn` names.
pub(crate) fn find<'e>(engine: &'e Engine, arn: &str) -> ApiResult<&'e Backup> {
    list(engine).iter().find(|b| b.arn == arn).ok_or_else(|| backup_not_found(arn))
}

/// Every backup, in creation order.
pub(crate) fn list(engine: &Engine) -> &[Backup] {
    engine.backups.get::<Backups>().map_or(&[], |b| &b.list)
}

/// A table's history, while point-in-time recovery is on.
pub(crate) fn history(table: &Table) -> Option<&History> {
    table.history.get::<History>()
}

pub(crate) fn backup_not_found(arn: &str) -> ApiError {
    // DynamoDB's text (recorded in a public report, 2023).
    ApiError::new(ErrorKind::BackupNotFound, format!("Backup not found: {arn}"))
}

/// Takes a backup of `table` at engine time `now`.
pub(crate) fn take(engine: &mut Engine, table: &Table, name: &str, kind: &'static str) -> Option<Backup> {
    let now = engine.now_ms;
    let table_arn = table.arn(&engine.config.region, &engine.config.account_id);
    let backups = engine.backups.get_or_default::<Backups>()?;
    backups.made += 1;
    // DynamoDB's form: the table's ARN, `/backup/`, 14 digits of epoch ms and 8 hex digits.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in table.table_id.bytes().chain(backups.made.to_le_bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    let arn = format!("{table_arn}/backup/{now:014}-{:08x}", h as u32);
    let backup = Backup {
        arn,
        name: name.to_owned(),
        created_ms: now,
        kind,
        table: crate::workspace::export_table(table),
        table_arn,
    };
    backups.list.push(backup.clone());
    Some(backup)
}

/// DeleteTable's hook: a table with point-in-time recovery on leaves a SYSTEM backup.
pub(crate) fn on_delete_table(engine: &mut Engine, table: &Table) {
    if !crate::features::BACKUPS || table.control.point_in_time_recovery.is_none() {
        return;
    }
    let _ = take(engine, table, &format!("{}$DeletedTableBackup", table.name), "SYSTEM");
}

/// A backup's `BackupDetails` at `now` (`deleted`: DeleteBackup's answer).
pub(crate) fn details(backup: &Backup, deleted: bool) -> Value {
    let mut d = Map::new();
    d.insert("BackupArn".into(), json!(backup.arn));
    d.insert("BackupName".into(), json!(backup.name));
    d.insert("BackupSizeBytes".into(), json!(size_bytes(&backup.table)));
    d.insert("BackupStatus".into(), json!(if deleted { "DELETED" } else { "AVAILABLE" }));
    d.insert("BackupType".into(), json!(backup.kind));
    d.insert("BackupCreationDateTime".into(), epoch_seconds(backup.created_ms));
    if backup.kind == "SYSTEM" {
        d.insert("BackupExpiryDateTime".into(), epoch_seconds(backup.created_ms + SYSTEM_BACKUP_MS));
    }
    Value::Object(d)
}

/// The backed-up items' size, as TableSizeBytes counts them.
fn size_bytes(table: &Value) -> u64 {
    items(table)
        .filter_map(|i| crate::types::item_from_json(i).ok())
        .map(|i| crate::types::item_size(&i) as u64)
        .sum()
}

fn items(table: &Value) -> impl Iterator<Item = &Value> {
    table.get("Items").and_then(Value::as_array).into_iter().flatten()
}

/// DescribeBackup's and DeleteBackup's `BackupDescription`.
pub(crate) fn description(backup: &Backup, deleted: bool) -> Value {
    let t = &backup.table;
    let pick = |name: &str| t.get(name).cloned().unwrap_or(Value::Null);
    let mut source = Map::new();
    source.insert("TableName".into(), pick("TableName"));
    source.insert("TableId".into(), pick("TableId"));
    source.insert("TableArn".into(), json!(backup.table_arn));
    source.insert("TableSizeBytes".into(), json!(size_bytes(t)));
    source.insert("KeySchema".into(), pick("KeySchema"));
    let created = t.get("CreationDateTime").and_then(Value::as_u64).unwrap_or(0);
    source.insert("TableCreationDateTime".into(), epoch_seconds(created));
    let throughput = t
        .get("ProvisionedThroughput")
        .cloned()
        .unwrap_or_else(|| json!({"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}));
    source.insert("ProvisionedThroughput".into(), throughput);
    source.insert("ItemCount".into(), json!(items(t).count()));
    source.insert("BillingMode".into(), t.get("BillingMode").cloned().unwrap_or(json!("PROVISIONED")));
    let mut features = Map::new();
    for (member, out) in [
        ("LocalSecondaryIndexes", "LocalSecondaryIndexes"),
        ("GlobalSecondaryIndexes", "GlobalSecondaryIndexes"),
    ] {
        if let Some(v) = t.get(member) {
            features.insert(out.into(), v.clone());
        }
    }
    if let Some(stream) = t.get("StreamSpecification") {
        features.insert("StreamDescription".into(), stream.clone());
    }
    if let Some(ttl) = t.get("TimeToLiveSpecification") {
        let status = if ttl.get("Enabled") == Some(&json!(true)) { "ENABLED" } else { "DISABLED" };
        features.insert(
            "TimeToLiveDescription".into(),
            json!({"AttributeName": ttl.get("AttributeName"), "TimeToLiveStatus": status}),
        );
    }
    let mut d = json!({"BackupDetails": details(backup, deleted), "SourceTableDetails": source});
    if !features.is_empty() {
        d["SourceTableFeatureDetails"] = Value::Object(features);
    }
    d
}

/// The table's point-in-time window at `now`, (earliest, latest), while recovery is on.
pub(crate) fn window(table: &Table, now: u64) -> Option<(u64, u64)> {
    let (since, days) = table.control.point_in_time_recovery?;
    let mut start = now.saturating_sub(days as u64 * 86_400_000).max(since);
    // (Guarded: the downcast's code stays out of a build without backups.)
    if let Some(history) = history(table).filter(|_| crate::features::BACKUPS) {
        start = start.max(history.start_ms);
    }
    Some((start, now))
}

/// DescribeTable's hook: a restored table is CREATING until its restore is done, and says
/// where it came from.
pub(crate) fn decorate(engine: &Engine, table: &Table, description: &mut Value) {
    if !crate::features::BACKUPS {
        return;
    }
    // A table an import is filling is CREATING until the import is done.
    let importing = state(engine).into_iter().flat_map(|b| &b.imports).any(|j| {
        engine.now_ms < j.until_ms
            && j.description.get("TableId").and_then(Value::as_str) == Some(table.table_id.as_str())
    });
    if importing && description.get("TableStatus") == Some(&json!("ACTIVE")) {
        description["TableStatus"] = json!("CREATING");
    }
    let Some(restore) = engine
        .backups
        .get::<Backups>()
        .into_iter()
        .flat_map(|b| &b.restores)
        .find(|r| r.table_id == table.table_id)
    else {
        return;
    };
    let Some(d) = description.as_object_mut() else { return };
    let mut summary = restore.summary.clone();
    let in_progress = engine.now_ms < restore.until_ms;
    summary["RestoreInProgress"] = json!(in_progress);
    d.insert("RestoreSummary".into(), summary);
    if in_progress && d.get("TableStatus") == Some(&json!("ACTIVE")) {
        d.insert("TableStatus".into(), json!("CREATING"));
    }
}

/// The workspace document's `"backups"` member, when there is anything to keep.
pub(crate) fn export(engine: &Engine, document: &mut Value) {
    if !crate::features::BACKUPS {
        return;
    }
    let empty = Backups::default();
    let b = engine.backups.get::<Backups>().unwrap_or(&empty);
    let histories: Map<String, Value> =
        engine.tables.values().filter_map(|t| Some((t.name.clone(), history(t)?.to_json()))).collect();
    // `made` seeds the next backup's ARN: kept once a backup was made, even if none is left, so
    // a journal replayed on this snapshot names the same backups as the live engine did.
    if b.made == 0
        && b.list.is_empty()
        && b.restores.is_empty()
        && histories.is_empty()
        && b.exports.is_empty()
        && b.imports.is_empty()
        && b.objects.buckets.is_empty()
    {
        return;
    }
    let backups: Vec<Value> = b
        .list
        .iter()
        .map(|k| {
            json!({"BackupArn": k.arn, "BackupName": k.name, "Created": k.created_ms, "BackupType": k.kind,
                   "TableArn": k.table_arn, "Table": k.table})
        })
        .collect();
    let restores: Vec<Value> = b
        .restores
        .iter()
        .map(|r| json!({"TableId": r.table_id, "Until": r.until_ms, "RestoreSummary": r.summary}))
        .collect();
    let jobs = |list: &[Job]| -> Vec<Value> {
        list.iter()
            .map(|j| json!({"Description": j.description, "Until": j.until_ms, "Request": j.request}))
            .collect()
    };
    let mut member =
        json!({"Backups": backups, "Restores": restores, "Histories": histories, "Made": b.made});
    // Only when there are some: documents without exports stay as they were.
    if !b.exports.is_empty() {
        member["Exports"] = jobs(&b.exports).into();
    }
    if !b.imports.is_empty() {
        member["Imports"] = jobs(&b.imports).into();
    }
    if !b.objects.buckets.is_empty() {
        member["Objects"] = b.objects.to_json();
    }
    document["backups"] = member;
}

/// Reads the document's `"backups"` member into `engine` (its tables already in); a table
/// with point-in-time recovery on but no history kept starts one at `now`.
pub(crate) fn import(engine: &mut Engine, document: &Value, now: u64) -> Result<(), String> {
    let member = document.get("backups").filter(|v| !v.is_null());
    if !crate::features::BACKUPS {
        return match member {
            Some(_) => Err(crate::features::no_backups().message),
            None => Ok(()),
        };
    }
    for table in engine.tables.values_mut() {
        if table.control.point_in_time_recovery.is_some() {
            table.history.set(Some(History::new(now)));
        }
    }
    let Some(member) = member else { return Ok(()) };
    let bad = |what: &str| format!("backups: {what}");
    let mut kept =
        Backups { made: member.get("Made").and_then(Value::as_u64).unwrap_or(0), ..Backups::default() };
    for b in member.get("Backups").and_then(Value::as_array).into_iter().flatten() {
        let s = |name: &str| b.get(name).and_then(Value::as_str).map(str::to_owned);
        let kind = match b.get("BackupType").and_then(Value::as_str) {
            Some("SYSTEM") => "SYSTEM",
            _ => "USER",
        };
        let (Some(arn), Some(name), Some(table_arn), Some(created), Some(table)) = (
            s("BackupArn"),
            s("BackupName"),
            s("TableArn"),
            b.get("Created").and_then(Value::as_u64),
            b.get("Table"),
        ) else {
            return Err(bad("a backup needs BackupArn, BackupName, TableArn, Created and Table"));
        };
        kept.list.push(Backup { arn, name, created_ms: created, kind, table: table.clone(), table_arn });
    }
    for r in member.get("Restores").and_then(Value::as_array).into_iter().flatten() {
        let (Some(id), Some(until), Some(summary)) = (
            r.get("TableId").and_then(Value::as_str),
            r.get("Until").and_then(Value::as_u64),
            r.get("RestoreSummary"),
        ) else {
            return Err(bad("a restore needs TableId, Until and RestoreSummary"));
        };
        kept.restores.push(Restore { table_id: id.to_owned(), until_ms: until, summary: summary.clone() });
    }
    for (name, list) in [("Exports", &mut kept.exports), ("Imports", &mut kept.imports)] {
        for j in member.get(name).and_then(Value::as_array).into_iter().flatten() {
            let (Some(description), Some(until), Some(request)) =
                (j.get("Description"), j.get("Until").and_then(Value::as_u64), j.get("Request"))
            else {
                return Err(bad(&format!("each of {name} needs Description, Until and Request")));
            };
            list.push(Job { description: description.clone(), until_ms: until, request: request.clone() });
        }
    }
    if let Some(objects) = member.get("Objects").filter(|v| !v.is_null()) {
        kept.objects = objects::Objects::from_json(objects)
            .ok_or_else(|| bad("Objects must be {bucket: {key: base64}} within the store's bound"))?;
    }
    engine.backups.set(Some(kept));
    if let Some(histories) = member.get("Histories").and_then(Value::as_object) {
        for (name, h) in histories {
            let table = engine.tables.get_mut(name).ok_or_else(|| bad(&format!("no table {name}")))?;
            let history = History::from_json(h).ok_or_else(|| bad(&format!("{name}'s history")))?;
            table.history.set(Some(history));
        }
    }
    Ok(())
}
