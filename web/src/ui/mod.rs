//! The UI room: the yew shell (`app`: the host context, the layout, the current [`route`]),
//! one component per file (`components/`, wasm32-only), and the platform-free parts the
//! components call, unit-tested natively — where the learner is (`route`), the requests the
//! forms build (`requests`), an example request per operation (`examples`), a table's header (`table_summary`), a trigger's log by invocation (`trigger_log`), the trigger panel's settings (`trigger_form`), one request and its answer (`exchange`), a request as code
//! (`codegen`), items as plain JSON (`itemjson`), guided labs' files, progress and workspaces
//! (`labs`), JSON as shown (`pretty`), the Capacity view's series, chart geometry, panels and
//! settings (`capacity/`), the one escaping helper for the markup those panels are written as
//! (`markup`), exam practice's progress (`practice`), the engine's "why?" explanations as shown
//! (`why`), the capacity calculator's form (`calculator`) and the Vector search tab's indexes and
//! requests (`vectors`).

pub mod calculator;
pub mod capacity;
pub mod codegen;
pub mod dax;
pub mod examples;
pub mod exchange;
pub mod itemjson;
pub mod labs;
pub mod markup;
pub mod practice;
pub mod pretty;
pub mod regions;
pub mod requests;
pub mod route;
pub mod table_summary;
pub mod trigger_form;
pub mod trigger_log;
pub mod vectors;
pub mod why;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
