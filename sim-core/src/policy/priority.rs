//! Priority scheduling: lower number = higher priority.
//!
//! Rules: the next process is the ready one with the highest priority. With `preemptive: true`
//! a process entering the ready queue preempts a running process of strictly lower priority
//! (with several CPUs, the running process of lowest priority; ties go to the higher-numbered
//! CPU). With a `quantum`, processes of equal priority share the CPU round robin: an expired
//! process goes behind the ready processes of its own priority, and keeps the CPU if there are
//! none. Ties: earlier entry into the ready queue, then scenario order.
//!
//! Aging (`aging: N`): each time the scheduler picks a process (dispatches it), every process
//! left waiting in the ready queue gains N priority levels (its number drops by N), and the one
//! picked returns to its own priority. A process entering the queue starts from its own.
//! Aging orders the ready queue; preemption compares the processes' own priorities.

use super::{KeyedQueue, Policy, ProcTable, ReadyReason, weakest_running};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid};

pub struct Priority {
    preemptive: bool,
    quantum_ticks: Option<u64>,
    /// The ready queue, keyed by effective priority (own priority less what aging gave).
    ready: KeyedQueue<i64>,
    aging: i64,
}

impl Priority {
    pub fn new(preemptive: bool, quantum_ticks: Option<u64>, process_count: usize) -> Self {
        Priority {
            preemptive,
            quantum_ticks,
            ready: KeyedQueue::new(process_count),
            aging: 0,
        }
    }

    /// With aging of `levels` per pick.
    pub fn aging(mut self, levels: u64) -> Self {
        self.aging = i64::try_from(levels).unwrap_or(i64::MAX);
        self
    }
}

impl Policy for Priority {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.ready.insert(pid, procs.get(pid).priority);
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
        // The queue's keys: priorities as aging left them.
        let priority = self
            .ready
            .key_of(chosen)
            .unwrap_or(procs.get(chosen).priority);
        Choice::keyed(
            ChoiceRule::HighestPriority,
            Measure::Whole(priority),
            self.ready
                .runner_up(chosen)
                .map(|(key, runner_up)| (runner_up, Measure::Whole(key))),
        )
    }

    fn remove(&mut self, pid: Pid) {
        self.ready.remove(pid);
        if self.aging > 0 {
            let aging = self.aging;
            self.ready.map_keys(|key| key.saturating_sub(aging));
        }
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
        // Own priorities, not aged ones: aging orders the queue, and a preempted process aged
        // at once by the pick of its preemptor must not preempt it back in the same instant.
        let priority = |pid: Pid| procs.get(pid).priority;
        let (cpu, victim) = weakest_running(running, priority)?;
        (priority(candidate) < priority(victim))
            .then_some((cpu, PreemptReason::HigherPriority { by: candidate }))
    }

    fn renewal_is_stable(&self, pid: Pid, procs: &ProcTable) -> bool {
        if self.aging > 0 {
            // Every pick ages the waiting: stable only with nobody waiting.
            return self.ready.is_empty();
        }
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
        if self.aging > 0 {
            rules.push(format!(
                "priority: aging: each time a process is picked, every process left waiting gains {} priority level{} (its number drops); the one picked returns to its own priority.",
                self.aging,
                if self.aging == 1 { "" } else { "s" }
            ));
        }
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

    #[test]
    fn aging_lifts_the_waiting_and_resets_the_picked() {
        // Pids 2, 3, 4 with priorities 5, 1, 3 (lower runs first).
        let pcbs = table(&[(5, 5), (5, 1), (5, 3)]);
        let procs = ProcTable {
            pcbs: &pcbs,
            now: Tick(0),
        };
        let mut policy = Priority::new(false, None, 3).aging(3);
        for pid in [Pid(2), Pid(3), Pid(4)] {
            policy.enqueue(pid, ReadyReason::Admitted, &procs);
        }
        assert_eq!(policy.select(&procs), Some(Pid(3)));
        policy.remove(Pid(3));
        // 2 is now at 5 - 3 = 2, 4 at 3 - 3 = 0.
        assert_eq!(policy.ready.key_of(Pid(2)), Some(2));
        assert_eq!(policy.select(&procs), Some(Pid(4)));
        policy.remove(Pid(4));
        // 3 comes back at its own 1, 2 has aged to -1: 2 goes first.
        policy.enqueue(Pid(3), ReadyReason::Preempted, &procs);
        assert_eq!(policy.select(&procs), Some(Pid(2)));
    }
}
