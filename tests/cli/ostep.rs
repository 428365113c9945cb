//! `procsim ostep`: the scripts' command lines give the scripts' jobs and `-c` answers.
//! The expected answers were computed with the logic of OSTEP's scheduler.py and mlfq.py.

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
        answers(&["scheduler", "-c"]),
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
        response_turnaround(&["mlfq", "-c"]),
        [(0, 180), (7, 161), (10, 171)]
    );
    assert_eq!(
        response_turnaround(&[
            "mlfq", "-s", "3", "-q", "5", "-a", "2", "-B", "30", "-S", "-I", "-j", "4", "-m", "60",
            "-M", "6", "-i", "3",
        ]),
        [(0, 37), (3, 53), (10, 155), (11, 12)]
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
        [(0, 185), (0, 127), (4, 123)]
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
