//! Rules are data: a small JSON format modelled on Sigma's detection
//! fields. A rule selects events on normalized fields (`"field|modifier":
//! value or [values]`: values of one field are alternatives, fields must
//! all match), then raises a finding per group (`group_by`) when at least
//! `threshold` of them fall within `window`. The rules shipped for the
//! three platforms are compiled in (`assets/rules/shipped.json`); `--rules
//! FILE` adds the investigator's own. JSON, not YAML: one well-kept parser
//! already in the tree, and no second syntax to document.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Finding, Identities};
use crate::display::{plural, reveal};
use crate::index::Case;
use crate::model::{
    Category, FindingKind, NodeType, Outcome, ResourceKind, Severity, System, TextField,
};
use crate::time::UtcMs;
use compiled::{Compiled, Field};

mod compiled;

const SHIPPED: &str = include_str!("../../../assets/rules/shipped.json");

/// Rules files are small: a bigger one is not a rules file.
const MAX_RULES_BYTES: u64 = 4 << 20;

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("cannot read the rules file {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the rules file {path} is not valid: {reason}")]
    Invalid { path: String, reason: String },
    #[error("rule '{rule}' in {path}: {reason}")]
    Rule {
        path: String,
        rule: String,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Values {
    One(String),
    Many(Vec<String>),
}

impl Values {
    fn list(&self) -> Vec<String> {
        match self {
            Values::One(v) => vec![v.clone()],
            Values::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The identity: a person when the case joins identifiers, else the actor.
    #[default]
    #[serde(alias = "person", alias = "user")]
    Actor,
    Ip,
    NodePath,
    Resource,
    System,
    /// All matching events together.
    None,
}

impl GroupBy {
    /// One value of the field, in words.
    fn noun(self) -> &'static str {
        match self {
            GroupBy::Actor => "identity",
            GroupBy::Ip => "address",
            GroupBy::NodePath => "path",
            GroupBy::Resource => "resource",
            GroupBy::System => "system",
            GroupBy::None => "event",
        }
    }

    fn nouns(self) -> &'static str {
        match self {
            GroupBy::Actor => "identities",
            GroupBy::Ip => "addresses",
            GroupBy::NodePath => "paths",
            GroupBy::Resource => "resources",
            GroupBy::System => "systems",
            GroupBy::None => "events",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub severity: Severity,
    pub selection: BTreeMap<String, Values>,
    #[serde(default = "one")]
    pub threshold: u64,
    /// `30s`, `10m`, `1h`, `2d`; none: the whole case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    #[serde(default)]
    pub group_by: GroupBy,
    /// Count distinct values of this field instead of events: a threshold
    /// of 5 with `distinct: actor` grouped by `ip` is five accounts tried
    /// from one address (password spraying), however many tries each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct: Option<GroupBy>,
}

fn one() -> u64 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "read so that files may say it; one version so far"
    )]
    version: u32,
    rules: Vec<Rule>,
}

/// The rules in force and where each came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Per rule: `shipped` or the file it was read from.
    pub origins: Vec<String>,
}

/// A rule in force, by id and title, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleInForce {
    pub id: String,
    pub title: String,
    /// `shipped` or the file it was read from.
    pub origin: String,
}

impl RuleSet {
    /// Every rule in force with its origin, as listed to the investigator.
    pub fn in_force(&self) -> Vec<RuleInForce> {
        self.rules
            .iter()
            .zip(&self.origins)
            .map(|(rule, origin)| RuleInForce {
                id: rule.id.clone(),
                title: rule.title.clone(),
                origin: origin.clone(),
            })
            .collect()
    }

    /// The rules compiled into auditview.
    pub fn shipped() -> RuleSet {
        let mut set = RuleSet::default();
        set.add_text(SHIPPED, "shipped")
            .expect("the shipped rules are valid (a unit test checks them)");
        set
    }

