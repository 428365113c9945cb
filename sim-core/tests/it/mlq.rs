//! The multilevel queue (docs/policies.md): which queue a process is in, how the queues share
//! the CPU, and the errors of a bad `policy.queues` or `queue:`. The worked scenarios are
//! scenarios/modern/mlq-*.yaml.

use crate::support::{load_error, scenario};
use sim_core::answer::{format_gantt, run_gantt};
use sim_core::{RunReport, Simulator};

const QUEUES: &str = "policy:\n  kind: mlq\n  queues:\n    - {name: system, policy: {kind: rr, quantum: 2}}\n    - {name: batch, policy: fcfs}\n";

fn gantt(text: &str) -> String {
    let mut simulator = Simulator::new(scenario(text));
    simulator.run_to_end(10_000).unwrap();
    format_gantt(&run_gantt(&RunReport::of(&simulator).gantt, 0))
}

#[test]
fn a_forked_child_is_in_its_parents_queue_and_the_unnamed_in_the_last() {
    // parent (system) forks child at 0: the child is a system process too, so it runs before
    // the batch process `other`, which has no `queue:` and is in the last queue.
    let text = format!(
        "name: fork\n{QUEUES}processes:\n  - name: parent\n    queue: system\n    program:\n      \
         - fork: {{name: child, program: [{{cpu: 2}}]}}\n      - cpu: 1\n  \
         - {{name: other, burst: 2}}\n"
    );
    assert_eq!(gantt(&text), "parent 0-1, child 1-3, other 3-5");
}

#[test]
fn in_its_turn_a_queue_takes_the_cpu_back_at_once() {
    // background runs in foreground's turn (foreground empty); `late` arrives in foreground's
    // turn and takes the CPU at once; backup resumes first in its queue afterwards.
    let text = "name: turn\npolicy:\n  kind: mlq\n  queues:\n    - {name: fg, policy: {kind: rr, quantum: 2}}\n    \
                - {name: bg, policy: fcfs}\n  between: {slices: [4, 4]}\n\
                processes:\n  - {name: backup, queue: bg, burst: 5}\n  - {name: late, queue: fg, arrival: 1, burst: 2}\n";
    assert_eq!(gantt(text), "backup 0-1, late 1-3, backup 3-7");
}

#[test]
fn bad_queues_and_queue_names_are_refused_with_their_field() {
    let refused = |text: &str| load_error(text, "mlq.yaml");
    let process = "processes:\n  - {name: A, burst: 1}\n";
    let error = refused(&format!(
        "name: x\npolicy: {{kind: mlq, queues: [{{name: a, policy: {{kind: mlq, queues: []}}}}]}}\n{process}"
    ));
    assert!(error.contains("policy.queues[0].policy.kind"), "{error}");
    let error = refused(&format!(
        "name: x\npolicy: {{kind: mlq, queues: [{{name: a, policy: {{kind: rr}}}}]}}\n{process}"
    ));
    assert!(error.contains("policy.queues[0].policy.quantum"), "{error}");
    let error = refused(&format!(
        "name: x\npolicy: {{kind: mlq, queues: [{{name: a, policy: fcfs}}, {{name: a, policy: fcfs}}]}}\n{process}"
    ));
    assert!(error.contains("`a` names two queues"), "{error}");
    let error = refused(&format!(
        "name: x\n{QUEUES}  between: {{slices: [3]}}\n{process}"
    ));
    assert!(error.contains("one slice per queue (2), got 1"), "{error}");
    let error = refused(&format!("name: x\n{QUEUES}  between: fair\n{process}"));
    assert!(error.contains("policy.between"), "{error}");
    let error = refused(&format!(
        "name: x\n{QUEUES}processes:\n  - {{name: A, queue: interactive, burst: 1}}\n"
    ));
    assert!(
        error.contains("processes[0].queue") && error.contains("(system, batch)"),
        "{error}"
    );
    let error =
        refused("name: x\npolicy: fcfs\nprocesses:\n  - {name: A, queue: system, burst: 1}\n");
    assert!(error.contains("processes[0].queue"), "{error}");
    let error = refused(&format!("name: x\npolicy: {{kind: mlq}}\n{process}"));
    assert!(error.contains("policy.queues"), "{error}");
}

#[test]
fn the_report_gives_each_process_its_queue_as_its_level() {
    let mut simulator = Simulator::new(scenario(&format!(
        "name: x\n{QUEUES}processes:\n  - {{name: A, queue: system, burst: 1}}\n  - {{name: B, burst: 1}}\n"
    )));
    simulator.run_to_end(1000).unwrap();
    let report = RunReport::of(&simulator);
    let levels: Vec<_> = report.processes.iter().map(|p| p.level).collect();
    assert_eq!(levels, [Some(0), Some(1)]);
}

