//! The *Access* view (`#/access`, full engine only): who the page's requests go as, the
//! workspace's identities and their policies, the tables' resource-based policies, and the
//! simulator (`access_sim`).
//!
//! - **Identity picker**: "no identity" (the account's root user: everything allowed) or one
//!   of the identities. Picking one sends `PlaygroundUseAccessKey` with its first access key:
//!   the engine sends every request that follows as that identity, whichever way it comes —
//!   the forms, the console (which says who it sends as), `dynaplay.send`, the AWS SDK's
//!   request handler — since all of them reach the same engine. A reload starts as the root
//!   user again (session state).
//! - **Identity editor**: a user or a role with one access key and its inline policies, put
//!   with `PlaygroundPutIdentity`. The engine reads each policy in IAM's grammar and refuses a
//!   malformed one in IAM's words, changing nothing; the error is shown under the policy it
//!   names.
//! - **Resource-based policy** of a table: `GetResourcePolicy`, `PutResourcePolicy`,
//!   `DeleteResourcePolicy`, sent as whoever the picker names (as in AWS, an identity needs
//!   permission for them).

use serde_json::{json, Value};
use yew::prelude::*;

use super::access_sim::Simulator;
use super::{use_page, LearnContext};
use dynaplay_web::ui::components::{on_change, on_input, FormState};
use dynaplay_web::ui::pretty::pretty;

/// A policy to start from: the LeadingKeys pattern, each user reading and writing only the
/// items whose partition key is their user name.
pub const OWN_ITEMS_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "OwnItemsOnly",
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
      "Resource": "arn:aws:dynamodb:*:*:table/*",
      "Condition": {
        "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["${aws:username}"] }
      }
    }
  ]
}"#;

pub(crate) fn message(error: &Value) -> String {
    error["message"].as_str().or(error["Message"].as_str()).unwrap_or("the request failed").to_owned()
}

/// The identity editor's fields.
#[derive(Clone, PartialEq)]
struct Editor {
    name: String,
    role: bool,
    session: String,
    key: String,
    secret: String,
    /// (PolicyName, PolicyDocument).
    policies: Vec<(String, String)>,
}

impl Default for Editor {
    fn default() -> Editor {
        Editor {
            name: "alice".into(),
            role: false,
            session: String::new(),
            key: "AKIAALICE0000001".into(),
            secret: "alice-secret".into(),
            policies: vec![("OwnItems".into(), OWN_ITEMS_POLICY.into())],
        }
    }
}

impl Editor {
    /// The editor filled from a PlaygroundListIdentities entry.
    fn of(identity: &Value) -> Editor {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let key = &identity["AccessKeys"][0];
        Editor {
            name: text(&identity["IdentityName"]),
            role: identity["IdentityType"] == "ROLE",
            session: text(&identity["RoleSessionName"]),
            key: text(&key["AccessKeyId"]),
            secret: text(&key["SecretAccessKey"]),
            policies: identity["Policies"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| (text(&p["PolicyName"]), text(&p["PolicyDocument"])))
                .collect(),
        }
    }

    /// The PlaygroundPutIdentity request.
    fn request(&self) -> Value {
        let mut r = json!({
            "IdentityName": self.name.trim(),
            "IdentityType": if self.role { "ROLE" } else { "USER" },
            "AccessKeys": [{"AccessKeyId": self.key.trim(), "SecretAccessKey": self.secret}],
            "Policies": self.policies.iter()
                .map(|(n, d)| json!({"PolicyName": n.trim(), "PolicyDocument": d}))
                .collect::<Vec<_>>(),
        });
        if self.role && !self.session.trim().is_empty() {
            r["RoleSessionName"] = json!(self.session.trim());
        }
        r
    }
}

/// Which policy an engine error names (`MalformedPolicyDocument: Policy P: …`), so the view
/// shows it under that policy's text.
fn policy_named(error: &str) -> Option<&str> {
    let rest = &error[error.find("Policy ")? + 7..];
    rest.split_once(':').map(|(name, _)| name)
}

