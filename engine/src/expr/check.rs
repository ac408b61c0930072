//! Phase 3: checking a syntax tree and resolving its placeholders, in DynamoDB's order, which
//! decides which message a request with several problems gets:
//!
//! 1. in the order written: list index ranges, reserved words, function names, where each
//!    function may be used, and (outside updates) function arity; for updates, section by
//!    section, then each section's repetition;
//! 2. updates only: `#names` in the written paths, then overlapping / conflicting paths;
//! 3. placeholders, nesting depth, operand types and the other per-operator rules (for updates
//!    action by action from the last to the first, `#names` before everything else).
//!
//! Messages here lack the "Invalid …Expression: " prefix; the caller adds it. The update
//! rules live in [`super::check_update`].

use super::ast::{Call, CompareOp, CondExpr, Operand, Path, PathElem};
use super::attributes::ExpressionAttributes;
use super::condition::{scalar_order, Condition, Value};
use super::path::{DocPath, PathStep, MAX_PATH_DEPTH};
use super::projection::Projection;
use super::reserved::is_reserved;
use crate::types::AttributeValue;

/// Result of a check; the error is a message without the expression prefix.
pub(crate) type CheckResult<T> = Result<T, String>;

/// Most operands an IN may list.
const MAX_IN_OPERANDS: usize = 100;
/// Largest list index DynamoDB accepts (a Java int).
const MAX_LIST_INDEX: u64 = 2_147_483_647;

const CONDITION_FUNCTIONS: [(&str, usize); 5] = [
    ("attribute_exists", 1),
    ("attribute_not_exists", 1),
    ("attribute_type", 2),
    ("begins_with", 2),
    ("contains", 2),
];
const UPDATE_FUNCTIONS: [(&str, usize); 2] = [("if_not_exists", 2), ("list_append", 2)];
/// The type names `attribute_type` accepts, and DynamoDB's listing of them.
const TYPE_NAMES: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];
const TYPE_NAMES_SHOWN: &str = "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}";
/// What DynamoDB names as the expected type when attribute_type's second operand is no value.
const ANY_TYPE_SHOWN: &str =
    "{SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}";

pub(super) fn arity(name: &str) -> Option<usize> {
    CONDITION_FUNCTIONS
        .iter()
        .chain(&UPDATE_FUNCTIONS)
        .chain(&[("size", 1)])
        .find(|(n, _)| *n == name)
        .map(|(_, a)| *a)
}

fn is_condition_function(name: &str) -> bool {
    CONDITION_FUNCTIONS.iter().any(|(n, _)| *n == name)
}

fn is_update_function(name: &str) -> bool {
    UPDATE_FUNCTIONS.iter().any(|(n, _)| *n == name)
}

pub(super) fn operand_type_error(op: &str, ty: &str) -> String {
    format!("Incorrect operand type for operator or function; operator or function: {op}, operand type: {ty}")
}

pub(super) fn arity_error(call: &Call) -> String {
    format!(
        "Incorrect number of operands for operator or function; operator or function: {}, number of operands: {}",
        call.name,
        call.args.len()
    )
}

// ---- pass 1: what the text alone shows ----

/// Where an expression is: a condition is expected, or an operand inside one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Condition,
    Operand,
}

pub(super) fn pass1_path(path: &Path) -> CheckResult<()> {
    for elem in &path.0 {
        match elem {
            PathElem::Index(digits)
                if digits.len() > 10 || digits.parse::<u64>().map_or(true, |n| n > MAX_LIST_INDEX) =>
            {
                return Err(format!("List index is not within the allowable range; index: [{digits}]"));
            }
            PathElem::Name(name) if is_reserved(name) => {
                return Err(format!("Attribute name is a reserved keyword; reserved keyword: {name}"));
            }
            _ => {}
        }
    }
    Ok(())
}

pub(super) fn pass1_operand(operand: &Operand, place: Place, update: bool) -> CheckResult<()> {
    match operand {
        Operand::Path(p) => pass1_path(p),
        Operand::Value(_) => Ok(()),
        Operand::Call(call) => pass1_call(call, place, update),
    }
}

