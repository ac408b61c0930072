//! Exam practice: the question bank's file format (`static/questions/*.json`, documented for
//! authors in `static/questions/README.md`), grading a learner's answer, and the "prove it"
//! experiment — requests run on a fresh engine whose figure must equal the answer key, so the
//! key can never drift from the engine.
//!
//! Files are read by hand with [`crate::read`] (no serde derive in the bundle); every reader
//! refuses unknown members and inconsistent answers with the question's place in the file.

use dynaplay_engine::Engine;
use serde_json::{Map, Value};

use crate::read::{list, Fields};
use crate::script::{self, Exchange, Step};

/// The certification exams a question can be tagged with.
pub const EXAMS: [&str; 3] = ["DVA-C02", "SAA-C03", "DEA-C01"];

/// The longest string a `"$pad:N"` placeholder may expand to: an item is at most 400 KB, so
/// anything much larger is a typo, and the browser should not build it.
const MAX_PAD: usize = 1 << 20;

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Exactly one option is right.
    Single,
    /// Two or more options are right, and the learner must pick all of them.
    Multiple,
    /// A number, in a unit, within a tolerance.
    Numeric,
}

/// One option of a choice question. `figure` ties it to the experiment: the figure the
/// experiment yields when this option is what happens.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// What the learner reads.
    pub text: String,
    /// The experiment's figure that would mean this option (only for measurable options).
    pub figure: Option<Value>,
}

/// The answer key.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Indices of the right options (one for [`Kind::Single`]).
    Options(Vec<usize>),
    /// The right number, its unit and how far an answer may be from it.
    Number {
        /// The value.
        value: f64,
        /// What it counts (`RCU`, `WCU`, `items`, `USD`…).
        unit: String,
        /// The largest accepted difference (0: exactly).
        tolerance: f64,
    },
}

/// What a "prove it" experiment reads from one exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read {
    /// `"capacity"`: the units the response's ConsumedCapacity reports (summed over tables).
    Capacity,
    /// `"error"`: the error's name (`ConditionalCheckFailedException`), or `"none"`.
    Error,
    /// `"/JSON/pointer"`: the value there in the response (or in the error's body).
    Pointer(String),
    /// `"count:/JSON/pointer"`: how many entries the list or object there has (0 when there
    /// is none: GetItem of a missing item has no `Item`).
    Count(String),
}

impl Read {
    fn parse(text: &str, path: &str) -> Result<Self, String> {
        match text {
            "capacity" => Ok(Self::Capacity),
            "error" => Ok(Self::Error),
            _ if text.starts_with('/') => Ok(Self::Pointer(text.to_owned())),
            _ => match text.strip_prefix("count:") {
                Some(pointer) if pointer.starts_with('/') => Ok(Self::Count(pointer.to_owned())),
                _ => Err(format!(
                    "{path}: read must be \"capacity\", \"error\", a JSON pointer (\"/Count\") or \"count:/pointer\", not \"{text}\""
                )),
            },
        }
    }

    /// The figure this read finds in `exchange`; `null` where there is nothing to read.
    pub fn figure(&self, exchange: &Exchange) -> Value {
        let body = || exchange.response().or_else(|| exchange.error());
        match self {
            Self::Capacity => exchange.consumed_capacity().map_or(Value::Null, Value::from),
            Self::Error => Value::from(exchange.error_name().unwrap_or("none")),
            Self::Pointer(pointer) => body().and_then(|b| b.pointer(pointer)).cloned().unwrap_or(Value::Null),
            Self::Count(pointer) => match body().and_then(|b| b.pointer(pointer)) {
                Some(Value::Array(entries)) => Value::from(entries.len()),
                Some(Value::Object(members)) => Value::from(members.len()),
                _ => Value::from(0),
            },
        }
    }
}

