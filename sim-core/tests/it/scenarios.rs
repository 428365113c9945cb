//! Every scenario in scenarios/ runs, twice, identically, and meets its known answers.

use crate::support::{load, load_exercise, run, scenario_files};
use sim_core::RunReport;
use sim_core::answer;
use sim_core::exercise::Exercise;
use sim_core::render;

#[test]
fn every_scenario_runs_deterministically_and_meets_its_expected_answers() {
    let files = scenario_files();
    assert!(
        files.len() >= 10,
        "scenarios/ should hold the textbook and classroom sets"
    );
    let mut failures = Vec::new();
    for path in &files {
        let scenario = match load_exercise(path) {
            Exercise::Scenario(scenario) => *scenario,
            Exercise::Matrix(matrix) => {
                let expected = matrix.expected.clone().unwrap_or_else(|| {
                    panic!("{}: a matrix exercise states its answers", path.display())
                });
                for mismatch in matrix.check(&expected) {
                    failures.push(format!(
                        "{}: {} expected {} but the analysis gives {}",
                        path.display(),
                        mismatch.question,
                        mismatch.expected,
                        mismatch.got
                    ));
                }
                continue;
            }
        };
        let first = run(scenario.clone());
        let second = run(scenario.clone());
        if first.log() != second.log() {
            failures.push(format!(
                "{}: two runs logged different events",
                path.display()
            ));
        }
        let report = RunReport::of(&first);
        // Only a scenario that states its deadlock may end with processes stuck.
        let declares_deadlock = scenario
            .expected
            .as_ref()
            .is_some_and(|e| e.deadlocked.as_ref().is_some_and(|d| !d.is_empty()));
        if !first.is_finished() && !declares_deadlock {
            failures.push(format!("{}: not every process terminated", path.display()));
        }
        if scenario.uses_resources() && !declares_deadlock && !report.deadlocks.is_empty() {
            failures.push(format!(
                "{}: a false deadlock: {:?}",
                path.display(),
                report.deadlocks
            ));
        }
        if report != RunReport::of(&second)
            || render::report_text(&report) != render::report_text(&RunReport::of(&second))
        {
            failures.push(format!("{}: two runs reported differently", path.display()));
        }
        if let Some(expected) = &scenario.expected {
            for mismatch in answer::check_run(expected, &scenario, &report) {
                failures.push(format!(
                    "{}: {} expected {} but the run gives {}",
                    path.display(),
                    mismatch.question,
                    mismatch.expected,
                    mismatch.got
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn textbook_scenarios_state_their_known_answers() {
    for path in scenario_files() {
        if path.components().any(|c| c.as_os_str() == "textbook") {
            let scenario = load(&path);
            let expected = scenario
                .expected
                .unwrap_or_else(|| panic!("{} has no expected: block", path.display()));
            assert!(
                !expected.processes.is_empty(),
                "{} states no per-process answers",
                path.display()
            );
        }
    }
}

#[test]
fn a_wrong_expected_answer_is_reported() {
    let scenario = crate::support::scenario(
        "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 3}, {name: B, burst: 2}]\n\
         expected: {processes: {B: {waiting: 2}}, averages: {waiting: 1.4}, gantt: \"A 0-3, B 3-6\", order: [B, A]}",
    );
    let report = crate::support::report_of(scenario.clone());
    let questions: Vec<String> = answer::check(scenario.expected.as_ref().unwrap(), &report)
        .into_iter()
        .map(|m| m.question)
        .collect();
    assert_eq!(
        questions,
        ["B.waiting", "averages.waiting", "gantt.cpu0", "order"]
    );
}

#[test]
fn expected_states_accept_the_same_words_as_graded_answers() {
    let scenario = crate::support::scenario(
        "
name: words
policy: fcfs
processes:
  - {name: A, program: [{cpu: 2}, {io: 3}, {cpu: 1}]}
expected:
  states_at: {3: {A: waiting}, 9: {A: exited}}
",
    );
    let report = RunReport::of(&run(scenario.clone()));
    let expected = scenario.expected.as_ref().unwrap();
    assert!(answer::check_run(expected, &scenario, &report).is_empty());
}