fn pass1_call(call: &Call, place: Place, update: bool) -> CheckResult<()> {
    let name = call.name.as_str();
    let Some(operands) = arity(name) else {
        return Err(format!("Invalid function name; function: {name}"));
    };
    if update {
        if !is_update_function(name) {
            return Err(format!("The function is not allowed in an update expression; function: {name}"));
        }
    } else {
        if is_update_function(name) {
            return Err(format!("The function is not allowed in a condition expression; function: {name}"));
        }
        if (place == Place::Condition) != is_condition_function(name) {
            return Err(format!(
                "The function is not allowed to be used this way in an expression; function: {name}"
            ));
        }
        // An update's functions are counted later, with its placeholders.
        if call.args.len() != operands {
            return Err(arity_error(call));
        }
    }
    call.args.iter().try_for_each(|a| pass1_operand(a, Place::Operand, update))
}

fn pass1_condition(cond: &CondExpr) -> CheckResult<()> {
    match cond {
        CondExpr::Or(operands) | CondExpr::And(operands) => operands.iter().try_for_each(pass1_condition),
        CondExpr::Not(a) => pass1_condition(a),
        CondExpr::Compare { left, right, .. } => {
            pass1_operand(left, Place::Operand, false)?;
            pass1_operand(right, Place::Operand, false)
        }
        CondExpr::Between { operand, low, high } => {
            [operand, low, high].into_iter().try_for_each(|o| pass1_operand(o, Place::Operand, false))
        }
        CondExpr::In { operand, list } => {
            std::iter::once(operand).chain(list).try_for_each(|o| pass1_operand(o, Place::Operand, false))
        }
        CondExpr::Function(call) => pass1_call(call, Place::Condition, false),
    }
}

// ---- pass 2: placeholders and operand rules ----

/// Resolves placeholders against a request's attributes, marking the ones used.
pub(crate) struct Resolver<'a> {
    attrs: &'a mut ExpressionAttributes,
}

fn undefined_name(key: &str) -> String {
    format!("An expression attribute name used in the document path is not defined; attribute name: {key}")
}

fn index_of(digits: &str) -> CheckResult<usize> {
    digits
        .parse::<usize>()
        .map_err(|_| format!("List index is not within the allowable range; index: [{digits}]"))
}

/// A path with its names looked up but not marked used (for the overlap checks).
pub(super) fn peek_path(path: &Path, attrs: &ExpressionAttributes) -> CheckResult<DocPath> {
    let mut steps = Vec::with_capacity(path.0.len());
    for elem in &path.0 {
        steps.push(match elem {
            PathElem::Name(n) => PathStep::Key(n.clone()),
            PathElem::Placeholder(k) => {
                PathStep::Key(attrs.peek_name(k).ok_or_else(|| undefined_name(k))?.to_owned())
            }
            PathElem::Index(d) => PathStep::Index(index_of(d)?),
        });
    }
    Ok(DocPath(steps))
}

/// The first `#name` of the path that is not defined.
pub(super) fn check_names_defined(path: &Path, attrs: &ExpressionAttributes) -> CheckResult<()> {
    for elem in &path.0 {
        if let PathElem::Placeholder(k) = elem {
            if !attrs.has_name(k) {
                return Err(undefined_name(k));
            }
        }
    }
    Ok(())
}

/// The static type of an operand: a value's own type, N for `size()`, unknown for a path.
fn static_type(v: &Value) -> Option<&'static str> {
    match v {
        Value::Literal(a) => Some(a.type_name()),
        Value::Size(_) => Some("N"),
        Value::Path(_) => None,
    }
}

fn bound_text(v: &AttributeValue) -> String {
    match v {
        AttributeValue::S(s) => format!("AttributeValue: {{S:{s}}}"),
        AttributeValue::N(n) => format!("AttributeValue: {{N:{n}}}"),
        AttributeValue::B(b) => {
            format!("AttributeValue: {{B:java.nio.HeapByteBuffer[pos=0 lim={0} cap={0}]}}", b.len())
        }
        other => format!("AttributeValue: {{{}:…}}", other.type_name()),
    }
}

fn check_distinct(op: &str, first: Option<&DocPath>, rest: &[Option<&DocPath>]) -> CheckResult<()> {
    let Some(first) = first else { return Ok(()) };
    if rest.contains(&Some(first)) {
        return Err(format!(
            "The first operand must be distinct from the remaining operands for this operator or function; operator: {op}, first operand: {first}"
        ));
    }
    Ok(())
}

