//! UI tests with egui_kittest: no GPU, no display. Widgets are found by their labels; time is
//! injected by the harness's fixed frame step, so runs repeat exactly.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sim_core::Tick;
use sim_gui::ProcsimApp;
use sim_gui::gallery;
use sim_gui::panels::theme::PROJECTOR_ZOOM;

fn harness(app: ProcsimApp) -> Harness<'static, ProcsimApp> {
    harness_of_size(app, egui::Vec2::new(1400.0, 900.0))
}

/// The whole app in a window of `points` (the harness keeps its size in points whatever the
/// zoom).
fn harness_of_size(app: ProcsimApp, points: egui::Vec2) -> Harness<'static, ProcsimApp> {
    Harness::builder()
        .with_size(points)
        .with_step_dt(0.05)
        .with_max_steps(60) // chips glide for about half a second
        .build_ui_state(|ui, app: &mut ProcsimApp| app.show(ui), app)
}

/// The built-in scenario at `path` (relative to scenarios/).
fn gallery_entry(path: &str) -> gallery::GalleryEntry {
    gallery::entries()
        .into_iter()
        .find(|e| e.path == path)
        .unwrap_or_else(|| panic!("no built-in scenario {path}"))
}

fn playback<'h>(harness: &'h Harness<'_, ProcsimApp>) -> &'h sim_gui::playback::Playback {
    harness
        .state()
        .playback
        .as_ref()
        .expect("a scenario is loaded")
}

#[test]
fn opens_on_a_built_in_demo() {
    let mut harness = harness(ProcsimApp::new());
    harness.run();
    assert!(harness.state().error.is_none());
    assert!(
        matches!(&harness.state().source, sim_gui::app::Source::Gallery(path) if path.starts_with("classroom/"))
    );
    harness.get_by_label("Play");
    harness.get_by_label("CPU0 is idle");
}

#[test]
fn step_forward_shows_the_dispatch_and_step_back_restores_it() {
    let mut harness = harness(ProcsimApp::new());
    harness.run();
    let before = playback(&harness).snapshot();
    harness.get_by_label("Step >").click();
    harness.run();
    assert_eq!(playback(&harness).steps(), 1);
    harness.get_by_label("CPU0 runs P1");
    assert!(
        harness
            .query_all_by_label_contains("P1 starts running on CPU0")
            .count()
            >= 2
    );
    harness.get_by_label("< Step back").click();
    harness.run();
    assert_eq!(playback(&harness).steps(), 0);
    assert_eq!(playback(&harness).snapshot(), before);
    harness.get_by_label("CPU0 is idle");
}

#[test]
fn play_advances_time_and_pause_stops_it() {
    let mut harness = harness(ProcsimApp::new());
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().speed = 10.0;
    harness.get_by_label("Play").click();
    harness.run_steps(20); // one second at 10 ticks/s
    let now = playback(&harness).now();
    assert!(now >= Tick(5) && now <= Tick(10), "t = {now:?}");
    harness.get_by_label("Pause").click();
    harness.run_steps(2);
    let paused = playback(&harness).now();
    harness.run_steps(20);
    assert_eq!(playback(&harness).now(), paused);
}

#[test]
fn keyboard_steps_and_plays() {
    let mut harness = harness(ProcsimApp::new());
    harness.run();
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    assert_eq!(playback(&harness).steps(), 2);
    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    assert_eq!(playback(&harness).steps(), 1);
    harness.key_press(egui::Key::Space);
    harness.run_steps(3);
    assert!(playback(&harness).playing);
}

#[test]
fn every_gallery_scenario_opens_and_runs_to_the_end() {
    let mut harness = harness(ProcsimApp::new());
    for entry in gallery::entries() {
        harness.state_mut().open_gallery(entry);
        harness.run();
        assert!(harness.state().error.is_none(), "{}", entry.path);
        let end = playback(&harness).end_time();
        harness
            .state_mut()
            .playback
            .as_mut()
            .unwrap()
            .jump_to(end.0 as f64);
        harness.run();
        let playback = playback(&harness);
        assert!(playback.is_at_end(), "{}", entry.path);
        // Every process exits, unless the scenario says it does not; a deadlock it declares,
        // the run reports.
        let simulator = playback.simulator();
        let exercise = sim_core::exercise::Exercise::from_yaml(entry.text).unwrap();
        let report = sim_core::RunReport::of(simulator);
        let declares_deadlock = exercise
            .expected
            .as_ref()
            .and_then(|e| e.deadlocked.as_ref())
            .is_some_and(|d| !d.is_empty());
        if declares_deadlock {
            assert!(!report.deadlocks.is_empty(), "{}", entry.path);
        }
        if !exercise.expects_unfinished(&report) {
            assert!(simulator.is_finished(), "{}", entry.path);
        }
        harness.get_by_label("Final results");
    }
}

