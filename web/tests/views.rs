//! Browser tests of the views written with yew `html!` (wasm-bindgen-test in headless
//! Chromium): each view is rendered into the page, driven through its controls with real DOM
//! events, and checked by what it shows — the request it would send, the answer, the code. The
//! views the module loaded on demand renders (the create-table form, the item explorer) are
//! rendered under a `Sender` of a host here, as they are under the bridge's there.
//! Run: `cargo test -p dynaplay-web --target wasm32-unknown-unknown` (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use dynaplay_engine::journal::CompactionPolicy;
use dynaplay_web::host::{Host, HostConfig};
use dynaplay_web::ui::app::HostContext;
use dynaplay_web::ui::components::create_table::CreateTable;
use dynaplay_web::ui::components::exchange::{self, Exchange, ExchangeView, ExchangeViewProps, Sender};
use dynaplay_web::ui::components::explorer::Explorer;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to render into.
fn mount_point() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Lets yew render what the last events scheduled.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector} in {}", root.inner_html()))
}

fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

/// Dispatches a bubbling `kind` event at `target`, as the browser does after an edit.
fn fire(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Types `value` into the text input `input` (an `input` event).
fn type_into(input: &Element, value: &str) {
    input.unchecked_ref::<HtmlInputElement>().set_value(value);
    fire(input, "input");
}

/// Chooses `value` in the menu `select` (a `change` event).
fn choose(select: &Element, value: &str) {
    select.unchecked_ref::<HtmlSelectElement>().set_value(value);
    fire(select, "change");
}

fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

// ---------------------------------------------------------------------------------------------
// The create-table form

#[derive(Properties, PartialEq)]
struct WithHostProps {
    context: HostContext,
}

/// The create-table form sending to a host, as the module loaded on demand renders it (there
/// through the page's bridge).
#[component]
fn FormWithHost(props: &WithHostProps) -> Html {
    let send = dynaplay_web::ui::components::exchange::Sender::of_host(&props.context.host);
    html! {
        <ContextProvider<HostContext> context={props.context.clone()}>
            <CreateTable {send} oncreated={Callback::from(|_: Exchange| ())} />
        </ContextProvider<HostContext>>
    }
}

async fn render_form() -> Element {
    let host =
        Host::open(HostConfig { database: None, use_lock: false, compaction: CompactionPolicy::default() })
            .await;
    let root = mount_point();
    yew::Renderer::<FormWithHost>::with_root_and_props(
        root.clone(),
        WithHostProps { context: HostContext { host, revision: 0 } },
    )
    .render();
    settle().await;
    root
}

/// The CreateTable request the form shows in its preview.
fn preview(root: &Element) -> Value {
    let text = find(root, "[data-testid=create-preview]").text_content().unwrap_or_default();
    serde_json::from_slice(text.as_bytes()).unwrap()
}

#[wasm_bindgen_test]
async fn every_control_of_the_create_table_form_sets_its_part_of_the_request() {
    let root = render_form().await;
    type_into(&find(&root, "[data-testid=table-name]"), "Music");
    type_into(&find(&root, "[data-testid=partition-key]"), "Artist");
    choose(&find(&root, "select[aria-label='Partition key type']"), "N");
    type_into(&find(&root, "[data-testid=sort-key]"), "Title");
    choose(&find(&root, "select[aria-label='Sort key type']"), "B");
    click(&find(&root, "[data-testid=provisioned]"));
    settle().await;
    type_into(&find(&root, "[data-testid=rcu]"), "7");
    type_into(&find(&root, "[data-testid=wcu]"), "9");
    click(&find(&root, "[data-testid=add-gsi]"));
    click(&find(&root, "[data-testid=add-lsi]"));
    settle().await;
    let rows = find_all(&root, "[data-testid=index-row]");
    assert_eq!(rows.len(), 2);
    let (gsi, lsi) = (&rows[0], &rows[1]);
    type_into(&find(gsi, "[data-testid=index-name]"), "ByGenre");
    type_into(&find(gsi, "[data-testid=index-partition-key]"), "Genre");
    choose(&find_all(gsi, "select[aria-label=Type]")[0], "N");
    type_into(&find(lsi, "[data-testid=index-sort-key]"), "Year");
    choose(&find(lsi, "select[aria-label=Type]"), "N");
    choose(&find_all(lsi, "select")[1], "INCLUDE");
    settle().await;
    type_into(&find(lsi, "[data-testid=index-non-key]"), "Price, Label");
    settle().await;
    let r = preview(&root);
    assert_eq!(r["TableName"], "Music");
    assert_eq!(
        r["KeySchema"],
        json!([{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Title", "KeyType": "RANGE"}])
    );
    assert_eq!(
        r["AttributeDefinitions"],
        json!([
            {"AttributeName": "Artist", "AttributeType": "N"}, {"AttributeName": "Title", "AttributeType": "B"},
            {"AttributeName": "Genre", "AttributeType": "N"}, {"AttributeName": "Year", "AttributeType": "N"}
        ])
    );
    assert_eq!(r["BillingMode"], "PROVISIONED");
    assert_eq!(r["ProvisionedThroughput"], json!({"ReadCapacityUnits": 7, "WriteCapacityUnits": 9}));
    let gsi = &r["GlobalSecondaryIndexes"][0];
    assert_eq!(
        (gsi["IndexName"].as_str(), &gsi["KeySchema"][0]["AttributeName"]),
        (Some("ByGenre"), &json!("Genre"))
    );
    let lsi = &r["LocalSecondaryIndexes"][0];
    assert_eq!(lsi["IndexName"], "LSI2");
    assert_eq!(lsi["KeySchema"][1], json!({"AttributeName": "Year", "KeyType": "RANGE"}));
    assert_eq!(
        lsi["Projection"],
        json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Price", "Label"]})
    );
    // Removing the GSI leaves the LSI with what was typed in it.
    click(&find(&rows[0], "button[aria-label='Remove this index']"));
    settle().await;
    let r = preview(&root);
    assert!(r.get("GlobalSecondaryIndexes").is_none(), "{r}");
    assert_eq!(r["LocalSecondaryIndexes"][0]["Projection"]["NonKeyAttributes"], json!(["Price", "Label"]));
    assert_eq!(find_all(&root, "[data-testid=index-row]").len(), 1);
}

#[wasm_bindgen_test]
async fn the_create_table_form_shows_the_controls_its_choices_need() {
    let root = render_form().await;
    // Text typed is a value, never markup.
    type_into(&find(&root, "[data-testid=table-name]"), "Songs \"<b>\"");
    settle().await;
    assert_eq!(
        find(&root, "[data-testid=table-name]").unchecked_ref::<HtmlInputElement>().value(),
        "Songs \"<b>\""
    );
    assert!(find_all(&root, "form b").is_empty());
    assert_eq!(preview(&root)["TableName"], "Songs \"<b>\"");
    let on_demand = find(&root, "input[value=PAY_PER_REQUEST]");
    assert!(on_demand.unchecked_ref::<HtmlInputElement>().checked());
    assert!(root.query_selector("[data-testid=rcu]").unwrap().is_none(), "capacity only when provisioned");
    // Choosing provisioned keeps the keyboard on the radio button and adds the capacity fields.
    let provisioned = find(&root, "[data-testid=provisioned]");
    provisioned.unchecked_ref::<HtmlElement>().focus().unwrap();
    click(&provisioned);
    settle().await;
    let document = web_sys::window().unwrap().document().unwrap();
    assert_eq!(document.active_element().as_ref(), Some(&provisioned), "focus stays on the radio button");
    assert!(provisioned.unchecked_ref::<HtmlInputElement>().checked());
    for testid in ["rcu", "wcu"] {
        find(&root, &format!("[data-testid={testid}]"));
    }
    click(&find(&root, "[data-testid=add-gsi]"));
    click(&find(&root, "[data-testid=add-lsi]"));
    settle().await;
    let rows = find_all(&root, "[data-testid=index-row]");
    assert_eq!(
        rows[0].query_selector("legend").unwrap().unwrap().text_content().as_deref(),
        Some("Global secondary index")
    );
    assert_eq!(
        rows[1].query_selector("legend").unwrap().unwrap().text_content().as_deref(),
        Some("Local secondary index")
    );
    assert_eq!(
        find_all(&root, "[data-testid=index-partition-key]").len(),
        1,
        "an LSI has no partition key of its own"
    );
    // An LSI's sort key is required, a GSI's is not.
    let required = |row: &Element| find(row, "[data-testid=index-sort-key]").has_attribute("required");
    assert!(!required(&rows[0]) && required(&rows[1]));
    assert!(root.query_selector("[data-testid=index-non-key]").unwrap().is_none());
    choose(&find_all(&rows[1], "select")[1], "INCLUDE");
    settle().await;
    assert_eq!(find_all(&root, "[data-testid=index-non-key]").len(), 1, "INCLUDE asks for the attributes");
}

#[wasm_bindgen_test]
async fn the_create_table_forms_vector_index_rows_set_vector_indexes() {
    let root = render_form().await;
    type_into(&find(&root, "[data-testid=table-name]"), "Docs");
    click(&find(&root, "[data-testid=add-vector]"));
    click(&find(&root, "[data-testid=add-vector]"));
    settle().await;
    let rows = find_all(&root, "[data-testid=vector-row]");
    assert_eq!(rows.len(), 2);
    let row = &rows[1];
    type_into(&find(row, "[data-testid=vector-create-name]"), "ByTopic");
    type_into(&find(row, "[data-testid=vector-create-attribute]"), "V");
    type_into(&find(row, "[data-testid=vector-create-dimensions]"), "8");
    choose(&find(row, "[data-testid=vector-create-metric]"), "EUCLIDEAN");
    choose(&find_all(row, "select")[1], "KEYS_ONLY");
    type_into(&find(row, "[data-testid=vector-create-hash]"), "Topic");
    settle().await;
    // The HASH attribute's type menu appears once it has a name.
    choose(&find_all(row, "select")[2], "N");
    type_into(&find(row, "[data-testid=vector-create-filters]"), "Lang");
    settle().await;
    let r = preview(&root);
    assert_eq!(
        r["VectorIndexes"][1],
        json!({"IndexName": "ByTopic", "VectorAttribute": {"AttributeName": "V"}, "Dimensions": 8,
               "DistanceFunction": "EUCLIDEAN", "Projection": {"ProjectionType": "KEYS_ONLY"},
               "SearchSchema": [{"AttributeName": "Topic", "SearchSchemaElementType": "HASH"},
                                {"AttributeName": "Lang", "SearchSchemaElementType": "INLINE_FILTER"}]})
    );
    assert_eq!(
        r["AttributeDefinitions"],
        json!([{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "Topic", "AttributeType": "N"},
               {"AttributeName": "Lang", "AttributeType": "S"}])
    );
    // Removing the first keeps what was typed in the second.
    click(&find(&rows[0], "button[aria-label='Remove this vector index']"));
    settle().await;
    let r = preview(&root);
    assert_eq!(r["VectorIndexes"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["VectorIndexes"][0]["IndexName"], "ByTopic");
    click(&find(&root, "[data-testid=provisioned]"));
    settle().await;
    assert!(root.text_content().unwrap_or_default().contains("Vector indexes need an on-demand table"));
}

// ---------------------------------------------------------------------------------------------
// The item explorer

#[derive(Properties, PartialEq)]
struct ExplorerWithSenderProps {
    send: Sender,
    table: AttrValue,
}

/// The item explorer under a sender and nothing else (no host context), as the module loaded
/// on demand renders it.
#[component]
fn ExplorerWithSender(props: &ExplorerWithSenderProps) -> Html {
    html! {
        <ContextProvider<Sender> context={props.send.clone()}>
            <Explorer table={props.table.clone()} revision={0} />
        </ContextProvider<Sender>>
    }
}

/// A host with table `Songs` (key `pk`) holding one item, and the explorer of it.
async fn render_explorer() -> (Host, Element) {
    let host =
        Host::open(HostConfig { database: None, use_lock: false, compaction: CompactionPolicy::default() })
            .await;
    let create = json!({"TableName": "Songs", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]});
    host.send("CreateTable", &create).await.unwrap();
    host.send("PutItem", &json!({"TableName": "Songs", "Item": {"pk": {"S": "a"}}})).await.unwrap();
    let root = mount_point();
    let props = ExplorerWithSenderProps { send: Sender::of_host(&host), table: AttrValue::from("Songs") };
    yew::Renderer::<ExplorerWithSender>::with_root_and_props(root.clone(), props).render();
    settle().await;
    settle().await;
    (host, root)
}

#[wasm_bindgen_test]
async fn the_explorer_reads_and_writes_through_its_sender_alone() {
    let (host, root) = render_explorer().await;
    assert_eq!(text(&root, "[data-testid=explorer-count]"), "Scan · page 1 · 1 item");
    assert!(text(&root, "[data-testid=explorer-response-status]").starts_with("Scan succeeded"));
    assert!(text(&root, "[data-testid=table-header]").contains("pk"), "the header from DescribeTable");
    // A new item: its size is asked through the sender as it is typed, then it is saved.
    click(&find(&root, "[data-testid=add-item]"));
    settle().await;
    let item = find(&root, "[data-testid=item-text]");
    item.unchecked_ref::<web_sys::HtmlTextAreaElement>().set_value(r#"{"pk": "b", "n": 12}"#);
    fire(&item, "input");
    settle().await;
    let size = text(&root, "[data-testid=item-size] summary");
    assert!(size.starts_with("Item size: ") && size.contains(" B"), "{size}");
    find(&root, "[data-testid=item-editor]")
        .unchecked_ref::<web_sys::HtmlFormElement>()
        .request_submit()
        .unwrap();
    settle().await;
    assert!(text(&root, "[data-testid=explorer-response-status]").starts_with("PutItem succeeded"));
    let stored =
        host.send("GetItem", &json!({"TableName": "Songs", "Key": {"pk": {"S": "b"}}})).await.unwrap();
    assert_eq!(stored["Item"]["n"], json!({"N": "12"}));
}

#[wasm_bindgen_test]
async fn the_explorer_shows_the_create_table_handed_over_instead_of_its_first_scan() {
    exchange::hand_over(&Exchange {
        operation: "CreateTable".into(),
        request: json!({"TableName": "Songs"}),
        result: Some(Ok(json!({"TableDescription": {"TableName": "Songs"}}))),
        ms: 1.0,
        request_id: None,
        consistency: None,
        dax: None,
    });
    let (_, root) = render_explorer().await;
    assert!(text(&root, "[data-testid=explorer-response-status]").starts_with("CreateTable succeeded"));
    // The first page is still read, quietly.
    assert_eq!(text(&root, "[data-testid=explorer-count]"), "Scan · page 1 · 1 item");
    assert!(exchange::take_handed_over().is_none(), "taken once");
}

// ---------------------------------------------------------------------------------------------
// The exchange view

fn exchange(result: Option<Result<Value, Value>>) -> Exchange {
    Exchange {
        operation: "PutItem".into(),
        request: json!({"TableName": "T<1>", "Item": {"pk": {"S": "a&b"}}}),
        result,
        ms: 2.25,
        request_id: None,
        consistency: None,
        dax: None,
    }
}

/// An exchange view under a sender, as both apps render it: its code tabs read each
/// operation's family from the sender (here the engine's registry; nothing is sent).
#[component]
fn ExchangeWithSender(props: &ExchangeViewProps) -> Html {
    let sender = Sender {
        send: std::rc::Rc::new(|_: String, _: Value| Box::pin(async { (Ok(Value::Null), None) })),
        family: std::rc::Rc::new(dynaplay_web::ui::codegen::family),
    };
    html! {
        <ContextProvider<Sender> context={sender}>
            <ExchangeView exchange={props.exchange.clone()} testid={props.testid.clone()}
                show_response={props.show_response} show_error={props.show_error} />
        </ContextProvider<Sender>>
    }
}

async fn render_exchange(exchange: Exchange, testid: &str, show_response: bool, show_error: bool) -> Element {
    let root = mount_point();
    yew::Renderer::<ExchangeWithSender>::with_root_and_props(
        root.clone(),
        ExchangeViewProps { exchange, testid: AttrValue::from(testid.to_owned()), show_response, show_error },
    )
    .render();
    settle().await;
    root
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_success_shows_status_capacity_and_response() {
    let ok = exchange(Some(Ok(json!({"ConsumedCapacity": {"TableName": "T", "CapacityUnits": 1.0}}))));
    let root = render_exchange(ok.clone(), "x-", true, true).await;
    assert_eq!(text(&root, "[data-testid=x-response-status]"), "PutItem succeeded · 2.3 ms");
    assert!(find(&root, "[data-testid=x-response-status]").class_list().contains("ok"));
    assert_eq!(text(&root, "[data-testid=x-capacity]"), "ConsumedCapacity 1.0 capacity units on T");
    let response: Value = serde_json::from_slice(text(&root, "[data-testid=x-response]").as_bytes()).unwrap();
    assert_eq!(response["ConsumedCapacity"]["TableName"], "T");
    let hidden = render_exchange(ok, "x-", false, true).await;
    assert!(hidden.query_selector("[data-testid=x-response]").unwrap().is_none());
    let none = render_exchange(exchange(Some(Ok(json!({})))), "", true, true).await;
    assert_eq!(text(&none, "[data-testid=capacity]"), "ConsumedCapacity PutItem returns no ConsumedCapacity");
}

#[wasm_bindgen_test]
async fn a_failure_shows_the_error_unless_told_not_to() {
    let err = exchange(Some(Err(
        json!({"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": "bad <thing>"}),
    )));
    let root = render_exchange(err.clone(), "", false, true).await;
    let status = find(&root, "[data-testid=response-status]");
    assert_eq!(status.get_attribute("role").as_deref(), Some("alert"));
    assert!(status.text_content().unwrap_or_default().starts_with("PutItem failed"));
    assert_eq!(
        text(&root, "[data-testid=capacity]"),
        "ConsumedCapacity nothing consumed (the request failed)"
    );
    assert_eq!(text(&root, "[data-testid=error]"), "ValidationException: bad <thing>");
    let quiet = render_exchange(err, "", false, false).await;
    assert!(quiet.query_selector(".error-text").unwrap().is_none());
    let waiting = render_exchange(exchange(None), "", true, true).await;
    assert_eq!(text(&waiting, "[aria-busy=true]"), "PutItem — waiting…");
}

#[wasm_bindgen_test]
async fn a_stale_read_is_marked_with_its_replica_and_a_fresh_one_only_while_a_delay_is_on() {
    let mut read = exchange(Some(Ok(json!({"Item": {"pk": {"S": "a"}}}))));
    read.operation = "GetItem".into();
    read.consistency =
        Some(json!({"Consistency": "EVENTUAL", "Stale": true, "StaleItems": 1, "MissedWrites": 1,
        "BehindMilliseconds": 400, "CaughtUpInMilliseconds": 600,
        "Reads": [{"TableName": "T", "Replica": 3, "DelayMilliseconds": 1000, "Stale": true}]}));
    let root = render_exchange(read.clone(), "", true, true).await;
    let line = find(&root, "[data-testid=consistency]");
    assert_eq!(line.get_attribute("data-stale").as_deref(), Some("true"));
    assert!(line.class_list().contains("stale"));
    assert!(text(&root, "[data-testid=consistency]")
        .starts_with("Stale answer: served by replica 3 of 3 without 1 write,"));
    read.consistency = Some(
        json!({"Stale": false, "Reads": [{"TableName": "T", "Replica": 1, "DelayMilliseconds": 0, "Stale": false}]}),
    );
    let quiet = render_exchange(read, "", true, true).await;
    assert!(
        quiet.query_selector("[data-testid=consistency]").unwrap().is_none(),
        "nothing with the delays at zero"
    );
}

#[wasm_bindgen_test]
async fn the_operation_typed_in_the_console_is_text_never_markup() {
    for result in [None, Some(Ok(json!({}))), Some(Err(json!({"message": "no"})))] {
        let mut x = exchange(result);
        x.operation = "<img src=x onerror=alert(1)>".into();
        let root = render_exchange(x, "", true, true).await;
        assert!(find_all(&root, "img").is_empty(), "{}", root.inner_html());
        assert!(root.text_content().unwrap_or_default().contains("<img src=x onerror=alert(1)>"));
    }
}

#[wasm_bindgen_test]
async fn request_and_code_are_text_and_the_chosen_tab_is_marked() {
    let root = render_exchange(exchange(None), "c-", true, true).await;
    let sent: Value = serde_json::from_slice(text(&root, "[data-testid=c-request-sent]").as_bytes()).unwrap();
    assert_eq!(sent["TableName"], "T<1>");
    assert!(text(&root, "[data-testid=c-code]").starts_with("aws dynamodb put-item"));
    let tabs = find_all(&root, "[role=tab]");
    let labels: Vec<String> = tabs.iter().map(|t| t.text_content().unwrap_or_default()).collect();
    assert_eq!(labels, ["AWS CLI", "boto3", "JS SDK v3"]);
    assert_eq!(tabs[0].get_attribute("aria-selected").as_deref(), Some("true"));
    click(&tabs[1]);
    settle().await;
    let tabs = find_all(&root, "[role=tab]");
    assert_eq!(tabs[1].get_attribute("aria-selected").as_deref(), Some("true"));
    assert!(tabs[1].class_list().contains("active") && !tabs[0].class_list().contains("active"));
    assert_eq!(tabs[0].get_attribute("aria-selected").as_deref(), Some("false"));
    let code = text(&root, "[data-testid=c-code]");
    assert!(code.contains("client = boto3.client(\"dynamodb\")") && code.contains("a&b"), "{code}");
    assert!(find_all(&root, "pre b, pre img").is_empty());
}
