//! A panic hook that makes any panic visible: a red banner at the top of the page, the message
//! in the console, and `window.__dynaplayPanics` for tests (which fail when it is non-empty).
//! A panic is always a dynaplay bug — bad input gets a DynamoDB error — and in release builds
//! (`panic = "abort"`) the wasm instance stops after it, so the banner says to reload.

use wasm_bindgen::JsValue;

/// Installs the hook (once, first thing at start-up).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("dynaplay panicked: {message}").into());
        show(&message);
    }));
}

fn show(message: &str) {
    let Some(window) = web_sys::window() else { return };
    let key = JsValue::from("__dynaplayPanics");
    let list = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|v| v.is_object())
        .map(|v| js_sys::Array::from(&v))
        .unwrap_or_default();
    list.push(&message.into());
    let _ = js_sys::Reflect::set(&window, &key, &list);
    let Some(document) = window.document() else { return };
    let Some(body) = document.body() else { return };
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_id("dynaplay-panic");
    banner.set_attribute("role", "alert").ok();
    banner.set_text_content(Some(&format!(
        "dynaplay hit an internal error and stopped (this is a bug, not your input): {message} — \
         every change acknowledged before it is saved; reload the page to continue."
    )));
    let _ = body.prepend_with_node_1(&banner);
}
