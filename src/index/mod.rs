//! What is computed once per case from every loaded event, whatever the
//! filter: the node tree, who could see what, which rows repeat another
//! source's, who is one person, the coverage of the evidence and the
//! findings. It sits between the model and the query layer: `query` asks it
//! for `--visible-by`, `--skip-repeats`, `--person` and `--finding`, the
//! views and the CLI read it.
//! `Case` holds a loaded `Store` with these indexes, each built on first use.

pub mod case;
pub mod coverage;
pub mod findings;
pub mod people;
pub mod repeats;
pub mod tree;
pub mod visibility;

pub use case::{Case, CaseIndex};

/// Runs `work`; with AUDITVIEW_TIMING set, prints how long it took under `name`.
pub(crate) fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    if std::env::var_os("AUDITVIEW_TIMING").is_none() {
        return work();
    }
    let started = std::time::Instant::now();
    let out = work();
    eprintln!(
        "[timing]   {name}: {:.3} s",
        started.elapsed().as_secs_f64()
    );
    out
}
