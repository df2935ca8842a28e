//! Simulated web servers: Apache (`apachectl`/`apache2ctl`, Debian's `apache2`,
//! the official image's and Alpine's `httpd`) and nginx. They read the image's
//! configuration for the port and document root, print the start-up messages
//! the real servers print (`AH00558: … Could not reliably determine the
//! server's fully qualified domain name …`, nginx's notices), then say what they
//! would serve and exit 0 — a container's run panel shows something meaningful
//! for `CMD apachectl -DFOREGROUND`. `-t`/`configtest`, `-v` and the daemon-mode
//! pitfall (a server that forks into the background ends the container) are
//! covered too.

use super::support::{self, errln, label, outln, Res};
use crate::shell::proc::Ctx;
use crate::vfs::path;

/// The container's address as Docker's default bridge gives it.
const CONTAINER_IP: &str = "172.17.0.2";

/// Apache's layout in this image.
struct Apache {
    /// `apache2` (Debian/Ubuntu) or `httpd`.
    binary: &'static str,
    conf: String,
    version: String,
    os: &'static str,
}

fn apache(ctx: &Ctx<'_>) -> Apache {
    if ctx.fs.stat("/etc/apache2/apache2.conf").is_ok() {
        let status = ctx.fs.read("/var/lib/dpkg/status").map(|d| String::from_utf8_lossy(&d).into_owned()).unwrap_or_default();
        let v = status.split("\n\n").find(|s| s.starts_with("Package: apache2\n")).and_then(|s| s.lines().find_map(|l| l.strip_prefix("Version: "))).unwrap_or("2.4.7").to_string();
        let os = if ctx.fs.read("/etc/os-release").map(|d| String::from_utf8_lossy(&d).contains("ID=ubuntu")).unwrap_or(false) { "Ubuntu" } else { "Debian" };
        return Apache { binary: "apache2", conf: "/etc/apache2/apache2.conf".into(), version: v.split('-').next().unwrap_or("2.4.7").to_string(), os };
    }
    let conf = if ctx.fs.stat("/usr/local/apache2/conf/httpd.conf").is_ok() { "/usr/local/apache2/conf/httpd.conf" } else { "/etc/apache2/httpd.conf" };
    let v = support::env_nonempty(ctx, "HTTPD_VERSION").unwrap_or("2.4.62").to_string();
    Apache { binary: "httpd", conf: conf.into(), version: v, os: "Unix" }
}

/// Every configuration file Apache would read: the main one and its includes (one level of globs).
fn apache_files(ctx: &Ctx<'_>, main: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(d) = ctx.fs.read(main) else { return out };
    let text = String::from_utf8_lossy(&d).into_owned();
    let root = path::parent(main).to_string();
    out.push((main.to_string(), text.clone()));
    for line in text.lines() {
        let l = line.trim();
        let Some(rest) = l.strip_prefix("IncludeOptional ").or_else(|| l.strip_prefix("Include ")) else { continue };
        include_matching(ctx, &path::join(&root, rest.trim().trim_matches('"')), &mut out);
    }
    out
}

fn wildcard(pat: &str, name: &str) -> bool {
    match pat.split_once('*') {
        None => pat == name,
        Some((a, b)) => name.len() >= a.len() + b.len() && name.starts_with(a) && name.ends_with(b),
    }
}

fn directive(files: &[(String, String)], name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in files {
        // blocks for modules a default installation does not load (SSL) do not count
        let mut skip = 0usize;
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with("<IfModule") {
                if skip > 0 || l.contains("ssl") || l.contains("gnutls") {
                    skip += 1;
                }
                continue;
            }
            if l.starts_with("</IfModule") {
                skip = skip.saturating_sub(1);
                continue;
            }
            if skip > 0 {
                continue;
            }
            if let Some(rest) = l.strip_prefix(name).filter(|r| r.starts_with([' ', '\t'])) {
                out.push(rest.trim().trim_matches('"').to_string());
            }
        }
    }
    out
}

/// The files a document root would serve, for the run panel.
fn listing(ctx: &Ctx<'_>, root: &str) -> String {
    match ctx.fs.read_dir(root) {
        Ok(entries) if !entries.is_empty() => {
            let names: Vec<String> = entries.iter().take(8).map(|(n, _)| n.clone()).collect();
            let more = if entries.len() > 8 { format!(", … {} more", entries.len() - 8) } else { String::new() };
            format!(" ({}{more})", names.join(", "))
        }
        Ok(_) => " (empty)".into(),
        Err(_) => " (which does not exist)".into(),
    }
}

pub fn apachectl(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| apache_main(ctx, argv, true))
}

pub fn apache2(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| apache_main(ctx, argv, false))
}

