//! Image references as Docker parses and normalises them: `name`, `name:tag`,
//! `user/name`, `registry:5000/name:tag`, `docker.io/library/name:tag`, with the
//! distribution grammar (lowercase path components joined by `.`, `_`, `__` or
//! dashes; tags of at most 128 word characters, dots and dashes) and Docker's
//! error wording. Digests (`name@sha256:…`) parse but name no local image.

use std::fmt;

/// A parsed, normalised reference: `docker.io/library/busybox:latest`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    /// Registry host (`docker.io` when none was given).
    pub domain: String,
    /// Repository path (`library/busybox` for an official image).
    pub path: String,
    /// Tag; `latest` when neither tag nor digest was given.
    pub tag: Option<String>,
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

const DEFAULT_DOMAIN: &str = "docker.io";

fn invalid(s: &str) -> ReferenceError {
    ReferenceError(format!("invalid reference format: {s:?}"))
}

fn path_component_ok(c: &str) -> bool {
    // [a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*
    let b = c.as_bytes();
    if b.is_empty() || !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_alnum(b[i]) {
            i += 1;
            continue;
        }
        // a separator run
        let start = i;
        while i < b.len() && !is_alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn tag_ok(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter().all(|&x| x.is_ascii_alphanumeric() || matches!(x, b'_' | b'.' | b'-'))
}

fn domain_ok(d: &str) -> bool {
    let host = match d.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return false,
        None => d,
    };
    !host.is_empty()
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

impl Reference {
    /// Parses and normalises a reference as `docker tag`/`docker pull` do
    /// (`busybox` → `docker.io/library/busybox:latest`).
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        if s.is_empty() {
            return Err(ReferenceError("invalid reference format".into()));
        }
        if crate::layer::digest::is_hex64(s) {
            return Err(ReferenceError(format!(
                "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
            )));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                if crate::layer::Digest::parse(d).is_none() {
                    return Err(ReferenceError("invalid reference format".into()));
                }
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        // the tag is after the last ':' that follows the last '/'
        let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
            None => (rest, None),
        };
        if let Some(t) = tag {
            if !tag_ok(t) {
                return Err(invalid(s));
            }
        }
        if name.len() > 255 {
            return Err(ReferenceError("invalid reference format: repository name must not be more than 255 characters".into()));
        }
        let (domain, path) = split_domain(name);
        if !domain_ok(&domain) {
            return Err(invalid(s));
        }
        for comp in path.split('/') {
            if !path_component_ok(comp) {
                if comp.bytes().any(|b| b.is_ascii_uppercase()) && path_component_ok(&comp.to_ascii_lowercase()) {
                    return Err(ReferenceError(format!(
                        "invalid reference format: repository name ({path}) must be lowercase"
                    )));
                }
                return Err(invalid(s));
            }
        }
        let tag = match (tag, &digest) {
            (Some(t), _) => Some(t.to_string()),
            (None, Some(_)) => None,
            (None, None) => Some("latest".into()),
        };
        Ok(Reference { domain, path, tag, digest })
    }

    /// True when the text named no tag and no digest (`busybox`, not `busybox:1`).
    pub fn is_name_only(text: &str) -> bool {
        let last_slash = text.rfind('/').map(|i| i + 1).unwrap_or(0);
        !text[last_slash..].contains(':') && !text.contains('@')
    }

    /// `docker.io/library/busybox`
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// `busybox`, `user/app`, `localhost:5000/app`: the name as `docker images` shows it.
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

    /// `busybox:latest`: the familiar name with its tag (or digest).
    pub fn familiar(&self) -> String {
        let mut s = self.familiar_name();
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

    /// The tag, `latest` for a digest-only reference.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }
}

impl fmt::Display for Reference {
    /// The full normalised form: `docker.io/library/busybox:latest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        let r = Reference::parse("busybox").unwrap();
        assert_eq!(r.to_string(), "docker.io/library/busybox:latest");
        assert_eq!(r.familiar(), "busybox:latest");
        assert_eq!(Reference::parse("docker.io/library/busybox:1.36").unwrap().familiar(), "busybox:1.36");
        assert_eq!(Reference::parse("ref/all:1").unwrap().to_string(), "docker.io/ref/all:1");
        assert_eq!(Reference::parse("localhost:5000/app").unwrap().familiar(), "localhost:5000/app:latest");
        assert_eq!(Reference::parse("diamol/ch04-multi-stage:v1").unwrap().familiar_name(), "diamol/ch04-multi-stage");
        assert_eq!(
            Reference::parse("Bad:x").unwrap_err().to_string(),
            "invalid reference format: repository name (library/Bad) must be lowercase"
        );
        assert!(Reference::parse("a:b:c").is_err());
        assert!(Reference::parse("a b").is_err());
        assert!(Reference::parse(&"g".repeat(64)).is_ok());
        assert!(Reference::parse(&"ab".repeat(32)).unwrap_err().to_string().contains("64-byte hexadecimal"));
        assert!(Reference::is_name_only("localhost:5000/app"));
        assert!(!Reference::is_name_only("app:1"));
    }
}
