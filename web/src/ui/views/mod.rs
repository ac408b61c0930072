//! The markup of the views written as text (see [`crate::ui::markup`]), one module per view.
//! Platform-free and unit-tested natively; the components in `components/` put this markup on
//! the page and wire its events.

pub mod exchange;
