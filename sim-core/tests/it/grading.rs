//! Grading against answer keys: which questions a rubric asks, follow-through credit, ties in
//! the completion order, and questions about given times.

use crate::support::exercise;
use sim_core::exercise::Problem;
use sim_core::grading::{self, AnswerKey, grade};

fn key(yaml: &str) -> AnswerKey {
    AnswerKey::of_exercise(&exercise(yaml), 100_000)
        .unwrap()
        .unwrap()
}

fn points(graded: &sim_core::grading::GradedFile, question: &str) -> (f64, String) {
    let item = graded
        .items
        .iter()
        .find(|i| i.question == question)
        .unwrap_or_else(|| panic!("no question {question}: {:?}", graded.items));
    (item.points, item.feedback.clone())
}

#[test]
fn the_default_questions_are_every_metric_and_average_worth_one_point() {
    let key = key("name: t\npolicy: fcfs\nprocesses: [{name: A, burst: 2}, {name: B, burst: 3}]\n");
    let graded = grade("a.yaml", "", &key);
    assert_eq!(
        graded.max_score, 11.0,
        "4 metrics x 2 processes + 3 averages"
    );
    assert!(graded.items.iter().all(|i| i.feedback == "missing"));
}

#[test]
fn follow_through_can_be_turned_off() {
    let text = "processes: {B: {completion: 6, turnaround: 6}}\n";
    let with =
        key("name: t\npolicy: fcfs\nprocesses: [{name: A, burst: 2}, {name: B, burst: 3}]\n");
    assert_eq!(points(&grade("a.yaml", text, &with), "B.turnaround").0, 1.0);
    let without = key(
        "name: t\npolicy: fcfs\nprocesses: [{name: A, burst: 2}, {name: B, burst: 3}]\n\
         grading: {completion: 1, turnaround: 1, follow_through: false}\n",
    );
    let (earned, feedback) = points(&grade("a.yaml", text, &without), "B.turnaround");
    assert_eq!(earned, 0.0);
    assert_eq!(
        feedback,
        "expected 5: turnaround = completion − arrival = 5 − 0 = 5"
    );
}

#[test]
fn averages_are_right_within_the_tolerance_or_when_they_follow_from_the_students_values() {
    let key = key(
        "name: t\npolicy: fcfs\nprocesses: [{name: A, burst: 2}, {name: B, burst: 3}]\n\
         grading: {turnaround: 1, averages: 1, tolerance: 0.1}\n",
    );
    // Key: turnaround 2 and 5, mean 3.5.
    let graded = grade("a.yaml", "averages: {turnaround: 3.45}\n", &key);
    assert_eq!(points(&graded, "averages.turnaround").0, 1.0);
    let graded = grade(
        "a.yaml",
        "processes: {A: {turnaround: 2}, B: {turnaround: 6}}\naverages: {turnaround: 4}\n",
        &key,
    );
    assert_eq!(points(&graded, "B.turnaround").0, 0.0);
    let (earned, feedback) = points(&graded, "averages.turnaround");
    assert_eq!(earned, 1.0);
    assert!(feedback.starts_with("follows from your own per-process values"));
}

#[test]
fn processes_finishing_together_may_be_listed_in_either_order() {
    let key = key(
        "name: t\ncpus: 2\npolicy: fcfs\nprocesses: [{name: A, burst: 2}, {name: B, burst: 2}, {name: C, burst: 1}]\n\
         grading: {order: 1}\n",
    );
    for order in ["[A, B, C]", "[B, A, C]"] {
        let graded = grade("a.yaml", &format!("order: {order}\n"), &key);
        assert_eq!(graded.score, 1.0, "{order}");
    }
    let graded = grade("a.yaml", "order: [C, A, B]\n", &key);
    assert_eq!(graded.score, 0.0);
}

#[test]
fn questions_at_given_times_come_from_the_rubric() {
    let key = key("name: t\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{fork: {name: C, program: [{cpu: 1}]}}, {cpu: 1}, {io: 5}, {wait: C}]}\n\
         grading: {states_at: 1, zombies_at: 2, tree_at: 1, at: [3]}\n");
    // P runs 0-1 then IO until 6; C runs 1-2 and is a zombie from 2 to 6.
    let answer = "states_at: {3: {P: waiting, C: zombie}}\nzombies_at: {3: [C]}\ntree_at: {3: {C: P, P: init}}\n";
    let graded = grade("a.yaml", answer, &key);
    assert_eq!(graded.score, graded.max_score, "{:?}", graded.items);
    assert_eq!(graded.max_score, 2.0 + 2.0 + 2.0);
    let wrong = grade("a.yaml", "zombies_at: {3: []}\n", &key);
    assert_eq!(points(&wrong, "zombies_at.3").0, 0.0);
    let unknown = grade("a.yaml", "states_at: {3: {Q: ready}}\n", &key);
    assert!(unknown.error.unwrap().contains("no process is named `Q`"));
}

