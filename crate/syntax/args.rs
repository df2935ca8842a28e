//! One logical line to an instruction: BuildKit's `newNodeFromLine` (`split_command.go`)
//! and its per-instruction argument rules (`line_parsers.go`): keyword, flags, then words,
//! key=value pairs, JSON or the rest of the line, with each value's input range.

use super::diagnostic::{DiagnosticKind, Severity};
use super::json::{self, JsonOutcome};
use super::parser::{PendingDiag, Seg};
use super::scan;
use super::text::{class, go_lossy, go_quote, is_byte_space, is_re_ws, space_len, trim_end, trim_start, utf8_width, TextRange};
use super::tree::*;
use crate::limits::MAX_ONBUILD_DEPTH;

/// Builds one instruction from a logical line (BuildKit's `newNodeFromLine` and the
/// per-instruction line parsers). Offsets are into `line`; `segs` maps them to the input.
pub(super) struct Builder<'s> {
    pub(super) src: &'s [u8],
    pub(super) line: &'s [u8],
    pub(super) segs: &'s [Seg],
    /// The input offset of the line when it is one piece of the input.
    pub(super) single: Option<usize>,
    /// Every byte of the line is ASCII.
    pub(super) ascii: bool,
    pub(super) utf8: bool,
    pub(super) escape: u8,
    pub(super) args: &'s mut Vec<Arg>,
    pub(super) flags: &'s mut Vec<Flag>,
    pub(super) values: &'s mut String,
    pub(super) words: &'s mut Vec<(usize, usize)>,
    pub(super) triggers: &'s mut Vec<Instruction>,
    pub(super) diags: &'s mut Vec<PendingDiag>,
}

#[derive(PartialEq, Clone, Copy)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

#[inline]
fn is_char_boundary(b: &[u8], i: usize) -> bool {
    i >= b.len() || (b[i] as i8) >= -0x40
}

