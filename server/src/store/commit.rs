//! Group commit: requests the engine has executed wait here until the write holding them is on
//! disk. One writer thread takes everything queued, makes it durable with one fsync, answers
//! every waiter, and takes what queued meanwhile — so N concurrent writers cost about two
//! fsyncs, not N, as the browser shares one IndexedDB transaction between the requests of a
//! task.
//!
//! The queue is filled under the engine lock, so its order is the order the engine ran the
//! requests in. If a write fails, its waiters and every request queued behind it (the engine
//! ran those on top of the failed ones) are answered with the error, and the queue refuses new
//! entries until the engine has been rebuilt from disk ([`Committer::failed`]).

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::disk::{Disk, Entry};

/// The answer a waiter gets: durable, or why not.
pub type Outcome = Result<(), String>;

/// Resolves once the entry is durable (or its write failed).
pub type Ack = oneshot::Receiver<Outcome>;

#[derive(Default)]
struct Queue {
    pending: Vec<(Entry, Option<oneshot::Sender<Outcome>>)>,
    /// Set when a write failed, until the engine is rebuilt from disk.
    failed: Option<String>,
    closing: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

impl Shared {
    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The queue and its writer thread.
pub struct Committer {
    shared: Arc<Shared>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl Committer {
    /// Starts the writer thread over `disk`; `after_commit` runs after each successful write
    /// (with the disk still locked), e.g. to note that compaction is due.
    pub fn start(
        disk: Arc<Mutex<Disk>>,
        after_commit: impl Fn(&Disk) + Send + 'static,
    ) -> std::io::Result<Self> {
        let shared = Arc::new(Shared { queue: Mutex::new(Queue::default()), wake: Condvar::new() });
        let thread_shared = Arc::clone(&shared);
        let writer = std::thread::Builder::new()
            .name("dynaplay-commit".into())
            .spawn(move || write_loop(&thread_shared, &disk, &after_commit))?;
        Ok(Self { shared, writer: Mutex::new(Some(writer)) })
    }

    /// Queues an executed change. With `ack`, returns what resolves once it is durable.
    pub fn push(&self, entry: Entry, ack: bool) -> Option<Ack> {
        let (sender, receiver) = if ack {
            let (s, r) = oneshot::channel();
            (Some(s), Some(r))
        } else {
            (None, None)
        };
        let mut queue = self.shared.queue();
        if let Some(reason) = &queue.failed {
            if let Some(sender) = sender {
                let _ = sender.send(Err(reason.clone()));
            }
            return receiver;
        }
        queue.pending.push((entry, sender));
        drop(queue);
        self.shared.wake.notify_one();
        receiver
    }

    /// Why the last write failed, while the engine still holds changes that are not on disk.
    pub fn failed(&self) -> Option<String> {
        self.shared.queue().failed.clone()
    }

    /// The engine was rebuilt from disk: accept entries again.
    pub fn recovered(&self) {
        self.shared.queue().failed = None;
    }

    /// Writes what is queued, then stops the writer.
    pub fn close(&self) {
        self.shared.queue().closing = true;
        self.shared.wake.notify_one();
        if let Some(writer) = self.writer.lock().unwrap_or_else(PoisonError::into_inner).take() {
            let _ = writer.join();
        }
    }
}

impl Drop for Committer {
    /// Nothing queued is abandoned: the writer finishes it first.
    fn drop(&mut self) {
        self.close();
    }
}

fn write_loop(shared: &Shared, disk: &Mutex<Disk>, after_commit: &dyn Fn(&Disk)) {
    loop {
        let batch = {
            let mut queue = shared.queue();
            while queue.pending.is_empty() && !queue.closing {
                queue = shared.wake.wait(queue).unwrap_or_else(PoisonError::into_inner);
            }
            if queue.pending.is_empty() {
                return;
            }
            std::mem::take(&mut queue.pending)
        };
        let (entries, waiters): (Vec<Entry>, Vec<Option<oneshot::Sender<Outcome>>>) =
            batch.into_iter().unzip();
        let outcome = {
            let mut disk = disk.lock().unwrap_or_else(PoisonError::into_inner);
            let outcome = disk.commit(&entries);
            if outcome.is_ok() {
                after_commit(&disk);
            }
            outcome
        };
        match outcome {
            Ok(()) => {
                for waiter in waiters.into_iter().flatten() {
                    let _ = waiter.send(Ok(()));
                }
            }
            Err(e) => {
                let reason = format!("the data directory could not be written ({e})");
                eprintln!("dynaplay-server: {reason}; the changes not yet saved are refused");
                let mut queue = shared.queue();
                queue.failed = Some(reason.clone());
                let behind = std::mem::take(&mut queue.pending);
                drop(queue);
                for waiter in waiters.into_iter().chain(behind.into_iter().map(|(_, w)| w)).flatten() {
                    let _ = waiter.send(Err(reason.clone()));
                }
            }
        }
    }
}
