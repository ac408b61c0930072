//! The question bank in `static/questions/` as shipped: every file reads, the index matches
//! the files, ids are unique, and every "prove it" experiment, run natively on a fresh engine,
//! yields exactly the figure its answer key states — so the key cannot drift from the engine.

use std::path::PathBuf;

use dynaplay_teach::question::{self, Index, Kind, QuestionFile, EXAMS};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/questions")
}

fn json(name: &str) -> Value {
    let text = std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn bank() -> (Index, Vec<QuestionFile>) {
    let index = Index::from_json(&json("index.json"), "index.json").unwrap();
    let files = index
        .topics
        .iter()
        .map(|t| QuestionFile::from_json(&json(&t.file), &t.file).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    (index, files)
}

#[test]
fn every_file_in_the_directory_is_in_the_index() {
    let (index, _) = bank();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".json") && name != "index.json" {
            assert!(index.topics.iter().any(|t| t.file == name), "{name} is not listed in index.json");
        }
    }
}

#[test]
fn the_bank_is_consistent_and_every_experiment_yields_its_answer() {
    let (index, files) = bank();
    let problems = question::verify(&index, &files);
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_bank_is_large_enough_and_covers_every_exam() {
    let (_, files) = bank();
    let questions: Vec<_> = files.iter().flat_map(|f| &f.questions).collect();
    let proven = questions.iter().filter(|q| q.prove.is_some()).count();
    assert!(questions.len() >= 80, "{} questions, at least 80 wanted", questions.len());
    assert!(proven >= 40, "{proven} experiments, at least 40 wanted");
    for exam in EXAMS {
        let n = questions.iter().filter(|q| q.exams.iter().any(|e| e == exam)).count();
        assert!(n >= 30, "{exam}: only {n} questions");
    }
    assert!(questions.iter().any(|q| q.kind == Kind::Multiple));
    assert!(questions.iter().any(|q| q.kind == Kind::Numeric));
}
