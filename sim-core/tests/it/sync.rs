//! Locks, semaphores and deadlocks over random programs: lock ordering never deadlocks (no
//! false deadlocks), every run that does not finish reports its deadlock, recovery lets the
//! others finish, and the banker never lets a deadlock form.

use crate::support::{run, scenario};
use proptest::prelude::*;
use sim_core::RunReport;

/// A program taking some of the locks L0..L3, in the order given, with CPU work between.
fn program(locks: &[usize], work: &[u64]) -> String {
    let mut steps = Vec::new();
    for (lock, ticks) in locks.iter().zip(work) {
        steps.push(format!("{{acquire: L{lock}}}"));
        steps.push(format!("{{cpu: {ticks}}}"));
    }
    steps.push("{cpu: 1}".to_string());
    for lock in locks.iter().rev() {
        steps.push(format!("{{release: L{lock}}}"));
    }
    format!("[{}]", steps.join(", "))
}

fn yaml(processes: &[(Vec<usize>, Vec<u64>)], policy: &str, deadlock: &str) -> String {
    let mut text = format!(
        "name: random locks\npolicy: {policy}\n{deadlock}resources: [{{name: L0}}, {{name: L1}}, {{name: L2}}, {{name: L3}}]\nprocesses:\n"
    );
    for (index, (locks, work)) in processes.iter().enumerate() {
        let max = if deadlock.contains("banker") {
            ", max: {L0: 1, L1: 1, L2: 1, L3: 1}"
        } else {
            ""
        };
        text.push_str(&format!(
            "  - {{name: P{index}, arrival: {index}{max}, program: {}}}\n",
            program(locks, work)
        ));
    }
    text
}

fn processes() -> impl Strategy<Value = Vec<(Vec<usize>, Vec<u64>)>> {
    proptest::collection::vec(
        (
            proptest::sample::subsequence(vec![0usize, 1, 2, 3], 1..=3).prop_shuffle(),
            proptest::collection::vec(1u64..4, 3),
        ),
        2..6,
    )
}

/// Any policy of the table, as a scenario writes it.
fn policy() -> impl Strategy<Value = String> {
    crate::support::any_policy().prop_map(|policy| crate::support::policy_yaml(&policy))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_global_lock_order_never_deadlocks(mut procs in processes(), policy in policy()) {
        for (locks, _) in &mut procs {
            locks.sort();
        }
        let simulator = run(scenario(&yaml(&procs, &policy, "")));
        let report = RunReport::of(&simulator);
        prop_assert!(report.deadlocks.is_empty(), "{:?}", report.deadlocks);
        prop_assert!(simulator.is_finished());
    }

    #[test]
    fn a_run_that_does_not_finish_reports_its_deadlock(procs in processes(), policy in policy()) {
        let text = yaml(&procs, &policy, "");
        let first = run(scenario(&text));
        let report = RunReport::of(&first);
        prop_assert_eq!(first.is_finished(), report.deadlocks.is_empty());
        // Each deadlock is reported once while it lasts (without recovery it lasts to the
        // end, so no process is in two reports), and every one of its processes is stuck.
        let mut reported: Vec<&String> =
            report.deadlocks.iter().flat_map(|d| &d.processes).collect();
        let count = reported.len();
        reported.sort();
        reported.dedup();
        prop_assert_eq!(reported.len(), count, "a deadlock reported twice: {:?}", report.deadlocks);
        let events = first.log().iter().filter(|e| matches!(e.event, sim_core::Event::Deadlock { .. })).count();
        prop_assert_eq!(events, report.deadlocks.len());
        for deadlock in &report.deadlocks {
            for name in &deadlock.processes {
                prop_assert!(report.stuck.contains(name), "{} is not stuck", name);
            }
            prop_assert_eq!(deadlock.cycle.len() % 2, 0);
        }
        let second = run(scenario(&text));
        prop_assert_eq!(first.log(), second.log());
    }

    #[test]
    fn recovery_lets_the_others_finish(procs in processes(), policy in policy(), all in any::<bool>()) {
        let recover = if all { "abort_all" } else { "abort_one" };
        let simulator = run(scenario(&yaml(&procs, &policy, &format!("deadlock: {{recover: {recover}}}\n"))));
        prop_assert!(simulator.is_finished());
        let report = RunReport::of(&simulator);
        let aborted = report.processes.iter().filter(|p| p.exit_code == Some(-9)).count();
        prop_assert_eq!(aborted > 0, !report.deadlocks.is_empty());
    }

    #[test]
    fn preemption_and_rollback_finish_everyone(procs in processes(), policy in policy()) {
        let simulator = run(scenario(&yaml(&procs, &policy, "deadlock: {recover: preempt}\n")));
        prop_assert!(simulator.is_finished());
        let report = RunReport::of(&simulator);
        prop_assert!(report.processes.iter().all(|p| p.exit_code == Some(0)));
    }

    #[test]
    fn the_banker_never_lets_a_deadlock_form(procs in processes(), policy in policy()) {
        let simulator = run(scenario(&yaml(&procs, &policy, "deadlock: {avoid: banker}\n")));
        let report = RunReport::of(&simulator);
        prop_assert!(report.deadlocks.is_empty(), "{:?}", report.deadlocks);
        prop_assert!(simulator.is_finished());
    }
}

