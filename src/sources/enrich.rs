//! What single records cannot say but the whole case can: resource labels,
//! owners learned from creation events and reports, and DNAnexus folders
//! learned from `*-new` / `*Folder` inputs. Only empty fields are filled, so
//! re-imported exports keep what they say.

use rustc_hash::FxHashMap;

use crate::model::{Format, Interner, Store, Symbol, System, TextField};

pub fn enrich(store: &mut Store) {
    dnanexus_folders(store);
    resource_names(store);
    owners(store);
}

fn is_dnanexus_source(store: &Store, row: usize) -> bool {
    store.events.system[row] == System::Dnanexus
        && store
            .sources
            .get(store.events.source[row] as usize)
            .is_some_and(|s| s.format == Format::DnanexusAuditCsv)
}

/// The `folder` (and `name`) of a DNAnexus Info object.
fn info_folder(details: &str) -> Option<(String, Option<String>)> {
    if !details.contains("\"folder\"") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(details).ok()?;
    let folder = value.get("folder")?.as_str()?.to_string();
    let name = value
        .get("name")
        .and_then(|n| n.as_str())
        .map(str::to_string);
    Some((folder, name))
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

fn dnanexus_folders(store: &mut Store) {
    let rows = store.events.len();
    // Folder of each created object, from `<class>-new` inputs.
    let mut folder_of_object: FxHashMap<Symbol, String> = FxHashMap::default();
    let mut parsed: FxHashMap<Symbol, Option<(String, Option<String>)>> = FxHashMap::default();
    let details = store.events.column(TextField::Details);
    let actions = store.events.column(TextField::Action);
    let mut folder_actions = Vec::new();
    for row in 0..rows {
        if !is_dnanexus_source(store, row) {
            continue;
        }
        let action = actions.get(row);
        let is_new = action.ends_with("-new");
        let is_folder_action = action.ends_with("Folder");
        if !is_new && !is_folder_action {
            continue;
        }
        let symbol = details.rows[row];
        let info = parsed
            .entry(symbol)
            .or_insert_with(|| info_folder(details.values.resolve(symbol)));
        let Some((folder, _)) = info else { continue };
        if is_new {
            let object = store.events.column(TextField::ObjectId).rows[row];
            if object != Interner::EMPTY {
                folder_of_object
                    .entry(object)
                    .or_insert_with(|| folder.clone());
            }
        } else {
            folder_actions.push((row, folder.clone()));
        }
    }
    if folder_of_object.is_empty() && folder_actions.is_empty() {
        return;
    }
    let mut path_cache: FxHashMap<(Symbol, Symbol, Symbol), Symbol> = FxHashMap::default();
    for row in 0..rows {
        let object = store.events.column(TextField::ObjectId).rows[row];
        let Some(folder) = folder_of_object.get(&object) else {
            continue;
        };
        if !is_dnanexus_source(store, row) {
            continue;
        }
        let project = store.events.column(TextField::ResourceName).rows[row];
        let name = store.events.column(TextField::ObjectName).rows[row];
        let symbol = *path_cache
            .entry((object, project, name))
            .or_insert_with(|| {
                let path = join_path(
                    store
                        .events
                        .column(TextField::ResourceName)
                        .values
                        .resolve(project),
                    folder,
                    store
                        .events
                        .column(TextField::ObjectName)
                        .values
                        .resolve(name),
                );
                store
                    .events
                    .column_mut(TextField::NodePath)
                    .values
                    .intern(&path)
            });
        store.events.column_mut(TextField::NodePath).rows[row] = symbol;
    }
    for (row, folder) in folder_actions {
        let project = store.events.text(TextField::ResourceName, row).to_string();
        let path = join_path(&project, &folder, "");
        let column = store.events.column_mut(TextField::NodePath);
        let symbol = column.values.intern(&path);
        column.rows[row] = symbol;
        store.events.node_type[row] = crate::model::NodeType::Folder;
    }
}

/// Labels of resources, by id, from events that name them and from the
/// shared-resources report.
fn resource_names(store: &mut Store) {
    let events = &mut store.events;
    let resource = events.column(TextField::Resource);
    let names = events.column(TextField::ResourceName);
    let mut label: Vec<Symbol> = vec![Interner::EMPTY; resource.values.len()];
    for (r, n) in resource.rows.iter().zip(&names.rows) {
        if *n != Interner::EMPTY {
            label[*r as usize] = *n;
        }
    }
    let mut from_report = Vec::new();
    for record in &store.directory.shared_resources {
        if let Some(id) = resource.values.lookup(&record.workspace_id) {
            if label[id as usize] == Interner::EMPTY && !record.label.is_empty() {
                from_report.push((id, record.label.clone()));
            }
        }
    }
    let names = events.column_mut(TextField::ResourceName);
    for (id, text) in from_report {
        label[id as usize] = names.values.intern(&text);
    }
    let mut filled = std::mem::take(&mut events.column_mut(TextField::ResourceName).rows);
    for (name, r) in filled
        .iter_mut()
        .zip(&events.column(TextField::Resource).rows)
    {
        if *name == Interner::EMPTY && *r != Interner::EMPTY {
            *name = label[*r as usize];
        }
    }
    events.column_mut(TextField::ResourceName).rows = filled;
}

/// Owners: the creator of a resource or object seen in the logs, the owner
/// column of the shared-resources report, and `personal/<login>/` paths.
fn owners(store: &mut Store) {
    let rows = store.events.len();
    let mut by_resource: FxHashMap<String, String> = FxHashMap::default();
    let mut by_object: FxHashMap<String, String> = FxHashMap::default();
    let mut by_path: FxHashMap<String, String> = FxHashMap::default();
    for row in 0..rows {
        let action = store.events.text(TextField::Action, row);
        if store.events.outcome[row] == crate::model::Outcome::Failure {
            continue;
        }
        let actor = store.events.text(TextField::Actor, row);
        if actor.is_empty() {
            continue;
        }
        let creates_resource = matches!(
            action,
            "Created cell" | "Created share link" | "Created workspace" | "project-new"
        );
        if creates_resource {
            let id = match action {
                "project-new" => store.events.text(TextField::ObjectId, row),
                _ => store.events.text(TextField::Resource, row),
            };
            if !id.is_empty() {
                by_resource
                    .entry(id.to_string())
                    .or_insert_with(|| actor.to_string());
            }
        } else if action.ends_with("-new") {
            let id = store.events.text(TextField::ObjectId, row);
            if !id.is_empty() {
                by_object
                    .entry(id.to_string())
                    .or_insert_with(|| actor.to_string());
            }
        }
    }
    for record in &store.directory.shared_resources {
        if record.owner.is_empty() {
            continue;
        }
        if !record.workspace_id.is_empty() {
            by_resource
                .entry(record.workspace_id.clone())
                .or_insert_with(|| record.owner.clone());
        }
        by_path
            .entry(record.node_path.clone())
            .or_insert_with(|| record.owner.clone());
    }

    let events = &mut store.events;
    let path_owner: Vec<Option<String>> = events
        .column(TextField::NodePath)
        .values
        .values()
        .map(|path| personal_owner(path).or_else(|| by_path.get(path).cloned()))
        .collect();
    let resource_owner: Vec<Option<&String>> = events
        .column(TextField::Resource)
        .values
        .values()
        .map(|id| by_resource.get(id))
        .collect();
    let object_owner: Vec<Option<&String>> = events
        .column(TextField::ObjectId)
        .values
        .values()
        .map(|id| by_object.get(id).or_else(|| by_resource.get(id)))
        .collect();
    let mut owners = std::mem::take(events.column_mut(TextField::Owner));
    for row in 0..rows {
        if owners.rows[row] != Interner::EMPTY {
            continue;
        }
        let path = events.column(TextField::NodePath).rows[row] as usize;
        let object = events.column(TextField::ObjectId).rows[row] as usize;
        let resource = events.column(TextField::Resource).rows[row] as usize;
        let owner = path_owner[path]
            .as_ref()
            .or(object_owner[object])
            .or(resource_owner[resource]);
        if let Some(owner) = owner {
            owners.rows[row] = owners.values.intern(owner);
        }
    }
    *events.column_mut(TextField::Owner) = owners;
}

/// `<datasource>/personal/<login>/...` or `personal/<login>/...`.
fn personal_owner(path: &str) -> Option<String> {
    let mut parts = path.split('/');
    let first = parts.next()?;
    let login = if first == "personal" {
        parts.next()?
    } else if parts.next()? == "personal" {
        parts.next()?
    } else {
        return None;
    };
    (!login.is_empty()).then(|| login.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
