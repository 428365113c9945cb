//! Round robin with a fixed quantum.
//!
//! Rules: the ready queue is FIFO; a dispatched process runs for at most `quantum` ticks. When
//! the quantum expires with work left, the process goes to the back of the ready queue (after
//! the processes that arrive or wake at that instant, unless `rules.preempted_before_arrivals`).
//! If no other process is ready it keeps the CPU with a new quantum (no context switch).
//! Never preempted otherwise.

use super::{FifoQueue, Policy, ProcTable, ReadyReason};
use crate::event::{Choice, Event};
use crate::ids::Pid;

pub struct RoundRobin {
    quantum_ticks: u64,
    ready: FifoQueue,
}

impl RoundRobin {
    pub fn new(quantum_ticks: u64) -> Self {
        RoundRobin {
            quantum_ticks,
            ready: FifoQueue::default(),
        }
    }
}

impl Policy for RoundRobin {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, _procs: &ProcTable) -> Option<Event> {
        if why == ReadyReason::Displaced {
            self.ready.push_front(pid);
        } else {
            self.ready.push_back(pid);
        }
        None
    }

    fn select(&mut self, _procs: &ProcTable) -> Option<Pid> {
        // The first in line: what `upcoming` names.
        self.upcoming()
    }

    fn upcoming(&self) -> Option<Pid> {
        self.ready.front()
    }

    fn why(&self, chosen: Pid, _procs: &ProcTable) -> Choice {
        Choice::first_in_line(self.ready.first_other_than(chosen))
    }

    fn remove(&mut self, pid: Pid) {
        self.ready.remove(pid);
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

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        self.ready.is_empty()
    }

    fn renewals_commute(&self) -> bool {
        true
    }

    fn rules(&self) -> Vec<String> {
        vec![
            format!(
                "rr: the ready queue is first in, first out; a process runs at most {} at a time.",
                crate::text::ticks(self.quantum_ticks)
            ),
            "rr: a process whose quantum expires goes to the back of the ready queue; alone, it keeps the CPU.".into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Tick;
    use crate::policy::test_support::table;

    #[test]
    fn rotates_and_renews_only_when_alone() {
        let pcbs = table(&[(5, 0), (5, 0)]);
        let procs = ProcTable {
            pcbs: &pcbs,
            now: Tick(0),
        };
        let mut policy = RoundRobin::new(2);
        policy.enqueue(Pid(2), ReadyReason::Admitted, &procs);
        policy.enqueue(Pid(3), ReadyReason::Admitted, &procs);
        policy.remove(Pid(2));
        assert!(!policy.renewal_is_stable(Pid(2), &procs));
        policy.enqueue(Pid(2), ReadyReason::QuantumExpired, &procs);
        assert_eq!(policy.queues(), vec![vec![Pid(3), Pid(2)]]);
        assert_eq!(policy.quantum(Pid(3)), Some(2));
    }
}
