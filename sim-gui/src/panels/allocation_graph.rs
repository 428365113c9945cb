//! The resource-allocation graph at the current time: resources in the top row, the processes
//! that hold or wait for them in the bottom row. A solid arrow R -> P is an instance P holds, a
//! dashed arrow P -> R a request P is blocked on; the processes of a deadlock and their arrows
//! are red. The same graph `procsim graph` writes in DOT.

use crate::palette;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use sim_core::Pid;
use sim_core::deadlock::AllocationGraph;
use std::collections::{BTreeMap, BTreeSet};

const DEADLOCK_RED: Color32 = Color32::from_rgb(0xd0, 0x30, 0x30);
const RESOURCE: Vec2 = Vec2::new(78.0, 34.0);
const PROCESS_RADIUS: f32 = 20.0;
const HEIGHT: f32 = 170.0;

pub fn allocation_graph_ui(ui: &mut egui::Ui, graph: &AllocationGraph) {
    let involved: BTreeSet<Pid> = graph
        .holds
        .iter()
        .chain(&graph.requests)
        .map(|&(pid, ..)| pid)
        .collect();
    let stuck: BTreeSet<Pid> = graph.deadlocked().into_iter().collect();
    // Within what is visible: a wide table above may have widened the scrolled area.
    let visible = ui.clip_rect().right() - ui.cursor().left() - 8.0;
    let width = ui.available_width().min(visible).max(320.0);
    let (canvas, _) = ui.allocate_exact_size(Vec2::new(width, HEIGHT), egui::Sense::hover());
    let painter = ui.painter_at(canvas);
    let text = ui.visuals().text_color();

    let spread = |count: usize, index: usize| {
        canvas.left() + width * (index as f32 + 0.5) / count.max(1) as f32
    };
    let resource_at: Vec<Rect> = (0..graph.resources.len())
        .map(|index| {
            Rect::from_center_size(
                Pos2::new(
                    spread(graph.resources.len(), index),
                    canvas.top() + 10.0 + RESOURCE.y / 2.0,
                ),
                RESOURCE,
            )
        })
        .collect();
    let process_at: BTreeMap<Pid, Pos2> = involved
        .iter()
        .enumerate()
        .map(|(index, &pid)| {
            (
                pid,
                Pos2::new(
                    spread(involved.len(), index),
                    canvas.bottom() - 10.0 - PROCESS_RADIUS,
                ),
            )
        })
        .collect();

    // Arrows first, so the nodes sit on top of them.
    let edge_colour = |pid: Pid| {
        if stuck.contains(&pid) {
            DEADLOCK_RED
        } else {
            text
        }
    };
    for &(pid, resource, count) in &graph.holds {
        let (Some(&process), Some(rect)) = (process_at.get(&pid), resource_at.get(resource.0))
        else {
            continue;
        };
        let from = rect.center_bottom() + Vec2::new(-6.0, 0.0);
        let to = process + Vec2::new(-6.0, -PROCESS_RADIUS);
        let stroke = Stroke::new(2.0, edge_colour(pid));
        painter.arrow(from, to - from, stroke);
        label_count(&painter, from, to, count, stroke.color);
    }
    for &(pid, resource, count) in &graph.requests {
        let (Some(&process), Some(rect)) = (process_at.get(&pid), resource_at.get(resource.0))
        else {
            continue;
        };
        let from = process + Vec2::new(6.0, -PROCESS_RADIUS);
        let to = rect.center_bottom() + Vec2::new(6.0, 0.0);
        let stroke = Stroke::new(2.0, edge_colour(pid));
        let direction = (to - from).normalized();
        painter.extend(Shape::dashed_line(
            &[from, to - direction * 10.0],
            stroke,
            6.0,
            4.0,
        ));
        painter.arrow(to - direction * 12.0, direction * 12.0, stroke);
        label_count(&painter, from, to, count, stroke.color);
    }

    for (rect, resource) in resource_at.iter().zip(&graph.resources) {
        painter.rect(
            *rect,
            4.0,
            ui.visuals().extreme_bg_color,
            Stroke::new(1.5, text),
            StrokeKind::Inside,
        );
        painter.text(
            rect.center() - Vec2::new(0.0, 7.0),
            Align2::CENTER_CENTER,
            &resource.name,
            FontId::proportional(13.0),
            text,
        );
        painter.text(
            rect.center() + Vec2::new(0.0, 8.0),
            Align2::CENTER_CENTER,
            format!("{} of {} free", resource.available, resource.instances),
            FontId::proportional(10.0),
            text,
        );
    }
    let names: BTreeMap<Pid, &str> = graph
        .processes
        .iter()
        .map(|(pid, name)| (*pid, name.as_str()))
        .collect();
    for (&pid, &centre) in &process_at {
        let colour = palette::process_colour(pid);
        let ring = if stuck.contains(&pid) {
            Stroke::new(3.0, DEADLOCK_RED)
        } else {
            Stroke::new(1.0, Color32::BLACK)
        };
        painter.circle(centre, PROCESS_RADIUS, colour, ring);
        painter.text(
            centre,
            Align2::CENTER_CENTER,
            names.get(&pid).copied().unwrap_or("?"),
            FontId::proportional(12.0),
            palette::text_on(colour),
        );
    }
    if involved.is_empty() {
        painter.text(
            canvas.center_bottom() - Vec2::new(0.0, 30.0),
            Align2::CENTER_CENTER,
            "nobody holds or waits for a resource",
            FontId::proportional(12.0),
            text,
        );
    }
}

/// The number of instances on an arrow, when more than one.
fn label_count(painter: &egui::Painter, from: Pos2, to: Pos2, count: u64, colour: Color32) {
    if count > 1 {
        painter.text(
            from + (to - from) * 0.5 + Vec2::new(8.0, 0.0),
            Align2::LEFT_CENTER,
            format!("×{count}"),
            FontId::proportional(11.0),
            colour,
        );
    }
}