#[test]
fn a_process_alone_in_its_queue_is_chosen_for_its_queue() {
    let mut simulator = Simulator::new(scenario(&format!(
        "name: x\n{QUEUES}processes:\n  - {{name: compile, queue: batch, burst: 4}}\n  \
         - {{name: shell, queue: system, arrival: 1, burst: 1}}\n"
    )));
    simulator.run_to_end(1000).unwrap();
    let (pid, why) = simulator
        .log()
        .iter()
        .find_map(|timed| match timed.event {
            sim_core::event::Event::Dispatch { pid, why, .. } if timed.time.0 == 1 => {
                Some((pid, why))
            }
            _ => None,
        })
        .expect("shell's dispatch at 1");
    let caption = sim_core::narrate::why_chosen(pid, &why, simulator.roster());
    assert_eq!(
        caption,
        "shell chosen: the only one ready in queue 0, the highest queue with a ready process \
         (compile has 1)"
    );
}

#[test]
fn a_process_arriving_as_its_queues_turn_starts_takes_the_cpu_at_that_instant() {
    // Same instant: at t=4 fg's turn starts (the turn timer acts before arrivals, and fg is
    // still empty then, so backup keeps the CPU), then `late` arrives in fg and preempts it
    // (queue_turn); backup keeps its place at the front of bg.
    let text = "name: edge\npolicy:\n  kind: mlq\n  queues:\n    - {name: fg, policy: {kind: rr, quantum: 2}}\n    \
                - {name: bg, policy: fcfs}\n  between: {slices: [2, 2]}\n\
                processes:\n  - {name: backup, queue: bg, burst: 6}\n  - {name: other, queue: bg, burst: 1}\n  \
                - {name: late, queue: fg, arrival: 4, burst: 1}\n";
    assert_eq!(gantt(text), "backup 0-4, late 4-5, backup 5-7, other 7-8");
}

#[test]
fn another_mlq_with_the_same_queues_keeps_each_processs_queue() {
    let text = format!(
        "name: keep\n{QUEUES}processes:\n  - {{name: a, burst: 1, queue: system}}\n  \
         - {{name: b, burst: 1}}\n"
    );
    let assignment = |scenario: &sim_core::Scenario| match &scenario.policy {
        sim_core::scenario::PolicyConfig::Mlq(config) => config.assignment.clone(),
        _ => Vec::new(),
    };
    let loaded = scenario(&text);
    assert_eq!(assignment(&loaded), [0, 1]);
    // The same queues, between them by time slices: the processes stay where they were.
    let mut options = loaded.policy.options();
    options.between = Some(sim_core::scenario::BetweenFile::Slices { slices: vec![3, 1] });
    let mut sliced = loaded.clone();
    sliced.set_policy(sim_core::scenario::policies::validate(&options).unwrap());
    assert_eq!(assignment(&sliced), [0, 1]);
    // Other queues: the processes' names of queues mean nothing there.
    let mut renamed = options.clone();
    if let Some(queues) = &mut renamed.queues {
        queues[0].name = "interactive".into();
    }
    let mut other = loaded.clone();
    other.set_policy(sim_core::scenario::policies::validate(&renamed).unwrap());
    assert_eq!(assignment(&other), Vec::<usize>::new());
}

#[test]
fn an_eevdf_queue_honours_its_processes_own_slice() {
    // The two request sizes of scenarios/modern/eevdf-slices.yaml, inside the upper queue.
    let text = "name: fg\npolicy:\n  kind: mlq\n  queues:\n    \
        - {name: fg, policy: {kind: eevdf, slice: 6}}\n    - {name: bg, policy: fcfs}\n\
        processes:\n  - {name: A, burst: 12, queue: fg}\n  - {name: B, burst: 12, slice: 2, queue: fg}\n  \
        - {name: C, burst: 1}\n";
    assert_eq!(
        gantt(text),
        "B 0-2, A 2-8, B 8-14, A 14-20, B 20-24, C 24-25"
    );
    // Without an eevdf queue a process has no request size.
    let error = load_error(
        &format!("name: x\n{QUEUES}processes:\n  - {{name: A, burst: 1, slice: 2}}\n"),
        "x.yaml",
    );
    assert!(error.contains("processes[0].slice"), "{error}");
}
