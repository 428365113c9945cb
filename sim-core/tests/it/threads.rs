//! Threads and the GIL: property tests of the engine's invariants with threads (one thread per
//! CPU, each thread in one state and one place, CPU time conserved, determinism, at most one
//! thread of a GIL process ready or running), and the lessons of docs/threads.md as examples.

use crate::support::{report_of, scenario};
use proptest::prelude::*;
use sim_core::event::Event;
use sim_core::metrics;
use sim_core::pcb::{BlockReason, ProcState};
use sim_core::{RunReport, Simulator};

/// A thread's or a main thread's work: CPU bursts, IO, sleeps and a lock held around a burst.
fn work() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![
            4 => (1u64..8).prop_map(|t| format!("{{cpu: {t}}}")),
            1 => (1u64..4).prop_map(|t| format!("{{read: x}}, {{bytecode: {t}}}, {{add: 1}}, {{write: x}}")),
            1 => (0u64..6).prop_map(|t| format!("{{io: {t}}}")),
            1 => (1u64..6).prop_map(|t| format!("{{sleep: {t}}}")),
            1 => (1u64..5).prop_map(|t| format!("{{acquire: L}}, {{cpu: {t}}}, {{release: L}}")),
        ],
        1..4,
    )
}

/// A spawned thread: whether the main thread joins it, whether it is a daemon, its work.
type ThreadDraw = (bool, bool, Vec<String>);

/// One process: an optional GIL, threads it spawns (some daemons), its own work, then joins
/// of some of its threads.
fn process() -> impl Strategy<Value = (Option<(u64, bool)>, Vec<ThreadDraw>, Vec<String>)> {
    (
        proptest::option::of((1u64..7, any::<bool>())),
        proptest::collection::vec((any::<bool>(), prop::bool::weighted(0.2), work()), 0..4),
        work(),
    )
}

prop_compose! {
    fn threads_yaml()(
        cpus in 1usize..4,
        policy in crate::support::any_policy().prop_map(|policy| crate::support::policy_yaml(&policy)),
        thread_switch in 0u64..3,
        context_switch in 0u64..3,
        spawn_cost in 0u64..3,
        redispatch in any::<bool>(),
        first_dispatch in any::<bool>(),
        shuffled in any::<bool>(),
        processes in proptest::collection::vec((0u64..6, process()), 1..4),
    ) -> String {
        let same = if shuffled { "shuffled" } else { "fixed" };
        let mut yaml = format!(
            "name: random threads\ncpus: {cpus}\npolicy: {policy}\n\
             rules: {{thread_switch: {thread_switch}, context_switch: {context_switch}, spawn_cost: {spawn_cost}, \
             switch_on_redispatch: {redispatch}, first_dispatch_cost: {first_dispatch}, \
             same_instant: {same}}}\n\
             globals: {{x: 0}}\nresources: [{{name: L}}]\nprocesses:\n"
        );
        for (index, (arrival, (gil, threads, own))) in processes.into_iter().enumerate() {
            let mut steps = Vec::new();
            for (t, (_, daemon, work)) in threads.iter().enumerate() {
                steps.push(format!(
                    "{{spawn: {{name: T{t}, daemon: {daemon}, program: [{}]}}}}",
                    work.join(", ")
                ));
            }
            steps.extend(own);
            for (t, (join, ..)) in threads.iter().enumerate() {
                if *join {
                    steps.push(format!("{{join: T{t}}}"));
                }
            }
            let gil = gil.map_or("false".to_string(), |(n, calls)| {
                let points = if calls { "calls" } else { "any" };
                format!("{{switch_interval: {n}, switch_points: {points}}}")
            });
            yaml.push_str(&format!(
                "  - {{name: P{index}, arrival: {arrival}, gil: {gil}, program: [{}]}}\n",
                steps.join(", ")
            ));
        }
        yaml
    }
}

