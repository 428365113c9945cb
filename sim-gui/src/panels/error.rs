//! The window's content when the scenario could not be loaded: the error, never a crash.

pub fn error_ui(ui: &mut egui::Ui, error: &str) {
    ui.heading("This scenario could not be loaded");
    ui.label("Fix the file (it reloads when it changes) or pick a built-in scenario above.");
    ui.add_space(8.0);
    egui::ScrollArea::both().show(ui, |ui| {
        ui.label(
            egui::RichText::new(error)
                .monospace()
                .color(crate::palette::HIGHLIGHT),
        );
    });
}
