//! The design as Terraform: one `aws_dynamodb_table` resource of the AWS provider, with its
//! `attribute`, `global_secondary_index`, `local_secondary_index`, `ttl`,
//! `point_in_time_recovery` and `on_demand_throughput` blocks and its `tags` map. Strings are
//! HCL literals in which `${` and `%{` stay text. A GSI with a multi-attribute key is written
//! with one `key_schema` block per attribute (the AWS provider 6.29 and later) instead of
//! `hash_key` / `range_key`, which hold one attribute each.

use crate::names::{hcl_string, terraform_label};
use crate::table::{Billing, OnDemandLimits, Projection, TableDesign};

/// Lines of `name = value`, their `=` aligned as `terraform fmt` aligns them.
fn arguments(out: &mut String, indent: &str, pairs: &[(&str, String)]) {
    let width = pairs.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, value) in pairs {
        out.push_str(&format!("{indent}{name:<width$} = {value}\n"));
    }
}

fn nested(out: &mut String, kind: &str, pairs: &[(&str, String)]) {
    out.push_str(&format!("\n  {kind} {{\n"));
    arguments(out, "    ", pairs);
    out.push_str("  }\n");
}

fn projection_pairs(pairs: &mut Vec<(&str, String)>, projection: &Projection) {
    pairs.push(("projection_type", hcl_string(projection.type_name())));
    if let Some(names) = projection.non_key_attributes() {
        let list: Vec<String> = names.iter().map(|n| hcl_string(n)).collect();
        pairs.push(("non_key_attributes", format!("[{}]", list.join(", "))));
    }
}

fn limit_pairs(limits: OnDemandLimits) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(n) = limits.max_read {
        pairs.push(("max_read_request_units", n.to_string()));
    }
    if let Some(n) = limits.max_write {
        pairs.push(("max_write_request_units", n.to_string()));
    }
    pairs
}

/// The resource block.
pub fn hcl(t: &TableDesign) -> String {
    let mut top: Vec<(&str, String)> = vec![("name", hcl_string(&t.name))];
    match t.billing {
        Billing::Provisioned(tp) => {
            top.push(("billing_mode", hcl_string("PROVISIONED")));
            top.push(("read_capacity", tp.read.to_string()));
            top.push(("write_capacity", tp.write.to_string()));
        }
        Billing::OnDemand(_) => top.push(("billing_mode", hcl_string("PAY_PER_REQUEST"))),
    }
    top.push(("hash_key", hcl_string(&t.key.partition)));
    if let Some(sort) = &t.key.sort {
        top.push(("range_key", hcl_string(sort)));
    }
    if let Some(view) = &t.stream {
        top.push(("stream_enabled", "true".into()));
        top.push(("stream_view_type", hcl_string(view)));
    }
    if t.deletion_protection {
        top.push(("deletion_protection_enabled", "true".into()));
    }
    if let Some(class) = &t.table_class {
        top.push(("table_class", hcl_string(class)));
    }
    let mut out =
        format!("# The DynamoDB table {}, as designed in dynaplay.\n", t.name.replace(['\n', '\r'], " "));
    out.push_str(&format!("resource \"aws_dynamodb_table\" \"{}\" {{\n", terraform_label(&t.name)));
    arguments(&mut out, "  ", &top);
    if let Billing::OnDemand(limits) = t.billing {
        if limits.is_set() {
            nested(&mut out, "on_demand_throughput", &limit_pairs(limits));
        }
    }
    for (name, kind) in &t.attributes {
        nested(&mut out, "attribute", &[("name", hcl_string(name)), ("type", hcl_string(kind.letter()))]);
    }
    for g in &t.global_indexes {
        let mut pairs = vec![("name", hcl_string(&g.name))];
        if !g.key.is_multi_attribute() {
            pairs.push(("hash_key", hcl_string(&g.key.partition)));
            if let Some(sort) = &g.key.sort {
                pairs.push(("range_key", hcl_string(sort)));
            }
        }
        projection_pairs(&mut pairs, &g.projection);
        if let Some(tp) = g.throughput {
            pairs.push(("read_capacity", tp.read.to_string()));
            pairs.push(("write_capacity", tp.write.to_string()));
        }
        let limits = limit_pairs(g.on_demand);
        if limits.is_empty() && !g.key.is_multi_attribute() {
            nested(&mut out, "global_secondary_index", &pairs);
            continue;
        }
        // The key attributes and the index's maximums are blocks inside the index block.
        out.push_str("\n  global_secondary_index {\n");
        arguments(&mut out, "    ", &pairs);
        if g.key.is_multi_attribute() {
            let kinds = g.key.partitions().map(|n| (n, "HASH")).chain(g.key.sorts().map(|n| (n, "RANGE")));
            for (name, kind) in kinds {
                out.push_str("\n    key_schema {\n");
                arguments(
                    &mut out,
                    "      ",
                    &[("attribute_name", hcl_string(name)), ("key_type", hcl_string(kind))],
                );
                out.push_str("    }\n");
            }
        }
        if !limits.is_empty() {
            out.push_str("\n    on_demand_throughput {\n");
            arguments(&mut out, "      ", &limits);
            out.push_str("    }\n");
        }
        out.push_str("  }\n");
    }
    for l in &t.local_indexes {
        let mut pairs = vec![("name", hcl_string(&l.name)), ("range_key", hcl_string(&l.sort))];
        projection_pairs(&mut pairs, &l.projection);
        nested(&mut out, "local_secondary_index", &pairs);
    }
    if let Some(attribute) = &t.ttl_attribute {
        nested(&mut out, "ttl", &[("attribute_name", hcl_string(attribute)), ("enabled", "true".into())]);
    }
    if t.point_in_time_recovery {
        nested(&mut out, "point_in_time_recovery", &[("enabled", "true".into())]);
    }
    if !t.tags.is_empty() {
        out.push_str("\n  tags = {\n");
        let quoted: Vec<(String, String)> =
            t.tags.iter().map(|(k, v)| (hcl_string(k), hcl_string(v))).collect();
        let width = quoted.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        for (k, v) in &quoted {
            let pad = width - k.chars().count();
            out.push_str(&format!("    {k}{} = {v}\n", " ".repeat(pad)));
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}
