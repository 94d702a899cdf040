//! Marks on nodes and resources (a star, tags, a note), kept by
//! `NodeRow::mark_key`: a resource by its id, a node by its path.

use rusqlite::params;

use super::{CaseError, CaseFile, Mark, log, sqlite_err};
use crate::model::annotations::Annotation;

impl CaseFile {
    /// Applies `mark` to a node or resource (`node`: `NodeRow::mark_key`),
    /// and logs it, in one transaction.
    pub fn mark_node(&mut self, node: &str, mark: &Mark) -> Result<(), CaseError> {
        let path = self.path.clone();
        let err = |e| sqlite_err(&path, e);
        let tx = self.db.transaction().map_err(err)?;
        tx.execute(
            "INSERT OR IGNORE INTO node_annotation(node) VALUES (?1)",
            params![node],
        )
        .map_err(err)?;
        let what = match mark {
            Mark::Star(on) => {
                tx.execute(
                    "UPDATE node_annotation SET starred = ?2 WHERE node = ?1",
                    params![node, *on],
                )
                .map_err(err)?;
                if *on {
                    "star node".to_string()
                } else {
                    "unstar node".to_string()
                }
            }
            Mark::Note(text) => {
                tx.execute(
                    "UPDATE node_annotation SET note = ?2 WHERE node = ?1",
                    params![node, text],
                )
                .map_err(err)?;
                format!("note node: {text}")
            }
            Mark::Tag { tag, add: true } => {
                tx.execute(
                    "INSERT OR IGNORE INTO node_annotation_tag(node, tag) VALUES (?1, ?2)",
                    params![node, tag],
                )
                .map_err(err)?;
                format!("tag node {tag}")
            }
            Mark::Tag { tag, add: false } => {
                tx.execute(
                    "DELETE FROM node_annotation_tag WHERE node = ?1 AND tag = ?2",
                    params![node, tag],
                )
                .map_err(err)?;
                format!("untag node {tag}")
            }
        };
        tx.execute(
            "DELETE FROM node_annotation WHERE starred = 0 AND note = '' AND NOT EXISTS (
                 SELECT 1 FROM node_annotation_tag t WHERE t.node = node_annotation.node)",
            [],
        )
        .map_err(err)?;
        log::append(&tx, &what, node).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The marks on nodes and resources, by key.
    pub fn node_annotations(
        &self,
    ) -> Result<std::collections::BTreeMap<String, Annotation>, CaseError> {
        let err = |e| self.sqlite(e);
        let mut marks = std::collections::BTreeMap::new();
        let rows: Vec<(String, bool, String)> = self
            .db
            .prepare("SELECT node, starred, note FROM node_annotation")
            .map_err(err)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        for (node, starred, note) in rows {
            marks.insert(
                node,
                Annotation {
                    starred,
                    tags: Vec::new(),
                    note,
                },
            );
        }
        let tags: Vec<(String, String)> = self
            .db
            .prepare("SELECT node, tag FROM node_annotation_tag ORDER BY tag")
            .map_err(err)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        for (node, tag) in tags {
            marks
                .entry(node)
                .or_insert_with(Annotation::default)
                .tags
                .push(tag);
        }
        Ok(marks)
    }
}
