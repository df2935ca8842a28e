use super::*;

fn step(vertex: bool, from: &[&str]) -> PlanStep {
    PlanStep { is_vertex: vertex, from: from.iter().map(|s| s.to_string()).collect(), lines: (1, 1) }
}

fn stage(name: Option<&str>, base: &str, steps: Vec<PlanStep>) -> PlanStage {
    PlanStage { name: name.map(str::to_string), base: base.into(), lines: (1, 1), steps, triggers: 0 }
}

#[test]
fn multi_stage_labels() {
    // the book's multi-stage example
    let p = plan(
        &[
            stage(Some("build-stage"), "diamol/base", vec![step(true, &[])]),
            stage(Some("test-stage"), "diamol/base", vec![step(true, &["build-stage"]), step(true, &[])]),
            stage(None, "diamol/base", vec![step(true, &["test-stage"]), step(false, &[])]),
        ],
        None,
    )
    .unwrap();
    assert_eq!(p.label(0, 2), "[build-stage 2/2]");
    assert_eq!(p.label(1, 3), "[test-stage 3/3]");
    assert_eq!(p.label(2, 2), "[stage-2 2/2]");
    assert_eq!(p.order, [0, 1, 2]);
}

#[test]
fn pruning_targets_scratch_and_stage_bases() {
    let stages = [
        stage(None, "alpine", vec![step(true, &[])]),
        stage(Some("unused"), "busybox", vec![step(true, &[])]),
        stage(None, "scratch", vec![step(true, &["0"]), step(true, &[])]),
    ];
    let p = plan(&stages, None).unwrap();
    assert_eq!(p.order, [0, 2]);
    assert!(!p.stages[1].needed);
    assert_eq!(p.label(2, 1), "[stage-2 1/2]", "scratch is not a step");
    let p = plan(&stages, Some("UNUSED")).unwrap();
    assert_eq!(p.order, [1]);
    assert_eq!(plan(&stages, Some("nope")).unwrap_err().to_string(), "target stage \"nope\" could not be found");
    let p = plan(&[stage(Some("a"), "alpine", vec![step(true, &[])]), stage(Some("b"), "a", vec![step(true, &[])])], None).unwrap();
    assert_eq!(p.stages[1].base, Base::Stage(0));
    assert_eq!(p.label(1, 1), "[b 1/1]");
    let single = plan(&[stage(None, "alpine", vec![step(true, &[]), step(false, &[])])], None).unwrap();
    assert_eq!(single.label(0, 1), "[1/2]");
}

#[test]
fn errors() {
    let e = plan(&[stage(Some("a"), "alpine", vec![step(true, &["a"])])], None).unwrap_err();
    assert_eq!(e.to_string(), "circular dependency detected on stage: a");
    let e = plan(&[stage(Some("a"), "alpine", vec![step(true, &["b"])]), stage(Some("b"), "alpine", vec![step(true, &["a"])])], None).unwrap_err();
    assert!(e.to_string().starts_with("circular dependency detected on stage:"), "{e}");
    let e = plan(&[stage(None, "alpine", vec![step(true, &["7"])])], None).unwrap_err();
    assert_eq!(e.to_string(), "invalid stage index 7");
    let p = plan(&[stage(None, "alpine", vec![step(true, &["nginx:latest"])])], None).unwrap();
    assert_eq!(p.stages[0].sources[0], vec![Source::Image("nginx:latest".into())]);
}
