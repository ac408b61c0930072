//! The data directory on disk: which files it holds, how each is framed so damage is
//! detected, and the fsync discipline that makes a write durable before it is answered.
//!
//! ```text
//! DIR/LOCK              held (flock) while a server has DIR open; holds its pid
//! DIR/snapshot          header(generation G) + one frame: the workspace snapshot (JSON)
//! DIR/journal-G         header(generation G) + frames: journal records appended after it
//! DIR/damaged-…         a journal set aside because it could not be read or replayed whole
//! ```
//!
//! Header: `dynaplay` + kind (`journal\0` / `snapshot`) + format (u32 LE) + generation (u64
//! LE). Frame: payload length (u32 LE; u64 for the snapshot), CRC-32 of the length bytes and
//! the payload (u32 LE), payload. A crash can only tear the last frame of the journal (frames
//! are appended, then fsynced, then acknowledged), so a bad frame at the very end is a write
//! that was never acknowledged; a bad frame with data after it is damage.
//!
//! A new generation (compaction, checkpoint) never overwrites: the new journal is written and
//! fsynced, then the snapshot naming it goes to `snapshot.tmp`, is fsynced, renamed over
//! `snapshot` and the directory fsynced; only then is the old journal removed. A crash at any
//! point leaves a snapshot and the journal of its own generation.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The version of the layout above. A directory written by a newer one is refused.
pub const FORMAT: u32 = 1;

const MAGIC: &[u8; 8] = b"dynaplay";
const JOURNAL_KIND: &[u8; 8] = b"journal\0";
const SNAPSHOT_KIND: &[u8; 8] = b"snapshot";
/// The length of a file header.
pub const HEADER_BYTES: u64 = 28;

/// An open, locked data directory.
pub struct DataDir {
    path: PathBuf,
    /// Held for the life of the server: the lock is the open file.
    _lock: File,
}

impl DataDir {
    /// Creates `path` if needed and locks it, or says who holds it.
    pub fn open(path: &Path) -> Result<Self, String> {
        if !path.is_dir() {
            fs::create_dir_all(path)
                .map_err(|e| format!("cannot create the data directory {}: {e}", path.display()))?;
            // Make the new directory's own entry durable (best effort: the files in it are
            // synced with the directory itself).
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                let _ = File::open(parent).and_then(|d| d.sync_all());
            }
        }
        let lock_path = path.join("LOCK");
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = lock.read_to_string(&mut holder);
                let holder = holder.trim();
                let by = if holder.is_empty() { String::new() } else { format!(" (pid {holder})") };
                return Err(format!(
                    "the data directory {} is in use by another dynaplay-server{by}: stop it first, or choose \
                     another --data-dir",
                    path.display()
                ));
            }
            Err(TryLockError::Error(e)) => return Err(format!("cannot lock {}: {e}", lock_path.display())),
        }
        // Best effort: the pid only makes the message above more helpful.
        let _ = lock.set_len(0).and_then(|()| write!(lock, "{}", std::process::id()));
        Ok(Self { path: path.to_owned(), _lock: lock })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn snapshot_path(&self) -> PathBuf {
        self.path.join("snapshot")
    }

    pub fn journal_path(&self, generation: u64) -> PathBuf {
        self.path.join(format!("journal-{generation}"))
    }

    /// Makes renames and file creations in the directory durable.
    pub fn sync(&self) -> io::Result<()> {
        File::open(&self.path)?.sync_all()
    }

    /// Journals of other generations: leftovers of a crash during a generation change.
    pub fn stale_journals(&self, current: u64) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.path) else { return Vec::new() };
        entries
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.strip_prefix("journal-")
                    .and_then(|g| g.parse::<u64>().ok())
                    .is_some_and(|g| g != current)
            })
            .map(|e| e.path())
            .collect()
    }

    /// Sets a damaged journal aside under a name that says what it is, and returns that name.
    pub fn set_aside(&self, journal: &Path, generation: u64) -> io::Result<PathBuf> {
        let seconds =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut target = self.path.join(format!("damaged-{seconds}-journal-{generation}"));
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = self.path.join(format!("damaged-{seconds}-{n}-journal-{generation}"));
        }
        fs::rename(journal, &target)?;
        self.sync()?;
        Ok(target)
    }
}

