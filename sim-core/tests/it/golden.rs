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

/// The tie check's verdict on every textbook scenario (docs/policies.md explains them).
#[test]
fn the_tie_verdicts_on_the_textbook_scenarios_hold() {
    let folder = crate::support::scenarios_dir().join("textbook");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut verdicts = String::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Problem::Scenario(scenario) = load_exercise(&path).problem else {
            continue;
        };
        let ties = sim_core::ties::check_ties(&scenario, 1_000_000).unwrap();
        if ties.is_empty() {
            verdicts.push_str(&format!("{name}: no ties\n"));
        } else {
            verdicts.push_str(&format!("{name}:\n{}", sim_core::ties::ties_text(&ties)));
        }
    }
    insta::assert_snapshot!(verdicts);
}
