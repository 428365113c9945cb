//! No allocation per event in the steady state: once a run's queues, log buffer and tables
//! have grown to size, processing instants allocates nothing (performance issue, item 6).
//! Its own test binary, because it counts every allocation of the process.

use sim_core::Simulator;
use sim_core::scenario::Scenario;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations per event over `measured` instants, after `warm_up` instants of `yaml`, run
/// as `procsim run` runs it (each instant's events forgotten once read).
fn allocations_per_event(yaml: &str, warm_up: usize, measured: usize) -> f64 {
    let scenario = Scenario::from_yaml(yaml).unwrap();
    let mut simulator = Simulator::new(scenario);
    for _ in 0..warm_up {
        simulator.step().expect("the run lasts past the warm-up");
        simulator.forget_log();
    }
    let (allocations, events) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        simulator.events_logged(),
    );
    for _ in 0..measured {
        simulator.step().expect("the run lasts past the measure");
        simulator.forget_log();
    }
    let allocated = ALLOCATIONS.load(Ordering::Relaxed) - allocations;
    let logged = simulator.events_logged() - events;
    assert!(logged > measured, "the instants have events");
    allocated as f64 / logged as f64
}

/// Processes arriving all along with CPU bursts and IO, so that the measured instants have
/// arrivals, dispatches, quantum expiries, IO starts and ends, and exits. The 4 CPUs are busy
/// about 80% of the time (96 ticks of CPU a process, one every 30 ticks): a steady state, with
/// a ready queue that comes and goes instead of growing all run long.
fn workload(policy: &str) -> String {
    format!(
        "name: steady\ncpus: 4\nseed: 7\npolicy: {policy}\n\
         devices: [{{name: disk, servers: 2}}]\n\
         workload: {{count: 3000, arrival: {{every: 30}}, cpu: [5, 60], bursts: 3, io_time: [1, 20]}}\n"
    )
}

#[test]
fn the_steady_state_allocates_nothing_per_event() {
    let mut failures = Vec::new();
    for policy in [
        "fcfs",
        "sjf",
        "srtf",
        "{kind: rr, quantum: 4}",
        "{kind: priority, preemptive: true, quantum: 4}",
        "{kind: mlfq, levels: [{quantum: 2}, {quantum: 4}, {quantum: 8}], boost: 200}",
        "hrrn",
        "{kind: stride, quantum: 4}",
        "{kind: lottery, quantum: 4}",
    ] {
        let per_event = allocations_per_event(&workload(policy), 2_000, 5_000);
        if per_event >= 0.01 {
            failures.push(format!("{policy}: {per_event:.3}"));
        }
    }
    assert!(
        failures.is_empty(),
        "allocations per event in the steady state: {failures:?}"
    );
}
