//! The gallery: every built-in scenario as a card (title, one line, a small Gantt picture of
//! its whole run), grouped by folder, with a search box. Clicking a card opens the scenario.

use crate::gallery::Card;
use crate::palette;
use crate::panels::Action;
use egui::{Rect, Sense, Vec2};

/// The size of a card, in points.
const CARD: Vec2 = Vec2::new(250.0, 118.0);

/// The cards matching `search` (edited here), grouped by folder.
pub fn gallery_ui(ui: &mut egui::Ui, cards: &[Card], search: &mut String) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Gallery");
        let label = ui.label("Search:");
        ui.add(
            egui::TextEdit::singleline(search)
                .hint_text("a word of the title, the description or the path")
                .desired_width(260.0),
        )
        .labelled_by(label.id);
        if ui
            .button("Close")
            .on_hover_text("back to the scenario (G)")
            .clicked()
        {
            actions.push(Action::ToggleGallery);
        }
    });
    let shown: Vec<&Card> = cards.iter().filter(|card| card.matches(search)).collect();
    if shown.is_empty() {
        ui.label("No scenario matches the search.");
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        let mut groups: Vec<(&str, Vec<&Card>)> = Vec::new();
        for card in shown {
            match groups.last_mut() {
                Some((folder, group)) if *folder == card.folder => group.push(card),
                _ => groups.push((card.folder, vec![card])),
            }
        }
        for (folder, group) in groups {
            ui.add_space(6.0);
            ui.strong(folder);
            // Cards flow left to right and wrap at the window's edge.
            ui.horizontal_wrapped(|ui| {
                for card in group {
                    if card_ui(ui, card) {
                        actions.push(Action::OpenGallery(card.entry));
                    }
                }
            });
        }
    });
    actions
}

/// One card; returns whether it was clicked.
fn card_ui(ui: &mut egui::Ui, card: &Card) -> bool {
    let (rect, response) = ui.allocate_exact_size(CARD, Sense::click());
    let response = response.on_hover_text(card.entry.path);
    let title = card.title.clone();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &title));
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let stroke = if response.hovered() {
        egui::Stroke::new(2.0, palette::HIGHLIGHT)
    } else {
        visuals.widgets.noninteractive.bg_stroke
    };
    painter.rect(
        rect.shrink(2.0),
        6.0,
        visuals.extreme_bg_color,
        stroke,
        egui::StrokeKind::Inside,
    );
    let text = visuals.text_color();
    let inner = rect.shrink(8.0);
    painter.text(
        inner.left_top(),
        egui::Align2::LEFT_TOP,
        elide(&card.title, 30),
        egui::FontId::proportional(13.0),
        text,
    );
    painter.text(
        inner.left_top() + Vec2::new(0.0, 18.0),
        egui::Align2::LEFT_TOP,
        elide(&card.description, 42),
        egui::FontId::proportional(10.0),
        visuals.weak_text_color(),
    );
    // The whole run's Gantt chart, one thin lane per CPU.
    let chart = Rect::from_min_max(
        inner.left_top() + Vec2::new(0.0, 40.0),
        inner.right_bottom(),
    );
    let lanes = card.cpus.max(1) as f32;
    let lane_height = (chart.height() / lanes).min(18.0);
    let scale = chart.width() / card.makespan.max(1) as f32;
    for &(cpu, start, end, pid) in &card.preview {
        let top = chart.top() + cpu as f32 * lane_height;
        let slice = Rect::from_min_max(
            egui::pos2(chart.left() + start as f32 * scale, top),
            egui::pos2(chart.left() + end as f32 * scale, top + lane_height - 2.0),
        );
        painter.rect_filled(slice, 1.0, palette::process_colour(pid));
    }
    ui.add_space(4.0);
    response.clicked()
}

/// At most `max` characters, with an ellipsis when cut.
fn elide(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
