//! BuildKit's shell-word lexer (frontend/dockerfile/shell/lex.go): quote removal,
//! escapes, `$V` / `${V…}` substitution and word splitting for Dockerfile instructions.
//!
//! This is not a shell: there is no command substitution, no globbing, no field
//! splitting on `$IFS`. It does exactly what BuildKit does to the words of `ENV`,
//! `COPY`, `WORKDIR`, … before the build uses them (see [`super::expansion`]).
//!
//! ```text
//! he'llo'"$PWD"\ x${NAME:-anon}
//! ^^^^^^^ single quotes: literal, removed
//!        ^^^^^^ double quotes: `$` expands, `\"` `\$` `\\` escape
//!              ^^ escape token: next character literal
//!                 ^^^^^^^^^^^^^ substitution with a modifier
//! ```

use super::env::Env;
use super::error::{WordError, WordErrorKind};
use super::pattern::{self, PatternError};
use super::unicode;
use crate::limits;
use std::collections::BTreeSet;

/// The lexer, configured once per Dockerfile (its escape token comes from the
/// `# escape=` directive) and reused for every word. Cheap to copy.
///
/// The four switches mirror BuildKit's `Lex` fields; the Dockerfile build uses them
/// off except where [`super::expansion`] says (heredoc bodies, RUN step labels, the
/// parser's heredoc detection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexer {
    escape: char,
    raw_quotes: bool,
    raw_escapes: bool,
    skip_process_quotes: bool,
    skip_unset_env: bool,
}

impl Default for Lexer {
    /// The lexer for a Dockerfile without an `# escape=` directive.
    fn default() -> Self {
        Lexer::new('\\')
    }
}

/// The result of [`Lexer::process_word_with_matches`]: the word (or why it failed)
/// and the variable names it looked up, found or not. BuildKit reports
/// `UndefinedVar` and `UndefinedArgInFrom` from `unmatched` even when the word fails,
/// so both sets are filled as far as processing got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordMatches {
    pub result: Result<String, WordError>,
    /// Names that were set in the environment (possibly to the empty string).
    pub matched: BTreeSet<String>,
    /// Names that were referenced but not set.
    pub unmatched: BTreeSet<String>,
}

impl Lexer {
    /// A lexer with `escape` as the escape token (`\` or `` ` ``).
    pub const fn new(escape: char) -> Self {
        Lexer { escape, raw_quotes: false, raw_escapes: false, skip_process_quotes: false, skip_unset_env: false }
    }

    /// The lexer BuildKit uses for the body of a `COPY`/`ADD` heredoc whose delimiter
    /// is not quoted: escape token `\` whatever the directive says, quotes left as they
    /// are, variables expanded.
    pub const fn for_heredoc() -> Self {
        Lexer::new('\\').with_skip_process_quotes(true)
    }

    /// The lexer BuildKit uses to print a RUN step's label (`[2/3] RUN echo 1`): quotes
    /// kept, variables that are set expanded, unset ones left as written.
    pub const fn for_run_label(escape: char) -> Self {
        Lexer::new(escape).with_raw_quotes(true).with_skip_unset_env(true)
    }

    /// The escape token.
    pub const fn escape(&self) -> char {
        self.escape
    }

    /// Keep quote characters in the result (BuildKit's `RawQuotes`).
    pub const fn with_raw_quotes(mut self, on: bool) -> Self {
        self.raw_quotes = on;
        self
    }

    /// Keep escape tokens in the result (BuildKit's `RawEscapes`).
    pub const fn with_raw_escapes(mut self, on: bool) -> Self {
        self.raw_escapes = on;
        self
    }

    /// Treat `'` and `"` as ordinary characters (BuildKit's `SkipProcessQuotes`).
    pub const fn with_skip_process_quotes(mut self, on: bool) -> Self {
        self.skip_process_quotes = on;
        self
    }

    /// Leave references to unset variables as written, `$V`, `${V}`, `${V:-x}`
    /// (BuildKit's `SkipUnsetEnv`).
    pub const fn with_skip_unset_env(mut self, on: bool) -> Self {
        self.skip_unset_env = on;
        self
    }

