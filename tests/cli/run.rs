//! `procsim run`.

use crate::{procsim, scenario_files, temp_file};

const FCFS: &str = "scenarios/textbook/silberschatz-fcfs.yaml";

#[test]
fn text_report_shows_gantt_table_and_averages() {
    let out = procsim(&["run", FCFS]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn json_report_has_the_documented_fields() {
    let out = procsim(&["run", FCFS, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    for key in [
        "processes",
        "averages",
        "gantt",
        "makespan",
        "cpu_utilization",
        "context_switches",
    ] {
        assert!(report.get(key).is_some(), "missing `{key}`");
    }
    let p2 = &report["processes"][1];
    for key in [
        "name",
        "pid",
        "arrival",
        "first_run",
        "completion",
        "turnaround",
        "waiting",
        "response",
        "cpu_time",
    ] {
        assert!(p2.get(key).is_some(), "process row misses `{key}`");
    }
    assert_eq!(p2["name"], "P2");
    assert_eq!(p2["waiting"], 24);
    assert_eq!(report["averages"]["waiting"], 17.0);
    assert_eq!(report["averages"]["turnaround"], 27.0);
    assert_eq!(report["makespan"], 30);
    assert_eq!(
        report["gantt"][0],
        serde_json::json!({"cpu": 0, "start": 0, "end": 24, "name": "P1"})
    );
}

#[test]
fn idle_time_is_a_gantt_slice_with_a_null_name() {
    let out = procsim(&[
        "run",
        "scenarios/classroom/io-bound-fcfs.yaml",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let idle: Vec<&serde_json::Value> = report["gantt"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"].is_null())
        .collect();
    assert_eq!(
        idle,
        [&serde_json::json!({"cpu": 0, "start": 14, "end": 19, "name": null})]
    );
}

#[test]
fn trace_prints_one_event_per_line_with_its_time() {
    let out = procsim(&["run", "scenarios/textbook/silberschatz-rr.yaml", "--trace"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
    let same = procsim(&[
        "run",
        "scenarios/textbook/silberschatz-rr.yaml",
        "--format",
        "trace",
    ]);
    assert_eq!(same.stdout, out.stdout);
}

#[test]
fn at_shows_every_process_the_ready_queue_and_the_cpus() {
    let out = procsim(&[
        "run",
        "scenarios/textbook/silberschatz-srtf.yaml",
        "--at",
        "3",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
    let json = procsim(&[
        "run",
        "scenarios/textbook/silberschatz-srtf.yaml",
        "--at",
        "3",
        "--format",
        "json",
    ]);
    let snapshot: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(snapshot["time"], 3);
    assert_eq!(snapshot["cpus"][0]["running"], 3); // P2 (pid 3) runs at t=3
}

#[test]
fn at_with_event_shows_the_state_after_that_event_of_the_instant() {
    const TICKETS: &str = "scenarios/python/ticket-sale-no-lock.yaml";
    let out = procsim(&["run", TICKETS, "--at", "1", "--event", "7"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
    // JSON: the snapshot with the event it is after and how many the instant has; the
    // values written so far, and no later.
    let values = |event: &str| {
        let out = procsim(&[
            "run", TICKETS, "--at", "1", "--event", event, "--format", "json",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()
    };
    let before = values("0");
    assert_eq!(
        (before["event"].as_u64(), before["events"].as_u64()),
        (Some(0), Some(29))
    );
    assert_eq!(before["variables"][0][1], 1);
    let end = values("29");
    assert_eq!(end["variables"][0][1], -2);
    // Its end is what --at prints.
    let at = procsim(&["run", TICKETS, "--at", "1", "--format", "json"]);
    let mut at: serde_json::Value = serde_json::from_str(&at.stdout).unwrap();
    at["event"] = 29.into();
    at["events"] = 29.into();
    assert_eq!(at, end);
    // An event past the instant's, or an instant without events, is a usage error.
    let past = procsim(&["run", TICKETS, "--at", "1", "--event", "30"]);
    assert_eq!(past.code, 2);
    assert!(
        past.stderr.contains("has 29 events; give 0 to 29"),
        "{}",
        past.stderr
    );
    let empty = procsim(&["run", TICKETS, "--at", "5", "--event", "1"]);
    assert_eq!(empty.code, 2);
    assert!(
        empty.stderr.contains("nothing happens at t=5"),
        "{}",
        empty.stderr
    );
    let alone = procsim(&["run", TICKETS, "--event", "1"]);
    assert_eq!(alone.code, 2, "--event needs --at");
}

#[test]
fn explain_states_the_same_tick_rules() {
    let out = procsim(&[
        "run",
        "scenarios/textbook/stallings-rr-q1.yaml",
        "--explain",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Rules in force"));
    // The policy's description comes from the policy table.
    let rr = sim_core::scenario::policies::policy_named("rr").unwrap();
    assert!(
        out.stdout.contains(&format!("  rr: {}", rr.summary)),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("re-enters the ready queue after the"));
    assert!(
        out.stdout
            .contains("rules.preempted_before_arrivals: false")
    );
    assert!(
        out.stdout
            .contains("     2  preempt   A is preempted on CPU0: its quantum expired"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("        ready     [D C]"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Average turnaround"));
}

#[test]
fn every_scenario_runs_from_the_cli() {
    for path in scenario_files() {
        let path = path.to_str().unwrap();
        let out = procsim(&["run", path]);
        assert_eq!(out.code, 0, "{path}: {}", out.stderr);
        // Matrix exercises (rows of `allocation:`) are solved; scenarios are simulated.
        let is_matrix = std::fs::read_to_string(path)
            .unwrap()
            .contains("allocation:");
        let marker = if is_matrix {
            "Result:"
        } else {
            "Average turnaround"
        };
        assert!(out.stdout.contains(marker), "{path}: {}", out.stdout);
    }
}

#[test]
fn output_is_the_same_byte_for_byte() {
    for format in ["text", "json", "trace"] {
        let a = procsim(&[
            "run",
            "scenarios/classroom/disk-queue.yaml",
            "--format",
            format,
        ]);
        let b = procsim(&[
            "run",
            "scenarios/classroom/disk-queue.yaml",
            "--format",
            format,
        ]);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

#[test]
fn the_event_limit_stops_a_run_with_a_clear_error() {
    let out = procsim(&[
        "run",
        "scenarios/textbook/stallings-rr-q1.yaml",
        "--max-events",
        "10",
    ]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("event limit of 10 events"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--max-events"));
}

#[test]
fn a_huge_burst_runs_instantly() {
    let (_dir, path) = temp_file(
        "huge.yaml",
        "name: huge\npolicy: {kind: rr, quantum: 3}\nprocesses:\n  - {name: A, burst: 1000000000000}\n  - {name: B, arrival: 999999999999, burst: 5}\n",
    );
    // A handful of events, however long the burst: the run fits a limit of 30 events.
    let out = procsim(&[
        "run",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--max-events",
        "30",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["makespan"], 1_000_000_000_005u64);
    let trace = procsim(&["run", path.to_str().unwrap(), "--trace"]);
    let events = trace.stdout.lines().count();
    assert!(
        (8..=30).contains(&events),
        "{events} events:\n{}",
        trace.stdout
    );
}

#[test]
fn a_bad_scenario_names_the_file_line_and_column() {
    let (_dir, path) = temp_file(
        "bad.yaml",
        "name: bad\npolicy: fcfs\nprocesses:\n  - {name: A, brust: 3}\n",
    );
    let out = procsim(&["run", path.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("bad.yaml:4:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown field `brust`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let out = procsim(&["run", "no/such/file.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("error: no/such/file.yaml: no such file"),
        "{}",
        out.stderr
    );
}

#[test]
fn mlfq_json_reports_levels_and_others_do_not() {
    let out = procsim(&[
        "run",
        "scenarios/mlfq/short-job-arrives.yaml",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["processes"][0]["level"], 2);
    assert_eq!(report["processes"][1]["level"], 1);
    assert_eq!(
        report["gantt"][3],
        serde_json::json!({"cpu": 0, "start": 100, "end": 110, "name": "B", "level": 0})
    );
    let fcfs = procsim(&["run", FCFS, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&fcfs.stdout).unwrap();
    assert!(report["processes"][0].get("level").is_none());
    assert!(report["gantt"][0].get("level").is_none());
}

#[test]
fn mlfq_trace_shows_demotions_and_boosts() {
    let out = procsim(&[
        "run",
        "scenarios/mlfq/starvation-with-boost.yaml",
        "--trace",
    ]);
    assert!(
        out.stdout
            .contains("demote    A used up its allotment at level 0")
    );
    assert!(out.stdout.contains("    50  boost     priority boost"));
}

#[test]
fn summary_prints_only_the_averages_and_totals() {
    let text = procsim(&[
        "run",
        "scenarios/textbook/silberschatz-rr.yaml",
        "--summary",
    ]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(
        text.stdout,
        "Silberschatz RR q=4 — rr (quantum 4)\n3 of 3 processes finished\n\
         Average turnaround 15.67  waiting 5.67  response 3.67\n\
         Makespan 30  CPU utilisation 100.0%  throughput 0.10 per tick  context switches 3\n"
    );
    let json = procsim(&[
        "run",
        "scenarios/textbook/silberschatz-rr.yaml",
        "--summary",
        "--format",
        "json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let keys: Vec<&str> = summary
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "averages",
            "context_switches",
            "cpu_utilization",
            "cpus",
            "finished",
            "makespan",
            "policy",
            "processes",
            "scenario",
            "throughput"
        ]
    );
    assert_eq!(summary["makespan"], 30);
}

#[test]
fn a_scenario_may_be_json() {
    let (_dir, path) = temp_file(
        "s.json",
        r#"{"name": "json", "policy": {"kind": "rr", "quantum": 2},
            "processes": [{"name": "A", "burst": 3}, {"name": "B", "burst": 2}],
            "expected": {"processes": {"B": {"completion": 4}}}}"#,
    );
    let out = procsim(&["run", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["processes"][1]["completion"], 4);
    assert_eq!(report["expected"]["ok"], true);
    let (_dir, bad) = temp_file(
        "bad.json",
        r#"{"name": "json", "policy": "fcfs", "processes": [{"name": "A", "burst": -3}]}"#,
    );
    let out = procsim(&["check", bad.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("bad.json:1:74: `burst` must be a whole number ≥ 0, found -3"),
        "{}",
        out.stderr
    );
}

/// `--format jsonl`: the event log, one object per line, `{t, kind, tid, ...}`; every dispatch
/// says why, with the values the policy compared. Aging lowered B's priority to 2 by t=4: its
/// dispatch says 2, with D (pid 4, priority 4) as the runner-up.
#[test]
fn jsonl_is_the_event_log_with_the_reason_of_every_dispatch() {
    let (_dir, path) = temp_file(
        "aging.yaml",
        "name: aging\npolicy: {kind: priority, aging: 3}\nprocesses:\n  - {name: A, priority: 1, burst: 4}\n  - {name: B, priority: 5, burst: 1}\n  - {name: D, priority: 4, burst: 1, arrival: 3}\n",
    );
    let out = procsim(&["run", path.to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let dispatches: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["kind"] == "dispatch").collect();
    assert_eq!(dispatches.len(), 3);
    assert_eq!(dispatches[1]["t"], 4);
    assert_eq!(dispatches[1]["tid"], 3);
    assert_eq!(
        dispatches[1]["why"],
        serde_json::json!({"rule": "highest_priority", "key": "priority", "value": 2,
            "runner_up": 4, "runner_up_value": 4})
    );
    // The last one had nobody to compare with: no runner-up.
    assert!(dispatches[2]["why"].get("runner_up").is_none());
    // `--at` stops the log there.
    let early = procsim(&[
        "run",
        path.to_str().unwrap(),
        "--format",
        "jsonl",
        "--at",
        "3",
    ]);
    assert!(early.stdout.lines().all(|line| {
        serde_json::from_str::<serde_json::Value>(line).unwrap()["t"]
            .as_u64()
            .unwrap()
            <= 3
    }));
    assert_eq!(early.stdout.lines().count(), 4, "{}", early.stdout);
}

/// Every scenario's log as JSON Lines: each line parses, starts with `t` and `kind`, names
/// its thread as `tid` (never `pid`), and every dispatch has a `why` with a rule.
#[test]
fn jsonl_of_every_scenario_parses_and_every_dispatch_has_a_reason() {
    for path in scenario_files() {
        let out = procsim(&["run", path.to_str().unwrap(), "--format", "jsonl"]);
        if out.stderr.contains("is a matrix exercise") {
            continue; // nothing simulated: `analyze`'s walk-through
        }
        assert!(
            matches!(out.code, 0 | 4),
            "{}: {}",
            path.display(),
            out.stderr
        );
        for line in out.stdout.lines() {
            assert!(line.starts_with(r#"{"t":"#), "{}: {line}", path.display());
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(event["kind"].is_string(), "{line}");
            assert!(event.get("pid").is_none(), "{}: {line}", path.display());
            if event["kind"] == "dispatch" {
                assert!(
                    event["tid"].is_u64() && event["why"]["rule"].is_string(),
                    "{line}"
                );
            }
        }
    }
}

#[test]
fn seed_reruns_a_shuffled_scenario_with_another_draw_and_skips_its_expected_answers() {
    let file = "scenarios/lifecycle/fork-order-varies.yaml";
    let first_line = |out: &crate::Output| {
        out.stdout
            .lines()
            .skip_while(|l| *l != "Output:")
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    // The file's own seed (0): the child first, and its expected answers hold.
    let own = procsim(&["run", file]);
    assert_eq!(own.code, 0, "{}", own.stderr);
    assert!(first_line(&own).contains("child: The new process"));
    let same = procsim(&["run", file, "--seed", "0"]);
    assert_eq!(same.stdout, own.stdout);
    // Seed 1: the parent first; the answers for seed 0 are not held against it.
    let other = procsim(&["run", file, "--seed", "1"]);
    assert_eq!(other.code, 0, "{}", other.stderr);
    assert!(first_line(&other).contains("parent: The old process"));
    assert!(
        other.stderr.contains("with --seed 1 they are not checked"),
        "{}",
        other.stderr
    );
    // The same seed, the same run, byte for byte.
    assert_eq!(procsim(&["run", file, "--seed", "1"]).stdout, other.stdout);
}
