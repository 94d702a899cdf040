//! A filter as the command line's flags, so that a filter built in the
//! window runs unchanged in the CLI ("Copy as command line").

use std::borrow::Cow;
use std::path::Path;

use super::Filter;

impl Filter {
    /// The flags that make this filter, as `auditview export` reads them;
    /// times as RFC 3339 UTC to the millisecond, so the bounds are exact.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        let mut flag = |name: &str, value: &str| {
            args.push(format!("--{name}"));
            args.push(value.to_string());
        };
        self.node_types
            .iter()
            .for_each(|v| flag("type", v.as_str()));
        self.paths.iter().for_each(|v| flag("path", v));
        self.kinds.iter().for_each(|v| flag("kind", v.as_str()));
        self.owners.iter().for_each(|v| flag("owner", v));
        if let Some(from) = self.from {
            flag("from", &crate::time::format_utc(from));
        }
        if let Some(to) = self.to {
            flag("to", &crate::time::format_utc(to));
        }
        self.users.iter().for_each(|v| flag("user", v));
        self.persons.iter().for_each(|v| flag("person", v));
        self.actions.iter().for_each(|v| flag("action", v));
        self.categories
            .iter()
            .for_each(|v| flag("category", v.as_str()));
        self.outcomes
            .iter()
            .for_each(|v| flag("outcome", v.as_str()));
        self.systems.iter().for_each(|v| flag("system", v.as_str()));
        self.ips.iter().for_each(|v| flag("ip", v));
        self.countries.iter().for_each(|v| flag("country", v));
        self.asns.iter().for_each(|v| flag("asn", &v.to_string()));
        self.requests.iter().for_each(|v| flag("request", v));
        self.resources.iter().for_each(|v| flag("resource", v));
        self.texts.iter().for_each(|v| flag("text", v));
        self.visible_by.iter().for_each(|v| flag("visible-by", v));
        if self.skip_repeats {
            args.push("--skip-repeats".to_string());
        }
        if self.starred {
            args.push("--starred".to_string());
        }
        self.tags.iter().for_each(|v| {
            args.push("--tag".to_string());
            args.push(v.clone());
        });
        if self.has_note {
            args.push("--has-note".to_string());
        }
        self.findings.iter().for_each(|v| {
            args.push("--finding".to_string());
            args.push(v.clone());
        });
        args
    }
}

/// `auditview export INPUTS [--geoip DB]... FLAGS --output OUTPUT`, quoted
/// for a POSIX shell; `geoip` are the databases placing the addresses (so
/// `--country` means the same there).
pub fn export_command_line(
    inputs: &[&Path],
    geoip: &[&str],
    filter: &Filter,
    output: &str,
) -> String {
    let mut words = vec!["auditview".to_string(), "export".to_string()];
    words.extend(inputs.iter().map(|p| p.to_string_lossy().into_owned()));
    for database in geoip {
        words.extend(["--geoip".to_string(), database.to_string()]);
    }
    words.extend(filter.to_args());
    words.extend(["--output".to_string(), output.to_string()]);
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word as a POSIX shell reads it back unchanged: bare when it holds
/// only safe characters, else in single quotes (a quote inside as `'\''`).
pub fn shell_quote(word: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(format!("'{}'", word.replace('\'', r"'\''")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, ResourceKind};

    #[test]
    fn flags_name_every_criterion_as_the_cli_spells_it() {
        let filter = Filter {
            kinds: vec![ResourceKind::PublicLink],
            categories: vec![Category::LoginFailed],
            users: vec!["o'brien".into()],
            from: Some(1_710_405_739_123),
            skip_repeats: true,
            ..Filter::default()
        };
        assert_eq!(
            filter.to_args(),
            [
                "--kind",
                "public_link",
                "--from",
                "2024-03-14T08:42:19.123Z",
                "--user",
                "o'brien",
                "--category",
                "login_failed",
                "--skip-repeats"
            ]
        );
        let line = export_command_line(&[Path::new("/cases/a b")], &[], &filter, "out.csv");
        assert_eq!(
            line,
            r"auditview export '/cases/a b' --kind public_link --from 2024-03-14T08:42:19.123Z --user 'o'\''brien' --category login_failed --skip-repeats --output out.csv"
        );
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }
}
