//! The page's requests on a session (`dfplay::page`), natively: what the wasm bindings
//! hand to the browser is exactly what these functions return. Builds use the page's
//! own copies of the examples (`www/examples/`), as the page does.

use crate::util::root;
use dfplay::build::progress::Event;
use dfplay::context::Entry;
use dfplay::image::Store;
use dfplay::page::{self, BuildArg, BuildRequest, RunRequest};
use dfplay::session::Session;

fn example(name: &str) -> Vec<Entry> {
    let dir = root().join("www/examples").join(name);
    let mut out = Vec::new();
    fn walk(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<Entry>) {
        let mut list: Vec<_> = std::fs::read_dir(dir).expect("example folder").map(|e| e.expect("entry").path()).collect();
        list.sort();
        for p in list {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).expect("under base").to_string_lossy().into_owned();
                out.push(Entry::file(rel, std::fs::read(&p).expect("file")));
            }
        }
    }
    walk(&dir, &dir, &mut out);
    out
}

fn request(files: Vec<Entry>, tag: &str) -> BuildRequest {
    BuildRequest { files, dockerfile: "Dockerfile".into(), tags: vec![tag.into()].into_iter().filter(|t: &String| !t.is_empty()).collect(), ..Default::default() }
}

fn build(session: &mut Session, req: &BuildRequest) -> (page::BuildResult, Vec<Event>) {
    let mut events = Vec::new();
    let r = page::build(session, req, &|| 0.0, &mut |e| events.push(e.clone()), &|| false).expect("the request is valid");
    (r, events)
}

fn session() -> Session {
    Session::new(Store::memory())
}

#[test]
fn multi_stage_builds_streams_its_events_and_lists_its_image() {
    let mut s = session();
    let (r, events) = build(&mut s, &request(example("multi-stage"), "multi-stage"));
    assert!(r.ok, "{}", r.log);
    assert_eq!((r.completed, r.total), (9, 9));
    assert!(r.log.starts_with("[+] Building 0.0s (9/9) FINISHED\n"), "{}", r.log);
    let starts = events.iter().filter(|e| matches!(e, Event::Start { .. })).count();
    assert_eq!(starts, 9, "every vertex is streamed as it starts");
    let graph = r.graph.expect("a graph");
    assert_eq!(graph.stages.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["build-stage", "test-stage", "stage-2"]);
    assert_eq!(r.standin.as_deref().map(|s| s.contains("diamol/base")), Some(true), "the stand-in base is named: {:?}", r.standin);
    let rows = page::images(&s, &[], 0).expect("images");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].repo_tags, ["multi-stage:latest"]);
    assert_eq!(Some(rows[0].id.clone()), r.image_id);
    assert!(!rows[0].dangling);
}

#[test]
fn the_same_files_give_the_same_image_and_a_later_edit_a_new_one() {
    let req = request(example("multi-stage"), "");
    let (a, _) = build(&mut session(), &req);
    let (b, _) = build(&mut session(), &req);
    assert_eq!(a.image_id, b.image_id, "two sessions, same files and mtimes");
    let mut edited = req.clone();
    edited.files[0].mtime = 1_750_000_000;
    let (c, _) = build(&mut session(), &edited);
    assert_ne!(a.image_id, c.image_id, "the build's timestamp follows the newest mtime");
    let d = page::details(&{
        let mut s = session();
        build(&mut s, &edited);
        s
    }, c.image_id.as_deref().unwrap_or_default());
    assert_eq!(d.expect("details").created.as_deref(), Some("2025-06-15T15:06:40Z"));
}

#[test]
fn editing_index_html_keeps_the_builder_steps_cached() {
    let mut s = session();
    // go-exercise-to-be's layout: the builder reads only main.go, index.html comes last.
    let files = vec![
        Entry::file("Dockerfile", "FROM diamol/golang AS builder\nCOPY main.go .\nRUN go build -o /server\n\nFROM diamol/base\nWORKDIR web\nCOPY --from=builder /server .\nCOPY index.html .\n"),
        Entry::file("main.go", std::fs::read(root().join("www/examples/go-exercise-to-be/main.go")).expect("main.go")),
        Entry::file("index.html", "<h1>first</h1>\n"),
    ];
    let (first, _) = build(&mut s, &request(files.clone(), "ch04-lab"));
    assert!(first.ok, "{}", first.log);
    let mut files = files;
    let index = files.iter_mut().find(|e| e.path == "index.html").expect("index.html");
    index.data = b"<h1>edited</h1>\n".to_vec();
    index.mtime = 1_750_000_000;
    let (second, events) = build(&mut s, &request(files, "ch04-lab"));
    assert!(second.ok, "{}", second.log);
    let mut names = std::collections::HashMap::new();
    let mut cached = std::collections::HashSet::new();
    for e in &events {
        match e {
            Event::Start { v, name, .. } => {
                names.insert(*v, name.clone());
            }
            Event::Cached { v } => {
                cached.insert(*v);
            }
            _ => {}
        }
    }
    let builder: Vec<_> = names.iter().filter(|(_, n)| n.starts_with("[builder ") && !n.contains("FROM")).collect();
    assert!(!builder.is_empty());
    for (v, n) in builder {
        assert!(cached.contains(v), "{n} ran again");
    }
    let copy_index = names.iter().find(|(_, n)| n.contains("COPY index.html")).expect("COPY index.html");
    assert!(!cached.contains(copy_index.0), "COPY index.html must run again");
}

