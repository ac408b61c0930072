//! The page's one host: its configuration from the page's URL, opening it (and connecting
//! `window.dynaplay` to it), and handing it to code that runs outside the component tree.

use std::cell::RefCell;

use super::{js_api, Host, HostConfig};

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
    host
}

/// The config the page uses: `?storage=memory` keeps the workspace in memory only (for
/// embedding pages that want a fresh DynamoDB on every visit, and the in-memory benchmark).
pub fn page_config() -> HostConfig {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let mut config = HostConfig::default();
    if search.contains("storage=memory") {
        config.database = None;
    }
    config
}
