//! The benches' one timing helper: runs the work and prints its time.

use std::time::Instant;

/// Runs `work`, prints `label` and its milliseconds, and returns its result.
pub fn timed<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = work();
    println!(
        "{label:<56} {:>8.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}
