//! Frame time with 200 processes on screen: one egui pass of the whole window (layout, chips,
//! Gantt chart, tables, log, tessellation) while the scenario plays, measured with egui_kittest
//! (no GPU). 60 frames per second leaves 16.7 ms per frame; docs/performance.md has the figures.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use sim_gui::ProcsimApp;

/// 200 processes arriving over 100 ticks, each CPU, IO, CPU; round robin on 4 CPUs.
fn scenario() -> String {
    let mut text =
        String::from("name: 200 processes\ncpus: 4\npolicy: {kind: rr, quantum: 3}\nprocesses:\n");
    for i in 0..200 {
        text.push_str(&format!(
            "  - {{name: P{i}, arrival: {}, program: [{{cpu: {}}}, {{io: {}}}, {{cpu: {}}}]}}\n",
            i / 2,
            1 + i % 7,
            2 + i % 5,
            1 + i % 4
        ));
    }
    text
}

fn frame(c: &mut Criterion) {
    let mut app = ProcsimApp::new();
    app.load_text(&scenario(), "200-processes.yaml");
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1600.0, 1000.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut ProcsimApp| app.show(ui), app);
    {
        let playback = harness.state_mut().playback.as_mut().expect("loaded");
        // Mid-run: every process has arrived and most are queued, blocked or running.
        playback.jump_to(100.0);
        playback.playing = true;
    }
    harness.step();
    c.bench_function("frame_200_processes_playing", |b| b.iter(|| harness.step()));
}

criterion_group!(benches, frame);
criterion_main!(benches);
