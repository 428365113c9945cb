//! Priority scheduling: lower number = higher priority.
//!
//! Rules: the next process is the ready one with the highest priority. With `preemptive: true`
//! a process entering the ready queue preempts a running process of strictly lower priority
//! (with several CPUs, the running process of lowest priority; ties go to the higher-numbered
//! CPU). With a `quantum`, processes of equal priority share the CPU round robin: an expired
//! process goes behind the ready processes of its own priority, and keeps the CPU if there are
//! none. Ties: earlier entry into the ready queue, then scenario order.

use super::{KeyedQueue, Policy, ProcTable, ReadyReason, weakest_running};
use crate::event::{Event, PreemptReason};
use crate::ids::{CpuId, Pid};

pub struct Priority {
    preemptive: bool,
    quantum_ticks: Option<u64>,
    ready: KeyedQueue<i64>,
}

impl Priority {
    pub fn new(preemptive: bool, quantum_ticks: Option<u64>, process_count: usize) -> Self {
        Priority {
            preemptive,
            quantum_ticks,
            ready: KeyedQueue::new(process_count),
        }
    }
}

impl Policy for Priority {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, procs: &ProcTable) -> Vec<Event> {
        self.ready.insert(pid, procs.get(pid).priority);
        Vec::new()
    }

    fn select(&mut self, _procs: &ProcTable) -> Option<Pid> {
        self.ready.first().map(|(_, pid)| pid)
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
        self.quantum_ticks
    }

    fn may_preempt(&self) -> bool {
        self.preemptive
    }

    fn preemption(
        &self,
        candidate: Pid,
        running: &[(CpuId, Pid)],
        procs: &ProcTable,
    ) -> Option<(CpuId, PreemptReason)> {
        if !self.preemptive {
            return None;
        }
        let priority = |pid: Pid| procs.get(pid).priority;
        let (cpu, victim) = weakest_running(running, priority)?;
        (priority(candidate) < priority(victim))
            .then_some((cpu, PreemptReason::HigherPriority { by: candidate }))
    }

    fn renewal_is_stable(&self, pid: Pid, procs: &ProcTable) -> bool {
        !self.ready.contains_key(procs.get(pid).priority)
    }

    fn rules(&self) -> Vec<String> {
        let mut rules = vec![
            "priority: the ready process with the highest priority (lowest number) runs next.".into(),
            "priority: ties go to the process that entered the ready queue first, then scenario order.".into(),
        ];
        rules.push(if self.preemptive {
            "priority: preemptive: a process that becomes ready preempts a running one of strictly lower priority.".into()
        } else {
            "priority: non-preemptive: a running process keeps its CPU until it blocks, exits or its quantum expires.".into()
        });
        if let Some(q) = self.quantum_ticks {
            rules.push(format!(
                "priority: equal priorities share the CPU round robin with a quantum of {}.",
                crate::text::ticks(q)
            ));
        }
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Tick;
    use crate::policy::test_support::table;

    #[test]
    fn preempts_only_when_preemptive_and_strictly_higher() {
        let pcbs = table(&[(5, 3), (5, 1), (5, 3)]);
        let procs = ProcTable {
            pcbs: &pcbs,
            now: Tick(0),
        };
        let running = [(CpuId(0), Pid(2))];
        let preemptive = Priority::new(true, None, 3);
        assert!(preemptive.preemption(Pid(3), &running, &procs).is_some());
        assert!(preemptive.preemption(Pid(4), &running, &procs).is_none());
        let polite = Priority::new(false, None, 3);
        assert!(polite.preemption(Pid(3), &running, &procs).is_none());
    }
}
