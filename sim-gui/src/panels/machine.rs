//! The machine: CPUs, the ready queue (one row per level), devices with their queues, new and
//! terminated processes. Processes are coloured chips that glide to their new place when their
//! state changes, so the eye can follow them.

use crate::frame::Frame;
use crate::palette;
use crate::panels::Action;
use crate::panels::captions::{Caption, paint_badge};
use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2};
use sim_core::pcb::ProcState;
use sim_core::{Pid, Snapshot};
use std::collections::BTreeMap;

const CHIP: Vec2 = Vec2::new(72.0, 28.0);
/// A chip on a short window (1280×720 in projector mode).
const COMPACT_CHIP: Vec2 = Vec2::new(66.0, 22.0);
const GAP: f32 = 6.0;
/// The badge on the chip of the thread holding its process's GIL.
const GIL_TOKEN: Vec2 = Vec2::new(24.0, 13.0);
/// Seconds a chip takes to move to its new place.
const GLIDE_SECONDS: f32 = 0.45;

/// A labelled area of the canvas where chips are placed left to right, wrapping.
struct Zone {
    title: String,
    rect: Rect,
    pids: Vec<Pid>,
}

/// The machine: ready queues, CPUs, devices and waiting boxes, with a chip per process;
/// clicking a chip (or the background) asks to select it (or nobody). Each chip a caption of
/// the strip is about carries its number. `compact`: the window is short, the boxes keep to
/// what their chips need.
pub fn machine_ui(
    ui: &mut egui::Ui,
    frame: &Frame,
    selected: Option<Pid>,
    captions: &[Caption],
    compact: bool,
) -> Vec<Action> {
    let snapshot = &frame.snapshot;
    let scenario = frame.scenario;
    // Lower chips on a short window.
    let chip = if compact { COMPACT_CHIP } else { CHIP };
    // The machine takes the width it is given: it scales with the window.
    let width = ui.available_width().max(320.0);
    let levels = snapshot.ready_queues.len().max(1);
    let busy_devices: Vec<usize> = (0..snapshot.devices.len())
        .filter(|&d| {
            d > 0
                || !snapshot.devices[d].in_service.is_empty()
                || !snapshot.devices[d].waiting.is_empty()
        })
        .collect();
    // Processes blocked in `wait`, on a resource, an event, a queue or in a sleep get boxes of
    // their own in the bottom row; with more than fit, the waits of one kind share a box.
    let mut waiting_boxes = waiting_boxes(snapshot);
    let capacity = ((width + 6.0) / MIN_BOX_WIDTH).floor().max(1.0) as usize;
    if busy_devices.len() + waiting_boxes.len() > capacity {
        waiting_boxes = grouped(waiting_boxes);
    }
    // On a short window a shared box lists its waits on hover, not under its chips.
    let mut box_hovers: Vec<(usize, String)> = Vec::new();
    if compact {
        for (index, wait) in waiting_boxes.iter_mut().enumerate() {
            if !wait.lines.is_empty() {
                let lines: Vec<String> = std::mem::take(&mut wait.lines)
                    .into_iter()
                    .map(|(title, _)| title)
                    .collect();
                box_hovers.push((index, lines.join("\n")));
            }
        }
    }
    let bottom_boxes = busy_devices.len() + waiting_boxes.len();
    let cpu_rows = snapshot.cpus.len();
    // Boxes size to their content: every ready level (and the new and exited boxes) is as
    // tall as its chips need at this width, so no chip covers a title or spills out.
    // Columns: new | ready queue | CPUs | exited, in points; each side column holds a chip
    // at least, the CPUs' a chip and its label, the ready queue the rest.
    let side = chip.x + 3.0 * GAP + 6.0;
    let new_width = (width * 0.16).max(side);
    let done_width = (width * 0.18).max(side);
    let cpu_width = (width * 0.22).max(chip.x + 60.0);
    let columns = [
        new_width,
        (width - new_width - done_width - cpu_width).max(side),
        cpu_width,
        done_width,
    ];
    let rows_for = |count: usize, column: f32| -> f32 {
        let per_row = ((column - 6.0 - GAP) / (chip.x + GAP)).floor().max(1.0);
        (count as f32 / per_row).ceil().max(1.0)
    };
    let level_heights: Vec<f32> = (0..levels)
        .map(|level| {
            let chips = snapshot.ready_queues.get(level).map_or(0, Vec::len);
            22.0 + rows_for(chips, columns[1]) * (chip.y + GAP) + GAP
        })
        .collect();
    let count = |wanted: fn(&ProcState) -> bool| {
        snapshot
            .processes
            .iter()
            .filter(|p| wanted(&p.state))
            .count()
    };
    let new_rows = rows_for(count(|s| matches!(s, ProcState::New)), columns[0]);
    let done_rows = rows_for(count(ProcState::has_exited), columns[3]);
    let top_height = (level_heights.iter().sum::<f32>() + 4.0)
        .max(cpu_rows as f32 * (chip.y + if compact { 4.0 } else { 3.0 * GAP }) + 22.0)
        .max(new_rows.max(done_rows) * (chip.y + GAP) + 26.0)
        .max(if compact { 90.0 } else { 110.0 });
    // The bottom row is kept for the whole run of a scenario that ever waits (IO, a child, a
    // resource, an event, a queue, a sleep), so the layout does not jump when a box appears.
    let ever_waits = scenario.devices.len() > 1
        || !scenario.sync.is_empty()
        || scenario.processes.iter().any(|p| {
            p.program.iter().any(|step| {
                !matches!(
                    step,
                    sim_core::scenario::Step::Cpu { .. }
                        | sim_core::scenario::Step::Bytecode { .. }
                        | sim_core::scenario::Step::Exit { .. }
                )
            })
        });
    // The bottom row's boxes, in rows of as many as fit, each row as tall as its tallest box.
    let per_row = capacity.min(bottom_boxes).max(1);
    let share = width / per_row as f32;
    let box_height = |chips: usize, lines: usize, fraction: f32| -> f32 {
        let per_line = ((share * fraction - 6.0 - GAP) / (chip.x + GAP))
            .floor()
            .max(1.0);
        let rows = (chips as f32 / per_line).ceil().max(1.0);
        22.0 + rows * (chip.y + GAP) + lines as f32 * LINE + GAP
    };
    let mut heights: Vec<f32> = busy_devices
        .iter()
        .map(|&d| {
            let view = &snapshot.devices[d];
            box_height(view.in_service.len(), 0, 0.4).max(box_height(view.waiting.len(), 0, 0.6))
        })
        .collect();
    heights.extend(
        waiting_boxes
            .iter()
            .map(|b| box_height(b.pids.len(), b.lines.len(), 1.0)),
    );
    let row_heights: Vec<f32> = heights
        .chunks(per_row)
        .map(|row| row.iter().copied().fold(0.0, f32::max))
        .collect();
    let device_height = if bottom_boxes == 0 && !ever_waits {
        0.0
    } else if bottom_boxes == 0 {
        // As tall as one row of boxes: the layout does not jump when a box appears.
        box_height(0, 0, 1.0)
    } else {
        row_heights.iter().sum::<f32>() + 8.0 * (row_heights.len() - 1) as f32
    };
    let (canvas, response) = ui.allocate_exact_size(
        Vec2::new(width, top_height + device_height + 8.0),
        egui::Sense::click(),
    );
    let painter = ui.painter_at(canvas);
    let text_colour = ui.visuals().text_color();
    let frame_colour = ui.visuals().widgets.noninteractive.bg_stroke.color;

    // Zones of the top row: new | ready queue level(s) | CPUs | exited.
    let mut x = canvas.left();
    let mut column = |column_width: f32| {
        let rect = Rect::from_min_size(
            Pos2::new(x, canvas.top()),
            Vec2::new(column_width - 6.0, top_height),
        );
        x += column_width;
        rect
    };
    let new_rect = column(columns[0]);
    let ready_rect = column(columns[1]);
    let cpu_rect = column(columns[2]);
    let done_rect = column(columns[3]);

    let by_state = |wanted: fn(&ProcState) -> bool| -> Vec<Pid> {
        snapshot
            .processes
            .iter()
            .filter(|p| wanted(&p.state))
            .map(|p| p.pid)
            .collect()
    };
    let mut zones = vec![
        Zone {
            title: "new".into(),
            rect: new_rect,
            pids: by_state(|s| matches!(s, ProcState::New)),
        },
        Zone {
            title: "exited (zombies first)".into(),
            rect: done_rect,
            pids: by_state(|s| matches!(s, ProcState::Zombie))
                .into_iter()
                .chain(by_state(|s| matches!(s, ProcState::Terminated)))
                .collect(),
        },
    ];
    let mut level_top = ready_rect.top();
    for (level, queue) in snapshot.ready_queues.iter().enumerate() {
        let title = if levels == 1 {
            "ready queue (front first)".to_string()
        } else if scenario.rules.scheduler.per_cpu_queues {
            format!("ready queue of CPU{level} (front first)")
        } else if let Some(name) = scenario
            .policy
            .queue_names()
            .and_then(|n| n.get(level).copied())
        {
            format!("ready: {name} (front first)")
        } else {
            format!("ready level {level} (front first)")
        };
        let height = level_heights[level];
        zones.push(Zone {
            title,
            rect: Rect::from_min_size(
                Pos2::new(ready_rect.left(), level_top),
                Vec2::new(ready_rect.width(), height - 2.0),
            ),
            pids: queue.clone(),
        });
        level_top += height;
    }
    // Processes that are ready but not queued are being switched to a CPU; they sit on it.
    let cpu_height = (top_height - 20.0) / cpu_rows.max(1) as f32;
    let mut targets: BTreeMap<Pid, Pos2> = BTreeMap::new();
    for (index, cpu) in snapshot.cpus.iter().enumerate() {
        let rect = Rect::from_min_size(
            cpu_rect.min + Vec2::new(0.0, 20.0 + index as f32 * cpu_height),
            Vec2::new(cpu_rect.width(), cpu_height - 4.0),
        );
        painter.rect(
            rect,
            6.0,
            ui.visuals().extreme_bg_color,
            Stroke::new(2.0, text_colour),
            StrokeKind::Inside,
        );
        let label = match (cpu.running, cpu.switching_to) {
            (None, Some(_)) => format!("{} switching", cpu.cpu),
            (None, None) => format!("{} idle", cpu.cpu),
            _ => format!("{}", cpu.cpu),
        };
        // The CPU's box as a node of its own (screen readers, and the layout tests).
        let node = ui.interact(
            rect,
            ui.scope_id().with(("cpu box", index)),
            egui::Sense::hover(),
        );
        let name = format!("{} box", cpu.cpu);
        node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, &name));
        painter.text(
            rect.left_center() + Vec2::new(8.0, 0.0),
            Align2::LEFT_CENTER,
            label,
            FontId::proportional(13.0),
            text_colour,
        );
        // With the cache model: whose working sets this CPU's cache holds.
        if scenario.rules.cache.is_some() {
            let warm: Vec<&str> = cpu.warm.iter().map(|&pid| snapshot.name(pid)).collect();
            let warm = if warm.is_empty() {
                "cache cold".to_string()
            } else {
                format!("cache warm: {}", warm.join(" "))
            };
            let text_rect = painter.text(
                rect.left_bottom() + Vec2::new(8.0, -4.0),
                Align2::LEFT_BOTTOM,
                &warm,
                FontId::proportional(11.0),
                ui.visuals().weak_text_color(),
            );
            let node = ui.interact(
                text_rect,
                ui.scope_id().with(("cpu cache", index)),
                egui::Sense::hover(),
            );
            let name = format!("{} {warm}", cpu.cpu);
            node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &name));
        }
        if let Some(pid) = cpu.running.or(cpu.switching_to) {
            targets.insert(
                pid,
                rect.right_center() - Vec2::new(chip.x + 8.0, chip.y / 2.0),
            );
        }
    }
    painter.text(
        cpu_rect.left_top(),
        Align2::LEFT_TOP,
        "CPUs",
        FontId::proportional(13.0),
        text_colour,
    );

    // Devices: one box each, in service then waiting; then the other waits.
    if bottom_boxes == 0 && device_height > 0.0 {
        painter.text(
            Pos2::new(canvas.left() + 6.0, canvas.top() + top_height + 14.0),
            Align2::LEFT_TOP,
            "waiting boxes: nobody waits for IO, a child, a resource, an event or a queue now",
            FontId::proportional(12.0),
            ui.visuals().weak_text_color(),
        );
    }
    // A shared box's lines: where, how wide, the wait's title and who waits there.
    let mut list_lines: Vec<(Pos2, f32, String, String)> = Vec::new();
    if bottom_boxes > 0 {
        let top = canvas.top() + top_height + 8.0;
        let place = |slot: usize| -> Rect {
            let row = slot / per_row;
            let y = top + row_heights[..row].iter().sum::<f32>() + 8.0 * row as f32;
            Rect::from_min_size(
                Pos2::new(canvas.left() + (slot % per_row) as f32 * share, y),
                Vec2::new(share - 6.0, row_heights[row]),
            )
        };
        for (slot, &device) in busy_devices.iter().enumerate() {
            let view = &snapshot.devices[device];
            let rect = place(slot);
            let half = rect.width() * 0.4;
            zones.push(Zone {
                title: if device == 0 {
                    "IO: in service".to_string()
                } else {
                    format!("device {}: in service", view.name)
                },
                rect: Rect::from_min_size(rect.min, Vec2::new(half, rect.height())),
                pids: view.in_service.clone(),
            });
            zones.push(Zone {
                title: "waiting (front first)".into(),
                rect: Rect::from_min_max(rect.min + Vec2::new(half, 0.0), rect.max),
                pids: view.waiting.clone(),
            });
        }
        for (index, wait) in waiting_boxes.into_iter().enumerate() {
            let rect = place(busy_devices.len() + index);
            if let Some((_, words)) = box_hovers.iter().find(|(i, _)| *i == index) {
                ui.interact(
                    rect,
                    ui.scope_id().with(("wait box", index)),
                    egui::Sense::hover(),
                )
                .on_hover_text(words);
            }
            // A shared box lists each wait under its chips, in the core's words.
            let chips_bottom = rect.bottom() - wait.lines.len() as f32 * LINE - GAP;
            for (line, (title, pids)) in wait.lines.iter().enumerate() {
                let names: Vec<String> = pids
                    .iter()
                    .map(|&pid| short_name(snapshot.name(pid)).into_owned())
                    .collect();
                list_lines.push((
                    Pos2::new(rect.left() + 6.0, chips_bottom + line as f32 * LINE),
                    rect.width() - 12.0,
                    title.clone(),
                    names.join(" "),
                ));
            }
            zones.push(Zone {
                title: wait.title,
                rect,
                pids: wait.pids,
            });
        }
    }

    // Partway through an instant (event steps) a thread may be ready and not yet queued:
    // it shows at the end of the ready queue, never nowhere.
    let placed: std::collections::BTreeSet<Pid> = zones
        .iter()
        .flat_map(|zone| zone.pids.iter().copied())
        .chain(targets.keys().copied())
        .collect();
    let unplaced: Vec<Pid> = snapshot
        .processes
        .iter()
        .filter(|p| matches!(p.state, ProcState::Ready) && !placed.contains(&p.pid))
        .map(|p| p.pid)
        .collect();
    if let Some(ready) = zones
        .iter_mut()
        .rfind(|zone| zone.title.starts_with("ready "))
    {
        ready.pids.extend(unplaced);
    }
    for (index, zone) in zones.iter().enumerate() {
        painter.rect_stroke(
            zone.rect,
            6.0,
            Stroke::new(1.0, frame_colour),
            StrokeKind::Inside,
        );
        let title_rect = elided_text(
            &painter,
            zone.rect.left_top() + Vec2::new(6.0, 3.0),
            zone.rect.width() - 12.0,
            &zone.title,
            text_colour,
        );
        // The title as a node of its own, for screen readers (and the UI tests).
        let node = ui.interact(
            title_rect,
            ui.scope_id().with(("zone title", index)),
            egui::Sense::hover(),
        );
        node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &zone.title));
        let mut at = zone.rect.left_top() + Vec2::new(GAP, 20.0);
        for &pid in &zone.pids {
            if at.x + chip.x > zone.rect.right() {
                at = Pos2::new(zone.rect.left() + GAP, at.y + chip.y + GAP);
            }
            targets.insert(pid, at);
            at.x += chip.x + GAP;
        }
    }

    for (index, (at, width, title, names)) in list_lines.iter().enumerate() {
        let rect = elided_text(
            &painter,
            *at,
            *width,
            &format!("{title}: {names}"),
            text_colour,
        );
        let node = ui.interact(
            rect,
            ui.scope_id().with(("wait line", index)),
            egui::Sense::hover(),
        );
        node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, title));
    }

    // Chips, gliding to their targets (in place at once when animations are off: screenshots).
    let ctx = ui.ctx().clone();
    let glide = if ui.style().animation_time > 0.0 {
        GLIDE_SECONDS
    } else {
        0.0
    };
    let mut clicked = None;
    let pointer = response.interact_pointer_pos();
    for (&pid, &target) in &targets {
        let id = ui.scope_id().with(("chip", pid.0));
        let x = ctx.animate_value_with_time(id.with("x"), target.x, glide);
        let y = ctx.animate_value_with_time(id.with("y"), target.y, glide);
        let rect = Rect::from_min_size(Pos2::new(x, y), chip);
        let view = snapshot.processes.get(pid.index());
        let zombie = view.is_some_and(|p| p.state == ProcState::Zombie);
        // Threads share their process's hue (docs/threads.md).
        let process = view.map_or(pid, |p| p.process());
        let base = palette::task_colour(process, pid);
        // A zombie is a ghost of its chip (exited, its PCB not yet reaped), with a Z badge.
        let colour = if zombie {
            base.gamma_multiply(0.35)
        } else {
            base
        };
        let selected = selected == Some(pid);
        let stroke = if selected {
            Stroke::new(3.0, palette::HIGHLIGHT)
        } else {
            Stroke::new(1.0, Color32::BLACK)
        };
        painter.rect(rect, 8.0, colour, stroke, StrokeKind::Outside);
        // A short name and the pid on every chip (namesakes, a fork bomb's children, stay
        // apart); the full name on hover and in the table.
        let full = snapshot.name(pid);
        // The coroutine its loop runs, when it has others (greenlets, gevent, asyncio).
        let running_coroutine = snapshot
            .coroutines
            .iter()
            .find(|c| c.tid == pid && c.current && c.state != "done")
            .filter(|_| snapshot.coroutines.iter().filter(|c| c.tid == pid).count() > 1);
        let label = match running_coroutine {
            Some(coroutine) => format!("{} {}: {}", short_name(full), pid, coroutine.name),
            None => format!("{} {}", short_name(full), pid),
        };
        let text_colour = if zombie {
            ui.visuals().text_color()
        } else {
            palette::text_on(colour)
        };
        let size = (chip.x * 1.75 / label.chars().count().max(1) as f32).clamp(11.0, 14.0);
        let chip_painter = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
        chip_painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            label,
            FontId::proportional(size),
            text_colour,
        );
        // The chip as a node of its own, by its full name (screen readers, the layout tests);
        // hovered, it tells the full name and the thread's coroutines.
        let node = ui.interact(rect, id.with("chip node"), egui::Sense::hover());
        let name = format!("chip {full}");
        node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        node.on_hover_ui(|ui| {
            ui.label(chip_hover(snapshot, pid));
        });
        if zombie {
            // At the top left: the top right carries a caption's number.
            let badge = egui::Pos2::new(rect.left() + 2.0, rect.top() + 2.0);
            painter.circle_filled(badge, 7.0, palette::HIGHLIGHT);
            painter.text(
                badge,
                Align2::CENTER_CENTER,
                "Z",
                FontId::proportional(10.0),
                Color32::WHITE,
            );
        }
        // A thread's live coroutines as small dots along its chip, the running one filled.
        let coroutines: Vec<&sim_core::snapshot::CoroutineView> = snapshot
            .coroutines
            .iter()
            .filter(|c| c.tid == pid && c.state != "done")
            .collect();
        for (index, coroutine) in coroutines.iter().enumerate() {
            // Across the chip's bottom edge, clear of its label.
            let centre = Pos2::new(rect.left() + 7.0 + index as f32 * 9.0, rect.bottom());
            if coroutine.current {
                painter.circle_filled(centre, 3.5, palette::HIGHLIGHT);
            } else {
                painter.circle_stroke(centre, 3.0, Stroke::new(1.0, Color32::WHITE));
            }
        }
        // Tokens along the chip's top: the GIL its thread holds, then each lock it holds.
        let mut tokens: Vec<(String, Color32, String)> = Vec::new();
        if snapshot.gils.iter().any(|gil| gil.holder == Some(pid)) {
            tokens.push((
                "GIL".into(),
                palette::GIL,
                format!("GIL token on {}", snapshot.name(pid)),
            ));
        }
        for resource in &snapshot.sync.resources {
            if resource.holders.iter().any(|&(holder, _)| holder == pid) {
                tokens.push((
                    resource.name.clone(),
                    palette::LOCK,
                    format!("{} held by {}", resource.name, snapshot.name(pid)),
                ));
            }
        }
        let mut token_x = rect.left() - 4.0;
        for (index, (text, fill, name)) in tokens.iter().enumerate() {
            let galley =
                painter.layout_no_wrap(text.clone(), FontId::proportional(10.0), Color32::BLACK);
            let width = (galley.size().x + 6.0).clamp(GIL_TOKEN.x, chip.x * 0.6);
            let token = Rect::from_min_size(
                Pos2::new(token_x, rect.top() - 6.0),
                Vec2::new(width, GIL_TOKEN.y),
            );
            token_x += width + 3.0;
            painter.rect(
                token,
                4.0,
                *fill,
                Stroke::new(1.0, Color32::BLACK),
                StrokeKind::Outside,
            );
            painter.with_clip_rect(token).galley(
                token.center() - galley.size() / 2.0,
                galley,
                Color32::BLACK,
            );
            // The token as a node of its own (screen readers, and the UI tests).
            let node = ui.interact(token, id.with(("token", index)), egui::Sense::hover());
            node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, name));
        }
        // The thread's register, in its chip's bottom right corner.
        if let Some(register) = view.and_then(|v| v.register)
            && !zombie
            && view.is_some_and(|v| !v.state.has_exited())
        {
            let text = format!("r={register}");
            let galley =
                painter.layout_no_wrap(text.clone(), FontId::proportional(9.0), Color32::WHITE);
            // Across the chip's bottom edge: clear of its label.
            let tag = Rect::from_min_size(
                rect.right_bottom() - Vec2::new(galley.size().x + 6.0, galley.size().y / 2.0),
                galley.size() + Vec2::new(4.0, 0.0),
            );
            painter.rect_filled(tag, 3.0, Color32::from_black_alpha(170));
            painter.galley(tag.min + Vec2::new(2.0, 0.0), galley, Color32::WHITE);
            let node = ui.interact(tag, id.with("register"), egui::Sense::hover());
            let name = format!("register of {}: {register}", snapshot.name(pid));
            node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &name));
        }
        if response.clicked() && pointer.is_some_and(|p| rect.contains(p)) {
            clicked = Some(pid);
        }
    }
    // Each chip a caption is about carries its number (its last one), at its top right.
    let mut numbered: BTreeMap<Pid, usize> = BTreeMap::new();
    for caption in captions {
        if let Some(pid) = caption.pid {
            numbered.insert(pid, caption.number);
        }
    }
    for (pid, number) in numbered {
        if let Some(&at) = targets.get(&pid) {
            let id = ui.scope_id().with(("chip", pid.0));
            let x = ctx.animate_value_with_time(id.with("x"), at.x, glide);
            let y = ctx.animate_value_with_time(id.with("y"), at.y, glide);
            // Inside the chip's top right corner: clear of a box's title above it.
            paint_badge(&painter, Pos2::new(x + chip.x - 3.0, y + 4.0), 7.0, number);
        }
    }
    if response.clicked() {
        vec![Action::Select(clicked)]
    } else {
        Vec::new()
    }
}

