//! Typed Dockerfile instructions lowered from the syntax tree, with their flags validated.
//!
//! [`lower`] is BuildKit's `instructions.Parse`: every instruction of a [`SyntaxTree`]
//! becomes a typed [`Instruction`] (argument counts, flags and per-instruction rules checked
//! in BuildKit's order, errors in BuildKit's words), grouped into [`Stage`]s; the ARGs
//! before the first FROM are the meta ARGs.
//!
//! ```
//! use dfplay::{syntax, instructions::{lower, Command}};
//!
//! let parsed = syntax::parse(b"ARG V=1\nFROM alpine:$V AS base\nCOPY --chown=app a b /dst/\n");
//! let lowered = lower(&parsed.tree);
//! assert!(lowered.diagnostics.is_empty());
//! assert_eq!(lowered.meta_args.len(), 1);
//! let stage = &lowered.stages[0];
//! assert_eq!(stage.name.as_deref(), Some("base"));
//! assert_eq!(stage.base.text, "alpine:$V"); // raw: expansion is for the build
//! let Command::Copy(copy) = &stage.commands[0].command else { panic!() };
//! assert_eq!(copy.chown.as_ref().unwrap().text, "app");
//! assert_eq!(copy.sources.len(), 2);
//! assert_eq!(copy.dest.text, "/dst/");
//! ```
//!
//! Values stay raw (no variable expansion: that is `crate::words`, at build time). Unlike
//! BuildKit, lowering does not stop at the first error: every instruction is checked and
//! each error is a [`Diagnostic`] (an instruction that fails is left out of its stage).
//! A RUN `--mount` spec is parsed here when it holds no variable; its errors are kept on
//! the [`MountFlag`] because BuildKit reports them only when it builds that RUN.

mod flags;
mod goparse;
mod lower;
mod mount;
mod types;

pub use goparse::{parse_duration, suggest};
pub use mount::{parse_mount, Mount, MountType, Sharing};
pub use types::*;

use crate::syntax::{Diagnostic, DiagnosticKind, SyntaxTree, TextRange};
use serde::Serialize;

/// A build stage: a FROM and the instructions after it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    /// 0-based position among the stages (`COPY --from=0`).
    pub index: usize,
    /// The stage name, lower-cased (`FROM x AS Build` is `build`).
    pub name: Option<String>,
    /// The image or stage it starts from (raw).
    pub base: Word,
    /// `--platform` (raw).
    pub platform: Option<Word>,
    /// The FROM instruction.
    pub from: Instruction,
    /// The instructions after the FROM, in order.
    pub commands: Vec<Instruction>,
}

/// What [`lower`] returns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lowered {
    /// The escape character in effect.
    pub escape: char,
    /// The ARG instructions before the first FROM (each may declare several names).
    pub meta_args: Vec<Instruction>,
    /// The stages, in order.
    pub stages: Vec<Stage>,
    /// Errors, with BuildKit's messages (see [`Diagnostic::buildkit_message`]).
    pub diagnostics: Vec<Diagnostic>,
}

impl Lowered {
    /// The stage named `name` (case-insensitive, as BuildKit compares).
    pub fn stage(&self, name: &str) -> Option<&Stage> {
        let name = crate::syntax::go_lower(name);
        self.stages.iter().find(|s| s.name.as_deref() == Some(name.as_str()))
    }
}

/// Lowers one instruction of the tree on its own (no stage context); for ONBUILD
/// triggers, the page, and tests. Errors are diagnostics with BuildKit's prefix.
pub fn lower_instruction(tree: &SyntaxTree, ins: &crate::syntax::Instruction) -> Result<Instruction, Diagnostic> {
    lower::Lowerer::new(tree).instruction(ins).map_err(|e| lower::diagnostic(tree, ins, e))
}

/// Lowers the tree into meta ARGs and stages (BuildKit's `instructions.Parse`).
///
/// Instructions the parser already rejected (see `syntax::Parsed::diagnostics`) are
/// skipped without a second diagnostic.
pub fn lower(tree: &SyntaxTree) -> Lowered {
    let l = lower::Lowerer::new(tree);
    let mut out = Lowered {
        escape: tree.escape(),
        meta_args: Vec::new(),
        stages: Vec::new(),
        diagnostics: Vec::new(),
    };
    // After a FROM that fails, its instructions are checked but belong to no stage.
    let mut in_broken_stage = false;
    for ins in tree.instructions() {
        if ins.error {
            continue;
        }
        let typed = match l.instruction(ins) {
            Ok(t) => t,
            Err(e) => {
                if ins.kind == Some(crate::syntax::Keyword::From) {
                    in_broken_stage = true;
                }
                out.diagnostics.push(lower::diagnostic(tree, ins, e));
                continue;
            }
        };
        match typed.command {
            Command::From(ref from) => {
                in_broken_stage = false;
                out.stages.push(Stage {
                    index: out.stages.len(),
                    name: from.stage_name.clone(),
                    base: from.base.clone(),
                    platform: from.platform.clone(),
                    from: typed,
                    commands: Vec::new(),
                });
            }
            Command::Arg(_) if out.stages.is_empty() && !in_broken_stage => out.meta_args.push(typed),
            _ => {
                if in_broken_stage {
                    continue;
                }
                match out.stages.last_mut() {
                    Some(stage) => stage.commands.push(typed),
                    None => out.diagnostics.push(Diagnostic::error(
                        tree,
                        DiagnosticKind::NoStage,
                        "no build stage in current context",
                        ins.range,
                    )),
                }
            }
        }
    }
    let any_error = out.diagnostics.iter().any(Diagnostic::is_error) || tree.instructions().iter().any(|i| i.error);
    if out.stages.is_empty() && !tree.instructions().is_empty() && !any_error && !in_broken_stage {
        let end = tree.source().len() as u32;
        out.diagnostics.push(Diagnostic::error(
            tree,
            DiagnosticKind::NoStage,
            "dockerfile contains no stages to build",
            TextRange::empty(end),
        ));
    }
    out
}
