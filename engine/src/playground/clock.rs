//! How host time becomes engine time. The host keeps calling `Engine::set_now(wall_ms)`
//! (every request on the server, every animation frame in the browser); the clock decides
//! what engine time that means:
//!
//! - **Following** (the default, until the learner touches pause or speed): engine time is the
//!   host's time, never running backwards — `now = max(now, wall)`.
//! - **Scaled**: engine time runs at `Speed` × host time from an anchor
//!   `(host_ms, engine_ms)` taken whenever pause or speed changes:
//!   `now = engine_ms + (wall − host_ms) × Speed`. While **paused** each `set_now` only moves
//!   the anchor, so engine time stands still and resumes from where it stopped (it does not
//!   jump to catch up). A host that has not called `set_now` yet anchors at its first call.
//!
//! Stepping (`PlaygroundAdvanceTime`, `Engine::advance`) moves engine time forward by a given
//! amount whether paused or not; in scaled mode the anchor moves with it so the step is kept.

/// Speeds the clock accepts (× host time).
pub(crate) const MAX_SPEED: f64 = 3_600.0;

#[derive(Clone, Copy, Debug)]
enum Mode {
    Following,
    Scaled { host_ms: Option<u64>, engine_ms: u64 },
}

/// The playground clock.
#[derive(Clone, Debug)]
pub(crate) struct Clock {
    mode: Mode,
    pub paused: bool,
    /// Speed in thousandths (1000 = real time).
    speed_milli: u64,
    last_host_ms: Option<u64>,
}

impl Default for Clock {
    fn default() -> Self {
        Self { mode: Mode::Following, paused: false, speed_milli: 1000, last_host_ms: None }
    }
}

impl Clock {
    /// The speed as a multiple of host time.
    pub fn speed(&self) -> f64 {
        self.speed_milli as f64 / 1000.0
    }

    /// Engine time for host time `wall`, given engine time `now`.
    pub fn target(&mut self, wall: u64, now: u64) -> u64 {
        self.last_host_ms = Some(wall);
        match &mut self.mode {
            Mode::Following => now.max(wall),
            Mode::Scaled { host_ms, engine_ms } => match *host_ms {
                Some(h) if !self.paused && wall >= h => {
                    let elapsed = u128::from(wall - h) * u128::from(self.speed_milli) / 1000;
                    (*engine_ms).saturating_add(elapsed as u64).max(now)
                }
                _ => {
                    // Paused, first call, or a host clock that went backwards: re-anchor.
                    *host_ms = Some(wall);
                    *engine_ms = now;
                    now
                }
            },
        }
    }

    /// Pauses or resumes and/or changes speed at engine time `now`.
    pub fn update(&mut self, paused: Option<bool>, speed: Option<f64>, now: u64) {
        if let Some(p) = paused {
            self.paused = p;
        }
        if let Some(s) = speed {
            self.speed_milli = (s.clamp(0.001, MAX_SPEED) * 1000.0).round() as u64;
        }
        self.mode = Mode::Scaled { host_ms: self.last_host_ms, engine_ms: now };
    }

    /// Keeps a step of engine time when scaled.
    pub fn stepped(&mut self, ms: u64) {
        if let Mode::Scaled { engine_ms, .. } = &mut self.mode {
            *engine_ms = engine_ms.saturating_add(ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_speed_and_step() {
        let mut c = Clock::default();
        assert_eq!(c.target(1_000, 0), 1_000);
        c.update(Some(true), None, 1_000);
        assert_eq!(c.target(5_000, 1_000), 1_000, "paused: engine time stands still");
        c.update(Some(false), Some(10.0), 1_000);
        assert_eq!(c.target(6_000, 1_000), 11_000, "10× from the anchor taken at host 5,000");
        c.stepped(500);
        assert_eq!(c.target(6_000, 11_500), 11_500);
        assert_eq!(c.target(6_100, 11_500), 12_500);
    }
}
