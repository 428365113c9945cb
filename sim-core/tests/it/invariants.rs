//! Property tests of the engine's invariants over random scenarios: CPU time is conserved, a
//! CPU runs one process at a time, every process is in exactly one state, no CPU idles while a
//! process is ready, the engine's counters agree with the log, and runs are deterministic.

use proptest::prelude::*;
use sim_core::answer::run_gantt;
use sim_core::metrics;
use sim_core::pcb::ProcState;
use sim_core::scenario::{
    CacheConfig, ChildSpec, DEFAULT_DEVICE_NAME, Device, DeviceId, FcfsConfig, LifecycleOptions,
    PolicyConfig, ProcessSpec, Rules, SameInstant, Scenario, Step, SwitchOn, WaitTarget,
};
use sim_core::{Pid, RunReport, Simulator, Tick};
use std::sync::Arc;

fn program() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec((1u64..10, proptest::option::of((0usize..2, 1u64..8))), 1..4)
        .prop_map(|parts| {
            let mut steps = Vec::new();
            for (cpu, io) in parts {
                steps.push(Step::Cpu { ticks: cpu });
                if let Some((device, ticks)) = io {
                    steps.push(Step::Io {
                        device: DeviceId(device),
                        ticks,
                    });
                }
            }
            steps
        })
}

/// Lifecycle options, mostly off.
fn options() -> impl Strategy<Value = LifecycleOptions> {
    (0u8..8, 0u8..8, 0u8..8).prop_map(|(daemon, ignore, subreaper)| LifecycleOptions {
        daemon: daemon == 0,
        ignore_sigchld: ignore == 0,
        subreaper: subreaper == 0,
        gil: None,
        monkey_patch: sim_core::scenario::MonkeyPatch::default(),
    })
}

/// A step of a process that forks: CPU, IO, fork (of a child that may fork once more, or
/// that goes on with its parent's program), wait, kill or exit; children are named c0-c2.
fn lifecycle_step(depth: u32) -> BoxedStrategy<Step> {
    let child_name = (0u8..3).prop_map(|i| format!("c{i}"));
    let simple = prop_oneof![
        4 => (1u64..6).prop_map(|ticks| Step::Cpu { ticks }),
        1 => (0usize..2, 1u64..5).prop_map(|(device, ticks)| Step::Io { device: DeviceId(device), ticks }),
        2 => prop_oneof![Just(WaitTarget::Any), child_name.clone().prop_map(WaitTarget::Named)]
            .prop_map(Step::Wait),
        1 => child_name.clone().prop_map(|child| Step::Kill { child }),
        // Signals (SIGSTOP comes with its SIGCONT, in `lifecycle_program`).
        1 => (child_name.clone(), prop_oneof![
                2 => Just(sim_core::scenario::Signal::Cont),
                1 => Just(sim_core::scenario::Signal::Kill),
                1 => Just(sim_core::scenario::Signal::Usr1),
            ])
            .prop_map(|(child, sig)| Step::Signal { child, sig }),
    ];
    if depth == 0 {
        return simple.boxed();
    }
    let child = (
        child_name,
        options(),
        proptest::option::of(proptest::collection::vec(lifecycle_step(depth - 1), 1..4)),
    )
        .prop_map(|(name, options, program)| {
            Step::Fork(Arc::new(ChildSpec {
                name,
                priority: None,
                tickets: None,
                options,
                program: program.map(Arc::from),
                result_in_register: false,
                nice: None,
            }))
        });
    prop_oneof![3 => simple, 2 => child].boxed()
}

