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
            .contains("zero.yaml: policy.quantum: expected a quantum of at least 1 tick"),
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