fn as_path(v: &Value) -> Option<&DocPath> {
    match v {
        Value::Path(p) => Some(p),
        _ => None,
    }
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(attrs: &'a mut ExpressionAttributes) -> Self {
        Resolver { attrs }
    }

    pub(super) fn path(&mut self, path: &Path) -> CheckResult<DocPath> {
        let mut steps = Vec::with_capacity(path.0.len());
        for elem in &path.0 {
            steps.push(match elem {
                PathElem::Name(n) => PathStep::Key(n.clone()),
                PathElem::Placeholder(k) => {
                    PathStep::Key(self.attrs.use_name(k).ok_or_else(|| undefined_name(k))?)
                }
                PathElem::Index(d) => PathStep::Index(index_of(d)?),
            });
        }
        if steps.len() > MAX_PATH_DEPTH {
            return Err(format!(
                "The document path has too many nesting levels; nesting levels: {}",
                steps.len()
            ));
        }
        Ok(DocPath(steps))
    }

    pub(super) fn value(&mut self, key: &str) -> CheckResult<AttributeValue> {
        self.attrs.use_value(key).ok_or_else(|| {
            format!("An expression attribute value used in expression is not defined; attribute value: {key}")
        })
    }

    /// A condition operand: a path, a value or `size(…)` (pass 1 let no other function by).
    fn operand(&mut self, operand: &Operand) -> CheckResult<Value> {
        match operand {
            Operand::Path(p) => self.path(p).map(Value::Path),
            Operand::Value(k) => self.value(k).map(Value::Literal),
            Operand::Call(call) => {
                let mut args = self.operands(&call.args)?;
                let arg = args.pop().filter(|_| args.is_empty()).ok_or_else(|| arity_error(call))?;
                if let Some(t) = static_type(&arg) {
                    if !matches!(t, "S" | "B" | "SS" | "NS" | "BS" | "L" | "M") {
                        return Err(operand_type_error("size", t));
                    }
                }
                Ok(Value::Size(Box::new(arg)))
            }
        }
    }

    fn operands(&mut self, operands: &[Operand]) -> CheckResult<Vec<Value>> {
        operands.iter().map(|o| self.operand(o)).collect()
    }

    fn condition(&mut self, cond: &CondExpr) -> CheckResult<Condition> {
        Ok(match cond {
            CondExpr::Or(operands) => {
                Condition::Or(operands.iter().map(|c| self.condition(c)).collect::<Result<_, _>>()?)
            }
            CondExpr::And(operands) => {
                Condition::And(operands.iter().map(|c| self.condition(c)).collect::<Result<_, _>>()?)
            }
            CondExpr::Not(a) => Condition::Not(Box::new(self.condition(a)?)),
            CondExpr::Compare { op, left, right } => {
                let (left, right) = (self.operand(left)?, self.operand(right)?);
                check_distinct(op.symbol(), as_path(&left), &[as_path(&right)])?;
                if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
                    for v in [&left, &right] {
                        if let Some(t) = static_type(v).filter(|t| !matches!(*t, "S" | "N" | "B")) {
                            return Err(operand_type_error(op.symbol(), t));
                        }
                    }
                }
                Condition::Compare { op: *op, left, right }
            }
            CondExpr::Between { operand, low, high } => {
                let (operand, low, high) = (self.operand(operand)?, self.operand(low)?, self.operand(high)?);
                check_distinct("BETWEEN", as_path(&operand), &[as_path(&low), as_path(&high)])?;
                for v in [&operand, &low, &high] {
                    if let Some(t) = static_type(v).filter(|t| !matches!(*t, "S" | "N" | "B")) {
                        return Err(operand_type_error("BETWEEN", t));
                    }
                }
                if let (Value::Literal(lo), Value::Literal(hi)) = (&low, &high) {
                    if lo.type_name() != hi.type_name() {
                        return Err(format!(
                            "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: {}, upper bound operand: {}",
                            bound_text(lo),
                            bound_text(hi)
                        ));
                    }
                    if scalar_order(lo, hi).is_some_and(|o| o.is_gt()) {
                        return Err(format!(
                            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: {}, upper bound operand: {}",
                            bound_text(lo),
                            bound_text(hi)
                        ));
                    }
                }
                Condition::Between { operand, low, high }
            }
            CondExpr::In { operand, list } => {
                let operand = self.operand(operand)?;
                let list = self.operands(list)?;
                if list.len() > MAX_IN_OPERANDS {
                    return Err(format!(
                        "The IN operator is provided with too many operands; number of operands: {}",
                        list.len()
                    ));
                }
                let rest: Vec<Option<&DocPath>> = list.iter().map(as_path).collect();
                check_distinct("IN", as_path(&operand), &rest)?;
                Condition::In { operand, list }
            }
            CondExpr::Function(call) => self.function(call)?,
        })
    }

    fn function(&mut self, call: &Call) -> CheckResult<Condition> {
        let name = call.name.as_str();
        let args = self.operands(&call.args)?;
        let needs_path = matches!(name, "attribute_exists" | "attribute_not_exists" | "attribute_type");
        let first_path = args.first().and_then(as_path).cloned();
        if needs_path && first_path.is_none() {
            return Err(format!(
                "Operator or function requires a document path; operator or function: {name}"
            ));
        }
        let rest: Vec<Option<&DocPath>> = args.iter().skip(1).map(as_path).collect();
        check_distinct(name, args.first().and_then(as_path), &rest)?;
        let mut args = args.into_iter();
        let (Some(first), second) = (args.next(), args.next()) else { return Err(arity_error(call)) };
        match (name, first_path, second) {
            ("attribute_exists", Some(p), None) => Ok(Condition::AttributeExists(p)),
            ("attribute_not_exists", Some(p), None) => Ok(Condition::AttributeNotExists(p)),
            ("attribute_type", Some(p), Some(second)) => {
                let ty = match &second {
                    Value::Literal(AttributeValue::S(s)) => s.clone(),
                    Value::Literal(other) => return Err(operand_type_error(name, other.type_name())),
                    Value::Size(_) => return Err(operand_type_error(name, "N")),
                    Value::Path(_) => return Err(operand_type_error(name, ANY_TYPE_SHOWN)),
                };
                if !TYPE_NAMES.contains(&ty.as_str()) {
                    return Err(format!(
                        "Invalid attribute type name found; type: {ty}, valid types: {TYPE_NAMES_SHOWN}"
                    ));
                }
                Ok(Condition::AttributeType(p, ty))
            }
            ("begins_with", _, Some(second)) => {
                for v in [&first, &second] {
                    if let Some(t) = static_type(v).filter(|t| !matches!(*t, "S" | "B")) {
                        return Err(operand_type_error(name, t));
                    }
                }
                Ok(Condition::BeginsWith(first, second))
            }
            ("contains", _, Some(second)) => Ok(Condition::Contains(first, second)),
            _ => Err(arity_error(call)),
        }
    }
}

