//! The engine's order within one tick (docs/policies.md, "The engine's order within one
//! tick"), one tiny test per numbered step: each fails if its step moves.

use crate::support::{at, events_at, run, scenario};
use sim_core::RunReport;

#[test]
fn step_1_a_context_switch_that_ends_at_t_comes_before_the_slices_that_end_at_t() {
    // CPU0 switches from P1 to P3 during [2, 3); P2's burst on CPU1 ends at 3.
    let events = events_at(
        "name: s\ncpus: 2\npolicy: fcfs\nrules: {context_switch: 1}\n\
         processes: [{name: P1, burst: 2}, {name: P2, burst: 3}, {name: P3, burst: 1}]\n",
        3,
    );
    assert!(
        at(&events, "dispatch P3") < at(&events, "exit P2"),
        "{events:?}"
    );
}

#[test]
fn step_2_slices_end_cpu_by_cpu_lowest_cpu_first() {
    // P2 (pid 3) runs on CPU0 and P1 (pid 2) on CPU1; both bursts end at 3.
    let events = events_at(
        "name: s\ncpus: 2\npolicy: fcfs\n\
         processes: [{name: P1, arrival: 1, burst: 2}, {name: P2, burst: 3}]\n",
        3,
    );
    assert!(
        at(&events, "exit P2") < at(&events, "exit P1"),
        "{events:?}"
    );
}

#[test]
fn step_3_the_policy_timer_comes_after_the_slices_and_before_the_arrivals() {
    let events = events_at(
        "name: s\npolicy: {kind: mlfq, levels: [{quantum: 2}, {quantum: 4}], boost: 4}\n\
         processes: [{name: A, burst: 4}, {name: B, arrival: 4, burst: 2}]\n",
        4,
    );
    assert!(at(&events, "exit A") < at(&events, "boost -"), "{events:?}");
    assert!(
        at(&events, "boost -") < at(&events, "admit B"),
        "{events:?}"
    );
}

/// A and B issue IOs that end at 6 (B's issued at 2, A's at 3); C and D arrive at 6.
const IO_AND_ARRIVALS: &str = "name: s\npolicy: fcfs\nprocesses:\n\
    - {name: A, arrival: 1, program: [{cpu: 1}, {io: 3}, {cpu: 1}]}\n\
    - {name: B, program: [{cpu: 2}, {io: 4}, {cpu: 1}]}\n\
    - {name: D, arrival: 6, burst: 1}\n\
    - {name: C, arrival: 6, burst: 1}\n";

#[test]
fn step_4_arrivals_come_in_scenario_order_before_io_completions() {
    let events = events_at(IO_AND_ARRIVALS, 6);
    assert!(
        at(&events, "admit D") < at(&events, "admit C"),
        "{events:?}"
    );
    assert!(at(&events, "admit C") < at(&events, "wake B"), "{events:?}");
}

#[test]
fn step_5_io_completions_come_in_the_order_the_ios_were_issued() {
    let events = events_at(IO_AND_ARRIVALS, 6);
    // B (pid 3) issued its IO first, so it wakes before A (pid 2).
    assert!(at(&events, "wake B") < at(&events, "wake A"), "{events:?}");
}

#[test]
fn step_6_dispatch_comes_last_and_takes_the_first_ready_process() {
    let events = events_at(IO_AND_ARRIVALS, 6);
    assert_eq!(
        events.last().map(String::as_str),
        Some("dispatch D"),
        "{events:?}"
    );
    let two_cpus = events_at(
        "name: s\ncpus: 2\npolicy: fcfs\nprocesses: [{name: X, burst: 2}, {name: Y, burst: 2}]\n",
        0,
    );
    assert_eq!(
        two_cpus,
        ["admit X", "admit Y", "dispatch X", "dispatch Y"],
        "the lowest-numbered idle CPU takes the policy's choice first"
    );
}

#[test]
fn an_expired_quantum_re_enters_after_the_arrivals_unless_the_rules_say_before() {
    let after = events_at(
        "name: s\npolicy: {kind: rr, quantum: 2}\n\
         processes: [{name: A, burst: 4}, {name: B, arrival: 2, burst: 1}]\n",
        2,
    );
    assert!(after.contains(&"dispatch B".to_string()), "{after:?}");
    let before = events_at(
        "name: s\npolicy: {kind: rr, quantum: 2}\nrules: {preempted_before_arrivals: true}\n\
         processes: [{name: A, burst: 4}, {name: B, arrival: 2, burst: 1}]\n",
        2,
    );
    assert!(before.contains(&"renew A".to_string()), "{before:?}");
}

