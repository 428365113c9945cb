//! Shortest remaining time first: preemptive SJF.
//!
//! Rules: the next process is the ready one with the least remaining time in its current CPU
//! burst. A process entering the ready queue preempts a running process whose remaining time is
//! strictly greater (with several CPUs, the running process with the most remaining time; ties
//! go to the higher-numbered CPU). Ties in the queue: earlier entry, then scenario order.

use super::{KeyedQueue, Policy, ProcTable, ReadyReason, weakest_running};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid};
use crate::scenario::TieBreak;

pub struct Srtf {
    /// Keyed by (burst, arrival under `tie_break: arrival`, else 0).
    ready: KeyedQueue<(u64, u64)>,
    tie_break: TieBreak,
}

impl Srtf {
    pub fn new(process_count: usize, tie_break: TieBreak) -> Self {
        Srtf {
            ready: KeyedQueue::new(process_count),
            tie_break,
        }
    }
}

impl Policy for Srtf {
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
            ChoiceRule::ShortestRemaining,
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

    fn may_preempt(&self) -> bool {
        true
    }

    fn preemption(
        &self,
        candidate: Pid,
        running: &[(CpuId, Pid)],
        procs: &ProcTable,
    ) -> Option<(CpuId, PreemptReason)> {
        let remaining = |pid: Pid| procs.get(pid).remaining_ticks;
        let (cpu, victim) = weakest_running(running, remaining)?;
        // The first of the queue is keyed by its remaining time, which does not change while
        // it waits: read there, not in its (cold) PCB.
        let candidate_remaining = match self.ready.first() {
            Some(((ticks, _), first)) if first == candidate => ticks,
            _ => remaining(candidate),
        };
        debug_assert_eq!(candidate_remaining, remaining(candidate));
        (candidate_remaining < remaining(victim))
            .then_some((cpu, PreemptReason::ShorterRemaining { by: candidate }))
    }

    fn rules(&self) -> Vec<String> {
        vec![
            "srtf: the ready process with the least remaining time in its CPU burst runs next.".into(),
            "srtf: a process that becomes ready preempts a running one whose remaining time is strictly greater.".into(),
            match self.tie_break {
                TieBreak::Queue => "srtf: ties go to the process that entered the ready queue first, then scenario order (rules.tie_break: queue).",
                TieBreak::Arrival => "srtf: ties go to the process that arrived first, then the one that entered the ready queue first (rules.tie_break: arrival).",
            }
            .into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Tick;
    use crate::policy::test_support::table;

    #[test]
    fn preempts_only_a_strictly_longer_remaining_time() {
        let pcbs = table(&[(5, 0), (4, 0), (5, 0)]);
        let procs = ProcTable {
            pcbs: &pcbs,
            now: Tick(0),
        };
        let policy = Srtf::new(3, TieBreak::Queue);
        let running = [(CpuId(0), Pid(2))];
        assert_eq!(
            policy.preemption(Pid(3), &running, &procs),
            Some((CpuId(0), PreemptReason::ShorterRemaining { by: Pid(3) }))
        );
        assert_eq!(policy.preemption(Pid(4), &running, &procs), None);
    }
}
