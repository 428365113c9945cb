//! Hostile and careless input at the command line: special files are refused before reading,
//! every path of a grading batch gets exactly one row, outputs carry no control characters, and
//! no input can be overwritten.

use crate::{procsim, temp_file};
use std::path::Path;

const FCFS: &str = "scenarios/textbook/silberschatz-fcfs.yaml";
const CORRECT: &str = "processes:\n  P1: {completion: 24}\n";

#[test]
fn devices_and_directories_are_refused_before_they_are_read() {
    let out = procsim(&["check", "/dev/zero"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr.trim(),
        "error: /dev/zero: a character device is not a regular file"
    );
    let out = procsim(&["run", "scenarios"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("a directory is not a regular file"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_oversized_scenario_is_refused_naming_the_file() {
    let (_dir, path) = temp_file("big.yaml", &"# padding\n".repeat(120_000));
    let out = procsim(&[
        "check",
        path.to_str().unwrap(),
        "--max-input-bytes",
        "1048576",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "big.yaml: the file is 1200000 bytes, over the limit of 1048576 bytes (1 MiB)"
        ),
        "{}",
        out.stderr
    );
}

/// The rows of a JSON grading run: (file name, score, error).
fn rows(args: &[&str]) -> Vec<(String, f64, Option<String>)> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = procsim(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                Path::new(g["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
                g["score"].as_f64().unwrap(),
                g["error"].as_str().map(String::from),
            )
        })
        .collect()
}

#[test]
fn every_entry_of_an_answers_folder_gets_one_row_with_its_reason() {
    let outside = tempfile::tempdir().unwrap();
    let key = outside.path().join("key.yaml");
    std::fs::write(&key, CORRECT).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    std::fs::write(at("a.yaml"), CORRECT).unwrap();
    std::os::unix::fs::symlink(at("nowhere.yaml"), at("b-broken.yaml")).unwrap();
    std::os::unix::fs::symlink(&key, at("c-key.yaml")).unwrap();
    std::fs::create_dir(at("d-folder.yaml")).unwrap();
    let fifo = at("e-fifo.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink(at("a.yaml"), at("f-inside.yaml")).unwrap();
    std::fs::write(at("a.json"), "{}").unwrap();
    // The same id in another case: one student on a file system that ignores case.
    std::fs::write(at("A.yml"), "{}").unwrap();
    let graded = rows(&["grade", FCFS, dir.path().to_str().unwrap()]);
    let names: Vec<&str> = graded.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "A.yml",
            "a.json",
            "a.yaml",
            "b-broken.yaml",
            "c-key.yaml",
            "d-folder.yaml",
            "e-fifo.yaml",
            "f-inside.yaml"
        ]
    );
    let error = |name: &str| {
        graded
            .iter()
            .find(|g| g.0 == name)
            .and_then(|g| g.2.clone())
            .unwrap_or_default()
    };
    assert!(
        error("a.json").contains("duplicate student id `a`: ")
            && error("a.json").ends_with("A.yml is graded for it"),
        "{graded:?}"
    );
    assert!(
        error("a.yaml").contains("duplicate student id `a`"),
        "{graded:?}"
    );
    assert_eq!(error("b-broken.yaml"), "a broken symbolic link");
    assert!(
        error("c-key.yaml").contains("outside the answers folder"),
        "{graded:?}"
    );
    assert_eq!(error("d-folder.yaml"), "a directory is not a regular file");
    assert_eq!(
        error("e-fifo.yaml"),
        "a named pipe (FIFO) is not a regular file"
    );
    assert_eq!(
        error("f-inside.yaml"),
        "",
        "a link within the folder is graded"
    );
    assert!(
        graded
            .iter()
            .filter(|g| !g.2.as_deref().unwrap_or("").is_empty())
            .all(|g| g.1 == 0.0)
    );
}

#[test]
fn a_missing_path_on_the_command_line_is_a_usage_error_and_grades_nothing() {
    let out = procsim(&["grade", FCFS, "no/such/answers/"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(
        out.stderr.trim(),
        "error: no/such/answers/: no such file or directory"
    );
}

#[test]
fn output_never_overwrites_an_input() {
    let (dir, answer) = temp_file("s1.yaml", CORRECT);
    for target in [answer.to_str().unwrap(), FCFS] {
        let out = procsim(&[
            "grade",
            FCFS,
            dir.path().to_str().unwrap(),
            "--output",
            target,
        ]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("which this command reads"),
            "{}",
            out.stderr
        );
    }
    // Nor through another name of it (a hard link), and --plot never overwrites the scenario.
    let alias = dir.path().join("grades.csv");
    std::fs::hard_link(&answer, &alias).unwrap();
    let out = procsim(&[
        "grade",
        FCFS,
        answer.to_str().unwrap(),
        "--output",
        alias.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&answer).unwrap(), CORRECT);
    let scenario = dir.path().join("s.yaml");
    std::fs::copy(crate::repo().join(FCFS), &scenario).unwrap();
    let before = std::fs::read_to_string(&scenario).unwrap();
    for command in ["sweep", "compare"] {
        let out = procsim(&[
            command,
            scenario.to_str().unwrap(),
            "--policies",
            "fcfs,sjf",
            "--plot",
            scenario.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 2, "{command}: {}", out.stderr);
        assert!(out.stderr.contains("--plot"), "{}", out.stderr);
    }
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), before);
}

#[test]
fn output_replaces_a_link_at_its_target_instead_of_writing_through_it() {
    let (dir, answer) = temp_file("s1.yaml", CORRECT);
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "someone else's file").unwrap();
    let target = dir.path().join("grades.csv");
    std::os::unix::fs::symlink(&elsewhere, &target).unwrap();
    let out = procsim(&[
        "grade",
        FCFS,
        answer.to_str().unwrap(),
        "--output",
        target.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        "someone else's file"
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("file,score")
    );
}

#[test]
fn control_characters_in_file_names_and_answers_are_escaped_in_text_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil\u{1b}[31m.yaml"),
        "order: [\"P1\u{7}\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("good.yaml"), CORRECT).unwrap();
    for format in ["text", "csv"] {
        let out = procsim(&[
            "grade",
            FCFS,
            dir.path().to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stdout.contains('\u{1b}'), "{format}: {}", out.stdout);
        assert!(!out.stdout.contains('\u{7}'), "{format}: {}", out.stdout);
        assert!(
            out.stdout.contains("evil\\u{1b}[31m.yaml"),
            "{format}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_poisoned_file_in_a_text_batch_loses_no_other_grade() {
    let long = "P".repeat(140_000);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), CORRECT).unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        format!("processes: {{\"{long}\": {{completion: 1}}}}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("c.yaml"), CORRECT).unwrap();
    let out = procsim(&["grade", FCFS, dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("a.yaml"), "{}", &out.stdout[..200]);
    assert!(out.stdout.contains("c.yaml"));
    assert!(
        out.stdout.contains("3 files, 1 with errors"),
        "tail: {}",
        &out.stdout[out.stdout.len() - 200..]
    );
}

#[test]
fn control_characters_in_scenario_names_are_refused() {
    let (_dir, path) = temp_file(
        "bell.yaml",
        "name: x\npolicy: fcfs\nprocesses: [{name: \"A\\u001b[2J\", burst: 1}]\n",
    );
    let out = procsim(&["check", path.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("processes[0].name: must not contain control characters, found \\u{1b}"),
        "{}",
        out.stderr
    );
}

/// The first line of `check`'s error for a scenario whose third line is `body`.
fn first_error_line(body: &str) -> String {
    let (_dir, path) = temp_file("e.yaml", &format!("name: x\npolicy: fcfs\n{body}\n"));
    let out = procsim(&["check", path.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let first = out.stderr.lines().next().unwrap_or_default();
    // The file is named first; drop its directory for the comparison.
    first.replace(&format!("{}", path.display()), "e.yaml")
}

#[test]
fn errors_name_the_file_line_column_and_what_the_field_accepts() {
    let cases = [
        (
            "processes: [{name: A, arrival: -3, burst: 1}]",
            "error: e.yaml:3:32: `arrival` must be a whole number ≥ 0, found -3",
        ),
        (
            "processes: [{name: A, arrival: 1.5, burst: 1}]",
            "error: e.yaml:3:32: `arrival` must be a whole number ≥ 0, found 1.5",
        ),
        (
            "processes: [{name: A, arrival: soon, burst: 1}]",
            "error: e.yaml:3:32: `arrival` must be a whole number ≥ 0, found soon",
        ),
        (
            "processes: [{name: A, burst: 1, burst: 2}]",
            "error: e.yaml:3:33: `burst` is given twice",
        ),
        (
            "processes: [{name: A, burst: 1}]\n---\nname: y",
            "error: e.yaml:5:1: the file holds more than one YAML document (a `---` line starts another); it must hold one",
        ),
        (
            "processes: [{name: A, burst: 0}]",
            "error: e.yaml:3:30: processes[0].burst: expected a positive number of ticks, got 0",
        ),
        (
            "processes:\n  - name: A\n    program: [{cpu: 1}, {io: {device: tape, time: 2}}]",
            "error: e.yaml:5:39: processes[0].program[1].io.device: unknown device `tape`, expected one of io (declare it under `devices:`)",
        ),
    ];
    for (body, want) in cases {
        assert_eq!(first_error_line(body), want, "{body}");
    }
    let (_dir, path) = temp_file("empty.yaml", "# nothing yet\n");
    let out = procsim(&["check", path.to_str().unwrap()]);
    assert!(
        out.stderr
            .contains("empty.yaml: the file holds no YAML document"),
        "{}",
        out.stderr
    );
}

#[test]
fn semantic_errors_show_the_line_at_fault() {
    let (_dir, path) = temp_file(
        "q.yaml",
        "name: x\npolicy: {kind: rr, quantum: 0}\nprocesses: [{name: A, burst: 1}]\n",
    );
    let out = procsim(&["check", path.to_str().unwrap()]);
    assert!(
        out.stderr.contains("2 | policy: {kind: rr, quantum: 0}"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("^ expected a quantum of at least 1 tick, got 0"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_parser_s_own_words_do_not_reach_the_user() {
    let (_dir, path) = temp_file(
        "m.yaml",
        "name: m\nresources: 3\nprocesses:\n  P0: {allocation: [1], max: [1]}\n",
    );
    let out = procsim(&["analyze", path.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(
            "`resources` must be a map of totals ({A: 10, B: 5}) or a list of names ([A, B])"
        ),
        "{}",
        out.stderr
    );
    for internal in [
        "untagged enum",
        "DuplicateKeyPolicy",
        "from_str_multiple",
        "budget breached",
    ] {
        assert!(!out.stderr.contains(internal), "{}", out.stderr);
    }
}

#[test]
fn each_command_says_which_one_fits_the_file() {
    let out = procsim(&["analyze", "scenarios/textbook/silberschatz-rr.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("a scenario to simulate, not a matrix exercise: use `procsim run scenarios/textbook/silberschatz-rr.yaml`"),
        "{}",
        out.stderr
    );
    let out = procsim(&["run", "scenarios/sync/banker-textbook.yaml"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stderr
            .contains("`procsim analyze scenarios/sync/banker-textbook.yaml` solves it"),
        "{}",
        out.stderr
    );
}

#[test]
fn standard_input_is_read_through_the_same_limit() {
    use std::io::Write;
    let run = |input: &[u8], args: &[&str]| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_procsim"))
            .args(args)
            .current_dir(crate::repo())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // A closed pipe when procsim stops reading early is expected.
        let _ = child.stdin.take().unwrap().write_all(input);
        child.wait_with_output().unwrap()
    };
    let scenario = std::fs::read("scenarios/textbook/silberschatz-rr.yaml").unwrap();
    let out = run(&scenario, &["run", "-"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Silberschatz RR q=4"));
    let endless = vec![b'#'; 3 * 1024 * 1024];
    let out = run(&endless, &["check", "-", "--max-input-bytes", "1048576"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("<stdin>: the input is over the limit of 1048576 bytes (1 MiB)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_instructor_s_large_workload_is_read_by_default() {
    // 30,000 processes: about 1.2 MB of YAML and 150,000 values, past a student's limits.
    let mut text = String::from("name: big\npolicy: fcfs\nprocesses:\n");
    for index in 0..30_000 {
        text.push_str(&format!(
            "  - {{name: P{index}, arrival: {index}, burst: 1}}\n"
        ));
    }
    assert!(text.len() > 1_048_576);
    let (_dir, path) = temp_file("big.yaml", &text);
    let out = procsim(&["run", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["processes"].as_array().unwrap().len(), 30_000);
}

#[test]
fn huge_generated_counts_and_a_nan_chance_are_usage_errors_naming_the_flag() {
    for (args, flag) in [
        (
            &["ostep", "scheduler", "-s", "1", "-j", "1000000000"][..],
            "-j",
        ),
        (
            &["ostep", "mlfq", "-s", "1", "-n", "1", "-j", "1000000000"][..],
            "-j",
        ),
        (
            &["ostep", "lottery", "-s", "1", "-j", "1000000000"][..],
            "-j",
        ),
        (&["ostep", "multi", "-s", "1", "-j", "1000000000"][..], "-j"),
        (
            &["ostep", "process-run", "-s", "1", "-l", "1000000000:100"][..],
            "-l",
        ),
        (&["ostep", "fork", "-s", "1", "-a", "1000000000"][..], "-a"),
        (&["ostep", "fork", "-s", "1", "-f", "NaN"][..], "-f"),
        (
            &[
                "generate",
                "docs/examples/practice-template.yaml",
                "--count",
                "1000000000000",
                "--out",
                "target/never-written",
            ][..],
            "--count",
        ),
    ] {
        let out = procsim(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with(&format!("error: {flag}: ")),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(!Path::new("target/never-written").exists());
}

#[test]
fn pstree_draws_a_fork_chain_thousands_deep_on_one_line() {
    let depth = 20_000;
    let mut yaml = String::from("name: chain\npolicy: fcfs\nmax_processes: 100000\nprograms:\n");
    for i in 0..depth {
        if i + 1 < depth {
            yaml.push_str(&format!(
                "  p{i}: [{{fork: {{name: c{}, program: p{}}}}}, {{sleep: 1000000}}]\n",
                i + 1,
                i + 1
            ));
        } else {
            yaml.push_str(&format!("  p{i}: [{{sleep: 1000000}}]\n"));
        }
    }
    yaml.push_str("processes:\n  - {name: c0, program: p0}\n");
    let (_dir, file) = temp_file("chain.yaml", &yaml);
    let out = procsim(&["pstree", file.to_str().unwrap(), "--at", "10"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1);
    assert!(out.stdout.starts_with("init(1)───c0(2)───c1(3)───"));
    assert!(
        out.stdout
            .trim_end()
            .ends_with(&format!("c{}({})", depth - 1, depth + 1))
    );
}

#[test]
fn work_past_the_memory_budget_stops_with_exit_3_naming_the_flag() {
    // A generated workload (kept whole to be reported) and a Perfetto trace (which keeps the
    // event log) of a loop that prints at one instant: both grow with the input until the
    // budget stops them, with the file named, instead of growing until the system kills the
    // process.
    let (_dir, workload) = temp_file(
        "many.yaml",
        "name: many\npolicy: fcfs\nworkload: {count: 1000000, cpu: [1, 3]}\n",
    );
    let (_dir2, printing) = temp_file(
        "prints.yaml",
        "name: prints\npolicy: fcfs\nprocesses:\n  - name: P\n    program: [{repeat: 1000000000, steps: [{print: hello}]}]\n",
    );
    for (path, extra) in [
        (&workload, &["--summary"][..]),
        (&printing, &["--format", "perfetto"]),
    ] {
        let path = path.to_str().unwrap();
        let out = procsim(&[&["run", path, "--max-memory", "24M"][..], extra].concat());
        assert_eq!(out.code, 3, "{path}: {}", out.stderr);
        assert_eq!(
            out.stderr.trim(),
            format!(
                "Error: {path}: the work needs more memory than the budget of 24 MiB (25165824 bytes); \
                 raise it with --max-memory BYTES (for example --max-memory 8G)"
            )
        );
    }
    // Within the budget the same flag changes nothing.
    let small = procsim(&["run", FCFS, "--max-memory", "16MiB"]);
    assert_eq!(small.code, 0, "{}", small.stderr);
    assert_eq!(small.stdout, procsim(&["run", FCFS]).stdout);
    let out = procsim(&["run", FCFS, "--max-memory", "2X"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown unit \"X\""), "{}", out.stderr);
}

#[test]
fn a_sweep_too_large_is_refused_before_anything_is_built() {
    let out = procsim(&[
        "sweep",
        FCFS,
        "--policies",
        "rr,sjf",
        "--quantum",
        "1..99999",
        "--seeds",
        "0..99",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr.trim(),
        "error: the sweep has more than 1000000 combinations (100000 policy runs × 1 CPU counts × 100 seeds): narrow the ranges"
    );
}

#[test]
fn a_sweep_over_seeds_builds_one_workload_at_a_time() {
    // 16 seeds of a 100,000-process workload: all of them built at once took about 550 MB;
    // built two at a time (one per thread, with the runs' copies) they fit in 320 MiB. The
    // thread count is fixed, since the seeds in memory at once follow it.
    let (_dir, path) = temp_file(
        "big.yaml",
        "name: big\npolicy: fcfs\nworkload: {count: 100000, cpu: [1, 10], arrival: [0, 3]}\n",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_procsim"))
        .args([
            "sweep",
            path.to_str().unwrap(),
            "--policies",
            "fcfs",
            "--seeds",
            "0..15",
            "--max-memory",
            "320M",
        ])
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 17);
}

#[test]
fn a_hostile_file_name_reaches_the_terminal_escaped_in_every_message() {
    let dir = tempfile::tempdir().unwrap();
    let name = "ev\u{1b}[31mil\u{202e}.yaml";
    let hostile = dir.path().join(name);
    std::fs::copy(FCFS, &hostile).unwrap();
    let matrix = dir.path().join("m\u{1b}]0;x\u{7}.yaml");
    std::fs::copy("scenarios/sync/banker-textbook.yaml", &matrix).unwrap();
    let missing = dir.path().join("gone\u{1b}[2J.yaml");
    let big = dir.path().join("big\u{1b}[5m.yaml");
    std::fs::write(
        &big,
        "name: big\npolicy: fcfs\nworkload: {count: 1000000, cpu: 1}\n",
    )
    .unwrap();
    let (hostile, matrix, missing, big) = (
        hostile.to_str().unwrap(),
        matrix.to_str().unwrap(),
        missing.to_str().unwrap(),
        big.to_str().unwrap(),
    );
    for args in [
        &["run", hostile, "--max-events", "3"][..],
        &["run", missing],
        &["check", missing, hostile],
        &["run", matrix],
        &["analyze", hostile],
        &["sweep", hostile, "--policies", "fcfs", "--max-events", "3"],
        &[
            "compare",
            hostile,
            "--policies",
            "fcfs",
            "--max-events",
            "3",
        ],
        &["ps", hostile, "--at", "1", "--max-events", "3"],
        &["grade", hostile, missing],
        &["run", big, "--max-memory", "8M"],
    ] {
        let out = procsim(args);
        assert_ne!(out.stderr, "", "{args:?}");
        assert!(
            !out.stderr.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{args:?}: {:?}",
            out.stderr
        );
        assert!(out.stderr.contains("\\u{1b}"), "{args:?}: {:?}", out.stderr);
    }
}

#[test]
fn student_ids_alike_but_for_punctuation_are_graded_each_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["s-1", "s_1", "S1001", "s1001", "t2"] {
        std::fs::write(dir.path().join(format!("{id}.yaml")), CORRECT).unwrap();
    }
    let folder = dir.path().to_str().unwrap();
    let out = procsim(&["grade", FCFS, folder, "--format", "csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let errors: Vec<&str> = out
        .stdout
        .lines()
        .skip(1)
        .filter(|row| row.contains("duplicate"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stdout);
    assert!(errors[0].contains("s1001.yaml"), "{}", errors[0]);
    let notes: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(notes.len(), 1, "{}", out.stderr);
    assert!(
        notes[0].starts_with("note: student ids `s_1` (")
            && notes[0].ends_with("differ only in what is not a letter or digit: both are graded; check they are two students"),
        "{}",
        notes[0]
    );
}

#[test]
fn a_trace_and_the_state_at_a_time_keep_no_event_log() {
    // 800,000 events of a loop at one instant (400,000 prints): their log (about 80 bytes
    // each) would pass a 16 MiB budget; the trace is written as they happen, so it is the event limit that stops
    // the run, after every line before it was printed.
    let (_dir, printing) = temp_file(
        "prints.yaml",
        "name: prints\npolicy: fcfs\nprocesses:\n  - name: P\n    program: [{repeat: 1000000000, steps: [{print: hello}]}]\n",
    );
    let out = procsim(&[
        "run",
        printing.to_str().unwrap(),
        "--trace",
        "--max-events",
        "800000",
        "--max-memory",
        "16M",
    ]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("--max-events"), "{}", out.stderr);
    let lines = out.stdout.lines().count();
    assert!((350_000..=800_001).contains(&lines), "{lines} lines");
    assert!(
        out.stdout
            .lines()
            .nth(2)
            .unwrap()
            .contains("prints \"hello\""),
        "{}",
        &out.stdout[..200]
    );
    // The state at a time needs no log either: `--at`, `ps` and `pstree` run to it keeping none.
    let path = printing.to_str().unwrap();
    for command in [&["run", path][..], &["ps", path], &["pstree", path]] {
        let args = [
            command,
            &["--at", "1", "--max-events", "800000", "--max-memory", "16M"],
        ]
        .concat();
        let out = procsim(&args);
        assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("--max-events"),
            "{args:?}: {}",
            out.stderr
        );
    }
}
