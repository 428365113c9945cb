//! The bottom bar: restart, step back, play/pause, step forward, speed, jump, and the timeline.

use crate::frame::Frame;
use crate::panels::Action;

/// The playback controls at `frame`'s clock; `jump_input` is the text of the "Jump to t" field.
/// Returns what the user asked for.
pub fn controls_ui(ui: &mut egui::Ui, frame: &Frame, jump_input: &mut String) -> Vec<Action> {
    let mut actions = Vec::new();
    let clock = &frame.clock;
    // One row: the buttons, the time, the timeline (the room left), the speed, the jump.
    ui.horizontal(|ui| {
        // Narrow (projector mode on a small screen): shorter words, the same controls.
        let narrow = ui.available_width() < 1000.0;
        let buttons = [
            ("Restart", "Home", Action::Restart),
            (
                "< Tick",
                "Shift + Left arrow: one tick back",
                Action::TickBack,
            ),
            ("< Step back", "Left arrow, Page Up", Action::StepBack),
            (
                if clock.playing { "Pause" } else { "Play" },
                "Space",
                Action::TogglePlay,
            ),
            ("Step >", "Right arrow, Page Down", Action::StepForward),
            (
                "< Event",
                "comma: one event back, inside an instant",
                Action::EventBack,
            ),
            (
                "Event >",
                "period: one event on, inside an instant",
                Action::EventForward,
            ),
            (
                "Tick >",
                "Shift + Right arrow: one tick on",
                Action::TickForward,
            ),
        ];
        for (label, keys, action) in buttons {
            // Narrow: the tick steps keep their keys (Shift + arrows), not their buttons.
            if narrow && matches!(action, Action::TickBack | Action::TickForward) {
                continue;
            }
            if ui.button(label).on_hover_text(keys).clicked() {
                actions.push(action);
            }
        }
        ui.separator();
        ui.label(match clock.event {
            Some((event, events)) => {
                format!("t = {}, event {event} of {events}", clock.display_tick.0)
            }
            None => format!(
                "t = {}   step {}{}",
                clock.display_tick.0,
                clock.steps,
                if clock.at_end { "   (end)" } else { "" }
            ),
        });
        // What the speed and the jump take, kept at the right; the timeline gets the rest.
        let right = if narrow { 200.0 } else { 330.0 };
        let end = clock.end_time.0.max(1) as f64;
        let mut time = clock.display_time;
        let timeline_width = (ui.available_width() - right - 60.0).max(60.0);
        ui.spacing_mut().slider_width = timeline_width;
        let timeline = ui
            .add(
                egui::Slider::new(&mut time, 0.0..=end)
                    .show_value(true)
                    .fixed_decimals(0),
            )
            .on_hover_text("Timeline: drag to scrub through the run");
        ui.ctx().accesskit_node_builder(timeline.id, |node| {
            node.set_label("Timeline");
        });
        // Only the user's own moves count: the slider may round the value it is given.
        if timeline.changed() && (timeline.dragged() || timeline.clicked()) {
            actions.push(Action::JumpTo(time.round()));
        }
        ui.separator();
        let mut speed = clock.speed;
        let help = "playback speed, ticks per second (keys + and −)";
        let field = if narrow {
            let field = ui.add(
                egui::DragValue::new(&mut speed)
                    .range(0.25..=200.0)
                    .speed(0.1)
                    .suffix("/s"),
            );
            ui.ctx().accesskit_node_builder(field.id, |node| {
                node.set_label("Speed");
            });
            field
        } else {
            let label = ui.label("Speed");
            ui.add(
                egui::DragValue::new(&mut speed)
                    .range(0.25..=200.0)
                    .speed(0.1)
                    .suffix(" ticks/s"),
            )
            .labelled_by(label.id)
        }
        .on_hover_text(help);
        if field.changed() {
            actions.push(Action::SetSpeed(speed));
        }
        ui.separator();
        let label = ui.label(if narrow { "t =" } else { "Jump to t =" });
        let input = ui
            .add(egui::TextEdit::singleline(jump_input).desired_width(44.0))
            .labelled_by(label.id)
            .on_hover_text("jump to this time");
        let enter = input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Go").clicked() || enter)
            && let Ok(time) = jump_input.trim().parse::<u64>()
        {
            actions.push(Action::JumpTo(time as f64));
        }
    });
    if let Some(note) = &clock.limit_note {
        ui.colored_label(crate::palette::HIGHLIGHT, note);
    }
    actions
}
