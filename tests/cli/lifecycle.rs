//! `procsim ps`, `procsim pstree` and the lifecycle fields of `procsim run --format json`.

use crate::{procsim, temp_file};

const ZOMBIE: &str = "scenarios/lifecycle/zombie.yaml";
const KILL: &str = "scenarios/lifecycle/kill.yaml";

#[test]
fn ps_shows_the_zombie_with_stat_z_while_the_parent_is_in_io() {
    let out = procsim(&["ps", ZOMBIE, "--at", "5"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn ps_json_rows_have_the_documented_fields() {
    let out = procsim(&["ps", ZOMBIE, "--at", "5", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        rows,
        serde_json::json!([
            {"pid": 1, "ppid": 0, "name": "init", "state": "blocked", "stat": "S"},
            {"pid": 2, "ppid": 1, "name": "parent", "state": "blocked", "stat": "D"},
            {"pid": 3, "ppid": 2, "name": "child", "state": "zombie", "stat": "Z"}
        ])
    );
    // After the parent's wait reaps it, the child is gone from the table.
    let out = procsim(&["ps", ZOMBIE, "--at", "9", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["init", "parent"]);
}

#[test]
fn pstree_draws_the_tree_and_shows_the_orphan_adopted_by_init() {
    let before = procsim(&["pstree", KILL, "--at", "4"]);
    assert_eq!(before.code, 0, "{}", before.stderr);
    assert_eq!(before.stdout, "init(1)───boss(2)───worker(3)───helper(4)\n");
    let after = procsim(&["pstree", KILL, "--at", "5"]);
    assert_eq!(after.stdout, "init(1)─┬─boss(2)\n        └─helper(4)\n");
}

#[test]
fn run_json_reports_parents_exit_codes_and_reaping() {
    let out = procsim(&["run", KILL, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let worker = &report["processes"][1];
    assert_eq!(worker["name"], "worker");
    assert_eq!(worker["pid"], 3);
    assert_eq!(worker["ppid"], 2);
    assert_eq!(worker["exited_at"], 5);
    assert_eq!(worker["completion"], 5);
    assert_eq!(worker["exit_code"], -15);
    assert_eq!(worker["reaped_at"], 5);
    assert_eq!(worker["reaped_by"], 2);
    let helper = &report["processes"][2];
    assert_eq!(helper["ppid"], 1, "the parent at the moment it exited");
    assert_eq!(helper["reaped_by"], 1);
}

#[test]
fn a_fork_bomb_reports_its_failed_forks_and_still_finishes() {
    let out = procsim(&["run", "scenarios/lifecycle/fork-bomb.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Failed steps (6):"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("fails (EAGAIN): 8 processes exist, the max_processes limit")
    );
    let json = procsim(&[
        "run",
        "scenarios/lifecycle/fork-bomb.yaml",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 6);
    assert_eq!(report["processes"].as_array().unwrap().len(), 8);
}

#[test]
fn ps_needs_a_time_and_names_the_file_of_a_bad_scenario() {
    let missing = procsim(&["ps", ZOMBIE]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("--at"), "{}", missing.stderr);
    let (_dir, path) = temp_file(
        "bad.yaml",
        "name: t\npolicy: fcfs\nprocesses:\n- {name: P, program: [{wait: }]}\n",
    );
    let bad = procsim(&["pstree", path.to_str().unwrap(), "--at", "0"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("bad.yaml"), "{}", bad.stderr);
}
