//! Links between identifiers that the evidence suggests, each with its rule,
//! a reason in words and the lines that prove it: e-mail local parts and
//! logins, DNAnexus `user-<handle>` ids, the names of BaseSpace's General
//! Usage report, Pydio account ids carried by a login's events or named by
//! a message. Proposals only: nothing is merged until the investigator
//! accepts (`People::build`).

use std::collections::HashMap;

use serde::Serialize;

use super::names::{Shape, fold, handle, shape, tokens};
use crate::model::{Origin, Store, System, TextField};

/// One distinct actor of the case.
#[derive(Debug, Clone, Serialize)]
pub struct Identifier {
    pub text: String,
    pub shape: Shape,
    pub systems: Vec<System>,
    pub events: u64,
    /// Its first event (rows are in time order).
    #[serde(skip)]
    pub first_row: u32,
}

/// Every distinct actor with its systems and first event.
pub fn identifiers(store: &Store) -> Vec<Identifier> {
    let Some(column) = store.events.interned(TextField::Actor) else {
        return Vec::new();
    };
    let mut seen: Vec<Option<Identifier>> = vec![None; column.values.len()];
    for (row, &symbol) in column.rows.iter().enumerate() {
        let slot = &mut seen[symbol as usize];
        let system = store.events.system[row];
        match slot {
            Some(identifier) => {
                identifier.events += 1;
                if !identifier.systems.contains(&system) {
                    identifier.systems.push(system);
                }
            }
            None => {
                let text = column.values.resolve(symbol);
                if text.trim().is_empty() {
                    continue;
                }
                *slot = Some(Identifier {
                    text: text.to_string(),
                    shape: shape(text),
                    systems: vec![system],
                    events: 1,
                    first_row: row as u32,
                });
            }
        }
    }
    let mut all: Vec<Identifier> = seen.into_iter().flatten().collect();
    all.iter_mut().for_each(|i| i.systems.sort());
    all.sort_by(|a, b| a.text.cmp(&b.text));
    all
}

/// Which rule proposed a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    EmailLocalPartIsLogin,
    DnanexusHandleIsLogin,
    DnanexusHandleIsInitialAndSurname,
    EmailAbbreviatesLogin,
    ReportNamesTheLogin,
    AccountIdOfLogin,
    MessageNamesTheLogin,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub rule: Rule,
    /// In words, naming what matched.
    pub text: String,
    /// The lines that show it (file and line).
    pub proofs: Vec<Origin>,
}

/// Two identifiers the evidence suggests are one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub a: String,
    pub b: String,
    pub reasons: Vec<Reason>,
}

impl Proposal {
    /// The pair, order-free, as compared with accepted and rejected pairs.
    pub fn key(&self) -> (String, String) {
        pair_key(&self.a, &self.b)
    }
}

pub fn pair_key(a: &str, b: &str) -> (String, String) {
    let (a, b) = (fold(a), fold(b));
    if a <= b { (a, b) } else { (b, a) }
}

/// The initial of the first token and the last token: `hnakamura`.
fn initial_and_surname(tokens: &[String]) -> Option<String> {
    let (first, last) = (tokens.first()?, tokens.last()?);
    let initial = first.chars().next()?;
    (tokens.len() >= 2).then(|| format!("{initial}{last}"))
}

