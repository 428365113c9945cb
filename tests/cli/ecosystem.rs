//! Formats other tools read: Perfetto traces, SVG and CSV from the CLI, policy comparisons,
//! shell completions and the man page.

use crate::{procsim, temp_file};

const DISK: &str = "scenarios/classroom/disk-queue.yaml";

#[test]
fn a_perfetto_trace_has_the_format_s_required_fields() {
    let out = procsim(&["run", DISK, "--format", "perfetto"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let trace: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let events = trace["traceEvents"].as_array().unwrap();
    let mut flows_started = Vec::new();
    let mut flows_ended = Vec::new();
    for event in events {
        let ph = event["ph"].as_str().expect("every event has ph");
        assert!(event["name"].is_string(), "{event}");
        assert!(event["pid"].is_u64() && event["tid"].is_u64(), "{event}");
        if ph != "M" {
            assert!(event["ts"].is_u64(), "{event}");
        }
        match ph {
            "X" => assert!(event["dur"].is_u64(), "{event}"),
            "s" => flows_started.push(event["id"].as_u64().unwrap()),
            "f" => flows_ended.push(event["id"].as_u64().unwrap()),
            "M" | "i" => {}
            other => panic!("unexpected phase {other}"),
        }
    }
    // CPUs and devices are named tracks; every flow that ends was started.
    let names: Vec<&str> = events
        .iter()
        .filter(|e| e["name"] == "thread_name")
        .map(|e| e["args"]["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"CPU0") && names.contains(&"CPU1") && names.contains(&"disk"));
    assert!(!flows_ended.is_empty());
    assert!(flows_ended.iter().all(|id| flows_started.contains(id)));
    // A's first slice on CPU0: 0 to 2 ticks, 1 µs a tick by default, 1 ms with --tick-us 1000.
    let first = |text: &str| -> serde_json::Value {
        let trace: serde_json::Value = serde_json::from_str(text).unwrap();
        trace["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["ph"] == "X" && e["name"] == "A")
            .cloned()
            .unwrap()
    };
    assert_eq!(first(&out.stdout)["dur"], 2);
    let slow = procsim(&["run", DISK, "--format", "perfetto", "--tick-us", "1000"]);
    assert_eq!(first(&slow.stdout)["dur"], 2000);
    assert_eq!(first(&out.stdout)["args"]["remaining"], 3);
}

#[test]
fn svg_and_csv_come_from_the_cli() {
    let svg = procsim(&["run", DISK, "--format", "svg"]);
    assert_eq!(svg.code, 0);
    assert!(svg.stdout.starts_with("<svg"), "{}", svg.stdout);
    assert!(svg.stdout.contains(">A</text>"));
    let csv = procsim(&["run", DISK, "--format", "csv"]);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "name,pid,ppid,arrival,first_run,completion,turnaround,waiting,response,cpu_time,exit_code"
    );
    assert_eq!(lines[1], "A,2,1,0,0,7,7,0,0,3,0");
    assert_eq!(lines.len(), 4);
}

#[test]
fn compare_puts_policies_side_by_side_and_draws_them() {
    let (dir, _) = temp_file("unused", "");
    let plot = dir.path().join("bars.svg");
    let out = procsim(&[
        "compare",
        "scenarios/textbook/silberschatz-fcfs.yaml",
        "--policies",
        "fcfs,sjf,rr:4",
        "--format",
        "json",
        "--plot",
        plot.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["policy"], "fcfs");
    assert_eq!(rows[0]["waiting"], 17.0);
    assert_eq!(rows[1]["waiting"], 3.0);
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("rr (quantum 4)"));
    let bad = procsim(&[
        "compare",
        "scenarios/textbook/silberschatz-fcfs.yaml",
        "--policies",
        "rr",
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("needs a quantum"), "{}", bad.stderr);
}

#[test]
fn completions_and_the_man_page_know_every_subcommand_and_flag() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = procsim(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        // Flags without their dashes: fish writes `-l policies`.
        for word in ["compare", "grade", "policies", "max-events"] {
            assert!(out.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let man = procsim(&["man"]);
    assert!(man.stdout.contains(".TH procsim 1"));
    assert!(man.stdout.contains("compare"));
}

/// The LaTeX packages the exam sheets use, which a TeX installation may lack.
const SHEET_PACKAGES: [&str; 3] = ["geometry.sty", "tikz.sty", "t1enc.def"];

/// Runs pdflatex on `tex` in `dir`; `None` when pdflatex or a package the sheets use is not
/// installed (CI installs them and sets PROCSIM_REQUIRE_PDFLATEX, so there the test cannot
/// skip).
pub fn pdflatex(dir: &std::path::Path, tex: &str) -> Option<bool> {
    let required = std::env::var_os("PROCSIM_REQUIRE_PDFLATEX").is_some();
    // kpsewhich comes with every TeX installation: it finds a package or prints nothing.
    let missing: Vec<&str> = SHEET_PACKAGES
        .into_iter()
        .filter(|package| {
            !std::process::Command::new("kpsewhich")
                .arg(package)
                .output()
                .is_ok_and(|out| out.status.success() && !out.stdout.is_empty())
        })
        .collect();
    if !missing.is_empty() && !required {
        eprintln!(
            "a LaTeX installation with {} is not here: the sheets are checked but not compiled",
            missing.join(", ")
        );
        return None;
    }
    let status = std::process::Command::new("pdflatex")
        .args(["-interaction=nonstopmode", "-halt-on-error", tex])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status();
    match status {
        Ok(status) => Some(status.success()),
        Err(_) if std::env::var_os("PROCSIM_REQUIRE_PDFLATEX").is_none() => {
            eprintln!("pdflatex is not installed: the sheets are checked but not compiled");
            None
        }
        Err(error) => panic!("pdflatex is required here: {error}"),
    }
}

#[test]
fn a_sheet_with_brackets_and_names_the_fonts_lack_compiles() {
    let (dir, path) = temp_file(
        "names.yaml",
        "name: \"课堂 [练习]\"\npolicy: fcfs\nprocesses:\n  - {name: A, burst: 2}\n  - {name: \"[x]\", burst: 1}\n  - {name: \"中文😀\", burst: 1}\n",
    );
    let out = procsim(&["key", path.to_str().unwrap(), "--format", "latex"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("{[}x{]} &"), "{}", out.stdout);
    assert!(out.stdout.contains("\\texttt{U+4E2D}"), "{}", out.stdout);
    assert!(out.stdout.contains("written as their code points"));
    std::fs::write(dir.path().join("names.tex"), &out.stdout).unwrap();
    if let Some(compiled) = pdflatex(dir.path(), "names.tex") {
        assert!(compiled, "names.tex does not compile:\n{}", out.stdout);
    }
}

#[test]
fn exam_sheets_are_latex_that_compiles_blank_or_filled() {
    let dir = tempfile::tempdir().unwrap();
    for (name, blank) in [("key.tex", false), ("blank.tex", true)] {
        let mut args = vec!["key", "scenarios/grading/exam-rr.yaml", "--format", "latex"];
        if blank {
            args.push("--blank");
        }
        let out = procsim(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.starts_with("\\documentclass"));
        assert!(out.stdout.contains("\\begin{tikzpicture}"));
        // The key fills the metrics; the blank sheet does not give them away.
        assert_eq!(out.stdout.contains("19.25"), !blank, "{name}");
        std::fs::write(dir.path().join(name), &out.stdout).unwrap();
        if let Some(compiled) = pdflatex(dir.path(), name) {
            assert!(compiled, "{name} does not compile");
            assert!(dir.path().join(name.replace(".tex", ".pdf")).exists());
        }
    }
}

#[test]
fn generate_writes_one_sheet_per_student() {
    let dir = tempfile::tempdir().unwrap();
    let students = dir.path().join("students.txt");
    std::fs::write(&students, "s1001\ns1002\n# a comment\n\ns1003\n").unwrap();
    let out_dir = dir.path().join("sheets");
    let out = procsim(&[
        "generate",
        "docs/examples/practice-template.yaml",
        "--students",
        students.to_str().unwrap(),
        "--format",
        "latex",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files.iter().all(|f| f.ends_with(".tex")));
    let sheet = std::fs::read_to_string(out_dir.join(&files[0])).unwrap();
    assert!(
        sheet.contains("student s1001"),
        "the sheet names its student"
    );
    if let Some(compiled) = pdflatex(&out_dir, &files[0]) {
        assert!(compiled);
    }
}

#[test]
fn generate_refuses_students_whose_ids_make_one_file_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let students = dir.path().join("students.txt");
    std::fs::write(&students, "s 1\ns-1\nS_1\nbob\n").unwrap();
    let out_dir = dir.path().join("problems");
    let out = procsim(&[
        "generate",
        "docs/examples/practice-template.yaml",
        "--students",
        students.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    assert!(out.stderr.contains("`s 1` and `s-1`"), "{}", out.stderr);
    assert!(out.stderr.contains("`s 1` and `S_1`") || out.stderr.contains("`s-1` and `S_1`"));
    assert!(!out_dir.exists() || std::fs::read_dir(&out_dir).unwrap().next().is_none());
}

#[test]
fn sweep_runs_every_combination_in_order_and_draws_them() {
    let (dir, _) = temp_file("unused", "");
    let plot = dir.path().join("quanta.svg");
    let out = procsim(&[
        "sweep",
        "scenarios/grading/exam-rr.yaml",
        "--policies",
        "fcfs,rr",
        "--quantum",
        "1..3",
        "--cpus",
        "1,2",
        "--plot",
        plot.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "policy,quantum,seed,cpus,turnaround,waiting,response,makespan,context_switches"
    );
    // fcfs once per CPU count, rr once per quantum and CPU count, in that order.
    let keys: Vec<String> = lines[1..]
        .iter()
        .map(|l| l.split(',').take(4).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        keys,
        [
            "fcfs,,0,1",
            "fcfs,,0,2",
            "rr,1,0,1",
            "rr,1,0,2",
            "rr,2,0,1",
            "rr,2,0,2",
            "rr,3,0,1",
            "rr,3,0,2"
        ]
    );
    // The rr q=4 row of a sweep equals the scenario's own run (exam-rr is rr q=4, 1 CPU).
    let four = procsim(&[
        "sweep",
        "scenarios/grading/exam-rr.yaml",
        "--policies",
        "rr:4",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&four.stdout).unwrap();
    assert_eq!(rows[0]["waiting"], 9.0);
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.contains("against the quantum") && svg.contains("rr waiting"));
    let bad = procsim(&[
        "sweep",
        "scenarios/grading/exam-rr.yaml",
        "--policies",
        "rr",
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("give --quantum"), "{}", bad.stderr);
}

#[test]
fn a_sweep_over_seeds_generates_each_seeds_workload() {
    let file = "scenarios/classroom/generated-workload.yaml";
    let out = procsim(&[
        "sweep",
        file,
        "--policies",
        "rr:2",
        "--seeds",
        "1..3",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    // Each row is the run of the file (rr, quantum 2) with that seed: its workload drawn
    // with it (round robin itself draws nothing, so only the workload can differ).
    let text = std::fs::read_to_string(file).unwrap();
    let text = &text[..text.find("# Known answers").unwrap()];
    for (row, seed) in rows.iter().zip(1..) {
        assert_eq!(row["seed"], seed);
        let (_dir, copy) = temp_file(
            "seeded.yaml",
            &text.replace("seed: 7\n", &format!("seed: {seed}\n")),
        );
        let run = procsim(&[
            "run",
            copy.to_str().unwrap(),
            "--summary",
            "--format",
            "json",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(row["waiting"], report["averages"]["waiting"], "seed {seed}");
        assert_eq!(row["makespan"], report["makespan"], "seed {seed}");
    }
    assert!(
        rows[0]["waiting"] != rows[1]["waiting"] || rows[1]["waiting"] != rows[2]["waiting"],
        "three seeds, three workloads: {rows:?}"
    );
}

#[test]
fn an_swf_trace_imports_as_a_scenario_that_runs() {
    let out = procsim(&[
        "import",
        "swf",
        "docs/examples/sample.swf",
        "--policy",
        "sjf",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("6 jobs read, 1 skipped"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("cpus: 2\n"), "MaxProcs gives the CPUs");
    let (_dir, scenario) = temp_file("trace.yaml", &out.stdout);
    let run = procsim(&["run", scenario.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // Worked by hand: SJF on 2 CPUs; job 3 was cancelled (run time -1).
    assert_eq!(report["averages"]["turnaround"], 21.6);
    assert_eq!(report["processes"].as_array().unwrap().len(), 5);
    let split = procsim(&[
        "import",
        "swf",
        "docs/examples/sample.swf",
        "--per-processor",
    ]);
    assert!(split.stdout.contains("job2.2") && split.stdout.contains("job6.2"));
}

#[test]
fn a_bad_swf_line_is_named() {
    let (_dir, trace) = temp_file("bad.swf", "; MaxProcs: 4\n1 0 0 ten 1\n");
    let out = procsim(&["import", "swf", trace.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("bad.swf:2: field 4 (run time): expected a number, got `ten`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_refused_quantum_is_not_answered_with_give_quantum() {
    let given = procsim(&[
        "sweep",
        "scenarios/textbook/silberschatz-rr.yaml",
        "--policies",
        "rr",
        "--quantum",
        "0",
    ]);
    assert_eq!(given.code, 2, "{}", given.stdout);
    assert!(given.stderr.contains("at least 1 tick"), "{}", given.stderr);
    assert!(!given.stderr.contains("give --quantum"), "{}", given.stderr);
    let missing = procsim(&[
        "sweep",
        "scenarios/textbook/silberschatz-rr.yaml",
        "--policies",
        "rr",
    ]);
    assert!(
        missing.stderr.contains("give --quantum, or write rr:Q"),
        "{}",
        missing.stderr
    );
}
