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
pub use svg::gantt_svg;
pub use trace::{trace_line, trace_text};
