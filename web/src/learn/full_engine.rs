//! The Regions and DAX views in the page's small engine, which leaves global tables and DAX
//! out of the first load (`host::engines`): what the feature is, that it is loaded on demand
//! and how large it is, and a button that loads the full engine (the page reloads onto it once
//! the learner's writes are committed; `dynaplay.useFullEngine()`). In the full engine the
//! views themselves render.

use yew::prelude::*;

use super::use_page;

/// Which view asked.
#[derive(Clone, Copy, PartialEq)]
pub enum Feature {
    Regions,
    Dax,
    /// Backups and point-in-time recovery (`backups.rs`).
    Backups,
    /// Access control: identities, policies, the simulator.
    Access,
    /// A lab that uses them (its file's `"engine": "full"`, or a request of it refused).
    Lab,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub feature: Feature,
    /// The view itself, rendered in the full engine.
    pub children: Html,
}

/// The view, or in the small engine the offer to load the full one.
#[component]
pub fn NeedsFullEngine(props: &Props) -> Html {
    let page = use_page().page;
    let loading = use_state(|| false);
    if page.full_engine() {
        return props.children.clone();
    }
    let (title, what) = match props.feature {
        Feature::Regions => (
            "Regions and global tables",
            "A global table keeps a replica in other AWS Regions: writes in one Region reach the others \
             after a replication delay, two Regions writing one item at once are settled by last writer \
             wins, and a Region can be taken offline and brought back.",
        ),
        Feature::Dax => (
            "DAX",
            "DAX (DynamoDB Accelerator) is a cache in front of a table: clusters with an item cache and a \
             query cache, hits and misses, TTLs, and the stale reads a write straight to the table leaves \
             behind.",
        ),
        Feature::Backups => (
            "Backups and point-in-time recovery",
            "Point-in-time recovery keeps every change of a table for its recovery period: a timeline of the \
             writes, the table as it was at any second of it, and restores into new tables — plus \
             on-demand backups.",
        ),
        Feature::Access => (
            "Access control",
            "Identities (IAM users and roles with access keys) and their policies, the tables' resource-based \
             policies, requests sent as an identity and denied with AWS's AccessDeniedException, and a simulator \
             that says which statement decided each request.",
        ),
        Feature::Lab => (
            "This lab needs global tables or DAX",
            "Its steps make replicas in other Regions or send requests through a DAX cluster.",
        ),
    };
    let size = page.full_engine_size();
    let load = {
        let (page, loading) = (page.clone(), loading.clone());
        Callback::from(move |_: MouseEvent| {
            loading.set(true);
            page.use_full_engine();
        })
    };
    html! {
        <section class="card" data-testid="full-engine-offer">
            <h2>{ title }</h2>
            <p>{ what }</p>
            <p data-testid="full-engine-size">{
                format!(
                    "Global tables, DAX, auto scaling, access control and backups are not in the page's \
                     first load: they come with the full engine, loaded on demand{}. The page reloads onto it once your writes are saved; your tables \
                     and items stay as they are.",
                    if size.is_empty() { String::new() } else { format!(" ({size} more to download, once)") }
                )
            }</p>
            <button class="primary" data-testid="use-full-engine" disabled={*loading} onclick={load}>
                { if *loading { "Loading the full engine…" } else { "Load the full engine" } }
            </button>
        </section>
    }
}