/// Every thread is in exactly one place (a CPU, a ready queue, a device, a lock's line, a GIL
/// queue) or none (new, joining, waiting for a child, ended); at most one thread of a GIL
/// process is ready or running, and it holds the GIL; no CPU idles while a thread is ready.
fn check_threads(simulator: &Simulator) -> Result<(), TestCaseError> {
    let snapshot = simulator.snapshot();
    let mut places = vec![0usize; snapshot.processes.len()];
    for cpu in &snapshot.cpus {
        prop_assert!(cpu.running.is_none() || cpu.switching_to.is_none());
        for pid in cpu.running.iter().chain(cpu.switching_to.iter()) {
            places[pid.index()] += 1;
        }
    }
    let queued = snapshot
        .ready_queues
        .iter()
        .flatten()
        .chain(
            snapshot
                .devices
                .iter()
                .flat_map(|d| d.in_service.iter().chain(&d.waiting)),
        )
        .chain(snapshot.gils.iter().flat_map(|g| &g.waiting))
        .chain(
            snapshot
                .sync
                .resources
                .iter()
                .flat_map(|r| r.waiters.iter().map(|(p, _)| p)),
        );
    for pid in queued {
        places[pid.index()] += 1;
    }
    for task in &snapshot.processes {
        let expected = match task.state {
            ProcState::New | ProcState::Zombie | ProcState::Terminated => 0,
            ProcState::Blocked {
                reason:
                    BlockReason::Wait { .. } | BlockReason::Join { .. } | BlockReason::Sleep { .. },
            } => 0,
            _ => 1,
        };
        prop_assert_eq!(
            places[task.pid.index()],
            expected,
            "{} in state {:?} is in {} places at t={}",
            &task.name,
            task.state,
            places[task.pid.index()],
            snapshot.time.0
        );
    }
    for gil in &snapshot.gils {
        let active: Vec<_> = snapshot
            .processes
            .iter()
            .filter(|t| t.process() == gil.pid)
            .filter(|t| matches!(t.state, ProcState::Ready | ProcState::Running { .. }))
            .map(|t| t.pid)
            .collect();
        prop_assert!(
            active.len() <= 1,
            "t={}: {:?} all ready or running in one GIL process",
            snapshot.time.0,
            active
        );
        if let Some(&thread) = active.first() {
            prop_assert_eq!(Some(thread), gil.holder);
        }
        prop_assert!(
            gil.holder.is_some() || gil.waiting.is_empty(),
            "a free GIL with waiters"
        );
    }
    crate::invariants::no_cpu_idles_while_one_is_ready(simulator.scenario(), &snapshot)
}