pub fn httpd(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, |ctx, argv| apache_main(ctx, argv, true))
}

fn apache_main(ctx: &mut Ctx<'_>, argv: &[String], with_env: bool) -> Res {
    let a = apache(ctx);
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let has = |f: &str| args.iter().any(|x| x == f);
    let foreground = has("-DFOREGROUND") || args.windows(2).any(|w| w[0] == "-D" && w[1] == "FOREGROUND");
    let bin = a.binary;
    if has("-v") || has("-V") || has("-version") {
        label(ctx, argv, "the playground's stand-in Apache");
        outln(ctx, &format!("Server version: Apache/{} ({})\nServer built:   2024-06-01T00:00:00", a.version, a.os))?;
        return Ok(0);
    }
    let Ok(_) = ctx.fs.stat(&a.conf) else {
        label(ctx, argv, "the playground runs no servers; Apache is simulated");
        errln(ctx, &format!("{bin}: Could not open configuration file {}: No such file or directory", a.conf));
        return Ok(1);
    };
    // Debian's apache2 started without apache2ctl has no APACHE_* variables
    if bin == "apache2" && !with_env && ctx.getenv("APACHE_RUN_DIR").is_none() {
        label(ctx, argv, "the playground runs no servers; Apache is simulated");
        errln(ctx, "[core:warn] [pid 1] AH00111: Config variable ${APACHE_RUN_DIR} is not defined\napache2: Syntax error on line 80 of /etc/apache2/apache2.conf: DefaultRuntimeDir must be a valid directory, absolute or relative to ServerRoot");
        return Ok(1);
    }
    let files = apache_files(ctx, &a.conf);
    let fqdn = format!("AH00558: {bin}: Could not reliably determine the server's fully qualified domain name, using {CONTAINER_IP}. Set the 'ServerName' directive globally to suppress this message");
    let has_servername = !directive(&files, "ServerName").is_empty();
    if has("-t") || has("configtest") || has("-S") {
        label(ctx, argv, "checks the configuration files the simulated Apache reads");
        if !has_servername {
            errln(ctx, &fqdn);
        }
        errln(ctx, "Syntax OK");
        return Ok(0);
    }
    let ports: Vec<String> = directive(&files, "Listen").into_iter().map(|l| l.rsplit(':').next().unwrap_or(&l).split_whitespace().next().unwrap_or("").to_string()).filter(|p| !p.is_empty()).collect();
    let roots = directive(&files, "DocumentRoot");
    let root = roots.first().cloned().unwrap_or_else(|| "/var/www/html".into());
    let root = if root.starts_with('/') { root } else { path::join(&directive(&files, "ServerRoot").first().cloned().unwrap_or_else(|| "/usr/local/apache2".into()), &root) };
    let stop = args.iter().any(|x| x == "stop" || x == "graceful-stop") || args.windows(2).any(|w| w[0] == "-k" && (w[1] == "stop" || w[1] == "graceful-stop"));
    label(ctx, argv, "the playground runs no servers; Apache is simulated");
    if stop {
        errln(ctx, "httpd (no pid file) not running");
        return Ok(1);
    }
    if !has_servername {
        errln(ctx, &fqdn);
        if bin == "httpd" && foreground {
            errln(ctx, &fqdn);
        }
    }
    if bin == "httpd" {
        let t = support::apache_time(ctx.clock.now);
        errln(ctx, &format!("[{t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{} ({}) configured -- resuming normal operations", a.version, a.os));
        errln(ctx, &format!("[{t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd{}'", if foreground { " -D FOREGROUND" } else { "" }));
    }
    let port_words = if ports.is_empty() { "port 80".to_string() } else { format!("port{} {}", if ports.len() > 1 { "s" } else { "" }, ports.join(", ")) };
    let what = format!("{root}{}", listing(ctx, &root));
    if foreground {
        errln(ctx, &format!("(simulated) Apache would now serve {what} on {port_words} until the container stops; the playground runs no servers, so it exits here"));
    } else {
        errln(ctx, &format!("(simulated) Apache started in the background (it would serve {what} on {port_words}) and this command returned at once; as a container's main command that ends the container — use -DFOREGROUND"));
    }
    Ok(0)
}

pub fn nginx(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, nginx_main)
}

fn nginx_version(ctx: &Ctx<'_>) -> String {
    support::env_nonempty(ctx, "NGINX_VERSION").map(str::to_string).or_else(|| support::standin_version(ctx, "/usr/sbin/nginx", "nginx/")).unwrap_or_else(|| "1.22.1".into())
}

