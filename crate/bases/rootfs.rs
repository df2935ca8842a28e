//! The file trees of the stand-in base images: a Linux skeleton, a BusyBox or a
//! Debian userland of stand-in executables, users and groups, and the toolchains
//! (Go, Java, Maven, Node, Python, nginx, Apache) at the paths the real images use.
//! Executables are stand-ins (`shell::proc::standin_executable`): running one runs
//! the playground's builtin program or labelled simulation of that name.

use crate::shell::proc::standin_executable;
use crate::vfs::{path, Meta, Node, Vfs};

/// mtime of every stand-in file: 2024-06-01T00:00:00Z.
pub const STANDIN_MTIME: i64 = 1_717_200_000;

/// Writes a tree with fixed metadata; every call creates missing parents.
pub struct Tree {
    pub fs: Vfs,
}

impl Tree {
    pub fn new() -> Self {
        let mut fs = Vfs::new().with_limits(crate::vfs::Limits { max_bytes: 64 << 20, max_nodes: 50_000 });
        fs.now = STANDIN_MTIME;
        let _ = fs.set_mtime("/", STANDIN_MTIME, false);
        Tree { fs }
    }

    fn parents(&mut self, p: &str) {
        let parent = path::parent(p);
        if !self.fs.exists(parent) {
            self.dir(parent, 0o755);
        }
    }

    pub fn dir(&mut self, p: &str, mode: u32) -> &mut Self {
        self.parents(p);
        if self.fs.lstat(p).is_err() {
            let _ = self.fs.mkdir(p, mode);
        }
        let _ = self.fs.chmod(p, mode);
        self
    }

    pub fn file(&mut self, p: &str, mode: u32, content: impl AsRef<[u8]>) -> &mut Self {
        self.parents(p);
        let _ = self.fs.insert(p, Node::new_file(Meta::new(mode, STANDIN_MTIME), content.as_ref().to_vec()));
        self
    }

    pub fn owned(&mut self, p: &str, uid: u32, gid: u32) -> &mut Self {
        let _ = self.fs.chown(p, uid, gid, false);
        self
    }

    pub fn link(&mut self, p: &str, target: &str) -> &mut Self {
        self.parents(p);
        let _ = self.fs.insert(p, Node::new_symlink(Meta::new(0o777, STANDIN_MTIME), target));
        self
    }

    /// A stand-in executable named `name` at `p`.
    pub fn exe(&mut self, p: &str, name: &str, stands_for: &str) -> &mut Self {
        self.file(p, 0o755, standin_executable(name, stands_for))
    }

    /// A shell script.
    pub fn script(&mut self, p: &str, body: &str) -> &mut Self {
        self.file(p, 0o755, body)
    }

    /// Fixes the mtime of every directory (creating files touched them).
    pub fn finish(mut self) -> Vfs {
        let dirs: Vec<String> = match self.fs.walk("/") {
            Ok(all) => all.into_iter().filter(|(_, n)| matches!(n, Node::Dir(_))).map(|(p, _)| p).collect(),
            Err(_) => Vec::new(),
        };
        for d in dirs {
            let _ = self.fs.set_mtime(&d, STANDIN_MTIME, false);
        }
        self.fs
    }
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

/// The directories every Linux image has.
pub fn skeleton(t: &mut Tree, merged_usr: bool) {
    for d in [
        "/dev", "/etc", "/home", "/media", "/mnt", "/opt", "/proc", "/run", "/srv", "/sys", "/usr/bin", "/usr/sbin",
        "/usr/lib", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/usr/local/share", "/usr/share", "/var/cache",
        "/var/lib", "/var/log", "/var/spool", "/var/mail",
    ] {
        t.dir(d, 0o755);
    }
    t.dir("/root", 0o700).dir("/tmp", 0o1777).dir("/var/tmp", 0o1777);
    if merged_usr {
        t.link("/bin", "usr/bin").link("/sbin", "usr/sbin").link("/lib", "usr/lib");
    } else {
        t.dir("/bin", 0o755).dir("/sbin", 0o755).dir("/lib", 0o755);
    }
    t.link("/var/run", "/run");
}

/// A user to create: name, uid, gid, home, shell.
pub struct User<'a> {
    pub name: &'a str,
    pub uid: u32,
    pub gid: u32,
    pub home: &'a str,
    pub shell: &'a str,
}