#[test]
fn a_failed_build_points_at_its_line_and_leaves_a_dangling_image() {
    let mut s = session();
    let files = vec![Entry::file("Dockerfile", "FROM diamol/base\nRUN echo one\nRUN exit 3\n")];
    let (r, _) = build(&mut s, &request(files, "broken"));
    assert!(!r.ok);
    let e = r.error.expect("an error");
    assert_eq!((e.line, e.end_line), (Some(3), Some(3)));
    assert!(e.message.contains("exit code: 3"), "{}", e.message);
    assert!(e.excerpt.expect("an excerpt").contains("RUN exit 3"));
    assert!(r.log.contains("ERROR: failed to solve"), "{}", r.log);
    let rows = page::images(&s, &[], 0).expect("images");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].dangling && rows[0].repo_tags.is_empty(), "{rows:?}");
    let dangling = page::images(&s, &[("dangling".into(), "true".into())], 0).expect("filter");
    assert_eq!(dangling.len(), 1);
}

#[test]
fn history_config_files_and_layer_changes() {
    let mut s = session();
    let (r, _) = build(&mut s, &request(example("multi-stage"), "multi-stage"));
    let d = page::details(&s, "multi-stage").expect("details");
    assert_eq!(Some(d.id.clone()), r.image_id);
    assert_eq!(d.config.cmd.as_deref(), Some(&["/bin/sh".to_string(), "-c".into(), "cat /build.txt".into()][..]));
    assert_eq!(d.source, "built");
    let last = d.history.iter().rev().find(|h| h.layer.is_some()).expect("a layer step");
    assert!(last.created_by.contains("COPY /build.txt /build.txt"), "{}", last.created_by);
    assert_eq!(last.size, "Building...\nTesting...\n".len() as u64);
    assert!(d.history.iter().any(|h| h.empty_layer && h.layer.is_none() && h.created_by.contains("CMD")));
    assert!(d.inspect.contains("\"RepoTags\": [\n            \"multi-stage:latest\""), "{}", d.inspect);

    let all = page::files(&s, "multi-stage", None).expect("files");
    assert!(all.iter().any(|f| f.path == "/build.txt" && f.kind == "file" && f.change.is_none()));
    assert!(all.iter().any(|f| f.path == "/bin" && f.kind == "dir"));
    let layer = last.layer.expect("index");
    let changes = page::files(&s, "multi-stage", Some(layer)).expect("layer files");
    assert_eq!(changes.iter().map(|f| (f.path.as_str(), f.change)).collect::<Vec<_>>(), [("/build.txt", Some("A"))]);
    let bytes = page::read_file(&s, "multi-stage", None, "/build.txt").expect("read");
    assert_eq!(bytes, b"Building...\nTesting...\n");
    // Before its last layer the file did not exist.
    assert!(page::read_file(&s, "multi-stage", Some(layer - 1), "/build.txt").is_err());
    assert_eq!(page::files(&s, "multi-stage", Some(99)).unwrap_err().kind, "invalid-argument");
    assert_eq!(page::details(&s, "nope").unwrap_err().kind, "no-such-image");
}

#[test]
fn a_layer_that_changes_a_file_shows_m() {
    let mut s = session();
    let files = vec![Entry::file("Dockerfile", "FROM diamol/base\nRUN echo x > /a && echo y > /b\nRUN echo more >> /a\n")];
    let (r, _) = build(&mut s, &request(files, "mod"));
    assert!(r.ok, "{}", r.log);
    let d = page::details(&s, "mod").expect("details");
    let last = d.history.iter().rev().find_map(|h| h.layer).expect("layer");
    let changes = page::files(&s, "mod", Some(last)).expect("changes");
    assert!(changes.iter().any(|f| f.path == "/a" && f.change == Some("M") && f.kind == "file" && f.size == 7), "{changes:?}");
    assert!(!changes.iter().any(|f| f.path == "/b"));
    assert_eq!(page::read_file(&s, "mod", Some(last - 1), "/a").expect("before"), b"x\n");
}

