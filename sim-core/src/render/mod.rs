//! Text renderings for terminals, one file per rendering: the report, the Gantt chart, the
//! trace, each event in words, the rules in force, the state at a time, the SVG chart, the CSV
//! table, the event log as JSON Lines and the Perfetto (Trace Event Format) trace. Pure
//! functions from values to strings; printing is the caller's business.

mod csv;
mod gantt;
mod jsonl;
mod perfetto;
mod report;
mod rules;
mod snapshot;
mod svg;
mod trace;

pub use crate::narrate::{cycle_arrows, cycle_names, describe};
pub use crate::text::{number, slug, table, ticks};
pub use csv::processes_csv;
pub use gantt::gantt_text;
pub use jsonl::event_line;
pub use perfetto::perfetto_json;
pub use report::{report_text, summary_text};
pub use rules::rules_text;
pub use snapshot::snapshot_text;
pub use svg::{gantt_svg, gantt_svg_with_jobs};
pub use trace::{trace_line, trace_text};

/// The names of the policy's own values (CFS's `vruntime`) any of `values` has, in order:
/// the extra columns of a table of processes.
pub fn sched_names<'a>(
    values: impl Iterator<Item = &'a crate::event::SchedValues>,
) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for map in values {
        for name in map.keys() {
            if !names.contains(name) {
                names.push(name);
            }
        }
    }
    names
}

/// A row's cells for the columns `names`: each value, or empty.
pub fn sched_cells(names: &[&'static str], values: &crate::event::SchedValues) -> Vec<String> {
    names
        .iter()
        .map(|name| values.get(name).map_or(String::new(), |v| v.to_string()))
        .collect()
}