fn lifecycle_program() -> impl Strategy<Value = Vec<Step>> {
    (
        proptest::collection::vec(lifecycle_step(2), 1..6),
        proptest::option::of(0i32..3),
        // A child stopped for a while: SIGSTOP, some CPU, SIGCONT.
        proptest::option::of((0usize..6, 0u8..3, 1u64..4)),
    )
        .prop_map(|(mut steps, code, stop)| {
            if let Some((at, child, ticks)) = stop {
                let child = format!("c{child}");
                let at = at.min(steps.len());
                let pause = [
                    Step::Signal {
                        child: child.clone(),
                        sig: sim_core::scenario::Signal::Stop,
                    },
                    Step::Cpu { ticks },
                    Step::Signal {
                        child,
                        sig: sim_core::scenario::Signal::Cont,
                    },
                ];
                steps.splice(at..at, pause);
            }
            if let Some(code) = code {
                steps.push(Step::Exit { code });
            }
            steps
        })
}

prop_compose! {
    fn lifecycle_scenario()(
        cpus in 1usize..3,
        policy in crate::support::any_policy(),
        max_processes in 2usize..12,
        preempted_before_arrivals in any::<bool>(),
        context_switch_ticks in prop_oneof![3 => Just(0u64), 1 => 1u64..3],
        signal_delay_ticks in prop_oneof![3 => Just(0u64), 1 => 1u64..4],
        shuffled in any::<bool>(),
        processes in proptest::collection::vec((0u64..6, options(), lifecycle_program()), 1..4),
    ) -> Scenario {
        Scenario {
            name: "random lifecycle".into(),
            description: None,
            cpus,
            policy,
            seed: 7,
            rules: Rules {
                preempted_before_arrivals,
                context_switch_ticks,
                signal_delay_ticks,
                same_instant: if shuffled { SameInstant::Shuffled } else { SameInstant::Fixed },
                ..Rules::default()
            },
            devices: vec![
                Device { name: DEFAULT_DEVICE_NAME.into(), servers: None },
                Device { name: "disk".into(), servers: Some(1) },
            ],
            processes: processes
                .into_iter()
                .enumerate()
                .map(|(i, (arrival, options, program))| ProcessSpec {
                    max_claims: Vec::new(),
                    affinity: Vec::new(),
                    working_set: 0,
                    nice: 0,
                    name: format!("P{i}"),
                    arrival: Tick(arrival),
                    priority: i as i64 % 3,
                    tickets: 100,
                    options,
                    program: program.into(),
                })
                .collect(),
            max_processes,
            max_threads: 32_768,
            sync: Default::default(),
            globals: Vec::new(),
            shared: Vec::new(),
            runtime: Default::default(),
            pools: Vec::new(),
            stdin: Vec::new(),
            schedule: None,
            realtime: None,
            gui: Default::default(),
        }
    }
}

prop_compose! {
    fn scenario()(
        cpus in 1usize..4,
        policy in crate::support::any_policy(),
        preempted_before_arrivals in any::<bool>(),
        context_switch_ticks in prop_oneof![3 => Just(0u64), 1 => 1u64..3],
        disk_servers in 1usize..3,
        seed in any::<u64>(),
        processes in proptest::collection::vec((0u64..20, 0i64..4, 1u64..300, program()), 1..9),
        cache in proptest::option::of((0u64..40, 0u64..6, 1u64..4)),
        working_sets in proptest::collection::vec(0u64..30, 9),
        shuffled in any::<bool>(),
    ) -> Scenario {
        Scenario {
            name: "random".into(),
            description: None,
            cpus,
            policy,
            seed,
            rules: Rules {
                preempted_before_arrivals,
                context_switch_ticks,
                // The cache model changes how much work a tick does, never the invariants.
                cache: cache.map(|(size, warmup_ticks, warm_rate)| CacheConfig {
                    size,
                    warmup_ticks,
                    warm_rate,
                }),
                same_instant: if shuffled { SameInstant::Shuffled } else { SameInstant::Fixed },
                ..Rules::default()
            },
            devices: vec![
                Device { name: DEFAULT_DEVICE_NAME.into(), servers: None },
                Device { name: "disk".into(), servers: Some(disk_servers) },
            ],
            processes: processes
                .into_iter()
                .enumerate()
                .map(|(i, (arrival, priority, tickets, program))| ProcessSpec {
                    max_claims: Vec::new(),
                    affinity: Vec::new(),
                    working_set: working_sets[i],
                    nice: 0,
                    name: format!("P{i}"),
                    arrival: Tick(arrival),
                    priority,
                    tickets,
                    options: Default::default(),
                    program: program.into(),
                })
                .collect(),
            max_processes: 32_768,
            max_threads: 32_768,
            sync: Default::default(),
            globals: Vec::new(),
            shared: Vec::new(),
            runtime: Default::default(),
            pools: Vec::new(),
            stdin: Vec::new(),
            schedule: None,
            realtime: None,
            gui: Default::default(),
        }
    }
}

