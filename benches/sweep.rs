//! `procsim sweep` over 1,000 runs (round robin, quantum 1..20, seeds 0..49) of the classroom's
//! generated workload with 500 processes, with one rayon thread and with the default (one per
//! core): the command as a user runs it, process start included. docs/performance.md notes the
//! figures (on 2 cores the second is ≥ 1.7× faster).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::process::Command;

/// The classroom scenario the sweep runs, with more processes.
const CLASSROOM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/classroom/generated-workload.yaml"
);

/// The classroom file's text with 500 processes instead of 12.
fn workload() -> String {
    let text = std::fs::read_to_string(CLASSROOM).expect("the classroom scenario is read");
    assert!(
        text.contains("  count: 12\n"),
        "{CLASSROOM} has changed its count"
    );
    text.replace("  count: 12\n", "  count: 500\n")
}

fn sweep(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let scenario = dir.path().join("workload.yaml");
    std::fs::write(&scenario, workload()).expect("the scenario is written");
    let mut group = c.benchmark_group("sweep-1000-runs");
    group.sample_size(10);
    for threads in ["1", "default"] {
        group.bench_function(format!("threads-{threads}"), |b| {
            b.iter(|| {
                let mut command = Command::new(env!("CARGO_BIN_EXE_procsim"));
                command.arg("sweep").arg(&scenario).args([
                    "--policies",
                    "rr",
                    "--quantum",
                    "1..20",
                    "--seeds",
                    "0..49",
                    "--format",
                    "csv",
                ]);
                if threads == "default" {
                    command.env_remove("RAYON_NUM_THREADS");
                } else {
                    command.env("RAYON_NUM_THREADS", threads);
                }
                let output = command.output().expect("procsim runs");
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                // A header and one row per run.
                assert_eq!(output.stdout.iter().filter(|&&b| b == b'\n').count(), 1_001);
                black_box(output.stdout.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sweep);
criterion_main!(benches);
