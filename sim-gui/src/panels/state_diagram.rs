//! The five-state diagram plus zombie (or the three-state view) whose arrows light up with the
//! transitions of the last instant.

use crate::frame::Frame;
use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2};
use sim_core::event::Transition;
use sim_core::pcb::StateKind;

/// A box of the diagram: a state of the five-state model plus zombie.
type Node = StateKind;

/// The size of a state's box: wide enough for its name and count.
fn node_size(node: Node) -> Vec2 {
    let characters = node.label().len() + 5;
    Vec2::new((characters as f32 * 7.5).max(NODE.x), NODE.y)
}

/// The smallest size of a state's box.
const NODE: Vec2 = Vec2::new(78.0, 30.0);

/// The diagram for `frame`; `three_state` shows only ready, running and blocked. The
/// arrows lit are the transitions of the last instant, as sim-core names them
/// (`Event::transition`).
pub fn state_diagram_ui(ui: &mut egui::Ui, frame: &Frame, three_state: &mut bool) {
    ui.horizontal(|ui| {
        ui.heading("States");
        ui.checkbox(three_state, "three-state view");
    });
    let snapshot = &frame.snapshot;
    let lit: Vec<Transition> = frame
        .last_instant
        .iter()
        .filter_map(|e| e.event.transition())
        .collect();
    let count = |node: Node| {
        snapshot
            .processes
            .iter()
            .filter(|p| p.state.kind() == node)
            .count()
    };

    let width = ui.available_width().max(200.0);
    // Tall enough that every box, count and arrow label has room of its own.
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 300.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let at = |x: f32, y: f32| {
        Pos2::new(
            rect.left() + x * rect.width(),
            rect.top() + y * rect.height(),
        )
    };
    let three = *three_state;
    let position = |node: Node| match node {
        // new → ready → running → zombie → terminated runs clockwise around blocked.
        Node::New => at(0.2, 0.1),
        Node::Ready => at(0.2, 0.5),
        Node::Running => at(0.78, 0.5),
        Node::Blocked => at(0.5, 0.9),
        // Only threads of a GIL process wait for the GIL: its box sits under ready.
        Node::GilWait => at(0.22, 0.74),
        Node::Zombie => at(0.78, 0.1),
        Node::Terminated => at(0.5, 0.28),
    };
    let scenario = frame.scenario;
    let gil = scenario.processes.iter().any(|p| p.options.gil.is_some());
    let mut nodes: Vec<Node> = if three {
        vec![Node::Ready, Node::Running, Node::Blocked]
    } else {
        StateKind::ALL.to_vec()
    };
    if gil {
        nodes.push(Node::GilWait);
    }
    let text_colour = ui.visuals().text_color();
    // Which arrows exist and their names come from sim-core; only the layout is the panel's:
    // the two arrows between ready and running are drawn apart.
    let offset = |t: Transition| match (t.from, t.to) {
        (Node::Ready, Node::Running) => -0.12,
        (Node::Running, Node::Ready) => 0.12,
        (Node::Ready, Node::Blocked) => 0.08,
        _ => 0.0,
    };
    let thread_moves: &[Transition] = if scenario.spawns() {
        &Transition::THREAD_MOVES
    } else {
        &[]
    };
    let arrows = Transition::ALL
        .iter()
        .chain(thread_moves)
        .map(|&t| (t.from, t.to, t.verb(), offset(t)));
    for (from, to, label, offset) in arrows {
        if !nodes.contains(&from) || !nodes.contains(&to) {
            continue;
        }
        let on = lit.contains(&Transition { from, to });
        let colour = if on {
            crate::palette::HIGHLIGHT
        } else {
            Color32::GRAY
        };
        let shift = Vec2::new(0.0, offset * rect.height());
        let (a, b) = (position(from) + shift, position(to) + shift);
        let direction = (b - a).normalized();
        // From the edge of one box to the edge of the other, whatever the direction.
        let box_size = node_size(to);
        let to_edge = (box_size.x / 2.0 / direction.x.abs().max(1e-3))
            .min(box_size.y / 2.0 / direction.y.abs().max(1e-3))
            + 4.0;
        let start = a + direction * to_edge;
        let end = b - direction * to_edge;
        painter.arrow(
            start,
            end - start,
            Stroke::new(if on { 3.0 } else { 1.5 }, colour),
        );
        // The label sits beside its arrow, never on it: off the middle, across the arrow.
        let across = Vec2::new(-direction.y, direction.x);
        let side = if offset < 0.0 { -1.0 } else { 1.0 };
        let middle = start + (end - start) * 0.5 + across * side * 11.0;
        painter.text(
            middle,
            Align2::CENTER_CENTER,
            label,
            FontId::proportional(11.0),
            colour,
        );
    }
    for &node in &nodes {
        let name = node.label();
        let centre = position(node);
        let body = Rect::from_center_size(centre, node_size(node));
        painter.rect(
            body,
            12.0,
            ui.visuals().extreme_bg_color,
            Stroke::new(1.5, text_colour),
            StrokeKind::Inside,
        );
        painter.text(
            centre,
            Align2::CENTER_CENTER,
            format!("{name} ({})", count(node)),
            FontId::proportional(12.0),
            text_colour,
        );
    }
}
