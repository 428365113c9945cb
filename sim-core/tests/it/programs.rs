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

/// The lines a run prints.
fn printed(yaml: &str) -> Vec<String> {
    report_of(scenario(yaml))
        .output
        .into_iter()
        .map(|line| line.text)
        .collect()
}

#[test]
fn a_named_program_runs_wherever_a_program_is_expected() {
    let yaml = "name: n\npolicy: fcfs\ncpus: 2\npools: [{name: P, workers: 1}]\n\
        programs:\n  hello: [{print: 'hello {pid}/{tid}'}]\n  task: [{print: 'task {i}'}, {return: 7}]\n\
        processes:\n\
        - {name: main, program: [{fork: {name: c, program: hello}}, {wait: c}, \
           {spawn: {name: t, program: hello}}, {join: t}, {coroutine: {name: g, program: hello}}, {await: g}, \
           {map: {pool: P, count: 2, task: task, as: xs}}, {print: '{xs}'}, {call: {program: hello}}, \
           {close: P}, {join_pool: P}]}\n\
        - {name: second, arrival: 10, program: hello}\n";
    assert_eq!(
        printed(yaml),
        [
            "hello 4/4",
            "hello 2/5",
            "hello 2/2",
            "task 0",
            "task 1",
            "[7, 7]",
            "hello 2/2",
            "hello 3/3"
        ]
    );
    // One compiled program for every use (not one copy per use).
    let scenario = scenario(yaml);
    let forked = match &scenario.processes[0].program[0] {
        sim_core::scenario::Step::Fork(child) => child.program.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    assert!(std::sync::Arc::ptr_eq(
        &forked,
        &scenario.processes[1].program
    ));
}

#[test]
fn named_program_mistakes_are_found_where_they_stand() {
    for (yaml, expected) in [
        (
            "programs:\n  a: [{cpu: 1}]\nprocesses:\n  - {name: m, program: b}\n",
            "processes[0].program: unknown program `b`, expected one of a",
        ),
        (
            "processes:\n  - {name: m, program: [{call: {program: x}}]}\n",
            "unknown program `x`: the scenario declares none under `programs:`",
        ),
        (
            "programs:\n  a: [{fork: {name: c, program: b}}]\n  b: [{call: {program: a}}]\nprocesses:\n  - {name: m, program: a}\n",
            "programs a, b use each other in a cycle",
        ),
        (
            "programs:\n  a: [{spawn: {name: t, program: a}}]\nprocesses:\n  - {name: m, program: [{cpu: 1}]}\n",
            "program `a` uses itself",
        ),
        (
            "programs:\n  a: [{cpu: 1}, {wait: nobody}, {cpux: 1}]\nprocesses:\n  - {name: m, program: [{cpu: 1}]}\n",
            "unknown variant `cpux`",
        ),
        (
            "programs:\n  a: [{return: 1}]\nprocesses:\n  - {name: m, program: [{cpu: 1}]}\n",
            "programs.a[0].return: `return` ends a pool task",
        ),
        (
            "programs:\n  'a b': [{cpu: 1}]\nprocesses:\n  - {name: m, program: [{cpu: 1}]}\n",
            "a program's name is a word",
        ),
        (
            "programs:\n  a: [{cpu: 1}]\nprocesses:\n  - {name: m, program: [{call: {program: a}, else: []}]}\n",
            "`call` runs a program's steps here; it never gives up",
        ),
    ] {
        let error = error_of(&format!("name: n\npolicy: fcfs\n{yaml}"));
        assert!(error.contains(expected), "{yaml}\n{error}");
        let located =
            crate::support::load_error(&format!("name: n\npolicy: fcfs\n{yaml}"), "n.yaml");
        assert!(located.contains("n.yaml:"), "{located}");
    }
}

#[test]
fn calls_nest_and_copy_within_their_limits() {
    // Each of 12 programs calls the next twice: 4096 copies of the innermost step, fine.
    let mut programs = String::from("programs:\n  p12: [{add: 1}]\n");
    for level in (0..12).rev() {
        let next = level + 1;
        programs.push_str(&format!(
            "  p{level}: [{{call: {{program: p{next}}}}}, {{call: {{program: p{next}}}}}]\n"
        ));
    }
    let yaml = format!(
        "name: c\npolicy: fcfs\n{programs}processes:\n  - {{name: m, program: [{{call: {{program: p0}}}}, {{print: '{{reg}}'}}]}}\n"
    );
    assert_eq!(printed(&yaml), ["4096"]);
    // Twenty levels of calls: deeper than calls may nest.
    let mut programs = String::from("programs:\n  p20: [{add: 1}]\n");
    for level in (0..20).rev() {
        programs.push_str(&format!(
            "  p{level}: [{{call: {{program: p{}}}}}]\n",
            level + 1
        ));
    }
    let error = error_of(&format!(
        "name: c\npolicy: fcfs\n{programs}processes:\n  - {{name: m, program: [{{call: {{program: p0}}}}]}}\n"
    ));
    assert!(error.contains("`call`s nest at most 16 deep"), "{error}");
    // Doubling 24 times: more steps than calls may copy.
    let mut programs = String::from("programs:\n  p15: [{add: 1}, {add: 1}, {add: 1}, {add: 1}]\n");
    for level in (0..15).rev() {
        let next = level + 1;
        programs.push_str(&format!(
            "  p{level}: [{{call: {{program: p{next}}}}}, {{call: {{program: p{next}}}}}, {{call: {{program: p{next}}}}}, {{call: {{program: p{next}}}}}]\n"
        ));
    }
    let error = error_of(&format!(
        "name: c\npolicy: fcfs\n{programs}processes:\n  - {{name: m, program: [{{call: {{program: p0}}}}]}}\n"
    ));
    assert!(
        error.contains("`call`s copy more than 1000000 steps"),
        "{error}"
    );
}
