//! # dynaplay-web
//!
//! dynaplay in the browser: the engine runs in the page, every mutation is made durable in
//! IndexedDB before it is acknowledged, `window.dynaplay` exposes the engine to the page (and to
//! the AWS SDK for JavaScript v3 through a request handler), and a small yew shell shows it.
//! See `web/README.md` for the design decisions and the measurements behind them.
//!
//! Five rooms: [`host`] (the engine host and its persistence, the JS API), [`ui`] (the yew
//! shell, its components and what they render), [`triggers`] (Lambda-style stream triggers),
//! [`cli`] (`aws dynamodb …` command lines read as the AWS CLI reads them, for the console and
//! `dynaplay.cli`), and `learn` (labs, exam practice, the calculator and the Capacity tab: a
//! wasm of its own, `src/bin/dynaplay-learn.rs`, loaded on demand);
//! [`fixed`] prints figures for both of the last two. The platform-free parts build and test
//! natively; everything touching the browser is compiled for wasm32 only.
//!
//! The bundle rules (`clippy.toml`, web/README.md) bind the code that ships; tests never do.
#![cfg_attr(test, allow(clippy::disallowed_methods, clippy::disallowed_types))]

pub mod cli;
pub mod fixed;
pub mod host;
pub mod triggers;
pub mod ui;

/// The page's entry point: the panic hook, `window.dynaplay` (pending until the workspace is
/// loaded), then the UI, which opens the workspace.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    host::panic::install();
    host::js_api::install_api();
    yew::Renderer::<ui::app::App>::new().render();
}
