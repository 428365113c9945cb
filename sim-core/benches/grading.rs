//! Grading throughput: a batch of 10,000 answer files (correct, partly wrong, malformed)
//! against one key, reported as answers per second. Figures are in docs/performance.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sim_core::exercise::Exercise;
use sim_core::grading::{AnswerKey, grade};
use std::hint::black_box;

const ANSWERS: usize = 10_000;

const SCENARIO: &str = r#"name: exam
policy: {kind: rr, quantum: 4}
processes:
  - {name: P1, burst: 24}
  - {name: P2, burst: 3}
  - {name: P3, burst: 3}
  - {name: P4, arrival: 2, program: [{cpu: 5}, {io: 4}, {cpu: 2}]}
grading: {completion: 1, turnaround: 1, waiting: 1, response: 1, averages: 2, gantt: 3, order: 1}
"#;

fn answers(key: &AnswerKey) -> Vec<(String, String)> {
    let correct = sim_core::yaml::to_string(&key.answer());
    (0..ANSWERS)
        .map(|i| {
            let text = match i % 4 {
                0 => correct.clone(),
                1 => correct.replacen("waiting: ", "waiting: 1", 2),
                2 => format!("processes:\n  P1: {{completion: {}, turnaround: {}}}\ngantt: \"P1 0-4, P2 4-7, P3 7-10, P1 10-{}\"\n", 30 + i % 7, 30 + i % 7, 14 + i % 9),
                _ => format!("processes: {{P{}: [", i % 5),
            };
            (format!("s{i:05}.yaml"), text)
        })
        .collect()
}

fn grading(c: &mut Criterion) {
    let exercise = Exercise::from_yaml(SCENARIO).unwrap();
    let key = AnswerKey::of_exercise(&exercise, 1_000_000)
        .unwrap()
        .unwrap();
    let batch = answers(&key);
    let mut group = c.benchmark_group("grading");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ANSWERS as u64));
    group.bench_function("10k-answers", |b| {
        b.iter(|| {
            let total: f64 = batch
                .iter()
                .map(|(file, text)| grade(file, text, &key).score)
                .sum();
            black_box(total)
        })
    });
    group.finish();
}

criterion_group!(benches, grading);
criterion_main!(benches);
