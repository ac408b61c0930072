//! Serving a request in a Region: the Region's tables are swapped into the engine's usual
//! fields for the request and back out after it, so every operation works unchanged in any
//! Region (see the module docs of `global`). Also the list of AWS Regions a replica can be
//! created in.

use serde_json::Value;

use crate::engine::Engine;
use crate::error::ApiResult;
use crate::journal::Mutation;
use crate::streams::StreamLog;
use crate::tables::Tables;

/// A Region other than the one being served.
#[derive(Clone, Default)]
pub(crate) struct RegionState {
    pub name: String,
    pub tables: Tables,
    /// Streams no longer attached to a table, readable for 24 hours (`Engine::closed_streams`).
    pub closed_streams: Vec<StreamLog>,
}

impl std::fmt::Debug for RegionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RegionState({}, {} tables)", self.name, self.tables.keys().count())
    }
}

impl RegionState {
    fn is_empty(&self) -> bool {
        self.tables.keys().next().is_none() && self.closed_streams.is_empty()
    }
}

/// The commercial AWS Regions global tables version 2019.11.21 replicate to, in the order
/// DynamoDB lists them when it refuses another ("Region us-fake-1 is not supported…": the
/// first five are recorded, the rest follow the same service's order of Regions).
pub const SUPPORTED_REGIONS: &[&str] = &[
    "ap-south-2",
    "ap-south-1",
    "eu-south-1",
    "eu-south-2",
    "me-central-1",
    "il-central-1",
    "ca-central-1",
    "ap-east-2",
    "mx-central-1",
    "eu-central-1",
    "eu-central-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "eu-north-1",
    "eu-west-3",
    "eu-west-2",
    "eu-west-1",
    "ap-northeast-3",
    "ap-northeast-2",
    "me-south-1",
    "ap-northeast-1",
    "sa-east-1",
    "ap-east-1",
    "ca-west-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "us-east-1",
    "ap-southeast-5",
    "us-east-2",
    "ap-southeast-6",
    "ap-southeast-7",
];

impl Engine {
    /// The engine's own Region (`EngineConfig::region`): where the plain entry points serve
    /// requests.
    pub fn region(&self) -> &str {
        &self.config.region
    }

    /// Every Region that holds something (a table, a retired stream, a replica being
    /// created) or is offline, the engine's own first, then by name.
    pub fn regions(&self) -> Vec<String> {
        let mut names: Vec<String> = self.global.regions.iter().map(|r| r.name.clone()).collect();
        for group in &self.global.groups {
            names.extend(group.members.iter().map(|m| m.region.clone()));
        }
        names.extend(self.global.offline.iter().cloned());
        names.retain(|r| *r != self.config.region);
        crate::types::sort_dedup(&mut names);
        names.insert(0, self.config.region.clone());
        names
    }

    /// [`Engine::handle_text`] for a request sent to `region` (the SigV4 credential scope's
    /// Region on a server, the client's Region in a page): it sees that Region's tables.
    pub fn handle_text_in(&mut self, region: &str, operation: &str, body: &[u8]) -> ApiResult<String> {
        self.served_in(region)?;
        self.in_region(region, |engine| engine.handle_text(operation, body))
    }

    /// [`Engine::handle_json`] for a request sent to `region`.
    pub fn handle_json_in(&mut self, region: &str, operation: &str, request: Value) -> ApiResult<Value> {
        self.served_in(region)?;
        self.in_region(region, |engine| engine.handle_json(operation, request))
    }

    /// [`Engine::handle_logged`] for a request sent to `region`: the journal entry names the
    /// Region when it is not the engine's own, so a replay serves it there again.
    pub fn handle_logged_in(
        &mut self,
        region: &str,
        operation: &str,
        body: &[u8],
    ) -> (ApiResult<String>, Option<Mutation>) {
        if let Err(e) = self.served_in(region) {
            return (Err(e), None);
        }
        let home = region == self.config.region;
        let (answer, entry) = self.in_region(region, |engine| engine.handle_logged(operation, body));
        let entry = entry.map(|mut m| {
            if !home {
                m.region = Some(region.to_owned());
            }
            m
        });
        (answer, entry)
    }

