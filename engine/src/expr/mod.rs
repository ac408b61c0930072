//! DynamoDB's expression language: ConditionExpression, FilterExpression,
//! KeyConditionExpression, UpdateExpression and ProjectionExpression.
//!
//! The phases are kept apart (as moto and typst do): [`lexer`] turns text into tokens,
//! [`parser`] builds a syntax tree ([`ast`]) by recursive descent with a depth limit, [`check`]
//! validates it in DynamoDB's order and resolves the `#name` / `:value` placeholders
//! ([`attributes`]), and the resolved forms evaluate: [`condition`], [`update`],
//! [`projection`], [`key_condition`]. Every error is DynamoDB's own text; nothing here panics
//! on any input.
//!
//! Typical use, once per request:
//! ```text
//! let mut attrs = ExpressionAttributes::from_request(&request)?;
//! let update = parse_update(text, &mut attrs)?;
//! let cond = parse_condition(cond_text, ConditionKind::Condition, &mut attrs)?;
//! attrs.check_all_used()?;
//! ```

mod ast;
mod attributes;
mod check;
mod check_update;
mod condition;
mod key_condition;
pub(crate) mod legacy;
mod lexer;
mod parser;
mod path;
mod projection;
mod reserved;
mod update;
mod update_charge;

#[cfg(test)]
mod tests;

pub(crate) use ast::CompareOp;
pub(crate) use attributes::ExpressionAttributes;
pub(crate) use condition::Condition;
pub(crate) use condition::Value as Operand;
pub(crate) use key_condition::{KeyCondition, KeyConditionExpr, KeyOp, SortKeyCondition};
pub(crate) use path::DocPath;
pub(crate) use projection::Projection;
pub(crate) use update::UpdateExpression;

use crate::error::{ApiError, ApiResult, Cause};
use crate::types::KeySchema;

/// Longest expression DynamoDB accepts, in bytes.
pub(crate) const MAX_EXPRESSION_BYTES: usize = 4096;

/// Which request member a condition came from (it names the member in its errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConditionKind {
    /// `ConditionExpression` (PutItem, UpdateItem, DeleteItem, transactions).
    Condition,
    /// `FilterExpression` (Query, Scan).
    Filter,
}

/// The member names, as the error prefixes spell them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Member {
    Condition,
    Filter,
    KeyCondition,
    Update,
    Projection,
    /// SearchVectors' `SearchConditionExpression`.
    SearchCondition,
}

impl Member {
    fn name(self) -> &'static str {
        match self {
            Self::Condition => "ConditionExpression",
            Self::Filter => "FilterExpression",
            Self::KeyCondition => "KeyConditionExpression",
            Self::Update => "UpdateExpression",
            Self::Projection => "ProjectionExpression",
            Self::SearchCondition => "SearchConditionExpression",
        }
    }

    fn error(self, message: &str) -> ApiError {
        ApiError::validation(format!("Invalid {}: {message}", self.name()))
    }

    /// The checks made before parsing: not empty, not too long.
    fn precheck(self, text: &str) -> ApiResult<()> {
        if text.is_empty() {
            let e = self.error("The expression can not be empty;");
            // An empty condition is one of the checks DynamoDB's current layer envelopes.
            return Err(if self == Self::Condition { e.because(Cause::RequestCheck) } else { e });
        }
        if text.len() > MAX_EXPRESSION_BYTES {
            // Only conditions and filters report the size (as DynamoDB does).
            let size = match self {
                Self::Condition | Self::Filter | Self::SearchCondition => {
                    format!(" expression size: {}", text.len())
                }
                _ => String::new(),
            };
            return Err(self.error(&format!("Expression size has exceeded the maximum allowed size;{size}")));
        }
        Ok(())
    }
}

