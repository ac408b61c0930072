//! The room loaded on demand: the create-table form (`#/create`), the guided labs (`#/labs`),
//! exam practice (`#/practice`), the capacity calculator (`#/calculator`), a table's Capacity,
//! Export design and Vector search tabs, its Items tab (the item explorer with its query builder,
//! and the stream, trigger and TTL panels beside it), the NoSQL
//! Workbench import (`#/import/workbench`) and the AWS CLI's parser (`cli`: the console's
//! `aws …` lines, `dynaplay.cli`) — none of them needed to show a first page. It is a wasm of its own (the bin
//! `src/bin/dynaplay-learn.rs` includes this directory; `web/tools/learn.mjs` builds it into
//! `dist/learn-<hash>/`), fetched the first time one of these views opens, so the first page
//! load does not pay for it. The page's shell leaves a slot for it (`#learn-slot`, and on a
//! table's Items tab `#learn-side` in the side column: `ui::app`), and `js/dynaplay.js` mounts
//! it there with the page's functions ([`bridge`]):
//! it has no engine of its own, and reaches the page's through requests, as the forms do. It
//! renders the view the URL's hash names and re-checks what it shows when the page says the
//! workspace changed ([`changed`]).

pub mod access;
pub mod access_sim;
pub mod backups;
pub mod bridge;
pub mod calculator;
pub mod capacity;
pub mod cli;
pub mod dax;
pub mod design;
pub mod endpoint;
pub mod exports;
pub mod files;
pub mod full_engine;
pub mod labs;
pub mod practice;
pub mod regions;
pub mod scaling;
pub mod trigger_panel;
pub mod vectors;
pub mod workbench;
pub mod workspaces;

use std::cell::RefCell;

use yew::prelude::*;

use bridge::{Bridge, Page};
use dynaplay_web::ui::components::exchange::Sender;
use dynaplay_web::ui::route::{self, ItemsPanel, Route, TableTab};
use full_engine::{Feature, NeedsFullEngine};

/// What every teaching view reads: the page, and how many changes the page has reported.
#[derive(Clone, PartialEq)]
pub struct LearnContext {
    /// The page's functions.
    pub page: Page,
    /// Bumped whenever the page's workspace changes.
    pub revision: u64,
}

/// The teaching views' context.
#[hook]
pub fn use_page() -> LearnContext {
    use_context::<LearnContext>().expect("the teaching views render inside LearnApp")
}

thread_local! {
    static APP: RefCell<Option<yew::AppHandle<LearnApp>>> = const { RefCell::new(None) };
    /// Tells the mounted app that the page's workspace changed.
    static CHANGED: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
    /// Tells the mounted trigger panel that a trigger of the page changed.
    static TRIGGERS_CHANGED: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
    /// The page's side column on a table's Items tab (`#learn-side`), when it shows one.
    static SIDE: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    /// Tells the mounted app that the side column came or went.
    static SIDE_MOVED: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
}

/// A trigger of the page changed (its status, its log, attached or detached).
pub fn triggers_changed() {
    if let Some(callback) = TRIGGERS_CHANGED.with(|c| c.borrow().clone()) {
        callback.emit(());
    }
}

/// Who hears of [`triggers_changed`]: the trigger panel while it is mounted, or no one.
fn on_triggers_changed(callback: Option<Callback<()>>) {
    TRIGGERS_CHANGED.with(|c| *c.borrow_mut() = callback);
}

/// Yew brands each app's elements with a subtree id, counted from 1 in every wasm instance,
/// and delegates events from the page's root by the id of the nearest branded element. The
/// page's shell is subtree 1 (its one `Renderer`); were this module's app subtree 1 too, the
/// shell would take this module's clicks for its own (and run its own listener of the same
/// number). So a throwaway app takes id 1 here first, once: every app mounted after is 2 or
/// more. (The e2e labs suite clicks through this module's views; it fails if they collide.)
fn step_past_the_pages_subtree() {
    #[component]
    fn Blank() -> Html {
        Html::default()
    }
    thread_local!(static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if DONE.with(|d| d.replace(true)) {
        return;
    }
    if let Some(element) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("div").ok())
    {
        yew::Renderer::<Blank>::with_root(element).render().destroy();
    }
}

/// Renders the teaching view of the current hash into `element` (the page's slot), and the
/// side panels of a table's Items tab into `side` (the page's side column, when it shows one),
/// replacing any view mounted before.
pub fn mount(element: web_sys::Element, side: Option<web_sys::Element>, bridge: Bridge) {
    unmount();
    SIDE.with(|s| *s.borrow_mut() = side);
    step_past_the_pages_subtree();
    let app = yew::Renderer::<LearnApp>::with_root_and_props(element, LearnProps { page: Page::new(bridge) })
        .render();
    APP.with(|a| *a.borrow_mut() = Some(app));
}

