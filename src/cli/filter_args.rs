//! The filter flags shared by `inspect` and `export`. Repeating a flag means
//! OR; different flags combine with AND; `--filter-file` starts from a saved Filter.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use crate::model::{Category, LogKind, NodeType, Outcome, ResourceKind, System};
use crate::query::{Filter, FilterError, PathPattern, parse_asn, parse_country, parse_ip_block};
use crate::time::{Bound, UtcMs, Zone, parse_user_time};

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Filter")]
pub struct FilterArgs {
    /// Node type: file or folder.
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_node_type)]
    pub node_type: Vec<NodeType>,
    /// Node path: `*` matches anything, `/` included; without `*`, the node and everything beneath it.
    #[arg(long, value_name = "PATTERN", value_parser = parse_path)]
    pub path: Vec<String>,
    /// Resource kind: workspace, cell, link, project or workgroup.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Vec<ResourceKind>,
    /// Owner of the node or resource.
    #[arg(long, value_name = "NAME")]
    pub owner: Vec<String>,
    /// From this time (inclusive): RFC 3339, YYYY-MM-DD or "YYYY-MM-DD HH:MM[:SS]" in --tz.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Up to this time (inclusive); a date alone means the end of that day.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Time zone for typed times without offset and for shown times: UTC, local or an IANA name.
    #[arg(long, value_name = "ZONE", default_value = "UTC", value_parser = Zone::parse)]
    pub tz: Zone,
    /// Actor (DNAnexus `user-<name>` also matches `<name>`).
    #[arg(long, value_name = "NAME")]
    pub user: Vec<String>,
    /// A person (by name or any identifier): the events of all the
    /// identifiers --aliases, the case or --accept-proposals join.
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Action, verbatim as the system writes it (e.g. file-download, "Retrieved object").
    #[arg(long, value_name = "VERB")]
    pub action: Vec<String>,
    /// Category: login, login_failed, logout, read, list, download, create, upload, modify, move, delete, share, permission, admin, run, other.
    #[arg(long, value_name = "CAT", value_parser = parse_category)]
    pub category: Vec<Category>,
    /// Outcome: success, failure or unknown.
    #[arg(long, value_name = "OUTCOME", value_parser = parse_outcome)]
    pub outcome: Vec<Outcome>,
    /// System: dnanexus, pydio or basespace.
    #[arg(long, value_name = "SYSTEM", value_parser = parse_system)]
    pub system: Vec<System>,
    /// Record kind: audit (an audit trail's records), system (a server's
    /// own log lines) or task (background jobs); Pydio's logs hold all three.
    #[arg(long, value_name = "KIND", value_parser = parse_log)]
    pub log: Vec<LogKind>,
    /// Client address or CIDR block, IPv4 or IPv6.
    #[arg(long, value_name = "ADDR|CIDR", value_parser = parse_ip)]
    pub ip: Vec<String>,
    /// Country of the client address, ISO 3166-1 alpha-2 (e.g. JP), by
    /// the GeoIP databases; repeat for any of several.
    #[arg(long, value_name = "CC", value_parser = parse_country)]
    pub country: Vec<String>,
    /// Autonomous system of the client address (64500 or AS64500), by the
    /// GeoIP databases; repeat for any of several.
    #[arg(long, value_name = "ASN", value_parser = parse_asn)]
    pub asn: Vec<u32>,
    /// A GeoIP database (MaxMind DB `.mmdb`: country, city or ASN, e.g.
    /// GeoLite2, DB-IP Lite, IPinfo Lite) placing addresses; repeatable.
    /// Also read: AUDITVIEW_GEOIP (paths separated by `:`) and `.mmdb`
    /// files among the paths loaded.
    #[arg(long, value_name = "FILE", help_heading = "Places")]
    pub geoip: Vec<PathBuf>,
    /// Persons and their identifiers (JSON as `auditview people --json`
    /// writes `aliases`, or CSV `person,identifier`); with --case, the
    /// case's own decisions are used when this is not given.
    #[arg(long, value_name = "FILE", help_heading = "People")]
    pub aliases: Option<PathBuf>,
    /// Accept every link the evidence proposes (`auditview people` lists
    /// them with their proofs) except those rejected.
    #[arg(long, help_heading = "People")]
    pub accept_proposals: bool,
    /// Request id (Pydio SpanRootUuid, else SpanUuid).
    #[arg(long, value_name = "ID")]
    pub request: Vec<String>,
    /// Resource id: the events of one workspace, cell, public link or project.
    #[arg(long, value_name = "ID")]
    pub resource: Vec<String>,
    /// Case-insensitive text in actor, IP, user agent, action, path, object, resource, message or details.
    #[arg(long, value_name = "TEXT")]
    pub text: Vec<String>,
    /// Events on nodes visible by this principal (owner, granted, member,
    /// link visitor, or seen acting there); repeat for any of several.
    #[arg(long = "visible-by", value_name = "NAME")]
    pub visible_by: Vec<String>,
    /// Leave out events that repeat an event read from another source (the
    /// same time, actor, address, action, node, object, request and message).
    #[arg(long)]
    pub skip_repeats: bool,
    /// Start from a filter saved as JSON (the GUI's presets); flags add to it.
    #[arg(long, value_name = "FILE")]
    pub filter_file: Option<PathBuf>,
    /// A case file (`auditview case new`): its evidence when no path is
    /// given, and its marks for --starred, --tag, --has-note and exports.
    #[arg(long, value_name = "CASE", help_heading = "Case")]
    pub case: Option<PathBuf>,
    /// Only events starred in the case.
    #[arg(long, help_heading = "Case")]
    pub starred: bool,
    /// Only events with this tag in the case; repeat for any of several.
    #[arg(long = "tag", value_name = "TAG", help_heading = "Case")]
    pub tag: Vec<String>,
    /// Only events with a note in the case.
    #[arg(long, help_heading = "Case")]
    pub has_note: bool,
    /// The events proving a finding: its kind (e.g. impossible_travel,
    /// burst, new_country) or its id as `auditview findings` prints it.
    #[arg(long, value_name = "KIND|ID", help_heading = "Findings")]
    pub finding: Vec<String>,
    #[command(flatten)]
    pub detectors: super::finding_args::FindingArgs,
    /// Start from a view saved in the case (`auditview case view`); flags add to it.
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Case",
        requires = "case",
        conflicts_with = "filter_file"
    )]
    pub view: Option<String>,
}

