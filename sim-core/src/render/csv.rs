//! The per-process table as CSV (`procsim run FILE --format csv`), one row per process in pid
//! order, empty cells where the run never got there.

use crate::measures::{self, Value};
use crate::report::RunReport;

/// The columns, by the measures' names.
const COLUMNS: [&str; 11] = [
    "name",
    "pid",
    "ppid",
    "arrival",
    "first_run",
    "completion",
    "turnaround",
    "waiting",
    "response",
    "cpu_time",
    "exit_code",
];

/// The header and rows. Names are quoted when they hold a comma or a quote.
pub fn processes_csv(report: &RunReport) -> String {
    let columns = measures::pick(measures::PROCESS, &COLUMNS);
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for row in &report.processes {
        let cells: Vec<String> = columns
            .iter()
            .map(|measure| match (measure.value)(row) {
                Value::Text(text) => crate::text::csv_cell(&text),
                other => other.csv(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