#[test]
fn a_bad_file_shows_its_error_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    std::fs::write(
        &path,
        "name: broken\npolicy: fcfs\nprocesses:\n  - {name: A, brust: 3}\n",
    )
    .unwrap();
    let mut harness = harness(ProcsimApp::with_file(&path));
    harness.run();
    harness.get_by_label("This scenario could not be loaded");
    let error = harness.state().error.clone().unwrap();
    assert!(error.contains("broken.yaml:4:"), "{error}");
    // Fixing the file and reopening it recovers.
    std::fs::write(
        &path,
        "name: fixed\npolicy: fcfs\nprocesses:\n  - {name: A, burst: 3}\n",
    )
    .unwrap();
    harness.state_mut().open_file(&path);
    harness.run();
    assert!(harness.state().error.is_none());
}

#[test]
fn switching_the_policy_reruns_the_same_workload() {
    let mut app = ProcsimApp::new();
    let fcfs = gallery_entry("textbook/silberschatz-fcfs.yaml");
    app.open_gallery(fcfs);
    let mut harness = harness(app);
    harness.run();
    harness.state_mut().view.policy.kind = "rr";
    harness.state_mut().view.policy.options.quantum = Some(4);
    harness.state_mut().apply_policy();
    harness.run();
    let report = playback(&harness).final_report();
    assert_eq!(report.policy, "rr (quantum 4)");
    assert_eq!(report.averages.waiting, Some(17.0 / 3.0));
    // Side by side with a second policy.
    harness.state_mut().view.comparing = true;
    harness.state_mut().rebuild_compare();
    harness.run();
    harness.get_by_label("Comparison (whole runs)");
}

#[test]
fn the_policy_options_menu_sets_a_choice_and_reruns() {
    // process-run's IO_RUN_IMMEDIATE scenario, back to io_done: later: the run takes 31.
    let mut harness = harness(open("ostep/process-run-io-immediate.yaml"));
    harness.run();
    assert_eq!(playback(&harness).final_report().makespan, 21);
    harness.get_by_label("fcfs options").click();
    harness.run();
    harness.get_by_label("later").click();
    harness.run();
    assert_eq!(
        harness.state().view.policy.options.io_done.as_deref(),
        Some("later")
    );
    let report = playback(&harness).final_report();
    assert_eq!(report.policy, "fcfs (cyclic order)");
    assert_eq!(report.makespan, 31);
}

#[test]
fn a_zombie_shows_in_the_process_tree_until_stepping_back_before_its_exit() {
    let entry = gallery_entry("lifecycle/zombie.yaml");
    let mut app = ProcsimApp::new();
    app.open_gallery(entry);
    let mut harness = harness(app);
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(5.0);
    harness.run();
    harness.get_by_label_contains("child(3) <defunct>");
    // Back to before the child's exit at 3.
    harness.get_by_label("< Step back").click();
    harness.run();
    assert!(playback(&harness).now() < Tick(3));
    assert_eq!(harness.query_all_by_label_contains("<defunct>").count(), 0);
    harness.get_by_label_contains("parent(2)───child(3)");
}

#[test]
fn a_deadlock_shows_who_holds_and_who_waits_and_the_cycle() {
    let mut harness = harness(ProcsimApp::new());
    let entry = gallery_entry("sync/two-locks-deadlock.yaml");
    harness.state_mut().open_gallery(entry);
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(4.0);
    harness.run();
    harness.get_by_label("A: 0 of 1 free — held by P1; waiting: P2");
    harness.get_by_label(
        "t=4: deadlock: P1, P2 wait for each other forever; cycle P1 -> B -> P2 -> A -> P1",
    );
    harness.get_by_label("CPU0 is idle");
}

/// A panel is a view: given a playback it draws and returns what the user asked for, without
/// seeing the app.
#[test]
fn panels_return_what_the_user_asked_for() {
    use sim_gui::panels::{self, Action};
    use sim_gui::playback::Playback;
    struct State {
        playback: Playback,
        jump: String,
        asked: Vec<Action>,
    }
    let scenario = sim_core::Scenario::from_yaml(
        "name: t\npolicy: fcfs\nprocesses: [{name: P1, burst: 2}, {name: P2, burst: 1}]\n",
    )
    .unwrap();
    let state = State {
        playback: Playback::new(scenario),
        jump: "7".into(),
        asked: Vec::new(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1200.0, 600.0))
        .build_ui_state(
            |ui, state: &mut State| {
                let frame = state.playback.frame();
                let asked = panels::controls::controls_ui(ui, &frame, &mut state.jump);
                let selected = None;
                let rows = panels::pcb_table::pcb_table_ui(
                    ui,
                    &frame,
                    (sim_gui::app::SortColumn::Pid, false),
                    &Default::default(),
                    selected,
                );
                state.asked.extend(asked.into_iter().chain(rows));
            },
            state,
        );
    harness.run();
    harness.get_by_label("Step >").click();
    harness.run();
    harness.get_by_label("Go").click();
    harness.run();
    harness.get_by_label("Name").click();
    harness.run();
    let asked = &harness.state().asked;
    assert_eq!(
        asked,
        &[
            Action::StepForward,
            Action::JumpTo(7.0),
            Action::SortBy(sim_gui::app::SortColumn::Name)
        ]
    );
    // The panels changed nothing themselves.
    assert_eq!(harness.state().playback.steps(), 0);
}

