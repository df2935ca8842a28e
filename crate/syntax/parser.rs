//! The parser's line level: physical lines to BuildKit's logical lines (BOM, directives,
//! comments, continuations, heredoc bodies), each handed to [`super::args`] to become an
//! instruction; the tokens other than the trivia between them (see [`super::trivia`]).
//!
//! Every step is a single forward pass over bytes: the time is linear in the input, and
//! nothing recurses on input shape except ONBUILD nesting, which is capped.

use super::diagnostic::{Diagnostic, DiagnosticKind, Severity};
use super::heredoc;
use super::args::Builder;
use super::scan::find_newline;
use super::text::{go_lossy, trim_start, TextRange};
use super::tree::*;
use super::Parsed;
use crate::limits::{MAX_DOCKERFILE_BYTES, MAX_LINE_BYTES};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) struct PendingDiag {
    pub kind: DiagnosticKind,
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
}

/// A physical line: `start..content_end` is the text, `content_end..end` its terminator.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
    ascii: bool,
}

/// One piece of a logical line: `len` bytes at `source` in the input, at `logical` in the line.
#[derive(Clone, Copy)]
pub(super) struct Seg {
    pub logical: usize,
    pub source: usize,
    pub len: usize,
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
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    instructions: Vec<Instruction>,
    triggers: Vec<Instruction>,
    args: Vec<Arg>,
    flags: Vec<Flag>,
    heredocs: Vec<Heredoc>,
    empty_lines: Vec<u32>,
    values: String,
    diags: Vec<PendingDiag>,
    buf: Vec<u8>,
    segs: Vec<Seg>,
    words: Vec<(usize, usize)>,
}

