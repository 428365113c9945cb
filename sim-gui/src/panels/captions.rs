//! The caption strip: the last instant's events in order, in words, each numbered; the chip it
//! is about carries the same number, so nothing is drawn over a chip. The events a lesson turns
//! on (a deadlock, an MLFQ boost, a kill, a reparenting, a timeout, an event set, a lost
//! update) are never dropped when the strip is short of room.

use crate::frame::Frame;
use crate::palette;
use sim_core::event::Event;
use sim_core::roster::Roster;
use sim_core::{Pid, TimedEvent};

/// One caption: what happened, to whom, and whether the strip must keep it.
#[derive(Clone, Debug, PartialEq)]
pub struct Caption {
    /// Its number in the strip and on the chip, from 1.
    pub number: usize,
    pub pid: Option<Pid>,
    pub words: String,
    pub important: bool,
}

/// How long after its instant the captions stay, in ticks of the clock.
const CAPTION_TICKS: f64 = 1.0;

/// Most captions the strip lists on a tall window; the important ones always, the others
/// while room is left (two on a short window).
pub const MAX_SHOWN: usize = 6;

/// The captions of the last instant, in the order its events happened: a dispatch says why
/// the policy chose that process; the other moves say what happened in the trace's words.
/// Empty once the clock is a tick past the instant.
pub fn captions(frame: &Frame) -> Vec<Caption> {
    let Some(last) = frame.last_instant.first().map(|e| e.time) else {
        return Vec::new();
    };
    if frame.clock.display_time - last.0 as f64 > CAPTION_TICKS {
        return Vec::new();
    }
    let lost = lost_updates(frame.log, frame.last_instant, frame.roster);
    let mut captions = Vec::new();
    for (index, timed) in frame.last_instant.iter().enumerate() {
        let pid = timed.event.pid();
        let mut words = match (&timed.event, pid) {
            (Event::Dispatch { why, .. }, Some(pid)) => {
                sim_core::narrate::why_chosen(pid, why, frame.roster)
            }
            _ => sim_core::narrate::describe(&timed.event, frame.scenario, frame.roster),
        };
        let lost_update = lost.contains(&index);
        if lost_update {
            words.push_str(" — lost update");
        }
        captions.push(Caption {
            number: captions.len() + 1,
            pid,
            words,
            important: lost_update || important(&timed.event),
        });
    }
    captions
}

/// The events a lesson turns on.
fn important(event: &Event) -> bool {
    matches!(
        event,
        Event::Deadlock { .. }
            | Event::DeadlineMiss { .. }
            | Event::Boost
            | Event::Kill { .. }
            | Event::Signal { .. }
            | Event::SignalSent { .. }
            | Event::Reparent { .. }
            | Event::SetEvent { .. }
            | Event::Abort { .. }
            | Event::Raise { .. }
    ) || matches!(
        event,
        Event::Wake {
            reason: sim_core::event::WakeReason::TimedOut,
            ..
        }
    )
}

/// The positions in `instant` (the tail of `log`) of the lost updates.
fn lost_updates(log: &[TimedEvent], instant: &[TimedEvent], roster: &Roster) -> Vec<usize> {
    let start = log.len() - instant.len();
    (0..instant.len())
        .filter(|offset| sim_core::writes::is_lost_update(log, start + offset, roster))
        .collect()
}

/// The strip: the captions in order, numbered like the badges on their chips; when there are
/// more than fit, how many earlier ones the event log has, then the important ones and the
/// last others.
pub fn caption_strip_ui(ui: &mut egui::Ui, frame: &Frame, captions: &[Caption], compact: bool) {
    let font = egui::TextStyle::Body;
    // At most three lines (two on a short window); what does not fit scrolls.
    let lines = if compact { 2.0 } else { 4.0 };
    let height = lines * ui.text_style_height(&font) + 4.0;
    // Always as tall: the Gantt chart below does not jump as captions come and go.
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), height),
        egui::Sense::hover(),
    );
    let mut strip = ui.new_child(egui::UiBuilder::new().max_rect(rect));
    strip.set_clip_rect(rect.intersect(ui.clip_rect()));
    egui::ScrollArea::vertical()
        .id_salt("caption strip")
        .auto_shrink([false, false])
        .max_height(height)
        .show(&mut strip, |ui| {
            strip_ui(ui, frame, captions, if compact { 2 } else { MAX_SHOWN });
        });
}

fn strip_ui(ui: &mut egui::Ui, frame: &Frame, captions: &[Caption], others: usize) {
    let font = egui::TextStyle::Body;
    ui.horizontal_wrapped(|ui| {
        if captions.is_empty() {
            ui.weak(format!(
                "t = {}: nothing happens at this tick",
                frame.clock.display_tick.0
            ));
            return;
        }
        let time = frame.last_instant.first().map_or(0, |e| e.time.0);
        ui.strong(format!("t = {time}:"));
        // The important ones and the last others (the latest move, when stepping event by
        // event), in order.
        let important = captions.iter().filter(|c| c.important).count();
        let others_total = captions.len() - important;
        let mut others_to_skip = others_total.saturating_sub(others.saturating_sub(important));
        if others_to_skip > 0 {
            ui.weak(format!("{others_to_skip} earlier (event log, L) …"));
        }
        for caption in captions {
            if !caption.important && others_to_skip > 0 {
                others_to_skip -= 1;
                continue;
            }
            badge_ui(ui, caption.number);
            let text = egui::RichText::new(&caption.words).text_style(font.clone());
            if caption.important {
                ui.label(text.strong().color(palette::HIGHLIGHT));
            } else {
                ui.label(text);
            }
        }
    });
}

/// A caption's number in a round badge, as its chip carries it.
fn badge_ui(ui: &mut egui::Ui, number: usize) {
    let size = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    paint_badge(ui.painter(), rect.center(), size / 2.0, number);
}

/// A round badge with a caption's number (on a chip, and in the strip before its words).
pub fn paint_badge(painter: &egui::Painter, centre: egui::Pos2, radius: f32, number: usize) {
    painter.circle(
        centre,
        radius,
        palette::BADGE,
        egui::Stroke::new(1.0, egui::Color32::BLACK),
    );
    painter.text(
        centre,
        egui::Align2::CENTER_CENTER,
        number.to_string(),
        egui::FontId::proportional(radius * 1.3),
        egui::Color32::BLACK,
    );
}
