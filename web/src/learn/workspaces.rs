//! Workspaces (`#/workspaces`) and shared links (`#/share/{data}`). Each workspace is an
//! IndexedDB database of its own, opened by `?ws=<id>` in the address (`host::page`); their names
//! are kept in `localStorage` (`js/dynaplay.js`, handed over through the bridge). A share link carries the workspace — tables,
//! items, settings; never trigger code, which an export does not hold — deflate-compressed and
//! base64url-encoded in the fragment, so nothing is sent anywhere; the receiver sees what it
//! will create and confirms, and it opens in a new workspace.

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::use_page;
use dynaplay_web::ui::components::value_of;

#[wasm_bindgen(module = "/js/learn.js")]
extern "C" {
    #[wasm_bindgen(js_name = encodeShare)]
    fn encode_share(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = decodeShare)]
    fn decode_share(data: &str, limit: f64) -> js_sys::Promise;
}

/// The longest link data offered (characters of base64url): beyond it, chat and mail clients
/// cut links short, so the learner is sent to Export instead.
pub const LINK_LIMIT: usize = 16_384;
/// The most a link may inflate to.
const INFLATED_LIMIT: f64 = 8.0 * 1024.0 * 1024.0;

fn message(e: JsValue) -> String {
    js_sys::Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

fn prompt(question: &str, default: &str) -> Option<String> {
    let answer = web_sys::window()?.prompt_with_message_and_default(question, default).ok()??;
    Some(answer.trim().to_owned()).filter(|a| !a.is_empty())
}

/// What a workspace document holds, in words: "2 tables (Music, Orders), 40 items".
pub fn summary(doc: &Value) -> Result<String, String> {
    if doc["format"] != "dynaplay-workspace" {
        return Err("this is not a dynaplay workspace".into());
    }
    let tables = doc["tables"].as_array().ok_or("the workspace has no table list")?;
    let names: Vec<&str> = tables.iter().filter_map(|t| t["TableName"].as_str()).collect();
    let items: usize = tables.iter().map(|t| t["Items"].as_array().map_or(0, Vec::len)).sum();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut said = plural(tables.len(), "table");
    if !names.is_empty() {
        said.push_str(&format!(" ({})", names.join(", ")));
    }
    said.push_str(&format!(", {}", plural(items, "item")));
    if doc.get("settings").is_some() {
        said.push_str(", playground settings");
    }
    Ok(said)
}

/// The workspaces view.
#[component]
pub fn Workspaces() -> Html {
    let page = use_page().page;
    let list: Vec<Value> =
        serde_json::from_slice(page.bridge().workspaces_text().as_bytes()).unwrap_or_default();
    let redraw = use_force_update();
    let note = use_state(|| None::<Result<String, String>>);
    let name = use_state(String::new);
    let create = {
        let (name, page) = (name.clone(), page.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen =
                Some(name.trim().to_owned()).filter(|n| !n.is_empty()).unwrap_or("New workspace".into());
            let ws = page.bridge();
            let _ = ws.open_workspace(&ws.create_workspace(&chosen), None);
        })
    };
    let share = {
        let (page, note) = (page.clone(), note.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, note) = (page.export_workspace(), note.clone());
            yew::platform::spawn_local(async move {
                let said = match JsFuture::from(encode_share(&text)).await {
                    Err(e) => Err(format!("The link could not be made: {}", message(e))),
                    Ok(data) => {
                        let data = data.as_string().unwrap_or_default();
                        if data.len() > LINK_LIMIT {
                            Err(format!(
                                "This workspace is too large for a link ({} KB compressed, links stop at {} KB): use Export and send the file.",
                                data.len() / 1024,
                                LINK_LIMIT / 1024
                            ))
                        } else {
                            let here =
                                web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
                            let base = here.split('#').next().unwrap_or_default().to_owned();
                            Ok(format!("{base}#/share/{data}"))
                        }
                    }
                };
                note.set(Some(said));
            });
        })
    };
    let row = |w: &Value| {
        let id = w["id"].as_str().unwrap_or_default().to_owned();
        let title = w["name"].as_str().unwrap_or_default().to_owned();
        let current = w["current"].as_bool().unwrap_or(false);
        let open = {
            let (id, page) = (id.clone(), page.clone());
            Callback::from(move |_: MouseEvent| {
                let _ = page.bridge().open_workspace(&id, None);
            })
        };
        let rename = {
            let (id, title, redraw, page) = (id.clone(), title.clone(), redraw.clone(), page.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some(new) = prompt("A new name for this workspace", &title) {
                    page.bridge().rename_workspace(&id, &new);
                    redraw.force_update();
                }
            })
        };
        let duplicate = {
            let (page, title, note) = (page.clone(), title.clone(), note.clone());
            Callback::from(move |_: MouseEvent| {
                let ws = page.bridge();
                let copy = ws.create_workspace(&format!("{title} (copy)"));
                if let Err(e) = ws.open_workspace(&copy, Some(page.export_workspace())) {
                    note.set(Some(Err(message(e))));
                }
            })
        };
        let delete = {
            let (id, title, note, redraw, page) =
                (id.clone(), title.clone(), note.clone(), redraw.clone(), page.clone());
            Callback::from(move |_: MouseEvent| {
                let sure = web_sys::window()
                    .and_then(|w| {
                        w.confirm_with_message(&format!(
                            "Delete the workspace “{title}” and everything in it?"
                        ))
                        .ok()
                    })
                    .unwrap_or(false);
                if !sure {
                    return;
                }
                let deleting = page.bridge().delete_workspace(&id);
                let (note, redraw) = (note.clone(), redraw.clone());
                yew::platform::spawn_local(async move {
                    match JsFuture::from(deleting).await {
                        Ok(_) => redraw.force_update(),
                        Err(e) => note.set(Some(Err(message(e)))),
                    }
                });
            })
        };
        html! {
            <li data-testid={format!("workspace-{}", if id.is_empty() { "first" } else { id.as_str() })}>
                <strong>{ title.clone() }</strong>
                if current {
                    <span class="muted small">{ " · open here " }</span>
                    <button type="button" class="btn small" onclick={duplicate} data-testid="workspace-duplicate">{ "Duplicate" }</button>
                } else {
                    { " " }<button type="button" class="btn small" onclick={open} data-testid="workspace-open">{ "Open" }</button>
                    <button type="button" class="btn small danger" onclick={delete} data-testid="workspace-delete">{ "Delete" }</button>
                }
                <button type="button" class="btn small" onclick={rename} data-testid="workspace-rename">{ "Rename" }</button>
            </li>
        }
    };
    html! {
        <section class="card workspaces" data-testid="workspaces">
            <h2>{ "Workspaces" }</h2>
            <p>{ "Each workspace keeps its own tables in this browser. Labs run in a workspace of their own; shared links open in a new one." }</p>
            <ul class="workspace-list">{ for list.iter().map(row) }</ul>
            <form class="row" onsubmit={create}>
                <input placeholder="New workspace" value={(*name).clone()} aria-label="New workspace's name"
                    oninput={let name = name.clone(); Callback::from(move |e: InputEvent| name.set(value_of(&e)))} data-testid="workspace-name" />
                <button type="submit" class="btn" data-testid="workspace-create">{ "Create and open" }</button>
            </form>
            <h3>{ "Share this workspace" }</h3>
            <p class="muted small">{ "A link that holds this workspace's tables, items and settings (never trigger code). Nothing is uploaded: it is all in the link." }</p>
            <button type="button" class="btn" onclick={share} data-testid="share-make">{ "Make a share link" }</button>
            { match &*note {
                None => Html::default(),
                Some(Ok(link)) => html! { <p><input class="share-link" readonly=true value={link.clone()} aria-label="Share link" data-testid="share-link" /></p> },
                Some(Err(e)) => html! { <p class="error-text" role="alert" data-testid="workspace-error">{ e.clone() }</p> },
            } }
            <super::endpoint::EndpointForm />
        </section>
    }
}

