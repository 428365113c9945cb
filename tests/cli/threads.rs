//! Threads and the GIL from the command line: the JSON contract of `run` (`threads`,
//! `thread_switches`), `ps --threads` and `pstree`.

use crate::procsim;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let output = procsim(args);
    assert_eq!(output.code, 0, "{}", output.stderr);
    serde_json::from_str(&output.stdout).unwrap()
}

#[test]
fn run_json_has_one_row_per_thread_with_its_gil_wait() {
    let report = json(&[
        "run",
        "scenarios/threads/counter-threads-gil.yaml",
        "--format",
        "json",
    ]);
    let threads = report["threads"].as_array().unwrap();
    let names: Vec<&str> = threads
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["MainThread", "T1", "T2"]);
    for field in [
        "pid",
        "tid",
        "name",
        "process",
        "arrival",
        "first_run",
        "completion",
        "turnaround",
        "waiting",
        "response",
        "cpu_time",
        "gil_wait",
    ] {
        assert!(threads[1].get(field).is_some(), "threads rows lack {field}");
    }
    assert_eq!(threads[1]["pid"], 2);
    assert_eq!(threads[1]["tid"], 3);
    assert_eq!(threads[1]["process"], "counter");
    assert!(threads[1]["gil_wait"].as_u64().unwrap() >= 90);
    assert!(report["thread_switches"].as_u64().unwrap() > 30);
    // The process row keeps its fields; its CPU time is its threads' sum.
    assert_eq!(report["processes"][0]["cpu_time"], 200);
    assert_eq!(report["processes"][0]["completion"], 200);

    let plain = json(&[
        "run",
        "scenarios/classroom/io-bound-fcfs.yaml",
        "--format",
        "json",
    ]);
    assert!(plain.get("threads").is_none());
    assert!(plain.get("thread_switches").is_none());
}

#[test]
fn ps_threads_lists_every_thread_with_lwp_and_nlwp() {
    let rows = json(&[
        "ps",
        "scenarios/threads/counter-threads-gil.yaml",
        "--at",
        "7",
        "--threads",
        "--format",
        "json",
    ]);
    let rows: Vec<(u64, u64, u64, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["pid"].as_u64().unwrap(),
                r["tid"].as_u64().unwrap(),
                r["nlwp"].as_u64().unwrap(),
                r["stat"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, 1, 1, "S"),
            (2, 2, 3, "Sl"),
            (2, 3, 3, "Sl"),
            (2, 4, 3, "Rl")
        ]
    );
    let text = procsim(&[
        "ps",
        "scenarios/threads/counter-threads-gil.yaml",
        "--at",
        "7",
        "--threads",
    ]);
    assert!(
        text.stdout.contains("  PID  PPID   LWP NLWP STAT"),
        "{}",
        text.stdout
    );
    // Without --threads: one row per process, `l` for the multi-threaded one.
    let text = procsim(&[
        "ps",
        "scenarios/threads/counter-threads-gil.yaml",
        "--at",
        "7",
    ]);
    assert!(text.stdout.contains(" Sl "), "{}", text.stdout);
    assert!(!text.stdout.contains("counter/T1"), "{}", text.stdout);
}

#[test]
fn pstree_hangs_threads_under_their_process_in_braces() {
    let output = procsim(&[
        "pstree",
        "scenarios/threads/daemon-threads.yaml",
        "--at",
        "12",
    ]);
    assert_eq!(
        output.stdout,
        "init(1)───app(2)─┬─{worker}(3)\n                 └─{heartbeat}(4)\n"
    );
}

#[test]
fn at_shows_who_holds_the_gil_and_who_waits_for_it() {
    let output = procsim(&[
        "run",
        "scenarios/threads/counter-threads-gil.yaml",
        "--at",
        "7",
    ]);
    assert!(
        output
            .stdout
            .contains("GIL of counter: held by counter/T2; waiting for the GIL counter/T1"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("waiting for the GIL"));
}

#[test]
fn a_runaway_zero_time_loop_stops_with_the_limit_exit_code() {
    let (_dir, path) = crate::temp_file(
        "runaway.yaml",
        "name: r\npolicy: fcfs\nprocesses:\n  - {name: A, program: [{repeat: 1000000000, steps: [{repeat: 1000, steps: [{add: 1}]}]}, {cpu: 1}]}\n",
    );
    for extra in [&[][..], &["--explain"][..]] {
        // The event limit is also the zero-time steps' limit: the flag that raises it.
        let mut args = vec!["run", path.to_str().unwrap(), "--max-events", "1000000"];
        args.extend_from_slice(extra);
        let output = procsim(&args);
        assert_eq!(output.code, 3, "{}", output.stderr);
        assert!(
            output
                .stderr
                .contains("ran more than 1000000 steps that take no time"),
            "{}",
            output.stderr
        );
        assert!(
            output.stderr.contains("raise the limit with --max-events"),
            "{}",
            output.stderr
        );
    }
}

#[test]
fn run_json_reports_output_variables_and_tasks() {
    let report = json(&[
        "run",
        "scenarios/python/pool-six-clients.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(report["output"][0]["text"], "client served");
    for field in ["time", "pid", "tid", "name", "text"] {
        assert!(
            report["output"][0].get(field).is_some(),
            "output rows lack {field}"
        );
    }
    for field in [
        "task",
        "pool",
        "submitted_by",
        "queued",
        "started",
        "finished",
        "worker",
    ] {
        assert!(
            report["tasks"][0].get(field).is_some(),
            "tasks rows lack {field}"
        );
    }
    let values = json(&[
        "run",
        "scenarios/python/globals-vs-shared.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(values["variables"]["parent.x"], 0);
    assert_eq!(values["variables"]["child.x"], 1);
    assert_eq!(values["variables"]["value"], 1);
}
