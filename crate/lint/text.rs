//! The report as `docker build --check` prints it on standard output (buildx's
//! `printResult` over BuildKit's `LintResults.PrintTo`): a count line, then per warning
//! `WARNING: Rule - URL`, the message and BuildKit's Dockerfile excerpt.
//!
//! ```text
//! Check complete, 1 warning has been found!
//!
//! WARNING: JSONArgsRecommended - https://docs.docker.com/go/dockerfile/rule/json-args-recommended/
//! JSON arguments recommended for CMD to prevent unintended behavior related to OS signals
//! Dockerfile:2
//! --------------------
//!    1 |     FROM alpine
//!    2 | >>> CMD echo hi
//!    3 |
//! --------------------
//! ```

use super::LintReport;
use crate::build::excerpt;

/// The standard output of `docker build --check` for `report` (errors are not part of
/// it: buildx prints them on standard error). `filename` is the name BuildKit shows
/// (`Dockerfile`), `dockerfile` the checked text.
pub fn render_text(report: &LintReport, filename: &str, dockerfile: &[u8]) -> String {
    let n = report.warnings.len();
    let mut out = String::new();
    match n {
        0 => {}
        1 => out.push_str("Check complete, 1 warning has been found!\n"),
        _ => out.push_str(&format!("Check complete, {n} warnings have been found!\n")),
    }
    let source = String::from_utf8_lossy(dockerfile);
    for w in &report.warnings {
        out.push_str("\nWARNING: ");
        out.push_str(w.rule);
        if let Some(url) = w.url {
            out.push_str(" - ");
            out.push_str(url);
        }
        out.push('\n');
        out.push_str(&w.message);
        out.push('\n');
        out.push_str(&excerpt::render(filename, &source, w.start_line as usize, w.end_line as usize));
    }
    if report.failed() {
        if n > 0 {
            out.push('\n');
        }
    } else if n == 0 {
        out.push_str("Check complete, no warnings found.\n");
    }
    out
}
