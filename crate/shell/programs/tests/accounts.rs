//! Account tools. Not differential (they would change the host's accounts):
//! the expectations below are what shadow-utils 4.13 (`useradd -P` on a copy
//! of Debian's files) and busybox 1.36's sources produce.

use super::World;

fn debian() -> World {
    let mut w = World::new();
    w.file("/etc/debian_version", "12.11\n");
    w.file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    w.file("/etc/group", "root:x:0:\nnogroup:x:65534:\nusers:x:100:\n");
    w.file("/etc/shadow", "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n");
    w.file("/etc/gshadow", "root:*::\nnogroup:*::\nusers:*::\n");
    w.file("/etc/skel/.bashrc", "alias x=y\n");
    w.clock.now = 20_000 * 86_400 + 5;
    w
}

#[test]
fn useradd_and_groupadd_like_shadow_utils() {
    let mut w = debian();
    for cmd in [
        "useradd bob",
        "useradd -m alice",
        "useradd -r sys1",
        "useradd -r -m -s /bin/false sys2",
        "useradd -u 2000 -g users -G nogroup -d /opt/c carol",
        "groupadd grp1",
        "groupadd -r sgrp",
        "groupadd -g 3000 g3",
        "useradd -N nog",
    ] {
        let d = w.sh(cmd);
        assert_eq!((d.status, d.err.as_str()), (0, ""), "{cmd}");
    }
    assert_eq!(
        w.read("/etc/passwd"),
        "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
         bob:x:1000:1000::/home/bob:/bin/sh\nalice:x:1001:1001::/home/alice:/bin/sh\nsys1:x:999:999::/home/sys1:/bin/sh\n\
         sys2:x:998:998::/home/sys2:/bin/false\ncarol:x:2000:100::/opt/c:/bin/sh\nnog:x:2001:100::/home/nog:/bin/sh\n"
    );
    assert_eq!(
        w.read("/etc/group"),
        "root:x:0:\nnogroup:x:65534:carol\nusers:x:100:\nbob:x:1000:\nalice:x:1001:\nsys1:x:999:\nsys2:x:998:\ngrp1:x:1002:\nsgrp:x:997:\ng3:x:3000:\n"
    );
    assert!(w.read("/etc/shadow").contains("bob:!:20000:0:99999:7:::\n"));
    assert!(w.read("/etc/shadow").contains("sys1:!:20000::::::\n"));
    assert!(w.read("/etc/gshadow").contains("nogroup:*::carol\nusers:*::\nbob:!::\n"));
    let st = w.fs.stat("/home/alice").unwrap();
    assert_eq!((st.meta.mode, st.meta.uid, st.meta.gid), (0o755, 1001, 1001));
    assert_eq!(w.fs.stat("/home/alice/.bashrc").unwrap().meta.uid, 1001);
    assert!(w.fs.stat("/home/bob").is_err());
    let cases = [
        ("useradd bob", 9, "useradd: user 'bob' already exists\n"),
        ("useradd -g nope dan", 6, "useradd: group 'nope' does not exist\n"),
        ("useradd -u 1000 eve", 4, "useradd: UID 1000 is not unique\n"),
        ("groupadd grp1", 9, "groupadd: group 'grp1' already exists\n"),
        ("groupadd -g 3000 g4", 4, "groupadd: GID '3000' already exists\n"),
    ];
    for (cmd, status, msg) in cases {
        let d = w.sh(cmd);
        assert_eq!((d.status, d.err.as_str()), (status, msg), "{cmd}");
    }
    let d = w.run_args(&["useradd", "Bad Name"], "");
    assert_eq!((d.status, d.err.as_str()), (3, "useradd: invalid user name 'Bad Name': use --badname to ignore\n"));
    let d = w.sh("useradd");
    assert_eq!(d.status, 2);
    assert!(d.err.starts_with("Usage: useradd [options] LOGIN\n"));
    // the new user is known to the other programs
    assert_eq!(w.sh("id alice").out, "uid=1001(alice) gid=1001(alice) groups=1001(alice)\n");
    assert_eq!(w.sh("id carol").out, "uid=2000(carol) gid=100(users) groups=100(users),65534(nogroup)\n");
}

#[test]
fn debian_adduser() {
    let mut w = debian();
    let d = w.run_args(&["adduser", "--disabled-password", "--gecos", "", "app"], "");
    assert_eq!(d.status, 0);
    assert_eq!(
        d.out,
        "Adding user `app' ...\nAdding new group `app' (1000) ...\nAdding new user `app' (1000) with group `app' ...\nCreating home directory `/home/app' ...\nCopying files from `/etc/skel' ...\n"
    );
    assert!(w.read("/etc/passwd").ends_with("app:x:1000:1000::/home/app:/bin/bash\n"));
    assert!(w.fs.stat("/home/app/.bashrc").is_ok());
    let d = w.sh("adduser --system --group svc");
    assert_eq!(d.status, 0);
    assert!(w.read("/etc/passwd").contains("svc:x:100:"));
    let d = w.sh("addgroup web");
    assert_eq!(d.out, "Adding group `web' (GID 1001) ...\nDone.\n");
    let d = w.sh("adduser app web");
    assert_eq!(d.out, "Adding user `app' to group `web' ...\nAdding user app to group web\nDone.\n");
    assert!(w.read("/etc/group").contains("web:x:1001:app\n"));
    assert_eq!(w.sh("adduser app").err, "adduser: The user `app' already exists.\n");
}