fn parse_any_condition(text: &str, member: Member, attrs: &mut ExpressionAttributes) -> ApiResult<Condition> {
    member.precheck(text)?;
    let ast = parser::parse_condition(text).map_err(|m| member.error(&m))?;
    check::check_condition(&ast, attrs).map_err(|m| {
        let e = member.error(&m);
        // So is a condition's value that the request never defined.
        let undefined = m.starts_with("An expression attribute value used in expression is not defined");
        if member == Member::Condition && undefined {
            e.because(Cause::RequestCheck)
        } else {
            e
        }
    })
}

/// Parses and checks a ConditionExpression or FilterExpression.
pub(crate) fn parse_condition(
    text: &str,
    kind: ConditionKind,
    attrs: &mut ExpressionAttributes,
) -> ApiResult<Condition> {
    let member = match kind {
        ConditionKind::Condition => Member::Condition,
        ConditionKind::Filter => Member::Filter,
    };
    parse_any_condition(text, member, attrs)
}

/// Parses and checks SearchVectors' SearchConditionExpression as a condition; the rules of a
/// search condition (equality on the search schema's attributes) are the vector index's
/// (`vector::search`).
pub(crate) fn parse_search_condition(text: &str, attrs: &mut ExpressionAttributes) -> ApiResult<Condition> {
    parse_any_condition(text, Member::SearchCondition, attrs)
}

/// Parses and checks an UpdateExpression.
pub(crate) fn parse_update(text: &str, attrs: &mut ExpressionAttributes) -> ApiResult<UpdateExpression> {
    let member = Member::Update;
    member.precheck(text)?;
    let ast = parser::parse_update(text).map_err(|m| member.error(&m))?;
    check_update::check_update(&ast, attrs).map_err(|m| member.error(&m))
}

/// Parses and checks a ProjectionExpression.
pub(crate) fn parse_projection(text: &str, attrs: &mut ExpressionAttributes) -> ApiResult<Projection> {
    let member = Member::Projection;
    member.precheck(text)?;
    let ast = parser::parse_projection(text).map_err(|m| member.error(&m))?;
    check::check_projection(&ast.0, attrs).map_err(|m| member.error(&m))
}

/// Parses and checks a KeyConditionExpression without a key schema: the condition rules and
/// the key-condition shape rules (`Invalid operator used in KeyConditionExpression: OR`, …).
/// Call [`KeyConditionExpr::resolve`] with the (table's or index's) key schema afterwards.
pub(crate) fn parse_key_condition(
    text: &str,
    attrs: &mut ExpressionAttributes,
) -> ApiResult<KeyConditionExpr> {
    let cond = parse_any_condition(text, Member::KeyCondition, attrs)?;
    key_condition::key_shape(&cond).map_err(ApiError::validation)
}

/// DynamoDB's refusal of an expression that looks inside a key attribute (`pk.a`, `sk[0]`):
/// `Key attributes must be scalars; list random access '[]' and map lookup '.' are not
/// allowed: Key: pk` (`which` is `Key` for the table's keys, `IndexKey` for an index's).
#[allow(dead_code)] // Wired by ops (GetItem/Query/Scan/UpdateItem key-path checks).
pub(crate) fn check_scalar_key_paths<'a>(
    paths: impl IntoIterator<Item = &'a DocPath>,
    key_names: &[&str],
    which: &str,
) -> ApiResult<()> {
    for path in paths {
        if path.is_nested() && key_names.contains(&path.head()) {
            return Err(ApiError::validation(format!(
                "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: {which}: {}",
                path.head()
            )));
        }
    }
    Ok(())
}

impl Condition {
    /// A Query's FilterExpression may not name the key attributes of the schema queried:
    /// `Filter Expression can only contain non-primary key attributes: Primary key attribute:
    /// pk` (`what` is `Filter Expression`).
    pub fn check_no_key_attributes(&self, schema: &KeySchema, what: &str) -> ApiResult<()> {
        let paths = self.paths();
        for key in schema.names() {
            if paths.iter().any(|p| p.head() == key) {
                return Err(ApiError::validation(format!(
                    "{what} can only contain non-primary key attributes: Primary key attribute: {key}"
                )));
            }
        }
        Ok(())
    }
}