/// What hovering a chip tells: the full name and pid, and a thread's coroutines.
fn chip_hover(snapshot: &Snapshot, pid: Pid) -> String {
    let coroutines: Vec<String> = snapshot
        .coroutines
        .iter()
        .filter(|c| c.tid == pid && c.state != "done")
        .map(|c| format!("{}{} {}", c.name, if c.current { "*" } else { "" }, c.state))
        .collect();
    let mut text = format!("{} (pid {pid})", snapshot.name(pid));
    if !coroutines.is_empty() {
        text.push_str(&format!("\ncoroutines: {}", coroutines.join(", ")));
    }
    text
}

/// Waits in the bottom row are never narrower than this (points): with more than fit, the
/// waits of one kind share a box.
const MIN_BOX_WIDTH: f32 = CHIP.x * 2.0 + 3.0 * GAP;
/// The height of a line of a shared box's list.
const LINE: f32 = 15.0;

/// A short name for a chip: a thread's own name without its process's (`buyer2` for
/// `box_office/buyer2`), `W1` for `ForkPoolWorker-1`.
pub fn short_name(full: &str) -> std::borrow::Cow<'_, str> {
    let own = full.rsplit('/').next().unwrap_or(full);
    match own.strip_prefix("ForkPoolWorker-") {
        Some(number) => format!("W{number}").into(),
        None => own.into(),
    }
}

