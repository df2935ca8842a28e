//! BuildKit shell-word rules: variable substitution and word splitting in instructions.
mod env;
mod error;
mod goquote;
mod lexer;
mod pattern;
mod unicode;

pub use env::{ConfigEnv, Env, NoEnv};
pub use error::{WordError, WordErrorKind};
pub use goquote::go_quote;
pub use lexer::{Lexer, WordMatches};
