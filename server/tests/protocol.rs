//! The HTTP protocol layer as a client sees it: DynamoDB's answers to malformed requests
//! (as dynalite recorded them from the real service), headers SDKs rely on, body limits.
//! These tests do not depend on which operations the engine implements.

mod common;

use common::{Req, Server};
use serde_json::json;

const MAX: usize = 16 * 1024 * 1024;

/// The headers every answer must carry: a fresh request id in DynamoDB's format and the
/// CRC32 of the body that boto3 checks.
fn assert_standard_headers(resp: &common::Resp) {
    let id = resp.header("x-amzn-RequestId").expect("x-amzn-RequestId");
    assert_eq!(id.len(), 52, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()), "{id}");
    let crc: u32 = resp.header("x-amz-crc32").expect("x-amz-crc32").parse().unwrap();
    assert_eq!(crc, crc32fast::hash(&resp.body));
    assert_eq!(resp.header("content-length"), Some(resp.body.len().to_string().as_str()));
}

#[test]
fn health_check_answers_get() {
    let server = Server::start();
    let resp = server.send(&Req::new("GET"));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), "healthy: dynamodb.us-east-1.amazonaws.com ");
    assert_eq!(resp.header("x-amz-crc32"), Some("3128867991")); // DynamoDB's own value
    assert_standard_headers(&resp);
}

#[test]
fn missing_or_unknown_target_is_unknown_operation() {
    let server = Server::start();
    let unknown = json!({"__type": "com.amazon.coral.service#UnknownOperationException"});
    for target in
        [None, Some("whatever"), Some("DynamoDB_20120810.ListTable"), Some("DynamoDB_20111205.GetItem")]
    {
        let mut req = Req::op("ListTables", "{}");
        req.headers.retain(|(n, _)| n != "X-Amz-Target");
        if let Some(target) = target {
            req = req.header("X-Amz-Target", target);
        }
        let resp = server.send(&req);
        assert_eq!(resp.status, 400, "{target:?}");
        assert_eq!(resp.json(), unknown, "{target:?}");
        assert_eq!(resp.header("content-type"), Some("application/x-amz-json-1.0"));
        assert_standard_headers(&resp);
    }
    // Plain JSON in, plain JSON out; 1368724161 is the CRC DynamoDB sends for this body.
    let resp = server.send(&Req::new("POST").header("Content-Type", "application/json").body("{}"));
    assert_eq!(resp.header("content-type"), Some("application/json"));
    assert_eq!(resp.header("x-amz-crc32"), Some("1368724161"));
}

#[test]
fn playground_target_reaches_the_engine_apart_from_dynamodbs() {
    let server = Server::start();
    let mut req = Req::op("ListTables", "{}");
    req.headers.retain(|(n, _)| n != "X-Amz-Target");
    let resp = server.send(&req.clone().header("X-Amz-Target", "Dynaplay.PlaygroundDescribeSettings"));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["Settings"]["ThrottlingEnabled"], json!(true));
    // Not under DynamoDB's prefix: that one knows only DynamoDB's operations.
    let resp = server.send(&req.header("X-Amz-Target", "DynamoDB_20120810.PlaygroundDescribeSettings"));
    assert_eq!(resp.json(), json!({"__type": "com.amazon.coral.service#UnknownOperationException"}));
}

#[test]
fn dax_target_reaches_the_engine_in_json_1_1() {
    let server = Server::start();
    let mut req = Req::op("ListTables", "{}");
    req.headers.retain(|(n, _)| n != "X-Amz-Target" && n != "Content-Type");
    let req = req.header("Content-Type", "application/x-amz-json-1.1");
    let resp = server.send(&req.clone().header("X-Amz-Target", "AmazonDAXV3.DescribeClusters"));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(resp.json(), json!({"Clusters": []}));
    let resp = server
        .send(&req.header("X-Amz-Target", "AmazonDAXV3.DeleteCluster").body(r#"{"ClusterName": "c1"}"#));
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json(), json!({"__type": "ClusterNotFoundFault", "message": "Cluster c1 not found."}));
    assert_standard_headers(&resp);
}

#[test]
fn streams_target_reaches_the_engine() {
    let server = Server::start();
    let mut req = Req::op("ListTables", "{}");
    req.headers.retain(|(n, _)| n != "X-Amz-Target");
    let resp = server.send(&req.header("X-Amz-Target", "DynamoDBStreams_20120810.ListStreams"));
    // Whatever the engine answers, it is not the server's message-less rejection.
    assert_ne!(resp.json(), json!({"__type": "com.amazon.coral.service#UnknownOperationException"}));
    assert_standard_headers(&resp);
}

#[test]
fn malformed_json_is_serialization_exception() {
    let server = Server::start();
    // Through the engine (signed, valid target) ...
    let resp = server.send(&Req::op("ListTables", "{not json"));
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json()["__type"], "com.amazon.coral.service#SerializationException");
    assert_standard_headers(&resp);
    // ... and before the target or signature is looked at, as DynamoDB orders its checks.
    for req in [
        Req::new("POST").header("Content-Type", "application/x-amz-json-1.0").body("hi"),
        Req::new("POST").header("Content-Type", "application/json; charset=utf-8").body("hi"),
        Req::new("POST")
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
            .body("hi"),
    ] {
        let resp = server.send(&req);
        assert_eq!(resp.status, 400);
        assert_eq!(resp.json(), json!({"__type": "com.amazon.coral.service#SerializationException"}));
        assert_standard_headers(&resp);
    }
    // A signed request with no body at all.
    let resp = server.send(&Req::op("ListTables", ""));
    assert_eq!(resp.json(), json!({"__type": "com.amazon.coral.service#SerializationException"}));
}

