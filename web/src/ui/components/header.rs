//! The header: the workspace's status (saved / read-only / in memory / storage failed) and the
//! whole-workspace actions: export to a JSON file, import one, reset.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::fixed::plural;
use crate::host::damage::STORED_DATA_FILE;
use crate::host::engines;
use crate::host::page::workspace_id;
use crate::host::Mode;
use crate::ui::app::use_host;

/// The page header.
#[component]
pub fn Header() -> Html {
    let ctx = use_host();
    let notice = use_state(|| None::<(bool, String)>);
    // Demo mode: a teacher at a projector (see `demoMode` in js/dynaplay.js).
    let demo = use_state(|| demo_mode(None));
    // The time controls re-read the engine's clock state once their request has run.
    let redraw = use_force_update();
    let toggle_demo = {
        let demo = demo.clone();
        Callback::from(move |_: MouseEvent| demo.set(demo_mode(Some(!*demo))))
    };
    let mode = ctx.host.mode();
    let stats = ctx.host.stats();
    // Connected to an endpoint: requests go there, this browser's workspace waits aside.
    let endpoint = ctx.host.endpoint();
    let away = endpoint.as_ref().is_some_and(|e| e.forwards());
    let (badge, title) = match &mode {
        _ if away => ("endpoint", "This browser's workspace waits aside, unchanged".to_owned()),
        Mode::Owner => ("saved", "Every acknowledged change is saved in this browser (IndexedDB)".to_owned()),
        Mode::Memory if ctx.host.storage_denied() => (
            "in memory",
            "This browser denies storage to this page (an embedded frame, say): your work lives in memory and is \
             gone when the page closes. Export keeps a copy"
                .to_owned(),
        ),
        Mode::Memory => ("in memory", "Nothing is saved: this workspace is gone on reload".to_owned()),
        Mode::ReadOnly => (
            "read-only",
            "Another tab owns this workspace; this tab follows it and cannot change it. It takes over \
             when that tab closes"
                .to_owned(),
        ),
        Mode::Failed(reason) => ("not saving", reason.clone()),
    };

    let on_export = {
        let host = ctx.host.clone();
        Callback::from(move |_| {
            crate::host::js_api::download_text("dynaplay-workspace.json", &host.export());
        })
    };
    let on_reset = {
        let host = ctx.host.clone();
        let notice = notice.clone();
        Callback::from(move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| w.confirm_with_message("Delete every table and item in this workspace?").ok())
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            let promise = host.reset();
            let notice = notice.clone();
            yew::platform::spawn_local(async move {
                notice.set(Some(outcome(JsFuture::from(promise).await, "Workspace reset")));
            });
        })
    };
    let on_import = {
        let host = ctx.host.clone();
        let notice = notice.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let host = host.clone();
            let notice = notice.clone();
            yew::platform::spawn_local(async move {
                let text =
                    JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
                // A file opens in a workspace of its own unless the learner says to replace this
                // one's tables — once it is known to be a workspace the engine can load. A
                // damaged store is replaced at once: Import is the way out of it.
                // One the small engine refuses for its global tables or DAX loads too: the full
                // engine takes it (`host::engines`).
                let loads =
                    serde_json::from_slice::<serde_json::Value>(text.as_bytes()).ok().is_some_and(|doc| {
                        crate::host::workspace::import(&doc)
                            .map_or_else(|e| engines::needs_full_engine(&e.message), |_| true)
                    });
                let offer = loads && host.mode() == Mode::Owner && host.damage().is_none();
                if offer && confirm_new_workspace(&file.name()) {
                    if let Err(e) = open_new_workspace(&file.name(), &text) {
                        notice.set(Some(outcome(Err(e), "")));
                    }
                    return;
                }
                let result = JsFuture::from(host.import(&text)).await;
                if let Err(why) = &result {
                    if engines::needs_full_engine(&why.as_string().unwrap_or_default())
                        && engines::keep_pending_import(&workspace_id(), &text)
                    {
                        engines::switch_to_full_engine();
                        return;
                    }
                }
                notice.set(Some(outcome(result, "Workspace imported")));
            });
        })
    };
    let dismiss = {
        let notice = notice.clone();
        Callback::from(move |_| notice.set(None))
    };
    // Reset and import are the way out of a damaged or failed store: offered whenever this
    // tab owns the workspace, storage failed or not.
    let writable = !away
        && match mode {
            Mode::Owner | Mode::Memory => true,
            Mode::Failed(_) => ctx.host.owns(),
            Mode::ReadOnly => false,
        };
    let damage = ctx.host.damage();
    let on_download = {
        let host = ctx.host.clone();
        Callback::from(move |_| {
            if let Some(damage) = host.damage() {
                crate::host::js_api::download_text(STORED_DATA_FILE, &damage.stored_data);
            }
        })
    };
    let on_dismiss_damage = {
        let host = ctx.host.clone();
        let notice = notice.clone();
        Callback::from(move |_| {
            let host = host.clone();
            let notice = notice.clone();
            yew::platform::spawn_local(async move {
                if let Err(e) = host.dismiss_damage().await {
                    notice.set(Some(outcome(Err(e.to_string().into()), "")));
                }
            });
        })
    };
    html! {
        <>
        <header class="header">
            <h1 class="brand">{ "dynaplay" }</h1>
            // The storage figures are for the curious: in the badge's tooltip, in words.
            <span class={classes!("badge", format!("badge-{}", mode.name()))} data-mode={mode.name()} data-testid="mode-badge"
                title={format!("{title}. This session: {} saved in {}.", plural(stats.committed, "change"),
                    plural(stats.transactions, "IndexedDB transaction"))}>
                { badge }
            </span>
            <span class="spacer" />
            if *demo && ctx.host.internals() { { demo_time(&ctx.host, &redraw) } }
            <a class="btn" href="#/workspaces" data-testid="nav-workspaces" title="Workspaces: switch, create, share by link">{ workspace_name() }</a>
            <a class="btn" href="#/labs" data-testid="nav-labs">{ "Labs" }</a>
            <a class="btn" href="#/practice" data-testid="nav-practice">{ "Exam practice" }</a>
            <a class="btn" href="#/calculator" data-testid="open-calculator">{ "Calculator" }</a>
            <a class="btn" href="#/regions" data-testid="nav-regions" title="Regions and global tables: replicas, replication, conflicts">{ "Regions" }</a>
            <a class="btn" href="#/dax" data-testid="open-dax" title="DAX clusters: hit ratio, cached items, stale entries">{ "DAX" }</a>
            <a class="btn" href="#/backups" data-testid="nav-backups" title="Backups and point-in-time recovery">{ "Backups" }</a>
            <a class="btn" href="#/access" data-testid="nav-access">{ "Access" }</a>
            <button class="btn" onclick={on_export} disabled={away}>{ "Export" }</button>
            <label class={classes!("btn", (!writable).then_some("disabled"))}>
                { "Import" }
                <input type="file" accept="application/json,.json" hidden=true disabled={!writable} onchange={on_import} />
            </label>
            <button class="btn danger" onclick={on_reset} disabled={!writable}>{ "Reset" }</button>
            <button class="btn" aria-pressed={demo.to_string()} onclick={toggle_demo} data-testid="demo-toggle"
                title="Larger type and high contrast for a projector, the time controls here, labs advanced with the arrow keys">{ "Demo" }</button>
        </header>
        if !away && (mode == Mode::ReadOnly || ctx.host.storage_denied()) {
            <div class="banner warn" role="status" data-testid="mode-banner">{ title }</div>
        }
        if let Some(e) = &endpoint {
            <div class={classes!("banner", if e.error.is_some() { "error" } else { "warn" })} role="status" data-testid="endpoint-banner">
                { match &e.error {
                    Some(why) => format!("Could not connect to {}: {why}. Requests run in this browser. ", e.url),
                    None => format!("Requests go to {} ({}){} ", e.url, e.region, if e.connecting {
                        ", once connected…"
                    } else if e.internals {
                        "."
                    } else {
                        ": partitions, capacity charts and time are dynaplay's engine's, unavailable there."
                    }),
                } }
                <button class="link" data-testid="disconnect" onclick={Callback::from(|_| crate::host::endpoint::disconnect())}>
                    { if away { "Disconnect" } else { "dismiss" } }
                </button>
            </div>
        }
        if let Some(damage) = &damage {
            <div class="banner error" role="alert" data-testid="damage-banner">
                <strong>{ "Part of the saved workspace could not be restored. " }</strong>
                <span data-testid="damage-problem">{ format!("{}.", capitalised(&damage.description)) }</span>
                { " Everything saved before it is loaded, and Export exports that. The saved data \
                   itself, the damaged part and everything after it included, is kept until you \
                   dismiss this: download it to keep it, or to send it with a bug report. " }
                <button class="btn" data-testid="download-stored" onclick={on_download}>{ "Download saved data" }</button>
                if ctx.host.owns() {
                    <button class="link" data-testid="dismiss-damage" onclick={on_dismiss_damage}>{ "dismiss" }</button>
                }
            </div>
        }
        if let Mode::Failed(reason) = &mode {
            <div class="banner error" role="alert" data-testid="failed-banner">
                { format!("Changes are not being saved: {reason}.") }
                if writable { { " Export keeps what this tab holds; Reset or Import starts over and saves again." } }
            </div>
        }
        if let Some((ok, text)) = &*notice {
            <div class={classes!("banner", if *ok { "ok" } else { "error" })} role="status">
                { text.clone() }
                <button class="link" onclick={dismiss}>{ "dismiss" }</button>
            </div>
        }
        </>
    }
}

