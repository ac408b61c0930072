//! The host room: the engine in the page and everything that keeps its workspace — group
//! commit, IndexedDB, the host's own errors — and what reaches it from outside the UI:
//! `window.dynaplay` (the JS API) and the panic banner.
//!
//! The stored format and journal — records, batch → transaction plan, restore, compaction,
//! format versions — are the engine's (`dynaplay_engine::journal`), shared with the server's
//! `--data-dir`. The host's own platform-free rules (`group_commit`, `checkpoint`, `errors`,
//! `workspace`) are unit-tested natively; the modules that touch the browser are wasm32-only.

pub mod checkpoint;
pub mod damage;
pub mod endpoint;
pub mod engines;
pub mod errors;
pub mod group_commit;
#[cfg(feature = "full-engine")]
pub mod history;
pub mod lab;
pub mod lease;
pub mod workspace;

#[cfg(target_arch = "wasm32")]
pub mod boundary;
#[cfg(target_arch = "wasm32")]
pub mod datasets;
#[cfg(target_arch = "wasm32")]
pub mod engine_host;
#[cfg(target_arch = "wasm32")]
pub mod js_api;
#[cfg(target_arch = "wasm32")]
pub mod page;
#[cfg(target_arch = "wasm32")]
pub mod panic;
#[cfg(target_arch = "wasm32")]
pub mod store;

#[cfg(target_arch = "wasm32")]
pub use engine_host::{Dispatch, Host, HostConfig, Mode, Stats};