#[test]
fn tag_rmi_save_load_round_trip() {
    let mut s = session();
    build(&mut s, &request(example("multi-stage"), "multi-stage"));
    page::tag(&mut s, "multi-stage", "copy:v1").expect("tag");
    assert_eq!(page::images(&s, &[], 0).expect("images")[0].repo_tags, ["copy:v1", "multi-stage:latest"]);
    assert!(page::tag(&mut s, "nope", "x").is_err());
    assert_eq!(page::tag(&mut s, "multi-stage", "Bad:Tag").unwrap_err().kind, "bad-tag");
    let tar = page::save(&mut s, &["copy:v1".into()], false).expect("save");
    let oci = page::save(&mut s, &["copy:v1".into()], true).expect("oci");
    assert_ne!(tar, oci);
    assert_eq!(page::rmi(&mut s, &["copy:v1".into()], false).expect("rmi"), ["Untagged: copy:v1"]);

    // Load into a fresh session, then build FROM the loaded image.
    let mut other = session();
    let loaded = page::load(&mut other, &tar).expect("load");
    assert_eq!(loaded, ["Loaded image: copy:v1"]);
    let files = vec![Entry::file("Dockerfile", "FROM copy:v1\nRUN echo more >> /build.txt\n")];
    let (r, _) = build(&mut other, &request(files, "derived"));
    assert!(r.ok, "{}", r.log);
    assert_eq!(page::read_file(&other, "derived", None, "/build.txt").expect("file"), b"Building...\nTesting...\nmore\n");
    assert_eq!(page::load(&mut other, b"not a tar").unwrap_err().kind, "bad-archive");
}

#[test]
fn run_with_overrides_and_errors() {
    let mut s = session();
    let files = vec![Entry::file("Dockerfile", "FROM diamol/base\nENV WHO=world\nCMD echo \"hello $WHO\"\n")];
    build(&mut s, &request(files, "hello"));
    let r = page::run(&mut s, &RunRequest { image: "hello".into(), ..Default::default() });
    assert_eq!((r.output.as_str(), r.exit_code), ("hello world\n", 0));
    let r = page::run(&mut s, &RunRequest { image: "hello".into(), env: vec!["WHO=page".into()], ..Default::default() });
    assert_eq!(r.output, "hello page\n");
    let r = page::run(&mut s, &RunRequest { image: "hello".into(), command: Some(vec!["sh".into(), "-c".into(), "echo oops >&2; exit 4".into()]), ..Default::default() });
    assert_eq!((r.exit_code, r.chunks[0].stream, r.chunks[0].text.as_str()), (4, "stderr", "oops\n"));
    let r = page::run(&mut s, &RunRequest { image: "missing".into(), ..Default::default() });
    assert_eq!(r.exit_code, 125);
    assert!(r.output.starts_with("docker: Error response from daemon: Unable to find image 'missing'"), "{}", r.output);
}

#[test]
fn diagnostics_and_graph_while_typing() {
    let d = page::diagnostics("FROM diamol/base\nRUN echo ok\nFORM alpine\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].line, d[0].column, d[0].severity), (3, 1, "error"));
    assert!(d[0].message.contains("unknown instruction: FORM"), "{}", d[0].message);
    // Columns count UTF-16 units: a Korean label before the error does not shift it by bytes.
    let d = page::diagnostics("FROM alpine\nLABEL 설명=\"x\" \"bad\nFROM\n");
    assert!(d.iter().all(|x| x.line >= 2));
    assert!(page::diagnostics("FROM alpine\nRUN echo ok\n").is_empty());

    let text = String::from_utf8(std::fs::read(root().join("www/examples/multi-stage/Dockerfile")).expect("Dockerfile")).expect("utf-8");
    let g = page::graph(&text, "test-stage", &[]).expect("graph");
    assert_eq!(g.stages.iter().map(|s| (s.pruned, s.target)).collect::<Vec<_>>(), [(false, false), (false, true), (true, false)]);
    let e = page::graph(&text, "nope", &[]).unwrap_err();
    assert_eq!(e.message, "target stage \"nope\" could not be found");
    let g = page::graph("ARG BASE=alpine\nFROM $BASE\n", "", &[BuildArg { name: "BASE".into(), value: "ubuntu".into() }]).expect("graph");
    assert_eq!(g.stages[0].base, "ubuntu");
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let mut s = session();
    let mut req = request(vec![Entry::file("../x", "")], "");
    req.dockerfile = "Dockerfile".into();
    assert_eq!(page::build(&mut s, &req, &|| 0.0, &mut |_| {}, &|| false).unwrap_err().kind, "bad-context");
    let req = request(vec![Entry::file("Dockerfile", "FROM alpine\n")], "Not:Valid");
    assert_eq!(page::build(&mut s, &req, &|| 0.0, &mut |_| {}, &|| false).unwrap_err().kind, "bad-tag");
    let req = BuildRequest { files: vec![Entry::file("a", "")], dockerfile: "Dockerfile".into(), ..Default::default() };
    let e = page::build(&mut s, &req, &|| 0.0, &mut |_| {}, &|| false).unwrap_err();
    assert!(e.message.contains("no such file or directory"), "{e}");
}

#[test]
fn the_warm_up_build_succeeds_and_leaves_the_session_empty() {
    let s = session();
    assert!(page::warm(), "the warm-up build failed");
    assert!(page::images(&s, &[], 0).expect("images").is_empty(), "the warm-up leaked into a session");
}
