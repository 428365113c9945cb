//! Compact programs: `{repeat: N, steps: [...]}` means its steps N times over, nested or not.

use crate::support::{report_of, scenario};
use sim_core::Scenario;

fn error_of(text: &str) -> String {
    Scenario::from_yaml(text)
        .unwrap_err()
        .unlocated()
        .one_line("r.yaml")
}

#[test]
fn a_repeat_runs_exactly_as_its_steps_written_out() {
    let compact = "name: r\npolicy: {kind: rr, quantum: 2}\nprocesses:\n\
        - {name: A, program: [{repeat: 3, steps: [{cpu: 3}, {io: 2}]}, {cpu: 1}]}\n\
        - {name: B, program: [{repeat: 2, steps: [{repeat: 2, steps: [{cpu: 1}, {sleep: 1}]}]}]}\n";
    let written_out = "name: r\npolicy: {kind: rr, quantum: 2}\nprocesses:\n\
        - {name: A, program: [{cpu: 3}, {io: 2}, {cpu: 3}, {io: 2}, {cpu: 3}, {io: 2}, {cpu: 1}]}\n\
        - {name: B, program: [{cpu: 1}, {sleep: 1}, {cpu: 1}, {sleep: 1}, {cpu: 1}, {sleep: 1}, {cpu: 1}, {sleep: 1}]}\n";
    assert_eq!(scenario(compact).processes, scenario(written_out).processes);
    assert_eq!(
        format!("{:?}", report_of(scenario(compact))),
        format!("{:?}", report_of(scenario(written_out)))
    );
}

#[test]
fn a_repeat_of_zero_skips_its_steps_but_checks_them() {
    let skipped = scenario(
        "name: r\npolicy: fcfs\nprocesses: [{name: A, program: [{repeat: 0, steps: [{cpu: 5}]}, {cpu: 1}]}]\n",
    );
    assert_eq!(skipped.processes[0].program.len(), 1);
    assert!(
        error_of("name: r\npolicy: fcfs\nprocesses: [{name: A, program: [{repeat: 0, steps: [{cpu: 0}]}, {cpu: 1}]}]\n")
            .starts_with("r.yaml: processes[0].program[0].steps[0].cpu: expected a positive number")
    );
    assert!(
        error_of("name: r\npolicy: fcfs\nprocesses: [{name: A, program: [{repeat: 0, steps: [{cpu: 1}]}]}]\n")
            .contains("the program has no step to run")
    );
}

#[test]
fn repeat_mistakes_name_their_field() {
    let base = "name: r\npolicy: fcfs\nprocesses: [{name: A, program: [";
    let of = |program: &str| error_of(&format!("{base}{program}]}}]\n"));
    assert!(
        of("{repeat: 2, steps: []}")
            .contains("processes[0].program[0].steps: expected at least one step")
    );
    assert!(
        of("{repeat: 2, steps: [{cpu: 1}, {exit: 0}]}")
            .contains("processes[0].program[0].repeat: the steps end with `exit`")
    );
    assert!(of("{repeat: 2}").contains("missing field `steps`"));
    assert!(of("{repeat: 2, steps: [{cpu: 1}], times: 3}").contains("unknown field `times`"));
    assert!(
        of("{cpux: 1}").contains("repeat"),
        "the unknown-step error lists `repeat`"
    );
    assert!(of("{cpu: 1, io: 2}").contains("one too many"));
    // A loop may not unroll past the scenario's budget.
    assert!(
        of("{repeat: 100000, steps: [{repeat: 1000, steps: [{cpu: 1}]}]}")
            .contains("more than the 10000000 steps repeats may make")
    );
}

#[test]
fn every_step_name_but_repeat_reaches_the_step_parser() {
    // A step's own value errors, never "unknown variant": every name the list gives reaches the
    // step enum (and a step the list forgot fails every test that uses it).
    let names = sim_core::scenario::STEP_NAMES;
    for name in names.iter().filter(|name| **name != "repeat") {
        let error = error_of(&format!(
            "name: r\npolicy: fcfs\nprocesses: [{{name: A, program: [{{{name}: [[]]}}]}}]\n"
        ));
        assert!(!error.contains("unknown variant"), "{name}: {error}");
    }
}

#[test]
fn json_scenarios_repeat_too() {
    let json = r#"{"name": "r", "policy": "fcfs", "processes": [{"name": "A", "program": [{"repeat": 4, "steps": [{"cpu": 2}, {"io": 1}]}, {"cpu": 1}]}]}"#;
    let scenario = Scenario::from_json(json).unwrap();
    assert_eq!(scenario.processes[0].program.len(), 9);
}