/// A "prove it" experiment: a setup that must run without an error, the steps the learner is
/// shown, and which figure of which step settles the question.
#[derive(Clone, Debug, PartialEq)]
pub struct Prove {
    /// Tables and items, created first (not shown as the proof).
    pub setup: Vec<Step>,
    /// The requests that prove the answer, shown with their responses.
    pub steps: Vec<Step>,
    /// Which step the figure is read from (an index into `steps`).
    pub step: usize,
    /// What is read from it.
    pub read: Read,
    /// A line for the learner about what the figure is (optional).
    pub note: Option<String>,
}

/// What running an experiment gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Proof {
    /// The steps' exchanges (the setup's are left out).
    pub log: Vec<Exchange>,
    /// The figure read from the settling step.
    pub figure: Value,
}

impl Prove {
    fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let setup = match fields.optional("setup") {
            Some(v) => script::steps_from_json(v, &format!("{path}.setup"))?,
            None => Vec::new(),
        };
        let steps = script::steps_from_json(fields.required("steps")?, &format!("{path}.steps"))?;
        let figure_path = format!("{path}.figure");
        let mut figure = Fields::of(fields.required("figure")?, &figure_path)?;
        let read = Read::parse(&figure.string("read")?, &figure_path)?;
        let last = steps.len().checked_sub(1).ok_or_else(|| format!("{path}.steps: no steps"))?;
        let step = match figure.optional_u64("step")? {
            Some(n) => usize::try_from(n)
                .ok()
                .filter(|&n| n <= last)
                .ok_or_else(|| format!("{figure_path}.step: {n} is past the last step ({last})"))?,
            None => last,
        };
        figure.finish()?;
        let note = fields.optional_string("note")?;
        fields.finish()?;
        Ok(Self { setup, steps, step, read, note })
    }

    /// Runs the experiment on a fresh engine (never the learner's workspace): the setup, which
    /// must succeed, then every step whatever it answers; the figure is read from the
    /// settling step.
    pub fn run(&self) -> Result<Proof, String> {
        self.run_with(|setup, steps| {
            let mut engine = Engine::new();
            script::run_clean(&mut engine, setup)?;
            Ok(script::run(&mut engine, steps))
        })
    }

    /// The same, with the engine somewhere else: `run` gets the setup and the steps (each
    /// expanded), runs them as [`Prove::run`] does on a fresh engine and returns the steps'
    /// log, or the setup's error.
    pub fn run_with(
        &self,
        run: impl FnOnce(&[Step], &[Step]) -> Result<Vec<Exchange>, String>,
    ) -> Result<Proof, String> {
        let log = run(&expand_steps(&self.setup)?, &expand_steps(&self.steps)?)
            .map_err(|e| format!("setup: {e}"))?;
        let figure = log.get(self.step).map_or(Value::Null, |exchange| self.read.figure(exchange));
        Ok(Proof { log, figure })
    }
}

/// One question of the bank.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Unique across the bank: lowercase letters, digits and dashes.
    pub id: String,
    /// The exams it prepares for (from [`EXAMS`]).
    pub exams: Vec<String>,
    /// Topic ids; the first is the file's topic.
    pub topics: Vec<String>,
    /// How it is answered.
    pub kind: Kind,
    /// The question.
    pub stem: String,
    /// The options (empty for numeric questions).
    pub options: Vec<Choice>,
    /// The answer key.
    pub answer: Answer,
    /// Why the answer is right, shown after answering.
    pub explanation: String,
    /// Where in the AWS documentation the facts are.
    pub source: Option<String>,
    /// The experiment that shows the answer on the engine, where there is a figure to show.
    pub prove: Option<Prove>,
}

