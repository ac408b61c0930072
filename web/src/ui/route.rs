//! Where the learner is — the view, the table, its tab and the panel in it — as a [`Route`],
//! and the URL hash that holds it, so a reload, the back button and a copied link keep the
//! place. Platform-free: parsing and formatting are unit-tested natively; `ui/app.rs` reads
//! the hash on load and on every `hashchange`, and navigates by setting it.
//!
//! The hashes: `#/` (or none) the welcome view, `#/create` the create-table form,
//! `#/practice` exam practice,
//! `#/tables/{name}` a table's Items tab, `#/tables/{name}/items/{panel}` the same tab
//! scrolled to one of its panels (`stream`, `trigger`, `ttl`), `#/tables/{name}/capacity` its
//! Capacity tab, `#/tables/{name}/design` its *Export design* tab, `#/tables/{name}/vectors`
//! its *Vector search* tab, `#/labs` the guided labs and
//! `#/labs/{id}` one lab, `#/calculator` the capacity calculator, `#/access` access control,
//! `#/regions` the Regions and global tables, `#/backups` backups and point-in-time recovery,
//! `#/import/workbench` the NoSQL
//! Workbench model import. The name is percent-encoded (every byte outside `A–Z a–z 0–9 - . _ ~`). A
//! hash that is none of these — mistyped, from an older version, cut short — is the welcome
//! view: a link never breaks the page.

/// What the main area shows (the console is always under it).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Route {
    /// The first visit's pointer to the create-table form.
    #[default]
    Welcome,
    /// The create-table form.
    CreateTable,
    /// The list of guided labs.
    Labs,
    /// One guided lab (its file's id).
    Lab {
        /// The lab's id.
        id: String,
    },
    /// Exam practice (`#/practice`).
    Practice,
    /// The capacity calculator.
    Calculator,
    /// The Regions and the global tables' replication (`#/regions`).
    Regions,
    /// The DAX clusters and their caches (`#/dax`).
    Dax,
    /// Backups and point-in-time recovery's timeline (`#/backups`).
    Backups,
    /// The Access view: identities, policies, the simulator (`learn/access.rs`).
    Access,
    /// The workspaces: list, create, rename, duplicate, switch, delete, share by link.
    Workspaces,
    /// A shared workspace arriving by link (`#/share/{data}`: the compressed workspace).
    Share {
        /// The link's data, base64url.
        data: String,
    },
    /// Importing a NoSQL Workbench model (`#/import/workbench`).
    ImportWorkbench,
    /// One table.
    Table {
        /// TableName.
        name: String,
        /// Which of its tabs.
        tab: TableTab,
    },
}

/// A table's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableTab {
    /// The item explorer with the stream, trigger and TTL panels under it; `Some` scrolls
    /// to that panel.
    Items(Option<ItemsPanel>),
    /// The Capacity view.
    Capacity,
    /// The table's design as CloudFormation, CDK, Terraform, a Workbench model, S3 export files.
    Design,
    /// Its vector indexes and SearchVectors.
    Vectors,
}

/// The panels under a table's item explorer that a link can point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemsPanel {
    /// The stream viewer.
    Stream,
    /// The Lambda trigger.
    Trigger,
    /// Time to live.
    Ttl,
}

impl ItemsPanel {
    /// Every panel, in page order.
    pub const ALL: [ItemsPanel; 3] = [ItemsPanel::Stream, ItemsPanel::Trigger, ItemsPanel::Ttl];