/// Checks and resolves a condition expression.
pub(crate) fn check_condition(ast: &CondExpr, attrs: &mut ExpressionAttributes) -> CheckResult<Condition> {
    pass1_condition(ast)?;
    Resolver::new(attrs).condition(ast)
}

/// Checks and resolves a projection expression.
pub(crate) fn check_projection(paths: &[Path], attrs: &mut ExpressionAttributes) -> CheckResult<Projection> {
    paths.iter().try_for_each(pass1_path)?;
    let mut resolver = Resolver::new(attrs);
    let resolved = paths.iter().map(|p| resolver.path(p)).collect::<CheckResult<Vec<_>>>()?;
    check_overlaps(&resolved)?;
    Ok(Projection { paths: resolved })
}

/// DynamoDB's refusal of two paths where one is the other or inside it (overlap), or where one
/// reads an attribute as a map and the other as a list (conflict). An overlap anywhere is
/// reported before a conflict.
pub(crate) fn check_overlaps(paths: &[DocPath]) -> CheckResult<()> {
    let mut conflict = None;
    for (j, later) in paths.iter().enumerate() {
        for earlier in &paths[..j] {
            let mut clash = Clash::Overlap;
            for (a, b) in earlier.0.iter().zip(&later.0) {
                match (a, b) {
                    (PathStep::Key(x), PathStep::Key(y)) if x == y => continue,
                    (PathStep::Index(x), PathStep::Index(y)) if x == y => continue,
                    (PathStep::Key(_), PathStep::Key(_)) | (PathStep::Index(_), PathStep::Index(_)) => {
                        clash = Clash::None;
                    }
                    _ => clash = Clash::Conflict,
                }
                break;
            }
            match clash {
                Clash::Overlap => {
                    return Err(format!(
                        "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {earlier}, path two: {later}"
                    ))
                }
                Clash::Conflict if conflict.is_none() => conflict = Some((earlier, later)),
                _ => {}
            }
        }
    }
    match conflict {
        Some((one, two)) => Err(format!(
            "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {one}, path two: {two}"
        )),
        None => Ok(()),
    }
}

enum Clash {
    None,
    Overlap,
    Conflict,
}