/// Checks that every process is in exactly one place in the snapshot, and that no CPU is idle
/// while a process is ready (unless the policy keeps it for a blocked process).
fn check_snapshot(simulator: &Simulator) -> Result<(), TestCaseError> {
    let snapshot = simulator.snapshot();
    let count = snapshot.processes.len();
    let mut places = vec![0usize; count];
    for cpu in &snapshot.cpus {
        prop_assert!(cpu.running.is_none() || cpu.switching_to.is_none());
        for pid in cpu.running.iter().chain(cpu.switching_to.iter()) {
            places[pid.index()] += 1;
        }
    }
    for pid in snapshot.ready_queues.iter().flatten() {
        places[pid.index()] += 1;
    }
    // Every waiting thread is in exactly one wait (a device's line, a child's, ...).
    for wait in &snapshot.waiting {
        for pid in &wait.tids {
            places[pid.index()] += 1;
        }
    }
    for process in &snapshot.processes {
        let index = process.pid.index();
        // Not yet arrived or exited: in no queue, no wait and on no CPU.
        let expected_places = match process.state {
            ProcState::New | ProcState::Zombie | ProcState::Terminated => 0,
            _ => 1,
        };
        prop_assert_eq!(
            places[index],
            expected_places,
            "{} in state {:?} is in {} places at t={}",
            &process.name,
            process.state,
            places[index],
            snapshot.time.0
        );
        if let ProcState::Running { cpu } = process.state {
            prop_assert_eq!(snapshot.cpus[cpu.0].running, Some(process.pid));
        }
    }
    no_cpu_idles_while_one_is_ready(simulator.scenario(), &snapshot)
}

