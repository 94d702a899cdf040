//! Who an actor is: the one rule by which a name given by the investigator
//! (`--user`, `--owner`, `--visible-by`) matches an actor, and the key users
//! are grouped by in reports.

/// Whether `actor` is the user named `name`: case-insensitive, and DNAnexus
/// `user-<name>` ids match their bare name.
pub fn is_user(actor: &str, name: &str) -> bool {
    actor.eq_ignore_ascii_case(name)
        || actor
            .strip_prefix("user-")
            .is_some_and(|bare| bare.eq_ignore_ascii_case(name))
}

/// The key users are grouped by, with `is_user`'s rule: ASCII case is
/// ignored and a DNAnexus `user-<name>` is `<name>`, so a row's figures are
/// those of `--user <user>`. Nothing else is merged: an e-mail address
/// (BaseSpace) and a login (Pydio) of one person stay two rows. Returns the
/// bare name and its key.
pub fn user_key(actor: &str) -> (&str, String) {
    let bare = match actor.strip_prefix("user-") {
        Some(bare) if !bare.is_empty() => bare,
        _ => actor,
    };
    (bare, bare.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dnanexus_user_id_is_its_bare_name_in_any_case() {
        assert!(is_user("user-KwanLee", "kwanlee"));
        assert!(is_user("Alice.Martin", "alice.martin"));
        assert!(!is_user("user-kwanlee", "kwan"));
        assert_eq!(user_key("user-KwanLee"), ("KwanLee", "kwanlee".to_string()));
        assert_eq!(user_key("user-"), ("user-", "user-".to_string()));
    }
}
