//! What single records cannot say but the whole case can: resource labels,
//! owners learned from creation events and reports, and DNAnexus folders
//! learned from `*-new` / `*Folder` inputs. Only empty fields are filled, so
//! re-imported exports keep what they say. Work is done per distinct value
//! where possible; per-row work is table look-ups.

use rustc_hash::FxHashMap;

use crate::model::{Format, Interner, NodeType, Outcome, Store, Symbol, System, TextField};

pub fn enrich(store: &mut Store) {
    let timing = std::env::var_os("AUDITVIEW_TIMING").is_some();
    let started = std::time::Instant::now();
    let phase = |name: &str| {
        if timing {
            eprintln!(
                "[timing]   {name}: {:.3} s",
                started.elapsed().as_secs_f64()
            );
        }
    };
    dnanexus_folders(store);
    phase("folders");
    resource_names(store);
    phase("resource names");
    owners(store);
    phase("owners");
}

/// Rows read from a DNAnexus audit trail (not re-imported from an export).
fn dnanexus_rows(store: &Store) -> Vec<bool> {
    let from_dnanexus: Vec<bool> = store
        .sources
        .iter()
        .map(|s| s.format == Format::DnanexusAuditCsv)
        .collect();
    let events = &store.events;
    (0..events.len())
        .map(|row| {
            events.system[row] == System::Dnanexus
                && from_dnanexus
                    .get(events.source[row] as usize)
                    .copied()
                    .unwrap_or(false)
        })
        .collect()
}

/// The top-level `folder` of a DNAnexus Info object, read without building a tree.
fn info_folder(details: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Info<'a> {
        #[serde(borrow)]
        folder: Option<std::borrow::Cow<'a, str>>,
    }
    if !details.contains("\"folder\"") {
        return None;
    }
    let info: Info<'_> = serde_json::from_str(details).ok()?;
    info.folder.map(|f| f.into_owned())
}

fn join_path(project: &str, folder: &str, name: &str) -> String {
    let folder = folder.trim_matches('/');
    let mut path = project.to_string();
    for part in [folder, name] {
        if !part.is_empty() {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
        }
    }
    path
}

/// Per distinct action: (creates an object, acts on a folder).
fn action_kinds(store: &Store) -> Vec<(bool, bool)> {
    store
        .events
        .interned(TextField::Action)
        .map(|c| {
            c.values
                .values()
                .map(|a| (a.ends_with("-new"), a.ends_with("Folder")))
                .collect()
        })
        .unwrap_or_default()
}