fn header(kind: &[u8; 8], generation: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_BYTES as usize);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(kind);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&generation.to_le_bytes());
    out
}

/// Checks a header and returns its generation.
fn read_header(bytes: &[u8], kind: &[u8; 8], what: &str) -> Result<u64, String> {
    if bytes.len() < HEADER_BYTES as usize || &bytes[..8] != MAGIC || &bytes[8..16] != kind {
        return Err(format!("{what} is not a dynaplay {what} (its header is missing or damaged)"));
    }
    let format = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    if format > FORMAT {
        return Err(format!(
            "{what} was written by a newer dynaplay-server (stored format {format}; this one reads up to {FORMAT})"
        ));
    }
    let mut generation = [0u8; 8];
    generation.copy_from_slice(&bytes[20..28]);
    Ok(u64::from_le_bytes(generation))
}

/// A journal frame around `payload`.
pub fn frame(payload: &[u8]) -> Vec<u8> {
    let len = (payload.len() as u32).to_le_bytes();
    let mut crc = crc32fast::Hasher::new();
    crc.update(&len);
    crc.update(payload);
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend_from_slice(&len);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// How a journal file ends.
#[derive(Debug, PartialEq)]
pub enum Tail {
    /// Every byte belongs to a whole, valid frame.
    Clean,
    /// The last frame is incomplete or fails its checksum: a write cut off by a crash, never
    /// acknowledged. `bytes` were dropped.
    Torn { bytes: u64 },
    /// A frame that is not the last one is damaged: `bytes` from `offset` on cannot be read.
    Damaged { offset: u64, bytes: u64, why: String },
}

/// A journal file read back.
#[derive(Debug)]
pub struct JournalRead {
    /// The payloads of the valid frames, in order, with their offsets.
    pub frames: Vec<(u64, Vec<u8>)>,
    /// The length of the valid prefix (header + whole frames).
    pub good_len: u64,
    pub tail: Tail,
}

/// Reads the journal of `generation`. A missing file reads as empty (a crash before the
/// first generation finished, or a removed file); a wrong header is damage from byte 0.
pub fn read_journal(path: &Path, generation: u64) -> io::Result<JournalRead> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    let total = bytes.len() as u64;
    if bytes.is_empty() {
        return Ok(JournalRead { frames: Vec::new(), good_len: 0, tail: Tail::Clean });
    }
    match read_header(&bytes, JOURNAL_KIND, "the journal") {
        Ok(g) if g == generation => {}
        Ok(g) => {
            let why = format!("it belongs to generation {g}, not {generation}");
            return Ok(JournalRead {
                frames: Vec::new(),
                good_len: 0,
                tail: Tail::Damaged { offset: 0, bytes: total, why },
            });
        }
        Err(why) => {
            return Ok(JournalRead {
                frames: Vec::new(),
                good_len: 0,
                tail: Tail::Damaged { offset: 0, bytes: total, why },
            })
        }
    }
    let mut frames = Vec::new();
    let mut pos = HEADER_BYTES as usize;
    let tail = loop {
        let rest = &bytes[pos..];
        if rest.is_empty() {
            break Tail::Clean;
        }
        let offset = pos as u64;
        let torn = Tail::Torn { bytes: rest.len() as u64 };
        if rest.len() < 8 {
            break torn;
        }
        let len_bytes = [rest[0], rest[1], rest[2], rest[3]];
        let len = u32::from_le_bytes(len_bytes) as usize;
        let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
        if len == 0 {
            // Zeros where a frame should start: a file extended but never written (a torn
            // tail) when only zeros follow, damage otherwise.
            if rest.iter().all(|b| *b == 0) {
                break torn;
            }
            break Tail::Damaged { offset, bytes: rest.len() as u64, why: "a frame of length 0".into() };
        }
        let Some(payload) = rest.get(8..8 + len) else { break torn };
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&len_bytes);
        hasher.update(payload);
        if hasher.finalize() != crc {
            if 8 + len == rest.len() {
                break torn;
            }
            break Tail::Damaged { offset, bytes: rest.len() as u64, why: "checksum mismatch".into() };
        }
        frames.push((offset, payload.to_vec()));
        pos += 8 + len;
    };
    Ok(JournalRead { frames, good_len: pos as u64, tail })
}

