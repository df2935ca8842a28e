//! BuildKit's build checks (`lint`): data-driven cases in `tests/lint/<case>/` whose
//! `expected` (and `error`) BuildKit's own Dockerfile frontend printed (see
//! `tests/lint/oracle.sh`), the lint facts of `../shared/examples`, one positive and one
//! negative Dockerfile per rule, the check options, the `dfplay lint` command, property
//! tests (never a panic) and hostile inputs.

use crate::util::{assert_text_eq, root, shared};
use dfplay::lint::{self, rules, BaseImages, CheckConfig, LintOptions, LintReport};
use dfplay::syntax::Severity;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lint(df: &str) -> LintReport {
    lint::check(df.as_bytes(), &LintOptions::default())
}

fn rules_of(report: &LintReport) -> Vec<&'static str> {
    report.warnings.iter().map(|w| w.rule).collect()
}

fn case_dirs() -> Vec<PathBuf> {
    let dir = root().join("tests/lint");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Dockerfile").is_file())
        .collect();
    v.sort();
    v
}

/// The options a case folder asks for: `options` lines `build-arg NAME=value` and
/// `target NAME`.
fn case_options(dir: &Path) -> (std::collections::BTreeMap<String, String>, Option<String>) {
    let mut args = std::collections::BTreeMap::new();
    let mut target = None;
    if let Ok(text) = std::fs::read_to_string(dir.join("options")) {
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("build-arg", kv)) => {
                    let (k, v) = kv.split_once('=').expect("NAME=value");
                    args.insert(k.to_owned(), v.to_owned());
                }
                Some(("target", t)) => target = Some(t.to_owned()),
                _ => panic!("{}: bad options line {line:?}", dir.display()),
            }
        }
    }
    (args, target)
}

/// The message a failed check shows: the first error, or the lint violation.
fn failure(report: &LintReport) -> Option<String> {
    report.parse_errors.first().map(|d| d.buildkit_message()).or_else(|| report.violation.clone())
}

/// `lint violation found for rules: A, B` lists the rules in Go map order: compare sets.
fn same_error(expected: &str, got: &str) -> bool {
    const P: &str = "lint violation found for rules: ";
    match (expected.strip_prefix(P), got.strip_prefix(P)) {
        (Some(a), Some(b)) => a.split(", ").collect::<BTreeSet<_>>() == b.split(", ").collect::<BTreeSet<_>>(),
        _ => expected == got,
    }
}

#[test]
fn buildkit_cases() {
    let dirs = case_dirs();
    assert!(dirs.len() >= 80, "only {} cases", dirs.len());
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let df = read(&dir.join("Dockerfile"));
        let ignore = std::fs::read(dir.join(".dockerignore")).ok();
        let (build_args, target) = case_options(&dir);
        let options = LintOptions { dockerignore: ignore.as_deref(), build_args, target, ..Default::default() };
        let report = lint::check(&df, &options);
        let expected = String::from_utf8(read(&dir.join("expected"))).unwrap();
        assert_text_eq(&name, &expected, &lint::render_text(&report, "Dockerfile", &df));
        match std::fs::read_to_string(dir.join("error")) {
            Ok(e) => {
                let got = failure(&report).unwrap_or_else(|| panic!("{name}: BuildKit fails with {e:?}, dfplay passes"));
                assert!(same_error(e.trim_end_matches('\n'), &got), "{name}: error\n  BuildKit: {e}  dfplay:   {got}");
            }
            Err(_) => assert!(!report.failed(), "{name}: BuildKit passes, dfplay fails: {:?}", failure(&report)),
        }
    }
}