    /// One word: quotes removed, escapes applied, variables expanded; spaces inside
    /// stay. BuildKit's `ProcessWord`.
    ///
    /// ```
    /// use dfplay::words::Lexer;
    /// let env = [("HOME", "/root"), ("EMPTY", "")];
    /// let lex = Lexer::default();
    /// assert_eq!(lex.process_word(r#"${HOME}/"a b"'$x'"#, &env).unwrap(), "/root/a b$x");
    /// assert_eq!(lex.process_word("${EMPTY:-default} ${EMPTY-unset}", &env).unwrap(), "default ");
    /// assert_eq!(lex.process_word("${NOPE:?must be set}", &env).unwrap_err().to_string(),
    ///            r#"failed to process "${NOPE:?must be set}": NOPE: must be set"#);
    /// ```
    pub fn process_word<E: Env + ?Sized>(&self, word: &str, env: &E) -> Result<String, WordError> {
        self.run(word, env, false, false).0.map(|(w, _)| w)
    }

    /// The word split into words after expansion, on unquoted whitespace, as for
    /// `EXPOSE` and heredoc names. BuildKit's `ProcessWords`: whitespace that comes from
    /// an unquoted variable splits too; an empty quoted string yields no word.
    ///
    /// ```
    /// use dfplay::words::Lexer;
    /// let env = [("PORTS", "80  443")];
    /// let words = Lexer::default().process_words(r#"$PORTS "8080 x" ''"#, &env).unwrap();
    /// assert_eq!(words, ["80", "443", "8080 x"]);
    /// ```
    pub fn process_words<E: Env + ?Sized>(&self, word: &str, env: &E) -> Result<Vec<String>, WordError> {
        self.run(word, env, true, false).0.map(|(_, w)| w)
    }

    /// [`process_word`](Self::process_word), also telling which variable names were
    /// found and which were referenced but unset (BuildKit's `ProcessWordWithMatches`).
    ///
    /// ```
    /// use dfplay::words::Lexer;
    /// let m = Lexer::default().process_word_with_matches("${A:-x}-$B", &[("B", "b")]);
    /// assert_eq!(m.result.unwrap(), "x-b");
    /// assert!(m.matched.contains("B") && m.unmatched.contains("A"));
    /// ```
    pub fn process_word_with_matches<E: Env + ?Sized>(&self, word: &str, env: &E) -> WordMatches {
        let (result, matched, unmatched) = self.run(word, env, false, true);
        WordMatches { result: result.map(|(w, _)| w), matched, unmatched }
    }

    #[allow(clippy::type_complexity)]
    fn run<E: Env + ?Sized>(
        &self,
        word: &str,
        env: &E,
        want_words: bool,
        capture: bool,
    ) -> (Result<(String, Vec<String>), WordError>, BTreeSet<String>, BTreeSet<String>) {
        // Most words (paths, ports, names) have nothing to process.
        let plain = !want_words
            && word.len() <= limits::MAX_EXPANDED_WORD_BYTES
            && !word.starts_with('\u{feff}')
            && !word.contains(['$', '\'', '"', '<', self.escape]);
        if plain {
            return (Ok((word.to_string(), Vec::new())), BTreeSet::new(), BTreeSet::new());
        }
        let mut m = Machine {
            lex: *self,
            src: word,
            pos: 0,
            env,
            raw_escapes: self.raw_escapes,
            capture,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            depth: 0,
        };
        // Go's text/scanner skips a byte order mark at the very start.
        if word.starts_with('\u{feff}') {
            m.pos = '\u{feff}'.len_utf8();
        }
        let raw = m.raw_escapes;
        let result = m
            .stop_on(None, raw, want_words)
            .map_err(|f| WordError { kind: f.kind, word: word.to_string(), span: f.start..f.end.max(f.start) });
        (result, m.matched, m.unmatched)
    }
}

/// An error inside the machine, with where it was found.
struct Fail {
    kind: WordErrorKind,
    start: usize,
    end: usize,
}

/// Collects words for [`Lexer::process_words`] (BuildKit's `wordsStruct`).
struct Words {
    on: bool,
    buf: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn new(on: bool) -> Self {
        Words { on, buf: String::new(), words: Vec::new(), in_word: false }
    }
    fn add_char(&mut self, ch: char) {
        if !self.on {
            return;
        }
        if unicode::is_space(ch) {
            if self.in_word && !self.buf.is_empty() {
                self.words.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(ch);
        }
    }
    fn add_raw_char(&mut self, ch: char) {
        if self.on {
            self.buf.push(ch);
            self.in_word = true;
        }
    }
    fn add_string(&mut self, s: &str) {
        if self.on {
            s.chars().for_each(|c| self.add_char(c));
        }
    }
    fn add_raw_string(&mut self, s: &str) {
        if self.on {
            self.buf.push_str(s);
            self.in_word = true;
        }
    }
    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.words.push(std::mem::take(&mut self.buf));
        }
        self.words
    }
}