/// CPU time conserved, every tick accounted for, one thread per CPU and one CPU per thread,
/// the engine's counters equal to the log's, and the same log again (determinism).
fn check_engine_invariants(scenario: Scenario) -> Result<(), TestCaseError> {
    let mut simulator = Simulator::new(scenario.clone());
    while simulator.step().is_some() {
        check_snapshot(&simulator)?;
        prop_assert!(simulator.log().len() < 100_000, "runaway run");
    }
    prop_assert!(simulator.is_finished());

    let derived = metrics::derive(&scenario, simulator.log());
    let snapshot = simulator.snapshot();
    for (row, spec) in derived.processes.iter().zip(&scenario.processes) {
        // CPU time is conserved: a tick of CPU is a tick of work, or up to `warm_rate`
        // ticks of work where the cache model makes it faster.
        let work = spec.total_cpu_ticks();
        // A job aborted at its deadline (`on_miss: abort`) ran part of its work.
        let aborted = scenario.realtime.is_some() && row.exit_code == Some(-9);
        match scenario.rules.cache {
            None if aborted => prop_assert!(row.cpu_time < work, "{}", &row.name),
            None => prop_assert_eq!(row.cpu_time, work, "{}", &row.name),
            Some(cache) => prop_assert!(
                row.cpu_time <= work && row.cpu_time * cache.warm_rate >= work,
                "{}: {} ticks for {} work",
                &row.name,
                row.cpu_time,
                work
            ),
        }
        // Every tick between arrival and exit is ready, running or blocked.
        prop_assert_eq!(
            row.turnaround.unwrap(),
            row.waiting + row.cpu_time + row.blocked_time,
            "{}",
            &row.name
        );
        if let Some(first_run) = row.first_run {
            prop_assert!(first_run >= spec.arrival);
        } else {
            // Only a job aborted before it ever ran never runs.
            prop_assert!(aborted, "{} never ran", &row.name);
        }
        // The engine's own counters agree with the log.
        let view = &snapshot.processes[row.pid.index()];
        prop_assert_eq!(view.cpu_ticks, row.cpu_time);
        prop_assert_eq!(view.ready_ticks, row.waiting);
        prop_assert_eq!(view.blocked_ticks, row.blocked_time);
        prop_assert_eq!(view.completion, row.completion);
    }

    // One process per CPU, one CPU per process, and busy time adds up.
    let report = RunReport::of(&simulator);
    let mut runs: Vec<(u64, u64, String)> = Vec::new();
    for cpu in 0..scenario.cpus {
        let mut at = 0;
        for slice in report.gantt.iter().filter(|s| s.cpu.0 == cpu) {
            prop_assert_eq!(slice.start.0, at, "CPU{} has a gap or overlap", cpu);
            prop_assert!(slice.end > slice.start);
            at = slice.end.0;
        }
        prop_assert_eq!(at, report.makespan);
        for s in run_gantt(&report.gantt, cpu) {
            runs.push((s.start, s.end, s.name));
        }
    }
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            prop_assert!(
                a.2 != b.2 || a.1 <= b.0 || b.1 <= a.0,
                "{} runs on two CPUs at once",
                &a.2
            );
        }
    }
    let busy: u64 = runs.iter().map(|(start, end, _)| end - start).sum();
    prop_assert_eq!(
        busy,
        derived.processes.iter().map(|r| r.cpu_time).sum::<u64>()
    );
    check_choices(simulator.log())?;

    // Determinism: the same scenario gives the same log.
    let mut again = Simulator::new(scenario);
    again.run_to_end(usize::MAX).unwrap();
    prop_assert_eq!(again.log(), simulator.log());
    Ok(())
}

/// Every dispatch's reason holds: the chosen one's value is at least as good as its
/// runner-up's under the rule it names (lower bursts, remainders, priority numbers, levels and
/// passes; higher response ratios), and a runner-up is someone else.
fn check_choices(log: &[sim_core::TimedEvent]) -> Result<(), TestCaseError> {
    use sim_core::event::{ChoiceRule, Event, Measure};
    let number = |measure: &Measure| measure.as_f64();
    for timed in log {
        let Event::Dispatch { pid, why, .. } = &timed.event else {
            continue;
        };
        prop_assert!(
            why.runner_up != Some(*pid),
            "{:?} at t={}",
            why,
            timed.time.0
        );
        let (Some(value), Some(theirs)) = (&why.value, &why.runner_up_value) else {
            continue;
        };
        let (ours, theirs) = (number(value), number(theirs));
        let holds = match why.rule {
            ChoiceRule::HighestResponseRatio => ours >= theirs,
            ChoiceRule::ShortestBurst
            | ChoiceRule::ShortestRemaining
            | ChoiceRule::HighestPriority
            | ChoiceRule::HighestLevel
            | ChoiceRule::LowestPass
            | ChoiceRule::LeastVruntime
            | ChoiceRule::EarliestEligibleDeadline
            | ChoiceRule::HighestQueue
            | ChoiceRule::EarliestDeadline
            | ChoiceRule::ShortestPeriod
            | ChoiceRule::ShortestRelativeDeadline
            | ChoiceRule::LeastLaxity => ours <= theirs,
            _ => true,
        };
        prop_assert!(holds, "{:?} of {} at t={}", why, pid, timed.time.0);
    }
    Ok(())
}