fn dnanexus_folders(store: &mut Store) {
    let events = &store.events;
    let (Some(actions), Some(objects)) = (
        events.interned(TextField::Action),
        events.interned(TextField::ObjectId),
    ) else {
        return;
    };
    let kinds = action_kinds(store);
    let dnanexus = dnanexus_rows(store);
    // Reading the Info objects is most of the work: on every core, in row order.
    let found: Vec<(usize, bool, String)> = {
        use rayon::prelude::*;
        (0..events.len())
            .into_par_iter()
            .filter_map(|row| {
                let (creates, on_folder) = kinds[actions.rows[row] as usize];
                if !(creates || on_folder) || !dnanexus[row] {
                    return None;
                }
                info_folder(events.text(TextField::Details, row)).map(|f| (row, creates, f))
            })
            .collect()
    };
    // By object symbol: a table look-up per row, not a hash.
    let mut folder_of_object: Vec<Option<String>> = vec![None; objects.values.len()];
    let mut any_object = false;
    let mut folder_rows: Vec<(usize, String)> = Vec::new();
    for (row, creates, folder) in found {
        if creates {
            let object = objects.rows[row];
            if object != Interner::EMPTY {
                let slot = &mut folder_of_object[object as usize];
                if slot.is_none() {
                    *slot = Some(folder);
                    any_object = true;
                }
            }
        } else {
            folder_rows.push((row, folder));
        }
    }
    if !any_object && folder_rows.is_empty() {
        return;
    }
    // New paths are computed once per distinct (object, project), then
    // interned once; rows only receive symbols.
    let mut distinct: Vec<String> = Vec::new();
    let mut assigned: Vec<(usize, usize)> = Vec::new();
    let mut folder_rows_done = Vec::with_capacity(folder_rows.len());
    for (row, folder) in folder_rows {
        distinct.push(join_path(
            events.text(TextField::ResourceName, row),
            &folder,
            "",
        ));
        assigned.push((row, distinct.len() - 1));
        folder_rows_done.push(row);
    }
    let projects = events.interned(TextField::ResourceName);
    let project_of = |row: usize| projects.map_or(Interner::EMPTY, |c| c.rows[row]);
    // The rows that get a path: found on every core, in row order.
    let wanted: Vec<usize> = {
        use rayon::prelude::*;
        (0..events.len())
            .into_par_iter()
            .filter(|&row| {
                dnanexus[row]
                    && events.node_type[row] != NodeType::Folder
                    && folder_of_object[objects.rows[row] as usize].is_some()
            })
            .collect()
    };
    // An object nearly always stays in one project: its path is remembered
    // by object symbol (a table look-up); other projects go to a map. Each
    // new path remembers a row that names it.
    let first_new = distinct.len();
    let mut named_by: Vec<usize> = Vec::new();
    let mut by_object: Vec<Option<(Symbol, usize)>> = vec![None; objects.values.len()];
    let mut elsewhere: FxHashMap<(Symbol, Symbol), usize> = FxHashMap::default();
    for row in wanted {
        let object = objects.rows[row];
        let project = project_of(row);
        let mut new_path = || {
            named_by.push(row);
            first_new + named_by.len() - 1
        };
        let index = match by_object[object as usize] {
            Some((known, index)) if known == project => index,
            Some(_) => *elsewhere.entry((object, project)).or_insert_with(new_path),
            None => {
                let index = new_path();
                by_object[object as usize] = Some((project, index));
                index
            }
        };
        assigned.push((row, index));
    }
    // The paths themselves, on every core.
    {
        use rayon::prelude::*;
        let paths: Vec<String> = named_by
            .par_iter()
            .map(|&row| {
                let folder = folder_of_object[objects.rows[row] as usize]
                    .as_deref()
                    .unwrap_or("");
                join_path(
                    events.text(TextField::ResourceName, row),
                    folder,
                    events.text(TextField::ObjectName, row),
                )
            })
            .collect();
        distinct.extend(paths);
    }
    for row in folder_rows_done {
        store.events.node_type[row] = NodeType::Folder;
    }
    let Some(paths) = store.events.interned_mut(TextField::NodePath) else {
        return;
    };
    let symbols: Vec<Symbol> = distinct.iter().map(|p| paths.values.intern(p)).collect();
    for (row, index) in assigned {
        paths.rows[row] = symbols[index];
    }
}

/// Labels of resources, by id, from events that name them and from the
/// shared-resources report.
fn resource_names(store: &mut Store) {
    let events = &mut store.events;
    let (Some(resource), Some(names)) = (
        events.interned(TextField::Resource),
        events.interned(TextField::ResourceName),
    ) else {
        return;
    };
    let mut label: Vec<Option<String>> = vec![None; resource.values.len()];
    for (r, n) in resource.rows.iter().zip(&names.rows) {
        if *n != Interner::EMPTY && label[*r as usize].is_none() {
            label[*r as usize] = Some(names.values.resolve(*n).to_string());
        }
    }
    for record in &store.directory.shared_resources {
        if let Some(id) = resource.values.lookup(&record.workspace_id)
            && label[id as usize].is_none()
            && !record.label.is_empty()
        {
            label[id as usize] = Some(record.label.clone());
        }
    }
    let resource_rows = resource.rows.clone();
    let Some(names) = events.interned_mut(TextField::ResourceName) else {
        return;
    };
    let symbols: Vec<Symbol> = label
        .iter()
        .map(|l| {
            l.as_deref()
                .map_or(Interner::EMPTY, |l| names.values.intern(l))
        })
        .collect();
    for (name, r) in names.rows.iter_mut().zip(&resource_rows) {
        if *name == Interner::EMPTY {
            *name = symbols[*r as usize];
        }
    }
}

