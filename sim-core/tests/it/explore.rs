//! `procsim explore`: every schedule of the same-instant choice points, each outcome once,
//! each witness replaying its outcome.

use sim_core::explore::{Outcome, explore};
use sim_core::report::RunReport;
use sim_core::{Scenario, Simulator};

fn scenario_file(path: &str) -> Scenario {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path),
    )
    .unwrap();
    Scenario::from_yaml(&text).unwrap()
}

/// The output of `scenario` replayed under `schedule`.
fn replayed_output(scenario: &Scenario, schedule: &[usize]) -> Vec<String> {
    let mut run = scenario.clone();
    run.schedule = Some(schedule.into());
    let mut simulator = Simulator::new(run);
    simulator.run_to_end(sim_core::DEFAULT_MAX_EVENTS).unwrap();
    RunReport::of(&simulator)
        .output
        .iter()
        .map(|line| format!("{}: {}", line.name, line.text))
        .collect()
}

#[test]
fn two_unlocked_printers_have_four_outputs_each_replayed_by_its_witness() {
    let scenario = scenario_file("scenarios/explore/print-interleaving.yaml");
    let found = explore(&scenario, 1000, sim_core::DEFAULT_MAX_EVENTS).unwrap();
    assert!(found.complete);
    // Two processes ready at 0 (2 orders), the CPUs' order at 0 and at 1 (2 each).
    assert_eq!(found.runs, 8);
    let mut outputs: Vec<Vec<String>> = found
        .outcomes
        .iter()
        .map(|o| o.outcome.output.clone())
        .collect();
    outputs.sort();
    assert_eq!(
        outputs,
        [
            ["A: A1", "B: B1", "A: A2", "B: B2"],
            ["A: A1", "B: B1", "B: B2", "A: A2"],
            ["B: B1", "A: A1", "A: A2", "B: B2"],
            ["B: B1", "A: A1", "B: B2", "A: A2"],
        ]
    );
    assert_eq!(found.outcomes.iter().map(|o| o.schedules).sum::<u64>(), 8);
    for outcome in &found.outcomes {
        assert_eq!(
            replayed_output(&scenario, &outcome.witness),
            outcome.outcome.output
        );
    }
    // The empty schedule is the documented order: the plain run.
    let plain =
        sim_core::report::run_streamed(scenario.clone(), sim_core::DEFAULT_MAX_EVENTS).unwrap();
    let documented: Vec<String> = plain
        .output
        .iter()
        .map(|line| format!("{}: {}", line.name, line.text))
        .collect();
    assert_eq!(replayed_output(&scenario, &[]), documented);
}

#[test]
fn a_fork_has_two_outcomes_child_first_or_parent_first() {
    let scenario = scenario_file("scenarios/lifecycle/fork-order-varies.yaml");
    let found = explore(&scenario, 1000, sim_core::DEFAULT_MAX_EVENTS).unwrap();
    assert!(found.complete);
    assert_eq!(found.runs, 2);
    let firsts: Vec<&str> = found
        .outcomes
        .iter()
        .map(|o| o.outcome.output[0].as_str())
        .collect();
    assert_eq!(
        firsts,
        ["parent: The old process", "child: The new process"]
    );
    assert_eq!(found.outcomes[1].witness, [1]);
}

#[test]
fn the_search_stops_at_max_runs_and_says_it_is_not_complete() {
    let scenario = scenario_file("scenarios/explore/print-interleaving.yaml");
    let found = explore(&scenario, 3, sim_core::DEFAULT_MAX_EVENTS).unwrap();
    assert!(!found.complete);
    assert_eq!(found.runs, 3);
    assert!(found.text("p", 3).contains("stopped at --max-runs 3"));
    let _: &Outcome = &found.outcomes[0].outcome;
}

#[test]
fn a_schedule_is_read_from_the_command_line_form() {
    use sim_core::explore::{parse_schedule, schedule_text};
    assert_eq!(parse_schedule("0, 2,1").unwrap(), [0, 2, 1]);
    assert_eq!(parse_schedule("").unwrap(), Vec::<usize>::new());
    assert!(parse_schedule("0,x").unwrap_err().contains("`x`"));
    assert_eq!(schedule_text(&[1, 0, 3]), "1,0,3");
}
