//! Where `FROM` images come from when nothing is pulled: the builtin catalogue of
//! small **stand-in** images for the names the books use (`alpine`, `busybox`,
//! `ubuntu:14.04`, `diamol/*`, `golang`, `node`, …). Each carries the real image's
//! config (Env, WorkingDir, Entrypoint, Cmd, ExposedPorts, Labels, StopSignal —
//! facts from `shared/bases.md`), a plausible file tree of stand-in executables,
//! and the real image's size, so `images` can report a size that teaches the right
//! lesson (a Go toolchain image is large, alpine is small). Every stand-in is
//! labelled as such wherever it is shown.
//!
//! Invariant: stand-ins are built on first use, deterministically, and shared
//! (the vfs is copy-on-write); nothing here does IO.

pub mod rootfs;

use crate::reference::Reference;
use crate::vfs::Vfs;
use rootfs::{Debian, Tree, User};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// `PATH` of images that set none of their own.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Version of the catalogue; part of every stand-in's id so a changed stand-in
/// never hits an old cache entry.
const CATALOGUE_VERSION: &str = "dfplay-standins-1";

/// The config a base image brings (the fields of an OCI image config's `config`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BaseConfig {
    pub env: Vec<(String, String)>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    pub user: String,
    pub exposed_ports: Vec<String>,
    pub labels: Vec<(String, String)>,
    pub stop_signal: Option<String>,
}

/// A resolved stand-in image.
#[derive(Debug)]
pub struct BaseImage {
    /// The reference as the Dockerfile wrote it, normalised.
    pub reference: Reference,
    /// What it stands in for, e.g. `alpine:3.9 + curl (diamol/base)`.
    pub stands_for: String,
    pub config: BaseConfig,
    /// The stand-in file tree.
    pub rootfs: Vfs,
    /// Size of the real image in bytes (uncompressed, as `docker images` shows).
    pub real_size: u64,
    /// Where `real_size` comes from.
    pub size_note: String,
    /// A stable id for this stand-in (`sha256:…`), used in cache keys and the log.
    pub id: String,
}

/// Why a `FROM` image could not be found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseError {
    #[error("{0}")]
    InvalidReference(String),
    #[error("failed to resolve source metadata for {reference}: {reason}")]
    NotAvailable { reference: String, reason: String },
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn argv(a: &[&str]) -> Option<Vec<String>> {
    Some(a.iter().map(|s| s.to_string()).collect())
}

const MB: u64 = 1_000_000;

/// What to build for a (repository, tag).
struct Spec {
    stands_for: String,
    config: BaseConfig,
    real_size: u64,
    size_note: String,
    build: Box<dyn Fn(&mut Tree)>,
}

fn alpine_version(tag: &str) -> String {
    match tag {
        "3.9" => "3.9.6".into(),
        t if t.starts_with("3.") && t.split('.').count() == 2 => format!("{t}.0"),
        t if t.starts_with("3.") => t.into(),
        _ => "3.20.3".into(),
    }
}

fn alpine_config() -> BaseConfig {
    BaseConfig { env: env(&[("PATH", DEFAULT_PATH)]), cmd: argv(&["/bin/sh"]), ..Default::default() }
}

fn debian_release(codename: &str) -> Debian<'static> {
    match codename {
        "buster" => Debian { id: "debian", name: "Debian GNU/Linux", version_id: "10", codename: "buster", pretty: "Debian GNU/Linux 10 (buster)", merged_usr: false },
        "bookworm" => Debian { id: "debian", name: "Debian GNU/Linux", version_id: "12", codename: "bookworm", pretty: "Debian GNU/Linux 12 (bookworm)", merged_usr: true },
        _ => Debian { id: "debian", name: "Debian GNU/Linux", version_id: "13", codename: "trixie", pretty: "Debian GNU/Linux 13 (trixie)", merged_usr: true },
    }
}

fn go_path(extra: &str) -> String {
    format!("{extra}/go/bin:/usr/local/go/bin:{DEFAULT_PATH}").trim_start_matches(':').to_string()
}

