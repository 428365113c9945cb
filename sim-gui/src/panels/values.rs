//! Values, output and pools (docs/python.md): each process's globals and the shared variables
//! (a value written at the last instant is highlighted), the output console, and each pool's
//! workers and task queue. Pipes and queues are in the resources panel.

use crate::frame::Frame;
use crate::palette;
use sim_core::event::Event;
use sim_core::scenario::Step;

/// Whether the scenario has anything for this panel.
pub fn shows(scenario: &sim_core::Scenario) -> bool {
    !scenario.globals.is_empty()
        || !scenario.shared.is_empty()
        || !scenario.pools.is_empty()
        || scenario.any_step(|step| matches!(step, Step::Print(_)))
        // Its uncaught exceptions go to the console's stderr lines.
        || scenario.runtime == sim_core::scenario::Runtime::Python
        || !scenario.stdin.is_empty()
}

pub fn values_ui(ui: &mut egui::Ui, frame: &Frame) {
    let (scenario, roster, snapshot, log) =
        (frame.scenario, frame.roster, &frame.snapshot, frame.log);
    // The variables written at the last instant, by the name the snapshot gives them.
    let written: Vec<String> = frame
        .last_instant
        .iter()
        .filter_map(|e| match e.event {
            Event::Write { pid, variable, .. } => Some(match variable {
                sim_core::scenario::Variable::Shared(index) => scenario.shared[index].name.clone(),
                sim_core::scenario::Variable::Global(index) => {
                    let process = roster.get(pid).map_or(pid, |e| e.process);
                    format!("{}.{}", roster.label(process), scenario.globals[index].name)
                }
            }),
            _ => None,
        })
        .collect();
    egui::CollapsingHeader::new("Variables and output")
        .id_salt(("values", scenario.name.as_str()))
        .default_open(true)
        .show(ui, |ui| {
            if !snapshot.variables.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for (name, value) in &snapshot.variables {
                        let text = egui::RichText::new(format!("{name} = {value}")).monospace();
                        if written.contains(name) {
                            ui.label(text.strong().color(palette::HIGHLIGHT))
                                .on_hover_text("written at the last instant");
                        } else {
                            ui.label(text);
                        }
                        ui.separator();
                    }
                });
            }
            if !frame.scenario.stdin.is_empty() {
                ui.label(
                    egui::RichText::new(if snapshot.stdin.is_empty() {
                        "stdin: every line read".to_string()
                    } else {
                        format!("stdin, not read yet: {}", snapshot.stdin.join(" | "))
                    })
                    .monospace(),
                );
            }
            if !snapshot.results.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for (name, value) in &snapshot.results {
                        ui.label(egui::RichText::new(format!("{name} = {value}")).monospace())
                            .on_hover_text(
                                "what a pool call gave back (map's list, an AsyncResult)",
                            );
                        ui.separator();
                    }
                });
            }
            for pool in &snapshot.pools {
                let busy: Vec<String> = pool
                    .busy
                    .iter()
                    .map(|(worker, task)| format!("{} runs task {task}", snapshot.name(*worker)))
                    .collect();
                let queue: Vec<String> = pool.queue.iter().map(|t| t.to_string()).collect();
                ui.label(format!(
                    "pool {}{}: {} workers ({}); busy: {}; task queue: {}",
                    pool.name,
                    if pool.closed { " (closed)" } else { "" },
                    pool.workers.len(),
                    pool.workers
                        .iter()
                        .map(|w| w.to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                    if busy.is_empty() {
                        "none".to_string()
                    } else {
                        busy.join(", ")
                    },
                    if queue.is_empty() {
                        "empty".to_string()
                    } else {
                        queue.join(" ")
                    },
                ));
            }
            // stdout's lines, and stderr's (uncaught exceptions) marked and in red.
            let lines: Vec<(String, bool)> = log
                .iter()
                .filter_map(|e| match &e.event {
                    Event::Print { pid, text } => Some((
                        format!("t={} {}: {text}", e.time.0, roster.name(*pid)),
                        false,
                    )),
                    Event::Raise {
                        pid,
                        exception,
                        caught: false,
                        ..
                    } => Some((
                        format!("t={} {} (stderr): {exception}", e.time.0, roster.name(*pid)),
                        true,
                    )),
                    _ => None,
                })
                .collect();
            ui.label(egui::RichText::new(format!("Output ({} lines)", lines.len())).strong());
            egui::ScrollArea::vertical()
                .id_salt("output console")
                .max_height(120.0)
                .stick_to_bottom(true)
                .show(ui, |ui| {
                    for (line, stderr) in lines {
                        let text = egui::RichText::new(line).monospace();
                        ui.label(if stderr {
                            text.color(palette::HIGHLIGHT)
                        } else {
                            text
                        });
                    }
                });
        });
}
