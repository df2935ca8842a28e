//! Word processing (`dfplay::words`): BuildKit's own shell corpora, the edge cases
//! around them, the expansion table, ARG/ENV scoping, and bounded work on any input.

use crate::util::shared;
use dfplay::words::{Env, Lexer, WordErrorKind};
use std::collections::{BTreeMap, HashMap};

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