/// The catalogue: repository path (normalised, e.g. `library/alpine`) and tag → spec.
fn spec(path: &str, tag: &str) -> Option<Spec> {
    let alpine_tag = tag.contains("alpine");
    Some(match path {
        "library/alpine" => {
            let v = alpine_version(tag);
            let size = if v.starts_with("3.9") { 5_816_320 } else { 8_089_600 };
            Spec {
                stands_for: format!("alpine {v} (BusyBox userland)"),
                config: alpine_config(),
                real_size: size,
                size_note: "real alpine rootfs tarball size".into(),
                build: Box::new(move |t| rootfs::alpine(t, &v, &[])),
            }
        }
        "library/busybox" => Spec {
            stands_for: "busybox (BusyBox 1.37, glibc)".into(),
            config: BaseConfig { env: env(&[("PATH", DEFAULT_PATH)]), cmd: argv(&["sh"]), ..Default::default() },
            real_size: 4_679_680,
            size_note: "real busybox:latest layer, uncompressed".into(),
            build: Box::new(rootfs::busybox_image),
        },
        "library/ubuntu" => {
            let trusty = tag == "14.04" || tag == "trusty";
            let (d, labels, size, note) = if trusty {
                (
                    Debian { id: "ubuntu", name: "Ubuntu", version_id: "14.04", codename: "trusty", pretty: "Ubuntu 14.04.6 LTS", merged_usr: false },
                    vec![],
                    197 * MB,
                    "real ubuntu:14.04 (70.8 MB compressed)",
                )
            } else {
                let v = if tag == "22.04" || tag == "jammy" { "22.04" } else { "24.04" };
                let pretty = if v == "22.04" { "Ubuntu 22.04.5 LTS" } else { "Ubuntu 24.04.3 LTS" };
                let code = if v == "22.04" { "jammy" } else { "noble" };
                (
                    Debian { id: "ubuntu", name: "Ubuntu", version_id: v, codename: code, pretty, merged_usr: true },
                    vec![("org.opencontainers.image.ref.name".to_string(), "ubuntu".to_string()), ("org.opencontainers.image.version".to_string(), v.to_string())],
                    78 * MB,
                    "real ubuntu image (about 29.7 MB compressed)",
                )
            };
            let stands_for = format!("{} ({})", d.pretty, d.codename);
            Spec {
                stands_for,
                config: BaseConfig { env: env(&[("PATH", DEFAULT_PATH)]), cmd: argv(&["/bin/bash"]), labels, ..Default::default() },
                real_size: size,
                size_note: note.into(),
                build: Box::new(move |t| rootfs::debian(t, &d, &[])),
            }
        }
        "library/debian" => {
            let code = if tag.contains("bookworm") || tag.starts_with("12") { "bookworm" } else if tag.contains("buster") || tag.starts_with("10") { "buster" } else { "trixie" };
            let d = debian_release(code);
            Spec {
                stands_for: d.pretty.to_string(),
                config: BaseConfig { env: env(&[("PATH", DEFAULT_PATH)]), cmd: argv(&["bash"]), ..Default::default() },
                real_size: 120 * MB,
                size_note: "real debian image (about 48 MB compressed)".into(),
                build: Box::new(move |t| rootfs::debian(t, &d, &[])),
            }
        }
        "diamol/base" => Spec {
            stands_for: "diamol/base (alpine 3.9 + curl)".into(),
            config: alpine_config(),
            real_size: 7_800_000,
            size_note: "estimate: alpine 3.9 (5.8 MB) + curl".into(),
            build: Box::new(|t| {
                rootfs::alpine(t, "3.9.6", &[]);
                t.exe("/usr/bin/curl", "curl", "curl (no network in the playground)");
            }),
        },
        "library/golang" | "diamol/golang" => {
            let diamol = path == "diamol/golang";
            let version = if diamol { "1.13.15" } else { "1.27.0" };
            let mut e = vec![("PATH", go_path("")), ("GOLANG_VERSION", version.to_string()), ("GOPATH", "/go".to_string())];
            if !diamol {
                e.insert(1, ("GOTOOLCHAIN", "local".to_string()));
            } else {
                e.push(("CGO_ENABLED", "0".to_string()));
            }
            let env: Vec<(String, String)> = e.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            if alpine_tag && !diamol {
                Spec {
                    stands_for: format!("golang:{tag} (Go {version} on alpine)"),
                    config: BaseConfig { env, cmd: argv(&["/bin/sh"]), working_dir: "/go".into(), ..Default::default() },
                    real_size: 250 * MB,
                    size_note: "real golang alpine image (about 75 MB compressed)".into(),
                    build: Box::new(move |t| {
                        rootfs::alpine(t, "3.20.3", &[]);
                        rootfs::go_toolchain(t, version, 0o755);
                    }),
                }
            } else {
                let code = if diamol { "buster" } else { "trixie" };
                let d = debian_release(code);
                Spec {
                    stands_for: if diamol { "diamol/golang (golang:1.13 on Debian buster, CGO_ENABLED=0)".into() } else { format!("golang:{tag} (Go {version} on Debian trixie)") },
                    config: BaseConfig { env, cmd: argv(&["bash"]), working_dir: "/go".into(), ..Default::default() },
                    real_size: if diamol { 803 * MB } else { 1_270 * MB },
                    size_note: if diamol { "estimate from the 279 MB compressed pull".into() } else { "real golang:latest, as seed 004's `docker images` shows it (1.27GB)".into() },
                    build: Box::new(move |t| {
                        rootfs::debian(t, &d, &[]);
                        for tool in ["git", "gcc", "make", "curl", "wget"] {
                            t.exe(&format!("/usr/bin/{tool}"), tool, "buildpack-deps tool");
                        }
                        rootfs::go_toolchain(t, version, if diamol { 0o777 } else { 0o755 });
                    }),
                }
            }
        }
        "diamol/maven" | "library/maven" => {
            let diamol = path == "diamol/maven";
            let (home, jv, mv) = if diamol { ("/usr/local/openjdk-11", "11.0.7", "3.6.3") } else { ("/opt/java/openjdk", "jdk-26+35", "3.9.16") };
            let mut e = vec![("PATH", format!("{home}/bin:{DEFAULT_PATH}")), ("JAVA_HOME", home.to_string())];
            if diamol {
                e.extend([("LANG", "C.UTF-8".to_string()), ("JAVA_VERSION", jv.to_string())]);
            } else {
                e.extend([("LANG", "en_US.UTF-8".to_string()), ("LANGUAGE", "en_US:en".to_string()), ("LC_ALL", "en_US.UTF-8".to_string()), ("JAVA_VERSION", jv.to_string())]);
            }
            e.extend([("MAVEN_HOME", "/usr/share/maven".to_string()), ("MAVEN_CONFIG", "/root/.m2".to_string())]);
            let env = e.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            let d = if diamol { debian_release("buster") } else { Debian { id: "ubuntu", name: "Ubuntu", version_id: "24.04", codename: "noble", pretty: "Ubuntu 24.04.3 LTS", merged_usr: true } };
            Spec {
                stands_for: if diamol { "diamol/maven (maven:3.6.3-jdk-11 on Debian buster)".into() } else { format!("maven:{tag} (Maven {mv}, Eclipse Temurin)") },
                config: BaseConfig {
                    env,
                    entrypoint: argv(&["/usr/local/bin/mvn-entrypoint.sh"]),
                    cmd: argv(&["mvn"]),
                    ..Default::default()
                },
                real_size: if diamol { 850 * MB } else { 530 * MB },
                size_note: if diamol { "estimate from the 334 MB compressed pull".into() } else { "estimate for maven:latest".into() },
                build: Box::new(move |t| {
                    rootfs::debian(t, &d, &[]);
                    rootfs::java(t, home, jv, true);
                    rootfs::maven(t, mv);
                    t.exe("/usr/bin/git", "git", "git");
                    t.exe("/usr/bin/curl", "curl", "curl (no network in the playground)");
                }),
            }
        }
        "diamol/openjdk" | "library/openjdk" | "library/eclipse-temurin" => {
            let temurin = path == "library/eclipse-temurin";
            let diamol = path == "diamol/openjdk";
            let (home, jv) = if temurin { ("/opt/java/openjdk", "jdk-21.0.12+8") } else { ("/usr/local/openjdk-11", "11.0.7") };
            let jdk = !diamol && !tag.contains("jre");
            let mut e = vec![("PATH", format!("{home}/bin:{DEFAULT_PATH}")), ("JAVA_HOME", home.to_string())];
            if temurin {
                e.extend([("LANG", "en_US.UTF-8".to_string()), ("LANGUAGE", "en_US:en".to_string()), ("LC_ALL", "en_US.UTF-8".to_string())]);
            } else {
                e.push(("LANG", "C.UTF-8".to_string()));
            }
            e.push(("JAVA_VERSION", jv.to_string()));
            let env = e.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            let d = if temurin { Debian { id: "ubuntu", name: "Ubuntu", version_id: "24.04", codename: "noble", pretty: "Ubuntu 24.04.3 LTS", merged_usr: true } } else { debian_release("buster") };
            let (entrypoint, cmd) = if temurin {
                (argv(&["/__cacert_entrypoint.sh"]), if jdk { argv(&["jshell"]) } else { argv(&["/bin/bash"]) })
            } else if jdk {
                (None, argv(&["jshell"]))
            } else {
                (None, argv(&["bash"]))
            };
            Spec {
                stands_for: if diamol { "diamol/openjdk (openjdk:11-jre-slim + curl, Debian buster)".into() } else if temurin { format!("eclipse-temurin:{tag}") } else { format!("openjdk:{tag} (deprecated image)") },
                config: BaseConfig { env, entrypoint, cmd, ..Default::default() },
                real_size: if diamol { 205 * MB } else if jdk { 470 * MB } else { 270 * MB },
                size_note: if diamol { "estimate from the 77 MB compressed pull".into() } else { "estimate".into() },
                build: Box::new(move |t| {
                    rootfs::debian(t, &d, &[]);
                    rootfs::java(t, home, jv, jdk);
                    if diamol {
                        t.exe("/usr/bin/curl", "curl", "curl (no network in the playground)");
                    }
                    if temurin {
                        t.script("/__cacert_entrypoint.sh", "#!/bin/sh\n# dfplay stand-in for eclipse-temurin's CA-certificate entrypoint\nexec \"$@\"\n");
                    }
                }),
            }
        }
        "diamol/node" | "library/node" => {
            let diamol = path == "diamol/node";
            let (nv, yv) = if diamol { ("10.16.0", "1.16.0") } else { ("24.11.1", "1.22.22") };
            let env = env(&[("PATH", DEFAULT_PATH), ("NODE_VERSION", nv), ("YARN_VERSION", yv)]);
            let node_user = [User { name: "node", uid: 1000, gid: 1000, home: "/home/node", shell: "/bin/sh" }];
            let alpine_based = diamol || alpine_tag;
            Spec {
                stands_for: if diamol { "diamol/node (node:10.16.0-alpine, alpine 3.9)".into() } else { format!("node:{tag} (Node.js {nv})") },
                config: BaseConfig { env, entrypoint: argv(&["docker-entrypoint.sh"]), cmd: argv(&["node"]), ..Default::default() },
                real_size: if diamol { 75 * MB } else if alpine_tag { 160 * MB } else { 1_100 * MB },
                size_note: if diamol { "estimate for node:10.16.0-alpine".into() } else { "estimate".into() },
                build: Box::new(move |t| {
                    if alpine_based {
                        rootfs::alpine(t, if diamol { "3.9.6" } else { "3.20.3" }, &node_user);
                    } else {
                        let d = debian_release("trixie");
                        rootfs::debian(t, &d, &node_user);
                    }
                    rootfs::node(t, nv, yv);
                }),
            }
        }
        "library/nginx" => Spec {
            stands_for: format!("nginx:{tag} (nginx 1.27.4)"),
            config: BaseConfig {
                env: env(&[("PATH", DEFAULT_PATH), ("NGINX_VERSION", "1.27.4"), ("NJS_VERSION", "0.8.9"), ("NJS_RELEASE", "1~bookworm"), ("PKG_RELEASE", "1~bookworm"), ("DYNPKG_RELEASE", "1~bookworm")]),
                entrypoint: argv(&["/docker-entrypoint.sh"]),
                cmd: argv(&["nginx", "-g", "daemon off;"]),
                exposed_ports: vec!["80/tcp".into()],
                labels: vec![("maintainer".into(), "NGINX Docker Maintainers <docker-maint@nginx.com>".into())],
                stop_signal: Some("SIGQUIT".into()),
                ..Default::default()
            },
            real_size: 192 * MB,
            size_note: "real nginx image (about 72 MB compressed)".into(),
            build: Box::new(|t| {
                let d = debian_release("bookworm");
                rootfs::debian(t, &d, &[]);
                rootfs::nginx(t, "1.27.4");
                append_account(t, "nginx", 101, "/nonexistent");
            }),
        },
        "library/python" => {
            let v = "3.14.7";
            Spec {
                stands_for: format!("python:{tag} (CPython {v})"),
                config: BaseConfig {
                    env: env(&[("PATH", &format!("/usr/local/bin:{DEFAULT_PATH}")), ("PYTHON_VERSION", v)]),
                    cmd: argv(&["python3"]),
                    ..Default::default()
                },
                real_size: if tag.contains("slim") { 130 * MB } else if alpine_tag { 50 * MB } else { 1_000 * MB },
                size_note: "estimate".into(),
                build: Box::new(move |t| {
                    if alpine_tag {
                        rootfs::alpine(t, "3.20.3", &[]);
                    } else {
                        rootfs::debian(t, &debian_release("trixie"), &[]);
                    }
                    rootfs::python(t, v);
                }),
            }
        }
        "library/httpd" => Spec {
            stands_for: format!("httpd:{tag} (Apache httpd 2.4.68)"),
            config: BaseConfig {
                env: env(&[("PATH", &format!("/usr/local/apache2/bin:{DEFAULT_PATH}")), ("HTTPD_PREFIX", "/usr/local/apache2"), ("HTTPD_VERSION", "2.4.68"), ("HTTPD_PATCHES", "")]),
                cmd: argv(&["httpd-foreground"]),
                working_dir: "/usr/local/apache2".into(),
                exposed_ports: vec!["80/tcp".into()],
                stop_signal: Some("SIGWINCH".into()),
                ..Default::default()
            },
            real_size: 148 * MB,
            size_note: "estimate".into(),
            build: Box::new(|t| {
                rootfs::debian(t, &debian_release("trixie"), &[]);
                rootfs::httpd(t, "2.4.68");
            }),
        },
        _ => return None,
    })
}