    /// [`Engine::replay`] for an entry made in `region` (`None`: the engine's own).
    pub fn replay_in(
        &mut self,
        region: Option<&str>,
        operation: &str,
        at_ms: u64,
        request: &Value,
    ) -> ApiResult<Value> {
        self.set_now(at_ms);
        match region {
            Some(region) => {
                self.served_in(region)?;
                self.in_region(region, |engine| engine.replay(operation, at_ms, request))
            }
            None => self.replay(operation, at_ms, request),
        }
    }

    /// Whether a request sent to `region` is served: any Region's is, in a build with global
    /// tables; without them (`features`) only the engine's own — other Regions come with them.
    pub(crate) fn served_in(&self, region: &str) -> ApiResult<()> {
        match crate::features::GLOBAL_TABLES || region == self.config.region {
            true => Ok(()),
            false => Err(crate::features::refuse(&format!(
                "Regions other than {} (they come with global tables)",
                self.config.region
            ))),
        }
    }

    /// Runs `run` with `region`'s state in the engine's usual fields.
    pub(crate) fn in_region<T>(&mut self, region: &str, run: impl FnOnce(&mut Self) -> T) -> T {
        if region == self.config.region {
            return run(self);
        }
        let i = match self.global.regions.iter().position(|r| r.name == region) {
            Some(i) => i,
            None => {
                self.global.regions.push(RegionState { name: region.to_owned(), ..RegionState::default() });
                self.global.regions.len() - 1
            }
        };
        self.swap_region(i);
        let out = run(self);
        self.swap_region(i);
        if self.global.regions[i].is_empty() {
            self.global.regions.remove(i);
        }
        out
    }

    /// Exchanges the served Region's state with the one stored at `i`.
    fn swap_region(&mut self, i: usize) {
        let state = &mut self.global.regions[i];
        std::mem::swap(&mut self.tables, &mut state.tables);
        std::mem::swap(&mut self.closed_streams, &mut state.closed_streams);
        std::mem::swap(&mut self.config.region, &mut state.name);
    }
}

/// The tables of `region`, whichever Region is being served; `None` if it holds none.
pub(crate) fn tables_in<'a>(engine: &'a mut Engine, region: &str) -> Option<&'a mut Tables> {
    if region == engine.config.region {
        return Some(&mut engine.tables);
    }
    engine.global.regions.iter_mut().find(|r| r.name == region).map(|r| &mut r.tables)
}

/// The tables of `region`, read-only.
pub(crate) fn tables_of<'a>(engine: &'a Engine, region: &str) -> Option<&'a Tables> {
    if region == engine.config.region {
        return Some(&engine.tables);
    }
    engine.global.regions.iter().find(|r| r.name == region).map(|r| &r.tables)
}

/// The state of `region` (made if it has none yet): its tables and retired streams.
pub(crate) fn state_in<'a>(engine: &'a mut Engine, region: &str) -> (&'a mut Tables, &'a mut Vec<StreamLog>) {
    if region == engine.config.region {
        return (&mut engine.tables, &mut engine.closed_streams);
    }
    let regions = &mut engine.global.regions;
    let i = match regions.iter().position(|r| r.name == region) {
        Some(i) => i,
        None => {
            regions.push(RegionState { name: region.to_owned(), ..RegionState::default() });
            regions.len() - 1
        }
    };
    let state = &mut regions[i];
    (&mut state.tables, &mut state.closed_streams)
}

/// Every Region's tables, the served Region's first.
pub(crate) fn all_tables_mut(engine: &mut Engine) -> impl Iterator<Item = &mut crate::table::Table> {
    engine.tables.values_mut().chain(engine.global.regions.iter_mut().flat_map(|r| r.tables.values_mut()))
}

/// Drops stored Regions left with nothing in them.
pub(crate) fn forget_empty(engine: &mut Engine) {
    engine.global.regions.retain(|r| !r.is_empty());
}