#[test]
fn busybox_adduser_and_addgroup() {
    let mut w = World::new();
    w.file("/bin/busybox", "");
    w.file("/etc/alpine-release", "3.20.3\n");
    w.file("/etc/passwd", "root:x:0:0:root:/root:/bin/ash\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n");
    w.file("/etc/group", "root:x:0:root\nnogroup:x:65533:\nnobody:x:65534:\n");
    w.file("/etc/shadow", "root:*::0:::::\n");
    w.clock.now = 20_000 * 86_400;
    let d = w.sh("adduser -D app");
    assert_eq!((d.status, d.err.as_str()), (0, ""));
    assert!(w.read("/etc/passwd").ends_with("app:x:1000:1000:Linux User,,,:/home/app:/bin/ash\n"));
    assert!(w.read("/etc/group").ends_with("app:x:1000:\n"));
    assert!(w.read("/etc/shadow").ends_with("app:!:20000:0:99999:7:::\n"));
    assert_eq!(w.fs.stat("/home/app").unwrap().meta.mode, 0o2755);
    let d = w.sh("addgroup -S www");
    assert_eq!(d.status, 0);
    assert!(w.read("/etc/group").ends_with("www:x:100:\n"));
    let d = w.sh("adduser -S -D -H -G www web");
    assert_eq!(d.status, 0);
    assert!(w.read("/etc/passwd").ends_with("web:x:100:100:Linux User,,,:/home/web:/bin/false\n"));
    assert!(w.read("/etc/group").ends_with("www:x:100:web\n"));
    assert!(w.fs.stat("/home/web").is_err());
    assert_eq!(w.sh("adduser -D app").err, "adduser: user 'app' in use\n");
    assert_eq!(w.sh("addgroup www").err, "addgroup: group 'www' in use\n");
    assert_eq!(w.sh("addgroup ghost www").err, "addgroup: unknown user ghost\n");
    let d = w.sh("adduser bob");
    assert_eq!(d.status, 1);
    assert!(d.err.contains("dfplay:"));
}

#[test]
fn network_tools_explain_the_offline_playground() {
    let mut w = World::new();
    w.file("/etc/debian_version", "12\n");
    let d = w.sh("wget -O out.txt https://example.com/file.txt");
    assert_eq!(d.status, 4);
    assert!(d.err.contains("wget: unable to resolve host address 'example.com'\n"));
    assert!(d.err.contains("dfplay: no network in the playground"));
    assert!(w.fs.stat("/out.txt").is_ok());
    let d = w.sh("curl -fsSL https://example.com/x.sh");
    assert_eq!(d.status, 6);
    assert!(d.err.starts_with("curl: (6) Could not resolve host: example.com\n"));
    let d = w.sh("curl -s https://example.com/");
    assert!(!d.err.contains("curl: (6)"));
    assert!(d.err.contains("dfplay:"));
    let mut a = World::new();
    a.file("/bin/busybox", "");
    let d = a.sh("wget -q http://dl.example.org/a.tgz");
    assert_eq!((d.status, d.err.lines().next()), (1, Some("wget: bad address 'dl.example.org'")));
}

#[test]
fn usermod_userdel_groupdel_chpasswd() {
    let mut w = debian();
    w.file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000::/home/bob:/bin/sh\n");
    w.file("/etc/group", "root:x:0:\nsudo:x:27:\nbob:x:1000:\nstaff:x:50:bob\n");
    w.file("/etc/shadow", "root:*:19000:0:99999:7:::\nbob:!:19000:0:99999:7:::\n");
    w.file("/etc/gshadow", "root:*::\nsudo:*::\nbob:!::\nstaff:*::bob\n");
    for cmd in ["usermod -aG sudo bob", "usermod -s /bin/bash bob", "usermod -G sudo bob", "usermod -u 1500 bob"] {
        let d = w.sh(cmd);
        assert_eq!((d.status, d.err.as_str()), (0, ""), "{cmd}");
    }
    assert_eq!(w.sh("usermod nobody").err, "usermod: user 'nobody' does not exist\n");
    assert_eq!(w.sh("usermod -aG nogrp bob").status, 6);
    assert_eq!(w.read("/etc/passwd"), "root:x:0:0:root:/root:/bin/bash\nbob:x:1500:1000::/home/bob:/bin/bash\n");
    assert_eq!(w.read("/etc/group"), "root:x:0:\nsudo:x:27:bob\nbob:x:1000:\nstaff:x:50:\n");
    assert_eq!(w.read("/etc/gshadow"), "root:*::\nsudo:*::bob\nbob:!::\nstaff:*::\n");
    assert_eq!(w.sh("groupdel staff").status, 0);
    assert_eq!(w.sh("groupdel nope").err, "groupdel: group 'nope' does not exist\n");
    let d = w.run_args(&["chpasswd"], "bob:secret\n");
    assert_eq!(d.status, 0);
    assert!(w.read("/etc/shadow").contains("bob:$6$dfplay$simulated"));
    assert_eq!(w.sh("userdel bob").status, 0);
    assert_eq!(w.sh("userdel bob").err, "userdel: user 'bob' does not exist\n");
    assert_eq!(w.read("/etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    assert_eq!(w.read("/etc/group"), "root:x:0:\nsudo:x:27:\n");
    assert_eq!(w.sh("getconf LONG_BIT").out, "64\n");
    assert_eq!(w.sh("getconf NOPE").err, "getconf: Unrecognized variable `NOPE'\n");
    assert_eq!(w.sh("nologin").status, 1);
}