/// The CPU ticks the programs ask for (spawns and their costs included).
fn cpu_asked(scenario: &sim_core::Scenario) -> u64 {
    let mut total = 0;
    for process in &scenario.processes {
        sim_core::scenario::visit_steps(&process.program, &mut |step| match step {
            sim_core::scenario::Step::Cpu { ticks }
            | sim_core::scenario::Step::Bytecode { ticks } => total += ticks,
            sim_core::scenario::Step::Spawn(_) => total += scenario.rules.spawn_cost_ticks,
            _ => {}
        });
    }
    total
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Half the runs under a schedule that switches running threads out at random switch
    /// points (explore's forced switches, the GIL's among them) and draws every same-instant
    /// order.
    #[test]
    fn thread_invariants_hold(yaml in threads_yaml(), switches in proptest::option::of(any::<u64>())) {
        let mut scenario = scenario(&yaml);
        scenario.schedule = switches.map(|seed| sim_core::scenario::Schedule {
            preemptions: 3,
            draw_seed: Some(seed),
            explained: false,
            ..sim_core::scenario::Schedule::new(Vec::new())
        });
        let mut simulator = Simulator::new(scenario.clone());
        // Each process's own ticks, counted from the snapshots: (on a CPU, waiting, blocked).
        let mut own: std::collections::BTreeMap<u32, (u64, u64, u64)> = Default::default();
        let mut held: Vec<(u32, usize)> = Vec::new();
        let mut since = sim_core::ids::Tick(0);
        while simulator.step().is_some() {
            check_threads(&simulator)?;
            prop_assert!(simulator.log().len() < 200_000, "runaway run");
            let snapshot = simulator.snapshot();
            for &(pid, class) in &held {
                let ticks = own.entry(pid).or_default();
                let elapsed = snapshot.time.since(since);
                match class {
                    0 => ticks.0 += elapsed,
                    1 => ticks.1 += elapsed,
                    _ => ticks.2 += elapsed,
                }
            }
            since = snapshot.time;
            held = own_classes(&snapshot);
        }
        prop_assert!(simulator.is_finished(), "the run ended with threads left:\n{}", yaml);
        let report = RunReport::of(&simulator);
        let derived = metrics::derive(&scenario, simulator.log());
        // CPU time is conserved (daemon threads may be cut short by their process's exit),
        // and a process's is its threads' sum.
        let used: u64 = report.processes.iter().map(|p| p.cpu_time).sum();
        if yaml.contains("daemon: true") {
            prop_assert!(used <= cpu_asked(&scenario));
        } else {
            prop_assert_eq!(used, cpu_asked(&scenario));
        }
        for process in &report.processes {
            let threads: Vec<_> = report.threads.iter().filter(|t| t.pid == process.pid).collect();
            if !threads.is_empty() {
                prop_assert_eq!(process.cpu_time, threads.iter().map(|t| t.cpu_time).sum::<u64>());
                prop_assert_eq!(threads[0].tid, process.pid);
                prop_assert_eq!(process.completion, threads.iter().filter_map(|t| t.completion).max());
            }
        }
        // A process's own ticks: on a CPU (one of its threads ran), waiting (one was ready or
        // waiting for the GIL, none ran) or blocked; they add up to its turnaround.
        for process in &report.processes {
            let (on_cpu, waiting, blocked) = own.get(&process.pid).copied().unwrap_or_default();
            prop_assert_eq!(process.ticks_on_cpu(), on_cpu, "{}", &process.name);
            prop_assert_eq!(process.waiting, waiting, "{}", &process.name);
            prop_assert_eq!(process.blocked(), blocked, "{}", &process.name);
            prop_assert_eq!(process.turnaround, Some(on_cpu + waiting + blocked));
            prop_assert!(process.ticks_on_cpu() <= process.cpu_time);
        }
        // Every tick of a thread's life is ready, running, blocked or waiting for the GIL.
        let snapshot = simulator.snapshot();
        for row in &derived.threads {
            prop_assert_eq!(
                row.turnaround.unwrap(),
                row.waiting + row.cpu_time + row.blocked_time + row.gil_wait,
                "{}", &row.name
            );
            let view = &snapshot.processes[row.pid.index()];
            prop_assert_eq!(view.cpu_ticks, row.cpu_time);
            prop_assert_eq!(view.gil_wait_ticks, row.gil_wait);
        }
        // One thread per CPU: no thread runs on two CPUs at once.
        let mut slices: Vec<_> = report.gantt.iter().filter_map(|s| Some((s.pid?, s.start, s.end))).collect();
        slices.sort();
        for pair in slices.windows(2) {
            prop_assert!(pair[0].0 != pair[1].0 || pair[0].2 <= pair[1].1, "{:?} overlaps", pair);
        }
        let mut again = Simulator::new(scenario);
        again.run_to_end(usize::MAX).unwrap();
        prop_assert_eq!(again.log(), simulator.log());
    }
}

/// What each living process is doing from `snapshot`'s instant on: 0 on a CPU (a thread of it
/// runs), 1 waiting (none runs, one is ready or waiting for the GIL), 2 blocked.
fn own_classes(snapshot: &sim_core::Snapshot) -> Vec<(u32, usize)> {
    let mut classes: std::collections::BTreeMap<u32, usize> = Default::default();
    for view in &snapshot.processes {
        let process = view.thread.as_ref().map_or(view.pid, |t| t.process);
        let main = &snapshot.processes[process.index()];
        if matches!(
            main.state,
            ProcState::New | ProcState::Zombie | ProcState::Terminated
        ) || main.arrival > snapshot.time
        {
            continue;
        }
        let class = match view.state {
            ProcState::Running { .. } => 0,
            ProcState::Ready | ProcState::GilWait => 1,
            _ => 2,
        };
        let entry = classes.entry(process.0).or_insert(2);
        *entry = (*entry).min(class);
    }
    classes.into_iter().collect()
}

const COUNTER: &str = "name: counter\ncpus: 2\npolicy: fcfs\nprocesses:\n\
  - {name: counter, gil: GIL, program: [{spawn: {name: T1, program: [{cpu: 100}]}}, \
     {spawn: {name: T2, program: [{cpu: 100}]}}, {join: T1}, {join: T2}]}\n";

