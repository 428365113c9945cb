//! The top bar: scenario gallery, opening files, the policy switcher, comparison, export, theme.

use crate::app::ProcsimApp;
use crate::gallery;
use crate::policy_choice::{PolicyChoice, PolicyKind};

pub fn toolbar_ui(ui: &mut egui::Ui, app: &mut ProcsimApp) {
    ui.horizontal_wrapped(|ui| {
        ui.strong("procsim");
        ui.separator();
        let current = app.source.label();
        let label = ui.label("Scenario:");
        ui.label_inputs_by(label.id, |ui| {
            egui::ComboBox::from_id_salt("gallery")
                .selected_text(current)
                .width(280.0)
                .show_ui(ui, |ui| {
                    for entry in gallery::entries() {
                        if ui.selectable_label(false, entry.path).clicked() {
                            app.open_gallery(entry);
                        }
                    }
                });
        });
        let label = ui.label("File:");
        let input = ui
            .add(
                egui::TextEdit::singleline(&mut app.view.path_input)
                    .hint_text("path/to/scenario.yaml (or drop a file)")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
        let enter = input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Open").clicked() || enter {
            let path = std::path::PathBuf::from(app.view.path_input.trim());
            app.open_file(&path);
        }
        if ui.button("Browse…").clicked() {
            // The desktop's own file dialog (XDG portal on Linux); blocks until it closes.
            let picked = rfd::FileDialog::new()
                .set_title("Open a procsim scenario")
                .add_filter("scenario", &["yaml", "yml"])
                .pick_file();
            match picked {
                Some(path) => {
                    app.view.path_input = path.display().to_string();
                    app.open_file(&path);
                }
                None => {
                    app.view.status = Some(
                        "no file chosen (without a desktop file dialog: type a path or drop a file)"
                            .to_string(),
                    );
                }
            }
        }
        ui.separator();
        if app.loaded.is_some() {
            ui.label("Policy:");
            if policy_ui(ui, "policy", &mut app.view.policy) {
                app.apply_policy();
            }
            ui.separator();
            if ui
                .checkbox(&mut app.view.comparing, "Compare with")
                .changed()
            {
                app.rebuild_compare();
            }
            if app.view.comparing && policy_ui(ui, "compare", &mut app.view.compare_policy) {
                app.rebuild_compare();
            }
            ui.separator();
            if ui.button("Export Gantt (SVG)").clicked() {
                export_svg(app);
            }
            if ui.button("Export Gantt (PNG)").clicked() {
                // The chart as drawn: the next frame's screenshot, cropped (app.rs).
                let slot = app.view.screenshot.clone();
                let ctx = ui.ctx().clone();
                ui.ctx().request_screenshot(move |image| {
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(image);
                    }
                    ctx.request_repaint();
                });
            }
        }
        ui.separator();
        ui.checkbox(&mut app.view.projector, "Projector mode");
        if let Some(status) = &app.view.status {
            ui.label(status);
        }
    });
}

/// The policy kind and its options; returns whether anything changed.
fn policy_ui(ui: &mut egui::Ui, id: &str, choice: &mut PolicyChoice) -> bool {
    let before = choice.clone();
    let combo = egui::ComboBox::from_id_salt(id)
        .selected_text(choice.kind.label())
        .width(90.0)
        .show_ui(ui, |ui| {
            for kind in PolicyKind::ALL {
                ui.selectable_value(&mut choice.kind, kind, kind.label());
            }
        });
    let name = if id == "compare" {
        "second policy"
    } else {
        "policy"
    };
    ui.ctx().accesskit_node_builder(combo.response.id, |node| {
        node.set_label(name);
    });
    let quantum = match choice.kind {
        kind if kind.has_quantum() => true,
        PolicyKind::Mlfq => {
            ui.label(format!("{} levels", choice.mlfq.levels.len()));
            let mut boost = choice.mlfq.boost_ticks.unwrap_or(0);
            let label = ui.label("boost");
            ui.add(egui::DragValue::new(&mut boost).range(0..=100_000))
                .labelled_by(label.id);
            choice.mlfq.boost_ticks = (boost > 0).then_some(boost);
            ui.checkbox(&mut choice.mlfq.io_resets_allotment, "IO resets allotment");
            ui.checkbox(&mut choice.mlfq.io_done_to_front, "IO done to front");
            false
        }
        PolicyKind::Priority => {
            ui.checkbox(&mut choice.preemptive, "preemptive");
            ui.checkbox(&mut choice.with_quantum, "RR among equals");
            choice.with_quantum
        }
        _ => false,
    };
    if quantum {
        let label = ui.label("quantum");
        ui.add(egui::DragValue::new(&mut choice.quantum_ticks).range(1..=1000))
            .labelled_by(label.id);
    }
    *choice != before
}

fn export_svg(app: &mut ProcsimApp) {
    let Some(playback) = &app.playback else {
        return;
    };
    let report = playback.final_report();
    let svg = sim_core::render::gantt_svg(&report.gantt, report.cpus, &report.scenario);
    let file = format!("{}-gantt.svg", sim_core::render::slug(&report.scenario));
    app.view.status = Some(match std::fs::write(&file, svg) {
        Ok(()) => format!("wrote {file}"),
        Err(error) => format!("cannot write {file}: {error}"),
    });
}
