//! Guided labs: the types of a lab file (`static/labs/<id>.json`, documented for authors in
//! `static/labs/README.md`), of the index that lists them (`static/labs/index.json`), and the
//! walk that proves a lab works: setup runs clean, each step's check refuses before the step
//! is done and refuses every declared wrong action with its `missing` sentence, and passes
//! once its "show me" has run.

use dynaplay_engine::Engine;
use serde_json::Value;

use crate::check::{Check, Refusal};
use crate::read::{self, Fields};
use crate::script::{self, Step};

/// How much a lab expects a learner to know already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// No DynamoDB needed.
    Beginner,
    /// Knows tables, keys and the item operations.
    Intermediate,
    /// Knows capacity and indexes.
    Advanced,
}

impl Level {
    /// The level as a lab file writes it.
    pub fn name(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    fn from_name(name: &str, path: &str) -> Result<Self, String> {
        match name {
            "beginner" => Ok(Level::Beginner),
            "intermediate" => Ok(Level::Intermediate),
            "advanced" => Ok(Level::Advanced),
            other => Err(format!("{path}.level: \"{other}\" is not beginner, intermediate or advanced")),
        }
    }
}

/// A guided lab.
#[derive(Clone, Debug, PartialEq)]
pub struct Lab {
    /// The file name without `.json`; names the lab in links and saved progress.
    pub id: String,
    /// The title.
    pub title: String,
    /// Who it is for.
    pub level: Level,
    /// About how long it takes.
    pub minutes: u64,
    /// What the learner will be able to do or explain afterwards.
    pub objectives: Vec<String>,
    /// Requests that build the lab's workspace (tables, settings, items), run in order; none
    /// may fail.
    pub setup: Vec<Step>,
    /// The steps, in order.
    pub steps: Vec<LabStep>,
    /// What the numbers met on the way meant, shown at the end.
    pub summary: Vec<String>,
    /// Whether it needs the page's full engine (`"engine": "full"`: global tables, DAX), which
    /// the page loads before the lab starts.
    pub full_engine: bool,
}

/// One step of a lab.
#[derive(Clone, Debug, PartialEq)]
pub struct LabStep {
    /// A short title.
    pub title: String,
    /// What to do and why (paragraphs separated by a blank line; `code` in backticks).
    pub text: String,
    /// How to do it with the playground's forms, if they can (the console, the JS SDK and the
    /// AWS CLI take the "show me" requests as they are).
    pub ui: Option<String>,
    /// What must be true once it is done.
    pub check: Check,
    /// Hints, from a nudge to nearly the answer.
    pub hints: Vec<String>,
    /// The exact requests that do the step.
    pub show_me: Vec<Step>,
    /// Plausible wrong ways to do it, each refused by the check.
    pub wrong: Vec<WrongAction>,
    /// Shown once the check passes: what just happened.
    pub explain: Option<String>,
}

/// A wrong way to do a step: its requests, and the `missing` sentence the check must refuse
/// them with.
#[derive(Clone, Debug, PartialEq)]
pub struct WrongAction {
    /// What the wrong way is ("a Scan instead of a Query").
    pub label: String,
    /// Its requests.
    pub steps: Vec<Step>,
    /// The `missing` sentence of the predicate that must refuse it.
    pub missing: String,
}

impl Lab {
    /// Reads a lab file's JSON; every member is checked and unknown ones are refused.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let mut fields = Fields::of(value, "lab")?;
        let id = fields.string("id")?;
        let title = fields.string("title")?;
        let level = Level::from_name(&fields.string("level")?, "lab")?;
        let minutes = fields.optional_u64("minutes")?.ok_or("lab: \"minutes\" is missing")?;
        let objectives = fields.strings("objectives")?;
        let setup = match fields.optional("setup") {
            Some(steps) => script::steps_from_json(steps, "setup")?,
            None => Vec::new(),
        };
        let steps = read::list(fields.required("steps")?, "steps", LabStep::from_json)?;
        let summary = fields.strings("summary")?;
        let full_engine = full_engine(&mut fields, "lab")?;
        fields.finish()?;
        let lab = Self { id, title, level, minutes, objectives, setup, steps, summary, full_engine };
        if cfg!(feature = "authoring") {
            lab.check_shape()?;
        }
        Ok(lab)
    }

    /// What a lab needs beyond well-formed members.
    fn check_shape(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(format!("lab.id: \"{}\" must be lowercase letters, digits and dashes", self.id));
        }
        if self.objectives.is_empty() || self.steps.is_empty() || self.summary.is_empty() {
            return Err("lab: objectives, steps and summary may not be empty".into());
        }
        if self.steps.iter().all(|step| step.wrong.is_empty()) {
            return Err("lab: at least one step must declare a wrong action".into());
        }
        if !self.full_engine {
            if let Some(step) = self.requests().find(|s| s.needs_full_engine()) {
                return Err(format!(
                    "lab: {}{} needs the page's full engine: add \"engine\": \"full\" to the lab and its index line",
                    step.op,
                    step.region.as_ref().map(|r| format!(" in {r}")).unwrap_or_default()
                ));
            }
        }
        Ok(())
    }

    /// Every request the lab can send: its setup, each step's show-me and wrong actions.
    fn requests(&self) -> impl Iterator<Item = &Step> {
        let steps =
            self.steps.iter().flat_map(|s| s.show_me.iter().chain(s.wrong.iter().flat_map(|w| &w.steps)));
        self.setup.iter().chain(steps)
    }
}

