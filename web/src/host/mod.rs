//! The host room: the engine in the page and everything that keeps its workspace — the
//! stored format and journal, group commit, IndexedDB, the host's own errors — and what
//! reaches it from outside the UI: `window.dynaplay` (the JS API) and the panic banner.
//!
//! The rules of persistence (`protocol`, `group_commit`, `errors`, `workspace`) are
//! platform-free and unit-tested natively; the modules that touch the browser are wasm32-only.

pub mod errors;
pub mod group_commit;
pub mod protocol;
pub mod workspace;

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
