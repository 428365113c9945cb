//! Real-time periodic tasks (docs/realtime.md): jobs and their deadlines, the same-instant
//! rules of EDF, RM, DM and LLF, `on_miss`, background work, the errors of `tasks:`, and a
//! property test that the schedulability analysis's verdict is the simulation's. The worked
//! scenarios are scenarios/realtime/*.yaml (their known answers run in the scenario suite).

use crate::support::{at, events_at, gantt_text as gantt, load_error, run_yaml as run, scenario};
use proptest::prelude::*;
use sim_core::Tick;
use sim_core::event::{ChoiceRule, Event, PreemptReason};
use sim_core::scenario::{PolicyConfig, RealTimeRule};
use sim_core::schedulability;

fn task_set(policy: &str, tasks: &str) -> String {
    format!("name: rt\npolicy: {policy}\ntasks:\n{tasks}")
}

#[test]
fn a_job_that_finishes_at_its_deadline_meets_it() {
    // Same instant: T1#1 ends its burst at 3, its deadline; the slice ends first.
    let (_, report) = run(&task_set(
        "edf",
        "  - {name: T1, period: 4, wcet: 3, deadline: 3}\n",
    ));
    assert_eq!(report.deadline_misses, Some(0));
    assert_eq!(report.jobs[0].finish, Some(3));
    assert!(!report.jobs[0].missed);
}

#[test]
fn a_miss_is_logged_before_the_release_at_the_same_instant() {
    // T2#1 misses at 7, when T2#2 is released: the miss, then the admission.
    let yaml = task_set(
        "rm",
        "  - {name: T1, period: 5, wcet: 2}\n  - {name: T2, period: 7, wcet: 4}\n",
    );
    let events = events_at(&yaml, 7);
    assert!(at(&events, "exit T1#2") < at(&events, "miss T2#1"));
    assert!(at(&events, "miss T2#1") < at(&events, "admit T2#2"));
}

#[test]
fn an_equal_deadline_never_preempts() {
    // At 30, T1#7 (deadline 35) is released while T2#5 (deadline 35) runs: it waits.
    let (simulator, _) = run(&task_set(
        "edf",
        "  - {name: T1, period: 5, wcet: 2}\n  - {name: T2, period: 7, wcet: 4}\n",
    ));
    assert!(
        !simulator
            .log()
            .iter()
            .any(|e| e.time == Tick(30) && matches!(e.event, Event::Preempt { .. }))
    );
}

#[test]
fn ties_in_the_queue_go_to_the_task_listed_first() {
    // Both due at 4 and released together: B is listed first.
    let (simulator, report) = run(&task_set(
        "edf",
        "  - {name: B, period: 4, wcet: 1}\n  - {name: A, period: 4, wcet: 1}\n",
    ));
    assert!(gantt(&report).starts_with("B#1 0-1, A#1 1-2"));
    let Some(Event::Dispatch { why, .. }) = simulator
        .log()
        .iter()
        .map(|e| &e.event)
        .find(|e| matches!(e, Event::Dispatch { .. }))
    else {
        panic!("a dispatch");
    };
    assert_eq!(why.rule, ChoiceRule::EarliestDeadline);
    let caption = sim_core::narrate::why_chosen(sim_core::Pid(2), why, simulator.roster());
    assert!(
        caption.contains("a tie with A#1, broken by release, then the order of the tasks"),
        "{caption}"
    );
}

#[test]
fn ties_go_to_the_earlier_release_first() {
    // At 3, A#1 (released at 2) and B#1 (released at 0) are both due at 10: B#1 came first.
    let (_, report) = run(&task_set(
        "edf",
        "  - {name: C, period: 20, wcet: 3, deadline: 4}\n  - {name: A, period: 8, wcet: 1, offset: 2}\n  - {name: B, period: 10, wcet: 1}\n",
    ));
    assert!(
        gantt(&report).starts_with("C#1 0-3, B#1 3-4, A#1 4-5"),
        "{}",
        gantt(&report)
    );
}

#[test]
fn each_policy_chooses_by_its_own_key() {
    // T1 has the shorter period, T2 the shorter relative deadline and the earlier absolute
    // deadline at 0.
    let tasks =
        "  - {name: T1, period: 5, wcet: 1}\n  - {name: T2, period: 8, wcet: 1, deadline: 3}\n";
    let first = |policy: &str| {
        let (_, report) = run(&task_set(policy, tasks));
        report.gantt[0].name.clone().unwrap()
    };
    assert_eq!(first("rm"), "T1#1");
    assert_eq!(first("dm"), "T2#1");
    assert_eq!(first("edf"), "T2#1");
    // Laxities at 0: T1#1 5 − 1 = 4, T2#1 3 − 1 = 2.
    assert_eq!(first("llf"), "T2#1");
}