/// BuildKit's `shellWord`: one pass over one word.
struct Machine<'a, E: Env + ?Sized> {
    lex: Lexer,
    src: &'a str,
    pos: usize,
    env: &'a E,
    raw_escapes: bool,
    capture: bool,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    depth: usize,
}

const EOF_RUNE: char = '\u{fffd}';

impl<E: Env + ?Sized> Machine<'_, E> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn fail(&self, kind: WordErrorKind, start: usize) -> Fail {
        Fail { kind, start, end: self.pos }
    }

    fn check_size(&self, len: usize, start: usize) -> Result<(), Fail> {
        if len > limits::MAX_EXPANDED_WORD_BYTES {
            return Err(self.fail(WordErrorKind::SizeLimit, start));
        }
        Ok(())
    }

    /// BuildKit's `processStopOn`: read until `stop` (consumed) or the end of the word.
    fn stop_on(&mut self, stop: Option<char>, raw_escapes: bool, want_words: bool) -> Result<(String, Vec<String>), Fail> {
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let r = self.stop_on_inner(stop, want_words);
        self.raw_escapes = saved;
        r
    }

    fn stop_on_inner(&mut self, stop: Option<char>, want_words: bool) -> Result<(String, Vec<String>), Fail> {
        let start = self.pos;
        let mut result = String::new();
        let mut words = Words::new(want_words);
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '$' => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                    words.add_string(&value);
                }
                '<' => {
                    let value = self.possible_heredoc();
                    result.push_str(&value);
                    words.add_raw_string(&value);
                }
                '\'' if !self.lex.skip_process_quotes => {
                    let value = self.single_quote()?;
                    result.push_str(&value);
                    words.add_raw_string(&value);
                }
                '"' if !self.lex.skip_process_quotes => {
                    let value = self.double_quote()?;
                    result.push_str(&value);
                    words.add_raw_string(&value);
                }
                _ => {
                    self.next();
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        // The escape token escapes the next character; at the end of
                        // the word it disappears.
                        let Some(escaped) = self.next() else { break };
                        words.add_raw_char(escaped);
                        result.push(escaped);
                    } else {
                        words.add_char(ch);
                        result.push(ch);
                    }
                }
            }
            self.check_size(result.len(), start)?;
        }
        if let Some(stop) = stop {
            return Err(self.fail(WordErrorKind::UnexpectedEnd(stop), start));
        }
        Ok((result, words.finish()))
    }

    /// Everything up to the next `'` literally (no escapes inside single quotes).
    fn single_quote(&mut self) -> Result<String, Fail> {
        let start = self.pos;
        self.next();
        let mut result = String::new();
        if self.lex.raw_quotes {
            result.push('\'');
        }
        loop {
            match self.next() {
                None => return Err(self.fail(WordErrorKind::UnterminatedSingleQuote, start)),
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    /// Up to the next unescaped `"`: `$` expands, the escape token escapes `"`, `$`
    /// and itself and is kept before anything else.
    fn double_quote(&mut self) -> Result<String, Fail> {
        let start = self.pos;
        self.next();
        let mut result = String::new();
        if self.lex.raw_quotes {
            result.push('"');
        }
        loop {
            match self.peek() {
                None => return Err(self.fail(WordErrorKind::UnterminatedDoubleQuote, start)),
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                    self.check_size(result.len(), start)?;
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or(EOF_RUNE);
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            // A trailing escape is dropped; the loop then reports the
                            // missing closing quote.
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.lex.escape => {
                                ch = self.next().unwrap_or(EOF_RUNE);
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// `<<` followed by blanks stays one piece, so a heredoc marker is one word.
    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut result = String::from("<<");
        while let Some(c @ (' ' | '\t' | '\r')) = self.peek() {
            result.push(c);
            self.next();
        }
        result
    }

    /// BuildKit's `processName`: letters, digits and `_`; a leading digit reads all
    /// digits (`$10` is one positional parameter); a special parameter is one character.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && unicode::is_digit(ch) {
                while let Some(d) = self.peek().filter(|&d| unicode::is_digit(d)) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !unicode::is_letter(ch) && !unicode::is_digit(ch) && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        match self.env.get(name) {
            Some(v) => {
                if self.capture {
                    self.matched.insert(name.to_string());
                }
                Some(v.to_string())
            }
            None => {
                if self.capture {
                    self.unmatched.insert(name.to_string());
                }
                None
            }
        }
    }

    /// A nested word inside `${…}`, with the depth bound; an error found at the end of
    /// the word becomes `at_end` (BuildKit reports the missing `}` or `/`, not the inner
    /// cause).
    fn nested(&mut self, stop: char, raw: bool, at_end: WordErrorKind, start: usize) -> Result<String, Fail> {
        if self.depth >= limits::MAX_SUBSTITUTION_DEPTH {
            return Err(self.fail(WordErrorKind::DepthLimit, start));
        }
        self.depth += 1;
        let r = self.stop_on(Some(stop), raw, false);
        self.depth -= 1;
        match r {
            Ok((word, _)) => Ok(word),
            Err(f) if matches!(f.kind, WordErrorKind::DepthLimit | WordErrorKind::SizeLimit | WordErrorKind::PatternLimit) => Err(f),
            Err(f) if self.peek().is_none() => Err(Fail { kind: at_end, start, end: f.end }),
            Err(f) => Err(f),
        }
    }

    /// BuildKit's `processDollar`: `$`, `$NAME`, `${NAME}` and `${NAME<modifier>…}`.
    fn dollar(&mut self) -> Result<String, Fail> {
        let start = self.pos;
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.lookup(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err(self.fail(WordErrorKind::MissingBrace, start)),
            Some('{' | '}' | ':') => return Err(self.fail(WordErrorKind::BadSubstitution, start)),
            Some(_) => {}
        }
        let name = self.name();
        let first = self.next();
        let mut modifier_text = first.unwrap_or(EOF_RUNE).to_string();
        match first {
            Some('}') => Ok(match self.lookup(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut modifier = first;
                let null_is_unset = first == Some(':');
                if null_is_unset {
                    modifier = self.next();
                    modifier_text.push(modifier.unwrap_or(EOF_RUNE));
                }
                let trims = matches!(modifier, Some('#' | '%'));
                if null_is_unset && trims {
                    return Err(self.fail(WordErrorKind::UnsupportedModifier(modifier_text), start));
                }
                let word = self.nested('}', trims, WordErrorKind::MissingBrace, start)?;
                let value = self.lookup(&name);
                let set = value.is_some();
                let value = value.unwrap_or_default();
                if self.lex.skip_unset_env && !set {
                    return Ok(format!("${{{name}{modifier_text}{word}}}"));
                }
                let empty_as_unset = !set || (null_is_unset && value.is_empty());
                match modifier {
                    Some('-') => Ok(if empty_as_unset { word } else { value }),
                    Some('+') => Ok(if empty_as_unset { String::new() } else { word }),
                    Some('?') => {
                        let default = if !set {
                            "is not allowed to be unset"
                        } else if null_is_unset && value.is_empty() {
                            "is not allowed to be empty"
                        } else {
                            return Ok(value);
                        };
                        let message = if word.is_empty() { default.to_string() } else { word };
                        Err(self.fail(WordErrorKind::Required { name, message }, start))
                    }
                    Some(m @ ('#' | '%')) => {
                        // `##` / `%%` match the longest pattern, `#` / `%` the shortest.
                        let (greedy, pat) = match word.strip_prefix(m) {
                            Some(rest) => (true, rest),
                            None => (false, word.as_str()),
                        };
                        let trimmed = if m == '%' {
                            pattern::trim_suffix(pat, &value, greedy)
                        } else {
                            pattern::trim_prefix(pat, &value, greedy)
                        };
                        trimmed.map_err(|e| {
                            let shown = if m == '%' { pattern::reverse_pattern(pat) } else { pat.to_string() };
                            self.pattern_fail(e, shown, start)
                        })
                    }
                    _ => Err(self.fail(WordErrorKind::UnsupportedModifier(modifier_text), start)),
                }
            }
            Some('/') => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.next();
                }
                let pat = self.nested('/', true, WordErrorKind::MissingSlash, start)?;
                let replacement = self.nested('}', true, WordErrorKind::MissingBrace, start)?;
                let value = self.lookup(&name);
                if self.lex.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}/{pat}/{replacement}}}"));
                }
                pattern::replace(&value.unwrap_or_default(), &pat, &replacement, replace_all)
                    .map_err(|e| self.pattern_fail(e, pat.clone(), start))
            }
            _ => Err(self.fail(WordErrorKind::UnsupportedModifier(modifier_text), start)),
        }
    }

    fn pattern_fail(&self, e: PatternError, shown: String, start: usize) -> Fail {
        let kind = match e {
            PatternError::InvalidEscape(escaped) => WordErrorKind::InvalidPattern { pattern: shown, escaped },
            PatternError::TooLarge => WordErrorKind::PatternLimit,
            PatternError::TooLong => WordErrorKind::SizeLimit,
        };
        self.fail(kind, start)
    }
}