/// The page's side column came or went (the slot stayed): the side panels follow it.
pub fn side(side: Option<web_sys::Element>) {
    if SIDE.with(|s| s.replace(side.clone())) != side {
        if let Some(callback) = SIDE_MOVED.with(|c| c.borrow().clone()) {
            callback.emit(());
        }
    }
}

/// Takes the teaching view down (the page left its slot).
pub fn unmount() {
    CHANGED.with(|c| c.borrow_mut().take());
    SIDE_MOVED.with(|c| c.borrow_mut().take());
    if let Some(app) = APP.with(|a| a.borrow_mut().take()) {
        app.destroy();
    }
}

/// The page's workspace changed: the views re-check what they show.
pub fn changed() {
    if let Some(callback) = CHANGED.with(|c| c.borrow().clone()) {
        callback.emit(());
    }
}

/// Properties of [`LearnApp`].
#[derive(Properties, PartialEq)]
pub struct LearnProps {
    /// The page's functions.
    pub page: Page,
}

/// Each operation's family, from the page's copy of the engine's registry (this module must not
/// link the registry itself: it would bring the whole engine).
fn families(page: &Page) -> impl Fn(&str) -> Option<dynaplay_engine::ApiFamily> {
    use dynaplay_engine::ApiFamily;
    // [name, is a DynamoDB Streams operation (or "application-autoscaling"), members], as
    // `cli::schema::engine_json` writes it.
    use serde_json::Value;
    let known: Vec<(String, ApiFamily)> = page
        .cli_registry()
        .as_array()
        .map(|ops| {
            ops.iter()
                .filter_map(|op| {
                    let family = match &op[1] {
                        Value::Bool(true) => ApiFamily::DynamoDBStreams,
                        Value::String(_) => ApiFamily::ApplicationAutoScaling,
                        _ => ApiFamily::DynamoDB,
                    };
                    Some((op[0].as_str()?.to_owned(), family))
                })
                .collect()
        })
        .unwrap_or_default();
    move |operation: &str| match operation.starts_with("Playground") {
        true => Some(ApiFamily::Playground),
        false => known.iter().find(|(name, _)| name == operation).map(|(_, family)| *family),
    }
}

/// Where the views shared with the page send: through the page.
fn sender(page: &Page) -> Sender {
    let sender = page.clone();
    Sender {
        send: std::rc::Rc::new(move |operation: String, request: serde_json::Value| {
            let page = sender.clone();
            Box::pin(async move { page.send_traced(&operation, &request).await })
        }),
        family: std::rc::Rc::new(families(page)),
    }
}

/// The create-table form, sending through the page; once the table exists, its explorer opens
/// showing the CreateTable (handed over inside this module: the app stays mounted).
fn create_table(page: &Page) -> Html {
    use dynaplay_web::ui::components::create_table::CreateTable;
    use dynaplay_web::ui::components::exchange;
    let send = sender(page);
    let oncreated = Callback::from(move |exchange: exchange::Exchange| {
        exchange::hand_over(&exchange);
        let name = exchange.request["TableName"].as_str().unwrap_or_default();
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(&Route::table(name).to_hash());
        }
    });
    // The sender is also the context the request's "why?" asks through.
    html! {
        <ContextProvider<Sender> context={send.clone()}>
            <CreateTable {send} {oncreated} />
        </ContextProvider<Sender>>
    }
}

/// Properties of [`ItemsTab`].
#[derive(Properties, PartialEq)]
struct ItemsTabProps {
    table: AttrValue,
    /// The panel the hash points at, scrolled into view once shown.
    panel: Option<ItemsPanel>,
    /// The page's side column, where the panels go.
    side: Option<web_sys::Element>,
}

/// A table's Items tab: the item explorer (with its query builder) in the slot, and the
/// stream, trigger and TTL panels in the page's side column, through a portal of this app (so
/// one mount, one hash follower and one change notice serve both columns; the triggers
/// themselves run in the page).
#[component]
fn ItemsTab(props: &ItemsTabProps) -> Html {
    use dynaplay_web::ui::components::explorer::Explorer;
    let context = use_page();
    let send = use_memo((), |_| sender(&context.page));
    let table = props.table.clone();
    let panels = props.side.clone().map(|side| {
        let key = table.to_string();
        create_portal(html! { <SidePanels {key} table={table.clone()} panel={props.panel} /> }, side)
    });
    html! {
        <ContextProvider<Sender> context={(*send).clone()}>
            <Explorer {table} revision={context.revision} />
            { panels.unwrap_or_default() }
        </ContextProvider<Sender>>
    }
}

/// Properties of [`SidePanels`].
#[derive(Properties, PartialEq)]
struct SidePanelsProps {
    table: AttrValue,
    /// The panel the hash points at, scrolled into view once shown.
    panel: Option<ItemsPanel>,
}

