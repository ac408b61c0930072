//! Who may call the server (issue 12, item 6): only loopback `Host` names unless
//! `--allow-host` adds more (DNS rebinding), only loopback web pages unless `--cors` adds
//! more; the rest get a 403 that says how to allow them, and nothing runs.

mod common;

use common::{Req, Server};
use serde_json::json;

fn create_table(name: &str) -> Req {
    Req::op(
        "CreateTable",
        &json!({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})
        .to_string(),
    )
}

fn table_names(server: &Server) -> serde_json::Value {
    server.send(&Req::op("ListTables", "{}")).json()["TableNames"].clone()
}

fn assert_refused(resp: &common::Resp, needle: &str) {
    assert_eq!(resp.status, 403, "{}", resp.text());
    let body = resp.json();
    assert_eq!(body["__type"], "com.amazon.coral.service#AccessDeniedException");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(needle), "{message}");
    assert_eq!(resp.header("connection"), Some("close"));
    assert!(resp.header("access-control-allow-origin").is_none());
}

#[test]
fn loopback_hosts_are_answered_whatever_the_port() {
    let server = Server::start();
    for host in ["localhost", "127.0.0.1:8000", &server.addr.to_string(), "[::1]:9", "app.localhost:3000"] {
        let resp = server.send(&Req::op("ListTables", "{}").header("Host", host));
        assert_eq!(resp.status, 200, "{host}: {}", resp.text());
    }
}

#[test]
fn a_foreign_host_is_refused_and_nothing_runs() {
    // What a DNS-rebound page sends: its own name, pointed at 127.0.0.1.
    let server = Server::start();
    let resp = server.send(&create_table("Rebound").header("Host", "evil.example:8000"));
    assert_refused(&resp, "--allow-host evil.example");
    assert_eq!(table_names(&server), json!([]));
    // The health check too, and an absolute-form request URI naming another host.
    assert_refused(&server.send(&Req::new("GET").header("Host", "evil.example")), "'evil.example'");
    let mut absolute = Req::op("ListTables", "{}");
    absolute.path = "http://evil.example/";
    assert_refused(&server.send(&absolute), "evil.example");
}

#[test]
fn allow_host_adds_names() {
    let server = Server::start_with(&["--allow-host", "dynamodb", "--allow-host", "192.168.7.7"]);
    for host in ["dynamodb:8000", "DYNAMODB", "192.168.7.7:8000", "localhost"] {
        assert_eq!(server.send(&Req::op("ListTables", "{}").header("Host", host)).status, 200, "{host}");
    }
    assert_refused(&server.send(&Req::op("ListTables", "{}").header("Host", "other:8000")), "other");
    let any = Server::start_with(&["--allow-host", "*"]);
    assert_eq!(any.send(&Req::op("ListTables", "{}").header("Host", "whatever.example")).status, 200);
}

#[test]
fn loopback_pages_get_cors_for_their_own_origin() {
    let server = Server::start();
    let origin = "http://localhost:8080";
    let resp = server.send(
        &Req::new("OPTIONS")
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, x-amz-target, authorization"),
    );
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("access-control-allow-origin"), Some(origin));
    assert_eq!(resp.header("vary"), Some("Origin"));
    assert_eq!(resp.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(
        resp.header("access-control-allow-headers"),
        Some("content-type, x-amz-target, authorization")
    );
    assert_eq!(resp.header("access-control-max-age"), Some("172800"));
    assert_eq!(resp.header("content-length"), Some("0"));
    assert!(resp.header("x-amzn-RequestId").is_some());

    for origin in ["http://localhost:8080", "https://127.0.0.1", "http://[::1]:3000"] {
        let resp = server.send(&Req::op("ListTables", "{}").header("Origin", origin));
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("access-control-allow-origin"), Some(origin));
        let exposed = resp.header("access-control-expose-headers").unwrap().to_ascii_lowercase();
        assert!(exposed.contains("x-amzn-requestid") && exposed.contains("x-amz-crc32"), "{exposed}");
    }
}

#[test]
fn other_pages_are_refused_before_anything_runs() {
    let server = Server::start();
    for origin in ["https://evil.example", "null", "http://localhost.evil.example"] {
        let preflight = server.send(
            &Req::new("OPTIONS").header("Origin", origin).header("Access-Control-Request-Method", "POST"),
        );
        assert_refused(&preflight, &format!("--cors {origin}"));
        // A page can send some requests without a preflight; they must not run either.
        let resp = server.send(&create_table("FromAPage").header("Origin", origin));
        assert_refused(&resp, origin);
    }
    assert_eq!(table_names(&server), json!([]));
}

#[test]
fn cors_adds_origins_or_allows_all() {
    let server = Server::start_with(&["--cors", "https://docs.example"]);
    let resp = server.send(&Req::op("ListTables", "{}").header("Origin", "https://docs.example"));
    assert_eq!(resp.header("access-control-allow-origin"), Some("https://docs.example"));
    assert_eq!(resp.header("vary"), Some("Origin"));
    assert_refused(
        &server.send(&Req::op("ListTables", "{}").header("Origin", "https://evil.example")),
        "evil",
    );

    let server = Server::start_with(&["--cors", "*"]);
    let resp = server.send(&Req::op("ListTables", "{}").header("Origin", "https://any.example"));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("access-control-allow-origin"), Some("*"));
}