/// Adds a system account after the fact (nginx creates its own user).
fn append_account(t: &mut Tree, name: &str, id: u32, home: &str) {
    for (file, line) in [
        ("/etc/passwd", format!("{name}:x:{id}:{id}:{name} user:{home}:/usr/sbin/nologin\n")),
        ("/etc/group", format!("{name}:x:{id}:\n")),
        ("/etc/shadow", format!("{name}:!::0:::::\n")),
    ] {
        let _ = t.fs.append(file, line.as_bytes(), 0o644);
    }
}

/// The names the catalogue knows, for error messages and the page.
pub const CATALOGUE: &[&str] = &[
    "scratch", "alpine", "busybox", "ubuntu", "debian", "diamol/base", "diamol/golang", "diamol/maven", "diamol/openjdk", "diamol/node",
    "golang", "node", "openjdk", "eclipse-temurin", "maven", "nginx", "python", "httpd",
];

/// True for `scratch`, the empty image (not a real image: no metadata, no vertex).
pub fn is_scratch(reference: &str) -> bool {
    reference == "scratch"
}

fn cache() -> &'static Mutex<HashMap<String, Arc<BaseImage>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<BaseImage>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Resolves a `FROM` reference to a stand-in image, building it on first use.
pub fn lookup(reference: &str) -> Result<Arc<BaseImage>, BaseError> {
    let r = Reference::parse(reference).map_err(|e| BaseError::InvalidReference(e.to_string()))?;
    let key = r.full();
    if let Some(img) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(img);
    }
    let not_available = || BaseError::NotAvailable {
        reference: r.full(),
        reason: format!(
            "the playground is offline and has no stand-in for it (stand-ins: {}); load the real image with `docker save` + `dfplay load` (or the page's Import), or use a host executor",
            CATALOGUE.join(", ")
        ),
    };
    if r.domain != crate::reference::DEFAULT_DOMAIN || r.digest.is_some() {
        return Err(not_available());
    }
    let spec = spec(&r.path, r.tag_or_latest()).ok_or_else(not_available)?;
    let mut tree = Tree::new();
    (spec.build)(&mut tree);
    let rootfs = tree.finish();
    let id = crate::digest::sha256_digest(&format!("{CATALOGUE_VERSION}\n{}\n{}", r.full(), spec.stands_for).as_bytes());
    let img = Arc::new(BaseImage { reference: r, stands_for: spec.stands_for, config: spec.config, rootfs, real_size: spec.real_size, size_note: spec.size_note, id });
    if let Ok(mut c) = cache().lock() {
        c.insert(key, img.clone());
    }
    Ok(img)
}

#[cfg(test)]
mod tests;
