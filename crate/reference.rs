//! Image references as Docker parses and normalises them (distribution's
//! `ParseNormalizedNamed`): `alpine` is `docker.io/library/alpine:latest`, `diamol/base`
//! is `docker.io/diamol/base:latest`, `localhost:5000/x:1` keeps its registry. The
//! grammar is distribution's (lowercase path components joined by `.`, `_`, `__` or
//! dashes; tags of at most 128 word characters, dots and dashes; `@sha256:` digests),
//! and errors use Docker's wording (`invalid reference format`, `repository name
//! (library/Bad) must be lowercase`). The one reference type of the crate: the build,
//! the bases, the lint rules and the image store all use it.

use std::fmt;

pub const DEFAULT_DOMAIN: &str = "docker.io";
pub const DEFAULT_TAG: &str = "latest";

/// A parsed, normalised image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    /// Registry host, e.g. `docker.io` or `localhost:5000`.
    pub domain: String,
    /// Repository path, e.g. `library/alpine` or `diamol/base`.
    pub path: String,
    /// The tag as written, if any (`None` means the implicit `latest`, or none at
    /// all beside a digest).
    pub tag: Option<String>,
    /// `sha256:…` when the reference pins a digest.
    pub digest: Option<String>,
}

/// Why a reference does not parse, in Docker's words (`invalid reference format…`).
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

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !is_lower_alnum(b[0]) || !is_lower_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_lower_alnum(b[i]) {
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

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// A registry host: dot-separated labels of letters, digits and inner dashes, with an
/// optional `:port`.
fn valid_domain(d: &str) -> bool {
    let host = match d.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return false,
        None => d,
    };
    !host.is_empty()
        && host.split('.').all(|l| {
            !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && !l.starts_with('-') && !l.ends_with('-')
        })
}

/// distribution's `splitDockerDomain`: the first component is a registry when it looks
/// like a host (a `.` or `:`, `localhost`, or an uppercase letter); official images get
/// `library/`.
fn split_domain(name: &str) -> (String, String) {
    let (domain, path) = match name.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" || first.bytes().any(|b| b.is_ascii_uppercase()) => {
            (first.to_string(), rest.to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
    };
    let domain = if domain == "index.docker.io" { DEFAULT_DOMAIN.to_string() } else { domain };
    let path = if domain == DEFAULT_DOMAIN && !path.contains('/') { format!("library/{path}") } else { path };
    (domain, path)
}

impl Reference {
    /// Parses and normalises `s` as `docker pull`/`docker tag` do
    /// (`busybox` → `docker.io/library/busybox:latest`).
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        if s.is_empty() {
            return Err(invalid());
        }
        if crate::layer::digest::is_hex64(s) {
            return Err(ReferenceError(format!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings")));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                if crate::layer::Digest::parse(d).is_none() {
                    return Err(invalid());
                }
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        // the tag is after the last ':' that follows the last '/'
        let (name, tag) = match rest.rfind(':') {
            Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(rest[i + 1..].to_string())),
            _ => (rest, None),
        };
        let (domain, path) = split_domain(name);
        if path.bytes().any(|c| c.is_ascii_uppercase()) {
            return Err(ReferenceError(format!("invalid reference format: repository name ({path}) must be lowercase")));
        }
        if tag.as_deref().is_some_and(|t| !valid_tag(t)) || !valid_domain(&domain) || path.split('/').any(|c| !valid_component(c)) {
            return Err(invalid());
        }
        if name.len() > 255 {
            return Err(ReferenceError("invalid reference format: repository name must not be more than 255 characters".into()));
        }
        Ok(Reference { domain, path, tag, digest })
    }

    /// True when the text named no tag and no digest (`busybox`, not `busybox:1`).
    pub fn is_name_only(text: &str) -> bool {
        let last_slash = text.rfind('/').map(|i| i + 1).unwrap_or(0);
        !text[last_slash..].contains(':') && !text.contains('@')
    }

