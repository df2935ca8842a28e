//! BuildKit's shell-word rules for Dockerfile instructions: quote removal, escapes,
//! variable substitution and word splitting ([`Lexer`], BuildKit's
//! `frontend/dockerfile/shell`), which parts of which instructions expand
//! ([`EXPANSION_RULES`]), and ARG/ENV scoping across a build ([`GlobalScope`],
//! [`StageScope`], dockerfile2llb's rules).
//!
//! Invariant: words knows nothing of the parser's types, the filesystem or images; it
//! takes plain strings and an [`Env`], never panics, and bounds its work on any input
//! (see [`crate::limits`]).
//!
//! Which BuildKit: the current Dockerfile frontend (what `docker build` uses today),
//! checked against a real Docker 26 (BuildKit v0.13) where they agree. Where they
//! differ, dfplay follows the current frontend — `${V:#p}` / `${V:%p}` are errors
//! ("unsupported modifier (:#) in substitution"; v0.13 trimmed), and the automatic args
//! include `TARGETSTAGE`, `BUILDOSVERSION` and `TARGETOSVERSION` — with one exception:
//! since v0.15 BuildKit's `ProcessWords` loses the text before a `${V:-x}`-style
//! substitution in the same word (a shared buffer is reset by the nested call), so
//! `EXPOSE 8${P:-0}` exposes port 0 there. dfplay keeps the word whole (`80`), as
//! v0.13 does.

mod env;
mod error;
mod expansion;
mod lexer;
mod pattern;
mod platform;
mod scope;
mod unicode;

pub use env::{ConfigEnv, Env, NoEnv};
pub use error::{WordError, WordErrorKind};
pub use expansion::{expands_variables, expansion_of, step_label, Expansion, ExpansionRule, EXPANSION_RULES};
/// Go's `strconv.Quote`, for BuildKit's error wording (one implementation, in `syntax`).
pub use crate::syntax::go_quote;
pub use lexer::{Lexer, WordMatches};
pub use platform::Platform;
pub use scope::{
    unconsumed_build_args, unconsumed_warning, ArgOutcome, ArgSource, BuildOptions, EnvList, GlobalScope,
    ScopeError, StageScope, AUTOMATIC_ARGS, DEFAULT_PATH, NON_ENV_ARGS, PROXY_ARGS,
};