fn parse_node_type(text: &str) -> Result<NodeType, String> {
    match NodeType::parse(text) {
        Some(t @ (NodeType::File | NodeType::Folder)) => Ok(t),
        _ => Err("use file or folder".to_string()),
    }
}

fn parse_kind(text: &str) -> Result<ResourceKind, String> {
    match ResourceKind::parse_loose(text) {
        Some(kind) if kind != ResourceKind::None => Ok(kind),
        _ => Err("use workspace, cell, link, project or workgroup".to_string()),
    }
}

fn parse_category(text: &str) -> Result<Category, String> {
    Category::parse(text).ok_or_else(|| format!("use one of {}", Category::choices()))
}

fn parse_outcome(text: &str) -> Result<Outcome, String> {
    Outcome::parse(text).ok_or_else(|| format!("use one of {}", Outcome::choices()))
}

fn parse_log(text: &str) -> Result<LogKind, String> {
    LogKind::parse(text).ok_or_else(|| format!("use one of {}", LogKind::choices()))
}

fn parse_system(text: &str) -> Result<System, String> {
    match System::parse(text) {
        Some(system) if system != System::Auditview => Ok(system),
        _ => Err("use dnanexus, pydio or basespace".to_string()),
    }
}

fn parse_path(text: &str) -> Result<String, FilterError> {
    PathPattern::parse(text).map(|p| p.as_str().to_string())
}

fn parse_ip(text: &str) -> Result<String, FilterError> {
    parse_ip_block(text).map(|_| text.trim().to_string())
}

impl FilterArgs {
    /// Whether the command needs the case's persons: a person filter,
    /// decisions to apply, or a case that may hold some.
    pub fn wants_people(&self) -> bool {
        !self.person.is_empty()
            || self.aliases.is_some()
            || self.accept_proposals
            || self.case.is_some()
    }

