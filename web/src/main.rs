//! The browser entry point (`trunk build`); natively an empty program.

/// Talc, growing its heap in steps (`web/alloc`): the engine allocates on every
/// request (JSON values, items).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: dynaplay_alloc::Allocator = dynaplay_alloc::new_allocator();

fn main() {
    #[cfg(target_arch = "wasm32")]
    dynaplay_web::start();
}
