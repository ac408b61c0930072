//! Phase 4 for projections: a checked ProjectionExpression and projecting items with it.
//!
//! DynamoDB keeps each projected path at its place in the item's structure; elements picked
//! from a list come back as a shorter list in their original order (`a[1], a[3]` gives `a` with
//! two elements). Paths that lead nowhere are left out.

use std::collections::BTreeMap;

use super::path::{DocPath, PathStep};
use crate::types::{map_from, AttributeValue, Item};

/// A checked ProjectionExpression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Projection {
    pub(crate) paths: Vec<DocPath>,
}

impl Projection {
    /// The projected parts of `item`.
    pub fn apply(&self, item: &Item) -> Item {
        project(&self.paths, item)
    }

    /// The projected paths, in the order written.
    #[allow(dead_code)] // For ops' `check_scalar_key_paths`.
    pub fn paths(&self) -> &[DocPath] {
        &self.paths
    }
}

/// A partial copy being built: lists are kept by index until the end, then compacted.
enum Node {
    Leaf(AttributeValue),
    Map(BTreeMap<String, Node>),
    List(BTreeMap<usize, Node>),
}

impl Node {
    fn into_value(self) -> AttributeValue {
        match self {
            Self::Leaf(v) => v,
            Self::Map(m) => AttributeValue::M(map_from(m.into_iter().map(|(k, n)| (k, n.into_value())))),
            Self::List(l) => AttributeValue::L(l.into_values().map(Node::into_value).collect()),
        }
    }

    /// The child at `step`, created (as a map or list, by the step's kind) if needed.
    fn child(&mut self, step: &PathStep, next: &PathStep) -> Option<&mut Node> {
        let fresh = || match next {
            PathStep::Key(_) => Node::Map(BTreeMap::new()),
            PathStep::Index(_) => Node::List(BTreeMap::new()),
        };
        match (self, step) {
            (Node::Map(m), PathStep::Key(k)) => Some(m.entry(k.clone()).or_insert_with(fresh)),
            (Node::List(l), PathStep::Index(i)) => Some(l.entry(*i).or_insert_with(fresh)),
            _ => None,
        }
    }

    fn set(&mut self, step: &PathStep, value: AttributeValue) {
        match (self, step) {
            (Node::Map(m), PathStep::Key(k)) => {
                m.insert(k.clone(), Node::Leaf(value));
            }
            (Node::List(l), PathStep::Index(i)) => {
                l.insert(*i, Node::Leaf(value));
            }
            _ => {}
        }
    }
}

/// Puts `value` at `steps` below `node`, creating maps and lists on the way.
fn insert(node: &mut Node, steps: &[PathStep], value: AttributeValue) {
    match steps {
        [] => {}
        [last] => node.set(last, value),
        [step, next, ..] => {
            if let Some(child) = node.child(step, next) {
                insert(child, &steps[1..], value);
            }
        }
    }
}

/// The parts of `item` at `paths`.
pub(crate) fn project(paths: &[DocPath], item: &Item) -> Item {
    let mut root = Node::Map(BTreeMap::new());
    for path in paths {
        if let Some(value) = path.get(item) {
            insert(&mut root, &path.0, value.clone());
        }
    }
    match root.into_value() {
        AttributeValue::M(m) => m,
        _ => Item::new(),
    }
}