    /// The Filter these flags describe; the error names the flag.
    /// Registers every file these flags name as the run's own
    /// (`model::owned`): no output of the command may replace one, even
    /// when it was named but not needed.
    pub fn register_owned(&self) {
        use crate::model::owned::{OwnedKind, register, register_case_file};
        for path in &self.geoip {
            register(path, OwnedKind::GeoIp);
        }
        for path in &self.detectors.rules {
            register(path, OwnedKind::Rules);
        }
        if let Some(path) = &self.aliases {
            register(path, OwnedKind::Aliases);
        }
        if let Some(path) = &self.filter_file {
            register(path, OwnedKind::FilterFile);
        }
        if let Some(path) = &self.case {
            register_case_file(path);
        }
    }

    pub fn to_filter(&self) -> Result<Filter, CliError> {
        let mut filter = match &self.filter_file {
            // The one reader of filter files (bounded, read-only, validated).
            Some(path) => crate::export::filter_file::read_filter(path).map_err(|message| {
                let shown = format!("{}: ", path.display());
                CliError::FilterFile {
                    path: path.clone(),
                    reason: message.strip_prefix(&shown).unwrap_or(&message).to_string(),
                }
            })?,
            None => match (&self.view, &self.case) {
                (Some(name), Some(case)) => crate::casefile::CaseFile::open(case)?
                    .view(name)?
                    .map(|view| view.filter)
                    .ok_or_else(|| CliError::NoSuchView(name.clone()))?,
                _ => Filter::default(),
            },
        };
        filter.node_types.extend(&self.node_type);
        filter.paths.extend(self.path.iter().cloned());
        filter.kinds.extend(&self.kind);
        filter.owners.extend(self.owner.iter().cloned());
        filter.users.extend(self.user.iter().cloned());
        filter.persons.extend(self.person.iter().cloned());
        filter.countries.extend(self.country.iter().cloned());
        filter.asns.extend(&self.asn);
        filter.actions.extend(self.action.iter().cloned());
        filter.categories.extend(&self.category);
        filter.outcomes.extend(&self.outcome);
        filter.systems.extend(&self.system);
        filter.logs.extend(&self.log);
        filter.ips.extend(self.ip.iter().cloned());
        filter.requests.extend(self.request.iter().cloned());
        filter.resources.extend(self.resource.iter().cloned());
        filter.texts.extend(self.text.iter().cloned());
        filter.visible_by.extend(self.visible_by.iter().cloned());
        filter.skip_repeats |= self.skip_repeats;
        filter.starred |= self.starred;
        filter.tags.extend(self.tag.iter().cloned());
        filter.has_note |= self.has_note;
        filter.findings.extend(self.finding.iter().cloned());
        if self.case.is_none() {
            let needs = [
                (filter.starred, "--starred"),
                (!filter.tags.is_empty(), "--tag"),
                (filter.has_note, "--has-note"),
            ];
            if let Some((_, flag)) = needs.iter().find(|(set, _)| *set) {
                return Err(CliError::NeedsCase(flag));
            }
        }
        if let Some(from) = &self.from {
            filter.from = Some(UtcMs(parse_user_time(from, self.tz, Bound::From).map_err(
                |source| CliError::Time {
                    flag: "--from",
                    source,
                },
            )?));
        }
        if let Some(to) = &self.to {
            filter.to = Some(UtcMs(parse_user_time(to, self.tz, Bound::To).map_err(
                |source| CliError::Time {
                    flag: "--to",
                    source,
                },
            )?));
        }
        filter.validate().map_err(|source| CliError::Filter {
            source,
            filter_file: self.filter_file.clone(),
        })?;
        Ok(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, LogKind, NodeType, Outcome, ResourceKind, System};
    use clap::Parser;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        filter: FilterArgs,
    }

    /// A filter with every criterion set, and with words a shell or JSON
    /// must keep as they are (quotes, spaces, a dollar).
    fn every_criterion() -> Filter {
        Filter {
            node_types: vec![NodeType::File],
            paths: vec!["pydiods1/It's here/*.pdf".into()],
            kinds: vec![ResourceKind::PublicLink],
            owners: vec!["alice".into()],
            from: Some(UtcMs(1_710_405_739_123)),
            to: Some(UtcMs(1_710_491_999_999)),
            users: vec!["o'brien".into(), "bob".into()],
            persons: vec!["Alice Martin".into()],
            actions: vec!["Retrieved object".into()],
            categories: vec![Category::Download, Category::Lockout],
            outcomes: vec![Outcome::Failure],
            systems: vec![System::Pydio],
            logs: vec![LogKind::Audit, LogKind::Task],
            ips: vec!["192.0.2.0/24".into(), "2001:db8::1".into()],
            countries: vec!["JP".into()],
            asns: vec![64500],
            requests: vec!["req-1".into()],
            resources: vec!["link-1".into()],
            texts: vec!["$(rm -rf /) \"quoted\"".into()],
            visible_by: vec!["team".into()],
            skip_repeats: true,
            starred: true,
            tags: vec!["key evidence".into()],
            has_note: true,
            findings: vec!["impossible_travel".into()],
            ..Filter::default()
        }
    }

