//! Priority scheduling: lower number = higher priority.
//!
//! Rules: the next process is the ready one with the highest priority. With `preemptive: true`
//! a process entering the ready queue preempts a running process of strictly lower priority
//! (with several CPUs, the running process of lowest priority; ties go to the higher-numbered
//! CPU). With a `quantum`, processes of equal priority share the CPU round robin: an expired
//! process goes behind the ready processes of its own priority, and keeps the CPU if there are
//! none. Ties: earlier entry into the ready queue, then scenario order.
//!
//! Aging per pick (`aging: N`): each time the scheduler picks a process (dispatches it), every
//! process left waiting in the ready queue gains N priority levels (its number drops by N), and
//! the one picked returns to its own priority. A process entering the queue starts from its
//! own. Aging orders the ready queue; preemption compares the processes' own priorities.
//!
//! Aging in time (`aging: {every: T, by: N}`): a process that has waited W ticks since it last
//! entered the ready queue has priority own − N × ⌊W / T⌋ (Silberschatz: "increase the priority
//! by 1 every 15 minutes"). A process keeps the priority it had when dispatched while it runs,
//! and starts again from its own when it next enters the ready queue. The policy's timer wakes
//! the engine at each step of any waiting process, so that, preemptive, an aged process
//! preempts a running one whose priority is strictly lower at that instant.

use super::{KeyedQueue, Policy, ProcTable, ReadyReason, TimerOutcome, weakest_running};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::scenario::Aging;
use std::cell::Cell;

pub struct Priority {
    preemptive: bool,
    quantum_ticks: Option<u64>,
    /// The ready queue, keyed by priority: own less what aging per pick gave; own under aging
    /// in time (whose order is worked out from `entered`).
    ready: KeyedQueue<i64>,
    aging: Aging,
    /// Aging in time: when each waiting process entered the ready queue, and in which order
    /// (by pid index).
    entered: Vec<(Tick, u64)>,
    entries: u64,
    /// Aging in time: the priority each process had when it was dispatched (by pid index).
    running_at: Vec<i64>,
    /// Aging in time: the last instant the policy was told of, for the queue's order in
    /// snapshots (which are taken at that instant).
    now: Cell<Tick>,
}

impl Priority {
    pub fn new(preemptive: bool, quantum_ticks: Option<u64>, process_count: usize) -> Self {
        Priority {
            preemptive,
            quantum_ticks,
            ready: KeyedQueue::new(process_count),
            aging: Aging::PerPick(0),
            entered: Vec::new(),
            entries: 0,
            running_at: Vec::new(),
            now: Cell::new(Tick::ZERO),
        }
    }

    /// With this aging.
    pub fn aging(mut self, aging: Aging) -> Self {
        self.aging = aging;
        self
    }

    /// Levels gained per pick (0 without aging per pick).
    fn per_pick(&self) -> i64 {
        match self.aging {
            Aging::PerPick(levels) => i64::try_from(levels).unwrap_or(i64::MAX),
            Aging::Timed { .. } => 0,
        }
    }

    /// Under aging in time, `pid`'s priority at `now` and its place in the order of entry.
    fn aged(&self, pid: Pid, own: i64, now: Tick) -> (i64, u64) {
        let Aging::Timed { every, by } = self.aging else {
            return (own, 0);
        };
        let (since, order) = self.entered[pid.index()];
        let steps = now.since(since) / every.max(1);
        let gained = i64::try_from(steps.saturating_mul(by)).unwrap_or(i64::MAX);
        (own.saturating_sub(gained), order)
    }

    /// The ready processes in the order they would run at `now`, with the priority each has.
    fn in_order(&self, now: Tick) -> Vec<(i64, Pid)> {
        let mut line: Vec<(i64, u64, Pid)> = self
            .ready
            .to_vec()
            .into_iter()
            .map(|pid| {
                let own = self.ready.key_of(pid).unwrap_or(0);
                let (priority, order) = self.aged(pid, own, now);
                (priority, order, pid)
            })
            .collect();
        line.sort_unstable();
        line.into_iter()
            .map(|(priority, _, pid)| (priority, pid))
            .collect()
    }

    fn timed(&self) -> bool {
        matches!(self.aging, Aging::Timed { .. })
    }
}