/// The stream, trigger and TTL panels beside a table's items, sending through the [`Sender`]
/// of [`ItemsTab`].
#[component]
fn SidePanels(props: &SidePanelsProps) -> Html {
    use dynaplay_web::ui::components::stream_viewer::StreamViewer;
    use dynaplay_web::ui::components::ttl::TtlPanel;
    let context = use_page();
    // The page scrolled before this module had rendered them.
    use_effect_with(props.panel, |panel| {
        if let Some(panel) = *panel {
            dynaplay_web::ui::app::scroll_to(panel);
        }
    });
    let remote = context.page.endpoint().is_some();
    let table = props.table.clone();
    html! {
        <>
            <StreamViewer table={table.clone()} />
            <trigger_panel::TriggerPanel table={table.clone()} />
            <TtlPanel {table} revision={context.revision} {remote} />
        </>
    }
}

/// Properties of [`Vectors`].
#[derive(Properties, PartialEq)]
struct VectorsProps {
    table: AttrValue,
}

/// The Vector search tab, sending through the page.
#[component]
fn Vectors(props: &VectorsProps) -> Html {
    let context = use_page();
    let send = use_memo((), |_| sender(&context.page));
    html! {
        <ContextProvider<Sender> context={(*send).clone()}>
            <vectors::VectorSearch table={props.table.clone()} revision={context.revision} />
        </ContextProvider<Sender>>
    }
}

/// The teaching view the hash names.
#[component]
pub fn LearnApp(props: &LearnProps) -> Html {
    let route = use_state(route::current);
    let revision = use_state(|| 0u64);
    let side = use_state(|| SIDE.with(|s| s.borrow().clone()));
    {
        let (route, revision, moved) = (route.clone(), revision.clone(), side.clone());
        use_effect_with((), move |_| {
            let bump = Callback::from(move |()| revision.set(*revision + 1));
            CHANGED.with(|c| *c.borrow_mut() = Some(bump));
            let moved = Callback::from(move |()| moved.set(SIDE.with(|s| s.borrow().clone())));
            SIDE_MOVED.with(|c| *c.borrow_mut() = Some(moved));
            route::follow(move |now| route.set(now))
        });
    }
    let context = LearnContext { page: props.page.clone(), revision: *revision };
    // Against an endpoint, the views that read this browser's engine say they cannot.
    let blocked = match (&*route, props.page.endpoint().filter(|e| e.forwards())) {
        (Route::Table { tab: TableTab::Capacity, .. }, Some(e)) if !e.internals => Some(format!(
            "The Capacity view draws what dynaplay's engine keeps — partitions, token buckets, metrics — which {} \
             does not expose (dynaplay-server does).", e.url)),
        _ => None,
    };
    let view = match &*route {
        _ if blocked.is_some() => endpoint::unavailable(blocked.unwrap_or_default()),
        Route::Labs => html! { <labs::LabList /> },
        // Keyed: another lab is another view, never the last lab's state under a new id.
        Route::Lab { id } => html! { <labs::LabView key={id.clone()} id={AttrValue::from(id.clone())} /> },
        Route::Practice => html! { <practice::Practice /> },
        Route::Calculator => html! { <calculator::Calculator /> },
        Route::Regions => html! {
            <NeedsFullEngine feature={Feature::Regions}><regions::Regions /></NeedsFullEngine>
        },
        Route::Dax => html! { <NeedsFullEngine feature={Feature::Dax}><dax::DaxView /></NeedsFullEngine> },
        Route::Backups => {
            html! { <NeedsFullEngine feature={Feature::Backups}><backups::BackupsView /></NeedsFullEngine> }
        }
        Route::Access => {
            html! { <NeedsFullEngine feature={Feature::Access}><access::Access /></NeedsFullEngine> }
        }
        Route::Workspaces => html! { <workspaces::Workspaces /> },
        Route::Share { data } => html! { <workspaces::Shared data={AttrValue::from(data.clone())} /> },
        Route::Table { name, tab: TableTab::Capacity } => {
            html! { <capacity::Capacity key={name.clone()} table={AttrValue::from(name.clone())} /> }
        }
        Route::Table { name, tab: TableTab::Design } => {
            html! { <design::DesignView key={name.clone()} table={AttrValue::from(name.clone())} /> }
        }
        Route::Table { name, tab: TableTab::Vectors } => {
            html! { <Vectors key={name.clone()} table={AttrValue::from(name.clone())} /> }
        }
        Route::Table { name, tab: TableTab::Items(panel) } => {
            html! { <ItemsTab table={AttrValue::from(name.clone())} panel={*panel} side={(*side).clone()} /> }
        }
        Route::ImportWorkbench => html! { <workbench::WorkbenchImport /> },
        Route::CreateTable => create_table(&props.page),
        _ => Html::default(),
    };
    html! { <ContextProvider<LearnContext> context={context}>{ view }</ContextProvider<LearnContext>> }
}
