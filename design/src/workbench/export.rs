//! A table's design as a NoSQL Workbench data model, with the table's items as its sample
//! data (`TableData`).
//!
//! A Workbench model holds keys, global secondary indexes, non-key attributes, billing and
//! sample data; a table's local secondary indexes, stream, Time to Live, tags and recovery
//! settings have no place in it, and the export says which it left out. Members Workbench itself
//! always writes (`TableFacets`, `GlobalSecondaryIndexes`, `TableData`, `DataAccess`) are
//! written even when their list is empty.

use serde_json::Value;

use super::{AWS_SERVICE, MODEL_VERSION};
use crate::doc::{self, MapBuilder, Node};
use crate::table::{Billing, Key, TableDesign};

/// A table and the items to include as its sample data.
pub struct ModelTable<'a> {
    /// The design.
    pub design: &'a TableDesign,
    /// Items in DynamoDB JSON.
    pub items: &'a [Value],
}

/// A model file's text and what it could not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkbenchModel {
    /// The model as JSON text.
    pub text: String,
    /// What the model leaves out, one sentence each.
    pub notes: Vec<String>,
}

/// At most this many items per table go into the sample data: Workbench is a modeler, and a
/// model of tens of thousands of items is slow to open there.
pub const MAX_SAMPLE_ITEMS: usize = 1000;

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Epoch milliseconds as Workbench writes its dates, in UTC: `Jan 12, 2023, 10:14 AM`.
pub fn workbench_date(ms: u64) -> String {
    let (year, month, day) = dynaplay_engine::types::civil_from_days((ms / 86_400_000) as i64);
    let minutes = ms / 60_000 % 1440;
    let (hour, minute) = (minutes / 60, minutes % 60);
    let (hour12, half) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    let name = MONTHS.get(month.saturating_sub(1) as usize).copied().unwrap_or("Jan");
    format!("{name} {day}, {year}, {hour12:02}:{minute:02} {half}")
}

fn attribute(name: &str, kind: &str) -> Node {
    MapBuilder::default()
        .add("AttributeName", Node::text(name))
        .add("AttributeType", Node::text(kind))
        .build()
}

fn key_attributes(design: &TableDesign, key: &Key) -> Node {
    let typed = |name: &str| attribute(name, design.attribute_type(name).map_or("S", |t| t.letter()));
    MapBuilder::default()
        .add("PartitionKey", typed(&key.partition))
        .maybe("SortKey", key.sort.as_deref().map(typed))
        .build()
}

/// The DynamoDB JSON type letter of an attribute value (`S`, `N`, `BOOL`, `M`, …).
fn type_letter(value: &Value) -> Option<&str> {
    value.as_object().and_then(|m| m.keys().next()).map(String::as_str)
}

/// Every attribute that is not the table's key: the index keys first (typed by their
/// definitions), then the items' attributes in the order they first appear.
fn non_key_attributes(design: &TableDesign, items: &[Value]) -> Vec<Node> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let is_table_key = |name: &str| name == design.key.partition || design.key.sort.as_deref() == Some(name);
    for (name, kind) in &design.attributes {
        if !is_table_key(name) {
            seen.push((name.clone(), kind.letter().to_owned()));
        }
    }
    for item in items {
        for (name, value) in item.as_object().into_iter().flatten() {
            if is_table_key(name) || seen.iter().any(|(n, _)| n == name) {
                continue;
            }
            if let Some(letter) = type_letter(value) {
                seen.push((name.clone(), letter.to_owned()));
            }
        }
    }
    seen.into_iter().map(|(name, kind)| attribute(&name, &kind)).collect()
}