/// Tick-exact panels: at every tick of every built-in scenario, the playback's snapshot (what
/// every panel draws) is the state `procsim run --at T` prints (`advance_to(T)`), counters
/// included, also between events and when stepping back.
#[test]
fn the_gui_agrees_with_run_at_at_every_tick() {
    for entry in gallery::entries() {
        let scenario = sim_core::Scenario::from_yaml(entry.text).unwrap();
        let mut playback = sim_gui::playback::Playback::new(scenario.clone());
        let end = playback.end_time().0;
        let at = |t: u64| {
            let mut simulator = sim_core::Simulator::new(scenario.clone());
            simulator.advance_to(Tick(t), 1_000_000).unwrap();
            simulator.snapshot()
        };
        for t in 0..=end {
            playback.jump_to(t as f64);
            assert_eq!(playback.snapshot(), at(t), "{} at t={t}", entry.path);
        }
        // Ticking back lands on the same states.
        for t in (end.saturating_sub(3)..end).rev() {
            playback.tick_back();
            assert_eq!(playback.display_tick(), Tick(t), "{}", entry.path);
            assert_eq!(playback.snapshot(), at(t), "{} back at t={t}", entry.path);
        }
    }
}

/// The machine is the hero: at the three classroom sizes, in normal and projector mode, the CPU
/// box and every column of the process table are inside the window.
#[test]
fn the_cpu_box_and_every_column_fit_the_window() {
    let columns = [
        "PID (asc)",
        "PPID",
        "Name",
        "State",
        "Priority",
        "Level",
        "PC / step",
        "Remaining",
        "CPU",
        "Waiting",
        "IO left",
    ];
    for (width, height) in [(1280.0, 720.0), (1600.0, 1000.0), (1920.0, 1080.0)] {
        for projector in [false, true] {
            let mut app = ProcsimApp::new();
            let entry = gallery_entry("mlfq/starvation-with-boost.yaml");
            app.open_gallery(entry);
            app.view.projector = projector;
            // A window of width × height pixels shows width / zoom points (the harness's size is
            // in points and keeps it whatever the zoom).
            let zoom = if projector { PROJECTOR_ZOOM } else { 1.0 };
            let points = egui::Vec2::new(width / zoom, height / zoom);
            let mut harness = harness_of_size(app, points);
            harness.run();
            let window = egui::Rect::from_min_size(egui::Pos2::ZERO, points);
            let what = format!("{width}x{height} projector={projector}");
            let cpu = harness.get_by_label("CPU0 box").rect();
            assert!(
                window.contains_rect(cpu),
                "{what}: CPU box {cpu:?} outside {window:?}"
            );
            for column in columns {
                let rect = harness.get_by_label(column).rect();
                assert!(
                    rect.left() >= window.left() && rect.right() <= window.right(),
                    "{what}: column {column} at {rect:?} outside {window:?}"
                );
            }
        }
    }
}

#[test]
fn the_gallery_shows_every_built_in_scenario_and_opens_a_card() {
    assert_eq!(gallery::cards().len(), gallery::entries().len());
    assert!(
        gallery::cards()
            .iter()
            .all(|card| card.makespan > 0 || card.preview.is_empty())
    );
    let mut harness = harness(ProcsimApp::new());
    harness.run();
    harness.get_by_label("Gallery…").click();
    harness.run();
    assert!(harness.state().view.show_gallery);
    // Every card is there before searching.
    for card in gallery::cards().iter().take(5) {
        harness.get_by_label(&card.title);
    }
    harness.get_by_label("Search:").focus();
    harness.run();
    harness.get_by_label("Search:").type_text("bomb");
    harness.run();
    assert_eq!(harness.state().view.gallery_search, "bomb");
    assert!(
        harness.query_by_label("Silberschatz FCFS").is_none(),
        "the search filters"
    );
    harness
        .get_by_label("Fork bomb stopped by max_processes")
        .click();
    harness.run();
    let state = harness.state();
    assert!(!state.view.show_gallery);
    assert!(
        matches!(&state.source, sim_gui::app::Source::Gallery(path) if *path == "lifecycle/fork-bomb.yaml")
    );
}

#[test]
fn captions_say_why_a_process_was_chosen_and_can_be_turned_off() {
    let scenario = gallery_entry("classroom/two-cpus-srtf.yaml");
    let mut app = ProcsimApp::new();
    app.open_gallery(scenario);
    app.playback.as_mut().unwrap().jump_to(2.0);
    let playback = app.playback.as_ref().unwrap();
    // The caption's words come from sim-core, from the reason the dispatch event carries.
    let simulator = playback.simulator();
    let why = simulator
        .log()
        .iter()
        .rev()
        .find_map(|timed| match &timed.event {
            sim_core::Event::Dispatch { pid, why, .. } if *pid == sim_core::Pid(4) => Some(*why),
            _ => None,
        })
        .expect("S1 was dispatched");
    let words = sim_core::narrate::why_chosen(sim_core::Pid(4), &why, simulator.roster());
    assert_eq!(words, "S1 chosen: 2 left, the least (L1 has 6)");
    let mut harness = harness(app);
    harness.run();
    assert!(harness.state().view.captions);
    harness.get_by_label("Captions").click();
    harness.run();
    assert!(!harness.state().view.captions);
}

