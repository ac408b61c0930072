//! The fuzz targets' harnesses (`fuzz_targets/*.rs` only call them), the state they start
//! from, and the input formats the seed generator (`examples/seeds.rs`) writes.
//!
//! Every target builds the same [`fixture`] engine — the golden fixtures' tables (`Users`,
//! `Events` with a stream, `Orders`) plus `Things`, a table with a global and a local index, a
//! stream, TTL and the expression corpus's items — so that fuzzed requests reach past "table
//! not found" into the engine's deep paths. Every answer then goes through [`check`]: a
//! response is a JSON object, an error is a well-formed DynamoDB error and never an
//! InternalServerError; a panic anywhere is a crash libFuzzer reports.
//!
//! Input formats are plain text where a seed is written from a golden case (so libFuzzer's
//! byte mutations and its dictionary work on readable requests), and [`arbitrary`]'s
//! structure where requests are built from the operation registry's schemas.

#![forbid(unsafe_code)]

pub mod check;
pub mod expressions;
pub mod fixture;
pub mod operations;
pub mod partiql;
pub mod shaped;
pub mod text;
pub mod workspace;
