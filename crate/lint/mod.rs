//! BuildKit's build checks (`docker build --check`): the rules of BuildKit's Dockerfile
//! linter, run over the syntax tree and the typed instructions the way BuildKit's
//! `dockerfile2llb` runs them, with BuildKit's rule names, messages, doc links and
//! line ranges.
//!
//! [`check`] is what the page calls as the user types: it never panics, does no IO, and
//! its work is linear in the Dockerfile (bounded by [`crate::limits`]).
//!
//! ```
//! use dfplay::lint::{check, LintOptions};
//!
//! let report = check(b"FROM alpine as build\nMAINTAINER me\nCMD echo hi\n", &LintOptions::default());
//! let rules: Vec<&str> = report.warnings.iter().map(|w| w.rule).collect();
//! assert_eq!(rules, ["FromAsCasing", "MaintainerDeprecated", "JSONArgsRecommended"]);
//! assert_eq!(report.warnings[0].message, "'as' and 'FROM' keywords' casing do not match");
//! assert_eq!((report.warnings[2].start_line, report.warnings[2].end_line), (3, 3));
//! assert!(report.parse_errors.is_empty() && !report.failed());
//! ```
//!
//! # What runs, in BuildKit's order
//!
//! 1. The check options: [`LintOptions::config`], else the `BUILDKIT_DOCKERFILE_CHECK`
//!    build arg, else the `# check=` directive ([`CheckConfig`]); a `# check=` comment
//!    right above an instruction adds skips for that instruction.
//! 2. The parser: a syntax error stops everything (no warnings, as BuildKit).
//!    `NoEmptyContinuation`.
//! 3. Instruction parsing, top to bottom: `MaintainerDeprecated`, `StageNameCasing`,
//!    `FromAsCasing` (and the experimental `InvalidDefinitionDescription`); the first
//!    instruction error stops here.
//! 4. The stages: `ReservedStageName`, `DuplicateStageName`,
//!    `ConsistentInstructionCasing`, `InvalidDefaultArgInFrom`, then per FROM
//!    `UndefinedArgInFrom`, `RedundantTargetPlatform`, `FromPlatformFlagConstDisallowed`.
//! 5. Every stage's instructions in build order (all stages, or those the target needs):
//!    `UndefinedVar` for each expanded word, `LegacyKeyValueFormat`,
//!    `SecretsUsedInArgOrEnv`, `WorkdirRelativePath`, `JSONArgsRecommended`,
//!    `MultipleInstructionsDisallowed`, `ExposeProtoCasing`, `ExposeInvalidFormat`,
//!    `CopyIgnoredFile` (given a `.dockerignore`).
//! 6. `error=true` with warnings: the check fails with BuildKit's
//!    `lint violation found for rules: …`.
//!
//! Errors BuildKit finds while building the graph (a bad `--from`, an invalid base image
//! name, an expansion error, an invalid EXPOSE port) end the check as they end BuildKit's,
//! and are reported with the parse errors.
//!
//! # What dfplay cannot know
//!
//! BuildKit reads each base image's config. dfplay uses the stand-in catalogue
//! ([`crate::bases`]) for the images it knows; in a stage built on an image it does not
//! know, `UndefinedVar` stays silent (the image may define the variable).
//! `InvalidBaseImagePlatform` needs the pulled image's platform and is never reported
//! (see [`rules::NOT_CHECKED`]).

mod config;
mod engine;
mod expose;
mod ignore;
pub mod rules;
mod text;

pub use config::CheckConfig;
pub use rules::{Rule, RuleInfo};
pub use text::render_text;

use crate::instructions::Span;
use crate::syntax::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A base image's `Env` (`KEY`, `value`) by image reference (after ARG expansion),
/// `None` when unknown.
pub type ImageEnv<'a> = &'a dyn Fn(&str) -> Option<Vec<(String, String)>>;

/// Where base images' environments come from (for `UndefinedVar`).
#[derive(Clone, Copy, Default)]
#[non_exhaustive]
pub enum BaseImages<'a> {
    /// The stand-in catalogue of [`crate::bases`]; other images are unknown.
    #[default]
    Standins,
    /// No image is known: `UndefinedVar` is checked only in stages from `scratch`.
    Unknown,
    /// The caller knows.
    Custom(ImageEnv<'a>),
}

impl fmt::Debug for BaseImages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaseImages::Standins => f.write_str("Standins"),
            BaseImages::Unknown => f.write_str("Unknown"),
            BaseImages::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

/// What a check is asked for, as a `docker build --check` is.
#[derive(Clone, Debug, Default)]
pub struct LintOptions<'a> {
    /// The build context's `.dockerignore`, for `CopyIgnoredFile`.
    pub dockerignore: Option<&'a [u8]>,
    /// `--build-arg NAME=value` (`BUILDKIT_DOCKERFILE_CHECK` among them selects the
    /// rules, as in BuildKit).
    pub build_args: BTreeMap<String, String>,
    /// `--target`: only the stages it needs are checked past the FROM lines.
    pub target: Option<String>,
    /// Which rules run; replaces the `# check=` directive and the
    /// `BUILDKIT_DOCKERFILE_CHECK` build arg (the page's rule switches).
    pub config: Option<CheckConfig>,
    /// Base image environments.
    pub base_images: BaseImages<'a>,
}

/// One finding of a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The rule name (`JSONArgsRecommended`).
    pub rule: &'static str,
    /// The rule's description.
    pub description: &'static str,
    /// The rule's documentation.
    pub url: Option<&'static str>,
    /// BuildKit's message for this finding.
    pub message: String,
    /// `Warning`, or `Error` under `# check=error=true`.
    pub severity: Severity,
    /// First line BuildKit reports (the instruction's).
    pub start_line: u32,
    /// Last line BuildKit reports.
    pub end_line: u32,
    /// The part of the instruction the finding is about, for an editor.
    pub span: Span,
}

/// What [`check`] finds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LintReport {
    /// Rule findings by line (in BuildKit's order within a line).
    pub warnings: Vec<Warning>,
    /// Errors that make the Dockerfile unbuildable: the parser's and the instructions'
    /// (all of them, in input order) or the first error BuildKit meets later while
    /// checking. Warnings are those BuildKit reports before its first error.
    pub parse_errors: Vec<Diagnostic>,
    /// The check options in effect.
    pub config: CheckConfig,
    /// Under `error=true` with warnings: BuildKit's
    /// `lint violation found for rules: A, B`.
    pub violation: Option<String>,
}

impl LintReport {
    /// True when the check fails: an error, or warnings under `error=true`.
    pub fn failed(&self) -> bool {
        self.violation.is_some() || !self.parse_errors.is_empty()
    }
}

/// Runs BuildKit's build checks on a Dockerfile. Never panics; linear time.
pub fn check(dockerfile: &[u8], options: &LintOptions<'_>) -> LintReport {
    engine::run(dockerfile, options)
}
