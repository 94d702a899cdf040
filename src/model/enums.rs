//! Small closed vocabularies of the event model. Each is one byte per row in
//! the store; `as_str` gives the stable id used in JSON, CSV and filters.

use serde::{Deserialize, Serialize};

macro_rules! labeled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses the stable id (case-insensitive).
            pub fn parse(text: &str) -> Option<$name> {
                let text = text.trim();
                $name::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(text))
            }

            /// The accepted ids, for error messages.
            pub fn choices() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl From<$name> for u8 {
            fn from(value: $name) -> u8 {
                value as u8
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("'{text}' is not one of {}", $name::choices()))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

labeled_enum!(
    /// The platform an event comes from.
    System { Dnanexus => "dnanexus", Pydio => "pydio", Basespace => "basespace", Auditview => "auditview" }
);

labeled_enum!(
    /// What kind of thing an action did, across platforms.
    Category {
        Login => "login", LoginFailed => "login_failed", Lockout => "lockout", Logout => "logout",
        Read => "read",
        List => "list", Download => "download", Create => "create", Upload => "upload",
        Modify => "modify", Move => "move", Delete => "delete", Share => "share",
        Permission => "permission", Admin => "admin", Run => "run", Other => "other",
    }
);

labeled_enum!(
    /// Whether the action succeeded, as the source says.
    Outcome { Success => "success", Failure => "failure", Unknown => "unknown" }
);

labeled_enum!(
    /// Whether the node acted on is a file or a folder.
    NodeType { File => "file", Folder => "folder", Unknown => "unknown" }
);

labeled_enum!(
    /// The kind of shared resource an event or node belongs to.
    ResourceKind {
        Workspace => "workspace", Cell => "cell", PublicLink => "public_link", Project => "project",
        Workgroup => "workgroup", None => "none",
    }
);

labeled_enum!(
    /// What a record of the source is: an audit record (what a trail is
    /// for, and what coverage counts), a server's system log line, or a
    /// background task's line (Pydio's `LogType`, else told by the line).
    LogKind { Audit => "audit", System => "system", Task => "task" }
);

labeled_enum!(
    /// Read or write access implied by a category.
    Access { Read => "read", Write => "write", None => "none" }
);

labeled_enum!(
    /// How much a finding asks for attention, least first.
    Severity { Info => "info", Low => "low", Medium => "medium", High => "high" }
);

labeled_enum!(
    /// What the reviewer decided about an exception of a review: still
    /// open, expected (normal for this system), explained (with the
    /// reason), or escalated (to be investigated further).
    Disposition { Open => "open", Expected => "expected", Explained => "explained", Escalated => "escalated" }
);

labeled_enum!(
    /// What a signature on a review means (21 CFR 11.50: the meaning is
    /// part of the signed record).
    SignatureMeaning { Reviewed => "reviewed", Approved => "approved" }
);

labeled_enum!(
    /// What a finding says: unusual behaviour of an identity, a node or a
    /// link, a rule's match, or a gap in the evidence itself.
    FindingKind {
        NewCountry => "new_country", NewNetwork => "new_asn", NewAddress => "new_ip",
        NewUserAgent => "new_user_agent", FirstPrivileged => "first_privileged",
        ImpossibleTravel => "impossible_travel", OffHours => "off_hours", Weekend => "weekend",
        Burst => "burst", FailedLoginsThenSuccess => "failed_logins_then_success",
        FailedLogins => "failed_logins", AccountLocked => "account_locked",
        LinkManyAddresses => "link_many_addresses",
        Rule => "rule", MissingDay => "missing_day", Silence => "silence",
        CutShort => "cut_short", Rejects => "rejects", ChangedWhileRead => "changed_while_read",
        Overlap => "overlap",
    }
);

labeled_enum!(
    /// Why a record was rejected, as the reader that met it knows it: what
    /// coverage and findings read, never the reason's words.
    RejectKind {
        // Not the format at all: not JSON, not CSV, not UTF-8.
        Malformed => "malformed",
        // The format, but a field missing or not a value it can hold.
        Invalid => "invalid",
        // A limit reached: a record, a document, a decompression ratio.
        OverLimit => "over-limit",
        // The file ends inside its last record, or its compressed stream
        // ends early: the file was cut short.
        CutShort => "cut-short",
        // The file could not be read past this point.
        Unreadable => "unreadable",
    }
);

labeled_enum!(
    /// Input formats auditview recognizes, by content.
    Format {
        DnanexusAuditCsv => "dnanexus-audit-csv",
        PydioAuditJsonl => "pydio-audit-jsonl",
        // zap's console format, or JSON lines behind a syslog, journald or
        // docker-compose prefix.
        PydioLog => "pydio-log",
        PydioAuditExportJson => "pydio-audit-export-json",
        PydioSharedResources => "pydio-shared-resources",
        BasespaceLoginCsv => "basespace-login-csv",
        BasespaceUsageCsv => "basespace-usage-csv",
        BasespaceWorkgroupCsv => "basespace-workgroup-csv",
        AuditviewExportCsv => "auditview-export-csv",
        AuditviewParquet => "auditview-parquet",
    }
);

#[expect(
    clippy::derivable_impls,
    reason = "the enum comes from `labeled_enum!`, which has no `#[default]` variant"
)]
impl Default for ResourceKind {
    fn default() -> Self {
        ResourceKind::None
    }
}

impl ResourceKind {
    /// Also accepts `link` for public links, as the CLI does.
    pub fn parse_loose(text: &str) -> Option<ResourceKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "link" | "public-link" | "publiclink" | "public link" => Some(ResourceKind::PublicLink),
            other => ResourceKind::parse(other),
        }
    }
}

impl Category {
    pub fn access(self) -> Access {
        use Category::*;
        match self {
            Read | List | Download => Access::Read,
            Create | Upload | Modify | Move | Delete | Share | Permission => Access::Write,
            Login | LoginFailed | Lockout | Logout | Admin | Run | Other => Access::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_link_is_accepted_for_public_links() {
        for kind in ResourceKind::ALL {
            assert_eq!(ResourceKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(
            ResourceKind::parse_loose("link"),
            Some(ResourceKind::PublicLink)
        );
        assert_eq!(
            Format::parse("dnanexus-audit-csv"),
            Some(Format::DnanexusAuditCsv)
        );
        assert_eq!(Outcome::parse("FAILURE"), Some(Outcome::Failure));
        assert_eq!(Category::Download.access(), Access::Read);
        assert_eq!(Category::Delete.access(), Access::Write);
        assert_eq!(
            serde_json::to_string(&Format::PydioAuditJsonl).unwrap(),
            "\"pydio-audit-jsonl\""
        );
        assert_eq!(
            serde_json::from_str::<ResourceKind>("\"public_link\"").unwrap(),
            ResourceKind::PublicLink
        );
    }
}
