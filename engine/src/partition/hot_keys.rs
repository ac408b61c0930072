//! Most accessed and most throttled partition keys, in bounded memory: the Space-Saving
//! heavy-hitters sketch (Metwally, Agrawal, El Abbadi, 2005) with [`COUNTERS`] counters.
//!
//! Error bound (documented for the UI and Contributor Insights): over a window that saw a
//! total weight `N` (capacity units, or throttle events), every reported count overestimates
//! the key's true count by at most `N / COUNTERS` (each entry carries its own bound as
//! `error`), and every key whose true count exceeds `N / COUNTERS` is guaranteed to be
//! listed. Counts are kept per minute of engine time: the current minute and the one before
//! are merged when read, so the view follows the traffic of the last one to two minutes.
//!
//! Cost: one pass over the fixed number of counters per update — O(COUNTERS) = O(1) — which
//! finds the key's counter or, for a key not yet counted, the smallest one to evict. The
//! tokens are kept apart, contiguous, so the pass reads 64 integers (a hash map probed,
//! removed from and inserted into on every eviction cost more: uniform traffic evicts on
//! nearly every request).

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::types::KeyValue;

/// Counters per sketch.
pub(crate) const COUNTERS: usize = 64;

/// Length of one counting window, in engine milliseconds.
const WINDOW_MS: u64 = 60_000;

#[derive(Clone, Debug)]
struct Counter {
    token: u64,
    key: KeyValue,
    /// Overestimate bound inherited on eviction.
    error: u64,
}

/// One Space-Saving sketch.
#[derive(Clone, Debug, Default)]
struct Sketch {
    counters: Vec<Counter>,
    /// `counters[i].token` at `tokens[i]`, and its count at `counts[i]`: the key's counter is
    /// found by reading 64 contiguous integers.
    tokens: Vec<u64>,
    counts: Vec<u64>,
    total: u64,
    /// Once every counter is taken: the smallest count, and an index before which no counter
    /// holds it. Counts only grow, so the next counter to evict (the first smallest) is found
    /// by walking on from `cursor`, and all counts are read again only when none holds the
    /// smallest any more: uniform traffic evicts on nearly every request, and finding the
    /// smallest of 64 counts each time was a twelfth of a GetItem.
    min: u64,
    cursor: usize,
}

impl Sketch {
    fn add(&mut self, token: u64, key: &KeyValue, weight: u64) {
        self.total += weight;
        if let Some(i) = self.tokens.iter().position(|t| *t == token) {
            self.counts[i] += weight;
            return;
        }
        if self.counters.len() < COUNTERS {
            self.tokens.push(token);
            self.counts.push(weight);
            self.counters.push(Counter { token, key: key.clone(), error: 0 });
            return;
        }
        // Evict the smallest counter (the first of equals); the newcomer inherits its count as
        // error.
        let i = self.smallest();
        let min = self.counts[i];
        self.tokens[i] = token;
        self.counts[i] = min + weight;
        let counter = &mut self.counters[i];
        counter.token = token;
        counter.error = min;
        // Uniform traffic evicts on nearly every request: the old key's buffer takes the new
        // key's bytes rather than being freed for a new one.
        match (&mut counter.key, key) {
            (KeyValue::S(old), KeyValue::S(new)) => old.clone_from(new),
            (KeyValue::B(old), KeyValue::B(new)) => old.clone_from(new),
            (old, new) => *old = new.clone(),
        }
    }

    /// The first counter with the smallest count.
    fn smallest(&mut self) -> usize {
        for _ in 0..2 {
            if let Some(i) = (self.cursor..self.counts.len()).find(|&i| self.counts[i] == self.min) {
                self.cursor = i;
                return i;
            }
            // Every counter that held the smallest count has grown: read them all again.
            self.min = self.counts.iter().copied().min().unwrap_or(0);
            self.cursor = 0;
        }
        0
    }
}

/// Accessed and throttled sketches over the current and previous minute.
#[derive(Clone, Debug, Default)]
pub(crate) struct HotKeys {
    window_start_ms: u64,
    accessed: [Sketch; 2],
    throttled: [Sketch; 2],
}

impl HotKeys {
    fn roll(&mut self, now: u64) {
        let start = now - now % WINDOW_MS;
        if start != self.window_start_ms {
            let skipped = start.saturating_sub(self.window_start_ms) > WINDOW_MS;
            self.accessed[0] =
                if skipped { Sketch::default() } else { std::mem::take(&mut self.accessed[1]) };
            self.throttled[0] =
                if skipped { Sketch::default() } else { std::mem::take(&mut self.throttled[1]) };
            self.accessed[1] = Sketch::default();
            self.throttled[1] = Sketch::default();
            self.window_start_ms = start;
        }
    }

