//! The per-process table as CSV (`procsim run FILE --format csv`), one row per process in pid
//! order, empty cells where the run never got there.

use crate::report::RunReport;

/// The header and rows. Names are quoted when they hold a comma or a quote.
pub fn processes_csv(report: &RunReport) -> String {
    let mut out = String::from(
        "name,pid,ppid,arrival,first_run,completion,turnaround,waiting,response,cpu_time,exit_code\n",
    );
    let cell = |value: Option<u64>| value.map_or(String::new(), |v| v.to_string());
    for row in &report.processes {
        let name = crate::text::escape_controls(&row.name);
        let name = if name.contains([',', '"']) {
            format!("\"{}\"", name.replace('"', "\"\""))
        } else {
            name
        };
        out.push_str(&format!(
            "{name},{},{},{},{},{},{},{},{},{},{}\n",
            row.pid,
            row.ppid,
            row.arrival,
            cell(row.first_run),
            cell(row.completion),
            cell(row.turnaround),
            row.waiting,
            cell(row.response),
            row.cpu_time,
            row.exit_code.map_or(String::new(), |c| c.to_string()),
        ));
    }
    out
}