#[test]
fn a_process_preempted_the_instant_its_context_switch_ends_has_not_run_yet() {
    // B runs 0-1; A preempts it at 1 (switch 1-3); C arrives at 3, as A would start, and takes
    // the CPU (switch 3-5, C runs 5-7); A first runs after C.
    let report = crate::support::report_of(crate::support::scenario(
        "name: f\npolicy: {kind: priority, preemptive: true}\nrules: {context_switch: 2}\nprocesses:\n\
         - {name: B, priority: 5, burst: 3}\n- {name: A, priority: 3, arrival: 1, burst: 2}\n\
         - {name: C, priority: 1, arrival: 3, burst: 2}\n",
    ));
    let first_run = |name: &str| {
        report
            .processes
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .first_run
    };
    assert_eq!(first_run("C"), Some(5));
    assert!(
        first_run("A").unwrap() > 5,
        "A first ran at {:?}",
        first_run("A")
    );
}

#[test]
fn tie_break_arrival_gives_equal_bursts_to_the_earlier_arrival() {
    // At 3, B (arrived 2, queued at 2) and A (arrived 0, back from IO at 3) both need 3 ticks.
    let text = "name: t\npolicy: POLICY\nrules: {tie_break: TB}\nprocesses:\n\
        - {name: A, arrival: 0, program: [{cpu: 1}, {io: 2}, {cpu: 3}]}\n\
        - {name: C, arrival: 0, burst: 2}\n- {name: B, arrival: 2, burst: 3}\n";
    for policy in ["sjf", "srtf"] {
        let order = |tie_break: &str| {
            let report = crate::support::report_of(crate::support::scenario(
                &text.replace("POLICY", policy).replace("TB", tie_break),
            ));
            let completion = |name: &str| {
                report
                    .processes
                    .iter()
                    .find(|p| p.name == name)
                    .unwrap()
                    .completion
                    .unwrap()
            };
            (completion("A"), completion("B"))
        };
        assert_eq!(
            order("queue"),
            (9, 6),
            "{policy}: B entered the ready queue first"
        );
        assert_eq!(order("arrival"), (6, 9), "{policy}: A arrived first");
    }
}

// Steps that take no time run on a CPU (`rules.zero_time: on_cpu`, docs/policies.md): one
// test per rule.

#[test]
fn zero_time_an_arrival_runs_no_step_until_it_is_dispatched() {
    // B arrives at 0 but runs its `print` only when dispatched, after A's burst, at 2.
    let yaml = "name: s\npolicy: fcfs\nprocesses: [{name: A, burst: 2}, {name: B, program: [{print: hi}, {cpu: 1}]}]\n";
    assert!(!events_at(yaml, 0).contains(&"print B".to_string()));
    let events = events_at(yaml, 2);
    assert!(
        at(&events, "dispatch B") < at(&events, "print B"),
        "{events:?}"
    );
}

#[test]
fn zero_time_a_woken_thread_runs_its_next_steps_when_dispatched() {
    // A's IO ends at 3 while B holds the CPU (FCFS): A prints when it runs again, at 5.
    let yaml = "name: s\npolicy: fcfs\nprocesses: [{name: A, program: [{cpu: 1}, {io: 2}, {print: back}, {cpu: 1}]}, {name: B, arrival: 1, burst: 4}]\n";
    assert!(events_at(yaml, 3).contains(&"wake A".to_string()));
    assert!(!events_at(yaml, 3).contains(&"print A".to_string()));
    let events = events_at(yaml, 5);
    assert!(
        at(&events, "dispatch A") < at(&events, "print A"),
        "{events:?}"
    );
}

#[test]
fn zero_time_a_burst_that_ends_with_its_quantum_runs_the_next_steps_first() {
    // A's burst and quantum end together at 1: it takes L at 1, on its CPU, then is preempted.
    let events = events_at(
        "name: s\npolicy: {kind: rr, quantum: 1}\nresources: [{name: L}]\n\
         processes: [{name: A, program: [{cpu: 1}, {acquire: L}, {cpu: 1}]}, {name: B, burst: 1}]\n",
        1,
    );
    assert!(
        at(&events, "acquire A") < at(&events, "preempt A"),
        "{events:?}"
    );
}

