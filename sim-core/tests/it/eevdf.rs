//! EEVDF (docs/policies.md): ties, run_to_parity, keep_lag, weights, the fallback with several
//! CPUs, lag between instants, and the errors of `slice`. The worked scenarios are
//! scenarios/modern/eevdf-*.yaml (their known answers run in the scenario suite).

use crate::support::{gantt_text as gantt, run_yaml as run};
use sim_core::event::{ChoiceRule, Event, PreemptReason};
use sim_core::{Scenario, Simulator, Tick};

/// The wakeup scenario with its policy options changed.
fn sleeper(options: &str) -> String {
    format!(
        "name: sleeper\npolicy: {{kind: eevdf, slice: 3{options}}}\nprocesses:\n  \
         - {{name: hog, burst: 9}}\n  \
         - {{name: editor, program: [{{cpu: 1}}, {{io: 2}}, {{cpu: 3}}]}}\n"
    )
}

#[test]
fn equal_deadlines_go_to_the_earlier_entry_into_the_ready_queue() {
    // Same instant: three processes arrive at 0 with the same request, all at V = 0 with
    // deadline 2; scenario order decides, and each later turn goes by deadline again.
    let (_, report) = run(
        "name: ties\npolicy: {kind: eevdf, slice: 2}\nprocesses:\n  \
         - {name: a, burst: 4}\n  - {name: b, burst: 4}\n  - {name: c, burst: 4}\n",
    );
    assert_eq!(
        gantt(&report),
        "a 0-2, b 2-4, c 4-6, a 6-8, b 8-10, c 10-12"
    );
}

#[test]
fn with_run_to_parity_a_waking_process_waits_for_the_request_to_end() {
    // The hog's request 3-6 (in CPU time) ends at t=7; the editor woke at 6.
    let (simulator, report) = run(&sleeper(""));
    assert_eq!(
        gantt(&report),
        "hog 0-3, editor 3-4, hog 4-7, editor 7-10, hog 10-13"
    );
    assert!(
        !simulator
            .log()
            .iter()
            .any(|timed| matches!(timed.event, Event::Preempt { reason, .. }
                if !matches!(reason, PreemptReason::QuantumExpired)))
    );
}

#[test]
fn without_run_to_parity_the_reason_names_what_was_compared() {
    let (simulator, report) = run(&sleeper(", run_to_parity: false"));
    assert_eq!(
        gantt(&report),
        "hog 0-3, editor 3-4, hog 4-6, editor 6-9, hog 9-13"
    );
    let reasons: Vec<PreemptReason> = simulator
        .log()
        .iter()
        .filter_map(|timed| match timed.event {
            Event::Preempt { reason, .. } if timed.time == Tick(6) => Some(reason),
            _ => None,
        })
        .collect();
    assert!(
        matches!(reasons[..], [PreemptReason::NoLongerEligible { .. }]),
        "{reasons:?}"
    );
}

#[test]
fn without_keep_lag_a_sleeper_wakes_at_v() {
    // Placed at V = 5 (deadline 8) instead of 3: both eligible, and the hog's deadline (6) is
    // earlier, so even without run_to_parity the hog keeps its CPU to the end of its request.
    let (_, report) = run(&sleeper(", run_to_parity: false, keep_lag: false"));
    assert_eq!(
        gantt(&report),
        "hog 0-3, editor 3-4, hog 4-7, editor 7-10, hog 10-13"
    );
}

#[test]
fn cpu_shares_follow_the_weights() {
    // nice -5 (3121) against nice 0 (1024): about 3.05 : 1 over any long stretch, to within
    // a request either way.
    let mut simulator = Simulator::new(
        Scenario::from_yaml(
            "name: weights\npolicy: {kind: eevdf, slice: 2}\nprocesses:\n  \
             - {name: heavy, nice: -5, burst: 1000}\n  - {name: light, burst: 1000}\n",
        )
        .unwrap(),
    );
    simulator.advance_to(Tick(400), 100_000).unwrap();
    let snapshot = simulator.snapshot_at(Tick(400));
    let cpu = |name: &str| {
        snapshot
            .processes
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .cpu_ticks as f64
    };
    let expected = 400.0 * 3121.0 / (3121.0 + 1024.0);
    assert!(
        (cpu("heavy") - expected).abs() <= 2.0,
        "heavy ran {} of 400, expected about {expected}",
        cpu("heavy")
    );
}

