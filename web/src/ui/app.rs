//! The application shell: opens the workspace, publishes the [`Host`] to every component
//! through a context, and lays out the header, the table list, the current view (welcome,
//! create-table form, a table's tabs) and the console. Every view but the welcome page renders
//! in the module loaded on demand (`learn/`), in the slots this shell leaves for it.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::host::Host;
use crate::ui::components::console::Console;
use crate::ui::components::exchange::Sender;
use crate::ui::components::header::Header;
use crate::ui::components::table_list::TableList;
use crate::ui::components::welcome::Welcome;
use crate::ui::route::{self, ItemsPanel, Route, TableTab};

/// The host and a revision number that changes whenever the workspace changes (a commit, a
/// reload, a mode change), so components can re-read what they show.
#[derive(Clone)]
pub struct HostContext {
    /// The engine host.
    pub host: Host,
    /// Bumped on every change notice.
    pub revision: u64,
}

impl PartialEq for HostContext {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
    }
}

/// The host from the context (components render only once it exists).
#[hook]
pub fn use_host() -> HostContext {
    use_context::<HostContext>()
        .unwrap_or_else(|| HostContext { host: crate::host::page::page_host(), revision: 0 })
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    /// Mounts the teaching module in `#learn-slot` (fetching it the first time), or takes it down.
    #[wasm_bindgen(js_name = learnSlot)]
    fn learn_slot(show: bool);
    /// Tells a mounted teaching module that the workspace changed.
    #[wasm_bindgen(js_name = learnChanged)]
    fn learn_changed();
    /// Calls the callback every animation frame; returns the function that stops it.
    #[wasm_bindgen(js_name = everyFrame)]
    fn every_frame(callback: &js_sys::Function) -> js_sys::Function;
}

