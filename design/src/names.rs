//! Identifiers made from a table's name for the languages that need one: a CloudFormation
//! logical ID (letters and digits only), a TypeScript class name, a Terraform resource label
//! (letters, digits, `_`, `-`, not starting with a digit). Table names allow `_`, `-` and `.`
//! besides letters and digits, and may start with a digit.

/// The name's runs of letters and digits, each with its first letter upper-cased:
/// `my-table.v2` → `MyTableV2`.
fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// `name` in Pascal case followed by `suffix`; `prefix` goes first when that would not start
/// with a letter (an empty name or one starting with a digit).
fn identifier(name: &str, prefix: &str, suffix: &str) -> String {
    let base = pascal(name);
    if base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("{base}{suffix}")
    } else {
        format!("{prefix}{base}{suffix}")
    }
}

/// The table's CloudFormation logical ID: `Music` → `MusicTable`, `3d-models` → `Table3dModelsTable`.
pub fn logical_id(name: &str) -> String {
    identifier(name, "Table", "Table")
}

/// The CDK stack's class name: `Music` → `MusicStack`.
pub fn stack_class(name: &str) -> String {
    identifier(name, "Table", "Stack")
}

/// The Terraform resource label: lower case, `_` between words: `MyTable.v2` → `mytable_v2`,
/// `3d` → `table_3d`.
pub fn terraform_label(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out
    } else if out.is_empty() {
        "table".into()
    } else {
        format!("table_{out}")
    }
}

/// `text` as an HCL (Terraform) string literal: JSON's escapes, plus `$${` and `%%{` so a `${`
/// or `%{` in a name or tag is text, not a template.
pub fn hcl_string(text: &str) -> String {
    crate::doc::quote(text).replace("${", "$${").replace("%{", "%%{")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_in_their_language() {
        assert_eq!(logical_id("Music"), "MusicTable");
        assert_eq!(logical_id("my-table.v2"), "MyTableV2Table");
        assert_eq!(logical_id("3d_models"), "Table3dModelsTable");
        assert_eq!(logical_id("___"), "TableTable");
        assert_eq!(stack_class("orders"), "OrdersStack");
        assert_eq!(terraform_label("MyTable.v2"), "mytable_v2");
        assert_eq!(terraform_label("3d"), "table_3d");
        assert_eq!(terraform_label("-._"), "table");
        for name in ["Music", "a-b", "9", "x.y_z", "---a", "A..B"] {
            assert!(logical_id(name).chars().all(|c| c.is_ascii_alphanumeric()));
            let label = terraform_label(name);
            assert!(label.starts_with(|c: char| c.is_ascii_lowercase()), "{label}");
            assert!(label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{label}");
        }
    }

    #[test]
    fn hcl_strings_never_interpolate() {
        assert_eq!(hcl_string("a${b}%{c}\"d"), "\"a$${b}%%{c}\\\"d\"");
    }
}