/// /etc/passwd, /etc/group, /etc/shadow with root, the system accounts of the
/// distribution and `extra` users (each with a group of its own and a home).
pub fn accounts(t: &mut Tree, root_shell: &str, system: &[(&str, u32, &str)], extra: &[User<'_>]) {
    let mut passwd = format!("root:x:0:0:root:/root:{root_shell}\n");
    let mut group = String::from("root:x:0:\n");
    let mut shadow = String::from("root:*::0:::::\n");
    for (name, id, home) in system {
        passwd.push_str(&format!("{name}:x:{id}:{id}:{name}:{home}:/sbin/nologin\n"));
        group.push_str(&format!("{name}:x:{id}:\n"));
        shadow.push_str(&format!("{name}:*::0:::::\n"));
    }
    for u in extra {
        passwd.push_str(&format!("{}:x:{}:{}::{}:{}\n", u.name, u.uid, u.gid, u.home, u.shell));
        group.push_str(&format!("{}:x:{}:\n", u.name, u.gid));
        shadow.push_str(&format!("{}:!::0:::::\n", u.name));
        t.dir(u.home, 0o755).owned(u.home, u.uid, u.gid);
    }
    group.push_str("nogroup:x:65534:\n");
    passwd.push_str("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    t.file("/etc/passwd", 0o644, passwd).file("/etc/group", 0o644, group).file("/etc/shadow", 0o640, shadow);
}

/// BusyBox at /bin/busybox with every applet linked as BusyBox installs them.
pub fn busybox_userland(t: &mut Tree, version: &str) {
    t.exe("/bin/busybox", "busybox", &format!("BusyBox {version} (multi-call binary)"));
    for line in include_str!("busybox-applets.txt").lines() {
        let p = format!("/{line}");
        if p == "/bin/busybox" {
            continue;
        }
        t.link(&p, "/bin/busybox");
    }
}

/// Alpine Linux: BusyBox userland, apk and its database, os-release.
pub fn alpine(t: &mut Tree, version: &str, extra_users: &[User<'_>]) {
    skeleton(t, false);
    busybox_userland(t, "1.36.1");
    let short: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
    t.file("/etc/alpine-release", 0o644, format!("{version}\n"))
        .file(
            "/etc/os-release",
            0o644,
            format!(
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID={version}\nPRETTY_NAME=\"Alpine Linux v{short}\"\nHOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n"
            ),
        )
        .file("/etc/hostname", 0o644, "localhost\n")
        .file("/etc/shells", 0o644, "# valid login shells\n/bin/sh\n/bin/ash\n")
        .file("/etc/apk/world", 0o644, "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nlibc-utils\n")
        .file(
            "/etc/apk/repositories",
            0o644,
            format!("https://dl-cdn.alpinelinux.org/alpine/v{short}/main\nhttps://dl-cdn.alpinelinux.org/alpine/v{short}/community\n"),
        )
        .file("/lib/apk/db/installed", 0o644, apk_record("busybox", "1.36.1-r0", "Size optimized toolbox of many common UNIX utilities"))
        .exe("/sbin/apk", "apk", "apk-tools (Alpine package manager)")
        .exe("/lib/ld-musl-x86_64.so.1", "ld-musl", "the musl dynamic loader")
        .link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1");
    accounts(t, "/bin/ash", &[("bin", 1, "/bin"), ("daemon", 2, "/sbin"), ("adm", 3, "/var/adm"), ("lp", 4, "/var/spool/lpd"), ("mail", 8, "/var/mail")], extra_users);
}

/// One entry of apk's installed database.
pub fn apk_record(name: &str, version: &str, description: &str) -> String {
    format!("P:{name}\nV:{version}\nA:x86_64\nT:{description}\n\n")
}

/// The busybox image: BusyBox only, no package manager.
pub fn busybox_image(t: &mut Tree) {
    skeleton(t, false);
    busybox_userland(t, "1.37.0");
    accounts(t, "/bin/sh", &[("daemon", 1, "/usr/sbin"), ("bin", 2, "/bin"), ("sys", 3, "/dev")], &[]);
}

/// Programs of a Debian/Ubuntu base system, each a stand-in of its own name,
/// with the directory it lives in (before merged /usr).
const DEBIAN_PROGRAMS: &[(&str, &[&str])] = &[
    (
        "/bin",
        &[
            "cat", "chgrp", "chmod", "chown", "cp", "date", "dd", "df", "echo", "false", "ln", "ls", "mkdir", "mknod", "mktemp", "mv",
            "pwd", "readlink", "rm", "rmdir", "sleep", "sync", "touch", "true", "uname", "grep", "egrep", "fgrep", "gzip", "gunzip",
            "zcat", "sed", "tar", "hostname", "more", "mount", "umount", "su", "login", "run-parts", "tempfile", "which",
        ],
    ),
    (
        "/usr/bin",
        &[
            "[", "basename", "cut", "dirname", "env", "expr", "find", "head", "id", "install", "md5sum", "nproc", "printf",
            "realpath", "seq", "sha1sum", "sha256sum", "sha512sum", "sort", "stat", "tail", "tee", "test", "tr", "uniq", "wc",
            "whoami", "xargs", "yes", "awk", "mawk", "diff", "cmp", "stdbuf", "timeout", "nice", "nohup", "groups", "base64",
            "od", "split", "tac", "comm", "join", "paste", "fold", "fmt", "pr", "ptx", "shuf", "tsort", "unexpand", "expand",
            "du", "mkfifo", "truncate", "users", "who", "logname", "tty", "getent", "apt", "apt-get", "apt-cache", "apt-config",
            "apt-mark", "dpkg", "dpkg-query", "dpkg-deb", "gpgv", "perl", "passwd", "chsh", "chfn", "gpasswd", "newgrp",
            "update-alternatives", "debconf-set-selections", "locale", "iconv", "getconf", "ldd", "bzip2", "xz", "unxz",
        ],
    ),
    (
        "/usr/sbin",
        &[
            "useradd", "userdel", "usermod", "groupadd", "groupdel", "groupmod", "adduser", "addgroup", "deluser", "delgroup",
            "chroot", "pwck", "grpck", "nologin", "policy-rc.d-standin", "invoke-rc.d", "update-rc.d", "service",
        ],
    ),
];

/// Which Debian-family release a tree imitates.
pub struct Debian<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub version_id: &'a str,
    pub codename: &'a str,
    pub pretty: &'a str,
    pub merged_usr: bool,
}

/// A Debian or Ubuntu base: dash as /bin/sh, bash, coreutils and friends as
/// stand-ins, apt and dpkg with their database, os-release.
pub fn debian(t: &mut Tree, d: &Debian<'_>, extra_users: &[User<'_>]) {
    skeleton(t, d.merged_usr);
    let real = |dir: &str| if d.merged_usr { format!("/usr{dir}").replace("/usr/usr", "/usr") } else { dir.to_string() };
    t.exe(&format!("{}/dash", real("/bin")), "dash", "dash (Debian Almquist shell)")
        .link(&format!("{}/sh", real("/bin")), "dash")
        .exe(&format!("{}/bash", real("/bin")), "bash", "GNU bash (runs as the playground's POSIX shell)")
        .link(&format!("{}/rbash", real("/bin")), "bash");
    for (dir, names) in DEBIAN_PROGRAMS {
        for n in *names {
            if *n == "policy-rc.d-standin" {
                continue;
            }
            let stands_for = match *n {
                "apt" | "apt-get" | "apt-cache" | "apt-config" | "apt-mark" => "APT (Debian package manager)",
                "dpkg" | "dpkg-query" | "dpkg-deb" => "dpkg",
                "useradd" | "userdel" | "usermod" | "groupadd" | "groupdel" | "groupmod" | "passwd" | "chsh" | "chfn" => "shadow-utils",
                _ => "GNU coreutils / Debian base",
            };
            t.exe(&format!("{}/{n}", real(dir)), n, stands_for);
        }
    }
    t.file(
        "/etc/os-release",
        0o644,
        format!(
            "PRETTY_NAME=\"{}\"\nNAME=\"{}\"\nVERSION_ID=\"{}\"\nVERSION_CODENAME={}\nID={}\nHOME_URL=\"https://www.{}.{}/\"\n",
            d.pretty,
            d.name,
            d.version_id,
            d.codename,
            d.id,
            d.id,
            if d.id == "ubuntu" { "com" } else { "org" }
        ),
    )
    .file("/etc/hostname", 0o644, "localhost\n")
    .file("/etc/shells", 0o644, "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/bin/dash\n")
    .file("/etc/apt/sources.list", 0o644, format!("deb http://deb.{}.org/{} {} main\n", if d.id == "ubuntu" { "archive.ubuntu" } else { "debian" }, d.id, d.codename))
    .dir("/etc/apt/apt.conf.d", 0o755)
    .dir("/var/lib/apt/lists", 0o755)
    .dir("/var/cache/apt/archives", 0o755)
    .file("/var/lib/dpkg/status", 0o644, dpkg_record("base-files", d.version_id, "Debian base system miscellaneous files"))
    .dir("/var/lib/dpkg/info", 0o755)
    .dir("/etc/skel", 0o755)
    .file("/etc/skel/.bashrc", 0o644, "# ~/.bashrc: executed by bash(1) for non-login shells.\n")
    .file("/root/.bashrc", 0o644, "# ~/.bashrc: executed by bash(1) for non-login shells.\n")
    .file("/root/.profile", 0o644, "# ~/.profile: executed by Bourne-compatible login shells.\n");
    if d.id == "ubuntu" {
        t.file(
            "/etc/lsb-release",
            0o644,
            format!("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE={}\nDISTRIB_CODENAME={}\nDISTRIB_DESCRIPTION=\"{}\"\n", d.version_id, d.codename, d.pretty),
        )
        .file("/usr/sbin/policy-rc.d", 0o755, "#!/bin/sh\nexit 101\n")
        .file("/run/systemd/container", 0o644, "docker\n");
    } else {
        t.file("/etc/debian_version", 0o644, format!("{}\n", d.version_id));
    }
    accounts(
        t,
        "/bin/bash",
        &[("daemon", 1, "/usr/sbin"), ("bin", 2, "/bin"), ("sys", 3, "/dev"), ("sync", 4, "/bin"), ("games", 5, "/usr/games"), ("man", 6, "/var/cache/man"), ("www-data", 33, "/var/www")],
        extra_users,
    );
}

/// One package stanza of dpkg's status file.
pub fn dpkg_record(name: &str, version: &str, description: &str) -> String {
    format!("Package: {name}\nStatus: install ok installed\nPriority: required\nArchitecture: amd64\nVersion: {version}\nDescription: {description}\n\n")
}

/// The Go toolchain at /usr/local/go and GOPATH /go.
pub fn go_toolchain(t: &mut Tree, version: &str, gopath_mode: u32) {
    t.exe("/usr/local/go/bin/go", "go", &format!("Go {version} (builds are simulated)"))
        .exe("/usr/local/go/bin/gofmt", "gofmt", &format!("gofmt from Go {version}"))
        .file("/usr/local/go/VERSION", 0o644, format!("go{version}\n"))
        .dir("/usr/local/go/src", 0o755)
        .dir("/usr/local/go/pkg", 0o755)
        .dir("/go", gopath_mode)
        .dir("/go/src", 0o1777)
        .dir("/go/bin", 0o1777);
}

/// A JDK or JRE at `home` with `bin/java` (and javac/jar/jshell for a JDK).
pub fn java(t: &mut Tree, home: &str, version: &str, jdk: bool) {
    t.exe(&format!("{home}/bin/java"), "java", &format!("OpenJDK {version} java launcher (simulated)"))
        .file(&format!("{home}/release"), 0o644, format!("JAVA_VERSION=\"{version}\"\n"))
        .dir(&format!("{home}/lib"), 0o755)
        .dir(&format!("{home}/conf"), 0o755);
    if jdk {
        for tool in ["javac", "jar", "jshell", "javadoc", "jlink"] {
            t.exe(&format!("{home}/bin/{tool}"), tool, &format!("OpenJDK {version} {tool} (simulated)"));
        }
    }
    t.script("/usr/local/bin/docker-java-home", &format!("#!/bin/sh\necho '{home}'\n"));
}

/// Maven at /usr/share/maven with the official image's entrypoint script.
pub fn maven(t: &mut Tree, version: &str) {
    t.exe("/usr/share/maven/bin/mvn", "mvn", &format!("Apache Maven {version} (builds are simulated)"))
        .link("/usr/bin/mvn", "/usr/share/maven/bin/mvn")
        .file("/usr/share/maven/conf/settings.xml", 0o644, "<settings/>\n")
        .file(
            "/usr/share/maven/ref/settings-docker.xml",
            0o644,
            "<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">\n  <localRepository>/usr/share/maven/ref/repository</localRepository>\n</settings>\n",
        )
        .dir("/root/.m2", 0o755)
        .script(
            "/usr/local/bin/mvn-entrypoint.sh",
            "#!/bin/sh\n# dfplay stand-in for the official image's mvn-entrypoint.sh: copies the\n# reference settings into MAVEN_CONFIG, then runs the command.\nset -e\nmkdir -p \"${MAVEN_CONFIG:-/root/.m2}\"\nexec \"$@\"\n",
        );
}

/// Node.js with npm, npx and yarn, and the official image's entrypoint.
pub fn node(t: &mut Tree, version: &str, yarn: &str) {
    t.exe("/usr/local/bin/node", "node", &format!("Node.js v{version} (simulated)"))
        .exe("/usr/local/lib/node_modules/npm/bin/npm-cli.js", "npm", "npm, the Node.js package manager (installs are simulated)")
        .exe("/usr/local/lib/node_modules/npm/bin/npx-cli.js", "npx", "npx (simulated)")
        .link("/usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
        .link("/usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js")
        .exe(&format!("/opt/yarn-v{yarn}/bin/yarn"), "yarn", &format!("Yarn {yarn} (installs are simulated)"))
        .link("/usr/local/bin/yarn", &format!("/opt/yarn-v{yarn}/bin/yarn"))
        .link("/usr/local/bin/yarnpkg", &format!("/opt/yarn-v{yarn}/bin/yarn"))
        .script(
            "/usr/local/bin/docker-entrypoint.sh",
            "#!/bin/sh\n# dfplay stand-in for the official node image's entrypoint: runs the command\n# with node when the first argument is an option or not a command.\nset -e\nif [ \"${1#-}\" != \"${1}\" ] || [ -z \"$(command -v \"${1}\")\" ]; then\n  set -- node \"$@\"\nfi\nexec \"$@\"\n",
        );
}

/// nginx with its configuration, default page and entrypoint.
pub fn nginx(t: &mut Tree, version: &str) {
    t.exe("/usr/sbin/nginx", "nginx", &format!("nginx/{version} (simulated)"))
        .file(
            "/etc/nginx/nginx.conf",
            0o644,
            "user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n    access_log  /var/log/nginx/access.log;\n    sendfile        on;\n    keepalive_timeout  65;\n    include /etc/nginx/conf.d/*.conf;\n}\n",
        )
        .file("/etc/nginx/mime.types", 0o644, "types {\n    text/html html htm;\n    text/css css;\n    application/javascript js;\n}\n")
        .file(
            "/etc/nginx/conf.d/default.conf",
            0o644,
            "server {\n    listen       80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n",
        )
        .file(
            "/usr/share/nginx/html/index.html",
            0o644,
            "<!DOCTYPE html>\n<html>\n<head><title>Welcome to nginx!</title></head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed.</p>\n</body>\n</html>\n",
        )
        .file("/usr/share/nginx/html/50x.html", 0o644, "<!DOCTYPE html>\n<html><body><h1>An error occurred.</h1></body></html>\n")
        .dir("/var/log/nginx", 0o755)
        .link("/var/log/nginx/access.log", "/dev/stdout")
        .link("/var/log/nginx/error.log", "/dev/stderr")
        .dir("/var/cache/nginx", 0o755)
        .script(
            "/docker-entrypoint.sh",
            "#!/bin/sh\n# dfplay stand-in for the official nginx image's entrypoint: runs the scripts\n# in /docker-entrypoint.d/ when starting nginx, then the command.\nset -e\nif [ \"$1\" = \"nginx\" ] || [ \"$1\" = \"nginx-debug\" ]; then\n  for f in /docker-entrypoint.d/*.sh; do\n    [ -x \"$f\" ] && echo \"$0: Launching $f\" && \"$f\"\n  done\n  echo \"$0: Configuration complete; ready for start up\"\nfi\nexec \"$@\"\n",
        );
    for s in ["10-listen-on-ipv6-by-default.sh", "20-envsubst-on-templates.sh", "30-tune-worker-processes.sh"] {
        t.script(&format!("/docker-entrypoint.d/{s}"), "#!/bin/sh\n# dfplay stand-in: does nothing in the playground\nexit 0\n");
    }
    t.file("/docker-entrypoint.d/15-local-resolvers.envsh", 0o755, "#!/bin/sh\n# dfplay stand-in\n");
}

/// CPython under /usr/local as the official python image installs it.
pub fn python(t: &mut Tree, version: &str) {
    let minor: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
    t.exe(&format!("/usr/local/bin/python{minor}"), "python3", &format!("CPython {version} (simulated)"))
        .link("/usr/local/bin/python3", &format!("python{minor}"))
        .link("/usr/local/bin/python", "python3")
        .exe("/usr/local/bin/pip", "pip", "pip (installs are simulated)")
        .link("/usr/local/bin/pip3", "pip")
        .link(&format!("/usr/local/bin/pip{minor}"), "pip")
        .dir(&format!("/usr/local/lib/python{minor}/site-packages"), 0o755);
}

/// Apache httpd under /usr/local/apache2 as the official httpd image installs it.
pub fn httpd(t: &mut Tree, version: &str) {
    t.exe("/usr/local/apache2/bin/httpd", "httpd", &format!("Apache httpd {version} (simulated)"))
        .exe("/usr/local/apache2/bin/apachectl", "apachectl", &format!("Apache httpd {version} control script (simulated)"))
        .file("/usr/local/apache2/conf/httpd.conf", 0o644, "ServerRoot \"/usr/local/apache2\"\nListen 80\nDocumentRoot \"/usr/local/apache2/htdocs\"\n")
        .file("/usr/local/apache2/htdocs/index.html", 0o644, "<html><body><h1>It works!</h1></body></html>\n")
        .dir("/usr/local/apache2/logs", 0o755)
        .script("/usr/local/bin/httpd-foreground", "#!/bin/sh\nset -e\nrm -f /usr/local/apache2/logs/httpd.pid\nexec httpd -DFOREGROUND \"$@\"\n");
}
