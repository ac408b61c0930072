//! Shared helpers for the test suites under `tests/`.

pub mod golden;