#[test]
fn the_gantt_chart_zooms_with_ctrl_and_the_wheel_and_fits_again() {
    let entry = gallery_entry("mlfq/starvation-with-boost.yaml");
    let mut app = ProcsimApp::new();
    app.open_gallery(entry);
    let end = app.playback.as_ref().unwrap().end_time().0 as f64;
    app.playback.as_mut().unwrap().jump_to(end);
    let mut harness = harness(app);
    harness.run();
    assert!(harness.query_by_label_contains("showing ticks").is_none());
    let chart = harness.state().view.gantt_rect.expect("the chart is drawn");
    harness.event(egui::Event::PointerMoved(chart.center()));
    harness.run();
    // Ctrl + wheel (a zoom) zooms in: the chart says which ticks it shows.
    harness.event(egui::Event::Zoom(1.5));
    harness.run();
    harness.get_by_label_contains("showing ticks");
    harness.get_by_label("Fit").click();
    harness.run();
    assert!(harness.query_by_label_contains("showing ticks").is_none());
    // The wheel alone scrolls the page: the chart is not zoomed.
    harness.event(egui::Event::PointerMoved(chart.center()));
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::Vec2::new(0.0, 300.0),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run();
    assert!(harness.query_by_label_contains("showing ticks").is_none());
}

fn open(path: &str) -> ProcsimApp {
    let entry = gallery_entry(path);
    let mut app = ProcsimApp::new();
    app.open_gallery(entry);
    app
}

#[test]
fn during_a_context_switch_the_table_says_where_the_chip_is() {
    let mut app = open("classroom/context-switch-rr.yaml");
    // P1's quantum ends at 4; CPU0 switches to P2 during [4, 5).
    app.playback.as_mut().unwrap().jump_to(4.0);
    let snapshot = app.playback.as_ref().unwrap().snapshot();
    assert!(snapshot.cpus[0].switching_to.is_some(), "{snapshot:?}");
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("ready (switching to CPU0)");
    harness.get_by_label("CPU0 switches to P2");
}

#[test]
fn keys_fold_and_open_the_side_panels() {
    let mut harness = harness(ProcsimApp::new());
    harness.run();
    assert!(harness.state().view.show_states && harness.state().view.show_log);
    harness.key_press(egui::Key::S);
    harness.run();
    harness.key_press(egui::Key::L);
    harness.run();
    assert!(!harness.state().view.show_states && !harness.state().view.show_log);
    harness.get_by_label("»").click();
    harness.run();
    assert!(harness.state().view.show_states);
}

#[test]
fn projector_mode_folds_the_side_panels_away() {
    let mut harness = harness(ProcsimApp::new());
    harness.run();
    harness.get_by_label("Projector mode").click();
    harness.run();
    let view = &harness.state().view;
    assert!(view.projector && !view.show_states && !view.show_log);
    // The machine is still there, now with the room.
    harness.get_by_label("CPU0 box");
}

#[test]
fn tick_steps_count_between_events() {
    let mut harness = harness(open("textbook/silberschatz-fcfs.yaml"));
    harness.run();
    // P1 runs from 0 to 24 with no event in between: each tick its remaining work drops.
    for tick in 1..=3u64 {
        harness.get_by_label("Tick >").click();
        harness.run();
        let playback = playback(&harness);
        assert_eq!(playback.display_tick(), Tick(tick));
        assert_eq!(playback.snapshot().processes[0].remaining_ticks, 24 - tick);
    }
    harness.get_by_label("< Tick").click();
    harness.run();
    assert_eq!(playback(&harness).display_tick(), Tick(2));
    harness.get_by_label("t = 2   step 1");
}

#[test]
fn the_layout_does_not_jump_when_a_waiting_box_appears() {
    let mut app = open("classroom/disk-queue.yaml");
    app.playback.as_mut().unwrap().jump_to(0.0);
    let mut harness = harness(app);
    harness.run();
    let before = harness.get_by_label("CPU0 box").rect();
    let gantt_before = harness.state().view.gantt_rect.unwrap();
    harness.state_mut().playback.as_mut().unwrap().jump_to(3.0);
    harness.run();
    assert_eq!(harness.get_by_label("CPU0 box").rect(), before);
    assert_eq!(
        harness.state().view.gantt_rect.unwrap().top(),
        gantt_before.top()
    );
}

#[test]
fn opening_another_scenario_leaves_nothing_of_the_last_one() {
    let mut app = open("classroom/disk-queue.yaml");
    app.view.status = Some("reloaded disk-queue.yaml".into());
    app.view.jump_input = "57".into();
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("Gallery…").click();
    // The search keeps the card in view however many scenarios the gallery holds.
    harness.state_mut().view.gallery_search = "zombie until".into();
    harness.run();
    harness
        .get_by_label("Zombie until the parent waits")
        .click();
    harness.run();
    let view = &harness.state().view;
    assert_eq!(view.status, None);
    assert_eq!(view.jump_input, "");
    // A forking scenario opens with its process tree shown.
    harness.get_by_label_contains("init(1)");
}