    fn parsed(words: &[String]) -> Filter {
        let mut argv = vec![
            "auditview".to_string(),
            "--case".into(),
            "x.auditcase".into(),
        ];
        argv.extend_from_slice(words);
        Flags::try_parse_from(argv)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter
            .to_filter()
            .unwrap()
    }

    /// The words of a POSIX shell line, as `sh` splits them (single quotes,
    /// and `'\''` for a quote inside).
    fn shell_words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let (mut quoted, mut any, mut escaped) = (false, false, false);
        for c in line.chars() {
            if escaped {
                word.push(c);
                escaped = false;
                continue;
            }
            match c {
                '\'' => {
                    quoted = !quoted;
                    any = true;
                }
                '\\' if !quoted => escaped = true,
                ' ' if !quoted => {
                    if any || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    any = false;
                }
                c => word.push(c),
            }
        }
        if any || !word.is_empty() {
            words.push(word);
        }
        words
    }

    #[test]
    fn a_filter_with_every_criterion_survives_flags_files_views_and_the_copied_line() {
        let filter = every_criterion();
        // The CLI's flags.
        assert_eq!(parsed(&filter.to_args()), filter);
        // A filter file, written and read back as the window and the CLI do.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("filter.json");
        crate::export::filter_file::save_filter(&filter, &file, &[], false).unwrap();
        assert_eq!(
            crate::export::filter_file::read_filter(&file).unwrap(),
            filter
        );
        let flags = ["--filter-file".to_string(), file.display().to_string()];
        assert_eq!(parsed(&flags), filter);
        // A view saved in a case (its JSON).
        let view = crate::casefile::SavedView {
            filter: filter.clone(),
            tab: None,
            zone: Some("Asia/Tokyo".into()),
            sort: None,
            descending: false,
        };
        let text = serde_json::to_string(&view).unwrap();
        let back: crate::casefile::SavedView = serde_json::from_str(&text).unwrap();
        assert_eq!(back.filter, filter);
        // The copied command line, as a shell splits it.
        let context = crate::query::ExportContext {
            inputs: &[std::path::Path::new("/cases/a b")],
            case: Some(std::path::Path::new("x.auditcase")),
            zone: Zone::parse("Asia/Tokyo").unwrap(),
            geoip: &[],
        };
        let line = crate::query::export_command_line(&context, &filter, "out.csv");
        let words = shell_words(&line);
        let flags = &words[words.iter().position(|w| w == "--tz").unwrap()..words.len() - 2];
        assert_eq!(parsed(flags), filter, "{line}");
        // filter-sql: what SQL can say is said, and what it cannot is
        // refused by name, never dropped.
        let error = crate::query::sql::where_clause(&filter).unwrap_err();
        assert_eq!(error.flag, "--person");
        let sayable = Filter {
            persons: Vec::new(),
            visible_by: Vec::new(),
            skip_repeats: false,
            starred: false,
            tags: Vec::new(),
            has_note: false,
            findings: Vec::new(),
            countries: Vec::new(),
            asns: Vec::new(),
            texts: vec!["quoted".into()],
            ..filter
        };
        let sql = crate::query::sql::where_clause(&sayable).unwrap();
        for column in [
            "node_type",
            "node_path",
            "resource_kind",
            "owner",
            "time_unix_ms >=",
            "time_unix_ms <=",
            "actor",
            "action",
            "category",
            "outcome",
            "system",
            "log IN",
            "ip_hex",
            "request_id",
            "resource",
            "LIKE '%quoted%'",
        ] {
            assert!(sql.contains(column), "{column} in {sql}");
        }
    }
}
