//! Which parts of which Dockerfile instructions BuildKit expands variables in, as data
//! (from dockerfile2llb's `dispatch` and the instructions' `Expand` methods), and the
//! step labels it prints with variables filled in.
//!
//! ```
//! use dfplay::words::{expansion_of, Expansion};
//! assert_eq!(expansion_of("copy", "--chown"), Some(Expansion::Word));
//! assert_eq!(expansion_of("RUN", "command"), Some(Expansion::Shell));
//! assert!(matches!(expansion_of("COPY", "--from"), Some(Expansion::Rejected(_))));
//! ```

use super::env::Env;
use super::lexer::Lexer;

/// How BuildKit treats `$` in one part of an instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expansion {
    /// [`Lexer::process_word`] against the stage scope as it was before the
    /// instruction (every word of the instruction is expanded before any applies).
    Word,
    /// [`Lexer::process_words`] against the stage scope: one word may become several.
    Words,
    /// [`Lexer::process_word_with_matches`] against the global scope (automatic args
    /// and ARGs before the first FROM), never the stage's.
    Global,
    /// Only for an `ARG`'s default: expanded against the stage (or, before the first
    /// FROM, the global scope); a `--build-arg` value replaces it unexpanded.
    ArgDefault,
    /// A heredoc body of COPY/ADD: [`Lexer::for_heredoc`] (quotes kept, escape `\`)
    /// when the delimiter is unquoted (`<<EOF`), untouched when quoted (`<<"EOF"`).
    HeredocBody,
    /// Left alone by the builder; the shell expands it when the command runs, with
    /// the stage's environment (RUN, shell-form CMD/ENTRYPOINT/HEALTHCHECK).
    Shell,
    /// Taken literally.
    Literal,
    /// A `$` here is an error, with BuildKit's message.
    Rejected(&'static str),
}

/// One row of [`EXPANSION_RULES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpansionRule {
    /// Upper-case instruction name.
    pub instruction: &'static str,
    /// The part: a flag (`--chown`), or `image`, `name`, `key`, `value`, `source`,
    /// `dest`, `command`, `heredoc`, `args`, `trigger`, `options`.
    pub part: &'static str,
    pub expansion: Expansion,
    /// What a user should know.
    pub note: &'static str,
}

const FROM_REJECT: &str =
    "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround";
const MOUNT_FROM_REJECT: &str = "'from' doesn't support variable expansion, define alias stage instead";

macro_rules! rule {
    ($i:literal, $p:literal, $e:expr, $n:literal) => {
        ExpansionRule { instruction: $i, part: $p, expansion: $e, note: $n }
    };
}

/// Every instruction part and how its variables are treated.
pub const EXPANSION_RULES: &[ExpansionRule] = &[
    rule!("FROM", "image", Expansion::Global, "only global ARGs and automatic args; an empty result is \"base name (…) should not be blank\""),
    rule!("FROM", "--platform", Expansion::Global, "only global ARGs and automatic args such as $BUILDPLATFORM"),
    rule!("FROM", "name", Expansion::Literal, "the stage name after AS"),
    rule!("ARG", "name", Expansion::Literal, ""),
    rule!("ARG", "value", Expansion::ArgDefault, "names of one ARG apply one by one: ARG A=1 B=$A gives B=1"),
    rule!("ENV", "key", Expansion::Word, ""),
    rule!("ENV", "value", Expansion::Word, "all pairs expand before any is set: ENV A=1 B=$A gives B the old A"),
    rule!("LABEL", "key", Expansion::Word, ""),
    rule!("LABEL", "value", Expansion::Word, ""),
    rule!("COPY", "source", Expansion::Word, ""),
    rule!("COPY", "dest", Expansion::Word, ""),
    rule!("COPY", "--chown", Expansion::Word, ""),
    rule!("COPY", "--chmod", Expansion::Word, ""),
    rule!("COPY", "--from", Expansion::Rejected(FROM_REJECT), "a stage name, index or image, literal"),
    rule!("COPY", "--exclude", Expansion::Literal, ""),
    rule!("COPY", "--link", Expansion::Literal, "boolean flag"),
    rule!("COPY", "--parents", Expansion::Literal, "boolean flag"),
    rule!("COPY", "heredoc", Expansion::HeredocBody, ""),
    rule!("ADD", "source", Expansion::Word, ""),
    rule!("ADD", "dest", Expansion::Word, ""),
    rule!("ADD", "--chown", Expansion::Word, ""),
    rule!("ADD", "--chmod", Expansion::Word, ""),
    rule!("ADD", "--checksum", Expansion::Word, ""),
    rule!("ADD", "--exclude", Expansion::Literal, ""),
    rule!("ADD", "--keep-git-dir", Expansion::Literal, "boolean flag"),
    rule!("ADD", "--link", Expansion::Literal, "boolean flag"),
    rule!("ADD", "--unpack", Expansion::Literal, "boolean flag"),
    rule!("ADD", "heredoc", Expansion::HeredocBody, ""),
    rule!("RUN", "command", Expansion::Shell, "shell form: /bin/sh -c sees ENV and ARG values; exec form: no expansion at all"),
    rule!("RUN", "heredoc", Expansion::Shell, "the body goes to the shell as is, quoted delimiter or not"),
    rule!("RUN", "--mount", Expansion::Word, "each key=value field's value; from= may not contain a variable"),
    rule!("RUN", "--mount from", Expansion::Rejected(MOUNT_FROM_REJECT), "a $ at the very end is allowed"),
    rule!("RUN", "--network", Expansion::Literal, ""),
    rule!("RUN", "--security", Expansion::Literal, ""),
    rule!("CMD", "command", Expansion::Shell, "at container start, shell form only"),
    rule!("ENTRYPOINT", "command", Expansion::Shell, "at container start, shell form only"),
    rule!("HEALTHCHECK", "command", Expansion::Shell, "at container start, shell form only"),
    rule!("HEALTHCHECK", "options", Expansion::Literal, "--interval, --timeout, --start-period, --start-interval, --retries"),
    rule!("SHELL", "args", Expansion::Literal, ""),
    rule!("EXPOSE", "args", Expansion::Words, "each argument may expand to several ports"),
    rule!("USER", "args", Expansion::Word, ""),
    rule!("WORKDIR", "args", Expansion::Word, ""),
    rule!("VOLUME", "args", Expansion::Word, "each path, JSON form too"),
    rule!("STOPSIGNAL", "args", Expansion::Word, ""),
    rule!("MAINTAINER", "args", Expansion::Literal, ""),
    rule!("ONBUILD", "trigger", Expansion::Literal, "stored as text; expanded when it runs in the child build, with the child's scope"),
];

