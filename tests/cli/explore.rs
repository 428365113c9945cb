//! `procsim explore` and `procsim run --schedule`.

use crate::procsim;

#[test]
fn explore_lists_each_outcome_with_a_witness_that_run_replays() {
    let text = procsim(&["explore", "scenarios/explore/print-interleaving.yaml"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(
            "4 outcomes over 56 runs (every schedule of its choice points, at most 2 forced switches a run)"
        ),
        "{}",
        text.stdout
    );
    let json = procsim(&[
        "explore",
        "scenarios/explore/print-interleaving.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["runs"], 56);
    assert_eq!(value["complete"], true);
    assert_eq!(value["preemptions"], 2);
    for outcome in value["outcomes"].as_array().unwrap() {
        let witness: Vec<String> = outcome["witness"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let replay = procsim(&[
            "run",
            "scenarios/explore/print-interleaving.yaml",
            "--schedule",
            &witness.join(","),
            "--format",
            "json",
        ]);
        assert_eq!(replay.code, 0, "{}", replay.stderr);
        let report: serde_json::Value = serde_json::from_str(&replay.stdout).unwrap();
        let lines: Vec<String> = report["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|line| {
                format!(
                    "{}: {}",
                    line["name"].as_str().unwrap(),
                    line["text"].as_str().unwrap()
                )
            })
            .collect();
        let expected: Vec<String> = outcome["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect();
        assert_eq!(lines, expected);
    }
}

#[test]
fn a_bad_schedule_or_max_runs_is_a_usage_error_and_a_cut_search_says_so() {
    let bad = procsim(&[
        "run",
        "scenarios/explore/print-interleaving.yaml",
        "--schedule",
        "1,x",
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--schedule"), "{}", bad.stderr);
    let cut = procsim(&[
        "explore",
        "scenarios/explore/print-interleaving.yaml",
        "--max-runs",
        "2",
    ]);
    assert_eq!(cut.code, 0);
    assert!(
        cut.stdout.contains("stopped at --max-runs 2"),
        "{}",
        cut.stdout
    );
}

#[test]
fn preemptions_sample_and_explain_reach_the_deadlock_and_put_its_schedule_into_words() {
    let file = "scenarios/explore/two-locks-opposite-order.yaml";
    let none = procsim(&["explore", file, "--preemptions", "0"]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(
        none.stdout.contains("2 outcomes over 2 runs"),
        "{}",
        none.stdout
    );
    assert!(!none.stdout.contains("deadlocked"), "{}", none.stdout);
    let explained = procsim(&["explore", file, "--explain"]);
    assert_eq!(explained.code, 0, "{}", explained.stderr);
    assert!(
        explained.stdout.contains("deadlocked: main/T1, main/T2"),
        "{}",
        explained.stdout
    );
    assert!(
        explained
            .stdout
            .contains("T1 was switched out before its step 2 (acquire b)"),
        "{}",
        explained.stdout
    );
    // The witness replays the deadlock, and run --explain says which choice made it.
    let replay = procsim(&["run", file, "--schedule", "0,0,0,0,1", "--explain"]);
    assert!(
        replay.stdout.contains("The schedule's choices:"),
        "{}",
        replay.stdout
    );
    assert!(
        replay
            .stdout
            .contains("T1 was switched out before its step 2"),
        "{}",
        replay.stdout
    );
    let json = procsim(&["run", file, "--schedule", "0,0,0,0,1", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        report["deadlocks"].as_array().unwrap().len(),
        1,
        "{}",
        json.stdout
    );
    // With no forced switch allowed the same choices replay the documented order.
    let bounded = procsim(&[
        "run",
        file,
        "--schedule",
        "0,0,0,0,1",
        "--preemptions",
        "0",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&bounded.stdout).unwrap();
    assert!(report["deadlocks"].as_array().unwrap().is_empty());
    let json = procsim(&["explore", file, "--explain", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let hows: Vec<String> = value["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["how"][0].as_str().unwrap().to_string())
        .collect();
    assert!(
        hows.iter()
            .any(|how| how.contains("T1 was switched out before its step 2")),
        "{hows:?}"
    );
    let sample = procsim(&[
        "explore", file, "--sample", "30", "--seed", "4", "--format", "json",
    ]);
    assert_eq!(sample.code, 0, "{}", sample.stderr);
    let value: serde_json::Value = serde_json::from_str(&sample.stdout).unwrap();
    assert_eq!(value["runs"], 30);
    assert_eq!(value["complete"], false);
    assert_eq!(value["sample"]["seed"], 4);
    let cut = procsim(&["explore", file, "--max-runs", "5"]);
    assert!(cut.stdout.contains("--sample N --seed S"), "{}", cut.stdout);
}