    /// `docker.io/library/alpine` (no tag).
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The name as the docker CLI shows it: `alpine`, `diamol/base`, `localhost:5000/x`.
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            match self.path.strip_prefix("library/") {
                Some(p) if !p.contains('/') => p.to_string(),
                _ => self.path.clone(),
            }
        } else {
            self.name()
        }
    }

    /// The tag, `latest` when none was written.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or(DEFAULT_TAG)
    }

    /// The tag distribution's `TagNameOnly` gives: as written, else `latest` unless a
    /// digest pins the image.
    fn implied_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, Some(_)) => None,
            (None, None) => Some(DEFAULT_TAG),
        }
    }

    /// `name` with the implied tag and the digest.
    fn with_tag_and_digest(&self, mut s: String, tag: Option<&str>) -> String {
        if let Some(t) = tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// `docker.io/library/alpine:latest` — the fully qualified form (also `Display`).
    pub fn full(&self) -> String {
        self.with_tag_and_digest(self.name(), self.implied_tag())
    }

    /// `alpine:latest` — the form `docker images` and `-t` use (with `@digest` when pinned).
    pub fn familiar(&self) -> String {
        self.with_tag_and_digest(self.familiar_name(), self.implied_tag())
    }

    /// The form the seeds' BuildKit printed in `FROM` step lines: fully qualified,
    /// with the tag only when it was written (`docker.io/diamol/base`,
    /// `docker.io/library/alpine:latest`).
    pub fn as_written_full(&self) -> String {
        self.with_tag_and_digest(self.name(), self.tag.as_deref())
    }
}

impl fmt::Display for Reference {
    /// The full normalised form: `docker.io/library/busybox:latest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        let r = Reference::parse("alpine").unwrap();
        assert_eq!(r.full(), "docker.io/library/alpine:latest");
        assert_eq!(r.to_string(), "docker.io/library/alpine:latest");
        assert_eq!(r.familiar(), "alpine:latest");
        assert_eq!(r.as_written_full(), "docker.io/library/alpine");
        let r = Reference::parse("diamol/base").unwrap();
        assert_eq!(r.as_written_full(), "docker.io/diamol/base");
        let r = Reference::parse("ubuntu:14.04").unwrap();
        assert_eq!(r.as_written_full(), "docker.io/library/ubuntu:14.04");
        let r = Reference::parse("localhost:5000/x/y:1").unwrap();
        assert_eq!((r.domain.as_str(), r.path.as_str(), r.tag.as_deref()), ("localhost:5000", "x/y", Some("1")));
        assert_eq!(Reference::parse("localhost:5000/app").unwrap().familiar(), "localhost:5000/app:latest");
        assert_eq!(Reference::parse("docker.io/library/alpine:3.19").unwrap().familiar(), "alpine:3.19");
        assert_eq!(Reference::parse("ref/all:1").unwrap().to_string(), "docker.io/ref/all:1");
        assert_eq!(Reference::parse("diamol/ch04-multi-stage:v1").unwrap().familiar_name(), "diamol/ch04-multi-stage");
        let pinned = format!("busybox@sha256:{}", "a".repeat(64));
        let r = Reference::parse(&pinned).unwrap();
        assert_eq!(r.familiar(), pinned);
        assert_eq!(r.full(), format!("docker.io/library/{pinned}"));
        assert_eq!(Reference::parse("Bad:x").unwrap_err().to_string(), "invalid reference format: repository name (library/Bad) must be lowercase");
        assert!(Reference::parse("Alpine").unwrap_err().to_string().contains("must be lowercase"));
        assert_eq!(Reference::parse("a b").unwrap_err().to_string(), "invalid reference format");
        assert!(Reference::parse("a:").is_err());
        assert!(Reference::parse("a:b:c").is_err());
        assert!(Reference::parse("a//b").is_err());
        assert!(Reference::parse("bad-.host/x").is_err());
        assert!(Reference::parse("mybuild:0.0").is_ok());
        assert!(Reference::parse(&"g".repeat(64)).is_ok());
        assert!(Reference::parse(&"ab".repeat(32)).unwrap_err().to_string().contains("64-byte hexadecimal"));
        assert!(Reference::parse(&"a".repeat(256)).unwrap_err().to_string().contains("255 characters"));
        assert!(Reference::is_name_only("localhost:5000/app"));
        assert!(!Reference::is_name_only("app:1"));
    }
}