/// Every proposal the evidence of `store` supports, by pair.
pub fn propose(store: &Store, identifiers: &[Identifier]) -> Vec<Proposal> {
    let mut found = Proposals::default();
    let first = |i: &Identifier| store.origin(i.first_row as usize);
    // Logins and e-mails by their folded handle, joined tokens and
    // initial-and-surname form.
    let mut by_handle: HashMap<String, Vec<&Identifier>> = HashMap::new();
    let mut by_joined: HashMap<String, Vec<&Identifier>> = HashMap::new();
    let mut by_initial: HashMap<String, Vec<&Identifier>> = HashMap::new();
    let mut by_tokens: HashMap<Vec<String>, Vec<&Identifier>> = HashMap::new();
    for identifier in identifiers {
        if !matches!(identifier.shape, Shape::Login | Shape::Email) {
            continue;
        }
        let name = handle(&identifier.text);
        let parts = tokens(name);
        by_handle.entry(fold(name)).or_default().push(identifier);
        by_joined
            .entry(parts.concat())
            .or_default()
            .push(identifier);
        if let Some(short) = initial_and_surname(&parts) {
            by_initial.entry(short).or_default().push(identifier);
        }
        if identifier.shape == Shape::Login {
            by_tokens.entry(parts).or_default().push(identifier);
        }
    }
    for email in identifiers.iter().filter(|i| i.shape == Shape::Email) {
        let local = handle(&email.text);
        for login in by_handle.get(&fold(local)).into_iter().flatten() {
            if login.shape == Shape::Login {
                found.add(
                    &email.text,
                    &login.text,
                    Rule::EmailLocalPartIsLogin,
                    format!(
                        "the e-mail's local part `{local}` is the login `{}`",
                        login.text
                    ),
                    vec![first(email), first(login)],
                );
            }
        }
    }
    // `h.nakamura@` beside `helena.nakamura`: the same initial and surname.
    for email in identifiers.iter().filter(|i| i.shape == Shape::Email) {
        let local = handle(&email.text);
        let parts = tokens(local);
        if parts.len() < 2 || parts[0].chars().count() != 1 {
            continue;
        }
        let Some(short) = initial_and_surname(&parts) else {
            continue;
        };
        for login in by_initial.get(&short).into_iter().flatten() {
            let login_parts = tokens(handle(&login.text));
            if login.shape == Shape::Login && login_parts[0].chars().count() > 1 {
                found.add(
                    &email.text,
                    &login.text,
                    Rule::EmailAbbreviatesLogin,
                    format!(
                        "the e-mail's local part `{local}` abbreviates the login `{}` (same initial and surname)",
                        login.text
                    ),
                    vec![first(email), first(login)],
                );
            }
        }
    }
    for user in identifiers
        .iter()
        .filter(|i| i.shape == Shape::DnanexusUser)
    {
        let name = fold(handle(&user.text));
        for other in by_joined.get(&name).into_iter().flatten() {
            found.add(
                &user.text,
                &other.text,
                Rule::DnanexusHandleIsLogin,
                format!(
                    "the DNAnexus id's handle `{name}` is `{}` without its separators",
                    handle(&other.text)
                ),
                vec![first(user), first(other)],
            );
        }
        for other in by_initial.get(&name).into_iter().flatten() {
            found.add(
                &user.text,
                &other.text,
                Rule::DnanexusHandleIsInitialAndSurname,
                format!(
                    "the DNAnexus id's handle `{name}` is the initial and surname of `{}`",
                    handle(&other.text)
                ),
                vec![first(user), first(other)],
            );
        }
    }
    // BaseSpace's General Usage report: a display name beside the login.
    for record in &store.directory.users {
        if record.login.is_empty() || record.name.trim().is_empty() {
            continue;
        }
        let proof = store.record_origin(record.origin);
        let name_tokens = tokens(&record.name);
        let email = identifiers
            .iter()
            .find(|i| i.text.eq_ignore_ascii_case(&record.login));
        let Some(email) = email else { continue };
        for login in by_tokens.get(&name_tokens).into_iter().flatten() {
            found.add(
                &email.text,
                &login.text,
                Rule::ReportNamesTheLogin,
                format!(
                    "the General Usage report names `{}` \"{}\", whose parts make the login `{}`",
                    email.text, record.name, login.text
                ),
                vec![proof.clone(), first(login)],
            );
        }
        let short = initial_and_surname(&name_tokens);
        for user in identifiers
            .iter()
            .filter(|i| i.shape == Shape::DnanexusUser)
        {
            if short.as_deref() == Some(fold(handle(&user.text)).as_str()) {
                found.add(
                    &email.text,
                    &user.text,
                    Rule::ReportNamesTheLogin,
                    format!(
                        "the General Usage report names `{}` \"{}\": initial and surname `{}`",
                        email.text,
                        record.name,
                        handle(&user.text)
                    ),
                    vec![proof.clone(), first(user)],
                );
            }
        }
    }
    account_ids(store, identifiers, &mut found);
    found.into_sorted()
}

