//! The normal look and the large, high-contrast projector mode.

/// The zoom of projector mode: 1.75 × egui's 14-point text is 24.5 pixels, readable from the
/// back of a lecture hall.
pub const PROJECTOR_ZOOM: f32 = 1.75;

/// Applies the chosen theme (cheap: only changes what differs). `dark`: the theme asked for
/// (`--theme`); by default projector mode is dark and the normal mode light.
pub fn apply(ctx: &egui::Context, projector: bool, dark: Option<bool>) {
    let zoom = if projector { PROJECTOR_ZOOM } else { 1.0 };
    if (ctx.zoom_factor() - zoom).abs() > f32::EPSILON {
        ctx.set_zoom_factor(zoom);
    }
    let dark = dark.unwrap_or(projector);
    let high_contrast = ctx
        .global_style()
        .visuals
        .widgets
        .noninteractive
        .fg_stroke
        .width
        >= 2.0;
    if ctx.global_style().visuals.dark_mode != dark || high_contrast != projector {
        let mut visuals = if dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        };
        if projector {
            let (text, fill) = if dark {
                (egui::Color32::WHITE, egui::Color32::BLACK)
            } else {
                (egui::Color32::BLACK, egui::Color32::WHITE)
            };
            visuals.override_text_color = Some(text);
            visuals.widgets.noninteractive.fg_stroke.width = 2.0;
            visuals.panel_fill = fill;
            visuals.window_fill = fill;
        }
        ctx.set_visuals(visuals);
    }
}
