//! The playground's object store: a small stand-in for Amazon S3 that table exports write into
//! and ImportTable reads from. Buckets of objects, each a key and its bytes; a bucket exists
//! once something is written to it (a simplification: S3 wants it created first).
//!
//! Memory is bounded: [`OBJECT_BYTES`] in all, counted as the objects' keys and bytes. A write
//! that would pass the bound is refused with a `LimitExceededException` saying so, and nothing
//! is written (an export writes all its files or none).
//!
//! Hosts reach it through PlaygroundListObjects / GetObject / PutObject / DeleteObject; the
//! server also mirrors it to a directory (`server/src/exports.rs`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult, ErrorKind};

/// The most the store holds, keys and bytes counted (32 MiB).
pub(crate) const OBJECT_BYTES: usize = 32 << 20;

/// Every bucket and its objects, by name (so listings come in key order, as S3's do).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Objects {
    pub buckets: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    pub bytes: usize,
}

fn cost(key: &str, body: &[u8]) -> usize {
    key.len() + body.len()
}

pub(crate) fn full(needed: usize) -> ApiError {
    ApiError::new(
        ErrorKind::LimitExceeded,
        format!(
            "The playground's object store holds at most {OBJECT_BYTES} bytes of objects; these {needed} \
             bytes do not fit. Delete objects (PlaygroundDeleteObject) and try again."
        ),
    )
}

impl Objects {
    /// Writes every `(key, body)` of `files` into `bucket`, or none when they do not fit.
    pub fn put_all(&mut self, bucket: &str, files: Vec<(String, Vec<u8>)>) -> ApiResult<()> {
        let existing = self.buckets.get(bucket);
        let freed: usize =
            files.iter().filter_map(|(k, _)| existing.and_then(|b| b.get(k)).map(|old| cost(k, old))).sum();
        let needed: usize = files.iter().map(|(k, b)| cost(k, b)).sum();
        if self.bytes - freed + needed > OBJECT_BYTES {
            return Err(full(needed));
        }
        let objects = self.buckets.entry(bucket.to_owned()).or_default();
        for (key, body) in files {
            objects.insert(key, body);
        }
        self.bytes = self.bytes - freed + needed;
        Ok(())
    }

    pub fn get(&self, bucket: &str, key: &str) -> Option<&[u8]> {
        self.buckets.get(bucket)?.get(key).map(Vec::as_slice)
    }

    /// Removes an object; true when there was one.
    pub fn delete(&mut self, bucket: &str, key: &str) -> bool {
        let Some(objects) = self.buckets.get_mut(bucket) else { return false };
        let Some(body) = objects.remove(key) else { return false };
        self.bytes -= cost(key, &body);
        if objects.is_empty() {
            self.buckets.remove(bucket);
        }
        true
    }

    /// The objects of `bucket` whose keys start with `prefix`, in key order.
    pub fn list<'s>(&'s self, bucket: &str, prefix: &'s str) -> impl Iterator<Item = (&'s str, &'s [u8])> {
        self.buckets
            .get(bucket)
            .into_iter()
            .flat_map(move |b| b.range(prefix.to_owned()..))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// `{bucket: {key: base64 of the bytes}}`: the workspace document's `"Objects"`.
    pub fn to_json(&self) -> Value {
        let buckets: Map<String, Value> = self
            .buckets
            .iter()
            .map(|(name, objects)| {
                let o: Map<String, Value> = objects
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(crate::types::base64::encode(v))))
                    .collect();
                (name.clone(), Value::Object(o))
            })
            .collect();
        Value::Object(buckets)
    }

    pub fn from_json(v: &Value) -> Option<Self> {
        let mut store = Self::default();
        for (bucket, objects) in v.as_object()? {
            let files = objects
                .as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), crate::types::base64::decode(v.as_str()?)?)))
                .collect::<Option<Vec<_>>>()?;
            store.put_all(bucket, files).ok()?;
        }
        Some(store)
    }
}
