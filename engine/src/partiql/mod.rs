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
pub(crate) use translate::{
    missing_key_equality, plan_select, plan_write, select_key, KeyNames, Plan, ReadOptions,
};

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