#[test]
fn zero_time_a_cpu_left_at_once_is_served_again_at_the_same_instant() {
    // A is dispatched, blocks on L (held by H) at once; B takes CPU0 at that same instant.
    let events = events_at(
        "name: s\npolicy: fcfs\nresources: [{name: L}]\n\
         processes: [{name: H, program: [{acquire: L}, {sleep: 5}]}, {name: A, program: [{acquire: L}, {cpu: 1}]}, {name: B, burst: 1}]\n",
        0,
    );
    assert!(
        at(&events, "block A") < at(&events, "dispatch B"),
        "{events:?}"
    );
}

#[test]
fn zero_time_a_release_hands_the_lock_over_at_once_and_the_waiter_goes_on_when_dispatched() {
    // H releases L at 2: A gets it then (acquire, wake), and prints when dispatched at 2.
    let events = events_at(
        "name: s\ncpus: 2\npolicy: fcfs\nresources: [{name: L}]\n\
         processes: [{name: H, program: [{acquire: L}, {cpu: 2}, {release: L}, {cpu: 3}]}, {name: A, program: [{acquire: L}, {print: got}, {cpu: 1}]}]\n",
        2,
    );
    let (release, acquire, wake) = (
        at(&events, "release H"),
        at(&events, "acquire A"),
        at(&events, "wake A"),
    );
    assert!(release < acquire && acquire < wake, "{events:?}");
    assert!(
        at(&events, "dispatch A") < at(&events, "print A"),
        "{events:?}"
    );
}

#[test]
fn zero_time_a_forked_child_is_ready_after_what_was_ready_and_runs_when_dispatched() {
    // P forks C at 0 while Q waits in the ready queue: Q runs before C (FCFS).
    let simulator = run(scenario(
        "name: s\npolicy: fcfs\nprocesses: [{name: P, program: [{fork: {name: C, program: [{cpu: 1}]}}, {cpu: 1}]}, {name: Q, burst: 1}]\n",
    ));
    let first_run = |name: &str| {
        RunReport::of(&simulator)
            .processes
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.first_run)
    };
    assert_eq!((first_run("Q"), first_run("C")), (Some(1), Some(2)));
}

#[test]
fn zero_time_sjf_sees_the_burst_a_thread_reaches_next() {
    // A waits at a `print` before 5 ticks of CPU; B's burst is 3: SJF runs B first.
    let simulator = run(scenario(
        "name: s\npolicy: sjf\nprocesses: [{name: X, burst: 1}, {name: A, program: [{print: a}, {cpu: 5}]}, {name: B, burst: 3}]\n",
    ));
    let report = RunReport::of(&simulator);
    let completion = |name: &str| {
        report
            .processes
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .completion
    };
    assert_eq!((completion("B"), completion("A")), (Some(4), Some(9)));
}

/// The two processes taking two locks in opposite order on one CPU: no deadlock under
/// FCFS (P runs to its end before Q executes anything); under `zero_time: immediate` both take
/// their first lock at 0, off the CPU, and deadlock at 2.
#[test]
fn zero_time_decides_whether_two_locks_in_opposite_orders_deadlock_under_fcfs() {
    let locks = |rule: &str| {
        let simulator = run(scenario(&format!(
            "name: s\npolicy: fcfs\nrules: {{zero_time: {rule}}}\nresources: [{{name: L1}}, {{name: L2}}]\nprocesses:\n\
             - {{name: P, program: [{{acquire: L1}}, {{cpu: 1}}, {{acquire: L2}}, {{release: L2}}, {{release: L1}}]}}\n\
             - {{name: Q, program: [{{acquire: L2}}, {{cpu: 1}}, {{acquire: L1}}, {{release: L1}}, {{release: L2}}]}}\n"
        )));
        RunReport::of(&simulator)
            .deadlocks
            .iter()
            .map(|d| d.time)
            .collect::<Vec<u64>>()
    };
    assert_eq!(locks("on_cpu"), Vec::<u64>::new());
    assert_eq!(locks("immediate"), [2]);
}