impl Question {
    /// Reads one question and checks it is consistent: known exams, an answer that fits the
    /// kind and the options, figures only where an experiment gives one.
    pub fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let id = fields.string("id")?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(format!("{path}.id: \"{id}\" must be lowercase letters, digits and dashes"));
        }
        let exams = fields.strings("exams")?;
        if exams.is_empty() {
            return Err(format!("{path}.exams: name at least one exam"));
        }
        if let Some(unknown) = exams.iter().find(|e| !EXAMS.contains(&e.as_str())) {
            return Err(format!("{path}.exams: unknown exam \"{unknown}\" (known: {})", EXAMS.join(", ")));
        }
        let topics = fields.strings("topics")?;
        if topics.is_empty() {
            return Err(format!("{path}.topics: name at least one topic"));
        }
        let kind = match fields.string("kind")?.as_str() {
            "single" => Kind::Single,
            "multiple" => Kind::Multiple,
            "numeric" => Kind::Numeric,
            other => return Err(format!("{path}.kind: \"{other}\" is not single, multiple or numeric")),
        };
        let stem = fields.string("stem")?;
        let options = match fields.optional("options") {
            Some(v) => list(v, &format!("{path}.options"), choice_from_json)?,
            None => Vec::new(),
        };
        let answer_value = fields.required("answer")?;
        let unit = fields.optional_string("unit")?;
        let tolerance = fields.optional_f64("tolerance")?;
        let answer = match kind {
            Kind::Numeric => {
                let value =
                    answer_value.as_f64().ok_or_else(|| format!("{path}.answer: expected a number"))?;
                let unit = unit.ok_or_else(|| format!("{path}: a numeric question needs a \"unit\""))?;
                let tolerance = tolerance.unwrap_or(0.0);
                if !options.is_empty() || tolerance < 0.0 {
                    return Err(format!("{path}: a numeric question has no options and a tolerance ≥ 0"));
                }
                Answer::Number { value, unit, tolerance }
            }
            Kind::Single | Kind::Multiple => {
                if unit.is_some() || tolerance.is_some() {
                    return Err(format!("{path}: unit and tolerance belong to numeric questions"));
                }
                let picks = list(answer_value, &format!("{path}.answer"), |v, p| {
                    v.as_u64()
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| format!("{p}: expected an option index"))
                })?;
                check_picks(kind, &picks, options.len(), path)?;
                Answer::Options(picks)
            }
        };
        let explanation = fields.string("explanation")?;
        let source = fields.optional_string("source")?;
        let prove = match fields.optional("prove") {
            Some(v) => Some(Prove::from_json(v, &format!("{path}.prove"))?),
            None => None,
        };
        fields.finish()?;
        let measured = options.iter().any(|o| o.figure.is_some());
        if measured && prove.is_none() {
            return Err(format!("{path}: options carry figures but there is no experiment"));
        }
        if prove.is_some() && kind != Kind::Numeric && !measured {
            return Err(format!(
                "{path}: the experiment settles nothing: give the options it tells apart a \"figure\""
            ));
        }
        Ok(Self { id, exams, topics, kind, stem, options, answer, explanation, source, prove })
    }

    /// Whether the picked options are exactly the right ones.
    pub fn grade_options(&self, picked: &[usize]) -> bool {
        match &self.answer {
            Answer::Options(right) => picked.len() == right.len() && right.iter().all(|r| picked.contains(r)),
            Answer::Number { .. } => false,
        }
    }

    /// Whether a number is within the tolerance of the key.
    pub fn grade_number(&self, given: f64) -> bool {
        match &self.answer {
            Answer::Number { value, tolerance, .. } => (given - value).abs() <= tolerance + 1e-9,
            Answer::Options(_) => false,
        }
    }

    /// Checks that an experiment's figure settles the question as the key says: a numeric
    /// key equals the figure; a choice's figure is that of a right option and of no wrong one.
    pub fn settled_by(&self, figure: &Value) -> Result<(), String> {
        match &self.answer {
            Answer::Number { value, .. } => match as_number(figure) {
                Some(measured) if (measured - value).abs() <= 1e-9 => Ok(()),
                _ => {
                    Err(format!("the experiment gives {figure}, the answer key says {}", number_text(*value)))
                }
            },
            Answer::Options(right) => {
                let means = |i: &usize| {
                    self.options
                        .get(*i)
                        .and_then(|o| o.figure.as_ref())
                        .is_some_and(|f| same_figure(f, figure))
                };
                let wrong = (0..self.options.len()).filter(|i| !right.contains(i)).find(means);
                match (right.iter().any(means), wrong) {
                    (true, None) => Ok(()),
                    (_, Some(i)) => {
                        Err(format!("the experiment gives {figure}, which is wrong option {i}'s figure"))
                    }
                    (false, None) => {
                        Err(format!("the experiment gives {figure}, which no right option's figure is"))
                    }
                }
            }
        }
    }
}

