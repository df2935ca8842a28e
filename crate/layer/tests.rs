//! Layer round trips: diff → tar → apply gives the same tree; digests are stable;
//! `SOURCE_DATE_EPOCH` clamps; the empty layer; whole-tree tars.

use super::*;
use crate::vfs::{Meta, Node};

/// Every node of a tree as one comparable line (root excluded: its mtime is the clock's).
pub(crate) fn dump(v: &Vfs) -> Vec<String> {
    v.walk("/")
        .unwrap()
        .into_iter()
        .filter(|(p, _)| p != "/")
        .map(|(p, n)| {
            let m = n.meta();
            let what = match &n {
                Node::Dir(_) => "dir".to_string(),
                Node::File(f) => format!("file {:?}", String::from_utf8_lossy(&f.data)),
                Node::Symlink(s) => format!("symlink -> {}", s.target),
            };
            format!("{p} {:o} {}:{} t={} {what}", m.mode, m.uid, m.gid, m.mtime)
        })
        .collect()
}

fn base() -> Vfs {
    let mut v = Vfs::new();
    v.now = 100;
    v.mkdir_all("/etc/conf.d", 0o755).unwrap();
    v.write("/etc/passwd", b"root:x:0:0::/root:/bin/sh\n".to_vec(), 0o644).unwrap();
    v.write("/etc/conf.d/a", b"a".to_vec(), 0o644).unwrap();
    v.write("/etc/conf.d/b", b"b".to_vec(), 0o644).unwrap();
    v.mkdir("/old", 0o755).unwrap();
    v.write("/old/x", b"x".to_vec(), 0o600).unwrap();
    v.symlink("/etc/passwd", "/pw").unwrap();
    v
}

#[test]
fn diff_then_apply_gives_the_same_tree() {
    let old = base();
    let mut new = old.clone();
    new.now = 200;
    new.write("/etc/passwd", b"root:x:0:0::/root:/bin/ash\n".to_vec(), 0o644).unwrap();
    new.remove_all("/old").unwrap();
    new.remove_all("/etc/conf.d").unwrap();
    new.mkdir("/etc/conf.d", 0o700).unwrap();
    new.write("/etc/conf.d/c", b"c".to_vec(), 0o640).unwrap();
    let long = format!("/{}/{}", "d".repeat(120), "f".repeat(90));
    new.mkdir(&long[..121], 0o755).unwrap();
    new.write(&long, b"long".to_vec(), 0o644).unwrap();
    new.write("/한글.txt", "안녕".as_bytes().to_vec(), 0o644).unwrap();
    new.symlink("../etc/passwd", "/rel").unwrap();
    new.write("/suid", b"s".to_vec(), 0o4755).unwrap();
    new.chown("/suid", 1000, 3_000_000, false).unwrap();
    new.hard_link("/suid", "/suid2").unwrap();

    let layer = Layer::from_diff(&old, &new, WriteOptions::default()).unwrap();
    let names: Vec<String> = tarr::read_all(&layer.tar.contiguous(), Default::default())
        .unwrap()
        .iter()
        .map(|e| String::from_utf8_lossy(&e.name).into_owned())
        .collect();
    assert!(names.contains(&"etc/conf.d/.wh..wh..opq".to_string()), "{names:?}");
    assert!(names.contains(&".wh.old".to_string()), "{names:?}");
    assert!(names.contains(&long[1..].to_string()), "{names:?}");
    assert!(names.contains(&"한글.txt".to_string()), "{names:?}");

    let mut applied = old.clone();
    applied.now = 200;
    let stats = apply(&mut applied, &layer.tar.contiguous(), &ApplyOptions::default()).unwrap();
    assert_eq!(dump(&applied), dump(&new));
    assert_eq!(stats.content_size, layer.content_size);
    // the hard link came back as one shared node
    let a = applied.walk("/suid").unwrap().remove(0).1;
    let b = applied.walk("/suid2").unwrap().remove(0).1;
    assert!(a.ptr_eq(&b));

    // and through gzip
    let gz = layer.compress();
    let mut applied2 = old.clone();
    applied2.now = 200;
    apply(&mut applied2, &gz.gz.contiguous(), &ApplyOptions::default()).unwrap();
    assert_eq!(dump(&applied2), dump(&new));
}

#[test]
fn same_change_same_digest_and_epoch_clamps() {
    let old = base();
    let make = |now: i64| {
        let mut n = old.clone();
        n.now = now;
        n.write("/new.txt", b"hello".to_vec(), 0o644).unwrap();
        n.remove_file("/pw").unwrap();
        n
    };
    let a = Layer::from_diff(&old, &make(500), WriteOptions::default()).unwrap();
    let b = Layer::from_diff(&old, &make(500), WriteOptions::default()).unwrap();
    let c = Layer::from_diff(&old, &make(600), WriteOptions::default()).unwrap();
    assert_eq!(a.diff_id(), b.diff_id());
    assert_eq!(a.compress().digest, b.compress().digest);
    assert_ne!(a.diff_id(), c.diff_id());
    let epoch = WriteOptions { source_date_epoch: Some(300) };
    let a = Layer::from_diff(&old, &make(500), epoch).unwrap();
    let c = Layer::from_diff(&old, &make(600), epoch).unwrap();
    assert_eq!(a.diff_id(), c.diff_id());
    for e in tarr::read_all(&a.tar.contiguous(), Default::default()).unwrap() {
        assert!(e.mtime <= 300, "{:?} {}", e.display_name(), e.mtime);
    }
}

#[test]
fn nothing_changed_is_the_empty_layer() {
    let v = base();
    let l = Layer::from_diff(&v, &v.clone(), WriteOptions::default()).unwrap();
    assert!(l.is_empty());
    assert_eq!(l.diff_id().hex(), "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
}

#[test]
fn rootfs_tar_has_every_node() {
    let v = base();
    let t = rootfs_tar(&v, WriteOptions::default()).unwrap();
    let mut w = Vfs::new();
    apply(&mut w, &t.contiguous(), &ApplyOptions::default()).unwrap();
    assert_eq!(dump(&w), dump(&v));
    let _ = Meta::default();
}
