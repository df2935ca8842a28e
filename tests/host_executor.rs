//! The bubblewrap host executor (`dfplay build --executor bwrap`): RUN steps run for
//! real — Debian's static busybox copied into a `FROM scratch` image, real `uname`,
//! real exit codes — and the layers hold exactly what the commands changed.
//! Needs `bwrap` (bubblewrap) and `/bin/busybox` (busybox-static), which the test
//! command installs; where the kernel refuses a sandbox the tests say SKIPPED, except
//! as root under the test command (`DFPLAY_REQUIRE_TOOLS=1`), where they must run.

use dfplay::build::context::BuildContext;
use dfplay::build::progress::{Event, Stream};
use dfplay::build::{BuildOptions, Built, BuildFailure};
use dfplay::executor::bwrap::Bwrap;
use dfplay::image::store::Store;
use dfplay::layer::tarr;
use dfplay::session::Session;
use std::time::Duration;

/// The executor, or None (with the reason printed) where no sandbox can be made.
fn sandbox() -> Option<Bwrap> {
    let b = Bwrap::default();
    let busybox = std::path::Path::new("/bin/busybox").is_file();
    match (b.available(), busybox) {
        (Ok(()), true) => Some(b),
        (r, _) => {
            let why = r.err().unwrap_or_else(|| "/bin/busybox (busybox-static) is missing".into());
            if std::env::var_os("DFPLAY_REQUIRE_TOOLS").is_some() && running_as_root() {
                panic!("the host executor cannot run here: {why}");
            }
            eprintln!("SKIPPED: host executor tests: {why}");
            None
        }
    }
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
}

fn context(dockerfile: &str) -> BuildContext {
    let mut c = BuildContext::new("Dockerfile", dockerfile);
    c.add_file("busybox", std::fs::read("/bin/busybox").expect("busybox-static"), 0o755, 0).unwrap();
    c
}

/// A build whose RUN steps go to `ex`.
fn build(session: &mut Session, ex: &Bwrap, ctx: &BuildContext) -> (Result<Built, Box<BuildFailure>>, Vec<String>) {
    session.executor = Some(Box::new(ex.clone()));
    let mut log = Vec::new();
    let mut sink = |e: &Event| {
        if let Event::Log { line, stream, .. } = e {
            log.push(format!("{}{line}", if *stream == Stream::Stderr { "E " } else { "" }));
        }
    };
    let r = session.build(ctx, &BuildOptions::default(), &|| 0.0, &mut sink, &|| false);
    (r, log)
}

/// The message of a build that must fail, in a session of its own.
fn build_error(ex: &Bwrap, ctx: &BuildContext) -> String {
    let (r, _) = build(&mut Session::new(Store::memory()), ex, ctx);
    r.expect_err("the build fails").message
}

/// A built image, or the test fails with the build's message.
fn image(session: &mut Session, ex: &Bwrap, ctx: &BuildContext) -> Built {
    build(session, ex, ctx).0.unwrap_or_else(|f| panic!("{}", f.message))
}

/// The names in a layer's tar, in order.
fn entry_names(layer: &dfplay::layer::Layer) -> Vec<String> {
    tarr::read_all(&layer.tar.contiguous(), Default::default()).unwrap().iter().map(|e| e.display_name()).collect()
}

const BASE: &str = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nENV PATH=/bin\n";

