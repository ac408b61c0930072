//! The create-table form as markup: name, partition and sort key, billing mode and capacity,
//! GSIs and LSIs. Controls are named (`name`, `pk`, `pk-type`, `sk`, `sk-type`, `billing`,
//! `rcu`, `wcu`, `index-{i}-{field}`) and buttons carry a `data-action` (`add-gsi`, `add-lsi`,
//! `remove-index` with `data-index`).

use std::fmt::Write;

use crate::ui::markup::{checked, select, text_field, Fields};
use crate::ui::requests::{IndexKind, KeyAttribute, SecondaryIndex, TableForm};

const KEY_TYPES: [(&str, &str); 3] = [("S", "S — String"), ("N", "N — Number"), ("B", "B — Binary")];
const PROJECTIONS: [(&str, &str); 3] = [("ALL", "ALL"), ("KEYS_ONLY", "KEYS_ONLY"), ("INCLUDE", "INCLUDE")];

impl Fields for TableForm {
    fn set(&mut self, name: &str, value: String) {
        match name {
            "name" => self.name = value,
            "billing" => self.billing_mode = value,
            "rcu" => self.read_capacity = value,
            "wcu" => self.write_capacity = value,
            _ => match name.strip_prefix("index-").and_then(|r| r.split_once('-')) {
                None => set_key(&mut self.partition_key, &mut self.sort_key, name, value),
                Some((i, field)) => {
                    let Some(index) = i.parse().ok().and_then(|i: usize| self.indexes.get_mut(i)) else {
                        return;
                    };
                    match field {
                        "name" => index.name = value,
                        "projection" => index.projection_type = value,
                        "non-key" => index.non_key_attributes = value,
                        _ => set_key(&mut index.partition_key, &mut index.sort_key, field, value),
                    }
                }
            },
        }
    }
}

/// The key controls a table and an index row share: `pk`, `pk-type`, `sk`, `sk-type`.
fn set_key(partition: &mut KeyAttribute, sort: &mut KeyAttribute, field: &str, value: String) {
    match field {
        "pk" => partition.name = value,
        "pk-type" => partition.attribute_type = value,
        "sk" => sort.name = value,
        "sk-type" => sort.attribute_type = value,
        _ => {}
    }
}

impl TableForm {
    /// Adds an index row named `GSI{n}` or `LSI{n}`.
    pub fn add_index(&mut self, kind: IndexKind) {
        let n = self.indexes.len() + 1;
        self.indexes.push(SecondaryIndex {
            kind,
            name: format!("{}{n}", if kind == IndexKind::Global { "GSI" } else { "LSI" }),
            partition_key: KeyAttribute::new(""),
            sort_key: KeyAttribute::new(""),
            projection_type: "ALL".to_owned(),
            non_key_attributes: String::new(),
        });
    }

    /// What decides which controls the form has — not what is typed in them, which the page
    /// holds: the markup is rewritten only when this changes, so typing never loses focus.
    pub fn layout(&self) -> String {
        let mut layout = self.billing_mode.clone();
        for index in &self.indexes {
            let kind = if index.kind == IndexKind::Global { 'G' } else { 'L' };
            let _ = write!(layout, "|{kind}{}", index.projection_type);
        }
        layout
    }
}

