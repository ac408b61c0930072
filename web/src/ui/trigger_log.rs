//! A trigger's log grouped by invocation, so each can be collapsed: an invocation is its
//! START line (the summary), the handler's lines and its END or ERROR line. Invocations of
//! different shards run at once, so their START lines interleave; the handler's lines and the
//! END/ERROR line of one invocation are logged together once it answers (see
//! `triggers/event_source.rs`), so they belong to the RequestId the END/ERROR line names.
//! Platform-free, tested natively.

/// One entry of the grouped log: indexes into the log's lines.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// A line outside any invocation (the runner's notes, an invocation still running).
    Line(usize),
    /// A finished invocation: its START line if still in the log, its other lines (the
    /// handler's, then END or ERROR), and whether it failed.
    Invocation {
        /// The START line.
        start: Option<usize>,
        /// The handler's lines and the END/ERROR line, in order.
        lines: Vec<usize>,
        /// It ended with ERROR.
        failed: bool,
    },
}

/// The RequestId a START, END or ERROR line names.
fn request_id<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix)?.strip_prefix(" RequestId: ")?.split(' ').next()
}

/// Groups `lines` (level, text) into entries, in log order (an invocation where its START
/// was, or where it ended when its START has scrolled out of the log).
pub fn group(lines: &[(&str, &str)]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    // Handler lines since the last runner line: the next END/ERROR's.
    let mut pending: Vec<usize> = Vec::new();
    for (i, (level, text)) in lines.iter().enumerate() {
        let end = request_id(text, "END")
            .map(|id| (id, false))
            .or_else(|| request_id(text, "ERROR").map(|id| (id, true)));
        if let Some((id, failed)) = end {
            pending.push(i);
            let body = std::mem::take(&mut pending);
            let started = entries.iter().position(|e| {
                matches!(e, Entry::Line(s) if lines.get(*s).and_then(|(_, t)| request_id(t, "START")) == Some(id))
            });
            match started {
                Some(at) => {
                    let start = if let Entry::Line(s) = entries[at] { Some(s) } else { None };
                    entries[at] = Entry::Invocation { start, lines: body, failed };
                }
                None => entries.push(Entry::Invocation { start: None, lines: body, failed }),
            }
        } else if *level == "system" {
            // A runner line: handler lines before it (none, normally) stand alone.
            entries.extend(pending.drain(..).map(Entry::Line));
            entries.push(Entry::Line(i));
        } else {
            pending.push(i);
        }
    }
    entries.extend(pending.into_iter().map(Entry::Line));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_invocations_are_grouped_by_request_id() {
        let log = [
            ("system", "attached"),
            ("system", "START RequestId: 000001 · 1 record(s) from shard-a"),
            ("system", "START RequestId: 000002 · 2 record(s) from shard-b"),
            ("log", "b says hi"),
            ("system", "END RequestId: 000002 · 5 ms · returned \"ok\""),
            ("log", "a says hi"),
            ("error", "a fails"),
            ("error", "ERROR RequestId: 000001 · the handler failed: boom"),
            ("system", "START RequestId: 000003 · 1 record(s) from shard-a (retry 1)"),
        ];
        assert_eq!(
            group(&log),
            [
                Entry::Line(0),
                // The error-level handler line before ERROR belongs to the invocation too.
                Entry::Invocation { start: Some(1), lines: vec![5, 6, 7], failed: true },
                Entry::Invocation { start: Some(2), lines: vec![3, 4], failed: false },
                Entry::Line(8),
            ]
        );
        // An invocation whose START scrolled out of the log stands where it ended.
        assert_eq!(
            group(&[("log", "x"), ("system", "END RequestId: 7 · 1 ms")]),
            [Entry::Invocation { start: None, lines: vec![0, 1], failed: false }]
        );
        assert_eq!(group(&[]), []);
    }
}
