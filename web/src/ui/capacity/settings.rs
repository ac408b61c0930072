//! The playground settings panel's model, platform-free: what a `PlaygroundDescribeSettings`
//! answer says (the partition size limit that splits partitions, whether requests over
//! capacity are throttled, how long after expiry TTL deletes an item, how many bytes of records
//! a stream keeps, how long replica 3 and the GSIs lag behind a write), the choices and the
//! summary line the panel shows, and the `PlaygroundUpdateSettings` request for a changed
//! control — or why its value is refused before anything is sent. Unit-tested natively.

use serde_json::{json, Value};

use super::panels::bytes;

/// Partition size limits offered (bytes, label); the current value is added when it is none
/// of these (set through the console or the API).
pub const SIZE_LIMITS: [(u64, &str); 7] = [
    (10_737_418_240, "10 GB (DynamoDB)"),
    (1_048_576, "1 MB"),
    (262_144, "256 KB"),
    (65_536, "64 KB"),
    (16_384, "16 KB"),
    (4_096, "4 KB"),
    (1_024, "1 KB"),
];

/// Stream size caps offered (bytes, label): the engine's range is 1 MiB – 1 GiB; the current
/// value is added when it is none of these.
pub const STREAM_RETENTIONS: [(u64, &str); 6] = [
    (1 << 20, "1 MB"),
    (4 << 20, "4 MB (default)"),
    (16 << 20, "16 MB"),
    (64 << 20, "64 MB"),
    (256 << 20, "256 MB"),
    (1 << 30, "1 GB"),
];

/// The settings as the panel shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// `PartitionSizeLimitBytes`.
    pub partition_size_limit: u64,
    /// `ThrottlingEnabled`.
    pub throttling: bool,
    /// `TtlDeletionDelayMilliseconds`, in whole seconds.
    pub ttl_delay_seconds: u64,
    /// `StreamRetentionBytes`: past it a stream's oldest records are trimmed.
    pub stream_retention_bytes: u64,
    /// `ReplicationDelayMilliseconds`: how long after its acknowledgement a write reaches a
    /// partition's third replica (eventually consistent reads may land there).
    pub replication_delay_ms: u64,
    /// `GsiPropagationDelayMilliseconds`: how long after the table a write reaches its GSIs.
    pub gsi_delay_ms: u64,
}

impl Settings {
    /// The `Settings` object of a `PlaygroundDescribeSettings` answer (DynamoDB's defaults
    /// for whatever it lacks, as before the first answer).
    pub fn from_json(settings: &Value) -> Settings {
        Settings {
            partition_size_limit: settings["PartitionSizeLimitBytes"].as_u64().unwrap_or(SIZE_LIMITS[0].0),
            throttling: settings["ThrottlingEnabled"].as_bool().unwrap_or(true),
            ttl_delay_seconds: settings["TtlDeletionDelayMilliseconds"].as_u64().unwrap_or(5_000) / 1000,
            stream_retention_bytes: settings["StreamRetentionBytes"]
                .as_u64()
                .unwrap_or(STREAM_RETENTIONS[1].0),
            replication_delay_ms: settings["ReplicationDelayMilliseconds"].as_u64().unwrap_or(0),
            gsi_delay_ms: settings["GsiPropagationDelayMilliseconds"].as_u64().unwrap_or(0),
        }
    }

    /// The panel's collapsed line, naming the current values.
    pub fn summary(&self) -> String {
        let mut summary = format!(
            "Playground settings · partitions split at {} · throttling {} · TTL deletes {} s after expiry · \
             streams keep {}",
            bytes(self.partition_size_limit as f64),
            if self.throttling { "on" } else { "off" },
            self.ttl_delay_seconds,
            bytes(self.stream_retention_bytes as f64)
        );
        // Said only when on: at zero every read is the latest, as before.
        if self.replication_delay_ms > 0 || self.gsi_delay_ms > 0 {
            summary.push_str(&format!(
                " · replica 3 lags {} ms, GSIs {} ms",
                self.replication_delay_ms, self.gsi_delay_ms
            ));
        }
        summary
    }

    /// The partition size limits to offer as (bytes, label): the current one first, marked
    /// *custom*, when it is none of [`SIZE_LIMITS`].
    pub fn size_choices(&self) -> Vec<(u64, String)> {
        choices(self.partition_size_limit, &SIZE_LIMITS)
    }

    /// The stream size caps to offer, as [`Settings::size_choices`] does.
    pub fn stream_retention_choices(&self) -> Vec<(u64, String)> {
        choices(self.stream_retention_bytes, &STREAM_RETENTIONS)
    }
}

/// `offered` as (bytes, label), with `current` first, marked *custom*, when it is none of them.
fn choices(current: u64, offered: &[(u64, &str)]) -> Vec<(u64, String)> {
    let mut choices = Vec::with_capacity(offered.len() + 1);
    if !offered.iter().any(|(b, _)| *b == current) {
        choices.push((current, format!("{} (custom)", bytes(current as f64))));
    }
    choices.extend(offered.iter().map(|(b, label)| (*b, (*label).to_owned())));
    choices
}

/// A setting the panel changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// The partition size limit (a menu of bytes).
    PartitionSizeLimit,
    /// Throttling on or off (a checkbox: `"true"` or `"false"`).
    Throttling,
    /// The TTL deletion delay, typed in whole seconds.
    TtlDeletionDelay,
    /// The most record bytes a stream keeps (a menu of bytes).
    StreamRetention,
    /// How long replica 3 lags behind a write, typed in milliseconds.
    ReplicationDelay,
    /// How long GSIs lag behind their table, typed in milliseconds.
    GsiPropagationDelay,
}

