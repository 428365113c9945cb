//! `procsim explore` and `procsim run --schedule`.

use crate::procsim;

#[test]
fn explore_lists_each_outcome_with_a_witness_that_run_replays() {
    let text = procsim(&["explore", "scenarios/explore/print-interleaving.yaml"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("4 outcomes over 8 runs (every schedule of its choice points)"),
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
    assert_eq!(value["runs"], 8);
    assert_eq!(value["complete"], true);
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