/// Whether two figures are the same: numbers by value (`1` and `1.0` alike), anything else
/// exactly.
fn same_figure(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A number as a learner reads it: `2`, `1.5`, `23.4` — whole numbers without `.0`. Written by
/// serde_json (core's float formatting would cost the browser bundle ≈ 5 KB gzip).
pub fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        // Exact: a whole number below 2^53 converts without loss.
        #[allow(clippy::cast_possible_truncation)]
        let whole = value as i64;
        Value::from(whole).to_string()
    } else {
        Value::from(value).to_string()
    }
}

/// A figure as a number: JSON numbers, and DynamoDB's numbers-as-strings (`{"N": "2"}` read
/// at `/…/N`), parsed by serde_json's own parser (no second float parser in the bundle).
pub fn as_number(figure: &Value) -> Option<f64> {
    match figure {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => match serde_json::from_slice::<Value>(text.trim().as_bytes()) {
            Ok(Value::Number(n)) => n.as_f64(),
            _ => None,
        },
        _ => None,
    }
}

fn check_picks(kind: Kind, picks: &[usize], options: usize, path: &str) -> Result<(), String> {
    if options < 2 {
        return Err(format!("{path}.options: a choice question needs at least two"));
    }
    if let Some(bad) = picks.iter().find(|&&p| p >= options) {
        return Err(format!("{path}.answer: option {bad} does not exist ({options} options)"));
    }
    if picks.iter().enumerate().any(|(i, p)| picks[..i].contains(p)) {
        return Err(format!("{path}.answer: an option is named twice"));
    }
    let fits = match kind {
        Kind::Single => picks.len() == 1,
        _ => picks.len() >= 2 && picks.len() < options,
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "{path}.answer: a {} question needs {} right option(s), not {}",
            if kind == Kind::Single { "single" } else { "multiple" },
            if kind == Kind::Single { "1" } else { "2 or more (not all)" },
            picks.len()
        ))
    }
}

fn choice_from_json(value: &Value, path: &str) -> Result<Choice, String> {
    if let Value::String(text) = value {
        return Ok(Choice { text: text.clone(), figure: None });
    }
    let mut fields = Fields::of(value, path)?;
    let text = fields.string("text")?;
    let figure = Some(fields.required("figure")?.clone());
    fields.finish()?;
    Ok(Choice { text, figure })
}

/// A question file: its topic and its questions.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionFile {
    /// The topic id (the file's name without `.json`).
    pub topic: String,
    /// The questions, in the file's order.
    pub questions: Vec<Question>,
}

impl QuestionFile {
    /// Reads a file; each question's first topic must be the file's.
    pub fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let topic = fields.string("topic")?;
        let questions =
            list(fields.required("questions")?, &format!("{path}.questions"), Question::from_json)?;
        fields.finish()?;
        if let Some(q) = questions.iter().find(|q| q.topics.first() != Some(&topic)) {
            return Err(format!("{path}: question {} must list the file's topic \"{topic}\" first", q.id));
        }
        Ok(Self { topic, questions })
    }
}

/// One topic of the index: its id, what the learner reads, and its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Topic {
    /// The id questions name in `topics`.
    pub id: String,
    /// The topic's title.
    pub title: String,
    /// The file holding the questions whose first topic this is (relative to the index).
    pub file: String,
    /// How many questions the file holds (the practice view shows it before fetching).
    pub count: u64,
}

/// `static/questions/index.json`: the topics and their files.
#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    /// Every topic, in the order the practice view lists them.
    pub topics: Vec<Topic>,
}

