//! The five-state diagram plus zombie (or the three-state view) whose arrows light up with the
//! transitions of the last instant.

use crate::playback::Playback;
use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2};
use sim_core::event::Transition;
use sim_core::pcb::StateKind;

/// A box of the diagram: a state of the five-state model plus zombie.
type Node = StateKind;

/// The size of a state's box.
const NODE: Vec2 = Vec2::new(78.0, 30.0);

/// The diagram for `playback`; `three_state` shows only ready, running and blocked. The
/// arrows lit are the transitions of the last instant, as sim-core names them
/// (`Event::transition`).
pub fn state_diagram_ui(ui: &mut egui::Ui, playback: &Playback, three_state: &mut bool) {
    ui.horizontal(|ui| {
        ui.heading("States");
        ui.checkbox(three_state, "three-state view");
    });
    let snapshot = playback.snapshot();
    let log = playback.simulator().log();
    let last = log.last().map(|e| e.time);
    let lit: Vec<Transition> = log
        .iter()
        .rev()
        .take_while(|e| Some(e.time) == last)
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
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 220.0), egui::Sense::hover());
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
        Node::New => at(0.17, 0.15),
        Node::Ready => at(0.2, 0.55),
        Node::Running => at(0.72, 0.55),
        Node::Blocked => at(0.46, 0.88),
        Node::Zombie => at(0.83, 0.15),
        Node::Terminated => at(0.5, 0.15),
    };
    let nodes: &[Node] = if three {
        &[Node::Ready, Node::Running, Node::Blocked]
    } else {
        &[
            Node::New,
            Node::Ready,
            Node::Running,
            Node::Blocked,
            Node::Zombie,
            Node::Terminated,
        ]
    };
    let text_colour = ui.visuals().text_color();
    // Which arrows exist and their names come from sim-core; only the layout is the panel's:
    // the two arrows between ready and running are drawn apart.
    let offset = |t: Transition| match (t.from, t.to) {
        (Node::Ready, Node::Running) => -0.12,
        (Node::Running, Node::Ready) => 0.12,
        (Node::Ready, Node::Blocked) => 0.08,
        _ => 0.0,
    };
    let arrows = Transition::ALL.map(|t| (t.from, t.to, t.verb(), offset(t)));
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
        let to_edge = (NODE.x / 2.0 / direction.x.abs().max(1e-3))
            .min(NODE.y / 2.0 / direction.y.abs().max(1e-3))
            + 4.0;
        let start = a + direction * to_edge;
        let end = b - direction * to_edge;
        painter.arrow(
            start,
            end - start,
            Stroke::new(if on { 3.0 } else { 1.5 }, colour),
        );
        let middle =
            start + (end - start) * 0.5 + Vec2::new(0.0, if offset < 0.0 { -9.0 } else { 9.0 });
        painter.text(
            middle,
            Align2::CENTER_CENTER,
            label,
            FontId::proportional(11.0),
            colour,
        );
    }
    for &node in nodes {
        let name = node.label();
        let centre = position(node);
        let body = Rect::from_center_size(centre, NODE);
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
