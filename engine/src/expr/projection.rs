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
    pub fn paths(&self) -> &[DocPath] {
        &self.paths
    }
}

/// A partial copy being built: lists are kept by index until the end, then compacted. Maps
/// and lists share one tree type keyed by the path step (each tree type compiles its own code
/// into the browser bundle).
enum Node {
    Leaf(AttributeValue),
    /// A map (children under `PathStep::Key`) or, when `list`, a list (under `PathStep::Index`).
    Branch {
        list: bool,
        children: BTreeMap<PathStep, Node>,
    },
}

impl Node {
    fn branch(list: bool) -> Self {
        Node::Branch { list, children: BTreeMap::new() }
    }

    fn into_value(self) -> AttributeValue {
        match self {
            Self::Leaf(v) => v,
            Self::Branch { list: true, children } => {
                AttributeValue::L(children.into_values().map(Node::into_value).collect())
            }
            Self::Branch { list: false, children } => {
                AttributeValue::M(map_from(children.into_iter().filter_map(|(step, n)| match step {
                    PathStep::Key(k) => Some((k, n.into_value())),
                    PathStep::Index(_) => None,
                })))
            }
        }
    }

    /// The children, when `step` is the kind of step this node takes (a key for a map, an
    /// index for a list).
    fn children(&mut self, step: &PathStep) -> Option<&mut BTreeMap<PathStep, Node>> {
        match self {
            Node::Branch { list, children } if *list == matches!(step, PathStep::Index(_)) => Some(children),
            _ => None,
        }
    }

    /// The child at `step`, created (as a map or list, by the next step's kind) if needed.
    fn child(&mut self, step: &PathStep, next: &PathStep) -> Option<&mut Node> {
        let list = matches!(next, PathStep::Index(_));
        Some(self.children(step)?.entry(step.clone()).or_insert_with(|| Node::branch(list)))
    }

    fn set(&mut self, step: &PathStep, value: AttributeValue) {
        if let Some(children) = self.children(step) {
            children.insert(step.clone(), Node::Leaf(value));
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
    let mut root = Node::branch(false);
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
