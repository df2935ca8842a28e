//! Stages as a graph, and the step labels BuildKit prints.
//!
//! Input: each stage's name, base (an image, `scratch`, or an earlier stage by
//! name) and, per instruction, whether it is a step (RUN, COPY, ADD, WORKDIR make
//! a vertex; ENV, LABEL, CMD, … only change metadata) and which stages it reads
//! (`COPY --from`, `RUN --mount=from=`). Output: which stages the target needs,
//! in an order that respects dependencies, and labels like `[builder 2/3]`:
//! steps numbered per stage, FROM an image is step 1 (`scratch` and a stage base
//! are not steps), unnamed stages are `stage-N`, and a single-stage build has no
//! stage name in its labels.
//!
//! Invariant: planning knows nothing of files, images or the cache.

/// What a stage starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// An image reference (after ARG expansion).
    Image(String),
    /// An earlier stage, by index.
    Stage(usize),
}

/// One instruction as the planner sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanStep {
    /// True for instructions that make a vertex (RUN, COPY, ADD, WORKDIR).
    pub is_vertex: bool,
    /// Stages or images this step reads: `COPY --from=X`, `RUN --mount=from=X`.
    pub from: Vec<String>,
    /// 1-based Dockerfile lines (for errors).
    pub lines: (usize, usize),
}

/// One stage as the planner sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanStage {
    /// The `AS name`, as written.
    pub name: Option<String>,
    /// The `FROM` image after ARG expansion.
    pub base: String,
    pub lines: (usize, usize),
    pub steps: Vec<PlanStep>,
    /// Extra vertices that run before `steps` (ONBUILD triggers of the base).
    pub triggers: usize,
}

/// What a `--from` names once resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Stage(usize),
    Image(String),
}

/// A planned stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Lower-cased name, if any.
    pub name: Option<String>,
    /// `builder`, or `stage-N` for an unnamed stage.
    pub display_name: String,
    pub base: Base,
    /// Per step: the resolved sources of its `from` list.
    pub sources: Vec<Vec<Source>>,
    /// Stages this one needs (base stage and `--from` stages).
    pub deps: Vec<usize>,
    /// `cmdTotal`: number of labelled steps (FROM an image counts as one).
    pub total: usize,
    /// Whether the target needs this stage.
    pub needed: bool,
}

/// The planned build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub stages: Vec<Stage>,
    /// Index of the target stage.
    pub target: usize,
    /// Needed stages, dependencies first (file order among independent ones).
    pub order: Vec<usize>,
    /// True when labels carry stage names (more than one stage in the file).
    pub named_labels: bool,
}

/// Planning errors, worded as BuildKit's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    #[error("target stage \"{0}\" could not be found")]
    UnknownTarget(String),
    #[error("circular dependency detected on stage: {name}")]
    Cycle { name: String, lines: (usize, usize) },
    #[error("invalid stage index {index}")]
    BadIndex { index: i64, lines: (usize, usize) },
    #[error("duplicate stage name {name:?}")]
    DuplicateName { name: String, lines: (usize, usize) },
    #[error("the Dockerfile has no FROM instruction")]
    NoStages,
}

impl PlanError {
    /// Dockerfile lines the error points at.
    pub fn lines(&self) -> Option<(usize, usize)> {
        match self {
            PlanError::Cycle { lines, .. } | PlanError::BadIndex { lines, .. } | PlanError::DuplicateName { lines, .. } => Some(*lines),
            _ => None,
        }
    }
}

/// Resolves a `--from` value: a stage name (any stage, case-insensitive), a stage
/// index, or otherwise an image reference.
fn resolve_from(stages: &[PlanStage], value: &str, lines: (usize, usize)) -> Result<Source, PlanError> {
    let lower = value.to_ascii_lowercase();
    if let Some(i) = stages.iter().position(|s| s.name.as_deref().map(str::to_ascii_lowercase).as_deref() == Some(lower.as_str())) {
        return Ok(Source::Stage(i));
    }
    if let Ok(n) = value.parse::<i64>() {
        if n < 0 || n as usize >= stages.len() {
            return Err(PlanError::BadIndex { index: n, lines });
        }
        return Ok(Source::Stage(n as usize));
    }
    Ok(Source::Image(value.to_string()))
}