/// At 1600×1000 in projector mode, with every built-in scenario, every CPU box and every column
/// of the process table are inside the window.
#[test]
fn every_built_in_scenario_fits_a_projector_window() {
    let points = egui::Vec2::new(1600.0 / PROJECTOR_ZOOM, 1000.0 / PROJECTOR_ZOOM);
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, points);
    for entry in gallery::entries() {
        let mut app = ProcsimApp::new();
        app.open_gallery(entry);
        app.view.projector = true;
        let cpus = app.playback.as_ref().unwrap().scenario().cpus;
        let mut harness = harness_of_size(app, points);
        harness.run();
        for cpu in 0..cpus {
            let rect = harness.get_by_label(&format!("CPU{cpu} box")).rect();
            assert!(
                window.contains_rect(rect),
                "{}: CPU{cpu} box {rect:?}",
                entry.path
            );
        }
        for column in ["PID (asc)", "State", "Remaining", "Waiting", "IO left"] {
            let rect = harness.get_by_label(column).rect();
            assert!(
                rect.right() <= window.right(),
                "{}: column {column} at {rect:?}",
                entry.path
            );
        }
    }
}

#[test]
fn the_time_left_of_an_io_counts_down_tick_by_tick() {
    // disk-queue: A's IO on the disk runs from 2 to 6.
    let mut app = open("classroom/disk-queue.yaml");
    app.playback.as_mut().unwrap().jump_to(3.0);
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("IO left");
    let simulator = playback(&harness).simulator();
    let a_done = simulator
        .wake_times()
        .into_iter()
        .find(|(pid, _)| *pid == sim_core::Pid(2))
        .map(|(_, at)| at)
        .unwrap();
    assert_eq!(a_done, Tick(6));
    harness.get_by_label("3");
    harness.get_by_label("Tick >").click();
    harness.run();
    assert_eq!(playback(&harness).display_tick(), Tick(4));
}

#[test]
fn the_gil_holder_carries_the_token_and_the_others_wait_in_the_gil_box() {
    let mut harness = harness(open("threads/counter-threads-gil.yaml"));
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(7.0);
    harness.run();
    harness.get_by_label("GIL token on counter/T2");
    harness.get_by_label("GIL of counter: held by counter/T2; waiting for the GIL: counter/T1");
    harness.get_by_label("CPU0 runs counter/T2");
    // At 12 the GIL has moved on: T1 holds it and T2 waits.
    harness.state_mut().playback.as_mut().unwrap().jump_to(12.0);
    harness.run();
    harness.get_by_label("GIL token on counter/T1");
    assert_eq!(
        harness
            .query_all_by_label("GIL token on counter/T2")
            .count(),
        0
    );
}

#[test]
fn the_process_table_folds_a_process_into_its_threads_and_back() {
    let mut harness = harness(open("threads/counter-threads-gil.yaml"));
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(3.0);
    harness.run();
    harness.get_by_label("counter (3 threads)");
    harness.get_by_label("  · thread T1");
    harness.get_by_label("-").click();
    harness.run();
    assert_eq!(harness.query_all_by_label("  · thread T1").count(), 0);
    harness.get_by_label("+").click();
    harness.run();
    harness.get_by_label("  · thread T2");
    // The process tree shows the threads in braces.
    harness.get_by_label_contains("counter(2)─┬─{T1}(3)");
}

#[test]
fn another_run_draws_the_same_instant_order_again_with_the_next_seed() {
    let mut harness = harness_of_size(
        open("lifecycle/fork-order-varies.yaml"),
        egui::Vec2::new(1400.0, 900.0),
    );
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(1.0);
    harness.run();
    // Seed 0: the child prints first (its line comes before the parent's in the console).
    let first = |harness: &Harness<'_, ProcsimApp>| {
        let child = harness
            .get_by_label("t=0 child: The new process")
            .rect()
            .top();
        let parent = harness
            .get_by_label("t=0 parent: The old process")
            .rect()
            .top();
        if child < parent { "child" } else { "parent" }
    };
    assert_eq!(first(&harness), "child");
    harness.get_by_label("Another run").click();
    harness.run();
    assert_eq!(harness.state().view.seed, 1);
    harness.state_mut().playback.as_mut().unwrap().jump_to(1.0);
    harness.run();
    // Seed 1: the parent goes on first.
    assert_eq!(first(&harness), "parent");
    // A scenario that draws nothing shows no seed.
    let mut plain = harness_of_size(
        open("python/counter-race-gil.yaml"),
        egui::Vec2::new(1400.0, 900.0),
    );
    plain.run();
    assert!(plain.query_by_label("Another run").is_none());
}

#[test]
fn an_uncaught_exception_shows_in_the_console_as_a_stderr_line() {
    let mut harness = harness_of_size(
        open("python/daemon-cannot-have-children.yaml"),
        egui::Vec2::new(1400.0, 900.0),
    );
    harness.run();
    harness
        .state_mut()
        .playback
        .as_mut()
        .unwrap()
        .jump_to(100.0);
    harness.run();
    harness.get_by_label(
        "t=100 logger (stderr): AssertionError: daemonic processes are not allowed to have children",
    );
    harness.get_by_label("t=100 main: logger exited");
}

