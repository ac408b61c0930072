//! The design as an AWS CloudFormation template with one `AWS::DynamoDB::Table` resource, in
//! YAML or JSON. Property names and shapes follow the resource's reference (AttributeDefinitions,
//! KeySchema, BillingMode, ProvisionedThroughput, OnDemandThroughput, GlobalSecondaryIndexes
//! and LocalSecondaryIndexes with their Projection, StreamSpecification,
//! TimeToLiveSpecification, PointInTimeRecoverySpecification, DeletionProtectionEnabled,
//! TableClass, Tags); a property the table does not use is left out rather than written empty.
//! The resource's `DeletionPolicy` and `UpdateReplacePolicy` are `Retain`.

use crate::doc::{self, MapBuilder, Node};
use crate::names;
use crate::table::{Billing, Key, OnDemandLimits, Projection, TableDesign, Throughput};

fn key_schema(key: &Key) -> Node {
    let element = |name: &str, kind: &str| {
        MapBuilder::default().add("AttributeName", Node::text(name)).add("KeyType", Node::text(kind)).build()
    };
    // A GSI's multi-attribute key lists every HASH attribute, then every RANGE one.
    let hash = key.partitions().map(|n| element(n, "HASH"));
    Node::List(hash.chain(key.sorts().map(|n| element(n, "RANGE"))).collect())
}

fn projection(projection: &Projection) -> Node {
    MapBuilder::default()
        .add("ProjectionType", Node::text(projection.type_name()))
        .maybe("NonKeyAttributes", projection.non_key_attributes().map(Node::texts))
        .build()
}

fn throughput(t: Throughput) -> Node {
    MapBuilder::default()
        .add("ReadCapacityUnits", Node::Number(t.read))
        .add("WriteCapacityUnits", Node::Number(t.write))
        .build()
}

fn on_demand(limits: OnDemandLimits) -> Option<Node> {
    limits.is_set().then(|| {
        MapBuilder::default()
            .maybe("MaxReadRequestUnits", limits.max_read.map(Node::Number))
            .maybe("MaxWriteRequestUnits", limits.max_write.map(Node::Number))
            .build()
    })
}

fn non_empty(items: Vec<Node>) -> Option<Node> {
    (!items.is_empty()).then_some(Node::List(items))
}

/// The `AWS::DynamoDB::Table` resource's `Properties`.
pub fn properties(t: &TableDesign) -> Node {
    let attributes = t
        .attributes
        .iter()
        .map(|(name, kind)| {
            MapBuilder::default()
                .add("AttributeName", Node::text(name))
                .add("AttributeType", Node::text(kind.letter()))
                .build()
        })
        .collect();
    let (mode, provisioned, limits) = match t.billing {
        Billing::Provisioned(tp) => ("PROVISIONED", Some(throughput(tp)), None),
        Billing::OnDemand(limits) => ("PAY_PER_REQUEST", None, on_demand(limits)),
    };
    let globals = t
        .global_indexes
        .iter()
        .map(|g| {
            MapBuilder::default()
                .add("IndexName", Node::text(&g.name))
                .add("KeySchema", key_schema(&g.key))
                .add("Projection", projection(&g.projection))
                .maybe("ProvisionedThroughput", g.throughput.map(throughput))
                .maybe("OnDemandThroughput", on_demand(g.on_demand))
                .build()
        })
        .collect();
    let locals = t
        .local_indexes
        .iter()
        .map(|l| {
            let key = Key::new(t.key.partition.clone(), Some(l.sort.clone()));
            MapBuilder::default()
                .add("IndexName", Node::text(&l.name))
                .add("KeySchema", key_schema(&key))
                .add("Projection", projection(&l.projection))
                .build()
        })
        .collect();
    let tags = t
        .tags
        .iter()
        .map(|(k, v)| MapBuilder::default().add("Key", Node::text(k)).add("Value", Node::text(v)).build())
        .collect();
    MapBuilder::default()
        .add("TableName", Node::text(&t.name))
        .add("AttributeDefinitions", Node::List(attributes))
        .add("KeySchema", key_schema(&t.key))
        .add("BillingMode", Node::text(mode))
        .maybe("ProvisionedThroughput", provisioned)
        .maybe("OnDemandThroughput", limits)
        .maybe("GlobalSecondaryIndexes", non_empty(globals))
        .maybe("LocalSecondaryIndexes", non_empty(locals))
        .maybe(
            "StreamSpecification",
            t.stream.as_ref().map(|v| MapBuilder::default().add("StreamViewType", Node::text(v)).build()),
        )
        .maybe(
            "TimeToLiveSpecification",
            t.ttl_attribute.as_ref().map(|a| {
                MapBuilder::default()
                    .add("AttributeName", Node::text(a))
                    .add("Enabled", Node::Bool(true))
                    .build()
            }),
        )
        .maybe(
            "PointInTimeRecoverySpecification",
            t.point_in_time_recovery
                .then(|| MapBuilder::default().add("PointInTimeRecoveryEnabled", Node::Bool(true)).build()),
        )
        .maybe("DeletionProtectionEnabled", t.deletion_protection.then_some(Node::Bool(true)))
        .maybe("TableClass", t.table_class.as_deref().map(Node::text))
        .maybe("Tags", non_empty(tags))
        .build()
}

/// The whole template.
pub fn template(t: &TableDesign) -> Node {
    // Retain, as the CDK's `Table` does by default: a stack's deletion or a replacement must
    // not delete the data with it (cfn-lint's I3011 asks stateful resources to say so).
    let resource = MapBuilder::default()
        .add("Type", Node::text("AWS::DynamoDB::Table"))
        .add("DeletionPolicy", Node::text("Retain"))
        .add("UpdateReplacePolicy", Node::text("Retain"))
        .add("Properties", properties(t))
        .build();
    MapBuilder::default()
        .add("AWSTemplateFormatVersion", Node::text("2010-09-09"))
        .add("Description", Node::Text(format!("The DynamoDB table {}, as designed in dynaplay", t.name)))
        .add("Resources", Node::Map(vec![(names::logical_id(&t.name), resource)]))
        .build()
}

/// The template as YAML.
pub fn yaml(t: &TableDesign) -> String {
    doc::to_yaml(&template(t))
}

/// The template as JSON.
pub fn json(t: &TableDesign) -> String {
    doc::to_json(&template(t))
}
