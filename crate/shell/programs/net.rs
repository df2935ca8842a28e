//! `wget` and `curl` without a network: the playground's builds are offline, so
//! each fails the way the real tool fails when a name does not resolve (GNU
//! wget: exit 4 after "unable to resolve host address"; busybox wget: "bad
//! address", exit 1; curl: "(6) Could not resolve host", exit 6), followed by a
//! `dfplay:` line telling the learner why and what to do instead.
//!
//! Seam for real downloads: these names are listed in [`super::NETWORK`]; a
//! host executor that can fetch provides programs of the same names through
//! [`crate::shell::proc::Natives`], and the shell should look those up before
//! this module for the names in that list.

use super::common::{err, out, Res};
use crate::shell::proc::Ctx;

/// The host part of a URL (`https://user@host:443/x` → `host`).
pub fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split(['/', '?', '#']).next().unwrap_or("");
    let rest = rest.rsplit('@').next().unwrap_or(rest);
    let host = if rest.starts_with('[') { rest.split(']').next().map(|h| format!("{h}]")).unwrap_or_default() } else { rest.split(':').next().unwrap_or("").to_string() };
    host
}

fn note(ctx: &mut Ctx<'_>, prog: &str, url: &str) {
    ctx.err(&format!(
        "dfplay: no network in the playground: {prog} cannot download {url} (builds here are simulated offline). Put the file in the build context and COPY it, or build with a real Docker for network access.\n"
    ));
}

fn busybox_flavour(ctx: &Ctx<'_>) -> bool {
    !ctx.fs.exists("/etc/debian_version") && (ctx.fs.exists("/bin/busybox") || ctx.fs.exists("/etc/alpine-release"))
}

/// Options of wget that take a value.
const WGET_ARGS: &[&str] = &["-O", "-o", "-a", "-P", "-t", "-T", "-U", "-e", "-i", "-B", "-w", "-Q", "-l", "-A", "-R", "-D", "-I", "-X", "-Y", "--header", "--user", "--password", "--output-document", "--directory-prefix", "--tries", "--timeout", "--user-agent", "--post-data", "--method", "--body-data"];

pub fn wget(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let prog = "wget";
    let mut urls = Vec::new();
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a.starts_with('-') && a.len() > 1 {
            let (flag, attached) = match a.split_once('=') {
                Some((f, v)) if a.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ if !a.starts_with("--") && a.len() > 2 && WGET_ARGS.contains(&&a[..2]) => (a[..2].to_string(), Some(a[2..].to_string())),
                _ => (a.clone(), None),
            };
            if flag == "-q" || flag == "--quiet" || (!flag.starts_with("--") && flag.contains('q')) {
                quiet = true;
            }
            if WGET_ARGS.contains(&flag.as_str()) {
                let v = match attached {
                    Some(v) => Some(v),
                    None => {
                        i += 1;
                        argv.get(i - 1).cloned()
                    }
                };
                if flag == "-O" || flag == "--output-document" {
                    output = v;
                }
            }
            continue;
        }
        urls.push(a.clone());
    }
    if urls.is_empty() {
        if busybox_flavour(ctx) {
            ctx.err("BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n");
            return Ok(1);
        }
        err(ctx, prog, "missing URL");
        ctx.err("Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
        return Ok(1);
    }
    // GNU wget opens -O FILE before connecting (an empty file is left behind)
    if let Some(f) = &output {
        if f != "-" && !busybox_flavour(ctx) {
            let abs = ctx.abs(f);
            let _ = ctx.fs.write(&abs, Vec::new(), 0o644);
        }
    }
    let url = urls[0].clone();
    let host = url_host(&url);
    if busybox_flavour(ctx) {
        if !quiet {
            out(ctx, format!("Connecting to {host} ({host})\n").as_bytes()).ok();
        }
        err(ctx, prog, &format!("bad address '{host}'"));
        note(ctx, prog, &url);
        return Ok(1);
    }
    if !quiet {
        let shown = if url.contains("://") { url.clone() } else { format!("http://{url}") };
        let shown = if shown.matches('/').count() == 2 { format!("{shown}/") } else { shown };
        let stamp = super::timefmt::strftime("%Y-%m-%d %H:%M:%S", ctx.clock.now);
        ctx.err(&format!("--{stamp}--  {shown}\nResolving {host} ({host})... failed: Temporary failure in name resolution.\n"));
        err(ctx, prog, &format!("unable to resolve host address '{host}'"));
    }
    note(ctx, prog, &url);
    Ok(4)
}

/// Options of curl that take a value.
const CURL_ARGS: &[&str] = &[
    "-o", "-O", "-H", "-d", "-X", "-u", "-A", "-e", "-w", "-T", "-F", "-b", "-c", "-m", "-x", "-r", "-C", "-K", "-E", "-Y", "-y", "-z", "--output", "--header", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--request", "--user",
    "--user-agent", "--referer", "--write-out", "--upload-file", "--form", "--cookie", "--cookie-jar", "--max-time", "--connect-timeout", "--proxy", "--range", "--retry", "--retry-delay", "--retry-max-time", "--cacert", "--cert", "--key", "--url", "--output-dir", "--config", "--resolve", "--max-redirs", "--limit-rate", "--proto", "--proto-redir",
];

pub fn curl(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let mut urls = Vec::new();
    let mut silent = false;
    let mut show_error = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a.starts_with("--") {
            let name = a.split('=').next().unwrap_or("");
            match name {
                "--silent" => silent = true,
                "--show-error" => show_error = true,
                _ => {}
            }
            if CURL_ARGS.contains(&name) && !a.contains('=') {
                if name == "--url" {
                    if let Some(u) = argv.get(i) {
                        urls.push(u.clone());
                    }
                }
                i += 1;
            }
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            let cs: Vec<char> = a[1..].chars().collect();
            for (k, c) in cs.iter().enumerate() {
                match c {
                    's' => silent = true,
                    'S' => show_error = true,
                    _ => {}
                }
                let flag = format!("-{c}");
                if CURL_ARGS.contains(&flag.as_str()) && flag != "-O" {
                    if k + 1 == cs.len() {
                        i += 1;
                    }
                    break;
                }
            }
            continue;
        }
        urls.push(a.clone());
    }
    if urls.is_empty() {
        ctx.err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        return Ok(2);
    }
    let url = urls[0].clone();
    let host = url_host(&url);
    if !silent || show_error {
        ctx.err(&format!("curl: (6) Could not resolve host: {host}\n"));
    }
    note(ctx, "curl", &url);
    Ok(6)
}

#[cfg(test)]
mod tests {
    use super::url_host;

    #[test]
    fn hosts() {
        assert_eq!(url_host("https://example.com/x"), "example.com");
        assert_eq!(url_host("http://u:p@h.io:8080/a?b"), "h.io");
        assert_eq!(url_host("example.com"), "example.com");
    }
}
