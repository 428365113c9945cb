//! The Gantt chart, growing as time advances: one lane per CPU, then one per device (who is in
//! IO when), idle shown, markers for MLFQ boosts, deadlocks and deadline misses, the releases
//! and deadlines of real-time jobs, a time ruler. The wheel zooms
//! around the pointer, dragging pans, **Fit** shows the whole run; hovering a slice tells who,
//! where and when.

use crate::frame::{Chart, Frame, Marker};
use crate::palette;
use egui::{Align2, FontId, Pos2, Rect, Stroke, Vec2};
use sim_core::roster::Roster;
use sim_core::{Pid, Scenario, Tick, gantt};

/// The chart of `frame` so far; returns where it was drawn (the PNG export cuts it out of
/// a screenshot). `compact`: its title shares the row of its Fit button, its lanes are lower.
pub fn gantt_ui(ui: &mut egui::Ui, frame: &Frame, selected: Option<Pid>, compact: bool) -> Rect {
    if !compact {
        ui.heading("Gantt chart");
    }
    chart_ui(
        ui,
        (frame.scenario, frame.roster),
        &frame.chart,
        (frame.clock.now, frame.clock.end_time),
        frame.clock.display_time,
        selected,
        compact.then_some("Gantt chart"),
    )
}

/// The part of the run the chart shows, in ticks: kept per chart in egui's memory.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Window {
    start: f64,
    span: f64,
}

/// A stretch of a lane to paint: who (None: idle) from `start` to `stop` (ticks).
struct Piece {
    lane: usize,
    /// The sub-row of a device lane serving several requests at once, and how many there are.
    row: (usize, usize),
    start: f64,
    stop: f64,
    pid: Option<Pid>,
    /// A coroutine lane's piece: the coroutine's name (else the process's is written).
    coroutine: Option<String>,
}

