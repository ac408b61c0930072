//! A ZIP archive of stored (uncompressed) files: how the page hands over the several files of
//! an S3 export in one download. The files inside are already gzip or small JSON, so storing
//! needs no compressor; and these 80 lines cost the on-demand module far less than the `zip`
//! crate's writer (the tests read the archive back with that crate, and CI with Python's
//! `zipfile`). Layout per the ZIP application note (APPNOTE 6.3): a local header and the data
//! for each file, then the central directory and its end record. No ZIP64: an archive is
//! refused past 4 GiB or 65,535 files, which a browser tab never reaches.

/// One file of the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipEntry {
    /// Its path inside the archive, `/`-separated.
    pub path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Epoch milliseconds as an MS-DOS (date, time) pair, in UTC; 1980 for anything earlier.
fn dos_date_time(ms: u64) -> (u16, u16) {
    let (year, month, day) = dynaplay_engine::types::civil_from_days((ms / 86_400_000) as i64);
    if year < 1980 {
        return ((1 << 5) | 1, 0);
    }
    let seconds = ms / 1000 % 86_400;
    let year = u16::try_from((year - 1980).min(127)).unwrap_or(127);
    let date = (year << 9) | ((month as u16) << 5) | day as u16;
    let time =
        ((seconds / 3600) as u16) << 11 | ((seconds / 60 % 60) as u16) << 5 | (seconds % 60 / 2) as u16;
    (date, time)
}

fn u16le(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// The archive of `entries`, each dated `now_ms`; `None` past ZIP's 32-bit limits.
pub fn archive(entries: &[ZipEntry], now_ms: u64) -> Option<Vec<u8>> {
    let (date, time) = dos_date_time(now_ms);
    let count = u16::try_from(entries.len()).ok()?;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let offset = u32::try_from(out.len()).ok()?;
        let size = u32::try_from(entry.bytes.len()).ok()?;
        let name = entry.path.as_bytes();
        let name_len = u16::try_from(name.len()).ok()?;
        let crc = crc32fast::hash(&entry.bytes);
        // Bit 11: the name is UTF-8.
        let flags = 1 << 11;
        // Local file header.
        u32le(&mut out, 0x0403_4b50);
        for n in [20, flags, 0, time, date] {
            u16le(&mut out, n);
        }
        for n in [crc, size, size] {
            u32le(&mut out, n);
        }
        for n in [name_len, 0] {
            u16le(&mut out, n);
        }
        out.extend_from_slice(name);
        out.extend_from_slice(&entry.bytes);
        // Its central directory record: made by ZIP 2.0 on Unix (so the mode below is read).
        u32le(&mut central, 0x0201_4b50);
        for n in [(3 << 8) | 20, 20, flags, 0, time, date] {
            u16le(&mut central, n);
        }
        for n in [crc, size, size] {
            u32le(&mut central, n);
        }
        for n in [name_len, 0, 0, 0, 0] {
            u16le(&mut central, n);
        }
        // External attributes: a regular file, rw-r--r--.
        u32le(&mut central, 0o100_644 << 16);
        u32le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_offset = u32::try_from(out.len()).ok()?;
    let central_size = u32::try_from(central.len()).ok()?;
    out.extend_from_slice(&central);
    // End of central directory record.
    u32le(&mut out, 0x0605_4b50);
    for n in [0, 0, count, count] {
        u16le(&mut out, n);
    }
    u32le(&mut out, central_size);
    u32le(&mut out, central_offset);
    u16le(&mut out, 0);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_zip_crate_reads_back_every_file() {
        let entries = vec![
            ZipEntry { path: "a/b/manifest.json".into(), bytes: b"{\"x\":1}".to_vec() },
            ZipEntry { path: "a/_started".into(), bytes: Vec::new() },
            ZipEntry { path: "a/data/é.bin".into(), bytes: (0..=255u8).cycle().take(70_000).collect() },
        ];
        let bytes = archive(&entries, 1_767_225_600_000 + 3_723_000).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), 3);
        for entry in &entries {
            let mut file = zip.by_name(&entry.path).unwrap();
            let mut read = Vec::new();
            file.read_to_end(&mut read).unwrap();
            assert_eq!(read, entry.bytes, "{}", entry.path);
            let modified = file.last_modified().unwrap();
            assert_eq!((modified.year(), modified.month(), modified.day()), (2026, 1, 1));
            assert_eq!((modified.hour(), modified.minute(), modified.second()), (1, 2, 2));
        }
    }

    #[test]
    fn dates_before_1980_are_1980() {
        assert_eq!(dos_date_time(0), ((1 << 5) | 1, 0));
    }
}
