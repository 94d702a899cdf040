//! Tests of `index::findings::rules`.

use super::compiled::parse_window;
use super::*;
use crate::time::DAY_MS;

#[test]
fn the_shipped_rules_are_valid() {
    let set = RuleSet::shipped();
    assert!(set.rules.len() >= 4);
    assert!(set.origins.iter().all(|o| o == "shipped"));
}

#[test]
fn a_rule_naming_an_unknown_field_or_value_is_refused_with_its_id() {
    let mut set = RuleSet::default();
    let bad = r#"{"rules":[{"id":"x","title":"X","severity":"low","selection":{"colour":"red"}}]}"#;
    let error = set.add_text(bad, "mine.json").unwrap_err().to_string();
    assert!(
        error.contains("rule 'x'") && error.contains("'colour'"),
        "{error}"
    );
    let bad = r#"{"rules":[{"id":"y","title":"Y","severity":"low","selection":{"category":"teleport"}}]}"#;
    let error = set.add_text(bad, "mine.json").unwrap_err().to_string();
    assert!(error.contains("'teleport' is not a category"), "{error}");
    let bad = r#"{"rules":[{"id":"z","title":"Z","severity":"low","selection":{"category":"login"},"window":"soon"}]}"#;
    assert!(set.add_text(bad, "mine.json").is_err());
}

#[test]
fn windows_read_seconds_minutes_hours_and_days() {
    assert_eq!(parse_window("90s"), Ok(90_000));
    assert_eq!(parse_window("10m"), Ok(600_000));
    assert_eq!(parse_window("2d"), Ok(2 * DAY_MS));
    assert!(parse_window("0h").is_err());
    assert!(parse_window("9999999999999999d").is_err());
    assert!(parse_window("").is_err());
}

#[test]
fn clusters_merge_overlapping_windows_and_keep_apart_distant_ones() {
    let times = [0, 10, 20, 30, 1_000, 1_010, 5_000];
    let rows: Vec<u32> = (0..7).collect();
    let runs = |threshold, window| -> Vec<Vec<u32>> {
        clusters(&times, &rows, None, threshold, window)
            .into_iter()
            .map(|(rows, _)| rows)
            .collect()
    };
    assert_eq!(runs(3, Some(15)), Vec::<Vec<u32>>::new());
    assert_eq!(runs(3, Some(20)), vec![vec![0, 1, 2, 3]]);
    assert_eq!(runs(2, Some(15)), vec![vec![0, 1, 2, 3], vec![4, 5]]);
    assert_eq!(runs(8, None), Vec::<Vec<u32>>::new());
    assert_eq!(runs(7, None).len(), 1);
}

#[test]
fn distinct_clusters_count_values_not_rows() {
    // Eight tries in a window naming three accounts, then three tries
    // naming three more, far later.
    let times = [0, 1, 2, 3, 4, 5, 6, 7, 1_000, 1_001, 1_002];
    let rows: Vec<u32> = (0..11).collect();
    let accounts = [1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6];
    let found = clusters(&times, &rows, Some(&accounts), 3, Some(10));
    assert_eq!(found, vec![((0..8).collect(), 3), ((8..11).collect(), 3)]);
    assert!(clusters(&times, &rows, Some(&accounts), 4, Some(10)).is_empty());
    // Without a window: every row, six accounts.
    assert_eq!(
        clusters(&times, &rows, Some(&accounts), 6, None),
        vec![(rows.clone(), 6)]
    );
}

#[test]
fn distinct_of_nothing_or_of_the_group_itself_is_refused() {
    let mut set = RuleSet::default();
    for (distinct, words) in [("none", "names no field"), ("ip", "is the group_by field")] {
        let rule = format!(
            r#"{{"rules":[{{"id":"s","title":"S","severity":"low","selection":{{"category":"login_failed"}},"group_by":"ip","distinct":"{distinct}"}}]}}"#
        );
        let error = set.add_text(&rule, "mine.json").unwrap_err().to_string();
        assert!(error.contains(words), "{error}");
    }
}
