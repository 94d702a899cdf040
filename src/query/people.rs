//! The criterion on persons (`persons`): every identifier of each person
//! named, as the case's people join them.

use super::eval::{Test, field_test};
use super::{Filter, FilterError};
use crate::index::Case;
use crate::model::{TextField, is_user};

/// The test of `--person`, if the filter names any.
pub(super) fn person_tests<'s>(
    case: &'s Case,
    filter: &Filter,
) -> Result<Vec<Test<'s>>, FilterError> {
    if filter.persons.is_empty() {
        return Ok(Vec::new());
    }
    let events = &case.store.events;
    let people = case.people();
    let mut identifiers: Vec<String> = Vec::new();
    for name in &filter.persons {
        let found = people.find(name);
        if found.is_empty() {
            return Err(FilterError::NoSuchPerson(name.trim().to_string()));
        }
        for person in found {
            identifiers.extend(person.identifiers.iter().cloned());
        }
    }
    Ok(vec![field_test(events, TextField::Actor, move |actor| {
        identifiers.iter().any(|i| is_user(actor, i))
    })])
}
