//! The teaching module's entry point (`web/tools/learn.mjs` builds it into `dist/learn/`);
//! natively an empty program. The page loads it on demand and calls [`mount`], [`side`],
//! [`unmount`] and [`changed`] (see `dynaplay_web::learn`).

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: dynaplay_alloc::Allocator = dynaplay_alloc::new_allocator();

#[cfg(target_arch = "wasm32")]
#[path = "../learn/mod.rs"]
mod learn;

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Renders the teaching view of the current hash into `element`, and a table's side panels
    /// into `side` (the page's side column, when it shows one).
    #[wasm_bindgen]
    pub fn mount(
        element: web_sys::Element,
        side: Option<web_sys::Element>,
        bridge: crate::learn::bridge::Bridge,
    ) {
        crate::learn::mount(element, side, bridge);
    }

    /// The page's side column came or went.
    #[wasm_bindgen]
    pub fn side(side: Option<web_sys::Element>) {
        crate::learn::side(side);
    }

    /// Takes the teaching view down.
    #[wasm_bindgen]
    pub fn unmount() {
        crate::learn::unmount();
    }

    /// The page's workspace changed.
    #[wasm_bindgen]
    pub fn changed() {
        crate::learn::changed();
    }

    /// A trigger of the page changed.
    #[wasm_bindgen]
    pub fn triggers_changed() {
        crate::learn::triggers_changed();
    }

    /// Runs AWS CLI lines through the page: the JSON text of `learn::cli::run`'s report.
    #[wasm_bindgen]
    pub async fn cli(text: String, bridge: crate::learn::bridge::Bridge) -> String {
        crate::learn::cli::run(&crate::learn::bridge::Page::new(bridge), &text).await
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    dynaplay_web::host::panic::install();
}
