//! The syntax tree of a shell program, as the parser builds it and the
//! interpreter walks it. Words keep their quoting structure (which parts were
//! quoted decides field splitting, globbing and quote removal); command
//! substitutions are parsed when the word is, so a loop body is parsed once.
//!
//! Invariant: the tree is plain data; it knows nothing of variables, files or
//! execution. Shared parts (function bodies, substitutions) sit behind `Rc` so
//! cloning a tree or defining a function is cheap.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// A command, with the line it starts on for error messages (`/bin/sh: 3: …`).
#[derive(Debug, Clone)]
pub enum Cmd {
    Simple(Rc<Simple>),
    /// `a; b; c` (also newline-separated lists).
    Seq(Vec<Cmd>),
    /// `cmd &`
    Background(Box<Cmd>),
    /// `a && b`
    And(Box<Cmd>, Box<Cmd>),
    /// `a || b`
    Or(Box<Cmd>, Box<Cmd>),
    /// `! pipeline`
    Not(Box<Cmd>),
    /// `a | b | c` (two or more stages).
    Pipe(Vec<Cmd>),
    /// A compound command with redirections after it: `{ …; } > f`.
    Redirected(Box<Cmd>, Rc<[Redir]>, u32),
    /// `{ list; }`
    Group(Box<Cmd>),
    /// `( list )`
    Subshell(Box<Cmd>, u32),
    /// `if c; then a; elif …; else b; fi` (elif is a nested If in `otherwise`).
    If { cond: Box<Cmd>, then: Box<Cmd>, otherwise: Option<Box<Cmd>> },
    /// `while c; do b; done` (`until` when `until` is true).
    Loop { cond: Box<Cmd>, body: Box<Cmd>, until: bool },
    /// `for v in words; do body; done`; `words` is None for `for v; do …` (`"$@"`).
    For { var: String, words: Option<Vec<Word>>, body: Box<Cmd>, line: u32 },
    /// `case w in p1|p2) body;; esac`
    Case { word: Word, arms: Vec<CaseArm>, line: u32 },
    /// `name() body`
    FuncDef { name: String, body: Rc<Cmd>, line: u32 },
    /// An empty list (`{ :; }` never produces it, but `$( )` does).
    Empty,
}

#[derive(Debug, Clone)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: Option<Cmd>,
}

/// `a=1 b=2 cmd arg > file`
#[derive(Debug, Clone)]
pub struct Simple {
    pub line: u32,
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Debug, Clone)]
pub struct Assign {
    pub name: String,
    pub value: Word,
}

/// A redirection: `[fd]op target`.
#[derive(Debug, Clone)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    /// The file name, the fd number (`>&2`) or, for a here-document, nothing
    /// (the body is in `heredoc`).
    pub target: Word,
    pub heredoc: Option<Rc<HereDoc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>`
    Out,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupIn,
    /// `>&`
    DupOut,
    /// `<<` / `<<-`
    HereDoc,
}

/// A here-document body, filled in when the parser reaches the end of the line.
#[derive(Debug, Default)]
pub struct HereDoc {
    /// Quoted delimiter (`<<'EOF'`): the body is literal.
    pub quoted: bool,
    pub strip_tabs: bool,
    pub delimiter: String,
    pub body: RefCell<Word>,
}

/// A word: parts whose quoting is remembered.
#[derive(Debug, Clone, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

impl Word {
    pub fn literal(s: &str) -> Word {
        Word { parts: vec![Part::Lit(s.to_string())] }
    }
    /// The word's text when it has no expansions and no quotes.
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
    /// True when any part was quoted (`'…'`, `"…"`, `\x`).
    pub fn has_quotes(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Quoted(_) | Part::Double(_)))
    }
}

#[derive(Debug, Clone)]
pub enum Part {
    /// Unquoted text: glob characters are active.
    Lit(String),
    /// Quoted text (`'…'`, `\x`, literal text inside `"…"`).
    Quoted(String),
    /// `"…"`: its parts are expanded without field splitting or globbing.
    Double(Vec<Part>),
    /// `$x`, `${x…}`
    Param(Box<Param>),
    /// `$(…)` or `` `…` ``
    Command(Rc<Cmd>),
    /// `$((…))`: the text is expanded first, then evaluated.
    Arith(Rc<ArithWord>),
}

#[derive(Debug)]
pub struct ArithWord {
    pub word: Word,
    /// The parsed expression when the text has no expansions (parsed once).
    pub cached: OnceCell<Option<Rc<crate::shell::arith::Expr>>>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: ParamName,
    pub op: ParamOp,
    /// `:-` rather than `-` (test for empty as well as unset).
    pub colon: bool,
    pub word: Word,
    /// True when the expansion appears inside double quotes.
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamName {
    Var(String),
    Positional(usize),
    /// `@ * # ? - $ ! 0`
    Special(char),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    /// `${#x}`
    Length,
    /// `${x-w}`
    Default,
    /// `${x=w}`
    Assign,
    /// `${x?w}`
    Error,
    /// `${x+w}`
    Alternative,
    /// `${x%w}`
    TrimSuffix,
    /// `${x%%w}`
    TrimLongSuffix,
    /// `${x#w}`
    TrimPrefix,
    /// `${x##w}`
    TrimLongPrefix,
    /// Anything dash cannot parse: "Bad substitution" when expanded.
    Bad,
}
