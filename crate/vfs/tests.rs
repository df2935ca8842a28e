use super::*;

fn fs() -> Vfs {
    let mut v = Vfs::new();
    v.mkdir_all("/usr/bin", 0o755).unwrap();
    v.write("/usr/bin/tool", b"#!/bin/sh\n".to_vec(), 0o755).unwrap();
    v.symlink("/usr/bin", "/bin").unwrap();
    v.symlink("../usr/bin/tool", "/usr/t").unwrap();
    v
}

#[test]
fn symlinks_resolve_inside_the_root() {
    let v = fs();
    assert_eq!(v.read("/bin/tool").unwrap().as_slice(), b"#!/bin/sh\n");
    assert_eq!(v.canonicalize("/bin/tool").unwrap(), "/usr/bin/tool");
    assert!(v.lstat("/bin").unwrap().is_symlink());
    assert!(v.stat("/bin").unwrap().is_dir());
    // `..` above the root stays at the root
    assert_eq!(v.canonicalize("/../../usr/./bin/..").unwrap(), "/usr");
    let mut v = v;
    v.symlink("/../../../usr", "/up").unwrap();
    assert_eq!(v.canonicalize("/up/bin").unwrap(), "/usr/bin");
}

#[test]
fn loops_are_eloop() {
    let mut v = Vfs::new();
    v.symlink("/a", "/b").unwrap();
    v.symlink("/b", "/a").unwrap();
    assert_eq!(v.stat("/a").unwrap_err().kind, FsErrorKind::TooManyLinks);
}

#[test]
fn snapshots_share_and_diverge() {
    let a = fs();
    let mut b = a.clone();
    b.now = 5;
    b.append("/usr/bin/tool", b"echo hi\n", 0o644).unwrap();
    b.mkdir("/tmp", 0o1777).unwrap();
    b.remove_file("/usr/t").unwrap();
    assert_eq!(a.read("/usr/bin/tool").unwrap().len(), 10);
    assert_eq!(b.read("/usr/bin/tool").unwrap().len(), 18);
    let ch: Vec<String> = diff(&a, &b)
        .iter()
        .map(|c| match c {
            Change::Added(p, _) => format!("A {p}"),
            Change::Modified(p, _) => format!("M {p}"),
            Change::Deleted(p) => format!("D {p}"),
        })
        .collect();
    assert_eq!(ch, ["A /tmp", "M /usr", "M /usr/bin/tool", "D /usr/t"]);
    assert!(diff(&a, &a.clone()).is_empty());
}

#[test]
fn errors_are_errno_like() {
    let mut v = fs();
    assert_eq!(v.mkdir("/usr", 0o755).unwrap_err().to_string(), "/usr: File exists");
    assert_eq!(v.read("/nope").unwrap_err().to_string(), "/nope: No such file or directory");
    assert_eq!(v.read("/usr/bin/tool/x").unwrap_err().kind, FsErrorKind::NotADirectory);
    assert_eq!(v.read("/usr/bin/tool/").unwrap_err().kind, FsErrorKind::NotADirectory);
    assert_eq!(v.read("/usr").unwrap_err().kind, FsErrorKind::IsADirectory);
    assert_eq!(v.remove_dir("/usr").unwrap_err().kind, FsErrorKind::DirectoryNotEmpty);
    assert_eq!(v.rename("/usr", "/usr/bin/x").unwrap_err().kind, FsErrorKind::InvalidArgument);
    assert_eq!(v.mkdir("/", 0o755).unwrap_err().kind, FsErrorKind::AlreadyExists);
}

#[test]
fn rename_and_usage() {
    let mut v = fs();
    let before = v.usage();
    v.rename("/usr/bin", "/opt").unwrap();
    assert_eq!(v.usage(), before);
    assert!(v.exists("/opt/tool"));
    assert!(!v.exists("/bin/tool"));
    v.remove_all("/opt").unwrap();
    assert_eq!(v.usage().bytes, 0);
    assert_eq!(v.usage(), Node::Dir(match v.root() { Node::Dir(d) => d.clone(), _ => unreachable!() }).usage());
}

#[test]
fn limits_stop_growth() {
    let mut v = Vfs::new().with_limits(Limits { max_bytes: 100, max_nodes: 5 });
    v.write("/a", vec![0; 60], 0o644).unwrap();
    let e = v.append("/a", &[0; 50], 0o644).unwrap_err();
    assert_eq!(e.kind, FsErrorKind::NoSpace);
    assert!(e.to_string().contains("playground limit"), "{e}");
    for i in 0..3 {
        v.mkdir(&format!("/d{i}"), 0o755).unwrap();
    }
    assert_eq!(v.mkdir("/d9", 0o755).unwrap_err().kind, FsErrorKind::NoSpace);
    // shrinking is always allowed
    v.write("/a", vec![], 0o644).unwrap();
}

#[test]
fn hard_links_share_one_node() {
    let mut v = fs();
    v.hard_link("/usr/bin/tool", "/usr/bin/tool2").unwrap();
    let a = v.lstat("/usr/bin/tool").unwrap();
    let (_, n1) = v.walk("/usr/bin/tool").unwrap().remove(0);
    let (_, n2) = v.walk("/usr/bin/tool2").unwrap().remove(0);
    assert!(n1.ptr_eq(&n2));
    assert!(matches!(&n1, Node::File(f) if f.hardlinked));
    assert_eq!(v.lstat("/usr/bin/tool2").unwrap(), a);
    assert_eq!(v.hard_link("/usr", "/x").unwrap_err().kind, FsErrorKind::IsADirectory);
    assert_eq!(v.hard_link("/usr/bin/tool", "/usr/t").unwrap_err().kind, FsErrorKind::AlreadyExists);
    // a write through one name copies it: the other name keeps the old contents
    v.write("/usr/bin/tool2", b"new".to_vec(), 0o644).unwrap();
    assert_eq!(v.read("/usr/bin/tool").unwrap().as_slice(), b"#!/bin/sh\n");
}
