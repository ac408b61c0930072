//! Durable PutItem/s beside in-memory PutItem/s, measured in one run:
//! `cargo bench -p dynaplay-server --bench durable_put`.
//!
//! For each number of concurrent clients, the real `dynaplay-server` binary runs in memory and
//! with `--data-dir` (in cargo's target tmp dir: a real disk, never a tmpfs where fsync costs
//! nothing), taking turns so a change in the machine's load hits both alike. Each client is a
//! thread with one keep-alive connection sending PutItem of fresh 100-byte items back to back.
//! `SECONDS=5 ROUNDS=3 CLIENTS=1,8,64` change the run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIGV4: &str = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, \
                     SignedHeaders=host;x-amz-date;x-amz-target, Signature=0";

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(data_dir: Option<&std::path::Path>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dynaplay-server"));
        command.args(["--port", "0"]).stdout(Stdio::piped()).stderr(Stdio::null());
        if let Some(dir) = data_dir {
            command.arg("--data-dir").arg(dir);
        }
        let mut child = command.spawn().expect("spawn dynaplay-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("dynaplay-server listening on http://")
            .expect("address line")
            .parse()
            .unwrap();
        // The server is measured, not DynamoDB's capacity model: an on-demand table would
        // throttle past 4,000 writes/s.
        let mut stream = TcpStream::connect(addr).unwrap();
        let settings =
            call_target(&mut stream, "Dynaplay.PlaygroundUpdateSettings", r#"{"ThrottlingEnabled":false}"#);
        assert_eq!(settings, 200);
        Self { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request on a keep-alive connection; returns the status.
fn call(stream: &mut TcpStream, operation: &str, body: &str) -> u16 {
    call_target(stream, &format!("DynamoDB_20120810.{operation}"), body)
}

fn call_target(stream: &mut TcpStream, target: &str, body: &str) -> u16 {
    // A `Date` header satisfies the signature's shape; the server holds only `X-Amz-Date` to
    // the 15-minute clock skew, so a fixed one serves a benchmark of any length.
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {target}\r\n\
         Content-Type: application/x-amz-json-1.0\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nAuthorization: {SIGV4}\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut head = Vec::with_capacity(512);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    status
}

/// PutItem/s with `clients` concurrent connections for `seconds`.
fn measure(server: &Server, clients: usize, seconds: f64, run: usize) -> f64 {
    let mut setup = TcpStream::connect(server.addr).unwrap();
    let table = format!("Bench{run}");
    let create = format!(
        r#"{{"TableName":"{table}","BillingMode":"PAY_PER_REQUEST","KeySchema":[{{"AttributeName":"pk","KeyType":"HASH"}}],"AttributeDefinitions":[{{"AttributeName":"pk","AttributeType":"S"}}]}}"#
    );
    assert_eq!(call(&mut setup, "CreateTable", &create), 200);
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (stop, done, addr, table) =
                (Arc::clone(&stop), Arc::clone(&done), server.addr, table.clone());
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let pad = "x".repeat(64);
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let body = format!(
                        r#"{{"TableName":"{table}","Item":{{"pk":{{"S":"c{c}-{n}"}},"v":{{"S":"{pad}"}}}}}}"#
                    );
                    assert_eq!(call(&mut stream, "PutItem", &body), 200);
                    n += 1;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Warm-up second, then the measured window.
    std::thread::sleep(Duration::from_millis(500));
    let start_count = done.load(Ordering::Relaxed);
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let count = done.load(Ordering::Relaxed) - start_count;
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    count as f64 / elapsed
}

fn main() {
    let seconds: f64 = std::env::var("SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let clients: Vec<usize> = std::env::var("CLIENTS")
        .unwrap_or_else(|_| "1,8,64".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("durable_put");
    let _ = std::fs::remove_dir_all(&dir);
    let memory = Server::start(None);
    let durable = Server::start(Some(&dir));
    println!(
        "PutItem over keep-alive HTTP on loopback, {seconds} s x {rounds} rounds per figure (best round), {} cores, \
         load {}; --data-dir in {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').next().unwrap_or("?"),
        dir.display()
    );
    println!("{:>8} {:>16} {:>16} {:>8}", "clients", "memory PutItem/s", "durable PutItem/s", "ratio");
    let mut run = 0;
    for &n in &clients {
        let (mut best_memory, mut best_durable) = (0f64, 0f64);
        for _ in 0..rounds {
            run += 1;
            best_memory = best_memory.max(measure(&memory, n, seconds, run));
            best_durable = best_durable.max(measure(&durable, n, seconds, run));
        }
        println!("{n:>8} {best_memory:>16.0} {best_durable:>17.0} {:>7.2}x", best_durable / best_memory);
    }
    drop(durable);
    let _ = std::fs::remove_dir_all(&dir);
}