/// How `part` of `instruction` (any case) is expanded, or `None` for an unknown pair.
pub fn expansion_of(instruction: &str, part: &str) -> Option<Expansion> {
    EXPANSION_RULES
        .iter()
        .find(|r| r.instruction.eq_ignore_ascii_case(instruction) && r.part == part)
        .map(|r| r.expansion)
}

/// Whether BuildKit itself expands variables anywhere in `instruction` (any case),
/// rather than leaving them to a shell or taking the text literally. RUN counts: its
/// `--mount` values expand (its command is the shell's).
///
/// ```
/// use dfplay::words::expands_variables;
/// assert!(expands_variables("workdir") && expands_variables("FROM") && expands_variables("EXPOSE"));
/// assert!(!expands_variables("CMD") && !expands_variables("SHELL") && !expands_variables("ONBUILD"));
/// ```
pub fn expands_variables(instruction: &str) -> bool {
    EXPANSION_RULES.iter().any(|r| {
        r.instruction.eq_ignore_ascii_case(instruction)
            && matches!(r.expansion, Expansion::Word | Expansion::Words | Expansion::Global | Expansion::ArgDefault)
    })
}

/// The label BuildKit prints for a RUN, COPY, ADD or WORKDIR step, given the
/// instruction's source text (as written, continuation lines joined) and the stage
/// scope: the first word upper-cased, and variables filled in —
/// for RUN only those that are set, with quotes kept (`RUN echo "1" '$X' $UNSET`);
/// for COPY/ADD/WORKDIR as a word (quotes removed, unset variables empty). When
/// expansion fails the text is shown as written.
///
/// ```
/// use dfplay::words::step_label;
/// let env = [("X", "1")];
/// assert_eq!(step_label('\\', r#"run echo "$X" '$X' $UNSET"#, &env), r#"RUN echo "1" '$X' $UNSET"#);
/// assert_eq!(step_label('\\', r#"COPY "f" /dst$X/$UNSET"#, &env), "COPY f /dst1/");
/// ```
pub fn step_label<E: Env + ?Sized>(escape: char, source: &str, env: &E) -> String {
    let source = source.trim();
    let is_run = source.split(' ').next().is_some_and(|w| w.eq_ignore_ascii_case("RUN"));
    let lexer = if is_run { Lexer::for_run_label(escape) } else { Lexer::new(escape) };
    let text = lexer.process_word(source, env).unwrap_or_else(|_| source.to_string());
    match text.split_once(' ') {
        Some((first, rest)) => format!("{} {rest}", first.to_uppercase()),
        None => text.to_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_is_in_the_table() {
        for i in [
            "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
            "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
        ] {
            assert!(EXPANSION_RULES.iter().any(|r| r.instruction == i), "{i} missing");
        }
    }
}
