//! The Dockerfile parser (`syntax`) and the typed instructions (`instructions`): BuildKit's
//! own corpora, the seeds' examples, data-driven cases in `tests/parser/<case>/`, property
//! tests (no panic, exact round trip) and hostile inputs.

use crate::util::{assert_text_eq, root, shared};
use dfplay::instructions::{self, Command};
use dfplay::syntax::{self, DiagnosticKind, Form, Severity};
use proptest::prelude::*;
use std::path::Path;

/// Every invariant the tree promises, checked on one input.
fn check_invariants(input: &[u8]) -> syntax::Parsed {
    let parsed = syntax::parse(input);
    let tree = &parsed.tree;
    assert_eq!(tree.text(), input, "round trip");
    let mut at = 0;
    for t in tree.tokens() {
        assert_eq!(t.range.start, at, "tokens tile the input: {t:?}");
        assert!(t.range.end > t.range.start, "no empty token: {t:?}");
        at = t.range.end;
    }
    assert_eq!(at as usize, input.len(), "tokens reach the end");
    let len = input.len() as u32;
    for ins in tree.instructions() {
        assert!(ins.range.start <= ins.range.end && ins.range.end <= len);
        assert!(1 <= ins.start_line && ins.start_line <= ins.end_line && ins.end_line <= tree.line_count());
        for a in tree.args(ins).iter().chain([&ins.keyword]) {
            assert!(a.range.end <= len);
            let _ = a.text(tree);
        }
        for f in &ins.flags {
            assert!(f.range.end <= len);
            let _ = (f.name(tree), f.value(tree));
        }
        for h in &ins.heredocs {
            assert!(h.body.end <= len);
            let _ = h.chomped(tree);
        }
    }
    for d in &parsed.diagnostics {
        assert!(d.line >= 1 && d.col >= 1, "{d:?}");
    }
    let _ = syntax::dump(tree);
    let lowered = instructions::lower(tree);
    for d in &lowered.diagnostics {
        assert!(d.line >= 1 && d.col >= 1, "{d:?}");
    }
    parsed
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn case_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

#[test]
fn buildkit_parser_corpus_dumps_equal_results() {
    let Some(shared) = shared() else { return };
    let dirs = case_dirs(&shared.join("conformance/buildkit-parser"));
    assert!(dirs.len() >= 30, "the corpus is there");
    let mut failures = Vec::new();
    for dir in &dirs {
        let input = read(&dir.join("Dockerfile"));
        let expected = String::from_utf8_lossy(&read(&dir.join("result"))).trim_end().to_owned();
        let parsed = check_invariants(&input);
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        let got = syntax::dump(&parsed.tree).trim_end().to_owned();
        if !errors.is_empty() || got != expected {
            failures.push(format!("{}: errors {errors:?}\n--- expected\n{expected}\n--- got\n{got}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), dirs.len(), failures.join("\n"));
}

#[test]
fn buildkit_parser_negative_corpus_is_rejected_with_a_line() {
    let Some(shared) = shared() else { return };
    let dirs = case_dirs(&shared.join("conformance/buildkit-parser-negative"));
    assert!(dirs.len() >= 4);
    for dir in &dirs {
        let input = read(&dir.join("Dockerfile"));
        let parsed = check_invariants(&input);
        let err = parsed.diagnostics.iter().find(|d| d.is_error());
        let err = err.unwrap_or_else(|| panic!("{}: accepted", dir.display()));
        assert!(err.line >= 1, "{}: {err:?}", dir.display());
    }
}

#[test]
fn buildkit_parser_line_numbers() {
    let Some(shared) = shared() else { return };
    let parsed = check_invariants(&read(&shared.join("conformance/buildkit-parser-line/Dockerfile")));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let got: Vec<_> = parsed
        .tree
        .instructions()
        .iter()
        .map(|i| (i.keyword.text(&parsed.tree).to_owned(), i.start_line, i.end_line))
        .collect();
    let want = [("FROM", 5, 5), ("ENV", 11, 12), ("RUN", 17, 31)];
    let want: Vec<_> = want.iter().map(|(k, a, b)| (k.to_string(), *a, *b)).collect();
    assert_eq!(got, want);
}

#[test]
fn seed_examples_parse_without_diagnostics() {
    let Some(shared) = shared() else { return };
    let mut n = 0;
    for dir in case_dirs(&shared.join("examples")) {
        let path = dir.join("Dockerfile");
        if !path.exists() {
            continue;
        }
        n += 1;
        let parsed = check_invariants(&read(&path));
        assert!(parsed.diagnostics.is_empty(), "{}: {:?}", path.display(), parsed.diagnostics);
        let lowered = instructions::lower(&parsed.tree);
        assert!(lowered.diagnostics.is_empty(), "{}: {:?}", path.display(), lowered.diagnostics);
        assert!(!lowered.stages.is_empty(), "{}", path.display());
    }
    assert!(n >= 10, "the examples are there ({n})");
}

/// What a case prints: the dump, then every diagnostic (parser and instructions).
fn render_case(input: &[u8]) -> String {
    let parsed = check_invariants(input);
    let lowered = instructions::lower(&parsed.tree);
    let mut out = syntax::dump(&parsed.tree);
    out.push_str("---\n");
    for d in parsed.diagnostics.iter().chain(&lowered.diagnostics) {
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{}:{} {sev}: {}\n", d.line, d.col, d.buildkit_message()));
    }
    out
}

/// Compares `got` with the file `expect`, or rewrites it when `UPDATE_EXPECT=1`.
fn check(expect: &Path, got: &str) {
    if std::env::var("UPDATE_EXPECT").as_deref() == Ok("1") {
        std::fs::write(expect, got).unwrap_or_else(|e| panic!("{}: {e}", expect.display()));
        return;
    }
    let want = std::fs::read_to_string(expect).unwrap_or_default();
    assert_text_eq(&expect.display().to_string(), &want, got);
}

/// `tests/parser/<case>/`: `Dockerfile`, `expected` (dump and diagnostics, updated with
/// `UPDATE_EXPECT=1`) and, when the case was run through the reference BuildKit
/// (`tests/parser/record-buildkit.sh`), `buildkit`: the `line:` and `error:` it printed, or
/// a `differs:` line saying why dfplay follows today's BuildKit instead.
#[test]
fn parser_cases() {
    let dir = root().join("tests/parser");
    let mut checked_against_buildkit = 0;
    for case in case_dirs(&dir) {
        let input = read(&case.join("Dockerfile"));
        let got = render_case(&input);
        check(&case.join("expected"), &got);
        let bk = case.join("buildkit");
        if !bk.exists() {
            continue;
        }
        checked_against_buildkit += 1;
        let bk = std::fs::read_to_string(&bk).unwrap_or_default();
        if bk.lines().any(|l| l.starts_with("differs:")) {
            continue;
        }
        let field = |name: &str| bk.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).map(str::to_owned);
        let parsed = syntax::parse(&input);
        let lowered = instructions::lower(&parsed.tree);
        let first = parsed.diagnostics.iter().chain(&lowered.diagnostics).filter(|d| d.is_error()).min_by_key(|d| d.range.start);
        match field("error:") {
            Some(msg) => {
                let d = first.unwrap_or_else(|| panic!("{}: BuildKit says {msg:?}, dfplay accepts", case.display()));
                assert_eq!(d.buildkit_message(), msg, "{}", case.display());
                if let Some(line) = field("line:") {
                    assert_eq!(d.line.to_string(), line, "{}: line", case.display());
                }
            }
            None => assert!(first.is_none(), "{}: BuildKit accepts, dfplay says {first:?}", case.display()),
        }
    }
    assert!(checked_against_buildkit > 0);
}

#[test]
fn typed_instructions_keep_raw_words_and_spans() {
    let src = "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\n\
               RUN --mount=type=cache,target=/root/.cache \\\n    go build -o /out/app .\n\
               COPY --from=build --chown=app:app --chmod=0755 /out/app /usr/local/bin/\n\
               ENV A=1 B=\"two words\"\nENV LEGACY value here\n\
               HEALTHCHECK --interval=30s --retries=3 CMD [\"curl\", \"-f\", \"http://localhost/\"]\n\
               ONBUILD COPY . /src\n";
    let parsed = syntax::parse(src.as_bytes());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let lowered = instructions::lower(&parsed.tree);
    assert!(lowered.diagnostics.is_empty(), "{:?}", lowered.diagnostics);
    let stage = &lowered.stages[0];
    assert_eq!(stage.name.as_deref(), Some("build"));
    assert_eq!(stage.platform.as_ref().map(|w| w.text.as_str()), Some("$BUILDPLATFORM"));
    let slice = |w: &instructions::Word| &src[w.span.start as usize..w.span.end as usize];
    let c = &stage.commands;
    let Command::Run(run) = &c[0].command else { panic!("{:?}", c[0]) };
    assert_eq!(run.command.form, instructions::Form::Shell);
    assert_eq!(run.command.args[0].text, "go build -o /out/app .");
    let m = run.mounts[0].mount.as_ref().expect("mount parsed");
    assert_eq!(m.mount_type(), instructions::MountType::Cache);
    assert_eq!((c[0].start_line, c[0].end_line), (2, 3));
    let Command::Copy(copy) = &c[1].command else { panic!() };
    assert_eq!(copy.from.as_ref().map(|w| slice(w)), Some("build"));
    assert_eq!(copy.chmod.as_ref().map(|w| w.text.as_str()), Some("0755"));
    assert_eq!(slice(&copy.dest), "/usr/local/bin/");
    let Command::Env(env) = &c[2].command else { panic!() };
    assert_eq!(env.pairs[1].value.text, "\"two words\"", "raw: quotes kept for the words module");
    assert!(!env.pairs[1].legacy);
    let Command::Env(legacy) = &c[3].command else { panic!() };
    assert!(legacy.pairs[0].legacy);
    assert_eq!(legacy.pairs[0].value.text, "value here");
    let Command::Healthcheck(instructions::Healthcheck::Cmd { command, interval, retries, .. }) = &c[4].command else {
        panic!()
    };
    assert_eq!(command.form, instructions::Form::Exec);
    assert_eq!(interval.as_ref().map(|d| d.nanos), Some(30_000_000_000));
    assert_eq!(retries.as_ref().map(|r| r.value), Some(3));
    let Command::Onbuild(ob) = &c[5].command else { panic!() };
    assert_eq!(ob.expression, "COPY . /src");
    assert!(matches!(ob.trigger.as_deref().map(|t| &t.command), Some(Command::Copy(_))));
    // Serialises for `dfplay parse --format json` and the page.
    let json = serde_json::to_string(&lowered).expect("serialises");
    assert!(json.contains("\"instruction\":\"COPY\""));
}

#[test]
fn tree_keeps_what_lint_needs() {
    let src = "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n\nfrom alpine as build\nRUN a \\\n\n  b\nCMD echo hi\nLABEL k v\n";
    let parsed = syntax::parse(src.as_bytes());
    let tree = &parsed.tree;
    let check = tree.directive(syntax::DirectiveKind::Check).expect("check directive");
    assert_eq!(tree.slice(check.value), "skip=JSONArgsRecommended");
    assert_eq!(tree.directives().len(), 2);
    let ins = tree.instructions();
    assert_eq!(ins[0].keyword.text(tree), "from");
    assert_eq!(tree.args(&ins[0])[1].text(tree), "as");
    assert_eq!(ins[1].empty_continuation_lines, vec![6]);
    assert_eq!(ins[2].form, Form::Text);
    assert_eq!(ins[3].form, Form::KeyValue { legacy: true });
}

#[test]
fn escape_directive_and_crlf_and_bom() {
    let src = b"\xEF\xBB\xBF# escape=`\r\nFROM windows`\r\n  servercore\r\nRUN dir c:\\\r\n";
    let parsed = check_invariants(src);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(syntax::dump(&parsed.tree), "(from \"windows\" \"servercore\")\n(run \"dir c:\\\\\")\n");
    assert_eq!(parsed.tree.escape(), '`');
}

#[test]
fn heredocs_are_read_with_their_bodies() {
    let src = "FROM alpine\nRUN <<EOF cat >/a && <<-'E2' cat >/b\necho $HOME\nEOF\n\tno $expand\n\tE2\nCOPY <<one.txt /dst/\nhi\none.txt\nRUN echo done\n";
    let parsed = check_invariants(src.as_bytes());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let tree = &parsed.tree;
    let run = &tree.instructions()[1];
    assert_eq!(run.heredocs.len(), 2);
    assert_eq!(&*run.heredocs[0].name, "EOF");
    assert_eq!(run.heredocs[0].content(tree), "echo $HOME\n");
    assert!(run.heredocs[0].expand);
    assert!(run.heredocs[1].chomp && !run.heredocs[1].expand);
    assert_eq!(run.heredocs[1].chomped(tree), "no $expand\n");
    assert_eq!((run.start_line, run.end_line), (2, 6));
    let lowered = instructions::lower(tree);
    let Command::Copy(copy) = &lowered.stages[0].commands[1].command else { panic!() };
    assert_eq!(copy.heredocs[0].path, "one.txt");
    assert_eq!(copy.heredocs[0].data, "hi\n");
    assert!(copy.sources.is_empty());
    assert_eq!(tree.instructions()[3].start_line, 10);
}

// ---- hostile input -------------------------------------------------------------------

#[test]
fn a_50_mib_file_is_refused_with_a_clear_error() {
    let input = "RUN echo hello world\n".repeat(50 * 1024 * 1024 / 21 + 1).into_bytes();
    assert!(input.len() > 50 << 20);
    let parsed = check_invariants(&input);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.kind, DiagnosticKind::Limit);
    assert!(d.message.contains("too large"), "{}", d.message);
}

#[test]
fn a_1_mib_line_gets_buildkits_line_length_error() {
    let mut input = b"FROM alpine\nRUN echo ".to_vec();
    input.extend(vec![b'x'; 1 << 20]);
    input.push(b'\n');
    let parsed = check_invariants(&input);
    let d = parsed.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(d.message, "dockerfile line greater than max allowed size of 65535");
    assert_eq!(d.line, 2);
    // The longest line BuildKit accepts is accepted.
    let ok = format!("FROM alpine\nRUN {}\n", "y".repeat(65535 - 4));
    assert!(!check_invariants(ok.as_bytes()).has_errors());
}

#[test]
fn a_hundred_thousand_instructions() {
    let mut input = String::from("FROM alpine\n");
    for i in 0..100_000 {
        input.push_str(&format!("RUN echo {i}\n"));
    }
    let parsed = check_invariants(input.as_bytes());
    assert_eq!(parsed.tree.instructions().len(), 100_001);
    let lowered = instructions::lower(&parsed.tree);
    assert_eq!(lowered.stages[0].commands.len(), 100_000);
}

#[test]
fn onbuild_chains_are_bounded_and_rejected() {
    let two = check_invariants(b"FROM alpine\nONBUILD ONBUILD RUN x\n");
    assert_eq!(syntax::dump(&two.tree), "(from \"alpine\")\n(onbuild (onbuild (run \"x\")))\n");
    let lowered = instructions::lower(&two.tree);
    assert_eq!(
        lowered.diagnostics[0].buildkit_message(),
        "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
    );
    let deep = format!("FROM alpine\n{}RUN x\n", "ONBUILD ".repeat(7000));
    let parsed = check_invariants(deep.as_bytes());
    assert!(parsed.diagnostics.iter().any(|d| d.kind == DiagnosticKind::Limit), "{:?}", parsed.diagnostics);
}

#[test]
fn invalid_utf8_is_a_warning_with_a_position_and_round_trips() {
    let input = b"FROM alpine\nLABEL k=\xff\xfe-v\nRUN echo caf\xe9\n";
    let parsed = check_invariants(input);
    let d = &parsed.diagnostics[0];
    assert_eq!((d.kind, d.severity, d.line, d.col), (DiagnosticKind::Encoding, Severity::Warning, 2, 9));
    assert_eq!(syntax::dump(&parsed.tree), "(from \"alpine\")\n(label \"k\" \"\u{FFFD}\u{FFFD}-v\" \"=\")\n(run \"echo caf\u{FFFD}\")\n");
}

#[test]
fn deep_nesting_and_long_continuations_stay_linear() {
    // A JSON array nested far beyond Go's limit: shell form, no stack overflow.
    let deep = format!("FROM a\nCMD {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
    let parsed = check_invariants(deep.as_bytes());
    assert_eq!(parsed.tree.instructions()[1].form, Form::Text);
    // 200 000 continuation lines, 200 000 words on one logical line.
    let mut cont = String::from("FROM a\nEXPOSE");
    for i in 0..200_000 {
        cont.push_str(&format!(" {i} \\\n"));
    }
    cont.push_str("1\n");
    let parsed = check_invariants(cont.as_bytes());
    assert_eq!(parsed.tree.args(&parsed.tree.instructions()[1]).len(), 200_001);
    // Nested ${...} in a heredoc line, many heredoc markers, many comments.
    let dollar = format!("FROM a\nRUN {}x{} <<EOF\nEOF\n", "${a:-".repeat(5000), "}".repeat(5000));
    check_invariants(dollar.as_bytes());
    let markers = format!("FROM a\nRUN {}\n", "<<A ".repeat(20_000));
    let parsed = check_invariants(markers.as_bytes());
    assert!(parsed.diagnostics.iter().any(|d| d.message == "unterminated heredoc"));
    let comments = format!("FROM a\nRUN a \\\n{}b\n", "# c\n".repeat(200_000));
    check_invariants(comments.as_bytes());
}

// ---- property tests ------------------------------------------------------------------

/// Pieces of Dockerfile-like text: keywords in any case, flags, quotes, JSON, escapes,
/// continuations, comments, directives, heredocs, CRLF, odd spaces and bytes.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "FROM", "from", "RUN", "run", "Cmd", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
            "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "FOOO", "AS",
            "--from=x", "--mount=type=cache,target=/c", "--chown=\"a b\"", "--link", "--", "--=", "-x",
            "[\"a\", \"b\"]", "[", "]", "[\"a\",", "[1]", "\"", "'", "\\", "`", "=", "a=b", "k=\"v w\"", "$X",
            "${X:-y}", "<<EOF", "<<-'E'", "<<", "EOF", "E", "\tE", "NONE", "CMD", "#", "# escape=`",
            "# syntax=x", "# check=error=true", " ", "  ", "\t", "\n", "\r\n", "\\\n", "`\n", "\\ \n", "\u{a0}",
            "\u{3000}", "\u{feff}", "é", "\u{0}", "\x0b", "\x0c", "\r",
        ])
        .prop_map(str::to_owned),
        "[a-z0-9/._:-]{1,8}",
    ]
}

fn dockerfile_like() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(fragment(), 0..80),
        prop::option::weighted(0.1, Just(b"\xEF\xBB\xBF".to_vec())),
        prop::option::weighted(0.1, any::<u8>()),
    )
        .prop_map(|(parts, bom, junk)| {
            let mut v = bom.unwrap_or_default();
            for (i, p) in parts.iter().enumerate() {
                v.extend_from_slice(p.as_bytes());
                if i % 3 == 2 {
                    v.push(b' ');
                }
            }
            if let Some(b) = junk {
                let at = v.len() / 2;
                v.insert(at, b);
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_parse_without_panic_and_round_trip(input in prop::collection::vec(any::<u8>(), 0..600)) {
        check_invariants(&input);
    }

    #[test]
    fn dockerfile_like_text_round_trips(input in dockerfile_like()) {
        check_invariants(&input);
    }
}
