//! cargo-fuzz target: see `dynaplay_fuzz::workspace` for the input format and what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The engine allocates many small values; mimalloc's allocation is several times faster than
// glibc's, which was a third of each run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fuzz_target!(|data: &[u8]| {
    dynaplay_fuzz::workspace::run(data);
});
