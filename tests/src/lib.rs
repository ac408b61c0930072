//! Shared helpers for the test suites under `tests/`.
