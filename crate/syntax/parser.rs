//! The parser: physical lines to BuildKit's logical lines (directives, comments,
//! continuations, heredoc bodies), then each logical line to an instruction with BuildKit's
//! per-instruction argument rules (`line_parsers.go`, `split_command.go`).
//!
//! Every step is a single forward pass over bytes: the time is linear in the input, and
//! nothing recurses on input shape except ONBUILD nesting, which is capped.

use super::diagnostic::{Diagnostic, DiagnosticKind, Severity};
use super::heredoc;
use super::json::{self, JsonOutcome};
use super::text::{go_lossy, go_quote, is_byte_space, is_re_ws, space_len, trim_end, trim_start, utf8_width, TextRange};
use super::tree::*;
use super::Parsed;
use crate::limits::{MAX_DOCKERFILE_BYTES, MAX_LINE_BYTES, MAX_ONBUILD_DEPTH};

const BOM: &[u8] = b"\xEF\xBB\xBF";

struct PendingDiag {
    kind: DiagnosticKind,
    severity: Severity,
    message: String,
    range: TextRange,
}

/// A physical line: `start..content_end` is the text, `content_end..end` its terminator.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

/// One piece of a logical line: `len` bytes at `source` in the input, at `logical` in the line.
#[derive(Clone, Copy)]
struct Seg {
    logical: usize,
    source: usize,
}

struct Parser<'a> {
    src: &'a [u8],
    utf8: bool,
    pos: usize,
    line_no: u32,
    escape: u8,
    directives_done: bool,
    seen: [bool; 3],
    pending_comments: u32,
    tokens: Vec<Token>,
    line_starts: Vec<u32>,
    line_ascii: Vec<bool>,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    instructions: Vec<Instruction>,
    triggers: Vec<Instruction>,
    args: Vec<Arg>,
    segments: Vec<TextRange>,
    diags: Vec<PendingDiag>,
    buf: Vec<u8>,
    segs: Vec<Seg>,
}

/// Parses a Dockerfile. Never fails and never panics: problems are diagnostics.
pub fn parse(input: &[u8]) -> Parsed {
    if input.len() > MAX_DOCKERFILE_BYTES {
        return too_large(input);
    }
    let utf8_error = std::str::from_utf8(input).err();
    let mut p = Parser {
        src: input,
        utf8: utf8_error.is_none(),
        pos: 0,
        line_no: 0,
        escape: b'\\',
        directives_done: false,
        seen: [false; 3],
        pending_comments: 0,
        tokens: Vec::with_capacity(input.len() / 12 + 4),
        line_starts: Vec::with_capacity(input.len() / 30 + 2),
        line_ascii: Vec::with_capacity(input.len() / 30 + 2),
        directives: Vec::new(),
        comments: Vec::new(),
        instructions: Vec::with_capacity(input.len() / 40 + 1),
        triggers: Vec::new(),
        args: Vec::with_capacity(input.len() / 24 + 1),
        segments: Vec::with_capacity(input.len() / 40 + 1),
        diags: Vec::new(),
        buf: Vec::new(),
        segs: Vec::new(),
    };
    if let Some(e) = utf8_error {
        let at = e.valid_up_to();
        p.diag(
            DiagnosticKind::Encoding,
            Severity::Warning,
            format!("invalid UTF-8 (byte 0x{:02x}); the Dockerfile should be UTF-8 text, invalid bytes read as U+FFFD", input[at]),
            TextRange::new(at as u32, at as u32 + 1),
        );
    }
    p.run();
    p.finish()
}

fn too_large(input: &[u8]) -> Parsed {
    let range = TextRange::new(0, input.len().min(u32::MAX as usize) as u32);
    let tree = SyntaxTree {
        source: Source::Bytes(input.to_vec()),
        tokens: if input.is_empty() { vec![] } else { vec![Token { kind: TokenKind::Unparsed, range }] },
        line_starts: vec![0],
        line_ascii: vec![false],
        directives: vec![],
        comments: vec![],
        instructions: vec![],
        triggers: vec![],
        args: vec![],
        segments: vec![],
        escape: b'\\',
    };
    let message = format!(
        "the Dockerfile is too large: {} bytes (the limit is {} bytes)",
        input.len(),
        MAX_DOCKERFILE_BYTES
    );
    let d = Diagnostic::error(&tree, DiagnosticKind::Limit, message, TextRange::empty(0));
    Parsed { tree, diagnostics: vec![d] }
}

