//! The UI room: the yew shell (`app`), one component per file (`components/`), and the
//! platform-free parts the components call, unit-tested natively — the requests the forms
//! build (`requests`), a request as code (`codegen`), items as plain JSON (`itemjson`), JSON
//! as shown (`pretty`), one request and its answer (`exchange`), the Capacity view's series
//! and charts (`capacity_series`), and the escaping helper for its markup (`markup`).

pub mod capacity_series;
pub mod codegen;
pub mod exchange;
pub mod itemjson;
pub mod markup;
pub mod pretty;
pub mod requests;
pub mod route;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
