//! The process table (PCBs), sortable; clicking a row selects the process everywhere.

use crate::app::SortColumn;
use crate::palette;
use crate::panels::Action;
use crate::playback::Playback;
use sim_core::Pid;
use sim_core::snapshot::ProcessView;

/// The process table of `playback`, sorted by `sort` (descending when `descending`); asks
/// to sort by a column or to select a row's process.
pub fn pcb_table_ui(
    ui: &mut egui::Ui,
    playback: &Playback,
    (sort, descending): (SortColumn, bool),
    selected: Option<Pid>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let scenario = playback.scenario();
    let snapshot = playback.snapshot();
    let wakes = playback.simulator().wake_times();
    ui.heading("Process table");
    let mut rows: Vec<&ProcessView> = snapshot.processes.iter().collect();
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
    if descending {
        rows.reverse();
    }
    // Tight columns: the whole table fits a projector window at 1280x720.
    egui::Grid::new("pcbs")
        .striped(true)
        .spacing([5.0, 4.0])
        .show(ui, |ui| {
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
                ("IO left", None),
            ];
            for (title, column) in headers {
                match column {
                    Some(column) => {
                        let arrow = if sort == column {
                            if descending { " (desc)" } else { " (asc)" }
                        } else {
                            ""
                        };
                        if ui.button(format!("{title}{arrow}")).clicked() {
                            actions.push(Action::SortBy(column));
                        }
                    }
                    None => {
                        ui.strong(title);
                    }
                }
            }
            ui.end_row();
            for row in rows {
                let selected = selected == Some(row.pid);
                let chip = egui::RichText::new(format!(" {} ", row.pid))
                    .background_color(palette::process_colour(row.pid))
                    .color(palette::text_on(palette::process_colour(row.pid)));
                if ui.selectable_label(selected, chip).clicked() {
                    actions.push(Action::Select((!selected).then_some(row.pid)));
                }
                ui.label(row.ppid.to_string());
                ui.label(&row.name);
                // A process a CPU is switching to is ready, on its way: said so, as its chip sits
                // in that CPU's box.
                match snapshot
                    .cpus
                    .iter()
                    .find(|cpu| cpu.switching_to == Some(row.pid))
                {
                    Some(cpu) => ui.label(format!("ready (switching to {})", cpu.cpu)),
                    None => ui.label(row.state_detail(scenario)),
                };
                ui.label(row.priority.to_string());
                ui.label(row.level.to_string());
                ui.label(format!("{} / {}", row.program_counter, row.step));
                ui.label(row.remaining_ticks.to_string());
                ui.label(row.cpu_ticks.to_string());
                ui.label(row.ready_ticks.to_string());
                // The time left of an IO in service (or a sleep), counting down tick by tick.
                match wakes.iter().find(|(pid, _)| *pid == row.pid) {
                    Some((_, at)) => ui.label(at.since(snapshot.time).to_string()),
                    None => ui.label(""),
                };
                ui.end_row();
            }
        });
    actions
}