impl Setting {
    /// The `PlaygroundUpdateSettings` request that sets this setting to `value` as the
    /// control holds it, or why the value is refused before anything is sent.
    pub fn request(self, value: &str) -> Result<Value, String> {
        let whole =
            |what: &str| value.trim().parse::<u64>().map_err(|_| format!("{what} must be a whole number"));
        Ok(match self {
            Setting::PartitionSizeLimit => {
                json!({"PartitionSizeLimitBytes": whole("The partition size limit")?})
            }
            Setting::Throttling => json!({"ThrottlingEnabled": value == "true"}),
            Setting::TtlDeletionDelay => json!({
                "TtlDeletionDelayMilliseconds": whole("The TTL deletion delay (seconds)")?.saturating_mul(1000)
            }),
            Setting::StreamRetention => json!({"StreamRetentionBytes": whole("The stream size cap")?}),
            Setting::ReplicationDelay => {
                json!({"ReplicationDelayMilliseconds": whole("The replication delay (ms)")?})
            }
            Setting::GsiPropagationDelay => {
                json!({"GsiPropagationDelayMilliseconds": whole("The GSI propagation delay (ms)")?})
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_shows_the_current_values_and_a_custom_limit() {
        let s = Settings::from_json(&json!({"PartitionSizeLimitBytes": 4096, "ThrottlingEnabled": false,
            "TtlDeletionDelayMilliseconds": 60_000, "StreamRetentionBytes": 16_777_216}));
        assert_eq!(
            s,
            Settings {
                partition_size_limit: 4096,
                throttling: false,
                ttl_delay_seconds: 60,
                stream_retention_bytes: 16 << 20,
                replication_delay_ms: 0,
                gsi_delay_ms: 0
            }
        );
        assert_eq!(
            s.summary(),
            "Playground settings · partitions split at 4.0 KB · throttling off · TTL deletes 60 s after expiry \
             · streams keep 16.0 MB"
        );
        assert_eq!(s.stream_retention_choices().len(), STREAM_RETENTIONS.len(), "16 MB is offered");
        let lagging = Settings::from_json(
            &json!({"ReplicationDelayMilliseconds": 2000, "GsiPropagationDelayMilliseconds": 500}),
        );
        assert!(
            lagging.summary().ends_with(" · replica 3 lags 2000 ms, GSIs 500 ms"),
            "{}",
            lagging.summary()
        );
        let choices = s.size_choices();
        assert_eq!(choices.len(), SIZE_LIMITS.len(), "4 KB is one of the offered limits");
        assert_eq!(choices[5], (4096, "4 KB".to_owned()));
        let custom =
            Settings::from_json(&json!({"PartitionSizeLimitBytes": 5000, "ThrottlingEnabled": true}));
        assert!(custom.throttling);
        assert_eq!(custom.size_choices()[0], (5000, "4.9 KB (custom)".to_owned()));
        assert_eq!(custom.size_choices().len(), SIZE_LIMITS.len() + 1);
        let odd = Settings::from_json(&json!({"StreamRetentionBytes": 3_000_000}));
        assert_eq!(odd.stream_retention_choices()[0], (3_000_000, "2.9 MB (custom)".to_owned()));
        assert_eq!(odd.stream_retention_choices()[2], (4 << 20, "4 MB (default)".to_owned()));
        let defaults = Settings::from_json(&Value::Null);
        assert_eq!(
            defaults.summary(),
            "Playground settings · partitions split at 10.0 GB · throttling on · TTL deletes 5 s after expiry \
             · streams keep 4.0 MB"
        );
    }

    #[test]
    fn each_control_maps_to_its_request_and_bad_values_are_refused() {
        assert_eq!(
            Setting::PartitionSizeLimit.request("16384"),
            Ok(json!({"PartitionSizeLimitBytes": 16384}))
        );
        assert_eq!(Setting::Throttling.request("false"), Ok(json!({"ThrottlingEnabled": false})));
        assert_eq!(Setting::Throttling.request("true"), Ok(json!({"ThrottlingEnabled": true})));
        assert_eq!(
            Setting::TtlDeletionDelay.request(" 30 "),
            Ok(json!({"TtlDeletionDelayMilliseconds": 30_000}))
        );
        assert_eq!(
            Setting::TtlDeletionDelay.request("2.5"),
            Err("The TTL deletion delay (seconds) must be a whole number".into())
        );
        assert_eq!(
            Setting::StreamRetention.request("67108864"),
            Ok(json!({"StreamRetentionBytes": 67_108_864}))
        );
        assert_eq!(
            Setting::StreamRetention.request("-1"),
            Err("The stream size cap must be a whole number".into())
        );
        assert_eq!(
            Setting::ReplicationDelay.request("1500"),
            Ok(json!({"ReplicationDelayMilliseconds": 1500}))
        );
        assert_eq!(
            Setting::GsiPropagationDelay.request("0"),
            Ok(json!({"GsiPropagationDelayMilliseconds": 0}))
        );
        assert_eq!(
            Setting::ReplicationDelay.request("1.5"),
            Err("The replication delay (ms) must be a whole number".into())
        );
        assert_eq!(
            Setting::PartitionSizeLimit.request("big"),
            Err("The partition size limit must be a whole number".into())
        );
    }
}
