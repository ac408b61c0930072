//! An ordered document tree and its two spellings, JSON and YAML: what the CloudFormation
//! template is built as. Members keep the order they were added in (serde_json's map sorts
//! them, and its order-keeping feature would change the engine's maps too), and every string is
//! quoted only where it must be.

/// A JSON/YAML value whose maps keep their order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A string.
    Text(String),
    /// A whole number.
    Number(u64),
    /// A boolean.
    Bool(bool),
    /// A list.
    List(Vec<Node>),
    /// A map, in the order its members were added.
    Map(Vec<(String, Node)>),
    /// Any other JSON number, or `null`, written as it is.
    Raw(String),
}

impl Node {
    /// A string node.
    pub fn text(value: &str) -> Node {
        Node::Text(value.to_owned())
    }

    /// A list of strings.
    pub fn texts(values: &[String]) -> Node {
        Node::List(values.iter().map(|v| Node::text(v)).collect())
    }

    /// A serde_json value as a node (its maps in serde_json's order).
    pub fn from_value(value: &serde_json::Value) -> Node {
        use serde_json::Value;
        match value {
            Value::String(s) => Node::Text(s.clone()),
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => n.as_u64().map_or_else(|| Node::Raw(n.to_string()), Node::Number),
            Value::Null => Node::Raw("null".into()),
            Value::Array(items) => Node::List(items.iter().map(Node::from_value).collect()),
            Value::Object(members) => {
                Node::Map(members.iter().map(|(k, v)| (k.clone(), Node::from_value(v))).collect())
            }
        }
    }
}

/// Builds a [`Node::Map`] member by member.
#[derive(Default)]
pub struct MapBuilder(Vec<(String, Node)>);

impl MapBuilder {
    /// Adds a member.
    pub fn add(mut self, name: &str, value: Node) -> MapBuilder {
        self.0.push((name.to_owned(), value));
        self
    }

    /// Adds a member when there is one.
    pub fn maybe(self, name: &str, value: Option<Node>) -> MapBuilder {
        match value {
            Some(value) => self.add(name, value),
            None => self,
        }
    }

    /// The map.
    pub fn build(self) -> Node {
        Node::Map(self.0)
    }
}

/// `text` as a double-quoted string that is valid JSON, YAML, TypeScript and JavaScript alike:
/// quotes, backslashes and control characters escaped, and the characters YAML (NEL, LS, PS)
/// or old JavaScript read as line breaks, and the byte-order mark, written as `\u` escapes.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || c == '\u{7f}'
                || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}') =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Pretty JSON, two spaces per level, as CloudFormation's own examples are written.
pub fn to_json(node: &Node) -> String {
    let mut out = String::new();
    json_into(&mut out, node, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn json_into(out: &mut String, node: &Node, level: usize) {
    match node {
        Node::Text(t) => out.push_str(&quote(t)),
        Node::Number(n) => out.push_str(&n.to_string()),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Raw(raw) => out.push_str(raw),
        Node::List(items) if items.is_empty() => out.push_str("[]"),
        Node::Map(members) if members.is_empty() => out.push_str("{}"),
        Node::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                json_into(out, item, level + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, level);
            out.push(']');
        }
        Node::Map(members) => {
            out.push_str("{\n");
            for (i, (name, value)) in members.iter().enumerate() {
                indent(out, level + 1);
                out.push_str(&quote(name));
                out.push_str(": ");
                json_into(out, value, level + 1);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            indent(out, level);
            out.push('}');
        }
    }
}

/// The words YAML 1.1 (which CloudFormation's parser follows) reads as booleans or null when
/// they stand unquoted.
const YAML_WORDS: [&str; 11] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""];

/// `text` as a YAML scalar: plain when it is a safe word (a letter or `_` first, then letters,
/// digits, `_`, `-`, `.`, `:` but not last; not a YAML 1.1 boolean or null), double-quoted otherwise — so a
/// name such as `yes`, `2024-01-01`, `on`, `a: b` or `#tag` stays a string.
pub fn yaml_scalar(text: &str) -> String {
    let mut chars = text.chars();
    // `:` may stand inside (`AWS::DynamoDB::Table`): with no space in the text it can never
    // be read as `key: value`; at the end it could.
    let plain = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
        && !text.ends_with(':')
        && !YAML_WORDS.iter().any(|w| w.eq_ignore_ascii_case(text));
    if plain {
        text.to_owned()
    } else {
        quote(text)
    }
}

/// Block-style YAML, two spaces per level.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(members) if !members.is_empty() => yaml_members(&mut out, members, 0),
        Node::List(items) if !items.is_empty() => yaml_items(&mut out, items, 0),
        other => {
            yaml_inline(&mut out, other);
            out.push('\n');
        }
    }
    out
}