    /// Counts `micro` capacity micro-units consumed on a key.
    pub fn accessed(&mut self, now: u64, token: u64, key: &KeyValue, micro: i64) {
        self.roll(now);
        self.accessed[1].add(token, key, micro.max(0) as u64);
    }

    /// Counts one throttle event on a key.
    pub fn throttled(&mut self, now: u64, token: u64, key: &KeyValue) {
        self.roll(now);
        self.throttled[1].add(token, key, 1);
    }

    /// The top `n` keys of both lists as JSON, merged over the two windows.
    pub fn top(&self, now: u64, n: usize, render: impl Fn(&KeyValue) -> Value) -> Value {
        let age = (now - now % WINDOW_MS).saturating_sub(self.window_start_ms);
        fn fresh(sketches: &[Sketch; 2], age: u64) -> Vec<&Sketch> {
            match age {
                0 => sketches.iter().collect(),
                WINDOW_MS => vec![&sketches[1]],
                _ => Vec::new(),
            }
        }
        let list = |sketches: Vec<&Sketch>, scale: f64| {
            let mut merged: HashMap<u64, (KeyValue, u64, u64)> = HashMap::new();
            let mut total = 0;
            for s in &sketches {
                total += s.total;
                for (c, count) in s.counters.iter().zip(&s.counts) {
                    let e = merged.entry(c.token).or_insert_with(|| (c.key.clone(), 0, 0));
                    e.1 += count;
                    e.2 += c.error;
                }
            }
            let mut rows: Vec<(u64, KeyValue, u64, u64)> =
                merged.into_iter().map(|(t, (k, c, e))| (t, k, c, e)).collect();
            crate::types::sort_by(&mut rows, |a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            let bound = total / COUNTERS as u64;
            let rows: Vec<Value> = rows
                .into_iter()
                .take(n)
                .map(|(_, k, c, e)| json!({"Key": render(&k), "Count": c as f64 / scale, "Error": e as f64 / scale}))
                .collect();
            json!({"Keys": rows, "Total": total as f64 / scale, "ErrorBound": bound as f64 / scale})
        };
        json!({
            "MostAccessed": list(fresh(&self.accessed, age), 1e6),
            "MostThrottled": list(fresh(&self.throttled, age), 1.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hot_key_stays_on_top_among_many_cold_ones() {
        let mut h = HotKeys::default();
        let hot = KeyValue::S("hot".into());
        for i in 0..10_000u64 {
            let cold = KeyValue::S(format!("cold{i}"));
            h.accessed(0, cold.hash64(), &cold, 1_000_000);
            if i % 4 == 0 {
                h.accessed(0, hot.hash64(), &hot, 1_000_000);
            }
        }
        let top = h.top(0, 3, |k| json!(format!("{k:?}")));
        let first = &top["MostAccessed"]["Keys"][0];
        assert_eq!(first["Key"], json!(format!("{hot:?}")));
        // True count 2,500; overestimate at most N / COUNTERS.
        let count = first["Count"].as_f64().unwrap();
        let bound = top["MostAccessed"]["ErrorBound"].as_f64().unwrap();
        assert!((2_500.0..=2_500.0 + bound).contains(&count), "{count} {bound}");
    }

    /// The sketch against Space-Saving written plainly (one list of counters, the first smallest
    /// evicted): the same counts and error bounds, over traffic that evicts all the time.
    #[test]
    fn counts_as_plain_space_saving_does() {
        let mut sketch = Sketch::default();
        let mut plain: Vec<(u64, KeyValue, u64, u64)> = Vec::new();
        let mut x = 7u64;
        for step in 0..20_000u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let key = match x >> 62 {
                0 => KeyValue::N(crate::types::Number::from_i64((x >> 40) as i64 % 300)),
                1 => KeyValue::B(vec![(x >> 50) as u8 % 7; 3]),
                _ => KeyValue::S(format!("k{}", (x >> 33) % if step % 3 == 0 { 20 } else { 500 })),
            };
            let (token, weight) = (key.hash64(), (x >> 20) % 5);
            sketch.add(token, &key, weight);
            match plain.iter().position(|c| c.0 == token) {
                Some(i) => plain[i].2 += weight,
                None if plain.len() < COUNTERS => plain.push((token, key, weight, 0)),
                None => {
                    let i = (0..plain.len()).min_by_key(|&i| plain[i].2).unwrap_or(0);
                    let min = plain[i].2;
                    plain[i] = (token, key, min + weight, min);
                }
            }
            let got: Vec<_> = sketch
                .counters
                .iter()
                .zip(&sketch.counts)
                .map(|(c, &count)| (c.token, c.key.clone(), count, c.error))
                .collect();
            assert_eq!(got, plain, "step {step}");
            assert_eq!(sketch.tokens, plain.iter().map(|c| c.0).collect::<Vec<_>>());
        }
    }
}
