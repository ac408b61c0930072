//! Connection limits (issue 12, item 6): clients that send headers a byte at a time, that go
//! quiet, that half-close, that send garbage, or that open a thousand connections must not stop
//! the server from answering everyone else, nor make its memory grow without bound.
//!
//! No timing assertions: waits below are upper bounds on liveness ("closed within 20 s" for a
//! 1 s timeout), generous for a loaded CI machine.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use common::{Req, Server};
use serde_json::json;

/// How long a test waits for something the server should do within a second or two.
const LIVENESS: Duration = Duration::from_secs(20);

/// Reads until the server closes the connection (EOF or reset) and returns what came; panics
/// if it is still open after `within`.
fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Vec<u8> {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::BrokenPipe) => return got,
            Err(e) => panic!("the server kept the connection open for {within:?} ({e}); got {got:?}"),
        }
    }
}

/// A fresh client that must get a normal answer.
fn assert_serving(server: &Server) {
    let resp = server.send(&Req::op("ListTables", "{}"));
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp.json()["TableNames"].is_array());
}

fn create_table(server: &Server) {
    let resp = server.send(&Req::op(
        "CreateTable",
        &json!({"TableName": "Tab", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})
        .to_string(),
    ));
    assert_eq!(resp.status, 200, "{}", resp.text());
}

fn put(server: &Server, n: usize) {
    let body = json!({"TableName": "Tab", "Item": {"pk": {"S": format!("k{n}")}}}).to_string();
    let resp = server.send(&Req::op("PutItem", &body));
    assert_eq!(resp.status, 200, "{}", resp.text());
}

