//! The learner's progress — a Leitner box per question and a score per topic — kept as JSON
//! text (in `localStorage`, see the practice component), and which question comes next. Missed questions fall back to box 1 and come back after two other
//! answers; each right answer moves a question up a box and further away (2, 5, 12, 30, 70
//! answers), so known questions return rarely.

use serde_json::{Map, Value};

/// Where the progress is kept in `localStorage`.
pub const STORAGE_KEY: &str = "dynaplay.practice";

/// How many answers a question in box 1…5 waits before it is due again.
const GAPS: [u32; 5] = [2, 5, 12, 30, 70];

/// One question's place in the Leitner boxes.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// The question's id.
    pub id: String,
    /// Its box, 1 (missed) to 5 (known).
    pub level: u8,
    /// The answer count at which it is due again.
    pub due: u32,
}

/// Right and total answers in one topic.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// The topic id.
    pub topic: String,
    /// Answers that were right.
    pub right: u32,
    /// Every answer.
    pub answered: u32,
}

/// Everything practice remembers.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Progress {
    /// How many answers were given, ever: the Leitner clock.
    pub turn: u32,
    /// The questions answered at least once (a list: web keeps no map types).
    pub cards: Vec<Card>,
    /// The topics answered in.
    pub scores: Vec<Score>,
    /// The question answered last, which is not offered twice in a row.
    pub last: Option<String>,
}

