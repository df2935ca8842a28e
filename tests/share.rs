//! Share links (`dfplay::share`) and the context checks under them (`dfplay::context`):
//! exact round trips, limits, and hostile codes that must fail cleanly, never panic.

use dfplay::context::{self, ContextErrorKind, Entry, EntryKind};
use dfplay::share::{self, BuildArg, ShareErrorKind, ShareState, MAX_CODE_CHARS, VERSION};
use proptest::prelude::*;

fn sample() -> ShareState {
    ShareState {
        files: vec![
            Entry::file("Dockerfile", "FROM diamol/base AS build-stage\nRUN echo 'Building...' > /build.txt\n"),
            Entry::file(".dockerignore", "*.md\n!README.md\n"),
            Entry::dir("empty/folder"),
            Entry { mode: 0o755, ..Entry::file("bin/run.sh", "#!/bin/sh\necho 안녕\n") },
            Entry::file("data.bin", vec![0u8, 255, 1, 128, 0, 0x1f, 0x8b]),
            Entry::symlink("link", "bin/run.sh"),
        ],
        dockerfile: "Dockerfile".into(),
        open: "bin/run.sh".into(),
        tag: "multi-stage:v1".into(),
        target: "build-stage".into(),
        build_args: vec![BuildArg { name: "GREETING".into(), value: "héllo wörld".into() }, BuildArg { name: "EMPTY".into(), value: String::new() }],
        no_cache: true,
    }
}

fn sorted(mut s: ShareState) -> ShareState {
    s.files = context::validate(&s.files).expect("valid");
    s
}

#[test]
fn a_state_comes_back_exactly() {
    let s = sample();
    let code = share::encode(&s).expect("encodes");
    assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "code is base64url: {code}");
    assert_eq!(share::decode(&code).expect("decodes"), sorted(s));
}

#[test]
fn the_code_starts_with_the_version_byte() {
    let code = share::encode(&sample()).unwrap();
    let bytes = share::base64url_decode(&code).unwrap();
    assert_eq!(bytes[0], VERSION);
}

#[test]
fn padding_and_whitespace_around_a_code_are_tolerated() {
    let code = share::encode(&sample()).unwrap();
    assert_eq!(share::decode(&format!("  {code}==\n")).unwrap(), sorted(sample()));
}

#[test]
fn an_unknown_version_says_the_link_is_newer() {
    let code = share::encode(&sample()).unwrap();
    let mut bytes = share::base64url_decode(&code).unwrap();
    bytes[0] = 7;
    let e = share::decode(&share::base64url_encode(&bytes)).unwrap_err();
    assert_eq!(e.kind, ShareErrorKind::UnknownVersion(7));
    assert!(e.to_string().contains("newer playground"), "{e}");
}

#[test]
fn a_state_too_large_for_a_link_is_refused_when_encoding() {
    // Incompressible data: a xorshift stream.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let data: Vec<u8> = (0..40_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let s = ShareState { files: vec![Entry::file("big.bin", data)], dockerfile: "Dockerfile".into(), ..Default::default() };
    let e = share::encode(&s).unwrap_err();
    assert!(matches!(e.kind, ShareErrorKind::CodeTooLong { chars } if chars > MAX_CODE_CHARS), "{e:?}");
    assert!(e.to_string().contains("too large for a link"), "{e}");
}

#[test]
fn a_code_longer_than_the_limit_is_refused_before_decoding() {
    let e = share::decode(&"A".repeat(MAX_CODE_CHARS + 4)).unwrap_err();
    assert!(matches!(e.kind, ShareErrorKind::CodeTooLong { .. }), "{e:?}");
}

#[test]
fn a_deflate_bomb_stops_at_the_state_limit() {
    let zeros = vec![0u8; share::MAX_STATE_BYTES + 1024];
    let mut bytes = vec![VERSION];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(&zeros, 6));
    let code = share::base64url_encode(&bytes);
    assert!(code.len() < MAX_CODE_CHARS, "the bomb fits a link ({} chars)", code.len());
    assert_eq!(share::decode(&code).unwrap_err().kind, ShareErrorKind::StateTooLarge);
}