/// Creates the journal of `generation` holding `frames` (already framed), fsynced.
pub fn create_journal(dir: &DataDir, generation: u64, frames: &[u8]) -> io::Result<File> {
    let path = dir.journal_path(generation);
    let mut file = OpenOptions::new().create(true).write(true).truncate(true).open(&path)?;
    file.write_all(&header(JOURNAL_KIND, generation))?;
    file.write_all(frames)?;
    file.sync_all()?;
    drop(file);
    open_journal_for_append(&path)
}

/// Opens an existing journal to append to it.
pub fn open_journal_for_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().append(true).open(path)
}

/// Cuts a journal back to `len` bytes (a torn tail), durably.
pub fn truncate(path: &Path, len: u64) -> io::Result<()> {
    let file = OpenOptions::new().write(true).open(path)?;
    file.set_len(len)?;
    file.sync_all()
}

/// Writes the snapshot of `generation` atomically: temp file, fsync, rename, directory fsync.
pub fn write_snapshot(dir: &DataDir, generation: u64, payload: &[u8]) -> io::Result<()> {
    let tmp = dir.path().join("snapshot.tmp");
    let mut file = OpenOptions::new().create(true).write(true).truncate(true).open(&tmp)?;
    let len = (payload.len() as u64).to_le_bytes();
    let mut crc = crc32fast::Hasher::new();
    crc.update(&len);
    crc.update(payload);
    file.write_all(&header(SNAPSHOT_KIND, generation))?;
    file.write_all(&len)?;
    file.write_all(&crc.finalize().to_le_bytes())?;
    file.write_all(payload)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, dir.snapshot_path())?;
    dir.sync()
}

