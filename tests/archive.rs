//! Uploaded archives as build contexts (`dfplay::archive`): tar, tar.gz and zip made by
//! real tools (GNU tar, gzip, Python's zipfile) unpack to the files they hold; hostile
//! or damaged archives are clear errors, never panics.

use dfplay::archive::{self, ArchiveErrorKind, Format};
use dfplay::context::{ContextErrorKind, Entry, EntryKind};
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

/// A temp folder holding a small project, removed on drop.
struct Project {
    dir: std::path::PathBuf,
}

impl Project {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dfplay-archive-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let src = dir.join("proj");
        std::fs::create_dir_all(src.join("src/main")).unwrap();
        std::fs::create_dir_all(src.join("empty")).unwrap();
        std::fs::write(src.join("Dockerfile"), "FROM diamol/base\nCOPY . /app\n").unwrap();
        std::fs::write(src.join("src/main/App.java"), "class App {}\n").unwrap();
        std::fs::write(src.join("run.sh"), "#!/bin/sh\necho hi\n").unwrap();
        std::fs::write(src.join("blob.bin"), (0..=255u8).cycle().take(70_000).collect::<Vec<u8>>()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(src.join("run.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
            std::os::unix::fs::symlink("run.sh", src.join("start")).unwrap();
        }
        Project { dir }
    }
    fn src(&self) -> std::path::PathBuf {
        self.dir.join("proj")
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn find<'a>(entries: &'a [Entry], path: &str) -> &'a Entry {
    entries.iter().find(|e| e.path == path).unwrap_or_else(|| panic!("{path} missing from {:?}", entries.iter().map(|e| &e.path).collect::<Vec<_>>()))
}

fn check_project(entries: &[Entry]) {
    assert_eq!(find(entries, "Dockerfile").data, b"FROM diamol/base\nCOPY . /app\n");
    assert_eq!(find(entries, "src/main/App.java").data, b"class App {}\n");
    assert_eq!(find(entries, "blob.bin").data.len(), 70_000);
    assert_eq!(find(entries, "blob.bin").data[256], 0);
    assert_eq!(find(entries, "empty").kind, EntryKind::Dir);
    #[cfg(unix)]
    {
        assert_eq!(find(entries, "run.sh").mode & 0o777, 0o755);
        let link = find(entries, "start");
        assert_eq!((link.kind, link.target.as_str()), (EntryKind::Symlink, "run.sh"));
    }
}

#[test]
fn a_tar_made_by_gnu_tar_unpacks() {
    let p = Project::new("tar");
    let tar = p.dir.join("ctx.tar");
    run(Command::new("tar").arg("-cf").arg(&tar).arg("-C").arg(p.src()).arg("."));
    let bytes = std::fs::read(&tar).unwrap();
    assert_eq!(archive::sniff(&bytes), Some(Format::Tar));
    let u = archive::unpack(&bytes).unwrap();
    check_project(&u.entries);
    assert!(u.skipped.is_empty(), "{:?}", u.skipped);
}

#[test]
fn a_tar_gz_made_by_gnu_tar_and_gzip_unpacks_with_its_top_folder_dropped() {
    let p = Project::new("tgz");
    let tgz = p.dir.join("ctx.tar.gz");
    // `proj/` as the single top-level folder, as a release tarball has.
    run(Command::new("tar").arg("-czf").arg(&tgz).arg("-C").arg(&p.dir).arg("proj"));
    let bytes = std::fs::read(&tgz).unwrap();
    assert_eq!(archive::sniff(&bytes), Some(Format::TarGz));
    let u = archive::unpack(&bytes).unwrap();
    check_project(&u.entries);
}

#[test]
fn a_zip_made_by_python_zipfile_unpacks() {
    let p = Project::new("zip");
    let zip = p.dir.join("ctx.zip");
    let script = "import os, sys, zipfile\n\
        src, out = sys.argv[1], sys.argv[2]\n\
        z = zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED)\n\
        for root, dirs, files in os.walk(src):\n\
        \x20   for d in dirs:\n\
        \x20       full = os.path.join(root, d)\n\
        \x20       z.write(full, os.path.relpath(full, src) + '/')\n\
        \x20   for f in files:\n\
        \x20       full = os.path.join(root, f)\n\
        \x20       rel = os.path.relpath(full, src)\n\
        \x20       if os.path.islink(full):\n\
        \x20           info = zipfile.ZipInfo(rel)\n\
        \x20           info.create_system = 3\n\
        \x20           info.external_attr = (0o120777 << 16)\n\
        \x20           z.writestr(info, os.readlink(full))\n\
        \x20       else:\n\
        \x20           z.write(full, rel)\n\
        z.close()\n";
    let python = if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    run(Command::new(python).arg("-c").arg(script).arg(p.src()).arg(&zip));
    let bytes = std::fs::read(&zip).unwrap();
    assert_eq!(archive::sniff(&bytes), Some(Format::Zip));
    let u = archive::unpack(&bytes).unwrap();
    check_project(&u.entries);
}

/// A tar built entry by entry with the `tar` crate (headers as given, no checks).
fn tar_of(entries: &[(&str, tar::EntryType, &[u8], &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, kind, data, link) in entries {
        let mut h = tar::Header::new_gnu();
        // Write the name bytes directly so hostile names survive.
        let name = &mut h.as_old_mut().name;
        name[..path.len()].copy_from_slice(path.as_bytes());
        h.set_entry_type(*kind);
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        if !link.is_empty() {
            h.set_link_name_literal(link).unwrap();
        }
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap()
}

#[test]
fn a_tar_entry_leaving_the_context_is_refused() {
    let bytes = tar_of(&[("ok", tar::EntryType::Regular, b"1", ""), ("../evil", tar::EntryType::Regular, b"2", "")]);
    let e = archive::unpack(&bytes).unwrap_err();
    assert!(matches!(&e.kind, ArchiveErrorKind::Context(c) if c.kind == ContextErrorKind::LeavesContext), "{e:?}");
    assert!(e.to_string().contains("leaves the context"), "{e}");
}

#[test]
fn absolute_tar_paths_lose_their_leading_slash_as_gnu_tar_does() {
    let bytes = tar_of(&[("/etc/motd", tar::EntryType::Regular, b"hi", "")]);
    let u = archive::unpack(&bytes).unwrap();
    assert_eq!(find(&u.entries, "etc/motd").data, b"hi");
}

#[test]
fn device_nodes_are_skipped_with_a_reason_and_hard_links_copied() {
    let bytes = tar_of(&[
        ("a.txt", tar::EntryType::Regular, b"data", ""),
        ("null", tar::EntryType::Char, b"", ""),
        ("b.txt", tar::EntryType::Link, b"", "a.txt"),
        ("c.txt", tar::EntryType::Link, b"", "nowhere"),
    ]);
    let u = archive::unpack(&bytes).unwrap();
    assert_eq!(find(&u.entries, "b.txt").data, b"data");
    assert!(u.skipped.iter().any(|s| s.starts_with("null: device nodes")), "{:?}", u.skipped);
    assert!(u.skipped.iter().any(|s| s.starts_with("c.txt: hard link")), "{:?}", u.skipped);
}

#[test]
fn a_later_tar_entry_replaces_an_earlier_one() {
    let bytes = tar_of(&[("a", tar::EntryType::Regular, b"old", ""), ("a", tar::EntryType::Regular, b"new", "")]);
    assert_eq!(find(&archive::unpack(&bytes).unwrap().entries, "a").data, b"new");
}

fn gzip_of(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    out.extend(miniz_oxide::deflate::compress_to_vec(data, 6));
    out.extend(archive::crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

#[test]
fn a_gzip_bomb_stops_at_the_limit() {
    let bomb = gzip_of(&vec![0u8; 1 << 20]);
    assert!(bomb.len() < 2048);
    assert_eq!(archive::gunzip(&bomb, 64 * 1024).unwrap_err().kind, ArchiveErrorKind::TooLarge);
    assert_eq!(archive::gunzip(&bomb, 2 << 20).unwrap().len(), 1 << 20);
}

#[test]
fn damaged_gzip_is_a_clear_error() {
    let good = gzip_of(&tar_of(&[("a", tar::EntryType::Regular, b"x", "")]));
    let truncated = &good[..good.len() - 20];
    assert!(matches!(archive::unpack(truncated).unwrap_err().kind, ArchiveErrorKind::BadGzip(_)));
    let mut bad_crc = good.clone();
    let n = bad_crc.len();
    bad_crc[n - 6] ^= 1;
    let e = archive::unpack(&bad_crc).unwrap_err();
    assert_eq!(e.kind, ArchiveErrorKind::BadGzip("checksum mismatch"));
}

#[test]
fn something_else_is_not_an_archive() {
    let e = archive::unpack(b"FROM alpine\nRUN echo hi\n").unwrap_err();
    assert_eq!(e.kind, ArchiveErrorKind::UnknownFormat);
    assert_eq!(e.to_string(), "not a tar, tar.gz or zip archive");
}

/// A zip with one stored entry, with the general-purpose flags and method given.
fn zip_of(name: &str, data: &[u8], flags: u16, method: u16) -> Vec<u8> {
    let crc = archive::crc32(data);
    let mut z = Vec::new();
    z.extend(0x0403_4b50u32.to_le_bytes());
    z.extend([20, 0]);
    z.extend(flags.to_le_bytes());
    z.extend(method.to_le_bytes());
    z.extend([0, 0, 0, 0]);
    z.extend(crc.to_le_bytes());
    z.extend((data.len() as u32).to_le_bytes());
    z.extend((data.len() as u32).to_le_bytes());
    z.extend((name.len() as u16).to_le_bytes());
    z.extend([0, 0]);
    z.extend(name.as_bytes());
    z.extend(data);
    let cd = z.len() as u32;
    z.extend(0x0201_4b50u32.to_le_bytes());
    z.extend([20, 3, 20, 0]);
    z.extend(flags.to_le_bytes());
    z.extend(method.to_le_bytes());
    z.extend([0, 0, 0, 0]);
    z.extend(crc.to_le_bytes());
    z.extend((data.len() as u32).to_le_bytes());
    z.extend((data.len() as u32).to_le_bytes());
    z.extend((name.len() as u16).to_le_bytes());
    z.extend([0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend((0o100644u32 << 16).to_le_bytes());
    z.extend(0u32.to_le_bytes());
    z.extend(name.as_bytes());
    let cd_size = z.len() as u32 - cd;
    z.extend(0x0605_4b50u32.to_le_bytes());
    z.extend([0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend(cd_size.to_le_bytes());
    z.extend(cd.to_le_bytes());
    z.extend([0, 0]);
    z
}

#[test]
fn zip_entries_are_checked() {
    assert_eq!(find(&archive::unpack(&zip_of("a.txt", b"hello", 0, 0)).unwrap().entries, "a.txt").data, b"hello");
    let msg = |z: Vec<u8>| archive::unpack(&z).unwrap_err().to_string();
    assert!(msg(zip_of("a.txt", b"hello", 1, 0)).contains("a.txt is encrypted"));
    assert!(msg(zip_of("a.txt", b"hello", 0, 12)).contains("compression method 12"));
    assert!(msg(zip_of("../a.txt", b"hello", 0, 0)).contains("leaves the context"));
    let mut bad = zip_of("a.txt", b"hello", 0, 0);
    bad[30 + 5] ^= 0xff; // a data byte
    assert!(msg(bad).contains("checksum mismatch"));
}

proptest! {
    #[test]
    fn any_bytes_unpack_or_error_without_panic(
        prefix in prop::sample::select(vec![&b""[..], b"\x1f\x8b\x08\x00", b"PK\x03\x04", b"PK\x05\x06"]),
        body in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend(body);
        let _ = archive::unpack(&bytes);
    }

    #[test]
    fn a_damaged_tar_gz_or_zip_errors_without_panic(at in any::<prop::sample::Index>(), byte in any::<u8>(), zip in any::<bool>()) {
        let mut bytes = if zip {
            zip_of("dir/a.txt", b"hello world", 0, 0)
        } else {
            gzip_of(&tar_of(&[("dir/a", tar::EntryType::Regular, b"hello", ""), ("dir/l", tar::EntryType::Symlink, b"", "a")]))
        };
        let i = at.index(bytes.len());
        bytes[i] = byte;
        if let Ok(u) = archive::unpack(&bytes) {
            prop_assert!(dfplay::context::validate(&u.entries).is_ok());
        }
    }
}

#[test]
fn a_packed_context_is_a_tar_gnu_tar_reads_and_unpack_reads_back() {
    let long = format!("deep/{}/file.txt", "d".repeat(150));
    let entries = vec![
        Entry::file("Dockerfile", "FROM alpine\n"),
        Entry { mode: 0o755, ..Entry::file("bin/run.sh", "#!/bin/sh\n") },
        Entry::dir("empty"),
        Entry::symlink("link", "bin/run.sh"),
        Entry::file(long.clone(), "x"),
    ];
    let tar = archive::pack_tar(&entries).unwrap();
    assert_eq!(tar, archive::pack_tar(&entries).unwrap(), "packing is reproducible");
    let back = archive::unpack(&tar).unwrap();
    assert_eq!(back.entries, dfplay::context::validate(&entries).unwrap());
    // GNU tar lists the same entries.
    let dir = std::env::temp_dir().join(format!("dfplay-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ctx.tar"), &tar).unwrap();
    let out = Command::new("tar").arg("-tvf").arg(dir.join("ctx.tar")).output().unwrap();
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(listing.contains("-rwxr-xr-x root/root") && listing.contains("bin/run.sh"), "{listing}");
    assert!(listing.contains("link -> bin/run.sh"), "{listing}");
    assert!(listing.contains(&long), "{listing}");
    assert!(listing.contains("drwxr-xr-x") && listing.contains("empty/"), "{listing}");
}
