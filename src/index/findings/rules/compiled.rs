//! A rule compiled for matching: each selection key as a field, a
//! modifier and lower-cased values, and the window in milliseconds.

use super::{GroupBy, Rule};
use crate::model::{Category, NodeType, Outcome, ResourceKind, System, TextField};
use crate::time::{DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS};

/// Where a selection key looks.
#[derive(Debug, Clone, Copy)]
pub(super) enum Field {
    System,
    Category,
    Outcome,
    NodeType,
    ResourceKind,
    Country,
    Text(TextField),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Modifier {
    Equals,
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug)]
pub(super) struct Matcher {
    pub(super) field: Field,
    pub(super) modifier: Modifier,
    /// Lower case: matching ignores case, as Sigma's does.
    pub(super) values: Vec<String>,
}

impl Matcher {
    pub(super) fn matches(&self, text: &str) -> bool {
        let text = text.to_lowercase();
        self.values.iter().any(|v| match self.modifier {
            Modifier::Equals => text == *v,
            Modifier::Contains => text.contains(v.as_str()),
            Modifier::StartsWith => text.starts_with(v.as_str()),
            Modifier::EndsWith => text.ends_with(v.as_str()),
        })
    }
}

pub(super) struct Compiled {
    pub(super) matchers: Vec<Matcher>,
    pub(super) window_ms: Option<i64>,
}

impl Compiled {
    pub(super) fn new(rule: &Rule) -> Result<Compiled, String> {
        if rule.id.trim().is_empty() {
            return Err("a rule needs an id".into());
        }
        if rule.selection.is_empty() {
            return Err("the selection names no field".into());
        }
        if rule.threshold == 0 {
            return Err("the threshold must be at least 1".into());
        }
        let mut matchers = Vec::new();
        for (key, values) in &rule.selection {
            let (name, modifier) = key.split_once('|').unwrap_or((key, ""));
            let modifier = match modifier {
                "" => Modifier::Equals,
                "contains" => Modifier::Contains,
                "startswith" => Modifier::StartsWith,
                "endswith" => Modifier::EndsWith,
                other => {
                    return Err(format!(
                        "'{other}' is not a modifier (contains, startswith, endswith)"
                    ));
                }
            };
            let field = match name {
                "system" => Field::System,
                "category" => Field::Category,
                "outcome" => Field::Outcome,
                "node_type" => Field::NodeType,
                "resource_kind" => Field::ResourceKind,
                "country" => Field::Country,
                other => TextField::ALL
                    .iter()
                    .find(|f| f.name() == other)
                    .map(|&f| Field::Text(f))
                    .ok_or_else(|| format!("'{other}' is not a field of the event model"))?,
            };
            let values: Vec<String> = values.list().iter().map(|v| v.to_lowercase()).collect();
            if values.is_empty() {
                return Err(format!("'{key}' lists no value"));
            }
            let known =
                |ok: &dyn Fn(&str) -> bool, choices: String| match values.iter().find(|v| !ok(v)) {
                    Some(bad) if modifier == Modifier::Equals => {
                        Err(format!("'{bad}' is not a {name} ({choices})"))
                    }
                    _ => Ok(()),
                };
            match field {
                Field::System => known(&|v| System::parse(v).is_some(), System::choices())?,
                Field::Category => known(&|v| Category::parse(v).is_some(), Category::choices())?,
                Field::Outcome => known(&|v| Outcome::parse(v).is_some(), Outcome::choices())?,
                Field::NodeType => known(&|v| NodeType::parse(v).is_some(), NodeType::choices())?,
                Field::ResourceKind => known(
                    &|v| ResourceKind::parse(v).is_some(),
                    ResourceKind::choices(),
                )?,
                Field::Country | Field::Text(_) => {}
            }
            matchers.push(Matcher {
                field,
                modifier,
                values,
            });
        }
        let window_ms = rule.window.as_deref().map(parse_window).transpose()?;
        match rule.distinct {
            Some(GroupBy::None) => {
                return Err(
                    "'distinct' names no field (actor, ip, node_path, resource, system)".into(),
                );
            }
            Some(field) if field == rule.group_by => {
                return Err(
                    "'distinct' is the group_by field: each group holds one value of it".into(),
                );
            }
            _ => {}
        }
        Ok(Compiled {
            matchers,
            window_ms,
        })
    }
}

/// `90s`, `10m`, `1h`, `2d` in milliseconds.
pub(super) fn parse_window(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let bad = || format!("'{text}' is not a window (a number then s, m, h or d: 10m, 1h)");
    let split = text.len().checked_sub(1).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let number: i64 = number.trim().parse().map_err(|_| bad())?;
    let unit = match unit {
        "s" => SECOND_MS,
        "m" => MINUTE_MS,
        "h" => HOUR_MS,
        "d" => DAY_MS,
        _ => return Err(bad()),
    };
    match number.checked_mul(unit) {
        Some(ms) if ms > 0 => Ok(ms),
        _ => Err(bad()),
    }
}
