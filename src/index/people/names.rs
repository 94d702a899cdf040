//! How identifiers are compared: folded (lower case, accents taken off,
//! `jérôme.dubois` reads `jerome.dubois`) and split into name tokens
//! (`alice.martin` and `Alice Martin` are `alice`, `martin`).

/// Lower case without accents: the common Latin letters with diacritics
/// read as their base letter; other characters stay.
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out
}

/// `fold` into `out` (cleared first), reusing its allocation.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    // Most identifiers are ASCII: no accents to take off.
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    out.reserve(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
            'ł' | 'ľ' | 'ĺ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' | 'ŕ' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ß' => "ss",
            'ť' | 'ţ' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(base);
    }
}

/// The name tokens of a login, a name or an e-mail's local part: folded,
/// split at dots, dashes, underscores, spaces and `+`.
pub fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(['.', '-', '_', ' ', '+'])
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// What kind of identifier a text is, by its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// `local@domain`.
    Email,
    /// DNAnexus `user-<handle>`.
    DnanexusUser,
    /// A UUID or a bare hexadecimal id (Pydio user and link visitor ids).
    AccountId,
    /// Anything else: a login.
    Login,
}

pub fn shape(text: &str) -> Shape {
    if text.contains('@') {
        Shape::Email
    } else if text.strip_prefix("user-").is_some_and(|h| !h.is_empty()) {
        Shape::DnanexusUser
    } else if is_account_id(text) {
        Shape::AccountId
    } else {
        Shape::Login
    }
}

/// A UUID, or 12 or more hexadecimal digits with at least one digit.
fn is_account_id(text: &str) -> bool {
    let hex = text.chars().filter(|c| *c != '-').count();
    text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && hex >= 12
        && text.chars().any(|c| c.is_ascii_digit())
}

/// The part of an identifier that names the person: an e-mail's local
/// part, a DNAnexus id's handle, a login whole.
pub fn handle(text: &str) -> &str {
    match shape(text) {
        Shape::Email => text.split('@').next().unwrap_or(text),
        Shape::DnanexusUser => &text["user-".len()..],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_and_names_split_into_tokens() {
        assert_eq!(fold("Jérôme.Dubois"), "jerome.dubois");
        assert_eq!(
            tokens("Søren Kierkegaard-Næs"),
            ["soren", "kierkegaard", "naes"]
        );
        assert_eq!(tokens("h.nakamura"), ["h", "nakamura"]);
    }

    #[test]
    fn shapes_tell_emails_dnanexus_ids_account_ids_and_logins() {
        assert_eq!(shape("h.nakamura@orcabio.example"), Shape::Email);
        assert_eq!(shape("user-hnakamura"), Shape::DnanexusUser);
        assert_eq!(
            shape("e3d2c1b0-a9f8-4e7d-b6c5-a4b3c2d1e0f9"),
            Shape::AccountId
        );
        assert_eq!(shape("cf498178a3b2"), Shape::AccountId);
        assert_eq!(shape("helena.nakamura"), Shape::Login);
        assert_eq!(shape("facade"), Shape::Login);
        assert_eq!(handle("user-hnakamura"), "hnakamura");
        assert_eq!(handle("h.nakamura@orcabio.example"), "h.nakamura");
    }
}
