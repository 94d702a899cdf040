//! The vocabulary the panels and the app share: what a panel asks for
//! (`Command`) and the small types commands carry. Panels, views and widgets
//! import these, never the app; the app applies them (`AuditApp::apply`).

use std::path::PathBuf;

use crate::analysis::order::SortKey;
use crate::analysis::reports::Report;
use crate::model::TextField;
use crate::model::annotations::Mark;
use crate::query::Criterion;
use crate::time::{UtcMs, Zone};
use crate::ui::state::{FileDialogs, SecondLaunch};

/// What the panels ask the app to do: dropping one is a compile error.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a command does nothing until the app applies it"]
pub enum Command {
    OpenFilesDialog,
    OpenFolderDialog,
    /// Save the filter as a `--filter-file` JSON / open one.
    SaveFilterDialog,
    OpenFilterDialog,
    /// Copy an `auditview export` command line giving the same rows.
    CopyCommandLine,
    SetFileDialogs(FileDialogs),
    /// Files a second launch handed to this window (`desktop::instance`).
    Arrived(Vec<PathBuf>),
    /// Files asked for are open here already: come to the front.
    Raise(Vec<PathBuf>),
    /// Open these files in a window of their own (a new process).
    OpenInNewWindow(Vec<PathBuf>),
    /// The answer to the question of files handed over, remembered.
    SetSecondLaunch(SecondLaunch),
    /// The question of files handed over, closed unanswered.
    DismissArrival,
    NewCaseDialog,
    OpenCaseDialog,
    /// Ask where to write the case report, then write it.
    CaseReportDialog,
    /// Ask for a folder holding the case's moved evidence, then reload.
    RelocateEvidenceDialog,
    /// Open this case file: load its evidence and show its marks.
    OpenCase(PathBuf),
    /// Accept (or reject) that two identifiers are one person.
    DecideLink {
        a: String,
        b: String,
        accept: bool,
    },
    /// Accept every proposal not rejected.
    AcceptAllProposals,
    /// Choose a GeoIP database to place addresses with / stop using one.
    AddGeoipDatabase,
    RemoveGeoipDatabase(PathBuf),
    /// Star every event proving a finding (by id).
    StarFinding(String),
    /// Mark a finding reviewed (or not) in the case file.
    ReviewFinding {
        id: String,
        reviewed: bool,
    },
    /// The answer to "Save among the evidence?": save there (true) or
    /// choose another place (false).
    ConfirmWrite(bool),
    /// The question closed unanswered: nothing is saved.
    CancelWrite,
    /// Change the marks of the selected event (saved in the case file at once).
    MarkSelected(Mark),
    /// Change the marks of one event: its row in the open case and its key
    /// (a note saved after the selection moved on still goes to its event).
    MarkEvent {
        row: u32,
        key: crate::model::annotations::EventKey,
        mark: Mark,
    },
    /// Save the filter, tab, zone and sort as a named view of the case.
    /// Change the marks of a node or resource (`NodeRow::mark_key`).
    MarkNode {
        key: String,
        mark: Mark,
    },
    SaveCaseView(String),
    LoadCaseView(String),
    SetCaseSummary(String),
    /// A new case from these paths.
    OpenPaths(Vec<PathBuf>),
    /// Add these paths to the case (reloads the union).
    AddPaths(Vec<PathBuf>),
    OpenSample,
    CancelLoad,
    CloseCase,
    FilterEdited,
    QuickRange(QuickRange),
    SetDates(Option<UtcMs>, Option<UtcMs>),
    ClearCriterion(Criterion),
    ClearAll,
    SavePreset(String),
    LoadPreset(usize),
    DeletePreset(usize),
    /// An index into the current selection.
    Select(Option<usize>),
    Pivot(Pivot),
    SetZone(Zone),
    Export,
    ToggleColumn(TableColumn),
    /// Scroll the table so the selected event shows, on the next frame.
    RevealSelected,
    /// Sort by this column; the sorted column again reverses the order.
    SortBy(TableColumn),
    ShowSources(bool),
    /// Show or hide the filter panel / the details pane.
    ShowFilters(bool),
    ShowDetails(bool),
    DismissNotices,
    /// Put `text` on the clipboard; `what` names it for the status bar.
    CopyText {
        text: String,
        what: String,
    },
    SetTab(Tab),
    /// An index into the Nodes view's entries.
    SelectNode(Option<usize>),
    /// Show this event (a store row) in the events table.
    RevealEvent(u32),
    ShowReport(Report),
    /// Ask where to write this report, then write it.
    ExportReport(Report),
}

