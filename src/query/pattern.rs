//! Node path patterns: `*` matches any run of characters, `/` included; a
//! pattern without `*` matches that node and everything beneath it.
//! Paths compare case-sensitively.

use memchr::memmem;

use super::FilterError;

#[derive(Debug, Clone)]
pub struct PathPattern {
    text: String,
    kind: Kind,
}

impl PartialEq for PathPattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for PathPattern {}

#[derive(Debug, Clone)]
enum Kind {
    /// The node itself or a descendant.
    Subtree(String),
    /// Literal pieces between `*`s, with a fast searcher for each.
    Wildcard(Vec<(String, memmem::Finder<'static>)>),
}

impl PathPattern {
    pub fn parse(text: &str) -> Result<PathPattern, FilterError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(FilterError::EmptyPath);
        }
        let kind = if trimmed.contains('*') {
            Kind::Wildcard(
                trimmed
                    .split('*')
                    .map(|piece| {
                        let finder = memmem::Finder::new(piece.as_bytes()).into_owned();
                        (piece.to_string(), finder)
                    })
                    .collect(),
            )
        } else {
            let base = trimmed.trim_end_matches('/');
            Kind::Subtree(if base.is_empty() {
                "/".into()
            } else {
                base.into()
            })
        };
        Ok(PathPattern {
            text: trimmed.to_string(),
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Subtree(base) => {
                path == base
                    || (path.starts_with(base.as_str())
                        && (base.ends_with('/') || path.as_bytes().get(base.len()) == Some(&b'/')))
            }
            Kind::Wildcard(pieces) => wildcard_match(pieces, path),
        }
    }
}

/// `pieces` are the literals between `*`s: the first anchors the start, the
/// last anchors the end, the middle ones are found left to right (greedy
/// leftmost is correct for `*`-only patterns).
fn wildcard_match(pieces: &[(String, memmem::Finder<'static>)], path: &str) -> bool {
    let (Some((first, _)), Some((last, _))) = (pieces.first(), pieces.last()) else {
        return true;
    };
    if pieces.len() == 1 {
        return path == first;
    }
    let Some(mut rest) = path.as_bytes().strip_prefix(first.as_bytes()) else {
        return false;
    };
    for (piece, finder) in &pieces[1..pieces.len() - 1] {
        match finder.find(rest) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        PathPattern::parse(pattern).unwrap().matches(path)
    }

    #[test]
    fn without_star_matches_the_node_and_below_only() {
        assert!(m("ds/a", "ds/a"));
        assert!(m("ds/a", "ds/a/b"));
        assert!(m("ds/a/", "ds/a/b"));
        assert!(!m("ds/a", "ds/ab"));
        assert!(!m("ds/a", "DS/a"));
        assert!(!m("ds/a", "x/ds/a"));
    }

    #[test]
    fn star_matches_any_run_including_slashes() {
        assert!(m("ds/*", "ds/a/b/c.pdf"));
        assert!(m("*.pdf", "ds/a/b/c.pdf"));
        assert!(!m("*.pdf", "ds/a/b/c.pdfx"));
        assert!(m("ds/*/c*", "ds/a/b/c.pdf"));
        assert!(m("*photos*", "pydiods1/Évidence – photos/IMG.jpg"));
        assert!(!m("a*a", "a"));
        assert!(m("a*a", "aa"));
        assert!(m("*", ""));
    }
}
