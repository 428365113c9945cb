//! `procsim check` and the help texts.

use crate::{procsim, scenario_files, temp_file};

#[test]
fn check_accepts_every_shipped_scenario() {
    let files: Vec<String> = scenario_files()
        .iter()
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = procsim(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), files.len());
}

#[test]
fn check_reports_semantic_errors_with_the_field_path() {
    let (_dir, path) = temp_file(
        "zero.yaml",
        "name: z\npolicy: {kind: rr, quantum: 0}\nprocesses: [{name: A, burst: 1}]\n",
    );
    let out = procsim(&["check", path.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("zero.yaml:2:29: policy.quantum: expected a quantum of at least 1 tick"),
        "{}",
        out.stderr
    );
}

#[test]
fn check_goes_on_after_a_bad_file() {
    let (_dir, bad) = temp_file(
        "dup.yaml",
        "name: d\npolicy: fcfs\nprocesses: [{name: A, burst: 1}, {name: A, burst: 1}]\n",
    );
    let out = procsim(&[
        "check",
        bad.to_str().unwrap(),
        "scenarios/textbook/silberschatz-fcfs.yaml",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("duplicate process name `A`"));
    assert!(
        out.stdout
            .contains("ok: scenarios/textbook/silberschatz-fcfs.yaml")
    );
}

#[test]
fn help_explains_the_format_and_points_to_the_docs() {
    let out = procsim(&["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("docs/scenario-format.md"));
    assert!(out.stdout.contains("Exit codes"));
    let run = procsim(&["run", "--help"]);
    assert!(run.stdout.contains("--max-events"));
    assert!(run.stdout.contains("--explain"));
}

const WRONG_EXPECTED: &str = "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 3}, {name: B, burst: 2}]\n\
                              expected: {processes: {B: {waiting: 2}}, order: [A, B]}\n";

#[test]
fn a_differing_expected_block_exits_4_and_names_each_answer() {
    let (_dir, path) = crate::temp_file("wrong.yaml", WRONG_EXPECTED);
    let path = path.to_str().unwrap();
    for args in [
        vec!["check", path],
        vec!["run", path],
        vec!["run", path, "--format", "json"],
    ] {
        let out = procsim(&args);
        assert_eq!(out.code, 4, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("B.waiting: the scenario expects 2, the run gives 3"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("order"), "{}", out.stderr);
    }
    let json: serde_json::Value =
        serde_json::from_str(&procsim(&["run", path, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["expected"]["ok"], false);
    assert_eq!(
        json["expected"]["differences"],
        serde_json::json!([{"question": "B.waiting", "expected": "2", "got": "3"}])
    );
    // Still valid: the report is printed, and a good file beside it is reported as ok.
    let both = procsim(&["check", path, "scenarios/textbook/silberschatz-rr.yaml"]);
    assert_eq!(both.code, 4);
    assert_eq!(both.stdout.lines().count(), 2, "{}", both.stdout);
}

#[test]
fn a_matching_expected_block_is_in_the_json_and_a_scenario_without_one_has_no_field() {
    let matching = procsim(&[
        "run",
        "scenarios/textbook/silberschatz-rr.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(matching.code, 0);
    let json: serde_json::Value = serde_json::from_str(&matching.stdout).unwrap();
    assert_eq!(
        json["expected"],
        serde_json::json!({"ok": true, "differences": []})
    );
    let (_dir, path) = crate::temp_file(
        "plain.yaml",
        "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 3}]\n",
    );
    let plain = procsim(&["run", path.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&plain.stdout).unwrap();
    assert!(json.get("expected").is_none());
}

#[test]
fn check_ties_flags_the_same_tick_trap_and_exits_5() {
    let trap = crate::repo().join("scenarios/classroom/same-tick-trap.yaml");
    let out = procsim(&["check", "--ties", trap.to_str().unwrap()]);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stdout.contains("t=2: P2 arrives"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("with `rules.preempted_before_arrivals: true`: P1's completion is 4, not 6"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("answers depend on a same-tick rule"));
    // Without --ties the same file is simply valid and matching.
    assert_eq!(procsim(&["check", trap.to_str().unwrap()]).code, 0);
    // A problem free of ties: exit 0, and said so.
    let fcfs = crate::repo().join("scenarios/textbook/silberschatz-fcfs.yaml");
    let out = procsim(&["check", "--ties", fcfs.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("no ties: "));
    // An invalid file still wins: exit 1.
    let (_dir, bad) = temp_file("bad.yaml", "name: x\npolicy: rr\nprocesses: []\n");
    let out = procsim(&[
        "check",
        "--ties",
        trap.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
}
