//! `procsim ostep`: the scripts' command lines give the scripts' jobs and `-c` answers.
//! The expected answers are what the current scripts of remzi-arpacidusseau/ostep-homework
//! print; tests/ostep/reference.json holds many more, made by tests/ostep/make_reference.py.

use crate::{procsim, temp_file};

/// Runs `procsim ostep ARGS`, then `procsim run` on its YAML; returns (response, turnaround,
/// waiting) per job.
fn answers(args: &[&str]) -> Vec<(u64, u64, u64)> {
    let mut full = vec!["ostep"];
    full.extend_from_slice(args);
    let out = procsim(&full);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (_dir, path) = temp_file("ostep.yaml", &out.stdout);
    let run = procsim(&["run", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    report["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["response"].as_u64().unwrap(),
                p["turnaround"].as_u64().unwrap(),
                p["waiting"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn response_turnaround(args: &[&str]) -> Vec<(u64, u64)> {
    answers(args).into_iter().map(|(r, t, _)| (r, t)).collect()
}

#[test]
fn scheduler_defaults_match_the_script() {
    // scheduler.py -s 0 (jobs 9, 8, 5), FIFO: response 0, 9, 17; turnaround 9, 17, 22.
    assert_eq!(
        answers(&["scheduler"]),
        [(0, 9, 0), (9, 17, 9), (17, 22, 17)]
    );
    // -p SJF: 5 first, then 8, then 9.
    assert_eq!(
        answers(&["scheduler", "-p", "SJF"]),
        [(13, 22, 13), (5, 13, 5), (0, 5, 0)]
    );
    // -p RR -q 1 on -l 200,200,200, the homework's question.
    assert_eq!(
        answers(&["scheduler", "-l", "200,200,200", "-p", "RR", "-q", "1"]),
        [(0, 598, 398), (1, 599, 399), (2, 600, 400)]
    );
}

#[test]
fn mlfq_matches_the_script() {
    assert_eq!(
        response_turnaround(&["mlfq"]),
        [(0, 180), (7, 161), (10, 171)]
    );
    assert_eq!(
        response_turnaround(&[
            "mlfq", "-s", "3", "-q", "5", "-a", "2", "-B", "30", "-S", "-I", "-j", "4", "-m", "60",
            "-M", "6", "-i", "3",
        ]),
        [(0, 40), (3, 52), (10, 155), (11, 12)]
    );
    assert_eq!(
        response_turnaround(&[
            "mlfq",
            "-l",
            "0,120,0:20,40,5:30,25,3",
            "-Q",
            "10,20,40",
            "-A",
            "1,2,1",
            "-B",
            "50",
            "-i",
            "4",
        ]),
        [(0, 185), (0, 145), (4, 99)]
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let out = procsim(&["ostep", "scheduler", "-p", "LOTTERY"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not available"), "{}", out.stderr);
    let out = procsim(&["ostep", "mlfq", "-l", "0,10"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("badly formatted job"), "{}", out.stderr);
}

/// One reference case: a script's command line, the lines it prints with -c, and (for some
/// scripts) its answers as `-c --format json` gives them.
struct Case {
    script: String,
    args: Vec<String>,
    answers: String,
    json: Option<serde_json::Value>,
}

fn reference_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(crate::repo().join("tests/ostep/reference.json")).unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    cases
        .iter()
        .map(|case| Case {
            script: case["script"].as_str().unwrap().to_string(),
            args: case["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect(),
            answers: case["answers"].as_str().unwrap().to_string(),
            json: case.get("json").cloned(),
        })
        .collect()
}

#[test]
fn every_translation_prints_the_scripts_answers() {
    let cases = reference_cases();
    assert!(cases.len() >= 550, "the reference set shrank");
    let mut wrong = Vec::new();
    for case in &cases {
        let mut full = vec!["ostep", case.script.as_str()];
        full.extend(case.args.iter().map(String::as_str));
        full.push("-c");
        let out = procsim(&full);
        if out.code != 0 || out.stdout != case.answers {
            wrong.push(format!(
                "procsim {}\n--- the script:\n{}--- procsim:\n{}{}",
                full.join(" "),
                case.answers,
                out.stdout,
                out.stderr
            ));
        }
        if let Some(expected) = &case.json {
            full.extend(["--format", "json"]);
            let out = procsim(&full);
            let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
            if json != *expected {
                wrong.push(format!(
                    "procsim {}\n--- the script: {expected}\n--- procsim: {json}",
                    full.join(" ")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// How a script's -c answers are read from its output (as tests/ostep/make_reference.py does).
enum Answers {
    /// From the line holding this to the end.
    FromLine(&'static str),
    /// The lines that start with this.
    LinesStarting(&'static str),
}

impl Answers {
    fn read(&self, out: &str) -> String {
        match self {
            Answers::FromLine(start) => {
                let at = out.find(start).expect("the script printed its answers");
                let line_start = out[..at].rfind('\n').map_or(0, |newline| newline + 1);
                format!("{}\n", out[line_start..].trim_end())
            }
            Answers::LinesStarting(prefix) => out
                .lines()
                .filter(|line| line.starts_with(prefix))
                .map(|line| format!("{line}\n"))
                .collect(),
        }
    }
}

/// Where each script lives in an ostep-homework checkout, and how its answers are read.
fn script_of(name: &str) -> (&'static str, Answers) {
    match name {
        "scheduler" => (
            "cpu-sched/scheduler.py",
            Answers::FromLine("Final statistics:"),
        ),
        "mlfq" => (
            "cpu-sched-mlfq/mlfq.py",
            Answers::FromLine("Final statistics:"),
        ),
        "lottery" => (
            "cpu-sched-lottery/lottery.py",
            Answers::LinesStarting("--> JOB"),
        ),
        "process-run" => ("cpu-intro/process-run.py", Answers::LinesStarting("Stats:")),
        "fork" => ("cpu-api/fork.py", Answers::FromLine("Final Process Tree:")),
        "multi" => (
            "cpu-sched-multi/multi.py",
            Answers::FromLine("Finished time"),
        ),
        other => panic!("no script `{other}`"),
    }
}

#[test]
fn the_reference_answers_are_the_scripts_own() {
    // Runs only with a checkout of remzi-arpacidusseau/ostep-homework (and python3).
    let Some(home) = std::env::var_os("OSTEP_HOME") else {
        eprintln!("OSTEP_HOME is not set: the scripts are not run");
        return;
    };
    for case in reference_cases() {
        let (path, answers) = script_of(&case.script);
        let out = std::process::Command::new("python3")
            .arg(std::path::Path::new(&home).join(path))
            .args(&case.args)
            .arg("-c")
            // process-run.py prints its statistics only with -p; fork.py its final tree with -F.
            .args(match case.script.as_str() {
                "process-run" => Some("-p"),
                "fork" => Some("-F"),
                _ => None,
            })
            .output()
            .expect("python3 runs");
        assert_eq!(
            answers.read(&String::from_utf8_lossy(&out.stdout)),
            case.answers,
            "{} {}",
            case.script,
            case.args.join(" ")
        );
    }
}

#[test]
fn answers_as_json_objects() {
    let out = procsim(&[
        "ostep",
        "scheduler",
        "-l",
        "5,2,8",
        "-p",
        "SJF",
        "-c",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        answers,
        serde_json::json!({"response": [2, 0, 7], "turnaround": [7, 2, 15], "wait": [2, 0, 7]})
    );
    let out = procsim(&["ostep", "mlfq", "-c", "--format", "json"]);
    let answers: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        answers,
        serde_json::json!({"response": [0, 7, 10], "turnaround": [180, 161, 171]})
    );
    let out = procsim(&["ostep", "lottery", "--compute", "--format", "json"]);
    let answers: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(answers, serde_json::json!({"done": [13, 17, 15]}));
    // --format is for the answers: without -c it is a usage error.
    assert_eq!(procsim(&["ostep", "mlfq", "--format", "json"]).code, 2);
}
