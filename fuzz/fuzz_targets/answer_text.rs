//! Any text as a student's answer (YAML or JSON) under any file name: grading never panics,
//! scores are finite, and the batch outputs a grader opens stay well formed whatever the name
//! and the answer hold — the JUnit report parses as XML, the CSV has one cell per column on
//! every row, the JSON and Gradescope results parse as JSON.
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
    // The first line is the file's name (the student id comes from it), the rest its text.
    let (name, answer) = text.split_once('\n').unwrap_or(("a", text));
    let mut graded = Vec::new();
    for extension in ["yaml", "json"] {
        let file = format!("{name}.{extension}");
        let one = grading::grade(&file, answer, key());
        assert!(one.score.is_finite() && one.score <= one.max_score + 1e-9);
        graded.push(one);
    }
    let _ = grading::formats::text(&graded);
    let junit = grading::formats::junit(&graded);
    if let Err(error) = roxmltree::Document::parse(&junit) {
        panic!("the JUnit report is not XML: {error}\n{junit}");
    }
    let csv = grading::formats::csv(&graded);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv.as_bytes());
    for row in reader.records() {
        if let Err(error) = row {
            panic!("the CSV grades are malformed: {error}\n{csv}");
        }
    }
    serde_json::from_str::<serde_json::Value>(&grading::formats::json(&graded))
        .expect("the JSON grades parse");
    serde_json::from_str::<serde_json::Value>(&grading::formats::gradescope(&graded, &key().rubric))
        .expect("the Gradescope results parse");
});