#[test]
fn slow_header_clients_are_cut_off_while_others_are_served() {
    let server = Server::start_with(&["--header-timeout", "1", "--idle-timeout", "60"]);
    // Twenty clients start a request and then send one header byte every 100 ms, forever.
    let mut slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    let mut open = slow.len();
    while open > 0 {
        assert!(started.elapsed() < LIVENESS, "{open} slow clients still connected after {LIVENESS:?}");
        assert_serving(&server);
        open = 0;
        for s in &mut slow {
            // A write to a connection the server closed fails (at the latest the second time).
            if s.write_all(b"a").is_ok() {
                open += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // A complete, prompt request on a fresh connection is unaffected by the timeout.
    assert_serving(&server);
}

#[test]
fn a_slow_body_gets_408() {
    let server = Server::start_with(&["--header-timeout", "1"]);
    let mut conn = server.connect();
    conn.write_head(&Req::op("ListTables", ""), 100);
    conn.stream.write_all(b"{").unwrap();
    let resp = conn.read_response();
    assert_eq!(resp.status, 408);
    assert_eq!(resp.json()["__type"], "com.amazon.coral.service#RequestTimeoutException");
    assert_serving(&server);
}

#[test]
fn idle_connections_are_closed_after_the_idle_timeout() {
    let server = Server::start_with(&["--idle-timeout", "1", "--header-timeout", "30"]);
    // One that was used, one that never sent a byte.
    let mut used = server.connect();
    assert_eq!(used.send(&Req::op("ListTables", "{}")).status, 200);
    let mut silent = TcpStream::connect(server.addr).unwrap();
    assert!(read_until_closed(&mut used.stream, LIVENESS).is_empty());
    assert!(read_until_closed(&mut silent, LIVENESS).is_empty());
    assert_serving(&server);
}

#[test]
fn keep_alive_connections_survive_shorter_pauses() {
    let server = Server::start_with(&["--idle-timeout", "5", "--header-timeout", "1"]);
    let mut conn = server.connect();
    // Pauses longer than the header timeout but shorter than the idle timeout: the connection
    // is resting, not dribbling, so it stays.
    for _ in 0..2 {
        assert_eq!(conn.send(&Req::op("ListTables", "{}")).status, 200);
        std::thread::sleep(Duration::from_millis(1500));
    }
    assert_eq!(conn.send(&Req::op("ListTables", "{}")).status, 200);
}

#[test]
fn a_half_closed_client_still_gets_its_answer() {
    let server = Server::start();
    create_table(&server);
    let mut conn = server.connect();
    let body = json!({"TableName": "Tab", "Item": {"pk": {"S": "half"}}}).to_string();
    conn.write_head(&Req::op("PutItem", ""), body.len());
    conn.stream.write_all(body.as_bytes()).unwrap();
    conn.stream.shutdown(Shutdown::Write).unwrap();
    let answer = read_until_closed(&mut conn.stream, LIVENESS);
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let resp = server.send(&Req::op("GetItem", r#"{"TableName":"Tab","Key":{"pk":{"S":"half"}}}"#));
    assert_eq!(resp.json()["Item"]["pk"]["S"], "half");
}

#[test]
fn half_closed_connections_without_a_request_are_released() {
    let server = Server::start_with(&["--idle-timeout", "60"]);
    let baseline = server.open_files();
    let mut conns: Vec<TcpStream> = (0..100)
        .map(|_| {
            let s = TcpStream::connect(server.addr).unwrap();
            s.shutdown(Shutdown::Write).unwrap();
            s
        })
        .collect();
    // The server sees EOF before any request and closes its side at once, not after 60 s.
    for s in &mut conns {
        assert!(read_until_closed(s, LIVENESS).is_empty());
    }
    drop(conns);
    wait_for_open_files(&server, baseline);
    assert_serving(&server);
}

/// Waits (bounded) until the server holds no more files than `baseline` (plus a little slack
/// for sockets still being torn down by the runtime).
fn wait_for_open_files(server: &Server, baseline: usize) {
    let started = Instant::now();
    loop {
        let open = server.open_files();
        if open <= baseline + 2 {
            return;
        }
        assert!(started.elapsed() < LIVENESS, "{open} files open, {baseline} before: connections leak");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn garbage_gets_an_error_or_a_close_and_the_server_goes_on() {
    let server = Server::start_with(&["--header-timeout", "2"]);
    let mut huge_header = b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Big: ".to_vec();
    huge_header.extend(std::iter::repeat_n(b'a', 200_000));
    huge_header.extend_from_slice(b"\r\n\r\n");
    let mut many_headers = b"GET / HTTP/1.1\r\nHost: localhost\r\n".to_vec();
    for i in 0..500 {
        many_headers.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
    }
    many_headers.extend_from_slice(b"\r\n");
    let mut random = Vec::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..64 * 1024 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        random.push(x as u8);
    }
    let payloads: Vec<Vec<u8>> = vec![
        random,
        b"\x00\x00\x00\x00\r\n\r\n".to_vec(),
        b"HELLO\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: localhost\r\nBad Header Name: x\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef"
            .to_vec(),
        b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
        huge_header,
        many_headers,
    ];
    for payload in &payloads {
        let mut s = TcpStream::connect(server.addr).unwrap();
        // The server may close before reading everything; that is a fine answer to garbage.
        let _ = s.write_all(payload);
        let answer = read_until_closed(&mut s, LIVENESS);
        let text = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty() || text.starts_with("HTTP/1.1 4"),
            "garbage {:?}… got {text:?}",
            String::from_utf8_lossy(&payload[..payload.len().min(40)])
        );
        assert_serving(&server);
    }
}

#[test]
fn connections_past_the_cap_get_a_clean_503() {
    let server = Server::start_with(&["--max-connections", "20"]);
    let baseline = server.open_files();
    let held: Vec<common::Connection> = (0..20).map(|_| server.connect()).collect();
    // Wait until the server has accepted all twenty.
    let started = Instant::now();
    while server.open_files() < baseline + 20 {
        assert!(started.elapsed() < LIVENESS, "the server did not accept 20 connections");
        std::thread::sleep(Duration::from_millis(20));
    }
    let resp = server.connect().send(&Req::op("ListTables", "{}"));
    assert_eq!(resp.status, 503, "{}", resp.text());
    assert_eq!(resp.json()["__type"], "com.amazon.coral.service#ServiceUnavailableException");
    assert!(resp.json()["message"].as_str().unwrap().contains("--max-connections"));
    assert_eq!(resp.header("x-amz-crc32"), Some(crc32fast::hash(&resp.body).to_string().as_str()));
    // Once some close, new connections are served again.
    drop(held);
    let started = Instant::now();
    loop {
        let resp = server.connect().send(&Req::op("ListTables", "{}"));
        if resp.status == 200 {
            break;
        }
        assert_eq!(resp.status, 503);
        assert!(started.elapsed() < LIVENESS, "still refusing after the held connections closed");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Opens `n` connections of four kinds — silent, mid-headers, used then idle, and used then
/// half-closed — and returns them, kept open.
fn open_mixed(server: &Server, n: usize) -> Vec<TcpStream> {
    let request = {
        let body = "{}";
        format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\
             Content-Type: application/x-amz-json-1.0\r\nX-Amz-Date: {}\r\n\
             Authorization: {}\r\nContent-Length: {}\r\n\r\n{body}",
            common::amz_date_now(),
            common::SIGV4,
            body.len()
        )
    };
    (0..n)
        .map(|i| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            match i % 4 {
                0 => {}
                1 => s.write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\n").unwrap(),
                2 => s.write_all(request.as_bytes()).unwrap(),
                _ => {
                    s.write_all(request.as_bytes()).unwrap();
                    s.shutdown(Shutdown::Write).unwrap();
                }
            }
            s
        })
        .collect()
}

#[test]
fn a_thousand_connections_leave_the_server_answering_with_bounded_memory() {
    // The test process itself needs a descriptor per connection.
    let _ = rlimit::increase_nofile_limit(4096);
    let server = Server::start_with(&["--header-timeout", "60", "--idle-timeout", "60"]);
    create_table(&server);
    for n in 0..200 {
        put(&server, n);
    }
    let files_before = server.open_files();
    let rss_before = server.rss_kib();
    let mut peak = 0;
    for round in 0..3 {
        let conns = open_mixed(&server, 1000);
        // While the thousand are open (none past its timeout), everyone else is answered.
        for n in 0..100 {
            put(&server, 1000 * (round + 1) + n);
        }
        assert_serving(&server);
        let started = Instant::now();
        // The half-closed quarter is answered and closed; the other 750 stay open.
        while server.open_files() < files_before + 740 {
            assert!(started.elapsed() < LIVENESS, "the server did not hold the connections open");
            std::thread::sleep(Duration::from_millis(20));
        }
        let rss = server.rss_kib();
        peak = peak.max(rss);
        eprintln!("round {round}: RSS {rss} KiB with 1,000 connections open ({rss_before} KiB before)");
        drop(conns);
        wait_for_open_files(&server, files_before);
    }
    let rss_after = server.rss_kib();
    eprintln!("RSS: {rss_before} KiB before, {peak} KiB peak, {rss_after} KiB after three rounds");
    // Generous: about 30 KiB per connection is expected; 64 MiB over the start for a thousand
    // connections, or memory that keeps growing round after round, means a leak.
    assert!(peak < rss_before + 64 * 1024, "RSS {peak} KiB with 1,000 connections ({rss_before} KiB before)");
    assert!(rss_after < rss_before + 32 * 1024, "RSS {rss_after} KiB after the connections closed");
    assert_serving(&server);
}