#[inline]
fn find_newline(b: &[u8], from: usize) -> Option<usize> {
    // Eight bytes at a time: a zero byte in (w ^ 0x0a0a...) marks a newline.
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut i = from;
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let x = u64::from_le_bytes(w) ^ NL;
        if (x.wrapping_sub(LO) & !x & HI) != 0 {
            break;
        }
        i += 8;
    }
    b[i..].iter().position(|&c| c == b'\n').map(|p| p + i)
}

impl<'a> Parser<'a> {
    fn diag(&mut self, kind: DiagnosticKind, severity: Severity, message: String, range: TextRange) {
        self.diags.push(PendingDiag { kind, severity, message, range });
    }

    fn error(&mut self, kind: DiagnosticKind, message: String, range: TextRange) {
        self.diag(kind, Severity::Error, message, range);
    }

    fn token(&mut self, kind: TokenKind, start: usize, end: usize) {
        if end > start {
            self.tokens.push(Token { kind, range: TextRange::new(start as u32, end as u32) });
        }
    }

    fn next_line(&mut self) -> Option<Line> {
        if self.pos >= self.src.len() {
            return None;
        }
        let start = self.pos;
        let (content_max, end) = match find_newline(self.src, start) {
            Some(nl) => (nl, nl + 1),
            None => (self.src.len(), self.src.len()),
        };
        let mut content_end = content_max;
        while content_end > start && matches!(self.src[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        self.pos = end;
        self.line_no += 1;
        self.line_starts.push(start as u32);
        self.line_ascii.push(self.src[start..end].is_ascii());
        if content_max - start > MAX_LINE_BYTES {
            self.error(
                DiagnosticKind::Limit,
                format!("dockerfile line greater than max allowed size of {MAX_LINE_BYTES}"),
                TextRange::new(start as u32, content_end as u32),
            );
        }
        Some(Line { start, content_end, end })
    }

    fn newline(&mut self, line: Line) {
        self.token(TokenKind::Newline, line.content_end, line.end);
    }

    fn run(&mut self) {
        let mut first = true;
        while let Some(line) = self.next_line() {
            let mut s = line.start;
            if first && self.src[s..line.content_end].starts_with(BOM) {
                self.token(TokenKind::Bom, s, s + 3);
                s += 3;
            }
            first = false;
            let t = trim_start(self.src, s, line.content_end);
            self.token(TokenKind::Whitespace, s, t);
            let is_comment = t < line.content_end && self.src[t] == b'#';
            if !self.directives_done && self.directive(t, line) {
                self.newline(line);
                continue;
            }
            if is_comment {
                self.token(TokenKind::Comment, t, line.content_end);
                // BuildKit's comment text: the raw line after its first byte, trimmed.
                let text_start = (s + 1).min(line.end);
                let blank = trim_start(self.src, text_start, line.end) == line.end;
                self.comments.push(Comment {
                    range: TextRange::new(t as u32, line.content_end as u32),
                    line: self.line_no,
                    in_continuation: false,
                });
                if blank {
                    self.pending_comments = self.comments.len() as u32;
                }
                self.newline(line);
                continue;
            }
            if t == line.content_end {
                self.newline(line);
                continue;
            }
            self.instruction(line, t);
        }
        if self.instructions.is_empty() {
            if self.src.is_empty() {
                self.error(DiagnosticKind::NoInstructions, "the Dockerfile cannot be empty".into(), TextRange::empty(0));
            } else {
                let last = self.line_starts.last().copied().unwrap_or(0);
                self.error(DiagnosticKind::NoInstructions, "file with no instructions".into(), TextRange::empty(last));
            }
        }
    }

    /// BuildKit's `DirectiveParser.ParseLine` on a (left-trimmed) line. Returns true when
    /// the line is a directive (then its tokens are pushed).
    fn directive(&mut self, t: usize, line: Line) -> bool {
        let b = self.src;
        let end = line.content_end;
        if t >= end || b[t] != b'#' {
            self.directives_done = true;
            return false;
        }
        let n0 = trim_start(b, t + 1, end);
        let mut i = n0;
        if i < end && b[i].is_ascii_alphabetic() {
            i += 1;
            while i < end && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
        } else {
            self.directives_done = true;
            return false;
        }
        let name_end = i;
        let re_s = |c: u8| matches!(c, b'\t' | b'\n' | 0x0C | b'\r' | b' ');
        while i < end && re_s(b[i]) {
            i += 1;
        }
        if i >= end || b[i] != b'=' {
            self.directives_done = true;
            return false;
        }
        i += 1;
        let after_eq = i;
        while i < end && re_s(b[i]) {
            i += 1;
        }
        // `\s*(.+?)\s*$`: the value is at least one character; when only blanks follow
        // `=`, the greedy `\s*` gives back the last one.
        let (v0, v1) = if i < end {
            let mut v1 = end;
            while v1 > i && re_s(b[v1 - 1]) {
                v1 -= 1;
            }
            (i, v1)
        } else if after_eq < end {
            (end - 1, end)
        } else {
            self.directives_done = true;
            return false;
        };
        let kind = match b[n0..name_end].to_ascii_lowercase().as_slice() {
            b"syntax" => DirectiveKind::Syntax,
            b"escape" => DirectiveKind::Escape,
            b"check" => DirectiveKind::Check,
            _ => {
                self.directives_done = true;
                return false;
            }
        };
        let range = TextRange::new(t as u32, end as u32);
        self.token(TokenKind::Directive, t, end);
        let slot = kind as usize;
        if self.seen[slot] {
            self.error(
                DiagnosticKind::Directive,
                format!("only one {} parser directive can be used", kind.name()),
                range,
            );
            return true;
        }
        self.seen[slot] = true;
        if kind == DirectiveKind::Escape {
            let v = &b[v0..v1];
            if v == b"`" || v == b"\\" {
                self.escape = v[0];
            } else {
                let shown = go_lossy(v);
                self.error(
                    DiagnosticKind::Directive,
                    format!("invalid escape token '{shown}' does not match ` or \\"),
                    TextRange::new(v0 as u32, v1 as u32),
                );
                return true;
            }
        }
        self.directives.push(Directive {
            kind,
            range,
            name: TextRange::new(n0 as u32, name_end as u32),
            value: TextRange::new(v0 as u32, v1 as u32),
            line: self.line_no,
        });
        true
    }

    /// BuildKit's continuation test on `a..b` (a line without its terminator): when it
    /// ends with the escape character (and blanks), not preceded by another escape
    /// character, returns where the escape character is.
    fn continuation(&self, a: usize, b: usize) -> Option<usize> {
        let s = self.src;
        let mut e = b;
        while e > a && matches!(s[e - 1], b' ' | b'\t') {
            e -= 1;
        }
        if e > a && s[e - 1] == self.escape && (e - 1 == a || s[e - 2] != self.escape) {
            Some(e - 1)
        } else {
            None
        }
    }

    fn instruction(&mut self, first: Line, t: usize) {
        let start_line = self.line_no;
        let prev_comments = (self.pending_comments, self.comments.len() as u32);
        self.segs.clear();
        let seg_start = self.segments.len() as u32;

        let mut cont = self.continuation(t, first.content_end);
        let first_end = cont.unwrap_or(first.content_end);
        self.token(TokenKind::Text, t, first_end);
        self.token(TokenKind::LineContinuation, first_end, first.content_end);
        self.newline(first);
        self.segs.push(Seg { logical: 0, source: t });
        self.segments.push(TextRange::new(t as u32, first_end as u32));
        let mut logical_len = first_end - t;
        let mut last_end = first.content_end;
        let mut empty_lines = Vec::new();

        while cont.is_some() {
            let Some(line) = self.next_line() else { break };
            last_end = line.content_end;
            let t2 = trim_start(self.src, line.start, line.content_end);
            if t2 < line.content_end && self.src[t2] == b'#' {
                self.token(TokenKind::Whitespace, line.start, t2);
                self.token(TokenKind::Comment, t2, line.content_end);
                self.comments.push(Comment {
                    range: TextRange::new(t2 as u32, line.content_end as u32),
                    line: self.line_no,
                    in_continuation: true,
                });
                self.newline(line);
                continue;
            }
            if t2 == line.content_end {
                self.token(TokenKind::Whitespace, line.start, line.content_end);
                self.newline(line);
                empty_lines.push(self.line_no);
                continue;
            }
            cont = self.continuation(line.start, line.content_end);
            let seg_end = cont.unwrap_or(line.content_end);
            self.token(TokenKind::Text, line.start, seg_end);
            self.token(TokenKind::LineContinuation, seg_end, line.content_end);
            self.newline(line);
            if seg_end > line.start {
                self.segs.push(Seg { logical: logical_len, source: line.start });
                self.segments.push(TextRange::new(line.start as u32, seg_end as u32));
                logical_len += seg_end - line.start;
            }
        }
        let seg_range = (seg_start, self.segments.len() as u32);

        // The logical line: borrowed when it is one piece, else joined in a buffer.
        let mut buf = std::mem::take(&mut self.buf);
        let segs = std::mem::take(&mut self.segs);
        let single = segs.len() == 1;
        if !single {
            buf.clear();
            for r in &self.segments[seg_range.0 as usize..seg_range.1 as usize] {
                buf.extend_from_slice(&self.src[r.to_usize()]);
            }
        }
        let line: &[u8] = if single { &self.src[t..first_end] } else { &buf };
        let mut node = {
            let mut b = Builder {
                src: self.src,
                line,
                segs: &segs,
                utf8: self.utf8,
                escape: self.escape,
                args: &mut self.args,
                triggers: &mut self.triggers,
                diags: &mut self.diags,
            };
            b.node(0, line.len(), 0)
        };
        node.start_line = start_line;
        node.prev_comments = prev_comments;
        node.segments = seg_range;
        node.empty_continuation_lines = empty_lines;

        // Heredocs: only RUN/COPY/ADD (directly or under ONBUILD) in shell form.
        let target = match node.form {
            Form::Onbuild { trigger: Some(i) } => self.triggers.get(i as usize),
            _ => Some(&node),
        };
        let can_heredoc = target.is_some_and(|n| {
            matches!(n.kind, Some(Keyword::Run | Keyword::Copy | Keyword::Add))
                && !matches!(n.form, Form::Json { .. } | Form::Invalid)
        });
        let mut markers = Vec::new();
        if can_heredoc && !node.error && line.windows(2).any(|w| w == b"<<") {
            let lossy;
            let text = match std::str::from_utf8(line) {
                Ok(s) => s,
                Err(_) => {
                    lossy = go_lossy(line);
                    &lossy
                }
            };
            let exact = text.len() == line.len();
            for w in heredoc::line_words(text).unwrap_or_default() {
                match heredoc::parse_marker(&w.text) {
                    Ok(Some(m)) => {
                        let marker = if exact {
                            map_range(&segs, single, t, w.start, w.end)
                        } else {
                            node.keyword.range
                        };
                        markers.push((m, marker));
                    }
                    Ok(None) => {}
                    Err(e) => {
                        node.error = true;
                        let r = node.keyword.range;
                        self.error(DiagnosticKind::Heredoc, e, r);
                        markers.clear();
                        break;
                    }
                }
            }
        }
        self.buf = buf;
        self.segs = segs;

        for (m, marker) in markers {
            let body_start = self.pos;
            let mut terminator = None;
            let mut body_end = self.src.len();
            while let Some(l) = self.next_line() {
                let mut c = l.start;
                if m.chomp {
                    while c < l.content_end && self.src[c] == b'\t' {
                        c += 1;
                    }
                }
                if &self.src[c..l.content_end] == m.name.as_bytes() {
                    terminator = Some(TextRange::new(l.start as u32, l.content_end as u32));
                    body_end = l.start;
                    last_end = l.content_end;
                    self.token(TokenKind::HeredocBody, body_start, l.start);
                    self.token(TokenKind::HeredocEnd, l.start, l.content_end);
                    self.newline(l);
                    break;
                }
            }
            if terminator.is_none() {
                self.token(TokenKind::HeredocBody, body_start, self.src.len());
                last_end = self.src.len();
                node.error = true;
                let r = TextRange::new(node.keyword.range.start, self.src.len() as u32);
                self.error(DiagnosticKind::Heredoc, "unterminated heredoc".into(), r);
            }
            node.heredocs.push(Heredoc {
                marker,
                name: m.name.into_boxed_str(),
                fd: m.fd,
                chomp: m.chomp,
                expand: m.expand,
                body: TextRange::new(body_start as u32, body_end as u32),
                terminator,
            });
        }

        node.end_line = self.line_no;
        node.range = TextRange::new(node.keyword.range.start.min(t as u32), last_end as u32);
        if let Form::Onbuild { trigger: Some(i) } = node.form {
            if let Some(tr) = self.triggers.get_mut(i as usize) {
                tr.start_line = node.start_line;
                tr.end_line = node.end_line;
                tr.range.end = node.range.end;
                tr.segments = seg_range;
            }
        }
        self.instructions.push(node);
        self.pending_comments = self.comments.len() as u32;
    }

    fn finish(self) -> Parsed {
        let source = if self.utf8 {
            Source::Utf8(String::from_utf8(self.src.to_vec()).unwrap_or_default())
        } else {
            Source::Bytes(self.src.to_vec())
        };
        let mut line_starts = self.line_starts;
        let mut line_ascii = self.line_ascii;
        if line_starts.is_empty() {
            line_starts.push(0);
            line_ascii.push(true);
        }
        let tree = SyntaxTree {
            source,
            tokens: self.tokens,
            line_starts,
            line_ascii,
            directives: self.directives,
            comments: self.comments,
            instructions: self.instructions,
            triggers: self.triggers,
            args: self.args,
            segments: self.segments,
            escape: self.escape,
        };
        let mut diagnostics: Vec<Diagnostic> = self
            .diags
            .into_iter()
            .map(|d| Diagnostic::new(&tree, d.kind, d.severity, d.message, d.range))
            .collect();
        diagnostics.sort_by_key(|d| (d.range.start, d.severity));
        Parsed { tree, diagnostics }
    }
}

/// Maps a logical range to the input (see [`Builder::range`]).
fn map_range(segs: &[Seg], single: bool, base: usize, a: usize, b: usize) -> TextRange {
    if single {
        return TextRange::new((base + a) as u32, (base + b) as u32);
    }
    let at = |off: usize| {
        let i = segs.partition_point(|s| s.logical <= off).max(1) - 1;
        segs[i].source + (off - segs[i].logical)
    };
    let start = at(a);
    let end = if b > a { at(b - 1) + 1 } else { start };
    TextRange::new(start as u32, end as u32)
}

/// Builds one instruction from a logical line (BuildKit's `newNodeFromLine` and the
/// per-instruction line parsers). Offsets are into `line`; `segs` maps them to the input.
struct Builder<'s> {
    src: &'s [u8],
    line: &'s [u8],
    segs: &'s [Seg],
    utf8: bool,
    escape: u8,
    args: &'s mut Vec<Arg>,
    triggers: &'s mut Vec<Instruction>,
    diags: &'s mut Vec<PendingDiag>,
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
        if self.segs.len() == 1 {
            0
        } else {
            self.segs.partition_point(|s| s.logical <= off).max(1) - 1
        }
    }

