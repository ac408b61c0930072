//! DynamoDB checks attribute values in one of two layers, and which one an operation runs
//! decides the words of a bad number or a duplicate set member (recorded by the Parity Suite
//! in four Regions, October 2026):
//!
//! - the current layer (PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem, Query, the
//!   transactions): a number's exponent is read as a 64-bit integer, so `1e2147483647`
//!   overflows, and an empty number keeps its colon (`…numeric value: `); duplicate members
//!   are quoted and listed in byte order up to the first repeat; a bad expression attribute
//!   value is reported bare;
//! - the older layer (BatchWriteItem, Scan, and a request nested past about 62 levels of
//!   maps, which DynamoDB reads differently): numbers are read as Java's `BigDecimal`,
//!   duplicates are listed as sent, and a bad expression attribute value names its key
//!   (`ExpressionAttributeValues contains invalid value: … for key :v`).
//!
//! An operation sets the layer for as long as it runs (the engine runs one request at a
//! time); anything that sets none gets the older one.

use std::cell::Cell;

/// One of DynamoDB's two value-checking layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layer {
    Current,
    Older,
}

thread_local! {
    static LAYER: Cell<Layer> = const { Cell::new(Layer::Older) };
}

/// The layer values are being checked in.
pub(crate) fn layer() -> Layer {
    LAYER.with(Cell::get)
}

/// Runs `f` with values checked in `layer`, restoring the previous layer afterwards.
pub(crate) fn within<T>(layer: Layer, f: impl FnOnce() -> T) -> T {
    struct Restore(Layer);
    impl Drop for Restore {
        fn drop(&mut self) {
            LAYER.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(LAYER.with(|l| l.replace(layer)));
    f()
}