/// Pydio: a login's events carry its account id (`"UserUuid"`); an event
/// whose actor is that id (a refused login, a locked account) is the same
/// account. And a message naming a login in brackets (`Locked user [x]`).
fn account_ids(store: &Store, identifiers: &[Identifier], found: &mut Proposals) {
    let accounts: HashMap<&str, &Identifier> = identifiers
        .iter()
        .filter(|i| i.shape == Shape::AccountId)
        .map(|i| (i.text.as_str(), i))
        .collect();
    if accounts.is_empty() {
        return;
    }
    let logins: HashMap<String, &Identifier> = identifiers
        .iter()
        .filter(|i| i.shape == Shape::Login)
        .map(|i| (fold(&i.text), i))
        .collect();
    let events = &store.events;
    let finder = memchr::memmem::Finder::new(b"\"UserUuid\":\"");
    let mut seen: HashMap<(&str, &str), ()> = HashMap::new();
    for row in 0..events.len() {
        if events.system[row] != System::Pydio {
            continue;
        }
        let actor = events.text(TextField::Actor, row);
        if let Some(account) = accounts.get(actor) {
            let message = events.text(TextField::Message, row);
            for named in bracketed(message) {
                if let Some(login) = logins.get(&fold(named))
                    && seen.insert((actor, named), ()).is_none()
                {
                    found.add(
                        &account.text,
                        &login.text,
                        Rule::MessageNamesTheLogin,
                        format!("an event of account `{actor}` says \"{message}\""),
                        vec![store.origin(row), store.origin(login.first_row as usize)],
                    );
                }
            }
            continue;
        }
        let Some(login) = logins.get(&fold(actor)) else {
            continue;
        };
        let details = events.text(TextField::Details, row);
        let Some(at) = finder.find(details.as_bytes()) else {
            continue;
        };
        let rest = &details[at + finder.needle().len()..];
        let Some(id) = rest.split('"').next() else {
            continue;
        };
        if let Some(account) = accounts.get(id)
            && seen
                .insert((account.text.as_str(), login.text.as_str()), ())
                .is_none()
        {
            found.add(
                &account.text,
                &login.text,
                Rule::AccountIdOfLogin,
                format!("`{}`'s events carry the account id `{id}`", login.text),
                vec![store.origin(account.first_row as usize), store.origin(row)],
            );
        }
    }
}

/// The texts between `[` and `]` in a message.
fn bracketed(message: &str) -> impl Iterator<Item = &str> {
    message
        .split('[')
        .skip(1)
        .filter_map(|part| part.split_once(']').map(|(inside, _)| inside.trim()))
        .filter(|inside| !inside.is_empty())
}

#[derive(Default)]
struct Proposals {
    by_pair: HashMap<(String, String), usize>,
    list: Vec<Proposal>,
}

impl Proposals {
    fn add(&mut self, a: &str, b: &str, rule: Rule, text: String, proofs: Vec<Origin>) {
        if fold(a) == fold(b) {
            return;
        }
        let key = pair_key(a, b);
        let index = *self.by_pair.entry(key).or_insert_with(|| {
            self.list.push(Proposal {
                a: a.to_string(),
                b: b.to_string(),
                reasons: Vec::new(),
            });
            self.list.len() - 1
        });
        let proposal = &mut self.list[index];
        if !proposal
            .reasons
            .iter()
            .any(|r| r.rule == rule && r.text == text)
        {
            proposal.reasons.push(Reason { rule, text, proofs });
        }
    }

    fn into_sorted(mut self) -> Vec<Proposal> {
        self.list.sort_by_key(|p| p.key());
        self.list
    }
}
