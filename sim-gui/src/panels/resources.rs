//! Resources, events and queues at the current time, and the deadlocks formed so far, in words:
//! who holds what, who waits for what, each deadlock's cycle, and the resource-allocation
//! graph drawn with the deadlocked processes in red.

use crate::frame::Frame;
use sim_core::event::Event;

pub fn resources_ui(ui: &mut egui::Ui, frame: &Frame) {
    let scenario = frame.scenario;
    if scenario.sync.is_empty() {
        return;
    }
    let snapshot = &frame.snapshot;
    let name = |pid| snapshot.name(pid).to_string();
    let counted = |pid, count: u64| {
        if count == 1 {
            name(pid)
        } else {
            format!("{}×{count}", name(pid))
        }
    };
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "nobody".to_string()
        } else {
            items.join(", ")
        }
    };
    egui::CollapsingHeader::new("Resources and deadlocks")
        .id_salt("resources")
        .default_open(true)
        .show(ui, |ui| {
            for resource in &snapshot.sync.resources {
                ui.label(format!(
                    "{}: {} of {} free — held by {}; waiting: {}",
                    resource.name,
                    resource.available,
                    resource.instances,
                    list(
                        resource
                            .holders
                            .iter()
                            .map(|&(p, c)| counted(p, c))
                            .collect()
                    ),
                    list(
                        resource
                            .waiters
                            .iter()
                            .map(|&(p, c)| counted(p, c))
                            .collect()
                    ),
                ));
            }
            for event in &snapshot.sync.events {
                ui.label(format!(
                    "event {}: {} — waiting: {}",
                    event.name,
                    if event.set { "set" } else { "clear" },
                    list(event.waiters.iter().map(|&p| name(p)).collect()),
                ));
            }
            for queue in &snapshot.sync.queues {
                if queue.kind.is_message_channel() {
                    ui.horizontal_wrapped(|ui| {
                        items_ui(ui, queue.items, queue.capacity);
                        ui.label(format!(
                            "{} {}: {} messages — waiting to receive: {}",
                            queue.kind.name(),
                            queue.name,
                            queue.items,
                            list(queue.waiting_to_get.iter().map(|&p| name(p)).collect()),
                        ));
                    });
                    continue;
                }
                ui.horizontal_wrapped(|ui| {
                    items_ui(ui, queue.items, queue.capacity);
                    ui.label(format!(
                        "queue {}: {} — waiting to put: {}; to get: {}",
                        queue.name,
                        queue.fill(),
                        list(queue.waiting_to_put.iter().map(|&p| name(p)).collect()),
                        list(queue.waiting_to_get.iter().map(|&p| name(p)).collect()),
                    ));
                });
            }
            let deadlocks: Vec<String> = frame
                .log
                .iter()
                .filter(|timed| matches!(timed.event, Event::Deadlock { .. }))
                .map(|timed| {
                    format!(
                        "t={}: {}",
                        timed.time,
                        sim_core::render::describe(&timed.event, scenario, frame.roster)
                    )
                })
                .collect();
            if deadlocks.is_empty() {
                ui.label("No deadlock so far.");
            }
            for deadlock in deadlocks {
                ui.colored_label(egui::Color32::from_rgb(0xd0, 0x30, 0x30), deadlock);
            }
            if !scenario.sync.resources.is_empty() {
                ui.add_space(4.0);
                ui.label("Resource-allocation graph (solid: holds, dashed: waits for):");
                super::allocation_graph::allocation_graph_ui(ui, &frame.allocation_graph);
            }
        });
}

/// Most items a queue draws one by one; past them, how many more.
const ITEMS_DRAWN: u64 = 12;

/// A queue's or channel's items as filled squares, its free room (when bounded) as empty ones.
pub fn items_ui(ui: &mut egui::Ui, items: u64, capacity: Option<u64>) {
    let side = ui.text_style_height(&egui::TextStyle::Body) * 0.7;
    let room = capacity.map_or(0, |c| c.saturating_sub(items));
    let filled = items.min(ITEMS_DRAWN);
    let empty = room.min(ITEMS_DRAWN - filled);
    let count = (filled + empty).max(1) as f32;
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(count * (side + 2.0), side), egui::Sense::hover());
    let painter = ui.painter();
    let stroke = egui::Stroke::new(1.0, ui.visuals().text_color());
    for index in 0..(filled + empty) {
        let square = egui::Rect::from_min_size(
            rect.min + egui::vec2(index as f32 * (side + 2.0), 0.0),
            egui::vec2(side, side),
        );
        if index < filled {
            painter.rect(
                square,
                2.0,
                crate::palette::GIL,
                stroke,
                egui::StrokeKind::Inside,
            );
        } else {
            painter.rect_stroke(square, 2.0, stroke, egui::StrokeKind::Inside);
        }
    }
    let words = match capacity {
        Some(capacity) => format!("{items} of {capacity} items"),
        None => format!("{items} items"),
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &words));
    if items > filled {
        ui.weak(format!("+{}", items - filled));
    }
}