/// The Access view.
#[component]
pub fn Access() -> Html {
    let LearnContext { page, revision } = use_page();
    let identities = use_state(|| None::<Result<Vec<Value>, String>>);
    let acting = use_state(|| None::<String>);
    let reread = use_state(|| 0u32);
    let editor = use_reducer(|| FormState(Editor::default()));
    let said = use_state(|| None::<Result<String, String>>);
    {
        let (page, identities, acting) = (page.clone(), identities.clone(), acting.clone());
        use_effect_with((revision, *reread), move |_| {
            yew::platform::spawn_local(async move {
                match page.send("PlaygroundListIdentities", &json!({})).await {
                    Ok(a) => {
                        acting.set(a["ActingAs"].as_str().map(str::to_owned));
                        identities.set(Some(Ok(a["Identities"].as_array().cloned().unwrap_or_default())));
                    }
                    Err(e) => identities.set(Some(Err(message(&e)))),
                }
            });
        });
    }
    let bump = {
        let reread = reread.clone();
        move || reread.set(*reread + 1)
    };
    let list: Vec<Value> = match &*identities {
        Some(Ok(list)) => list.clone(),
        _ => Vec::new(),
    };
    let current = acting.as_ref().and_then(|key| {
        list.iter().find(|i| {
            i["AccessKeys"].as_array().into_iter().flatten().any(|k| k["AccessKeyId"] == key.as_str())
        })
    });

    let pick = {
        let (page, said, bump) = (page.clone(), said.clone(), bump.clone());
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            let request = if key.is_empty() { json!({}) } else { json!({"AccessKeyId": key}) };
            let (page, said, bump) = (page.clone(), said.clone(), bump.clone());
            yew::platform::spawn_local(async move {
                if let Err(e) = page.send("PlaygroundUseAccessKey", &request).await {
                    said.set(Some(Err(message(&e))));
                }
                bump();
            });
        })
    };
    let picker = html! {
        <section class="card" data-testid="access-picker">
            <h2>{ "Access control" }</h2>
            <label class="field"><span>{ "Send requests as" }</span>
                <select onchange={pick} data-testid="access-identity">
                    <option value="" selected={current.is_none()}>{ "No identity (the account's root user: everything allowed)" }</option>
                    { for list.iter().map(|i| {
                        let key = i["AccessKeys"][0]["AccessKeyId"].as_str().unwrap_or_default().to_owned();
                        let on = current.is_some_and(|c| c["IdentityName"] == i["IdentityName"]);
                        let label = format!("{} ({})", i["IdentityName"].as_str().unwrap_or_default(),
                            if i["IdentityType"] == "ROLE" { "role" } else { "user" });
                        html! { <option value={key} selected={on}>{ label }</option> }
                    }) }
                </select>
            </label>
            <p class="muted small" data-testid="access-acting-as">{
                match current {
                    Some(i) => format!("The forms, the console, dynaplay.send and the AWS SDK send as {}: its policies and the tables' resource-based policies decide each request.",
                        i["Arn"].as_str().unwrap_or_default()),
                    None => "The forms, the console, dynaplay.send and the AWS SDK send as the account's root user, whom IAM never restricts.".to_owned(),
                }
            }</p>
        </section>
    };

    let put = {
        let (page, editor, said, bump) = (page.clone(), editor.clone(), said.clone(), bump.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = editor.0.request();
            let (page, said, bump) = (page.clone(), said.clone(), bump.clone());
            yew::platform::spawn_local(async move {
                match page.send("PlaygroundPutIdentity", &request).await {
                    Ok(a) => said.set(Some(Ok(format!(
                        "Saved {}.",
                        a["Identity"]["Arn"].as_str().unwrap_or_default()
                    )))),
                    Err(e) => said.set(Some(Err(message(&e)))),
                }
                bump();
            });
        })
    };
    let error = match &*said {
        Some(Err(e)) => Some(e.clone()),
        _ => None,
    };
    // An error about one policy goes under its text; any other under the form.
    let policy_error = error.as_deref().and_then(policy_named).map(str::to_owned);
    let f = &editor.0;
    let policies = f.policies.iter().enumerate().map(|(i, (name, doc))| {
        let error_here = policy_error.as_deref() == Some(name.trim()) && !name.trim().is_empty();
        let remove = {
            let editor = editor.clone();
            Callback::from(move |_: MouseEvent| editor.dispatch(Box::new(move |f: &mut Editor| { f.policies.remove(i); })))
        };
        html! {
            <div class="policy" data-testid="access-policy">
                <label class="field"><span>{ "Policy name" }</span>
                    <input value={name.clone()} data-testid="access-policy-name"
                        oninput={on_input(&editor, move |f: &mut Editor, v| f.policies[i].0 = v)} />
                </label>
                <label class="field"><span>{ "Policy document (JSON)" }</span>
                    <textarea rows="14" spellcheck="false" value={doc.clone()} data-testid="access-policy-document"
                        aria-invalid={error_here.to_string()}
                        oninput={on_input(&editor, move |f: &mut Editor, v| f.policies[i].1 = v)} />
                </label>
                if error_here {
                    <p class="error-text" role="alert" data-testid="access-policy-error">{ error.clone().unwrap_or_default() }</p>
                }
                <button type="button" class="link" onclick={remove}>{ "Remove this policy" }</button>
            </div>
        }
    });
    let add_policy = {
        let editor = editor.clone();
        Callback::from(move |_: MouseEvent| {
            editor.dispatch(Box::new(|f: &mut Editor| {
                let n = f.policies.len() + 1;
                f.policies.push((format!("Policy{n}"), OWN_ITEMS_POLICY.into()))
            }))
        })
    };
    let form = html! {
        <form class="card" onsubmit={put} data-testid="access-editor">
            <h3>{ "Identity" }</h3>
            <p class="muted small">{ "A user, or a role with one session, with one access key and inline identity-based policies (PlaygroundPutIdentity). Saving an existing name replaces it; a malformed policy is refused with IAM's words and changes nothing." }</p>
            <label class="field"><span>{ "Name" }</span>
                <input value={f.name.clone()} data-testid="access-name" oninput={on_input(&editor, |f: &mut Editor, v| f.name = v)} />
            </label>
            <label class="field"><span>{ "Type" }</span>
                <select data-testid="access-type" onchange={on_change(&editor, |f: &mut Editor, v| f.role = v == "ROLE")}>
                    <option value="USER" selected={!f.role}>{ "IAM user" }</option>
                    <option value="ROLE" selected={f.role}>{ "Role (one session)" }</option>
                </select>
            </label>
            if f.role {
                <label class="field"><span>{ "Role session name" }</span>
                    <input value={f.session.clone()} oninput={on_input(&editor, |f: &mut Editor, v| f.session = v)} />
                </label>
            }
            <label class="field"><span>{ "Access key ID" }</span>
                <input value={f.key.clone()} data-testid="access-key" spellcheck="false" oninput={on_input(&editor, |f: &mut Editor, v| f.key = v)} />
            </label>
            <label class="field"><span>{ "Secret access key" }</span>
                <input value={f.secret.clone()} spellcheck="false" oninput={on_input(&editor, |f: &mut Editor, v| f.secret = v)} />
            </label>
            { for policies }
            <p><button type="button" class="btn" onclick={add_policy}>{ "Add a policy" }</button></p>
            if let (Some(e), None) = (&error, &policy_error) {
                <p class="error-text" role="alert" data-testid="access-said">{ e.clone() }</p>
            }
            if let Some(Ok(text)) = &*said {
                <p class="banner ok" role="status" data-testid="access-said">{ text.clone() }</p>
            }
            <button class="primary" data-testid="access-save">{ "Save identity" }</button>
        </form>
    };

    let rows = list.iter().map(|i| {
        let name = i["IdentityName"].as_str().unwrap_or_default().to_owned();
        let edit = {
            let (editor, said, i) = (editor.clone(), said.clone(), i.clone());
            Callback::from(move |_: MouseEvent| {
                let next = Editor::of(&i);
                editor.dispatch(Box::new(move |f: &mut Editor| *f = next));
                said.set(None);
            })
        };
        let delete = {
            let (page, said, bump, name) = (page.clone(), said.clone(), bump.clone(), name.clone());
            Callback::from(move |_: MouseEvent| {
                let (page, said, bump, name) = (page.clone(), said.clone(), bump.clone(), name.clone());
                yew::platform::spawn_local(async move {
                    match page.send("PlaygroundDeleteIdentity", &json!({"IdentityName": name})).await {
                        Ok(_) => said.set(Some(Ok(format!("Deleted {name}.")))),
                        Err(e) => said.set(Some(Err(message(&e)))),
                    }
                    bump();
                });
            })
        };
        let policies: Vec<&str> =
            i["Policies"].as_array().into_iter().flatten().filter_map(|p| p["PolicyName"].as_str()).collect();
        html! {
            <tr data-testid="access-row">
                <td><strong>{ name.clone() }</strong><div class="muted small"><code>{ i["Arn"].as_str().unwrap_or_default() }</code></div></td>
                <td><code>{ i["AccessKeys"][0]["AccessKeyId"].as_str().unwrap_or_default() }</code></td>
                <td>{ if policies.is_empty() { "none".to_owned() } else { policies.join(", ") } }</td>
                <td>
                    <button type="button" class="btn" onclick={edit} data-testid="access-edit">{ "Edit" }</button>
                    <button type="button" class="btn danger" onclick={delete} data-testid="access-delete">{ "Delete" }</button>
                </td>
            </tr>
        }
    });
    let table = match &*identities {
        None => html! { <p class="muted" aria-busy="true">{ "Reading the identities…" }</p> },
        Some(Err(e)) => html! { <p class="error-text" role="alert">{ e.clone() }</p> },
        Some(Ok(l)) if l.is_empty() => html! {
            <p class="muted" data-testid="access-none">{ "No identities yet: every request is the account's root user's, and nothing is checked. Save one below." }</p>
        },
        Some(Ok(_)) => html! {
            <table class="data" data-testid="access-identities">
                <thead><tr><th>{ "Identity" }</th><th>{ "Access key" }</th><th>{ "Policies" }</th><th /></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        },
    };
    let names: Vec<String> =
        list.iter().filter_map(|i| i["IdentityName"].as_str().map(str::to_owned)).collect();
    let default_name = current.and_then(|i| i["IdentityName"].as_str()).map(str::to_owned);
    html! {
        <div class="access" data-testid="access-view">
            { picker }
            <section class="card">
                <h3>{ "Identities" }</h3>
                { table }
            </section>
            { form }
            <ResourcePolicy />
            <Simulator identities={names} current={default_name} />
        </div>
    }
}

