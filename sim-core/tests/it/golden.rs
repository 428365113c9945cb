//! Golden snapshots of every scenario's text report and trace. Refresh with
//! `INSTA_UPDATE=always cargo test` (or `cargo insta review`) after an intended change.

use crate::support::{load_exercise, run};
use sim_core::RunReport;
use sim_core::exercise::Problem;
use sim_core::{matrix, render};

#[test]
fn reports_and_traces_match_their_snapshots() {
    insta::glob!("../../../scenarios", "**/*.yaml", |path| {
        let scenario = match load_exercise(path).problem {
            Problem::Scenario(scenario) => *scenario,
            Problem::Matrix(exercise) => {
                let json = serde_json::to_string_pretty(&exercise.analyze()).unwrap();
                insta::assert_snapshot!(format!(
                    "{}\n--- json ---\n{json}",
                    matrix::explain(&exercise)
                ));
                return;
            }
        };
        let simulator = run(scenario);
        let text = format!(
            "{}\n--- trace ---\n{}",
            render::report_text(&RunReport::of(&simulator)),
            render::trace_text(simulator.scenario(), simulator.roster(), simulator.log())
        );
        insta::assert_snapshot!(text);
    });
}
