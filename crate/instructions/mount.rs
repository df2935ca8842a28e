//! `RUN --mount=type=...,key=value` specs, parsed as BuildKit's `parseMount` does: CSV
//! fields, `key=value` pairs (a few bare keys), per-type rules, BuildKit's messages.
//!
//! BuildKit checks a spec twice: when it reads the Dockerfile (only the CSV and `from`
//! holding a variable: [`check_unexpanded`]) and when it builds the RUN, after variable
//! expansion (everything else: [`parse_mount`]).

use super::goparse::{parse_bool, parse_uint, ram_in_bytes, with_suggestion};
use crate::syntax::{go_lower, go_quote};
use serde::Serialize;

/// The kind of mount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    /// A read-only view of a stage or the build context (the default).
    Bind,
    /// A persistent cache directory.
    Cache,
    /// A temporary in-memory filesystem.
    Tmpfs,
    /// A secret file.
    Secret,
    /// An SSH agent socket.
    Ssh,
}

impl MountType {
    /// The name as written in specs.
    pub const fn name(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Cache => "cache",
            MountType::Tmpfs => "tmpfs",
            MountType::Secret => "secret",
            MountType::Ssh => "ssh",
        }
    }
}

/// How a cache mount is shared between concurrent builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sharing {
    /// Shared by all writers (the default).
    Shared,
    /// A new cache when another writer holds it.
    Private,
    /// Wait for the other writer.
    Locked,
}

/// A `--mount` after expansion: BuildKit's `instructions.Mount`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// `type=`.
    #[serde(rename = "type")]
    pub kind: Option<MountType>,
    /// `from=`: a stage or image to take the files from.
    pub from: Option<String>,
    /// `source=` / `src=`.
    pub source: Option<String>,
    /// `target=` / `dst=` / `destination=`.
    pub target: Option<String>,
    /// Read-only (bind and secret/ssh default to true, cache and tmpfs to false).
    pub readonly: bool,
    /// `id=`.
    pub id: Option<String>,
    /// `sharing=` (cache only).
    pub sharing: Option<Sharing>,
    /// `required` (secret and ssh).
    pub required: bool,
    /// `size=` in bytes (tmpfs).
    pub size_limit: Option<i64>,
    /// `mode=` (octal).
    pub mode: Option<u64>,
    /// `uid=`.
    pub uid: Option<u64>,
    /// `gid=`.
    pub gid: Option<u64>,
    /// `env=` (secret as an environment variable).
    pub env: Option<String>,
}

impl Mount {
    /// The mount type (`bind` when not given).
    pub fn mount_type(&self) -> MountType {
        self.kind.unwrap_or(MountType::Bind)
    }
}

/// Splits a spec into CSV fields as Go's `encoding/csv` reads one record.
pub(crate) fn csv_fields(s: &str) -> Result<Vec<String>, String> {
    let wrap = |e: String| format!("failed to parse csv mounts: {e}");
    if s.is_empty() {
        return Err(wrap("EOF".into()));
    }
    let b = s.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        if b.get(i) == Some(&b'"') {
            let mut field = String::new();
            let mut j = i + 1;
            loop {
                let Some(q) = b[j..].iter().position(|&c| c == b'"').map(|p| p + j) else {
                    return Err(wrap(format!(
                        "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                        b.len() + 1
                    )));
                };
                field.push_str(&s[j..q]);
                match b.get(q + 1) {
                    Some(b'"') => {
                        field.push('"');
                        j = q + 2;
                    }
                    Some(b',') => {
                        fields.push(field);
                        i = q + 2;
                        break;
                    }
                    None => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(_) => {
                        return Err(wrap(format!(
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            q + 2
                        )));
                    }
                }
            }
        } else {
            let end = b[i..].iter().position(|&c| c == b',').map_or(b.len(), |p| p + i);
            let field = &s[i..end];
            if let Some(q) = field.find('"') {
                return Err(wrap(format!(
                    "parse error on line 1, column {}: bare \" in non-quoted-field",
                    i + q + 1
                )));
            }
            fields.push(field.to_owned());
            if end == b.len() {
                return Ok(fields);
            }
            i = end + 1;
        }
    }
}

/// The checks BuildKit makes when it reads the Dockerfile (before expansion).
pub(crate) fn check_unexpanded(spec: &str) -> Result<(), String> {
    for field in csv_fields(spec)? {
        if let Some((key, value)) = field.split_once('=') {
            if go_lower(key) == "from" {
                if let Some(i) = value.find('$') {
                    if i != value.len() - 1 {
                        return Err("'from' doesn't support variable expansion, define alias stage instead".into());
                    }
                }
            }
        }
    }
    Ok(())
}

const ALL_KEYS: [&str; 19] = [
    "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size", "mode", "uid", "gid", "src",
    "dst", "destination", "ro", "rw", "readwrite", "env",
];

