//! Any text as a scenario or exercise file: parsing never panics, and a valid scenario runs to
//! its end or stops at a limit, its report and trace render, and its expected block checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::exercise::Exercise;
use sim_core::{RunReport, Simulator, render};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(exercise) = Exercise::from_yaml(text) else {
        return;
    };
    if let Some(matrix) = exercise.matrix() {
        let _ = sim_core::matrix::explain(matrix);
        return;
    }
    let Some(scenario) = exercise.scenario() else {
        return;
    };
    let mut simulator = Simulator::new(scenario.clone());
    let limit = 20_000;
    if simulator.run_to_end(limit).is_ok() {
        assert!(simulator.log().len() <= limit);
        let report = RunReport::of(&simulator);
        let _ = render::report_text(&report);
        let _ = render::trace_text(simulator.scenario(), simulator.roster(), simulator.log());
        let _ = sim_core::grading::check_expected(&exercise, limit);
    } else {
        assert!(simulator.log().len() <= limit + 1);
    }
});