#[test]
fn the_weighted_lags_of_the_runnable_add_up_to_zero() {
    // Lag is measured from V, the weighted average: Σ lag = Σ w (V − v) / 1024 = 0, up to the
    // rounding of V to the fixed point.
    let yaml = "name: lags\npolicy: {kind: eevdf, slice: 2}\nprocesses:\n  \
         - {name: a, nice: -3, burst: 50}\n  - {name: b, burst: 50, slice: 5}\n  \
         - {name: c, nice: 4, burst: 50}\n";
    let mut simulator = Simulator::new(Scenario::from_yaml(yaml).unwrap());
    for time in [1, 7, 13, 29, 40] {
        simulator.advance_to(Tick(time), 100_000).unwrap();
        let snapshot = simulator.snapshot_at(Tick(time));
        let total: f64 = snapshot
            .processes
            .iter()
            .map(|p| p.sched["lag"].as_f64())
            .sum();
        assert!(total.abs() < 1e-3, "t={time}: lags add up to {total}");
    }
}

#[test]
fn a_cpu_that_finds_nobody_eligible_takes_the_least_vruntime() {
    // Two CPUs, three equal processes: at t=3 a and b come back at 3 while c (0) is the only
    // eligible one; the second CPU takes the least vruntime of those left.
    let (simulator, _) = run(
        "name: two\ncpus: 2\npolicy: {kind: eevdf, slice: 3}\nprocesses:\n  \
         - {name: a, burst: 6}\n  - {name: b, burst: 6}\n  - {name: c, burst: 6}\n",
    );
    let rules: Vec<ChoiceRule> = simulator
        .log()
        .iter()
        .filter_map(|timed| match timed.event {
            Event::Dispatch { why, .. } if timed.time == Tick(3) => Some(why.rule),
            _ => None,
        })
        .collect();
    assert_eq!(
        rules,
        [
            ChoiceRule::EarliestEligibleDeadline,
            ChoiceRule::LeastVruntime
        ]
    );
}

#[test]
fn lag_and_deadline_move_between_instants() {
    let yaml = "name: alone\npolicy: {kind: eevdf, slice: 4}\nprocesses:\n  \
        - {name: a, nice: 5, burst: 20}\n";
    let mut simulator = Simulator::new(Scenario::from_yaml(yaml).unwrap());
    let mut at = |time: u64, key: &str| {
        simulator.advance_to(Tick(time), 1000).unwrap();
        simulator.snapshot_at(Tick(time)).processes[0].sched[key].to_string()
    };
    // Weight 335: one request is 4 × 1024 / 335 = 12.227 of vruntime; its second request
    // (CPU ticks 4 to 8) ends at 24.454.
    assert_eq!(at(0, "deadline"), "12.227");
    assert_eq!(at(3, "deadline"), "12.227");
    assert_eq!(at(3, "vruntime"), "9.170");
    assert_eq!(at(5, "deadline"), "24.454");
    assert_eq!(at(5, "lag"), "0.000", "alone, it is V");
}

#[test]
fn slice_is_checked_where_it_is_written() {
    let error = |yaml: &str| Scenario::from_yaml(yaml).unwrap_err().to_string();
    let under_rr = error(
        "name: x\npolicy: {kind: rr, quantum: 2}\nprocesses:\n  - {name: a, burst: 1, slice: 2}\n",
    );
    assert!(under_rr.contains("processes[0].slice"), "{under_rr}");
    assert!(under_rr.contains("`eevdf`"), "{under_rr}");
    let word = error(
        "name: x\npolicy: {kind: eevdf, slice: carry_over}\nprocesses:\n  - {name: a, burst: 1}\n",
    );
    assert!(word.contains("policy.slice"), "{word}");
    assert!(word.contains("number of ticks"), "{word}");
    let number =
        error("name: x\npolicy: {kind: mlfq, slice: 3}\nprocesses:\n  - {name: a, burst: 1}\n");
    assert!(
        number.contains("carry_over, renew_each_dispatch"),
        "{number}"
    );
    let zero =
        error("name: x\npolicy: {kind: eevdf}\nprocesses:\n  - {name: a, burst: 1, slice: 0}\n");
    assert!(
        zero.contains("at least 1") || zero.contains("1 to"),
        "{zero}"
    );
    let list =
        error("name: x\npolicy: {kind: eevdf, slice: [1]}\nprocesses:\n  - {name: a, burst: 1}\n");
    assert!(list.contains("whole number of ticks"), "{list}");
    // MLFQ's word still works.
    Scenario::from_yaml(
        "name: x\npolicy: {kind: mlfq, slice: renew_each_dispatch}\nprocesses:\n  - {name: a, burst: 1}\n",
    )
    .unwrap();
}

