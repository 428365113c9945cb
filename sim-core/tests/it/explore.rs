//! `procsim explore`: every schedule of the same-instant choice points, each outcome once,
//! each witness replaying its outcome.

use sim_core::explore::{ExploreOptions, Outcome, explore};
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

/// At most `max_runs` runs, the rest as `procsim explore`'s defaults.
fn up_to(max_runs: u64) -> ExploreOptions {
    ExploreOptions {
        max_runs,
        ..ExploreOptions::default()
    }
}

/// Every schedule, with at most `preemptions` forced switches a run.
fn switching(preemptions: u32) -> ExploreOptions {
    ExploreOptions {
        preemptions,
        ..ExploreOptions::default()
    }
}

/// The output of `scenario` replayed under `schedule`.
fn replayed_output(scenario: &Scenario, schedule: &[usize]) -> Vec<String> {
    let mut run = scenario.clone();
    run.schedule = Some(sim_core::scenario::Schedule::new(schedule.to_vec()));
    let mut simulator = Simulator::new(run);
    simulator.run_to_end(sim_core::DEFAULT_MAX_EVENTS).unwrap();
    RunReport::of(&simulator)
        .output
        .iter()
        .map(|line| format!("{}: {}", line.name, line.text))
        .collect()
}

/// Each outcome's output, sorted.
fn sorted_outputs(found: &sim_core::explore::Exploration) -> Vec<Vec<String>> {
    let mut outputs: Vec<Vec<String>> = found
        .outcomes
        .iter()
        .map(|o| o.outcome.output.clone())
        .collect();
    outputs.sort();
    outputs
}

