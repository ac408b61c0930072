//! # dynaplay-web
//!
//! dynaplay in the browser: the engine runs in the page, every mutation is made durable in
//! IndexedDB before it is acknowledged, `window.dynaplay` exposes the engine to the page (and to
//! the AWS SDK for JavaScript v3 through a request handler), and a small yew shell shows it.
//! See `web/README.md` for the design decisions and the measurements behind them.
//!
//! The platform-free parts — the persistence protocol, the group-commit batching and the host's
//! error shapes — build and test natively; everything touching the browser is compiled for
//! wasm32 only.

pub mod capacity_series;
pub mod codegen;
pub mod errors;
pub mod event_source;
pub mod fixed;
pub mod group_commit;
pub mod itemjson;
pub mod lambda;
pub mod markup;
pub mod pretty;
pub mod protocol;
pub mod requests;
pub mod views;
pub mod workspace;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod host;
#[cfg(target_arch = "wasm32")]
pub mod js_api;
#[cfg(target_arch = "wasm32")]
pub mod panic;
#[cfg(target_arch = "wasm32")]
pub mod store;

#[cfg(target_arch = "wasm32")]
thread_local! {
    static PAGE_HOST: std::cell::RefCell<Option<host::Host>> = const { std::cell::RefCell::new(None) };
}

/// The page's host (after [`open_page_host`]); panics before it, which no component does.
#[cfg(target_arch = "wasm32")]
pub fn page_host() -> host::Host {
    PAGE_HOST.with(|h| h.borrow().clone()).expect("the host is opened before the UI uses it")
}

/// Opens the page's workspace and connects `window.dynaplay` to it.
#[cfg(target_arch = "wasm32")]
pub async fn open_page_host() -> host::Host {
    let host = host::Host::open(app::page_config()).await;
    PAGE_HOST.with(|h| *h.borrow_mut() = Some(host.clone()));
    js_api::connect(&host);
    host
}

/// The page's entry point: the panic hook, `window.dynaplay` (pending until the workspace is
/// loaded), then the UI, which opens the workspace.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    panic::install();
    js_api::install_api();
    yew::Renderer::<app::App>::new().render();
}
