//! The same-instant rules of threads, the GIL, data, pools, coroutines and the Python runtime
//! (docs/threads.md, "Same-instant rules"), one test per rule: each fails if its rule moves.
//! `tests/it/same_tick.rs` does the same for the engine's order within one tick.

use crate::support::{at, events_at, report_of, run, scenario};
use sim_core::ps::ps_rows;

/// Asserts that `order` appear in `events` in that order.
fn in_order(events: &[String], order: &[&str]) {
    let places: Vec<usize> = order.iter().map(|event| at(events, event)).collect();
    assert!(
        places.windows(2).all(|pair| pair[0] < pair[1]),
        "expected {order:?} in that order in {events:?}"
    );
}

#[test]
fn a_spawned_thread_enters_the_ready_queue_at_its_spawn_and_runs_its_steps_once_dispatched() {
    // P spawns T at 2 and goes on with its chain; Q arrives at 2, behind T.
    let yaml = "name: s\npolicy: fcfs\nprocesses:\n\
        - {name: P, program: [{cpu: 2}, {spawn: {name: T, program: [{print: t}, {cpu: 1}]}}, {print: p}, {cpu: 1}]}\n\
        - {name: Q, arrival: 2, program: [{print: q}, {cpu: 1}]}\n";
    in_order(
        &events_at(yaml, 2),
        &["spawn P", "admit P/T", "print P", "admit Q"],
    );
    // T's first step, a print, runs when T is dispatched (at 3, before Q: it entered first).
    in_order(&events_at(yaml, 3), &["dispatch P/T", "print P/T"]);
    assert!(!events_at(yaml, 3).contains(&"print Q".to_string()));
}

/// For each waker → woken pair: what is handed over (an item, a lock, a message) is handed at
/// the waker's step; the waker keeps its CPU and finishes its chain; the woken thread is made
/// ready then and runs its following steps once dispatched (here at once, on the idle CPU).
#[test]
fn the_waker_finishes_its_chain_before_the_woken_runs() {
    let cases = [
        (
            "queues: [{name: q}]",
            "[{get: q}, {print: y}]",
            "[{put: q}, {print: x}, {cpu: 1}]",
            ["put X", "get Y", "wake Y"],
        ),
        (
            "events: [{name: e}]",
            "[{wait_event: e}, {print: y}]",
            "[{set: e}, {print: x}, {cpu: 1}]",
            ["set X", "wake Y", "wake Y"],
        ),
        (
            "sockets: [{name: s}]",
            "[{recv: s}, {print: y}]",
            "[{send: s}, {print: x}, {cpu: 1}]",
            ["put X", "get Y", "wake Y"],
        ),
        (
            "queues: [{name: q, joinable: true, items: 1}]",
            "[{join_queue: q}, {print: y}]",
            "[{get: q}, {task_done: q}, {print: x}, {cpu: 1}]",
            ["get X", "task-done X", "wake Y"],
        ),
    ];
    for (declarations, woken, waker, handed) in cases {
        let yaml = format!(
            "name: w\ncpus: 2\npolicy: fcfs\n{declarations}\nprocesses:\n\
             - {{name: Y, program: {woken}}}\n\
             - {{name: X, arrival: 1, program: {waker}}}\n"
        );
        let events = events_at(&yaml, 1);
        let mut order: Vec<&str> = handed.to_vec();
        order.dedup();
        order.extend(["print X", "dispatch Y", "print Y"]);
        in_order(&events, &order);
    }
    // release → acquire: the lock is the waiter's at the release.
    let yaml = "name: w\ncpus: 2\npolicy: fcfs\nresources: [{name: L}]\nprocesses:\n\
        - {name: X, program: [{acquire: L}, {cpu: 1}, {release: L}, {print: x}, {cpu: 1}]}\n\
        - {name: Y, program: [{acquire: L}, {print: y}]}\n";
    in_order(
        &events_at(yaml, 1),
        &[
            "release X",
            "acquire Y",
            "wake Y",
            "print X",
            "dispatch Y",
            "print Y",
        ],
    );
}

