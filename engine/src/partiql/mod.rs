//! PartiQL for DynamoDB: the statements ExecuteStatement, BatchExecuteStatement and
//! ExecuteTransaction run.
//!
//! The phases are kept apart, as in [`crate::expr`]: [`lexer`] turns text into tokens,
//! [`parser`] builds a [`Statement`] by recursive descent (depth-limited, never panics),
//! [`values`] turns literals and `?` parameters into AttributeValues, and [`translate`] turns
//! a statement into the engine's own Query / Scan / PutItem / UpdateItem / DeleteItem request,
//! so PartiQL shares every rule and error of the API it stands for.

mod ast;
mod lexer;
mod parser;
mod translate;
mod values;

#[cfg(test)]
mod tests;

pub(crate) use ast::{Path, Statement, Step};
pub(crate) use translate::{plan_exists, plan_select, plan_write, select_key, KeyNames, Plan, ReadOptions};

use serde_json::Value;

use crate::error::{ApiError, ApiResult};

/// Parses a statement and checks its `?` slots against the parameters given.
pub(crate) fn parse(text: &str, params: &[Value]) -> ApiResult<Statement> {
    let (statement, slots) = parser::parse_counting(text).map_err(ApiError::validation)?;
    if slots != params.len() {
        return Err(values::parameter_count_mismatch());
    }
    Ok(statement)
}

pub(crate) use values::check_parameters;

/// A statement as text reads, without its parameters: what IAM names its action and table by.
pub(crate) fn parse_statement(text: &str) -> Option<Statement> {
    parser::parse_counting(text).ok().map(|(statement, _)| statement)
}

/// An error of the expression language a planned request ran into, as PartiQL reports it:
/// without the `Invalid FilterExpression: ` (or Condition, KeyCondition, Update) prefix that
/// names a member the statement never had.
pub(crate) fn unprefixed(mut e: ApiError) -> ApiError {
    for member in ["Filter", "Condition", "KeyCondition", "Update", "Projection"] {
        if let Some(rest) = e.message.strip_prefix(&format!("Invalid {member}Expression: ")) {
            e.message = rest.to_owned();
            break;
        }
    }
    e
}
