//! Two policies side by side on the same workload: their full Gantt charts and averages.

use crate::frame::Frame;
use crate::panels::gantt::chart_ui;
use sim_core::Pid;

/// The whole runs of `main` and `other` (the same workload under a second policy).
pub fn compare_ui(ui: &mut egui::Ui, main: &Frame, other: &Frame, selected: Option<Pid>) {
    ui.heading("Comparison (whole runs)");
    for frame in [main, other] {
        let report = frame.final_report;
        ui.strong(format!(
            "{}: average turnaround {}, waiting {}, response {}; makespan {}",
            report.policy,
            sim_core::text::maybe_number(report.averages.turnaround),
            sim_core::text::maybe_number(report.averages.waiting),
            sim_core::text::maybe_number(report.averages.response),
            report.makespan
        ));
        let end = frame.clock.end_time;
        let _ = chart_ui(
            ui,
            (frame.scenario, frame.final_roster),
            &frame.final_chart,
            (end, end),
            end.0 as f64,
            selected,
            None,
        );
    }
}
