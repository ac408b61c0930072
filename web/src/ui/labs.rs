//! Guided labs, the platform-free part: where a lab's files are and a learner's saved
//! progress. The lab panel (`learn/labs.rs`) fetches the files on demand (they are never
//! compiled in) and shows them; the page builds the lab's workspace (`host::lab`).

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_a_number_of_steps_or_starts_over() {
        assert_eq!(read_progress(Some("2"), 5), 2);
        assert_eq!(read_progress(Some("9"), 5), 5);
        assert_eq!(read_progress(Some("x"), 5), 0);
        assert_eq!(read_progress(None, 5), 0);
        assert_eq!(progress_key("ttl"), "dynaplay.lab.ttl");
        assert_eq!(lab_url("ttl"), "labs/ttl.json");
    }
}
