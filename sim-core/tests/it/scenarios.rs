//! Every scenario in scenarios/ runs, twice, identically, and meets its known answers.

use crate::support::{load_exercise, run, scenario_files};
use sim_core::RunReport;
use sim_core::exercise::Problem;
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
        let exercise = load_exercise(path);
        // The one checker of the answer format: the known answers graded against the key.
        let outcome = sim_core::grading::check_expected(&exercise, sim_core::DEFAULT_MAX_EVENTS)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for difference in outcome.iter().flat_map(|o| &o.differences) {
            failures.push(format!(
                "{}: {} expected {} but the run gives {}",
                path.display(),
                difference.question,
                difference.expected,
                difference.got
            ));
        }
        let scenario = match &exercise.problem {
            Problem::Scenario(scenario) => (**scenario).clone(),
            Problem::Matrix(_) => {
                if exercise.expected.is_none() {
                    failures.push(format!(
                        "{}: a matrix exercise states its answers",
                        path.display()
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
        // Only a scenario that says so may end with processes stuck.
        if !first.is_finished() && !exercise.expects_unfinished(&report) {
            failures.push(format!("{}: not every process terminated", path.display()));
        }
        let declares_deadlock = exercise
            .expected
            .as_ref()
            .is_some_and(|e| e.deadlocked.as_ref().is_some_and(|d| !d.is_empty()));
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
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn textbook_scenarios_state_their_known_answers() {
    for path in scenario_files() {
        if path.components().any(|c| c.as_os_str() == "textbook") {
            let exercise = load_exercise(&path);
            let expected = exercise
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
    let exercise = crate::support::exercise(
        "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 3}, {name: B, burst: 2}]\n\
         expected: {processes: {B: {waiting: 2}}, averages: {waiting: 1.4}, gantt: \"A 0-3, B 3-6\", order: [B, A]}",
    );
    assert_eq!(
        crate::support::differing_questions(&exercise),
        ["B.waiting", "averages.waiting", "gantt.cpu0", "order"]
    );
}

#[test]
fn expected_states_accept_the_same_words_as_graded_answers() {
    let exercise = crate::support::exercise(
        "
name: words
policy: fcfs
processes:
  - {name: A, program: [{cpu: 2}, {io: 3}, {cpu: 1}]}
expected:
  states_at: {3: {A: waiting}, 9: {A: exited}}
",
    );
    assert!(crate::support::differing_questions(&exercise).is_empty());
}

#[test]
fn a_streamed_run_reports_exactly_what_a_logged_run_does() {
    for path in scenario_files() {
        let exercise = load_exercise(&path);
        let Some(scenario) = exercise.scenario() else {
            continue;
        };
        let logged = RunReport::of(&run(scenario.clone()));
        let limit = sim_core::DEFAULT_MAX_EVENTS;
        let streamed = sim_core::report::run_streamed(scenario.clone(), limit).unwrap();
        assert_eq!(streamed, logged, "{}", path.display());
        // With a chart too large to keep, the second run rebuilds it identically.
        let rebuilt = sim_core::report::run_streamed_keeping(scenario.clone(), limit, 1).unwrap();
        assert_eq!(rebuilt, logged, "{}", path.display());
    }
}

/// At every tick of every scenario, each blocked or GIL-waiting thread is in exactly one entry
/// of the snapshot's `waiting` list, and nobody else is in any: the screen can draw every wait
/// from that list and miss nobody.
#[test]
fn every_waiting_thread_is_in_exactly_one_wait_at_every_tick() {
    use sim_core::pcb::ProcState;
    use sim_core::{Simulator, Tick};
    let mut failures = Vec::new();
    for path in scenario_files() {
        let exercise = load_exercise(&path);
        let Problem::Scenario(scenario) = &exercise.problem else {
            continue;
        };
        let mut simulator = Simulator::new((**scenario).clone());
        let mut ticks_checked = 0u64;
        while let Some(next) = simulator.next_instant() {
            // Every tick from here to the next instant (a few thousand at most), then the
            // instant itself.
            let mut tick = simulator.now();
            while tick < next && ticks_checked < 20_000 {
                let snapshot = simulator.snapshot_at(tick);
                let mut places = vec![0usize; snapshot.processes.len()];
                for wait in &snapshot.waiting {
                    for pid in &wait.tids {
                        places[pid.index()] += 1;
                    }
                }
                for process in &snapshot.processes {
                    let waits = matches!(
                        process.state,
                        ProcState::Blocked { .. } | ProcState::GilWait
                    );
                    let wanted = usize::from(waits);
                    if places[process.pid.index()] != wanted {
                        failures.push(format!(
                            "{}: at t={} {} ({}) is in {} waits",
                            path.display(),
                            tick.0,
                            process.name,
                            process.state.label(),
                            places[process.pid.index()]
                        ));
                    }
                }
                tick = Tick(tick.0 + 1);
                ticks_checked += 1;
            }
            simulator.step();
            if simulator.log().len() > 200_000 {
                break;
            }
        }
    }
    failures.truncate(20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
