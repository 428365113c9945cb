//! Task sets end to end: `procsim run` (jobs, misses), `procsim analyze` (the schedulability
//! analysis, text and JSON, under the scenario's policy or `--policy`), `key` and `grade`.

use crate::{procsim, temp_file};

#[test]
fn run_reports_every_job_and_the_deadline_misses() {
    let out = procsim(&["run", "scenarios/realtime/rm-miss.yaml", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["deadline_misses"], 1);
    let jobs = report["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 12);
    assert_eq!(
        jobs[1],
        serde_json::json!({"task": "T2", "job": 1, "release": 0, "start": 2, "finish": 8,
            "deadline": 7, "response": 8, "missed": true})
    );
    let text = procsim(&["run", "scenarios/realtime/rm-miss.yaml"]);
    assert!(
        text.stdout.contains("Jobs (1 deadline miss):"),
        "{}",
        text.stdout
    );
    let trace = procsim(&["run", "scenarios/realtime/rm-miss.yaml", "--trace"]);
    assert!(trace.stdout.contains(
        "miss      T2#1 misses its deadline: it is unfinished, with 1 tick of work left; it runs on, late"
    ), "{}", trace.stdout);
}

#[test]
fn analyze_walks_through_the_tests_and_gives_json() {
    let text = procsim(&["analyze", "scenarios/realtime/rm-miss.yaml"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for line in [
        "Utilisation U = Σ C/T = 0.9714 = 34/35",
        "n(2^(1/n) − 1) with n = 2 is 0.8284; U = 0.9714 > the bound: inconclusive",
        "T2 (higher: T1): R = 4 → 6 → 8 passes the deadline 7: misses",
        "Verdict: not schedulable under rm",
    ] {
        assert!(text.stdout.contains(line), "{line}\n{}", text.stdout);
    }
    let edf = procsim(&[
        "analyze",
        "scenarios/realtime/rm-miss.yaml",
        "--policy",
        "edf",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&edf.stdout).unwrap();
    assert_eq!(value["policy"], "edf");
    assert_eq!(value["schedulable"], true);
    assert_eq!(value["utilization_fraction"], "34/35");
    let dm = procsim(&["analyze", "scenarios/realtime/dm.yaml", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&dm.stdout).unwrap();
    assert_eq!(value["response_times"][0]["task"], "T2");
    assert_eq!(
        value["response_times"][1]["iterations"],
        serde_json::json!([2, 4])
    );
}

#[test]
fn the_processor_demand_test_shows_its_checkpoints() {
    let (_dir, path) = temp_file(
        "tight.yaml",
        "name: tight\npolicy: edf\ntasks:\n  - {name: A, period: 8, wcet: 2, deadline: 3}\n  - {name: B, period: 8, wcet: 2, deadline: 3}\n",
    );
    let out = procsim(&["analyze", path.to_str().unwrap()]);
    assert!(
        out.stdout.contains("t =    3: dbf =    4 > 3"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Verdict: not schedulable under edf"));
    // And the run agrees: one of the two misses at 3.
    let run = procsim(&["run", path.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["deadline_misses"], 1);
}

#[test]
fn analyze_says_what_it_needs() {
    let plain = procsim(&["analyze", "scenarios/textbook/silberschatz-rr.yaml"]);
    assert_eq!(plain.code, 1);
    assert!(
        plain.stderr.contains("a task set (`tasks:`)"),
        "{}",
        plain.stderr
    );
    let (_dir, path) = temp_file(
        "rr.yaml",
        "name: rr\npolicy: {kind: rr, quantum: 1}\ntasks: [{name: T, period: 4, wcet: 1}]\n",
    );
    let under_rr = procsim(&["analyze", path.to_str().unwrap()]);
    assert_eq!(under_rr.code, 2);
    assert!(
        under_rr.stderr.contains("give --policy edf, rm, dm or llf"),
        "{}",
        under_rr.stderr
    );
    let bad = procsim(&["analyze", path.to_str().unwrap(), "--policy", "sjf"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("--policy: expected edf, rm, dm or llf, got `sjf`")
    );
    let matrix = procsim(&[
        "analyze",
        "scenarios/sync/banker-textbook.yaml",
        "--policy",
        "rm",
    ]);
    assert_eq!(matrix.code, 2);
}

#[test]
fn grade_marks_the_real_time_questions() {
    let (_dir, answer) = temp_file(
        "s1.yaml",
        "utilization: 0.97\nschedulable: true\nresponse_time: {T1: 2, T2: 8}\nmissed: [\"T2#1\"]\nprocesses:\n  \"T2#1\": {completion: 8}\n  \"T2#2\": {completion: 13}\n",
    );
    let out = procsim(&[
        "grade",
        "scenarios/grading/exam-realtime.yaml",
        answer.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let graded: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let items = graded[0]["items"].as_array().unwrap();
    let item = |question: &str| {
        items
            .iter()
            .find(|item| item["question"] == question)
            .unwrap_or_else(|| panic!("no {question} in {items:?}"))
    };
    assert_eq!(item("utilization")["points"], 1.0);
    assert_eq!(item("schedulable")["points"], 0.0);
    assert_eq!(item("T1.response_time")["points"], 2.0);
    assert_eq!(item("T2.response_time")["expected"], "miss");
    assert_eq!(item("T2.response_time")["points"], 0.0);
    assert!(
        item("T2.response_time")["feedback"]
            .as_str()
            .unwrap()
            .contains("R = 4 → 6 → 8 passes the deadline 7")
    );
    assert_eq!(item("missed")["points"], 2.0);
    assert_eq!(item("T2#1.completion")["points"], 1.0);
    assert_eq!(item("T2#2.completion")["points"], 0.0);
}

#[test]
fn an_exam_sheet_of_a_task_set_lists_the_tasks_and_asks_for_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    for (name, blank) in [("key.tex", false), ("blank.tex", true)] {
        let mut args = vec![
            "key",
            "scenarios/grading/exam-realtime.yaml",
            "--format",
            "latex",
        ];
        if blank {
            args.push("--blank");
        }
        let out = procsim(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let tex = &out.stdout;
        assert!(tex.contains("Task & Period & WCET & Deadline & Offset"));
        assert!(tex.contains("T2 & 7 & 4 & 7 & 0"));
        // The jobs are asked in their own table, not listed as the workload.
        assert!(!tex.contains("subsection*{Workload}"));
        assert!(tex.contains("Job & Release & Deadline & Finish & Response & Missed"));
        assert_eq!(
            tex.contains("T2\\#1 & 0 & 7 & 8 & 8 & yes"),
            !blank,
            "{name}"
        );
        assert_eq!(tex.contains("Schedulable under rm: no"), !blank, "{name}");
        std::fs::write(dir.path().join(name), tex).unwrap();
        if let Some(compiled) = crate::ecosystem::pdflatex(dir.path(), name) {
            assert!(compiled, "{name} does not compile");
        }
    }
}

#[test]
fn compare_counts_the_misses_and_refuses_what_cannot_run() {
    let out = procsim(&[
        "compare",
        "scenarios/realtime/rm-miss.yaml",
        "--policies",
        "rm,edf",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows[0]["deadline_misses"], 1);
    assert_eq!(rows[1]["deadline_misses"], 0);
    let text = procsim(&[
        "compare",
        "scenarios/realtime/rm-miss.yaml",
        "--policies",
        "rm,edf",
    ]);
    assert!(text.stdout.contains("Deadline misses"), "{}", text.stdout);
    let plain = procsim(&[
        "compare",
        "scenarios/textbook/silberschatz-rr.yaml",
        "--policies",
        "fcfs,edf",
    ]);
    assert_eq!(plain.code, 2);
    assert!(
        plain
            .stderr
            .contains("`edf` schedules the jobs of periodic tasks")
    );
    let sweep = procsim(&[
        "sweep",
        "scenarios/realtime/rm-miss.yaml",
        "--policies",
        "rm",
        "--cpus",
        "1,2",
    ]);
    assert_eq!(sweep.code, 2);
    assert!(
        sweep.stderr.contains("periodic tasks run on one CPU"),
        "{}",
        sweep.stderr
    );
}

#[test]
fn the_svg_chart_marks_releases_and_deadlines() {
    let out = procsim(&["run", "scenarios/realtime/rm-miss.yaml", "--format", "svg"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let document = roxmltree::Document::parse(&out.stdout).unwrap();
    let titles: Vec<&str> = document
        .descendants()
        .filter(|node| node.has_tag_name("title"))
        .filter_map(|node| node.text())
        .collect();
    assert!(titles.contains(&"T2#1 due at 7, missed"), "{titles:?}");
    assert!(titles.contains(&"T1#2 released at 5"), "{titles:?}");
    assert_eq!(titles.iter().filter(|t| t.ends_with("missed")).count(), 1);
}

#[test]
fn an_analysis_past_its_step_limit_is_exit_3_naming_the_flag() {
    let (_dir, path) = temp_file(
        "long.yaml",
        "name: long\npolicy: edf\nhorizon: 3\ntasks:\n  - {name: A, period: 3, wcet: 2, deadline: 2}\n  - {name: B, period: 100003, wcet: 30000, deadline: 30000}\n",
    );
    let out = procsim(&["analyze", path.to_str().unwrap(), "--max-steps", "1000"]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains(
            "the processor-demand test takes more than 1000 steps; raise the limit with --max-steps"
        ),
        "{}",
        out.stderr
    );
    let out = procsim(&["analyze", path.to_str().unwrap(), "--max-steps", "1000000"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("more checkpoints"));
}
