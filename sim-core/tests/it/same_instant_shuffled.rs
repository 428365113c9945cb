//! `rules.same_instant: shuffled` (docs/policies.md, "Same instant, shuffled"): each of its
//! three choice points takes every alternative under some seed, the same seed gives the same
//! run, and `fixed` is the documented order.

use crate::support::{report_of, scenario};
use std::collections::BTreeSet;

/// The printed lines of `yaml` under each seed of 0..32, as one string per run.
fn outcomes(yaml: &str) -> BTreeSet<String> {
    (0..32)
        .map(|seed| {
            let report = report_of(scenario(&format!("{yaml}seed: {seed}\n")));
            report
                .output
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

const FORK: &str = "name: f\npolicy: fcfs\nrules: {same_instant: SAME}\nprocesses:\n\
     - {name: P, program: [{fork: {name: C, program: [{print: child}]}}, {print: parent}]}\n";

#[test]
fn after_a_fork_the_child_runs_first_under_some_seeds() {
    let shuffled = outcomes(&FORK.replace("SAME", "shuffled"));
    assert_eq!(
        shuffled,
        BTreeSet::from(["child parent".to_string(), "parent child".to_string()])
    );
    assert_eq!(
        outcomes(&FORK.replace("SAME", "fixed")),
        BTreeSet::from(["parent child".to_string()])
    );
}

#[test]
fn threads_ready_at_one_instant_enter_the_queue_in_a_drawn_order() {
    // Three processes arrive together on one CPU: any of 3! orders.
    let yaml = "name: r\npolicy: fcfs\nrules: {same_instant: SAME}\nprocesses:\n\
         - {name: A, program: [{print: A}, {cpu: 1}]}\n\
         - {name: B, program: [{print: B}, {cpu: 1}]}\n\
         - {name: C, program: [{print: C}, {cpu: 1}]}\n";
    assert_eq!(outcomes(&yaml.replace("SAME", "shuffled")).len(), 6);
    assert_eq!(
        outcomes(&yaml.replace("SAME", "fixed")),
        BTreeSet::from(["A B C".to_string()])
    );
}

#[test]
fn idle_cpus_pick_in_a_drawn_order() {
    // One process ready, two idle CPUs: which CPU it runs on is drawn.
    let cpus_used = |same: &str| -> BTreeSet<usize> {
        (0..32)
            .map(|seed| {
                let report = report_of(scenario(&format!(
                    "name: c\ncpus: 2\npolicy: fcfs\nrules: {{same_instant: {same}}}\nseed: {seed}\n\
                     processes: [{{name: A, burst: 3}}]\n"
                )));
                report
                    .gantt
                    .iter()
                    .find(|s| s.name.is_some())
                    .map(|s| s.cpu.0)
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(cpus_used("shuffled"), BTreeSet::from([0, 1]));
    assert_eq!(cpus_used("fixed"), BTreeSet::from([0]));
}

#[test]
fn the_same_seed_gives_the_same_shuffled_run() {
    let yaml = "name: d\ncpus: 2\npolicy: {kind: rr, quantum: 2}\nrules: {same_instant: shuffled}\nseed: 9\n\
         processes:\n  - {name: P, program: [{fork: {name: C, program: [{cpu: 3}, {io: 2}, {cpu: 1}]}}, {cpu: 4}, {wait: C}]}\n\
         \x20 - {name: Q, program: [{cpu: 2}, {sleep: 1}, {cpu: 2}]}\n";
    let first = crate::support::run(scenario(yaml));
    let second = crate::support::run(scenario(yaml));
    assert_eq!(first.log(), second.log());
}
