//! Impossible travel: two successful events of one identity whose places
//! (the GeoIP databases' coordinates) are further apart than a speed allows
//! in the time between them. Places nearer than `travel_min_km` are one
//! place: a database's coordinates are a network's centre, not a person's.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::{Finding, FindingsConfig, Hits, Identities, IntHasher};
use crate::display::reveal;
use crate::index::Case;
use crate::model::{Category, FindingKind, Outcome, Severity};
use crate::time::{DAY_MS, HOUR_MS, UtcMs};

const EARTH_RADIUS_KM: f64 = 6371.0;

/// A place in radians, with its latitude's cosine: what the distance needs.
type Radians = (f64, f64, f64);

fn radians(latitude: f64, longitude: f64) -> Radians {
    let lat = latitude.to_radians();
    (lat, longitude.to_radians(), lat.cos())
}

/// The great-circle distance in km (haversine, mean Earth radius).
fn haversine_km((lat1, lon1, cos1): Radians, (lat2, lon2, cos2): Radians) -> f64 {
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + cos1 * cos2 * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

pub fn impossible_travel(
    case: &Case,
    identities: &Identities,
    config: &FindingsConfig,
) -> Vec<Finding> {
    let places = case.places();
    if places.cities.is_empty() {
        return Vec::new();
    }
    // Once per city: where it is, in radians with its latitude's cosine
    // (None: no usable coordinates); once per address: its city.
    let cities: Vec<Option<(f64, f64, f64)>> = places
        .cities
        .iter()
        .map(|c| match (c.latitude, c.longitude) {
            (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => Some(radians(lat, lon)),
            _ => None,
        })
        .collect();
    let located: Vec<u32> = places
        .city_by_symbol()
        .iter()
        .map(|&city| match city.checked_sub(1) {
            Some(index) if cities.get(index as usize).is_some_and(Option::is_some) => city,
            _ => 0,
        })
        .collect();
    let city_of = |ip: u32| -> Option<u32> { located.get(ip as usize)?.checked_sub(1) };
    let distance = |a: u32, b: u32| -> f64 {
        match (cities[a as usize], cities[b as usize]) {
            (Some(a), Some(b)) => haversine_km(a, b),
            _ => 0.0,
        }
    };
    let label = |city: u32| {
        let c = &places.cities[city as usize];
        if c.name.is_empty() {
            format!(
                "{:.2}, {:.2}",
                c.latitude.unwrap_or(0.0),
                c.longitude.unwrap_or(0.0)
            )
        } else {
            c.name.clone()
        }
    };
    identities.par_each(|name, m| {
        let mut found = Hits::default();
        // The last place (by position), and the pairs already said.
        let mut last: Option<(usize, u32)> = None;
        // Events come in time order: the pairs said are kept for one day.
        let mut said: HashSet<u64, BuildHasherDefault<IntHasher>> = HashSet::default();
        let mut said_day = i64::MIN;
        for i in 0..m.len() {
            if m.outcomes[i] == Outcome::Failure || m.categories[i] == Category::LoginFailed {
                continue;
            }
            let Some(city) = city_of(m.ips[i]) else {
                continue;
            };
            if let Some((before, before_city)) = last
                && before_city != city {
                    let km = distance(before_city, city);
                    let (t0, t1) = (m.times[before], m.times[i]);
                    let hours = (t1 - t0).max(0) as f64 / HOUR_MS as f64;
                    let kmh = if hours > 0.0 { km / hours } else { f64::INFINITY };
                    let day = t1.div_euclid(DAY_MS);
                    if day != said_day {
                        said.clear();
                        said_day = day;
                    }
                    let pair = (u64::from(before_city.min(city)) << 32)
                        | u64::from(before_city.max(city));
                    if km >= config.travel_min_km && kmh > config.travel_kmh && said.insert(pair) {
                        let rows = [m.rows[before], m.rows[i]];
                        found.push(t0, &rows, (before_city, city, t1, km, hours, kmh));
                    }
                }
            last = Some((i, city));
        }
        found.findings(
            (FindingKind::ImpossibleTravel, Severity::High),
            name,
            "impossible travels",
            |hit| {
                let (from, to, t1, km, hours, kmh) = hit.detail;
                let speed = if kmh.is_finite() {
                    format!("{kmh:.0} km/h")
                } else {
                    "at once".to_string()
                };
                format!(
                    "{} was in {} at {} and in {} at {}: {km:.0} km in {hours:.1} h ({speed}; the limit is {:.0} km/h)",
                    reveal(name),
                    reveal(&label(from)),
                    UtcMs(hit.time),
                    reveal(&label(to)),
                    UtcMs(t1),
                    config.travel_kmh,
                )
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distance_from_london_to_new_york_is_about_5570_km() {
        let km = haversine_km(radians(51.5074, -0.1278), radians(40.7128, -74.0060));
        assert!((km - 5570.0).abs() < 15.0, "{km}");
        assert_eq!(haversine_km(radians(10.0, 20.0), radians(10.0, 20.0)), 0.0);
    }
}
