//! Point-in-time recovery's history of a table: an *undo log*. Each committed change keeps
//! what it replaced (the old item, or the key of an item that was not there), oldest first.
//! The table as it was at time T is the table now with the changes after T undone, newest
//! first — so no copy of the table is kept, only what changed.
//!
//! Memory is bounded ([`HISTORY_BYTES`] a table, counted as DynamoDB item sizes plus a fixed
//! overhead a change): when a change would pass the bound, the oldest are dropped and the
//! window's start ([`History::start_ms`]) moves forward to the last one dropped — a
//! simplification: DynamoDB keeps the whole recovery period however much was written.
//! Changes older than the recovery period are dropped as new ones come.

use std::collections::VecDeque;

use crate::types::stored::{put_item, read_item, AttributeNames, Reader};
use crate::types::{item_from_json, item_size, item_to_json, Item};

/// The most a table's history holds, in counted bytes (8 MiB).
pub(crate) const HISTORY_BYTES: usize = 8 << 20;

/// What one change costs beyond its item's size, as counted: its time, the deque slot, the
/// boxed image's allocation and the compact form's bytes — so that the count follows the heap
/// (measured natively, 2026-12: 355 bytes of heap for a change of a 200-byte item;
/// `tests/backups.rs` `memory_per_change_measured`).
pub(crate) const CHANGE_OVERHEAD: usize = 160;

const DAY_MS: u64 = 86_400_000;

/// One change, undoable: at `at_ms`, `image` was replaced (`existed`: it is the old item) or
/// created (`!existed`: it is the new item's key, which undoing deletes). The image is kept in
/// the table store's compact form (`types::stored`): as a tree of `AttributeValue`s a change of
/// a 200-byte item took 1,187 bytes of heap, so 355.
#[derive(Clone, Debug)]
pub(crate) struct Undo {
    pub at_ms: u64,
    image: Box<[u8]>,
    pub existed: bool,
    /// The image's DynamoDB item size.
    size: u32,
}

/// A table's point-in-time recovery history.
#[derive(Clone, Debug)]
pub(crate) struct History {
    /// The earliest engine time a restore can reach: when recovery was enabled, or the time of
    /// the last change the memory bound dropped.
    pub start_ms: u64,
    pub changes: VecDeque<Undo>,
    pub bytes: usize,
    /// The images' attribute names, numbered once.
    names: AttributeNames,
}

impl History {
    /// A history starting at `now` (point-in-time recovery enabled then).
    pub fn new(now: u64) -> Self {
        Self { start_ms: now, changes: VecDeque::new(), bytes: 0, names: AttributeNames::default() }
    }

    fn cost(undo: &Undo) -> usize {
        undo.size as usize + CHANGE_OVERHEAD
    }

    /// A change made at `at_ms` that replaced `image` (`existed`) or created its key.
    pub fn undo(&mut self, at_ms: u64, image: &Item, existed: bool) -> Undo {
        let mut bytes = Vec::new();
        put_item(&mut bytes, image, &[], &mut self.names);
        Undo { at_ms, image: bytes.into_boxed_slice(), existed, size: item_size(image) as u32 }
    }

    /// The item a change keeps.
    pub fn image(&self, undo: &Undo) -> Item {
        let mut item = Item::new();
        read_item(&mut Reader::new(&undo.image), &mut item, &self.names);
        item
    }

    /// Keeps a change made at `now`, dropping what the recovery period of `days` and the
    /// memory bound no longer keep.
    pub fn record(&mut self, undo: Undo, now: u64, days: i64) {
        self.bytes += Self::cost(&undo);
        self.changes.push_back(undo);
        let horizon = now.saturating_sub(days.max(1) as u64 * DAY_MS);
        while let Some(front) = self.changes.front() {
            let over = self.bytes > HISTORY_BYTES;
            if !over && front.at_ms >= horizon {
                break;
            }
            if over {
                // What a restore needs to go behind this change is gone.
                self.start_ms = self.start_ms.max(front.at_ms);
            }
            self.bytes -= Self::cost(front);
            self.changes.pop_front();
        }
    }

    /// The changes made after `at`, newest first: what undoing takes the table back to `at`.
    pub fn after(&self, at: u64) -> impl Iterator<Item = &Undo> {
        self.changes.iter().rev().take_while(move |u| u.at_ms > at)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let changes: Vec<_> = self
            .changes
            .iter()
            .map(|u| serde_json::json!([u.at_ms, item_to_json(&self.image(u)), u.existed]))
            .collect();
        serde_json::json!({"Start": self.start_ms, "Changes": changes})
    }

    pub fn from_json(v: &serde_json::Value) -> Option<Self> {
        let mut history = Self::new(v.get("Start")?.as_u64()?);
        for c in v.get("Changes")?.as_array()? {
            let image = item_from_json(c.get(1)?).ok()?;
            let undo = history.undo(c.get(0)?.as_u64()?, &image, c.get(2)?.as_bool()?);
            history.bytes += Self::cost(&undo);
            history.changes.push_back(undo);
        }
        Some(history)
    }
}

/// The commit hook (`ops/write.rs`): keeps what a change of `key` replaced (`old`; `None`: the
/// item was not there), while the table has a history (point-in-time recovery on, in a build
/// with backups).
pub(crate) fn record(
    table: &mut crate::table::Table,
    key: &crate::types::PrimaryKey,
    old: Option<&Item>,
    now: u64,
) {
    if !crate::features::BACKUPS {
        return;
    }
    let pitr = table.control.point_in_time_recovery;
    let (Some(history), Some((_, days))) = (table.history.get_mut::<History>(), pitr) else { return };
    let undo = match old {
        Some(old) => history.undo(now, old, true),
        None => history.undo(now, &table.key_schema.key_item_from(key), false),
    };
    history.record(undo, now, days);
}
