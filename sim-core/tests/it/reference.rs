//! An independent implementation of FIFO, SJF and RR for jobs that all arrive at time 0 (a
//! port of the OSTEP homework's scheduler.py), compared with the engine on random job lists.

use proptest::prelude::*;
use sim_core::scenario::{
    DEFAULT_DEVICE_NAME, Device, PolicyConfig, ProcessSpec, Rules, Scenario, Step,
};
use sim_core::{RunReport, Tick};

/// Per job: (response, turnaround, wait), as scheduler.py computes them.
fn reference(jobs: &[u64], policy: &str, quantum: u64) -> Vec<(u64, u64, u64)> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    if policy == "SJF" {
        order.sort_by_key(|&j| jobs[j]); // stable: ties keep job order
    }
    let mut result = vec![(0, 0, 0); jobs.len()];
    if policy != "RR" {
        let mut time = 0;
        for j in order {
            result[j] = (time, time + jobs[j], time);
            time += jobs[j];
        }
        return result;
    }
    let mut response = vec![None; jobs.len()];
    let mut last_ran = vec![0u64; jobs.len()];
    let mut wait = vec![0u64; jobs.len()];
    let mut turnaround = vec![0u64; jobs.len()];
    let mut run_list: std::collections::VecDeque<(usize, u64)> =
        jobs.iter().copied().enumerate().collect();
    let mut time = 0;
    while let Some((j, left)) = run_list.pop_front() {
        response[j].get_or_insert(time);
        wait[j] += time - last_ran[j];
        let ran = left.min(quantum);
        if left > quantum {
            run_list.push_back((j, left - quantum));
        }
        time += ran;
        last_ran[j] = time;
        if left <= quantum {
            turnaround[j] = time;
        }
    }
    (0..jobs.len())
        .map(|j| (response[j].unwrap(), turnaround[j], wait[j]))
        .collect()
}

fn engine(jobs: &[u64], policy: PolicyConfig) -> Vec<(u64, u64, u64)> {
    let scenario = Scenario {
        name: "reference".into(),
        description: None,
        cpus: 1,
        policy,
        seed: 0,
        rules: Rules::default(),
        devices: vec![Device {
            name: DEFAULT_DEVICE_NAME.into(),
            servers: None,
        }],
        processes: jobs
            .iter()
            .enumerate()
            .map(|(i, &ticks)| ProcessSpec {
                max_claims: Vec::new(),
                affinity: Vec::new(),
                working_set: 0,
                nice: 0,
                name: format!("J{i}"),
                arrival: Tick(0),
                priority: 0,
                tickets: 100,
                options: Default::default(),
                program: vec![Step::Cpu { ticks }].into(),
            })
            .collect(),
        max_processes: 32_768,
        max_threads: 32_768,
        sync: Default::default(),
        globals: Vec::new(),
        shared: Vec::new(),
        runtime: Default::default(),
        pools: Vec::new(),
        stdin: Vec::new(),
        schedule: None,
        realtime: None,
        gui: Default::default(),
    };
    RunReport::of(&crate::support::run(scenario))
        .processes
        .iter()
        .map(|p| (p.response.unwrap(), p.turnaround.unwrap(), p.waiting))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn fifo_sjf_and_rr_agree_with_the_reference(
        jobs in proptest::collection::vec(1u64..30, 1..12),
        quantum in 1u64..8,
    ) {
        prop_assert_eq!(engine(&jobs, PolicyConfig::Fcfs(Default::default())), reference(&jobs, "FIFO", quantum));
        prop_assert_eq!(engine(&jobs, PolicyConfig::Sjf), reference(&jobs, "SJF", quantum));
        prop_assert_eq!(
            engine(&jobs, PolicyConfig::Rr { quantum_ticks: quantum }),
            reference(&jobs, "RR", quantum)
        );
    }
}

#[test]
fn the_ostep_homework_example_matches() {
    // scheduler.py -l 200,200,200 -p RR -q 1 -c: response 0, 1, 2; turnaround 598, 599, 600.
    let got = engine(&[200, 200, 200], PolicyConfig::Rr { quantum_ticks: 1 });
    assert_eq!(got, vec![(0, 598, 398), (1, 599, 399), (2, 600, 400)]);
}
