//! The browser entry point (`trunk build`); natively an empty program.

/// Talc instead of the standard library's dlmalloc: the engine allocates on every request
/// (JSON values, items), and talc is both faster and smaller on single-threaded wasm.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(target_arch = "wasm32")]
    dynaplay_web::start();
}
