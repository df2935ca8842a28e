//! Views the page draws (`dfplay::view`): the stage graph of a plan.

use dfplay::plan::{plan, PlanStage, PlanStep};
use dfplay::view::{stage_graph, EdgeFrom, EdgeKind, GraphEdge};

fn step(vertex: bool, from: &[&str], line: usize) -> PlanStep {
    PlanStep { is_vertex: vertex, from: from.iter().map(|s| s.to_string()).collect(), lines: (line, line) }
}

fn stage(name: Option<&str>, base: &str, line: usize, steps: Vec<PlanStep>) -> PlanStage {
    PlanStage { name: name.map(str::to_string), base: base.into(), lines: (line, line), steps, triggers: 0 }
}

/// ../shared/examples/multi-stage, as the planner sees it.
fn multi_stage() -> Vec<PlanStage> {
    vec![
        stage(Some("build-stage"), "diamol/base", 1, vec![step(true, &[], 2)]),
        stage(Some("test-stage"), "diamol/base", 4, vec![step(true, &["build-stage"], 5), step(true, &[], 6)]),
        stage(None, "diamol/base", 8, vec![step(true, &["test-stage"], 9), step(false, &[], 10)]),
    ]
}

#[test]
fn the_multi_stage_graph() {
    let stages = multi_stage();
    let g = stage_graph(&plan(&stages, None).unwrap(), &stages);
    let labels: Vec<&str> = g.stages.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["build-stage", "test-stage", "stage-2"]);
    assert_eq!(g.stages.iter().map(|s| s.line).collect::<Vec<_>>(), [1, 4, 8]);
    assert!(g.stages[2].target && !g.stages[0].target);
    assert!(g.stages.iter().all(|s| !s.pruned));
    let copies: Vec<&GraphEdge> = g.edges.iter().filter(|e| e.kind == EdgeKind::Copy).collect();
    assert_eq!(copies, [&GraphEdge { from: EdgeFrom::Stage(0), to: 1, kind: EdgeKind::Copy, line: 5 }, &GraphEdge { from: EdgeFrom::Stage(1), to: 2, kind: EdgeKind::Copy, line: 9 }]);
    let froms = g.edges.iter().filter(|e| e.kind == EdgeKind::From).count();
    assert_eq!(froms, 3);
    // As the page receives it: stage indices as numbers, images as strings.
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["edges"][0]["from"], "diamol/base");
    assert_eq!(json["edges"][2]["from"], 0);
    assert_eq!(json["edges"][2]["kind"], "copy");
}

#[test]
fn a_target_prunes_what_it_does_not_need() {
    let stages = multi_stage();
    let g = stage_graph(&plan(&stages, Some("build-stage")).unwrap(), &stages);
    assert_eq!(g.stages.iter().map(|s| (s.pruned, s.target)).collect::<Vec<_>>(), [(false, true), (true, false), (true, false)]);
}

#[test]
fn stage_bases_scratch_and_external_images() {
    let stages = vec![
        stage(Some("a"), "alpine", 1, vec![step(true, &[], 2)]),
        stage(Some("b"), "a", 3, vec![step(true, &["nginx:latest"], 4)]),
        stage(None, "scratch", 5, vec![step(true, &["b"], 6)]),
    ];
    let g = stage_graph(&plan(&stages, None).unwrap(), &stages);
    assert!(g.edges.contains(&GraphEdge { from: EdgeFrom::Stage(0), to: 1, kind: EdgeKind::From, line: 3 }));
    assert!(g.edges.contains(&GraphEdge { from: EdgeFrom::Image("nginx:latest".into()), to: 1, kind: EdgeKind::Copy, line: 4 }));
    assert!(g.edges.contains(&GraphEdge { from: EdgeFrom::Image("scratch".into()), to: 2, kind: EdgeKind::From, line: 5 }));
}

#[test]
fn byte_offsets_become_utf16_columns() {
    use dfplay::view::Utf16Index;
    // "é" is 2 bytes / 1 UTF-16 unit, "한" 3 bytes / 1 unit, "🐳" 4 bytes / 2 units.
    let text = "FROM a\nRUN echo é한🐳 x\n\nCMD";
    let ix = Utf16Index::new(text);
    assert_eq!(ix.position(0), (1, 1));
    assert_eq!(ix.position(6), (1, 7), "the newline ends line 1");
    assert_eq!(ix.position(7), (2, 1));
    let x = text.find(" x").unwrap() + 1;
    assert_eq!(ix.position(x), (2, 15), "RUN echo (9) + é한 (2) + 🐳 (2) + space (1) → column 15");
    assert_eq!(ix.position(text.find('한').unwrap() + 1), (2, 11), "inside a character: its start");
    assert_eq!(ix.position(text.len()), (4, 4));
    assert_eq!(ix.position(text.len() + 10), (4, 4), "clamped");
    assert_eq!(Utf16Index::new("").position(0), (1, 1));
}

#[test]
fn the_base_catalogue_the_page_lists() {
    let bases = dfplay::view::base_catalogue();
    let names: Vec<&str> = bases.iter().map(|b| b.name.as_str()).collect();
    for n in ["alpine", "diamol/base", "diamol/golang", "ubuntu"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(!names.contains(&"scratch"));
    let size = |n: &str| bases.iter().find(|b| b.name == n).unwrap().real_size;
    assert!(size("alpine") < size("diamol/golang"), "a Go toolchain image is larger than alpine");
    let base = bases.iter().find(|b| b.name == "diamol/base").unwrap();
    assert_eq!(base.reference, "docker.io/diamol/base:latest");
    assert!(!base.stands_for.is_empty());
}

#[test]
fn tags_are_checked_as_docker_build_checks_them() {
    use dfplay::view::check_tag;
    assert_eq!(check_tag("multi-stage").unwrap(), "docker.io/library/multi-stage:latest");
    assert_eq!(check_tag("go_helloworld:multi-stage").unwrap(), "docker.io/library/go_helloworld:multi-stage");
    let e = check_tag("My:Tag").unwrap_err();
    assert!(e.starts_with("invalid argument \"My:Tag\" for \"-t, --tag\" flag: "), "{e}");
    assert!(e.contains("lowercase") || e.contains("invalid reference format"), "{e}");
    assert!(check_tag("a b").is_err());
}
