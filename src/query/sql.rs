//! A `Filter` as a SQL condition over auditview's columnar schema
//! (`model::columnar`), for a cluster engine to narrow the Parquet files
//! before the desktop opens the result: `auditview filter-sql` prints it.
//! Plain SQL that DuckDB, Spark SQL and Trino accept: `IN`, `LIKE ...
//! ESCAPE '!'` (no backslash, which Spark reads as an escape in literals),
//! `translate()` to fold A-Z as auditview does (ASCII only: engines'
//! `lower()` folds other letters their own way, `İ` among them), and times
//! compared as Unix milliseconds (`time_unix_ms`), the same in every session
//! time zone, and addresses and CIDR blocks as ranges of `ip_hex` (a fixed
//! width text whose order is the addresses' order). Each criterion gives
//! the rows `query::select` gives, or more where auditview is stricter (an
//! IPv4 address written as IPv6, `::ffff:192.0.2.7`, is in an IPv4 block in
//! SQL only): never fewer.
//! A search text beyond ASCII (auditview folds it with Unicode's full
//! lower case, which no engine reproduces), criteria that need the case
//! (persons, visibility, repeats, marks, findings) and GeoIP places are
//! refused with the reason.

use super::Filter;
use super::pattern::PathPattern;
use crate::model::TextField;
use crate::model::columnar::{
    CATEGORY, IP_HEX, LOG, NODE_TYPE, OUTCOME, RESOURCE_KIND, SYSTEM, TIME_UNIX_MS, address_hex,
    text_column,
};

/// Why a filter cannot be written as SQL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{flag} cannot be written as portable SQL: {why}; narrow with the other flags on the cluster, then apply it in auditview"
)]
pub struct SqlError {
    pub flag: &'static str,
    pub why: &'static str,
}

