//! Any text as a student's answer (YAML or JSON): grading never panics and scores are finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::exercise::Exercise;
use sim_core::grading::{self, AnswerKey};
use std::sync::OnceLock;

const SCENARIO: &str = "name: exam\npolicy: {kind: rr, quantum: 2}\n\
    processes: [{name: P1, burst: 5}, {name: P2, arrival: 1, program: [{cpu: 1}, {io: 3}, {cpu: 2}]}, {name: P3, burst: 2}]\n\
    grading: {completion: 1, waiting: 1, averages: 1, gantt: 2, order: 1, states_at: 1, at: [2, 4]}\n";

fn key() -> &'static AnswerKey {
    static KEY: OnceLock<AnswerKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let exercise = Exercise::from_yaml(SCENARIO).unwrap();
        AnswerKey::of_exercise(&exercise, 10_000).unwrap().unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for file in ["a.yaml", "a.json"] {
        let graded = grading::grade(file, text, key());
        assert!(graded.score.is_finite() && graded.score <= graded.max_score + 1e-9);
        let _ = grading::formats::text(std::slice::from_ref(&graded));
        let _ = grading::formats::csv(std::slice::from_ref(&graded));
        let _ = grading::formats::junit(std::slice::from_ref(&graded));
    }
});