/// Quick date ranges, relative to the last event of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuickRange {
    WholeCase,
    LastDay,
    LastWeek,
}

/// Narrowing the view to what the selected event shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pivot {
    User(String),
    Node(String),
    Request(String),
    /// The events of one resource, by id.
    Resource(String),
    Ip(String),
    /// The events proving one finding (by id).
    Finding(String),
    /// Every identifier of one person (by name).
    Person(String),
    /// Five minutes either side of this instant (UTC ms).
    Around(i64),
}

/// The views of the central panel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Events,
    Nodes,
    Requests,
    Reports,
    People,
    Findings,
}

/// A column of the events table. How a cell is drawn lives with the table
/// (`views::events_table`); here is what names and sorts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableColumn {
    Time,
    /// The case file's marks: starred, tags, a note.
    Marks,
    System,
    Log,
    Actor,
    Ip,
    /// Where the address is, by the GeoIP databases (shown with one).
    Country,
    City,
    Network,
    Action,
    Category,
    Outcome,
    NodePath,
    Resource,
    ObjectName,
    Message,
    Source,
}

impl TableColumn {
    pub const ALL: [TableColumn; 17] = [
        TableColumn::Time,
        TableColumn::Marks,
        TableColumn::System,
        TableColumn::Actor,
        TableColumn::Ip,
        TableColumn::Action,
        // After the action: a small window keeps who, from where, did what.
        TableColumn::Country,
        TableColumn::Category,
        TableColumn::Outcome,
        TableColumn::NodePath,
        TableColumn::Resource,
        TableColumn::ObjectName,
        TableColumn::Message,
        TableColumn::Source,
        // Wide and less often read than the country: after the rest.
        TableColumn::City,
        TableColumn::Network,
        TableColumn::Log,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TableColumn::Time => "Time",
            TableColumn::Marks => "Marks",
            TableColumn::System => "System",
            TableColumn::Log => "Log",
            TableColumn::Actor => "Actor",
            TableColumn::Ip => "IP",
            TableColumn::Country => "Country",
            TableColumn::City => "City",
            TableColumn::Network => "AS",
            TableColumn::Action => "Action",
            TableColumn::Category => "Category",
            TableColumn::Outcome => "Outcome",
            TableColumn::NodePath => "Node Path",
            TableColumn::Resource => "Resource",
            TableColumn::ObjectName => "Object Name",
            TableColumn::Message => "Message",
            TableColumn::Source => "Source",
        }
    }

    /// The stable id saved in the settings (a label may be reworded).
    pub fn id(self) -> &'static str {
        match self {
            TableColumn::Time => "time",
            TableColumn::Marks => "marks",
            TableColumn::System => "system",
            TableColumn::Log => "log",
            TableColumn::Actor => "actor",
            TableColumn::Ip => "ip",
            TableColumn::Country => "country",
            TableColumn::City => "city",
            TableColumn::Network => "asn",
            TableColumn::Action => "action",
            TableColumn::Category => "category",
            TableColumn::Outcome => "outcome",
            TableColumn::NodePath => "node_path",
            TableColumn::Resource => "resource",
            TableColumn::ObjectName => "object_name",
            TableColumn::Message => "message",
            TableColumn::Source => "source",
        }
    }

    /// The column by its id, or by its label (as earlier settings saved it).
    pub fn from_saved(text: &str) -> Option<TableColumn> {
        TableColumn::ALL
            .into_iter()
            .find(|c| c.id() == text || c.name() == text)
    }

    /// What sorting by this column sorts by: what the column shows.
    pub fn sort_key(self) -> SortKey {
        match self {
            // Marks and places are not a sort order (yet): time.
            TableColumn::Time
            | TableColumn::Marks
            | TableColumn::Country
            | TableColumn::City
            | TableColumn::Network => SortKey::Time,
            TableColumn::System => SortKey::System,
            TableColumn::Log => SortKey::Log,
            TableColumn::Actor => SortKey::Text(TextField::Actor),
            TableColumn::Ip => SortKey::Text(TextField::Ip),
            TableColumn::Action => SortKey::Text(TextField::Action),
            TableColumn::Category => SortKey::Category,
            TableColumn::Outcome => SortKey::Outcome,
            TableColumn::NodePath => SortKey::Text(TextField::NodePath),
            TableColumn::Resource => SortKey::ResourceShown,
            TableColumn::ObjectName => SortKey::Text(TextField::ObjectName),
            TableColumn::Message => SortKey::Text(TextField::Message),
            TableColumn::Source => SortKey::Source,
        }
    }
}

impl serde::Serialize for TableColumn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for TableColumn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TableColumn::from_saved(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a table column")))
    }
}
