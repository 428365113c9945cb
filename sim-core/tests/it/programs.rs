//! Compact programs: `{repeat: N, steps: [...]}` means its steps N times over, nested or not,
//! without being unrolled; `{if: ..., then: [...], else: [...]}` branches.

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
    // Not unrolled: a loop is its body between two markers.
    let lengths: Vec<usize> = scenario(compact)
        .processes
        .iter()
        .map(|p| p.program.len())
        .collect();
    assert_eq!(lengths, [5, 6]);
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
    assert_eq!(report_of(skipped).processes[0].cpu_time, 1);
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
    assert!(
        of("{repeat: 1000000001, steps: [{cpu: 1}]}").contains("expected at most 1000000000 times")
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
    assert_eq!(scenario.processes[0].program.len(), 5);
    assert_eq!(report_of(scenario).processes[0].cpu_time, 9);
}

#[test]
fn a_million_iterations_cost_no_memory_and_little_time() {
    let scenario = scenario(
        "name: r\npolicy: fcfs\nshared: {n: 0}\nprocesses:\n\
         - {name: A, program: [{repeat: 1000000, steps: [{read: n}, {add: 1}, {write: n}]}, {cpu: 1}]}\n",
    );
    assert_eq!(scenario.processes[0].program.len(), 6);
    let mut simulator = sim_core::Simulator::new(scenario);
    simulator.run_to_end(usize::MAX).unwrap();
    let report = sim_core::RunReport::of(&simulator);
    assert_eq!(report.variables["n"], 1_000_000);
}

#[test]
fn a_zero_time_loop_too_long_to_run_stops_with_a_clear_error() {
    let scenario = scenario(
        "name: r\npolicy: fcfs\nprocesses:\n\
         - {name: A, program: [{repeat: 1000000000, steps: [{repeat: 1000, steps: [{add: 1}]}]}, {cpu: 1}]}\n",
    );
    let mut simulator = sim_core::Simulator::new(scenario);
    let error = simulator.run_to_end(usize::MAX).unwrap_err().to_string();
    assert!(error.contains("steps that take no time"), "{error}");
}

#[test]
fn if_branches_on_the_register_or_a_variable() {
    let report = report_of(scenario(
        "name: r\npolicy: fcfs\nglobals: {tickets: 1}\nprocesses:\n\
         - {name: A, program: [{read: tickets}, {if: {reg: {gt: 0}}, then: [{add: -1}, {write: tickets}, {print: sold}], else: [{print: sorry}]}, \
            {if: {tickets: {eq: 0}}, then: [{print: \"none left ({tickets})\"}]}, {set_reg: 7}, {print: \"reg {reg} pid {pid} tid {tid}\"}]}\n",
    ));
    let lines: Vec<&str> = report.output.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(lines, ["sold", "none left (0)", "reg 7 pid 2 tid 2"]);
    assert_eq!(report.variables["A.tickets"], 0);
}

#[test]
fn value_mistakes_name_their_step() {
    let base = "name: r\npolicy: fcfs\nglobals: {x: 0}\nprocesses: [{name: A, program: [";
    let of = |program: &str| error_of(&format!("{base}{program}]}}]\n"));
    assert!(of("{read: y}").contains("program[0].read: unknown variable `y`, expected one of x"));
    assert!(
        of("{if: {y: {eq: 1}}, then: [{cpu: 1}]}")
            .contains("program[0].if.y: unknown variable `y`")
    );
    assert!(of("{if: {x: {eqq: 1}}, then: [{cpu: 1}]}").contains("unknown comparison `eqq`"));
    assert!(
        of("{if: {x: {eq: 1}}, then: []}").contains("program[0].then: expected at least one step")
    );
    assert!(of("{print: \"{y}\"}").contains("program[0].print: unknown variable `y`"));
    assert!(
        error_of("name: r\npolicy: fcfs\nglobals: {reg: 0}\nprocesses: [{name: A, burst: 1}]\n")
            .contains("`reg` is the register")
    );
}
