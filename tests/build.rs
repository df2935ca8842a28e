//! The build engine on hostile and edge-case input: every failure is a clear error
//! within the limits, and the store stays usable. Also the docker-CLI behaviour of
//! the `dfplay` binary on a real `$DFPLAY_HOME`.

use crate::examples::{build_ctx, step_lines, TestHost};
use dfplay::build::context::{BuildContext, ContextError};
use dfplay::build::{BuildOptions, Engine};
use std::process::Command;

fn ctx(dockerfile: &str, files: &[(&str, &str)]) -> BuildContext {
    let mut c = BuildContext::new("Dockerfile", dockerfile);
    for (p, d) in files {
        c.add_file(p, d.as_bytes().to_vec(), 0o644, 0).unwrap();
    }
    c
}

fn fail(dockerfile: &str, files: &[(&str, &str)]) -> String {
    match build_ctx(&mut Engine::new(), &ctx(dockerfile, files)).0 {
        Ok(_) => panic!("expected failure:\n{dockerfile}"),
        Err(f) => f.render(),
    }
}

#[test]
fn copy_of_a_missing_file() {
    let out = fail("FROM alpine\nCOPY missing.txt /x\n", &[("a", "a")]);
    assert!(out.contains("ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref context: \"/missing.txt\": not found"), "{out}");
    assert!(out.contains("   2 | >>> COPY missing.txt /x\n"), "{out}");
}

#[test]
fn a_stage_that_copies_from_itself() {
    let out = fail("FROM alpine AS a\nCOPY --from=a /x /x\n", &[]);
    assert!(out.contains("ERROR: failed to solve: circular dependency detected on stage: a"), "{out}");
    assert!(out.contains(">>> COPY --from=a /x /x"), "{out}");
}

#[test]
fn a_failing_run_leaves_a_dangling_image_of_the_last_good_step() {
    let r = build_ctx(&mut Engine::new(), &ctx("FROM alpine\nRUN echo one > /one\nRUN exit 3\n", &[])).0;
    let f = r.expect_err("fails");
    assert!(f.render().contains("ERROR: failed to solve: process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3"), "{}", f.render());
    let partial = f.partial.as_ref().expect("dangling image");
    assert!(partial.rootfs.stat("/one").is_ok(), "the last good step's files are in it");
}

#[test]
fn unknown_instruction_and_unknown_target() {
    let out = fail("FROM alpine\nFOO bar\n", &[]);
    assert!(out.contains("ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: FOO"), "{out}");
    let mut host = TestHost::default();
    let r = Engine::new().build(&ctx("FROM alpine\nRUN true\n", &[]), &BuildOptions { target: Some("nope".into()), ..Default::default() }, &mut host);
    assert_eq!(r.err().unwrap().message, "failed to solve: target stage \"nope\" could not be found");
}

#[test]
fn unknown_base_image_says_the_playground_is_offline() {
    let out = fail("FROM nosuchimage:1\nRUN true\n", &[]);
    assert!(out.contains("failed to resolve source metadata for docker.io/library/nosuchimage:1"), "{out}");
    assert!(out.contains("offline"), "{out}");
}

#[test]
fn a_gigabyte_written_by_run_hits_the_filesystem_limit() {
    let out = fail("FROM alpine\nRUN head -c 1073741824 /dev/zero > /big\n", &[]);
    assert!(out.contains("did not complete successfully"), "{out}");
    assert!(out.contains("No space left on device") || out.contains("limit"), "{out}");
}

#[test]
fn an_endless_loop_is_stopped_by_the_step_limit() {
    let out = fail("FROM alpine\nRUN while :; do :; done\n", &[]);
    assert!(out.contains("step limit"), "{out}");
}

#[test]
fn a_context_of_100000_files_is_refused_clearly() {
    let mut c = BuildContext::new("Dockerfile", "FROM alpine\nCOPY . /x\n");
    let mut err = None;
    for i in 0..100_000 {
        if let Err(e) = c.add_file(&format!("d{}/f{i}", i / 1000), vec![], 0o644, 0) {
            err = Some(e);
            break;
        }
    }
    assert_eq!(err, Some(ContextError::TooManyFiles));
    assert!(ContextError::TooManyFiles.to_string().contains(".dockerignore"));
}

