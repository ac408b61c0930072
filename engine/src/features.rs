//! What this build of the engine holds. Global tables, DAX, auto scaling, access control and backups
//! are cargo features, on by default (the server, the tests): the page's first load leaves them out
//! to stay in its byte budget and loads a second build that has them when a learner opens a
//! view or lab that uses them.
//!
//! Without a feature its code is still compiled — its types, views and the plain per-Region
//! tables stay — but the few entry points that reach it (the consts below, at the top of
//! each) refuse or do nothing, so the linker drops the rest. A refusal says why, in
//! words the page can recognise ([`NOT_IN_THIS_BUILD`]).

use crate::error::ApiError;

/// Replicas in other Regions, replication, multi-Region strong consistency (`global`).
pub(crate) const GLOBAL_TABLES: bool = cfg!(feature = "global-tables");

/// DAX clusters, parameter groups and their caches (`dax`).
pub(crate) const DAX: bool = cfg!(feature = "dax");

/// Application Auto Scaling: scalable targets, target tracking policies, scaling (`autoscaling`).
pub(crate) const AUTO_SCALING: bool = cfg!(feature = "auto-scaling");

/// Identities, IAM policies and the authorization of requests (`iam`).
pub(crate) const IAM: bool = cfg!(feature = "iam");

/// On-demand backups, restores and point-in-time recovery's history (`backups`).
pub(crate) const BACKUPS: bool = cfg!(feature = "backups");

/// PutItem's Item and GetItem's Key read straight from the body (`types::item_reader`): a
/// speed the page's first load does without (6 KB of its gzip), so without it every request
/// takes the usual way.
pub(crate) const DIRECT_READ: bool = cfg!(feature = "direct-read");

/// How a refusal of this build begins: the page, reading it (say in a journal it replays),
/// loads the build that has the feature.
pub const NOT_IN_THIS_BUILD: &str = "Not in this build of dynaplay's engine: ";

/// The refusal of a request that needs `what`.
pub(crate) fn refuse(what: &str) -> ApiError {
    ApiError::validation(format!(
        "{NOT_IN_THIS_BUILD}{what}. The page loads them with its full engine: open the view or lab that \
         uses them, or call dynaplay.useFullEngine()."
    ))
}

/// Global tables' refusal.
pub(crate) fn no_global_tables() -> ApiError {
    refuse("global tables (replicas in other Regions)")
}

/// DAX's refusal.
pub(crate) fn no_dax() -> ApiError {
    refuse("DAX clusters")
}

/// Auto scaling's refusal.
pub(crate) fn no_auto_scaling() -> ApiError {
    refuse("auto scaling (Application Auto Scaling)")
}

/// Access control's refusal.
pub(crate) fn no_iam() -> ApiError {
    refuse("identities and IAM policies")
}

/// Backups' refusal.
pub(crate) fn no_backups() -> ApiError {
    refuse("backups and restores")
}
