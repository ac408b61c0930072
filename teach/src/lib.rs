//! # dynaplay-teach
//!
//! What the playground needs to teach, on top of the engine and as platform-free as it: it
//! compiles into the browser bundle, so it stays small (no regex, no extra serde formats).
//!
//! - [`script`] runs a list of requests against an [`Engine`](dynaplay_engine::Engine) and
//!   keeps a log of each exchange: what a lab's setup and its "show me" do, and what a host
//!   records of a learner's own requests.
//! - [`dataset`] reads a sample dataset and loads it, retrying throttled batches.
//! - [`read`] reads the content files by hand, refusing unknown members (no serde derive in
//!   the bundle).
//!
//! The `authoring` feature (on by default; off in the browser, which gets files CI validated)
//! adds the checks that prove a file well made: known operations, pattern operators, a lab's
//! shape, wrong actions naming a predicate.
//!
//! ```
//! use dynaplay_engine::Engine;
//! use dynaplay_teach::script;
//! use serde_json::json;
//!
//! let steps = script::steps_from_json(&json!([
//!     {"op": "CreateTable", "request": {
//!         "TableName": "Music",
//!         "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
//!         "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
//!         "BillingMode": "PAY_PER_REQUEST"}},
//!     {"op": "GetItem", "request": {"TableName": "Nope", "Key": {"Artist": {"S": "A"}}}}
//! ]), "steps").unwrap();
//! let mut engine = Engine::new();
//! let log = script::run(&mut engine, &steps);
//! assert!(log[0].is_ok());
//! assert_eq!(log[1].error_name(), Some("ResourceNotFoundException"));
//! ```

// Without `authoring` (the browser's build) some readers skip checks and leave names unused.
#![cfg_attr(not(feature = "authoring"), allow(dead_code, unused_imports, unused_variables))]
// The bundle rules (clippy.toml) bind this crate's code, which ships in the browser; its
// tests never do.
#![cfg_attr(test, allow(clippy::disallowed_methods, clippy::disallowed_types))]

pub mod check;
pub mod dataset;
pub mod lab;
pub mod pattern;
pub mod question;
pub mod read;
pub mod script;