#[test]
fn damaged_codes_are_clear_errors() {
    assert_eq!(share::decode("").unwrap_err().kind, ShareErrorKind::Empty);
    assert_eq!(share::decode("AQ*x").unwrap_err().kind, ShareErrorKind::BadCharacter(2));
    // Valid version, garbage instead of deflate data.
    let code = share::base64url_encode(&[VERSION, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(share::decode(&code).unwrap_err().kind, ShareErrorKind::Corrupt);
    // A truncated code.
    let good = share::encode(&sample()).unwrap();
    let e = share::decode(&good[..good.len() / 2]).unwrap_err();
    assert!(matches!(e.kind, ShareErrorKind::Corrupt | ShareErrorKind::Malformed(_)), "{e:?}");
}

/// A code around a hand-made payload.
fn code_of(payload: &[u8]) -> String {
    let mut bytes = vec![VERSION];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(payload, 6));
    share::base64url_encode(&bytes)
}

#[test]
fn a_payload_with_a_path_leaving_the_context_is_refused() {
    let mut s = ShareState { files: vec![Entry::file("ok", "x")], dockerfile: "Dockerfile".into(), ..Default::default() };
    let mut payload = share::encode_payload(&s).unwrap();
    // Rewrite the path "ok" into ".." (same length) in the payload.
    let at = payload.windows(2).rposition(|w| w == b"ok").unwrap();
    payload[at..at + 2].copy_from_slice(b"..");
    let e = share::decode(&code_of(&payload)).unwrap_err();
    match e.kind {
        ShareErrorKind::Context(c) => assert_eq!(c.kind, ContextErrorKind::LeavesContext),
        other => panic!("expected a context error, got {other:?}"),
    }
    s.files[0].path = "/etc/passwd".into();
    assert!(matches!(share::encode(&s).unwrap_err().kind, ShareErrorKind::Context(_)));
}

#[test]
fn huge_counts_and_lengths_in_a_payload_do_not_allocate() {
    // dockerfile length = 2^62: must be refused as malformed, not allocated.
    let mut payload = vec![0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
    payload.extend_from_slice(b"tail");
    assert!(matches!(share::decode(&code_of(&payload)).unwrap_err().kind, ShareErrorKind::Malformed(_)));
    // A varint that never ends.
    assert!(matches!(share::decode(&code_of(&[0xff; 20])).unwrap_err().kind, ShareErrorKind::Malformed(_)));
    // Four empty strings, no flags, then 10^9 build args.
    let payload = [0, 0, 0, 0, 0, 0x80, 0x94, 0xeb, 0xdc, 0x03];
    assert!(matches!(share::decode(&code_of(&payload)).unwrap_err().kind, ShareErrorKind::Malformed(_)));
}

#[test]
fn trailing_bytes_after_a_payload_are_refused() {
    let mut payload = share::encode_payload(&sample()).unwrap();
    payload.push(0);
    assert!(matches!(share::decode(&code_of(&payload)).unwrap_err().kind, ShareErrorKind::Malformed(_)));
}

#[test]
fn context_paths_are_cleaned_and_checked() {
    assert_eq!(context::clean_path("./a//b/./c/").unwrap(), "a/b/c");
    let kind = |p: &str| context::clean_path(p).unwrap_err().kind;
    assert_eq!(kind("../a"), ContextErrorKind::LeavesContext);
    assert_eq!(kind("a/../../b"), ContextErrorKind::LeavesContext);
    assert_eq!(kind("/etc/passwd"), ContextErrorKind::AbsolutePath);
    assert_eq!(kind("./"), ContextErrorKind::EmptyPath);
    assert_eq!(kind("a\0b"), ContextErrorKind::BadName);
    assert_eq!(kind(&"x".repeat(256)), ContextErrorKind::NameTooLong);
    assert_eq!(kind(&"ab/".repeat(2000)), ContextErrorKind::PathTooLong);
}

#[test]
fn a_context_with_duplicates_or_files_used_as_folders_is_refused() {
    let e = context::validate(&[Entry::file("a", "1"), Entry::file("./a", "2")]).unwrap_err();
    assert_eq!(e.kind, ContextErrorKind::Duplicate);
    let e = context::validate(&[Entry::file("a", "1"), Entry::file("a/b", "2")]).unwrap_err();
    assert_eq!(e.kind, ContextErrorKind::NotADirectory);
    let e = context::validate(&[Entry::symlink("a", "x"), Entry::file("a/b", "2")]).unwrap_err();
    assert_eq!(e.kind, ContextErrorKind::NotADirectory);
    // A folder with files under it, listed in any order, is fine.
    assert!(context::validate(&[Entry::file("a/b", "2"), Entry::dir("a")]).is_ok());
}

#[test]
fn a_context_becomes_the_build_context() {
    let ctx = context::to_build_context(&sample().files, "Dockerfile").unwrap();
    let fs = &ctx.files;
    assert_eq!(ctx.dockerfile[..4], *b"FROM");
    assert_eq!(fs.read("/Dockerfile").unwrap()[..4], *b"FROM");
    assert_eq!(fs.stat("/bin/run.sh").unwrap().meta.mode, 0o755);
    assert_eq!(fs.stat("/bin/run.sh").unwrap().meta.mtime, 0);
    assert!(fs.stat("/empty/folder").unwrap().is_dir());
    assert_eq!(fs.read_link("/link").unwrap(), "bin/run.sh");
    assert_eq!(fs.read("/link").unwrap().as_slice(), b"#!/bin/sh\necho \xec\x95\x88\xeb\x85\x95\n");
}

#[test]
fn excluded_paths_follow_the_dockerignore_example() {
    // ../shared/examples/dockerignore, as the page holds it.
    let ignore = Entry::file(".dockerignore", "# comments are ignored\ntest2.html\ntest.htm?\n*/*.html\n!docs/a.html\n");
    let paths: Vec<String> = ["Dockerfile", "keep.txt", "test.html", "test.htm1", "test2.html", "docs", "docs/a.html", "site", "site/b.html", "site/pages", "site/pages/c.html"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let ex = context::excluded(&paths, "Dockerfile", std::slice::from_ref(&ignore)).unwrap();
    assert_eq!(ex.file.as_deref(), Some(".dockerignore"));
    let got: Vec<(&str, usize)> = ex.paths.iter().map(|p| (p.path.as_str(), p.line)).collect();
    assert_eq!(got, [("test.html", 3), ("test.htm1", 3), ("test2.html", 2), ("site/b.html", 4)]);
    // `Dockerfile.dockerignore` beside the Dockerfile wins over `.dockerignore`.
    let specific = Entry::file("Dockerfile.dockerignore", "keep.txt\n");
    let ex = context::excluded(&paths, "Dockerfile", &[ignore, specific]).unwrap();
    assert_eq!(ex.file.as_deref(), Some("Dockerfile.dockerignore"));
    assert_eq!(ex.paths, [context::ExcludedPath { path: "keep.txt".into(), line: 1 }]);
    // No ignore file: nothing excluded.
    assert_eq!(context::excluded(&paths, "Dockerfile", &[]).unwrap(), context::Excluded::default());
}

#[test]
fn one_top_level_folder_is_dropped_only_when_it_holds_everything() {
    let strip = |v: Vec<Entry>| context::strip_common_root(v).into_iter().map(|e| e.path).collect::<Vec<_>>();
    assert_eq!(strip(vec![Entry::dir("p"), Entry::file("p/Dockerfile", ""), Entry::file("p/a/b", "")]), ["Dockerfile", "a/b"]);
    assert_eq!(strip(vec![Entry::file("p/Dockerfile", ""), Entry::file("q", "")]), ["p/Dockerfile", "q"]);
    assert_eq!(strip(vec![Entry::file("Dockerfile", "")]), ["Dockerfile"]);
    assert_eq!(strip(vec![Entry::file("etc/motd", "")]), ["etc/motd"]);
}

// ----- properties ---------------------------------------------------------------------

fn arb_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._ 가-힣-]{1,12}".prop_filter("not . or ..", |s| s != "." && s != "..")
}

fn arb_entry() -> impl Strategy<Value = Entry> {
    let path = prop::collection::vec(arb_name(), 1..4).prop_map(|v| v.join("/"));
    (path, 0u8..3, 0u32..0o7777, prop::collection::vec(any::<u8>(), 0..64), "[ -~]{0,20}").prop_map(|(path, k, mode, data, target)| match k {
        0 => Entry { mode, ..Entry::file(path, data) },
        1 => Entry { mode, ..Entry::dir(path) },
        _ => Entry { mode, ..Entry::symlink(path, target) },
    })
}

fn arb_state() -> impl Strategy<Value = ShareState> {
    (
        prop::collection::vec(arb_entry(), 0..12),
        ".{0,20}",
        ".{0,20}",
        ".{0,30}",
        prop::collection::vec(("[A-Z_]{1,8}", ".{0,16}"), 0..4),
        any::<bool>(),
    )
        .prop_map(|(files, dockerfile, tag, target, args, no_cache)| {
            // Keep only a valid context: drop duplicates and entries below files.
            let mut kept: Vec<Entry> = Vec::new();
            for e in files {
                let mut trial = kept.clone();
                trial.push(e.clone());
                if context::validate(&trial).is_ok() {
                    kept.push(e);
                }
            }
            ShareState {
                files: kept,
                open: dockerfile.clone(),
                dockerfile,
                tag,
                target,
                build_args: args.into_iter().map(|(name, value)| BuildArg { name, value }).collect(),
                no_cache,
            }
        })
}

proptest! {
    #[test]
    fn every_valid_state_round_trips(s in arb_state()) {
        let code = share::encode(&s).unwrap();
        let back = share::decode(&code).unwrap();
        prop_assert_eq!(back, sorted(s));
    }

    #[test]
    fn any_text_decodes_or_errors_without_panic(text in ".{0,400}") {
        let _ = share::decode(&text);
    }

    #[test]
    fn any_base64url_decodes_or_errors_without_panic(text in "[A-Za-z0-9_-]{0,600}") {
        let _ = share::decode(&text);
    }

    #[test]
    fn any_payload_decodes_or_errors_without_panic(payload in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = share::decode(&code_of(&payload));
        let _ = share::decode_payload(&payload);
    }

    #[test]
    fn a_mutated_payload_decodes_or_errors_without_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut payload = share::encode_payload(&sample()).unwrap();
        let i = at.index(payload.len());
        payload[i] = byte;
        if let Ok(s) = share::decode(&code_of(&payload)) {
            // Whatever decodes is a valid context.
            prop_assert!(context::validate(&s.files).is_ok());
            prop_assert!(s.files.iter().all(|e| e.kind != EntryKind::File || e.target.is_empty()));
        }
    }

    #[test]
    fn base64url_round_trips(data in prop::collection::vec(any::<u8>(), 0..200)) {
        prop_assert_eq!(share::base64url_decode(&share::base64url_encode(&data)).unwrap(), data);
    }
}
