use super::*;

fn ctx() -> Vfs {
    let mut v = Vfs::new();
    v.mkdir_all("/dir/sub", 0o755).unwrap();
    v.write("/a.txt", b"a\n".to_vec(), 0o644).unwrap();
    v.write("/b.txt", b"b\n".to_vec(), 0o644).unwrap();
    v.write("/dir/d.txt", b"d\n".to_vec(), 0o600).unwrap();
    v.write("/dir/sub/s.txt", b"s\n".to_vec(), 0o644).unwrap();
    v.symlink("d.txt", "/dir/link").unwrap();
    v.chown("/a.txt", 1234, 1234, false).unwrap();
    v
}

fn run(dst: &mut Vfs, sources: &[&str], dest: &str, workdir: &str) -> Result<(), CopyError> {
    let sources: Vec<String> = sources.iter().map(|s| s.to_string()).collect();
    copy(&ctx(), dst, &CopyRequest { sources: &sources, dest, workdir, from_context: true, now: 5, ..Default::default() })
}

#[test]
fn directory_contents_and_files() {
    let mut d = Vfs::new();
    run(&mut d, &["dir"], "/x", "/").unwrap();
    assert_eq!(d.read("/x/d.txt").unwrap().as_slice(), b"d\n");
    assert_eq!(d.read_link("/x/link").unwrap(), "d.txt");
    assert!(d.stat("/x/sub/s.txt").is_ok());
    assert_eq!(d.stat("/x/d.txt").unwrap().meta.mode, 0o600);
    run(&mut d, &["a.txt"], "/x", "/").unwrap();
    assert_eq!(d.read("/x/a.txt").unwrap().as_slice(), b"a\n", "existing dir receives by name");
    assert_eq!(d.stat("/x/a.txt").unwrap().meta.uid, 0, "context files become root-owned");
    run(&mut d, &["a.txt"], "/newdir/sub/", "/").unwrap();
    assert!(d.stat("/newdir/sub/a.txt").is_ok());
    run(&mut d, &["a.txt"], "/newfile", "/").unwrap();
    assert!(d.stat("/newfile").unwrap().is_file());
    run(&mut d, &["a.txt"], ".", "/web").unwrap();
    assert!(d.stat("/web/a.txt").is_ok());
}

#[test]
fn wildcards_and_missing() {
    let mut d = Vfs::new();
    run(&mut d, &["dir/", "*.txt"], "/y/", "/").unwrap();
    let names: Vec<String> = d.read_dir("/y").unwrap().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["a.txt", "b.txt", "d.txt", "link", "sub"]);
    run(&mut d, &["*.nothing"], "/z/", "/").unwrap();
    assert!(d.stat("/z").is_err(), "an empty wildcard copies nothing");
    assert_eq!(run(&mut d, &["missing.txt"], "/x", "/").unwrap_err().to_string(), "\"/missing.txt\": not found");
    // the source symlink itself is followed
    run(&mut d, &["dir/link"], "/l", "/").unwrap();
    assert!(d.lstat("/l").unwrap().is_file());
}

#[test]
fn checksums_ignore_mtime_but_not_content() {
    let a = ctx();
    let mut b = ctx();
    b.set_mtime("/a.txt", 999, false).unwrap();
    let s = vec!["a.txt".to_string()];
    assert_eq!(checksum(&a, &s, &[]).unwrap(), checksum(&b, &s, &[]).unwrap());
    b.write("/a.txt", b"changed".to_vec(), 0o644).unwrap();
    assert_ne!(checksum(&a, &s, &[]).unwrap(), checksum(&b, &s, &[]).unwrap());
}