#[test]
fn a_gil_holder_meeting_a_new_waiter_finishes_its_zero_time_chain_first() {
    // P has run 3 ticks (interval 2) when its put wakes W, which then needs the GIL: P prints
    // a and b before it drops the GIL, at its next step that takes time.
    let yaml = "name: g\npolicy: fcfs\nqueues: [{name: q}]\nprocesses:\n\
        - {name: P, gil: {switch_interval: 2}, program: [{spawn: {name: W, program: [{get: q}, {print: w}]}}, \
           {sleep: 1}, {cpu: 3}, {put: q}, {print: a}, {print: b}, {cpu: 1}]}\n";
    in_order(
        &events_at(yaml, 4),
        &[
            "put P",
            "wake P/W",
            "print P",
            "gil-wait P/W",
            "gil-drop P",
            "gil-take P/W",
            "print P/W",
        ],
    );
}

/// Under `zero_time: on_cpu` a thread that wakes, or takes the GIL, with only zero-time steps
/// left is dispatched (a dispatch, and a switch with its cost when another ran last) before it
/// runs them and ends; under `zero_time: immediate` it runs them at that instant, with no
/// dispatch.
#[test]
fn a_woken_thread_with_only_zero_time_steps_left_is_dispatched_under_on_cpu() {
    let yaml = |zero_time: &str| {
        format!(
            "name: z\npolicy: fcfs\ncpus: 2\nrules: {{zero_time: {zero_time}}}\nprocesses:\n\
             - {{name: P, program: [{{spawn: {{name: W, program: [{{sleep: 2}}, {{print: w}}]}}}}, {{join: W}}]}}\n"
        )
    };
    // On a CPU: W is dispatched at 0, sleeps until 2, and is dispatched again to print.
    in_order(
        &events_at(&yaml("on_cpu"), 2),
        &["wake P/W", "dispatch P/W", "print P/W", "end P/W"],
    );
    // Immediate: W sleeps from its spawn, prints at its wake and ends, never dispatched.
    let events = events_at(&yaml("immediate"), 2);
    in_order(&events, &["wake P/W", "print P/W", "end P/W"]);
    assert!(!events.iter().any(|e| e == "dispatch P/W"), "{events:?}");
    let immediate = run(scenario(&yaml("immediate")));
    assert!(!immediate.log().iter().any(|e| {
        e.event.verb() == "dispatch"
            && e.event
                .pid()
                .is_some_and(|pid| immediate.roster().name(pid) == "P/W")
    }));
    // A GIL taken with only zero-time steps left: the taker is dispatched under on_cpu.
    let gil = "name: g\npolicy: fcfs\ncpus: 2\nprocesses:\n\
        - {name: P, gil: true, program: [{spawn: {name: W, program: [{print: w}]}}, {cpu: 2}, {join: W}]}\n";
    in_order(
        &events_at(gil, 2),
        &["gil-take P/W", "dispatch P/W", "print P/W", "end P/W"],
    );
}

#[test]
fn pool_workers_are_forked_one_after_another_each_after_its_own_fork_cost() {
    let yaml = "name: p\npolicy: fcfs\ncpus: 4\nrules: {fork_cost: 2}\npools: [{name: pool, workers: 3}]\nprocesses:\n\
        - {name: P, program: [{map: {pool: pool, count: 3, task: [{cpu: 1}]}}]}\n";
    let simulator = run(scenario(yaml));
    let forks: Vec<u64> = simulator
        .log()
        .iter()
        .filter(|e| e.event.verb() == "fork")
        .map(|e| e.time.0)
        .collect();
    assert_eq!(forks, [2, 4, 6]);
}