/// The examples from the notes: exactly what BuildKit says of each (its output recorded
/// in `tests/lint/examples/<name>/expected`), and the `lint:` facts of `expected.txt`.
#[test]
fn shared_examples() {
    let Some(shared) = shared() else { return };
    let mut seen = 0;
    for entry in std::fs::read_dir(shared.join("examples")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(df) = std::fs::read(dir.join("Dockerfile")) else { continue };
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let ignore = std::fs::read(dir.join(".dockerignore")).ok();
        let report = lint::check(&df, &LintOptions { dockerignore: ignore.as_deref(), ..Default::default() });
        let golden = root().join("tests/lint/examples").join(&name).join("expected");
        let expected = String::from_utf8(read(&golden)).unwrap();
        assert_text_eq(&name, &expected, &lint::render_text(&report, "Dockerfile", &df));
        assert!(!report.failed(), "{name}");
        // Every rule a `lint:` line of expected.txt names is reported, and only those.
        let facts = std::fs::read_to_string(dir.join("expected.txt")).unwrap_or_default();
        let named: BTreeSet<&str> = facts
            .lines()
            .filter_map(|l| l.strip_prefix("lint:"))
            .flat_map(|l| l.split(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|w| rules::by_name(w).is_some())
            .collect();
        let got: BTreeSet<&str> = rules_of(&report).into_iter().collect();
        if !named.is_empty() {
            assert_eq!(named, got, "{name}: lint facts of expected.txt");
        }
        seen += 1;
    }
    assert!(seen >= 11, "only {seen} examples");
    let apache = lint::check(&read(&shared.join("examples/apache-web/Dockerfile")), &LintOptions::default());
    assert_eq!(rules_of(&apache), ["MaintainerDeprecated", "JSONArgsRecommended"]);
    let builder = lint::check(&read(&shared.join("examples/go-helloworld-builder/Dockerfile")), &LintOptions::default());
    assert_eq!(rules_of(&builder), ["FromAsCasing"]);
}

/// One Dockerfile that breaks each rule and one that keeps it.
const RULE_CASES: &[(&str, &str, &str)] = &[
    ("StageNameCasing", "FROM alpine AS Build\n", "FROM alpine AS build\n"),
    ("FromAsCasing", "FROM alpine as build\n", "from alpine as build\n"),
    ("NoEmptyContinuation", "FROM alpine\nRUN echo \\\n\n  hi\n", "FROM alpine\nRUN echo \\\n# note\n  hi\n"),
    ("ConsistentInstructionCasing", "FROM alpine\nRUN a\nrun b\nRUN c\n", "FROM alpine\nRUN a\nRUN b\n"),
    ("DuplicateStageName", "FROM alpine AS a\nFROM alpine AS a\n", "FROM alpine AS a\nFROM alpine AS b\n"),
    ("ReservedStageName", "FROM alpine AS scratch\n", "FROM scratch AS base\n"),
    ("JSONArgsRecommended", "FROM alpine\nCMD echo hi\n", "FROM alpine\nSHELL [\"/bin/sh\", \"-c\"]\nCMD echo hi\n"),
    ("MaintainerDeprecated", "FROM alpine\nMAINTAINER me\n", "FROM alpine\nLABEL org.opencontainers.image.authors=me\n"),
    ("UndefinedArgInFrom", "FROM alpine:${VERSION:-3.19}\n", "ARG VERSION=3.19\nFROM alpine:$VERSION\n"),
    ("WorkdirRelativePath", "FROM alpine\nWORKDIR app\n", "FROM alpine\nWORKDIR /app\nWORKDIR sub\n"),
    ("UndefinedVar", "FROM alpine\nCOPY $SRC /app/\n", "FROM alpine\nARG SRC=.\nCOPY $SRC /app/\n"),
    ("MultipleInstructionsDisallowed", "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n", "FROM alpine\nCMD [\"a\"]\nFROM alpine\nCMD [\"b\"]\n"),
    ("LegacyKeyValueFormat", "FROM alpine\nENV A 1\n", "FROM alpine\nENV A=1\n"),
    ("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM alpine\n", "FROM --platform=$BUILDPLATFORM alpine\n"),
    ("SecretsUsedInArgOrEnv", "FROM alpine\nARG DB_PASSWORD\n", "FROM alpine\nARG DB_PASSWORD_FILE\n"),
    ("InvalidDefaultArgInFrom", "ARG TAG\nFROM alpine:$TAG\n", "ARG TAG=3.19\nFROM alpine:$TAG\n"),
    ("FromPlatformFlagConstDisallowed", "FROM --platform=linux/arm64 alpine\n", "FROM --platform=linux/arm64 alpine AS build-arm64\n"),
    ("ExposeProtoCasing", "FROM alpine\nEXPOSE 53/UDP\n", "FROM alpine\nEXPOSE 53/udp\n"),
    ("ExposeInvalidFormat", "FROM alpine\nEXPOSE 8080:80\n", "FROM alpine\nEXPOSE 80\n"),
    (
        "InvalidDefinitionDescription",
        "# check=experimental=InvalidDefinitionDescription\n\n# the build stage\nFROM alpine AS build\n",
        "# check=experimental=InvalidDefinitionDescription\n\n# build the app\nFROM alpine AS build\n",
    ),
];

#[test]
fn every_rule_positive_and_negative() {
    for (rule, bad, good) in RULE_CASES {
        let r = lint(bad);
        assert!(rules_of(&r).contains(rule), "{rule} not reported for {bad:?}: {:?}", rules_of(&r));
        let w = r.warnings.iter().find(|w| w.rule == *rule).unwrap();
        let info = rules::by_name(rule).unwrap();
        assert_eq!((w.description, w.url), (info.description, info.url));
        assert_eq!(w.severity, Severity::Warning);
        let r = lint(good);
        assert!(!rules_of(&r).contains(rule), "{rule} reported for {good:?}");
        assert!(r.parse_errors.is_empty(), "{rule}: {:?}", r.parse_errors);
    }
    // CopyIgnoredFile needs the context's .dockerignore.
    let with = |ignore: &str, df: &str| {
        let o = LintOptions { dockerignore: Some(ignore.as_bytes()), ..Default::default() };
        rules_of(&lint::check(df.as_bytes(), &o))
    };
    assert_eq!(with("*.log\n", "FROM alpine\nCOPY debug.log /\n"), ["CopyIgnoredFile"]);
    assert!(with("*.log\n", "FROM alpine\nCOPY app.txt /\n").is_empty());
    assert!(lint("FROM alpine\nCOPY debug.log /\n").warnings.is_empty());
    // Every rule of the ruleset has a case here, except the one dfplay cannot check.
    for info in rules::ALL {
        let covered = RULE_CASES.iter().any(|(r, _, _)| *r == info.name) || info.name == "CopyIgnoredFile";
        let skipped = rules::NOT_CHECKED.iter().any(|(r, _)| *r == info.name);
        assert!(covered != skipped, "{}", info.name);
    }
}

#[test]
fn messages_and_locations() {
    let r = lint("FROM alpine\nENV FOO=1\nCOPY --chown=app \\\n  ${FOOO}/x /dst/\n");
    let w = &r.warnings[0];
    assert_eq!(w.rule, "UndefinedVar");
    assert_eq!(w.message, "Usage of undefined variable '$FOOO' (did you mean $FOO?)");
    assert_eq!((w.start_line, w.end_line), (3, 4));
    assert_eq!((w.span.line, w.span.col, w.span.end_line, w.span.end_col), (4, 3, 4, 10), "the span covers ${{FOOO}}");

    let r = lint("FROM alpine AS Build\n");
    assert_eq!(r.warnings[0].message, "Stage name 'Build' should be lowercase");
    assert_eq!((r.warnings[0].span.col, r.warnings[0].span.end_col), (16, 21));

    let r = lint("FROM alpine\nCMD [\"a\"]\nRUN x\nCMD [\"b\"]\n");
    assert_eq!(r.warnings[0].message, "Multiple CMD instructions should not be used in the same stage because only the last one will be used");
    assert_eq!(r.warnings[0].start_line, 2, "reported on the CMD that is ignored");

    let r = lint("FROM alpine\nRUN a \\\n\n  b \\\n\n  c\n");
    assert_eq!(rules_of(&r), ["NoEmptyContinuation"], "one warning per instruction");
    assert_eq!((r.warnings[0].start_line, r.warnings[0].span.line), (6, 3), "BuildKit's line is the last; the span is the blank line");

    let r = lint("FROM alpine\nexpose 80/Tcp\n");
    let msgs: Vec<&str> = r.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(msgs, ["Command 'expose' should match the case of the command majority (uppercase)", "Defined protocol '80/Tcp' in EXPOSE instruction should be lowercase"]);
}

#[test]
fn check_options() {
    let df = "FROM alpine as b\nCMD echo hi\n";
    assert_eq!(rules_of(&lint(df)), ["FromAsCasing", "JSONArgsRecommended"]);
    // The page's switches replace the directive.
    let skip = |c: CheckConfig| rules_of(&lint::check(format!("# check=skip=all\n{df}").as_bytes(), &LintOptions { config: Some(c), ..Default::default() }));
    assert_eq!(skip(CheckConfig::default()), ["FromAsCasing", "JSONArgsRecommended"]);
    assert_eq!(skip(CheckConfig { skip: vec!["FromAsCasing".into()], ..Default::default() }), ["JSONArgsRecommended"]);
    // BUILDKIT_DOCKERFILE_CHECK as a build arg, as BuildKit reads it.
    let mut o = LintOptions::default();
    o.build_args.insert("BUILDKIT_DOCKERFILE_CHECK".into(), "skip=JSONArgsRecommended;error=true".into());
    let r = lint::check(df.as_bytes(), &o);
    assert_eq!(rules_of(&r), ["FromAsCasing"]);
    assert_eq!(r.warnings[0].severity, Severity::Error);
    assert_eq!(r.violation.as_deref(), Some("lint violation found for rules: FromAsCasing"));
    assert!(r.failed());
    o.build_args.insert("BUILDKIT_DOCKERFILE_CHECK".into(), "skip".into());
    let r = lint::check(df.as_bytes(), &o);
    assert_eq!(failure(&r).as_deref(), Some(r#"failed to parse BUILDKIT_DOCKERFILE_CHECK: invalid check option "skip""#));
    // error=true without warnings passes.
    let r = lint("# check=error=true\nFROM alpine\n");
    assert!(!r.failed() && r.config.error);
    // Experimental rules need enabling; skip=all does not touch them.
    let r = lint("# check=skip=all;experimental=all\n# nothing\nFROM alpine AS base\n");
    assert_eq!(rules_of(&r), ["InvalidDefinitionDescription"]);
    assert_eq!(r.warnings[0].message, "Comment for FROM should follow the format: `# base <description>`");
}

#[test]
fn target_and_stages() {
    let df = "FROM alpine AS a\nCMD echo a\nFROM alpine AS b\nWORKDIR rel\nFROM a AS c\nCMD echo c\n";
    assert_eq!(rules_of(&lint(df)), ["JSONArgsRecommended", "WorkdirRelativePath", "JSONArgsRecommended"]);
    let o = LintOptions { target: Some("c".into()), ..Default::default() };
    let r = lint::check(df.as_bytes(), &o);
    assert_eq!(r.warnings.iter().map(|w| w.start_line).collect::<Vec<_>>(), [2, 6], "stage b is not needed");
    let o = LintOptions { target: Some("nope".into()), ..Default::default() };
    assert_eq!(failure(&lint::check(df.as_bytes(), &o)).as_deref(), Some("target stage \"nope\" could not be found"));
    // A stage inherits its base stage's variables, WORKDIR and SHELL.
    let r = lint("FROM alpine AS base\nARG V\nENV E=1\nWORKDIR /app\nSHELL [\"sh\", \"-c\"]\nFROM base\nCOPY $V$E x/\nWORKDIR rel\nCMD run\n");
    assert!(r.warnings.is_empty(), "{:?}", rules_of(&r));
    // ONBUILD triggers run (and are reported) at the FROM that uses the stage.
    let r = lint("FROM alpine AS base\nONBUILD CMD echo hi\nFROM base\n");
    assert_eq!(rules_of(&r), ["JSONArgsRecommended"]);
    assert_eq!(r.warnings[0].start_line, 3);
}

#[test]
fn base_image_environments() {
    // golang's stand-in defines GOPATH; an unknown image may define anything.
    assert!(lint("FROM golang:1.22\nWORKDIR $GOPATH/src\n").warnings.is_empty());
    assert_eq!(rules_of(&lint("FROM alpine\nWORKDIR /$GOPATH/src\n")), ["UndefinedVar"]);
    assert!(lint("FROM registry.example/private/app\nWORKDIR /$APP_HOME\n").warnings.is_empty());
    let unknown = LintOptions { base_images: BaseImages::Unknown, ..Default::default() };
    assert!(lint::check(b"FROM alpine\nWORKDIR /$X\n", &unknown).warnings.is_empty());
    assert_eq!(rules_of(&lint::check(b"FROM scratch\nWORKDIR /$X\n", &unknown)), ["UndefinedVar"]);
    let env = |name: &str| (name == "corp/base").then(|| vec![("APP_HOME".to_owned(), "/app".to_owned())]);
    let custom = LintOptions { base_images: BaseImages::Custom(&env), ..Default::default() };
    assert!(lint::check(b"FROM corp/base\nWORKDIR $APP_HOME\n", &custom).warnings.is_empty());
    assert_eq!(rules_of(&lint::check(b"FROM corp/base\nWORKDIR /$APP_HOM\n", &custom)), ["UndefinedVar"]);
}

#[test]
fn errors_end_the_check_as_in_buildkit() {
    // Warnings before the first instruction error are kept; later ones are not.
    let r = lint("FROM alpine as b\nMAINTAINER x\nFORM y\nMAINTAINER z\nCMD echo\n");
    assert_eq!(rules_of(&r), ["FromAsCasing", "MaintainerDeprecated"]);
    assert_eq!(r.parse_errors[0].buildkit_message(), "dockerfile parse error on line 3: unknown instruction: FORM (did you mean FROM?)");
    // A syntax error: no warning at all.
    let r = lint("FROM alpine as b\nRUN <<EOF\n");
    assert!(r.warnings.is_empty());
    assert_eq!(r.parse_errors[0].message, "unterminated heredoc");
    // Every instruction error is listed, in order.
    let r = lint("FROM alpine\nFORM x\nCOPY a\n");
    assert_eq!(r.parse_errors.len(), 2);
}

fn dfplay(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dfplay"));
    cmd.args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    cmd.stdin(if stdin.is_some() { std::process::Stdio::piped() } else { std::process::Stdio::null() });
    let mut child = cmd.spawn().expect("run dfplay");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn command_line() {
    let case = root().join("tests/lint/copy-ignored-file");
    let file = case.join("Dockerfile");
    let (code, out, err) = dfplay(&["lint", file.to_str().unwrap()], None);
    assert_eq!((code, err.as_str()), (0, ""), "the context's .dockerignore is read; warnings pass");
    assert_text_eq("dfplay lint", &std::fs::read_to_string(case.join("expected")).unwrap(), &out);

    let (code, out, err) = dfplay(&["lint", "-"], Some(b"# check=error=true\nFROM alpine\nCMD echo hi\n"));
    assert_eq!(code, 1);
    assert!(out.starts_with("Check complete, 1 warning has been found!\n\nWARNING: JSONArgsRecommended"), "{out}");
    assert!(out.contains("\nDockerfile:3\n") && out.ends_with("--------------------\n\n"), "{out}");
    assert_eq!(err, "ERROR: lint violation found for rules: JSONArgsRecommended\n");

    let (code, out, err) = dfplay(&["lint", "-"], Some(b"FROM alpine\nFORM x\n"));
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(err, "<stdin>:2:1: dockerfile parse error on line 2: unknown instruction: FORM (did you mean FROM?)\n");

    let (code, out, _) = dfplay(&["lint", "--format", "json", "-"], Some(b"FROM alpine\nMAINTAINER me\n"));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["warnings"][0]["rule"], "MaintainerDeprecated");
    assert_eq!(v["warnings"][0]["url"], "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/");
    assert_eq!(v["warnings"][0]["span"]["line"], 2);
    assert_eq!(v["parse_errors"].as_array().unwrap().len(), 0);

    let (code, out, _) = dfplay(&["lint", "--build-arg", "BUILDKIT_DOCKERFILE_CHECK=skip=all", "-"], Some(b"FROM alpine\nMAINTAINER me\n"));
    assert_eq!((code, out.as_str()), (0, "Check complete, no warnings found.\n"));
    let (code, _, err) = dfplay(&["lint", "--target", "x", "-"], Some(b"FROM alpine AS y\n"));
    assert_eq!(code, 1);
    assert!(err.contains("target stage \"x\" could not be found"), "{err}");
}

/// Lines that look like a Dockerfile, mixed with noise.
fn dockerfile_line() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "FROM alpine", "from alpine as Build", "FROM $BASE", "FROM --platform=$TARGETPLATFORM a", "FROM --platform=linux/arm64 b AS c",
        "ARG A", "ARG B=${A:-x}", "ENV K v", "ENV K=$K:$X", "LABEL a b", "RUN echo $X \\", "", "  ", "# check=skip=all",
        "# check=error=true", "CMD echo", "CMD [\"a\"]", "ENTRYPOINT x", "HEALTHCHECK NONE", "WORKDIR rel", "WORKDIR $W",
        "COPY $S /d/", "COPY --from=0 a b", "COPY --from=c a b", "COPY <<EOF /x", "EOF", "$X ${Y", "ADD *.md /", "EXPOSE 80/TCP 1:2:3",
        "EXPOSE $P", "SHELL [\"sh\"]", "ONBUILD CMD x", "MAINTAINER m", "STOPSIGNAL $S", "VOLUME $V", "USER ${U:?}", "\\", "`",
        "# escape=`", "RUN --mount=type=cache,target=$T x", "ARG PASSWORD", "FROM scratch AS scratch",
    ]);
    prop_oneof![8 => words.prop_map(str::to_owned), 1 => "[ -~\t\\\\$`{}]{0,30}"]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_dockerfile_like_input(lines in prop::collection::vec(dockerfile_line(), 0..30), target in prop::option::of("[a-c]")) {
        let df = lines.join("\n");
        let ignore = b"*.md\nsecret\n";
        let o = LintOptions { target, dockerignore: Some(ignore), ..Default::default() };
        let r = lint::check(df.as_bytes(), &o);
        let lines = df.split('\n').count() as u32;
        for w in &r.warnings {
            prop_assert!(1 <= w.start_line && w.start_line <= w.end_line && w.end_line <= lines.max(1));
            prop_assert!(w.span.start <= w.span.end && w.span.end as usize <= df.len());
        }
        let _ = lint::render_text(&r, "Dockerfile", df.as_bytes());
    }

    #[test]
    fn never_panics_on_bytes(input in prop::collection::vec(any::<u8>(), 0..300)) {
        let r = lint::check(&input, &LintOptions { dockerignore: Some(&input), ..Default::default() });
        let _ = lint::render_text(&r, "Dockerfile", &input);
    }
}