/// The form's controls (the component adds the submit button and the messages).
pub fn markup(f: &TableForm) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<div class=\"row\">");
    text_field(
        &mut out,
        "grow",
        "Table name",
        "name",
        &f.name,
        " required autofocus data-testid=\"table-name\" placeholder=\"Music\"",
    );
    out.push_str("</div><div class=\"row\">");
    text_field(
        &mut out,
        "grow",
        "Partition key",
        "pk",
        &f.partition_key.name,
        " required data-testid=\"partition-key\"",
    );
    key_type(&mut out, "Partition key type", "pk-type", &f.partition_key.attribute_type);
    text_field(&mut out, "grow", "Sort key (optional)", "sk", &f.sort_key.name, " data-testid=\"sort-key\"");
    key_type(&mut out, "Sort key type", "sk-type", &f.sort_key.attribute_type);
    let provisioned = f.billing_mode == "PROVISIONED";
    let _ = write!(
        out,
        "</div><fieldset class=\"row plain\"><legend>Billing mode</legend>\
         <label class=\"choice\"><input type=\"radio\" name=\"billing\" value=\"PAY_PER_REQUEST\"{}> On-demand (PAY_PER_REQUEST)</label>\
         <label class=\"choice\"><input type=\"radio\" name=\"billing\" value=\"PROVISIONED\"{} data-testid=\"provisioned\"> Provisioned</label>",
        checked(!provisioned),
        checked(provisioned)
    );
    if provisioned {
        text_field(
            &mut out,
            "narrow",
            "Read capacity (RCU)",
            "rcu",
            &f.read_capacity,
            " inputmode=\"numeric\" data-testid=\"rcu\"",
        );
        text_field(
            &mut out,
            "narrow",
            "Write capacity (WCU)",
            "wcu",
            &f.write_capacity,
            " inputmode=\"numeric\" data-testid=\"wcu\"",
        );
    }
    out.push_str("</fieldset>");
    for (i, index) in f.indexes.iter().enumerate() {
        index_row(&mut out, i, index);
    }
    out.push_str(
        "<div class=\"actions\"><button type=\"button\" class=\"btn\" data-action=\"add-gsi\" data-testid=\"add-gsi\">+ Global index</button>\
         <button type=\"button\" class=\"btn\" data-action=\"add-lsi\" data-testid=\"add-lsi\">+ Local index</button></div>",
    );
    out
}

fn key_type(out: &mut String, label: &str, name: &str, current: &str) {
    let _ = write!(out, "<label class=\"field narrow\"><span>{label}</span>");
    select(out, name, &format!(" aria-label=\"{label}\""), &KEY_TYPES, current);
    out.push_str("</label>");
}