    #[inline]
    fn at(&self, off: usize) -> usize {
        let s = self.segs[self.seg_index(off)];
        s.source + (off - s.logical)
    }

    /// The input range of the logical range `a..b`.
    #[inline]
    fn range(&self, a: usize, b: usize) -> TextRange {
        let start = self.at(a);
        let end = if b > a { self.at(b - 1) + 1 } else { start };
        TextRange::new(start as u32, end as u32)
    }

    /// An argument whose value is the logical text `a..b`.
    fn arg(&self, a: usize, b: usize) -> Arg {
        let range = self.range(a, b);
        let contiguous = b <= a || self.seg_index(a) == self.seg_index(b - 1);
        if self.utf8
            && contiguous
            && is_char_boundary(self.src, range.start as usize)
            && is_char_boundary(self.src, range.end as usize)
        {
            Arg { range, value: None }
        } else {
            Arg { range, value: Some(go_lossy(&self.line[a..b]).into_boxed_str()) }
        }
    }

    fn arg_value(&self, a: usize, b: usize, value: String) -> Arg {
        Arg { range: self.range(a, b), value: Some(value.into_boxed_str()) }
    }

    fn error(&mut self, kind: DiagnosticKind, message: String, range: TextRange) {
        self.diags.push(PendingDiag { kind, severity: Severity::Error, message, range });
    }