/// Draws `chart` (up to the instant `now`) as far as `until` (ticks), scaled to `end_time`;
/// processes named as `roster` names them. Returns where it was drawn.
pub fn chart_ui(
    ui: &mut egui::Ui,
    (scenario, roster): (&Scenario, &Roster),
    chart: &Chart,
    (now, end_time): (Tick, Tick),
    until: f64,
    selected: Option<Pid>,
    title: Option<&str>,
) -> Rect {
    let end = end_time.0.max(1) as f64;
    let id = ui.make_persistent_id(("gantt window", scenario.name.as_str(), end_time.0));
    let whole = Window {
        start: 0.0,
        span: end,
    };
    let mut window = ui.data(|d| d.get_temp::<Window>(id)).unwrap_or(whole);
    ui.horizontal(|ui| {
        if let Some(title) = title {
            ui.strong(title);
        }
        if ui
            .small_button("Fit")
            .on_hover_text("the whole run (Ctrl + wheel: zoom, drag: pan)")
            .clicked()
        {
            window = whole;
        }
        if window != whole {
            ui.weak(format!(
                "showing ticks {:.0} to {:.0}",
                window.start,
                window.start + window.span
            ));
        }
    });

    let mut pieces = cpu_pieces(chart, now, until);
    let devices = device_lanes(scenario, chart.devices);
    let coroutine_lanes = coroutine_lanes(chart.coroutines);
    let first_coroutine_lane = scenario.cpus + devices.len();
    let lanes = first_coroutine_lane + coroutine_lanes.len();
    // Each coroutine ran while it was its loop's and its thread was on a CPU.
    let mut coroutine_pieces = Vec::new();
    for span in chart.coroutines {
        let lane = coroutine_lanes
            .iter()
            .position(|(tid, name)| *tid == span.tid && *name == span.name)
            .map_or(first_coroutine_lane, |index| first_coroutine_lane + index);
        // A stretch still going on grows with the clock, as its thread's CPU slice does.
        let end = if span.end == now {
            until
        } else {
            span.end.0 as f64
        };
        for cpu in pieces
            .iter()
            .filter(|p| p.lane < scenario.cpus && p.pid == Some(span.tid))
        {
            let (start, stop) = (cpu.start.max(span.start.0 as f64), cpu.stop.min(end));
            if stop > start {
                coroutine_pieces.push(Piece {
                    lane,
                    row: (0, 1),
                    start,
                    stop,
                    pid: Some(span.tid),
                    coroutine: Some(span.name.clone()),
                });
            }
        }
    }
    pieces.extend(coroutine_pieces);
    for (index, (_, slices)) in devices.iter().enumerate() {
        // Requests served at once share their lane in sub-rows.
        let mut rows_end: Vec<u64> = Vec::new();
        let mut placed = Vec::new();
        for slice in slices {
            let row = match rows_end.iter().position(|&stop| stop <= slice.start.0) {
                Some(row) => row,
                None => {
                    rows_end.push(0);
                    rows_end.len() - 1
                }
            };
            rows_end[row] = slice.end.0;
            placed.push((row, slice));
        }
        let rows = rows_end.len().max(1);
        for (row, slice) in placed {
            pieces.push(Piece {
                lane: scenario.cpus + index,
                row: (row, rows),
                start: slice.start.0 as f64,
                stop: slice.end.0 as f64,
                pid: Some(slice.pid),
                coroutine: None,
            });
        }
    }
    // Requests still in service grow to the clock like running slices.
    for piece in &mut pieces {
        if piece.stop as u64 == now.0 && piece.lane >= scenario.cpus && until > piece.stop {
            piece.stop = until;
        }
    }

    let label_width = 64.0;
    // Compact (a title in the Fit row): lower lanes, the lower the more there are.
    let (lane_height, lane_gap) = match (title.is_some(), lanes) {
        (false, _) => (28.0, 6.0),
        (true, 0..=2) => (18.0, 3.0),
        (true, _) => (13.0, 2.0),
    };
    // The time ruler: its ticks and their numbers.
    let ruler_height = if title.is_some() { 20.0 } else { 26.0 };
    // A strip above the lanes for the releases and deadlines of real-time jobs.
    // (Compact, the height is the layout's: the marks go over CPU0's lane instead.)
    let marks_height = if scenario.realtime.is_some() && title.is_none() {
        20.0
    } else {
        0.0
    };
    let width = ui.available_width().max(300.0);
    let (rect, response) = ui.allocate_exact_size(
        Vec2::new(
            width,
            marks_height + lanes as f32 * (lane_height + lane_gap) + ruler_height,
        ),
        egui::Sense::click_and_drag(),
    );
    let chart_width = (width - label_width - 10.0).max(1.0) as f64;
    // Zoom around the pointer with Ctrl + wheel (the wheel alone scrolls the page); pan by
    // dragging.
    if response.hovered() {
        let zoom = ui.input(|i| i.zoom_delta());
        if zoom != 1.0
            && let Some(pointer) = response.hover_pos()
        {
            let scroll = 200.0 * zoom.ln();
            let at = window.start
                + (pointer.x - rect.left() - label_width).max(0.0) as f64 / chart_width
                    * window.span;
            let factor = (-scroll as f64 / 200.0).exp();
            let span = (window.span * factor).clamp(4.0, end);
            window.start = (at - (at - window.start) * span / window.span).clamp(0.0, end - span);
            window.span = span;
        }
    }
    if response.dragged() {
        let ticks = -response.drag_delta().x as f64 / chart_width * window.span;
        window.start = (window.start + ticks).clamp(0.0, (end - window.span).max(0.0));
    }
    ui.data_mut(|d| d.insert_temp(id, window));

    let painter = ui.painter_at(rect);
    let text_colour = ui.visuals().text_color();
    let scale = chart_width / window.span;
    let x_of = |t: f64| rect.left() + label_width + ((t - window.start) * scale) as f32;
    let lane_top = |lane: usize| rect.top() + marks_height + lane as f32 * (lane_height + lane_gap);
    for lane in 0..lanes {
        let name = if lane < scenario.cpus {
            format!("CPU{lane}")
        } else if lane < first_coroutine_lane {
            devices[lane - scenario.cpus].0.clone()
        } else {
            // A coroutine's lane, under its thread's: its name.
            let (_, name) = &coroutine_lanes[lane - first_coroutine_lane];
            format!("· {name}")
        };
        let label = painter.text(
            Pos2::new(rect.left(), lane_top(lane) + lane_height / 2.0),
            Align2::LEFT_CENTER,
            &name,
            FontId::proportional(12.0),
            text_colour,
        );
        if lane >= first_coroutine_lane {
            // The lane as a node of its own (screen readers, and the UI tests).
            let (tid, coroutine) = &coroutine_lanes[lane - first_coroutine_lane];
            let node = ui.interact(
                label,
                id.with(("coroutine lane", lane)),
                egui::Sense::hover(),
            );
            let words = format!("coroutine lane {coroutine} of {}", roster.name(*tid));
            node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &words));
        }
    }
    let chart_left = rect.left() + label_width;
    let mut hovered: Option<String> = None;
    let pointer = response.hover_pos();
    for piece in &pieces {
        let (start, stop) = (
            piece.start.max(window.start),
            piece.stop.min(window.start + window.span),
        );
        if stop <= start {
            continue;
        }
        let (row, rows) = piece.row;
        let row_height = lane_height / rows as f32;
        let top = lane_top(piece.lane) + row as f32 * row_height;
        let body = Rect::from_min_max(
            Pos2::new(x_of(start).max(chart_left), top),
            Pos2::new(
                x_of(stop),
                top + row_height - if rows > 1 { 1.0 } else { 0.0 },
            ),
        );
        match piece.pid {
            Some(pid) => {
                let process = roster.get(pid).map_or(pid, |e| e.process);
                let colour = palette::task_colour(process, pid);
                painter.rect_filled(body, 2.0, colour);
                if selected == Some(pid) {
                    painter.rect_stroke(
                        body,
                        2.0,
                        Stroke::new(3.0, palette::HIGHLIGHT),
                        egui::StrokeKind::Inside,
                    );
                }
                let name = piece.coroutine.as_deref().unwrap_or(roster.name(pid));
                // Narrow slices keep their colour; the name shows where it fits, and on hover.
                if body.width() > 8.0 * name.len() as f32 && rows == 1 {
                    painter.text(
                        body.center(),
                        Align2::CENTER_CENTER,
                        name,
                        FontId::proportional(12.0),
                        palette::text_on(colour),
                    );
                }
                if pointer.is_some_and(|p| body.contains(p)) {
                    let place = if piece.lane < scenario.cpus {
                        format!("on CPU{}", piece.lane)
                    } else if piece.lane < first_coroutine_lane {
                        format!("in IO on {}", devices[piece.lane - scenario.cpus].0)
                    } else {
                        format!("run by {}'s loop", roster.name(pid))
                    };
                    hovered = Some(format!(
                        "{name} (pid {pid}) {place}, {:.0} to {:.0} ({:.0} ticks)",
                        piece.start,
                        piece.stop,
                        piece.stop - piece.start
                    ));
                }
            }
            None => {
                painter.rect_filled(body, 0.0, palette::IDLE.gamma_multiply(0.25));
            }
        }
    }
    let ruler_top = lane_top(lanes);
    if let Some(realtime) = &scenario.realtime {
        job_marks_ui(
            &painter,
            realtime,
            window,
            &x_of,
            if marks_height > 0.0 {
                (rect.top(), rect.top() + marks_height)
            } else {
                (lane_top(0), lane_top(0) + lane_height)
            },
            until,
        );
    }
    markers_ui(
        &painter,
        chart.markers,
        window,
        &x_of,
        rect.top(),
        ruler_top,
        until,
    );
    // Time ruler with about ten labelled ticks.
    let step = nice_step(window.span / 10.0);
    let mut t = (window.start / step).ceil() * step;
    while t <= window.start + window.span + 1e-9 {
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
    if (window.start..=window.start + window.span).contains(&until.min(end)) {
        let cursor = x_of(until.min(end));
        painter.line_segment(
            [Pos2::new(cursor, rect.top()), Pos2::new(cursor, ruler_top)],
            Stroke::new(1.5, palette::HIGHLIGHT),
        );
    }
    if let Some(text) = hovered {
        response.on_hover_text_at_pointer(text);
    }
    rect
}

