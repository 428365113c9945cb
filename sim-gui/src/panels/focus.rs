//! The focus panel: the one panel a scenario's lesson needs, beside the machine on the first
//! screen (`gui: {focus: ...}`, or chosen by what the scenario uses: `Scenario::focus`).

use crate::frame::Frame;
use crate::palette;
use sim_core::Pid;
use sim_core::event::Event;
use sim_core::scenario::{Focus, Variable};

/// The panel `focus` names, drawn from `frame`.
pub fn focus_ui(ui: &mut egui::Ui, frame: &Frame, focus: Focus) {
    match focus {
        Focus::Variables => {
            writes_ui(ui, frame);
            super::values::values_ui(ui, frame);
        }
        Focus::Pools => super::values::values_ui(ui, frame),
        Focus::Resources => super::resources::resources_ui(ui, frame),
        Focus::Tree => {
            // One process a line (`ps f`), narrow enough for the panel however deep the tree;
            // lines are not cut (the panel scrolls sideways). pstree's form is further down.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            ui.strong("Process tree (as ps f draws it)");
            ui.label(egui::RichText::new(sim_core::ps::forest_text(&frame.snapshot)).monospace());
        }
        Focus::Sockets => sockets_ui(ui, frame),
        Focus::Gil => gil_ui(ui, frame),
        Focus::Averages => super::metrics::metrics_ui(ui, frame),
    }
}

/// The panel's header: which panel it is (a menu to show another) and a pin that keeps the
/// choice for the next scenarios too.
pub fn focus_menu_ui(
    ui: &mut egui::Ui,
    shown: Focus,
    (chosen, pinned): (&mut Option<Focus>, &mut bool),
) {
    ui.horizontal(|ui| {
        let mut pick = shown;
        let combo = egui::ComboBox::from_id_salt("focus panel choice")
            .selected_text(shown.word())
            .show_ui(ui, |ui| {
                for (word, focus) in Focus::WORDS {
                    ui.selectable_value(&mut pick, focus, word);
                }
            });
        combo.response.on_hover_text(
            "the panel beside the machine: the scenario's (gui: {focus}) unless you pick another",
        );
        if pick != shown {
            *chosen = Some(pick);
        }
        ui.checkbox(pinned, "Pin")
            .on_hover_text("keep this panel for the next scenarios too");
    });
}

/// Whether the panel `focus` names is the one the app would otherwise draw below: it is not
/// drawn twice.
pub fn draws_values(focus: Focus) -> bool {
    matches!(focus, Focus::Variables | Focus::Pools)
}

/// Most writes the panel lists, the last first.
const WRITES_SHOWN: usize = 6;

/// The last writes to shared and global values, each as old → new, a lost update in red.
fn writes_ui(ui: &mut egui::Ui, frame: &Frame) {
    let writes: Vec<usize> = frame
        .log
        .iter()
        .enumerate()
        .rev()
        .take(sim_core::writes::LOOKBACK)
        .filter(|(_, timed)| matches!(timed.event, Event::Write { .. }))
        .map(|(at, _)| at)
        .take(WRITES_SHOWN)
        .collect();
    if writes.is_empty() {
        return;
    }
    ui.strong("Writes, the last first");
    let last_instant = frame.log.len() - frame.last_instant.len();
    for at in writes {
        let timed = &frame.log[at];
        let Event::Write {
            pid,
            variable,
            value,
        } = timed.event
        else {
            continue;
        };
        let old = sim_core::writes::value_before(frame.log, at, frame.scenario, frame.roster)
            .map_or_else(|| "?".to_string(), |v| v.to_string());
        let lost = sim_core::writes::is_lost_update(frame.log, at, frame.roster);
        // The variable names the process; the writer is the thread's own name.
        let writer = frame.roster.name(pid);
        let mut line = format!(
            "t={} {}: {} {old} → {value}",
            timed.time.0,
            super::machine::short_name(writer),
            variable_label(frame, pid, variable),
        );
        if lost {
            line.push_str("  lost update");
        }
        let text = egui::RichText::new(line).monospace();
        let text = if lost {
            text.strong().color(palette::HIGHLIGHT)
        } else if at >= last_instant {
            text.strong()
        } else {
            text
        };
        let response = ui.label(text);
        if lost {
            response.on_hover_text(
                "two writes from the same old value: another thread wrote the variable after \
                 this one read it, and this write overwrites that update",
            );
        }
    }
    ui.separator();
}

/// A variable as the panel names it: `counter` (a global of the writer's process), `shared n`.
fn variable_label(frame: &Frame, pid: Pid, variable: Variable) -> String {
    match variable {
        Variable::Shared(index) => format!("shared {}", frame.scenario.shared[index].name),
        Variable::Global(index) => {
            let process = frame.roster.get(pid).map_or(pid, |e| e.process);
            format!(
                "{}.{}",
                frame.roster.label(process),
                frame.scenario.globals[index].name
            )
        }
    }
}

/// Sockets and pipes with their messages and who waits on them, and each `select`.
fn sockets_ui(ui: &mut egui::Ui, frame: &Frame) {
    let snapshot = &frame.snapshot;
    let names = |pids: &[Pid]| -> String {
        if pids.is_empty() {
            "nobody".to_string()
        } else {
            pids.iter()
                .map(|&p| snapshot.name(p).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    ui.strong("Sockets and pipes");
    for wait in &snapshot.waiting {
        if wait.on.kind == sim_core::snapshot::WaitKind::Select {
            ui.label(
                egui::RichText::new(sim_core::narrate::wait_title(&wait.on))
                    .strong()
                    .color(palette::HIGHLIGHT),
            );
        }
    }
    egui::Grid::new("sockets").striped(true).show(ui, |ui| {
        ui.strong("channel");
        ui.strong("messages");
        ui.strong("waiting to receive");
        ui.end_row();
        for queue in &snapshot.sync.queues {
            if !queue.kind.is_message_channel() {
                continue;
            }
            ui.label(format!("{} {}", queue.kind.name(), queue.name));
            ui.horizontal(|ui| {
                super::resources::items_ui(ui, queue.items, queue.capacity);
                ui.label(queue.items.to_string());
            });
            ui.label(names(&queue.waiting_to_get));
            ui.end_row();
        }
    });
}

/// Each process's GIL: who holds it, who waits for it in order, when it changes hands.
fn gil_ui(ui: &mut egui::Ui, frame: &Frame) {
    let snapshot = &frame.snapshot;
    ui.strong("The GIL");
    if snapshot.gils.is_empty() {
        ui.label("no process with a GIL is alive");
    }
    for gil in &snapshot.gils {
        let holder = gil
            .holder
            .map_or("nobody".to_string(), |p| snapshot.name(p).to_string());
        let waiting: Vec<&str> = gil.waiting.iter().map(|&p| snapshot.name(p)).collect();
        ui.label(
            egui::RichText::new(format!("{}: held by {holder}", snapshot.name(gil.pid))).strong(),
        );
        ui.label(format!(
            "waiting, front first: {}",
            if waiting.is_empty() {
                "nobody".to_string()
            } else {
                waiting.join(" ")
            }
        ));
        ui.weak(format!(
            "changes hands every {} ticks of CPU, at {} switch points",
            gil.switch_interval, gil.switch_points
        ));
    }
}