/// Owners: the creator of a resource or object seen in the logs, the owner
/// column of the shared-resources report, and `personal/<login>/` paths.
fn owners(store: &mut Store) {
    let events = &store.events;
    let (Some(actions), Some(objects), Some(resources), Some(paths)) = (
        events.interned(TextField::Action),
        events.interned(TextField::ObjectId),
        events.interned(TextField::Resource),
        events.interned(TextField::NodePath),
    ) else {
        return;
    };
    let creates_resource: Vec<bool> = actions
        .values
        .values()
        .map(|a| {
            matches!(
                a,
                "Created cell" | "Created share link" | "Created workspace" | "project-new"
            )
        })
        .collect();
    let kinds = action_kinds(store);
    let mut by_resource: FxHashMap<String, String> = FxHashMap::default();
    // The creator of each object, by object symbol (an actor symbol).
    let mut by_object: Vec<Symbol> = vec![Interner::EMPTY; objects.values.len()];
    let actor_rows = events.interned(TextField::Actor).map(|c| &c.rows);
    for row in 0..events.len() {
        let action = actions.rows[row] as usize;
        let (creates, _) = kinds[action];
        if !(creates || creates_resource[action]) || events.outcome[row] == Outcome::Failure {
            continue;
        }
        let actor = events.text(TextField::Actor, row);
        if actor.is_empty() {
            continue;
        }
        if creates_resource[action] {
            let id = if events.text(TextField::Action, row) == "project-new" {
                objects.get(row)
            } else {
                resources.get(row)
            };
            if !id.is_empty() {
                by_resource
                    .entry(id.to_string())
                    .or_insert_with(|| actor.to_string());
            }
        } else if objects.rows[row] != Interner::EMPTY {
            let slot = &mut by_object[objects.rows[row] as usize];
            if *slot == Interner::EMPTY {
                *slot = actor_rows.map_or(Interner::EMPTY, |a| a[row]);
            }
        }
    }
    let mut by_path: FxHashMap<&str, &str> = FxHashMap::default();
    for record in &store.directory.shared_resources {
        if record.owner.is_empty() {
            continue;
        }
        if !record.workspace_id.is_empty() {
            by_resource
                .entry(record.workspace_id.clone())
                .or_insert_with(|| record.owner.clone());
        }
        by_path.entry(&record.node_path).or_insert(&record.owner);
    }

    // Owner candidates per distinct path, object and resource, as indexes
    // into `names`; each name is interned once.
    let mut names: Vec<String> = Vec::new();
    let mut name_index: FxHashMap<String, u32> = FxHashMap::default();
    let mut index_of = |name: &str| -> u32 {
        if let Some(&i) = name_index.get(name) {
            return i;
        }
        names.push(name.to_string());
        name_index.insert(name.to_string(), names.len() as u32 - 1);
        names.len() as u32 - 1
    };
    const NONE: u32 = u32::MAX;
    let path_owner: Vec<u32> = paths
        .values
        .values()
        .map(|path| match personal_owner(path) {
            Some(login) => index_of(&login),
            None => by_path.get(path).map_or(NONE, |o| index_of(o)),
        })
        .collect();
    let resource_owner: Vec<u32> = resources
        .values
        .values()
        .map(|id| by_resource.get(id).map_or(NONE, |o| index_of(o)))
        .collect();
    let actor_names = events.interned(TextField::Actor).map(|c| &c.values);
    let object_owner: Vec<u32> = objects
        .values
        .values()
        .enumerate()
        .map(|(symbol, id)| {
            let creator = by_object[symbol];
            if creator != Interner::EMPTY
                && let Some(names) = actor_names
            {
                return index_of(names.resolve(creator));
            }
            by_resource.get(id).map_or(NONE, |o| index_of(o))
        })
        .collect();
    let owners = events.interned(TextField::Owner);
    // Per row, table look-ups only: on every core.
    use rayon::prelude::*;
    let chosen: Vec<(usize, u32)> = (0..events.len())
        .into_par_iter()
        .filter(|&row| owners.is_none_or(|o| o.rows[row] == Interner::EMPTY))
        .filter_map(|row| {
            [
                path_owner[paths.rows[row] as usize],
                object_owner[objects.rows[row] as usize],
                resource_owner[resources.rows[row] as usize],
            ]
            .into_iter()
            .find(|&i| i != NONE)
            .map(|i| (row, i))
        })
        .collect();
    let Some(owners) = store.events.interned_mut(TextField::Owner) else {
        return;
    };
    let symbols: Vec<Symbol> = names.iter().map(|n| owners.values.intern(n)).collect();
    for (row, index) in chosen {
        owners.rows[row] = symbols[index as usize];
    }
}

