//! Where the selected events came from: events and distinct addresses per
//! country and per autonomous system, and what could not be placed (the
//! Country panel, `inspect`'s `places`, the window's counts: one function).

use serde::Serialize;

use crate::geo::{DatabaseInfo, Places};
use crate::index::Case;
use crate::model::TextField;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCount {
    pub iso: String,
    pub name: String,
    pub events: u64,
    pub addresses: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkCount {
    pub asn: u32,
    pub organization: String,
    pub events: u64,
    pub addresses: u64,
}

/// Why an event has no country, with how many.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unplaced {
    /// "no address", "private (RFC 1918)", "not in the GeoIP databases",
    /// "no GeoIP database".
    pub reason: String,
    pub events: u64,
    pub addresses: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlaceCounts {
    pub databases: Vec<DatabaseInfo>,
    /// Most events first, then by code.
    pub countries: Vec<CountryCount>,
    pub networks: Vec<NetworkCount>,
    pub unplaced: Vec<Unplaced>,
    pub failed_lookups: u64,
}

/// Counts `rows` (a selection's) by the place of their address.
pub fn place_counts(case: &Case, rows: &[u32]) -> PlaceCounts {
    let places = case.places();
    let mut counts = PlaceCounts {
        databases: places.databases.clone(),
        failed_lookups: places.failed_lookups,
        ..PlaceCounts::default()
    };
    let Some(column) = case.store.events.interned(TextField::Ip) else {
        return counts;
    };
    // Events per address symbol first: the rest is per distinct address.
    let mut per_symbol = vec![0u64; column.values.len()];
    for &row in rows {
        per_symbol[column.rows[row as usize] as usize] += 1;
    }
    let mut countries = vec![(0u64, 0u64); places.countries.len()];
    let mut networks = vec![(0u64, 0u64); places.networks.len()];
    let mut unplaced: Vec<Unplaced> = Vec::new();
    for (symbol, &events) in per_symbol.iter().enumerate() {
        if events == 0 {
            continue;
        }
        let country = places.country_by_symbol().get(symbol).copied().unwrap_or(0);
        let network = places.network_by_symbol().get(symbol).copied().unwrap_or(0);
        if let Some(index) = network.checked_sub(1) {
            let entry = &mut networks[index as usize];
            *entry = (entry.0 + events, entry.1 + 1);
        }
        if let Some(index) = country.checked_sub(1) {
            let entry = &mut countries[index as usize];
            *entry = (entry.0 + events, entry.1 + 1);
            continue;
        }
        // Only the unplaced are read as text (most addresses are placed).
        let text = column.values.resolve(symbol as u32);
        let special = crate::model::address::special_purpose(text);
        let reason = unplaced_reason(&places, text, special.map(|s| (s.name, s.rfc)));
        match unplaced.iter_mut().find(|u| u.reason == reason) {
            Some(u) => {
                u.events += events;
                u.addresses += u64::from(!text.trim().is_empty());
            }
            None => unplaced.push(Unplaced {
                reason,
                events,
                addresses: u64::from(!text.trim().is_empty()),
            }),
        }
    }
    counts.countries = places
        .countries
        .iter()
        .zip(countries)
        .filter(|(_, (events, _))| *events > 0)
        .map(|(country, (events, addresses))| CountryCount {
            iso: country.iso.clone(),
            name: country.name.clone(),
            events,
            addresses,
        })
        .collect();
    counts
        .countries
        .sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.iso.cmp(&b.iso)));
    counts.networks = places
        .networks
        .iter()
        .zip(networks)
        .filter(|(_, (events, _))| *events > 0)
        .map(|(network, (events, addresses))| NetworkCount {
            asn: network.number,
            organization: network.organization.clone(),
            events,
            addresses,
        })
        .collect();
    counts
        .networks
        .sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.asn.cmp(&b.asn)));
    unplaced.sort_by(|a, b| {
        b.events
            .cmp(&a.events)
            .then_with(|| a.reason.cmp(&b.reason))
    });
    counts.unplaced = unplaced;
    counts
}

/// Why an address has no country, in words.
pub fn unplaced_reason(places: &Places, text: &str, special: Option<(&str, &str)>) -> String {
    if text.trim().is_empty() {
        return "no address".to_string();
    }
    if crate::geo::parse_address(text).is_none() {
        return "not an IP address".to_string();
    }
    if let Some((name, rfc)) = special {
        return format!("{name} ({rfc})");
    }
    if places.has_databases() {
        "not in the GeoIP databases".to_string()
    } else {
        "no GeoIP database".to_string()
    }
}
