//! Pydio Cells' audit messages and what each means: the message templates
//! of public Pydio code (formats.md 1.4) and the `MsgId` table
//! (`common/zapfields.go`), as action, category and node type.

use crate::model::{Category, NodeType};

/// What a message template means.
#[derive(Debug, Clone, Copy)]
pub(super) struct Template {
    pub(super) action: &'static str,
    pub(super) category: Category,
    pub(super) node_type: NodeType,
    /// The node path is the first `[...]` of the message (no NodePath key).
    pub(super) path_in_brackets: bool,
    /// The first `[...]` of the message is the resource's label.
    pub(super) names_resource: bool,
}

const fn t(action: &'static str, category: Category) -> Template {
    Template {
        action,
        category,
        node_type: NodeType::Unknown,
        path_in_brackets: false,
        names_resource: false,
    }
}

const fn on_file(template: Template) -> Template {
    Template {
        node_type: NodeType::File,
        ..template
    }
}

const fn on_folder(template: Template) -> Template {
    Template {
        node_type: NodeType::Folder,
        ..template
    }
}

const fn bracket_path(template: Template) -> Template {
    Template {
        path_in_brackets: true,
        ..template
    }
}

const fn names_resource(template: Template) -> Template {
    Template {
        names_resource: true,
        ..template
    }
}

/// Message prefixes of the templates in public Pydio code (formats.md 1.4),
/// with an extra word the message must contain where a prefix is shared.
const TEMPLATES: &[(&str, &str, Template)] = {
    use Category::*;
    &[
        (
            "Retrieved object at ",
            "",
            on_file(t("Retrieved object", Download)),
        ),
        ("Modified ", ", put ", on_file(t("Modified object", Upload))),
        ("Listed folder ", "", on_folder(t("Listed folder", List))),
        ("Created node at ", "", t("Created node", Create)),
        ("Update node from ", "", t("Updated node", Move)),
        ("Deleted node at ", "", t("Deleted node", Delete)),
        ("Copied node from ", "", t("Copied node", Create)),
        ("Uploaded node ", "", on_file(t("Uploaded node", Upload))),
        (
            "Definitively deleted [",
            "",
            bracket_path(t("Definitively deleted", Delete)),
        ),
        (
            "Archive [",
            "] extracted to [",
            bracket_path(t("Extracted archive", Create)),
        ),
        (
            "Archive [",
            "",
            on_file(bracket_path(t("Created archive", Create))),
        ),
        ("Copied [", "", bracket_path(t("Copied", Create))),
        ("Moved [", "", bracket_path(t("Moved", Move))),
        ("Renamed [", "", bracket_path(t("Renamed", Move))),
        (
            "Created workspace [",
            "",
            names_resource(t("Created workspace", Admin)),
        ),
        (
            "Updated workspace [",
            "",
            names_resource(t("Updated workspace", Admin)),
        ),
        (
            "Deleted workspace [",
            "",
            names_resource(t("Deleted workspace", Admin)),
        ),
        (
            "Created cell [",
            "",
            names_resource(t("Created cell", Share)),
        ),
        (
            "Updated cell [",
            "",
            names_resource(t("Updated cell", Share)),
        ),
        (
            "Deleted cell [",
            "",
            names_resource(t("Deleted cell", Share)),
        ),
        (
            "Created share link [",
            "",
            names_resource(t("Created share link", Share)),
        ),
        (
            "Updated share link [",
            "",
            names_resource(t("Updated share link", Share)),
        ),
        (
            "Deleted share link [",
            "",
            names_resource(t("Deleted share link", Share)),
        ),
        (
            "Public Link ",
            " accessed",
            t("Public link accessed", Login),
        ),
        (
            "Hidden user [",
            "",
            t("Hidden user login attempt", LoginFailed),
        ),
        (
            "Locked user [",
            "tried to log in",
            t("Locked user login attempt", LoginFailed),
        ),
        ("Locked user [", " after ", t("Locked user", Lockout)),
        (
            "Policy denied login",
            "",
            t("Login denied by policy", LoginFailed),
        ),
        ("Could not bind user", "", t("Login failed", LoginFailed)),
        ("IP Address is banned", "", t("Banned IP", LoginFailed)),
        ("User ", " logged in", t("Login", Login)),
        ("Created user [", "", t("Created user", Admin)),
        ("Updated user [", "", t("Updated user", Admin)),
        ("Deleted user [", "", t("Deleted user", Admin)),
        ("Created group [", "", t("Created group", Admin)),
        ("Deleted group [", "", t("Deleted group", Admin)),
        ("Forbidden action", "", t("Forbidden action", Permission)),
        ("Created role [", "", t("Created role", Permission)),
        ("Updated role [", "", t("Updated role", Permission)),
        ("Deleted role [", "", t("Deleted role", Permission)),
        (
            "Stored policy group [",
            "",
            t("Stored policy group", Permission),
        ),
        (
            "Deleted policy group [",
            "",
            t("Deleted policy group", Permission),
        ),
    ]
};

/// The `MsgId` table (`common/zapfields.go`), for messages no template knows.
fn template_for_id(msg_id: &str) -> Template {
    use Category::*;
    match msg_id.trim() {
        "1" => t("Login succeed", Login),
        "2" => t("Login failed", LoginFailed),
        "3" => t("Login policy denial", LoginFailed),
        "4" => t("Invalid JWT", LoginFailed),
        "5" => t("Lock user", Admin),
        "11" => t("Create Node", Create),
        "12" => t("Read Node", Read),
        "13" => on_folder(t("List Node", List)),
        "14" => t("Update Node", Modify),
        "15" => t("Delete Node", Delete),
        "16" => t("Create workspace", Admin),
        "17" => t("Update workspace", Admin),
        "18" => t("Delete workspace", Admin),
        "19" => t("Move to recycle bin", Delete),
        "21" => on_file(t("Get Object", Download)),
        "22" => on_file(t("Put Object", Upload)),
        "41" => t("Create user", Admin),
        "42" => t("Read user", Admin),
        "43" => t("Update user", Admin),
        "44" => t("Delete user", Admin),
        "46" => t("Create group", Admin),
        "47" => t("Read group", Admin),
        "48" => t("Update group", Admin),
        "49" => t("Delete group", Admin),
        "51" => t("Create role", Permission),
        "52" => t("Read role", Permission),
        "53" => t("Update role", Permission),
        "54" => t("Delete role", Permission),
        "61" => t("Store policy group", Permission),
        "62" => t("Delete policy group", Permission),
        "63" => t("Store policy", Permission),
        "64" => t("Delete policy", Permission),
        "71" => t("Create cell", Share),
        "72" => t("Read cell", Read),
        "73" => t("Update cell", Share),
        "74" => t("Delete cell", Share),
        "75" => t("Create share link", Share),
        "76" => t("Read share link", Read),
        "77" => t("Update share link", Share),
        "78" => t("Delete share link", Share),
        "" => t("(no message id)", Other),
        _ => t("(unknown message id)", Other),
    }
}

pub(super) fn template_for(message: &str, msg_id: &str) -> Template {
    for (prefix, contains, template) in TEMPLATES {
        if message.starts_with(prefix) && (contains.is_empty() || message.contains(contains)) {
            return *template;
        }
    }
    template_for_id(msg_id)
}