#[test]
fn values_output_and_pools_show_as_the_run_goes() {
    let mut harness = harness(open("python/pool-six-clients.yaml"));
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(5.0);
    harness.run();
    harness.get_by_label_contains("pool pool (closed): 4 workers (3 4 5 6)");
    harness.get_by_label_contains("task queue: empty");
    harness.get_by_label("Output (4 lines)");
    // The four callbacks done by 5 ran in the pool's one result handler.
    assert_eq!(
        harness
            .query_all_by_label("t=5 server/_handle_results: client served")
            .count(),
        4
    );

    let mut harness = harness_of_size(
        open("python/counter-race-gil.yaml"),
        egui::Vec2::new(1400.0, 900.0),
    );
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(20.0);
    harness.run();
    harness.get_by_label("py39.counter = 14");
    harness.get_by_label("py311.counter = 20");
    harness.get_by_label("t=20 py311: counter = 20");
}

#[test]
fn a_threads_coroutines_show_with_the_running_one_marked() {
    let mut harness = harness(open("coroutines/asyncio-yield.yaml"));
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(3.0);
    harness.run();
    harness.get_by_label("coroutines of app: main awaiting, t1 ready, t2* running");
    let mut harness = harness_of_size(
        open("coroutines/gevent-patched.yaml"),
        egui::Vec2::new(1400.0, 900.0),
    );
    harness.run();
    harness.state_mut().playback.as_mut().unwrap().jump_to(5.0);
    harness.run();
    harness.get_by_label("CPU0 is idle");
}

#[test]
fn each_cpu_shows_its_queue_and_its_warm_cache() {
    let mut app = open("ostep/multi-cache-warmth.yaml");
    app.playback.as_mut().unwrap().jump_to(30.0);
    let mut first = harness(app);
    first.run();
    first.get_by_label("CPU0 cache warm: a");
    first.get_by_label("CPU1 cache warm: c b");
    let mut app = ProcsimApp::new();
    app.load_text(
        "name: q\ncpus: 2\npolicy: {kind: rr, quantum: 2}\nscheduler: {queues: per_cpu}\n\
         processes: [{name: A, burst: 4}, {name: B, burst: 4}, {name: C, burst: 4}]\n",
        "q.yaml",
    );
    let mut second = harness(app);
    second.run();
    second.get_by_label_contains("ready queue of CPU0");
}

/// Every waiting thread is on screen, in a box titled in the core's words: the producer blocked
/// in `join_queue` at t=2, the parent in `join_pool`, a Python exit joining its children.
#[test]
fn every_wait_has_its_box_and_its_words() {
    for (path, time, words) in [
        (
            "python/joinable-queue.yaml",
            2.0,
            "join_queue jobs (items not done): producer",
        ),
        (
            "python/pool-six-clients.yaml",
            2.0,
            "join_pool pool (workers or callbacks still running): server",
        ),
    ] {
        let mut app = ProcsimApp::new();
        app.open_gallery(gallery_entry(path));
        app.playback.as_mut().unwrap().jump_to(time);
        let snapshot = app.playback.as_ref().unwrap().snapshot();
        let mut harness = harness(app);
        harness.run();
        assert!(
            harness.query_by_label_contains(words).is_some(),
            "{path} at {time}: no `{words}` on screen; waits: {:?}",
            snapshot.waiting
        );
        for wait in snapshot.waiting.iter().filter(|w| {
            !matches!(
                w.on.kind,
                sim_core::snapshot::WaitKind::Device | sim_core::snapshot::WaitKind::Gil
            )
        }) {
            let title = sim_core::narrate::wait_title(&wait.on);
            assert!(
                harness.query_by_label(&title).is_some(),
                "{path} at {time}: no box titled `{title}`"
            );
        }
    }
}

#[test]
fn the_outcomes_panel_lists_every_outcome_and_a_click_replays_its_schedule() {
    let mut app = ProcsimApp::new();
    app.open_gallery(gallery_entry("explore/two-locks-opposite-order.yaml"));
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("Outcomes…").click();
    harness.run();
    let exploration = harness.state().outcomes.clone().expect("explored");
    assert_eq!(exploration.outcomes.len(), 3);
    assert!(exploration.complete);
    // The documented order is the one shown.
    assert!(playback(&harness).final_report().deadlocks.is_empty());
    harness
        .get_by_label("3. deadlock: main/T1, main/T2")
        .click();
    harness.run();
    let schedule = harness
        .state()
        .schedule
        .clone()
        .expect("a schedule replayed");
    assert_eq!(&schedule.choices[..], [0, 0, 0, 0, 1]);
    assert_eq!(playback(&harness).final_report().deadlocks.len(), 1);
    // Back to the documented order, then the panel closes with O.
    harness.get_by_label("Back to the documented order").click();
    harness.run();
    assert!(harness.state().schedule.is_none());
    assert!(playback(&harness).final_report().deadlocks.is_empty());
    harness.key_press(egui::Key::O);
    harness.run();
    assert!(harness.state().outcomes.is_none());
}

