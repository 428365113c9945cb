//! Metrics as they accumulate, and the final table and averages at the end.

use crate::frame::Frame;
use sim_core::measures;

pub fn metrics_ui(ui: &mut egui::Ui, frame: &Frame) {
    let so_far = &frame.metrics;
    let finished = so_far
        .processes
        .iter()
        .filter(|p| p.completion.is_some())
        .count();
    ui.heading("Metrics");
    ui.label(format!(
        "{} of {} processes finished",
        finished,
        so_far.processes.len()
    ));
    if finished > 0 {
        ui.label(format!(
            "averages so far: turnaround {}, waiting {}, response {}",
            sim_core::text::maybe_number(so_far.averages.turnaround),
            sim_core::text::maybe_number(so_far.averages.waiting),
            sim_core::text::maybe_number(so_far.averages.response)
        ));
    }
    if !frame.clock.at_end {
        return;
    }
    let report = frame.final_report;
    ui.separator();
    ui.strong("Final results");
    let columns = measures::pick(
        measures::PROCESS,
        &["name", "completion", "turnaround", "waiting", "response"],
    );
    egui::Grid::new("final").striped(true).show(ui, |ui| {
        for measure in &columns {
            ui.strong(measure.about.short)
                .on_hover_text(measure.about.help);
        }
        ui.end_row();
        for row in &report.processes {
            for cell in measures::cells(&columns, row) {
                ui.label(cell);
            }
            ui.end_row();
        }
        ui.strong("average");
        ui.label("");
        ui.strong(sim_core::text::maybe_number(report.averages.turnaround));
        ui.strong(sim_core::text::maybe_number(report.averages.waiting));
        ui.strong(sim_core::text::maybe_number(report.averages.response));
        ui.end_row();
    });
    ui.label(format!(
        "makespan {}, CPU utilisation {:.1}%, {} context switches",
        report.makespan,
        report.cpu_utilization * 100.0,
        report.context_switches
    ));
}
