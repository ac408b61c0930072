//! Phase 4 for updates: a checked UpdateExpression and applying it to an item.
//!
//! As in DynamoDB, every SET value is computed from the item as it was before the update, then
//! the actions are applied; list indexes refer to the list as it was: elements named by REMOVE
//! are removed highest index first (later elements shift down once), and writes past the end
//! are appended afterwards in index order (`SET l[9] = :x` on a 3-element list appends). The
//! caller applies the update to a copy and keeps the original when `apply` fails.

use super::path::{DocPath, PathStep};
use super::projection::project;
use crate::error::{ApiError, ApiResult};
use crate::types::{AttributeValue, Item, KeySchema, Number, NumberError};

/// An operand of a SET value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum UpdateOperand {
    Path(DocPath),
    Literal(AttributeValue),
    IfNotExists(DocPath, Box<UpdateOperand>),
    ListAppend(Box<UpdateOperand>, Box<UpdateOperand>),
}

/// The right-hand side of a SET action.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SetExpr {
    Operand(UpdateOperand),
    Plus(UpdateOperand, UpdateOperand),
    Minus(UpdateOperand, UpdateOperand),
}

/// One action, resolved.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    Set(DocPath, SetExpr),
    Remove(DocPath),
    Add(DocPath, AttributeValue),
    Delete(DocPath, AttributeValue),
}

impl Action {
    /// The path the action writes.
    pub fn path(&self) -> &DocPath {
        match self {
            Self::Set(p, _) | Self::Remove(p) | Self::Add(p, _) | Self::Delete(p, _) => p,
        }
    }
}

/// A checked UpdateExpression: its actions in the order written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UpdateExpression {
    pub(crate) actions: Vec<Action>,
    /// Built from legacy `AttributeUpdates`: ADD also appends to a list, and a type clash is
    /// "Type mismatch for attribute to update".
    pub(crate) legacy: bool,
}

impl UpdateExpression {
    /// Whether the update only takes attributes away (REMOVE and DELETE). DynamoDB does not
    /// create a missing item for such an update, though an empty update does create one.
    pub fn only_removes(&self) -> bool {
        self.actions.iter().all(|a| matches!(a, Action::Remove(_) | Action::Delete(..)))
    }
}

fn missing_attribute() -> ApiError {
    ApiError::validation("The provided expression refers to an attribute that does not exist in the item")
}

fn wrong_type() -> ApiError {
    ApiError::validation("An operand in the update expression has an incorrect data type")
}

/// ADD or DELETE meeting an attribute of another type: the expression's text, or the legacy one.
fn mismatch(legacy: bool) -> ApiError {
    if legacy {
        ApiError::validation("Type mismatch for attribute to update")
    } else {
        wrong_type()
    }
}

fn invalid_path() -> ApiError {
    ApiError::validation("The document path provided in the update expression is invalid for update")
}

fn number_error(e: &NumberError) -> ApiError {
    ApiError::validation(e.message(""))
}

impl UpdateOperand {
    fn evaluate(&self, item: &Item) -> ApiResult<AttributeValue> {
        match self {
            Self::Path(p) => p.get(item).cloned().ok_or_else(missing_attribute),
            Self::Literal(v) => Ok(v.clone()),
            Self::IfNotExists(p, fallback) => match p.get(item) {
                Some(v) => Ok(v.clone()),
                None => fallback.evaluate(item),
            },
            Self::ListAppend(a, b) => {
                let AttributeValue::L(mut first) = a.evaluate(item)? else { return Err(wrong_type()) };
                let AttributeValue::L(second) = b.evaluate(item)? else { return Err(wrong_type()) };
                first.extend(second);
                Ok(AttributeValue::L(first))
            }
        }
    }
}

fn number(operand: &UpdateOperand, item: &Item) -> ApiResult<Number> {
    match operand.evaluate(item)? {
        AttributeValue::N(n) => Ok(n),
        _ => Err(wrong_type()),
    }
}

impl SetExpr {
    fn evaluate(&self, item: &Item) -> ApiResult<AttributeValue> {
        match self {
            Self::Operand(o) => o.evaluate(item),
            Self::Plus(a, b) => {
                let (x, y) = (number(a, item)?, number(b, item)?);
                x.checked_add(&y).map(AttributeValue::N).map_err(|e| number_error(&e))
            }
            Self::Minus(a, b) => {
                let (x, y) = (number(a, item)?, number(b, item)?);
                x.checked_sub(&y).map(AttributeValue::N).map_err(|e| number_error(&e))
            }
        }
    }
}

