//! The `created_by` text BuildKit's Dockerfile frontend writes in each history
//! entry, per instruction, checked against a real BuildKit (golden configs
//! under `tests/oci/buildkit-*`). Several are Go `fmt` renderings of Go values
//! (`%v` of a slice, `%q` of a struct), reproduced here:
//!
//! | instruction | `created_by` |
//! |---|---|
//! | `RUN echo hi` | `RUN /bin/sh -c echo hi # buildkit` |
//! | … with ARGs in scope | `RUN \|2 A= B=x y /bin/sh -c echo hi # buildkit` |
//! | `RUN ["a", "b c"]` | `RUN a b c # buildkit` |
//! | `COPY --chown=1:1 a b /d/` | `COPY --chown=1:1 a b /d/ # buildkit` (`--from`, `--link` not shown) |
//! | `WORKDIR rel` | `WORKDIR /rel` (resolved) |
//! | `ENV A=b C="d e"` | `ENV A=b C=d e` |
//! | `LABEL k="v"` | `LABEL k=v` |
//! | `ARG A B=x` | `ARG A B=x` |
//! | `EXPOSE 80 53/udp` | `EXPOSE map[53/udp:{} 80/tcp:{}]` |
//! | `VOLUME /a /b` | `VOLUME [/a /b]` |
//! | `SHELL ["/bin/sh", "-ec"]` | `SHELL [/bin/sh -ec]` |
//! | `CMD ["a b"]` / `ENTRYPOINT …` | `CMD ["a b"]` (Go `%q` of the final list) |
//! | `HEALTHCHECK …` | `HEALTHCHECK &{["CMD" "/bin/true"] "1m30s" "500ms" "2s" "1s" '\x03'}` |
//! | `USER`, `STOPSIGNAL`, `MAINTAINER` | the instruction and its argument |
//! | `ONBUILD …` | no history entry at all |

use super::config::Healthcheck;
use crate::syntax::go_quote;
use std::collections::BTreeSet;

/// `RUN …`: `argv` is the full command (shell + script for the shell form, the
/// list for the exec form); `build_args` the ARGs in scope, in declaration order
/// (an ARG without a value is `("A", "")` and shows as `A=`).
pub fn run(build_args: &[(String, String)], argv: &[String]) -> String {
    let mut s = String::from("RUN ");
    if !build_args.is_empty() {
        s.push_str(&format!("|{} ", build_args.len()));
        for (k, v) in build_args {
            s.push_str(&format!("{k}={v} "));
        }
    }
    s.push_str(&argv.join(" "));
    s.push_str(" # buildkit");
    s
}

/// `COPY`/`ADD`: `instruction` is `COPY` or `ADD`; `flags` those BuildKit shows
/// (`--chown=…`, `--chmod=…`; not `--from`, `--link`); then sources and destination.
pub fn copy(instruction: &str, flags: &[String], sources: &[String], dest: &str) -> String {
    let mut parts: Vec<&str> = vec![instruction];
    parts.extend(flags.iter().map(String::as_str));
    parts.extend(sources.iter().map(String::as_str));
    parts.push(dest);
    format!("{} # buildkit", parts.join(" "))
}

/// `ENV`, `LABEL`, `ARG`: `NAME k=v k=v` (no quoting; an ARG without value is just `k`).
pub fn key_values(instruction: &str, pairs: &[(String, Option<String>)]) -> String {
    let mut s = String::from(instruction);
    for (k, v) in pairs {
        s.push(' ');
        s.push_str(k);
        if let Some(v) = v {
            s.push('=');
            s.push_str(v);
        }
    }
    s
}

/// `EXPOSE map[53/udp:{} 80/tcp:{}]`: this instruction's ports, `/tcp` added
/// where missing, deduplicated and sorted (Go prints a map sorted by key).
pub fn expose(ports: &[String]) -> String {
    let set: BTreeSet<String> = ports.iter().map(|p| normalize_port(p)).collect();
    let inner: Vec<String> = set.into_iter().map(|p| format!("{p}:{{}}")).collect();
    format!("EXPOSE map[{}]", inner.join(" "))
}

