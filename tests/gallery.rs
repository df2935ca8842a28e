//! The page's examples gallery ships its own copy of every example of
//! `../shared/examples` (`www/examples/<name>/`, without `expected.txt`): the copies must
//! stay byte-equal to the shared ones, and none may be missing or extra.

use crate::util::{root, shared};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` as relative path → bytes, except the fixture files.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).expect("readable folder").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).expect("under base").to_string_lossy().replace('\\', "/");
                if rel != "expected.txt" {
                    out.insert(rel, std::fs::read(&p).expect("readable file"));
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn example_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("examples folder")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn gallery_has_every_shared_example_and_no_other() {
    let Some(shared) = shared() else { return };
    let want = example_names(&shared.join("examples"));
    let got = example_names(&root().join("www/examples"));
    assert!(!want.is_empty(), "no examples in ../shared/examples");
    assert_eq!(want, got, "www/examples/ must hold exactly the examples of ../shared/examples/");
}

#[test]
fn gallery_copies_are_byte_equal_to_shared_examples() {
    let Some(shared) = shared() else { return };
    for name in example_names(&shared.join("examples")) {
        let want = files(&shared.join("examples").join(&name));
        let got_dir = root().join("www/examples").join(&name);
        if !got_dir.is_dir() {
            panic!("www/examples/{name} is missing (copy ../shared/examples/{name} without expected.txt)");
        }
        let got = files(&got_dir);
        let want_names: Vec<&String> = want.keys().collect();
        let got_names: Vec<&String> = got.keys().collect();
        assert_eq!(want_names, got_names, "files of example {name}");
        for (path, bytes) in &want {
            if got.get(path) != Some(bytes) {
                crate::util::assert_text_eq(
                    &format!("www/examples/{name}/{path}"),
                    &String::from_utf8_lossy(bytes),
                    &String::from_utf8_lossy(&got[path]),
                );
                panic!("www/examples/{name}/{path} differs from ../shared/examples/{name}/{path}");
            }
        }
    }
}

#[test]
fn gallery_examples_are_valid_build_contexts() {
    // What the page loads must pass the same checks as any context it is given.
    let base = root().join("www/examples");
    for name in example_names(&base) {
        let entries: Vec<dfplay::context::Entry> =
            files(&base.join(&name)).into_iter().map(|(p, d)| dfplay::context::Entry::file(p, d)).collect();
        let clean = dfplay::context::validate(&entries).unwrap_or_else(|e| panic!("example {name}: {e}"));
        assert!(clean.iter().any(|e| e.path == "Dockerfile"), "example {name} has no Dockerfile");
    }
}
