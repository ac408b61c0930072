//! The bundle rules are one list: clippy reads only the nearest clippy.toml, so web/clippy.toml
//! repeats the root's rules (which bind the engine) and adds web's own. This checks that it
//! repeats every one of them, reason included, and keeps its map rules.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

/// The `{ path = "…", reason = "…" … }` entries of a clippy.toml, as written.
fn rules(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    text.lines().map(str::trim).filter(|l| l.starts_with("{ path = ")).map(str::to_owned).collect()
}

#[test]
fn web_clippy_toml_holds_every_rule_of_the_root_and_its_own() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = rules(&web.join("../clippy.toml"));
    let mine = rules(&web.join("clippy.toml"));
    assert!(root.len() >= 10, "the root's rules: {root:?}");
    for rule in &root {
        assert!(mine.contains(rule), "web/clippy.toml lacks the root's rule {rule}");
    }
    for map in ["HashMap", "HashSet", "BTreeMap", "BTreeSet"] {
        let path = format!("{{ path = \"std::collections::{map}\", reason = ");
        assert!(mine.iter().any(|r| r.starts_with(&path)), "web/clippy.toml forbids {map}");
    }
    for rule in root.iter().chain(&mine) {
        assert!(
            rule.contains("reason = \"") && !rule.contains("reason = \"\""),
            "every rule says why: {rule}"
        );
    }
}
