//! Guided labs, the platform-free part: where a lab's files are, a learner's saved progress,
//! and the lab workspace rebuilt for a step. The lab panel (`components/labs.rs`) fetches the
//! files on demand (they are never compiled in) and shows them; the checks run in the host
//! (`Host::lab_check`) over the requests it saw.
//!
//! A lab workspace is rebuilt rather than stored: a fresh engine (engine time 0), the lab's
//! setup, then the "show me" of every step already done. The validator
//! (`scripts/validate-content.sh`) walks labs the same way, so a resumed lab holds what the
//! validator proved — labs that depend on time pause the clock in their setup, so engine
//! time stays where the validator had it.

use dynaplay_engine::Engine;
use dynaplay_teach::lab::Lab;
use dynaplay_teach::script;

/// Where the lab index is, relative to the page.
pub const INDEX_URL: &str = "labs/index.json";

/// Where a lab's file is.
pub fn lab_url(id: &str) -> String {
    format!("labs/{id}.json")
}

/// The storage key of a lab's progress.
pub fn progress_key(id: &str) -> String {
    format!("dynaplay.lab.{id}")
}

/// Steps done, as stored (a number; anything else is a fresh start), at most the lab's steps.
pub fn read_progress(stored: Option<&str>, steps: usize) -> usize {
    stored.and_then(|s| s.trim().parse::<usize>().ok()).unwrap_or(0).min(steps)
}

/// A lab's workspace with `done` steps done: its setup and their "show me" requests run on a
/// fresh engine. A setup that fails is an error (the validator would have refused the lab).
pub fn workspace(lab: &Lab, done: usize) -> Result<Engine, String> {
    let mut engine = Engine::new();
    script::run_clean(&mut engine, &lab.setup)?;
    for step in lab.steps.iter().take(done) {
        script::run(&mut engine, &step.show_me);
    }
    Ok(engine)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lab() -> Lab {
        let text = std::fs::read("../static/labs/first-table.json").unwrap();
        Lab::from_json(&serde_json::from_slice(&text).unwrap()).unwrap()
    }

    #[test]
    fn progress_reads_a_number_of_steps_or_starts_over() {
        assert_eq!(read_progress(Some("2"), 5), 2);
        assert_eq!(read_progress(Some("9"), 5), 5);
        assert_eq!(read_progress(Some("x"), 5), 0);
        assert_eq!(read_progress(None, 5), 0);
        assert_eq!(progress_key("ttl"), "dynaplay.lab.ttl");
        assert_eq!(lab_url("ttl"), "labs/ttl.json");
    }

    #[test]
    fn a_workspace_holds_setup_and_the_steps_done() {
        let lab = lab();
        let mut fresh = workspace(&lab, 0).unwrap();
        let tables = fresh.handle_json("ListTables", json!({})).unwrap();
        assert_eq!(tables["TableNames"], json!([]), "first-table starts empty");
        let mut two = workspace(&lab, 2).unwrap();
        let table = two.handle_json("DescribeTable", json!({"TableName": "Music"})).unwrap();
        assert_eq!(table["Table"]["ItemCount"], 3, "steps 1 and 2 created Music and its songs");
        // The next step's check refuses until the learner acts, then passes.
        let check = &lab.steps[2].check;
        assert!(check.evaluate(&mut two, &[]).is_err());
        let log = script::run(&mut two, &lab.steps[2].show_me);
        assert!(check.evaluate(&mut two, &log).is_ok());
    }
}
