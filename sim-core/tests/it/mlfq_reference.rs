//! An independent, tick-by-tick implementation of the multilevel feedback queue's rules (the
//! issue's rules 1–7, in the style of the OSTEP textbook's simulator), compared with the
//! event-driven engine on random workloads covering every option: levels with their own quanta
//! and allotments, boost (both flavours), IO with both IO options, staggered arrivals, and both
//! same-tick orders. Single CPU, IO on the default device.

use proptest::prelude::*;
use sim_core::scenario::{
    DEFAULT_DEVICE_NAME, Device, DeviceId, MlfqConfig, MlfqLevel, PolicyConfig, ProcessSpec, Rules,
    Scenario, Step,
};
use sim_core::{RunReport, Tick};
use std::collections::VecDeque;

#[derive(Clone, Debug)]
struct Job {
    arrival: u64,
    run: u64,
    /// Issue an IO after every `io_every` ticks of CPU (0 = never).
    io_every: u64,
    io_ticks: u64,
}

#[derive(Clone, Debug)]
struct Options {
    /// (quantum, allotment), level 0 highest.
    levels: Vec<(u64, u64)>,
    boost: u64,
    io_resets: bool,
    io_to_front: bool,
    ostep_boost: bool,
    expired_before_arrivals: bool,
}

/// Per job: (response, turnaround).
fn reference(jobs: &[Job], o: &Options) -> Vec<(u64, u64)> {
    let n = jobs.len();
    let lowest = o.levels.len() - 1;
    let mut level = vec![0usize; n];
    let mut ticks_left: Vec<u64> = vec![o.levels[0].0; n];
    let mut allot_left: Vec<i64> = vec![o.levels[0].1 as i64; n];
    let mut time_left: Vec<u64> = jobs.iter().map(|j| j.run).collect();
    let mut first_run: Vec<Option<u64>> = vec![None; n];
    let mut end: Vec<u64> = vec![0; n];
    let mut queues: Vec<VecDeque<usize>> = vec![VecDeque::new(); o.levels.len()];
    // (time, job) IO completions, in issue order.
    let mut io_done: Vec<(u64, usize)> = Vec::new();
    let mut pending_expired: Vec<usize> = Vec::new();
    let mut finished = 0;
    let mut t: u64 = 0;
    while finished < n {
        // Rule 6: boost, after the ends of the slices and before arrivals and IO completions.
        if o.boost > 0 && t > 0 && t.is_multiple_of(o.boost) {
            for l in (1..=lowest).rev() {
                let moved: Vec<usize> = queues[l].drain(..).collect();
                queues[0].extend(moved);
            }
            for j in 0..n {
                let started = jobs[j].arrival <= t || o.ostep_boost;
                if time_left[j] > 0 && started {
                    level[j] = 0;
                    if o.ostep_boost {
                        ticks_left[j] = o.levels[0].1;
                    } else {
                        ticks_left[j] = o.levels[0].0;
                        allot_left[j] = o.levels[0].1 as i64;
                    }
                }
            }
        }
        // Arrivals (job order), then IO completions (issue order).
        for (j, job) in jobs.iter().enumerate() {
            if job.arrival == t {
                queues[0].push_back(j);
            }
        }
        let done_now: Vec<usize> = io_done
            .iter()
            .filter(|&&(at, _)| at == t)
            .map(|&(_, j)| j)
            .collect();
        io_done.retain(|&(at, _)| at != t);
        for j in done_now {
            // Rule 5.
            if o.io_to_front {
                queues[level[j]].push_front(j);
            } else {
                queues[level[j]].push_back(j);
            }
        }
        // Rule 7: expired jobs re-enter after arrivals and IO completions (default order).
        for j in pending_expired.drain(..) {
            queues[level[j]].push_back(j);
        }
        // Rule 2: the head of the highest non-empty level runs for one tick.
        let Some(l) = (0..=lowest).find(|&l| !queues[l].is_empty()) else {
            t += 1;
            continue;
        };
        let j = queues[l][0];
        assert_eq!(level[j], l);
        first_run[j].get_or_insert(t);
        time_left[j] -= 1;
        ticks_left[j] -= 1;
        let quantum_over = ticks_left[j] == 0;
        t += 1;
        if time_left[j] == 0 {
            finished += 1;
            end[j] = t;
            queues[l].pop_front();
            continue;
        }
        let ran = jobs[j].run - time_left[j];
        let issued_io = jobs[j].io_every > 0 && ran.is_multiple_of(jobs[j].io_every);
        if issued_io {
            queues[l].pop_front();
            io_done.push((t + jobs[j].io_ticks, j));
            // Rule 3: the gameable rule resets quantum and allotment.
            if o.io_resets {
                ticks_left[j] = o.levels[l].0;
                allot_left[j] = o.levels[l].1 as i64;
            }
        }
        if quantum_over {
            // Rule 4 (also when IO was issued at this very tick).
            if !issued_io {
                queues[l].pop_front();
            }
            allot_left[j] -= 1;
            if allot_left[j] == 0 {
                let to = (l + 1).min(lowest);
                level[j] = to;
                ticks_left[j] = o.levels[to].0;
                allot_left[j] = o.levels[to].1 as i64;
            } else {
                ticks_left[j] = o.levels[l].0;
            }
            if !issued_io {
                if o.expired_before_arrivals {
                    queues[level[j]].push_back(j);
                } else {
                    pending_expired.push(j);
                }
            }
        }
    }
    (0..n)
        .map(|j| {
            (
                first_run[j].unwrap() - jobs[j].arrival,
                end[j] - jobs[j].arrival,
            )
        })
        .collect()
}

