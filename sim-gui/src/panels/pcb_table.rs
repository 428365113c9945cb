//! The process table (PCBs), sortable; clicking a row selects the process everywhere.

use crate::app::{ProcsimApp, SortColumn};
use crate::palette;
use sim_core::snapshot::ProcessView;

pub fn pcb_table_ui(ui: &mut egui::Ui, app: &mut ProcsimApp) {
    let Some(playback) = &app.playback else {
        return;
    };
    let scenario = playback.scenario();
    let snapshot = playback.snapshot();
    ui.heading("Process table");
    let mut rows: Vec<&ProcessView> = snapshot.processes.iter().collect();
    let sort = app.view.sort;
    rows.sort_by(|a, b| {
        let order = match sort {
            SortColumn::Pid => a.pid.cmp(&b.pid),
            SortColumn::Name => a.name.cmp(&b.name),
            SortColumn::State => a.state.label().cmp(b.state.label()),
            SortColumn::Priority => a.priority.cmp(&b.priority),
            SortColumn::Remaining => a.remaining_ticks.cmp(&b.remaining_ticks),
            SortColumn::CpuTime => a.cpu_ticks.cmp(&b.cpu_ticks),
            SortColumn::Waiting => a.ready_ticks.cmp(&b.ready_ticks),
        };
        order.then(a.pid.cmp(&b.pid))
    });
    if app.view.sort_descending {
        rows.reverse();
    }
    egui::Grid::new("pcbs").striped(true).show(ui, |ui| {
        let headers = [
            ("PID", Some(SortColumn::Pid)),
            ("PPID", None),
            ("Name", Some(SortColumn::Name)),
            ("State", Some(SortColumn::State)),
            ("Priority", Some(SortColumn::Priority)),
            ("Level", None),
            ("PC / step", None),
            ("Remaining", Some(SortColumn::Remaining)),
            ("CPU time", Some(SortColumn::CpuTime)),
            ("Waiting", Some(SortColumn::Waiting)),
        ];
        for (title, column) in headers {
            match column {
                Some(column) => {
                    let arrow = if app.view.sort == column {
                        if app.view.sort_descending {
                            " (desc)"
                        } else {
                            " (asc)"
                        }
                    } else {
                        ""
                    };
                    if ui.button(format!("{title}{arrow}")).clicked() {
                        if app.view.sort == column {
                            app.view.sort_descending = !app.view.sort_descending;
                        } else {
                            app.view.sort = column;
                            app.view.sort_descending = false;
                        }
                    }
                }
                None => {
                    ui.strong(title);
                }
            }
        }
        ui.end_row();
        for row in rows {
            let selected = app.view.selected == Some(row.pid);
            let chip = egui::RichText::new(format!(" {} ", row.pid))
                .background_color(palette::process_colour(row.pid))
                .color(palette::text_on(palette::process_colour(row.pid)));
            if ui.selectable_label(selected, chip).clicked() {
                app.view.selected = if selected { None } else { Some(row.pid) };
            }
            ui.label(row.ppid.to_string());
            ui.label(&row.name);
            ui.label(row.state_detail(scenario));
            ui.label(row.priority.to_string());
            ui.label(row.level.to_string());
            ui.label(format!("{} / {}", row.program_counter, row.step));
            ui.label(row.remaining_ticks.to_string());
            ui.label(row.cpu_ticks.to_string());
            ui.label(row.ready_ticks.to_string());
            ui.end_row();
        }
    });
}
