//! Shortest job first, non-preemptive.
//!
//! Rules: the next process is the ready one whose current CPU burst is shortest; it then runs
//! until it blocks or exits. Ties: earlier entry into the ready queue, then scenario order.

use super::{KeyedQueue, Policy, ProcTable, ReadyReason};
use crate::event::{Choice, ChoiceRule, Event, Measure};
use crate::ids::Pid;
use crate::scenario::TieBreak;

pub struct Sjf {
    /// Keyed by (burst, arrival under `tie_break: arrival`, else 0).
    ready: KeyedQueue<(u64, u64)>,
    tie_break: TieBreak,
}

impl Sjf {
    pub fn new(process_count: usize, tie_break: TieBreak) -> Self {
        Sjf {
            ready: KeyedQueue::new(process_count),
            tie_break,
        }
    }
}

impl Policy for Sjf {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        let pcb = procs.get(pid);
        let second = match self.tie_break {
            TieBreak::Queue => 0,
            TieBreak::Arrival => pcb.arrival.0,
        };
        self.ready.insert(pid, (pcb.remaining_ticks, second));
        None
    }

    fn select(&mut self, _procs: &ProcTable) -> Option<Pid> {
        // The first in line: what `upcoming` names.
        self.upcoming()
    }

    fn upcoming(&self) -> Option<Pid> {
        self.ready.first().map(|(_, pid)| pid)
    }

    fn why(&self, chosen: Pid, _procs: &ProcTable) -> Choice {
        let ticks = |(ticks, _): (u64, u64)| Measure::wide(u128::from(ticks));
        Choice::keyed(
            ChoiceRule::ShortestBurst,
            self.ready.key_of(chosen).map_or(Measure::Whole(0), ticks),
            self.ready
                .runner_up(chosen)
                .map(|(key, runner_up)| (runner_up, ticks(key))),
        )
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

    fn rules(&self) -> Vec<String> {
        vec![
            "sjf: the ready process with the shortest current CPU burst runs next.".into(),
            match self.tie_break {
                TieBreak::Queue => "sjf: ties go to the process that entered the ready queue first, then scenario order (rules.tie_break: queue).",
                TieBreak::Arrival => "sjf: ties go to the process that arrived first, then the one that entered the ready queue first (rules.tie_break: arrival).",
            }
            .into(),
            "sjf: non-preemptive: a running process keeps its CPU until it blocks or exits.".into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Tick;
    use crate::policy::test_support::table;

    #[test]
    fn picks_the_shortest_burst_then_the_earliest() {
        let pcbs = table(&[(6, 0), (3, 0), (3, 0)]);
        let procs = ProcTable {
            pcbs: &pcbs,
            now: Tick(0),
        };
        let mut policy = Sjf::new(3, TieBreak::Queue);
        for pid in [2, 3, 4] {
            policy.enqueue(Pid(pid), ReadyReason::Admitted, &procs);
        }
        assert_eq!(policy.queues(), vec![vec![Pid(3), Pid(4), Pid(2)]]);
    }
}
