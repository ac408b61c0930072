//! Tests across the phases.