#[test]
fn the_lessons_first_screen_fits_1280_by_720_in_projector_mode() {
    // A 1280×720 screen in projector mode: every point is 1.75 pixels.
    let points = egui::Vec2::new(1280.0 / PROJECTOR_ZOOM, 720.0 / PROJECTOR_ZOOM);
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, points);
    for (path, time, event, focus) in [
        ("python/counter-race-gil.yaml", 10, None, "variables"),
        ("python/ticket-sale-no-lock.yaml", 1, None, "variables"),
        ("python/ticket-sale-no-lock.yaml", 1, Some(12), "variables"),
        ("sync/two-locks-deadlock.yaml", 4, None, "resources"),
        ("python/pool-six-clients.yaml", 2, None, "pools"),
        ("servers/select-server.yaml", 6, None, "sockets"),
        ("coroutines/greenlet.yaml", 0, Some(5), "variables"),
        ("lifecycle/zombie.yaml", 3, None, "tree"),
    ] {
        let mut app = ProcsimApp::new();
        app.open_gallery(gallery_entry(path));
        app.view.projector = true;
        let shown = app.playback.as_mut().unwrap();
        match event {
            Some(event) => shown.jump_to_event(Tick(time), event),
            None => shown.jump_to(time as f64),
        }
        let snapshot = app.playback.as_ref().unwrap().snapshot();
        let mut harness = harness_of_size(app, points);
        harness.run();
        // Above the controls, below the toolbar.
        let controls = harness.get_by_label("Restart").rect().top() - 2.0;
        let centre = egui::Rect::from_x_y_ranges(window.x_range(), window.top()..=controls);
        let inside = |what: &str, rect: egui::Rect| {
            assert!(
                centre.expand(0.5).contains_rect(rect),
                "{path} at {time}: {what} at {rect:?} is outside {centre:?}, above the controls"
            );
        };
        inside(
            "the focus panel",
            harness
                .get_by_label(&format!("focus panel: {focus}"))
                .rect(),
        );
        inside(
            "the Gantt chart",
            harness.state().view.gantt_rect.expect("the chart is drawn"),
        );
        for cpu in &snapshot.cpus {
            inside(
                "a CPU",
                harness.get_by_label(&format!("{} box", cpu.cpu)).rect(),
            );
        }
        // Every blocked or ready thread, whatever it waits for, is on the first screen.
        let ready = snapshot
            .processes
            .iter()
            .filter(|p| p.state == sim_core::pcb::ProcState::Ready)
            .map(|p| p.pid)
            .collect::<Vec<_>>();
        let waiting = snapshot
            .waiting
            .iter()
            .flat_map(|w| w.tids.iter())
            .chain(snapshot.gils.iter().flat_map(|g| g.waiting.iter()))
            .chain(ready.iter());
        for &tid in waiting {
            let label = format!("chip {}", snapshot.name(tid));
            for chip in harness.query_all_by_label(&label) {
                inside(&label, chip.rect());
            }
            assert!(
                harness.query_by_label(&label).is_some()
                    || harness.query_all_by_label(&label).count() > 1,
                "{path} at {time}: no {label}"
            );
        }
    }
}

#[test]
fn page_keys_step_and_plus_minus_change_the_speed() {
    let mut harness = harness(open("textbook/silberschatz-fcfs.yaml"));
    harness.run();
    harness.key_press(egui::Key::PageDown);
    harness.key_press(egui::Key::PageDown);
    harness.run();
    assert_eq!(
        playback(&harness).frame().clock.steps,
        2,
        "Page Down steps on"
    );
    harness.key_press(egui::Key::PageUp);
    harness.run();
    assert_eq!(
        playback(&harness).frame().clock.steps,
        1,
        "Page Up steps back"
    );
    assert_eq!(playback(&harness).speed, 2.0);
    harness.key_press(egui::Key::Plus);
    harness.run();
    assert_eq!(playback(&harness).speed, 5.0);
    harness.key_press(egui::Key::Minus);
    harness.key_press(egui::Key::Minus);
    harness.run();
    assert_eq!(playback(&harness).speed, 1.0);
}

#[test]
fn a_zero_time_instant_steps_event_by_event() {
    let mut app = open("python/ticket-sale-no-lock.yaml");
    app.playback.as_mut().unwrap().jump_to_event(Tick(1), 7);
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("t = 1, event 7 of 29");
    // The state after event 7, as `procsim run --at 1 --event 7` prints it.
    let mut simulator = sim_core::Simulator::new(playback(&harness).scenario().clone());
    simulator.step();
    let cut = simulator.step_to_event(7).unwrap();
    assert_eq!(playback(&harness).snapshot(), cut.snapshot);
    harness.key_press(egui::Key::Period);
    harness.run();
    harness.get_by_label("t = 1, event 8 of 29");
    harness.key_press(egui::Key::Comma);
    harness.key_press(egui::Key::Comma);
    harness.run();
    harness.get_by_label("t = 1, event 6 of 29");
    harness.get_by_label("Event >").click();
    harness.run();
    harness.get_by_label("t = 1, event 7 of 29");
    // Past its last event the instant is applied: the clock shows steps again.
    playback_mut(&mut harness).show_event(29);
    harness.run();
    assert_eq!(playback(&harness).event_position(), None);
    assert_eq!(playback(&harness).now(), Tick(1));
    // One event back from an instant's end: its last event but one.
    harness.get_by_label("< Event").click();
    harness.run();
    harness.get_by_label("t = 1, event 28 of 29");
    // The Gantt chart marks the instant's zero-time steps.
    assert!(
        playback(&harness)
            .frame()
            .final_chart
            .markers
            .iter()
            .any(|(time, marker)| *time == Tick(1)
                && matches!(marker, sim_gui::frame::Marker::Steps(n) if *n > 3)),
        "no marker of t=1's steps"
    );
}

