//! The page's two builds of its wasm: the small one of the first load, whose engine leaves
//! global tables and DAX out (the byte budget), and the full one (`full-engine`, built by
//! `web/tools/full.mjs`), which the page's start-up script loads instead once the learner
//! needs them (`localStorage['dynaplay.engine'] = 'full'` or `?engine=full`; web/README.md,
//! *On demand*). The small engine refuses their requests with an error that begins with
//! [`dynaplay_engine::NOT_IN_THIS_BUILD`]; a plain request gets that error as it is, but a
//! stored workspace (or an imported one) the small engine cannot load for that reason makes
//! the page switch to the full engine instead of reporting it damaged.

/// This build holds global tables and DAX.
pub const FULL_ENGINE: bool = cfg!(feature = "full-engine");

/// What the learner reads while the page switches to the full engine.
pub const SWITCHING: &str =
    "This workspace uses global tables or DAX: loading the full engine, which has them…";

/// Whether `message` (an error's, a replay failure's) is this build refusing something the
/// full engine has: never in the full engine itself, so a switch can never loop.
pub fn needs_full_engine(message: &str) -> bool {
    !FULL_ENGINE && message.contains(dynaplay_engine::NOT_IN_THIS_BUILD)
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/js/dynaplay.js")]
    extern "C" {
        /// Asks for the full engine and reloads the page (nothing to commit: the caller has
        /// written nothing).
        #[wasm_bindgen(js_name = switchToFullEngine)]
        pub fn switch_to_full_engine();
        /// Puts an exported workspace back for workspace `id`'s next open (`takePendingImport`).
        #[wasm_bindgen(js_name = keepPendingImport)]
        pub fn keep_pending_import(id: &str, text: &str) -> bool;
    }
}
#[cfg(target_arch = "wasm32")]
pub use browser::{keep_pending_import, switch_to_full_engine};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_small_engine_switches_and_only_on_its_own_refusal() {
        let refusal =
            format!("{}global tables (replicas in other Regions).", dynaplay_engine::NOT_IN_THIS_BUILD);
        assert_eq!(needs_full_engine(&refusal), !FULL_ENGINE);
        assert!(!needs_full_engine("Requested resource not found"));
    }
}
