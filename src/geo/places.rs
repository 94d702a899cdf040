//! Where each address of a case is: every distinct address of the Ip column
//! looked up once in each database (a record shared by many addresses is
//! decoded once), the answers merged (the first database with a country
//! gives the country, and so on) and kept per address symbol.

use std::collections::HashMap;
use std::net::IpAddr;

use rayon::prelude::*;
use serde::Serialize;

use super::database::{DatabaseInfo, GeoDatabase, guarded};
use super::record::RecordPlace;
use crate::model::address::{SpecialRange, special_purpose};
use crate::model::{Store, TextField};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub iso: String,
    /// Its English name, where the database has one.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct City {
    pub name: String,
    /// The first subdivision (state, region), where known.
    pub region: String,
    /// Approximate: a network's centre, as the database gives it.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct AutonomousSystem {
    pub number: u32,
    pub organization: String,
}

/// What is known of one address.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place<'a> {
    pub country: Option<&'a Country>,
    pub city: Option<&'a City>,
    pub network: Option<&'a AutonomousSystem>,
    /// The IANA special-purpose range it is in (private, documentation...).
    pub special: Option<SpecialRange>,
}

/// The places of a case's addresses: the databases used and, per symbol
/// of the Ip column, indexes into the tables of distinct answers.
#[derive(Debug, Default)]
pub struct Places {
    pub databases: Vec<DatabaseInfo>,
    pub countries: Vec<Country>,
    pub cities: Vec<City>,
    pub networks: Vec<AutonomousSystem>,
    /// Per Ip symbol: 1 + index into `countries`, 0 for none (likewise below).
    country: Vec<u32>,
    city: Vec<u32>,
    network: Vec<u32>,
    /// Distinct addresses looked up, and of them placed in some database.
    pub addresses: u64,
    pub located: u64,
    /// Lookups a database answered with an error (a damaged record), with
    /// the first one said in words: counted, never silent.
    pub failed_lookups: u64,
    pub first_failure: Option<String>,
}

impl Places {
    /// No database: nothing is placed (special-purpose ranges still are).
    pub fn none() -> Places {
        Places::default()
    }

    pub fn has_databases(&self) -> bool {
        !self.databases.is_empty()
    }

    /// Looks up every distinct address of `store` in `databases`.
    pub fn build(store: &Store, databases: &[GeoDatabase]) -> Places {
        let mut places = Places {
            databases: databases.iter().map(|db| db.info.clone()).collect(),
            ..Places::default()
        };
        let Some(column) = store.events.interned(TextField::Ip) else {
            return places;
        };
        let addresses: Vec<Option<IpAddr>> = column.values.values().map(parse_address).collect();
        places.addresses = addresses.iter().flatten().count() as u64;
        if databases.is_empty() {
            return places;
        }
        // Where each address's record is, per database (in parallel: the
        // tree walk is most of the cost).
        let offsets: Vec<Vec<Result<Option<usize>, String>>> = databases
            .iter()
            .map(|db| {
                addresses
                    .par_iter()
                    .map(|address| match address {
                        Some(address) => guarded(|| db.locate(*address))
                            .unwrap_or_else(|| Err("the reader failed".into())),
                        None => Ok(None),
                    })
                    .collect()
            })
            .collect();
        // Each distinct record decoded once, then merged per address.
        let mut decoded: Vec<HashMap<usize, RecordPlace>> = vec![HashMap::new(); databases.len()];
        let mut tables = Tables::default();
        places.country = vec![0; addresses.len()];
        places.city = vec![0; addresses.len()];
        places.network = vec![0; addresses.len()];
        for (symbol, address) in addresses.iter().enumerate() {
            let Some(address) = address else { continue };
            let mut found = false;
            for (index, db) in databases.iter().enumerate() {
                let offset = match &offsets[index][symbol] {
                    Ok(Some(offset)) => *offset,
                    Ok(None) => continue,
                    Err(reason) => {
                        places.fail(&db.info, *address, reason);
                        continue;
                    }
                };
                let record = match decoded[index].get(&offset) {
                    Some(record) => record.clone(),
                    None => {
                        let record = match guarded(|| db.record(*address))
                            .unwrap_or_else(|| Err("the reader failed".into()))
                        {
                            Ok(record) => record.map(|r| r.place()).unwrap_or_default(),
                            Err(reason) => {
                                places.fail(&db.info, *address, &reason);
                                RecordPlace::default()
                            }
                        };
                        decoded[index].insert(offset, record.clone());
                        record
                    }
                };
                found |= record != RecordPlace::default();
                tables.merge(&mut places, symbol, record);
            }
            places.located += u64::from(found);
        }
        places.countries = tables.countries.into_keys_ordered();
        places.cities = tables.cities;
        places.networks = tables.networks.into_keys_ordered();
        places
    }

