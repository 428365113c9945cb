//! The process tree at the current time, drawn as `pstree -p` draws it: who forked whom, and
//! who adopted the orphans (init or a subreaper). Zombies are marked `<defunct>`; threads hang
//! under their process as `{name}(tid)`.

use crate::frame::Frame;

pub fn process_tree_ui(ui: &mut egui::Ui, frame: &Frame) {
    let (scenario, snapshot) = (frame.scenario, &frame.snapshot);
    // Open from the start when the scenario forks; a flat list of init's children says little.
    egui::CollapsingHeader::new("Process tree")
        // One open/closed state per scenario: a forking scenario opens with its tree shown,
        // whatever the tree of the previous scenario was left at.
        .id_salt(("process tree", scenario.name.as_str()))
        .default_open(scenario.forks() || scenario.spawns())
        .show(ui, |ui| {
            ui.label(egui::RichText::new(sim_core::ps::pstree_text(snapshot)).monospace());
        });
}