/// Buffers reused from one parse to the next (the engine parses on every keystroke).
#[derive(Default)]
struct Scratch {
    buf: Vec<u8>,
    segs: Vec<Seg>,
    words: Vec<(usize, usize)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Parses a Dockerfile. Never fails and never panics: problems are diagnostics.
pub fn parse(input: &[u8]) -> Parsed {
    if input.len() > MAX_DOCKERFILE_BYTES {
        return too_large(input);
    }
    // One validation and one copy: the tree owns its source.
    let (source, utf8_error) = match String::from_utf8(input.to_vec()) {
        Ok(s) => (Source::Utf8(s), None),
        Err(e) => {
            let err = e.utf8_error();
            (Source::Bytes(e.into_bytes()), Some(err))
        }
    };
    // Capacities from the size (about 32 bytes a line), so the big arenas rarely grow;
    // the rare ones start empty. The instruction arena, the largest, is reserved for one
    // instruction every 16 bytes: only the pages written are ever touched, and glibc's
    // allocator trims (then re-faults) its heap after every parse of a large input unless
    // the largest block freed is at least half of all that was freed.
    let lines = input.len() / 32 + 4;
    let mut p = Parser {
        src: input,
        utf8: utf8_error.is_none(),
        pos: 0,
        line_no: 0,
        escape: b'\\',
        directives_done: false,
        seen: [false; 3],
        pending_comments: 0,
        tokens: Vec::with_capacity(lines + lines / 2),
        directives: Vec::new(),
        comments: Vec::new(),
        instructions: Vec::with_capacity(lines * 2),
        triggers: Vec::new(),
        args: Vec::with_capacity(lines * 2),
        flags: Vec::with_capacity(lines / 4),
        heredocs: Vec::new(),
        empty_lines: Vec::new(),
        values: String::new(),
        diags: Vec::new(),
        buf: Vec::new(),
        segs: Vec::new(),
        words: Vec::new(),
    };
    let scratch = SCRATCH.with(|s| s.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default());
    (p.buf, p.segs, p.words) = (scratch.buf, scratch.segs, scratch.words);
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
    p.finish(source)
}

fn too_large(input: &[u8]) -> Parsed {
    let range = TextRange::new(0, input.len().min(u32::MAX as usize) as u32);
    let tree = SyntaxTree {
        source: Source::Bytes(input.to_vec()),
        tokens: if input.is_empty() { vec![] } else { vec![Token { kind: TokenKind::Unparsed, range }] },
        lines: Default::default(),
        directives: vec![],
        comments: vec![],
        instructions: vec![],
        triggers: vec![],
        args: vec![],
        flags: vec![],
        heredocs: vec![],
        empty_lines: vec![],
        values: String::new(),
        escape: b'\\',
    };
    let message = format!(
        "the Dockerfile is too large: {} bytes (the limit is {} bytes)",
        input.len(),
        MAX_DOCKERFILE_BYTES
    );
    // Line 1, column 1, without indexing the lines of a huge input.
    let d = Diagnostic {
        kind: DiagnosticKind::Limit,
        severity: Severity::Error,
        message,
        range: TextRange::empty(0),
        line: 1,
        col: 1,
        end_line: 1,
        end_col: 1,
        instruction_line: None,
    };
    Parsed { tree, diagnostics: vec![d] }
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
        let (nl, ascii) = find_newline(self.src, start);
        let (content_max, end) = match nl {
            Some(nl) => (nl, nl + 1),
            None => (self.src.len(), self.src.len()),
        };
        let mut content_end = content_max;
        while content_end > start && matches!(self.src[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        self.pos = end;
        self.line_no += 1;
        if content_max - start > MAX_LINE_BYTES {
            self.error(
                DiagnosticKind::Limit,
                format!("dockerfile line greater than max allowed size of {MAX_LINE_BYTES}"),
                TextRange::new(start as u32, content_end as u32),
            );
        }
        Some(Line { start, content_end, end, ascii })
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
            let is_comment = t < line.content_end && self.src[t] == b'#';
            if !self.directives_done && self.directive(t, line) {
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
                continue;
            }
            if t == line.content_end {
                continue;
            }
            self.instruction(line, t);
        }
        if self.instructions.is_empty() {
            if self.src.is_empty() {
                self.error(DiagnosticKind::NoInstructions, "the Dockerfile cannot be empty".into(), TextRange::empty(0));
            } else {
                let body = self.src.strip_suffix(b"\n").unwrap_or(self.src);
                let last = body.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1) as u32;
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
        let tok_start = self.tokens.len() as u32;

        let mut lines_ascii = first.ascii;
        let mut cont = self.continuation(t, first.content_end);
        let first_end = cont.unwrap_or(first.content_end);
        self.token(TokenKind::Text, t, first_end);
        self.token(TokenKind::LineContinuation, first_end, first.content_end);
        self.segs.push(Seg { logical: 0, source: t, len: first_end - t });
        let mut logical_len = first_end - t;
        let mut last_end = first.content_end;
        let empty_start = self.empty_lines.len() as u32;

        while cont.is_some() {
            let Some(line) = self.next_line() else { break };
            last_end = line.content_end;
            let t2 = trim_start(self.src, line.start, line.content_end);
            if t2 < line.content_end && self.src[t2] == b'#' {
                self.token(TokenKind::Comment, t2, line.content_end);
                self.comments.push(Comment {
                    range: TextRange::new(t2 as u32, line.content_end as u32),
                    line: self.line_no,
                    in_continuation: true,
                });
                continue;
            }
            if t2 == line.content_end {
                self.empty_lines.push(self.line_no);
                continue;
            }
            lines_ascii &= line.ascii;
            cont = self.continuation(line.start, line.content_end);
            let seg_end = cont.unwrap_or(line.content_end);
            self.token(TokenKind::Text, line.start, seg_end);
            self.token(TokenKind::LineContinuation, seg_end, line.content_end);
            if seg_end > line.start {
                self.segs.push(Seg { logical: logical_len, source: line.start, len: seg_end - line.start });
                logical_len += seg_end - line.start;
            }
        }

        // The logical line: borrowed when it is one piece, else joined in a buffer.
        let mut buf = std::mem::take(&mut self.buf);
        let segs = std::mem::take(&mut self.segs);
        let single = segs.len() == 1;
        if !single {
            buf.clear();
            for sg in &segs {
                buf.extend_from_slice(&self.src[sg.source..sg.source + sg.len]);
            }
        }
        let line: &[u8] = if single { &self.src[t..first_end] } else { &buf };
        let mut node = {
            let mut b = Builder {
                src: self.src,
                line,
                segs: &segs,
                single: single.then_some(t),
                ascii: lines_ascii && self.utf8,
                utf8: self.utf8,
                escape: self.escape,
                args: &mut self.args,
                flags: &mut self.flags,
                values: &mut self.values,
                words: &mut self.words,
                triggers: &mut self.triggers,
                diags: &mut self.diags,
            };
            b.node(0, line.len(), 0)
        };
        node.start_line = start_line;
        node.prev_comments = prev_comments;
        node.empty_lines = (empty_start, self.empty_lines.len() as u32);

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
        if can_heredoc && !node.error && line.contains(&b'<') && line.windows(2).any(|w| w == b"<<") {
            if let Some(found) = heredoc::fast_markers(line) {
                for (m, a, b) in found {
                    markers.push((m, map_range(&segs, single, t, a, b)));
                }
            } else {
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
        }
        self.buf = buf;
        self.segs = segs;

        let heredocs_start = self.heredocs.len() as u32;
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
            self.heredocs.push(Heredoc {
                marker,
                name: m.name.into_boxed_str(),
                fd: m.fd,
                chomp: m.chomp,
                expand: m.expand,
                body: TextRange::new(body_start as u32, body_end as u32),
                terminator,
            });
        }

        node.heredocs = (heredocs_start, self.heredocs.len() as u32);
        node.end_line = self.line_no;
        node.tokens = (tok_start, self.tokens.len() as u32);
        node.range = TextRange::new(node.keyword.range.start.min(t as u32), last_end as u32);
        if let Form::Onbuild { trigger: Some(i) } = node.form {
            if let Some(tr) = self.triggers.get_mut(i as usize) {
                tr.start_line = node.start_line;
                tr.end_line = node.end_line;
                tr.range.end = node.range.end;
                tr.tokens = (tok_start, self.tokens.len() as u32);
                tr.heredocs = node.heredocs;
            }
        }
        self.instructions.push(node);
        self.pending_comments = self.comments.len() as u32;
    }

    fn finish(mut self, source: Source) -> Parsed {
        // Keep the scratch buffers for the next parse, unless a huge input grew them.
        if self.buf.capacity() <= 1 << 16 && self.words.capacity() <= 1 << 12 && self.segs.capacity() <= 1 << 12 {
            let scratch = Scratch {
                buf: std::mem::take(&mut self.buf),
                segs: std::mem::take(&mut self.segs),
                words: std::mem::take(&mut self.words),
            };
            SCRATCH.with(|s| {
                if let Ok(mut s) = s.try_borrow_mut() {
                    *s = scratch;
                }
            });
        }
        let tree = SyntaxTree {
            source,
            tokens: self.tokens,
            lines: Default::default(),
            directives: self.directives,
            comments: self.comments,
            instructions: self.instructions,
            triggers: self.triggers,
            args: self.args,
            flags: self.flags,
            heredocs: self.heredocs,
            empty_lines: self.empty_lines,
            values: self.values,
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
