//! Image references as Docker normalises them: `alpine` is
//! `docker.io/library/alpine:latest`, `diamol/base` is `docker.io/diamol/base:latest`,
//! `localhost:5000/x:1` keeps its registry. Errors use Docker's wording
//! (`invalid reference format`, `repository name must be lowercase`).

use std::fmt;

pub const DEFAULT_DOMAIN: &str = "docker.io";
pub const DEFAULT_TAG: &str = "latest";

/// A parsed, normalised image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    /// Registry host, e.g. `docker.io` or `localhost:5000`.
    pub domain: String,
    /// Repository path, e.g. `library/alpine` or `diamol/base`.
    pub path: String,
    /// The tag as written, if any (`None` means the implicit `latest`).
    pub tag: Option<String>,
    /// `sha256:…` when the reference pins a digest.
    pub digest: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceError(pub String);

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReferenceError {}

fn invalid() -> ReferenceError {
    ReferenceError("invalid reference format".into())
}

fn valid_component(c: &str) -> bool {
    // [a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        // a separator run: ".", "_", "__" or "-"+
        let start = i;
        while i < b.len() && matches!(b[i], b'.' | b'_' | b'-') {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok || start == i {
            return false;
        }
    }
    true
}

fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

impl Reference {
    /// Parses and normalises `s` as `docker pull` would.
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        if s.is_empty() || s.len() > 255 + 128 + 80 {
            return Err(invalid());
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                let hex = d.strip_prefix("sha256:").ok_or_else(invalid)?;
                if hex.len() != 64 || !hex.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
                    return Err(invalid());
                }
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        let (name, tag) = match rest.rfind(':') {
            Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(rest[i + 1..].to_string())),
            _ => (rest, None),
        };
        if let Some(t) = &tag {
            if !valid_tag(t) {
                return Err(invalid());
            }
        }
        let (domain, path) = match name.split_once('/') {
            Some((first, remainder)) if first.contains('.') || first.contains(':') || first == "localhost" || first.bytes().any(|c| c.is_ascii_uppercase()) => {
                (first.to_string(), remainder.to_string())
            }
            _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
        };
        let domain = if domain == "index.docker.io" { DEFAULT_DOMAIN.to_string() } else { domain };
        let path = if domain == DEFAULT_DOMAIN && !path.contains('/') { format!("library/{path}") } else { path };
        if path.bytes().any(|c| c.is_ascii_uppercase()) {
            return Err(ReferenceError(format!("invalid reference format: repository name ({path}) must be lowercase")));
        }
        if path.split('/').any(|c| !valid_component(c)) {
            return Err(invalid());
        }
        Ok(Reference { domain, path, tag, digest })
    }

    /// `docker.io/library/alpine` (no tag).
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The name as the docker CLI shows it: `alpine`, `diamol/base`, `localhost:5000/x`.
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            self.path.strip_prefix("library/").unwrap_or(&self.path).to_string()
        } else {
            self.name()
        }
    }

    /// The tag, `latest` when none was written.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or(DEFAULT_TAG)
    }

    /// `docker.io/library/alpine:latest` — the fully qualified form.
    pub fn full(&self) -> String {
        let mut s = format!("{}:{}", self.name(), self.tag_or_latest());
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// `alpine:latest` — the form `docker images` and `-t` use.
    pub fn familiar(&self) -> String {
        format!("{}:{}", self.familiar_name(), self.tag_or_latest())
    }

    /// The form the seeds' BuildKit printed in `FROM` step lines: fully qualified,
    /// with the tag only when it was written (`docker.io/diamol/base`,
    /// `docker.io/library/alpine:latest`).
    pub fn as_written_full(&self) -> String {
        let mut s = self.name();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.familiar())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        let r = Reference::parse("alpine").unwrap();
        assert_eq!(r.full(), "docker.io/library/alpine:latest");
        assert_eq!(r.familiar(), "alpine:latest");
        assert_eq!(r.as_written_full(), "docker.io/library/alpine");
        let r = Reference::parse("diamol/base").unwrap();
        assert_eq!(r.as_written_full(), "docker.io/diamol/base");
        let r = Reference::parse("ubuntu:14.04").unwrap();
        assert_eq!(r.as_written_full(), "docker.io/library/ubuntu:14.04");
        let r = Reference::parse("localhost:5000/x/y:1").unwrap();
        assert_eq!((r.domain.as_str(), r.path.as_str(), r.tag.as_deref()), ("localhost:5000", "x/y", Some("1")));
        assert_eq!(Reference::parse("docker.io/library/alpine:3.19").unwrap().familiar(), "alpine:3.19");
        assert!(Reference::parse("Alpine").unwrap_err().to_string().contains("must be lowercase"));
        assert!(Reference::parse("a b").is_err());
        assert!(Reference::parse("a:").is_err());
        assert!(Reference::parse("a//b").is_err());
        assert!(Reference::parse("mybuild:0.0").is_ok());
    }
}
