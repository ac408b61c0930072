//! Sample datasets in the page. The loader is `static/dataset-loader.js`, fetched by
//! `js/dynaplay.js` the first time a dataset is loaded (`loadDatasetText`, also
//! `window.dynaplay.loadDataset`): it fetches `datasets/<id>.json` when asked (never part of the
//! bundle) and sends its requests one by one through `dynaplay.send`, so every write is
//! journaled like the learner's own. Written in JavaScript because it is only fetching,
//! sending and waiting: in Rust its async state machine cost 11 KB of gzip (measured); out of
//! the first load because a learner loads a dataset once, if at all (646 B). Its rules are
//! `dynaplay_teach::dataset`'s, which the native tests run over every file.

use js_sys::Promise;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/dynaplay.js")]
extern "C" {
    #[wasm_bindgen(js_name = datasetIndexText)]
    fn dataset_index_text() -> Promise;
    #[wasm_bindgen(js_name = loadDatasetText)]
    fn load_dataset_text(id: &str) -> Promise;
}

async fn json(promise: Promise) -> Result<Value, String> {
    let text = |v: JsValue| v.as_string().unwrap_or_default();
    let answer = JsFuture::from(promise).await.map_err(text)?;
    serde_json::from_slice(text(answer).as_bytes()).map_err(|e| e.to_string())
}

/// The entries of `datasets/index.json` (id, title, description, tables, items, file, bytes).
pub async fn index() -> Result<Vec<Value>, String> {
    Ok(json(dataset_index_text()).await?["datasets"].as_array().cloned().unwrap_or_default())
}

/// Loads the dataset `id`: `{"Dataset", "Tables", "ItemsWritten"}`, or the error's message.
pub async fn load(id: &str) -> Result<Value, String> {
    json(load_dataset_text(id)).await
}
