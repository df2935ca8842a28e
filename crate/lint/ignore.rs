//! `CopyIgnoredFile`'s question — does the `.dockerignore` exclude this COPY/ADD source? —
//! answered as BuildKit's `validateCopySourcePath` does: not at all when the file has a
//! `!` exception, the source cleaned as Go's `filepath.Clean`, `.` and `/` only for
//! patterns that exclude everything, and moby's `MatchesOrParentMatches`.

use crate::dockerignore::{go_clean, Dockerignore, IgnoreError};

/// The `.dockerignore` patterns, ready for COPY sources.
#[derive(Debug)]
pub(crate) struct IgnoreMatcher {
    patterns: Dockerignore,
}

impl IgnoreMatcher {
    /// `None` when the file holds no pattern (BuildKit then checks nothing).
    pub fn new(dockerignore: &[u8]) -> Result<Option<IgnoreMatcher>, IgnoreError> {
        let text = String::from_utf8_lossy(dockerignore);
        let patterns = Dockerignore::parse(&text)?;
        Ok((!patterns.is_empty()).then_some(IgnoreMatcher { patterns }))
    }

    /// The cleaned source path when the `.dockerignore` excludes it.
    pub fn excluded(&self, src: &str) -> Option<String> {
        if self.patterns.patterns.iter().any(|p| p.exclusion) {
            return None;
        }
        let src = go_clean(src);
        if (src == "." || src == "/") && !self.root_ignored() {
            return None;
        }
        self.patterns.matches_or_parent_matches(&src).then_some(src)
    }

    fn root_ignored(&self) -> bool {
        self.patterns.patterns.iter().any(|p| !p.exclusion && matches!(p.text.as_str(), "*" | "**" | "**/*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(ignore: &str) -> IgnoreMatcher {
        IgnoreMatcher::new(ignore.as_bytes()).unwrap().unwrap()
    }

    #[test]
    fn like_buildkit() {
        let i = m("*.md\nbuild/\n");
        assert_eq!(i.excluded("./README.md").as_deref(), Some("README.md"));
        assert_eq!(i.excluded("build/out/x").as_deref(), Some("build/out/x"));
        assert_eq!(i.excluded("/README.md"), None);
        assert_eq!(i.excluded("."), None);
        assert_eq!(m("*\n").excluded(".").as_deref(), Some("."));
        assert_eq!(m("*.md\n!KEEP.md\n").excluded("README.md"), None);
        assert!(IgnoreMatcher::new(b"# only a comment\n").unwrap().is_none());
        assert_eq!(go_clean("a/../../b/./c/"), "../b/c");
    }
}