fn engine(jobs: &[Job], o: &Options) -> Vec<(u64, u64)> {
    let processes = jobs
        .iter()
        .enumerate()
        .map(|(i, job)| {
            let mut program = Vec::new();
            let mut left = job.run;
            if job.io_every > 0 {
                while left > job.io_every {
                    program.push(Step::Cpu {
                        ticks: job.io_every,
                    });
                    program.push(Step::Io {
                        device: DeviceId::DEFAULT,
                        ticks: job.io_ticks,
                    });
                    left -= job.io_every;
                }
            }
            program.push(Step::Cpu { ticks: left });
            ProcessSpec {
                max_claims: Vec::new(),
                affinity: Vec::new(),
                working_set: 0,
                nice: 0,
                name: format!("J{i}"),
                arrival: Tick(job.arrival),
                priority: 0,
                tickets: 100,
                options: Default::default(),
                program: program.into(),
            }
        })
        .collect();
    let scenario = Scenario {
        name: "mlfq reference".into(),
        description: None,
        cpus: 1,
        policy: PolicyConfig::Mlfq(MlfqConfig {
            levels: o
                .levels
                .iter()
                .map(|&(quantum_ticks, allotment)| MlfqLevel {
                    quantum_ticks,
                    allotment,
                })
                .collect(),
            boost_ticks: (o.boost > 0).then_some(o.boost),
            io_resets_allotment: o.io_resets,
            io_done_to_front: o.io_to_front,
            ostep_boost: o.ostep_boost,
            demote_when_alone: true,
            preempt_at_quantum_end: false,
            renew_each_dispatch: false,
            order_by_priority: false,
        }),
        seed: 0,
        rules: Rules {
            preempted_before_arrivals: o.expired_before_arrivals,
            context_switch_ticks: 0,
            ..Rules::default()
        },
        devices: vec![Device {
            name: DEFAULT_DEVICE_NAME.into(),
            servers: None,
        }],
        processes,
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
    RunReport::of(&crate::support::run(scenario))
        .processes
        .iter()
        .map(|p| (p.response.unwrap(), p.turnaround.unwrap()))
        .collect()
}

prop_compose! {
    fn job()(arrival in 0u64..40, run in 1u64..60, io_every in prop_oneof![Just(0u64), 1u64..12], io_ticks in 1u64..8) -> Job {
        Job { arrival, run, io_every, io_ticks }
    }
}

prop_compose! {
    fn options()(
        levels in proptest::collection::vec((1u64..12, 1u64..4), 1..5),
        boost in prop_oneof![Just(0u64), 3u64..60],
        io_resets in any::<bool>(),
        io_to_front in any::<bool>(),
        ostep_boost in any::<bool>(),
        expired_before_arrivals in any::<bool>(),
    ) -> Options {
        Options { levels, boost, io_resets, io_to_front, ostep_boost, expired_before_arrivals }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_agrees_with_the_tick_by_tick_reference(
        jobs in proptest::collection::vec(job(), 1..6),
        options in options(),
    ) {
        prop_assert_eq!(engine(&jobs, &options), reference(&jobs, &options));
    }
}

#[test]
fn the_textbook_figures_hold() {
    // OSTEP figure 8.4 without boost: a long job alone, then two short interactive jobs.
    let jobs = [
        Job {
            arrival: 0,
            run: 200,
            io_every: 0,
            io_ticks: 5,
        },
        Job {
            arrival: 100,
            run: 20,
            io_every: 0,
            io_ticks: 5,
        },
        Job {
            arrival: 100,
            run: 20,
            io_every: 0,
            io_ticks: 5,
        },
    ];
    let options = Options {
        levels: vec![(10, 1); 3],
        boost: 0,
        io_resets: false,
        io_to_front: false,
        ostep_boost: false,
        expired_before_arrivals: true,
    };
    assert_eq!(engine(&jobs, &options), vec![(0, 240), (0, 30), (10, 40)]);
}

#[test]
fn two_processes_back_from_io_at_once_run_in_the_order_they_stand() {
    // J0 and J1 both finish IO at t=4 and go to the front of level 0 while J2 runs there: as in
    // mlfq.py -I, the later one stands first, and J2 resumes after both (no ping-pong).
    let jobs = [
        Job {
            arrival: 0,
            run: 4,
            io_every: 2,
            io_ticks: 2,
        },
        Job {
            arrival: 0,
            run: 4,
            io_every: 2,
            io_ticks: 2,
        },
        Job {
            arrival: 0,
            run: 20,
            io_every: 0,
            io_ticks: 1,
        },
    ];
    let options = Options {
        levels: vec![(50, 1)],
        boost: 0,
        io_resets: false,
        io_to_front: true,
        ostep_boost: false,
        expired_before_arrivals: true,
    };
    assert_eq!(engine(&jobs, &options), reference(&jobs, &options));
}

/// `preempt: at_quantum_end`: B, new at level 0, waits for A's level-1 quantum to end.
#[test]
fn a_new_arrival_waits_for_the_quantum_to_end_when_asked() {
    let run = |preempt: &str| {
        let scenario = crate::support::scenario(&format!(
            "name: t\npolicy: {{kind: mlfq, levels: [{{quantum: 1}}, {{quantum: 4}}]{preempt}}}\n\
             processes: [{{name: A, burst: 6}}, {{name: B, arrival: 2, burst: 1}}]"
        ));
        let report = crate::support::report_of(scenario);
        (
            report.processes[0].completion,
            report.processes[1].completion,
        )
    };
    assert_eq!(run(""), (Some(7), Some(3)));
    assert_eq!(run(", preempt: immediate"), (Some(7), Some(3)));
    assert_eq!(run(", preempt: at_quantum_end"), (Some(7), Some(6)));
}

/// `slice: renew_each_dispatch`: a full quantum at each dispatch, demotion once the CPU at a
/// level adds up to quantum × allotment (here A uses 3 + 3 at level 0, quantum 4).
#[test]
fn renew_each_dispatch_gives_full_quanta_and_demotes_by_the_cpu_used_at_the_level() {
    let yaml = |slice: &str| {
        format!(
            "name: m\npolicy: {{kind: mlfq, levels: [{{quantum: 4}}, {{quantum: 8}}]{slice}}}\n\
             processes:\n\
             - {{name: A, program: [{{cpu: 3}}, {{io: 2}}, {{cpu: 3}}, {{io: 2}}, {{cpu: 2}}]}}\n\
             - {{name: B, burst: 20}}\n"
        )
    };
    let demotions = |yaml: &str| -> Vec<(u64, String)> {
        let simulator = crate::support::run(crate::support::scenario(yaml));
        simulator
            .log()
            .iter()
            .filter(|e| e.event.verb() == "demote")
            .map(|e| {
                let pid = e.event.pid().unwrap();
                (e.time.0, simulator.roster().name(pid).to_string())
            })
            .collect()
    };
    // Renewed: A runs 7-10 with a full quantum and moves down as it blocks at 10 (6 ≥ 4).
    assert_eq!(
        demotions(&yaml(", slice: renew_each_dispatch")),
        [(7, "B".to_string()), (10, "A".to_string())]
    );
    // Carried over (the default): A has 1 tick left at 7 and moves down when it runs out, at 8.
    assert_eq!(
        demotions(&yaml("")),
        [(7, "B".to_string()), (8, "A".to_string())]
    );
}

/// `order_in_level: priority`: a level stands by priority, FIFO among equals.
#[test]
fn order_in_level_priority_serves_a_level_by_priority() {
    let yaml = |order: &str| {
        format!(
            "name: o\npolicy: {{kind: mlfq, levels: [{{quantum: 2}}]{order}}}\n\
             processes:\n\
             - {{name: A, priority: 3, burst: 2}}\n\
             - {{name: B, priority: 1, burst: 2}}\n\
             - {{name: C, priority: 2, burst: 2}}\n\
             - {{name: D, priority: 1, burst: 2}}\n"
        )
    };
    let order = |yaml: &str| -> Vec<String> {
        let report = crate::support::report_of(crate::support::scenario(yaml));
        let mut rows: Vec<_> = report.processes.iter().collect();
        rows.sort_by_key(|row| row.completion);
        rows.iter().map(|row| row.name.clone()).collect()
    };
    assert_eq!(
        order(&yaml(", order_in_level: priority")),
        ["B", "D", "C", "A"]
    );
    assert_eq!(order(&yaml("")), ["A", "B", "C", "D"]);
}
