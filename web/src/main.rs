//! The browser entry point (`trunk build`); natively an empty program.

fn main() {
    #[cfg(target_arch = "wasm32")]
    dynaplay_web::start();
}
