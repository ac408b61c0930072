//! Global tables (version 2019.11.21): Regions, the replicas of a table in several of them,
//! and the asynchronous replication between them — on engine time, deterministic.
//!
//! ## Regions
//!
//! Every request is served in a Region: the SigV4 credential scope's on the server, the
//! client's in the page ([`crate::Engine::handle_text_in`] and friends); the plain entry
//! points serve the engine's own Region (`EngineConfig::region`, *home*). The engine keeps the
//! Region being served in its usual fields (`tables`, `closed_streams`, `config.region`) and
//! every other Region's in [`GlobalTables::regions`]; serving a request elsewhere swaps that
//! Region's state in for the request and back out (`regions.rs`). So every operation works
//! unchanged in any Region, and a table exists only in the Regions it was created or
//! replicated to: from another Region it is ResourceNotFoundException, as in AWS.
//!
//! ## Replicas
//!
//! `UpdateTable` with `ReplicaUpdates` (`replica_updates.rs`) adds or removes Regions of a
//! table's replication group ([`Group`]). A new replica is CREATING for
//! [`REPLICA_CREATE_MS`] of engine time — AWS took 14–49 s for an empty table in recorded
//! runs; its table appears in its Region when it becomes ACTIVE, as a copy of the table of
//! the Region that asked for it, and every write since then reaches it by replication. A
//! removed replica is DELETING for [`REPLICA_DELETE_MS`], then its table is gone.
//!
//! ## Replication, and who wins
//!
//! Every write a replica table commits (requests, TTL deletions; not the replicated writes
//! themselves) is stamped with a [`Version`] and sent to every other replica, arriving
//! [`GlobalTables::delay_ms`] later (the playground setting
//! `GlobalTableReplicationDelayMilliseconds`, default [`DEFAULT_REPLICATION_DELAY_MS`]: AWS
//! documents that a write "is usually propagated to all replica tables within a second").
//! What travels is the whole item after the write (or its deletion): items replicate
//! individually, a transaction is not atomic in other Regions.
//!
//! **Last writer wins.** A version is the write's engine time, then the order the engine
//! made writes within that millisecond (the engine runs one request at a time, so two
//! writes never share a version). A replica applies an arriving write only if its version
//! is newer than the version of the item it holds (a deleted item keeps its version as a
//! tombstone), so every replica ends with the newest write whatever the order of arrival:
//! the same result in every Region.
//!
//! **A conflict** is a write that arrives at a replica whose item changed after the writer
//! last saw it: the replica's version is newer than the one the item had in the writer's
//! Region when it wrote (`base`). Then two Regions wrote concurrently; the newer write wins
//! in both, and each replica records the conflict, with who won ([`Conflict`]).
//!
//! A Region can be taken offline (`PlaygroundUpdateRegion`): isolated, as AWS's "isolated or
//! degraded" Region — its own requests are still served, but nothing replicates to or from it.
//! Its writes and those meant for it wait ([`GlobalTables::held`]) and flow when it is back,
//! where last writer wins settles what both sides wrote meanwhile.
//!
//! `replicate.rs` moves writes; `describe.rs` adds `Replicas` to table descriptions;
//! `view.rs` answers `PlaygroundDescribeRegions`; `state.rs` keeps all of it in workspace
//! documents and snapshots.

pub(crate) mod describe;
pub(crate) mod regions;
pub(crate) mod replica_updates;
pub(crate) mod replicate;
pub(crate) mod state;
pub(crate) mod strong;
pub(crate) mod view;

#[cfg(all(test, feature = "global-tables"))]
mod tests;

use std::collections::{HashMap, VecDeque};

use crate::types::{Item, PrimaryKey};

pub(crate) use regions::RegionState;

/// The version `DescribeTable` reports for a table with replicas.
pub(crate) const GLOBAL_TABLE_VERSION: &str = "2019.11.21";
/// How long a new replica stays CREATING.
pub(crate) const REPLICA_CREATE_MS: u64 = 10_000;
/// How long a removed replica stays DELETING.
pub(crate) const REPLICA_DELETE_MS: u64 = 10_000;
/// How long a replica `Update` keeps it UPDATING.
pub(crate) const REPLICA_UPDATE_MS: u64 = 1_000;
/// The default replication delay between Regions (the playground setting).
pub const DEFAULT_REPLICATION_DELAY_MS: u64 = 1_000;
/// How long a Region that a replica was created from cannot be removed (AWS's rule).
pub(crate) const SOURCE_REGION_HOLD_MS: u64 = 86_400_000;
/// The most conflicts a global table remembers for the view (the counts go on).
const MAX_CONFLICTS_KEPT: usize = 100;

