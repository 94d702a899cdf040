//! The detectors' settings, shared by every command whose filter may name a
//! finding (`--finding`) and by `auditview findings`: the rules files and
//! the thresholds, each defaulting to `FindingsConfig`'s.

use std::path::PathBuf;

use super::CliError;
use crate::index::findings::FindingsConfig;

#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Findings")]
pub struct FindingArgs {
    /// A rules file (JSON, see docs/guide/findings.md), added to the
    /// shipped rules; a rule with a shipped rule's id replaces it. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// An identity's first days of activity are its settled history.
    #[arg(long, value_name = "DAYS", default_value_t = FindingsConfig::default().baseline_days)]
    pub baseline_days: f64,
    /// Travel faster than this between two places of one identity is impossible.
    #[arg(long, value_name = "KM/H", default_value_t = FindingsConfig::default().travel_kmh)]
    pub travel_kmh: f64,
    /// A silence in one system's log longer than this many hours is a finding.
    #[arg(long, value_name = "HOURS", default_value_t = FindingsConfig::default().silence_hours)]
    pub silence_hours: f64,
}

impl Default for FindingArgs {
    fn default() -> Self {
        let defaults = FindingsConfig::default();
        FindingArgs {
            rules: Vec::new(),
            baseline_days: defaults.baseline_days,
            travel_kmh: defaults.travel_kmh,
            silence_hours: defaults.silence_hours,
        }
    }
}

impl FindingArgs {
    /// The configuration these flags describe; a bad rules file is an error.
    pub fn config(&self) -> Result<FindingsConfig, CliError> {
        let mut config = FindingsConfig {
            baseline_days: finite(self.baseline_days, "--baseline-days")?,
            travel_kmh: finite(self.travel_kmh, "--travel-kmh")?,
            silence_hours: finite(self.silence_hours, "--silence-hours")?,
            ..FindingsConfig::default()
        };
        for path in &self.rules {
            config.rules.add_file(path)?;
        }
        Ok(config)
    }
}

fn finite(value: f64, flag: &'static str) -> Result<f64, CliError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(CliError::Usage(format!(
            "{flag} needs a number of at least 0"
        )))
    }
}
