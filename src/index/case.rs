//! A case: the loaded `Store` with what is computed once from it, the node
//! tree and the visibility evidence (`CaseIndex`) and the repeated rows. Each
//! is built on first use and kept; figures that depend on the filter are
//! computed per view (`analysis::nodes`, `analysis::requests`).

use std::sync::{Arc, Mutex, OnceLock, RwLock};

use super::findings::{Findings, FindingsConfig};
use super::people::People;
use super::repeats::repeated_rows;
use super::tree::NodeTree;
use super::visibility::Visibility;
use crate::geo::Places;
use crate::model::annotations::RowAnnotations;
use crate::model::{Store, TextField};

/// The node tree and who could see what.
#[derive(Debug, Clone, Default)]
pub struct CaseIndex {
    pub tree: NodeTree,
    pub visibility: Visibility,
    /// Every principal the evidence names, with how many pieces of evidence
    /// name them: the values of the Visible-by filter list.
    pub principals: Vec<(String, u64)>,
    /// The first row naming each resource (by symbol of the resource
    /// column; `u32::MAX` for none): where its label is read.
    pub resource_first_rows: Vec<u32>,
}

impl CaseIndex {
    pub fn build(store: &Store) -> CaseIndex {
        let tree = super::timed("case index, node tree", || NodeTree::build(store));
        let visibility = Visibility::build(store, &tree);
        let principals = super::timed("case index, principals", || visibility.principals(store));
        let mut resource_first_rows = Vec::new();
        if let Some(ids) = store.events.interned(TextField::Resource) {
            resource_first_rows = vec![u32::MAX; ids.values.len()];
            for (row, &symbol) in ids.rows.iter().enumerate().rev() {
                resource_first_rows[symbol as usize] = row as u32;
            }
        }
        CaseIndex {
            tree,
            visibility,
            principals,
            resource_first_rows,
        }
    }
}

/// A loaded case and its indexes. The store is never changed once the case
/// exists, so what is built from it stays true.
#[derive(Debug, Default)]
pub struct Case {
    pub store: Store,
    index: OnceLock<CaseIndex>,
    repeats: OnceLock<Vec<bool>>,
    /// The marks of the case file, on this store's rows (none without
    /// one); replaced whole when the investigator marks an event.
    annotations: RwLock<Arc<RowAnnotations>>,
    /// Where each address is, from the GeoIP databases in use (none: only
    /// the special-purpose ranges); replaced whole when they change.
    places: RwLock<Arc<Places>>,
    /// Who is one person (the investigator's decisions on the evidence's
    /// proposals); replaced whole when a decision changes.
    people: RwLock<Arc<People>>,
    /// The detectors' thresholds and rules; replaced whole when they change.
    findings_config: RwLock<Arc<FindingsConfig>>,
    /// The findings, computed on first use and again after the places, the
    /// persons or the configuration change.
    findings: Mutex<Option<Arc<Findings>>>,
}

impl Case {
    pub fn new(store: Store) -> Case {
        Case {
            store,
            index: OnceLock::new(),
            repeats: OnceLock::new(),
            annotations: RwLock::default(),
            places: RwLock::default(),
            people: RwLock::default(),
            findings_config: RwLock::default(),
            findings: Mutex::default(),
        }
    }

    /// The findings of the case as it is now (computed on first use).
    pub fn findings(&self) -> Arc<Findings> {
        let mut cached = self.findings.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(findings) = &*cached {
            return Arc::clone(findings);
        }
        let findings = Arc::new(Findings::build(self, &self.findings_config()));
        *cached = Some(Arc::clone(&findings));
        findings
    }

    /// Whether the findings are computed already.
    pub fn has_findings(&self) -> bool {
        self.findings.lock().is_ok_and(|f| f.is_some())
    }

    pub fn findings_config(&self) -> Arc<FindingsConfig> {
        self.findings_config
            .read()
            .map(|c| Arc::clone(&c))
            .unwrap_or_default()
    }

    pub fn set_findings_config(&self, config: FindingsConfig) {
        if let Ok(mut current) = self.findings_config.write() {
            *current = Arc::new(config);
        }
        self.forget_findings();
    }

    fn forget_findings(&self) {
        if let Ok(mut cached) = self.findings.lock() {
            *cached = None;
        }
    }

    /// The persons as they are now.
    pub fn people(&self) -> Arc<People> {
        self.people
            .read()
            .map(|p| Arc::clone(&p))
            .unwrap_or_default()
    }

    pub fn set_people(&self, people: People) {
        if let Ok(mut current) = self.people.write() {
            *current = Arc::new(people);
        }
        self.forget_findings();
    }

    /// With its addresses placed (`Places::build` on this store).
    pub fn with_places(self, places: Places) -> Case {
        self.set_places(places);
        self
    }

    /// The places as they are now.
    pub fn places(&self) -> Arc<Places> {
        self.places
            .read()
            .map(|p| Arc::clone(&p))
            .unwrap_or_default()
    }

    pub fn set_places(&self, places: Places) {
        if let Ok(mut current) = self.places.write() {
            *current = Arc::new(places);
        }
        self.forget_findings();
    }

    /// With the marks of a case file, resolved to this store's rows.
    pub fn with_annotations(self, annotations: RowAnnotations) -> Case {
        self.set_annotations(annotations);
        self
    }

    /// The marks as they are now.
    pub fn annotations(&self) -> Arc<RowAnnotations> {
        self.annotations
            .read()
            .map(|a| Arc::clone(&a))
            .unwrap_or_default()
    }

    pub fn set_annotations(&self, annotations: RowAnnotations) {
        if let Ok(mut current) = self.annotations.write() {
            *current = Arc::new(annotations);
        }
    }

    /// The node tree and who could see what, built once per case on first
    /// use: the Nodes view, `auditview nodes` and the Visible-by filter share it.
    pub fn index(&self) -> &CaseIndex {
        self.index.get_or_init(|| CaseIndex::build(&self.store))
    }

    /// Whether the index is built already (the window builds it in the background).
    pub fn is_indexed(&self) -> bool {
        self.index.get().is_some()
    }

    /// For each row, whether it repeats an event read from another source
    /// (see `repeats`); found once, on first use.
    pub fn repeats(&self) -> &[bool] {
        self.repeats.get_or_init(|| repeated_rows(&self.store))
    }
}

impl From<Store> for Case {
    fn from(store: Store) -> Case {
        Case::new(store)
    }
}
