//! The workloads beside plain scheduling: locks (a run where processes take and release
//! locks, block on them and are woken), and the textbook matrix exercises (the banker's safety
//! check on a large state), and `procsim explore` on the course's races (every schedule, and
//! one plain run of the same scenario to compare a run's cost with). Figures are noted in
//! docs/performance.md.

mod common;
use common::streamed_run;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sim_core::Scenario;
use sim_core::matrix::Matrix;
use std::fmt::Write;
use std::hint::black_box;

const SYNC_PROCESSES: usize = 5_000;
const LOCKS: usize = 16;

/// `SYNC_PROCESSES` processes arriving one a tick on 4 CPUs under round robin, each taking one
/// of `LOCKS` locks around a short critical section, then doing IO: many wait for a lock.
fn locks() -> Scenario {
    let mut yaml =
        String::from("name: locks at scale\ncpus: 4\npolicy: {kind: rr, quantum: 2}\nresources:\n");
    for lock in 0..LOCKS {
        let _ = writeln!(yaml, "  - {{name: L{lock}}}");
    }
    yaml.push_str("processes:\n");
    for i in 0..SYNC_PROCESSES {
        let lock = (i * 7) % LOCKS;
        let _ = writeln!(
            yaml,
            "  - {{name: P{i}, arrival: {i}, program: [{{cpu: {}}}, {{acquire: L{lock}}}, {{cpu: {}}}, {{release: L{lock}}}, {{io: 2}}, {{cpu: 1}}]}}",
            1 + i % 5,
            1 + i % 3,
        );
    }
    Scenario::from_yaml(&yaml).expect("the generated scenario is valid")
}

/// A safe banker's state of `processes` processes and 8 resources: each holds one instance of
/// each and may claim two more; 3 of each are free, so the scan finishes them one at a time.
fn banker(processes: usize) -> Matrix {
    let resources = 8;
    let mut yaml = String::from("name: banker at scale\nresources: {");
    for r in 0..resources {
        let _ = write!(
            yaml,
            "{}R{r}: {}",
            if r > 0 { ", " } else { "" },
            processes + 3
        );
    }
    yaml.push_str("}\nprocesses:\n");
    for i in 0..processes {
        let _ = writeln!(
            yaml,
            "  P{i}: {{allocation: [{}], max: [{}]}}",
            vec!["1"; resources].join(", "),
            vec!["3"; resources].join(", ")
        );
    }
    Matrix::from_yaml(&yaml).expect("the generated matrix is valid")
}

fn workloads(c: &mut Criterion) {
    let mut group = c.benchmark_group("workloads");
    group.sample_size(10);
    let scenario = locks();
    group.throughput(Throughput::Elements(streamed_run(scenario.clone()) as u64));
    group.bench_function("locks-5k-processes", |b| {
        b.iter_batched(
            || scenario.clone(),
            |scenario| black_box(streamed_run(scenario)),
            BatchSize::LargeInput,
        )
    });
    let matrix = banker(1_000);
    group.throughput(Throughput::Elements(1));
    group.bench_function("banker-safety-1000x8", |b| {
        b.iter(|| black_box(matrix.analyze()))
    });
    group.finish();
}

/// The text of a scenario of the repository's scenarios/ folder.
fn scenario_text(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(path);
    std::fs::read_to_string(&path).expect("the scenario is in the repository")
}

fn explore(c: &mut Criterion) {
    use sim_core::explore::{ExploreOptions, explore};
    let mut group = c.benchmark_group("explore");
    group.sample_size(20);
    for (name, path) in [
        ("counter-switch-any", "explore/counter-switch-any.yaml"),
        ("two-locks", "explore/two-locks-opposite-order.yaml"),
    ] {
        let text = scenario_text(path);
        let scenario = Scenario::from_yaml(&text).expect("the scenario is valid");
        let runs = explore(&scenario, ExploreOptions::default())
            .expect("explores")
            .runs;
        group.throughput(Throughput::Elements(runs));
        group.bench_function(format!("{name}-every-schedule"), |b| {
            b.iter(|| black_box(explore(&scenario, ExploreOptions::default()).expect("explores")))
        });
        // One normal run with its report, as `procsim run` makes it (read, run, report): what
        // one explored run should not exceed.
        group.throughput(Throughput::Elements(1));
        group.bench_function(format!("{name}-one-normal-run"), |b| {
            b.iter(|| {
                let scenario = Scenario::from_yaml(&text).expect("the scenario is valid");
                let mut simulator = sim_core::Simulator::new(scenario);
                simulator
                    .run_to_end(sim_core::DEFAULT_MAX_EVENTS)
                    .expect("runs");
                black_box(sim_core::RunReport::of(&simulator))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, workloads, explore);
criterion_main!(benches);
