//! The triggers room: Lambda-style triggers on a table's stream. `lambda` turns stream
//! records into Lambda events and reads the worker's answers, `event_source` is the event
//! source mapping (settings, positions, the polling written against a small `Runtime` trait),
//! `error_handling` what it does with a failing batch (retries, maximum record age, bisecting,
//! the on-failure invocation record), `view` what the trigger panel shows of a trigger (JSON
//! between the page and the module loaded on demand), all platform-free and unit-tested natively; `registry` (wasm32) keeps the attached
//! triggers running in the page with the host and a pool of sandboxed Web Workers
//! (`js/trigger.js`).

pub mod error_handling;
pub mod event_source;
pub mod lambda;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod registry;
