//! Exam practice's platform-free part (the view is `components/practice.rs`): the learner's
//! progress (`progress`: Leitner boxes, scores per topic, what comes next) and the view's state
//! and what it shows (`session`: filters, the question shown, checking an answer, "prove it",
//! and the data-only parts as escaped markup), all unit-tested natively.

pub mod progress;
pub mod session;

pub use progress::{Progress, STORAGE_KEY};
pub use session::{Action, Session};