#[test]
fn run_steps_run_for_real_and_layers_hold_only_their_changes() {
    let Some(ex) = sandbox() else { return };
    let mut s = Session::new(Store::memory());
    let df = format!("{BASE}WORKDIR /app\nRUN echo \"kernel: $(uname -s)\" && echo hi > greeting && mkdir -p /tmp/x && id -u\nRUN rm /bin/wget && echo gone >&2\n");
    let (r, log) = build(&mut s, &ex, &context(&df));
    let built = r.unwrap_or_else(|f| panic!("{}", f.message));
    assert_eq!(log, ["kernel: Linux", "0", "E gone"], "the commands' own output, in order");
    let fs = &built.image.rootfs;
    assert_eq!(fs.read("/app/greeting").unwrap().as_slice(), b"hi\n");
    assert_eq!(fs.read_link("/bin/sh").unwrap(), "/bin/busybox", "busybox --install made the applet links");
    assert!(fs.lstat("/bin/wget").is_err() && fs.lstat("/bin/ls").is_ok());
    assert!(fs.lstat("/proc").is_err() && fs.lstat("/dev").is_err(), "the sandbox's mount points are not part of the image");
    let n = built.image.layers.len();
    // WORKDIR /app, then the RUN: only what it changed, parents included
    assert_eq!(entry_names(&built.image.layers[n - 2].layer), ["app/", "app/greeting", "tmp/", "tmp/x/"]);
    assert_eq!(entry_names(&built.image.layers[n - 1].layer), ["bin/", "bin/.wh.wget"]);
}

#[test]
fn a_failing_command_fails_the_step_as_buildkit_says() {
    let Some(ex) = sandbox() else { return };
    let mut s = Session::new(Store::memory());
    let (r, log) = build(&mut s, &ex, &context(&format!("{BASE}RUN echo before && exit 3\n")));
    let f = r.expect_err("exit 3 fails the build");
    assert_eq!(f.message, "failed to solve: process \"/bin/sh -c echo before && exit 3\" did not complete successfully: exit code: 3");
    assert_eq!(log, ["before"]);
    let m = build_error(&ex, &context(&format!("{BASE}RUN nosuchprogram\n")));
    assert!(m.ends_with("exit code: 127"), "{m}");
}

#[test]
fn run_network_none_runs_without_the_network() {
    let Some(ex) = sandbox() else { return };
    let interfaces = "awk -F: 'NR>2 {gsub(/ /, \"\", $1); print $1}' /proc/net/dev";
    let mut s = Session::new(Store::memory());
    let (r, log) = build(&mut s, &ex, &context(&format!("{BASE}RUN --network=none {interfaces}\n")));
    r.unwrap_or_else(|f| panic!("{}", f.message));
    assert_eq!(log, ["lo"], "only the loopback of a network namespace of its own");
    // without the flag the step has the host's network, as BuildKit's default gives one
    let host: Vec<String> = std::fs::read_to_string("/proc/net/dev").unwrap().lines().skip(2).filter_map(|l| l.split(':').next()).map(|n| n.trim().to_string()).collect();
    let (r, log) = build(&mut s, &ex, &context(&format!("{BASE}RUN {interfaces}\n")));
    r.unwrap_or_else(|f| panic!("{}", f.message));
    assert_eq!(log, host);
}

#[test]
fn stand_in_bases_are_refused_with_a_reason() {
    let Some(ex) = sandbox() else { return };
    let m = build_error(&ex, &BuildContext::new("Dockerfile", "FROM alpine\nRUN echo hi\n"));
    assert!(m.contains("/bin/sh is a stand-in of the playground's base image"), "{m}");
}

#[test]
fn a_step_past_the_time_limit_is_stopped() {
    let Some(mut ex) = sandbox() else { return };
    ex.timeout = Duration::from_millis(300);
    let t = std::time::Instant::now();
    let m = build_error(&ex, &context(&format!("{BASE}RUN sleep 30\n")));
    assert!(m.contains("host executor: the step ran past"), "{m}");
    assert!(t.elapsed() < Duration::from_secs(10), "stopped promptly");
}

#[test]
fn a_real_run_is_not_the_cached_builtin_one() {
    let Some(ex) = sandbox() else { return };
    let mut s = Session::new(Store::memory());
    let ctx = context("FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"true\"]\n");
    // the builtin shell answers `busybox true` itself; the same step run for real must
    // not be served from that result's cache
    s.executor = None;
    let builtin = s.build(&ctx, &BuildOptions::default(), &|| 0.0, &mut |_| {}, &|| false).unwrap_or_else(|f| panic!("{}", f.message));
    assert!(builtin.summary.vertices.iter().any(|v| v.name.contains("RUN") && !v.cached));
    let built = image(&mut s, &ex, &ctx);
    assert!(built.summary.vertices.iter().any(|v| v.name.contains("RUN") && !v.cached), "the real RUN ran");
    // and a second real build is CACHED like any other
    assert!(image(&mut s, &ex, &ctx).summary.vertices.iter().any(|v| v.name.contains("RUN") && v.cached));
}