/// CPython's `Pool._handle_results`: one result handler thread per pool runs the callbacks,
/// one after another in the order their tasks finished, and `join_pool` waits for it.
#[test]
fn callbacks_run_one_after_another_in_the_pools_result_handler_and_join_pool_waits() {
    let report = report_of(scenario(
        "name: c\npolicy: fcfs\ncpus: 3\npools: [{name: pool, workers: 2}]\nprocesses:\n\
         - {name: P, program: [{apply_async: {pool: pool, task: [{cpu: 1}], callback: [{cpu: 2}, {print: one}]}}, \
            {apply_async: {pool: pool, task: [{cpu: 1}], callback: [{cpu: 2}, {print: two}]}}, {close: pool}, \
            {join_pool: pool}, {print: joined}]}\n",
    ));
    let printed: Vec<(u64, &str, &str)> = report
        .output
        .iter()
        .map(|line| (line.time, line.name.as_str(), line.text.as_str()))
        .collect();
    // Both tasks end at 1; the callbacks take 2 ticks each, in one thread: 1-3, 3-5.
    assert_eq!(
        printed,
        [
            (3, "P/_handle_results", "one"),
            (5, "P/_handle_results", "two"),
            (5, "P", "joined")
        ]
    );
}

#[test]
fn a_failed_step_of_a_thread_gives_its_process_pid_and_its_tid() {
    let report = report_of(scenario(
        "name: e\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{spawn: {name: T, program: [{join: nobody}]}}, {join: T}]}\n",
    ));
    let error = &report.errors[0];
    assert_eq!((error.pid, error.tid), (2, 3), "{error:?}");
}

#[test]
fn held_by_dead_names_the_holding_thread_with_its_process() {
    let report = report_of(scenario(
        "name: h\npolicy: fcfs\ncpus: 2\nruntime: python\nresources: [{name: L}]\nprocesses:\n\
         - {name: parent, program: [{fork: {name: C, program: [{spawn: {name: T, program: [{acquire: L}, {cpu: 50}]}}, {join: T}]}}, \
            {cpu: 3}, {kill: C}, {wait: C}, {acquire: L}]}\n",
    ));
    let held = &report.held_by_dead[0];
    assert_eq!(held.holder, "C/T");
    assert_eq!((held.pid, held.tid), (3, 4), "{held:?}");
    assert_eq!(held.waiting, ["parent"]);
}

#[test]
fn abort_one_aborts_the_whole_process_of_the_victim_thread() {
    // T (a thread of A) and B deadlock; the victim is the youngest, T: all of A is aborted.
    let report = report_of(scenario(
        "name: a\npolicy: fcfs\ncpus: 3\nresources: [{name: L1}, {name: L2}]\ndeadlock: {recover: abort_one}\nprocesses:\n\
         - {name: A, program: [{spawn: {name: T, program: [{acquire: L1}, {cpu: 2}, {acquire: L2}]}}, {cpu: 10}]}\n\
         - {name: B, program: [{acquire: L2}, {cpu: 2}, {acquire: L1}, {print: B goes on}]}\n",
    ));
    let a = report.processes.iter().find(|p| p.name == "A").unwrap();
    assert_eq!((a.exit_code, a.completion), (Some(-9), Some(2)));
    assert!(report.threads.iter().all(|t| t.completion == Some(2)));
    assert_eq!(report.output[0].text, "B goes on");
}

#[test]
fn the_bankers_claim_covers_all_the_threads_of_a_process() {
    // P claims one of S (two instances); its main thread holds one, so its thread's request
    // would take P past its claim and is never granted.
    let report = report_of(scenario(
        "name: b\npolicy: fcfs\nresources: [{name: S, instances: 2}]\ndeadlock: {avoid: banker}\nprocesses:\n\
         - {name: P, max: {S: 1}, program: [{acquire: S}, {spawn: {name: T, program: [{acquire: S}, {print: never}]}}, {join: T}]}\n",
    ));
    assert!(report.output.is_empty(), "{:?}", report.output);
    assert_eq!(report.stuck, ["P", "P/T"]);
}

#[test]
fn threads_count_against_max_processes() {
    let report = report_of(scenario(
        "name: m\npolicy: fcfs\nmax_processes: 2\nprocesses:\n\
         - {name: P, program: [{spawn: {name: T1, program: [{cpu: 1}]}}, {spawn: {name: T2, program: [{cpu: 1}]}}, \
            {join: T1}, {spawn: {name: T3, program: [{cpu: 1}]}}, {join: T3}]}\n",
    ));
    // T2 fails (P and T1 exist); T3, after T1 has ended, does not.
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(
        report.errors[0]
            .message
            .contains("spawn of thread T2 fails (EAGAIN)")
    );
    let names: Vec<&str> = report.threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["MainThread", "T1", "T3"]);
}

