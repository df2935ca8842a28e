//! Helpers shared by the integration tests: where `../shared` is, and side-by-side asserts.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` (or `$DFPLAY_SHARED`) when it exists. Suites that read it call this and
/// return early with a printed note when it is absent, unless `DFPLAY_REQUIRE_SHARED=1`
/// (set by the test command whenever `../shared` exists), which turns absence into a failure.
pub fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("DFPLAY_SHARED").map(PathBuf::from).unwrap_or_else(|| root().join("../shared"));
    if p.join("examples").is_dir() {
        return Some(p);
    }
    if std::env::var("DFPLAY_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("DFPLAY_REQUIRE_SHARED=1 but {} is missing", p.display());
    }
    eprintln!("note: {} not found; this suite is skipped", p.display());
    None
}

/// Asserts two multi-line texts are equal, printing them side by side when not.
#[track_caller]
pub fn assert_text_eq(what: &str, expected: &str, got: &str) {
    if expected == got {
        return;
    }
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut report = format!("{what}: texts differ\n{:<60} | got\n", "expected");
    for i in 0..e.len().max(g.len()) {
        let a = e.get(i).copied().unwrap_or("");
        let b = g.get(i).copied().unwrap_or("");
        let mark = if a == b { ' ' } else { '!' };
        report.push_str(&format!("{mark}{a:<59} | {b}\n"));
    }
    panic!("{report}");
}
