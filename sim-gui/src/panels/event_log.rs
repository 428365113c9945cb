//! The event log with the last instant highlighted, and the last step in plain words.

use crate::frame::Frame;
use crate::panels::Action;
use sim_core::Pid;
use sim_core::TimedEvent;

/// The log of `frame`; clicking an event asks to select its process.
pub fn event_log_ui(ui: &mut egui::Ui, frame: &Frame, selected: Option<Pid>) -> Vec<Action> {
    let mut actions = Vec::new();
    let (scenario, roster, log) = (frame.scenario, frame.roster, frame.log);
    let now = frame.clock.display_tick;
    let last_instant = frame.last_instant.first().map(|e| e.time);

    ui.heading("What just happened");
    let latest: &[TimedEvent] = frame.last_instant;
    if latest.is_empty() {
        ui.label("Nothing yet: press Play or Step >.");
    }
    for event in latest {
        ui.label(format!(
            "t={}: {}.",
            event.time.0,
            sim_core::render::describe(&event.event, scenario, roster)
        ));
    }
    ui.separator();
    ui.heading(format!("Event log ({} events, t = {})", log.len(), now.0));
    // Only the rows in view are put into words: a log of a million events scrolls as fast.
    let row_height = ui.text_style_height(&egui::TextStyle::Monospace);
    egui::ScrollArea::vertical()
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .show_rows(ui, row_height, log.len(), |ui, rows| {
            for event in &log[rows] {
                let text = sim_core::render::trace_line(scenario, roster, event);
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