/// A write's place in last-writer-wins order, packed in 63 bits so the versions of a
/// replica's items share the TTL index's map type (`HashMap<PrimaryKey, i64>`, one compiled
/// copy in the browser bundle): engine milliseconds (42 bits, to the year 2109), the order of
/// the write within that millisecond (13 bits), and the Region that made it (8 bits, which
/// never decides an order: no two writes share the first two).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version(u64);

const REGION_BITS: u32 = 8;
const TIE_BITS: u32 = 13;
const MAX_TIE: u64 = (1 << TIE_BITS) - 1;
const MAX_MS: u64 = (1 << 42) - 1;

impl Version {
    /// The version of items written before their table had replicas.
    pub const ZERO: Version = Version(0);

    fn new(at_ms: u64, tie: u64, region: u8) -> Self {
        Self(
            (at_ms.min(MAX_MS) << (TIE_BITS + REGION_BITS))
                | (tie.min(MAX_TIE) << REGION_BITS)
                | u64::from(region),
        )
    }

    /// The engine time of the write.
    pub fn at_ms(self) -> u64 {
        self.0 >> (TIE_BITS + REGION_BITS)
    }

    /// The Region that made the write ([`GlobalTables::region_name`]).
    pub fn region(self) -> u8 {
        (self.0 & ((1 << REGION_BITS) - 1)) as u8
    }

    /// As the versions map keeps it.
    pub fn to_i64(self) -> i64 {
        self.0 as i64
    }

    /// From the versions map (or a snapshot); `None` for a negative number.
    pub fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok().map(Self)
    }
}

/// What a replica table keeps for replication: the writes it committed since they were last
/// sent, and the version of every item it holds or deleted.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReplicaLog {
    /// Written by `write::commit_as`, emptied after each request (`replicate::drain`).
    pub outbox: Vec<(PrimaryKey, Option<Item>)>,
    /// The version of each item, deleted ones included (their tombstones).
    pub versions: HashMap<PrimaryKey, i64>,
    /// A replica of a strongly consistent table: its quorum and the items other Regions hold.
    pub strong: Option<strong::StrongState>,
}

impl ReplicaLog {
    /// The version of the item under `key` ([`Version::ZERO`] when it was never replicated).
    pub fn version(&self, key: &PrimaryKey) -> Version {
        self.versions.get(key).and_then(|v| Version::from_i64(*v)).unwrap_or(Version::ZERO)
    }
}

/// One Region's replica of a global table.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub region: String,
    /// When it was asked for (the group's first member: when the group began).
    pub added_ms: u64,
    /// CREATING until then.
    pub active_at_ms: u64,
    /// The Region whose `UpdateTable` created it (not for the group's first member).
    pub source: Option<String>,
    /// DELETING until then (its table is removed at that time).
    pub gone_at_ms: Option<u64>,
    /// UPDATING until then (a replica `Update`).
    pub updating_until_ms: u64,
    /// `TableClassOverride`, `OnDemandThroughputOverride`, `ProvisionedThroughputOverride`
    /// as they were set, shown in the other Regions' `Replicas`.
    pub overrides: serde_json::Map<String, serde_json::Value>,
    /// Conflicts resolved in this Region.
    pub conflicts: u64,
    /// Its table is yet to be made (it becomes ACTIVE at `active_at_ms`).
    pub pending: bool,
}

impl Member {
    /// `ReplicaStatus` at engine time `now`.
    pub fn status(&self, now: u64) -> &'static str {
        if self.gone_at_ms.is_some() {
            "DELETING"
        } else if now < self.active_at_ms {
            "CREATING"
        } else if now < self.updating_until_ms {
            "UPDATING"
        } else {
            "ACTIVE"
        }
    }

    /// Whether its table exists and takes part in replication at `now`.
    pub fn active(&self, now: u64) -> bool {
        self.gone_at_ms.is_none() && now >= self.active_at_ms
    }

    /// When it next changes on its own: made ACTIVE, or gone.
    pub fn next_change(&self) -> Option<u64> {
        self.gone_at_ms.or(self.pending.then_some(self.active_at_ms))
    }
}

/// A conflict resolved in one Region: two Regions wrote the same item concurrently.
#[derive(Clone, Debug)]
pub(crate) struct Conflict {
    /// Where it was resolved.
    pub region: u8,
    /// The item's key attributes.
    pub key: Item,
    pub winner: Version,
    pub loser: Version,
    pub at_ms: u64,
}

/// A global table: the same table name in several Regions.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub table: String,
    /// Multi-Region strong consistency (`MultiRegionConsistency: STRONG`).
    pub strong: bool,
    /// In the order they were added (each Region lists the others in this order).
    pub members: Vec<Member>,
    /// The witness Region of a strong group, and when it is ACTIVE.
    pub witness: Option<(String, u64)>,
    /// The latest conflicts, oldest first (at most [`MAX_CONFLICTS_KEPT`]).
    pub conflicts: Vec<Conflict>,
}

