use super::*;
use crate::shell::proc::standin_name;

fn shell_of(img: &BaseImage) -> String {
    let data = img.rootfs.read("/bin/sh").expect("/bin/sh");
    standin_name(&data).expect("a stand-in").to_string()
}

#[test]
fn every_catalogue_name_builds() {
    for name in CATALOGUE.iter().filter(|n| **n != "scratch") {
        let img = lookup(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(img.id.starts_with("sha256:") && img.id.len() == 71, "{name}");
        assert!(img.rootfs.stat("/etc/passwd").is_ok(), "{name}: /etc/passwd");
        assert!(img.rootfs.stat("/tmp").unwrap().meta.mode == 0o1777, "{name}: /tmp mode");
        assert!(img.real_size > 1_000_000, "{name}");
        let sh = shell_of(&img);
        assert!(sh == "busybox" || sh == "dash", "{name}: /bin/sh is {sh}");
    }
}

#[test]
fn facts_from_bases_md() {
    let a = lookup("alpine").unwrap();
    assert_eq!(a.config.cmd, Some(vec!["/bin/sh".to_string()]));
    assert_eq!(shell_of(&a), "busybox");
    assert!(a.rootfs.lstat("/bin/sh").unwrap().is_symlink());
    let g = lookup("diamol/golang").unwrap();
    assert_eq!(g.config.working_dir, "/go");
    assert!(g.config.env.iter().any(|(k, v)| k == "CGO_ENABLED" && v == "0"));
    assert_eq!(shell_of(&g), "dash");
    assert!(g.rootfs.stat("/usr/local/go/bin/go").unwrap().is_file());
    let m = lookup("diamol/maven").unwrap();
    assert_eq!(m.config.entrypoint, Some(vec!["/usr/local/bin/mvn-entrypoint.sh".to_string()]));
    let u = lookup("ubuntu:14.04").unwrap();
    assert!(u.rootfs.stat("/bin/bash").unwrap().is_file());
    assert!(u.rootfs.stat("/usr/bin/apt-get").unwrap().is_file());
    let n = lookup("diamol/node").unwrap();
    assert_eq!(n.config.entrypoint, Some(vec!["docker-entrypoint.sh".to_string()]));
    assert!(n.rootfs.stat("/home/node").unwrap().meta.uid == 1000);
    assert_eq!(lookup("nginx").unwrap().config.stop_signal.as_deref(), Some("SIGQUIT"));
}

#[test]
fn unknown_images_say_why() {
    let e = lookup("nosuchimage").unwrap_err().to_string();
    assert!(e.starts_with("failed to resolve source metadata for docker.io/library/nosuchimage:latest"), "{e}");
    assert!(lookup("Bad").unwrap_err().to_string().contains("lowercase"));
}

#[test]
fn stand_ins_are_deterministic_and_shared() {
    let a = lookup("diamol/base").unwrap();
    let b = lookup("docker.io/diamol/base:latest").unwrap();
    assert_eq!(a.id, b.id);
    assert!(Arc::ptr_eq(&a, &b) || a.rootfs.same_as(&b.rootfs) || crate::vfs::diff(&a.rootfs, &b.rootfs).is_empty());
}