/// The root component.
#[component]
pub fn App() -> Html {
    let host = use_state(|| None::<Host>);
    // Where every exchange's "why?" asks (`exchange::Sender`): the host, once open; made once,
    // so the views under it do not re-render for a new one.
    let sender = {
        let opened = (*host).clone();
        use_memo(host.is_some(), move |_| opened.as_ref().map(Sender::of_host))
    };
    let revision = use_state(|| 0u64);
    // Where the learner is: the URL hash says, so a reload, the back button and a copied link
    // keep the place. Navigating sets the hash; this follows it.
    let route = use_state(route::current);
    {
        let set = route.setter();
        use_effect_with((), move |_| route::follow(move |now| set.set(now)));
    }
    {
        let host = (*host).clone();
        use_effect_with(((*route).clone(), host.is_some()), move |(route, loaded)| {
            if let Route::Table { tab: TableTab::Items(Some(panel)), .. } = route {
                scroll_to(*panel);
            }
            // The on-demand module follows the hash itself once mounted in its slot.
            learn_slot(route.on_demand() && *loaded);
            // While a Capacity tab is open engine time moves every frame: workload requests
            // then run a frame's worth at a time (83 at 5,000/s) rather than a poll's worth.
            let ticking = match (host, route) {
                (Some(host), Route::Table { tab: TableTab::Capacity, .. }) => {
                    let tick = Closure::<dyn FnMut()>::new(move || host.tick());
                    let stop = every_frame(tick.as_ref().unchecked_ref());
                    Some((tick, stop))
                }
                _ => None,
            };
            move || {
                if let Some((tick, stop)) = ticking {
                    let _ = stop.call0(&wasm_bindgen::JsValue::NULL);
                    drop(tick);
                }
            }
        });
    }
    {
        let host = host.clone();
        let revision = revision.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                let opened = crate::host::page::open_page_host().await;
                // The saved triggers start now, and restart whenever the workspace is
                // reloaded from storage, reset or imported.
                crate::triggers::registry::restore(&opened);
                let bump = revision.setter();
                let counter = Rc::new(std::cell::Cell::new(0u64));
                let watched = opened.clone();
                opened.subscribe(Rc::new(move || {
                    crate::triggers::registry::restore(&watched);
                    counter.set(counter.get() + 1);
                    bump.set(counter.get());
                }));
                host.set(Some(opened));
            });
        });
    }
    use_effect_with((), |_| {
        // For the benchmark's "time to first render".
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("dynaplay-first-render");
        }
    });
    // Another table opens in the tab this one shows.
    let on_select = {
        let tab = match &*route {
            Route::Table {
                tab: tab @ (TableTab::Capacity | TableTab::Design | TableTab::Vectors), ..
            } => *tab,
            _ => TableTab::Items(None),
        };
        Callback::from(move |name: String| navigate(&Route::Table { name, tab }))
    };
    let on_create = Callback::from(|()| navigate(&Route::CreateTable));
    let on_created = Callback::from(|name: String| navigate(&Route::table(&name)));
    let selected = route.table_name().map(|name| AttrValue::from(name.to_owned()));
    // The main column, and what goes beside it: on a table's Items tab the stream, trigger and
    // TTL panels sit next to the items (above the console), so the learner watches what
    // their writes do without scrolling away from where they write.
    //
    // Every view but the welcome page is the module loaded on demand (`learn/`): js/dynaplay.js
    // mounts it in `#learn-slot` (and says so there while it loads or if it cannot), and on a
    // table's Items tab it renders the side panels into `#learn-side` too (a portal of the
    // same app). The slot is the last child of the same fragment on every such view, so yew
    // keeps its element from one to the next and the module stays mounted (the create-table
    // form hands its CreateTable to the new table's explorer inside the module).
    let slot = |tabs: Html| {
        html! {
            <>{ tabs }<div id="learn-slot" class="learn-slot" data-testid="learn-slot" aria-live="polite"></div></>
        }
    };
    let (current, side) = match &*route {
        Route::Welcome => {
            (html! { <Welcome oncreate={on_create.clone()} onopen={on_created.clone()} /> }, None)
        }
        Route::CreateTable
        | Route::Labs
        | Route::Lab { .. }
        | Route::Practice
        | Route::Calculator
        | Route::Regions
        | Route::Dax
        | Route::Backups
        | Route::Access
        | Route::Workspaces
        | Route::Share { .. }
        | Route::ImportWorkbench => {
            learn_changed();
            (slot(Html::default()), None)
        }
        Route::Table { name, tab } => {
            let button = |to: TableTab, label: &'static str, id: &'static str| {
                let name = name.clone();
                let on = std::mem::discriminant(tab) == std::mem::discriminant(&to);
                let pick = Callback::from(move |_: MouseEvent| {
                    navigate(&Route::Table { name: name.clone(), tab: to })
                });
                html! {
                    <button type="button" role="tab" class={classes!("tab", on.then_some("active"))}
                        aria-selected={on.to_string()} onclick={pick} data-testid={id}>{ label }</button>
                }
            };
            let main = slot(html! {
                <div class="view-tabs segmented" role="tablist">
                    { button(TableTab::Items(None), "Items", "tab-items") }
                    { button(TableTab::Capacity, "Capacity", "tab-capacity") }
                    { button(TableTab::Design, "Export design", "tab-design") }
                    { button(TableTab::Vectors, "Vector search", "tab-vectors") }
                </div>
            });
            // Beside the items: the stream, trigger and TTL panels (the triggers themselves run
            // in the page: `triggers/`).
            let side = matches!(tab, TableTab::Items(_)).then(|| {
                learn_changed();
                html! { <div id="learn-side" class="learn-slot side-panels" data-testid="learn-side" aria-live="polite"></div> }
            });
            (main, side)
        }
    };
    let body = match &*host {
        None => html! { <main class="loading" aria-busy="true"><p>{ "Loading your workspace…" }</p></main> },
        Some(h) => {
            let context = HostContext { host: h.clone(), revision: *revision };
            // While a lab's workspace is in front, say so everywhere, with the way back.
            let lab_bar = h.lab_id().map(|id| {
                let host = h.clone();
                let leave = Callback::from(move |_: MouseEvent| host.leave_lab());
                html! {
                    <p class="lab-bar" role="status" data-testid="lab-bar">
                        { "You are in a lab's workspace; your own tables are kept aside. " }
                        <a href={Route::Lab { id }.to_hash()}>{ "Back to the lab" }</a>{ " · " }
                        <button type="button" class="link" onclick={leave}>{ "Back to my workspace" }</button>
                    </p>
                }
            });
            html! {
                <ContextProvider<HostContext> context={context}>
                <ContextProvider<Sender> context={(*sender).clone().unwrap_or_else(|| Sender::of_host(h))}>
                    <Header />
                    <main class="workspace">
                        <TableList selected={selected} onselect={on_select.clone()} oncreate={on_create.clone()} />
                        <div class={classes!("views", side.is_some().then_some("split"))}>
                            <div class="main-col">{ lab_bar }{ current }</div>
                            <aside class="side-col" aria-label="Stream, trigger, time to live and console">
                                { side.unwrap_or_default() }
                                <Console />
                            </aside>
                        </div>
                    </main>
                </ContextProvider<Sender>>
                </ContextProvider<HostContext>>
            }
        }
    };
    html! {
        <div class="app">
            if host.is_none() {
                <header class="header"><h1 class="brand">{ "dynaplay" }</h1></header>
            }
            { body }
        </div>
    }
}

/// Goes to `route` by setting the URL hash: a history entry, so the back button comes back
/// here; [`route::follow`] in [`App`] then shows it.
pub fn navigate(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.to_hash());
    }
}

/// The `id` of a panel's element (its section under the item explorer).
pub fn panel_id(panel: ItemsPanel) -> String {
    format!("panel-{}", panel.slug())
}

/// A panel's heading: a link to the panel itself, to copy or bookmark.
pub fn panel_heading(table: &str, panel: ItemsPanel, title: &'static str) -> Html {
    let href = Route::Table { name: table.to_owned(), tab: TableTab::Items(Some(panel)) }.to_hash();
    html! { <h2><a class="panel-link" {href}>{ title }</a></h2> }
}

/// Scrolls `panel` into view now and once more after the explorer above it has had time to
/// load its items (which pushes the panel down). The on-demand module calls it again once it
/// has rendered the panels it shows.
pub fn scroll_to(panel: ItemsPanel) {
    let scroll = move || {
        if let Some(el) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&panel_id(panel)))
        {
            el.scroll_into_view();
        }
    };
    scroll();
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_millis(300)).await;
        scroll();
    });
}
