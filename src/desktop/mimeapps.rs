//! The user's `mimeapps.list` (the MIME Applications Associations spec),
//! kept line by line so that what auditview did not add is written back as
//! it was: `install --user` adds defaults, `uninstall --user` takes back
//! exactly those.

/// `mimeapps.list` (the MIME Applications Associations spec) kept line by
/// line, so what auditview did not add is written back as it was.
pub(super) struct MimeApps {
    lines: Vec<String>,
}

const DEFAULTS: &str = "[Default Applications]";

impl MimeApps {
    pub(super) fn parse(text: &str) -> MimeApps {
        MimeApps {
            lines: text.lines().map(str::to_string).collect(),
        }
    }

    /// The line range of the `[Default Applications]` group's entries.
    fn defaults_group(&self) -> Option<(usize, usize)> {
        let start = self.lines.iter().position(|l| l.trim() == DEFAULTS)? + 1;
        let end = self.lines[start..]
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .map_or(self.lines.len(), |i| start + i);
        Some((start, end))
    }

    pub(super) fn default_for(&self, mime: &str) -> Option<&str> {
        let (start, end) = self.defaults_group()?;
        self.lines[start..end].iter().find_map(|line| {
            let (key, value) = line.split_once('=')?;
            (key.trim() == mime).then_some(value.trim())
        })
    }

    pub(super) fn set_default(&mut self, mime: &str, app: &str) {
        let line = format!("{mime}={app};");
        match self.defaults_group() {
            Some((_, end)) => {
                // After the group's last entry, before blank lines.
                let mut at = end;
                while at > 0 && self.lines[at - 1].trim().is_empty() {
                    at -= 1;
                }
                self.lines.insert(at, line);
            }
            None => {
                if self.lines.last().is_some_and(|l| !l.trim().is_empty()) {
                    self.lines.push(String::new());
                }
                self.lines.push(DEFAULTS.to_string());
                self.lines.push(line);
            }
        }
    }

    /// Removes `mime`'s default if it is exactly `app` (as the install
    /// wrote it), and the group when nothing is left in it.
    pub(super) fn remove_default(&mut self, mime: &str, app: &str) {
        let Some((start, end)) = self.defaults_group() else {
            return;
        };
        let ours = |line: &String| {
            line.split_once('=')
                .is_some_and(|(k, v)| k.trim() == mime && v.trim().trim_end_matches(';') == app)
        };
        if let Some(i) = self.lines[start..end].iter().position(ours) {
            self.lines.remove(start + i);
        }
        let (start, end) = self.defaults_group().unwrap_or((start, start));
        if self.lines[start..end].iter().all(|l| l.trim().is_empty()) {
            // The header goes, with a blank line before it that set it apart.
            let mut from = start - 1;
            if from > 0 && self.lines[from - 1].trim().is_empty() {
                from -= 1;
            }
            self.lines.drain(from..end);
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }

    pub(super) fn render(&self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_is_added_to_the_users_list_and_taken_back_leaving_it_as_it_was() {
        let original = "[Added Associations]\ntext/csv=libreoffice-calc.desktop;\n\n[Default Applications]\ntext/csv=libreoffice-calc.desktop;\n\n[Removed Associations]\n";
        let mut list = MimeApps::parse(original);
        assert_eq!(
            list.default_for("text/csv"),
            Some("libreoffice-calc.desktop;")
        );
        assert_eq!(list.default_for("text/x-auditview-export"), None);
        list.set_default("text/x-auditview-export", "auditview.desktop");
        assert_eq!(
            list.default_for("text/x-auditview-export"),
            Some("auditview.desktop;")
        );
        list.remove_default("text/x-auditview-export", "auditview.desktop");
        assert_eq!(list.render(), original);
    }

    #[test]
    fn a_list_made_for_the_defaults_is_empty_once_they_are_taken_back() {
        let mut list = MimeApps::parse("");
        list.set_default("a/b", "auditview.desktop");
        list.set_default("c/d", "auditview.desktop");
        assert_eq!(
            list.render(),
            "[Default Applications]\na/b=auditview.desktop;\nc/d=auditview.desktop;\n"
        );
        list.remove_default("a/b", "auditview.desktop");
        list.remove_default("c/d", "auditview.desktop");
        assert!(list.is_empty());
    }

    #[test]
    fn a_default_the_user_changed_after_the_install_is_kept() {
        let mut list = MimeApps::parse("[Default Applications]\na/b=other.desktop;\n");
        list.remove_default("a/b", "auditview.desktop");
        assert_eq!(list.default_for("a/b"), Some("other.desktop;"));
    }
}