impl LabStep {
    fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let title = fields.string("title")?;
        let text = fields.string("text")?;
        let ui = fields.optional_string("ui")?;
        let check = Check::from_json(fields.required("check")?, &format!("{path}.check"))?;
        let hints = fields.strings("hints")?;
        let show_me = script::steps_from_json(fields.required("showMe")?, &format!("{path}.showMe"))?;
        let wrong = match fields.optional("wrong") {
            Some(list) => read::list(list, &format!("{path}.wrong"), WrongAction::from_json)?,
            None => Vec::new(),
        };
        let explain = fields.optional_string("explain")?;
        fields.finish()?;
        if show_me.is_empty() || hints.is_empty() {
            return Err(format!("{path}: a step needs at least one hint and one showMe request"));
        }
        for (index, wrong) in wrong.iter().enumerate().filter(|_| cfg!(feature = "authoring")) {
            if !check.predicates.iter().any(|p| p.missing == wrong.missing) {
                return Err(format!(
                    "{path}.wrong[{index}].missing is not the missing text of any predicate"
                ));
            }
        }
        Ok(Self { title, text, ui, check, hints, show_me, wrong, explain })
    }
}

impl WrongAction {
    fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let label = fields.string("label")?;
        let steps = script::steps_from_json(fields.required("steps")?, &format!("{path}.steps"))?;
        let missing = fields.string("missing")?;
        fields.finish()?;
        Ok(Self { label, steps, missing })
    }
}

/// One line of the lab index: enough to list a lab before its file is fetched.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexEntry {
    /// The lab's id (its file is `<id>.json`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its level.
    pub level: Level,
    /// About how long it takes.
    pub minutes: u64,
    /// Whether it needs the page's full engine ([`Lab::full_engine`]).
    pub full_engine: bool,
}

/// Reads a lab's optional `"engine"`: `"full"` when it needs the page's full engine.
fn full_engine(fields: &mut Fields, path: &str) -> Result<bool, String> {
    match fields.optional_string("engine")?.as_deref() {
        None => Ok(false),
        Some("full") => Ok(true),
        Some(other) => Err(format!(
            "{path}.engine: \"{other}\" is not \"full\" (leave it out for the first load's engine)"
        )),
    }
}

/// Reads `static/labs/index.json`: `{"labs": [{"id", "title", "level", "minutes", "engine"?}…]}`.
pub fn index_from_json(value: &Value) -> Result<Vec<IndexEntry>, String> {
    let mut fields = Fields::of(value, "index")?;
    let labs = read::list(fields.required("labs")?, "index.labs", |entry, path| {
        let mut fields = Fields::of(entry, path)?;
        let id = fields.string("id")?;
        let title = fields.string("title")?;
        let level = Level::from_name(&fields.string("level")?, path)?;
        let minutes =
            fields.optional_u64("minutes")?.ok_or_else(|| format!("{path}: \"minutes\" is missing"))?;
        let full_engine = full_engine(&mut fields, path)?;
        fields.finish()?;
        Ok(IndexEntry { id, title, level, minutes, full_engine })
    })?;
    fields.finish()?;
    Ok(labs)
}

/// What walking a lab ran: requests in all, for the validator's report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Walked {
    /// Steps whose show-me passed.
    pub steps: usize,
    /// Wrong actions refused as declared.
    pub wrong: usize,
    /// Requests run, setup and replays included.
    pub requests: usize,
}

/// Walks a lab on fresh engines (see the module docs). Each step starts from setup plus
/// every earlier step's "show me"; the error says which step and what went wrong.
pub fn walk(lab: &Lab) -> Result<Walked, String> {
    let mut walked = Walked::default();
    for (index, step) in lab.steps.iter().enumerate() {
        let at = |what: String| format!("{}: step {} ({}): {what}", lab.id, index + 1, step.title);
        let (mut engine, ran) = prepared(lab, index).map_err(at)?;
        walked.requests += ran;
        if step.check.evaluate(&mut engine, &[]).is_ok() {
            return Err(at("the check passes before anything is done".into()));
        }
        for wrong in &step.wrong {
            let (mut engine, ran) = prepared(lab, index).map_err(at)?;
            let log = script::run(&mut engine, &wrong.steps);
            walked.requests += ran + log.len();
            match step.check.evaluate(&mut engine, &log) {
                Ok(()) => return Err(at(format!("the wrong action \"{}\" passes the check", wrong.label))),
                Err(Refusal { missing, .. }) if missing != wrong.missing => {
                    return Err(at(format!(
                        "the wrong action \"{}\" is refused with \"{missing}\"",
                        wrong.label
                    )))
                }
                Err(_) => walked.wrong += 1,
            }
        }
        let log = script::run(&mut engine, &step.show_me);
        walked.requests += log.len();
        step.check
            .evaluate(&mut engine, &log)
            .map_err(|refusal| at(format!("\"show me\" does not pass the check: {refusal}")))?;
        walked.steps += 1;
    }
    Ok(walked)
}

/// A fresh engine with the lab's setup and the show-me of every step before `step` run, and
/// how many requests that took.
fn prepared(lab: &Lab, step: usize) -> Result<(Engine, usize), String> {
    let mut engine = Engine::new();
    let setup = script::run_clean(&mut engine, &lab.setup).map_err(|e| format!("setup: {e}"))?;
    let mut ran = setup.len();
    for earlier in lab.steps.iter().take(step) {
        ran += script::run(&mut engine, &earlier.show_me).len();
    }
    Ok((engine, ran))
}

#[cfg(test)]
mod tests;
