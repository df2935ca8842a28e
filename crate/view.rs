//! Plain, serialisable views of engine values for the page (the stage graph today), built
//! natively so they are tested natively; `crate/wasm.rs` only ships them.
//!
//! Invariant: views copy and rename, they decide nothing: planning stays in `plan`.

use crate::plan::{Base, Plan, PlanStage, Source};
use serde::Serialize;

/// Where an edge of the stage graph starts: a stage, or an image outside the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EdgeFrom {
    Stage(usize),
    Image(String),
}

/// `FROM <stage or image>` or `COPY --from=<stage or image>` (also `RUN --mount=from=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    From,
    Copy,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GraphEdge {
    pub from: EdgeFrom,
    pub to: usize,
    pub kind: EdgeKind,
    /// 1-based Dockerfile line of the instruction that makes the edge.
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GraphStage {
    pub index: usize,
    /// The `AS` name as written, if any.
    pub name: Option<String>,
    /// `builder` or `stage-N`.
    pub label: String,
    /// The FROM operand (after ARG expansion).
    pub base: String,
    /// 1-based line of its FROM.
    pub line: usize,
    /// The target does not need it: BuildKit does not build it.
    pub pruned: bool,
    pub target: bool,
}

/// The stage graph the page draws.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StageGraph {
    pub stages: Vec<GraphStage>,
    pub edges: Vec<GraphEdge>,
}

/// The graph of a plan (`stages` are the planner's input, for names and lines).
pub fn stage_graph(plan: &Plan, stages: &[PlanStage]) -> StageGraph {
    let mut g = StageGraph::default();
    for (s, input) in plan.stages.iter().zip(stages) {
        g.stages.push(GraphStage {
            index: s.index,
            name: input.name.clone(),
            label: s.display_name.clone(),
            base: input.base.clone(),
            line: input.lines.0,
            pruned: !s.needed,
            target: s.index == plan.target,
        });
        let from = match &s.base {
            Base::Scratch => EdgeFrom::Image("scratch".into()),
            Base::Image(i) => EdgeFrom::Image(i.clone()),
            Base::Stage(j) => EdgeFrom::Stage(*j),
        };
        g.edges.push(GraphEdge { from, to: s.index, kind: EdgeKind::From, line: input.lines.0 });
        for (sources, step) in s.sources.iter().zip(&input.steps) {
            for src in sources {
                let from = match src {
                    Source::Stage(j) => EdgeFrom::Stage(*j),
                    Source::Image(i) => EdgeFrom::Image(i.clone()),
                };
                let edge = GraphEdge { from, to: s.index, kind: EdgeKind::Copy, line: step.lines.0 };
                if !g.edges.contains(&edge) {
                    g.edges.push(edge);
                }
            }
        }
    }
    g
}

/// Byte offsets to 1-based (line, UTF-16 column), the editor's unit: the engine's spans
/// are bytes, CodeMirror counts UTF-16 code units. Built once per text; used only at
/// the JavaScript boundary (`crate/wasm.rs`).
#[derive(Clone, Debug)]
pub struct Utf16Index<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
}

impl<'a> Utf16Index<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        Utf16Index { text, line_starts }
    }

    /// The 1-based line and UTF-16 column of a byte offset (clamped to the text; an
    /// offset inside a character counts from that character's start).
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        (line as u32 + 1, col as u32 + 1)
    }
}

/// A stand-in base image of the builtin catalogue, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseInfo {
    /// The name to write after FROM (`diamol/base`).
    pub name: String,
    /// `docker.io/diamol/base:latest`.
    pub reference: String,
    /// What it stands in for (`alpine:3.9 + curl (diamol/base)`).
    pub stands_for: String,
    /// Size of the real image (bytes), and where that figure comes from.
    pub real_size: u64,
    pub size_note: String,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
}

/// The builtin catalogue of stand-in base images (`scratch` left out: it is no image).
pub fn base_catalogue() -> Vec<BaseInfo> {
    crate::bases::CATALOGUE
        .iter()
        .filter(|n| !crate::bases::is_scratch(n))
        .filter_map(|name| {
            let img = crate::bases::lookup(name).ok()?;
            Some(BaseInfo {
                name: name.to_string(),
                reference: img.reference.full(),
                stands_for: img.stands_for.clone(),
                real_size: img.real_size,
                size_note: img.size_note.clone(),
                cmd: img.config.cmd.clone(),
                entrypoint: img.config.entrypoint.clone(),
                working_dir: img.config.working_dir.clone(),
            })
        })
        .collect()
}

/// Checks a `-t` value as `docker build` does; the error is docker's message.
pub fn check_tag(tag: &str) -> Result<String, String> {
    crate::reference::Reference::parse(tag)
        .map(|r| r.full())
        .map_err(|e| format!("invalid argument \"{tag}\" for \"-t, --tag\" flag: {e}"))
}
