//! Start-up and shutdown: the server is ready within milliseconds, and SIGTERM / SIGINT stop
//! it cleanly (exit 0) after letting an in-flight request finish.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Req, Server};

#[test]
fn ready_quickly() {
    let started = Instant::now();
    let server = Server::start();
    let resp = server.send(&Req::new("GET"));
    assert_eq!(resp.status, 200);
    // Generous for a loaded CI machine; in practice it is a few milliseconds.
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[test]
fn help_prints_usage() {
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_dynaplay-server")).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("--host") && text.contains("--port"), "{text}");

    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_dynaplay-server")).arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sigterm_exits_cleanly_with_idle_keep_alive_connection() {
    let mut server = Server::start();
    let mut idle = server.connect();
    assert_eq!(idle.send(&Req::new("GET")).status, 200);
    let status = server.signal_and_wait("TERM", Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
    assert!(TcpStream::connect(server.addr).is_err(), "still accepting after shutdown");
}

#[test]
fn sigint_exits_cleanly() {
    let mut server = Server::start();
    let status = server.signal_and_wait("INT", Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
}

#[test]
fn sigterm_lets_an_in_flight_request_finish() {
    let mut server = Server::start();
    let mut conn = server.connect();
    // Half a request: headers and part of the body.
    let body = b"{\"TableName\": \"x\"}";
    conn.write_head(&Req::op("DescribeTable", ""), body.len());
    conn.stream.write_all(&body[..5]).unwrap();
    std::thread::sleep(Duration::from_millis(100));

    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.child.try_wait().unwrap().is_none(), "exited with a request in flight");

    conn.stream.write_all(&body[5..]).unwrap();
    let resp = conn.read_response();
    assert!(resp.header("x-amzn-RequestId").is_some());
    assert!(resp.json().get("__type").is_some() || resp.json().get("Table").is_some());
    let status = server.wait(Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
}