fn playback_mut<'h>(
    harness: &'h mut Harness<'_, ProcsimApp>,
) -> &'h mut sim_gui::playback::Playback {
    harness
        .state_mut()
        .playback
        .as_mut()
        .expect("a scenario is loaded")
}

#[test]
fn lock_holders_registers_and_queue_items_are_drawn() {
    let mut app = open("sync/two-locks-deadlock.yaml");
    app.playback.as_mut().unwrap().jump_to(4.0);
    let mut locks = harness(app);
    locks.run();
    // Each lock's token on its holder's chip, like the GIL's.
    locks.get_by_label("A held by P1");
    locks.get_by_label("B held by P2");
    let mut app = open("python/counter-race-gil.yaml");
    app.playback.as_mut().unwrap().jump_to(10.0);
    let snapshot = app.playback.as_ref().unwrap().snapshot();
    let mut race = harness(app);
    race.run();
    for process in snapshot.processes.iter().filter(|p| !p.state.has_exited()) {
        let register = process.register.expect("the race uses registers");
        race.get_by_label(&format!("register of {}: {register}", process.name));
    }
    let mut app = open("sync/producer-consumer.yaml");
    app.playback.as_mut().unwrap().jump_to(3.0);
    let mut queue = harness(app);
    queue.run();
    queue.get_by_label("2 of 2 items");
}

#[test]
fn a_pinned_focus_panel_stays_for_the_next_scenario() {
    use sim_core::scenario::Focus;
    let mut app = open("python/counter-race-gil.yaml");
    app.playback.as_mut().unwrap().jump_to(10.0);
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("focus panel: variables");
    // The threads' colours have a legend: each process, then its threads.
    harness.get_by_label("py39 (process)");
    // Another panel, for this scenario only.
    harness.state_mut().view.focus = Some(Focus::Gil);
    harness.run();
    harness.get_by_label("focus panel: gil");
    harness
        .state_mut()
        .open_gallery(gallery_entry("sync/two-locks-deadlock.yaml"));
    harness.run();
    harness.get_by_label("focus panel: resources");
    // Pinned, it stays.
    harness.state_mut().view.focus = Some(Focus::Tree);
    harness.get_by_label("Pin").click();
    harness.run();
    assert!(harness.state().view.focus_pinned);
    harness
        .state_mut()
        .open_gallery(gallery_entry("python/counter-race-gil.yaml"));
    harness.run();
    harness.get_by_label("focus panel: tree");
}

#[test]
fn coroutines_have_named_lanes_under_their_thread() {
    let mut app = open("coroutines/asyncio-yield.yaml");
    app.playback.as_mut().unwrap().jump_to(6.0);
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("coroutine lane t1 of app");
    harness.get_by_label("coroutine lane t2 of app");
    // t1 ran from 0 to 3, then t2 from 3 to 6 (the thread on CPU0 all along).
    let spans: Vec<(String, u64, u64)> = playback(&harness)
        .frame()
        .chart
        .coroutines
        .iter()
        .map(|s| (s.name.clone(), s.start.0, s.end.0))
        .collect();
    assert_eq!(
        spans,
        vec![("t1".to_string(), 0, 3), ("t2".to_string(), 3, 6)],
        "{spans:?}"
    );
}

/// The toolbar's policy is the scenario's own: opened from the gallery, every built-in scenario
/// ends as its own run does, what its processes tell the policy included (their `queue:`
/// under mlq, their `slice:` under eevdf).
#[test]
fn each_gallery_scenario_runs_under_its_own_policy_as_written() {
    for entry in gallery::entries() {
        let scenario = sim_core::Scenario::from_yaml(entry.text).unwrap();
        let mut own = sim_gui::playback::Playback::new(scenario);
        own.jump_to(f64::MAX);
        let mut app = ProcsimApp::new();
        app.open_gallery(entry);
        // As after a change in the toolbar that leaves the policy as it was (the seed, say).
        app.apply_policy();
        let shown = app.playback.as_mut().expect("a scenario is loaded");
        shown.jump_to(f64::MAX);
        assert_eq!(shown.snapshot(), own.snapshot(), "{}", entry.path);
    }
}

/// A task set under another real-time policy: the run's deadline misses change; the real-time
/// policies are offered only for a scenario with `tasks:`.
#[test]
fn a_task_set_switches_between_real_time_policies() {
    let mut harness = harness(open("realtime/rm-miss.yaml"));
    harness.run();
    assert_eq!(playback(&harness).final_report().deadline_misses, Some(1));
    harness.get_by_label("policy").click();
    harness.run();
    harness.get_by_label("edf").click();
    harness.run();
    assert_eq!(harness.state().view.policy.kind, "edf");
    let report = playback(&harness).final_report();
    assert_eq!(report.policy, "edf");
    assert_eq!(report.deadline_misses, Some(0));

    let mut harness = harness_of_size(
        open("textbook/silberschatz-fcfs.yaml"),
        egui::Vec2::new(1600.0, 900.0),
    );
    harness.run();
    harness.get_by_label("policy").click();
    harness.run();
    assert!(harness.query_by_label("rr").is_some());
    assert!(harness.query_by_label("edf").is_none());
}