fn index_row(out: &mut String, i: usize, index: &SecondaryIndex) {
    let global = index.kind == IndexKind::Global;
    let _ = write!(
        out,
        "<fieldset class=\"index-row\" data-testid=\"index-row\"><legend>{}</legend>",
        if global { "Global secondary index" } else { "Local secondary index" }
    );
    let name = |field: &str| format!("index-{i}-{field}");
    text_field(out, "", "Index name", &name("name"), &index.name, " required data-testid=\"index-name\"");
    if global {
        text_field(
            out,
            "",
            "Partition key",
            &name("pk"),
            &index.partition_key.name,
            " required data-testid=\"index-partition-key\"",
        );
        key_type(out, "Type", &name("pk-type"), &index.partition_key.attribute_type);
    }
    let (sort_label, required) = if global { ("Sort key (optional)", "") } else { ("Sort key", " required") };
    text_field(
        out,
        "",
        sort_label,
        &name("sk"),
        &index.sort_key.name,
        &format!("{required} data-testid=\"index-sort-key\""),
    );
    key_type(out, "Type", &name("sk-type"), &index.sort_key.attribute_type);
    out.push_str("<label class=\"field narrow\"><span>Projection</span>");
    select(out, &name("projection"), "", &PROJECTIONS, &index.projection_type);
    out.push_str("</label>");
    if index.projection_type == "INCLUDE" {
        text_field(
            out,
            "",
            "Non-key attributes (comma-separated)",
            &name("non-key"),
            &index.non_key_attributes,
            " required data-testid=\"index-non-key\" placeholder=\"Title, Price\"",
        );
    }
    let _ = write!(
        out,
        "<button type=\"button\" class=\"btn small danger\" data-action=\"remove-index\" data-index=\"{i}\" aria-label=\"Remove this index\">Remove</button></fieldset>"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_control_sets_its_field() {
        let mut f = TableForm::default();
        f.add_index(IndexKind::Global);
        f.add_index(IndexKind::Local);
        for (name, value) in [
            ("name", "Music"),
            ("pk", "Artist"),
            ("pk-type", "N"),
            ("sk", "Title"),
            ("sk-type", "B"),
            ("billing", "PROVISIONED"),
            ("rcu", "7"),
            ("wcu", "9"),
            ("index-0-name", "ByGenre"),
            ("index-0-pk", "Genre"),
            ("index-0-pk-type", "N"),
            ("index-1-sk", "Year"),
            ("index-1-sk-type", "N"),
            ("index-1-projection", "INCLUDE"),
            ("index-1-non-key", "Price"),
            // Unknown names and rows are ignored.
            ("index-7-name", "Nope"),
            ("index-x-name", "Nope"),
            ("colour", "red"),
        ] {
            f.set(name, value.to_owned());
        }
        assert_eq!(
            (f.name.as_str(), f.partition_key.name.as_str(), f.partition_key.attribute_type.as_str()),
            ("Music", "Artist", "N")
        );
        assert_eq!((f.sort_key.name.as_str(), f.sort_key.attribute_type.as_str()), ("Title", "B"));
        assert_eq!(
            (f.billing_mode.as_str(), f.read_capacity.as_str(), f.write_capacity.as_str()),
            ("PROVISIONED", "7", "9")
        );
        let (g, l) = (&f.indexes[0], &f.indexes[1]);
        assert_eq!(
            (g.name.as_str(), g.partition_key.name.as_str(), g.partition_key.attribute_type.as_str()),
            ("ByGenre", "Genre", "N")
        );
        assert_eq!(
            (l.name.as_str(), l.sort_key.name.as_str(), l.sort_key.attribute_type.as_str()),
            ("LSI2", "Year", "N")
        );
        assert_eq!((l.projection_type.as_str(), l.non_key_attributes.as_str()), ("INCLUDE", "Price"));
        assert_eq!(f.indexes.len(), 2);
    }

    #[test]
    fn layout_changes_with_the_controls_not_with_typing() {
        let mut f = TableForm::default();
        let before = f.layout();
        f.set("name", "Music".into());
        f.set("rcu", "12".into());
        assert_eq!(f.layout(), before, "typing keeps the markup");
        f.set("billing", "PROVISIONED".into());
        assert_ne!(f.layout(), before);
        let provisioned = f.layout();
        f.add_index(IndexKind::Global);
        assert_ne!(f.layout(), provisioned);
        let one = f.layout();
        f.set("index-0-projection", "INCLUDE".into());
        assert_ne!(f.layout(), one);
    }

    #[test]
    fn markup_holds_every_control_with_its_value_escaped() {
        let mut f = TableForm::default();
        f.set("name", "Songs \"<b>\"".into());
        let on_demand = markup(&f);
        assert!(on_demand.contains("value=\"Songs &quot;&lt;b&gt;&quot;\""), "{on_demand}");
        assert!(on_demand.contains("value=\"PAY_PER_REQUEST\" checked"));
        assert!(!on_demand.contains("data-testid=\"rcu\""), "capacity only when provisioned");
        f.set("billing", "PROVISIONED".into());
        f.add_index(IndexKind::Global);
        f.add_index(IndexKind::Local);
        f.set("index-1-projection", "INCLUDE".into());
        f.set("index-0-pk-type", "N".into());
        let m = markup(&f);
        for testid in [
            "table-name",
            "partition-key",
            "sort-key",
            "provisioned",
            "rcu",
            "wcu",
            "index-name",
            "index-partition-key",
            "index-sort-key",
            "index-non-key",
            "add-gsi",
            "add-lsi",
        ] {
            assert!(m.contains(&format!("data-testid=\"{testid}\"")), "{testid} missing");
        }
        assert!(m.contains("value=\"PROVISIONED\" checked"));
        assert!(m.contains("name=\"index-0-pk-type\" aria-label=\"Type\"><option value=\"S\">S — String</option><option value=\"N\" selected>"));
        assert!(m.contains("data-action=\"remove-index\" data-index=\"1\""));
        assert_eq!(
            m.matches("data-testid=\"index-partition-key\"").count(),
            1,
            "an LSI has no partition key of its own"
        );
        assert_eq!(m.matches("<fieldset").count(), m.matches("</fieldset>").count());
        assert_eq!(m.matches("<label").count(), m.matches("</label>").count());
    }
}