/// The condition (for `WHERE`); `TRUE` for an empty filter.
pub fn where_clause(filter: &Filter) -> Result<String, SqlError> {
    refuse_what_needs_the_case(filter)?;
    let mut all: Vec<String> = Vec::new();
    let enum_in = |column: &str, labels: Vec<&str>| {
        format!(
            "{column} IN ({})",
            labels
                .into_iter()
                .map(literal)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if !filter.systems.is_empty() {
        all.push(enum_in(
            SYSTEM,
            filter.systems.iter().map(|v| v.as_str()).collect(),
        ));
    }
    if !filter.logs.is_empty() {
        all.push(enum_in(
            LOG,
            filter.logs.iter().map(|v| v.as_str()).collect(),
        ));
    }
    if !filter.outcomes.is_empty() {
        all.push(enum_in(
            OUTCOME,
            filter.outcomes.iter().map(|v| v.as_str()).collect(),
        ));
    }
    if !filter.categories.is_empty() {
        all.push(enum_in(
            CATEGORY,
            filter.categories.iter().map(|v| v.as_str()).collect(),
        ));
    }
    if !filter.kinds.is_empty() {
        all.push(enum_in(
            RESOURCE_KIND,
            filter.kinds.iter().map(|v| v.as_str()).collect(),
        ));
    }
    if !filter.node_types.is_empty() {
        all.push(enum_in(
            NODE_TYPE,
            filter.node_types.iter().map(|v| v.as_str()).collect(),
        ));
    }
    let actor = column(TextField::Actor);
    if !filter.users.is_empty() {
        all.push(any(filter.users.iter().map(|u| is_user(actor, u.trim()))));
    }
    if !filter.actions.is_empty() {
        let action = column(TextField::Action);
        all.push(any(filter.actions.iter().map(|a| {
            format!(
                "{} = {}",
                fold_ascii(action),
                literal(&a.trim().to_ascii_lowercase())
            )
        })));
    }
    if !filter.owners.is_empty() {
        let owner = column(TextField::Owner);
        all.push(format!(
            "({owner} <> '' AND {})",
            any(filter.owners.iter().map(|o| is_user(owner, o.trim())))
        ));
    }
    let exactly = |field: TextField, values: &[String]| {
        let name = column(field);
        format!(
            "({name} <> '' AND {name} IN ({}))",
            values
                .iter()
                .map(|v| literal(v.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    if !filter.requests.is_empty() {
        all.push(exactly(TextField::RequestId, &filter.requests));
    }
    if !filter.resources.is_empty() {
        all.push(exactly(TextField::Resource, &filter.resources));
    }
    if !filter.paths.is_empty() {
        let path = column(TextField::NodePath);
        let patterns = filter
            .paths
            .iter()
            .map(|p| PathPattern::parse(p).map(|p| path_condition(path, p.as_str())))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| SqlError {
                flag: "--path",
                why: "an empty pattern",
            })?;
        all.push(format!("({path} <> '' AND {})", any(patterns.into_iter())));
    }
    if let Some(from) = filter.from {
        all.push(format!("{TIME_UNIX_MS} >= {}", from.0));
    }
    if let Some(to) = filter.to {
        all.push(format!("{TIME_UNIX_MS} <= {}", to.0));
    }
    if !filter.ips.is_empty() {
        let blocks = filter
            .ips
            .iter()
            .map(|ip| super::filter::parse_ip_block(ip))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| SqlError {
                flag: "--ip",
                why: "not an address or CIDR block",
            })?;
        all.push(any(blocks.iter().map(|block| {
            let (first, last) = (
                address_hex(&block.network()),
                address_hex(&block.broadcast()),
            );
            if first == last {
                format!("{IP_HEX} = '{first}'")
            } else {
                format!("({IP_HEX} >= '{first}' AND {IP_HEX} <= '{last}')")
            }
        })));
    }
    for text in filter.texts.iter().filter(|t| !t.is_empty()) {
        if !text.is_ascii() {
            return Err(SqlError {
                flag: "--text",
                why: "a search text beyond ASCII (auditview folds its case with Unicode's full lower case, which SQL engines do not reproduce)",
            });
        }
        let pattern = literal(&format!("%{}%", escape_like(&text.to_ascii_lowercase())));
        all.push(any(super::eval::SEARCHED_FIELDS.iter().map(|&field| {
            format!("{} LIKE {pattern} ESCAPE '!'", fold_ascii(column(field)))
        })));
    }
    Ok(if all.is_empty() {
        "TRUE".to_string()
    } else {
        all.join("\n  AND ")
    })
}

fn refuse_what_needs_the_case(filter: &Filter) -> Result<(), SqlError> {
    let refuse = |flag, why| Err(SqlError { flag, why });
    if !filter.persons.is_empty() {
        return refuse(
            "--person",
            "persons are joined from the whole case's evidence",
        );
    }
    if !filter.visible_by.is_empty() {
        return refuse(
            "--visible-by",
            "who could see a node is proven from the whole case",
        );
    }
    if filter.skip_repeats {
        return refuse("--skip-repeats", "repeats are found across the whole case");
    }
    if filter.starred || !filter.tags.is_empty() || filter.has_note {
        return refuse("--starred/--tag/--has-note", "marks live in the case file");
    }
    if !filter.findings.is_empty() {
        return refuse("--finding", "findings are computed from the whole case");
    }
    if !filter.countries.is_empty() || !filter.asns.is_empty() {
        return refuse("--country/--asn", "places come from the GeoIP databases");
    }
    Ok(())
}

fn column(field: TextField) -> &'static str {
    text_column(field).unwrap_or("details")
}

/// A text column with A-Z folded to a-z and nothing else: auditview's
/// comparisons ignore ASCII case only.
fn fold_ascii(column: &str) -> String {
    format!("translate({column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')")
}

/// `query::is_user` in SQL: the name in any ASCII case, or a DNAnexus
/// `user-<name>` (the prefix in lower case, as the rule has it).
fn is_user(column: &str, name: &str) -> String {
    let name = name.to_ascii_lowercase();
    let folded = fold_ascii(column);
    format!(
        "({folded} = {} OR ({column} LIKE 'user-%' AND {folded} = {}))",
        literal(&name),
        literal(&format!("user-{name}"))
    )
}

/// `PathPattern` in SQL: without `*`, the node and everything beneath it;
/// with `*`, `LIKE` with `%` for each star (the same anchored match).
fn path_condition(column: &str, pattern: &str) -> String {
    if pattern.contains('*') {
        let like: Vec<String> = pattern.split('*').map(escape_like).collect();
        return format!("{column} LIKE {} ESCAPE '!'", literal(&like.join("%")));
    }
    let base = pattern.trim_end_matches('/');
    let base = if base.is_empty() { "/" } else { base };
    let below = if base.ends_with('/') {
        format!("{}%", escape_like(base))
    } else {
        format!("{}/%", escape_like(base))
    };
    format!(
        "({column} = {} OR {column} LIKE {} ESCAPE '!')",
        literal(base),
        literal(&below)
    )
}

fn any(parts: impl Iterator<Item = String>) -> String {
    let parts: Vec<String> = parts.collect();
    if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

/// A SQL string literal: quotes doubled. (No backslash escapes: ANSI
/// literals have none, and Spark is told so by the recipe's
/// `spark.sql.parser.escapedStringLiterals=true`.)
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `LIKE` metacharacters taken literally, with `!` as the escape.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '!' | '%' | '_') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, System};
    use crate::time::UtcMs;

    #[test]
    fn an_empty_filter_is_true_and_criteria_combine_with_and() {
        assert_eq!(where_clause(&Filter::default()).unwrap(), "TRUE");
        let filter = Filter {
            systems: vec![System::Pydio],
            outcomes: vec![Outcome::Failure, Outcome::Unknown],
            from: Some(UtcMs(1_709_251_200_000)),
            ..Filter::default()
        };
        assert_eq!(
            where_clause(&filter).unwrap(),
            "system IN ('pydio')\n  AND outcome IN ('failure', 'unknown')\n  AND time_unix_ms >= 1709251200000"
        );
    }

    #[test]
    fn quotes_and_like_metacharacters_are_taken_literally() {
        assert_eq!(literal("O'Brien"), "'O''Brien'");
        assert_eq!(escape_like("50%_off!"), "50!%!_off!!");
        assert_eq!(
            path_condition("node_path", "ds/a_b"),
            "(node_path = 'ds/a_b' OR node_path LIKE 'ds/a!_b/%' ESCAPE '!')"
        );
        assert_eq!(
            path_condition("node_path", "*.pdf"),
            "node_path LIKE '%.pdf' ESCAPE '!'"
        );
    }

    #[test]
    fn what_needs_the_case_is_refused_with_its_reason() {
        let filter = Filter {
            visible_by: vec!["alice".into()],
            ..Filter::default()
        };
        let error = where_clause(&filter).unwrap_err();
        assert_eq!(error.flag, "--visible-by");
        assert!(error.to_string().contains("apply it in auditview"));
        let filter = Filter {
            countries: vec!["JP".into()],
            ..Filter::default()
        };
        assert_eq!(where_clause(&filter).unwrap_err().flag, "--country/--asn");
    }

    #[test]
    fn addresses_and_blocks_are_ranges_of_the_sortable_address_column() {
        let filter = Filter {
            ips: vec!["192.0.2.7".into(), "198.51.100.0/24".into()],
            ..Filter::default()
        };
        assert_eq!(
            where_clause(&filter).unwrap(),
            "(ip_hex = '00000000000000000000ffffc0000207' OR (ip_hex >= '00000000000000000000ffffc6336400' AND ip_hex <= '00000000000000000000ffffc63364ff'))"
        );
        // The column's text order is the addresses' order.
        let sorted =
            ["10.0.0.1", "192.0.2.7", "2001:db8::1", "::1"].map(crate::model::columnar::ip_hex);
        assert!(sorted[3] < sorted[0] && sorted[0] < sorted[1] && sorted[1] < sorted[2]);
        assert_eq!(crate::model::columnar::ip_hex("not an address"), "");
    }

    #[test]
    fn case_is_folded_as_auditview_folds_it_or_the_flag_is_refused() {
        let filter = Filter {
            users: vec!["Élise".into()],
            ..Filter::default()
        };
        let sql = where_clause(&filter).unwrap();
        assert!(
            sql.contains("translate(actor, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"),
            "{sql}"
        );
        assert!(sql.contains("'Élise'") && !sql.contains("lower("), "{sql}");
        let filter = Filter {
            texts: vec!["İstanbul".into()],
            ..Filter::default()
        };
        assert_eq!(where_clause(&filter).unwrap_err().flag, "--text");
    }
}