#[test]
fn docker_run_runs_the_image_for_real() {
    let Some(ex) = sandbox() else { return };
    let mut s = Session::new(Store::memory());
    let df = format!("{BASE}WORKDIR /app\nRUN echo hi > greeting\nCMD [\"sh\", \"-c\", \"echo on $(hostname): $(cat greeting); uname -s >&2; exit 4\"]\n");
    let built = image(&mut s, &ex, &context(&df));
    let o = s.run(&built.image.id, &dfplay::run::RunOptions::default(), Default::default()).unwrap();
    let text = |err: bool| -> String { o.output.iter().filter(|c| (c.stream == dfplay::shell::Stream::Stderr) == err).map(|c| String::from_utf8_lossy(&c.data).into_owned()).collect() };
    assert_eq!(o.status, 4);
    assert_eq!(text(false), format!("on {}: hi\n", &built.image.id.trim_start_matches("sha256:")[..12]), "the container's host name is its short ID");
    assert_eq!(text(true), "Linux\n");
    // the container's changes are thrown away (--rm): the image is as built
    let again = s.run(&built.image.id, &dfplay::run::RunOptions { args: vec!["ls".into(), "/app".into()], ..Default::default() }, Default::default()).unwrap();
    assert_eq!(String::from_utf8_lossy(&again.output[0].data), "greeting\n");
}

#[test]
fn a_step_that_writes_past_the_limits_fails_without_reading_it_all() {
    let Some(ex) = sandbox() else { return };
    // 300 MiB of zeros, past the 256 MiB a stage may add
    let m = build_error(&ex, &context(&format!("{BASE}RUN dd if=/dev/zero of=/big bs=1048576 count=300 2>/dev/null\n")));
    assert!(m.contains("the step left more than the playground keeps (256 MiB"), "{m}");
}

#[test]
fn a_step_that_writes_without_end_is_stopped_before_the_disk_fills() {
    let Some(mut ex) = sandbox() else { return };
    ex.scratch = std::env::temp_dir().join(format!("dfplay-test-scratch-{}", std::process::id()));
    std::fs::create_dir_all(&ex.scratch).unwrap();
    let t = std::time::Instant::now();
    // 100 GiB of zeros: stopped while it runs, long before the time limit
    let m = build_error(&ex, &context(&format!("{BASE}RUN dd if=/dev/zero of=/big bs=1048576 count=102400 2>/dev/null\n")));
    assert!(m.contains("host executor: the step left more than the playground keeps (256 MiB or 200000 files; at /big)"), "{m}");
    assert!(t.elapsed() < Duration::from_secs(60), "took {:?}", t.elapsed());
    assert_eq!(std::fs::read_dir(&ex.scratch).unwrap().count(), 0, "the scratch directory is removed");
    let _ = std::fs::remove_dir(&ex.scratch);
}

#[test]
fn unchanged_files_stay_out_of_the_layer_even_setuid_ones() {
    let Some(ex) = sandbox() else { return };
    let mut s = Session::new(Store::memory());
    let df = format!("{BASE}RUN touch /suid && chown 12:34 /suid && chmod 4755 /suid\nRUN echo only > /new\n");
    let built = image(&mut s, &ex, &context(&df));
    let st = built.image.rootfs.lstat("/suid").unwrap();
    if running_as_root() {
        assert_eq!((st.meta.mode, st.meta.uid, st.meta.gid), (0o4755, 12, 34), "owner and setuid bit kept");
    }
    assert_eq!(entry_names(&built.image.layers.last().unwrap().layer), ["new"], "the next step's layer holds only its own change");
}
