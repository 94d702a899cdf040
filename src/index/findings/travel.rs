//! Impossible travel: two successful events of one identity whose places
//! (the GeoIP databases' coordinates) are further apart than a speed allows
//! in the time between them. Places nearer than `travel_min_km` are one
//! place: a database's coordinates are a network's centre, not a person's.

use super::{Finding, FindingsConfig, Identities};
use crate::display::reveal;
use crate::index::Case;
use crate::model::{Category, FindingKind, Outcome, Severity, TextField};
use crate::time::{DAY_MS, HOUR_MS, UtcMs};

/// The great-circle distance in km (haversine, mean Earth radius).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
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
    let events = &case.store.events;
    let ips = events
        .interned(TextField::Ip)
        .map_or(&[][..], |c| &c.rows[..]);
    let city_of = |row: u32| -> Option<u32> {
        let ip = *ips.get(row as usize)?;
        let city = *places.city_by_symbol().get(ip as usize)?;
        let index = city.checked_sub(1)?;
        let c = places.cities.get(index as usize)?;
        (c.latitude.is_some_and(f64::is_finite) && c.longitude.is_some_and(f64::is_finite))
            .then_some(index)
    };
    let coordinates = |city: u32| {
        let c = &places.cities[city as usize];
        (c.latitude.unwrap_or(0.0), c.longitude.unwrap_or(0.0))
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
    identities.par_each(|name, rows| {
        let mut found = Vec::new();
        // The last place, and the pairs already said (once a day each).
        let mut last: Option<(u32, u32)> = None;
        let mut said: Vec<(u32, u32, i64)> = Vec::new();
        for &row in rows {
            let r = row as usize;
            if events.outcome[r] == Outcome::Failure || events.category[r] == Category::LoginFailed
            {
                continue;
            }
            let Some(city) = city_of(row) else { continue };
            if let Some((before_row, before_city)) = last {
                if before_city != city {
                    let km = distance_km(coordinates(before_city), coordinates(city));
                    let (t0, t1) = (events.time_ms[before_row as usize], events.time_ms[r]);
                    let hours = (t1 - t0).max(0) as f64 / HOUR_MS as f64;
                    let kmh = if hours > 0.0 { km / hours } else { f64::INFINITY };
                    let day = t1.div_euclid(DAY_MS);
                    let pair = (before_city.min(city), before_city.max(city), day);
                    if km >= config.travel_min_km && kmh > config.travel_kmh && !said.contains(&pair)
                    {
                        said.push(pair);
                        let speed = if kmh.is_finite() {
                            format!("{kmh:.0} km/h")
                        } else {
                            "at once".to_string()
                        };
                        found.push(Finding::new(
                            FindingKind::ImpossibleTravel,
                            Severity::High,
                            name,
                            format!(
                                "{} was in {} at {} and in {} at {}: {km:.0} km in {:.1} h ({speed}; the limit is {:.0} km/h)",
                                reveal(name),
                                reveal(&label(before_city)),
                                UtcMs(t0),
                                reveal(&label(city)),
                                UtcMs(t1),
                                hours,
                                config.travel_kmh,
                            ),
                            Some(t0),
                            vec![before_row, row],
                        ));
                    }
                }
            }
            last = Some((row, city));
        }
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distance_from_london_to_new_york_is_about_5570_km() {
        let km = distance_km((51.5074, -0.1278), (40.7128, -74.0060));
        assert!((km - 5570.0).abs() < 15.0, "{km}");
        assert_eq!(distance_km((10.0, 20.0), (10.0, 20.0)), 0.0);
    }
}
