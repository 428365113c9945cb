//! The normal look and the large, high-contrast projector mode.

/// Applies the chosen theme (cheap: only changes what differs).
pub fn apply(ctx: &egui::Context, projector: bool) {
    let zoom = if projector { 1.5 } else { 1.0 };
    if (ctx.zoom_factor() - zoom).abs() > f32::EPSILON {
        ctx.set_zoom_factor(zoom);
    }
    let dark = projector;
    if ctx.global_style().visuals.dark_mode != dark {
        let mut visuals = if dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        };
        if projector {
            visuals.override_text_color = Some(egui::Color32::WHITE);
            visuals.widgets.noninteractive.fg_stroke.width = 2.0;
            visuals.panel_fill = egui::Color32::BLACK;
            visuals.window_fill = egui::Color32::BLACK;
        }
        ctx.set_visuals(visuals);
    }
}
