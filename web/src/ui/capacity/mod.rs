//! The Capacity view's platform-free parts (the component is `components/capacity.rs`):
//! the per-second `series`, a chart's `geometry`, the `panels` drawn as markup (charts,
//! partition map, hot keys, legend), the `events` it names in its log, and the playground `settings` panel's model. Unit-tested natively.

pub mod events;
pub mod geometry;
pub mod panels;
pub mod series;
pub mod settings;