fn data_model(table: &ModelTable<'_>, notes: &mut Vec<String>) -> Node {
    let d = table.design;
    let items = &table.items[..table.items.len().min(MAX_SAMPLE_ITEMS)];
    if items.len() < table.items.len() {
        notes.push(format!(
            "The sample data holds the first {} of the table's {} items.",
            items.len(),
            table.items.len()
        ));
    }
    // A Workbench model's index has one partition and one sort key attribute.
    let (multi, single): (Vec<_>, Vec<_>) = d.global_indexes.iter().partition(|g| g.key.is_multi_attribute());
    if !multi.is_empty() {
        let names: Vec<&str> = multi.iter().map(|g| g.name.as_str()).collect();
        notes.push(format!(
            "NoSQL Workbench models hold one partition and one sort key attribute per index: this file leaves out the multi-attribute keyed {} {}.",
            if names.len() == 1 { "index" } else { "indexes" },
            names.join(", ")
        ));
    }
    let indexes = single
        .into_iter()
        .map(|g| {
            let projection = MapBuilder::default()
                .add("ProjectionType", Node::text(g.projection.type_name()))
                .maybe("NonKeyAttributes", g.projection.non_key_attributes().map(Node::texts))
                .build();
            MapBuilder::default()
                .add("IndexName", Node::text(&g.name))
                .add("KeyAttributes", key_attributes(d, &g.key))
                .add("Projection", projection)
                .build()
        })
        .collect();
    let (mode, capacity) = match d.billing {
        Billing::Provisioned(t) => {
            let throughput = MapBuilder::default()
                .add("ReadCapacityUnits", Node::Number(t.read))
                .add("WriteCapacityUnits", Node::Number(t.write))
                .build();
            ("PROVISIONED", Some(MapBuilder::default().add("ProvisionedThroughput", throughput).build()))
        }
        Billing::OnDemand(_) => ("PAY_PER_REQUEST", None),
    };
    let model = MapBuilder::default()
        .add("TableName", Node::text(&d.name))
        .add("KeyAttributes", key_attributes(d, &d.key))
        .add("NonKeyAttributes", Node::List(non_key_attributes(d, items)))
        .add("TableFacets", Node::List(Vec::new()))
        .add("GlobalSecondaryIndexes", Node::List(indexes))
        .add("TableData", Node::List(items.iter().map(Node::from_value).collect()))
        .add("DataAccess", MapBuilder::default().add("MySql", Node::Map(Vec::new())).build())
        .add("BillingMode", Node::text(mode))
        .maybe("ProvisionedCapacitySettings", capacity)
        .build();
    let mut left_out = Vec::new();
    if !d.local_indexes.is_empty() {
        let names: Vec<&str> = d.local_indexes.iter().map(|l| l.name.as_str()).collect();
        left_out.push(format!("its local secondary indexes ({})", names.join(", ")));
    }
    if d.stream.is_some() {
        left_out.push("its stream".to_owned());
    }
    if d.ttl_attribute.is_some() {
        left_out.push("Time to Live".to_owned());
    }
    if !d.tags.is_empty() {
        left_out.push("its tags".to_owned());
    }
    if d.point_in_time_recovery || d.deletion_protection || d.table_class.is_some() {
        left_out.push("its recovery, deletion protection and table class settings".to_owned());
    }
    if let Billing::OnDemand(limits) = d.billing {
        if limits.is_set() || d.global_indexes.iter().any(|g| g.on_demand.is_set()) {
            left_out.push("its on-demand maximums".to_owned());
        }
    }
    if !left_out.is_empty() {
        notes.push(format!(
            "NoSQL Workbench models have no place for {}: this file leaves {} out.",
            left_out.join(", "),
            if left_out.len() == 1 { "it" } else { "them" }
        ));
    }
    model
}

/// The model of `tables`, named `name`, dated `now_ms` (epoch milliseconds).
pub fn model(name: &str, tables: &[ModelTable<'_>], now_ms: u64) -> WorkbenchModel {
    let mut notes = Vec::new();
    let date = workbench_date(now_ms);
    let data = tables.iter().map(|t| data_model(t, &mut notes)).collect();
    let metadata = MapBuilder::default()
        .add("Author", Node::text(""))
        .add("DateCreated", Node::text(&date))
        .add("DateLastModified", Node::text(&date))
        .add("Description", Node::text("Exported from dynaplay"))
        .add("AWSService", Node::text(AWS_SERVICE))
        .add("Version", Node::text(MODEL_VERSION))
        .build();
    let document = MapBuilder::default()
        .add("ModelName", Node::text(name))
        .add("ModelMetadata", metadata)
        .add("DataModel", Node::List(data))
        .build();
    WorkbenchModel { text: doc::to_json(&document), notes }
}