    /// BuildKit's `newNodeFromLine` on `line[lo..hi]`.
    fn node(&mut self, lo: usize, hi: usize, depth: u32) -> Instruction {
        let l = self.line;
        let t0 = trim_start(l, lo, hi);
        let t1 = trim_end(l, t0, hi);
        let mut k1 = t0;
        while k1 < t1 && !is_re_ws(l[k1]) {
            k1 += 1;
        }
        let keyword = self.arg(t0, k1);
        let kind = Keyword::lookup(&l[t0..k1]);
        let mut flags = Vec::new();
        let (a0, a1) = if k1 < t1 {
            let mut r0 = k1;
            while r0 < t1 && is_re_ws(l[r0]) {
                r0 += 1;
            }
            let rest = self.flags(r0, t1, &mut flags);
            let a0 = trim_start(l, rest, t1);
            (a0, trim_end(l, a0, t1))
        } else {
            (t1, t1)
        };
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
            flags,
            form,
            args: (args_start, self.args.len() as u32),
            heredocs: Vec::new(),
            prev_comments: (0, 0),
            segments: (0, 0),
            empty_continuation_lines: Vec::new(),
            error,
        }
    }

    /// BuildKit's `extractBuilderFlags` on `line[lo..hi]`: byte by byte, words starting
    /// with `--`, quotes and escapes removed (each byte becomes one character, as Go's
    /// `WriteRune(rune(byte))` does). Returns where the arguments start.
    fn flags(&mut self, lo: usize, hi: usize, out: &mut Vec<Flag>) -> usize {
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
                phase = Phase::Word;
                start = pos;
            }
            if pos == hi {
                if word != "--" && (blank_ok || !word.is_empty()) {
                    out.push(self.flag(start, hi, &word, modified));
                }
                return hi;
            }
            if phase == Phase::Word {
                if is_byte_space(ch) {
                    if word == "--" {
                        return pos;
                    }
                    if blank_ok || !word.is_empty() {
                        out.push(self.flag(start, pos, &word, modified));
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

    fn flag(&self, a: usize, b: usize, word: &str, modified: bool) -> Flag {
        let l = self.line;
        let eq = l[a..b].iter().position(|&c| c == b'=').map(|p| a + p);
        let name_end = eq.unwrap_or(b);
        let word = if modified { self.arg_value(a, b, word.to_owned()) } else { self.arg(a, b) };
        Flag {
            range: self.range(a, b),
            name_range: self.range((a + 2).min(name_end), name_end),
            value_range: eq.map(|e| self.range(e + 1, b)),
            word,
        }
    }

    /// BuildKit's `parseWords`: words split on Unicode white space, quotes and escapes
    /// kept; each word is a slice of the line (a lone trailing escape is dropped).
    fn words(&self, lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let l = self.line;
        let esc = self.escape;
        let mut out = Vec::new();
        let mut phase = Phase::Spaces;
        let mut quote = 0u8;
        let mut blank_ok = false;
        let (mut ws, mut we) = (lo, lo);
        let mut pos = lo;
        let space = |pos: usize| {
            let n = space_len(l, pos);
            if pos + n <= hi {
                n
            } else {
                0
            }
        };
        let width = |pos: usize| utf8_width(l, pos).min(hi - pos).max(1);
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
                phase = Phase::Word;
                ws = pos;
                we = pos;
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
        let Some(&(w0, w1)) = words.first() else { return Form::Empty };
        let l = self.line;
        if !l[w0..w1].contains(&b'=') {
            let mut k = lo;
            while k < hi && !is_re_ws(l[k]) {
                k += 1;
            }
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
        for (a, b) in words {
            let Some(eq) = l[a..b].iter().position(|&c| c == b'=').map(|p| a + p) else {
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
        if words.is_empty() {
            return Form::Empty;
        }
        for (a, b) in words {
            let arg = self.arg(a, b);
            self.push(arg);
        }
        Form::Words
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
            while i < hi && !is_re_ws(l[i]) {
                i += 1;
            }
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
        match json::parse_array(&self.line[j..hi]) {
            JsonOutcome::Strings { items, end } => {
                for it in items {
                    let arg = match it.decoded {
                        Some(v) => self.arg_value(j + it.start, j + it.end, v),
                        None => self.arg(j + it.start, j + it.end),
                    };
                    self.push(arg);
                }
                Some(Form::Json { array: self.range(j, j + end) })
            }
            JsonOutcome::NotJson => None,
            JsonOutcome::NotStringArray => {
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
