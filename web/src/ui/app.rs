//! The application shell: opens the workspace, publishes the [`Host`] to every component
//! through a context, and lays out the header, the table list, the current view (welcome,
//! create-table form, or a table's item explorer with its query builder) and the console.

use std::rc::Rc;

use yew::prelude::*;

use crate::host::Host;
use crate::ui::components::capacity::Capacity;
use crate::ui::components::console::Console;
use crate::ui::components::create_table::CreateTable;
use crate::ui::components::explorer::Explorer;
use crate::ui::components::header::Header;
use crate::ui::components::stream_viewer::StreamViewer;
use crate::ui::components::table_list::TableList;
use crate::ui::components::trigger_panel::TriggerPanel;
use crate::ui::components::ttl::TtlPanel;

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

/// A request to show in the console (set by the table list or by a component that wants
/// to show the learner the exact request).
#[derive(Clone, PartialEq, Default)]
pub struct ConsoleDraft {
    /// Operation name.
    pub operation: String,
    /// Request JSON text.
    pub request: String,
    /// Bumped so setting the same draft twice still applies.
    pub serial: u64,
}

/// What the main area shows above the console.
#[derive(Clone, PartialEq)]
enum View {
    /// The first visit's pointer to the create-table form.
    Welcome,
    /// The create-table form.
    Create,
    /// The item explorer of a table.
    Table(String),
}

/// Properties of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// How to keep the workspace.
    #[prop_or_default]
    pub memory_only: bool,
}

/// The root component.
#[component]
pub fn App() -> Html {
    let host = use_state(|| None::<Host>);
    let revision = use_state(|| 0u64);
    let draft = use_state(ConsoleDraft::default);
    let view = use_state(|| View::Welcome);
    // A table's tab: its items (false) or its capacity (true).
    let capacity_tab = use_state(|| false);
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
    let on_select = {
        let view = view.clone();
        Callback::from(move |name: String| view.set(View::Table(name)))
    };
    let on_create = {
        let view = view.clone();
        Callback::from(move |()| view.set(View::Create))
    };
    let selected = match &*view {
        View::Table(name) => Some(AttrValue::from(name.clone())),
        _ => None,
    };
    let current = match &*view {
        View::Welcome => html! {
            <section class="card welcome">
                <h2>{ "Welcome" }</h2>
                <p>{ "A DynamoDB of your own, in this tab. Create a table, add items, query them — every request is shown with its consumed capacity and as AWS CLI, boto3 and JavaScript code." }</p>
                <button type="button" class="btn primary" onclick={on_create.reform(|_: MouseEvent| ())}>{ "Create a table" }</button>
            </section>
        },
        View::Create => html! { <CreateTable oncreated={on_select.clone()} /> },
        View::Table(name) => {
            let table = AttrValue::from(name.clone());
            let pick = |capacity: bool| {
                let tab = capacity_tab.clone();
                Callback::from(move |_: MouseEvent| tab.set(capacity))
            };
            html! {
                <>
                <div class="view-tabs segmented" role="tablist">
                    <button type="button" role="tab" class={classes!("tab", (!*capacity_tab).then_some("active"))}
                        aria-selected={(!*capacity_tab).to_string()} onclick={pick(false)} data-testid="tab-items">{ "Items" }</button>
                    <button type="button" role="tab" class={classes!("tab", capacity_tab.then_some("active"))}
                        aria-selected={capacity_tab.to_string()} onclick={pick(true)} data-testid="tab-capacity">{ "Capacity" }</button>
                </div>
                if *capacity_tab {
                    <Capacity table={table} />
                } else {
                    <Explorer table={table.clone()} />
                    <StreamViewer table={table.clone()} />
                    <TriggerPanel table={table.clone()} />
                    <TtlPanel table={table} />
                }
                </>
            }
        }
    };
    let body = match &*host {
        None => html! { <main class="loading" aria-busy="true"><p>{ "Loading your workspace…" }</p></main> },
        Some(h) => {
            let context = HostContext { host: h.clone(), revision: *revision };
            html! {
                <ContextProvider<HostContext> context={context}>
                    <Header />
                    <main class="workspace">
                        <TableList selected={selected} onselect={on_select.clone()} oncreate={on_create.clone()} />
                        <div class="views">
                            { current }
                            <Console draft={(*draft).clone()} />
                        </div>
                    </main>
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
