//! Engine throughput: 100,000 processes with CPU bursts and IO under each policy, reported as
//! events per second. Figures are noted in docs/performance.md. `PROCSIM_BENCH_ONLY=rr,mlfq`
//! runs only the named workloads (for profiling one).

mod common;
use common::streamed_run;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim_core::Tick;
use sim_core::scenario::{
    ChildSpec, DEFAULT_DEVICE_NAME, Device, DeviceId, FcfsConfig, LifecycleOptions, LotteryDraw,
    MlfqConfig, MlfqLevel, PolicyConfig, ProcessSpec, Rules, Scenario, Step, WaitTarget,
};
use std::hint::black_box;
use std::sync::Arc;

const PROCESSES: usize = 100_000;

/// A deterministic workload: bursts and IO lengths from a small linear congruential generator,
/// arrivals spread so that the ready queue stays long. Burst lengths are huge on purpose: cost
/// must follow the number of events, not of ticks.
fn workload(policy: PolicyConfig) -> Scenario {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |range: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % range + 1
    };
    let processes = (0..PROCESSES)
        .map(|i| ProcessSpec {
            max_claims: Vec::new(),
            affinity: Vec::new(),
            working_set: 0,
            nice: 0,
            name: format!("P{i}"),
            arrival: Tick(i as u64 * 40),
            priority: next(5) as i64,
            tickets: 100,
            options: LifecycleOptions::default(),
            program: Arc::from(vec![
                Step::Cpu {
                    ticks: next(100) * 1_000,
                },
                Step::Io {
                    device: DeviceId(next(2) as usize - 1),
                    ticks: next(50),
                },
                Step::Cpu { ticks: next(100) },
            ]),
        })
        .collect();
    Scenario {
        name: "benchmark".into(),
        description: None,
        cpus: 4,
        policy,
        seed: 0,
        rules: Rules::default(),
        devices: vec![
            Device {
                name: DEFAULT_DEVICE_NAME.into(),
                servers: None,
            },
            Device {
                name: "disk".into(),
                servers: Some(2),
            },
        ],
        processes,
        max_processes: PROCESSES * 2,
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

/// A process pool: one parent forks `PROCESSES` workers (CPU, IO, CPU), then reaps them all
/// with `wait: any`; the fork, exit, reap and wake path at scale.
fn pool(policy: PolicyConfig) -> Scenario {
    let worker = Arc::new(ChildSpec {
        name: "worker".into(),
        priority: None,
        tickets: None,
        nice: None,
        options: LifecycleOptions::default(),
        program: Some(Arc::from(vec![
            Step::Cpu { ticks: 3_000 },
            Step::Io {
                device: DeviceId(1),
                ticks: 7,
            },
            Step::Cpu { ticks: 500 },
        ])),
        result_in_register: false,
    });
    let mut program = Vec::new();
    for _ in 0..PROCESSES {
        program.push(Step::Fork(worker.clone()));
        program.push(Step::Cpu { ticks: 1 });
    }
    program.extend((0..PROCESSES).map(|_| Step::Wait(WaitTarget::Any)));
    let mut scenario = workload(policy);
    scenario.processes = vec![ProcessSpec {
        max_claims: Vec::new(),
        affinity: Vec::new(),
        working_set: 0,
        nice: 0,
        name: "pool".into(),
        arrival: Tick(0),
        priority: 0,
        tickets: 100,
        options: LifecycleOptions::default(),
        program: Arc::from(program),
    }];
    scenario
}

fn policies() -> Vec<(&'static str, PolicyConfig)> {
    vec![
        ("fcfs", PolicyConfig::Fcfs(FcfsConfig::default())),
        ("sjf", PolicyConfig::Sjf),
        ("srtf", PolicyConfig::Srtf),
        (
            "rr",
            PolicyConfig::Rr {
                quantum_ticks: 2000,
            },
        ),
        (
            "priority",
            PolicyConfig::Priority {
                preemptive: true,
                quantum_ticks: Some(2000),
                aging: sim_core::scenario::Aging::PerPick(0),
                from_nice: false,
            },
        ),
        (
            "mlfq",
            PolicyConfig::Mlfq(MlfqConfig {
                levels: vec![
                    MlfqLevel {
                        quantum_ticks: 500,
                        allotment: 1,
                    },
                    MlfqLevel {
                        quantum_ticks: 2000,
                        allotment: 2,
                    },
                    MlfqLevel {
                        quantum_ticks: 8000,
                        allotment: 1,
                    },
                ],
                boost_ticks: Some(100_000),
                io_resets_allotment: false,
                io_done_to_front: false,
                ostep_boost: false,
                demote_when_alone: true,
                preempt_at_quantum_end: false,
                renew_each_dispatch: false,
                order_by_priority: false,
            }),
        ),
        ("hrrn", PolicyConfig::Hrrn),
        (
            "lottery",
            PolicyConfig::Lottery {
                quantum_ticks: 2000,
                draw: LotteryDraw::Uniform,
            },
        ),
        (
            "stride",
            PolicyConfig::Stride {
                quantum_ticks: 2000,
            },
        ),
    ]
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("100k-processes-with-io");
    group.sample_size(10);
    let mut workloads: Vec<(String, Scenario)> = policies()
        .into_iter()
        .map(|(name, policy)| (name.to_string(), workload(policy)))
        .collect();
    workloads.push((
        "fork-pool-rr".into(),
        pool(PolicyConfig::Rr {
            quantum_ticks: 2000,
        }),
    ));
    // Each workload is run once first to count its events, whatever criterion's filter;
    // PROCSIM_BENCH_ONLY=rr,mlfq limits the workloads (and those runs) to some.
    let only = std::env::var("PROCSIM_BENCH_ONLY").ok();
    let wanted = |name: &str| {
        only.as_deref()
            .is_none_or(|only| only.split(',').any(|o| o == name))
    };
    for (name, scenario) in workloads.into_iter().filter(|(name, _)| wanted(name)) {
        group.throughput(Throughput::Elements(streamed_run(scenario.clone()) as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(name),
            &scenario,
            |b, scenario| {
                // Each run takes its own copy of the scenario, made outside the timing.
                b.iter_batched(
                    || scenario.clone(),
                    |scenario| black_box(streamed_run(scenario)),
                    BatchSize::LargeInput,
                )
            },
        );
    }
    group.finish();
}

/// The same workload under round robin with every length (bursts, IO, arrivals, quantum) 10^9
/// times longer: a run's cost follows its events, not its ticks, so both take about as long.
fn burst_lengths(c: &mut Criterion) {
    let mut group = c.benchmark_group("burst-lengths");
    group.sample_size(10);
    let scale = |factor: u64| {
        let mut scenario = workload(PolicyConfig::Rr {
            quantum_ticks: 2000 * factor,
        });
        for process in &mut scenario.processes {
            process.arrival = Tick(process.arrival.0 * factor);
            process.program = process
                .program
                .iter()
                .map(|step| match step {
                    Step::Cpu { ticks } => Step::Cpu {
                        ticks: ticks * factor,
                    },
                    Step::Io { device, ticks } => Step::Io {
                        device: *device,
                        ticks: ticks * factor,
                    },
                    other => other.clone(),
                })
                .collect();
        }
        scenario
    };
    for (name, factor) in [("x1", 1), ("x1e9", 1_000_000_000)] {
        let scenario = scale(factor);
        group.throughput(Throughput::Elements(streamed_run(scenario.clone()) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &scenario, |b, s| {
            b.iter_batched(
                || s.clone(),
                |scenario| black_box(streamed_run(scenario)),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, engine, burst_lengths);
criterion_main!(benches);
