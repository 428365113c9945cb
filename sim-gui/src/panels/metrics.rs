//! Metrics as they accumulate, and the final table and averages at the end.

use crate::playback::Playback;
use sim_core::metrics;

pub fn metrics_ui(ui: &mut egui::Ui, playback: &Playback) {
    let scenario = playback.scenario();
    let so_far = metrics::derive(scenario, playback.simulator().log());
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
    if !playback.is_at_end() {
        return;
    }
    let report = playback.final_report();
    ui.separator();
    ui.strong("Final results");
    egui::Grid::new("final").striped(true).show(ui, |ui| {
        for header in ["Process", "Compl.", "Turn.", "Wait", "Resp."] {
            ui.strong(header);
        }
        ui.end_row();
        let show = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        for row in &report.processes {
            ui.label(&row.name);
            ui.label(show(row.completion));
            ui.label(show(row.turnaround));
            ui.label(row.waiting.to_string());
            ui.label(show(row.response));
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