/// Where a path's last step lives: a map (or the item itself) or a list.
enum Parent<'a> {
    Map(&'a mut Item),
    List(&'a mut Vec<AttributeValue>),
}

/// The container of the path's last step, checked against that step's kind.
fn parent<'a>(item: &'a mut Item, path: &'a DocPath) -> ApiResult<(Parent<'a>, &'a PathStep)> {
    let Some((last, init)) = path.0.split_last() else { return Err(invalid_path()) };
    let mut container = Parent::Map(item);
    for step in init {
        let next = match (container, step) {
            (Parent::Map(m), PathStep::Key(k)) => m.get_mut(k),
            (Parent::List(l), PathStep::Index(i)) => l.get_mut(*i),
            _ => None,
        };
        container = match next {
            Some(AttributeValue::M(m)) => Parent::Map(m),
            Some(AttributeValue::L(l)) => Parent::List(l),
            _ => return Err(invalid_path()),
        };
    }
    match (&container, last) {
        (Parent::Map(_), PathStep::Key(_)) | (Parent::List(_), PathStep::Index(_)) => Ok((container, last)),
        _ => Err(invalid_path()),
    }
}

fn get_slot<'a>(parent: &'a mut Parent<'_>, step: &PathStep) -> Option<&'a mut AttributeValue> {
    match (parent, step) {
        (Parent::Map(m), PathStep::Key(k)) => m.get_mut(k),
        (Parent::List(l), PathStep::Index(i)) => l.get_mut(*i),
        _ => None,
    }
}

/// The index, when the step is a list index at or past the end of its list.
fn beyond_end(parent: &Parent<'_>, step: &PathStep) -> Option<usize> {
    match (parent, step) {
        (Parent::List(l), PathStep::Index(i)) if *i >= l.len() => Some(*i),
        _ => None,
    }
}

/// Stores `value` at the step: a map key is inserted or replaced, a list element replaced (or
/// appended, for callers that did not defer it).
fn put(parent: Parent<'_>, step: &PathStep, value: AttributeValue) {
    match (parent, step) {
        (Parent::Map(m), PathStep::Key(k)) => {
            m.insert(k.clone(), value);
        }
        (Parent::List(l), PathStep::Index(i)) => match l.get_mut(*i) {
            Some(slot) => *slot = value,
            None => l.push(value),
        },
        _ => {}
    }
}

fn remove(parent: Parent<'_>, step: &PathStep) {
    match (parent, step) {
        (Parent::Map(m), PathStep::Key(k)) => {
            m.remove(k);
        }
        (Parent::List(l), PathStep::Index(i)) if *i < l.len() => {
            l.remove(*i);
        }
        _ => {}
    }
}

/// ADD: numbers are summed, sets united (and, for legacy AttributeUpdates, lists appended); a
/// missing attribute starts from the operand.
fn add(
    existing: Option<&AttributeValue>,
    operand: &AttributeValue,
    legacy: bool,
) -> ApiResult<AttributeValue> {
    let Some(existing) = existing else { return Ok(operand.clone()) };
    match (existing, operand) {
        (AttributeValue::N(a), AttributeValue::N(b)) => {
            a.checked_add(b).map(AttributeValue::N).map_err(|e| number_error(&e))
        }
        (AttributeValue::Ss(a), AttributeValue::Ss(b)) => Ok(AttributeValue::Ss(union(a, b))),
        (AttributeValue::Ns(a), AttributeValue::Ns(b)) => Ok(AttributeValue::Ns(union(a, b))),
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => Ok(AttributeValue::Bs(union(a, b))),
        (AttributeValue::L(a), AttributeValue::L(b)) if legacy => {
            Ok(AttributeValue::L(a.iter().chain(b).cloned().collect()))
        }
        _ => Err(mismatch(legacy)),
    }
}

fn union<T: Clone + Ord>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out: Vec<T> = a.iter().chain(b).cloned().collect();
    crate::types::sort_dedup(&mut out);
    out
}

/// DELETE: the set minus the operand's members; `None` when nothing is left.
fn delete(
    existing: &AttributeValue,
    operand: &AttributeValue,
    legacy: bool,
) -> ApiResult<Option<AttributeValue>> {
    fn minus<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
        a.iter().filter(|x| !b.contains(x)).cloned().collect()
    }
    let left = match (existing, operand) {
        (AttributeValue::Ss(a), AttributeValue::Ss(b)) => AttributeValue::Ss(minus(a, b)),
        (AttributeValue::Ns(a), AttributeValue::Ns(b)) => AttributeValue::Ns(minus(a, b)),
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => AttributeValue::Bs(minus(a, b)),
        _ => return Err(mismatch(legacy)),
    };
    let empty = match &left {
        AttributeValue::Ss(v) => v.is_empty(),
        AttributeValue::Ns(v) => v.is_empty(),
        AttributeValue::Bs(v) => v.is_empty(),
        _ => false,
    };
    Ok((!empty).then_some(left))
}

