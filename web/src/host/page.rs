//! The page's one host: its configuration from the page's URL, opening it (and connecting
//! `window.dynaplay` to it), and handing it to code that runs outside the component tree.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::{engines, js_api, Host, HostConfig};

#[wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    /// The workspace the address names (`?ws=<id>`; "" for the first one).
    #[wasm_bindgen(js_name = workspaceId)]
    pub fn workspace_id() -> String;
    /// An exported workspace waiting to fill workspace `id` on its first open.
    #[wasm_bindgen(js_name = takePendingImport)]
    fn take_pending_import(id: &str) -> Option<String>;
}

thread_local! {
    static PAGE_HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

/// The page's host (after [`open_page_host`]); panics before it, which no component does.
pub fn page_host() -> Host {
    PAGE_HOST.with(|h| h.borrow().clone()).expect("the host is opened before the UI uses it")
}

/// Opens the page's workspace and connects `window.dynaplay` to it.
pub async fn open_page_host() -> Host {
    let host = Host::open(page_config()).await;
    PAGE_HOST.with(|h| *h.borrow_mut() = Some(host.clone()));
    js_api::connect(&host);
    // A new workspace made from a shared link, a duplicate or a file: filled now. A bad one
    // is refused by the import (the workspace stays empty) and the learner is told why.
    if let Some(text) = take_pending_import(&workspace_id()) {
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(host.import(&text)).await {
            let why = e.as_string().unwrap_or_default();
            // One with global tables or DAX, in the small engine: the full engine imports it.
            if engines::needs_full_engine(&why) && engines::keep_pending_import(&workspace_id(), &text) {
                engines::switch_to_full_engine();
                return host;
            }
            if let Some(w) = web_sys::window() {
                let _ = w.alert_with_message(&format!("The workspace could not be loaded: {why}"));
            }
        }
    }
    host
}

/// The config the page uses: `?storage=memory` keeps the workspace in memory only (for
/// embedding pages that want a fresh DynamoDB on every visit, and the in-memory benchmark);
/// `?ws=<id>` opens another workspace, an IndexedDB database of its own.
pub fn page_config() -> HostConfig {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let mut config = HostConfig::default();
    // Embedded in another page (`?embed=…`): always a fresh workspace in memory, so a framing
    // page never reaches the learner's saved one.
    if search.contains("storage=memory") || search.contains("embed=") {
        config.database = None;
    } else {
        let id = workspace_id();
        if !id.is_empty() {
            config.database = Some(format!("dynaplay-{id}"));
        }
    }
    config
}
