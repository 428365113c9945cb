//! Stride scheduling: deterministic proportional share.
//!
//! Rules: a process's stride is 10,000 / tickets, and its pass grows by its stride for every
//! tick it runs. The ready process with the lowest pass runs next, for at most `quantum` ticks;
//! ties go to the earlier entry into the ready queue, then scenario order. A process that
//! arrives starts with the lowest pass among the ready and running processes (0 if none), so it
//! cannot monopolise the CPU; a process back from IO keeps its pass. Never preempted otherwise.

use super::{KeyedQueue, Policy, ProcTable, ReadyReason};
use crate::event::{Choice, ChoiceRule, Event, Measure};
use crate::ids::Pid;
use crate::scenario::Scenario;

/// The numerator of every stride.
pub const STRIDE_SCALE: u64 = 10_000;

pub struct Stride {
    quantum_ticks: u64,
    ready: KeyedQueue<u128>,
    /// Pass = offset + stride × CPU ticks used, in 128 bits: a stride of up to 10,000 times
    /// up to 2^62 ticks of CPU does not fit in 64 (scenario::limits).
    offset: Vec<u128>,
    /// Processes on a CPU (at most one per CPU).
    running: Vec<Pid>,
}

impl Stride {
    pub fn new(quantum_ticks: u64, scenario: &Scenario) -> Stride {
        let count = scenario.processes.len();
        Stride {
            quantum_ticks,
            ready: KeyedQueue::new(count),
            offset: vec![0; count],
            running: Vec::new(),
        }
    }

    fn pass(&self, pid: Pid, procs: &ProcTable) -> u128 {
        let pcb = procs.get(pid);
        let stride = u128::from(STRIDE_SCALE / pcb.tickets.max(1));
        let offset = self.offset.get(pid.index()).copied().unwrap_or(0);
        offset + stride * u128::from(pcb.cpu_ticks)
    }
}

impl Policy for Stride {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.running.retain(|&p| p != pid);
        if why == ReadyReason::Admitted {
            let lowest_waiting = self.ready.first().map(|(pass, _)| pass);
            let lowest_running = self.running.iter().map(|&p| self.pass(p, procs)).min();
            *super::entry(&mut self.offset, pid, 0) = match (lowest_waiting, lowest_running) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => 0,
            };
        }
        let pass = self.pass(pid, procs);
        self.ready.insert(pid, pass);
        None
    }

    fn select(&mut self, _procs: &ProcTable) -> Option<Pid> {
        // The first in line: what `upcoming` names.
        self.upcoming()
    }

    fn upcoming(&self) -> Option<Pid> {
        self.ready.first().map(|(_, pid)| pid)
    }

    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice {
        let pass = self
            .ready
            .key_of(chosen)
            .unwrap_or_else(|| self.pass(chosen, procs));
        Choice::keyed(
            ChoiceRule::LowestPass,
            Measure::wide(pass),
            self.ready
                .runner_up(chosen)
                .map(|(key, runner_up)| (runner_up, Measure::wide(key))),
        )
    }

    fn remove(&mut self, pid: Pid) {
        self.ready.remove(pid);
        self.running.push(pid);
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        vec![self.ready.to_vec()]
    }

    fn nobody_ready(&self) -> bool {
        self.ready.is_empty()
    }

    fn quantum(&self, _pid: Pid) -> Option<u64> {
        Some(self.quantum_ticks)
    }

    fn descheduled(
        &mut self,
        pid: Pid,
        _quantum_left: Option<u64>,
        _why: super::Deschedule,
        _procs: &ProcTable,
    ) -> Option<Event> {
        self.running.retain(|&p| p != pid);
        None
    }

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        // The pass is derived from CPU time, so skipped renewals lose nothing.
        self.ready.is_empty()
    }

    fn rules(&self) -> Vec<String> {
        vec![
            format!(
                "stride: stride = {STRIDE_SCALE} / tickets; pass grows by the stride per tick run; the lowest pass runs next, for at most {}.",
                crate::text::ticks(self.quantum_ticks)
            ),
            "stride: ties go to the earlier entry into the ready queue, then scenario order; an arriving process starts at the lowest current pass.".into(),
        ]
    }
}