#[test]
fn cpu_bound_threads_gain_nothing_from_a_second_cpu_under_the_gil() {
    let report = report_of(scenario(&COUNTER.replace("GIL", "true")));
    for thread in report.threads.iter().filter(|t| t.name != "MainThread") {
        let completion = thread.completion.unwrap();
        assert!(
            (195..=205).contains(&completion),
            "{} ends at {completion}",
            thread.name
        );
        assert!(
            thread.gil_wait >= 90,
            "{} waited {} for the GIL",
            thread.name,
            thread.gil_wait
        );
    }
    assert_eq!(report.processes[0].cpu_time, 200);
    let free = report_of(scenario(&COUNTER.replace("GIL", "false")));
    assert_eq!(free.processes[0].completion, Some(100));
    assert!(free.threads.iter().all(|t| t.gil_wait == 0));
}

#[test]
fn the_forced_switch_cuts_at_the_interval_before_any_further_step() {
    let report = report_of(scenario(
        "name: g\ncpus: 2\npolicy: fcfs\nprocesses:\n\
         - {name: P, gil: {switch_interval: 3}, program: [{spawn: {name: A, program: [{cpu: 3}, {cpu: 1}]}}, {spawn: {name: B, program: [{cpu: 4}]}}, {join: A}, {join: B}]}\n",
    ));
    // A runs 0-3, drops the GIL at the end of its burst; B runs 3-6, A 6-7, B 7-8 (on either
    // CPU: the slices in time order).
    assert_eq!(
        thread_slices(&report),
        [
            ("P/A".to_string(), 0, 3),
            ("P/B".to_string(), 3, 6),
            ("P/A".to_string(), 6, 7),
            ("P/B".to_string(), 7, 8)
        ]
    );
}

/// Two GIL threads doing `counter += 1` ten times, the `+` as `STEP`.
fn counter_race(switch_points: &str, step: &str) -> i64 {
    let body = format!("[{{read: n}}, {step}, {{add: 1}}, {{write: n}}]");
    let report = report_of(scenario(&format!(
        "name: r\ncpus: 2\npolicy: fcfs\nglobals: {{n: 0}}\nprocesses:\n\
         - {{name: P, gil: {{switch_interval: 5, switch_points: {switch_points}}}, program: [\
         {{spawn: {{name: A, program: [{{repeat: 10, steps: {body}}}]}}}}, \
         {{spawn: {{name: B, program: [{{repeat: 10, steps: {body}}}]}}}}, {{join: A}}, {{join: B}}]}}\n"
    )));
    report.variables["P.n"]
}

#[test]
fn under_switch_points_calls_the_gil_never_changes_hands_inside_simple_bytecodes() {
    // CPython 3.10+: the drop waits for the loop's back-edge, after the store.
    assert_eq!(counter_race("calls", "{bytecode: 1}"), 20);
    // CPython 3.9: any boundary, between the load and the store: 6 switches, 6 updates lost.
    assert_eq!(counter_race("any", "{bytecode: 1}"), 14);
    // A call between the load and the store is a switch point under both.
    assert_eq!(counter_race("calls", "{cpu: 1}"), 14);
    assert_eq!(counter_race("any", "{cpu: 1}"), 14);
}

/// The slices of `P/A` and `P/B` in time order.
fn thread_slices(report: &RunReport) -> Vec<(String, u64, u64)> {
    let mut gantt: Vec<(String, u64, u64)> = report
        .gantt
        .iter()
        .filter_map(|s| Some((s.name.clone()?, s.start.0, s.end.0)))
        .collect();
    gantt.sort_by_key(|(_, start, _)| *start);
    gantt
}