/// `80` → `80/tcp`; `53/UDP` → `53/udp`.
pub fn normalize_port(p: &str) -> String {
    match p.split_once('/') {
        Some((n, proto)) => format!("{n}/{}", proto.to_ascii_lowercase()),
        None => format!("{p}/tcp"),
    }
}

/// Go's `%v` of a string slice: `[a b c]` (used by VOLUME and SHELL).
pub fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// Go's `%q` of a string slice: `["a" "b c"]` (used by CMD and ENTRYPOINT).
pub fn go_quoted_list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", q.join(" "))
}

/// `VOLUME [/a /b]`.
pub fn volume(paths: &[String]) -> String {
    format!("VOLUME {}", go_list(paths))
}

/// `SHELL [/bin/sh -ec]`.
pub fn shell(argv: &[String]) -> String {
    format!("SHELL {}", go_list(argv))
}

/// `CMD ["/bin/sh" "-c" "…"]` with the final (shell-wrapped if shell form) command.
pub fn cmd(argv: &[String]) -> String {
    format!("CMD {}", go_quoted_list(argv))
}

/// `ENTRYPOINT ["…"]`.
pub fn entrypoint(argv: &[String]) -> String {
    format!("ENTRYPOINT {}", go_quoted_list(argv))
}

/// `HEALTHCHECK &{["CMD-SHELL" "…"] "5s" "3s" "0s" "0s" '\x00'}`: Go's `%q` of
/// the health config (durations as `time.Duration`, retries as a rune).
pub fn healthcheck(h: &Healthcheck) -> String {
    format!(
        "HEALTHCHECK &{{{} {} {} {} {} {}}}",
        go_quoted_list(&h.test),
        go_quote(&go_duration(h.interval)),
        go_quote(&go_duration(h.timeout)),
        go_quote(&go_duration(h.start_period)),
        go_quote(&go_duration(h.start_interval)),
        go_quote_rune(h.retries)
    )
}

/// Go's `strconv.QuoteRune` of an integer (`%q` of an int): `'\x00'`, `'A'`.
pub fn go_quote_rune(n: i64) -> String {
    crate::syntax::go_quote_rune(u32::try_from(n).ok().and_then(char::from_u32).unwrap_or('\u{fffd}'))
}

/// Go's `time.Duration.String()` of nanoseconds: `0s`, `500ms`, `1.5s`, `1m30s`, `1h0m0s`.
pub fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let mut s = if u < 1_000_000_000 {
        let (unit, div, prec) = if u < 1_000 {
            ("ns", 1u64, 0)
        } else if u < 1_000_000 {
            ("µs", 1_000, 3)
        } else {
            ("ms", 1_000_000, 6)
        };
        format!("{}{}", frac(u, div, prec), unit)
    } else {
        let secs = u / 1_000_000_000;
        let sub = u % 1_000_000_000;
        let sec_str = format!("{}s", frac(secs % 60 * 1_000_000_000 + sub, 1_000_000_000, 9));
        let mins = secs / 60;
        if mins == 0 {
            sec_str
        } else {
            let h = mins / 60;
            let m = mins % 60;
            if h == 0 {
                format!("{m}m{sec_str}")
            } else {
                format!("{h}h{m}m{sec_str}")
            }
        }
    };
    if neg {
        s.insert(0, '-');
    }
    s
}

/// `v / div` with up to `prec` fraction digits, trailing zeros dropped.
fn frac(v: u64, div: u64, prec: usize) -> String {
    let int = v / div;
    let rem = v % div;
    if rem == 0 || prec == 0 {
        return int.to_string();
    }
    let f = format!("{rem:0prec$}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_formats() {
        assert_eq!(go_duration(5_000_000_000), "5s");
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(500_000_000), "500ms");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(go_quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(go_quote_rune(0), r"'\x00'");
        assert_eq!(go_quote_rune(3), r"'\x03'");
        assert_eq!(go_quote_rune(65), "'A'");
        assert_eq!(go_quote("한글"), "\"한글\"");
        assert_eq!(expose(&["8080/tcp".into(), "8080".into(), "53/udp".into()]), "EXPOSE map[53/udp:{} 8080/tcp:{}]");
    }
}
