//! What the app remembers across restarts, kept apart from runtime state.
//! Versioned JSON in eframe's storage; an unreadable saved state is reported
//! and replaced by defaults, never a crash.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::query::Filter;
use crate::ui::command::TableColumn;

pub const STATE_KEY: &str = "auditview_state";
pub const STATE_VERSION: u32 = 1;
const RECENT_MAX: usize = 10;
const RECENT_FOLDERS_MAX: usize = 8;

/// Which file dialogs the app shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileDialogs {
    /// The system's where the desktop has them (portal or zenity), else the
    /// app's own.
    #[default]
    Automatic,
    System,
    BuiltIn,
}

impl FileDialogs {
    pub const ALL: [FileDialogs; 3] = [
        FileDialogs::Automatic,
        FileDialogs::System,
        FileDialogs::BuiltIn,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FileDialogs::Automatic => "Automatic (the system's where it has them)",
            FileDialogs::System => "The system's",
            FileDialogs::BuiltIn => "auditview's own",
        }
    }
}

/// What a window does with files a second launch hands it while a case is
/// open (`desktop::instance`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondLaunch {
    #[default]
    Ask,
    AddToCase,
    NewWindow,
}

impl SecondLaunch {
    pub const ALL: [SecondLaunch; 3] = [
        SecondLaunch::Ask,
        SecondLaunch::AddToCase,
        SecondLaunch::NewWindow,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SecondLaunch::Ask => "Ask each time",
            SecondLaunch::AddToCase => "Add them to the open case",
            SecondLaunch::NewWindow => "Open them in a new window",
        }
    }
}

/// A named filter: the same JSON as the CLI's `--filter-file`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preset {
    pub name: String,
    pub filter: Filter,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub version: u32,
    /// Files and folders opened, most recent first.
    pub recent: Vec<PathBuf>,
    /// `UTC`, `local` or an IANA name.
    pub zone: String,
    /// The table columns the user hid (a column this version does not
    /// know is passed over).
    #[serde(deserialize_with = "known_columns")]
    pub hidden_columns: Vec<TableColumn>,
    pub presets: Vec<Preset>,
    pub show_details: bool,
    pub show_filters: bool,
    /// The column the table is sorted by, and whether descending.
    #[serde(deserialize_with = "known_column_or_time")]
    pub sort_column: TableColumn,
    pub sort_descending: bool,
    /// Which file dialogs to show.
    pub file_dialogs: FileDialogs,
    /// Folders files were opened from or saved to, most recent first.
    pub recent_folders: Vec<PathBuf>,
    /// GeoIP databases (`.mmdb`) placing the addresses of every case opened.
    pub geoip_databases: Vec<PathBuf>,
    /// Files opened from the desktop while a case is open: asked, added or
    /// a new window.
    pub second_launch: SecondLaunch,
    /// The folder last saved into that held no evidence: where save
    /// dialogs open when the case file's folder is evidence.
    pub output_folder: Option<PathBuf>,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: STATE_VERSION,
            recent: Vec::new(),
            zone: "UTC".to_string(),
            // Shown from the column menu: most traces hold audit records only.
            hidden_columns: vec![TableColumn::Log],
            presets: Vec::new(),
            show_details: true,
            show_filters: true,
            sort_column: TableColumn::Time,
            sort_descending: false,
            file_dialogs: FileDialogs::Automatic,
            recent_folders: Vec::new(),
            geoip_databases: Vec::new(),
            second_launch: SecondLaunch::Ask,
            output_folder: None,
        }
    }
}

/// Saved column ids (or the labels older settings saved), unknown ones left out.
fn known_columns<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<TableColumn>, D::Error> {
    let saved = Vec::<String>::deserialize(d)?;
    Ok(saved
        .iter()
        .filter_map(|s| TableColumn::from_saved(s))
        .collect())
}

fn known_column_or_time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<TableColumn, D::Error> {
    Ok(TableColumn::from_saved(&String::deserialize(d)?).unwrap_or(TableColumn::Time))
}

impl State {
    /// Reads a saved state. `Err` carries the defaults and what was wrong.
    pub fn restore(saved: Option<&str>) -> (State, Option<String>) {
        let Some(text) = saved else {
            return (State::default(), None);
        };
        match serde_json::from_str::<State>(text) {
            Ok(state) if state.version > STATE_VERSION => (
                State::default(),
                Some(format!(
                    "The saved settings come from a newer auditview (version {}); defaults are used.",
                    state.version
                )),
            ),
            Ok(state) => (state, None),
            Err(err) => (
                State::default(),
                Some(format!(
                    "The saved settings could not be read ({err}); defaults are used."
                )),
            ),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Puts `paths` first in the recent list, without duplicates.
    pub fn remember(&mut self, paths: &[PathBuf]) {
        for path in paths.iter().rev() {
            self.recent.retain(|p| p != path);
            self.recent.insert(0, path.clone());
        }
        self.recent.truncate(RECENT_MAX);
    }

    /// Puts `folder` first among the recent folders, without duplicates.
    pub fn remember_folder(&mut self, folder: &std::path::Path) {
        self.recent_folders.retain(|p| p != folder);
        self.recent_folders.insert(0, folder.to_path_buf());
        self.recent_folders.truncate(RECENT_FOLDERS_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_survives_bad_or_partial_input() {
        let mut state = State::default();
        state.remember(&[PathBuf::from("/a"), PathBuf::from("/b")]);
        state.remember(&[PathBuf::from("/b")]);
        assert_eq!(state.recent, [PathBuf::from("/b"), PathBuf::from("/a")]);
        state.presets.push(Preset {
            name: "bob".into(),
            filter: Filter {
                users: vec!["bob".into()],
                ..Filter::default()
            },
        });
        let (back, warning) = State::restore(Some(&state.to_json()));
        assert_eq!(back, state);
        assert!(warning.is_none());

        let (partial, warning) = State::restore(Some(r#"{"zone":"Europe/Paris"}"#));
        assert_eq!(partial.zone, "Europe/Paris");
        assert!(partial.show_details);
        assert!(warning.is_none());

        for bad in ["{not json", r#"{"recent": 3}"#, r#"{"version": 99}"#] {
            let (state, warning) = State::restore(Some(bad));
            assert_eq!(state, State::default(), "{bad}");
            assert!(warning.is_some(), "{bad}");
        }
        assert_eq!(State::restore(None), (State::default(), None));
    }

    #[test]
    fn columns_are_saved_by_id_and_older_label_settings_still_read() {
        let state = State {
            hidden_columns: vec![TableColumn::NodePath, TableColumn::ObjectName],
            sort_column: TableColumn::Ip,
            ..State::default()
        };
        let json = state.to_json();
        assert!(
            json.contains(r#""hidden_columns":["node_path","object_name"]"#),
            "{json}"
        );
        assert!(json.contains(r#""sort_column":"ip""#), "{json}");
        assert_eq!(State::restore(Some(&json)).0, state);
        // As settings saved them before: labels, and one column since gone.
        let (old, warning) = State::restore(Some(
            r#"{"version":1,"hidden_columns":["Node Path","User Agent"],"sort_column":"IP"}"#,
        ));
        assert!(warning.is_none());
        assert_eq!(old.hidden_columns, [TableColumn::NodePath]);
        assert_eq!(old.sort_column, TableColumn::Ip);
    }
}
