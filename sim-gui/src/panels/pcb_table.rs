//! The process table (PCBs), sortable; clicking a row selects the process everywhere. A
//! multi-threaded process's threads follow its row, indented, and fold into it on request.

use crate::frame::Frame;
use crate::palette;
use crate::panels::Action;
use crate::view::SortColumn;
use sim_core::Pid;
use sim_core::snapshot::ProcessView;

/// The process table of `frame`, sorted by `sort` (descending when `descending`); asks
/// to sort by a column or to select a row's process.
pub fn pcb_table_ui(
    ui: &mut egui::Ui,
    frame: &Frame,
    (sort, descending): (SortColumn, bool),
    folded: &std::collections::BTreeSet<Pid>,
    selected: Option<Pid>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let (scenario, snapshot, wakes) = (frame.scenario, &frame.snapshot, &frame.wake_times);
    ui.heading("Process table");
    let mut rows: Vec<&ProcessView> = snapshot
        .processes
        .iter()
        .filter(|p| p.thread.is_none())
        .collect();
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
    // Each process's spawned threads, in tid order, right after it.
    let threads_of = |process: Pid| -> Vec<&ProcessView> {
        snapshot
            .processes
            .iter()
            .filter(|p| p.thread.as_ref().is_some_and(|t| t.process == process))
            .collect()
    };
    // The policy's own values (CFS's vruntime), as more columns.
    let sched = sim_core::render::sched_names(snapshot.processes.iter().map(|p| &p.sched));
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
                // The run's measures under the names every table gives them.
                (heading("cpu_time"), Some(SortColumn::CpuTime)),
                (heading("waiting"), Some(SortColumn::Waiting)),
                ("IO left", None),
            ];
            // The policy's values right after the level: on a narrow window the last columns
            // are cut, and a vruntime is what a CFS lesson is about.
            let sched_headers = sched.iter().map(|&name| (name, None));
            let (before, after) = headers.split_at(6);
            let headers = before
                .iter()
                .copied()
                .chain(sched_headers)
                .chain(after.iter().copied());
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
            let mut listed: Vec<&ProcessView> = Vec::new();
            for row in rows {
                listed.push(row);
                if !folded.contains(&row.pid) {
                    listed.extend(threads_of(row.pid));
                }
            }
            for row in listed {
                let selected = selected == Some(row.pid);
                let colour = palette::task_colour(row.process(), row.pid);
                let chip = egui::RichText::new(format!(" {} ", row.pid))
                    .background_color(colour)
                    .color(palette::text_on(colour));
                if ui.selectable_label(selected, chip).clicked() {
                    actions.push(Action::Select((!selected).then_some(row.pid)));
                }
                ui.label(row.ppid.to_string());
                let threads = threads_of(row.pid).len();
                match &row.thread {
                    Some(thread) => {
                        ui.label(format!("  · thread {}", thread.name));
                    }
                    None if threads > 0 => {
                        ui.horizontal(|ui| {
                            let fold = folded.contains(&row.pid);
                            let sign = if fold { "+" } else { "-" };
                            if ui
                                .small_button(sign)
                                .on_hover_text(format!(
                                    "{} its {threads} threads",
                                    if fold { "Show" } else { "Hide" }
                                ))
                                .clicked()
                            {
                                actions.push(Action::ToggleThreads(row.pid));
                            }
                            ui.label(format!("{} ({} threads)", row.name, threads + 1));
                        });
                    }
                    None => {
                        ui.label(&row.name);
                    }
                }
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
                for cell in sim_core::render::sched_cells(&sched, &row.sched) {
                    ui.label(cell);
                }
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

/// The heading of the run's measure `name` (sim-core declares each measure once).
fn heading(name: &str) -> &'static str {
    sim_core::measures::named(sim_core::measures::PROCESS, name)
        .about
        .heading
}
