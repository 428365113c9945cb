//! `procsim analyze`, `procsim graph`, and deadlocks in `procsim run`.

use crate::{procsim, temp_file};

#[test]
fn analyze_gives_the_textbook_answers_in_json_and_walks_through_them_in_text() {
    let json = procsim(&[
        "analyze",
        "scenarios/sync/banker-request-granted.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["safe"], true);
    assert_eq!(
        value["sequence"],
        serde_json::json!(["P1", "P3", "P4", "P0", "P2"])
    );
    assert_eq!(value["need"]["P0"], serde_json::json!([7, 4, 3]));
    assert_eq!(value["available"], serde_json::json!([3, 3, 2]));
    assert_eq!(value["granted"], true);
    assert!(value["reason"].as_str().unwrap().contains("safe"));

    let detection = procsim(&[
        "analyze",
        "scenarios/sync/detection-deadlock.yaml",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&detection.stdout).unwrap();
    assert_eq!(
        value["deadlocked"],
        serde_json::json!(["P1", "P2", "P3", "P4"])
    );
    assert_eq!(value["sequence"], serde_json::json!(["P0"]));

    let text = procsim(&["analyze", "scenarios/sync/banker-textbook.yaml"]);
    assert!(
        text.stdout.contains("Work = Available = (3, 3, 2)"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("Finish[P1] = true"), "{}", text.stdout);
    assert!(text.stdout.contains("Result: safe."), "{}", text.stdout);
}

#[test]
fn a_bad_matrix_names_the_field_and_exits_1() {
    let (_dir, path) = temp_file(
        "m.yaml",
        "name: m\nresources: {A: 3}\nprocesses:\n  P0: {allocation: [1, 0], max: [2]}\n",
    );
    let out = procsim(&["analyze", path.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("processes.P0.allocation: expected 1 numbers"),
        "{}",
        out.stderr
    );
}

#[test]
fn analyze_decides_a_request_stream_item_by_item() {
    const STREAM: &str = "scenarios/sync/banker-request-stream.yaml";
    let json = procsim(&["analyze", STREAM, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let requests = value["requests"].as_array().unwrap();
    let outcomes: Vec<&str> = requests
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        ["granted", "wait", "unsafe", "released", "unsafe", "error"]
    );
    assert_eq!(requests[0]["amounts"], serde_json::json!([1, 0, 2]));
    assert_eq!(requests[3]["release"], serde_json::json!([1, 0, 0]));
    assert!(requests[3].get("amounts").is_none());
    assert_eq!(requests[3]["granted"], true);
    assert_eq!(requests[3]["available"], serde_json::json!([3, 3, 0]));
    let text = procsim(&["analyze", STREAM]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("2. P4 requests (3, 3, 0): must wait: not available"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("3. P0 requests (0, 2, 0): denied: unsafe"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_matrix_exercise_whose_expected_answers_differ_exits_4_under_analyze_and_run() {
    let text = std::fs::read_to_string("scenarios/sync/banker-textbook.yaml").unwrap();
    assert!(text.contains("  safe: true\n"));
    let (_dir, wrong) = temp_file(
        "wrong.yaml",
        &text.replace("  safe: true\n", "  safe: false\n"),
    );
    for command in ["analyze", "run"] {
        let out = procsim(&[command, wrong.to_str().unwrap()]);
        assert_eq!(out.code, 4, "{command}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("safe: the scenario expects false, the run gives true"),
            "{command}: {}",
            out.stderr
        );
        assert!(
            out.stdout.contains("Result: safe."),
            "the analysis is still printed"
        );
    }
    let right = procsim(&["analyze", "scenarios/sync/banker-textbook.yaml"]);
    assert_eq!(right.code, 0, "{}", right.stderr);
}

#[test]
fn the_commands_that_simulate_name_a_matrix_exercise_and_its_command() {
    let file = "scenarios/sync/banker-textbook.yaml";
    for args in [
        &["compare", file, "--policies", "fcfs"][..],
        &["sweep", file, "--policies", "fcfs", "--seeds", "1..2"],
        &["ps", file, "--at", "1"],
        &["graph", file, "--at", "1"],
    ] {
        let out = procsim(args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "{file}: a matrix exercise, not a scenario to simulate: use `procsim analyze {file}`"
            )),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn run_reports_each_deadlock_once_in_json_and_exits_0() {
    let out = procsim(&[
        "run",
        "scenarios/sync/dining-philosophers-deadlock.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let deadlocks = value["deadlocks"].as_array().unwrap();
    assert_eq!(deadlocks.len(), 1);
    assert_eq!(deadlocks[0]["time"], 10);
    assert_eq!(
        deadlocks[0]["processes"],
        serde_json::json!(["phil0", "phil1", "phil2", "phil3", "phil4"])
    );
    assert_eq!(
        deadlocks[0]["cycle"],
        serde_json::json!([
            "phil0", "fork1", "phil1", "fork2", "phil2", "fork3", "phil3", "fork4", "phil4",
            "fork0"
        ])
    );
    let fixed = procsim(&[
        "run",
        "scenarios/sync/dining-philosophers-fixed.yaml",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&fixed.stdout).unwrap();
    assert_eq!(value["deadlocks"], serde_json::json!([]));
}

#[test]
fn graph_writes_the_resource_allocation_graph_in_dot() {
    let out = procsim(&[
        "graph",
        "scenarios/sync/two-locks-deadlock.yaml",
        "--at",
        "4",
        "--format",
        "dot",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("digraph rag {"), "{}", out.stdout);
    assert!(out.stdout.contains("label=\"P1 (2)\""), "{}", out.stdout);
    assert!(
        out.stdout.contains("shape=box, label=\"A\\n0 of 1 free\""),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout.matches("style=dashed").count(),
        2,
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout.matches("style=solid").count(),
        2,
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("color=red"), "{}", out.stdout);
    // Before the deadlock: holds, no requests.
    let early = procsim(&[
        "graph",
        "scenarios/sync/two-locks-deadlock.yaml",
        "--at",
        "1",
    ]);
    assert_eq!(
        early.stdout.matches("style=dashed").count(),
        0,
        "{}",
        early.stdout
    );
    assert!(!early.stdout.contains("color=red"), "{}", early.stdout);
}

#[test]
fn releasing_what_is_not_held_is_a_scenario_error_naming_the_step() {
    let (_dir, path) = temp_file(
        "bad.yaml",
        "name: bad\npolicy: fcfs\nresources: [{name: A}]\nprocesses:\n  - {name: P1, program: [{cpu: 1}, {release: A}]}\n",
    );
    let out = procsim(&["run", path.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("processes[0].program[1].release: P1 releases 1 of `A` but holds 0"),
        "{}",
        out.stderr
    );
}

#[test]
fn grading_a_matrix_exercise_accepts_any_safe_sequence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "safe: true\nsequence: [P1, P3, P4, P2, P0]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.yaml"), "safe: false\n").unwrap();
    let out = procsim(&[
        "grade",
        "scenarios/sync/banker-textbook.yaml",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value[0]["score"], 2.0);
    assert_eq!(value[1]["score"], 0.0);
    assert_eq!(value[1]["items"][1]["feedback"], "missing");
    let key = procsim(&["key", "scenarios/sync/banker-textbook.yaml"]);
    assert!(key.stdout.contains("safe: true"), "{}", key.stdout);
}