#[test]
fn an_io_of_zero_ticks_completes_at_the_instant_it_is_issued_after_the_arrivals() {
    // P issues it as its burst ends at 1; Q arrives at 1: P's IO completes with that instant's
    // completions (after the arrivals), so Q is ahead of P in the ready queue.
    let yaml = "name: z\npolicy: fcfs\n\
        processes: [{name: P, program: [{cpu: 1}, {io: 0}, {cpu: 1}]}, {name: Q, arrival: 1, burst: 1}]\n";
    let events = events_at(yaml, 1);
    assert!(
        at(&events, "block P") < at(&events, "admit Q"),
        "{events:?}"
    );
    assert!(at(&events, "admit Q") < at(&events, "wake P"), "{events:?}");
    assert!(
        at(&events, "wake P") < at(&events, "dispatch Q"),
        "{events:?}"
    );
    let report = run(scenario(yaml));
    let report = RunReport::of(&report);
    assert_eq!(report.processes[0].completion, Some(3));
    // Issued as a CPU takes P (its first step), it completes in the same instant, and P is
    // dispatched again at once.
    let report = RunReport::of(&run(scenario(
        "name: z\npolicy: fcfs\nprocesses: [{name: P, program: [{io: 0}, {print: p}]}]\n",
    )));
    assert_eq!(
        (report.output[0].time, report.processes[0].completion),
        (0, Some(0))
    );
}

#[test]
fn switch_on_redispatch_counts_a_switch_at_every_quantum_as_silberschatz_fig_5_5() {
    let path = crate::support::scenarios_dir().join("textbook/silberschatz-quantum-switches.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    for (quantum, switches, completion) in [(12, 0, 10), (6, 1, 11), (1, 9, 19)] {
        let yaml = text.replace("quantum: 1}", &format!("quantum: {quantum}}}"));
        let report = RunReport::of(&run(scenario(&yaml)));
        assert_eq!(report.context_switches, switches, "quantum {quantum}");
        assert_eq!(report.processes[0].completion, Some(completion));
    }
    // Without the rule the process keeps its CPU at each quantum's end: no switch at all.
    let yaml = text.replace("switch_on_redispatch: true, ", "");
    let report = RunReport::of(&run(scenario(&yaml)));
    assert_eq!(
        (report.context_switches, report.processes[0].completion),
        (0, Some(10))
    );
}

#[test]
fn switch_on_redispatch_charges_a_process_back_from_io_and_first_dispatch_cost_the_first() {
    let yaml = |rules: &str| {
        format!(
            "name: r\npolicy: fcfs\nrules: {{context_switch: 2{rules}}}\n\
             processes: [{{name: P, program: [{{cpu: 1}}, {{io: 3}}, {{cpu: 1}}]}}]\n"
        )
    };
    let completion = |rules: &str| {
        let report = RunReport::of(&run(scenario(&yaml(rules))));
        (report.processes[0].completion, report.context_switches)
    };
    // P runs 0-1, waits for IO 1-4 with the CPU idle, comes back at 4.
    assert_eq!(completion(""), (Some(5), 0));
    assert_eq!(completion(", switch_on_redispatch: true"), (Some(7), 1));
    assert_eq!(completion(", first_dispatch_cost: true"), (Some(7), 1));
    assert_eq!(
        completion(", switch_on_redispatch: true, first_dispatch_cost: true"),
        (Some(9), 2)
    );
    let events = events_at(&yaml(", first_dispatch_cost: true"), 0);
    assert_eq!(events[1], "switch P", "{events:?}");
}

#[test]
fn aging_in_time_lets_an_aged_process_preempt_at_the_instant_it_overtakes() {
    // L (3) gains a level every 2 ticks it waits: 2 at 2, 1 at 4, 0 at 6, when it is strictly
    // above H (1, dispatched at 0) and takes its CPU.
    let yaml = "name: a\npolicy: {kind: priority, preemptive: true, aging: {every: 2, by: 1}}\n\
        processes: [{name: H, priority: 1, burst: 10}, {name: L, priority: 3, burst: 1}]\n";
    let events = events_at(yaml, 6);
    assert!(
        at(&events, "preempt H") < at(&events, "dispatch L"),
        "{events:?}"
    );
    let report = RunReport::of(&run(scenario(yaml)));
    assert_eq!(report.processes[0].completion, Some(11));
    assert_eq!(report.processes[1].first_run, Some(6));
    // Aged per pick instead, L never overtakes a process that is not picked again.
    let per_pick = yaml.replace("{every: 2, by: 1}", "1");
    let report = RunReport::of(&run(scenario(&per_pick)));
    assert_eq!(report.processes[1].first_run, Some(10));
}
