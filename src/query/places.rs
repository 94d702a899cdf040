//! The criteria on where an address is (`countries`, `asns`): decided once
//! per distinct address from the case's places, then per row by its
//! address symbol.

use super::eval::Test;
use super::{Filter, FilterError};
use crate::index::Case;
use crate::model::TextField;

/// `--country` and `--asn`: decided once per distinct address from the
/// case's places, then per row by its address symbol.
pub(super) fn place_tests<'s>(
    case: &'s Case,
    filter: &Filter,
) -> Result<Vec<Test<'s>>, FilterError> {
    let mut tests = Vec::new();
    if filter.countries.is_empty() && filter.asns.is_empty() {
        return Ok(tests);
    }
    let places = case.places();
    if !places.has_databases() {
        let flag = if filter.countries.is_empty() {
            "--asn"
        } else {
            "--country"
        };
        return Err(FilterError::NeedsGeoip(flag));
    }
    let Some(column) = case.store.events.interned(TextField::Ip) else {
        tests.push(Box::new(|_| false));
        return Ok(tests);
    };
    let rows = &column.rows;
    let by_symbol = |table: &[u32], wanted: &dyn Fn(usize) -> bool| -> Vec<bool> {
        (0..column.values.len())
            .map(|symbol| {
                table
                    .get(symbol)
                    .and_then(|id| id.checked_sub(1))
                    .is_some_and(|index| wanted(index as usize))
            })
            .collect()
    };
    if !filter.countries.is_empty() {
        let codes = filter
            .countries
            .iter()
            .map(|c| super::filter::parse_country(c))
            .collect::<Result<Vec<_>, _>>()?;
        let allowed = by_symbol(places.country_by_symbol(), &|index| {
            codes.contains(&places.countries[index].iso)
        });
        tests.push(Box::new(move |row| allowed[rows[row] as usize]));
    }
    if !filter.asns.is_empty() {
        let allowed = by_symbol(places.network_by_symbol(), &|index| {
            filter.asns.contains(&places.networks[index].number)
        });
        tests.push(Box::new(move |row| allowed[rows[row] as usize]));
    }
    Ok(tests)
}
