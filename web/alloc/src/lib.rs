//! The wasm's allocator: talc (faster and smaller than the standard library's dlmalloc on
//! single-threaded wasm), with a heap that grows in steps of at least 1 MiB or an eighth of the
//! heap. Talc's own wasm source grows memory by just what the failing allocation needs — one
//! 64 KiB page for a small one — so while a workspace fills, the allocator keeps running out and
//! searching its free lists: a CPU profile of in-page PutItem had a third of its time in talc's
//! `allocate` and `full_search_bin`. Growing in steps measured PutItem 1.1–3.4× faster in the
//! page (new items and overwrites, the two builds taking turns in one run; web/README.md,
//! *The allocator*) for 37 bytes of bundle. Wasm memory never shrinks, with either source.
//!
//! This crate is the only place in dynaplay with `unsafe` code (the workspace forbids it
//! everywhere else): a memory source hands talc raw pages, which safe Rust cannot say. It is
//! compiled for single-threaded wasm only; natively it is empty.

#![cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#![warn(missing_docs, unsafe_op_in_unsafe_fn)]

use core::alloc::Layout;
use core::ptr::NonNull;

use talc::base::binning::Binning;
use talc::base::Talc;

/// A WebAssembly page.
const PAGE: usize = 64 * 1024;
/// The least the heap grows by: 16 pages, 1 MiB.
const STEP_PAGES: usize = 16;

/// Talc's memory source: `memory.grow` in steps, extending the one heap.
#[derive(Debug, Default)]
pub struct GrowInSteps {
    /// The heap's end, once there is one.
    end: Option<NonNull<u8>>,
}

impl GrowInSteps {
    /// No heap yet: the first allocation grows memory.
    pub const fn new() -> Self {
        Self { end: None }
    }
}

// SAFETY: `acquire` only grows the wasm memory and hands talc the new pages; it allocates
// nothing itself.
unsafe impl talc::source::Source for GrowInSteps {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        // Room for the allocation with talc's chunk overhead and alignment, generously.
        let needed = (layout.size() + layout.align() + 256).div_ceil(PAGE);
        let heap_pages = core::arch::wasm32::memory_size(0);
        let pages = needed.max(STEP_PAGES).max(heap_pages / 8);
        let previous = core::arch::wasm32::memory_grow(0, pages);
        if previous == usize::MAX {
            return Err(());
        }
        let base = (previous * PAGE) as *mut u8;
        let size = pages * PAGE;
        // SAFETY: the pages were just added to the memory: nothing else uses them.
        unsafe {
            let new_end = base.add(size);
            if let Some(old_end) = talc.source.end.take() {
                if old_end.as_ptr() == base {
                    talc.source.end = Some(talc.extend(old_end, new_end));
                    return Ok(());
                }
            }
            talc.source.end = talc.claim(base, size);
        }
        Ok(())
    }
}

/// The allocator both wasm binaries install.
pub type Allocator = talc::cell::TalcSyncCell<GrowInSteps, talc::wasm::WasmBinning>;

/// A new [`Allocator`] (panics off single-threaded wasm, where it would be unsound).
pub const fn new_allocator() -> Allocator {
    talc::cell::TalcSyncCell::new_wasm(GrowInSteps::new())
}
