//! `procsim grade`, `procsim generate` and `procsim key`, end to end: correct, partly wrong,
//! empty, malformed, oversized and hostile answers; every output format; per-student problems.

use crate::{procsim, temp_file};
use std::path::Path;

const FCFS: &str = "scenarios/textbook/silberschatz-fcfs.yaml";

const CORRECT: &str = r#"processes:
  P1: {completion: 24, turnaround: 24, waiting: 0, response: 0}
  P2: {completion: 27, turnaround: 27, waiting: 24, response: 24}
  P3: {completion: 30, turnaround: 30, waiting: 27, response: 27}
averages: {turnaround: 27, waiting: 17, response: 17}
"#;

/// A directory of answers: name → text.
fn answers(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn grades(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = procsim(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

#[test]
fn a_correct_answer_scores_full_marks_and_the_json_has_the_documented_fields() {
    let (_dir, file) = temp_file("s1.yaml", CORRECT);
    let graded = grades(&["grade", FCFS, file.to_str().unwrap()]);
    let one = &graded[0];
    assert_eq!(one["score"], 15.0);
    assert_eq!(one["max_score"], 15.0);
    assert!(one["error"].is_null());
    let item = &one["items"][0];
    for field in [
        "question",
        "expected",
        "got",
        "points",
        "max_points",
        "feedback",
    ] {
        assert!(item.get(field).is_some(), "missing `{field}` in {item}");
    }
    assert_eq!(item["question"], "P1.completion");
}

#[test]
fn a_wrong_value_that_follows_from_the_students_own_mistake_gets_credit() {
    let (_dir, file) = temp_file(
        "s2.yaml",
        "processes:\n  P2: {completion: 28, turnaround: 28, waiting: 25}\n",
    );
    let graded = grades(&["grade", FCFS, file.to_str().unwrap()]);
    let item = |question: &str| {
        graded[0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["question"] == question)
            .unwrap()
            .clone()
    };
    assert_eq!(item("P2.completion")["points"], 0.0);
    assert!(
        item("P2.completion")["feedback"]
            .as_str()
            .unwrap()
            .contains("completes at 27")
    );
    assert_eq!(item("P2.turnaround")["points"], 1.0);
    assert!(
        item("P2.turnaround")["feedback"]
            .as_str()
            .unwrap()
            .starts_with("follows from your own earlier values")
    );
    assert_eq!(item("P3.waiting")["feedback"], "missing");
    assert!(item("P3.waiting")["got"].is_null());
    // P2: completion wrong, turnaround and waiting follow from it; the rest is missing.
    assert_eq!(graded[0]["score"], 2.0);
}

#[test]
fn broken_and_hostile_files_score_zero_with_an_error_and_the_batch_goes_on() {
    let bomb = {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        text.push_str("processes: {P1: {completion: *a8}}\n");
        text
    };
    let deep = format!("processes: {}{}", "[".repeat(100), "]".repeat(100));
    let huge = "x".repeat(2 * 1024 * 1024);
    let dir = answers(&[
        ("a-correct.yaml", CORRECT),
        ("b-empty.yaml", ""),
        ("c-malformed.yaml", "processes:\n  P1: {completion: 24\n"),
        ("d-oversized.yaml", &huge),
        ("e-bomb.yaml", &bomb),
        ("f-deep.yaml", &deep),
        ("g-unknown.yaml", "processes: {P9: {completion: 1}}\n"),
        ("h-binary.yaml", "\u{0}\u{1}"),
        (
            "i-answer.json",
            "{\"processes\": {\"P1\": {\"completion\": 24}}}",
        ),
        ("j-bad.json", "{\"processes\": "),
        ("notes.txt", "ignored: not an answer file"),
    ]);
    let graded = grades(&["grade", FCFS, dir.path().to_str().unwrap()]);
    let files: Vec<(String, f64, Option<String>)> = graded
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let name = Path::new(g["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            (
                name,
                g["score"].as_f64().unwrap(),
                g["error"].as_str().map(String::from),
            )
        })
        .collect();
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "a-correct.yaml",
            "b-empty.yaml",
            "c-malformed.yaml",
            "d-oversized.yaml",
            "e-bomb.yaml",
            "f-deep.yaml",
            "g-unknown.yaml",
            "h-binary.yaml",
            "i-answer.json",
            "j-bad.json"
        ],
        "sorted by name, .txt skipped"
    );
    assert_eq!(files[0].1, 15.0);
    assert_eq!(
        (files[1].1, files[1].2.is_none()),
        (0.0, true),
        "empty: all missing"
    );
    let error = |index: usize| files[index].2.clone().unwrap_or_default();
    assert!(error(2).starts_with("2:"), "{}", error(2));
    assert!(error(3).contains("over the limit"), "{}", error(3));
    // Each error gives the line and column and says what is wrong.
    assert!(
        error(4).starts_with("1:1: unknown field `a0`"),
        "{}",
        error(4)
    );
    assert!(
        error(5).starts_with("1:12: expected a map here"),
        "{}",
        error(5)
    );
    assert!(
        error(6).contains("no process is named `P9`"),
        "{}",
        error(6)
    );
    assert!(
        error(7).starts_with("1:1: unexpected character"),
        "{}",
        error(7)
    );
    assert_eq!(files[8].1, 1.0, "JSON answers are read too");
    assert!(error(9).starts_with("1:"), "{}", error(9));
    assert!(files[2..8].iter().all(|file| file.1 == 0.0));
}

