//! Word expansion as dash does it: tilde, parameters (all POSIX forms),
//! command substitution, arithmetic, then field splitting with IFS (dash's
//! `ifsbreakup` rules: IFS whitespace merges, other IFS characters delimit
//! empty fields, `"$@"` keeps its fields) and pathname expansion. Quoted text
//! is never split or globbed.

use super::ast::*;
use super::interp::{Ex, Flow, Shell};
use super::pattern::{PChar, Pattern};
use std::rc::Rc;

/// How a piece of expanded text behaves in splitting and globbing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Q {
    /// Unquoted literal text of the word: globbed, not split.
    Lit,
    /// Quoted: neither.
    Quoted,
    /// The result of an unquoted expansion: split and globbed.
    Split,
    /// The boundary between two parameters of `"$@"`: always a field boundary.
    QuotedBreak,
    /// The boundary between two parameters of an unquoted `$@`: acts as IFS
    /// whitespace.
    SplitBreak,
}

#[derive(Default, Debug)]
struct Pieces {
    v: Vec<(String, Q)>,
}

impl Pieces {
    fn push(&mut self, s: &str, q: Q) {
        match self.v.last_mut() {
            Some((t, lq)) if *lq == q && matches!(q, Q::Lit | Q::Split) && !s.is_empty() => t.push_str(s),
            _ => self.v.push((s.to_string(), q)),
        }
    }
    fn push_string(&mut self, s: String, q: Q) {
        match self.v.last_mut() {
            Some((t, lq)) if *lq == q && matches!(q, Q::Lit | Q::Split) && !s.is_empty() => t.push_str(&s),
            _ => self.v.push((s, q)),
        }
    }
    fn mark(&mut self, q: Q) {
        self.v.push((String::new(), q));
    }
    /// All text, as one string (no splitting); parameters of `$@` joined by `sep`.
    fn joined(&self, sep: Option<char>) -> String {
        let mut s = String::new();
        for (t, q) in &self.v {
            match q {
                Q::QuotedBreak | Q::SplitBreak => {
                    if let Some(c) = sep {
                        s.push(c)
                    }
                }
                _ => s.push_str(t),
            }
        }
        s
    }
}

/// The context a part is expanded in.
#[derive(Clone, Copy)]
struct Cx {
    /// Inside double quotes.
    quoted: bool,
    /// Literal text counts as expansion output (the word of an unquoted `${x-w}`).
    breakall: bool,
    /// Assignment: tildes after `:` too.
    assign: bool,
}

/// A field after splitting: its text, which parts were quoted (never pattern
/// characters) and whether an unquoted `*`, `?` or `[` makes it a pattern.
#[derive(Default, Debug)]
struct Field {
    text: String,
    /// Byte ranges of quoted text.
    quoted: Vec<(usize, usize)>,
    magic: bool,
    has_quote: bool,
}

impl Field {
    fn push_quoted(&mut self, s: &str) {
        self.has_quote = true;
        if s.is_empty() {
            return;
        }
        let a = self.text.len();
        self.text.push_str(s);
        match self.quoted.last_mut() {
            Some((_, e)) if *e == a => *e = self.text.len(),
            _ => self.quoted.push((a, self.text.len())),
        }
    }
    fn push_unquoted(&mut self, s: &str) {
        if !self.magic && s.contains(['*', '?', '[']) {
            self.magic = true;
        }
        self.text.push_str(s);
    }
    fn push_char(&mut self, c: char) {
        if matches!(c, '*' | '?' | '[') {
            self.magic = true;
        }
        self.text.push(c);
    }
    fn is_empty(&self) -> bool {
        self.text.is_empty() && !self.has_quote
    }
    /// The field as pattern characters.
    fn pchars(&self) -> Vec<PChar> {
        let mut v = Vec::with_capacity(self.text.len());
        let mut r = 0;
        for (i, c) in self.text.char_indices() {
            while r < self.quoted.len() && self.quoted[r].1 <= i {
                r += 1;
            }
            let lit = r < self.quoted.len() && self.quoted[r].0 <= i;
            v.push(PChar { c, lit });
        }
        v
    }
}