#[test]
fn exit_releases_held_resources_and_wakes_waiters_fifo() {
    let simulator = run(scenario(
        "
name: exit holding
policy: fcfs
resources: [{name: rooms, instances: 2}]
processes:
  - {name: A, program: [{acquire: {resource: rooms, count: 2}}, {cpu: 2}]}
  - {name: B, program: [{acquire: rooms}, {cpu: 1}, {release: rooms}]}
  - {name: C, program: [{acquire: rooms}, {cpu: 1}, {release: rooms}]}
",
    ));
    let trace =
        sim_core::render::trace_text(simulator.scenario(), simulator.roster(), simulator.log());
    assert!(
        trace.contains("A releases 2 of rooms (it exited holding it)"),
        "{trace}"
    );
    let report = RunReport::of(&simulator);
    let completion = |name: &str| {
        report
            .processes
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.completion)
    };
    assert_eq!(completion("A"), Some(2));
    assert_eq!(completion("B"), Some(3));
    assert_eq!(completion("C"), Some(4));
}

#[test]
fn with_detection_off_a_deadlock_is_not_reported_but_the_processes_stay_stuck() {
    let text = "
name: no detection
policy: {kind: rr, quantum: 1}
deadlock: {detect: false}
resources: [{name: A}, {name: B}]
processes:
  - {name: P1, program: [{acquire: A}, {cpu: 2}, {acquire: B}, {cpu: 1}]}
  - {name: P2, program: [{acquire: B}, {cpu: 2}, {acquire: A}, {cpu: 1}]}
";
    let simulator = run(scenario(text));
    let report = RunReport::of(&simulator);
    assert!(report.deadlocks.is_empty());
    assert_eq!(report.stuck, ["P1", "P2"]);
    let on = RunReport::of(&run(scenario(
        &text.replace("detect: false", "detect: true"),
    )));
    assert_eq!(on.deadlocks.len(), 1);
}

#[test]
fn a_forked_child_releasing_what_it_does_not_hold_is_a_failed_step_not_a_crash() {
    // The child goes on with the parent's program after the fork: it never acquired L.
    let simulator = run(scenario(
        "
name: child release
policy: fcfs
resources: [{name: L}]
processes:
  - {name: P, program: [{acquire: L}, {fork: {name: C}}, {cpu: 1}, {release: L}]}
",
    ));
    assert!(simulator.is_finished());
    let report = RunReport::of(&simulator);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(
        report.errors[0]
            .message
            .contains("C releases 1 of L but holds only 0"),
        "{:?}",
        report.errors
    );
}

#[test]
fn a_circular_wait_through_one_multi_instance_resource_names_every_process() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: m\ncpus: 2\npolicy: fcfs\nresources: [{name: R, instances: 2}]\nprocesses:\n\
         - {name: P1, program: [{acquire: R}, {cpu: 1}, {acquire: R}, {release: {resource: R, count: 2}}]}\n\
         - {name: P2, program: [{acquire: R}, {cpu: 1}, {acquire: R}, {release: {resource: R, count: 2}}]}\n",
    ));
    assert_eq!(report.deadlocks.len(), 1);
    assert_eq!(report.deadlocks[0].cycle, ["P1", "R", "P2", "R"]);
    let text = sim_core::render::report_text(&report);
    assert!(
        text.contains("P1 waits for R, and R is held by P2;"),
        "{text}"
    );
    assert!(text.contains("cycle: P1 -> R -> P2 -> R -> P1"), "{text}");
}

/// A deadlock under MLFQ with a boost: once the two are stuck and nothing else can happen,
/// the run ends (the boost would only move their levels, every 5 ticks, forever).
#[test]
fn a_deadlock_under_a_boosting_mlfq_ends_the_run() {
    let simulator = run(scenario(
        "
name: stuck with a boost
policy: {kind: mlfq, levels: [{quantum: 1}, {quantum: 1}], boost: 5}
resources: [{name: L1}, {name: L2}]
processes:
  - {name: P, program: [{acquire: L1}, {cpu: 2}, {acquire: L2}]}
  - {name: Q, program: [{acquire: L2}, {cpu: 2}, {acquire: L1}]}
",
    ));
    let report = RunReport::of(&simulator);
    assert_eq!(report.deadlocks.len(), 1);
    assert!(
        simulator.now().0 < 10,
        "the run went on to t={}",
        simulator.now().0
    );
}

