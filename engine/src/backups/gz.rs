//! Gzip, for export data files and compressed imports: flate2's pure-Rust backend, an optional
//! dependency the `backups` feature brings (the page's first load has no exports, so no
//! inflater). Without the feature these refuse, and nothing reaches them anyway: every
//! operation that would is refused first.

#[cfg(feature = "backups")]
use crate::error::ApiError;
use crate::error::ApiResult;

/// `data` gzip'd. The header carries no time or name, so the bytes are the same every time.
#[cfg(feature = "backups")]
pub(crate) fn compress(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// The bytes a gzip stream holds (several members concatenated, as `gzip` and S3 tools write
/// them, are read one after the other), at most `limit` of them.
#[cfg(feature = "backups")]
pub(crate) fn decompress(data: &[u8], limit: usize) -> ApiResult<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(data);
    decoder
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| ApiError::validation(format!("not a GZIP stream: {e}")))?;
    if out.len() > limit {
        return Err(super::objects::full(out.len()));
    }
    Ok(out)
}

#[cfg(not(feature = "backups"))]
pub(crate) fn compress(_: &[u8]) -> Vec<u8> {
    Vec::new()
}

#[cfg(not(feature = "backups"))]
pub(crate) fn decompress(_: &[u8], _: usize) -> ApiResult<Vec<u8>> {
    Err(crate::features::no_backups())
}
