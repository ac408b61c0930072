//! When the host may store a snapshot (a checkpoint) of what the engine changed on its own —
//! workload traffic, TTL deletions, traffic-driven splits — so that the bytes written per
//! second stay bounded whatever the workspace's size.
//!
//! A snapshot is the whole workspace; a workload that keeps writing makes one due all the time.
//! Written every 2 s as they were, a 40 MB workspace (a workload's 400 KB items over 100 keys)
//! cost 20 MB/s of IndexedDB writes. Instead each snapshot pays for itself: after one of `B`
//! bytes, the next waits `B / BYTES_PER_SECOND` (and a checkpoint for background changes alone
//! at least [`MIN_BACKGROUND_INTERVAL_MS`]), so snapshots never write more than
//! [`BYTES_PER_SECOND`] on average. A learner's write that must go on top of a checkpoint (its
//! replay needs the engine's own changes first, see `dynaplay_engine::journal`) waits for it:
//! under a heavy workload its acknowledgement comes later, and nothing is written faster.
//! Platform-free: the host passes wall-clock milliseconds in.

/// The most bytes of snapshots written per second, on average.
pub const BYTES_PER_SECOND: f64 = 2.0 * 1024.0 * 1024.0;

/// The shortest time between two checkpoints of background changes alone: what workload
/// traffic loses at most in a crash, for a small workspace.
pub const MIN_BACKGROUND_INTERVAL_MS: f64 = 2_000.0;

/// The last snapshot written: when, and how large.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckpointPacer {
    last_at_ms: f64,
    last_bytes: usize,
}

impl CheckpointPacer {
    /// Records a snapshot of `bytes` stored at `at_ms` (any snapshot: a checkpoint, a
    /// compaction, a reset or import).
    pub fn stored(&mut self, at_ms: f64, bytes: usize) {
        self.last_at_ms = at_ms;
        self.last_bytes = bytes;
    }

    /// The earliest wall time the next snapshot may be written: the last one paid off at
    /// [`BYTES_PER_SECOND`].
    pub fn next_snapshot_ms(&self) -> f64 {
        self.last_at_ms + self.last_bytes as f64 * 1000.0 / BYTES_PER_SECOND
    }

    /// The earliest wall time a checkpoint of background changes alone is queued.
    pub fn next_background_ms(&self) -> f64 {
        self.next_snapshot_ms().max(self.last_at_ms + MIN_BACKGROUND_INTERVAL_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives the pacer as the host does, for `seconds` of frames with a workload that makes a
    /// checkpoint due every frame and a learner's write every `write_every_ms` (each needing a
    /// snapshot first); returns the snapshot bytes written and the longest wait of a write.
    fn simulate(snapshot_bytes: usize, seconds: f64, write_every_ms: f64) -> (f64, f64) {
        let mut pacer = CheckpointPacer::default();
        let (mut written, mut longest_wait) = (0.0, 0.0f64);
        let mut waiting_since: Option<f64> = None;
        let mut next_write = 0.0;
        let mut now = 0.0;
        while now < seconds * 1000.0 {
            if now >= next_write {
                waiting_since.get_or_insert(now);
                next_write += write_every_ms;
            }
            let due = match waiting_since {
                Some(_) => pacer.next_snapshot_ms(),
                None => pacer.next_background_ms(),
            };
            if now >= due {
                written += snapshot_bytes as f64;
                pacer.stored(now, snapshot_bytes);
                if let Some(since) = waiting_since.take() {
                    longest_wait = longest_wait.max(now - since);
                }
            }
            now += 1000.0 / 60.0;
        }
        (written, longest_wait)
    }

    #[test]
    fn snapshots_write_at_most_the_byte_rate_whatever_their_size() {
        for size in [10_000, 1 << 20, 40 << 20, 200 << 20] {
            for write_every in [16.0, 250.0, 5_000.0] {
                let (written, _) = simulate(size, 600.0, write_every);
                // One snapshot may go at once; after that the rate holds.
                let most = BYTES_PER_SECOND * 600.0 + size as f64;
                assert!(written <= most, "{size} B every {write_every} ms: {written} > {most}");
                assert!(written >= size as f64, "something is stored: {written}");
            }
        }
    }

    #[test]
    fn small_workspaces_checkpoint_every_two_seconds_and_writes_wait_little() {
        // 100 KB: background checkpoints as before (every 2 s); a write needing one waits
        // at most its 50 ms of byte budget.
        let (written, wait) = simulate(100_000, 60.0, 1e12);
        assert_eq!(written, 100_000.0 * 30.0, "one every 2 s for 60 s");
        let (_, wait_writing) = simulate(100_000, 60.0, 1_000.0);
        assert!(wait_writing <= 100_000.0 * 1000.0 / BYTES_PER_SECOND + 17.0, "{wait_writing} ms");
        assert_eq!(wait, 0.0);
    }

    #[test]
    fn a_large_workspace_spaces_its_snapshots_by_size() {
        let mut pacer = CheckpointPacer::default();
        pacer.stored(1_000.0, 40 << 20);
        assert_eq!(pacer.next_snapshot_ms(), 1_000.0 + 20_000.0, "40 MB at 2 MB/s: 20 s");
        assert_eq!(pacer.next_background_ms(), 21_000.0);
        pacer.stored(30_000.0, 1_000);
        assert_eq!(pacer.next_background_ms(), 32_000.0, "small again: the 2 s floor");
    }
}