/// No CPU is idle (nor switching) while a process or thread waits in a ready queue, except
/// under FCFS with `switch: on_end`, which keeps the CPU for the blocked process that ran last.
pub fn no_cpu_idles_while_one_is_ready(
    scenario: &Scenario,
    snapshot: &sim_core::snapshot::Snapshot,
) -> Result<(), TestCaseError> {
    if let PolicyConfig::Fcfs(FcfsConfig {
        switch: SwitchOn::End,
        ..
    }) = scenario.policy
    {
        return Ok(());
    }
    let ready = snapshot.ready_queues.iter().map(Vec::len).sum::<usize>();
    let idle = snapshot
        .cpus
        .iter()
        .filter(|c| c.running.is_none() && c.switching_to.is_none())
        .count();
    prop_assert!(
        ready == 0 || idle == 0,
        "t={}: {} ready but {} CPU idle",
        snapshot.time.0,
        ready,
        idle
    );
    Ok(())
}

/// A task set under a real-time policy, with background processes that do IO, either
/// `on_miss` (docs/realtime.md).
fn real_time_scenario() -> impl Strategy<Value = Scenario> {
    let task = (2u64..10, 1u64..10, 1u64..10, 0u64..6);
    let background = (0u64..12, 1u64..6, 0u64..4);
    (
        prop::sample::select(vec!["edf", "rm", "dm", "llf"]),
        prop::collection::vec(task, 1..4),
        prop::collection::vec(background, 0..3),
        any::<bool>(),
    )
        .prop_map(|(policy, tasks, background, abort)| {
            let mut yaml = format!("name: rt\npolicy: {policy}\nhorizon: 30\ntasks:\n");
            for (i, (period, wcet, deadline, offset)) in tasks.into_iter().enumerate() {
                yaml.push_str(&format!(
                    "  - {{name: T{i}, period: {period}, wcet: {}, deadline: {}, offset: {offset}}}\n",
                    wcet.min(period),
                    deadline.clamp(1, period)
                ));
            }
            if abort {
                yaml.push_str("on_miss: abort\n");
            }
            if !background.is_empty() {
                yaml.push_str("processes:\n");
            }
            for (i, (arrival, cpu, io)) in background.into_iter().enumerate() {
                yaml.push_str(&format!(
                    "  - {{name: B{i}, arrival: {arrival}, program: [{{cpu: {cpu}}}, {{io: {io}}}, {{cpu: 1}}]}}\n"
                ));
            }
            Scenario::from_yaml(&yaml).expect("a valid task set")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The engine's invariants hold for task sets under the real-time policies too.
    #[test]
    fn real_time_invariants_hold(scenario in real_time_scenario()) {
        check_engine_invariants(scenario)?;
    }

    /// Forks, waits, kills and exits: every process ends up reaped exactly once, never before
    /// it exits; zombies are in no queue; the process limit holds; the counters agree with the
    /// log; the run is deterministic.
    #[test]
    fn lifecycle_invariants_hold(scenario in lifecycle_scenario()) {
        let mut simulator = Simulator::new(scenario.clone());
        while simulator.step().is_some() {
            check_snapshot(&simulator)?;
            let snapshot = simulator.snapshot();
            let existing = snapshot
                .processes
                .iter()
                .filter(|p| p.state != ProcState::New && p.state != ProcState::Terminated)
                .count();
            let arrived = scenario.processes.iter().filter(|p| p.arrival <= snapshot.time).count();
            // Only forks are held to the limit; arrivals are not.
            prop_assert!(existing <= scenario.max_processes + arrived);
            for process in &snapshot.processes {
                if process.state.has_exited() {
                    prop_assert!(process.exit_code.is_some());
                }
            }
            prop_assert!(simulator.log().len() < 100_000, "runaway run");
        }
        prop_assert!(simulator.is_finished());
        let snapshot = simulator.snapshot();
        let report = RunReport::of(&simulator);
        let derived = metrics::derive(&scenario, simulator.log());
        prop_assert_eq!(report.processes.len(), snapshot.processes.len());
        for ((row, view), figures) in report.processes.iter().zip(&snapshot.processes).zip(&derived.processes) {
            prop_assert_eq!(view.state, ProcState::Terminated, "{} is not reaped", &row.name);
            let exited = row.exited_at.unwrap();
            let reaped = row.reaped_at.unwrap();
            prop_assert!(reaped >= exited);
            prop_assert_eq!(row.turnaround.unwrap(), row.waiting + row.cpu_time + figures.blocked_time);
            prop_assert_eq!(view.blocked_ticks, figures.blocked_time);
            prop_assert_eq!(view.cpu_ticks, row.cpu_time);
            prop_assert_eq!(view.ready_ticks, row.waiting);
            // Reaped by its parent at exit, by an ancestor that adopted it, or by init.
            let reaper = row.reaped_by.unwrap();
            prop_assert!(reaper == 1 || reaper == row.ppid || reaper < row.pid);
        }
        let reaps = simulator
            .log()
            .iter()
            .filter(|e| matches!(e.event, sim_core::event::Event::Reap { .. }))
            .count();
        prop_assert_eq!(reaps, report.processes.len(), "each process is reaped once");

        let mut again = Simulator::new(scenario);
        again.run_to_end(usize::MAX).unwrap();
        prop_assert_eq!(again.log(), simulator.log());
    }

    #[test]
    fn engine_invariants_hold(scenario in scenario()) {
        check_engine_invariants(scenario)?;
    }

    /// The same under a schedule that switches running threads out at random switch points
    /// (explore's forced switches) and draws every same-instant order.
    #[test]
    fn engine_invariants_hold_under_forced_switches(scenario in scenario(), seed in any::<u64>()) {
        let mut scenario = scenario;
        scenario.schedule = Some(sim_core::scenario::Schedule {
            preemptions: 3,
            draw_seed: Some(seed),
            explained: false,
            ..sim_core::scenario::Schedule::new(Vec::new())
        });
        check_engine_invariants(scenario)?;
    }

    /// Cost grows with events, not ticks: a huge burst is a handful of events under every policy
    /// (without a boost, which is an event of its own every `boost` ticks).
    #[test]
    fn huge_bursts_cost_few_events(policy in crate::support::any_policy(), cpus in 1usize..3) {
        let policy = match policy {
            PolicyConfig::Mlfq(mut mlfq) => {
                mlfq.boost_ticks = None;
                PolicyConfig::Mlfq(mlfq)
            }
            other => other,
        };
        let scenario = Scenario {
            name: "huge".into(),
            description: None,
            cpus,
            policy,
            seed: 0,
            rules: Rules::default(),
            devices: vec![Device { name: DEFAULT_DEVICE_NAME.into(), servers: None }],
            processes: vec![ProcessSpec {
                max_claims: Vec::new(),
                affinity: Vec::new(),
                working_set: 0,
                nice: 0,
                name: "Big".into(),
                arrival: Tick(0),
                priority: 0,
                tickets: 100,
                options: Default::default(),
                program: vec![Step::Cpu { ticks: 1_000_000_000_000 }].into(),
            }],
            max_processes: 32_768,
            max_threads: 32_768,
            sync: Default::default(),
            globals: Vec::new(),
            shared: Vec::new(),
            runtime: Default::default(),
            pools: Vec::new(),
            stdin: Vec::new(),
            schedule: None,
            realtime: None,
            gui: Default::default(),
        };
        let mut simulator = Simulator::new(scenario);
        simulator.run_to_end(10).unwrap();
        let report = RunReport::of(&simulator);
        prop_assert_eq!(report.processes[0].completion, Some(1_000_000_000_000));
        prop_assert_eq!(report.processes[0].cpu_time, 1_000_000_000_000);
    }
}

#[test]
fn a_boost_costs_a_few_events_per_boost_period_not_per_quantum() {
    let scenario = crate::support::scenario(
        "name: x\npolicy: {kind: mlfq, levels: [{quantum: 1}, {quantum: 2}, {quantum: 3}], boost: 1000000}\n\
         processes: [{name: A, burst: 1000000000}]",
    );
    let mut simulator = Simulator::new(scenario);
    // 1000 boosts; each costs the boost, the move back up and the demotions down again.
    simulator.run_to_end(20_000).unwrap();
    assert!(simulator.is_finished());
}

/// A boost reaches every unfinished process, however long after it the process is next looked
/// at (the engine applies it lazily), and not one that exited before it.
#[test]
fn a_boost_reaches_blocked_and_new_processes_but_not_exited_ones() {
    let scenario = crate::support::scenario(
        "name: x\npolicy: {kind: mlfq, levels: [{quantum: 1}, {quantum: 2}, {quantum: 4}], boost: 20}\n\
         processes:\n\
         - {name: done, burst: 6}\n\
         - {name: away, program: [{cpu: 5}, {io: 40}, {cpu: 1}]}\n\
         - {name: late, arrival: 30, burst: 1}\n",
    );
    let mut simulator = Simulator::new(scenario.clone());
    // By t=19 `done` has finished at the lowest level and `away` has sunk, then blocked.
    simulator.advance_to(Tick(19), 1000).unwrap();
    let before = simulator.snapshot();
    assert!(before.processes[0].state.has_exited());
    assert_eq!(before.processes[0].level, 2);
    assert_eq!(before.processes[1].level, 2);
    simulator.advance_to(Tick(21), 1000).unwrap();
    let after = simulator.snapshot();
    assert_eq!(
        after.processes[0].level, 2,
        "an exited process keeps its level"
    );
    assert_eq!(
        after.processes[1].level, 0,
        "the boost reaches a blocked process"
    );
    simulator.run_to_end(1000).unwrap();
    let report = RunReport::of(&simulator);
    let levels: Vec<Option<usize>> = report.processes.iter().map(|p| p.level).collect();
    // `away` comes back from IO at the top level and finishes there; `late` arrives after the
    // boost at the top level anyway.
    assert_eq!(levels, [Some(2), Some(0), Some(0)]);
    // The streamed report (its own lazy boost) agrees.
    let streamed = sim_core::report::run_streamed(scenario, 1000).unwrap();
    assert_eq!(streamed, report);
}

#[test]
fn snapshots_between_events_charge_elapsed_time() {
    let scenario = crate::support::scenario(
        "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 10}, {name: B, burst: 5}]",
    );
    let mut simulator = Simulator::new(scenario);
    simulator.advance_to(Tick(4), 1000).unwrap();
    let snapshot = simulator.snapshot();
    let a = &snapshot.processes[Pid(2).index()];
    let b = &snapshot.processes[Pid(3).index()];
    assert_eq!((a.cpu_ticks, a.remaining_ticks), (4, 6));
    assert_eq!((b.ready_ticks, b.state), (4, ProcState::Ready));
    assert_eq!(snapshot.ready_queues, vec![vec![Pid(3)]]);
}

#[test]
fn remaining_is_cpu_work_and_an_io_counts_down_in_io_left() {
    let scenario = crate::support::scenario(
        "name: x\npolicy: fcfs\nprocesses: [{name: A, program: [{cpu: 2}, {io: 5}, {cpu: 3}]}]",
    );
    let mut simulator = Simulator::new(scenario);
    simulator.advance_to(Tick(4), 1000).unwrap();
    let a = &simulator.snapshot().processes[Pid(2).index()];
    assert_eq!((a.remaining_ticks, a.io_left), (0, Some(3)));
    simulator.advance_to(Tick(8), 1000).unwrap();
    let a = &simulator.snapshot().processes[Pid(2).index()];
    assert_eq!((a.remaining_ticks, a.io_left), (2, None));
}
