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
        format!("{}|1|{}", self.stream_arn, base64(inner.as_bytes()))
    }

    /// Reads an iterator string; `None` if it is not one this engine handed out.
    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split('|');
        let (stream_arn, version, payload) = (parts.next()?, parts.next()?, parts.next()?);
        if version != "1" || parts.next().is_some() || !stream_arn.starts_with("arn:") {
            return None;
        }
        let inner = String::from_utf8(unbase64(payload)?).ok()?;
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

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
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

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(unbase64("TWE="), Some(b"Ma".to_vec()));
    }
}
