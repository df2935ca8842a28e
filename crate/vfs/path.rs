//! Lexical path helpers for the virtual filesystem: join, normalise, split.
//! Nothing here looks at the filesystem; symlinks are resolved by [`super::Vfs`].

/// Joins `path` onto `base` the way a process with working directory `base` would
/// see it: an absolute `path` replaces `base`.
pub fn join(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else if path.is_empty() {
        base.to_string()
    } else if base.ends_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// Lexically normalises an absolute path: removes `.`, empty components and resolves
/// `..` (never above `/`). The result starts with `/` and has no trailing slash
/// (except the root itself).
pub fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        "/".to_string()
    } else {
        let mut s = String::with_capacity(path.len() + 1);
        for c in out {
            s.push('/');
            s.push_str(c);
        }
        s
    }
}

/// The components of a path, without empty ones and `.` (`..` is kept).
pub fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// The parent directory of a normalised absolute path (`/` for `/`).
pub fn parent(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    match p.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &p[..i],
    }
}

/// The last component of a path, like `basename(1)` (`/` for `/`).
pub fn basename(path: &str) -> &str {
    let p = path.trim_end_matches('/');
    if p.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    match p.rfind('/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(normalize("/a/./b//../c/"), "/a/c");
        assert_eq!(normalize("/../.."), "/");
        assert_eq!(normalize("a/b"), "/a/b");
        assert_eq!(join("/web", "x"), "/web/x");
        assert_eq!(join("/", "x"), "/x");
        assert_eq!(join("/web", "/x"), "/x");
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert_eq!(basename("/a/b/"), "b");
        assert_eq!(basename("/"), "/");
    }
}