#[test]
fn acquire_gives_up_with_a_timeout_or_at_once_and_a_waiter_behind_it_is_served() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: g\npolicy: fcfs\ncpus: 3\nresources: [{name: rooms, instances: 2}]\nprocesses:\n\
         - {name: holder, program: [{acquire: rooms}, {cpu: 10}, {release: rooms}]}\n\
         - {name: big, arrival: 1, program: [{acquire: {resource: rooms, count: 2, timeout: 3}, else: [{print: 'big gave up'}]}]}\n\
         - {name: small, arrival: 2, program: [{acquire: rooms}, {print: 'small got one'}, {release: rooms}, \
            {acquire: {resource: rooms, count: 2, block: false}, else: [{print: 'not now'}]}]}\n",
    ));
    let lines: Vec<(u64, String)> = report
        .output
        .iter()
        .map(|line| (line.time, line.text.clone()))
        .collect();
    // small waits behind big (FIFO) until big's timeout at 4, then gets the free room.
    assert_eq!(
        lines,
        [
            (4, "big gave up".to_string()),
            (4, "small got one".to_string()),
            (4, "not now".to_string())
        ]
    );
    assert!(report.deadlocks.is_empty());
}

#[test]
fn a_second_acquire_of_a_plain_lock_deadlocks_its_owner_unless_it_may_give_up() {
    let run = |acquire: &str| {
        crate::support::report_of(crate::support::scenario(&format!(
            "name: s\npolicy: fcfs\nresources: [{{name: L}}]\nprocesses:\n\
             - {{name: m, program: [{{acquire: L}}, {{cpu: 1}}, {acquire}, {{print: after}}]}}\n"
        )))
    };
    let stuck = run("{acquire: L}");
    assert_eq!(stuck.deadlocks.len(), 1);
    assert_eq!(stuck.deadlocks[0].processes, ["m"]);
    assert_eq!(stuck.deadlocks[0].time, 1);
    let timed = run("{acquire: {resource: L, timeout: 5}, else: []}");
    assert!(timed.deadlocks.is_empty());
    assert_eq!(timed.output[0].time, 6);
}

#[test]
fn acquire_options_are_checked_where_they_stand() {
    for (step, expected) in [
        (
            "{release: {resource: L, timeout: 2}}",
            "`release` never waits",
        ),
        (
            "{acquire: {resource: L, count: 2}}",
            "asks for 2 of `L`, which has only 1 instance",
        ),
        (
            "{acquire: {resource: L, timeout: 0}}",
            "expected a positive number of ticks, got 0",
        ),
        (
            "{acquire: {resource: L, timeout: 2, block: false}}",
            "give `timeout` or `block: false`, not both",
        ),
    ] {
        let error = crate::support::load_error(
            &format!(
                "name: q\npolicy: fcfs\nresources: [{{name: L}}]\nprocesses:\n  - name: main\n    program:\n      - {step}\n"
            ),
            "q.yaml",
        );
        assert!(error.contains(expected), "{step}: {error}");
        assert!(error.contains("q.yaml:7:"), "{step}: {error}");
    }
}

#[test]
fn a_select_that_times_out_pays_one_scan_and_runs_its_else_then_looks_anew() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: t\npolicy: fcfs\ncpus: 2\nrules: {select_cost: 1}\nsockets: [{name: a}, {name: b}]\nprocesses:\n\
         - {name: s, program: [{select: {read: [a, b], timeout: 4}, on: {a: [{print: never}]}, else: [{print: 'timed out'}]}, \
            {select: {read: [a, b], timeout: 10}, on: {b: [{recv: b}, {print: got b}]}, else: [{print: never}]}]}\n\
         - {name: c, program: [{sleep: 9}, {send: b}]}\n",
    ));
    let lines: Vec<(u64, String)> = report
        .output
        .iter()
        .map(|line| (line.time, line.text.clone()))
        .collect();
    // The first call scans 2 sockets (2 ticks), blocks, and gives up 4 ticks later (t=6);
    // the second scans at 6..8, blocks, and is woken by the message at 9.
    assert_eq!(
        lines,
        [(6, "timed out".to_string()), (9, "got b".to_string())]
    );
    let server = report.processes.iter().find(|p| p.name == "s").unwrap();
    assert_eq!(server.cpu_time, 4);
}

#[test]
fn select_mistakes_are_found_where_they_stand() {
    for (step, expected) in [
        (
            "{select: [a], on: {a: []}, else: [{print: x}]}",
            "`else` runs when the timeout runs out with nothing ready",
        ),
        (
            "{select: {read: [a], write: [a]}, on: {}}",
            "`a` is watched twice",
        ),
        (
            "{select: {read: [a], wait: 3}, on: {}}",
            "unknown field `wait`",
        ),
        (
            "{select: {write: [nope]}, on: {}}",
            "unknown socket or pipe or queue `nope`",
        ),
        (
            "{select: {timeout: 3}, on: {}}",
            "expected at least one socket to watch",
        ),
    ] {
        let error = crate::support::load_error(
            &format!(
                "name: q\npolicy: fcfs\nsockets: [{{name: a}}]\nprocesses:\n  - name: main\n    program:\n      - {step}\n"
            ),
            "q.yaml",
        );
        assert!(error.contains(expected), "{step}: {error}");
        assert!(error.contains("q.yaml:7:"), "{step}: {error}");
    }
    let error = crate::support::load_error(
        "name: q\npolicy: fcfs\nrules: {fd_setsize: 0}\nprocesses: [{name: m, burst: 1}]\n",
        "q.yaml",
    );
    assert!(
        error.contains("rules.fd_setsize: expected at least 1"),
        "{error}"
    );
}
