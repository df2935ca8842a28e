//! Word processing (`dfplay::words`): BuildKit's own shell corpora, the edge cases
//! around them, the expansion table, ARG/ENV scoping, and bounded work on any input.

use crate::util::{root, shared};
use dfplay::words::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod conformance {
    use super::*;

    /// `envVarTest`: every A and U line (W lines are Windows-only), one word each,
    /// environment as in BuildKit's `TestShellParser4EnvVars`.
    #[test]
    fn env_var_test_all_a_and_u_lines() {
        let Some(shared) = shared() else { return };
        let text = std::fs::read_to_string(shared.join("conformance/buildkit-shell/envVarTest")).unwrap();
        let env = [("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", "")];
        let lex = Lexer::new('\\');
        let (mut run, mut failures) = (0, Vec::new());
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.trim().split('|').collect();
            assert_eq!(fields.len(), 3, "line {}: {line:?}", n + 1);
            let (platform, source, expected) = (fields[0].trim(), fields[1].trim(), fields[2].trim());
            if platform == "W" {
                continue;
            }
            assert!(platform == "A" || platform == "U", "line {}: bad tag {platform}", n + 1);
            run += 1;
            let got = lex.process_word(source, &env);
            let ok = match (&got, expected) {
                (Err(_), "error") => true,
                (Ok(w), e) => w == e && e != "error",
                _ => false,
            };
            if !ok {
                failures.push(format!("line {}: {source:?} expected {expected:?}, got {got:?}", n + 1));
            }
        }
        assert!(run > 200, "only {run} lines read");
        assert!(failures.is_empty(), "{} of {run} failed:\n{}", failures.len(), failures.join("\n"));
    }

    /// `wordsTest`: every line, with `ENV k=v` lines building the environment in order.
    #[test]
    fn words_test_all_lines() {
        let Some(shared) = shared() else { return };
        let text = std::fs::read_to_string(shared.join("conformance/buildkit-shell/wordsTest")).unwrap();
        let lex = Lexer::default();
        let mut env: Vec<(String, String)> = Vec::new();
        let (mut run, mut failures) = (0, Vec::new());
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("ENV ") {
                let kv = rest.trim_start_matches(' ');
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                env.push((k.to_string(), v.to_string()));
                continue;
            }
            let fields: Vec<&str> = line.split('|').collect();
            assert_eq!(fields.len(), 2, "line {}: {line:?}", n + 1);
            let input = fields[0].trim();
            let expected: Vec<&str> = fields[1].trim_start_matches(' ').split(',').collect();
            run += 1;
            let got = match lex.process_words(input, &env) {
                Ok(words) => words,
                Err(_) => vec!["error".to_string()],
            };
            if got != expected {
                failures.push(format!("line {}: {input:?} expected {expected:?}, got {got:?}", n + 1));
            }
        }
        assert!(run >= 20, "only {run} lines read");
        assert!(failures.is_empty(), "{} of {run} failed:\n{}", failures.len(), failures.join("\n"));
    }
}

mod lexer {
    use super::*;

    fn word(input: &str, env: &[(&str, &str)]) -> Result<String, String> {
        Lexer::default().process_word(input, env).map_err(|e| e.to_string())
    }

