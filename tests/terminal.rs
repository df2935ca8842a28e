//! The page terminal's command line (`dfplay::terminal`): every docker command line of
//! the seeds parses into the command docker would run, flags follow pflag's rules, and
//! mistakes get the docker CLI's own messages.

use dfplay::terminal::{parse_line, Build, Command, Images, Join, Run};

fn one(line: &str) -> Command {
    let steps = parse_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    assert_eq!(steps.len(), 1, "{line}");
    steps.into_iter().next().unwrap().command
}

fn error(line: &str) -> String {
    parse_line(line).map(|s| panic!("{line}: expected an error, got {s:?}")).unwrap_err().message
}

fn build(line: &str) -> Build {
    match one(line) {
        Command::Build(b) => b,
        other => panic!("{line}: {other:?}"),
    }
}

fn run(line: &str) -> Run {
    match one(line) {
        Command::Run(r) => r,
        other => panic!("{line}: {other:?}"),
    }
}

#[test]
fn the_seeds_build_commands() {
    for line in ["docker image build -t multi-stage .", "docker build -t multi-stage .", "docker buildx build -t multi-stage ."] {
        let b = build(line);
        assert_eq!((b.tags, b.context.as_str()), (vec!["multi-stage".to_string()], "."), "{line}");
    }
    let b = build("docker build . -t go_helloworld:multi-stage");
    assert_eq!(b.tags, ["go_helloworld:multi-stage"]);
    let b = build("docker build -t mybuild:0.0 ./");
    assert_eq!((b.tags[0].as_str(), b.context.as_str()), ("mybuild:0.0", "./"));
}

#[test]
fn build_flags_in_every_spelling() {
    let b = build("docker build -tone --tag=two -t=three --tag four -f sub/Dockerfile --target build-stage --build-arg A=1 --build-arg B --build-arg C=x=y --no-cache --label k=v -q --progress=plain .");
    assert_eq!(b.tags, ["one", "two", "three", "four"]);
    assert_eq!(b.file.as_deref(), Some("sub/Dockerfile"));
    assert_eq!(b.target.as_deref(), Some("build-stage"));
    let args: Vec<(String, Option<String>)> = b.build_args.into_iter().map(|a| (a.name, a.value)).collect();
    assert_eq!(args, [("A".into(), Some("1".into())), ("B".into(), None), ("C".into(), Some("x=y".into()))]);
    assert!(b.no_cache && b.quiet);
    assert_eq!(b.progress.as_deref(), Some("plain"));
    assert_eq!(b.labels, ["k=v"]);
    assert!(!build("docker build --no-cache=false .").no_cache);
    assert_eq!(build("docker build --pull --network=none .").ignored, ["--pull", "--network=none"]);
}

#[test]
fn the_seeds_run_commands() {
    let r = run("docker run -d -p 802:80 --network nat image-gallery");
    assert_eq!((r.image.as_str(), r.detach, r.publish.clone()), ("image-gallery", true, vec!["802:80".to_string()]));
    assert_eq!(r.ignored, ["--network"]);
    let r = run("docker container run --name iotd -d -p 800:80 --network nat image-of-the-day");
    assert_eq!((r.image.as_str(), r.name.as_deref()), ("image-of-the-day", Some("iotd")));
    let r = run("docker run -d -P --name myserver mybuild:0.0");
    assert_eq!((r.image.as_str(), r.ignored.clone()), ("mybuild:0.0", vec!["-P".to_string()]));
    assert_eq!(run("docker container run multi-stage").image, "multi-stage");
}

#[test]
fn run_stops_reading_flags_at_the_image() {
    let r = run("docker run --rm -it -e A=1 --env B --entrypoint /bin/sh alpine -c 'echo $A; ls -l' -e X");
    assert!(r.rm && r.interactive && r.tty);
    assert_eq!(r.env, ["A=1", "B"]);
    assert_eq!(r.entrypoint.as_deref(), Some("/bin/sh"));
    assert_eq!(r.command, ["-c", "echo $A; ls -l", "-e", "X"]);
    assert_eq!(run("docker run -- alpine --version").command, ["--version"]);
}

