//! The bottom bar: restart, step back, play/pause, step forward, speed, jump, and the timeline.

use crate::app::ProcsimApp;

pub fn controls_ui(ui: &mut egui::Ui, app: &mut ProcsimApp) {
    let Some(playback) = &mut app.playback else {
        return;
    };
    ui.horizontal(|ui| {
        if ui.button("Restart").on_hover_text("Home").clicked() {
            playback.restart();
        }
        if ui
            .button("< Step back")
            .on_hover_text("Left arrow")
            .clicked()
        {
            playback.playing = false;
            playback.step_back();
        }
        let label = if playback.playing { "Pause" } else { "Play" };
        if ui.button(label).on_hover_text("Space").clicked() {
            playback.playing = !playback.playing && !playback.is_at_end();
        }
        if ui.button("Step >").on_hover_text("Right arrow").clicked() {
            playback.playing = false;
            playback.step_forward();
        }
        ui.separator();
        let label = ui.label("Speed");
        ui.add(
            egui::Slider::new(&mut playback.speed, 0.25..=200.0)
                .logarithmic(true)
                .suffix(" ticks/s"),
        )
        .labelled_by(label.id);
        ui.separator();
        let label = ui.label("Jump to t =");
        let input = ui
            .add(egui::TextEdit::singleline(&mut app.view.jump_input).desired_width(60.0))
            .labelled_by(label.id);
        let enter = input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Go").clicked() || enter)
            && let Ok(time) = app.view.jump_input.trim().parse::<u64>()
        {
            playback.playing = false;
            playback.jump_to(time as f64);
        }
        ui.separator();
        ui.label(format!(
            "t = {}   step {}{}",
            playback.now().0,
            playback.steps(),
            if playback.is_at_end() { "   (end)" } else { "" }
        ));
    });
    ui.horizontal(|ui| {
        let label = ui.label("Timeline");
        let end = playback.end_time().0.max(1) as f64;
        let mut time = playback.display_time;
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
            playback.playing = false;
            playback.jump_to(time.round());
        }
    });
    if let Some(note) = &playback.limit_note {
        ui.colored_label(crate::palette::HIGHLIGHT, note);
    }
}