#[test]
fn csv_gradescope_and_junit_outputs() {
    let dir = answers(&[("s1.yaml", CORRECT), ("s2.yaml", "processes: {P1: [")]);
    let csv = procsim(&[
        "grade",
        FCFS,
        dir.path().to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("file,score,max_score,P1.completion,"));
    assert!(lines[0].ends_with(",error"));
    assert!(lines[1].contains(",15,15,"));

    let one = procsim(&[
        "grade",
        FCFS,
        &path(&dir, "s1.yaml"),
        "--format",
        "gradescope",
    ]);
    let results: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(results["score"], 15.0);
    let tests = results["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 15);
    for test in tests {
        assert!(test["name"].is_string());
        assert!(test["score"].is_number());
        assert!(test["max_score"].is_number());
        assert!(test["output"].is_string());
        assert_eq!(test["visibility"], "visible");
    }

    let junit = procsim(&[
        "grade",
        FCFS,
        dir.path().to_str().unwrap(),
        "--format",
        "junit",
    ]);
    assert!(
        junit
            .stdout
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    );
    assert!(
        junit.stdout.contains(
            "<testsuites name=\"procsim grade\" tests=\"16\" failures=\"0\" errors=\"1\">"
        )
    );
    assert_eq!(junit.stdout.matches("<testsuite ").count(), 2);
}

#[test]
fn a_file_name_a_spreadsheet_would_run_is_neutralised_in_the_csv() {
    let dir = answers(&[("=HYPERLINK(1).yaml", CORRECT), ("@x.yaml", CORRECT)]);
    // Graded from inside the folder, the file cells are the bare names.
    let scenario = crate::repo().join(FCFS);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_procsim"))
        .args([
            "grade",
            scenario.to_str().unwrap(),
            "=HYPERLINK(1).yaml",
            "@x.yaml",
        ])
        .args(["--format", "csv"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    // Every cell read back as RFC 4180 says: no cell of text starts with a formula sign.
    for line in stdout.lines().skip(1) {
        let first = line.split(',').next().unwrap();
        assert!(first.starts_with("\"'"), "{line}");
        let cell = first.trim_matches('"').trim_start_matches('\'');
        assert!(cell.starts_with('=') || cell.starts_with('@'), "{line}");
        assert!(line.contains(",15,15,"), "{line}");
    }
}

#[test]
fn output_goes_to_a_file_and_a_bad_scenario_is_exit_code_1() {
    let (dir, file) = temp_file("s1.yaml", CORRECT);
    let target = dir.path().join("grades.csv");
    let out = procsim(&[
        "grade",
        FCFS,
        file.to_str().unwrap(),
        "--format",
        "csv",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("graded 1 file"));
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains(",15,15,")
    );
    let (_bad_dir, bad) = temp_file("bad.yaml", "name: x\npolicy: nope\nprocesses: []\n");
    let out = procsim(&["grade", bad.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("bad.yaml"), "{}", out.stderr);
}

#[test]
fn a_rubric_sets_points_and_grades_the_gantt_chart_with_partial_credit() {
    let (dir, scenario) = temp_file(
        "exam.yaml",
        "name: exam\npolicy: fcfs\nprocesses: [{name: A, burst: 4}, {name: B, burst: 2}]\n\
         grading: {completion: 2, gantt: 4, order: 1}\n",
    );
    let answer = dir.path().join("s.yaml");
    std::fs::write(
        &answer,
        "processes: {A: {completion: 4}, B: {completion: 6}}\ngantt: \"A 0-2, B 2-4, A 4-6\"\norder: [A, B]\n",
    )
    .unwrap();
    let graded = grades(&[
        "grade",
        scenario.to_str().unwrap(),
        answer.to_str().unwrap(),
    ]);
    assert_eq!(graded[0]["max_score"], 9.0);
    let gantt = graded[0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["question"] == "gantt.cpu0")
        .unwrap()
        .clone();
    // A 0-2 agrees; 2-6 does not: 2 of 6 busy ticks.
    assert_eq!(gantt["points"], 1.33);
    assert!(
        gantt["feedback"]
            .as_str()
            .unwrap()
            .contains("at t=2 you run B, the schedule runs A")
    );
    assert_eq!(graded[0]["score"], 2.0 + 2.0 + 1.33 + 1.0);
}

#[test]
fn generate_is_deterministic_per_student_and_grading_regenerates_it() {
    let (dir, template) = temp_file(
        "practice.yaml",
        "name: practice\ntemplate:\n  processes: {count: [4, 6], arrival: [0, 10], burst: [1, 12], priority: [1, 5], io: [0, 2]}\n  policy: [fcfs, sjf, srtf, {kind: rr, quantum: 3}]\n",
    );
    let template = template.to_str().unwrap();
    let s1001 = procsim(&["generate", template, "--student", "s1001"]);
    assert_eq!(s1001.code, 0, "{}", s1001.stderr);
    // Golden: the same student gets this very problem on every machine and version.
    insta::assert_snapshot!(s1001.stdout);
    assert_eq!(
        procsim(&["generate", template, "--student", "s1001"]).stdout,
        s1001.stdout
    );
    assert_ne!(
        procsim(&["generate", template, "--student", "s1002"]).stdout,
        s1001.stdout
    );

    // The key of s1001's problem, handed in as s1001.yaml and as s1002.yaml.
    let problem = dir.path().join("problem.yaml");
    std::fs::write(&problem, &s1001.stdout).unwrap();
    let key = procsim(&["key", problem.to_str().unwrap()]);
    let answers = answers(&[("s1001.yaml", &key.stdout), ("s1002.yaml", &key.stdout)]);
    let graded = grades(&[
        "grade",
        template,
        "--student-from-filename",
        answers.path().to_str().unwrap(),
    ]);
    assert_eq!(graded[0]["score"], graded[0]["max_score"]);
    assert!(graded[1]["score"].as_f64() < graded[1]["max_score"].as_f64());

    let out_dir = dir.path().join("problems");
    let many = procsim(&[
        "generate",
        template,
        "--seed",
        "7",
        "--count",
        "3",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(many.code, 0, "{}", many.stderr);
    let mut written: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["practice-7.yaml", "practice-8.yaml", "practice-9.yaml"]
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("practice-8.yaml")).unwrap(),
        procsim(&["generate", template, "--seed", "8"]).stdout
    );
}

#[test]
fn key_prints_the_answer_format_and_a_worked_solution() {
    let yaml = procsim(&["key", FCFS]);
    assert_eq!(yaml.code, 0, "{}", yaml.stderr);
    insta::assert_snapshot!(yaml.stdout);
    let json = procsim(&["key", FCFS, "--format", "json"]);
    let key: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(key["processes"]["P2"]["waiting"], 24);
    assert_eq!(key["averages"]["waiting"], 17.0);
    let markdown = procsim(&["key", FCFS, "--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .contains("| P2 | 0 | 3 | 0 | 24 | 27 | 27 − 0 = 27 | 27 − 3 − 0 = 24 | 24 − 0 = 24 |"),
        "{}",
        markdown.stdout
    );
    assert!(
        markdown
            .stdout
            .contains("- waiting = (0 + 24 + 27) / 3 = 17")
    );
}

#[test]
fn the_documented_template_makes_valid_problems_for_many_students() {
    let template = "docs/examples/practice-template.yaml";
    for student in 0..40 {
        let id = format!("s{}", 1000 + student);
        let out = procsim(&["generate", template, "--student", &id]);
        assert_eq!(out.code, 0, "{id}: {}", out.stderr);
        let exercise = sim_core::exercise::Exercise::from_yaml(&out.stdout).unwrap();
        assert!((4..=6).contains(&exercise.scenario().unwrap().processes.len()));
        assert!(exercise.rubric.points.is_some(), "the rubric is copied");
    }
}

#[test]
fn the_readme_grading_example_works_on_a_fresh_clone() {
    let out = procsim(&[
        "grade",
        "scenarios/grading/exam-rr.yaml",
        "scenarios/grading/answers/",
        "--format",
        "csv",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let scores: Vec<&str> = out
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(scores, ["22", "20.51", "2"], "{}", out.stdout);
    let readme = std::fs::read_to_string(crate::repo().join("README.md")).unwrap();
    assert!(readme.contains("grade scenarios/grading/exam-rr.yaml scenarios/grading/answers/"));
}

#[test]
fn generate_no_ties_redraws_a_tied_problem_and_grading_follows_it() {
    let template = crate::repo().join("docs/examples/practice-template.yaml");
    let template = template.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let check_ties = |text: &str| {
        let path = dir.path().join("problem.yaml");
        std::fs::write(&path, text).unwrap();
        procsim(&["check", "--ties", path.to_str().unwrap()]).code
    };
    // s2's own draw has a same-tick tie; with --no-ties it is drawn again, once.
    let tied = procsim(&["generate", template, "--student", "s2"]);
    assert_eq!(check_ties(&tied.stdout), 5);
    let free = procsim(&["generate", template, "--student", "s2", "--no-ties"]);
    assert_eq!(free.code, 0, "{}", free.stderr);
    assert!(free.stdout.contains("# Drawn again 1 time (--no-ties)"));
    assert_eq!(check_ties(&free.stdout), 0);
    // A problem without ties is left as it was drawn.
    let s1 = procsim(&["generate", template, "--student", "s1"]).stdout;
    assert_eq!(
        procsim(&["generate", template, "--student", "s1", "--no-ties"]).stdout,
        s1
    );
    // Grading regenerates the problem the student got, given the same flag.
    let problem = dir.path().join("s2-problem.yaml");
    std::fs::write(&problem, &free.stdout).unwrap();
    let key = procsim(&["key", problem.to_str().unwrap()]);
    let handed_in = answers(&[("s2.yaml", &key.stdout)]);
    let graded = grades(&[
        "grade",
        template,
        "--student-from-filename",
        "--no-ties",
        handed_in.path().to_str().unwrap(),
    ]);
    assert_eq!(graded[0]["score"], graded[0]["max_score"]);
    let graded = grades(&[
        "grade",
        template,
        "--student-from-filename",
        handed_in.path().to_str().unwrap(),
    ]);
    assert!(graded[0]["score"].as_f64() < graded[0]["max_score"].as_f64());
}

#[test]
fn a_race_question_with_accept_any_outcome_takes_every_possible_answer_and_no_other() {
    let out = procsim(&[
        "grade",
        "scenarios/grading/race-any-outcome.yaml",
        "scenarios/grading/race-answers/",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let graded: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let scores: Vec<f64> = graded
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["score"].as_f64().unwrap())
        .collect();
    // 3 (a schedule gives it), 2 (none does), 6 (the documented run).
    assert_eq!(scores, [2.0, 0.0, 2.0], "{}", out.stdout);
    let feedback = graded[0]["items"][0]["feedback"].as_str().unwrap();
    let schedule = feedback
        .split("--schedule ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("{feedback}"));
    // The schedule named replays the student's answer.
    let replay = procsim(&[
        "run",
        "scenarios/grading/race-any-outcome.yaml",
        "--schedule",
        schedule,
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&replay.stdout).unwrap();
    assert_eq!(report["output"][0]["text"], "counter = 3");
}

#[test]
fn inside_a_gradescope_autograder_the_metadata_names_the_student_and_the_rubric_the_visibility() {
    let (dir, template) = temp_file(
        "practice.yaml",
        "name: practice\ngrading: {completion: 1, visibility: {default: after_published, completion: hidden}}\n\
         template:\n  processes: {count: [3, 4], arrival: [0, 5], burst: [1, 9]}\n  policy: [fcfs, sjf]\n",
    );
    let template = template.to_str().unwrap();
    // s1001's problem and its key, handed in under any file name.
    let problem = dir.path().join("problem.yaml");
    let generated = procsim(&["generate", template, "--student", "s1001"]);
    assert_eq!(generated.code, 0, "{}", generated.stderr);
    std::fs::write(&problem, &generated.stdout).unwrap();
    let key = procsim(&["key", problem.to_str().unwrap()]);
    let submission = answers(&[("answers.yaml", &key.stdout)]);
    let metadata = |users: &str| {
        let path = dir.path().join("submission_metadata.json");
        std::fs::write(&path, format!("{{\"id\": 7, \"users\": {users}}}")).unwrap();
        path.display().to_string()
    };
    let right = metadata(r#"[{"email": "a@b.edu", "id": 12, "name": "A", "sid": "s1001"}]"#);
    let graded = procsim(&[
        "grade",
        template,
        "--student-from-metadata",
        &right,
        &path(&submission, "answers.yaml"),
        "--format",
        "gradescope",
    ]);
    assert_eq!(graded.code, 0, "{}", graded.stderr);
    let results: serde_json::Value = serde_json::from_str(&graded.stdout).unwrap();
    assert_eq!(results["score"], results["max_score"], "{results}");
    assert_eq!(results["visibility"], "after_published");
    assert_eq!(results["output_format"], "md");
    assert_eq!(results["tests"][0]["visibility"], "hidden");
    // Another student's id: another problem, so this key is not all right.
    let other = metadata(r#"[{"email": "c@d.edu", "id": 13, "sid": "s1002"}]"#);
    let graded = grades(&[
        "grade",
        template,
        "--student-from-metadata",
        &other,
        &path(&submission, "answers.yaml"),
    ]);
    assert!(graded[0]["score"].as_f64() < graded[0]["max_score"].as_f64());
    // Metadata that is not Gradescope's: a clear error.
    let broken = metadata("[]");
    let out = procsim(&[
        "grade",
        template,
        "--student-from-metadata",
        &broken,
        &path(&submission, "answers.yaml"),
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("submission_metadata.json: expected Gradescope's submission metadata"),
        "{}",
        out.stderr
    );
}

#[test]
fn export_gradescope_writes_an_autograder_that_grades_a_submission_offline() {
    let root = tempfile::tempdir().unwrap();
    let source = root.path().join("source");
    let template = "docs/examples/practice-template.yaml";
    let out = procsim(&[
        "export",
        "gradescope",
        template,
        "--out",
        source.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for file in ["setup.sh", "run_autograder", "exercise.yaml", "procsim"] {
        assert!(source.join(file).is_file(), "{file} missing");
    }
    // A submission of s1001's key, graded as Gradescope runs it (from the autograder's root).
    let generated = procsim(&["generate", template, "--student", "s1001"]);
    let problem = root.path().join("problem.yaml");
    std::fs::write(&problem, &generated.stdout).unwrap();
    let key = procsim(&["key", problem.to_str().unwrap()]);
    std::fs::create_dir_all(root.path().join("submission")).unwrap();
    std::fs::write(root.path().join("submission/answers.yaml"), &key.stdout).unwrap();
    std::fs::write(
        root.path().join("submission_metadata.json"),
        r#"{"users": [{"sid": "s1001", "email": "s@u.edu", "id": 3}]}"#,
    )
    .unwrap();
    let run = || {
        let status = std::process::Command::new("bash")
            .arg(source.join("run_autograder"))
            .env("AUTOGRADER_ROOT", root.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "{status:?}");
        let text = std::fs::read_to_string(root.path().join("results/results.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let results = run();
    assert_eq!(results["score"], results["max_score"], "{results}");
    // No answer file: a result that says so, not a crash.
    std::fs::remove_file(root.path().join("submission/answers.yaml")).unwrap();
    let results = run();
    assert_eq!(results["score"], 0);
    assert!(
        results["output"]
            .as_str()
            .unwrap()
            .contains("No answer file")
    );
    // An exercise for everyone: graded against itself, no metadata needed.
    let exam = root.path().join("exam");
    let one = procsim(&[
        "export",
        "gradescope",
        "scenarios/grading/exam-rr.yaml",
        "--out",
        exam.to_str().unwrap(),
    ]);
    assert!(
        one.stdout.contains("one exercise for everyone"),
        "{}",
        one.stdout
    );
    let script = std::fs::read_to_string(exam.join("run_autograder")).unwrap();
    assert!(!script.contains("--student-from-metadata"), "{script}");
    // Not an exercise: refused before anything is written.
    let (_dir, bad) = temp_file("bad.yaml", "name: x\npolicy: nope\nprocesses: []\n");
    let elsewhere = root.path().join("other");
    let refused = procsim(&[
        "export",
        "gradescope",
        bad.to_str().unwrap(),
        "--out",
        elsewhere.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(!elsewhere.exists());
}