#[test]
fn images_filters_and_aliases() {
    let want = Images { filters: vec![("label".into(), "version=1.0".into())], ..Default::default() };
    assert_eq!(one("docker images --filter label=version=1.0"), Command::Images(want.clone()));
    assert_eq!(one("docker image ls -f label=version=1.0"), Command::Images(want.clone()));
    assert_eq!(one("docker image list --filter=label=version=1.0"), Command::Images(want));
    match one("docker images -aq --filter dangling=true alpine") {
        Command::Images(i) => {
            assert!(i.all && i.quiet);
            assert_eq!(i.filters, [("dangling".into(), "true".into())]);
            assert_eq!(i.reference.as_deref(), Some("alpine"));
        }
        other => panic!("{other:?}"),
    }
    assert!(error("docker images --filter label").starts_with("invalid argument \"label\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"));
}

#[test]
fn history_inspect_tag_rmi_save_prune() {
    assert!(matches!(one("docker history multi-stage"), Command::History(h) if h.image == "multi-stage" && h.human));
    assert!(matches!(one("docker image history --no-trunc -H=false x"), Command::History(h) if h.no_trunc && !h.human));
    assert!(matches!(one("docker image inspect a b"), Command::Inspect(i) if i.objects == ["a", "b"]));
    assert!(matches!(one("docker inspect -f '{{.Config.Cmd}}' a"), Command::Inspect(i) if i.format.as_deref() == Some("{{.Config.Cmd}}")));
    assert_eq!(one("docker tag a:1 b:2"), Command::Tag { source: "a:1".into(), target: "b:2".into() });
    assert_eq!(one("docker image tag a b"), Command::Tag { source: "a".into(), target: "b".into() });
    assert!(matches!(one("docker rmi -f a b"), Command::Rmi(r) if r.force && r.images == ["a", "b"]));
    assert!(matches!(one("docker image rm a"), Command::Rmi(r) if !r.force && r.images == ["a"]));
    assert!(matches!(one("docker save -o out.tar a"), Command::Save(s) if s.output.as_deref() == Some("out.tar")));
    assert_eq!(one("docker image prune -a"), Command::Prune { all: true });
}

#[test]
fn docker_cli_error_messages() {
    assert_eq!(
        error("docker build -t x"),
        "\"docker build\" requires exactly 1 argument.\nSee 'docker build --help'.\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n\nBuild an image from a Dockerfile"
    );
    assert!(error("docker run").starts_with("\"docker run\" requires at least 1 argument.\nSee 'docker run --help'."));
    assert!(error("docker tag a").starts_with("\"docker tag\" requires exactly 2 arguments."));
    assert_eq!(error("docker build --foo ."), "unknown flag: --foo\nSee 'docker build --help'.");
    assert_eq!(error("docker run -z alpine"), "unknown shorthand flag: 'z' in -z\nSee 'docker run --help'.");
    assert_eq!(error("docker build . -t"), "flag needs an argument: 't' in -t\nSee 'docker build --help'.");
    assert_eq!(error("docker build . --target"), "flag needs an argument: --target\nSee 'docker build --help'.");
    assert_eq!(error("docker frobnicate"), "docker: 'frobnicate' is not a docker command.\nSee 'docker --help'");
    assert!(error("docker build --no-cache=maybe .").starts_with("invalid argument \"maybe\" for \"--no-cache\" flag: strconv.ParseBool"));
    assert!(error("ls -l").starts_with("ls: command not found"));
}

#[test]
fn quoting_chaining_comments_and_prompts() {
    let steps = parse_line("$ docker build -t \"my app\" . && docker run 'my app' echo \"a \\\"b\\\"\" ; docker images # list").unwrap();
    assert_eq!(steps.iter().map(|s| s.join).collect::<Vec<_>>(), [Join::Always, Join::IfOk, Join::Always]);
    assert!(matches!(&steps[0].command, Command::Build(b) if b.tags == ["my app"]));
    assert!(matches!(&steps[1].command, Command::Run(r) if r.image == "my app" && r.command == ["echo", "a \"b\""]));
    assert!(matches!(&steps[2].command, Command::Images(_)));
    assert!(parse_line("   ").unwrap().is_empty());
    assert!(parse_line("# just a comment").unwrap().is_empty());
    assert!(error("docker images | grep x").contains("`|`"));
    assert!(error("docker build -t 'x .").contains("unterminated"));
    assert_eq!(error("&& docker images"), "syntax error near unexpected token `&&'");
    assert_eq!(error("docker images ;; docker images"), "syntax error near unexpected token `;'");
    assert!(error("docker images &&").contains("must follow"));
    assert_eq!(parse_line("docker images;").unwrap().len(), 1);
}