impl UpdateExpression {
    /// Applies the update to `item` (the caller's copy). On error the copy may be half
    /// updated; the caller discards it.
    pub fn apply(&self, item: &mut Item) -> ApiResult<()> {
        // Every SET value is read from the item as it was before this update.
        let mut set_values = Vec::new();
        for action in &self.actions {
            if let Action::Set(_, value) = action {
                set_values.push(value.evaluate(item)?);
            }
        }
        let mut set_values = set_values.into_iter();
        let mut removals = Vec::new();
        // Writes past the end of a list; applied last, in index order, as DynamoDB does.
        let mut appends: Vec<(&DocPath, usize, AttributeValue)> = Vec::new();
        for action in &self.actions {
            match action {
                Action::Set(path, _) => {
                    let (parent, step) = parent(item, path)?;
                    let Some(value) = set_values.next() else { continue };
                    match beyond_end(&parent, step) {
                        Some(index) => appends.push((path, index, value)),
                        None => put(parent, step, value),
                    }
                }
                Action::Remove(path) => {
                    // Checked now, applied last so list indexes keep meaning the old list.
                    parent(item, path)?;
                    removals.push(path);
                }
                Action::Add(path, operand) => {
                    let (mut parent, step) = parent(item, path)?;
                    if let Some(index) = beyond_end(&parent, step) {
                        appends.push((path, index, operand.clone()));
                        continue;
                    }
                    let value = add(get_slot(&mut parent, step).map(|v| &*v), operand, self.legacy)?;
                    put(parent, step, value);
                }
                Action::Delete(path, operand) => {
                    let (mut parent, step) = parent(item, path)?;
                    let Some(existing) = get_slot(&mut parent, step) else { continue };
                    match delete(existing, operand, self.legacy)? {
                        Some(left) => *existing = left,
                        None => remove(parent, step),
                    }
                }
            }
        }
        // Highest paths first: a[3] goes before a[1], so a[1] still means the old a[1].
        crate::types::sort_by(&mut removals, |a, b| b.cmp(a));
        for path in removals {
            if let Ok((parent, step)) = parent(item, path) {
                remove(parent, step);
            }
        }
        crate::types::sort_by(&mut appends, |a, b| a.1.cmp(&b.1));
        for (path, _, value) in appends {
            if let Ok((Parent::List(list), _)) = parent(item, path) {
                list.push(value);
            }
        }
        Ok(())
    }

    /// DynamoDB's error when an action writes a key attribute (or inside one), partition key
    /// first. `schema` is the table's key schema.
    pub fn check_key_untouched(&self, schema: &KeySchema) -> ApiResult<()> {
        for key in schema.names() {
            if self.actions.iter().any(|a| a.path().head() == key) {
                return Err(ApiError::invalid_parameter(format!(
                    "Cannot update attribute {key}. This attribute is part of the key"
                )));
            }
        }
        Ok(())
    }

    /// Every path the update reads or writes, in the order written (for the key checks).
    #[allow(dead_code)] // For ops' `check_scalar_key_paths`; kept with the other accessors.
    pub fn paths(&self) -> Vec<&DocPath> {
        fn operand<'a>(o: &'a UpdateOperand, out: &mut Vec<&'a DocPath>) {
            match o {
                UpdateOperand::Path(p) => out.push(p),
                UpdateOperand::Literal(_) => {}
                UpdateOperand::IfNotExists(p, f) => {
                    out.push(p);
                    operand(f, out);
                }
                UpdateOperand::ListAppend(a, b) => {
                    operand(a, out);
                    operand(b, out);
                }
            }
        }
        let mut out = Vec::new();
        for action in &self.actions {
            out.push(action.path());
            if let Action::Set(_, value) = action {
                match value {
                    SetExpr::Operand(o) => operand(o, &mut out),
                    SetExpr::Plus(a, b) | SetExpr::Minus(a, b) => {
                        operand(a, &mut out);
                        operand(b, &mut out);
                    }
                }
            }
        }
        out
    }

    /// The parts of `item` the update wrote, as DynamoDB returns them for `UPDATED_OLD` (call
    /// with the old item) and `UPDATED_NEW` (with the new one).
    pub fn project_updated(&self, item: &Item) -> Item {
        let paths: Vec<DocPath> = self.actions.iter().map(|a| a.path().clone()).collect();
        project(&paths, item)
    }
}
