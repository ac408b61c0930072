//! `window.dynaplay`: the page's JavaScript API over the [`Host`]. The shapes (promises,
//! Error objects, the AWS SDK request handler) are built in `js/dynaplay.js`; this module hands
//! it a `core` object of Rust closures once the workspace is loaded.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::host::{boundary, Host};

#[wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    /// Installs `window.dynaplay` (its `ready` promise pending).
    #[wasm_bindgen(js_name = installApi)]
    pub fn install_api() -> JsValue;
    #[wasm_bindgen(js_name = setCore)]
    fn set_core(core: &JsValue);
    /// Offers `text` as a file download.
    #[wasm_bindgen(js_name = downloadText)]
    pub fn download_text(filename: &str, text: &str);
    /// Runs AWS CLI lines (in the module loaded on demand): resolves to the JSON text of
    /// `learn::cli::run`'s report.
    #[wasm_bindgen(js_name = runCli)]
    pub fn run_cli(text: &str) -> js_sys::Promise;
}

pub(crate) fn set(target: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &name.into(), value);
}

/// Connects `window.dynaplay` to `host` and resolves `dynaplay.ready`.
pub fn connect(host: &Host) {
    let core = Object::new();

    // Requests go in through the engine's own wasm exports (`host::boundary`, `dispatch` in
    // `js/dynaplay.js`); a write's promise comes back through `takePending`.
    set(&core, "exports", &wasm_bindgen::exports());
    set(&core, "mailbox", &boundary::install(host).into());
    let pending = Closure::<dyn Fn() -> JsValue>::new(boundary::take_pending);
    set(&core, "takePending", pending.as_ref());
    pending.forget();
    set(&core, "memory", &wasm_bindgen::memory());

    let h = host.clone();
    let last_id = Closure::<dyn Fn() -> Option<String>>::new(move || h.last_request_id());
    set(&core, "lastRequestId", last_id.as_ref());
    last_id.forget();

    let h = host.clone();
    let export = Closure::<dyn Fn() -> String>::new(move || h.export());
    set(&core, "exportWorkspace", export.as_ref());
    export.forget();

    let h = host.clone();
    let import = Closure::<dyn Fn(String) -> js_sys::Promise>::new(move |text: String| h.import(&text));
    set(&core, "importWorkspace", import.as_ref());
    import.forget();

    let h = host.clone();
    let reset = Closure::<dyn Fn() -> js_sys::Promise>::new(move || h.reset());
    set(&core, "reset", reset.as_ref());
    reset.forget();

    let h = host.clone();
    let stats = Closure::<dyn Fn() -> String>::new(move || {
        let s = h.stats();
        serde_json::json!({
            "mode": h.mode().name(),
            "transactions": s.transactions,
            "committed": s.committed,
            "compactions": s.compactions,
            "failedTransactions": s.failed_transactions,
            "replayed": s.replayed,
            "loadMs": s.load_ms,
            "snapshotBytes": s.snapshot_bytes,
            "journalBytes": s.journal_bytes,
            "unacknowledged": h.unacknowledged(),
            "recovering": h.recovering(),
            "damage": h.damage().map(|d| d.description),
        })
        .to_string()
    });
    set(&core, "stats", stats.as_ref());
    stats.forget();

    // The registry's request schemas for the AWS CLI parser, which runs in the module loaded
    // on demand (web/src/learn/cli.rs) and must not link the registry itself.
    let registry = Closure::<dyn Fn() -> String>::new(crate::cli::schema::engine_json);
    set(&core, "cliRegistry", registry.as_ref());
    registry.forget();

    // Where requests go: js/dynaplay.js reports its endpoint client's state (`host::endpoint`).
    let h = host.clone();
    let endpoint = Closure::<dyn Fn(String)>::new(move |text: String| {
        h.set_endpoint(crate::host::endpoint::Endpoint::from_json(&text))
    });
    set(&core, "endpoint", endpoint.as_ref());
    endpoint.forget();

    // Which engine this build has (`host::engines`), and a wait until every write the engine
    // executed is committed: `dynaplay.useFullEngine()` reloads only then, so a reload never
    // loses an acknowledged write.
    set(&core, "fullEngine", &JsValue::from_bool(crate::host::engines::FULL_ENGINE));
    let h = host.clone();
    let settled = Closure::<dyn Fn() -> js_sys::Promise>::new(move || {
        let h = h.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            h.settled().await;
            Ok(JsValue::UNDEFINED)
        })
    });
    set(&core, "settled", settled.as_ref());
    settled.forget();

    // The latest requests (`host::history`), for the Access view's simulator.
    #[cfg(feature = "full-engine")]
    {
        let h = host.clone();
        let history = Closure::<dyn Fn() -> String>::new(move || h.history());
        set(&core, "requestHistory", history.as_ref());
        history.forget();
    }

    crate::host::lab::connect(&core, host);
    crate::triggers::registry::connect(&core, host);
    set_core(&core.into());
}