    /// Adds the rules of a file; a bad file or rule is an error naming it.
    pub fn add_file(&mut self, path: &Path) -> Result<(), RuleError> {
        let shown = path.display().to_string();
        let read_error = |e: std::io::Error| RuleError::Read {
            path: shown.clone(),
            reason: crate::display::describe_io(&e),
        };
        crate::model::owned::register(path, crate::model::owned::OwnedKind::Rules);
        let file = crate::hash::open_read_only(path).map_err(read_error)?;
        let mut text = String::new();
        use std::io::Read;
        file.take(MAX_RULES_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(read_error)?;
        if text.len() as u64 > MAX_RULES_BYTES {
            return Err(RuleError::Invalid {
                path: shown,
                reason: format!("larger than {}", crate::display::bytes(MAX_RULES_BYTES)),
            });
        }
        self.add_text(&text, &shown)
    }

    fn add_text(&mut self, text: &str, origin: &str) -> Result<(), RuleError> {
        let file: RulesFile = serde_json::from_str(text).map_err(|e| RuleError::Invalid {
            path: origin.to_string(),
            reason: e.to_string(),
        })?;
        for rule in file.rules {
            Compiled::new(&rule).map_err(|reason| RuleError::Rule {
                path: origin.to_string(),
                rule: rule.id.clone(),
                reason,
            })?;
            if let Some(at) = self.rules.iter().position(|r| r.id == rule.id) {
                // The investigator's rule of the same id replaces the shipped one.
                self.rules[at] = rule;
                self.origins[at] = origin.to_string();
            } else {
                self.rules.push(rule);
                self.origins.push(origin.to_string());
            }
        }
        Ok(())
    }
}

/// Every rule over every event.
pub fn evaluate(case: &Case, identities: &Identities, rules: &RuleSet) -> Vec<Finding> {
    use rayon::prelude::*;
    rules
        .rules
        .par_iter()
        .flat_map_iter(|rule| match Compiled::new(rule) {
            Ok(compiled) => evaluate_rule(case, identities, rule, &compiled),
            Err(_) => Vec::new(),
        })
        .collect()
}

fn evaluate_rule(
    case: &Case,
    identities: &Identities,
    rule: &Rule,
    compiled: &Compiled,
) -> Vec<Finding> {
    let events = &case.store.events;
    let places = case.places();
    // Per matcher on an interned column: its verdict per distinct value.
    let verdicts: Vec<Option<Vec<bool>>> = compiled
        .matchers
        .iter()
        .map(|m| match m.field {
            Field::Text(field) => events
                .interned(field)
                .map(|c| c.values.values().map(|v| m.matches(v)).collect()),
            Field::Country => Some(
                std::iter::once(false)
                    .chain(places.countries.iter().map(|c| m.matches(&c.iso)))
                    .collect(),
            ),
            // Enums: a verdict per variant, by its index.
            Field::System => Some(System::ALL.iter().map(|v| m.matches(v.as_str())).collect()),
            Field::Category => Some(
                Category::ALL
                    .iter()
                    .map(|v| m.matches(v.as_str()))
                    .collect(),
            ),
            Field::Outcome => Some(Outcome::ALL.iter().map(|v| m.matches(v.as_str())).collect()),
            Field::NodeType => Some(
                NodeType::ALL
                    .iter()
                    .map(|v| m.matches(v.as_str()))
                    .collect(),
            ),
            Field::ResourceKind => Some(
                ResourceKind::ALL
                    .iter()
                    .map(|v| m.matches(v.as_str()))
                    .collect(),
            ),
        })
        .collect();
    let ips = events
        .interned(TextField::Ip)
        .map_or(&[][..], |c| &c.rows[..]);
    let selected = |row: usize| {
        compiled.matchers.iter().zip(&verdicts).all(|(m, verdict)| {
            let Some(verdict) = verdict else {
                return match m.field {
                    Field::Text(field) => m.matches(events.text(field, row)),
                    _ => false,
                };
            };
            let index = match m.field {
                Field::System => events.system[row] as usize,
                Field::Category => events.category[row] as usize,
                Field::Outcome => events.outcome[row] as usize,
                Field::NodeType => events.node_type[row] as usize,
                Field::ResourceKind => events.resource_kind[row] as usize,
                Field::Country => {
                    let ip = ips.get(row).copied().unwrap_or(0);
                    let country = places.country_by_symbol().get(ip as usize).copied();
                    country.unwrap_or(0) as usize
                }
                Field::Text(field) => events.interned(field).map_or(0, |c| c.rows[row]) as usize,
            };
            verdict.get(index).copied().unwrap_or(false)
        })
    };
    let group_of = |by: GroupBy, row: usize| -> (u32, String) {
        let symbol_of = |field: TextField| {
            events.interned(field).map_or((0, String::new()), |c| {
                (c.rows[row], c.values.resolve(c.rows[row]).to_string())
            })
        };
        match by {
            GroupBy::Actor => {
                let symbol = events.interned(TextField::Actor).map_or(0, |c| c.rows[row]);
                let identity = identities
                    .of_symbol
                    .get(symbol as usize)
                    .copied()
                    .unwrap_or(u32::MAX);
                let name = identities
                    .names
                    .get(identity as usize)
                    .cloned()
                    .unwrap_or_default();
                (identity, name)
            }
            GroupBy::Ip => symbol_of(TextField::Ip),
            GroupBy::NodePath => symbol_of(TextField::NodePath),
            GroupBy::Resource => symbol_of(TextField::Resource),
            GroupBy::System => (events.system[row] as u32, events.system[row].to_string()),
            GroupBy::None => (0, String::new()),
        }
    };
    // Per group: its label, rows, and per row the value counted when the
    // rule counts distinct values.
    let mut groups: HashMap<u32, (String, Vec<u32>, Vec<u32>)> = HashMap::new();
    let repeats = case.repeats();
    for row in 0..events.len() {
        if !repeats.get(row).copied().unwrap_or(false) && selected(row) {
            let (key, label) = group_of(rule.group_by, row);
            let group = groups
                .entry(key)
                .or_insert_with(|| (label, Vec::new(), Vec::new()));
            group.1.push(row as u32);
            if let Some(field) = rule.distinct {
                group.2.push(group_of(field, row).0);
            }
        }
    }
    let counted = |n: usize| match rule.distinct {
        None => plural(n as u64, "event", "events"),
        Some(field) => plural(n as u64, field.noun(), field.nouns()),
    };
    let mut found = Vec::new();
    for (label, rows, values) in groups.into_values() {
        let values = rule.distinct.map(|_| &values[..]);
        for (cluster, n) in clusters(
            &events.time_ms,
            &rows,
            values,
            rule.threshold,
            compiled.window_ms,
        ) {
            let (t0, t1) = (
                events.time_ms[cluster[0] as usize],
                events.time_ms[cluster[cluster.len() - 1] as usize],
            );
            let subject = if label.is_empty() {
                rule.id.clone()
            } else {
                label.clone()
            };
            let mut finding = Finding::new(
                FindingKind::Rule,
                rule.severity,
                subject.clone(),
                format!(
                    "{}: {}{}{} from {} to {}",
                    rule.title,
                    counted(n),
                    if rule.distinct.is_some() {
                        format!(" ({})", plural(cluster.len() as u64, "event", "events"))
                    } else {
                        String::new()
                    },
                    if label.is_empty() {
                        String::new()
                    } else {
                        format!(" of {}", reveal(&label))
                    },
                    UtcMs(t0),
                    UtcMs(t1)
                ),
                Some(t0),
                cluster,
            );
            finding.id = format!("rule:{}:{subject}:{}", rule.id, UtcMs(t0));
            finding.rule = Some(rule.id.clone());
            found.push(finding);
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// The runs of `rows` (in time order) where at least `threshold` fall within
/// `window` of each other, overlapping runs merged; without a window, all
/// of them when there are enough. With `values` (one per row), what is
/// counted is the distinct values in the window, not the rows. Each run
/// comes with its count: its rows, or its distinct values.
fn clusters(
    times: &[i64],
    rows: &[u32],
    values: Option<&[u32]>,
    threshold: u64,
    window: Option<i64>,
) -> Vec<(Vec<u32>, usize)> {
    let threshold = threshold.max(1) as usize;
    let distinct_in = |a: usize, b: usize| match values {
        Some(values) => values[a..=b].iter().collect::<HashSet<_>>().len(),
        None => b + 1 - a,
    };
    let Some(window) = window else {
        return match rows.len().checked_sub(1).map(|last| distinct_in(0, last)) {
            Some(n) if n >= threshold => vec![(rows.to_vec(), n)],
            _ => Vec::new(),
        };
    };
    let time = |i: usize| times[rows[i] as usize];
    // The values in the window and how many rows hold each.
    let mut in_window: HashMap<u32, usize> = HashMap::new();
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for end in 0..rows.len() {
        if let Some(values) = values {
            *in_window.entry(values[end]).or_default() += 1;
        }
        while time(end) - time(start) > window {
            if let Some(values) = values
                && let Some(n) = in_window.get_mut(&values[start])
            {
                *n -= 1;
                if *n == 0 {
                    in_window.remove(&values[start]);
                }
            }
            start += 1;
        }
        let count = match values {
            Some(_) => in_window.len(),
            None => end + 1 - start,
        };
        if count >= threshold {
            match found.last_mut() {
                Some(last) if start <= last.1 => last.1 = end,
                _ => found.push((start, end)),
            }
        }
    }
    found
        .into_iter()
        .map(|(a, b)| (rows[a..=b].to_vec(), distinct_in(a, b)))
        .collect()
}

#[cfg(test)]
mod tests;
