//! EXPOSE port specs as BuildKit's `convert_expose.go` reads them: `[ip:][hostPort:]port[/proto]`,
//! what the two EXPOSE rules look at, and the errors that end a build.

use crate::syntax::{go_lower, go_quote};

/// What one port spec (after variable expansion) gives.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PortCheck {
    /// The protocol is not lower case (`ExposeProtoCasing`).
    pub proto_casing: bool,
    /// An IP address or a host port is given (`ExposeInvalidFormat`).
    pub invalid_format: bool,
    /// BuildKit's error for the spec, found after the rules ran.
    pub error: Option<String>,
}

/// BuildKit's `parsePort` for one spec. `Err` is an error found before the rules run.
pub(crate) fn check_port(raw: &str) -> Result<PortCheck, String> {
    let (ip, host_port, container) = split_parts(raw);
    let (proto, container) = split_proto_port(container).map_err(|e| format!("invalid port: {}: {e}", go_quote(raw)))?;
    let mut out = PortCheck {
        proto_casing: proto != go_lower(proto),
        invalid_format: !ip.is_empty() || !host_port.is_empty(),
        error: None,
    };
    out.error = later_errors(ip, host_port, container).err();
    Ok(out)
}

fn later_errors(ip: &str, host_port: &str, container: &str) -> Result<(), String> {
    let mut ip = ip.to_owned();
    if ip.starts_with('[') {
        // net.SplitHostPort(ip + ":")
        match ip.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(inner) if !inner.contains('[') && !inner.contains(']') => ip = inner.to_owned(),
            _ => return Err(format!("invalid IP address {ip}: address {ip}:: missing ']' in address")),
        }
    }
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("invalid IP address: {ip}"));
    }
    let (start, end) = port_range(container).map_err(|_| format!("invalid containerPort: {container}"))?;
    if !host_port.is_empty() {
        let (hs, he) = port_range(host_port).map_err(|_| format!("invalid hostPort: {host_port}"))?;
        if end - start != he - hs && end != start {
            return Err(format!("invalid ranges specified for container and host Ports: {container} and {host_port}"));
        }
    }
    Ok(())
}

/// `splitParts`: `ip:host:container`, the IP taking every colon but the last two.
fn split_parts(raw: &str) -> (&str, &str, &str) {
    let n = raw.matches(':').count() + 1;
    match n {
        1 => ("", "", raw),
        2 => raw.split_once(':').map_or(("", "", raw), |(h, c)| ("", h, c)),
        _ => {
            let Some((rest, container)) = raw.rsplit_once(':') else { return ("", "", raw) };
            let Some((ip, host)) = rest.rsplit_once(':') else { return ("", rest, container) };
            (ip, host, container)
        }
    }
}

/// `splitProtoPort`: the protocol as written (`tcp` when none) and the port part.
fn split_proto_port(raw: &str) -> Result<(&str, &str), String> {
    let (port, proto) = raw.split_once('/').unwrap_or((raw, ""));
    if port.is_empty() {
        return Err("no port specified".into());
    }
    match go_lower(proto).as_str() {
        "" => Ok(("tcp", port)),
        "tcp" | "udp" | "sctp" => Ok((proto, port)),
        _ => Err(format!("invalid proto: {proto}")),
    }
}

/// `parsePortRange`: `80` or `8000-9000`.
fn port_range(ports: &str) -> Result<(i64, i64), ()> {
    if ports.is_empty() {
        return Err(());
    }
    let (start, end, ranged) = match ports.split_once('-') {
        Some((s, e)) => (s, e, true),
        None => (ports, "", false),
    };
    let s = port_number(start)?;
    if !ranged || start == end {
        return Ok((s, s));
    }
    let e = port_number(end)?;
    if e < s {
        return Err(());
    }
    Ok((s, e))
}

/// `strconv.ParseInt(s, 10, 0)` within 0..=65535.
fn port_number(s: &str) -> Result<i64, ()> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let v: i64 = s.parse().map_err(|_| ())?;
    if (0..=65535).contains(&v) {
        Ok(v)
    } else {
        Err(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        let ok = |raw: &str| check_port(raw).unwrap();
        assert_eq!(ok("80"), PortCheck { proto_casing: false, invalid_format: false, error: None });
        assert!(ok("80/TCP").proto_casing);
        assert!(ok("8080:80").invalid_format);
        assert!(ok("127.0.0.1:8080:80/udp").invalid_format);
        assert_eq!(ok("[::1]:80:80").error, None);
        assert_eq!(ok("80-79").error.as_deref(), Some("invalid containerPort: 80-79"));
        assert_eq!(ok("x:80:80").error.as_deref(), Some("invalid IP address: x"));
        assert_eq!(check_port("80/foo").unwrap_err(), r#"invalid port: "80/foo": invalid proto: foo"#);
        assert_eq!(check_port("/tcp").unwrap_err(), r#"invalid port: "/tcp": no port specified"#);
        assert_eq!(ok("1-3:80-81").error.as_deref(), Some("invalid ranges specified for container and host Ports: 80-81 and 1-3"));
        assert_eq!(ok("1-3:80").error, None);
    }
}
