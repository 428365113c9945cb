//! Any text as a scenario: every renderer's output is well formed in its own format — the SVG
//! chart parses as XML, the CSV table has one cell per column on every row, the JSON report,
//! each JSON event line and the Perfetto trace parse as JSON — and the text views (report,
//! trace, chart, `--at`, `ps`, `pstree`, the answer key and exam sheet) render without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::exercise::Exercise;
use sim_core::grading::AnswerKey;
use sim_core::{RunReport, Simulator, Tick, render};

const LIMIT: usize = 20_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(exercise) = Exercise::from_yaml(text) else {
        return;
    };
    let Some(scenario) = exercise.scenario() else {
        return;
    };
    let mut simulator = Simulator::new(scenario.clone());
    if simulator.run_to_end(LIMIT).is_err() {
        return;
    }
    let report = RunReport::of(&simulator);
    let _ = render::report_text(&report);
    let _ = render::summary_text(&report);
    let _ = render::gantt_text(&report.gantt, scenario.cpus);
    let svg = render::gantt_svg(&report.gantt, scenario.cpus, &scenario.name);
    if let Err(error) = roxmltree::Document::parse(&svg) {
        panic!("the SVG chart is not XML: {error}\n{svg}");
    }
    let csv = render::processes_csv(&report);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv.as_bytes());
    for row in reader.records() {
        if let Err(error) = row {
            panic!("the CSV table is malformed: {error}\n{csv}");
        }
    }
    let json = serde_json::to_string(&report).expect("the report serializes");
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    for timed in simulator.log() {
        let line = render::event_line(timed);
        assert!(!line.contains('\n'), "an event line holds a line break: {line}");
        serde_json::from_str::<serde_json::Value>(&line).expect("an event line parses as JSON");
    }
    let perfetto = render::perfetto_json(
        simulator.scenario(),
        simulator.roster(),
        simulator.log(),
        Tick(report.makespan),
        1,
    );
    serde_json::from_str::<serde_json::Value>(&perfetto).expect("the Perfetto trace parses");
    let _ = render::trace_text(simulator.scenario(), simulator.roster(), simulator.log());
    // The state views at the start, the middle and the end of the run.
    for at in [0, report.makespan / 2, report.makespan] {
        let mut at_time = Simulator::new(scenario.clone());
        if at_time.advance_to(Tick(at), LIMIT).is_ok() {
            let snapshot = at_time.snapshot();
            let _ = render::snapshot_text(scenario, &snapshot);
            let _ = sim_core::ps::ps_text(&snapshot, true);
            let _ = sim_core::ps::pstree_text(&snapshot);
        }
    }
    if let Some(Ok(key)) = AnswerKey::of_exercise(&exercise, LIMIT) {
        let _ = sim_core::grading::solution::markdown(&key);
        let _ = sim_core::grading::sheet::latex_sheet(&key, true);
        let _ = sim_core::grading::sheet::latex_sheet(&key, false);
    }
});
