//! The event log with the last instant highlighted, and the last step in plain words.

use crate::panels::Action;
use crate::playback::Playback;
use sim_core::Pid;
use sim_core::TimedEvent;

/// The log of `playback`; clicking an event asks to select its process.
pub fn event_log_ui(ui: &mut egui::Ui, playback: &Playback, selected: Option<Pid>) -> Vec<Action> {
    let mut actions = Vec::new();
    let scenario = playback.scenario();
    let log = playback.simulator().log();
    let now = playback.display_tick();
    let last_instant = log.last().map(|e| e.time);

    ui.heading("What just happened");
    let latest: Vec<&TimedEvent> = match last_instant {
        Some(time) => log.iter().rev().take_while(|e| e.time == time).collect(),
        None => Vec::new(),
    };
    if latest.is_empty() {
        ui.label("Nothing yet: press Play or Step >.");
    }
    for event in latest.iter().rev() {
        ui.label(format!(
            "t={}: {}.",
            event.time.0,
            sim_core::render::describe(&event.event, scenario, playback.simulator().roster())
        ));
    }
    ui.separator();
    ui.heading(format!("Event log ({} events, t = {})", log.len(), now.0));
    egui::ScrollArea::vertical()
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for event in log {
                let text =
                    sim_core::render::trace_line(scenario, playback.simulator().roster(), event);
                let mut rich = egui::RichText::new(text).monospace();
                if Some(event.time) == last_instant {
                    rich = rich
                        .strong()
                        .background_color(ui.visuals().selection.bg_fill);
                }
                if selected.is_some() && selected == event.event.pid() {
                    rich = rich.underline();
                }
                if ui
                    .add(egui::Label::new(rich).sense(egui::Sense::click()))
                    .clicked()
                {
                    actions.push(Action::Select(event.event.pid()));
                }
            }
        });
    actions
}