#[test]
fn under_llf_equal_laxity_keeps_the_cpu_and_less_takes_it_at_the_next_tick() {
    let (simulator, report) = run(&task_set(
        "llf",
        "  - {name: T1, period: 6, wcet: 2}\n  - {name: T2, period: 8, wcet: 3}\n  - {name: T3, period: 12, wcet: 3}\n",
    ));
    // At 6, T1#2 arrives with laxity 4, T3#1's own: no preemption; at 7 its laxity is 3.
    assert!(gantt(&report).contains("T3#1 5-7, T1#2 7-9"));
    let preemptions: Vec<(u64, PreemptReason)> = simulator
        .log()
        .iter()
        .filter_map(|e| match e.event {
            Event::Preempt { reason, .. } => Some((e.time.0, reason)),
            _ => None,
        })
        .collect();
    assert_eq!(preemptions[0].0, 7);
    assert!(matches!(preemptions[0].1, PreemptReason::LessLaxity { .. }));
}

#[test]
fn background_processes_run_only_while_no_job_is_ready() {
    let (simulator, report) = run(
        "name: rt\npolicy: rm\ntasks:\n  - {name: T, period: 4, wcet: 1}\nhorizon: 8\nprocesses:\n  - {name: batch, burst: 5}\n",
    );
    assert_eq!(gantt(&report), "T#1 0-1, batch 1-4, T#2 4-5, batch 5-7");
    assert!(simulator.log().iter().any(|e| matches!(
        e.event,
        Event::Preempt {
            reason: PreemptReason::JobReleased { .. },
            ..
        }
    )));
}

#[test]
fn background_work_is_first_come_first_served_and_a_preempted_one_keeps_its_place() {
    // B1 is back from IO at 2 behind B3 (queued at 1): B3 runs first, as FCFS has it. The job
    // at 5 takes the CPU from B3, which keeps its place at the front.
    let (_, report) = run(
        "name: rt\npolicy: edf\ntasks:\n  - {name: T, period: 100, wcet: 1, offset: 5}\nhorizon: 6\n\
         processes:\n  - {name: B1, program: [{cpu: 1}, {io: 1}, {cpu: 1}]}\n  - {name: B2, burst: 3}\n\
         \x20 - {name: B3, arrival: 1, burst: 3}\n",
    );
    assert_eq!(
        gantt(&report),
        "B1 0-1, B2 1-4, B3 4-5, T#1 5-6, B3 6-8, B1 8-9"
    );
}

#[test]
fn an_aborted_job_drops_its_work_and_the_next_runs() {
    let (_, report) = run(&format!(
        "{}on_miss: abort\n",
        task_set(
            "rm",
            "  - {name: T1, period: 5, wcet: 2}\n  - {name: T2, period: 7, wcet: 4}\n"
        )
    ));
    let aborted = &report.jobs[1];
    assert_eq!((aborted.task.as_str(), aborted.job), ("T2", 1));
    assert!(aborted.missed && aborted.aborted);
    assert_eq!((aborted.finish, aborted.response), (None, None));
    let row = report.processes.iter().find(|p| p.name == "T2#1").unwrap();
    assert_eq!((row.exit_code, row.cpu_time), (Some(-9), 3));
    assert_eq!(report.deadline_misses, Some(1));
}

#[test]
fn deadlines_count_under_any_policy() {
    // Round robin does not know deadlines, but the jobs still have them.
    let (_, report) = run(&task_set(
        "{kind: rr, quantum: 1}",
        "  - {name: T1, period: 4, wcet: 2, deadline: 2}\n  - {name: T2, period: 4, wcet: 2}\n",
    ));
    assert_eq!(report.deadline_misses, Some(1));
    assert!(report.jobs[0].missed);
}

