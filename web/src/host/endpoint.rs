//! A DynamoDB-compatible endpoint the page's requests go to instead of the engine in the page:
//! dynaplay-server, DynamoDB Local, ScyllaDB Alternator or DynamoDB itself. The client — the
//! keys, the SigV4 signing, the fetches — is JavaScript loaded on demand (`static/remote.js`,
//! through `js/dynaplay.js`); the host only knows where requests go and what the endpoint can
//! show. While connected, every request from the forms, the console, `window.dynaplay`, the SDK
//! and the CLI goes there; the learner's own workspace stays as it is (its triggers keep running
//! on it), and comes back on disconnect.

use serde_json::Value;

/// Playground operations that compute from the request alone (no table, no clock): they run in
/// the page's engine wherever the other requests go.
pub const COMPUTED_HERE: [&str; 2] = ["PlaygroundEstimateCapacity", "PlaygroundExplainItemSize"];

/// Where requests go, as `js/dynaplay.js` reports it through `core.endpoint(report)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// Its address (`http://localhost:8000`, `https://dynamodb.eu-west-1.amazonaws.com`).
    pub url: String,
    /// The Region the requests are signed for.
    pub region: String,
    /// The endpoint is dynaplay-server: its playground operations answer, so the views of the
    /// engine's internals (partitions, capacity, time) work there too.
    pub internals: bool,
    /// Still connecting: requests wait for the connection (then go, or fail with its error).
    pub connecting: bool,
    /// The connection failed, and why: requests stay in the page.
    pub error: Option<String>,
}

impl Endpoint {
    /// Reads the page's report: `{"endpoint", "region", "internals", "connecting", "error"}`;
    /// empty text (or anything without an endpoint) is "disconnected".
    pub fn from_json(text: &str) -> Option<Endpoint> {
        let v: Value = serde_json::from_slice(text.as_bytes()).ok()?;
        let text = |name: &str| v[name].as_str().map(str::to_owned);
        Some(Endpoint {
            url: text("endpoint")?,
            region: text("region").unwrap_or_default(),
            internals: v["internals"] == true,
            connecting: v["connecting"] == true,
            error: text("error"),
        })
    }

    /// Whether requests go there (connected, or connecting).
    pub fn forwards(&self) -> bool {
        self.error.is_none()
    }
}

#[cfg(target_arch = "wasm32")]
mod page {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/js/dynaplay.js")]
    extern "C" {
        /// Sends one request to the endpoint: a promise of the response's JSON text, or of the
        /// error's. `settled` (a function, or undefined) is called once it settles.
        #[wasm_bindgen(js_name = remoteSend)]
        pub fn remote_send(operation: &str, body: &str, settled: &JsValue) -> js_sys::Promise;
        /// Disconnects: requests go to the page's engine again.
        #[wasm_bindgen(js_name = disconnectEndpoint)]
        pub fn disconnect();
    }
}

#[cfg(target_arch = "wasm32")]
pub use page::{disconnect, remote_send};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_report_reads_as_an_endpoint_or_none() {
        let e = Endpoint::from_json(
            r#"{"endpoint":"http://localhost:8000","region":"eu-west-1","internals":true}"#,
        )
        .unwrap();
        assert_eq!(
            (e.url.as_str(), e.region.as_str(), e.internals, e.forwards()),
            ("http://localhost:8000", "eu-west-1", true, true)
        );
        let failed = Endpoint::from_json(r#"{"endpoint":"http://x","error":"no"}"#).unwrap();
        assert!(!failed.forwards() && !failed.internals);
        assert_eq!(Endpoint::from_json(""), None);
        assert_eq!(Endpoint::from_json(r#"{"region":"us-east-1"}"#), None);
    }
}