#[test]
fn a_due_switch_waits_for_the_end_of_a_bytecode_step_and_the_next_call() {
    let yaml = "name: g\ncpus: 2\npolicy: fcfs\nglobals: {x: 0}\nprocesses:\n\
         - {name: P, gil: {switch_interval: 3, switch_points: POINTS}, program: [{spawn: {name: A, program: [{bytecode: 5}, {read: x}, {add: 1}, {write: x}, {cpu: 2}]}}, {spawn: {name: B, program: [{cpu: 4}]}}, {join: A}, {join: B}]}\n";
    // calls: A's interval ends at 3, inside its 5 ticks of bytecode; it drops the GIL at 5,
    // after the store, before the `cpu` call. B runs 5-8 (its interval), A 8-10, B 10-11.
    let calls = report_of(scenario(&yaml.replace("POINTS", "calls")));
    assert_eq!(
        thread_slices(&calls),
        [
            ("P/A".to_string(), 0, 5),
            ("P/B".to_string(), 5, 8),
            ("P/A".to_string(), 8, 10),
            ("P/B".to_string(), 10, 11)
        ]
    );
    // any: the drop falls at 3, inside the bytecode step.
    let any = report_of(scenario(&yaml.replace("POINTS", "any")));
    assert_eq!(thread_slices(&any)[0], ("P/A".to_string(), 0, 3));
}

#[test]
fn gil_switch_points_other_than_calls_and_any_are_refused_where_they_stand() {
    let error = crate::support::load_error(
        "name: g\npolicy: fcfs\nprocesses:\n  - name: P\n    gil: {switch_points: sometimes}\n    program: [{cpu: 1}]\n",
        "f.yaml",
    );
    assert!(error.contains("f.yaml:5:"), "{error}");
    assert!(error.contains("switch_points"), "{error}");
    assert!(error.contains("expected `calls` or `any`"), "{error}");
}

#[test]
fn join_failures_are_listed_and_the_thread_goes_on() {
    let report = report_of(scenario(
        "name: j\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{spawn: {name: A, program: [{cpu: 1}, {join: A}]}}, {join: B}, {join: A}, {join: A}]}\n",
    ));
    let messages: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("join of B fails: its process has no such thread"));
    assert!(messages[1].contains("P/A's join of A fails: a thread cannot join itself"));
    assert!(messages[2].contains("already been joined"));
    assert_eq!(report.processes[0].completion, Some(1));
}

#[test]
fn an_exit_in_any_thread_ends_the_process_and_daemon_threads_end_with_it() {
    let report = report_of(scenario(
        "name: e\ncpus: 3\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{spawn: {name: D, daemon: true, program: [{cpu: 100}]}}, {spawn: {name: X, program: [{cpu: 5}, {exit: 7}]}}, {cpu: 50}]}\n",
    ));
    let process = &report.processes[0];
    assert_eq!((process.completion, process.exit_code), (Some(5), Some(7)));
    assert!(report.threads.iter().all(|t| t.completion == Some(5)));
    // Without the exit, the process waits for X (not for the daemon D) after its own work.
    let report = report_of(scenario(
        "name: e\ncpus: 3\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{spawn: {name: D, daemon: true, program: [{cpu: 100}]}}, {spawn: {name: X, program: [{cpu: 30}]}}, {cpu: 10}]}\n",
    ));
    assert_eq!(report.processes[0].completion, Some(30));
    let daemon = report.threads.iter().find(|t| t.name == "D").unwrap();
    assert_eq!((daemon.completion, daemon.cpu_time), (Some(30), 30));
}

#[test]
fn a_fork_in_a_thread_copies_only_that_thread_and_the_gil_setting() {
    let mut simulator = Simulator::new(scenario(
        "name: f\ncpus: 2\npolicy: fcfs\nprocesses:\n\
         - {name: P, gil: true, program: [{spawn: {name: T, program: [{fork: {name: C}}, {cpu: 4}]}}, {cpu: 2}, {join: T}, {wait: any}]}\n",
    ));
    simulator.run_to_end(10_000).unwrap();
    let fork = simulator
        .log()
        .iter()
        .find_map(|e| match &e.event {
            Event::Fork { pid, child, .. } => Some((*pid, *child)),
            _ => None,
        })
        .unwrap();
    // P (pid 2) is the parent though its thread T (tid 3) forked; the child is pid 4.
    assert_eq!((fork.0.0, fork.1.0), (2, 4));
    let report = RunReport::of(&simulator);
    let child = report.processes.iter().find(|p| p.name == "C").unwrap();
    assert_eq!(
        (child.ppid, child.cpu_time, child.reaped_by),
        (2, 4, Some(2))
    );
    // The child runs T's rest alone: one thread, no threads rows of its own.
    assert!(report.threads.iter().all(|t| t.pid == 2));
}

