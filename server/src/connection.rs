//! One TCP connection's life: how long it may sit idle or dribble its headers, and what a
//! connection past the cap gets.
//!
//! hyper's own header-read timer starts as soon as it waits for a request, so it cannot tell a
//! keep-alive connection resting between requests (fine for minutes: SDKs pool connections)
//! from a client that has started a request and sends it a byte at a time (a slowloris, which
//! should go within seconds). So each connection carries an [`Activity`] — updated by the
//! socket wrapper when the first byte of a request arrives and by the service when a request
//! starts and ends — and a watchdog closes the connection when the deadline of its phase
//! passes. The body has its own stall timeout inside the service (`http::read_body`).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// The timeouts every connection gets.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// From a request's first byte to its last header byte.
    pub header: Duration,
    /// Between the end of one response and the first byte of the next request.
    pub idle: Duration,
}

/// Where a connection is in its request cycle.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    /// No request in progress since this instant.
    Idle(Instant),
    /// A request's first bytes arrived at this instant; its headers are not complete yet.
    Head(Instant),
    /// The service has the request (its body stall timeout applies, not ours).
    Busy,
}

/// A connection's phase, shared by the socket wrapper, the service and the watchdog.
///
/// Changing the phase wakes nobody: three changes a request, each waking the connection's
/// task and re-arming its timer, cost more than the request's routing. Instead the watchdog
/// looks again at least every [`Activity::check_every`], which is never later than a
/// deadline: a phase that starts after a look has its deadline at least that long after it.
pub struct Activity {
    phase: Mutex<Phase>,
}

impl Activity {
    pub fn new() -> Arc<Self> {
        Arc::new(Self { phase: Mutex::new(Phase::Idle(Instant::now())) })
    }

    fn set(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = phase;
    }

    fn get(&self) -> Phase {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The service has a complete request head.
    pub fn request_started(&self) {
        self.set(Phase::Busy);
    }

    /// The service has answered; the connection rests until the next request.
    pub fn request_finished(&self) {
        self.set(Phase::Idle(Instant::now()));
    }

    /// Bytes arrived from the client.
    fn bytes_read(&self) {
        let mut phase = self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        if matches!(*phase, Phase::Idle(_)) {
            *phase = Phase::Head(Instant::now());
        }
    }

    /// When the connection must be closed if its phase does not change first.
    fn deadline(&self, timeouts: Timeouts) -> Option<Instant> {
        match self.get() {
            Phase::Idle(since) => Some(since + timeouts.idle),
            Phase::Head(since) => Some(since + timeouts.header),
            Phase::Busy => None,
        }
    }

    /// The longest the watchdog sleeps between looks: the shorter timeout (any phase that
    /// starts later ends no sooner than that after its start), at least a millisecond.
    fn check_every(timeouts: Timeouts) -> Duration {
        timeouts.header.min(timeouts.idle).max(Duration::from_millis(1))
    }

    /// Runs until the connection should be closed for inactivity; the caller races it
    /// against the connection itself.
    pub async fn expired(&self, timeouts: Timeouts) {
        let step = Self::check_every(timeouts);
        loop {
            let now = Instant::now();
            match self.deadline(timeouts) {
                Some(deadline) if deadline <= now => return,
                Some(deadline) => tokio::time::sleep_until(deadline.min(now + step)).await,
                None => tokio::time::sleep_until(now + step).await,
            }
        }
    }
}

/// The client's socket, reporting reads to the connection's [`Activity`].
pub struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    pub fn new(stream: TcpStream, activity: Arc<Activity>) -> Self {
        Self { stream, activity }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.bytes_read();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// How long a refused connection is given to finish sending before it is closed: closing a
/// socket with unread bytes makes the kernel send a reset, which can destroy the 503 before
/// the client reads it.
const REFUSAL_DRAIN: Duration = Duration::from_secs(1);
/// Refusals being drained at once; past this a connection is simply closed.
pub const MAX_REFUSALS: usize = 64;

/// Answers a connection past `--max-connections` with `503 ServiceUnavailable` (which SDKs
/// retry with back-off) and closes it.
pub async fn refuse(mut stream: TcpStream, max_connections: usize) {
    let body = format!(
        "{{\"__type\":\"com.amazon.coral.service#ServiceUnavailableException\",\"message\":\"dynaplay-server \
         already has {max_connections} connections open (--max-connections); retry later\"}}"
    );
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-crc32: {}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        crc32fast::hash(body.as_bytes()),
        body.len()
    );
    let drain = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await?;
        // Read (and drop) what the client sends until it closes, so our close is clean.
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    };
    let _ = tokio::time::timeout(REFUSAL_DRAIN, drain).await;
}

/// Rate-limits the "refusing connections" log line to one per interval.
pub struct Throttled {
    last_ms: AtomicU64,
    started: std::time::Instant,
}

impl Throttled {
    pub fn new() -> Self {
        Self { last_ms: AtomicU64::new(0), started: std::time::Instant::now() }
    }

    /// True at most once per `every`.
    pub fn ready(&self, every: Duration) -> bool {
        let now = self.started.elapsed().as_millis() as u64 + every.as_millis() as u64;
        let last = self.last_ms.load(Ordering::Relaxed);
        now >= last + every.as_millis() as u64
            && self.last_ms.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn phases_set_the_deadline() {
        let t = Timeouts { header: Duration::from_secs(2), idle: Duration::from_secs(10) };
        let a = Activity::new();
        let start = Instant::now();
        assert_eq!(a.deadline(t), Some(start + t.idle));
        tokio::time::advance(Duration::from_secs(5)).await;
        a.bytes_read();
        assert_eq!(a.deadline(t), Some(start + Duration::from_secs(7)), "a started request: header timeout");
        a.bytes_read();
        assert_eq!(a.deadline(t), Some(start + Duration::from_secs(7)), "more bytes do not extend it");
        a.request_started();
        assert_eq!(a.deadline(t), None);
        a.request_finished();
        assert_eq!(a.deadline(t), Some(Instant::now() + t.idle));
    }

    #[tokio::test(start_paused = true)]
    async fn expired_waits_for_the_current_phase() {
        let t = Timeouts { header: Duration::from_secs(2), idle: Duration::from_secs(10) };
        let a = Activity::new();
        let start = Instant::now();
        a.expired(t).await;
        assert_eq!(Instant::now() - start, t.idle);

        let a = Activity::new();
        let start = Instant::now();
        let watcher = {
            let a = Arc::clone(&a);
            tokio::spawn(async move { a.expired(t).await })
        };
        tokio::time::sleep(Duration::from_secs(1)).await;
        a.bytes_read(); // the header deadline (3 s) is earlier than the idle one (10 s)
        watcher.await.unwrap();
        assert_eq!(Instant::now() - start, Duration::from_secs(3));
    }

    #[test]
    fn throttled_lets_one_through_per_interval() {
        let t = Throttled::new();
        assert!(t.ready(Duration::from_secs(60)));
        assert!(!t.ready(Duration::from_secs(60)));
    }
}