/// A table's resource-based policy: read, put, delete.
#[component]
fn ResourcePolicy() -> Html {
    let LearnContext { page, revision } = use_page();
    let tables = use_state(Vec::<String>::new);
    let table = use_state(String::new);
    let text = use_state(String::new);
    let said = use_state(|| None::<Result<String, String>>);
    {
        let (page, tables, table) = (page.clone(), tables.clone(), table.clone());
        use_effect_with(revision, move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(a) = page.send("ListTables", &json!({})).await {
                    let names: Vec<String> = a["TableNames"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|n| n.as_str().map(str::to_owned))
                        .collect();
                    if !names.contains(&table) {
                        table.set(names.first().cloned().unwrap_or_default());
                    }
                    tables.set(names);
                }
            });
        });
    }
    // The chosen table's ARN and policy, read again when the table changes.
    let arn = use_state(String::new);
    {
        let (page, arn, text, said) = (page.clone(), arn.clone(), text.clone(), said.clone());
        use_effect_with((*table).clone(), move |name: &String| {
            let name = name.clone();
            yew::platform::spawn_local(async move {
                if name.is_empty() {
                    return;
                }
                let table_arn = match page.send("DescribeTable", &json!({"TableName": name})).await {
                    Ok(a) => a["Table"]["TableArn"].as_str().unwrap_or_default().to_owned(),
                    Err(e) => return said.set(Some(Err(message(&e)))),
                };
                arn.set(table_arn.clone());
                match page.send("GetResourcePolicy", &json!({"ResourceArn": table_arn})).await {
                    Ok(a) => {
                        let policy = a["Policy"].as_str().unwrap_or_default();
                        let pretty = serde_json::from_slice::<Value>(policy.as_bytes())
                            .map(|v| pretty(&v))
                            .unwrap_or_else(|_| policy.to_owned());
                        text.set(pretty);
                        said.set(None);
                    }
                    Err(e)
                        if e["__type"].as_str().is_some_and(|t| t.ends_with("PolicyNotFoundException")) =>
                    {
                        text.set(example_resource_policy(&table_arn));
                        said.set(Some(Ok(
                            "This table has no resource-based policy: the text is an example to start from."
                                .into(),
                        )));
                    }
                    Err(e) => said.set(Some(Err(message(&e)))),
                }
            });
        });
    }
    let act = |put: bool| {
        let (page, arn, text, said) = (page.clone(), arn.clone(), text.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            let (page, arn, text, said) = (page.clone(), (*arn).clone(), (*text).clone(), said.clone());
            yew::platform::spawn_local(async move {
                let answer = match put {
                    true => {
                        page.send("PutResourcePolicy", &json!({"ResourceArn": arn, "Policy": text})).await
                    }
                    false => page.send("DeleteResourcePolicy", &json!({"ResourceArn": arn})).await,
                };
                said.set(Some(match answer {
                    Ok(_) if put => Ok("Resource-based policy saved.".into()),
                    Ok(_) => Ok("Resource-based policy deleted.".into()),
                    Err(e) => Err(message(&e)),
                }));
            });
        })
    };
    let pick = {
        let table = table.clone();
        Callback::from(move |e: Event| {
            table.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())
        })
    };
    let edit = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())
        })
    };
    html! {
        <section class="card" data-testid="access-resource">
            <h3>{ "Resource-based policy" }</h3>
            if tables.is_empty() {
                <p class="muted">{ "No table to attach one to (or the identity requests go as may not list them)." }</p>
            } else {
                <label class="field"><span>{ "Table" }</span>
                    <select onchange={pick} data-testid="access-resource-table">
                        { for tables.iter().map(|t| html! { <option value={t.clone()} selected={*t == *table}>{ t.clone() }</option> }) }
                    </select>
                </label>
                <label class="field"><span>{ "Policy document (JSON)" }</span>
                    <textarea rows="12" spellcheck="false" value={(*text).clone()} oninput={edit} data-testid="access-resource-document" />
                </label>
                <p>
                    <button type="button" class="primary" onclick={act(true)} data-testid="access-resource-put">{ "PutResourcePolicy" }</button>
                    { " " }
                    <button type="button" class="btn danger" onclick={act(false)} data-testid="access-resource-delete">{ "DeleteResourcePolicy" }</button>
                </p>
                { match &*said {
                    Some(Ok(t)) => html! { <p class="muted small" role="status" data-testid="access-resource-said">{ t.clone() }</p> },
                    Some(Err(t)) => html! { <p class="error-text" role="alert" data-testid="access-resource-said">{ t.clone() }</p> },
                    None => html! {},
                } }
            }
        </section>
    }
}

/// A resource-based policy to start from: nobody may delete the table's items.
fn example_resource_policy(arn: &str) -> String {
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "NoDeletes",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "dynamodb:DeleteItem",
            "Resource": arn,
        }]
    });
    pretty(&policy)
}
