//! The bottom bar: restart, step back, play/pause, step forward, speed, jump, and the timeline.

use crate::frame::Frame;
use crate::panels::Action;

/// The playback controls at `frame`'s clock; `jump_input` is the text of the "Jump to t" field.
/// Returns what the user asked for.
pub fn controls_ui(ui: &mut egui::Ui, frame: &Frame, jump_input: &mut String) -> Vec<Action> {
    let mut actions = Vec::new();
    let clock = &frame.clock;
    ui.horizontal_wrapped(|ui| {
        if ui.button("Restart").on_hover_text("Home").clicked() {
            actions.push(Action::Restart);
        }
        if ui
            .button("< Tick")
            .on_hover_text("Shift + Left arrow: one tick back")
            .clicked()
        {
            actions.push(Action::TickBack);
        }
        if ui
            .button("< Step back")
            .on_hover_text("Left arrow")
            .clicked()
        {
            actions.push(Action::StepBack);
        }
        let label = if clock.playing { "Pause" } else { "Play" };
        if ui.button(label).on_hover_text("Space").clicked() {
            actions.push(Action::TogglePlay);
        }
        if ui.button("Step >").on_hover_text("Right arrow").clicked() {
            actions.push(Action::StepForward);
        }
        if ui
            .button("Tick >")
            .on_hover_text("Shift + Right arrow: one tick on")
            .clicked()
        {
            actions.push(Action::TickForward);
        }
        ui.separator();
        let label = ui.label("Speed");
        let mut speed = clock.speed;
        let slider = ui
            .add(
                egui::Slider::new(&mut speed, 0.25..=200.0)
                    .logarithmic(true)
                    .suffix(" ticks/s"),
            )
            .labelled_by(label.id);
        if slider.changed() {
            actions.push(Action::SetSpeed(speed));
        }
        ui.separator();
        let label = ui.label("Jump to t =");
        let input = ui
            .add(egui::TextEdit::singleline(jump_input).desired_width(60.0))
            .labelled_by(label.id);
        let enter = input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Go").clicked() || enter)
            && let Ok(time) = jump_input.trim().parse::<u64>()
        {
            actions.push(Action::JumpTo(time as f64));
        }
        ui.separator();
        ui.label(format!(
            "t = {}   step {}{}",
            clock.display_tick.0,
            clock.steps,
            if clock.at_end { "   (end)" } else { "" }
        ));
    });
    ui.horizontal(|ui| {
        let label = ui.label("Timeline");
        let end = clock.end_time.0.max(1) as f64;
        let mut time = clock.display_time;
        ui.spacing_mut().slider_width = (ui.available_width() - 80.0).max(100.0);
        let response = ui
            .add(
                egui::Slider::new(&mut time, 0.0..=end)
                    .show_value(true)
                    .fixed_decimals(0),
            )
            .labelled_by(label.id);
        // Only the user's own moves count: the slider may round the value it is given.
        if response.changed() && (response.dragged() || response.clicked()) {
            actions.push(Action::JumpTo(time.round()));
        }
    });
    if let Some(note) = &clock.limit_note {
        ui.colored_label(crate::palette::HIGHLIGHT, note);
    }
    actions
}