const DEFAULT_IFS: &str = " \t\n";

/// True for an unset IFS or the default one (the common case).
trait DefaultIfs {
    fn is_none_or_default(&self) -> bool;
}

impl DefaultIfs for Option<&str> {
    fn is_none_or_default(&self) -> bool {
        matches!(self, None | Some(" \t\n"))
    }
}

impl Shell<'_> {
    // ----- public entry points ----------------------------------------------------------

    /// Full expansion of a command's words: fields after splitting and globbing.
    pub(crate) fn expand_words(&mut self, words: &[Word]) -> Ex<Vec<String>> {
        let mut out = Vec::with_capacity(words.len());
        for w in words {
            self.expand_word_into(w, &mut out)?;
        }
        Ok(out)
    }

    pub(crate) fn expand_word_into(&mut self, w: &Word, out: &mut Vec<String>) -> Ex<()> {
        // fast path: plain text without pattern characters or a tilde
        if let Some(s) = w.as_plain() {
            if !s.starts_with('~') && !s.contains(['*', '?', '[']) {
                out.push(s.to_string());
                return Ok(());
            }
        }
        if let [Part::Param(pp)] = w.parts.as_slice() {
            if let (ParamName::Var(name), ParamOp::Plain) = (&pp.name, pp.op) {
                if let Some(v) = self.st.vars.get(name) {
                    let plain = !v.is_empty()
                        && !v.contains(['*', '?', '[', ' ', '\t', '\n'])
                        && self.st.vars.get("IFS").is_none_or_default();
                    if plain {
                        out.push(v.to_string());
                        return self.step(1);
                    }
                }
            }
        }
        let mut p = Pieces::default();
        self.expand_parts(&w.parts, Cx { quoted: false, breakall: false, assign: false }, true, &mut p)?;
        let fields = self.split(&p);
        let noglob = self.st.opts.noglob();
        for f in fields {
            if !noglob && f.magic {
                let matches = super::glob::glob(self.fs, &self.st.cwd, &f.pchars());
                if !matches.is_empty() {
                    self.step(matches.len() as u64)?;
                    out.extend(matches);
                    continue;
                }
            }
            out.push(f.text);
        }
        Ok(())
    }

    /// Expansion without splitting or globbing (assignments when `assign`,
    /// redirection targets, `case` words, here-documents).
    pub(crate) fn expand_string(&mut self, w: &Word, assign: bool) -> Ex<String> {
        if let Some(s) = w.as_plain() {
            if !s.contains('~') {
                return Ok(s.to_string());
            }
        }
        let mut p = Pieces::default();
        self.expand_parts(&w.parts, Cx { quoted: false, breakall: false, assign }, true, &mut p)?;
        Ok(self.join(&p))
    }

    /// A here-document body.
    pub(crate) fn expand_heredoc(&mut self, w: &Word) -> Ex<String> {
        let mut p = Pieces::default();
        self.expand_parts(&w.parts, Cx { quoted: true, breakall: false, assign: false }, false, &mut p)?;
        Ok(self.join(&p))
    }

    /// A pattern (`case`, `${x#…}`): quoted characters are literal.
    pub(crate) fn expand_pattern(&mut self, w: &Word) -> Ex<Pattern> {
        if let Some(s) = w.as_plain() {
            if !s.starts_with('~') {
                return Ok(Pattern::parse(s));
            }
        }
        let mut p = Pieces::default();
        self.expand_parts(&w.parts, Cx { quoted: false, breakall: false, assign: false }, true, &mut p)?;
        let mut chars = Vec::new();
        for (t, q) in &p.v {
            let lit = matches!(q, Q::Quoted);
            for c in t.chars() {
                chars.push(PChar { c, lit });
            }
            if matches!(q, Q::QuotedBreak | Q::SplitBreak) {
                chars.push(PChar { c: ' ', lit: true });
            }
        }
        Ok(Pattern::new(&chars))
    }

    // ----- parts ------------------------------------------------------------------------

    fn expand_parts(&mut self, parts: &[Part], cx: Cx, word_start: bool, out: &mut Pieces) -> Ex<()> {
        let n = parts.len();
        for (i, part) in parts.iter().enumerate() {
            match part {
                Part::Lit(s) => {
                    let q = if cx.quoted {
                        Q::Quoted
                    } else if cx.breakall {
                        Q::Split
                    } else {
                        Q::Lit
                    };
                    if !cx.quoted && (s.contains('~')) && (i == 0 && word_start || cx.assign) {
                        self.lit_with_tildes(s, i == 0 && word_start, i + 1 == n, cx.assign, q, out);
                    } else {
                        out.push(s, q);
                    }
                }
                Part::Quoted(s) => out.push(s, Q::Quoted),
                Part::Double(inner) => {
                    let before = out.v.len();
                    let mut at_empty = false;
                    for p in inner.iter() {
                        if let Part::Param(pp) = p {
                            if self.is_empty_at(pp) {
                                at_empty = true;
                            }
                        }
                    }
                    self.expand_parts(inner, Cx { quoted: true, breakall: false, assign: cx.assign }, false, out)?;
                    if out.v.len() == before && !at_empty {
                        out.mark(Q::Quoted);
                    }
                }
                Part::Param(p) => self.expand_param(p, cx, out)?,
                Part::Command(c) => {
                    let s = self.command_subst(c)?;
                    out.push_string(s, if cx.quoted { Q::Quoted } else { Q::Split });
                }
                Part::Arith(a) => {
                    let v = self.arith(a)?;
                    out.push_string(v.to_string(), if cx.quoted { Q::Quoted } else { Q::Split });
                }
            }
        }
        Ok(())
    }

    /// `"$@"` (or `"${@…}"` without an alternative) with no positional parameters.
    fn is_empty_at(&self, p: &Param) -> bool {
        p.name == ParamName::Special('@') && self.st.args.is_empty() && matches!(p.op, ParamOp::Plain)
    }

    /// Literal text with tilde prefixes: at the start of a word, and after
    /// each `:` in an assignment.
    fn lit_with_tildes(&mut self, s: &str, at_start: bool, last_part: bool, assign: bool, q: Q, out: &mut Pieces) {
        let mut rest = s;
        let mut can_tilde = at_start;
        loop {
            if can_tilde && rest.starts_with('~') {
                let body = &rest[1..];
                let end = body.find(|c: char| c == '/' || (assign && c == ':')).unwrap_or(body.len());
                let terminated = end < body.len() || last_part;
                if terminated {
                    let name = &body[..end];
                    if let Some(home) = self.tilde_home(name) {
                        out.push(&home, Q::Quoted);
                        rest = &body[end..];
                        can_tilde = false;
                        continue;
                    }
                }
            }
            if !assign {
                out.push(rest, q);
                return;
            }
            match rest.find(':') {
                Some(i) => {
                    out.push(&rest[..=i], q);
                    rest = &rest[i + 1..];
                    can_tilde = true;
                }
                None => {
                    out.push(rest, q);
                    return;
                }
            }
        }
    }

    fn tilde_home(&self, name: &str) -> Option<String> {
        if name.is_empty() {
            return self.st.vars.get("HOME").map(str::to_string);
        }
        let passwd = self.fs.read("/etc/passwd").ok()?;
        let text = String::from_utf8_lossy(&passwd);
        for line in text.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() >= 6 && f[0] == name {
                return Some(f[5].to_string());
            }
        }
        None
    }

    // ----- parameters ---------------------------------------------------------------------

    /// The value of a scalar parameter (None when unset).
    pub(crate) fn param_value(&self, name: &ParamName) -> Option<String> {
        match name {
            ParamName::Var(n) => self.st.vars.get(n).map(str::to_string),
            ParamName::Positional(i) => self.st.args.get(i.wrapping_sub(1)).cloned(),
            ParamName::Special(c) => match c {
                '?' => Some(self.st.status.to_string()),
                '#' => Some(self.st.args.len().to_string()),
                '$' => Some(self.st.pid.to_string()),
                '!' => self.st.last_bg.map(|p| p.to_string()),
                '-' => Some(self.st.opts.flags_string()),
                '0' => Some(self.st.arg0.clone()),
                '@' | '*' => Some(self.star_joined()),
                _ => None,
            },
        }
    }

    /// The character `"$*"` joins parameters with: IFS's first (space when IFS is unset).
    fn ifs_sep(&self) -> Option<char> {
        match self.st.vars.get("IFS") {
            None => Some(' '),
            Some(ifs) => ifs.chars().next(),
        }
    }

    fn join(&self, p: &Pieces) -> String {
        p.joined(self.ifs_sep())
    }

    /// `"$*"`: the parameters joined by the first character of IFS.
    fn star_joined(&self) -> String {
        let sep = self.ifs_sep();
        let mut s = String::new();
        for (i, a) in self.st.args.iter().enumerate() {
            if i > 0 {
                if let Some(c) = sep {
                    s.push(c);
                }
            }
            s.push_str(a);
        }
        s
    }

    fn param_display(name: &ParamName) -> String {
        match name {
            ParamName::Var(n) => n.clone(),
            ParamName::Positional(i) => i.to_string(),
            ParamName::Special(c) => c.to_string(),
        }
    }

    fn expand_param(&mut self, p: &Param, cx: Cx, out: &mut Pieces) -> Ex<()> {
        self.step(1)?;
        let quoted = cx.quoted || p.quoted;
        if p.op == ParamOp::Bad {
            return Err(self.fatal("Bad substitution"));
        }
        let is_list = matches!(p.name, ParamName::Special('@') | ParamName::Special('*'));
        let value = self.param_value(&p.name);
        let set = if is_list { true } else { value.is_some() };
        let nonempty = if is_list { !self.st.args.is_empty() } else { value.as_deref().is_some_and(|v| !v.is_empty()) };
        let use_value = if p.colon { nonempty } else { set };
        let qk = if quoted { Q::Quoted } else { Q::Split };
        let word_cx = Cx { quoted, breakall: !quoted, assign: false };
        // the parameter's own value: `$@`/`$*` as a list, anything else as a string
        let push_value = |sh: &mut Self, out: &mut Pieces, value: Option<String>| {
            if is_list {
                sh.push_list(&p.name, quoted, out);
            } else {
                out.push_string(value.unwrap_or_default(), qk);
            }
        };
        match p.op {
            ParamOp::Plain => {
                if !set {
                    self.check_unset(&p.name)?;
                    return Ok(());
                }
                push_value(self, out, value);
            }
            ParamOp::Length => {
                if !set {
                    self.check_unset(&p.name)?;
                }
                let len = value.map(|v| v.len()).unwrap_or(0);
                out.push_string(len.to_string(), qk);
            }
            ParamOp::Default => {
                if use_value {
                    push_value(self, out, value);
                } else {
                    self.expand_parts(&p.word.parts, word_cx, true, out)?;
                }
            }
            ParamOp::Alternative => {
                if use_value {
                    self.expand_parts(&p.word.parts, word_cx, true, out)?;
                }
            }
            ParamOp::Assign => {
                if use_value {
                    push_value(self, out, value);
                } else {
                    let mut wp = Pieces::default();
                    self.expand_parts(&p.word.parts, Cx { quoted: true, breakall: false, assign: false }, true, &mut wp)?;
                    let v = self.join(&wp);
                    match &p.name {
                        ParamName::Var(n) => {
                            let n = n.clone();
                            self.set_var(&n, v.clone())?;
                        }
                        other => {
                            let d = Self::param_display(other);
                            return Err(self.fatal(&format!("{d}: bad variable name")));
                        }
                    }
                    out.push_string(v, qk);
                }
            }
            ParamOp::Error => {
                if use_value {
                    push_value(self, out, value);
                } else {
                    let mut wp = Pieces::default();
                    self.expand_parts(&p.word.parts, Cx { quoted: true, breakall: false, assign: false }, true, &mut wp)?;
                    let msg = self.join(&wp);
                    let d = Self::param_display(&p.name);
                    let msg = if !p.word.parts.is_empty() {
                        msg
                    } else if p.colon {
                        "parameter not set or null".to_string()
                    } else {
                        "parameter not set".to_string()
                    };
                    return Err(self.fatal(&format!("{d}: {msg}")));
                }
            }
            ParamOp::TrimSuffix | ParamOp::TrimLongSuffix | ParamOp::TrimPrefix | ParamOp::TrimLongPrefix => {
                if !set {
                    self.check_unset(&p.name)?;
                }
                let v = value.unwrap_or_default();
                let pat = self.expand_pattern(&p.word)?;
                let r = trim(&v, &pat, p.op);
                out.push_string(r, qk);
            }
            ParamOp::Bad => {}
        }
        Ok(())
    }

    fn check_unset(&mut self, name: &ParamName) -> Ex<()> {
        if self.st.opts.nounset() {
            let d = Self::param_display(name);
            return Err(self.fatal(&format!("{d}: parameter not set")));
        }
        Ok(())
    }

    /// `$@` / `$*`: each parameter its own field when quoted `"$@"`; otherwise
    /// parameters are separated so that splitting keeps them apart.
    fn push_list(&mut self, name: &ParamName, quoted: bool, out: &mut Pieces) {
        let at = *name == ParamName::Special('@');
        if quoted && !at {
            out.push_string(self.star_joined(), Q::Quoted);
            return;
        }
        let args = self.st.args.clone();
        for (i, a) in args.into_iter().enumerate() {
            if i > 0 {
                out.mark(if quoted { Q::QuotedBreak } else { Q::SplitBreak });
            }
            out.push_string(a, if quoted { Q::Quoted } else { Q::Split });
        }
    }

    // ----- splitting ---------------------------------------------------------------------

    fn split(&self, p: &Pieces) -> Vec<Field> {
        let ifs_owned;
        let ifs: &str = match self.st.vars.get("IFS") {
            None => DEFAULT_IFS,
            Some(s) => {
                ifs_owned = s.to_string();
                &ifs_owned
            }
        };
        let mut fields = Vec::new();
        let mut cur = Field::default();
        // dash's `ifsspc`: the last delimiter was IFS whitespace
        let mut ifsspc = false;
        // the current field has just started (nothing since the last delimiter)
        let mut at_start = true;
        for (text, q) in &p.v {
            match q {
                Q::Lit => {
                    if !text.is_empty() {
                        cur.push_unquoted(text);
                        at_start = false;
                        ifsspc = false;
                    }
                }
                Q::Quoted => {
                    cur.push_quoted(text);
                    at_start = false;
                    ifsspc = false;
                }
                Q::QuotedBreak => {
                    fields.push(std::mem::take(&mut cur));
                    at_start = true;
                    ifsspc = false;
                }
                Q::SplitBreak => {
                    // IFS whitespace
                    if ifsspc || at_start {
                        continue;
                    }
                    fields.push(std::mem::take(&mut cur));
                    at_start = true;
                    ifsspc = true;
                }
                Q::Split => {
                    if text.is_empty() {
                        continue;
                    }
                    if !text.contains(|c: char| ifs.contains(c)) {
                        cur.push_unquoted(text);
                        at_start = false;
                        ifsspc = false;
                        continue;
                    }
                    for c in text.chars() {
                        let isifs = ifs.contains(c);
                        let isdef = isifs && DEFAULT_IFS.contains(c);
                        if isifs {
                            if ifsspc {
                                // already delimited by whitespace
                                if isdef {
                                    continue;
                                }
                                // a non-whitespace delimiter after whitespace belongs to it
                                ifsspc = false;
                                continue;
                            }
                            if isdef && at_start {
                                // leading IFS whitespace
                                continue;
                            }
                            fields.push(std::mem::take(&mut cur));
                            at_start = true;
                            ifsspc = isdef;
                            continue;
                        }
                        ifsspc = false;
                        at_start = false;
                        cur.push_char(c);
                    }
                }
            }
        }
        if !cur.is_empty() {
            fields.push(cur);
        }
        fields
    }

    // ----- substitutions -------------------------------------------------------------------

    /// `$((…))`
    pub(crate) fn arith(&mut self, a: &Rc<ArithWord>) -> Ex<i64> {
        let expr = match a.cached.get() {
            Some(Some(e)) => e.clone(),
            Some(None) => {
                let text = self.expand_arith_text(&a.word)?;
                Rc::new(super::arith::Expr::lex(&text))
            }
            None => {
                let literal = a.word.parts.iter().all(|p| matches!(p, Part::Lit(_) | Part::Quoted(_)));
                if literal {
                    let text: String = a
                        .word
                        .parts
                        .iter()
                        .map(|p| match p {
                            Part::Lit(s) | Part::Quoted(s) => s.as_str(),
                            _ => "",
                        })
                        .collect();
                    let e = Rc::new(super::arith::Expr::lex(&text));
                    let _ = a.cached.set(Some(e.clone()));
                    e
                } else {
                    let _ = a.cached.set(None);
                    let text = self.expand_arith_text(&a.word)?;
                    Rc::new(super::arith::Expr::lex(&text))
                }
            }
        };
        let mut vars = ArithVars { sh: self, err: None };
        match expr.eval(&mut vars) {
            Ok(v) => Ok(v),
            Err(msg) => {
                if let Some(f) = vars.err.take() {
                    return Err(f);
                }
                Err(self.fatal(&msg))
            }
        }
    }

    fn expand_arith_text(&mut self, w: &Word) -> Ex<String> {
        let mut p = Pieces::default();
        self.expand_parts(&w.parts, Cx { quoted: true, breakall: false, assign: false }, false, &mut p)?;
        Ok(self.join(&p))
    }
}

