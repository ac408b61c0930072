//! Resolved document paths (`a.b[2].c` with placeholders replaced) and reading them in items.

use std::fmt;

use crate::types::{AttributeValue, Item};

/// Deepest document path DynamoDB accepts (steps, names and indexes together).
pub(crate) const MAX_PATH_DEPTH: usize = 32;

/// One step of a resolved path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PathStep {
    /// A map key (or, first, a top-level attribute name).
    Key(String),
    /// A list index.
    Index(usize),
}

/// A resolved document path; never empty, and its first step is always a `Key`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DocPath(pub Vec<PathStep>);

impl DocPath {
    /// The top-level attribute the path starts at.
    pub fn head(&self) -> &str {
        match self.0.first() {
            Some(PathStep::Key(k)) => k,
            _ => "",
        }
    }

    /// Whether the path goes below its top-level attribute.
    pub fn is_nested(&self) -> bool {
        self.0.len() > 1
    }

    /// The value at this path in `item`, if there is one.
    pub fn get<'a>(&self, item: &'a Item) -> Option<&'a AttributeValue> {
        let mut steps = self.0.iter();
        let mut current = match steps.next()? {
            PathStep::Key(k) => item.get(k)?,
            PathStep::Index(_) => return None,
        };
        for step in steps {
            current = match (step, current) {
                (PathStep::Key(k), AttributeValue::M(m)) => m.get(k)?,
                (PathStep::Index(i), AttributeValue::L(l)) => l.get(*i)?,
                _ => return None,
            };
        }
        Some(current)
    }
}

/// DynamoDB's way of writing a path in messages: `[a, b, [2]]`.
impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match step {
                PathStep::Key(k) => f.write_str(k)?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
            }
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::item_from_json;
    use serde_json::json;

    #[test]
    fn reads_nested_maps_and_lists() {
        let item = item_from_json(&json!({"a": {"M": {"b": {"L": [{"S": "x"}, {"M": {"c": {"N": "1"}}}]}}}}))
            .unwrap();
        let p = |steps: Vec<PathStep>| DocPath(steps);
        use PathStep::{Index, Key};
        assert_eq!(
            p(vec![Key("a".into()), Key("b".into()), Index(0)]).get(&item),
            Some(&AttributeValue::S("x".into()))
        );
        assert!(p(vec![Key("a".into()), Key("b".into()), Index(1), Key("c".into())]).get(&item).is_some());
        assert!(p(vec![Key("a".into()), Index(0)]).get(&item).is_none());
        assert!(p(vec![Key("a".into()), Key("b".into()), Index(9)]).get(&item).is_none());
        assert!(p(vec![Key("zz".into())]).get(&item).is_none());
        assert_eq!(p(vec![Key("a".into()), Index(3), Key("c".into())]).to_string(), "[a, [3], c]");
    }
}