#[test]
fn the_dispatch_says_the_deadlines_it_compared() {
    let caption_at = |simulator: &Simulator, time: u64| {
        simulator
            .log()
            .iter()
            .find_map(|timed| match timed.event {
                Event::Dispatch { pid, why, .. } if timed.time == Tick(time) => {
                    Some(sim_core::narrate::why_chosen(pid, &why, simulator.roster()))
                }
                _ => None,
            })
            .expect("a dispatch")
    };
    let (simulator, _) = run(&std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenarios/modern/eevdf-slices.yaml"
    ))
    .unwrap());
    assert_eq!(
        caption_at(&simulator, 0),
        "B chosen: virtual deadline 2.000, the earliest of those owed CPU time (lag ≥ 0) (A has 6.000)"
    );
    // At 8 A (6) is ready but not eligible (V = 4): B is the only one owed CPU time.
    assert_eq!(
        caption_at(&simulator, 8),
        "B chosen: virtual deadline 4.000, the only one owed CPU time (lag ≥ 0)"
    );
}

#[test]
fn another_policy_of_the_same_kind_keeps_the_processes_own_slices() {
    let mut scenario = Scenario::from_yaml(
        "name: x\npolicy: {kind: eevdf, slice: 6}\nprocesses:\n  \
         - {name: a, burst: 4}\n  - {name: b, burst: 4, slice: 2}\n",
    )
    .unwrap();
    let slices = |scenario: &Scenario| match &scenario.policy {
        sim_core::scenario::PolicyConfig::Eevdf(config) => config.process_slices.clone(),
        _ => Vec::new(),
    };
    let list = sim_core::scenario::policies::parse_policy_list("eevdf:3, rr:2, eevdf").unwrap();
    scenario.set_policy(list[0].clone());
    assert_eq!(slices(&scenario), [None, Some(2)]);
    // Through another policy and back: the scenario as loaded is what keeps them (the GUI
    // sets its choice on a copy of it each time).
    let mut other = scenario.clone();
    other.set_policy(list[1].clone());
    other.set_policy(list[2].clone());
    assert_eq!(slices(&other), Vec::<Option<u64>>::new());
}

/// LWN's worked example of lag ("An EEVDF CPU scheduler for Linux", lwn.net/Articles/925371,
/// the write-up the kernel's EEVDF merge points to): three CPU-bound tasks start together with
/// 30 ms slices (here 3 ticks of 10 ms). After A's slice the lags are −20, 10, 10 ms; after B's
/// −10, −10, 20, and only C is eligible. The lags always add up to zero.
#[test]
fn lwns_worked_example_of_lag() {
    let yaml = "name: lwn\npolicy: {kind: eevdf, slice: 3}\nprocesses:\n  \
        - {name: A, burst: 30}\n  - {name: B, burst: 30}\n  - {name: C, burst: 30}\n";
    let mut simulator = Simulator::new(Scenario::from_yaml(yaml).unwrap());
    let mut lags_at = |time: u64| {
        simulator.advance_to(Tick(time), 1000).unwrap();
        let snapshot = simulator.snapshot_at(Tick(time));
        let lags: Vec<String> = snapshot
            .processes
            .iter()
            .map(|p| p.sched["lag"].to_string())
            .collect();
        let running = snapshot.cpus[0].running.map(|pid| pid.0);
        (lags, running)
    };
    assert_eq!(lags_at(0).0, ["0.000", "0.000", "0.000"]);
    assert_eq!(
        lags_at(3),
        (
            vec!["-2.000".into(), "1.000".into(), "1.000".into()],
            Some(3)
        )
    );
    assert_eq!(
        lags_at(6),
        (
            vec!["-1.000".into(), "-1.000".into(), "2.000".into()],
            Some(4)
        )
    );
}
