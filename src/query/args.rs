//! A filter as the command line's flags, so that a filter built in the
//! window runs unchanged in the CLI ("Copy as command line").

use std::borrow::Cow;
use std::path::Path;

use super::Filter;
use crate::time::Zone;

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
            flag("from", &from.to_string());
        }
        if let Some(to) = self.to {
            flag("to", &to.to_string());
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
        self.logs.iter().for_each(|v| flag("log", v.as_str()));
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

/// What decides an export's rows and columns besides the filter: the
/// inputs, the case file (its marks and persons: `--case`), the zone of
/// the time column (`--tz`) and the GeoIP databases placing the addresses
/// (the place columns, and what `--country` means).
#[derive(Debug, Clone, Copy)]
pub struct ExportContext<'a> {
    pub inputs: &'a [&'a Path],
    pub case: Option<&'a Path>,
    pub zone: Zone,
    pub geoip: &'a [&'a str],
}

/// `auditview export INPUTS [--case CASE] [--tz ZONE] [--geoip DB]... FLAGS
/// --output OUTPUT`, quoted for a POSIX shell: run, it writes what the
/// window would export.
pub fn export_command_line(context: &ExportContext<'_>, filter: &Filter, output: &str) -> String {
    let mut words = vec!["auditview".to_string(), "export".to_string()];
    words.extend(
        context
            .inputs
            .iter()
            .map(|p| p.to_string_lossy().into_owned()),
    );
    if let Some(case) = context.case {
        words.extend(["--case".to_string(), case.to_string_lossy().into_owned()]);
    }
    if context.zone != Zone::Utc {
        words.extend(["--tz".to_string(), context.zone.name()]);
    }
    for database in context.geoip {
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
    use crate::time::UtcMs;

    #[test]
    fn flags_name_every_criterion_as_the_cli_spells_it() {
        let filter = Filter {
            kinds: vec![ResourceKind::PublicLink],
            categories: vec![Category::LoginFailed],
            users: vec!["o'brien".into()],
            from: Some(UtcMs(1_710_405_739_123)),
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
        let context = ExportContext {
            inputs: &[Path::new("/cases/a b")],
            case: None,
            zone: Zone::Utc,
            geoip: &[],
        };
        let line = export_command_line(&context, &filter, "out.csv");
        assert_eq!(
            line,
            r"auditview export '/cases/a b' --kind public_link --from 2024-03-14T08:42:19.123Z --user 'o'\''brien' --category login_failed --skip-repeats --output out.csv"
        );
        // The case, the zone and the databases go with it.
        let context = ExportContext {
            case: Some(Path::new("/cases/inv.auditcase")),
            zone: Zone::parse("Asia/Tokyo").unwrap(),
            geoip: &["/db/city.mmdb"],
            ..context
        };
        assert_eq!(
            export_command_line(&context, &Filter::default(), "out.csv"),
            "auditview export '/cases/a b' --case /cases/inv.auditcase --tz Asia/Tokyo --geoip /db/city.mmdb --output out.csv"
        );
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }
}
