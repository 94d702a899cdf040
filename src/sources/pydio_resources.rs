//! Pydio Cells "Export Audits Report": one row per workspace, cell or link of
//! a shared node (formats.md 1.7), as CSV or as the flow's default XLSX.

use super::Parsed;
use super::csv_rows::{Header, Row, parse_rows};
use super::input::Splitter;
use crate::model::RejectKind;
use crate::model::{RecordOrigin, ResourceKind, SharedResource};

const NAMES: [&str; 7] = [
    "file/folder",
    "resource type",
    "label",
    "owner",
    "readable by",
    "writeable by",
    "workspace id",
];

pub struct Importer {
    columns: [usize; 7],
    header: Header,
    /// Rows already read from a workbook, with their 1-based row numbers.
    workbook_rows: Option<Vec<(u64, Vec<String>)>>,
}

impl Importer {
    pub fn new(header: &Header) -> Result<Importer, String> {
        let mut columns = [0; 7];
        for (slot, name) in columns.iter_mut().zip(NAMES) {
            *slot = header.require(name, "a Pydio shared-resources report")?;
        }
        Ok(Importer {
            columns,
            header: Header::from_names(header.names()),
            workbook_rows: None,
        })
    }

    /// Reads the first sheet of an XLSX report (within the bounds of
    /// `workbook`).
    pub fn from_workbook(bytes: &[u8]) -> Result<Importer, String> {
        let mut rows = super::workbook::first_sheet_rows(bytes)?.into_iter();
        let (_, names) = rows.next().ok_or("an empty workbook")?;
        let header = Header::from_names(&names);
        if !(header.has("file/folder") && header.has("resource type")) {
            let shown = names.join(",");
            return Err(format!(
                "a workbook, but not a Pydio shared-resources report (first row: {})",
                super::timestamp::shorten(&shown, 80)
            ));
        }
        let mut importer = Importer::new(&header)?;
        importer.workbook_rows = Some(rows.collect());
        Ok(importer)
    }

    fn record(&self, line: u64, field: impl Fn(usize) -> String) -> Result<SharedResource, String> {
        let get = |i: usize| field(self.columns[i]).trim().to_string();
        let kind_text = get(1);
        let kind = match kind_text.to_ascii_uppercase().as_str() {
            "ADMIN" | "WORKSPACE" => ResourceKind::Workspace,
            "ROOM" | "CELL" => ResourceKind::Cell,
            "LINK" => ResourceKind::PublicLink,
            _ => {
                return Err(format!(
                    "resource type '{kind_text}' is not ADMIN, ROOM or LINK"
                ));
            }
        };
        let count = |i: usize, name: &str| -> Result<Option<u64>, String> {
            let text = get(i);
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<f64>()
                .ok()
                .filter(|v| *v >= 0.0 && v.fract() == 0.0)
                .map(|v| Some(v as u64))
                .ok_or_else(|| format!("'{name}' value '{text}' is not a count"))
        };
        Ok(SharedResource {
            node_path: get(0),
            kind,
            label: get(2),
            owner: get(3),
            readable_by: count(4, "Readable by")?,
            writable_by: count(5, "Writeable by")?,
            workspace_id: get(6),
            origin: RecordOrigin { source: 0, line },
        })
    }

    fn push(
        &self,
        out: &mut Parsed,
        line: u64,
        raw: &[u8],
        result: Result<SharedResource, String>,
    ) {
        out.rows += 1;
        match result {
            Ok(record) => out.directory.shared_resources.push(record),
            Err(reason) => out.reject(line, RejectKind::Invalid, reason, raw),
        }
    }
}

impl super::Importer for Importer {
    fn splitter(&self) -> Splitter {
        Splitter::Whole
    }

    fn parse(&self, chunk: &[u8], first: bool, out: &mut Parsed) {
        if let Some(rows) = &self.workbook_rows {
            for (line, cells) in rows {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let raw = cells.join(",");
                let result = self.record(*line, |i| cells.get(i).cloned().unwrap_or_default());
                self.push(out, *line, raw.as_bytes(), result);
            }
            return;
        }
        let is_header = |row: &Row<'_>| self.header.is_repeated_in(row);
        parse_rows(
            chunk,
            first,
            self.header.len(),
            is_header,
            out,
            |row, out| {
                let record = self.record(row.line, |i| row.field(i).into_owned())?;
                out.directory.shared_resources.push(record);
                Ok(())
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_rejects_unknown_resource_types() {
        let text = "File/Folder,Resource Type,Label,Owner,Readable by,Writeable by,Workspace ID\npydiods1/a,LINK,\"Évidence, photos\",alice,1,0,w1\npydiods1/b,SPACE,x,bob,1,0,w2\n";
        let (_, importer) = super::super::detect::sniff(text.as_bytes()).unwrap();
        let mut out = Parsed::default();
        importer.parse(text.as_bytes(), true, &mut out);
        assert_eq!(out.rows, 2);
        let record = &out.directory.shared_resources[0];
        assert_eq!(record.kind, ResourceKind::PublicLink);
        assert_eq!(record.label, "Évidence, photos");
        assert_eq!(record.readable_by, Some(1));
        assert_eq!(record.origin.line, 2);
        assert_eq!(out.rejects[0].line, 3);
        assert_eq!(
            out.rejects[0].reason,
            "resource type 'SPACE' is not ADMIN, ROOM or LINK"
        );
    }
}