impl Builder<'_> {
    #[inline]
    fn seg_index(&self, off: usize) -> usize {
        if self.single.is_some() {
            0
        } else {
            self.segs.partition_point(|s| s.logical <= off).max(1) - 1
        }
    }

    #[inline]
    fn at(&self, off: usize) -> usize {
        if let Some(base) = self.single {
            return base + off;
        }
        let s = self.segs[self.seg_index(off)];
        s.source + (off - s.logical)
    }

    /// The input range of the logical range `a..b`.
    #[inline(always)]
    fn range(&self, a: usize, b: usize) -> TextRange {
        if let Some(base) = self.single {
            return TextRange::new((base + a) as u32, (base + b) as u32);
        }
        let start = self.at(a);
        let end = if b > a { self.at(b - 1) + 1 } else { start };
        TextRange::new(start as u32, end as u32)
    }

    /// An argument whose value is the logical text `a..b`.
    #[inline(always)]
    fn arg(&mut self, a: usize, b: usize) -> Arg {
        let range = self.range(a, b);
        if self.ascii && self.single.is_some() {
            return Arg { range, value: VERBATIM };
        }
        self.arg_slow(a, b, range)
    }

    fn arg_slow(&mut self, a: usize, b: usize, range: TextRange) -> Arg {
        let contiguous = b <= a || self.seg_index(a) == self.seg_index(b - 1);
        if self.utf8
            && contiguous
            && is_char_boundary(self.src, range.start as usize)
            && is_char_boundary(self.src, range.end as usize)
        {
            Arg { range, value: VERBATIM }
        } else {
            let line = self.line;
            match std::str::from_utf8(&line[a..b]) {
                Ok(v) => self.stored(range, v),
                Err(_) => self.stored(range, &go_lossy(&line[a..b])),
            }
        }
    }

    /// An argument whose value `value` is kept in the tree's value arena.
    fn stored(&mut self, range: TextRange, value: &str) -> Arg {
        let start = self.values.len() as u32;
        self.values.push_str(value);
        Arg { range, value: TextRange::new(start, self.values.len() as u32) }
    }

    fn arg_value(&mut self, a: usize, b: usize, value: &str) -> Arg {
        let range = self.range(a, b);
        self.stored(range, value)
    }

    fn error(&mut self, kind: DiagnosticKind, message: String, range: TextRange) {
        self.diags.push(PendingDiag { kind, severity: Severity::Error, message, range });
    }

    /// BuildKit's `newNodeFromLine` on `line[lo..hi]`.
    pub(super) fn node(&mut self, lo: usize, hi: usize, depth: u32) -> Instruction {
        let l = self.line;
        let t0 = trim_start(l, lo, hi);
        let t1 = trim_end(l, t0, hi);
        let k1 = scan::to_re_ws(l, t0, t1);
        let keyword = self.arg(t0, k1);
        let kind = Keyword::lookup_in(l, t0, k1);
        let flags_start = self.flags.len() as u32;
        let (a0, a1) = if k1 < t1 {
            let mut r0 = k1;
            while r0 < t1 && is_re_ws(l[r0]) {
                r0 += 1;
            }
            let rest = self.extract_flags(r0, t1);
            let a0 = trim_start(l, rest, t1);
            (a0, trim_end(l, a0, t1))
        } else {
            (t1, t1)
        };
        // The trigger of an ONBUILD pushes its own flags and args after these.
        let flags_end = self.flags.len() as u32;
        let args_start = self.args.len() as u32;
        let mut error = false;
        let form = match kind {
            None => Form::Ignored,
            Some(k) => match k {
                Keyword::Add | Keyword::Copy | Keyword::Volume => self.maybe_json_to_list(a0, a1),
                Keyword::Arg => self.name_or_name_val(a0, a1),
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => self.maybe_json(a0, a1),
                Keyword::Env | Keyword::Label => self.name_val(a0, a1, k.name()),
                Keyword::Expose | Keyword::From => self.whitespace_delimited(a0, a1),
                Keyword::Healthcheck => self.health_config(a0, a1),
                Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => self.string(a0, a1),
                Keyword::Onbuild => self.sub_command(a0, a1, depth, &mut error),
            },
        };
        if form == Form::Invalid {
            error = true;
        }
        let range = self.range(t0, t1);
        Instruction {
            range,
            start_line: 0,
            end_line: 0,
            keyword,
            kind,
            flags: (flags_start, flags_end),
            form,
            args: if matches!(form, Form::Onbuild { .. }) {
                (args_start, args_start)
            } else {
                (args_start, self.args.len() as u32)
            },
            heredocs: (0, 0),
            prev_comments: (0, 0),
            tokens: (0, 0),
            empty_lines: (0, 0),
            error,
        }
    }

    /// BuildKit's `extractBuilderFlags` on `line[lo..hi]`: byte by byte, words starting
    /// with `--`, quotes and escapes removed (each byte becomes one character, as Go's
    /// `WriteRune(rune(byte))` does). Returns where the arguments start.
    fn extract_flags(&mut self, lo: usize, hi: usize) -> usize {
        let l = self.line;
        let esc = self.escape;
        let mut phase = Phase::Spaces;
        let mut word = String::new();
        let mut modified = false;
        let mut blank_ok = false;
        let mut quote = 0u8;
        let mut start = lo;
        let mut pos = lo;
        loop {
            let ch = if pos < hi { l[pos] } else { 0 };
            if phase == Phase::Spaces {
                if pos == hi {
                    return hi;
                }
                if is_byte_space(ch) {
                    pos += 1;
                    continue;
                }
                if ch != b'-' || pos + 1 == hi || l[pos + 1] != b'-' {
                    return pos;
                }
                // Fast path: a flag without quotes, escapes or non-ASCII bytes is its own text.
                let j = scan::to_word_end(l, pos + 2, hi, esc);
                if j == hi || is_byte_space(l[j]) {
                    if j - pos == 2 {
                        return j;
                    }
                    self.push_flag(pos, j, "", false);
                    pos = j;
                    continue;
                }
                phase = Phase::Word;
                start = pos;
            }
            if pos == hi {
                if word != "--" && (blank_ok || !word.is_empty()) {
                    self.push_flag(start, hi, &word, modified);
                }
                return hi;
            }
            if phase == Phase::Word {
                if is_byte_space(ch) {
                    if word == "--" {
                        return pos;
                    }
                    if blank_ok || !word.is_empty() {
                        self.push_flag(start, pos, &word, modified);
                    }
                    word.clear();
                    modified = false;
                    blank_ok = false;
                    phase = Phase::Spaces;
                    pos += 1;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    quote = ch;
                    blank_ok = true;
                    modified = true;
                    phase = Phase::Quote;
                    pos += 1;
                    continue;
                }
                let mut c = ch;
                if ch == esc {
                    modified = true;
                    if pos + 1 == hi {
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    c = l[pos];
                }
                modified |= c >= 0x80;
                word.push(c as char);
                pos += 1;
                continue;
            }
            // In quotes.
            if ch == quote {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if ch == esc {
                if pos + 1 == hi {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = l[pos];
            }
            modified |= c >= 0x80;
            word.push(c as char);
            pos += 1;
        }
    }

    fn push_flag(&mut self, a: usize, b: usize, word: &str, modified: bool) {
        let l = self.line;
        let eq = scan::find(l, a, b, b'=');
        let name_end = eq.unwrap_or(b);
        let word = if modified { self.arg_value(a, b, word) } else { self.arg(a, b) };
        let flag = Flag {
            range: self.range(a, b),
            name_range: self.range((a + 2).min(name_end), name_end),
            value_range: eq.map(|e| self.range(e + 1, b)),
            word,
        };
        self.flags.push(flag);
    }

    /// BuildKit's `parseWords`: words split on Unicode white space, quotes and escapes
    /// kept; each word is a slice of the line (a lone trailing escape is dropped).
    fn words(&mut self, lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let l = self.line;
        let esc = self.escape;
        let mut out = std::mem::take(self.words);
        out.clear();
        let mut phase = Phase::Spaces;
        let mut quote = 0u8;
        let mut blank_ok = false;
        let (mut ws, mut we) = (lo, lo);
        let mut pos = lo;
        #[inline(always)]
        fn space_at(l: &[u8], pos: usize, hi: usize) -> usize {
            let c = l[pos];
            if c < 0x80 {
                return (class::OF[c as usize] & class::ASCII_WS != 0) as usize;
            }
            let n = space_len(l, pos);
            if pos + n <= hi {
                n
            } else {
                0
            }
        }
        #[inline(always)]
        fn width_at(l: &[u8], pos: usize, hi: usize) -> usize {
            if l[pos] < 0x80 {
                1
            } else {
                utf8_width(l, pos).min(hi - pos).max(1)
            }
        }
        let space = |pos: usize| space_at(l, pos, hi);
        let width = |pos: usize| width_at(l, pos, hi);
        loop {
            if phase == Phase::Spaces {
                if pos >= hi {
                    break;
                }
                let n = space(pos);
                if n > 0 {
                    pos += n;
                    continue;
                }
                ws = pos;
                // Fast path: plain ASCII up to a blank or the end.
                let j = scan::to_word_end(l, pos, hi, esc);
                if j == hi || class::OF[l[j] as usize] & class::ASCII_WS != 0 {
                    out.push((ws, j));
                    pos = j;
                    continue;
                }
                phase = Phase::Word;
                we = j;
                pos = j;
            }
            if pos >= hi {
                if blank_ok || we > ws {
                    out.push((ws, we));
                }
                break;
            }
            let ch = l[pos];
            let w = width(pos);
            if phase == Phase::Word {
                let n = space(pos);
                if n > 0 {
                    phase = Phase::Spaces;
                    if blank_ok || we > ws {
                        out.push((ws, we));
                    }
                    blank_ok = false;
                    pos += n;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                }
                if ch == esc {
                    if pos + w == hi {
                        pos += w;
                        continue;
                    }
                    pos += w;
                    let w2 = width(pos);
                    pos += w2;
                    we = pos;
                    continue;
                }
                pos += w;
                we = pos;
                continue;
            }
            if ch == quote {
                phase = Phase::Word;
            } else if ch != esc {
                // Inside quotes everything up to the quote or the escape is kept as is
                // (a multi-byte character never contains either byte).
                pos = scan::to_either(l, pos + 1, hi, quote, esc);
                we = pos;
                continue;
            }
            if ch == esc && quote != b'\'' {
                if pos + w == hi {
                    phase = Phase::Word;
                    pos += w;
                    continue;
                }
                pos += w;
                let w2 = width(pos);
                pos += w2;
                we = pos;
                continue;
            }
            pos += w;
            we = pos;
        }
        out
    }

    fn push(&mut self, arg: Arg) {
        self.args.push(arg);
    }

    /// ENV and LABEL (`parseNameVal`).
    fn name_val(&mut self, lo: usize, hi: usize, key: &str) -> Form {
        let words = self.words(lo, hi);
        let form = self.name_val_words(&words, lo, hi, key);
        *self.words = words;
        form
    }

    fn name_val_words(&mut self, words: &[(usize, usize)], lo: usize, hi: usize, key: &str) -> Form {
        let Some(&(w0, w1)) = words.first() else { return Form::Empty };
        let l = self.line;
        if !l[w0..w1].contains(&b'=') {
            let k = scan::to_re_ws(l, lo, hi);
            if k == hi {
                let r = self.range(lo, hi);
                self.error(DiagnosticKind::Arguments, format!("{key} must have two arguments"), r);
                return Form::Invalid;
            }
            let mut v = k;
            while v < hi && is_re_ws(l[v]) {
                v += 1;
            }
            let key_arg = self.arg(lo, k);
            let value = self.arg(v, hi);
            let sep = self.arg(k, k);
            self.push(key_arg);
            self.push(value);
            self.push(sep);
            return Form::KeyValue { legacy: true };
        }
        for &(a, b) in words {
            let Some(eq) = scan::find(l, a, b, b'=') else {
                let r = self.range(a, b);
                let word = go_lossy(&l[a..b]);
                self.error(
                    DiagnosticKind::Arguments,
                    format!("Syntax error - can't find = in {}. Must be of the form: name=value", go_quote(&word)),
                    r,
                );
                return Form::Invalid;
            };
            let key_arg = self.arg(a, eq);
            let value = self.arg(eq + 1, b);
            let sep = self.arg(eq, eq + 1);
            self.push(key_arg);
            self.push(value);
            self.push(sep);
        }
        Form::KeyValue { legacy: false }
    }

    /// ARG (`parseNameOrNameVal`).
    fn name_or_name_val(&mut self, lo: usize, hi: usize) -> Form {
        let words = self.words(lo, hi);
        let form = if words.is_empty() { Form::Empty } else { Form::Words };
        for &(a, b) in &words {
            let arg = self.arg(a, b);
            self.push(arg);
        }
        *self.words = words;
        form
    }

    /// FROM and EXPOSE (`parseStringsWhitespaceDelimited`): split on `[\t\v\f\r ]+`.
    fn whitespace_delimited(&mut self, lo: usize, hi: usize) -> Form {
        if lo == hi {
            return Form::Empty;
        }
        let l = self.line;
        let mut i = lo;
        while i < hi {
            let s = i;
            i = scan::to_re_ws(l, i, hi);
            let arg = self.arg(s, i);
            self.push(arg);
            while i < hi && is_re_ws(l[i]) {
                i += 1;
            }
        }
        Form::Words
    }

    /// MAINTAINER, USER, WORKDIR, STOPSIGNAL (`parseString`).
    fn string(&mut self, lo: usize, hi: usize) -> Form {
        if lo == hi {
            return Form::Empty;
        }
        let arg = self.arg(lo, hi);
        self.push(arg);
        Form::Text
    }

    /// Tries the JSON form; `None` means "not JSON, use the fallback".
    fn json(&mut self, lo: usize, hi: usize) -> Option<Form> {
        let j = trim_start(self.line, lo, hi);
        if j >= hi || self.line[j] != b'[' {
            return None;
        }
        let mark = self.args.len();
        let line = self.line;
        let outcome = json::parse_array(&line[j..hi], self.utf8, |start, end, decoded| {
            let arg = match decoded {
                Some(v) => self.arg_value(j + start, j + end, &v),
                None => self.arg(j + start, j + end),
            };
            self.args.push(arg);
        });
        match outcome {
            JsonOutcome::Strings { end } => Some(Form::Json { array: self.range(j, j + end) }),
            JsonOutcome::NotJson => {
                self.args.truncate(mark);
                None
            }
            JsonOutcome::NotStringArray => {
                self.args.truncate(mark);
                let r = self.range(lo, hi);
                self.error(
                    DiagnosticKind::Arguments,
                    "when using JSON array syntax, arrays must be comprised of strings only".into(),
                    r,
                );
                Some(Form::Invalid)
            }
        }
    }

    /// RUN, CMD, ENTRYPOINT, SHELL (`parseMaybeJSON`).
    fn maybe_json(&mut self, lo: usize, hi: usize) -> Form {
        if lo == hi {
            return Form::Empty;
        }
        if let Some(f) = self.json(lo, hi) {
            return f;
        }
        let arg = self.arg(lo, hi);
        self.push(arg);
        Form::Text
    }

    /// ADD, COPY, VOLUME (`parseMaybeJSONToList`).
    fn maybe_json_to_list(&mut self, lo: usize, hi: usize) -> Form {
        if let Some(f) = self.json(lo, hi) {
            return f;
        }
        self.whitespace_delimited(lo, hi)
    }

    /// HEALTHCHECK (`parseHealthConfig`): the type, then the command as in CMD.
    fn health_config(&mut self, lo: usize, hi: usize) -> Form {
        let l = self.line;
        let mut sep = lo;
        while sep < hi && !is_byte_space(l[sep]) {
            sep += 1;
        }
        if sep == lo {
            return Form::Empty;
        }
        let mut next = sep;
        while next < hi && is_byte_space(l[next]) {
            next += 1;
        }
        let typ = self.arg(lo, sep);
        self.push(typ);
        match self.maybe_json(next, hi) {
            Form::Json { array } => Form::Healthcheck { json: Some(array) },
            Form::Invalid => Form::Invalid,
            _ => Form::Healthcheck { json: None },
        }
    }

    /// ONBUILD (`parseSubCommand`): the rest is an instruction of its own.
    fn sub_command(&mut self, lo: usize, hi: usize, depth: u32, error: &mut bool) -> Form {
        if lo == hi {
            return Form::Onbuild { trigger: None };
        }
        if depth >= MAX_ONBUILD_DEPTH {
            let r = self.range(lo, hi);
            self.error(
                DiagnosticKind::Limit,
                format!("ONBUILD nested more than {MAX_ONBUILD_DEPTH} levels deep"),
                r,
            );
            return Form::Invalid;
        }
        let child = self.node(lo, hi, depth + 1);
        *error |= child.error;
        self.triggers.push(child);
        Form::Onbuild { trigger: Some(self.triggers.len() as u32 - 1) }
    }
}