#[test]
fn the_key_in_the_answer_format_scores_full_marks() {
    for path in crate::support::scenario_files() {
        let exercise = crate::support::load_exercise(&path);
        let rubric = &exercise.rubric;
        match &exercise.problem {
            Problem::Scenario(_) => {}
            Problem::Matrix(matrix) => {
                let text = sim_core::yaml::to_string(&grading::matrix::key_answer(matrix, rubric));
                let graded = grading::matrix::grade("key.yaml", &text, matrix, rubric);
                assert!(graded.max_score > 0.0, "{}", path.display());
                assert_eq!(
                    graded.score,
                    graded.max_score,
                    "{}: {graded:?}",
                    path.display()
                );
                continue;
            }
        }
        let key = AnswerKey::of_exercise(&exercise, 10_000_000)
            .unwrap()
            .unwrap();
        let text = sim_core::yaml::to_string(&key.answer());
        let graded = grade("key.yaml", &text, &key);
        // A rubric that asks nothing would pass trivially: every scenario's key asks something.
        assert!(graded.max_score > 0.0, "{}", path.display());
        assert_eq!(
            graded.score,
            graded.max_score,
            "{}: {:?}",
            path.display(),
            graded
                .items
                .iter()
                .filter(|i| i.points < i.max_points)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn matrix_answers_are_checked_not_compared() {
    let path = crate::support::scenarios_dir().join("sync/banker-textbook.yaml");
    let exercise = crate::support::load_exercise(&path);
    let (Problem::Matrix(matrix), rubric) = (&exercise.problem, &exercise.rubric) else {
        panic!("a matrix exercise");
    };
    // The book's own sequence differs from the key's and is right; an unsafe order is wrong.
    let book = grading::matrix::grade(
        "book.yaml",
        "safe: true\nsequence: [P1, P3, P4, P2, P0]\n",
        matrix,
        rubric,
    );
    assert_eq!((book.score, book.max_score), (2.0, 2.0), "{book:?}");
    let wrong = grading::matrix::grade(
        "wrong.yaml",
        "safe: true\nsequence: [P0, P1, P2, P3, P4]\n",
        matrix,
        rubric,
    );
    assert_eq!(wrong.score, 1.0);
    assert!(
        wrong.items[1].feedback.contains("P0 needs (7, 4, 3)"),
        "{wrong:?}"
    );
    let missing = grading::matrix::grade("empty.yaml", "{}\n", matrix, rubric);
    assert_eq!(missing.score, 0.0);
    assert_eq!(missing.items[0].feedback, "missing");
}

#[test]
fn a_request_stream_is_graded_item_by_item_in_words_or_as_granted_or_not() {
    let path = crate::support::scenarios_dir().join("sync/banker-request-stream.yaml");
    let exercise = crate::support::load_exercise(&path);
    let (Problem::Matrix(matrix), rubric) = (&exercise.problem, &exercise.rubric) else {
        panic!("a matrix exercise");
    };
    let graded = grading::matrix::grade(
        "a.yaml",
        "safe: true\nsequence: [P1, P3, P4, P0, P2]\n\
         requests: [true, false, denied, released, wait, error]\n",
        matrix,
        rubric,
    );
    // safe, sequence, then one item a request: the fifth is wrong (unsafe, not waiting).
    let questions: Vec<&str> = graded.items.iter().map(|i| i.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "safe",
            "sequence",
            "requests[1]",
            "requests[2]",
            "requests[3]",
            "requests[4]",
            "requests[5]",
            "requests[6]"
        ]
    );
    assert!(
        (graded.score - (3.0 - 1.0 / 6.0)).abs() < 1e-9,
        "{graded:?}"
    );
    assert_eq!(graded.max_score, 3.0);
    assert!(
        graded.items[6]
            .feedback
            .contains("P4 requests (3, 3, 0): unsafe"),
        "{:?}",
        graded.items[6]
    );
    // A short list: the items it lacks are missing.
    let short = grading::matrix::grade("b.yaml", "requests: [granted]\n", matrix, rubric);
    assert_eq!(short.items[3].feedback, "missing");
    assert!((short.score - 1.0 / 6.0).abs() < 1e-9, "{short:?}");
}

#[test]
fn a_deadlock_question_grades_the_set_of_deadlocked_processes() {
    let key = key("
name: two locks
policy: {kind: rr, quantum: 1}
resources: [{name: A}, {name: B}]
grading: {deadlocked: 2}
processes:
  - {name: P1, program: [{acquire: A}, {cpu: 2}, {acquire: B}, {cpu: 1}]}
  - {name: P2, program: [{acquire: B}, {cpu: 2}, {acquire: A}, {cpu: 1}]}
");
    let right = grade("a.yaml", "deadlocked: [P2, P1]\n", &key);
    assert_eq!((right.score, right.max_score), (2.0, 2.0), "{right:?}");
    let wrong = grade("b.yaml", "deadlocked: []\n", &key);
    assert_eq!(wrong.score, 0.0);
}

#[test]
fn averages_cover_the_finished_processes_and_an_empty_one_is_null() {
    let deadlocked = crate::support::report_of(crate::support::scenario(
        "name: d\npolicy: {kind: rr, quantum: 1}\nresources: [{name: A}, {name: B}]\nprocesses:\n\
         - {name: P1, program: [{acquire: A}, {cpu: 2}, {acquire: B}, {release: B}, {release: A}]}\n\
         - {name: P2, program: [{acquire: B}, {cpu: 2}, {acquire: A}, {release: A}, {release: B}]}\n",
    ));
    assert_eq!(deadlocked.averages.finished, 0);
    assert_eq!(deadlocked.averages.turnaround, None);
    let json = serde_json::to_value(&deadlocked).unwrap();
    assert!(json["averages"]["waiting"].is_null());
    assert!(sim_core::render::report_text(&deadlocked).contains("Average turnaround -  waiting -"));
}

/// A process with threads: its waiting is its own (ticks one of its threads was ready and
/// none ran), the key's explanation says which CPU figure it subtracts, and follow-through
/// credit subtracts the same ticks on a CPU from the student's turnaround.
#[test]
fn a_threaded_process_is_graded_by_its_own_ticks() {
    // Two CPUs: T1 and T2 run 0-6 side by side (12 of CPU, 6 ticks on a CPU); late waits.
    let key = key("name: t\ncpus: 2\npolicy: fcfs\nprocesses:\n\
         - {name: app, program: [{spawn: {name: T1, program: [{cpu: 6}]}}, {spawn: {name: T2, program: [{cpu: 6}]}}, {join: T1}, {join: T2}]}\n\
         grading: {completion: 1, waiting: 1}\n");
    let row = key.row_named("app").unwrap();
    assert_eq!((row.cpu_time, row.on_cpu, row.waiting), (12, Some(6), 0));
    let wrong = grade("a.yaml", "processes: {app: {waiting: 3}}\n", &key);
    let (earned, feedback) = points(&wrong, "app.waiting");
    assert_eq!(earned, 0.0);
    assert!(
        feedback.contains("ticks on a CPU (one of its threads ran) − blocked time = 6 − 6 − 0 = 0"),
        "{feedback}"
    );
    // A student who says it completed at 8 follows through to waiting 8 − 6 − 0 = 2.
    let followed = grade(
        "a.yaml",
        "processes: {app: {completion: 8, waiting: 2}}\n",
        &key,
    );
    assert_eq!(points(&followed, "app.waiting").0, 1.0);
}

#[test]
fn a_byte_order_mark_changes_no_grade_and_a_key_given_twice_in_json_is_refused() {
    let key = key("name: g\npolicy: fcfs\nprocesses: [{name: A, burst: 2}, {name: B, burst: 1}]\n");
    let json = "{\"processes\": {\"A\": {\"completion\": 2}, \"B\": {\"completion\": 3}}}";
    let plain = grade("a.json", json, &key);
    assert!(plain.error.is_none(), "{:?}", plain.error);
    let marked = grade("a.json", &format!("\u{feff}{json}"), &key);
    assert_eq!(marked.score, plain.score);
    assert!(marked.error.is_none(), "{:?}", marked.error);
    let yaml = "processes: {A: {completion: 2}, B: {completion: 3}}\n";
    assert_eq!(
        grade("a.yaml", &format!("\u{feff}{yaml}"), &key).score,
        grade("a.yaml", yaml, &key).score
    );
    // serde_json alone would keep the last of two `A`s; YAML refuses it, and so does JSON now.
    let twice = "{\"processes\": {\"A\": {\"completion\": 9}, \"A\": {\"completion\": 2}}}";
    let graded = grade("a.json", twice, &key);
    assert_eq!(graded.score, 0.0);
    assert_eq!(graded.error.as_deref(), Some("1:42: `A` is given twice"));
}

#[test]
fn accept_any_outcome_takes_an_answer_some_schedule_gives_and_names_the_schedule() {
    let scenario = "name: c\ncpus: 1\npolicy: fcfs\nglobals: {counter: 0}\n\
        processes:\n  - name: py\n    gil: {switch_interval: 5, switch_points: any}\n    program:\n\
        \x20     - spawn: {name: A, program: [{repeat: 3, steps: [{read: counter}, {bytecode: 1}, {add: 1}, {write: counter}]}]}\n\
        \x20     - spawn: {name: B, program: [{repeat: 3, steps: [{read: counter}, {bytecode: 1}, {add: 1}, {write: counter}]}]}\n\
        \x20     - join: A\n      - join: B\n      - print: \"counter = {counter}\"\n";
    let any = key(&format!(
        "{scenario}grading: {{output: 1, variables: 1, accept: any_outcome}}\n"
    ));
    let documented = key(&format!("{scenario}grading: {{output: 1, variables: 1}}\n"));
    let lost = "output: [\"counter = 3\"]\nvariables: {py.counter: 3}\n";
    // Some schedule loses three updates: right under any_outcome, with the schedule named.
    let graded = grade("a.yaml", lost, &any);
    assert_eq!(graded.score, graded.max_score, "{:?}", graded.items);
    let (_, feedback) = points(&graded, "variables.py.counter");
    assert!(
        feedback.contains("--schedule 0,0,0,0,0,0,0,0,0,0,1"),
        "{feedback}"
    );
    // Under the documented order only, the same answer is wrong.
    let graded = grade("a.yaml", lost, &documented);
    assert_eq!(graded.score, 0.0);
    // The documented outcome stays right, with the plain feedback.
    let six = "output: [\"counter = 6\"]\nvariables: {py.counter: 6}\n";
    let graded = grade("a.yaml", six, &any);
    assert_eq!(graded.score, graded.max_score);
    assert_eq!(points(&graded, "output.1").1, "correct");
    // No schedule ends at 2 (with at most two forced switches): wrong, graded against the
    // documented run (nothing closer).
    let two = "output: [\"counter = 2\"]\nvariables: {py.counter: 2}\n";
    let graded = grade("a.yaml", two, &any);
    assert_eq!(graded.score, 0.0);
    // Right output with a variable no schedule pairs with it: the closest outcome grades it.
    let mixed = "output: [\"counter = 4\"]\nvariables: {py.counter: 5}\n";
    let graded = grade("a.yaml", mixed, &any);
    assert_eq!(graded.score, 1.0, "{:?}", graded.items);
    let wrong = graded.items.iter().find(|i| i.points == 0.0).unwrap();
    assert!(
        wrong.feedback.contains("closest to your answer"),
        "{}",
        wrong.feedback
    );
}

#[test]
fn a_vruntime_is_right_within_the_tolerance_and_asked_only_of_a_policy_that_keeps_one() {
    // cfs-nice's final vruntimes: high 2.625, normal 8, low 24.454.
    let exercise = "name: v\npolicy: {kind: cfs, latency: 6}\nprocesses:\n  \
        - {name: high, nice: -5, burst: 8}\n  - {name: normal, burst: 8}\n  \
        - {name: low, nice: 5, burst: 8}\ngrading: {vruntime: 1}\n";
    let cfs = key(exercise);
    let answer =
        "processes:\n  high: {vruntime: 2.63}\n  normal: {vruntime: 8}\n  low: {vruntime: 24.4}\n";
    let graded = grade("a.yaml", answer, &cfs);
    assert_eq!(graded.max_score, 3.0);
    assert_eq!(points(&graded, "high.vruntime").0, 1.0, "within 0.01");
    assert_eq!(points(&graded, "normal.vruntime").0, 1.0);
    let (earned, feedback) = points(&graded, "low.vruntime");
    assert_eq!(earned, 0.0);
    assert!(feedback.contains("24.454"), "{feedback}");
    // The key says them to three decimals.
    assert_eq!(cfs.answer().processes["low"].vruntime, Some(24.454));
    // The worked solution says them too.
    let solution = grading::solution::markdown(&cfs);
    assert!(solution.contains("## vruntime"), "{solution}");
    assert!(solution.contains("| low | 8 | 24.454 |"), "{solution}");
    // Round robin keeps no vruntime: nothing to ask.
    let rr = key(&exercise.replace("{kind: cfs, latency: 6}", "{kind: rr, quantum: 2}"));
    assert_eq!(grade("a.yaml", answer, &rr).max_score, 0.0);
}