/// nginx.conf and what it includes (globs one level deep).
fn nginx_files(ctx: &Ctx<'_>, main: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(d) = ctx.fs.read(main) else { return out };
    let text = String::from_utf8_lossy(&d).into_owned();
    out.push((main.to_string(), text.clone()));
    for stmt in text.split(';') {
        let s = stmt.trim();
        let Some(rest) = s.rsplit('\n').next().map(str::trim).and_then(|l| l.strip_prefix("include ")) else { continue };
        include_matching(ctx, &path::join(path::parent(main), rest.trim()), &mut out);
    }
    out
}

/// The files an `Include`/`include` pattern (a wildcard in the last part) names, read.
fn include_matching(ctx: &Ctx<'_>, pattern: &str, out: &mut Vec<(String, String)>) {
    let (dir, file_pat) = (path::parent(pattern), path::basename(pattern));
    let Ok(entries) = ctx.fs.read_dir(dir) else { return };
    for (n, _) in entries {
        if wildcard(file_pat, &n) {
            if let Ok(d) = ctx.fs.read(&path::join(dir, &n)) {
                out.push((path::join(dir, &n), String::from_utf8_lossy(&d).into_owned()));
            }
        }
    }
}

fn nginx_directive(files: &[(String, String)], name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (_, text) in files {
        for line in text.lines() {
            let l = line.split('#').next().unwrap_or("").trim();
            if let Some(rest) = l.strip_prefix(name).filter(|r| r.starts_with([' ', '\t'])) {
                out.push(rest.trim().trim_end_matches(';').trim().to_string());
            }
        }
    }
    out
}

fn nginx_main(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let v = nginx_version(ctx);
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let has = |f: &str| args.iter().any(|x| x == f);
    if has("-v") || has("-V") {
        label(ctx, argv, "the playground's stand-in nginx");
        errln(ctx, &format!("nginx version: nginx/{v}"));
        return Ok(0);
    }
    let conf = args.windows(2).find(|w| w[0] == "-c").map(|w| path::normalize(&ctx.abs(&w[1]))).unwrap_or_else(|| "/etc/nginx/nginx.conf".into());
    let globals = args.windows(2).find(|w| w[0] == "-g").map(|w| w[1].clone()).unwrap_or_default();
    label(ctx, argv, "the playground runs no servers; nginx is simulated");
    if ctx.fs.stat(&conf).is_err() {
        errln(ctx, &format!("nginx: [emerg] open() \"{conf}\" failed (2: No such file or directory)"));
        return Ok(1);
    }
    let files = nginx_files(ctx, &conf);
    if has("-t") || has("-T") {
        errln(ctx, &format!("nginx: the configuration file {conf} syntax is ok\nnginx: configuration file {conf} test is successful"));
        return Ok(0);
    }
    if args.windows(2).any(|w| w[0] == "-s") {
        errln(ctx, "nginx: [error] open() \"/run/nginx.pid\" failed (2: No such file or directory)");
        return Ok(1);
    }
    let daemon_off = globals.replace(' ', "").contains("daemonoff;") || nginx_directive(&files, "daemon").iter().any(|d| d == "off");
    let mut ports: Vec<String> = nginx_directive(&files, "listen").into_iter().filter(|l| !l.starts_with('[')).map(|l| l.split_whitespace().next().unwrap_or("").rsplit(':').next().unwrap_or("").to_string()).collect();
    ports.dedup();
    let roots = nginx_directive(&files, "root");
    let root = roots.first().cloned().unwrap_or_else(|| "/usr/share/nginx/html".into());
    let notice = nginx_directive(&files, "error_log").iter().any(|e| e.ends_with("notice") || e.ends_with("info"));
    if notice {
        let t = support::log_time(ctx.clock.now);
        for m in ["using the \"epoll\" event method".to_string(), format!("nginx/{v}"), "built by gcc 12.2.0 (Debian 12.2.0-14)".into(), "OS: Linux 6.8.0".into(), "getrlimit(RLIMIT_NOFILE): 1048576:1048576".into(), "start worker processes".into(), "start worker process 29".into()] {
            errln(ctx, &format!("{t} [notice] 1#1: {m}"));
        }
    }
    let port_words = if ports.is_empty() { "port 80".to_string() } else { format!("port{} {}", if ports.len() > 1 { "s" } else { "" }, ports.join(", ")) };
    let what = format!("{root}{}", listing(ctx, &root));
    if daemon_off {
        errln(ctx, &format!("(simulated) nginx would now serve {what} on {port_words} until the container stops; the playground runs no servers, so it exits here"));
    } else {
        errln(ctx, &format!("(simulated) nginx went into the background (it would serve {what} on {port_words}) and this command returned at once; as a container's main command that ends the container — use nginx -g 'daemon off;'"));
    }
    Ok(0)
}