#[test]
fn help_version_and_unsupported_commands() {
    assert_eq!(one("help"), Command::Help { topic: None });
    assert_eq!(one("docker --help"), Command::Help { topic: None });
    assert_eq!(one("docker build --help"), Command::Help { topic: Some("build".into()) });
    assert_eq!(one("docker image build -h"), Command::Help { topic: Some("image build".into()) });
    assert_eq!(one("docker version"), Command::Version);
    assert_eq!(one("clear"), Command::Clear);
    match one("docker network create nat") {
        Command::Unsupported { command, reason } => {
            assert_eq!(command, "docker network create");
            assert!(reason.contains("networks are not simulated"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let h = dfplay::terminal::help(Some("build"));
    assert!(h.contains("Usage:  docker build [OPTIONS] PATH | URL | -") && h.contains("-t, --tag string"), "{h}");
    assert!(dfplay::terminal::help(None).contains("docker image build"));
}

#[test]
fn hostile_lines_are_errors_not_panics() {
    assert!(error(&"x".repeat(70_000)).contains("too long"));
    for line in ["docker build -", "docker -", "docker run -e", "docker '", "docker \"\\", "docker \\", "docker build -t=", "docker run --rm="] {
        let _ = parse_line(line);
    }
}

// ----- running lines on a session (`dfplay::terminal::exec`) -----------------------------------

mod exec {
    use dfplay::context::Entry;
    use dfplay::image::Store;
    use dfplay::session::Session;
    use dfplay::shell::Stream;
    use dfplay::terminal::exec::{run_line, Effect, Env, Outcome};

    struct Term {
        session: Session,
        files: Vec<Entry>,
    }

    /// What a line printed: (stdout, stderr, outcome).
    type Printed = (String, String, Outcome);

    impl Term {
        fn new(files: Vec<Entry>) -> Self {
            Term { session: Session::new(Store::memory()), files }
        }
        fn run(&mut self, line: &str) -> Printed {
            let (mut out, mut err) = (String::new(), String::new());
            let env = Env { files: &self.files, now: 1_900_000_000, clock: &|| 0.0, cancel: &|| false, width: 80 };
            let o = run_line(&mut self.session, line, &env, &mut |s, t| if s == Stream::Stdout { out.push_str(t) } else { err.push_str(t) });
            (out, err, o)
        }
    }

    fn multi_stage() -> Vec<Entry> {
        let text = std::fs::read(crate::util::root().join("www/examples/multi-stage/Dockerfile")).expect("example");
        vec![Entry::file("Dockerfile", text)]
    }

    #[test]
    fn the_seeds_build_and_list_commands() {
        let mut t = Term::new(multi_stage());
        let (out, err, o) = t.run("docker image build -t multi-stage .");
        assert_eq!((o.status, out.as_str()), (0, ""), "{err}");
        assert!(err.starts_with("[+] Building 0.0s (9/9) FINISHED\n"), "{err}");
        assert!(err.contains(" => [build-stage 2/2] RUN echo 'Building...' > /build.txt"), "{err}");
        assert_eq!(o.effects, [Effect::ImagesChanged]);
        // Again: the steps are CACHED.
        let (_, err, _) = t.run("docker build -t multi-stage .");
        assert!(err.contains(" => CACHED [test-stage 3/3] RUN echo 'Testing...' >> /build.txt"), "{err}");

        let (out, err, o) = t.run("docker image ls");
        assert_eq!(o.status, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"]);
        assert!(lines[1].starts_with("multi-stage   latest    "), "{out}");
        assert!(err.starts_with("note: sizes include the real size of the stand-in base images"), "{err}");

        let (out, _, _) = t.run("docker images -q");
        assert_eq!(out.trim().len(), 12);
        let (plain, err, o) = t.run("docker build --progress=plain -q -t again .");
        assert_eq!((o.status, err.as_str()), (0, ""));
        assert!(plain.trim().starts_with("sha256:"), "{plain}");
    }

    #[test]
    fn labels_filter_the_images_list() {
        let files = vec![Entry::file("Dockerfile", "FROM ubuntu:14.04\nLABEL \"purpose\"=\"practice\"\n"), Entry::file("other/Dockerfile", "FROM alpine\n")];
        let mut t = Term::new(files);
        assert_eq!(t.run("docker build -t mybuild:0.0 ./").2.status, 0);
        assert_eq!(t.run("docker build -t plain other").2.status, 0);
        let (out, _, _) = t.run("docker images --filter \"label=purpose=practice\"");
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(out.contains("mybuild ") && !out.contains("plain"), "{out}");
        let (out, _, _) = t.run("docker images --format '{{.Repository}}:{{.Tag}}' plain");
        assert_eq!(out, "plain:latest\n");
        let (out, _, _) = t.run("docker image inspect --format '{{.Config.Labels}}' mybuild:0.0");
        assert_eq!(out, "map[purpose:practice]\n");
    }

    #[test]
    fn history_inspect_tag_rmi_run_save_clear() {
        let mut t = Term::new(vec![Entry::file("Dockerfile", "FROM diamol/base\nENV WHO=world\nCMD echo \"hello $WHO\"\n")]);
        t.run("docker build -t hello .");
        let (out, _, _) = t.run("docker history --no-trunc hello");
        let first = out.lines().nth(1).expect("a row");
        assert!(first.contains("CMD [\"/bin/sh\" \"-c\" \"echo \\\"hello $WHO\\\"\"]"), "{out}");
        assert!(out.lines().any(|l| l.starts_with("<missing>")), "{out}");
        let (out, _, o) = t.run("docker image inspect hello");
        assert_eq!(o.status, 0);
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(v[0]["RepoTags"][0], "hello:latest");
        assert_eq!(v[0]["Config"]["Env"][1], "WHO=world");

        let (out, err, o) = t.run("docker run --rm hello");
        assert_eq!((out.as_str(), err.as_str(), o.status), ("hello world\n", "", 0));
        let (out, _, _) = t.run("docker container run -e WHO=terminal hello");
        assert_eq!(out, "hello terminal\n");
        let (_, err, o) = t.run("docker run -d -p 80:80 --network nat hello");
        assert_eq!(o.status, 0);
        assert!(err.contains("--network has no effect") && err.contains("ports are not published") && err.contains("simulated"), "{err}");

        let (out, _, o) = t.run("docker tag hello copy:1 && docker rmi copy:1");
        assert_eq!((out.as_str(), o.status), ("Untagged: copy:1\n", 0));
        let (out, err, o) = t.run("docker history nope && docker images");
        assert_eq!((out.as_str(), err.as_str(), o.status), ("", "Error response from daemon: No such image: nope\n", 1));
        let (_, err, o) = t.run("docker save hello");
        assert_eq!(o.status, 1);
        assert!(err.starts_with("cowardly refusing"));
        let (_, _, o) = t.run("docker save -o out/hello.tar hello; clear");
        match &o.effects[..] {
            [Effect::Download { name, data }, Effect::Clear] => {
                assert_eq!(name, "hello.tar");
                assert!(data.len() > 1024);
            }
            other => panic!("{other:?}"),
        }
        let (out, _, o) = t.run("docker rmi hello");
        assert_eq!(o.status, 0);
        assert!(out.starts_with("Untagged: hello:latest\nDeleted: sha256:"), "{out}");
    }

    #[test]
    fn build_errors_and_context_paths() {
        let files = vec![Entry::file("Dockerfile", "FROM diamol/base\nRUN exit 3\n"), Entry::file("web/web.Dockerfile", "FROM diamol/base\nCOPY index.html /\n"), Entry::file("web/index.html", "hi")];
        let mut t = Term::new(files);
        let (_, err, o) = t.run("docker build -t broken .");
        assert_eq!(o.status, 1);
        assert!(err.contains("Dockerfile:2\n") && err.ends_with("ERROR: failed to solve: process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3\n"), "{err}");
        let (_, err, o) = t.run("docker build -f web/web.Dockerfile -t web web");
        assert_eq!(o.status, 0, "{err}");
        let (_, err, o) = t.run("docker build -t x nowhere");
        assert_eq!((o.status, err.as_str()), (1, "ERROR: unable to prepare context: path \"nowhere\" not found\n"));
        let (_, err, _) = t.run("docker build -t Bad .");
        assert!(err.starts_with("ERROR: invalid tag \"Bad\""), "{err}");
        let (_, err, _) = t.run("docker build https://github.com/x/y.git");
        assert!(err.contains("cannot reach the network"), "{err}");
        let (_, err, o) = t.run("docker build -t x . |");
        assert_eq!(o.status, 1);
        assert!(err.contains("pipes"), "{err}");
    }
}
