//! The command line's large runs, without the process around them: a million processes from a
//! `workload:` block reported as `procsim run --summary` reports them, and ten thousand under
//! round robin with quantum 1 (2.5 M context switches) as `--summary` and as the JSON report
//! written out. docs/performance.md gives the `/usr/bin/time` figures of the same runs from the
//! CLI (with memory) beside these.

use criterion::{Criterion, criterion_group, criterion_main};
use sim_core::Scenario;
use sim_core::report::{RunSummary, run_streamed, run_streamed_without_chart};
use std::hint::black_box;

const MILLION: &str = "name: a million processes\ncpus: 4\nseed: 1\npolicy: {kind: rr, quantum: 4}\n\
    workload: {count: 1000000, arrival: {every: 4}, cpu: [1, 10], bursts: 2, io_time: [1, 5]}\n";

const TEN_THOUSAND: &str = "name: ten thousand under rr 1\ncpus: 2\nseed: 3\npolicy: {kind: rr, quantum: 1}\n\
    workload: {count: 10000, cpu: [100, 400]}\n";

/// Parses `yaml` (generating its workload) and reports it as `--summary` does.
fn summary(yaml: &str) -> RunSummary {
    let scenario = Scenario::from_yaml(yaml).expect("the workload is valid");
    let report = run_streamed_without_chart(scenario, sim_core::DEFAULT_MAX_EVENTS)
        .expect("the run ends within the limit");
    RunSummary::of(&report)
}

fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.bench_function("million-processes-summary", |b| {
        b.iter(|| black_box(summary(MILLION)))
    });
    group.bench_function("ten-thousand-rr1-summary", |b| {
        b.iter(|| black_box(summary(TEN_THOUSAND)))
    });
    group.bench_function("ten-thousand-rr1-json", |b| {
        b.iter(|| {
            let scenario = Scenario::from_yaml(TEN_THOUSAND).expect("the workload is valid");
            let report = run_streamed(scenario, sim_core::DEFAULT_MAX_EVENTS)
                .expect("the run ends within the limit");
            serde_json::to_writer_pretty(std::io::sink(), &report).expect("reports serialize");
        })
    });
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