impl Index {
    /// Reads the index.
    pub fn from_json(value: &Value, path: &str) -> Result<Self, String> {
        let mut fields = Fields::of(value, path)?;
        let topics = list(fields.required("topics")?, &format!("{path}.topics"), |v, p| {
            let mut f = Fields::of(v, p)?;
            let topic = Topic {
                id: f.string("id")?,
                title: f.string("title")?,
                file: f.string("file")?,
                count: f.optional_u64("count")?.ok_or_else(|| format!("{p}: \"count\" is missing"))?,
            };
            f.finish()?;
            Ok(topic)
        })?;
        fields.finish()?;
        Ok(Self { topics })
    }

    /// Checks the bank as a whole: every topic has its file and the right count, every
    /// question's topics are known, and ids are unique. Returns every problem found.
    pub fn check_bank(&self, files: &[QuestionFile]) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids: Vec<&str> = Vec::new();
        for topic in &self.topics {
            if self.topics.iter().filter(|t| t.id == topic.id).count() > 1 {
                problems.push(format!("index: topic {} is listed twice", topic.id));
            }
            match files.iter().find(|f| f.topic == topic.id) {
                Some(file) if file.questions.len() as u64 != topic.count => problems.push(format!(
                    "index: topic {} says {} questions, its file has {}",
                    topic.id,
                    topic.count,
                    file.questions.len()
                )),
                Some(_) => {}
                None => problems.push(format!("index: topic {} has no file", topic.id)),
            }
        }
        for file in files {
            if !self.topics.iter().any(|t| t.id == file.topic) {
                problems.push(format!("file of topic {} is not in the index", file.topic));
            }
            for q in &file.questions {
                if ids.contains(&q.id.as_str()) {
                    problems.push(format!("question id {} is used twice", q.id));
                }
                ids.push(&q.id);
                for t in q.topics.iter().filter(|t| !self.topics.iter().any(|k| &k.id == *t)) {
                    problems.push(format!("question {}: unknown topic {t}", q.id));
                }
            }
        }
        problems
    }
}

/// Checks the bank ([`Index::check_bank`]) and runs every "prove it" experiment
/// ([`prove_all`]). Returns every problem found, each naming its question or file; empty
/// means the bank is sound.
pub fn verify(index: &Index, files: &[QuestionFile]) -> Vec<String> {
    let mut problems = index.check_bank(files);
    problems.extend(files.iter().flat_map(prove_all));
    problems
}

/// Runs every experiment of a file on a fresh engine each: each must yield the figure its
/// answer key states. Returns a problem per question that does not.
pub fn prove_all(file: &QuestionFile) -> Vec<String> {
    let mut problems = Vec::new();
    for question in &file.questions {
        let Some(prove) = &question.prove else { continue };
        if let Err(problem) = prove.run().and_then(|proof| question.settled_by(&proof.figure)) {
            problems.push(format!("question {}: {problem}", question.id));
        }
    }
    problems
}

/// Expands `"$pad:N"` strings in every request to N letters `x`, so a file can ask for a
/// 9 KB item without spelling it out; the learner is shown the placeholder.
fn expand_steps(steps: &[Step]) -> Result<Vec<Step>, String> {
    steps
        .iter()
        .map(|s| Ok(Step { op: s.op.clone(), request: expand(&s.request)?, region: s.region.clone() }))
        .collect()
}

/// One value with its `"$pad:N"` placeholders expanded.
pub fn expand(value: &Value) -> Result<Value, String> {
    Ok(match value {
        Value::String(text) => match text.strip_prefix("$pad:") {
            Some(n) => match n.parse::<usize>() {
                Ok(n) if n <= MAX_PAD => Value::String("x".repeat(n)),
                _ => return Err(format!("\"{text}\": a pad is a length up to {MAX_PAD}")),
            },
            None => value.clone(),
        },
        Value::Array(entries) => Value::Array(entries.iter().map(expand).collect::<Result<_, _>>()?),
        Value::Object(members) => {
            let mut out = Map::with_capacity(members.len());
            for (k, v) in members {
                out.insert(k.clone(), expand(v)?);
            }
            Value::Object(out)
        }
        _ => value.clone(),
    })
}

#[cfg(test)]
mod tests;