#[test]
fn the_horizon_is_one_hyperperiod_after_the_last_offset() {
    let loaded = scenario(&task_set(
        "edf",
        "  - {name: T1, period: 4, wcet: 1}\n  - {name: T2, period: 6, wcet: 1, offset: 3}\n",
    ));
    let realtime = loaded.realtime.as_ref().unwrap();
    assert_eq!(realtime.horizon, Tick(15));
    // T1: 0, 4, 8, 12; T2: 3, 9.
    assert_eq!(realtime.jobs.len(), 6);
    assert_eq!(loaded.processes.len(), 6);
    assert_eq!(loaded.processes[1].name, "T2#1");
    assert_eq!(loaded.processes[1].arrival, Tick(3));
}

#[test]
fn errors_name_the_field_at_fault() {
    let cases = [
        (
            "name: x\npolicy: edf\nprocesses: [{name: P, burst: 1}]\n",
            "policy: `edf` schedules the jobs of periodic tasks",
        ),
        (
            "name: x\npolicy: edf\ncpus: 2\ntasks: [{name: T, period: 4, wcet: 1}]\n",
            "cpus: periodic tasks run on one CPU",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 4, wcet: 5}]\n",
            "tasks[0].wcet: task `T` needs 5 ticks every 4",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 4, wcet: 1, deadline: 6}]\n",
            "tasks[0].deadline: expected a deadline of at most the period (4), got 6",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 0, wcet: 1}]\n",
            "tasks[0].period: expected 1 to",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 4, wcet: 1}, {name: T, period: 5, wcet: 1}]\n",
            "tasks[1].name: duplicate task name `T`",
        ),
        (
            "name: x\npolicy: edf\ntasks: []\n",
            "tasks: expected at least one task",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 1, wcet: 1}]\nhorizon: 2000000\n",
            "horizon: the tasks release more than 1000000 jobs",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 4, wcet: 1}]\non_miss: skip\n",
            "on_miss: expected `continue` or `abort`, got `skip`",
        ),
        (
            "name: x\npolicy: fcfs\nprocesses: [{name: P, burst: 1}]\nhorizon: 5\n",
            "horizon: `horizon` belongs to a task set",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 4, wcet: 1}]\nprocesses: [{name: \"T#1\", burst: 1}]\n",
            "tasks[0].name: task `T` names its jobs `T#1`",
        ),
        (
            "name: x\npolicy: {kind: mlq, queues: [{name: a, policy: edf}]}\nprocesses: [{name: P, burst: 1}]\n",
            "policy.queues[0].policy.kind: `edf` schedules the jobs of `tasks:`",
        ),
        (
            "name: x\npolicy: edf\ntasks: [{name: T, period: 999999999999937, wcet: 1}, {name: U, period: 999999999999877, wcet: 1}]\n",
            "tasks: the hyperperiod",
        ),
    ];
    for (yaml, message) in cases {
        let error = load_error(yaml, "f.yaml");
        assert!(error.contains(message), "{message}\n{error}");
    }
}

#[test]
fn the_report_shows_laxity_and_deadline() {
    let (simulator, report) = run(&task_set(
        "llf",
        "  - {name: T1, period: 5, wcet: 2}\n  - {name: T2, period: 7, wcet: 4}\n",
    ));
    assert!(report.processes[0].sched.contains_key("deadline"));
    // Between instants a waiting job's laxity falls with the time.
    let mut at = sim_core::Simulator::new(simulator.scenario().clone());
    at.advance_to(Tick(1), 1000).unwrap();
    let laxity = |pid| {
        at.sched_values(sim_core::Pid(pid))
            .get("laxity")
            .map(|m| m.to_string())
    };
    // T1#1 was preempted at 1 with 1 tick left: 5 − 1 − 1 = 3; T2#1 runs with 7 − 1 − 4 = 2.
    assert_eq!(laxity(2).as_deref(), Some("3"));
    assert_eq!(laxity(3).as_deref(), Some("2"));
}

/// The analysis's verdict on a scenario under its policy.
fn verdict(yaml: &str) -> bool {
    let loaded = scenario(yaml);
    let PolicyConfig::RealTime(rule) = loaded.policy else {
        panic!("a real-time policy");
    };
    schedulability::analyze(
        loaded.realtime.as_ref().unwrap(),
        rule,
        schedulability::MAX_ANALYSIS_STEPS,
    )
    .unwrap()
    .schedulable
}