    fn fail(&mut self, db: &DatabaseInfo, address: IpAddr, reason: &str) {
        self.failed_lookups += 1;
        if self.first_failure.is_none() {
            self.first_failure = Some(format!("{}: {address}: {reason}", db.path));
        }
    }

    /// The place of the address with this Ip symbol.
    pub fn of_symbol(&self, symbol: u32, text: &str) -> Place<'_> {
        let at = |table: &[u32]| table.get(symbol as usize).copied().unwrap_or(0);
        let pick = |index: u32| index.checked_sub(1).map(|i| i as usize);
        Place {
            country: pick(at(&self.country)).and_then(|i| self.countries.get(i)),
            city: pick(at(&self.city)).and_then(|i| self.cities.get(i)),
            network: pick(at(&self.network)).and_then(|i| self.networks.get(i)),
            special: special_purpose(text),
        }
    }

    /// The place of `row`'s address.
    pub fn of_row(&self, store: &Store, row: usize) -> Place<'_> {
        match store.events.interned(TextField::Ip) {
            Some(column) => {
                let symbol = column.rows.get(row).copied().unwrap_or(0);
                self.of_symbol(symbol, column.values.resolve(symbol))
            }
            None => Place::default(),
        }
    }

    /// Per Ip symbol, the 1-based country index (0: none): for filters and counts.
    pub fn country_by_symbol(&self) -> &[u32] {
        &self.country
    }

    /// Per Ip symbol, the 1-based city index (0: none).
    pub fn city_by_symbol(&self) -> &[u32] {
        &self.city
    }

    /// Per Ip symbol, the 1-based AS index (0: none).
    pub fn network_by_symbol(&self) -> &[u32] {
        &self.network
    }
}

/// An address as the logs write it: IPv4, IPv6, IPv4-mapped IPv6 (taken as
/// IPv4), with or without brackets; anything else has no place.
pub fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let text = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    text.parse::<IpAddr>().ok().map(|a| a.to_canonical())
}

/// The distinct answers, numbered in the order first seen.
#[derive(Default)]
struct Tables {
    countries: Numbered<Country>,
    cities: Vec<City>,
    city_ids: HashMap<(String, String, u64, u64), u32>,
    networks: Numbered<AutonomousSystem>,
}

impl Tables {
    fn merge(&mut self, places: &mut Places, symbol: usize, record: RecordPlace) {
        if places.country[symbol] == 0
            && let Some((iso, name)) = record.country
        {
            places.country[symbol] = self.countries.number(Country { iso, name });
        }
        if places.city[symbol] == 0
            && let Some((name, region)) = record.city
        {
            let (latitude, longitude) = record.latitude.unzip();
            let key = (
                name.clone(),
                region.clone(),
                latitude.unwrap_or(f64::NAN).to_bits(),
                longitude.unwrap_or(f64::NAN).to_bits(),
            );
            let next = self.cities.len() as u32 + 1;
            let id = *self.city_ids.entry(key).or_insert(next);
            if id == next {
                self.cities.push(City {
                    name,
                    region,
                    latitude,
                    longitude,
                });
            }
            places.city[symbol] = id;
        }
        if places.network[symbol] == 0
            && let Some((number, organization)) = record.asn
        {
            places.network[symbol] = self.networks.number(AutonomousSystem {
                number,
                organization,
            });
        }
    }
}

struct Numbered<T> {
    ids: HashMap<T, u32>,
}

impl<T> Default for Numbered<T> {
    fn default() -> Self {
        Numbered {
            ids: HashMap::new(),
        }
    }
}

impl<T: std::hash::Hash + Eq> Numbered<T> {
    /// 1-based.
    fn number(&mut self, value: T) -> u32 {
        let next = self.ids.len() as u32 + 1;
        *self.ids.entry(value).or_insert(next)
    }

    fn into_keys_ordered(self) -> Vec<T> {
        let mut entries: Vec<(T, u32)> = self.ids.into_iter().collect();
        entries.sort_by_key(|(_, id)| *id);
        entries.into_iter().map(|(value, _)| value).collect()
    }
}
