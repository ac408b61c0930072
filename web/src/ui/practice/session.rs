//! The practice view's state and its one reducer ([`Session::apply`]): the questions fetched so
//! far, the exam and topic filters, the question shown, the learner's pick or number, the
//! verdict and the "prove it" run. What the view shows that has no controls — the scores, the
//! question, the verdict with its explanation, the experiment's requests and figure — is
//! written here as escaped markup (`ui::markup`), which the bundle pays far less for than
//! `html!`.

use std::rc::Rc;

use dynaplay_teach::question::{self, Answer, Index, Kind, Proof, Question, QuestionFile, Read};
use serde_json::Value;

use super::Progress;
use crate::ui::markup::{esc, push_esc};
use crate::ui::pretty::pretty;

/// Everything the practice view holds.
#[derive(Default)]
pub struct Session {
    /// The index of topics, once fetched.
    pub index: Option<Index>,
    /// The question files fetched so far (shared: an action copies the session, not them).
    pub files: Rc<Vec<QuestionFile>>,
    /// Why fetching or reading failed, if it did.
    pub error: Option<String>,
    /// The exam filter (`""`: all).
    pub exam: String,
    /// The topic filter (`""`: all).
    pub topic: String,
    /// The learner's progress.
    pub progress: Progress,
    /// The question pinned once answered (until Next).
    pub current: Option<String>,
    /// The options picked.
    pub picked: Vec<usize>,
    /// The number typed.
    pub number: String,
    /// Right or wrong, once checked.
    pub verdict: Option<bool>,
    /// The experiment's run, once asked for.
    pub proof: Option<Result<Proof, String>>,
}

/// What can happen in the view.
pub enum Action {
    /// The index arrived (or failed).
    Index(Result<Index, String>),
    /// A question file arrived (or failed).
    File(Result<QuestionFile, String>),
    /// The exam filter changed.
    Exam(String),
    /// The topic filter changed.
    Topic(String),
    /// An option was clicked.
    Pick(usize),
    /// The number was edited.
    Number(String),
    /// Check the answer.
    Check,
    /// The experiment ran (the view runs it on a scratch engine of the page's).
    Proved(Result<Proof, String>),
    /// On to the next question.
    Next,
}