    /// The panel's segment in the hash (also its element's `id` suffix).
    pub fn slug(self) -> &'static str {
        match self {
            ItemsPanel::Stream => "stream",
            ItemsPanel::Trigger => "trigger",
            ItemsPanel::Ttl => "ttl",
        }
    }

    fn from_slug(slug: &str) -> Option<ItemsPanel> {
        ItemsPanel::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

impl Route {
    /// A table's Items tab, at its top.
    pub fn table(name: &str) -> Route {
        Route::Table { name: name.to_owned(), tab: TableTab::Items(None) }
    }

    /// The table shown, if any.
    pub fn table_name(&self) -> Option<&str> {
        match self {
            Route::Table { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The route a URL hash names (with or without its leading `#`); anything else is
    /// [`Route::Welcome`].
    pub fn from_hash(hash: &str) -> Route {
        Route::parse(hash.strip_prefix('#').unwrap_or(hash)).unwrap_or_default()
    }

    fn parse(path: &str) -> Option<Route> {
        let mut parts = path.strip_prefix('/')?.split('/');
        let route = match parts.next()? {
            "" => Route::Welcome,
            "create" => Route::CreateTable,
            "labs" => match parts.next() {
                None => Route::Labs,
                Some(id) => Route::Lab { id: decode(id).filter(|id| !id.is_empty())? },
            },
            "practice" => Route::Practice,
            "calculator" => Route::Calculator,
            "regions" => Route::Regions,
            "dax" => Route::Dax,
            "backups" => Route::Backups,
            "access" => Route::Access,
            "workspaces" => Route::Workspaces,
            "share" => Route::Share { data: parts.next().filter(|d| !d.is_empty())?.to_owned() },
            "import" => match parts.next()? {
                "workbench" => Route::ImportWorkbench,
                _ => return None,
            },
            "tables" => {
                let name = decode(parts.next()?)?;
                if name.is_empty() {
                    return None;
                }
                let tab = match (parts.next(), parts.next()) {
                    (None, _) | (Some("items"), None) => TableTab::Items(None),
                    (Some("items"), Some(panel)) => TableTab::Items(Some(ItemsPanel::from_slug(panel)?)),
                    (Some("capacity"), None) => TableTab::Capacity,
                    (Some("design"), None) => TableTab::Design,
                    (Some("vectors"), None) => TableTab::Vectors,
                    _ => return None,
                };
                Route::Table { name, tab }
            }
            _ => return None,
        };
        // Nothing may follow what was recognised.
        parts.next().is_none().then_some(route)
    }

    /// Whether the on-demand module (`learn/`: labs, practice, the calculator, the Workbench
    /// import, the create-table form, a table's tabs — its Items tab's explorer and the panels
    /// beside it included) shows this route: every route but the welcome view.
    pub fn on_demand(&self) -> bool {
        matches!(
            self,
            Route::CreateTable
                | Route::Table { .. }
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
                | Route::ImportWorkbench
        )
    }

    /// The URL hash of this route, with its leading `#`.
    pub fn to_hash(&self) -> String {
        match self {
            Route::Welcome => "#/".to_owned(),
            Route::CreateTable => "#/create".to_owned(),
            Route::Labs => "#/labs".to_owned(),
            Route::Lab { id } => {
                let mut hash = String::from("#/labs/");
                encode(&mut hash, id);
                hash
            }
            Route::Practice => "#/practice".to_owned(),
            Route::Calculator => "#/calculator".to_owned(),
            Route::Regions => "#/regions".to_owned(),
            Route::Dax => "#/dax".to_owned(),
            Route::Backups => "#/backups".to_owned(),
            Route::Access => "#/access".to_owned(),
            Route::Workspaces => "#/workspaces".to_owned(),
            Route::Share { data } => format!("#/share/{data}"),
            Route::ImportWorkbench => "#/import/workbench".to_owned(),
            Route::Table { name, tab } => {
                let mut hash = String::from("#/tables/");
                encode(&mut hash, name);
                match tab {
                    TableTab::Items(None) => {}
                    TableTab::Items(Some(panel)) => {
                        hash.push_str("/items/");
                        hash.push_str(panel.slug());
                    }
                    TableTab::Capacity => hash.push_str("/capacity"),
                    TableTab::Design => hash.push_str("/design"),
                    TableTab::Vectors => hash.push_str("/vectors"),
                }
                hash
            }
        }
    }
}

/// Appends `text` percent-encoded: every byte but the URL's unreserved characters.
fn encode(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
}

/// A percent-encoded segment as text; `None` for a malformed escape or bytes that are not
/// UTF-8.
fn decode(segment: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(segment.len());
    let mut rest = segment.bytes();
    while let Some(b) = rest.next() {
        if b == b'%' {
            let hi = char::from(rest.next()?).to_digit(16)?;
            let lo = char::from(rest.next()?).to_digit(16)?;
            // Two hex digits: at most 255.
            bytes.push(u8::try_from(hi * 16 + lo).ok()?);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).ok()
}

/// The route the page's URL hash names now.
#[cfg(target_arch = "wasm32")]
pub fn current() -> Route {
    Route::from_hash(&web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default())
}

/// Calls `changed` with the new route whenever the URL hash changes, until the function it
/// returns is called (an effect's cleanup). The shell and the on-demand module both follow the
/// hash this way.
#[cfg(target_arch = "wasm32")]
pub fn follow(changed: impl Fn(Route) + 'static) -> impl FnOnce() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let listener = Closure::<dyn Fn()>::new(move || changed(current()));
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
    }
    move || {
        if let Some(w) = &window {
            let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        drop(listener);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_on_demand_module_shows_the_teaching_views_the_table_tabs_and_workspaces() {
        let shown = |r: Route| r.on_demand();
        assert!(shown(Route::Labs) && shown(Route::Lab { id: "x".into() }) && shown(Route::Practice));
        assert!(shown(Route::CreateTable), "the create-table form loads on demand");
        assert!(
            shown(Route::Calculator) && shown(Route::Workspaces) && shown(Route::Share { data: "x".into() })
        );
        assert!(shown(Route::Table { name: "T".into(), tab: TableTab::Capacity }));
        assert!(shown(Route::table("T")), "the item explorer and the panels beside it load on demand");
        assert!(!shown(Route::Welcome));
    }

    fn every_kind(name: &str) -> Vec<Route> {
        let mut routes = vec![
            Route::Welcome,
            Route::CreateTable,
            Route::table(name),
            Route::Labs,
            Route::Practice,
            Route::Calculator,
            Route::Workspaces,
            Route::ImportWorkbench,
        ];
        routes.push(Route::Lab { id: name.into() });
        routes.push(Route::Table { name: name.into(), tab: TableTab::Capacity });
        routes.push(Route::Table { name: name.into(), tab: TableTab::Design });
        routes.push(Route::Table { name: name.into(), tab: TableTab::Vectors });
        for panel in ItemsPanel::ALL {
            routes.push(Route::Table { name: name.into(), tab: TableTab::Items(Some(panel)) });
        }
        routes
    }

    #[test]
    fn every_route_round_trips_through_its_hash() {
        for name in
            ["Music", "a.b-c_d", "x", "with space", "50% off/#?&", "Müsik", "表", "%41", "..", "items"]
        {
            for route in every_kind(name) {
                let hash = route.to_hash();
                assert_eq!(Route::from_hash(&hash), route, "{hash}");
                // The hash never carries a character a URL would reinterpret.
                assert!(
                    hash[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._~%".contains(&b)),
                    "{hash}"
                );
            }
        }
    }

    #[test]
    fn the_hashes_are_readable_and_table_names_percent_encoded() {
        assert_eq!(Route::Welcome.to_hash(), "#/");
        assert_eq!(Route::CreateTable.to_hash(), "#/create");
        assert_eq!(Route::Practice.to_hash(), "#/practice");
        assert_eq!(Route::from_hash("#/practice"), Route::Practice);
        assert_eq!(Route::from_hash("#/practice/more"), Route::Welcome, "nothing may follow");
        assert_eq!(Route::Calculator.to_hash(), "#/calculator");
        assert_eq!(Route::from_hash("#/regions"), Route::Regions);
        assert!(Route::Regions.on_demand());
        assert_eq!(Route::from_hash("#/dax"), Route::Dax);
        assert_eq!(Route::Dax.to_hash(), "#/dax");
        assert_eq!(Route::from_hash("#/backups"), Route::Backups);
        assert!(Route::Backups.on_demand() && Route::Backups.to_hash() == "#/backups");
        assert_eq!(Route::from_hash("#/access"), Route::Access);
        assert_eq!(Route::Access.to_hash(), "#/access");
        assert!(Route::Access.on_demand());
        assert_eq!(Route::from_hash("#/workspaces"), Route::Workspaces);
        assert_eq!(
            Route::from_hash("#/share/eJzLSM3JyQcABiwCFQ"),
            Route::Share { data: "eJzLSM3JyQcABiwCFQ".into() }
        );
        assert_eq!(Route::from_hash("#/share/"), Route::Welcome, "a share link needs its data");
        assert_eq!(Route::from_hash("#/calculator/x"), Route::Welcome);
        assert_eq!(Route::table("Music").to_hash(), "#/tables/Music");
        assert_eq!(
            Route::Table { name: "Music".into(), tab: TableTab::Capacity }.to_hash(),
            "#/tables/Music/capacity"
        );
        assert_eq!(
            Route::Table { name: "Music".into(), tab: TableTab::Items(Some(ItemsPanel::Trigger)) }.to_hash(),
            "#/tables/Music/items/trigger"
        );
        assert_eq!(Route::table("a b/c%é").to_hash(), "#/tables/a%20b%2Fc%25%C3%A9");
        // Lower-case escapes and the explicit items tab parse too.
        assert_eq!(Route::from_hash("#/tables/a%2fb/items"), Route::table("a/b"));
        assert_eq!(Route::from_hash("/create"), Route::CreateTable, "the leading # is optional");
        assert_eq!(Route::Labs.to_hash(), "#/labs");
        assert_eq!(Route::Lab { id: "first-table".into() }.to_hash(), "#/labs/first-table");
        assert_eq!(Route::from_hash("#/labs/ttl"), Route::Lab { id: "ttl".into() });
        assert_eq!(
            Route::Table { name: "Music".into(), tab: TableTab::Design }.to_hash(),
            "#/tables/Music/design"
        );
        assert_eq!(Route::from_hash("#/import/workbench"), Route::ImportWorkbench);
        assert_eq!(
            Route::from_hash("#/tables/Products/vectors"),
            Route::Table { name: "Products".into(), tab: TableTab::Vectors }
        );
        assert!(Route::Table { name: "x".into(), tab: TableTab::Vectors }.on_demand());
        assert!(Route::ImportWorkbench.on_demand());
        assert!(Route::Table { name: "x".into(), tab: TableTab::Design }.on_demand());
        assert!(!Route::Welcome.on_demand());
    }

    #[test]
    fn unknown_or_garbage_hashes_are_the_welcome_view() {
        for hash in [
            "",
            "#",
            "#/",
            "#create",
            "#/nope",
            "#/create/extra",
            "#/tables",
            "#/tables/",
            "#/tables/Music/",
            "#/tables/Music/capacity/",
            "#/tables/Music/capacity/x",
            "#/tables/Music/items/nope",
            "#/tables/Music/items/stream/more",
            "#/tables/Music/charts",
            "#/tables/%",
            "#/tables/%4",
            "#/tables/%zz",
            "#/tables/%FF%FE",
            "#/tables/%C3",
            "#//tables/Music",
            "##/tables/Music",
            "#/TABLES/Music",
            "#/labs/",
            "#/labs/ttl/more",
            "#/import",
            "#/import/",
            "#/import/csv",
            "#/import/workbench/x",
            "#/tables/Music/design/x",
            "#/tables/Music/vectors/x",
            "#/tables/Music/vector",
        ] {
            assert_eq!(Route::from_hash(hash), Route::Welcome, "{hash:?}");
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        // A deterministic stream of awkward strings: every short combination of the characters
        // the parser treats specially.
        let alphabet = ["#", "/", "%", "2", "F", "C3", "tables", "items", "capacity", "stream", "é", ""];
        let mut parsed = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in alphabet {
                        let hash = format!("{a}{b}{c}{d}");
                        let route = Route::from_hash(&hash);
                        if route != Route::Welcome {
                            parsed += 1;
                            assert_eq!(Route::from_hash(&route.to_hash()), route, "{hash}");
                        }
                    }
                }
            }
        }
        assert!(parsed > 0, "some of them name a route");
    }
}