/// Properties of [`Shared`].
#[derive(Properties, PartialEq)]
pub struct SharedProps {
    /// The link's data.
    pub data: AttrValue,
}

/// A shared workspace arriving by link: what it holds, then confirm to open it in a new
/// workspace, or leave.
#[component]
pub fn Shared(props: &SharedProps) -> Html {
    let page = use_page().page;
    let decoded = use_state(|| None::<Result<(String, String), String>>);
    {
        let decoded = decoded.clone();
        use_effect_with(props.data.clone(), move |data| {
            let data = data.to_string();
            yew::platform::spawn_local(async move {
                let read = match JsFuture::from(decode_share(&data, INFLATED_LIMIT)).await {
                    Err(e) => Err(message(e)),
                    Ok(text) => {
                        let text = text.as_string().unwrap_or_default();
                        serde_json::from_slice::<Value>(text.as_bytes())
                            .map_err(|_| "the link's data is not a workspace (not JSON)".to_owned())
                            .and_then(|doc| summary(&doc))
                            .map(|said| (said, text))
                    }
                };
                decoded.set(Some(read));
            });
        });
    }
    let body = match &*decoded {
        None => html! { <p class="muted">{ "Reading the link…" }</p> },
        Some(Err(e)) => html! {
            <p class="error-text" role="alert" data-testid="share-error">{ format!("This share link cannot be opened: {e}. Nothing was changed.") }</p>
        },
        Some(Ok((said, text))) => {
            let open = {
                let (text, page) = (text.clone(), page.clone());
                Callback::from(move |_: MouseEvent| {
                    let ws = page.bridge();
                    let _ = ws.open_workspace(&ws.create_workspace("Shared workspace"), Some(text.clone()));
                })
            };
            html! {
                <>
                <p data-testid="share-summary">{ format!("This link holds {said}.") }</p>
                <p class="muted small">{ "It opens in a new workspace: yours stays as it is. Shared links never carry trigger code." }</p>
                <p class="actions">
                    <button type="button" class="btn primary" onclick={open} data-testid="share-open">{ "Open in a new workspace" }</button>
                    <a class="btn" href="#/">{ "Leave it" }</a>
                </p>
                </>
            }
        }
    };
    html! {
        <section class="card share" data-testid="share">
            <h2>{ "A shared workspace" }</h2>
            { body }
        </section>
    }
}