#[test]
fn identical_from_lines_share_one_vertex_and_unused_stages_are_not_built() {
    let b = build_ctx(&mut Engine::new(), &ctx("FROM alpine AS a\nRUN echo a\nFROM busybox AS unused\nRUN echo u\nFROM alpine\nCOPY --from=a /etc/alpine-release /r\n", &[])).0.unwrap_or_else(|f| panic!("{}", f.render()));
    let steps = step_lines(&b);
    assert_eq!(steps.iter().filter(|s| s.contains("] FROM ")).count(), 1, "{steps:?}");
    assert!(!steps.iter().any(|s| s.contains("unused")), "{steps:?}");
    assert!(!b.summary.vertices.iter().any(|v| v.name.contains("busybox")));
}

#[test]
fn config_lands_as_docker_writes_it() {
    let df = "FROM alpine\nENV A=1 B=\"two words\"\nLABEL k=v\nEXPOSE 80 53/udp\nVOLUME /data\nUSER 1000:1000\nWORKDIR app\nSTOPSIGNAL SIGTERM\nHEALTHCHECK --interval=5s CMD true\nSHELL [\"/bin/sh\", \"-ec\"]\nONBUILD RUN echo hi\nENTRYPOINT [\"/bin/echo\"]\nCMD [\"x\"]\n";
    let b = build_ctx(&mut Engine::new(), &ctx(df, &[])).0.unwrap_or_else(|f| panic!("{}", f.render()));
    let c = &b.image.config.config;
    assert!(c.env.contains(&"A=1".to_string()) && c.env.contains(&"B=two words".to_string()), "{:?}", c.env);
    assert_eq!(c.labels.get("k").map(String::as_str), Some("v"));
    assert!(c.exposed_ports.contains_key("80/tcp") && c.exposed_ports.contains_key("53/udp"));
    assert!(c.volumes.contains_key("/data"));
    assert_eq!(c.user, "1000:1000");
    assert_eq!(c.working_dir, "/app");
    assert_eq!(c.stop_signal, "SIGTERM");
    assert_eq!(c.healthcheck.as_ref().unwrap().test, ["CMD-SHELL", "true"]);
    assert_eq!(c.shell, ["/bin/sh", "-ec"]);
    assert_eq!(c.on_build, ["RUN echo hi"]);
    assert_eq!(c.entrypoint, ["/bin/echo"]);
    assert_eq!(c.cmd, ["x"]);
    assert!(b.image.rootfs.stat("/app").unwrap().is_dir());
}

#[test]
fn build_args_reach_run_and_change_the_cache_key() {
    let c = ctx("FROM alpine\nARG V=default\nRUN echo \"v=$V\" > /v\n", &[]);
    let mut e = Engine::new();
    let mut host = TestHost::default();
    let a = e.build(&c, &BuildOptions::default(), &mut host).unwrap();
    assert_eq!(a.image.rootfs.read("/v").unwrap().as_slice(), b"v=default\n");
    let b = e.build(&c, &BuildOptions { build_args: vec![("V".into(), "given".into())], ..Default::default() }, &mut host).unwrap();
    assert_eq!(b.image.rootfs.read("/v").unwrap().as_slice(), b"v=given\n");
    assert!(b.summary.vertices.iter().any(|v| v.name.contains("RUN echo") && !v.cached));
    let again = e.build(&c, &BuildOptions { no_cache: true, ..Default::default() }, &mut host).unwrap();
    assert!(again.summary.vertices.iter().any(|v| v.name.contains("RUN echo") && !v.cached), "--no-cache runs the step");
}