/// `${x%pat}` and friends.
fn trim(v: &str, pat: &Pattern, op: ParamOp) -> String {
    let chars: Vec<char> = v.chars().collect();
    let n = chars.len();
    match op {
        ParamOp::TrimPrefix => {
            for i in 0..=n {
                if pat.matches_chars(&chars[..i]) {
                    return chars[i..].iter().collect();
                }
            }
        }
        ParamOp::TrimLongPrefix => {
            for i in (0..=n).rev() {
                if pat.matches_chars(&chars[..i]) {
                    return chars[i..].iter().collect();
                }
            }
        }
        ParamOp::TrimSuffix => {
            for i in (0..=n).rev() {
                if pat.matches_chars(&chars[i..]) {
                    return chars[..i].iter().collect();
                }
            }
        }
        ParamOp::TrimLongSuffix => {
            for i in 0..=n {
                if pat.matches_chars(&chars[i..]) {
                    return chars[..i].iter().collect();
                }
            }
        }
        _ => {}
    }
    v.to_string()
}

/// Variables as arithmetic sees them.
struct ArithVars<'s, 'a> {
    sh: &'s mut Shell<'a>,
    /// A shell error raised while assigning (a readonly variable).
    err: Option<Flow>,
}

impl super::arith::Vars for ArithVars<'_, '_> {
    fn get_int(&mut self, name: &str) -> Result<i64, String> {
        let v = self.sh.st.vars.get(name).unwrap_or("");
        super::arith::parse_int(v).ok_or_else(|| format!("Illegal number: {v}"))
    }
    fn set_int(&mut self, name: &str, value: i64) -> Result<(), String> {
        match self.sh.st.vars.set(name, value.to_string()) {
            Ok(()) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