#[test]
fn requests_must_carry_sigv4_credentials_but_are_not_verified() {
    let server = Server::start();
    let unsigned = Req::new("POST")
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
        .body("{}");
    let resp = server.send(&unsigned);
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.json(),
        json!({"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
               "message": "Request is missing Authentication Token"})
    );
    let mut incomplete = Req::op("ListTables", "{}");
    incomplete.headers.retain(|(n, _)| n != "Authorization" && n != "X-Amz-Date");
    let resp = server.send(&incomplete.header("Authorization", "AWS4-"));
    assert_eq!(resp.json()["__type"], "com.amazon.coral.service#IncompleteSignatureException");
    assert!(resp.json()["message"].as_str().unwrap().ends_with("Authorization=AWS4-"));
    // Any signature at all is accepted: the request reaches the engine.
    let resp = server.send(&Req::op("ListTables", "{}"));
    let body = resp.json();
    assert!(!body["__type"].as_str().unwrap_or("").starts_with("com.amazon.coral.service#M"), "{body}");
}

#[test]
fn non_protocol_requests_get_dynamodbs_404() {
    let server = Server::start();
    let requests = [
        Req::new("PUT"),
        Req::new("DELETE"),
        Req::new("OPTIONS"), // no Origin: not a CORS preflight
        Req::new("POST").body("hi"),
        Req::new("POST").header("Content-Type", "whatever").body("hi"),
        Req::new("POST").header("Content-Type", "application/x-amz-json-1.1").body("{}"),
        // JSON 1.1 is DAX's: a DynamoDB target in it is not the protocol.
        Req::new("POST")
            .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
            .header("Content-Type", "application/x-amz-json-1.1")
            .body("{}"),
        Req::new("POST").header("Content-Type", "application/jsonasdf").body("{}"),
    ];
    for req in &requests {
        let resp = server.send(req);
        assert_eq!(resp.status, 404, "{} {:?}", req.method, req.headers);
        assert_eq!(resp.text(), "<UnknownOperationException/>\n");
        assert_eq!(resp.header("x-amz-crc32"), Some("3552371480"));
        assert_standard_headers(&resp);
    }
}

#[test]
fn oversized_body_is_refused_with_413() {
    let server = Server::start();
    // Declared too large: refused before the body is sent.
    let mut conn = server.connect();
    conn.write_head(&Req::op("PutItem", ""), MAX + 1);
    let resp = conn.read_response();
    assert_eq!(resp.status, 413);
    assert_eq!(resp.json()["__type"], "com.amazon.coral.service#RequestEntityTooLargeException");
    assert!(resp.json()["message"].as_str().unwrap().contains("16777216"));
    assert_standard_headers(&resp);

    // Exactly at the limit is still read and handed on (and is not JSON).
    let resp = server.send(&Req::op("PutItem", "").body(vec![b'a'; MAX]));
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json()["__type"], "com.amazon.coral.service#SerializationException");
}

#[test]
fn keep_alive_serves_many_requests_with_distinct_ids() {
    let server = Server::start();
    let mut conn = server.connect();
    let mut ids = std::collections::HashSet::new();
    for _ in 0..20 {
        let resp = conn.send(&Req::op("ListTables", "{}"));
        assert_standard_headers(&resp);
        assert!(ids.insert(resp.header("x-amzn-RequestId").unwrap().to_owned()));
    }
}