/// A value that fits after `key: ` on one line.
fn yaml_inline(out: &mut String, node: &Node) {
    match node {
        Node::Text(t) => out.push_str(&yaml_scalar(t)),
        Node::Number(n) => out.push_str(&n.to_string()),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Raw(raw) => out.push_str(raw),
        Node::List(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
    }
}

fn is_block(node: &Node) -> bool {
    matches!(node, Node::List(items) if !items.is_empty()) || matches!(node, Node::Map(m) if !m.is_empty())
}

fn yaml_members(out: &mut String, members: &[(String, Node)], level: usize) {
    for (name, value) in members {
        indent(out, level);
        out.push_str(&yaml_scalar(name));
        out.push(':');
        match value {
            Node::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_members(out, inner, level + 1);
            }
            Node::List(items) if !items.is_empty() => {
                out.push('\n');
                yaml_items(out, items, level + 1);
            }
            other => {
                out.push(' ');
                yaml_inline(out, other);
                out.push('\n');
            }
        }
    }
}

fn yaml_items(out: &mut String, items: &[Node], level: usize) {
    for item in items {
        indent(out, level);
        out.push_str("- ");
        match item {
            // A map's first member follows the dash; the rest line up under it.
            Node::Map(members) if !members.is_empty() => {
                let mut first = String::new();
                yaml_members(&mut first, &members[..1], level + 1);
                out.push_str(first.trim_start());
                yaml_members(out, &members[1..], level + 1);
            }
            Node::List(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_items(out, inner, level + 1);
            }
            other if !is_block(other) => {
                yaml_inline(out, other);
                out.push('\n');
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Node {
        MapBuilder::default()
            .add("Name", Node::text("yes"))
            .add("Count", Node::Number(5))
            .add("On", Node::Bool(true))
            .add(
                "Items",
                Node::List(vec![
                    MapBuilder::default()
                        .add("Key", Node::text("a: b"))
                        .add("Value", Node::text("x"))
                        .build(),
                    Node::text("plain"),
                ]),
            )
            .add("Empty", Node::List(vec![]))
            .build()
    }

    #[test]
    fn json_is_what_serde_reads_back_in_order() {
        let text = to_json(&sample());
        let value: serde_json::Value = serde_json::from_slice(text.as_bytes()).unwrap();
        assert_eq!(value["Name"], "yes");
        assert_eq!(value["Items"][0]["Key"], "a: b");
        assert_eq!(value["Empty"], serde_json::json!([]));
        assert!(text.find("\"Name\"").unwrap() < text.find("\"Count\"").unwrap(), "order kept: {text}");
    }

    #[test]
    fn yaml_quotes_what_yaml_would_misread() {
        for word in [
            "yes",
            "No",
            "ON",
            "off",
            "true",
            "Null",
            "~",
            "",
            "2010-09-09",
            "123",
            "1e3",
            "a: b",
            "a:",
            "#x",
            "-x",
            " x",
            "x ",
        ] {
            assert!(yaml_scalar(word).starts_with('"'), "{word:?} must be quoted");
        }
        for word in
            ["Music", "Artist_Name", "a.b-c", "NEW_AND_OLD_IMAGES", "yesterday", "AWS::DynamoDB::Table"]
        {
            assert_eq!(yaml_scalar(word), word);
        }
        assert_eq!(
            to_yaml(&sample()),
            "Name: \"yes\"\nCount: 5\n\"On\": true\nItems:\n  - Key: \"a: b\"\n    Value: x\n  - plain\nEmpty: []\n"
        );
    }

    #[test]
    fn quoting_escapes_what_every_language_reads_as_a_break() {
        assert_eq!(quote("a\"b\\c\nd\u{2028}e\u{1}"), "\"a\\\"b\\\\c\\nd\\u2028e\\u0001\"");
        let value: serde_json::Value = serde_json::from_slice(quote("x\u{feff}\u{85}é").as_bytes()).unwrap();
        assert_eq!(value, "x\u{feff}\u{85}é");
    }
}