impl Session {
    /// A session starting from saved progress.
    pub fn new(progress: Progress) -> Session {
        Session { progress, ..Session::default() }
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Index(Ok(index)) => self.index = Some(index),
            Action::File(Ok(file)) => {
                if !self.files.iter().any(|f| f.topic == file.topic) {
                    Rc::make_mut(&mut self.files).push(file);
                }
            }
            Action::Index(Err(e)) | Action::File(Err(e)) => self.error = Some(e),
            Action::Exam(exam) => {
                self.exam = exam;
                self.next();
            }
            Action::Topic(topic) => {
                self.topic = topic;
                self.next();
            }
            Action::Pick(i) if self.verdict.is_none() => {
                let single = self.shown().is_some_and(|q| q.kind == Kind::Single);
                match self.picked.iter().position(|&p| p == i) {
                    Some(at) if !single => {
                        self.picked.remove(at);
                    }
                    Some(_) => {}
                    None if single => self.picked = vec![i],
                    None => self.picked.push(i),
                }
            }
            Action::Pick(_) => {}
            Action::Number(text) => self.number = text,
            Action::Check => {
                let Some(q) = self.shown() else { return };
                if self.verdict.is_some() {
                    return;
                }
                let right = match q.kind {
                    Kind::Numeric => question::as_number(&Value::from(self.number.as_str()))
                        .is_some_and(|n| q.grade_number(n)),
                    _ => q.grade_options(&self.picked),
                };
                let (id, topic) = (q.id.clone(), q.topics.first().cloned().unwrap_or_default());
                self.progress.record(&id, &topic, right);
                self.current = Some(id);
                self.verdict = Some(right);
            }
            Action::Proved(proof) => self.proof = Some(proof),
            Action::Next => self.next(),
        }
    }

    /// Leaves the question shown, so the next one is chosen.
    fn next(&mut self) {
        self.current = None;
        self.picked.clear();
        self.number.clear();
        self.verdict = None;
        self.proof = None;
    }

    /// The questions the filters select, in bank order (among the files fetched).
    pub fn pool(&self) -> Vec<&Question> {
        self.files
            .iter()
            .filter(|f| self.topic.is_empty() || self.topic == f.topic)
            .flat_map(|f| &f.questions)
            .filter(|q| self.exam.is_empty() || q.exams.contains(&self.exam))
            .collect()
    }

    /// The question shown: the one answered (until Next), else the one progress picks.
    pub fn shown(&self) -> Option<&Question> {
        let pool = self.pool();
        if let Some(q) = self.current.as_deref().and_then(|id| pool.iter().find(|q| q.id == id)) {
            return Some(q);
        }
        let ids: Vec<&str> = pool.iter().map(|q| q.id.as_str()).collect();
        self.progress.next(&ids).and_then(|i| pool.get(i).copied())
    }

    /// The files the topic filter needs that are not fetched yet (every file for "all").
    pub fn needed(&self) -> Vec<String> {
        self.index
            .iter()
            .flat_map(|i| &i.topics)
            .filter(|t| self.topic.is_empty() || self.topic == t.id)
            .filter(|t| !self.files.iter().any(|f| f.topic == t.id))
            .map(|t| t.file.clone())
            .collect()
    }

    /// A topic's title from the index (its id until the index is in).
    pub fn title(&self, topic: &str) -> String {
        self.index
            .iter()
            .flat_map(|i| &i.topics)
            .find(|t| t.id == topic)
            .map_or_else(|| topic.to_owned(), |t| t.title.clone())
    }

    /// The scores per topic answered in, as markup.
    pub fn scores_markup(&self) -> String {
        let mut out = String::from("<ul class=\"practice-scores\">");
        for s in &self.progress.scores {
            out.push_str(&format!(
                "<li data-testid=\"score-{}\">{}: {} of {} right</li>",
                esc(&s.topic),
                esc(&self.title(&s.topic)),
                s.right,
                s.answered
            ));
        }
        out.push_str("</ul>");
        out
    }

    /// The question's exams, topics and stem, as markup.
    pub fn question_markup(&self, q: &Question) -> String {
        let topics: Vec<String> = q.topics.iter().map(|t| self.title(t)).collect();
        format!(
            "<p class=\"muted small\">{} · {}</p><p class=\"stem\">{}</p>",
            esc(&q.exams.join(", ")),
            esc(&topics.join(", ")),
            esc(&q.stem)
        )
    }

    /// The verdict, the key when it was wrong, the explanation and the source, as markup
    /// (empty before the answer is checked).
    pub fn verdict_markup(&self, q: &Question) -> String {
        let Some(right) = self.verdict else { return String::new() };
        let mut out = format!(
            "<p class=\"verdict {}\" data-testid=\"practice-verdict\">",
            if right { "right" } else { "wrong" }
        );
        if right {
            out.push_str("Right.");
        } else {
            out.push_str("Not quite. ");
            match &q.answer {
                Answer::Number { value, unit, .. } => {
                    push_esc(&mut out, &format!("The answer: {} {unit}.", question::number_text(*value)))
                }
                Answer::Options(right) => {
                    let texts: Vec<&str> =
                        right.iter().filter_map(|&i| q.options.get(i)).map(|o| o.text.as_str()).collect();
                    push_esc(&mut out, &format!("The answer: {}", texts.join(" / ")));
                }
            }
        }
        out.push_str("</p><p data-testid=\"practice-explanation\">");
        push_esc(&mut out, &q.explanation);
        out.push_str("</p>");
        if let Some(source) = &q.source {
            out.push_str(&format!(
                "<p class=\"small\"><a href=\"{}\" target=\"_blank\" rel=\"noopener\">AWS documentation</a></p>",
                esc(source)
            ));
        }
        out
    }

    /// The experiment's run as markup: each request as written (`$pad:N` and all), the
    /// settling step's answer (cut short: a page of items can be a megabyte), and the figure
    /// said against the key. Empty until "Prove it".
    pub fn proof_markup(&self, q: &Question) -> String {
        let (Some(prove), Some(run)) = (&q.prove, &self.proof) else { return String::new() };
        let proof = match run {
            Ok(proof) => proof,
            Err(e) => return format!("<p class=\"error\">{}</p>", esc(e)),
        };
        let mut out = String::from(
            "<div class=\"practice-proof\" data-testid=\"practice-proof\"><p class=\"muted small\">Run in a scratch workspace of its own: your tables are not touched.</p>",
        );
        for (i, step) in prove.steps.iter().enumerate() {
            let settles = i == prove.step;
            out.push_str(&format!(
                "<details{}><summary>{}. {}</summary><pre>{}</pre>",
                if settles { " open" } else { "" },
                i + 1,
                esc(&step.op),
                esc(&pretty(&step.request))
            ));
            if let Some(x) = proof.log.get(i).filter(|_| settles) {
                let body = x.response().or_else(|| x.error()).map(pretty).unwrap_or_default();
                let shown = match body.char_indices().nth(2000) {
                    Some((at, _)) => format!("{}…", &body[..at]),
                    None => body,
                };
                out.push_str(&format!("<pre>{}</pre>", esc(&shown)));
            }
            out.push_str("</details>");
        }
        let settled = q.settled_by(&proof.figure).is_ok();
        let figure = match &proof.figure {
            Value::String(text) => text.clone(),
            other => question::as_number(other).map_or_else(|| other.to_string(), question::number_text),
        };
        let read = match &prove.read {
            Read::Capacity => "ConsumedCapacity".to_owned(),
            Read::Error => "Error".to_owned(),
            Read::Pointer(p) => p.clone(),
            Read::Count(p) => format!("Entries at {p}"),
        };
        out.push_str(&format!(
            "<p class=\"verdict {}\" data-testid=\"practice-figure\" data-figure=\"{}\">{}: {}{}</p>",
            if settled { "right" } else { "wrong" },
            esc(&proof.figure.to_string()),
            esc(&read),
            esc(&figure),
            if settled { " — as the answer says." } else { " — this does not match the answer key." }
        ));
        if let Some(note) = &prove.note {
            out.push_str(&format!("<p class=\"muted small\">{}</p>", esc(note)));
        }
        out.push_str("</div>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file() -> QuestionFile {
        let table = json!({"op": "CreateTable", "request": {"TableName": "Items",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"}});
        QuestionFile::from_json(
            &json!({"topic": "capacity", "questions": [
                {"id": "n1", "exams": ["DVA-C02"], "topics": ["capacity"], "kind": "numeric",
                 "stem": "RCU <of> a 6 KB read?", "answer": 2, "unit": "RCU", "explanation": "⌈6 / 4⌉ = 2",
                 "source": "https://docs.aws.amazon.com/x?a=1&b=2",
                 "prove": {"setup": [table, {"op": "PutItem", "request": {"TableName": "Items",
                        "Item": {"pk": {"S": "a"}, "d": {"S": "$pad:6000"}}}}],
                    "steps": [{"op": "GetItem", "request": {"TableName": "Items", "Key": {"pk": {"S": "a"}},
                        "ConsistentRead": true, "ReturnConsumedCapacity": "TOTAL"}}],
                    "figure": {"read": "capacity"}, "note": "The GetItem's units."}},
                {"id": "s1", "exams": ["SAA-C03"], "topics": ["capacity"], "kind": "single",
                 "stem": "Cheapest read?", "options": ["strong", "eventual", "transactional"], "answer": [1],
                 "explanation": "Half price."},
                {"id": "m1", "exams": ["DVA-C02", "SAA-C03"], "topics": ["capacity"], "kind": "multiple",
                 "stem": "Choose two.", "options": ["a", "b", "c"], "answer": [0, 2], "explanation": "."}
            ]}),
            "capacity.json",
        )
        .unwrap()
    }

    fn session() -> Session {
        let mut s = Session::new(Progress::default());
        s.apply(Action::Index(Index::from_json(
            &json!({"topics": [{"id": "capacity", "title": "Capacity units", "file": "capacity.json", "count": 3},
                {"id": "ttl", "title": "Time to Live", "file": "ttl.json", "count": 0}]}),
            "index.json",
        )));
        s
    }

    #[test]
    fn the_files_needed_follow_the_topic_filter() {
        let mut s = session();
        assert_eq!(s.needed(), ["capacity.json", "ttl.json"]);
        s.apply(Action::Topic("ttl".into()));
        assert_eq!(s.needed(), ["ttl.json"]);
        s.apply(Action::File(Ok(file())));
        s.apply(Action::File(Ok(file())));
        assert_eq!(s.files.len(), 1, "a file arriving twice is kept once");
        s.apply(Action::Topic(String::new()));
        assert_eq!(s.needed(), ["ttl.json"]);
        s.apply(Action::File(Err("questions/ttl.json: HTTP 404".into())));
        assert_eq!(s.error.as_deref(), Some("questions/ttl.json: HTTP 404"));
    }

    #[test]
    fn a_wrong_number_is_scored_and_the_key_shown_then_next_moves_on() {
        let mut s = session();
        s.apply(Action::File(Ok(file())));
        assert_eq!(s.shown().map(|q| q.id.as_str()), Some("n1"));
        s.apply(Action::Number("3".into()));
        s.apply(Action::Check);
        assert_eq!(s.verdict, Some(false));
        assert_eq!(s.progress.score("capacity"), (0, 1));
        assert_eq!(s.shown().map(|q| q.id.as_str()), Some("n1"), "pinned until Next");
        let q = s.shown().unwrap().clone();
        let verdict = s.verdict_markup(&q);
        assert!(verdict.contains("Not quite. The answer: 2 RCU."), "{verdict}");
        assert!(verdict.contains("href=\"https://docs.aws.amazon.com/x?a=1&amp;b=2\""), "{verdict}");
        s.apply(Action::Check);
        assert_eq!(s.progress.turn, 1, "checking twice counts once");
        s.apply(Action::Next);
        assert_eq!((s.shown().map(|q| q.id.as_str()), s.verdict, s.number.as_str()), (Some("s1"), None, ""));
    }

    #[test]
    fn picks_are_one_for_single_and_toggled_for_multiple_questions() {
        let mut s = session();
        s.apply(Action::File(Ok(file())));
        s.apply(Action::Exam("SAA-C03".into()));
        assert_eq!(s.shown().map(|q| q.id.as_str()), Some("s1"), "the exam filter leaves n1 out");
        s.apply(Action::Pick(0));
        s.apply(Action::Pick(1));
        assert_eq!(s.picked, [1]);
        s.apply(Action::Check);
        assert_eq!(s.verdict, Some(true));
        assert!(s.verdict_markup(s.shown().unwrap()).starts_with("<p class=\"verdict right\""));
        s.apply(Action::Pick(2));
        assert_eq!(s.picked, [1], "no change after checking");
        s.apply(Action::Next);
        assert_eq!(s.shown().map(|q| q.id.as_str()), Some("m1"));
        for i in [0, 1, 2, 1] {
            s.apply(Action::Pick(i));
        }
        assert_eq!(s.picked, [0, 2]);
        s.apply(Action::Check);
        assert_eq!(s.verdict, Some(true));
    }

    #[test]
    fn prove_it_runs_the_experiment_and_shows_the_figure_against_the_key() {
        let mut s = session();
        s.apply(Action::File(Ok(file())));
        let q = s.shown().unwrap().clone();
        assert_eq!(s.proof_markup(&q), "", "nothing before Prove it");
        s.apply(Action::Proved(q.prove.as_ref().unwrap().run()));
        let markup = s.proof_markup(&q);
        assert!(markup.contains("data-figure=\"2.0\">ConsumedCapacity: 2 — as the answer says."), "{markup}");
        assert!(markup.contains("&quot;ConsistentRead&quot;: true"), "the request is shown: {markup}");
        assert!(markup.contains("&quot;CapacityUnits&quot;: 2.0"), "and the answer: {markup}");
        assert!(markup.contains("1. GetItem"), "{markup}");
        assert!(markup.contains("The GetItem&#39;s units."), "{markup}");
        let scores = {
            s.apply(Action::Number("2".into()));
            s.apply(Action::Check);
            s.scores_markup()
        };
        assert_eq!(
            scores,
            "<ul class=\"practice-scores\"><li data-testid=\"score-capacity\">Capacity units: 1 of 1 right</li></ul>"
        );
        assert!(s.question_markup(&q).contains("RCU &lt;of&gt; a 6 KB read?"));
    }
}
