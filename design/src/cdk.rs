//! The design as an AWS CDK v2 app in TypeScript (`aws-cdk-lib`): one stack holding one
//! `dynamodb.Table`.
//!
//! `Table` rather than `TableV2`: `Table` synthesizes `AWS::DynamoDB::Table`, the same resource
//! as the CloudFormation export, one property for one property; `TableV2` synthesizes
//! `AWS::DynamoDB::GlobalTable`, whose provisioned billing cannot hold a fixed write capacity
//! (its `Billing.provisioned` takes write capacity only as `Capacity.autoscaled`), so a table
//! designed with 5 WCU could not be written as it is. (CI compiles this output with `tsc` and
//! synthesizes it, and compares the table it makes with the CloudFormation export.)

use crate::doc::quote;
use crate::names;
use crate::table::{Billing, Key, OnDemandLimits, Projection, ScalarType, TableDesign};

fn attribute_type(t: &TableDesign, name: &str) -> &'static str {
    match t.attribute_type(name) {
        Some(ScalarType::Number) => "NUMBER",
        Some(ScalarType::Binary) => "BINARY",
        // A key attribute always has a definition; STRING is the only sensible reading if not.
        Some(ScalarType::String) | None => "STRING",
    }
}

fn attribute(t: &TableDesign, name: &str) -> String {
    format!("{{ name: {}, type: dynamodb.AttributeType.{} }}", quote(name), attribute_type(t, name))
}

/// `partitionKey` / `sortKey`, or for a GSI's multi-attribute key `partitionKeys` /
/// `sortKeys` (aws-cdk-lib 2.226 and later).
fn key_lines(out: &mut Vec<String>, t: &TableDesign, key: &Key) {
    let list = |names: Vec<&str>| names.iter().map(|n| attribute(t, n)).collect::<Vec<_>>().join(", ");
    if key.more_partition.is_empty() {
        out.push(format!("partitionKey: {},", attribute(t, &key.partition)));
    } else {
        out.push(format!("partitionKeys: [{}],", list(key.partitions().collect())));
    }
    match &key.sort {
        Some(sort) if key.more_sort.is_empty() => out.push(format!("sortKey: {},", attribute(t, sort))),
        Some(_) => out.push(format!("sortKeys: [{}],", list(key.sorts().collect()))),
        None => {}
    }
}

fn projection_lines(out: &mut Vec<String>, projection: &Projection) {
    out.push(format!("projectionType: dynamodb.ProjectionType.{},", projection.type_name()));
    if let Some(names) = projection.non_key_attributes() {
        let list: Vec<String> = names.iter().map(|n| quote(n)).collect();
        out.push(format!("nonKeyAttributes: [{}],", list.join(", ")));
    }
}

fn limit_lines(out: &mut Vec<String>, limits: OnDemandLimits) {
    if let Some(n) = limits.max_read {
        out.push(format!("maxReadRequestUnits: {n},"));
    }
    if let Some(n) = limits.max_write {
        out.push(format!("maxWriteRequestUnits: {n},"));
    }
}

/// `call({` … `});` with the lines indented under it.
fn block(out: &mut String, indent: &str, opening: &str, lines: &[String]) {
    out.push_str(&format!("{indent}{opening}{{\n"));
    for line in lines {
        out.push_str(&format!("{indent}  {line}\n"));
    }
    out.push_str(&format!("{indent}}});\n"));
}

/// The app: the stack class, then the lines that make an app of it (so `npx cdk synth`, or
/// `node` on the compiled file with `CDK_OUTDIR` set, synthesizes it).
pub fn typescript(t: &TableDesign) -> String {
    let class = names::stack_class(&t.name);
    let mut props = vec![format!("tableName: {},", quote(&t.name))];
    key_lines(&mut props, t, &t.key);
    match t.billing {
        Billing::Provisioned(tp) => {
            props.push("billingMode: dynamodb.BillingMode.PROVISIONED,".into());
            props.push(format!("readCapacity: {},", tp.read));
            props.push(format!("writeCapacity: {},", tp.write));
        }
        Billing::OnDemand(limits) => {
            props.push("billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,".into());
            limit_lines(&mut props, limits);
        }
    }
    if let Some(view) = &t.stream {
        props.push(format!("stream: dynamodb.StreamViewType.{view},"));
    }
    if let Some(attribute) = &t.ttl_attribute {
        props.push(format!("timeToLiveAttribute: {},", quote(attribute)));
    }
    if t.point_in_time_recovery {
        props.push("pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },".into());
    }
    if t.deletion_protection {
        props.push("deletionProtection: true,".into());
    }
    if let Some(class) = &t.table_class {
        props.push(format!("tableClass: dynamodb.TableClass.{class},"));
    }
    let mut body = String::new();
    block(&mut body, "    ", "this.table = new dynamodb.Table(this, \"Table\", ", &props);
    for g in &t.global_indexes {
        let mut lines = vec![format!("indexName: {},", quote(&g.name))];
        key_lines(&mut lines, t, &g.key);
        projection_lines(&mut lines, &g.projection);
        if let Some(tp) = g.throughput {
            lines.push(format!("readCapacity: {},", tp.read));
            lines.push(format!("writeCapacity: {},", tp.write));
        }
        limit_lines(&mut lines, g.on_demand);
        block(&mut body, "    ", "this.table.addGlobalSecondaryIndex(", &lines);
    }
    for l in &t.local_indexes {
        let mut lines =
            vec![format!("indexName: {},", quote(&l.name)), format!("sortKey: {},", attribute(t, &l.sort))];
        projection_lines(&mut lines, &l.projection);
        block(&mut body, "    ", "this.table.addLocalSecondaryIndex(", &lines);
    }
    for (key, value) in &t.tags {
        body.push_str(&format!("    cdk.Tags.of(this.table).add({}, {});\n", quote(key), quote(value)));
    }
    format!(
        "// The DynamoDB table {name}, as designed in dynaplay: an AWS CDK v2 app (aws-cdk-lib).\n\
         import * as cdk from \"aws-cdk-lib\";\n\
         import * as dynamodb from \"aws-cdk-lib/aws-dynamodb\";\n\
         import type {{ Construct }} from \"constructs\";\n\
         \n\
         export class {class} extends cdk.Stack {{\n\
         \x20 public readonly table: dynamodb.Table;\n\
         \n\
         \x20 constructor(scope: Construct, id: string, props?: cdk.StackProps) {{\n\
         \x20   super(scope, id, props);\n\
         {body}\
         \x20 }}\n\
         }}\n\
         \n\
         const app = new cdk.App();\n\
         new {class}(app, {stack_id});\n",
        name = quote(&t.name),
        stack_id = quote(&class),
    )
}