fn count(value: Option<&Value>) -> u32 {
    value.and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

impl Progress {
    /// Progress read back from its text; anything unreadable (another version, a hand edit)
    /// starts afresh rather than failing the view.
    pub fn from_text(text: &str) -> Progress {
        let Ok(value) = serde_json::from_slice::<Value>(text.as_bytes()) else { return Progress::default() };
        let pairs = |name: &str| value.get(name).and_then(Value::as_object).into_iter().flatten();
        let cards = pairs("cards")
            .map(|(id, v)| Card {
                id: id.clone(),
                level: u8::try_from(count(v.get(0)).clamp(1, 5)).unwrap_or(1),
                due: count(v.get(1)),
            })
            .collect();
        let scores = pairs("scores")
            .map(|(topic, v)| Score {
                topic: topic.clone(),
                right: count(v.get(0)),
                answered: count(v.get(1)),
            })
            .collect();
        let last = value.get("last").and_then(Value::as_str).map(String::from);
        Progress { turn: count(value.get("turn")), cards, scores, last }
    }

    /// The text that [`Progress::from_text`] reads back.
    pub fn to_text(&self) -> String {
        let mut cards = Map::new();
        for c in &self.cards {
            cards.insert(c.id.clone(), Value::from(vec![u32::from(c.level), c.due]));
        }
        let mut scores = Map::new();
        for s in &self.scores {
            scores.insert(s.topic.clone(), Value::from(vec![s.right, s.answered]));
        }
        let mut out = Map::new();
        out.insert("turn".into(), Value::from(self.turn));
        out.insert("cards".into(), Value::Object(cards));
        out.insert("scores".into(), Value::Object(scores));
        if let Some(last) = &self.last {
            out.insert("last".into(), Value::from(last.as_str()));
        }
        Value::Object(out).to_string()
    }

    /// Records an answer to question `id` of `topic`: a right answer moves it up a box, a
    /// wrong one back to box 1; the topic's score counts it.
    pub fn record(&mut self, id: &str, topic: &str, right: bool) {
        self.turn += 1;
        let turn = self.turn;
        let index = match self.cards.iter().position(|c| c.id == id) {
            Some(i) => i,
            None => {
                self.cards.push(Card { id: id.to_owned(), level: 1, due: 0 });
                self.cards.len() - 1
            }
        };
        if let Some(card) = self.cards.get_mut(index) {
            // A first right answer puts the question in box 2; any wrong one in box 1.
            card.level = if right { (card.level + 1).min(5) } else { 1 };
            card.due = turn + GAPS[usize::from(card.level - 1)];
        }
        match self.scores.iter_mut().find(|s| s.topic == topic) {
            Some(s) => {
                s.right += u32::from(right);
                s.answered += 1;
            }
            None => self.scores.push(Score { topic: topic.to_owned(), right: u32::from(right), answered: 1 }),
        }
        self.last = Some(id.to_owned());
    }

    /// Right and total answers in `topic`.
    pub fn score(&self, topic: &str) -> (u32, u32) {
        self.scores.iter().find(|s| s.topic == topic).map_or((0, 0), |s| (s.right, s.answered))
    }

    /// The card of question `id`, once it was answered.
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// Which of `ids` (the questions the learner's filter selects, in bank order) to ask next:
    /// a due question, lowest box first (missed ones before the rest); else the first never
    /// answered; else the one due soonest. The question just answered waits its turn unless it
    /// is the only one. `None` when `ids` is empty.
    pub fn next(&self, ids: &[&str]) -> Option<usize> {
        let fresh = |i: &usize| ids.len() == 1 || self.last.as_deref() != ids.get(*i).copied();
        let seen = |i: usize| self.card(ids[i]).map(|c| (i, c));
        let due = (0..ids.len())
            .filter(fresh)
            .filter_map(seen)
            .filter(|(_, c)| c.due <= self.turn)
            .min_by_key(|(i, c)| (c.level, c.due, *i));
        if let Some((i, _)) = due {
            return Some(i);
        }
        if let Some(i) = (0..ids.len()).filter(fresh).find(|&i| self.card(ids[i]).is_none()) {
            return Some(i);
        }
        (0..ids.len())
            .filter(fresh)
            .filter_map(seen)
            .min_by_key(|(i, c)| (c.due, c.level, *i))
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 4] = ["a", "b", "c", "d"];

    #[test]
    fn unseen_questions_come_in_bank_order() {
        let mut p = Progress::default();
        assert_eq!(p.next(&IDS), Some(0));
        p.record("a", "capacity", true);
        assert_eq!(p.next(&IDS), Some(1));
        assert_eq!(p.next(&[]), None);
    }

    #[test]
    fn a_missed_question_comes_back_after_two_other_answers() {
        let mut p = Progress::default();
        p.record("a", "capacity", false);
        assert_eq!(p.card("a"), Some(&Card { id: "a".into(), level: 1, due: 3 }));
        assert_eq!(p.next(&IDS), Some(1), "not twice in a row");
        p.record("b", "capacity", true);
        assert_eq!(p.next(&IDS), Some(2), "not due yet: new questions first");
        p.record("c", "capacity", true);
        assert_eq!(p.next(&IDS), Some(0), "due again, and before unseen d");
    }

    #[test]
    fn right_answers_move_a_question_up_and_further_away() {
        let mut p = Progress::default();
        p.record("a", "t", true);
        assert_eq!((p.card("a").unwrap().level, p.card("a").unwrap().due), (2, 6));
        p.record("a", "t", true);
        assert_eq!((p.card("a").unwrap().level, p.card("a").unwrap().due), (3, 14));
        for _ in 0..5 {
            p.record("a", "t", true);
        }
        assert_eq!(p.card("a").unwrap().level, 5, "box 5 is the last");
        p.record("a", "t", false);
        assert_eq!(p.card("a").unwrap().level, 1, "a miss starts over");
    }

    #[test]
    fn when_everything_was_answered_the_soonest_due_comes_first() {
        let mut p = Progress::default();
        p.record("a", "t", true); // due 1 + 5 = 6
        p.record("b", "t", true); // due 7
        assert_eq!(p.next(&["a", "b"]), Some(0));
        assert_eq!(p.next(&["b"]), Some(0), "the only question may repeat");
    }

    #[test]
    fn the_lowest_box_goes_first_among_due_questions() {
        let mut p = Progress::default();
        p.record("a", "t", true); // box 2, due 6
        p.record("b", "t", false); // box 1, due 4
        p.turn = 10;
        p.last = None;
        assert_eq!(p.next(&IDS), Some(1));
    }

    #[test]
    fn scores_count_per_topic() {
        let mut p = Progress::default();
        p.record("a", "capacity", true);
        p.record("b", "capacity", false);
        p.record("c", "ttl", true);
        assert_eq!(p.score("capacity"), (1, 2));
        assert_eq!(p.score("ttl"), (1, 1));
        assert_eq!(p.score("dax"), (0, 0));
    }

    #[test]
    fn progress_survives_its_text_and_bad_text_starts_afresh() {
        let mut p = Progress::default();
        p.record("cap-get", "capacity", false);
        p.record("ttl-1", "ttl", true);
        let back = Progress::from_text(&p.to_text());
        assert_eq!(back, p);
        assert_eq!(Progress::from_text("not json"), Progress::default());
        assert_eq!(Progress::from_text(""), Progress::default());
        let odd = Progress::from_text(r#"{"turn": -1, "cards": {"x": [9, "y"]}, "scores": []}"#);
        assert_eq!(odd.turn, 0);
        assert_eq!(odd.cards, [Card { id: "x".into(), level: 5, due: 0 }]);
        assert!(odd.scores.is_empty());
    }
}
