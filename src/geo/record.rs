//! A GeoIP record as the MaxMind databases hold it, decoded leniently:
//! names as text or per language, numbers as numbers or text.

use serde::Deserialize;

/// A text (IPinfo's `country`) or a map with `names` (GeoIP2's). Read by
/// hand: serde's untagged enums buffer the whole value first, and a hostile
/// database can make one value enormous (an array of millions of pointers).
#[derive(Debug)]
pub(super) enum TextOrNamed {
    Text(String),
    Named(Named),
}

impl<'de> Deserialize<'de> for TextOrNamed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = TextOrNamed;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name or a map of names")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TextOrNamed, E> {
                Ok(TextOrNamed::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<TextOrNamed, A::Error> {
                Named::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(TextOrNamed::Named)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// An AS number as a number of any unsigned width (GeoLite2 writes
/// uint32, other writers uint16) or a text like `AS15169` (IPinfo). Read
/// by its stored type (`deserialize_any`): asked for a u32, the reader
/// refuses a uint16.
#[derive(Debug)]
pub(super) enum NumberOrText {
    Number(u32),
    Text(String),
}

impl<'de> Deserialize<'de> for NumberOrText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = NumberOrText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an AS number")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<NumberOrText, E> {
                u32::try_from(v)
                    .map(NumberOrText::Number)
                    .map_err(|_| E::custom("an AS number beyond 32 bits"))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<NumberOrText, E> {
                u32::try_from(v)
                    .map(NumberOrText::Number)
                    .map_err(|_| E::custom("not an AS number"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NumberOrText, E> {
                Ok(NumberOrText::Text(v.to_string()))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// The first of a list (GeoIP2's `subdivisions`, most significant first);
/// the others are skipped without being kept.
#[derive(Debug, Default)]
pub(super) struct FirstOf<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for FirstOf<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = FirstOf<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FirstOf<T>, A::Error> {
                let first = seq.next_element::<T>()?;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(FirstOf(first))
            }
        }
        d.deserialize_seq(Visit(std::marker::PhantomData))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Named {
    iso_code: Option<String>,
    names: Option<Names>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Names {
    en: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Location {
    latitude: Option<f64>,
    longitude: Option<f64>,
}

/// A record's answer, in one shape whatever the layout.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RecordPlace {
    pub country: Option<(String, String)>,
    pub city: Option<(String, String)>,
    pub latitude: Option<(f64, f64)>,
    pub asn: Option<(u32, String)>,
}

impl Record {
    pub(super) fn place(&self) -> RecordPlace {
        let name = |named: &Named| named.names.as_ref().and_then(|n| n.en.clone());
        let country = match &self.country {
            Some(TextOrNamed::Named(named)) => named
                .iso_code
                .clone()
                .map(|iso| (iso, name(named).unwrap_or_default())),
            Some(TextOrNamed::Text(text)) => self
                .country_code
                .clone()
                .map(|iso| (iso, text.clone()))
                .or_else(|| (text.len() == 2).then(|| (text.clone(), String::new()))),
            None => self.country_code.clone().map(|iso| (iso, String::new())),
        }
        .or_else(|| {
            // Where a database has no country for an address, where it is
            // registered is the next best answer (GeoIP2's own advice).
            let registered = self.registered_country.as_ref()?;
            Some((
                registered.iso_code.clone()?,
                name(registered).unwrap_or_default(),
            ))
        })
        .map(|(iso, name)| (iso.trim().to_ascii_uppercase(), name))
        .filter(|(iso, _)| !iso.is_empty());
        let region = self
            .subdivisions
            .as_ref()
            .and_then(|s| s.0.as_ref())
            .and_then(name)
            .or_else(|| self.state1.clone())
            .unwrap_or_default();
        let city = match &self.city {
            Some(TextOrNamed::Named(named)) => name(named),
            Some(TextOrNamed::Text(text)) => Some(text.clone()),
            None => None,
        }
        .filter(|c| !c.is_empty())
        .map(|city| (city, region));
        let latitude = match &self.location {
            Some(Location {
                latitude: Some(lat),
                longitude: Some(lon),
            }) => Some((*lat, *lon)),
            _ => self.latitude.zip(self.longitude),
        }
        .filter(|(lat, lon)| lat.is_finite() && lon.is_finite());
        let as_number = |value: &NumberOrText| match value {
            NumberOrText::Number(n) => Some(*n),
            NumberOrText::Text(text) => {
                let text = text.trim();
                let digits = text
                    .strip_prefix("AS")
                    .or_else(|| text.strip_prefix("as"))
                    .unwrap_or(text);
                digits.parse().ok()
            }
        };
        let number = self
            .autonomous_system_number
            .as_ref()
            .and_then(as_number)
            .or_else(|| self.asn.as_ref().and_then(as_number));
        let organization = self
            .autonomous_system_organization
            .clone()
            .or_else(|| self.as_name.clone())
            .or_else(|| self.as_organization.clone())
            .unwrap_or_default();
        RecordPlace {
            country,
            city,
            latitude,
            asn: number.map(|n| (n, organization)),
        }
    }
}

/// A record as the common GeoIP layouts write it: GeoIP2/GeoLite2 and
/// DB-IP (nested maps with `names`), IPinfo Lite (`country_code`,
/// `country`, `asn` as `AS15169`, `as_name`), ip-location-db (flat
/// `country_code`, `city`, `latitude`). Fields it does not know are skipped.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Record {
    country: Option<TextOrNamed>,
    registered_country: Option<Named>,
    country_code: Option<String>,
    city: Option<TextOrNamed>,
    subdivisions: Option<FirstOf<Named>>,
    state1: Option<String>,
    location: Option<Location>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    /// Any unsigned width the file uses (uint16 from some writers), or text.
    autonomous_system_number: Option<NumberOrText>,
    autonomous_system_organization: Option<String>,
    asn: Option<NumberOrText>,
    as_name: Option<String>,
    as_organization: Option<String>,
}