impl Policy for Priority {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.ready.insert(pid, procs.get(pid).priority);
        if self.timed() {
            self.now.set(procs.now);
            if self.entered.len() <= pid.index() {
                self.entered.resize(pid.index() + 1, (Tick::ZERO, 0));
            }
            self.entries += 1;
            self.entered[pid.index()] = (procs.now, self.entries);
        }
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        if self.timed() {
            self.now.set(procs.now);
            return self.in_order(procs.now).first().map(|&(_, pid)| pid);
        }
        // The first in line: what `upcoming` names.
        self.upcoming()
    }

    fn upcoming(&self) -> Option<Pid> {
        if self.timed() {
            return self.in_order(self.now.get()).first().map(|&(_, pid)| pid);
        }
        self.ready.first().map(|(_, pid)| pid)
    }

    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice {
        if self.timed() {
            let line = self.in_order(procs.now);
            let priority = line
                .iter()
                .find(|&&(_, pid)| pid == chosen)
                .map_or(procs.get(chosen).priority, |&(priority, _)| priority);
            let runner_up = line
                .iter()
                .find(|&&(_, pid)| pid != chosen)
                .map(|&(key, pid)| (pid, Measure::Whole(key)));
            return Choice::keyed(
                ChoiceRule::HighestPriority,
                Measure::Whole(priority),
                runner_up,
            );
        }
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
        if self.timed()
            && let Some(own) = self.ready.key_of(pid)
        {
            // Dispatched (or leaving the line): it runs with the priority its wait gave it.
            if self.running_at.len() <= pid.index() {
                self.running_at.resize(pid.index() + 1, 0);
            }
            self.running_at[pid.index()] = self.aged(pid, own, self.now.get()).0;
        }
        self.ready.remove(pid);
        let aging = self.per_pick();
        if aging > 0 {
            self.ready.map_keys(|key| key.saturating_sub(aging));
        }
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        if self.timed() {
            let line = self.in_order(self.now.get());
            return vec![line.into_iter().map(|(_, pid)| pid).collect()];
        }
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
        // Own priorities, not aged per pick: aging per pick orders the queue, and a preempted
        // process aged at once by the pick of its preemptor must not preempt it back in the
        // same instant. Aged in time, the candidate has the priority its wait gave it.
        let timed = self.timed();
        let priority = |pid: Pid| match self.running_at.get(pid.index()) {
            Some(&dispatched_with) if timed => dispatched_with,
            _ => procs.get(pid).priority,
        };
        let (cpu, victim) = weakest_running(running, priority)?;
        let candidate_priority = match self.ready.key_of(candidate) {
            Some(own) if timed => self.aged(candidate, own, procs.now).0,
            _ => procs.get(candidate).priority,
        };
        (candidate_priority < priority(victim))
            .then_some((cpu, PreemptReason::HigherPriority { by: candidate }))
    }

    fn renewal_is_stable(&self, pid: Pid, procs: &ProcTable) -> bool {
        if self.per_pick() > 0 || self.timed() {
            // Aging changes who is first as picks are made or time passes: stable only with
            // nobody waiting.
            return self.ready.is_empty();
        }
        !self.ready.contains_key(procs.get(pid).priority)
    }

    fn next_timer(&self, after: Tick) -> Option<Tick> {
        let Aging::Timed { every, .. } = self.aging else {
            return None;
        };
        let every = every.max(1);
        // The next step of any waiting process: when its priority changes.
        self.ready
            .to_vec()
            .into_iter()
            .map(|pid| {
                let (since, _) = self.entered[pid.index()];
                let steps = after.since(since) / every + 1;
                since.plus(steps.saturating_mul(every))
            })
            .min()
    }

    fn on_timer(&mut self, _running: &[(CpuId, Pid)], procs: &ProcTable) -> TimerOutcome {
        // Priorities are worked out from the time; the dispatch step that follows at this
        // instant sees them, and may preempt.
        self.now.set(procs.now);
        TimerOutcome::default()
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
        match self.aging {
            Aging::PerPick(0) => {}
            Aging::PerPick(levels) => rules.push(format!(
                "priority: aging: each time a process is picked, every process left waiting gains {} priority level{} (its number drops); the one picked returns to its own priority.",
                levels,
                if levels == 1 { "" } else { "s" }
            )),
            Aging::Timed { every, by } => rules.push(format!(
                "priority: aging: every {} a process waits in the ready queue (since it last entered it) it gains {} priority level{}, which it keeps while it runs{}.",
                crate::text::ticks(every),
                by,
                if by == 1 { "" } else { "s" },
                if self.preemptive {
                    "; an aged process preempts a running one of strictly lower priority"
                } else {
                    ""
                }
            )),
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
        let mut policy = Priority::new(false, None, 3).aging(Aging::PerPick(3));
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