/// `text` with its first letter in upper case (descriptions are written to follow a colon).
/// ASCII only: `char::to_uppercase` links Unicode's case tables (15 KB of gzip), and the
/// descriptions start with an operation name or "the"/"saved".
#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    /// Demo mode: turns it on or off (`Some`) or reads it (`None`: saved, or `?demo` in the
    /// address); returns whether it is on.
    #[wasm_bindgen(js_name = demoMode)]
    fn demo_mode(on: Option<bool>) -> bool;
    /// The open workspace's name.
    #[wasm_bindgen(js_name = workspaceName)]
    fn workspace_name() -> String;
    /// Asks whether a file opens in a new workspace.
    #[wasm_bindgen(js_name = confirmNewWorkspace)]
    fn confirm_new_workspace(file: &str) -> bool;
    /// Opens `text` in a new workspace named after `file` (the page reloads on it).
    #[wasm_bindgen(js_name = openNewWorkspace, catch)]
    fn open_new_workspace(file: &str, text: &str) -> Result<(), wasm_bindgen::JsValue>;
}

/// Demo mode's time controls in the header, at hand on every view. The workspace's time is
/// read at once (a read-only playground operation), again after each control's request (which
/// the engine runs at once, whatever its commit waits for).
fn demo_time(host: &crate::host::Host, redraw: &UseForceUpdateHandle) -> Html {
    let time = match host.dispatch("PlaygroundDescribeTime", "{}") {
        crate::host::Dispatch::Done(text) => serde_json::from_slice(text.as_bytes()).unwrap_or_default(),
        _ => serde_json::Value::Null,
    };
    let send = |op: &'static str, body: serde_json::Value| {
        let (host, redraw) = (host.clone(), redraw.clone());
        Callback::from(move |_: MouseEvent| {
            let _ = host.dispatch(op, &body.to_string());
            redraw.force_update();
        })
    };
    super::time::controls(&time, None, &send)
}

fn capitalised(text: &str) -> String {
    let mut text = text.to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

fn outcome(result: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>, done: &str) -> (bool, String) {
    match result {
        Ok(_) => (true, done.to_owned()),
        Err(e) => {
            let text = e.as_string().unwrap_or_default();
            let message = serde_json::from_slice::<serde_json::Value>(text.as_bytes())
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_owned))
                .unwrap_or(text);
            (false, message)
        }
    }
}
