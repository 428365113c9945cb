//! The process tree at the current time, drawn as `pstree -p` draws it: who forked whom, and
//! who adopted the orphans (init or a subreaper). Zombies are marked `<defunct>`.

use crate::playback::Playback;

pub fn process_tree_ui(ui: &mut egui::Ui, playback: &Playback) {
    let snapshot = playback.snapshot();
    // Open from the start when the scenario forks; a flat list of init's children says little.
    egui::CollapsingHeader::new("Process tree")
        .id_salt("process tree")
        .default_open(playback.scenario().forks())
        .show(ui, |ui| {
            ui.label(egui::RichText::new(sim_core::ps::pstree_text(&snapshot)).monospace());
        });
}