/// The CPU lanes: the slices so far, and each lane growing to the clock (the running slice,
/// or an idle gap) between instants.
fn cpu_pieces(chart: &Chart, now: Tick, until: f64) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = chart
        .cpus
        .iter()
        .map(|span| Piece {
            lane: span.cpu.0,
            row: (0, 1),
            start: span.start.0 as f64,
            stop: span.end.0 as f64,
            pid: span.pid,
            coroutine: None,
        })
        .collect();
    if until > now.0 as f64 {
        for (cpu, &running) in chart.running.iter().enumerate() {
            pieces.push(Piece {
                lane: cpu,
                row: (0, 1),
                start: now.0 as f64,
                stop: until,
                pid: running,
                coroutine: None,
            });
        }
    }
    pieces
}

/// The devices that served IO in the run so far, with their slices (the default device is
/// called IO). The slices are cut at the last instant; services still going on grow to the
/// clock when drawn.
fn device_lanes(
    scenario: &Scenario,
    slices: &[gantt::DeviceSlice],
) -> Vec<(String, Vec<gantt::DeviceSlice>)> {
    let mut lanes: Vec<(String, Vec<gantt::DeviceSlice>)> = Vec::new();
    for slice in slices.iter().cloned() {
        let name = if slice.device.0 == 0 {
            "IO".to_string()
        } else {
            scenario.devices[slice.device.0].name.clone()
        };
        match lanes.last_mut() {
            Some((lane, list)) if *lane == name => list.push(slice),
            _ => lanes.push((name, vec![slice])),
        }
    }
    lanes
}