#[test]
fn max_threads_bounds_the_spawned_threads_alive_not_the_processes() {
    // Two processes, each spawning two threads, under max_threads: 2 — the main threads do not
    // count; P runs first and its two threads fill the limit; Q, ahead of them in the ready
    // queue, runs when P blocks in its join: its first spawn fails while they live, and its
    // second, after they have ended, succeeds.
    let report = report_of(scenario(
        "name: m\npolicy: fcfs\nmax_threads: 2\nprocesses:\n\
         - {name: P, program: [{spawn: {name: T1, program: [{cpu: 2}]}}, {spawn: {name: T2, program: [{cpu: 2}]}}, \
            {join: T1}, {join: T2}]}\n\
         - {name: Q, program: [{spawn: {name: U1, program: [{cpu: 1}]}}, {sleep: 10}, \
            {spawn: {name: U2, program: [{cpu: 1}]}}, {join: U2}]}\n",
    ));
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(
        report.errors[0].message.contains(
            "spawn of thread U1 fails (EAGAIN): 2 spawned threads are alive, the max_threads limit"
        ),
        "{}",
        report.errors[0].message
    );
    let names: Vec<&str> = report.threads.iter().map(|t| t.name.as_str()).collect();
    assert!(names.contains(&"U2") && !names.contains(&"U1"), "{names:?}");
    let refused = sim_core::Scenario::from_yaml(
        "name: m\npolicy: fcfs\nmax_threads: 0\nprocesses: [{name: P, burst: 1}]\n",
    )
    .unwrap_err()
    .unlocated()
    .one_line("m.yaml");
    assert_eq!(
        refused,
        "m.yaml: max_threads: expected 1 to 4194304 threads, got 0"
    );
}

#[test]
fn ps_stat_of_a_multi_threaded_process_is_its_main_threads_with_l() {
    let yaml = "name: s\npolicy: fcfs\nprocesses:\n\
        - {name: P, program: [{spawn: {name: T, program: [{cpu: 5}]}}, {join: T}]}\n";
    let mut simulator = sim_core::Simulator::new(scenario(yaml));
    simulator.advance_to(sim_core::ids::Tick(2), 1000).unwrap();
    let rows = ps_rows(&simulator.snapshot(), false);
    let p = rows.iter().find(|row| row.name == "P").unwrap();
    // The main thread is blocked in its join while T runs: Linux reports the leader's state.
    assert_eq!(p.stat, "Sl");
}

#[test]
fn killing_a_process_in_device_io_frees_the_device_at_once() {
    let yaml = "name: k\npolicy: fcfs\ncpus: 2\ndevices: [{name: disk}]\nprocesses:\n\
        - {name: parent, program: [{fork: {name: A, program: [{io: {device: disk, time: 10}}]}}, \
           {fork: {name: B, program: [{io: {device: disk, time: 3}}]}}, {cpu: 2}, {kill: A}, {wait: A}, {wait: B}]}\n";
    in_order(&events_at(yaml, 2), &["kill A", "io-start B", "exit A"]);
}

#[test]
fn a_python_exit_reaps_every_exited_child_and_terminates_its_daemons_before_joining() {
    // D (daemonic) has exited by 3 and is a zombie; E (daemonic) still runs; C runs on.
    let report = report_of(scenario(
        "name: x\npolicy: fcfs\ncpus: 4\nruntime: python\nprocesses:\n\
         - {name: P, program: [{fork: {name: D, daemon: true, program: [{cpu: 1}]}}, \
            {fork: {name: E, daemon: true, program: [{cpu: 20}]}}, {fork: {name: C, program: [{cpu: 6}]}}, {cpu: 3}]}\n",
    ));
    let row = |name: &str| report.processes.iter().find(|p| p.name == name).unwrap();
    assert_eq!((row("D").reaped_at, row("D").reaped_by), (Some(3), Some(2)));
    assert_eq!(
        (row("E").exit_code, row("E").reaped_at),
        (Some(-15), Some(3))
    );
    assert_eq!(
        (row("C").reaped_at, row("P").completion),
        (Some(6), Some(6))
    );
}