/// BuildKit's `parseMount` on an expanded spec: the mount, or BuildKit's error message.
pub fn parse_mount(spec: &str) -> Result<Mount, String> {
    let fields = csv_fields(spec)?;
    let mut m = Mount::default();
    let mut kind = MountType::Bind;
    let mut ro_auto = true;
    let invalid = |key: &str, value: &str| format!("invalid value for {key}: {value}");
    for field in fields {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (go_lower(k), Some(v.to_owned())),
            None => (go_lower(&field), None),
        };
        let Some(value) = value else {
            match key.as_str() {
                "readonly" | "ro" => {
                    m.readonly = true;
                    ro_auto = false;
                }
                "readwrite" | "rw" => {
                    m.readonly = false;
                    ro_auto = false;
                }
                "required" if matches!(kind, MountType::Secret | MountType::Ssh) => m.required = true,
                "required" => return Err(format!("unexpected key '{key}' for mount type '{}'", kind.name())),
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
            continue;
        };
        match key.as_str() {
            "type" => {
                kind = match go_lower(&value).as_str() {
                    "bind" => MountType::Bind,
                    "cache" => MountType::Cache,
                    "tmpfs" => MountType::Tmpfs,
                    "secret" => MountType::Secret,
                    "ssh" => MountType::Ssh,
                    _ => {
                        return Err(with_suggestion(
                            format!("unsupported mount type {}", go_quote(&value)),
                            &value,
                            &["bind", "cache", "tmpfs", "secret", "ssh"],
                            true,
                        ))
                    }
                };
                m.kind = Some(kind);
            }
            "from" => m.from = Some(value),
            "source" | "src" => m.source = Some(value),
            "target" | "dst" | "destination" => m.target = Some(value),
            "readonly" | "ro" => {
                m.readonly = parse_bool(&value).ok_or_else(|| invalid(&key, &value))?;
                ro_auto = false;
            }
            "readwrite" | "rw" => {
                m.readonly = !parse_bool(&value).ok_or_else(|| invalid(&key, &value))?;
                ro_auto = false;
            }
            "required" => {
                if matches!(kind, MountType::Secret | MountType::Ssh) {
                    m.required = parse_bool(&value).ok_or_else(|| invalid(&key, &value))?;
                } else {
                    return Err(format!("unexpected key '{key}' for mount type '{}'", kind.name()));
                }
            }
            "size" => {
                if kind == MountType::Tmpfs {
                    m.size_limit = Some(ram_in_bytes(&value).ok_or_else(|| invalid(&key, &value))?);
                } else {
                    return Err(format!("unexpected key '{key}' for mount type '{}'", kind.name()));
                }
            }
            "id" => m.id = Some(value),
            "sharing" => {
                m.sharing = Some(match go_lower(&value).as_str() {
                    "shared" => Sharing::Shared,
                    "private" => Sharing::Private,
                    "locked" => Sharing::Locked,
                    _ => {
                        return Err(with_suggestion(
                            format!("unsupported sharing value {}", go_quote(&value)),
                            &value,
                            &["shared", "private", "locked"],
                            true,
                        ))
                    }
                })
            }
            "mode" => m.mode = Some(parse_uint(&value, 8, 32).map_err(|_| format!("invalid value {value} for mode"))?),
            "uid" => m.uid = Some(parse_uint(&value, 10, 32).map_err(|_| format!("invalid value {value} for uid"))?),
            "gid" => m.gid = Some(parse_uint(&value, 10, 32).map_err(|_| format!("invalid value {value} for gid"))?),
            "env" => m.env = Some(value),
            _ => {
                return Err(with_suggestion(format!("unexpected key '{key}' in '{field}'"), &key, &ALL_KEYS, true));
            }
        }
    }
    let file_info_allowed = matches!(kind, MountType::Secret | MountType::Ssh | MountType::Cache);
    if !file_info_allowed {
        let q = go_quote(kind.name());
        if m.mode.is_some() {
            return Err(format!("mode not allowed for {q} type mounts"));
        }
        if m.uid.is_some() {
            return Err(format!("uid not allowed for {q} type mounts"));
        }
        if m.gid.is_some() {
            return Err(format!("gid not allowed for {q} type mounts"));
        }
    }
    if ro_auto {
        m.readonly = !matches!(kind, MountType::Cache | MountType::Tmpfs);
    }
    if kind == MountType::Secret {
        if m.from.is_some() {
            return Err("secret mount should not have a from".into());
        }
        if m.sharing.is_some() {
            return Err("secret mount should not define sharing".into());
        }
        if m.source.is_none() && m.target.is_none() && m.id.is_none() {
            return Err("invalid secret mount. one of source, target required".into());
        }
        if m.source.is_some() && m.id.is_some() {
            return Err("both source and id can't be set".into());
        }
    }
    if m.sharing.is_some() && kind != MountType::Cache {
        return Err(format!("invalid cache sharing set for {} mount", kind.name()));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts() {
        let m = parse_mount("type=cache,target=/root/.cache,sharing=locked").unwrap();
        assert_eq!(m.mount_type(), MountType::Cache);
        assert_eq!(m.target.as_deref(), Some("/root/.cache"));
        assert!(!m.readonly);
        assert!(parse_mount("target=/x").unwrap().readonly);
        assert_eq!(parse_mount("type=foo").unwrap_err(), r#"unsupported mount type "foo""#);
        assert_eq!(parse_mount("type=cahce").unwrap_err(), r#"unsupported mount type "cahce" (did you mean cache?)"#);
        assert_eq!(parse_mount("type=cache,foo=bar").unwrap_err(), "unexpected key 'foo' in 'foo=bar' (did you mean from?)");
        assert_eq!(parse_mount("type=tmpfs,size=foo").unwrap_err(), "invalid value for size: foo");
        assert_eq!(parse_mount("type=bind,mode=0700").unwrap_err(), r#"mode not allowed for "bind" type mounts"#);
        assert_eq!(parse_mount("type=secret").unwrap_err(), "invalid secret mount. one of source, target required");
        assert_eq!(parse_mount("").unwrap_err(), "failed to parse csv mounts: EOF");
        assert_eq!(csv_fields(r#""a,b",c"#).unwrap(), vec!["a,b".to_owned(), "c".to_owned()]);
        assert!(csv_fields(r#"a"b"#).is_err());
        assert_eq!(check_unexpanded("from=$X").unwrap_err(), "'from' doesn't support variable expansion, define alias stage instead");
        assert!(check_unexpanded("from=x$").is_ok());
    }
}