/// The coroutine lanes: one per coroutine that ran some time, by thread, in the order they
/// first ran.
fn coroutine_lanes(spans: &[gantt::CoroutineSpan]) -> Vec<(Pid, String)> {
    let mut lanes: Vec<(Pid, String)> = Vec::new();
    for span in spans {
        if !lanes
            .iter()
            .any(|(tid, name)| *tid == span.tid && *name == span.name)
        {
            lanes.push((span.tid, span.name.clone()));
        }
    }
    lanes.sort_by_key(|(tid, _)| *tid);
    lanes
}

/// Vertical markers for the MLFQ boosts and the deadlocks so far, and dots for the instants'
/// zero-time steps.
fn markers_ui(
    painter: &egui::Painter,
    markers: &[(Tick, Marker)],
    window: Window,
    x_of: &dyn Fn(f64) -> f32,
    top: f32,
    bottom: f32,
    until: f64,
) {
    for &(time, marker) in markers {
        let t = time.0 as f64;
        if t > until || t < window.start || t > window.start + window.span {
            continue;
        }
        let x = x_of(t);
        let (label, colour) = match marker {
            Marker::Boost => ("boost", egui::Color32::from_rgb(86, 180, 233)),
            Marker::Deadlock => ("deadlock", palette::HIGHLIGHT),
            Marker::DeadlineMiss => ("miss", palette::HIGHLIGHT),
            Marker::Steps(_) => {
                // Zero-time steps: a dot on the ruler's line (the caption strip and the event
                // steps tell what they were).
                painter.circle(
                    Pos2::new(x, bottom + 1.0),
                    3.0,
                    palette::GIL,
                    Stroke::new(1.0, egui::Color32::BLACK),
                );
                continue;
            }
        };
        painter.line_segment(
            [Pos2::new(x, top), Pos2::new(x, bottom)],
            Stroke::new(1.5, colour),
        );
        painter.text(
            Pos2::new(x + 2.0, top),
            Align2::LEFT_TOP,
            label,
            FontId::proportional(10.0),
            colour,
        );
    }
}

/// The releases (▲, in the lower half of the strip over the lanes, or of CPU0's lane when
/// compact) and deadlines (▼, in its upper half) of the jobs of periodic tasks released so far, each in its job's colour, as
/// real-time textbooks draw them.
fn job_marks_ui(
    painter: &egui::Painter,
    realtime: &sim_core::scenario::RealTime,
    window: Window,
    x_of: &dyn Fn(f64) -> f32,
    (top, bottom): (f32, f32),
    until: f64,
) {
    let visible = |t: f64| t >= window.start && t <= window.start + window.span;
    let half = (bottom - top) / 2.0;
    let size = half / 2.0;
    for (index, job) in realtime.jobs.iter().enumerate() {
        let release = job.release.0 as f64;
        if release > until {
            // Jobs come by release: the later ones are not released yet.
            break;
        }
        let pid = realtime.pid_of_job(index);
        let colour = palette::task_colour(pid, pid);
        let outline = Stroke::new(1.0, egui::Color32::BLACK);
        if visible(release) {
            let x = x_of(release);
            painter.add(egui::Shape::convex_polygon(
                vec![
                    Pos2::new(x, bottom - half),
                    Pos2::new(x + size, bottom),
                    Pos2::new(x - size, bottom),
                ],
                colour,
                outline,
            ));
        }
        let deadline = job.deadline.0 as f64;
        if visible(deadline) {
            let x = x_of(deadline);
            painter.add(egui::Shape::convex_polygon(
                vec![
                    Pos2::new(x - size, top),
                    Pos2::new(x + size, top),
                    Pos2::new(x, top + half),
                ],
                colour,
                outline,
            ));
        }
    }
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
