//! One file per component of the shell, and the small helpers they share: reading a form
//! control's value from its event, and form state edited through a reducer (so two quick
//! edits never overwrite each other with a stale copy).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

pub mod console;
pub mod create_table;
pub mod exchange;
pub mod explorer;
pub mod header;
pub mod query_builder;
pub mod stream_viewer;
pub mod table_list;
pub mod time;
pub mod ttl;
pub mod welcome;

/// The value of the input, textarea or select an event came from.
pub fn value_of(e: &Event) -> String {
    let Some(target) = e.target() else { return String::new() };
    if let Some(i) = target.dyn_ref::<HtmlInputElement>() {
        if i.type_() == "checkbox" {
            return i.checked().to_string();
        }
        return i.value();
    }
    if let Some(t) = target.dyn_ref::<HtmlTextAreaElement>() {
        return t.value();
    }
    target.dyn_ref::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
}

/// Form state edited by closures applied to the current value.
#[derive(Clone, PartialEq, Default)]
pub struct FormState<T>(pub T);

impl<T: Clone + 'static> Reducible for FormState<T> {
    type Action = Box<dyn FnOnce(&mut T)>;
    fn reduce(self: Rc<Self>, edit: Self::Action) -> Rc<Self> {
        let mut next = self.0.clone();
        edit(&mut next);
        Rc::new(FormState(next))
    }
}

/// An `oninput` handler that applies `apply` with the control's new value.
pub fn on_input<T: Clone + 'static>(
    form: &UseReducerHandle<FormState<T>>,
    apply: impl Fn(&mut T, String) + 'static,
) -> Callback<InputEvent> {
    on_value(form, apply)
}

/// An `onchange` handler (selects, checkboxes) that applies `apply` with the new value.
pub fn on_change<T: Clone + 'static>(
    form: &UseReducerHandle<FormState<T>>,
    apply: impl Fn(&mut T, String) + 'static,
) -> Callback<Event> {
    on_value(form, apply)
}

/// A handler of any event of a control that applies `apply` with the control's value.
fn on_value<T: Clone + 'static, E: AsRef<Event> + 'static>(
    form: &UseReducerHandle<FormState<T>>,
    apply: impl Fn(&mut T, String) + 'static,
) -> Callback<E> {
    let form = form.clone();
    let apply = Rc::new(apply);
    Callback::from(move |e: E| {
        let value = value_of(e.as_ref());
        let apply = apply.clone();
        form.dispatch(Box::new(move |t: &mut T| apply(t, value)));
    })
}
