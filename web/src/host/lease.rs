//! The IndexedDB lease that makes one tab the workspace's only writer when the browser has no
//! Web Locks (`navigator.locks` exists only in secure contexts: a page served over plain
//! `http://` from a LAN address has none). The lease is a record in the `meta` store naming
//! its holder and an expiry; it is taken, renewed and checked in read-write transactions
//! (`host::store`), which IndexedDB runs one at a time, so two tabs can never both hold it,
//! and every write transaction checks it first, so a tab that lost it never writes.

/// How long a lease lasts without renewal: the owner renews it every [`LEASE_HEARTBEAT_MS`]
/// and with every write; a tab that stops renewing (closed, crashed, frozen in the background)
/// loses it to a waiting tab after this long.
pub const LEASE_TTL_MS: u64 = 6_000;
/// How often the owner renews its lease.
pub const LEASE_HEARTBEAT_MS: u32 = 2_000;
/// How often a read-only tab tries to take the lease over.
pub const LEASE_POLL_MS: u32 = 1_000;

/// A lease as stored: `"<holder id> <expiry, ms since the epoch>"`.
pub fn lease_text(holder: &str, expires_ms: u64) -> String {
    format!("{holder} {expires_ms}")
}

/// Who holds the stored lease `held`, if anyone (expired or not).
pub fn lease_holder(held: Option<&str>) -> Option<&str> {
    held.and_then(|t| t.split_once(' ')).map(|(holder, _)| holder)
}

/// Whether the stored lease `held` lets `owner` take (or keep) the workspace at `now_ms`:
/// nobody holds it, `owner` does, or its holder let it expire. Unreadable lease text counts
/// as expired (nothing else writes it).
pub fn lease_free(held: Option<&str>, owner: &str, now_ms: u64) -> bool {
    match held.and_then(|t| t.split_once(' ')) {
        None => true,
        Some((holder, expires)) => holder == owner || expires.parse::<u64>().map_or(true, |e| e <= now_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_is_free_when_absent_expired_or_ours() {
        let held = lease_text("tab-a", 10_000);
        assert_eq!(lease_holder(Some(&held)), Some("tab-a"));
        assert_eq!(lease_holder(None), None);
        assert!(lease_free(None, "tab-b", 5_000));
        assert!(!lease_free(Some(&held), "tab-b", 9_999), "another tab's live lease");
        assert!(lease_free(Some(&held), "tab-b", 10_000), "expired");
        assert!(lease_free(Some(&held), "tab-a", 9_999), "our own, renewed");
        assert!(lease_free(Some("tab-a garbage"), "tab-b", 0), "unreadable counts as expired");
    }
}
