//! # dynaplay-web
//!
//! dynaplay in the browser: the engine runs in the page, every mutation is made durable in
//! IndexedDB before it is acknowledged, `window.dynaplay` exposes the engine to the page (and to
//! the AWS SDK for JavaScript v3 through a request handler), and a small yew shell shows it.
//! See `web/README.md` for the design decisions and the measurements behind them.
//!
//! The platform-free parts — the persistence protocol and the group-commit batching — build
//! and test natively; everything touching the browser is compiled for wasm32 only.

pub mod group_commit;
pub mod protocol;
pub mod workspace;