/// After every instant, no ready job has a strictly better key than the running one: the
/// policy's own invariant (its deadline, period, relative deadline or laxity), whatever
/// aborts, ties and background work came before.
fn check_ranking(yaml: &str, rule: RealTimeRule) -> Result<(), TestCaseError> {
    let loaded = scenario(yaml);
    let realtime = loaded.realtime.clone().unwrap();
    let mut simulator = sim_core::Simulator::new(loaded);
    while simulator.step().is_some() {
        let now = simulator.now();
        let key = |pid: sim_core::Pid| -> Option<i64> {
            let job = realtime.job_of(pid)?;
            let task = &realtime.tasks[job.task];
            Some(match rule {
                RealTimeRule::Edf => job.deadline.0 as i64,
                RealTimeRule::Rm => task.period as i64,
                RealTimeRule::Dm => task.deadline as i64,
                RealTimeRule::Llf => {
                    let laxity = simulator.sched_values(pid).get("laxity")?.as_f64();
                    laxity as i64 + now.0 as i64
                }
            })
        };
        let running = simulator
            .pcbs()
            .iter()
            .find(|pcb| matches!(pcb.state, sim_core::pcb::ProcState::Running { .. }));
        let Some(running) = running else { continue };
        let Some(running_key) = key(running.pid) else {
            // Background work runs only while no job is ready.
            prop_assert!(
                !simulator
                    .pcbs()
                    .iter()
                    .any(|pcb| pcb.state == sim_core::pcb::ProcState::Ready
                        && realtime.job_of(pcb.pid).is_some())
            );
            continue;
        };
        for pcb in simulator.pcbs() {
            if pcb.state == sim_core::pcb::ProcState::Ready
                && let Some(theirs) = key(pcb.pid)
            {
                prop_assert!(
                    theirs >= running_key,
                    "t={}: {} ({theirs}) waits while {} ({running_key}) runs\n{}",
                    now.0,
                    simulator.roster().name(pcb.pid),
                    simulator.roster().name(running.pid),
                    yaml
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Each policy's ranking holds at every instant, with aborts and background work.
    #[test]
    fn the_running_job_is_always_the_best_ranked(
        rule in prop::sample::select(RealTimeRule::ALL.to_vec()),
        tasks in prop::collection::vec((2u64..13, 1u64..13, 1u64..13, 0u64..5), 1..4),
        abort in any::<bool>(),
        background in 0u64..3,
    ) {
        let mut yaml = format!("name: rt\npolicy: {}\nhorizon: 40\n", rule.name());
        if abort {
            yaml.push_str("on_miss: abort\n");
        }
        yaml.push_str("tasks:\n");
        for (i, &(period, wcet, deadline, offset)) in tasks.iter().enumerate() {
            yaml.push_str(&format!(
                "  - {{name: T{i}, period: {period}, wcet: {}, deadline: {}, offset: {offset}}}\n",
                wcet.min(period),
                deadline.clamp(1, period)
            ));
        }
        if background > 0 {
            yaml.push_str(&format!("processes:\n  - {{name: B, burst: {}}}\n", background * 7));
        }
        check_ranking(&yaml, rule)?;
    }

    /// With the tasks released together, every analysis here is exact: the set is
    /// schedulable exactly when the simulation over a hyperperiod misses no deadline. And
    /// every job that finishes ran its wcet, and none ran before its release.
    #[test]
    fn the_analysis_agrees_with_the_simulation(
        rule in prop::sample::select(RealTimeRule::ALL.to_vec()),
        tasks in prop::collection::vec((2u64..13, 1u64..13, 1u64..13), 1..4),
    ) {
        let lines: String = tasks
            .iter()
            .enumerate()
            .map(|(i, &(period, wcet, deadline))| {
                let wcet = wcet.min(period);
                let deadline = deadline.clamp(1, period);
                format!("  - {{name: T{i}, period: {period}, wcet: {wcet}, deadline: {deadline}}}\n")
            })
            .collect();
        let yaml = task_set(rule.name(), &lines);
        let (_, report) = run(&yaml);
        for job in &report.jobs {
            prop_assert!(job.start.is_some_and(|start| start >= job.release));
            prop_assert_eq!(job.missed, job.finish.is_none_or(|finish| finish > job.deadline));
        }
        for row in &report.processes {
            let wcet = tasks[row.name[1..].split('#').next().unwrap().parse::<usize>().unwrap()];
            prop_assert_eq!(row.cpu_time, wcet.1.min(wcet.0));
        }
        // LLF's verdict is EDF's: both are optimal on one CPU (with whole-tick parameters
        // LLF deciding at every tick loses nothing).
        prop_assert_eq!(verdict(&yaml), report.deadline_misses == Some(0), "{}", yaml);
    }
}