#[test]
fn two_unlocked_printers_have_four_outputs_each_replayed_by_its_witness() {
    let scenario = scenario_file("scenarios/explore/print-interleaving.yaml");
    let found = explore(&scenario, switching(0)).unwrap();
    assert!(found.complete);
    // Two processes ready at 0 (2 orders), the CPUs' order at 0 and at 1 (2 each).
    assert_eq!(found.runs, 8);
    let outputs = sorted_outputs(&found);
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
    let found = explore(&scenario, switching(0)).unwrap();
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
    let found = explore(&scenario, up_to(3)).unwrap();
    assert!(!found.complete);
    assert_eq!(found.runs, 3);
    assert!(found.text("p", 3, &[]).contains("stopped at --max-runs 3"));
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

#[test]
fn forced_switches_add_the_schedules_that_reach_no_new_print_order_on_two_cpus() {
    // On two CPUs both printers run at once: a forced switch only reorders what the
    // same-instant orders already reorder, so the outcomes stay the same 4.
    let scenario = scenario_file("scenarios/explore/print-interleaving.yaml");
    let found = explore(&scenario, ExploreOptions::default()).unwrap();
    assert!(found.complete);
    assert_eq!(found.outcomes.len(), 4);
    assert_eq!(found.runs, 56);
    for outcome in &found.outcomes {
        assert_eq!(
            replayed_output(&scenario, &outcome.witness),
            outcome.outcome.output
        );
    }
}

#[test]
fn forced_switches_interleave_a_parent_and_its_child_line_by_line() {
    let scenario = scenario_file("scenarios/lifecycle/fork-order-varies.yaml");
    let outputs = |preemptions| {
        let found = explore(&scenario, switching(preemptions)).unwrap();
        assert!(found.complete);
        sorted_outputs(&found)
    };
    assert_eq!(outputs(0).len(), 2);
    // One switch: the other process's lines may come between the two of one; two: every
    // order of the four lines that keeps each process's own (4 choose 2 = 6).
    assert_eq!(outputs(1).len(), 4);
    let two = outputs(2);
    assert_eq!(two.len(), 6);
    assert!(two.contains(&vec![
        "child: The new process".to_string(),
        "parent: The old process".to_string(),
        "child: Fork test over".to_string(),
        "parent: Fork test over".to_string(),
    ]));
}

/// Every outcome of the scenario at `path` under the default bounds, after checking that the
/// search was complete and that each witness replays its output.
fn explored(path: &str) -> (Scenario, sim_core::explore::Exploration) {
    let scenario = scenario_file(path);
    let found = explore(&scenario, ExploreOptions::default()).unwrap();
    assert!(found.complete, "{path}");
    for outcome in &found.outcomes {
        assert_eq!(
            replayed_output(&scenario, &outcome.witness),
            outcome.outcome.output,
            "{path}: witness {:?}",
            outcome.witness
        );
    }
    (scenario, found)
}

/// The final value of `variable` in each outcome, sorted, without repeats.
fn final_values(found: &sim_core::explore::Exploration, variable: &str) -> Vec<i64> {
    let mut values: Vec<i64> = found
        .outcomes
        .iter()
        .map(|o| o.outcome.variables[variable])
        .collect();
    values.sort();
    values.dedup();
    values
}

#[test]
fn the_counter_loses_updates_only_where_cpython_3_9_could_switch() {
    let (_, any) = explored("scenarios/explore/counter-switch-any.yaml");
    assert_eq!(final_values(&any, "py.counter"), [3, 4, 5, 6]);
    assert_eq!(any.runs, 174);
    let (_, calls) = explored("scenarios/explore/counter-switch-calls.yaml");
    assert_eq!(final_values(&calls, "py.counter"), [6]);
    assert_eq!(calls.outcomes.len(), 1);
    // One forced switch is enough to lose three updates (A's stale store after B's three).
    let one = explore(
        &scenario_file("scenarios/explore/counter-switch-any.yaml"),
        switching(1),
    )
    .unwrap();
    assert!(final_values(&one, "py.counter").contains(&3));
}

#[test]
fn the_unlocked_ticket_sale_oversells_in_some_schedules_only() {
    let (_, found) = explored("scenarios/explore/ticket-sale-no-lock.yaml");
    assert_eq!(found.outcomes.len(), 42);
    assert_eq!(found.runs, 258);
    let mut by_sold = std::collections::BTreeMap::new();
    for outcome in &found.outcomes {
        let sold = outcome
            .outcome
            .output
            .iter()
            .filter(|line| line.ends_with("bought a ticket"))
            .count();
        *by_sold.entry(sold).or_insert(0) += 1;
        assert_eq!(outcome.outcome.variables["count"], 0);
    }
    assert_eq!(by_sold, [(1, 18), (2, 18), (3, 6)].into_iter().collect());
}

#[test]
fn two_locks_in_opposite_orders_deadlock_when_the_first_thread_is_switched_between_them() {
    let (scenario, found) = explored("scenarios/explore/two-locks-opposite-order.yaml");
    assert_eq!(found.outcomes.len(), 3);
    let deadlock = found
        .outcomes
        .iter()
        .find(|o| !o.outcome.deadlocked.is_empty())
        .expect("a schedule deadlocks");
    assert_eq!(deadlock.outcome.deadlocked, ["main/T1", "main/T2"]);
    assert_eq!(deadlock.schedules, 8);
    // Its witness, put into words, is the switch between T1's two acquires.
    let words = sim_core::explore::explain_schedule(
        &scenario,
        sim_core::scenario::Schedule::new(deadlock.witness.clone()),
        sim_core::DEFAULT_MAX_EVENTS,
    )
    .unwrap();
    assert!(
        words[0].contains("T1 was switched out before its step 2 (acquire b)"),
        "{words:?}"
    );
}

#[test]
fn without_a_sentinel_the_consumer_and_main_are_stuck_in_every_schedule() {
    let (_, found) = explored("scenarios/explore/producer-consumer-no-sentinel.yaml");
    assert_eq!(found.outcomes.len(), 19);
    for outcome in &found.outcomes {
        assert_eq!(outcome.outcome.stuck, ["main", "consumer"]);
        assert_eq!(outcome.outcome.output.len(), 5);
    }
}

#[test]
fn a_sample_runs_that_many_random_schedules_and_is_never_complete() {
    let scenario = scenario_file("scenarios/explore/counter-switch-any.yaml");
    let options = ExploreOptions {
        sample: Some(sim_core::explore::Sample { runs: 40, seed: 7 }),
        ..ExploreOptions::default()
    };
    let found = explore(&scenario, options).unwrap();
    assert_eq!(found.runs, 40);
    assert!(!found.complete);
    // The same seed, the same sample; every witness replays its outcome.
    assert_eq!(found, explore(&scenario, options).unwrap());
    for outcome in &found.outcomes {
        let mut run = scenario.clone();
        run.schedule = Some(sim_core::scenario::Schedule::new(outcome.witness.clone()));
        let mut simulator = Simulator::new(run);
        simulator.run_to_end(sim_core::DEFAULT_MAX_EVENTS).unwrap();
        assert_eq!(
            RunReport::of(&simulator).variables,
            outcome.outcome.variables
        );
    }
    assert!(
        found
            .text("c", 100, &[])
            .contains("sampled at random (seed 7")
    );
}

#[test]
fn steps_no_other_thread_can_see_add_no_schedules() {
    // The reduction: a forced switch before a local step reaches what one before the next
    // visible step does, so local steps between two prints add no choice points.
    let program = |middle: &str| {
        Scenario::from_yaml(&format!(
            "name: r\ncpus: 1\npolicy: fcfs\nprocesses:\n\
             - {{name: A, program: [{{print: a1}}, {middle}{{print: a2}}]}}\n\
             - {{name: B, program: [{{print: b1}}, {middle}{{print: b2}}]}}\n"
        ))
        .unwrap()
    };
    let plain = explore(&program(""), ExploreOptions::default()).unwrap();
    let local = explore(
        &program("{set_reg: 1}, {add: 2}, {add: 3}, "),
        ExploreOptions::default(),
    )
    .unwrap();
    assert_eq!(local.runs, plain.runs);
    assert_eq!(local.outcomes.len(), plain.outcomes.len());
    // A step that takes time is visible (it changes who is ready when): it adds some.
    let timed = explore(&program("{cpu: 1}, "), ExploreOptions::default()).unwrap();
    assert!(timed.runs > plain.runs);
}