    /// The error texts a real BuildKit printed (tests/words/buildkit-errors.txt).
    #[test]
    fn errors_are_worded_as_buildkit_prints_them() {
        let text = std::fs::read_to_string(root().join("tests/words/buildkit-errors.txt")).unwrap();
        let env = [("PATH", DEFAULT_PATH)];
        let mut n = 0;
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let (input, expected) = line.split_once('\t').unwrap();
            assert_eq!(word(input, &env).unwrap_err(), expected, "{input}");
            n += 1;
        }
        assert_eq!(n, 8);
    }

    #[test]
    fn error_kinds_and_messages() {
        let lex = Lexer::default();
        let e = lex.process_word("${X:?must be set $Y}", &[("Y", "now")]).unwrap_err();
        assert_eq!(e.kind, WordErrorKind::Required { name: "X".into(), message: "must be set now".into() });
        assert_eq!(e.message(), "X: must be set now");
        assert_eq!(word("${E:?}", &[("E", "")]).unwrap_err(), r#"failed to process "${E:?}": E: is not allowed to be empty"#);
        assert_eq!(word("${E?}", &[("E", "")]), Ok(String::new()));
        assert_eq!(word("'abc", &[]).unwrap_err(), r#"failed to process "'abc": unexpected end of statement while looking for matching single-quote"#);
        // Since BuildKit v0.15 (dockerfile 1.9) the trim modifiers take no colon.
        assert_eq!(word("${X:#a}", &[]).unwrap_err(), r#"failed to process "${X:#a}": unsupported modifier (:#) in substitution"#);
        assert_eq!(word("${X:%%a}", &[]).unwrap_err(), r#"failed to process "${X:%%a}": unsupported modifier (:%) in substitution"#);
        assert_eq!(word("${X:", &[]).unwrap_err(), r#"failed to process "${X:": syntax error: missing '}'"#);
        assert_eq!(word("${X.}", &[]).unwrap_err(), r#"failed to process "${X.}": unsupported modifier (.) in substitution"#);
        assert_eq!(word("${X:YY}", &[]).unwrap_err(), r#"failed to process "${X:YY}": unsupported modifier (:Y) in substitution"#);
        // `%` shows the pattern reversed, as BuildKit's error does.
        assert_eq!(word("${P%ab\\x}", &[("P", "v")]).unwrap_err(), r#"failed to process "${P%ab\\x}": invalid pattern (\xba) in substitution: invalid escape '\x'"#);
        assert_eq!(word("${P#a\\}", &[("P", "v")]).unwrap_err(), r#"failed to process "${P#a\\}": syntax error: missing '}'"#);
        // An inner error that is not at the end of the word is reported as is.
        assert_eq!(word("${A:-${}}", &[]).unwrap_err(), r#"failed to process "${A:-${}}": syntax error: bad substitution"#);
        // …but at the end of the word the missing brace wins.
        assert_eq!(word("${A:-\"x}", &[]).unwrap_err(), r#"failed to process "${A:-\"x}": syntax error: missing '}'"#);
        // Non-ASCII words are quoted readably; controls are escaped as Go does.
        assert_eq!(word("안녕${", &[]).unwrap_err(), r#"failed to process "안녕${": syntax error: missing '}'"#);
        assert_eq!(word("a\t${", &[]).unwrap_err(), r#"failed to process "a\t${": syntax error: missing '}'"#);
    }

    #[test]
    fn error_spans_point_into_the_word() {
        let e = Lexer::default().process_word("ok ${A:=x} rest", &[] as &[(&str, &str)]).unwrap_err();
        assert_eq!(&e.word[e.span.start..e.span.start + 2], "${");
        let e = Lexer::default().process_word("a 'b", &[] as &[(&str, &str)]).unwrap_err();
        assert_eq!(e.span, 2..4);
    }

    /// input, environment, result (None: an error), matched, unmatched.
    type MatchCase<'a> = (&'a str, &'a [(&'a str, &'a str)], Option<&'a str>, &'a [&'a str], &'a [&'a str]);

    /// BuildKit's TestProcessWithMatches cases (lex_test.go): result, matched, unmatched.
    #[test]
    fn matches_and_unmatched_names() {
        let cases: &[MatchCase] = &[
            ("x", &[("DUMMY", "dummy")], Some("x"), &[], &[]),
            ("x ${UNUSED}", &[("DUMMY", "dummy")], Some("x "), &[], &["UNUSED"]),
            ("x ${FOO}", &[("FOO", "y")], Some("x y"), &["FOO"], &[]),
            ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", &[("FOO", "xxx"), ("BAR", "")], Some("xxx  ccc"), &["FOO", "BAR"], &["BAZ"]),
            ("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", &[("FOO", "xxx"), ("BAR", "")], Some("xxx bbb ccc"), &["FOO", "BAR"], &["BAZ"]),
            ("${FOO:-}", &[], Some(""), &[], &["FOO"]),
            ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", &[("FOO", "xxx"), ("BAR", "")], Some("aaa bbb "), &["FOO", "BAR"], &["BAZ"]),
            ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", &[("FOO", "xxx"), ("BAR", "")], Some("aaa  "), &["FOO", "BAR"], &["BAZ"]),
            ("${BAR?bbb}", &[("BAR", "")], Some(""), &["BAR"], &[]),
            ("${BAZ?ccc}", &[], None, &[], &["BAZ"]),
            ("${BAR:?bbb}", &[("BAR", "")], None, &["BAR"], &[]),
            ("${FOO=aaa}", &[("FOO", "xxx")], None, &["FOO"], &[]),
            ("${FOO=}", &[], None, &[], &["FOO"]),
            ("${FOO#()[]{\\}^$.\\*\\?|\\\\}", &[("FOO", "()[]{}^$.*?|\\x")], Some("x"), &["FOO"], &[]),
            ("${FOO%%\\**}", &[("FOO", "xx**")], Some("xx"), &["FOO"], &[]),
            ("${FOO#*x*y}", &[("FOO", "xxyy")], Some("y"), &["FOO"], &[]),
            ("${FOO#*}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")], Some("xyy"), &["FOO", "BAR"], &[]),
            ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")], Some("xxyy"), &["FOO", "BAR"], &[]),
            ("${FOO#}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO##*x}", &[("FOO", "xxyy")], Some("yy"), &["FOO"], &[]),
            ("${FOO##}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO#?\\?}", &[("FOO", "???y")], Some("?y"), &["FOO"], &[]),
            ("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")], Some(".xxyy."), &["FOO"], &["ABC"]),
            ("${FOO%%\\**\\*}", &[("FOO", "a***yy*")], Some("a"), &["FOO"], &[]),
            ("${FOO%}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO%%$BAR}", &[("FOO", "xxyy"), ("BAR", "")], Some("xxyy"), &["FOO", "BAR"], &[]),
            ("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")], Some("/foo.*/*.txt - /foo..*.txt"), &["FOO", "NEEDLE"], &[]),
            ("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")], Some("/tmp/bar.txt - /bar.txt"), &["FOO", "NEEDLE"], &[]),
            ("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", &[("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("REPLACEMENT", "/")], Some("/foo/b/c.txt - /foo/c.txt"), &["FOO", "NEEDLE", "REPLACEMENT"], &[]),
            ("${FOO/$NEEDLE/$REPLACEMENT}", &[("FOO", "http://google.de"), ("NEEDLE", "http://"), ("REPLACEMENT", "https://")], Some("https://google.de"), &["FOO", "NEEDLE", "REPLACEMENT"], &[]),
            ("${FOO//\\//\\/}", &[("FOO", "/tmp/foo.txt")], Some("\\/tmp\\/foo.txt"), &["FOO"], &[]),
            ("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")], Some("wwxxyy"), &["FOO", "BAR"], &[]),
            ("${FOO//ww}", &[("FOO", "xxyy")], None, &[], &[]),
            ("${FOO//}", &[("FOO", "xxyy")], None, &[], &[]),
            ("${FOO///}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO///}", &[], Some(""), &[], &["FOO"]),
        ];
        let lex = Lexer::default();
        for (input, env, expected, matched, unmatched) in cases {
            let m = lex.process_word_with_matches(input, *env);
            match expected {
                Some(e) => assert_eq!(m.result.as_deref(), Ok(*e), "{input}"),
                None => {
                    assert!(m.result.is_err(), "{input} should fail, gave {:?}", m.result);
                    continue;
                }
            }
            let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
            assert_eq!(m.matched, set(matched), "{input} matched");
            assert_eq!(m.unmatched, set(unmatched), "{input} unmatched");
        }
    }

    /// Unmatched names are reported even when the word fails (BuildKit lints them first).
    #[test]
    fn unmatched_survive_an_error() {
        let m = Lexer::default().process_word_with_matches("$A ${B:?}", &NoEnv);
        assert!(m.result.is_err());
        assert_eq!(m.unmatched.into_iter().collect::<Vec<_>>(), ["A", "B"]);
    }

    #[test]
    fn mandatory_variables() {
        let lex = Lexer::default();
        let set = [("VAR", "plain"), ("ARG", "x")];
        let empty = [("VAR", ""), ("ARG", "x")];
        let unset = [("ARG", "x")];
        let no_empty = "${VAR:?message here$ARG}";
        let no_unset = "${VAR?message here$ARG}";
        assert_eq!(lex.process_word(no_empty, &set).unwrap(), "plain");
        assert!(lex.process_word(no_empty, &empty).unwrap_err().to_string().ends_with("VAR: message herex"));
        assert!(lex.process_word(no_empty, &unset).unwrap_err().to_string().ends_with("VAR: message herex"));
        assert_eq!(lex.process_word(no_unset, &set).unwrap(), "plain");
        assert_eq!(lex.process_word(no_unset, &empty).unwrap(), "");
        assert!(lex.process_word(no_unset, &unset).unwrap_err().to_string().ends_with("VAR: message herex"));
    }

    #[test]
    fn platform_style_words() {
        let release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        let lex = Lexer::default();
        let arm = [("VERSION", "v1.2.3"), ("TARGETOS", "linux"), ("TARGETARCH", "arm"), ("TARGETVARIANT", "v7")];
        assert_eq!(lex.process_word(release, &arm).unwrap(), "something-v1.2.3.linux-arm-v7.tar.gz");
        let arm64 = [("VERSION", "v1.2.3"), ("TARGETOS", "linux"), ("TARGETARCH", "arm64"), ("TARGETVARIANT", "")];
        assert_eq!(lex.process_word(release, &arm64).unwrap(), "something-v1.2.3.linux-arm64.tar.gz");
        assert_eq!(lex.process_word(release, &arm64[..3]).unwrap(), "something-v1.2.3.linux-arm64.tar.gz");
    }

    #[test]
    fn backtick_escape_directive() {
        let lex = Lexer::new('`');
        let env = [("X", "1")];
        assert_eq!(lex.process_word("a`$X b", &env).unwrap(), "a$X b");
        assert_eq!(lex.process_word(r"C:\path\$X", &env).unwrap(), r"C:\path\1");
        assert_eq!(lex.process_word(r#""q`"q`$X``" x"#, &env).unwrap(), r#"q"q$X` x"#);
        assert_eq!(lex.process_word("end`", &env).unwrap(), "end");
        assert_eq!(lex.process_words("a` b c", &env).unwrap(), ["a b", "c"]);
    }

    #[test]
    fn words_split_on_unquoted_whitespace_only() {
        let lex = Lexer::default();
        let env = [("P", "80  443"), ("E", "")];
        assert_eq!(lex.process_words("$P 8080/tcp", &env).unwrap(), ["80", "443", "8080/tcp"]);
        assert_eq!(lex.process_words(r#""$P" x"#, &env).unwrap(), ["80  443", "x"]);
        assert_eq!(lex.process_words(r#"a "" $E b"#, &env).unwrap(), ["a", "b"]);
        assert_eq!(lex.process_words("\t a\u{a0}b \n", &env).unwrap(), ["a", "b"]);
        // `<<` and the blanks after it stay one word (heredoc markers).
        assert_eq!(lex.process_words("cat << EOF x", &env).unwrap(), ["cat", "<< EOF", "x"]);
        // The whole word before a substitution stays (BuildKit v0.15+ would drop "8").
        assert_eq!(lex.process_words("8${N:-0}/tcp", &env).unwrap(), ["80/tcp"]);
    }

    #[test]
    fn the_lexer_switches() {
        let env = [("X", "1")];
        let raw = Lexer::for_run_label('\\');
        assert_eq!(raw.process_word(r#"echo "$X" '$X' $U ${U} ${U:-d} ${U/a/b} ${U#p}"#, &env).unwrap(), r#"echo "1" '$X' $U ${U} ${U:-d} ${U/a/b} ${U#p}"#);
        let keep = Lexer::default().with_raw_escapes(true);
        assert_eq!(keep.process_word(r"a\ b\$X", &env).unwrap(), r"a\ b\$X");
        let heredoc = Lexer::for_heredoc();
        // What a real BuildKit wrote for a COPY heredoc body with X=1 and V=cli.
        let env = [("X", "1"), ("V", "cli")];
        assert_eq!(heredoc.process_word("X is $X and '$V' and \\$X\n", &env).unwrap(), "X is 1 and 'cli' and $X\n");
        assert_eq!(heredoc.process_word("\"$X\"", &env).unwrap(), "\"1\"");
    }

    #[test]
    fn positional_and_special_parameters_are_never_set() {
        let lex = Lexer::default();
        let env = [("1", "one"), ("X", "x")];
        // A name starting with a digit reads all digits.
        assert_eq!(lex.process_word("$12a", &NoEnv).unwrap(), "a");
        assert_eq!(lex.process_word("$1", &env).unwrap(), "one");
        assert_eq!(lex.process_word("$$X", &env).unwrap(), "X");
        assert_eq!(lex.process_word("${#}${#:-d}", &NoEnv).unwrap(), "d");
        assert_eq!(lex.process_word("$", &NoEnv).unwrap(), "$");
        assert_eq!(lex.process_word("a$ b$.", &NoEnv).unwrap(), "a$ b$.");
        assert_eq!(lex.process_word("$한국", &[("한국", "k")]).unwrap(), "k");
    }

    #[test]
    fn env_implementations_agree() {
        let lex = Lexer::default();
        let input = "$A-${B:-b}-${C+c}";
        let pairs = vec![("A".to_string(), "1".to_string()), ("C".to_string(), String::new())];
        let btree: BTreeMap<String, String> = pairs.iter().cloned().collect();
        let hash: HashMap<String, String> = pairs.iter().cloned().collect();
        let config = ["A=1".to_string(), "C=".to_string()];
        let list = {
            let mut l = EnvList::new();
            l.set("A", "1");
            l.set("C", "");
            l
        };
        for got in [
            lex.process_word(input, &pairs),
            lex.process_word(input, &btree),
            lex.process_word(input, &hash),
            lex.process_word(input, &ConfigEnv(&config)),
            lex.process_word(input, &list),
        ] {
            assert_eq!(got.unwrap(), "1-b-c");
        }
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped_as_go_does() {
        assert_eq!(Lexer::default().process_word("\u{feff}a\u{feff}", &NoEnv).unwrap(), "a\u{feff}");
    }
}

mod expansion {
    use super::*;

    #[test]
    fn buildkit_expands_these_and_leaves_those() {
        for (i, p) in [("ENV", "value"), ("LABEL", "key"), ("COPY", "--chown"), ("COPY", "--chmod"), ("ADD", "--checksum"), ("WORKDIR", "args"), ("USER", "args"), ("VOLUME", "args"), ("STOPSIGNAL", "args"), ("RUN", "--mount")] {
            assert_eq!(expansion_of(i, p), Some(Expansion::Word), "{i} {p}");
        }
        assert_eq!(expansion_of("EXPOSE", "args"), Some(Expansion::Words));
        assert_eq!(expansion_of("FROM", "image"), Some(Expansion::Global));
        assert_eq!(expansion_of("FROM", "--platform"), Some(Expansion::Global));
        assert_eq!(expansion_of("ARG", "value"), Some(Expansion::ArgDefault));
        for (i, p) in [("RUN", "command"), ("CMD", "command"), ("ENTRYPOINT", "command"), ("RUN", "heredoc")] {
            assert_eq!(expansion_of(i, p), Some(Expansion::Shell), "{i} {p}");
        }
        for (i, p) in [("SHELL", "args"), ("MAINTAINER", "args"), ("ONBUILD", "trigger"), ("COPY", "--exclude"), ("FROM", "name"), ("HEALTHCHECK", "options")] {
            assert_eq!(expansion_of(i, p), Some(Expansion::Literal), "{i} {p}");
        }
        assert_eq!(expansion_of("COPY", "heredoc"), Some(Expansion::HeredocBody));
        let Some(Expansion::Rejected(msg)) = expansion_of("COPY", "--from") else { panic!() };
        assert!(msg.starts_with("variable expansion is not supported for --from"));
        assert_eq!(expansion_of("COPY", "nonsense"), None);
    }

    /// Step labels as a real BuildKit printed them (see the scope test below for the
    /// Dockerfile): RUN keeps quotes and unset names, COPY/WORKDIR expand as words.
    #[test]
    fn step_labels() {
        let env = [("V", "cli"), ("W", "cli-w"), ("X", "1"), ("Y", "")];
        assert_eq!(
            step_label('\\', r#"RUN echo "V=$V W=$W X=$X Y=[$Y]" '$X' $UNSET "${X}""#, &env),
            r#"RUN echo "V=cli W=cli-w X=1 Y=[]" '$X' $UNSET "1""#
        );
        assert_eq!(step_label('\\', r#"COPY "f" /dst$X/"#, &env), "COPY f /dst1/");
        assert_eq!(step_label('\\', "WORKDIR /w$X/$UNSET", &env), "WORKDIR /w1/");
        assert_eq!(step_label('\\', "COPY <<EOT /here", &env), "COPY <<EOT /here");
        assert_eq!(step_label('\\', "copy ${X:?} ${BAD", &env), "COPY ${X:?} ${BAD");
    }
}

mod scope {
    use super::*;

    fn opts(build_args: &[(&str, &str)]) -> BuildOptions {
        BuildOptions {
            build_args: build_args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..BuildOptions::default()
        }
    }

    fn get(env: &[(String, String)], k: &str) -> Option<String> {
        env.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    /// Reference build (Docker 26, `--build-arg UNUSED=1`):
    /// ```text
    /// ARG G=global
    /// FROM busybox
    /// ENV FOO=fromenv
    /// ARG FOO=fromarg
    /// ARG BAR=bar
    /// ENV BAR=envbar
    /// ARG G
    /// ARG TARGETARCH
    /// RUN echo "FOO=$FOO BAR=$BAR G=$G TA=$TARGETARCH TP=$TARGETPLATFORM"
    /// EXPOSE 8${X:-0}
    /// LABEL l="${FOO}" m=$BAR
    /// ```
    /// printed `FOO=fromarg BAR=envbar G=global TA=amd64 TP=`, recorded config Env
    /// `[PATH, FOO=fromenv, BAR=envbar]`, port 80/tcp, labels l=fromarg m=envbar, and
    /// no warning about UNUSED.
    #[test]
    fn env_and_arg_precedence_as_the_reference_showed() {
        let lex = Lexer::default();
        let mut g = GlobalScope::new(&opts(&[("UNUSED", "1")]));
        g.declare_arg(&lex, "G", Some("global")).unwrap();
        let mut s = StageScope::from_image(&g, &["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
        s.env_instruction(&lex, &[("FOO", "fromenv")]).unwrap();
        s.arg_instruction(&lex, "FOO", Some("fromarg")).unwrap();
        s.arg_instruction(&lex, "BAR", Some("bar")).unwrap();
        s.env_instruction(&lex, &[("BAR", "envbar")]).unwrap();
        assert_eq!(s.arg_instruction(&lex, "G", None).unwrap().source, ArgSource::Global);
        assert_eq!(s.arg_instruction(&lex, "TARGETARCH", None).unwrap().value.as_deref(), Some("amd64"));
        let run = s.run_env();
        for (k, v) in [("FOO", "fromarg"), ("BAR", "envbar"), ("G", "global"), ("TARGETARCH", "amd64")] {
            assert_eq!(get(&run, k).as_deref(), Some(v), "{k}");
        }
        assert_eq!(get(&run, "TARGETPLATFORM"), None);
        assert_eq!(s.config_env(), ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "FOO=fromenv", "BAR=envbar"]);
        assert_eq!(s.expand_words(&lex, "8${X:-0}").unwrap(), ["80"]);
        assert_eq!(s.expand(&lex, "\"${FOO}\"").result.unwrap(), "fromarg");
        assert_eq!(s.expand(&lex, "$BAR").result.unwrap(), "envbar");
        let declared: Vec<&str> = g.declared_args().iter().chain(s.declared_args()).map(|(k, _)| k.as_str()).collect();
        let unconsumed = unconsumed_build_args(g.build_args(), declared);
        assert_eq!(unconsumed, ["UNUSED"]);
        assert_eq!(unconsumed_warning(&unconsumed).unwrap(), "[Warning] One or more build-args [UNUSED] were not consumed");
    }

    /// Reference build with `--build-arg V=cli`:
    /// ```text
    /// ARG BASE=busybox
    /// ARG V=global
    /// FROM ${BASE} AS base
    /// ARG V
    /// ARG W=$V-w
    /// ENV X=1 Y=$X
    /// RUN echo "V=$V W=$W X=$X Y=[$Y]" …    → V=cli W=cli-w X=1 Y=[]
    /// FROM base
    /// RUN echo "child sees V=$V W=$W"      → child sees V=cli W=cli-w
    /// ```
    #[test]
    fn stages_inherit_args_from_their_base_stage() {
        let lex = Lexer::default();
        let mut g = GlobalScope::new(&opts(&[("V", "cli")]));
        g.declare_arg(&lex, "BASE", Some("busybox")).unwrap();
        assert_eq!(g.declare_arg(&lex, "V", Some("global")).unwrap().as_deref(), Some("cli"));
        assert_eq!(g.expand(&lex, "${BASE}").result.unwrap(), "busybox");
        let mut base = StageScope::from_image(&g, &[] as &[&str]);
        assert_eq!(base.arg_instruction(&lex, "V", None).unwrap().source, ArgSource::BuildArg);
        base.arg_instruction(&lex, "W", Some("$V-w")).unwrap();
        base.env_instruction(&lex, &[("X", "1"), ("Y", "$X")]).unwrap();
        for (k, v) in [("V", "cli"), ("W", "cli-w"), ("X", "1"), ("Y", "")] {
            assert_eq!(base.get(k), Some(v), "{k}");
        }
        let child = StageScope::from_stage(&base);
        assert_eq!(child.get("V"), Some("cli"));
        assert_eq!(child.get("W"), Some("cli-w"));
        assert!(child.is_declared_arg("W"));
    }

    /// Reference build (`--build-arg D=dd`): history `RUN |3 C=3 B=2 D=dd /bin/sh -c …`
    /// and config Env `[PATH, A=4, B=2, HTTP_PROXY=]`.
    #[test]
    fn run_history_args_and_config_env() {
        let lex = Lexer::default();
        let g = GlobalScope::new(&opts(&[("D", "dd"), ("http_proxy", "http://p:1")]));
        let mut s = StageScope::from_image(&g, &["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
        s.env_instruction(&lex, &[("A", "1"), ("B", "2")]).unwrap();
        s.arg_instruction(&lex, "C", Some("3")).unwrap();
        s.env_instruction(&lex, &[("A", "4")]).unwrap();
        assert_eq!(s.arg_instruction(&lex, "B", None).unwrap().source, ArgSource::Unset);
        s.arg_instruction(&lex, "D", None).unwrap();
        s.env_instruction(&lex, &[("HTTP_PROXY", "")]).unwrap();
        assert_eq!(s.run_history_args(), ["|3", "C=3", "B=2", "D=dd"]);
        assert_eq!(s.config_env(), ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=4", "B=2", "HTTP_PROXY="]);
        // Order of the RUN env: each name where it was last set.
        let names: Vec<String> = s.run_env().into_iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["PATH", "B", "C", "A", "D", "HTTP_PROXY"]);
        // Proxy build args reach the process, after the env, both spellings.
        assert_eq!(s.proxy_env(), [("HTTP_PROXY".to_string(), "http://p:1".to_string()), ("http_proxy".into(), "http://p:1".into())]);
        let process = s.process_env();
        assert_eq!(get(&process, "HTTP_PROXY").as_deref(), Some("http://p:1"));
        assert!(unconsumed_build_args(g.build_args(), ["C", "B", "D"]).is_empty());
    }

    #[test]
    fn global_args_need_redeclaring_and_only_from_sees_them() {
        let lex = Lexer::default();
        let mut g = GlobalScope::new(&BuildOptions::default());
        g.declare_arg(&lex, "VERSION", Some("3.19")).unwrap();
        g.declare_arg(&lex, "IMAGE", Some("alpine:$VERSION")).unwrap();
        g.declare_arg(&lex, "NOVALUE", None).unwrap();
        assert_eq!(g.expand(&lex, "$IMAGE").result.unwrap(), "alpine:3.19");
        let from = g.expand(&lex, "$NOVALUE$MISSING:${TARGETARCH}");
        assert_eq!(from.result.unwrap(), ":amd64");
        assert_eq!(from.unmatched.into_iter().collect::<Vec<_>>(), ["MISSING", "NOVALUE"]);
        let mut s = StageScope::from_image(&g, &[] as &[&str]);
        let m = s.expand(&lex, "$VERSION");
        assert_eq!(m.result.unwrap(), "");
        assert_eq!(s.undefined_vars(&m.unmatched), ["VERSION"]);
        // A default in the stage beats the global value; the default expands against
        // the stage, where VERSION is not declared.
        let out = s.arg_instruction(&lex, "IMAGE", Some("img:$VERSION")).unwrap();
        assert_eq!((out.value.as_deref(), out.source), (Some("img:"), ArgSource::Default));
        assert_eq!(out.unmatched.into_iter().collect::<Vec<_>>(), ["VERSION"]);
        s.arg_instruction(&lex, "VERSION", None).unwrap();
        assert_eq!(s.get("VERSION"), Some("3.19"));
        // Declared without a value: not undefined for lint, but unset for RUN.
        s.arg_instruction(&lex, "NOVALUE", None).unwrap();
        assert_eq!(s.get("NOVALUE"), None);
        assert!(s.undefined_vars(&["NOVALUE".to_string()]).is_empty());
    }

    #[test]
    fn build_args_override_defaults_and_are_taken_literally() {
        let lex = Lexer::default();
        let mut g = GlobalScope::new(&opts(&[("A", "$HOME"), ("B", "cli")]));
        assert_eq!(g.declare_arg(&lex, "A", Some("x")).unwrap().as_deref(), Some("$HOME"));
        let mut s = StageScope::from_image(&g, &["HOME=/root"]);
        let b = s.arg_instruction(&lex, "B", Some("default")).unwrap();
        assert_eq!((b.value.as_deref(), b.source), (Some("cli"), ArgSource::BuildArg));
        assert_eq!(s.arg_instruction(&lex, "A", None).unwrap().value.as_deref(), Some("$HOME"));
        // One ARG's names apply in order.
        s.arg_instruction(&lex, "P", Some("1")).unwrap();
        s.arg_instruction(&lex, "Q", Some("$P$P")).unwrap();
        assert_eq!(s.get("Q"), Some("11"));
    }

    #[test]
    fn arg_values_change_the_run_cache_key_and_not_the_image() {
        let lex = Lexer::default();
        let stage = |value: &str| {
            let g = GlobalScope::new(&opts(&[("VERSION", value)]));
            let mut s = StageScope::from_image(&g, &["PATH=/bin"]);
            s.arg_instruction(&lex, "VERSION", Some("1")).unwrap();
            s
        };
        let (a, b) = (stage("1"), stage("2"));
        assert_ne!(a.run_env(), b.run_env());
        assert_eq!(a.config_env(), b.config_env());
        // Proxy args do not enter the cache key.
        let g = GlobalScope::new(&opts(&[("HTTPS_PROXY", "http://x")]));
        let s = StageScope::from_image(&g, &["PATH=/bin"]);
        assert_eq!(s.run_env(), [("PATH".to_string(), "/bin".to_string())]);
        assert_eq!(s.process_env().len(), 3);
    }

    #[test]
    fn automatic_platform_args() {
        let g = GlobalScope::new(&BuildOptions {
            target_platform: Platform::parse("linux/arm/v7").unwrap(),
            target_stage: "build".into(),
            ..BuildOptions::default()
        });
        let expect = [
            ("BUILDPLATFORM", "linux/amd64"),
            ("BUILDOS", "linux"),
            ("BUILDARCH", "amd64"),
            ("BUILDVARIANT", ""),
            ("TARGETPLATFORM", "linux/arm/v7"),
            ("TARGETOS", "linux"),
            ("TARGETARCH", "arm"),
            ("TARGETVARIANT", "v7"),
            ("TARGETSTAGE", "build"),
        ];
        for (k, v) in expect {
            assert_eq!(g.get(k), Some(v), "{k}");
        }
        assert_eq!(g.keys().len(), AUTOMATIC_ARGS.len());
        let over = GlobalScope::new(&opts(&[("TARGETARCH", "riscv64")]));
        assert_eq!(over.get("TARGETARCH"), Some("riscv64"));
        // In a stage only after ARG.
        let mut s = StageScope::from_image(&g, &[] as &[&str]);
        assert_eq!(s.get("TARGETARCH"), None);
        s.arg_instruction(&Lexer::default(), "TARGETARCH", None).unwrap();
        assert_eq!(s.get("TARGETARCH"), Some("arm"));
    }

    #[test]
    fn scratch_and_base_images_get_a_path() {
        let g = GlobalScope::new(&BuildOptions::default());
        let s = StageScope::from_image(&g, &[] as &[&str]);
        assert_eq!(s.config_env(), [format!("PATH={DEFAULT_PATH}")]);
        assert_eq!(s.get("PATH"), Some(DEFAULT_PATH));
        let s = StageScope::from_image(&g, &["PATH=/opt/bin", "LANG=C.UTF-8"]);
        assert_eq!(s.config_env(), ["PATH=/opt/bin", "LANG=C.UTF-8"]);
    }

    #[test]
    fn sbom_args_stay_out_of_the_environment() {
        let g = GlobalScope::new(&opts(&[("BUILDKIT_SBOM_SCAN_STAGE", "true")]));
        let mut s = StageScope::from_image(&g, &[] as &[&str]);
        s.arg_instruction(&Lexer::default(), "BUILDKIT_SBOM_SCAN_STAGE", None).unwrap();
        assert_eq!(s.get("BUILDKIT_SBOM_SCAN_STAGE"), None);
        assert!(s.is_declared_arg("BUILDKIT_SBOM_SCAN_STAGE"));
    }

    #[test]
    fn values_and_counts_are_bounded() {
        let lex = Lexer::default();
        let g = GlobalScope::new(&BuildOptions::default());
        let mut s = StageScope::from_image(&g, &[] as &[&str]);
        s.env_instruction(&lex, &[("A", &"x".repeat(1 << 19))]).unwrap();
        // Doubling stops at the value limit instead of growing without end.
        let err = s.env_instruction(&lex, &[("A", "$A$A$A")]).unwrap_err();
        assert!(matches!(err, ScopeError::ValueTooLong { .. }), "{err}");
        assert!(err.to_string().contains("a dfplay limit"));
        for i in 0..dfplay::limits::MAX_VARIABLES {
            if s.set_env(&format!("V{i}"), "v").is_err() {
                return;
            }
        }
        panic!("no limit on the number of variables");
    }

    #[test]
    fn platforms_parse_as_containerd_does() {
        let p = |s: &str| Platform::parse(s).map(|p| p.to_string());
        assert_eq!(p("linux/amd64").unwrap(), "linux/amd64");
        assert_eq!(p("linux/x86_64").unwrap(), "linux/amd64");
        assert_eq!(p("arm64").unwrap(), "linux/arm64");
        assert_eq!(p("linux").unwrap(), "linux/amd64");
        assert_eq!(p("Linux/ARM64/v8").unwrap(), "linux/arm64/v8");
        assert_eq!(p("linux/arm/v6").unwrap(), "linux/arm/v6");
        assert_eq!(p("windows(10.0.17763)/amd64").unwrap(), "windows(10.0.17763)/amd64");
        assert!(p("linux/*").unwrap_err().contains("wildcards not yet supported"));
        assert!(p("linux/a b").unwrap_err().contains("is an invalid component of"));
        assert!(p("a/b/c/d").unwrap_err().ends_with("cannot parse platform specifier: invalid argument"));
        assert!(p("").is_err());
    }
}

mod bounded {
    use super::*;
    use proptest::prelude::*;

    fn all_lexers() -> [Lexer; 5] {
        [
            Lexer::default(),
            Lexer::new('`'),
            Lexer::for_heredoc(),
            Lexer::for_run_label('\\'),
            Lexer::default().with_raw_escapes(true).with_raw_quotes(true),
        ]
    }

    /// Words built from the characters the lexer cares about.
    fn wordish() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("$".to_string()),
                Just("${".to_string()),
                Just("}".to_string()),
                Just(":".to_string()),
                Just("-".to_string()),
                Just("+".to_string()),
                Just("?".to_string()),
                Just("#".to_string()),
                Just("%".to_string()),
                Just("/".to_string()),
                Just("*".to_string()),
                Just("\\".to_string()),
                Just("`".to_string()),
                Just("'".to_string()),
                Just("\"".to_string()),
                Just("<<".to_string()),
                Just(" ".to_string()),
                Just("A".to_string()),
                Just("B".to_string()),
                Just("1".to_string()),
                Just("한".to_string()),
                Just("\n".to_string()),
                "\\PC{0,3}",
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_word_is_processed_or_refused(word in wordish()) {
            let env = [("A", "a*b"), ("B", ""), ("1", "x")];
            for lex in all_lexers() {
                let one = lex.process_word(&word, &env);
                let many = lex.process_words(&word, &env);
                let m = lex.process_word_with_matches(&word, &env);
                prop_assert_eq!(one.is_ok(), many.is_ok());
                prop_assert_eq!(&one, &m.result);
                if let Err(e) = one {
                    prop_assert!(e.span.end <= word.len());
                    prop_assert!(e.to_string().starts_with("failed to process \""));
                }
            }
        }

        #[test]
        fn any_string_at_all(word in "\\PC{0,200}") {
            for lex in all_lexers() {
                let _ = lex.process_word(&word, &NoEnv);
                let _ = lex.process_words(&word, &[("X", "y")]);
            }
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "${a:-".repeat(100_000) + &"}".repeat(100_000);
        let e = Lexer::default().process_word(&deep, &NoEnv).unwrap_err();
        assert_eq!(e.kind, WordErrorKind::DepthLimit);
        let ok = "${a:-".repeat(dfplay::limits::MAX_SUBSTITUTION_DEPTH) + "x" + &"}".repeat(dfplay::limits::MAX_SUBSTITUTION_DEPTH);
        assert_eq!(Lexer::default().process_word(&ok, &NoEnv).unwrap(), "x");
        let patterns = "${a#".repeat(10_000);
        assert!(Lexer::default().process_word(&patterns, &NoEnv).is_err());
    }

    #[test]
    fn huge_inputs_finish_with_a_result_or_a_limit() {
        let big = "x".repeat(4 << 20);
        let env = [("BIG", big.as_str())];
        let lex = Lexer::default();
        // A 1 MiB line of references: the result would be 4 TiB; it stops at the limit.
        let line = "$BIG".repeat(1 << 18);
        assert_eq!(lex.process_word(&line, &env).unwrap_err().kind, WordErrorKind::SizeLimit);
        assert_eq!(lex.process_words(&line, &env).unwrap_err().kind, WordErrorKind::SizeLimit);
        // A long plain word and a long quoted word.
        assert_eq!(lex.process_word(&big, &NoEnv).unwrap().len(), 4 << 20);
        assert_eq!(lex.process_words(&format!("'{big}'"), &NoEnv).unwrap()[0].len(), 4 << 20);
        // Patterns on big values: linear work, or a refusal past the cell limit.
        assert_eq!(lex.process_word("${BIG%x}", &env).unwrap().len(), (4 << 20) - 1);
        assert_eq!(lex.process_word("${BIG##*}", &env).unwrap(), "");
        let many_stars = format!("${{BIG#{}}}", "*".repeat(100));
        assert_eq!(lex.process_word(&many_stars, &env).unwrap_err().kind, WordErrorKind::PatternLimit);
        // Replace-all that would blow the size up is refused.
        assert_eq!(lex.process_word("${BIG//x/yyyyy}", &env).unwrap_err().kind, WordErrorKind::SizeLimit);
        assert_eq!(lex.process_word("${BIG//x/y}", &env).unwrap().len(), 4 << 20);
        // A long error word is cut in the message.
        let e = lex.process_word(&format!("{big}${{"), &NoEnv).unwrap_err().to_string();
        assert!(e.len() < 2000 && e.contains('…'), "{}", e.len());
    }
}