/// The stored snapshot: `None` for a directory never written, else its generation and
/// payload. A damaged snapshot is an error: there is nothing before it to fall back on.
pub fn read_snapshot(dir: &DataDir) -> Result<Option<(u64, Vec<u8>)>, String> {
    let path = dir.snapshot_path();
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let damaged = |why: &str| format!("the snapshot {} is damaged ({why})", path.display());
    let generation = read_header(&bytes, SNAPSHOT_KIND, "the snapshot").map_err(|e| damaged(&e))?;
    let rest = &bytes[HEADER_BYTES as usize..];
    if rest.len() < 12 {
        return Err(damaged("it is cut short"));
    }
    let len_bytes = &rest[..8];
    let mut len = [0u8; 8];
    len.copy_from_slice(len_bytes);
    let len = u64::from_le_bytes(len);
    let crc = u32::from_le_bytes([rest[8], rest[9], rest[10], rest[11]]);
    let payload = &rest[12..];
    if payload.len() as u64 != len {
        return Err(damaged(&format!("{} bytes of payload, {len} expected", payload.len())));
    }
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(len_bytes);
    hasher.update(payload);
    if hasher.finalize() != crc {
        return Err(damaged("checksum mismatch"));
    }
    Ok(Some((generation, payload.to_vec())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dynaplay-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn journal_with(dir: &DataDir, payloads: &[&[u8]]) -> PathBuf {
        let frames: Vec<u8> = payloads.iter().flat_map(|p| frame(p)).collect();
        create_journal(dir, 1, &frames).unwrap();
        dir.journal_path(1)
    }

    #[test]
    fn frames_read_back_in_order() {
        let path = temp_dir("order");
        let dir = DataDir::open(&path).unwrap();
        let journal = journal_with(&dir, &[b"one", b"two", b"three"]);
        let read = read_journal(&journal, 1).unwrap();
        let payloads: Vec<&[u8]> = read.frames.iter().map(|(_, p)| p.as_slice()).collect();
        assert_eq!(payloads, [&b"one"[..], b"two", b"three"]);
        assert_eq!(read.tail, Tail::Clean);
        assert_eq!(read.good_len, fs::metadata(&journal).unwrap().len());
        fs::remove_dir_all(&path).unwrap();
    }

    #[test]
    fn a_cut_last_frame_is_a_torn_tail() {
        let path = temp_dir("torn");
        let dir = DataDir::open(&path).unwrap();
        let journal = journal_with(&dir, &[b"one", b"two"]);
        let full = fs::metadata(&journal).unwrap().len();
        for cut in 1..=10u64 {
            truncate(&journal, full - cut).unwrap();
            let read = read_journal(&journal, 1).unwrap();
            assert_eq!(read.frames.len(), 1, "cut {cut}");
            assert_eq!(read.tail, Tail::Torn { bytes: 11 - cut }, "cut {cut}");
            journal_with(&dir, &[b"one", b"two"]);
        }
        // A flipped byte in the last frame, or zeros after it: torn too.
        let mut bytes = fs::read(&journal).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&journal, &bytes).unwrap();
        assert_eq!(read_journal(&journal, 1).unwrap().tail, Tail::Torn { bytes: 11 });
        journal_with(&dir, &[b"one"]);
        let mut bytes = fs::read(&journal).unwrap();
        bytes.extend_from_slice(&[0; 100]);
        fs::write(&journal, &bytes).unwrap();
        let read = read_journal(&journal, 1).unwrap();
        assert_eq!((read.frames.len(), read.tail), (1, Tail::Torn { bytes: 100 }));
        fs::remove_dir_all(&path).unwrap();
    }

    #[test]
    fn a_bad_frame_before_others_is_damage() {
        let path = temp_dir("damage");
        let dir = DataDir::open(&path).unwrap();
        let journal = journal_with(&dir, &[b"one", b"two", b"three"]);
        let mut bytes = fs::read(&journal).unwrap();
        let second = HEADER_BYTES as usize + 8 + 3;
        bytes[second + 9] ^= 0xff; // inside "two"
        fs::write(&journal, &bytes).unwrap();
        let read = read_journal(&journal, 1).unwrap();
        assert_eq!(read.frames.len(), 1);
        assert_eq!(read.good_len, second as u64);
        assert_eq!(
            read.tail,
            Tail::Damaged {
                offset: second as u64,
                bytes: (8 + 3) + (8 + 5),
                why: "checksum mismatch".into()
            }
        );
        // A journal of another generation, or not a journal at all.
        assert!(matches!(read_journal(&journal, 2).unwrap().tail, Tail::Damaged { offset: 0, .. }));
        fs::write(&journal, b"hello").unwrap();
        assert!(matches!(read_journal(&journal, 1).unwrap().tail, Tail::Damaged { offset: 0, bytes: 5, .. }));
        fs::remove_dir_all(&path).unwrap();
    }

    #[test]
    fn snapshots_are_checked() {
        let path = temp_dir("snapshot");
        let dir = DataDir::open(&path).unwrap();
        assert_eq!(read_snapshot(&dir).unwrap(), None);
        write_snapshot(&dir, 7, b"{\"tables\":[]}").unwrap();
        assert_eq!(read_snapshot(&dir).unwrap(), Some((7, b"{\"tables\":[]}".to_vec())));
        assert!(!dir.path().join("snapshot.tmp").exists());
        let mut bytes = fs::read(dir.snapshot_path()).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(dir.snapshot_path(), &bytes).unwrap();
        assert!(read_snapshot(&dir).unwrap_err().contains("checksum mismatch"));
        bytes.truncate(30);
        fs::write(dir.snapshot_path(), &bytes).unwrap();
        assert!(read_snapshot(&dir).unwrap_err().contains("cut short"));
        // A newer format is refused by name.
        write_snapshot(&dir, 7, b"{}").unwrap();
        let mut bytes = fs::read(dir.snapshot_path()).unwrap();
        bytes[16] = 99;
        fs::write(dir.snapshot_path(), &bytes).unwrap();
        assert!(read_snapshot(&dir).unwrap_err().contains("newer dynaplay-server"));
        fs::remove_dir_all(&path).unwrap();
    }

    #[test]
    fn one_server_per_directory() {
        let path = temp_dir("lock");
        let first = DataDir::open(&path).unwrap();
        let err = DataDir::open(&path).err().unwrap();
        assert!(err.contains("in use by another dynaplay-server"), "{err}");
        assert!(err.contains(&format!("pid {}", std::process::id())), "{err}");
        drop(first);
        assert!(DataDir::open(&path).is_ok(), "the lock goes with its holder");
        fs::remove_dir_all(&path).unwrap();
    }
}