/// `<datasource>/personal/<login>/...` or `personal/<login>/...`.
fn personal_owner(path: &str) -> Option<String> {
    let mut parts = path.split('/');
    let first = parts.next()?;
    // `personal` is the first or the second segment; the login follows it.
    if first != "personal" && parts.next()? != "personal" {
        return None;
    }
    let login = parts.next()?;
    (!login.is_empty()).then(|| login.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, EventDraft, EventTable};

    /// DNAnexus events: (actor, action, object id, object name, project, info).
    fn dnanexus_store(rows: &[(&str, &str, &str, &str, &str, &str)]) -> Store {
        let mut table = EventTable::new();
        for (i, &(actor, action, object, name, project, info)) in rows.iter().enumerate() {
            let mut draft = EventDraft::new(System::Dnanexus, i as i64 * 1000, i as u64 + 2);
            draft.category = if action.ends_with("-new") {
                Category::Create
            } else {
                Category::Download
            };
            draft.outcome = Outcome::Success;
            draft.set(TextField::Actor, actor);
            draft.set(TextField::Action, action);
            draft.set(TextField::ObjectId, object);
            draft.set(TextField::ObjectName, name);
            draft.set(TextField::ResourceName, project);
            draft.set(TextField::NodePath, format!("{project}/{name}"));
            draft.set(TextField::Details, info);
            table.push(&draft, 0);
        }
        Store::of_events("audit.csv", Format::DnanexusAuditCsv, table)
    }

    #[test]
    fn the_first_creation_names_folder_and_owner_and_other_projects_get_their_own_path() {
        let mut store = dnanexus_store(&[
            (
                "user-a",
                "file-new",
                "file-X",
                "r1.fq",
                "P1",
                r#"{"folder":"/raw"}"#,
            ),
            (
                "user-b",
                "file-new",
                "file-X",
                "r1.fq",
                "P1",
                r#"{"folder":"/other"}"#,
            ),
            ("user-c", "file-download", "file-X", "r1.fq", "P1", "{}"),
            ("user-c", "file-download", "file-X", "r1.fq", "P2", "{}"),
        ]);
        enrich(&mut store);
        let path = |row| store.events.text(TextField::NodePath, row).to_string();
        let owner = |row| store.events.text(TextField::Owner, row).to_string();
        // The first file-new wins: its folder and its actor.
        assert_eq!(path(0), "P1/raw/r1.fq");
        assert_eq!(path(2), "P1/raw/r1.fq");
        assert_eq!(owner(2), "user-a");
        // The same object seen in another project keeps that project.
        assert_eq!(path(3), "P2/raw/r1.fq");
    }

    #[test]
    fn personal_paths_name_their_owner() {
        assert_eq!(personal_owner("personal/bob/x.pdf").as_deref(), Some("bob"));
        assert_eq!(
            personal_owner("pydiods1/personal/bob/x").as_deref(),
            Some("bob")
        );
        assert_eq!(personal_owner("pydiods1/common/x"), None);
        assert_eq!(
            join_path("Proj", "/raw/2024/", "a.fq"),
            "Proj/raw/2024/a.fq"
        );
        assert_eq!(join_path("Proj", "/", ""), "Proj");
    }
}