#[test]
fn single_threaded_runs_print_no_threads_and_no_thread_switches() {
    let report = report_of(scenario(
        "name: s\npolicy: fcfs\nprocesses: [{name: A, burst: 2}]\n",
    ));
    let json = serde_json::to_value(&report).unwrap();
    assert!(json.get("threads").is_none());
    assert!(json.get("thread_switches").is_none());
}

#[test]
fn io_bound_threads_overlap_with_or_without_the_gil() {
    let text =
        std::fs::read_to_string(crate::support::scenarios_dir().join("threads/io-threads.yaml"))
            .unwrap();
    for gil in ["gil: true", "gil: false"] {
        let report = report_of(scenario(&text.replace("gil: true", gil)));
        let completion = report.processes[0].completion.unwrap();
        assert!((1000..=1010).contains(&completion), "{gil}: {completion}");
    }
}

/// A lock a thread still holds when it ends stays held (as `threading.Lock` and a POSIX mutex
/// do) until its process exits, however the process ends: the end of its program, an `exit`
/// step, or a `kill` after the thread ended.
#[test]
fn a_lock_held_by_an_ended_thread_is_released_when_its_process_exits() {
    let got_it_at = |app: &str| {
        let report = report_of(scenario(&format!(
            "name: l\npolicy: fcfs\ncpus: 2\nresources: [{{name: L}}]\nprocesses:\n\
             - {{name: app, program: [{{spawn: {{name: T, program: [{{acquire: L}}]}}}}, {{join: T}}{app}]}}\n\
             - {{name: other, arrival: 1, program: [{{acquire: L}}, {{print: got it}}, {{release: L}}]}}\n"
        )));
        assert!(
            report.deadlocks.is_empty() && report.stuck.is_empty(),
            "{report:?}"
        );
        report
            .output
            .iter()
            .find(|line| line.name == "other")
            .map(|line| line.time)
    };
    // The program ends at 0 (the repro): other gets L the instant it arrives.
    assert_eq!(got_it_at(""), Some(1));
    // The process runs on after T ended; it exits at 4 and gives L back then.
    assert_eq!(got_it_at(", {cpu: 4}"), Some(4));
    assert_eq!(got_it_at(", {cpu: 4}, {exit: 0}"), Some(4));
    // Killed at 3 by its parent, after T ended: the kill releases it too under runtime: posix.
    let killed = "- {name: parent, arrival: 3, program: [{fork: {name: app, program: \
                  [{spawn: {name: T, program: [{acquire: L}]}}, {join: T}, {cpu: 50}]}}, \
                  {cpu: 2}, {kill: app}, {wait: app}]}\n";
    let report = report_of(scenario(&format!(
        "name: l\npolicy: fcfs\ncpus: 2\nresources: [{{name: L}}]\nprocesses:\n\
         - {{name: other, arrival: 4, program: [{{acquire: L}}, {{print: got it}}, {{release: L}}]}}\n{killed}"
    )));
    assert!(
        report.deadlocks.is_empty() && report.stuck.is_empty(),
        "{report:?}"
    );
    let got = report
        .output
        .iter()
        .find(|line| line.name == "other")
        .map(|line| line.time);
    assert_eq!(
        got,
        Some(5),
        "killed at 5, after T took L at 3: {:?}",
        report.output
    );
}

/// While its process lives, a lock an ended thread holds is its process's: a cycle through it
/// is a deadlock.
#[test]
fn a_deadlock_through_a_lock_an_ended_thread_holds_is_found() {
    let report = report_of(scenario(
        "name: d\npolicy: fcfs\ncpus: 2\nresources: [{name: L1}, {name: L2}]\nprocesses:\n\
         - {name: app, program: [{spawn: {name: T, program: [{acquire: L1}]}}, {join: T}, {cpu: 3}, {acquire: L2}]}\n\
         - {name: other, arrival: 1, program: [{acquire: L2}, {cpu: 2}, {acquire: L1}]}\n",
    ));
    assert_eq!(report.deadlocks.len(), 1, "{report:?}");
    let deadlock = &report.deadlocks[0];
    assert_eq!(deadlock.time, 3);
    assert_eq!(deadlock.cycle, ["app", "L2", "other", "L1"]);
}