/// `text` on one line from `at`, cut with … to `width`; returns where it was drawn.
fn elided_text(painter: &egui::Painter, at: Pos2, width: f32, text: &str, colour: Color32) -> Rect {
    let mut job = egui::text::LayoutJob::simple_singleline(
        text.to_string(),
        FontId::proportional(12.0),
        colour,
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(width.max(10.0));
    let galley = painter.layout_job(job);
    let rect = Rect::from_min_size(at, galley.size());
    painter.galley(at, galley, colour);
    rect
}

/// A box of the bottom row: its title, its chips, and (when waits share it) each wait's
/// words and waiters.
struct WaitBox {
    title: String,
    pids: Vec<Pid>,
    /// The kind of wait, for sharing a box with its likes.
    kind: sim_core::snapshot::WaitKind,
    lines: Vec<(String, Vec<Pid>)>,
}

/// The boxes of several waits of one kind merged into one, titled by the kind, listing each.
fn grouped(boxes: Vec<WaitBox>) -> Vec<WaitBox> {
    let mut merged: Vec<WaitBox> = Vec::new();
    for wait in boxes {
        let family = kind_words(wait.kind);
        let alike = merged
            .iter()
            .position(|b| kind_words(b.kind) == family && family.is_some());
        match alike {
            Some(index) => {
                let group = &mut merged[index];
                if group.lines.is_empty() {
                    group.lines.push((group.title.clone(), group.pids.clone()));
                }
                group.pids.extend(&wait.pids);
                group.lines.push((wait.title, wait.pids));
                group.title = format!("{} ({})", family.unwrap_or_default(), group.lines.len());
            }
            None => merged.push(wait),
        }
    }
    merged
}

/// The words of a box shared by several waits of one kind (`None`: never shared).
fn kind_words(kind: sim_core::snapshot::WaitKind) -> Option<&'static str> {
    use sim_core::snapshot::WaitKind::*;
    Some(match kind {
        PipeRecv | SocketRecv => "recv, no message yet",
        PipeSend | SocketSend => "send, channel full",
        Select => "in select / poll / epoll_wait",
        Resource => "waiting for a lock or semaphore",
        Event => "waiting for an event",
        QueueItem => "get on an empty queue",
        QueueRoom => "put on a full queue",
        Child | AnyChild => "waiting for a child",
        Thread => "joining a thread",
        Gil => "waiting for a GIL",
        Sleep => "sleeping",
        _ => return None,
    })
}

