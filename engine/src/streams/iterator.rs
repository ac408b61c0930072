//! Shard iterators: opaque strings shaped like DynamoDB's (`<stream arn>|1|<base64>`) that
//! carry the shard, the next sequence number to read, and when the iterator was issued. They
//! are deterministic (no randomness) so golden cases can spell them out.

/// Where a reader is in a shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ShardIterator {
    pub stream_arn: String,
    pub shard_id: String,
    /// The first sequence number this iterator reads.
    pub position: u128,
    /// Engine time the iterator was handed out.
    pub issued_ms: u64,
}

impl ShardIterator {
    /// The iterator string.
    pub fn encode(&self) -> String {
        let inner = format!("{}|{}|{}", self.shard_id, self.position, self.issued_ms);
        format!("{}|1|{}", self.stream_arn, crate::types::base64::encode(inner.as_bytes()))
    }

    /// Reads an iterator string; `None` if it is not one this engine handed out.
    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split('|');
        let (stream_arn, version, payload) = (parts.next()?, parts.next()?, parts.next()?);
        if version != "1" || parts.next().is_some() || !stream_arn.starts_with("arn:") {
            return None;
        }
        let inner = String::from_utf8(crate::types::base64::decode(payload)?).ok()?;
        let mut fields = inner.split('|');
        let shard_id = fields.next()?.to_owned();
        let position = fields.next()?.parse().ok()?;
        let issued_ms = fields.next()?.parse().ok()?;
        if fields.next().is_some() {
            return None;
        }
        Some(Self { stream_arn: stream_arn.to_owned(), shard_id, position, issued_ms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterators_round_trip() {
        let it = ShardIterator {
            stream_arn: "arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2026-01-01T00:00:00.000"
                .into(),
            shard_id: "shardId-00000001767225600000-0a1b2c3d".into(),
            position: 100_000_000_000_000_000_042,
            issued_ms: 1_767_225_600_000,
        };
        let text = it.encode();
        assert!(text.starts_with(&format!("{}|1|", it.stream_arn)));
        assert_eq!(ShardIterator::decode(&text), Some(it));
    }

    #[test]
    fn garbage_is_not_an_iterator() {
        for bad in ["", "x", "arn:x|2|AAAA", "arn:x|1|!!!", "arn:x|1|QUJD", "arn:x|1|QUJD|x"] {
            assert_eq!(ShardIterator::decode(bad), None, "{bad}");
        }
    }
}