impl Group {
    /// The member in `region`.
    pub fn member(&self, region: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.region == region)
    }

    /// The member in `region`, to change.
    pub fn member_mut(&mut self, region: &str) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.region == region)
    }

    fn remember(&mut self, conflict: Conflict) {
        if self.conflicts.len() == MAX_CONFLICTS_KEPT {
            self.conflicts.remove(0);
        }
        self.conflicts.push(conflict);
    }
}

/// A replicated write on its way to one Region.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub table: String,
    pub key: PrimaryKey,
    /// The item after the write; `None`: it was deleted.
    pub item: Option<Item>,
    pub version: Version,
    /// The item's version in the writer's Region before the write (see the module docs).
    pub base: Version,
    /// The Region it goes to.
    pub target: u8,
    /// When it arrives, if both Regions are online.
    pub due_ms: u64,
}

/// Everything about Regions and global tables the engine holds.
#[derive(Clone, Debug)]
pub(crate) struct GlobalTables {
    /// Every Region but the one being served: its tables and retired streams.
    pub regions: Vec<RegionState>,
    /// Region names by the number a [`Version`] carries, in the order first seen.
    pub region_names: Vec<String>,
    /// The global tables, by the order they became global.
    pub groups: Vec<Group>,
    /// Writes on their way, by arrival time then version.
    pub queue: VecDeque<Pending>,
    /// Writes waiting for a Region to come back online or a replica to become ACTIVE.
    pub held: Vec<Pending>,
    /// Regions taken offline (isolated).
    pub offline: Vec<String>,
    /// The replication delay between Regions (a playground setting).
    pub delay_ms: u64,
    /// The last version handed out: its millisecond and its order within it.
    pub clock: (u64, u64),
}

impl Default for GlobalTables {
    fn default() -> Self {
        Self {
            regions: Vec::new(),
            region_names: Vec::new(),
            groups: Vec::new(),
            queue: VecDeque::new(),
            held: Vec::new(),
            offline: Vec::new(),
            delay_ms: DEFAULT_REPLICATION_DELAY_MS,
            clock: (0, 0),
        }
    }
}

/// A JSON object of `members`, built by one compiled function: `json!` inlines every
/// member at every use, which the page's first load pays for.
pub(crate) fn object(members: &mut [(&str, serde_json::Value)]) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for (k, v) in members {
        object.insert((*k).to_owned(), std::mem::take(v));
    }
    serde_json::Value::Object(object)
}

impl GlobalTables {
    /// The number a [`Version`] carries for `region` (registered on first use; past 255
    /// Regions the last number is shared, which only blurs the view's attribution).
    pub fn region_id(&mut self, region: &str) -> u8 {
        let i = match self.region_names.iter().position(|r| r == region) {
            Some(i) => i,
            None if self.region_names.len() < 256 => {
                self.region_names.push(region.to_owned());
                self.region_names.len() - 1
            }
            None => 255,
        };
        i.min(255) as u8
    }

    /// The Region numbered `id`.
    pub fn region_name(&self, id: u8) -> &str {
        self.region_names.get(usize::from(id)).map_or("", String::as_str)
    }

    /// The version of a write made now in `region`: later than every version before it.
    pub fn next_version(&mut self, now: u64, region: u8) -> Version {
        let (mut ms, mut tie) = self.clock;
        if now > ms {
            (ms, tie) = (now, 0);
        } else {
            tie += 1;
            if tie > MAX_TIE {
                // More writes in one millisecond than a version counts: the next millisecond.
                (ms, tie) = (ms + 1, 0);
            }
        }
        self.clock = (ms, tie);
        Version::new(ms, tie, region)
    }

    /// The global table named `table`.
    pub fn group(&self, table: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.table == table)
    }

    /// The global table named `table`, to change.
    pub fn group_mut(&mut self, table: &str) -> Option<&mut Group> {
        self.groups.iter_mut().find(|g| g.table == table)
    }

    /// Whether `region` is online.
    pub fn online(&self, region: &str) -> bool {
        !self.offline.iter().any(|r| r == region)
    }

    /// Drops the writes on their way to replica `target` of `table` (`None`: to any replica).
    pub fn forget(&mut self, table: &str, target: Option<u8>) {
        let keep = |p: &Pending| p.table != table || target.is_some_and(|t| t != p.target);
        self.held.retain(keep);
        self.queue.retain(keep);
    }

    /// Writes still on their way.
    pub fn in_flight(&self) -> impl Iterator<Item = &Pending> {
        self.queue.iter().chain(&self.held)
    }
}
