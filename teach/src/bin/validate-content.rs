//! The content validator (`scripts/validate-content.sh`, a stage of `scripts/test.sh`): every
//! content file under the given directory (default `static`) parses against its schema, every
//! lab walks on the engine (see `dynaplay_teach::lab::walk`), and every question's "prove it"
//! experiment yields its answer key (see `dynaplay_teach::question::verify`). Prints one line per file
//! and closes with "content: N passed, M failed"; exits non-zero if anything failed.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use dynaplay_teach::lab::{self, Lab};
use dynaplay_teach::question::{self, Index, QuestionFile};
use serde_json::Value;

/// Passed and failed files, and what failed.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
}

impl Tally {
    fn record(&mut self, name: &str, outcome: Result<String, String>) {
        match outcome {
            Ok(note) => {
                self.passed += 1;
                println!("ok   {name}: {note}");
            }
            Err(error) => {
                self.failed += 1;
                println!("FAIL {name}: {error}");
            }
        }
    }
}

fn main() -> ExitCode {
    let root = std::env::args().nth(1).unwrap_or_else(|| "static".into());
    let mut tally = Tally::default();
    labs(Path::new(&root).join("labs").as_path(), &mut tally);
    questions(Path::new(&root).join("questions").as_path(), &mut tally);
    println!("content: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The JSON files of a directory, by name (`index.json` apart).
fn json_files(dir: &Path) -> Result<BTreeSet<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names = BTreeSet::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && name != "index.json" {
            names.insert(name);
        }
    }
    Ok(names)
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&text).map_err(|e| format!("not JSON: {e}"))
}

/// Every lab file parses and walks, and the index lists exactly the lab files, each with its
/// file's title, level, minutes and engine.
fn labs(dir: &Path, tally: &mut Tally) {
    let files = match json_files(dir) {
        Ok(files) => files,
        Err(error) => return tally.record("labs", Err(error)),
    };
    let mut labs = Vec::new();
    for name in &files {
        let outcome = read_json(&dir.join(name)).and_then(|json| {
            let lab = Lab::from_json(&json)?;
            if format!("{}.json", lab.id) != *name {
                return Err(format!("its id is \"{}\": the file must be {}.json", lab.id, lab.id));
            }
            let walked = lab::walk(&lab)?;
            labs.push(lab);
            Ok(format!(
                "{} steps, {} wrong actions refused, {} requests",
                walked.steps, walked.wrong, walked.requests
            ))
        });
        tally.record(&format!("labs/{name}"), outcome);
    }
    let index =
        read_json(&dir.join("index.json")).and_then(|json| lab::index_from_json(&json)).and_then(|index| {
            for entry in &index {
                let Some(lab) = labs.iter().find(|lab| lab.id == entry.id) else {
                    return Err(format!("lists \"{}\", which is no valid lab file", entry.id));
                };
                if (lab.title.as_str(), lab.level, lab.minutes, lab.full_engine)
                    != (entry.title.as_str(), entry.level, entry.minutes, entry.full_engine)
                {
                    return Err(format!(
                        "its title, level, minutes or engine for \"{}\" differ from the lab file's",
                        entry.id
                    ));
                }
            }
            match labs.iter().find(|lab| !index.iter().any(|entry| entry.id == lab.id)) {
                Some(lab) => Err(format!("does not list \"{}\"", lab.id)),
                None => Ok(format!("{} labs listed", index.len())),
            }
        });
    tally.record("labs/index.json", index);
}

/// Every question file parses and each of its experiments yields its answer key; the index
/// lists exactly the question files with their counts, and ids are unique across the bank.
fn questions(dir: &Path, tally: &mut Tally) {
    let names = match json_files(dir) {
        Ok(names) => names,
        Err(error) => return tally.record("questions", Err(error)),
    };
    let index = read_json(&dir.join("index.json")).and_then(|json| Index::from_json(&json, "index.json"));
    let mut files = Vec::new();
    for name in &names {
        let outcome = read_json(&dir.join(name)).and_then(|json| {
            let file = QuestionFile::from_json(&json, name)?;
            if format!("{}.json", file.topic) != *name {
                return Err(format!("its topic is \"{}\": the file must be {}.json", file.topic, file.topic));
            }
            let problems = question::prove_all(&file);
            let proven = file.questions.iter().filter(|q| q.prove.is_some()).count();
            let counts =
                format!("{} questions, {proven} experiments yield their answers", file.questions.len());
            files.push(file);
            if problems.is_empty() {
                Ok(counts)
            } else {
                Err(problems.join("; "))
            }
        });
        tally.record(&format!("questions/{name}"), outcome);
    }
    let outcome = index.and_then(|index| {
        let mut problems = index.check_bank(&files);
        if let Some(name) = names.iter().find(|n| !index.topics.iter().any(|t| &&t.file == n)) {
            problems.push(format!("does not list {name}"));
        }
        let total: usize = files.iter().map(|f| f.questions.len()).sum();
        if problems.is_empty() {
            Ok(format!("{} topics, {total} questions", index.topics.len()))
        } else {
            Err(problems.join("; "))
        }
    });
    tally.record("questions/index.json", outcome);
}
