//! The filter as edited in the side panel (`FilterForm`): list criteria
//! chosen directly, typed fields read and validated when the filter is built.
//! It builds the same `query::Filter` the CLI builds.

use crate::analysis::suggest::PathHint;
use crate::query::{Criterion, Filter, PathPattern, parse_ip_block};
use crate::time::{Bound, UtcMs, Zone, parse_user_time};

/// The filter as edited: list criteria are chosen directly in `base`; typed
/// fields are read when the filter is built. While one is invalid the form
/// has errors, and the window keeps the view it had (never a wider one).
#[derive(Debug, Clone, Default)]
pub struct FilterForm {
    pub base: Filter,
    pub path: String,
    pub ip: String,
    pub from: String,
    pub to: String,
    pub search: String,
    pub user_search: String,
    pub owner_search: String,
    pub visible_search: String,
    pub action_search: String,
    pub preset_name: String,
    /// Completions of `path` among the loaded paths, and the text they are for.
    /// For the path typed: its completions and what it matches.
    pub(super) path_completions: (String, Vec<String>, Option<PathHint>),
}

/// What is wrong with the typed fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub path: Option<String>,
    pub ip: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl FormErrors {
    pub fn any(&self) -> bool {
        self.path.is_some() || self.ip.is_some() || self.from.is_some() || self.to.is_some()
    }
}

impl FilterForm {
    /// The filter the form describes, and what is wrong with its typed
    /// fields (an invalid one is left out: the caller decides what to show).
    pub fn build(&self, zone: Zone) -> (Filter, FormErrors) {
        let mut filter = self.base.clone();
        let mut errors = FormErrors::default();
        let path = self.path.trim();
        if !path.is_empty() {
            match PathPattern::parse(path) {
                Ok(_) => filter.paths.push(path.to_string()),
                Err(e) => errors.path = Some(e.to_string()),
            }
        }
        // Addresses and blocks, separated by commas or spaces: any of them,
        // as `--ip` repeated.
        for entry in ip_entries(&self.ip) {
            match parse_ip_block(entry) {
                Ok(_) => filter.ips.push(entry.to_string()),
                Err(e) => {
                    errors.ip = Some(e.to_string());
                    break;
                }
            }
        }
        let search = self.search.trim();
        if !search.is_empty() {
            filter.texts.push(search.to_string());
        }
        for (text, bound, slot, error) in [
            (&self.from, Bound::From, &mut filter.from, &mut errors.from),
            (&self.to, Bound::To, &mut filter.to, &mut errors.to),
        ] {
            if !text.trim().is_empty() {
                match parse_user_time(text, zone, bound) {
                    Ok(ms) => *slot = Some(UtcMs(ms)),
                    Err(e) => *error = Some(e.to_string()),
                }
            }
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            errors.to = Some("'To' is before 'From'".to_string());
            filter.to = None;
        }
        (filter, errors)
    }

    /// A form showing `filter` (a preset), with times written in `zone`.
    pub fn from_filter(filter: &Filter, zone: Zone) -> FilterForm {
        let mut base = filter.clone();
        let from = base
            .from
            .take()
            .map(|t| zone.format(t.0))
            .unwrap_or_default();
        let to = base.to.take().map(|t| zone.format(t.0)).unwrap_or_default();
        FilterForm {
            base,
            from,
            to,
            ..FilterForm::default()
        }
    }

    /// Removes one criterion, and the typed text that makes it.
    pub fn clear(&mut self, criterion: Criterion) {
        self.base.clear(criterion);
        match criterion {
            Criterion::Path => self.path.clear(),
            Criterion::Ip => self.ip.clear(),
            Criterion::From => self.from.clear(),
            Criterion::To => self.to.clear(),
            Criterion::Text => self.search.clear(),
            _ => {}
        }
    }

    pub fn clear_all(&mut self) {
        let preset_name = std::mem::take(&mut self.preset_name);
        *self = FilterForm {
            preset_name,
            ..FilterForm::default()
        };
    }
}

/// The entries of the IP box: addresses or blocks separated by commas,
/// semicolons or white space.
fn ip_entries(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|entry| !entry.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ip_box_takes_a_list_meaning_any_and_one_bad_entry_is_an_error() {
        let form = FilterForm {
            ip: " 192.0.2.7, 198.51.100.0/24  2001:db8::/32;".into(),
            ..FilterForm::default()
        };
        let (filter, errors) = form.build(Zone::Utc);
        assert_eq!(
            filter.ips,
            ["192.0.2.7", "198.51.100.0/24", "2001:db8::/32"]
        );
        assert!(!errors.any());
        let form = FilterForm {
            ip: "192.0.2.0/24,198.51.100.0/33".into(),
            ..FilterForm::default()
        };
        let (_, errors) = form.build(Zone::Utc);
        assert!(errors.any());
        assert!(errors.ip.unwrap().contains("198.51.100.0/33"));
    }

    #[test]
    fn typed_fields_are_validated_and_left_out_while_invalid() {
        let form = FilterForm {
            path: "ds/*".into(),
            ip: "10.0.0.0/33".into(),
            from: "2024-03-15".into(),
            to: "yesterday".into(),
            search: " token ".into(),
            ..FilterForm::default()
        };
        let (filter, errors) = form.build(Zone::Utc);
        assert_eq!(filter.paths, ["ds/*"]);
        assert!(filter.ips.is_empty());
        assert!(errors.ip.is_some());
        assert_eq!(filter.from, Some(UtcMs(1_710_460_800_000)));
        assert_eq!(filter.to, None);
        assert!(errors.to.is_some());
        assert_eq!(filter.texts, ["token"]);
        assert!(errors.path.is_none());

        let (_, errors) = FilterForm {
            path: "a**b".into(),
            ..FilterForm::default()
        }
        .build(Zone::Utc);
        let _ = errors; // a pattern error, if the pattern syntax rejects it, is shown, not fatal.
    }

    #[test]
    fn presets_round_trip_through_the_form_and_chips_clear_their_criterion() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        let preset = Filter {
            users: vec!["bob".into()],
            paths: vec!["ds/a".into()],
            from: Some(UtcMs(1_710_460_800_000)),
            ..Filter::default()
        };
        let mut form = FilterForm::from_filter(&preset, paris);
        assert_eq!(form.from, "2024-03-15T01:00:00+01:00");
        assert_eq!(form.build(paris).0, preset);
        form.clear(Criterion::User);
        form.clear(Criterion::From);
        let (filter, _) = form.build(paris);
        assert!(filter.users.is_empty());
        assert_eq!(filter.from, None);
        assert_eq!(filter.paths, ["ds/a"]);
        form.clear_all();
        assert!(form.build(paris).0.is_empty());
    }
}
