//! Two policies side by side on the same workload: their full Gantt charts and averages.

use crate::panels::gantt::chart_ui;
use crate::playback::Playback;
use sim_core::Pid;

pub fn compare_ui(ui: &mut egui::Ui, main: &Playback, other: &Playback, selected: Option<Pid>) {
    ui.heading("Comparison (whole runs)");
    for playback in [main, other] {
        let report = playback.final_report();
        ui.strong(format!(
            "{}: average turnaround {}, waiting {}, response {}; makespan {}",
            report.policy,
            sim_core::text::maybe_number(report.averages.turnaround),
            sim_core::text::maybe_number(report.averages.waiting),
            sim_core::text::maybe_number(report.averages.response),
            report.makespan
        ));
        let end = playback.end_time();
        let _ = chart_ui(ui, playback.finished(), end, end.0 as f64, selected);
    }
}
