//! CFS (docs/policies.md): the period past latency / min_granularity, start_debit, the
//! dispatch's caption and vruntime between instants. The worked scenarios are
//! scenarios/modern/cfs-*.yaml (their known answers run in the scenario suite).

use crate::support::{gantt_text as gantt, run_yaml as run};
use sim_core::event::Event;
use sim_core::{Scenario, Simulator, Tick};

#[test]
fn past_latency_over_min_granularity_the_period_grows_with_the_runnable() {
    // Eight runnable at nice 0, latency 6, min_granularity 1: the period is 8 ticks, a
    // slice of 1 each; with latency 16 it would be 2 each.
    let processes: String = (1..=8)
        .map(|n| format!("  - {{name: P{n}, burst: 2}}\n"))
        .collect();
    let (_, report) = run(&format!(
        "name: many\npolicy: {{kind: cfs, latency: 6}}\nprocesses:\n{processes}"
    ));
    assert!(
        gantt(&report).starts_with("P1 0-1, P2 1-2, P3 2-3, P4 3-4, P5 4-5, P6 5-6"),
        "{}",
        gantt(&report)
    );
    let (_, report) = run(&format!(
        "name: many\npolicy: {{kind: cfs, latency: 16}}\nprocesses:\n{processes}"
    ));
    assert!(
        gantt(&report).starts_with("P1 0-2, P2 2-4"),
        "{}",
        gantt(&report)
    );
}

#[test]
fn start_debit_places_a_newcomer_one_virtual_slice_late() {
    // `late` arrives at 2 while `early` runs alone (slice 6). At min_vruntime (2) it is
    // ahead when that slice ends at 6 (early at 6) and runs until it is done; with
    // start_debit it starts at 2 + 6×1024/2048 = 5, runs 6-9 to vruntime 8, and then
    // `early` (6) has its turn before `late` finishes.
    let yaml = |debit: bool| {
        format!(
            "name: debit\npolicy: {{kind: cfs, latency: 6, start_debit: {debit}}}\n\
             processes:\n  - {{name: early, burst: 10}}\n  - {{name: late, arrival: 2, burst: 4}}\n"
        )
    };
    let (_, plain) = run(&yaml(false));
    let (_, debit) = run(&yaml(true));
    assert_eq!(gantt(&plain), "early 0-6, late 6-10, early 10-14");
    assert_eq!(
        gantt(&debit),
        "early 0-6, late 6-9, early 9-12, late 12-13, early 13-14"
    );
}

#[test]
fn the_dispatch_says_the_vruntimes_it_compared() {
    let yaml = "name: nice\npolicy: {kind: cfs, latency: 6}\nprocesses:\n  \
        - {name: high, nice: -5, burst: 8}\n  - {name: normal, burst: 8}\n";
    let (simulator, _) = run(yaml);
    let why = simulator
        .log()
        .iter()
        .find_map(|timed| match timed.event {
            Event::Dispatch { pid, why, .. } if timed.time == Tick(7) => Some((pid, why)),
            _ => None,
        })
        .expect("a dispatch at 7");
    let caption = sim_core::narrate::why_chosen(why.0, &why.1, simulator.roster());
    // high (1.640 after 5 ticks at weight 3121) against normal (2 after 2 ticks).
    assert!(caption.contains("vruntime 1.640"), "{caption}");
    assert!(
        caption.contains("the least (normal has 2.000)"),
        "{caption}"
    );
}

#[test]
fn a_running_process_vruntime_moves_between_instants() {
    let yaml = "name: alone\npolicy: {kind: cfs, latency: 6}\nprocesses:\n  \
        - {name: a, nice: 5, burst: 20}\n";
    let mut simulator = Simulator::new(Scenario::from_yaml(yaml).unwrap());
    simulator.advance_to(Tick(0), 1000).unwrap();
    let at = |time: u64| simulator.snapshot_at(Tick(time)).processes[0].sched["vruntime"];
    assert_eq!(at(0).as_f64(), 0.0);
    // 3 ticks at weight 335: 3 × 1024 / 335 = 9.170.
    assert_eq!(at(3).to_string(), "9.170");
}