fn dfplay(home: &std::path::Path, args: &[&str], dir: &std::path::Path) -> (String, String, i32) {
    let o = Command::new(env!("CARGO_BIN_EXE_dfplay")).args(args).current_dir(dir).env("DFPLAY_HOME", home).output().expect("run dfplay");
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned(), o.status.code().unwrap_or(-1))
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("dfplay-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Builds `files` as `tag` twice with the `dfplay` binary, each in a process of its own
/// on a new `$DFPLAY_HOME`, and checks that the second build says CACHED for `steps`:
/// (home, context, first build's log, second build's log).
fn build_twice_in_new_processes(name: &str, files: &[(&str, &str)], tag: &str, steps: &[&str]) -> (std::path::PathBuf, std::path::PathBuf, String, String) {
    let home = tempdir(&format!("home-{name}"));
    let ctx = tempdir(&format!("ctx-{name}"));
    for (path, data) in files {
        std::fs::write(ctx.join(path), data).unwrap();
    }
    let (_, err1, code) = dfplay(&home, &["build", "--progress", "plain", "-t", tag, "."], &ctx);
    assert_eq!(code, 0, "{err1}");
    let (_, err2, code) = dfplay(&home, &["build", "--progress", "plain", "-t", tag, "."], &ctx);
    assert_eq!(code, 0, "{err2}");
    for step in steps {
        let block = err2.split("\n\n").find(|b| b.contains(step)).unwrap_or_else(|| panic!("{step} missing:\n{err2}"));
        assert!(block.contains(" CACHED"), "{step} not cached:\n{err2}");
    }
    (home, ctx, err1, err2)
}

#[test]
fn cli_second_build_in_a_new_process_is_all_cached() {
    let (home, ctx, _, _) = build_twice_in_new_processes(
        "cache",
        &[("Dockerfile", "FROM alpine\nCOPY a.txt /a.txt\nRUN echo built > /b\nCMD cat /a.txt /b\n"), ("a.txt", "hello\n")],
        "x",
        &["[1/3] FROM docker.io/library/alpine", "[2/3] COPY a.txt /a.txt", "[3/3] RUN echo built > /b"],
    );
    let (out, err, code) = dfplay(&home, &["run", "--rm", "x"], &ctx);
    assert_eq!((out.as_str(), code), ("hello\nbuilt\n", 0), "{err}");
    // images, tag, history, inspect, rmi
    let (out, _, _) = dfplay(&home, &["tag", "x", "y:1"], &ctx);
    assert_eq!(out, "");
    let (out, _, _) = dfplay(&home, &["images"], &ctx);
    assert!(out.starts_with("REPOSITORY") && out.contains("\nx ") && out.contains("\ny "), "{out}");
    let (out, _, _) = dfplay(&home, &["history", "y:1"], &ctx);
    assert!(out.contains("RUN /bin/sh -c echo built > /b # buildkit"), "{out}");
    let (out, _, _) = dfplay(&home, &["inspect", "x"], &ctx);
    let v: serde_json::Value = serde_json::from_str(&out).expect("inspect is JSON");
    assert_eq!(v[0]["Config"]["Cmd"], serde_json::json!(["/bin/sh", "-c", "cat /a.txt /b"]));
    let (out, _, code) = dfplay(&home, &["rmi", "y:1"], &ctx);
    assert_eq!((out.as_str(), code), ("Untagged: y:1\n", 0));
    let _ = std::fs::remove_dir_all(&home);
    let _ = std::fs::remove_dir_all(&ctx);
}

/// A `COPY --from` of a simulated binary is CACHED in a new process too: its
/// checksum comes from the bytes the store gives back, not from how the first
/// process made them.
#[test]
fn cli_copy_from_of_a_built_binary_is_cached_in_a_new_process() {
    let (home, ctx, err1, err2) = build_twice_in_new_processes(
        "copy-from",
        &[
            ("Dockerfile", "FROM diamol/golang AS builder\nCOPY main.go .\nRUN go build -o /server\nFROM diamol/base\nWORKDIR /web\nCOPY --from=builder /server .\nRUN chmod +x server\n"),
            ("main.go", "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hi\") }\n"),
        ],
        "g",
        &["[builder 3/3] RUN go build -o /server", "[stage-1 3/4] COPY --from=builder /server .", "[stage-1 4/4] RUN chmod +x server"],
    );
    let id = |err: &str| err.lines().find(|l| l.contains("writing image sha256:")).map(|l| l.split_whitespace().find(|w| w.starts_with("sha256:")).unwrap_or("").to_string());
    assert_eq!(id(&err1), id(&err2));
    assert!(id(&err1).is_some(), "{err1}");
    let _ = std::fs::remove_dir_all(&home);
    let _ = std::fs::remove_dir_all(&ctx);
}

#[test]
fn cli_images_label_filter_lists_the_seed_image() {
    let Some(shared) = crate::util::shared() else { return };
    let home = tempdir("home-label");
    let dir = shared.join("examples/apache-web");
    let (_, err, code) = dfplay(&home, &["build", "-t", "mybuild:0.0", "--progress", "plain", "."], &dir);
    assert_eq!(code, 0, "{err}");
    let (out, _, _) = dfplay(&home, &["images", "--filter", "label=purpose=practice"], &dir);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{out}");
    assert!(rows[0].starts_with("mybuild ") && rows[0].contains(" 0.0 "), "{out}");
    let _ = std::fs::remove_dir_all(&home);
}

fn built(dockerfile: &str, files: &[(&str, &str)]) -> dfplay::build::Built {
    build_ctx(&mut Engine::new(), &ctx(dockerfile, files)).0.unwrap_or_else(|f| panic!("{}", f.render()))
}

#[test]
fn copy_flags_chown_chmod_exclude_parents() {
    let b = built(
        "FROM alpine\nCOPY --chown=1000:1000 --chmod=600 a.txt /o/\nCOPY --exclude=*.log src/ /s/\nCOPY --parents src/deep/x.txt /p/\nCOPY --link a.txt /linked\n",
        &[("a.txt", "a"), ("src/keep.txt", "k"), ("src/drop.log", "d"), ("src/deep/x.txt", "x")],
    );
    let fs = &b.image.rootfs;
    let st = fs.stat("/o/a.txt").unwrap();
    assert_eq!((st.meta.uid, st.meta.gid, st.meta.mode), (1000, 1000, 0o600));
    assert!(fs.stat("/s/keep.txt").is_ok() && fs.stat("/s/drop.log").is_err());
    assert!(fs.stat("/p/src/deep/x.txt").is_ok(), "--parents keeps the source path");
    assert!(fs.stat("/linked").unwrap().is_file());
}

#[test]
fn add_extracts_a_local_tar_and_refuses_urls() {
    // a tar made by the layer writer, as a context file
    let mut src = dfplay::vfs::Vfs::new();
    src.mkdir_all("/pkg", 0o755).unwrap();
    src.write("/pkg/readme", b"inside the tar\n".to_vec(), 0o644).unwrap();
    let tar = dfplay::layer::rootfs_tar(&src, Default::default()).unwrap().into_vec();
    let mut c = BuildContext::new("Dockerfile", "FROM alpine\nADD app.tar /opt/\n");
    c.add_file("app.tar", tar, 0o644, 0).unwrap();
    let b = build_ctx(&mut Engine::new(), &c).0.unwrap_or_else(|f| panic!("{}", f.render()));
    assert_eq!(b.image.rootfs.read("/opt/pkg/readme").unwrap().as_slice(), b"inside the tar\n");
    let out = fail("FROM alpine\nADD https://example.com/x.tgz /x\n", &[]);
    assert!(out.contains("offline"), "{out}");
}

#[test]
fn onbuild_triggers_run_in_the_child_stage() {
    let b = built("FROM alpine AS parent\nONBUILD RUN echo triggered > /t\nFROM parent AS child\nRUN echo child\n", &[]);
    assert_eq!(b.image.rootfs.read("/t").unwrap().as_slice(), b"triggered\n");
    assert!(b.image.config.config.on_build.is_empty(), "triggers do not pass on to grandchildren");
}

#[test]
fn heredocs_in_run_and_copy() {
    let b = built("FROM alpine\nARG WHO=world\nRUN <<EOF\necho \"hello $WHO\" > /greeting\nEOF\nCOPY <<EOT /etc/motd\nwelcome $WHO\nEOT\n", &[]);
    assert_eq!(b.image.rootfs.read("/greeting").unwrap().as_slice(), b"hello world\n");
    assert_eq!(b.image.rootfs.read("/etc/motd").unwrap().as_slice(), b"welcome world\n");
}

#[test]
fn from_scratch_and_target_stage() {
    let b = built("FROM alpine AS build\nRUN echo bin > /app\nFROM scratch\nCOPY --from=build /app /app\n", &[]);
    assert_eq!(b.image.rootfs.read("/app").unwrap().as_slice(), b"bin\n");
    assert_eq!(b.image.config.config.working_dir, "/");
    assert!(b.image.config.config.env.iter().any(|e| e.starts_with("PATH=")));
    let steps = step_lines(&b);
    assert!(steps.contains(&"[stage-1 1/1] COPY --from=build /app /app".to_string()), "{steps:?}");
    let mut host = TestHost::default();
    let t = Engine::new().build(&ctx("FROM alpine AS build\nRUN echo a > /a\nFROM busybox\nRUN echo never\n", &[]), &BuildOptions { target: Some("build".into()), ..Default::default() }, &mut host).unwrap();
    assert!(t.image.rootfs.stat("/a").is_ok());
    assert!(!t.summary.vertices.iter().any(|v| v.name.contains("never")));
}

#[test]
fn cli_output_exporters_and_a_sound_store_after_failures() {
    let home = tempdir("home-out");
    let dir = tempdir("ctx-out");
    std::fs::write(dir.join("Dockerfile"), "FROM alpine\nRUN echo hi > /hi\n").unwrap();
    for (kind, dest) in [("docker", "img.tar"), ("oci", "oci.tar"), ("tar", "root.tar"), ("local", "rootdir")] {
        let spec = format!("type={kind},dest={}", dir.join(dest).display());
        let (_, err, code) = dfplay(&home, &["build", "--progress", "plain", "--output", &spec, "."], &dir);
        assert_eq!(code, 0, "{kind}: {err}");
    }
    assert_eq!(std::fs::read_to_string(dir.join("rootdir/hi")).unwrap(), "hi\n");
    assert!(std::fs::metadata(dir.join("img.tar")).unwrap().len() > 1000);
    // failures leave the store usable
    std::fs::write(dir.join("Dockerfile"), "FROM alpine\nRUN exit 7\n").unwrap();
    let (_, err, code) = dfplay(&home, &["build", "--progress", "plain", "."], &dir);
    assert_eq!(code, 1);
    assert!(err.contains("exit code: 7"), "{err}");
    let (out, _, code) = dfplay(&home, &["images", "--filter", "dangling=true"], &dir);
    assert_eq!(code, 0);
    assert!(out.contains("<none>"), "the failed build leaves a dangling image: {out}");
    let store = dfplay::image::Store::open_dir(&home).unwrap();
    let problems = store.verify().expect("store readable");
    assert!(problems.is_empty(), "store problems: {problems:?}");
    let _ = std::fs::remove_dir_all(&home);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_loud_step_has_its_log_clipped_as_buildkit_clips_it() {
    // BuildKit 26 (buildkit-reference): 102400 lines of "y", an empty line, then the notice
    let (r, host) = build_ctx(&mut Engine::new(), &ctx("FROM alpine\nRUN yes | head -c 3000000; echo after\n", &[]));
    assert!(r.is_ok(), "the build fails");
    let logs: Vec<&str> = host.events.iter().filter_map(|e| match e {
        dfplay::build::progress::Event::Log { line, .. } => Some(line.as_str()),
        _ => None,
    }).collect();
    assert_eq!(logs.iter().filter(|l| **l == "y").count(), 102_400);
    assert_eq!(&logs[logs.len() - 2..], ["", "[output clipped, log limit 200KiB/s reached]"]);
    assert!(!logs.contains(&"after"), "output after the clip is dropped");
}

#[test]
fn pipefail_is_busybox_ash_on_alpine_and_refused_by_dash_on_debian() {
    // alpine's /bin/sh is BusyBox ash, which has `set -o pipefail` (busybox-static agrees)
    let (r, host) = build_ctx(&mut Engine::new(), &ctx("FROM alpine\nRUN set -o pipefail; false | true; echo st=$?\n", &[]));
    assert!(r.is_ok(), "alpine refused pipefail");
    assert!(host.events.iter().any(|e| matches!(e, dfplay::build::progress::Event::Log { line, .. } if line == "st=1")));
    // Debian's and Ubuntu's /bin/sh is dash, which has no pipefail
    let out = fail("FROM ubuntu:14.04\nRUN set -o pipefail; echo x\n", &[]);
    assert!(out.contains("/bin/sh: 1: set: Illegal option -o pipefail"), "{out}");
}

/// The process's memos (`dfplay::memo`) skip re-making and re-hashing a simulated
/// binary in a second cold build; every diff_id must still be the sha256 of its
/// layer's bytes, equal inputs give equal images, and a changed copy of a shared
/// buffer is hashed afresh.
#[test]
fn memoized_digests_are_the_digests_of_the_bytes() {
    let main_go = "package main\nimport (\"fmt\"; \"net/http\")\nfunc main() { fmt.Println(\"up\"); http.ListenAndServe(\":80\", nil) }\n";
    let df = "FROM diamol/golang AS builder\nCOPY main.go .\nRUN go build -o /server\nFROM diamol/base\nWORKDIR /web\nCOPY --from=builder /server .\nRUN chmod +x server\n";
    let check = |b: &dfplay::build::Built| {
        for l in &b.image.layers {
            let bytes = l.layer.tar.to_vec();
            assert_eq!(l.layer.diff_id().as_str(), dfplay::digest::sha256_digest(&bytes), "{}", l.created_by);
        }
    };
    dfplay::memo::clear();
    let first = built(df, &[("main.go", main_go)]);
    check(&first);
    let big = first.image.layers.iter().map(|l| l.layer.tar.len()).max().unwrap();
    assert!(big > 1_000_000, "the simulated binary is sized like a real one: {big}");
    let second = built(df, &[("main.go", main_go)]);
    check(&second);
    assert_eq!(first.image.id, second.image.id);
    // the same binary, changed in place by a later step: a different layer and image
    let changed = built(&format!("{df}RUN echo extra >> server\n"), &[("main.go", main_go)]);
    check(&changed);
    let tail = changed.image.rootfs.read("/web/server").unwrap();
    assert!(tail.ends_with(b"extra\n"));
    assert_ne!(changed.image.id, second.image.id);
    // and the memo's own buffer was not written through
    let again = built(df, &[("main.go", main_go)]);
    assert_eq!(again.image.id, first.image.id);
    assert!(!again.image.rootfs.read("/web/server").unwrap().ends_with(b"extra\n"));
}
