//! The Gantt chart, growing as time advances: one lane per CPU, idle shown, a time ruler.

use crate::palette;
use crate::playback::Playback;
use egui::{Align2, FontId, Pos2, Rect, Stroke, Vec2};
use sim_core::{Pid, Simulator, Tick, gantt};

/// The chart of `playback` so far; returns where it was drawn (the PNG export cuts it out of
/// a screenshot).
pub fn gantt_ui(ui: &mut egui::Ui, playback: &Playback, selected: Option<Pid>) -> Rect {
    ui.heading("Gantt chart");
    chart_ui(
        ui,
        playback.simulator(),
        playback.end_time(),
        playback.display_time,
        selected,
    )
}

/// Draws the chart of `simulator` up to `until` (ticks), scaled to `end_time`; returns where.
pub fn chart_ui(
    ui: &mut egui::Ui,
    simulator: &Simulator,
    end_time: Tick,
    until: f64,
    selected: Option<Pid>,
) -> Rect {
    let scenario = simulator.scenario();
    let now = simulator.now();
    let mut slices = gantt::derive(scenario, simulator.log(), now);
    // Between instants every lane grows to the clock: the running slice, or an idle gap.
    let snapshot = simulator.snapshot();
    if until > now.0 as f64 {
        for cpu in &snapshot.cpus {
            slices.push(gantt::GanttSlice {
                cpu: cpu.cpu,
                start: now,
                end: Tick(until.ceil() as u64),
                pid: cpu.running,
                name: None,
                level: None,
            });
        }
    }
    let end = end_time.0.max(1) as f64;
    let lanes = scenario.cpus;
    let label_width = 48.0;
    let lane_height = 28.0;
    let width = ui.available_width().max(300.0);
    let (rect, _) = ui.allocate_exact_size(
        Vec2::new(width, lanes as f32 * (lane_height + 6.0) + 26.0),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let text_colour = ui.visuals().text_color();
    let scale = (width - label_width - 10.0) as f64 / end;
    let x_of = |t: f64| rect.left() + label_width + (t * scale) as f32;
    for lane in 0..lanes {
        let top = rect.top() + lane as f32 * (lane_height + 6.0);
        painter.text(
            Pos2::new(rect.left(), top + lane_height / 2.0),
            Align2::LEFT_CENTER,
            format!("CPU{lane}"),
            FontId::proportional(12.0),
            text_colour,
        );
        for slice in slices.iter().filter(|s| s.cpu.0 == lane) {
            let start = slice.start.0 as f64;
            // The growing piece (the only one that starts at the last instant) ends at the clock.
            let stop = if slice.start == now && until > start {
                until
            } else {
                slice.end.0 as f64
            };
            if stop <= start {
                continue;
            }
            let body = Rect::from_min_max(
                Pos2::new(x_of(start), top),
                Pos2::new(x_of(stop), top + lane_height),
            );
            match slice.pid {
                Some(pid) => {
                    let colour = palette::process_colour(pid);
                    painter.rect_filled(body, 2.0, colour);
                    if selected == Some(pid) {
                        painter.rect_stroke(
                            body,
                            2.0,
                            Stroke::new(3.0, palette::HIGHLIGHT),
                            egui::StrokeKind::Inside,
                        );
                    }
                    let name = simulator.roster().name(pid);
                    if body.width() > 8.0 * name.len() as f32 {
                        painter.text(
                            body.center(),
                            Align2::CENTER_CENTER,
                            name,
                            FontId::proportional(12.0),
                            palette::text_on(colour),
                        );
                    }
                }
                None => {
                    painter.rect_filled(body, 0.0, palette::IDLE.gamma_multiply(0.25));
                }
            }
        }
    }
    // Time ruler with about ten labelled ticks.
    let ruler_top = rect.top() + lanes as f32 * (lane_height + 6.0);
    let step = nice_step(end / 10.0);
    let mut t = 0.0;
    while t <= end + 1e-9 {
        let x = x_of(t);
        painter.line_segment(
            [Pos2::new(x, ruler_top), Pos2::new(x, ruler_top + 5.0)],
            Stroke::new(1.0, text_colour),
        );
        painter.text(
            Pos2::new(x, ruler_top + 6.0),
            Align2::CENTER_TOP,
            format!("{t}"),
            FontId::proportional(11.0),
            text_colour,
        );
        t += step;
    }
    let cursor = x_of(until.min(end));
    painter.line_segment(
        [Pos2::new(cursor, rect.top()), Pos2::new(cursor, ruler_top)],
        Stroke::new(1.5, palette::HIGHLIGHT),
    );
    rect
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let raw = raw.max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power)
}
