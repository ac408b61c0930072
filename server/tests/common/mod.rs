//! Starts the real `dynaplay-server` binary on a free port and talks raw HTTP/1.1 to it, so
//! the tests see exactly the bytes a client would.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A running server, killed when dropped if a test did not stop it.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// What it printed on stderr, when started with [`Server::start_logged`].
    pub log: Option<std::sync::Arc<std::sync::Mutex<String>>>,
}

impl Server {
    /// Spawns the binary with `--port 0` and waits for its "listening on" line.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// [`Server::start`] with extra command-line arguments.
    pub fn start_with(args: &[&str]) -> Self {
        Self::spawn(args, false).unwrap_or_else(|log| panic!("the server did not start: {log}"))
    }

    /// [`Server::start_with`], keeping what the server prints on stderr ([`Server::log`]);
    /// `Err` with that text when it exits instead of listening.
    pub fn start_logged(args: &[&str]) -> Result<Self, String> {
        Self::spawn(args, true)
    }

    fn spawn(args: &[&str], logged: bool) -> Result<Self, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dynaplay-server"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(if logged { Stdio::piped() } else { Stdio::inherit() })
            .spawn()
            .expect("spawn dynaplay-server");
        let log = logged.then(|| {
            let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
            let sink = std::sync::Arc::clone(&log);
            let stderr = child.stderr.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("[server] {line}");
                    let mut log = sink.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
            log
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("read the address line");
        if line.is_empty() {
            // It exited: its stderr is complete once the reader thread sees the end.
            let _ = child.wait();
            let deadline = Instant::now() + Duration::from_secs(10);
            let text = || log.as_ref().map(|l| l.lock().unwrap().clone()).unwrap_or_default();
            while !text().contains("dynaplay-server: ") && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            return Err(text());
        }
        let addr = line
            .trim()
            .strip_prefix("dynaplay-server listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .expect("a socket address");
        Ok(Self { child, addr, log })
    }

    /// What the server has printed on stderr so far (started with [`Server::start_logged`]).
    pub fn log(&self) -> String {
        self.log.as_ref().map(|l| l.lock().unwrap().clone()).unwrap_or_default()
    }

    /// The log once it contains `needle` (waiting up to 10 s for the reader thread).
    pub fn log_until(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if log.contains(needle) || Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn connect(&self) -> Connection {
        let stream = TcpStream::connect(self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        Connection { stream }
    }

    /// One request on a fresh connection.
    pub fn send(&self, request: &Req) -> Resp {
        self.connect().send(request)
    }

    /// Sends `signal` (e.g. "TERM") and waits up to `timeout` for the process to exit.
    pub fn signal_and_wait(&mut self, signal: &str, timeout: Duration) -> ExitStatus {
        self.signal(signal);
        self.wait(timeout)
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill").arg(format!("-{signal}")).arg(self.child.id().to_string()).status();
        assert!(status.expect("run kill").success());
    }

    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit within {timeout:?}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Server {
    /// The process's resident set size in KiB, from `/proc/PID/status`.
    pub fn rss_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("read status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// How many file descriptors the process has open (sockets included).
    pub fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id())).expect("read fd dir").count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request to send; the builder methods keep tests short.
#[derive(Clone)]
pub struct Req {
    pub method: &'static str,
    pub path: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The current time as `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`): the server refuses a date more
/// than 15 minutes off, as DynamoDB does.
pub fn amz_date_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil date (years counted from March, so leap days fall last).
    let z = secs / 86_400 + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let (d, m) = (doy - (153 * mp + 2) / 5 + 1, if mp < 10 { mp + 3 } else { mp - 9 });
    let y = yoe + era * 400 + u64::from(m <= 2);
    let s = secs % 86_400;
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", s / 3_600, s % 3_600 / 60, s % 60)
}

/// A dummy but well-formed SigV4 header: the server checks its shape, never its signature.
pub const SIGV4: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, \
                         SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef";

impl Req {
    pub fn new(method: &'static str) -> Self {
        Self { method, path: "/", headers: Vec::new(), body: Vec::new() }
    }

    /// A signed DynamoDB call as an SDK sends it.
    pub fn op(operation: &str, body: &str) -> Self {
        Self::new("POST")
            .header("X-Amz-Target", &format!("DynamoDB_20120810.{operation}"))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Date", &amz_date_now())
            .header("Authorization", SIGV4)
            .body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: impl AsRef<[u8]>) -> Self {
        self.body = body.as_ref().to_vec();
        self
    }
}

/// A parsed response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A keep-alive connection.
pub struct Connection {
    pub stream: TcpStream,
}

impl Connection {
    /// [`Connection::send`] that reports a broken connection instead of panicking.
    pub fn try_send(&mut self, request: &Req) -> std::io::Result<Resp> {
        let mut head = format!("{} {} HTTP/1.1\r\nHost: localhost\r\n", request.method, request.path);
        for (name, value) in &request.headers {
            head += &format!("{name}: {value}\r\n");
        }
        head += &format!("Content-Length: {}\r\n\r\n", request.body.len());
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&request.body);
        self.stream.write_all(&bytes)?;
        let mut reader = BufReader::new(&self.stream);
        let mut status_line = String::new();
        if reader.read_line(&mut status_line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((n, v)) = line.split_once(':') {
                headers.push((n.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        // The BufReader may hold the start of the body.
        reader.read_exact(&mut body)?;
        Ok(Resp { status, headers, body })
    }

    pub fn send(&mut self, request: &Req) -> Resp {
        self.write_head(request, request.body.len());
        self.stream.write_all(&request.body).unwrap();
        self.read_response()
    }

    /// Writes the request line and headers, with `Content-Length: content_length`.
    pub fn write_head(&mut self, request: &Req, content_length: usize) {
        let mut head = format!("{} {} HTTP/1.1\r\n", request.method, request.path);
        // Host: localhost unless the request names its own.
        if !request.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
            head += "Host: localhost\r\n";
        }
        for (name, value) in &request.headers {
            head += &format!("{name}: {value}\r\n");
        }
        head += &format!("Content-Length: {content_length}\r\n\r\n");
        self.stream.write_all(head.as_bytes()).unwrap();
    }

    pub fn read_response(&mut self) -> Resp {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            let n = self.stream.read(&mut byte).expect("read response head");
            assert!(
                n == 1,
                "connection closed before a full response head: {:?}",
                String::from_utf8_lossy(&head)
            );
            head.push(byte[0]);
        }
        let head = String::from_utf8(head).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.trim().to_owned(), v.trim().to_owned())
            })
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).expect("read response body");
        Resp { status, headers, body }
    }
}
