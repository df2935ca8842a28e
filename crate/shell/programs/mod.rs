//! The programs found through PATH in the image (`cat`, `cp`, `sed`, …).
//! Placeholder until the utilities land: no programs yet.

use super::proc::Program;

/// Names of all programs, for the stand-in bases and test fixtures.
pub const NAMES: &[&str] = &[];

/// The program of that name, if there is one.
pub fn lookup(_name: &str) -> Option<Program> {
    None
}