/// The boxes of blocked processes other than device IO, in FIFO order: a child wait, each
/// resource, event and queue with waiters, and sleepers.
fn waiting_boxes(snapshot: &Snapshot) -> Vec<WaitBox> {
    use sim_core::snapshot::WaitKind;
    let mut boxes = Vec::new();
    // Every living GIL process has its box, empty or not: the GIL queue is the lesson.
    for gil in &snapshot.gils {
        boxes.push(WaitBox {
            title: format!("{}: waiting for the GIL", snapshot.name(gil.pid)),
            pids: gil.waiting.clone(),
            kind: WaitKind::Gil,
            lines: Vec::new(),
        });
    }
    // Every other wait with someone in it, titled in the core's words (devices have their
    // own boxes): nothing blocked is missing from the screen.
    for wait in &snapshot.waiting {
        if matches!(wait.on.kind, WaitKind::Device | WaitKind::Gil) {
            continue;
        }
        boxes.push(WaitBox {
            title: sim_core::narrate::wait_title(&wait.on),
            pids: wait.tids.clone(),
            kind: wait.on.kind,
            lines: Vec::new(),
        });
    }
    boxes
}

/// The colours of the processes with threads: each process's hue, and a swatch per thread in
/// its shade, named (the chips' short names say which thread; this says whose).
pub fn legend_ui(ui: &mut egui::Ui, snapshot: &Snapshot) {
    let families: Vec<(Pid, Vec<Pid>)> = snapshot
        .processes
        .iter()
        .filter(|p| p.thread.is_none() && !p.state.has_exited())
        .map(|p| {
            let threads = snapshot
                .processes
                .iter()
                .filter(|t| t.thread.as_ref().is_some_and(|t| t.process == p.pid))
                .map(|t| t.pid)
                .collect();
            (p.pid, threads)
        })
        .filter(|(_, threads): &(Pid, Vec<Pid>)| !threads.is_empty())
        .collect();
    if families.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.weak("Threads:");
        for (process, threads) in families {
            for pid in std::iter::once(process).chain(threads) {
                let (rect, _) = ui.allocate_exact_size(Vec2::new(12.0, 12.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(rect, 2.0, palette::task_colour(process, pid));
                let words = if pid == process {
                    format!("{} (process)", snapshot.name(pid))
                } else {
                    short_name(snapshot.name(pid)).into_owned()
                };
                ui.label(words);
            }
            ui.separator();
        }
    });
}