/// Inputs built to be slow: each must finish (no timing here; `benches/lint.rs` measures).
#[test]
fn hostile_many_instructions() {
    let mut df = String::from("FROM alpine\n");
    for i in 1..100_000 {
        df.push_str(&format!("ENV V{i}=$V{}\n", i - 1));
    }
    let r = lint(&df);
    assert_eq!(r.warnings.len(), 1, "only the first ENV uses an undefined variable");
}

#[test]
fn hostile_expansion_amplification() {
    let mut df = format!("FROM alpine\nENV A={}\nENV B={}\n", "x".repeat(60_000), "$A".repeat(16));
    for _ in 0..2000 {
        df.push_str(&format!("WORKDIR /{}\n", "$B".repeat(16)));
    }
    let r = lint(&df);
    assert!(r.parse_errors.is_empty() && r.warnings.is_empty(), "{:?}", r.parse_errors);
}

#[test]
fn hostile_wide_stage_fan_out() {
    let mut df = String::from("FROM alpine AS base\n");
    for i in 0..20_000 {
        df.push_str(&format!("ENV E{i}=1\n"));
    }
    for _ in 0..5_000 {
        df.push_str("FROM base\nCOPY $UNDEFINED_THING /x\n");
    }
    let r = lint(&df);
    assert!(r.warnings.iter().all(|w| w.rule == "UndefinedVar"));
}

#[test]
fn hostile_many_undefined_among_many_names() {
    let mut df = String::from("FROM alpine\n");
    for i in 0..5_000 {
        df.push_str(&format!("ARG A{i}=1\n"));
    }
    for i in 0..20_000 {
        df.push_str(&format!("COPY $B{i} /\n"));
    }
    assert_eq!(lint(&df).warnings.len(), 20_000);
}