/// Plans the build of `target` (the last stage when `None`).
pub fn plan(stages: &[PlanStage], target: Option<&str>) -> Result<Plan, PlanError> {
    if stages.is_empty() {
        return Err(PlanError::NoStages);
    }
    let mut out: Vec<Stage> = Vec::with_capacity(stages.len());
    for (i, s) in stages.iter().enumerate() {
        let name = s.name.as_ref().map(|n| n.to_ascii_lowercase());
        if let Some(n) = &name {
            if out.iter().any(|o| o.name.as_ref() == Some(n)) {
                return Err(PlanError::DuplicateName { name: n.clone(), lines: s.lines });
            }
        }
        let lower_base = s.base.to_ascii_lowercase();
        let base = if s.base == "scratch" {
            Base::Scratch
        } else if let Some(j) = out.iter().position(|o| o.name.as_deref() == Some(lower_base.as_str())) {
            Base::Stage(j)
        } else {
            Base::Image(s.base.clone())
        };
        let mut deps = Vec::new();
        if let Base::Stage(j) = base {
            deps.push(j);
        }
        let mut sources = Vec::with_capacity(s.steps.len());
        for st in &s.steps {
            let mut v = Vec::new();
            for f in &st.from {
                let src = resolve_from(stages, f, st.lines)?;
                if let Source::Stage(j) = src {
                    if j == i {
                        return Err(PlanError::Cycle { name: name.clone().unwrap_or_else(|| format!("stage-{i}")), lines: st.lines });
                    }
                    if !deps.contains(&j) {
                        deps.push(j);
                    }
                }
                v.push(src);
            }
            sources.push(v);
        }
        let vertex_steps = s.steps.iter().filter(|x| x.is_vertex).count();
        let total = vertex_steps + usize::from(matches!(base, Base::Image(_)));
        out.push(Stage {
            index: i,
            display_name: s.name.clone().unwrap_or_else(|| format!("stage-{i}")),
            name,
            base,
            sources,
            deps,
            total,
            needed: false,
        });
    }
    let target = match target {
        None => out.len() - 1,
        Some(t) => {
            let t = t.to_ascii_lowercase();
            out.iter().position(|s| s.name.as_deref() == Some(t.as_str())).ok_or(PlanError::UnknownTarget(t))?
        }
    };
    // depth-first from the target, detecting cycles
    let mut state = vec![0u8; out.len()]; // 0 new, 1 visiting, 2 done
    let mut order = Vec::new();
    fn visit(i: usize, out: &[Stage], src: &[PlanStage], state: &mut [u8], order: &mut Vec<usize>) -> Result<(), PlanError> {
        match state[i] {
            2 => return Ok(()),
            1 => return Err(PlanError::Cycle { name: out[i].display_name.clone(), lines: src[i].lines }),
            _ => {}
        }
        state[i] = 1;
        let mut deps = out[i].deps.clone();
        deps.sort_unstable();
        for d in deps {
            visit(d, out, src, state, order)?;
        }
        state[i] = 2;
        order.push(i);
        Ok(())
    }
    visit(target, &out, stages, &mut state, &mut order)?;
    for &i in &order {
        out[i].needed = true;
    }
    let named_labels = out.len() > 1;
    Ok(Plan { stages: out, target, order, named_labels })
}

impl Plan {
    /// The label of step `n` (1-based) of stage `i`: `[builder 2/3]` or `[2/3]`.
    pub fn label(&self, i: usize, n: usize) -> String {
        let s = &self.stages[i];
        if self.named_labels {
            format!("[{} {}/{}]", s.display_name, n, s.total)
        } else {
            format!("[{}/{}]", n, s.total)
        }
    }
}

#[cfg(test)]
mod tests;