/// The machine in words (also what screen readers and UI tests find).
pub fn summary_ui(ui: &mut egui::Ui, snapshot: &Snapshot) {
    let name = |pid: Pid| snapshot.name(pid).to_string();
    ui.horizontal_wrapped(|ui| {
        for cpu in &snapshot.cpus {
            let text = match (cpu.running, cpu.switching_to) {
                (Some(pid), _) => format!("{} runs {}", cpu.cpu, name(pid)),
                (None, Some(pid)) => format!("{} switches to {}", cpu.cpu, name(pid)),
                (None, None) => format!("{} is idle", cpu.cpu),
            };
            ui.label(text);
            ui.separator();
        }
        let queue: Vec<String> = snapshot
            .ready_queues
            .iter()
            .flatten()
            .map(|&p| name(p))
            .collect();
        ui.label(if queue.is_empty() {
            "ready queue empty".to_string()
        } else {
            format!("ready queue: {}", queue.join(" "))
        });
        // Each thread's coroutines, the one its loop runs marked with *.
        let mut threads: Vec<Pid> = snapshot.coroutines.iter().map(|c| c.tid).collect();
        threads.dedup();
        for thread in threads {
            ui.separator();
            let tasks: Vec<String> = snapshot
                .coroutines
                .iter()
                .filter(|c| c.tid == thread && c.state != "done")
                .map(|c| {
                    let mark = if c.current { "*" } else { "" };
                    format!("{}{mark} {}", c.name, c.state)
                })
                .collect();
            ui.label(format!(
                "coroutines of {}: {}",
                name(thread),
                tasks.join(", ")
            ));
        }
        // Every other wait, in the core's words: who waits where.
        for wait in &snapshot.waiting {
            if matches!(
                wait.on.kind,
                sim_core::snapshot::WaitKind::Gil | sim_core::snapshot::WaitKind::Device
            ) {
                continue;
            }
            ui.separator();
            let waiting: Vec<String> = wait.tids.iter().map(|&p| name(p)).collect();
            ui.label(format!(
                "{}: {}",
                sim_core::narrate::wait_title(&wait.on),
                waiting.join(" ")
            ));
        }
        for gil in &snapshot.gils {
            ui.separator();
            let holder = gil.holder.map_or("nobody".to_string(), name);
            let waiting: Vec<String> = gil.waiting.iter().map(|&p| name(p)).collect();
            ui.label(format!(
                "GIL of {}: held by {holder}; waiting for the GIL: {}",
                name(gil.pid),
                if waiting.is_empty() {
                    "nobody".to_string()
                } else {
                    waiting.join(" ")
                }
            ));
        }
    });
}
