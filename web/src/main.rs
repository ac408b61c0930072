//! The browser entry point (`trunk build`); natively an empty program.

/// Talc, growing its heap in steps (`web/alloc`): the engine allocates on every
/// request (JSON values, items).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: dynaplay_alloc::Allocator = dynaplay_alloc::new_allocator();

/// The request boundary's wasm exports (`host::boundary`), here rather than in the library so
/// that only the page's wasm has them, not the teaching module's.
#[cfg(target_arch = "wasm32")]
mod boundary {
    use dynaplay_web::host::boundary;
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    pub fn dynaplay_request(len: u32) -> u32 {
        boundary::request(len)
    }

    #[wasm_bindgen]
    pub fn dynaplay_dispatch(now: f64, operation_len: u32, body_len: u32, region_len: u32) -> u32 {
        boundary::dispatch(now, operation_len, body_len, region_len)
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    dynaplay_web::start();
}
