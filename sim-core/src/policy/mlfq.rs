//! The multilevel feedback queue, with the rules of the OSTEP textbook (docs/policies.md).
//!
//! 1. A new process enters the top level (0) with a full quantum and allotment.
//! 2. The CPU runs the head of the highest non-empty level; a process becoming ready at a
//!    higher level preempts a lower one at once. The preempted process stays at the FRONT of its
//!    own level and keeps what is left of its quantum.
//! 3. Ticks used at a level count across IO: back from IO, a process continues its quantum and
//!    allotment — unless `io_resets_allotment`, where issuing IO resets both (and if the quantum
//!    ran out at that very tick, rule 4 is applied after the reset).
//! 4. When its quantum runs out: allotment − 1; at zero it moves down one level (the lowest level
//!    keeps it) with that level's fresh quantum and allotment; otherwise it gets a fresh quantum
//!    at the back of its level. The same accounting happens if it issues IO on that very tick.
//! 5. A process finishing IO goes to the back of its level; with `io_done_to_front` to the front,
//!    preempting a running process of the same level, which resumes right after it.
//! 6. Every `boost` ticks (after the ends of slices, before arrivals and IO completions): every
//!    process waiting in a lower level moves to the back of the top level, lowest level first,
//!    each level in queue order (a running process counts as the head of its level's queue), and
//!    every unfinished process gets the top level with a fresh quantum and allotment (as the
//!    current OSTEP mlfq.py does). With `ostep_boost`, as its older versions did, the quantum
//!    after a boost is the top level's allotment in ticks and allotments are not reset.
//!
//! 8. With `preempt: at_quantum_end`, rule 2's and rule 5's preemptions wait: a process ready
//!    at a higher level, or back from IO at the front, runs when the running quantum ends.
//! 9. With `slice: renew_each_dispatch`, every dispatch gives the level's full quantum; the CPU
//!    a process uses at its level adds up across its slices, and when a slice ends (quantum,
//!    IO, preemption) with that sum at quantum × allotment or more it moves down (the sum
//!    starts again at 0 at the new level, after a boost, and, with `io_resets_allotment`, when
//!    it issues IO).
//! 10. With `order_in_level: priority`, each level stands by the processes' priority (lower
//!     number first); rules 2 and 5's front and back apply among equal priorities.
//!
//! Ties within a level: queue order (entry order, then scenario order). Several CPUs: the
//! running process at the lowest level is preempted first; ties go to the higher CPU.

use super::{Deschedule, FifoQueue, Policy, ProcTable, ReadyReason, TimerOutcome, weakest_running};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::scenario::{MlfqConfig, Scenario};

pub struct Mlfq {
    config: MlfqConfig,
    /// One FIFO queue per level, level 0 highest.
    queues: Vec<FifoQueue>,
    /// Per process (indexed by `Pid::index`): level, ticks left in the quantum, slices left.
    level: Vec<usize>,
    quantum_left: Vec<u64>,
    allotment_left: Vec<u64>,
    /// `slice: renew_each_dispatch`: CPU used at the current level, over its slices.
    used: Vec<u64>,
    /// Processes that came back from IO to the front of their level, with the time.
    bumped: Vec<(Pid, Tick)>,
    /// Boosts so far (rule 6), and for each process the number of boosts its entries above
    /// account for ([`SETTLED_FOR_GOOD`] once it exited). A boost resets every process; it is
    /// applied to a process's entries when they are next read or changed, so that a boost
    /// costs the processes waiting in lower queues, not every process of the run.
    boosts: u64,
    settled: Vec<u64>,
}

/// The mark of a process that exited: no boost concerns it any more.
const SETTLED_FOR_GOOD: u64 = u64::MAX;

impl Mlfq {
    pub fn new(config: MlfqConfig, scenario: &Scenario) -> Mlfq {
        let count = scenario.processes.len();
        let top = config.levels[0];
        Mlfq {
            queues: vec![FifoQueue::default(); config.levels.len()],
            level: vec![0; count],
            quantum_left: vec![top.quantum_ticks; count],
            allotment_left: vec![top.allotment; count],
            used: vec![0; count],
            bumped: Vec::new(),
            boosts: 0,
            settled: vec![0; count],
            config,
        }
    }

    /// Makes room in the per-process tables for `pid` (forked processes come and go).
    fn ensure(&mut self, pid: Pid) {
        let top = self.config.levels[0];
        super::entry(&mut self.level, pid, 0);
        super::entry(&mut self.quantum_left, pid, top.quantum_ticks);
        super::entry(&mut self.allotment_left, pid, top.allotment);
        super::entry(&mut self.used, pid, 0);
        super::entry(&mut self.settled, pid, self.boosts);
    }

    /// Whether a boost happened that `pid`'s entries do not yet show.
    fn stale(&self, pid: Pid) -> bool {
        self.settled
            .get(pid.index())
            .is_some_and(|&settled| settled < self.boosts)
    }

    /// The quantum a boost leaves a process with.
    fn boosted_quantum(&self) -> u64 {
        let top = self.config.levels[0];
        if self.config.ostep_boost {
            top.allotment
        } else {
            top.quantum_ticks
        }
    }

    /// Makes room for `pid` and applies the boosts it missed: the top level, with a fresh
    /// quantum and allotment (with `ostep_boost`, the quantum only).
    fn settle(&mut self, pid: Pid) {
        self.ensure(pid);
        let index = pid.index();
        if self.stale(pid) {
            self.level[index] = 0;
            self.used[index] = 0;
            self.quantum_left[index] = self.boosted_quantum();
            if !self.config.ostep_boost {
                self.allotment_left[index] = self.config.levels[0].allotment;
            }
        }
        if self.settled[index] != SETTLED_FOR_GOOD {
            self.settled[index] = self.boosts;
        }
    }

    fn lowest(&self) -> usize {
        self.config.levels.len() - 1
    }

    fn refill(&mut self, pid: Pid) {
        let level = self.config.levels[self.level[pid.index()]];
        self.quantum_left[pid.index()] = level.quantum_ticks;
        self.allotment_left[pid.index()] = level.allotment;
        self.used[pid.index()] = 0;
    }

    /// Rule 9: `ticks` more of CPU at the current level; down a level once they add up to
    /// quantum × allotment.
    fn account_used(&mut self, pid: Pid, ticks: u64) -> Option<Event> {
        let index = pid.index();
        let level = self.config.levels[self.level[index]];
        self.used[index] = self.used[index].saturating_add(ticks);
        if self.used[index] < level.quantum_ticks.saturating_mul(level.allotment) {
            return None;
        }
        self.move_down(pid)
    }

    /// `pid` has used its time at its level: down one level (the lowest keeps it) with that
    /// level's fresh quantum and allotment.
    fn move_down(&mut self, pid: Pid) -> Option<Event> {
        let from = self.level[pid.index()];
        let demoted = from < self.lowest();
        if demoted {
            self.level[pid.index()] = from + 1;
        }
        self.refill(pid);
        demoted.then_some(Event::Demote {
            pid,
            from,
            to: from + 1,
        })
    }

    /// Rule 10: where `pid` stands in `level`, at the `front` or back of the processes of its
    /// priority (after `ahead` of them at the front).
    fn place_in_level(
        &mut self,
        level: usize,
        pid: Pid,
        front: bool,
        ahead: usize,
        procs: &ProcTable,
    ) {
        if !self.config.order_by_priority {
            if front {
                self.queues[level].insert(ahead, pid);
            } else {
                self.queues[level].push_back(pid);
            }
            return;
        }
        let own = procs.get(pid).priority;
        let queue = &self.queues[level];
        let before = queue
            .iter()
            .filter(|&p| procs.get(p).priority < own)
            .count();
        let same = queue
            .iter()
            .filter(|&p| procs.get(p).priority == own)
            .count();
        let at = if front {
            before + ahead.min(same)
        } else {
            before + same
        };
        self.queues[level].insert(at, pid);
    }

    /// Rule 4: a time slice is used up at the current level.
    fn account_slice(&mut self, pid: Pid) -> Option<Event> {
        let index = pid.index();
        self.allotment_left[index] = self.allotment_left[index].saturating_sub(1);
        if self.allotment_left[index] > 0 {
            self.quantum_left[index] = self.config.levels[self.level[index]].quantum_ticks;
            return None;
        }
        self.move_down(pid)
    }

    fn bumped_now(&self, pid: Pid, now: Tick) -> bool {
        self.bumped.iter().any(|&(p, t)| p == pid && t == now)
    }
}

impl Policy for Mlfq {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.ensure(pid);
        if why == ReadyReason::Admitted {
            // A boost while it was new did not concern it: admission sets its entries.
            self.settled[pid.index()] = self.boosts;
        } else {
            self.settle(pid);
        }
        let level = self.level[pid.index()];
        match why {
            ReadyReason::Admitted => {
                self.level[pid.index()] = 0;
                self.refill(pid);
                if self.config.ostep_boost
                    && let Some(boost) = self.config.boost_ticks
                    && procs.get(pid).arrival.0 >= boost
                {
                    // mlfq.py boosts jobs that have not started yet, too.
                    self.quantum_left[pid.index()] = self.config.levels[0].allotment;
                }
                self.place_in_level(0, pid, false, 0, procs);
            }
            ReadyReason::Woken if self.config.io_done_to_front => {
                self.place_in_level(level, pid, true, 0, procs);
                self.bumped.retain(|&(_, t)| t == procs.now);
                self.bumped.push((pid, procs.now));
                return Some(Event::ToFront { pid, level });
            }
            ReadyReason::Woken | ReadyReason::QuantumExpired => {
                self.place_in_level(level, pid, false, 0, procs)
            }
            ReadyReason::Preempted | ReadyReason::Displaced => {
                // At the front, but behind the processes that just came back from IO to the
                // front of this level (they preempted it: it resumes right after them).
                let ahead = self.queues[level]
                    .iter()
                    .take_while(|&p| self.bumped_now(p, procs.now))
                    .count();
                self.place_in_level(level, pid, true, ahead, procs);
            }
        }
        None
    }

    fn select(&mut self, _procs: &ProcTable) -> Option<Pid> {
        // The first in line: what `upcoming` names.
        self.upcoming()
    }

    fn upcoming(&self) -> Option<Pid> {
        self.queues.iter().find_map(FifoQueue::front)
    }

    fn why(&self, chosen: Pid, _procs: &ProcTable) -> Choice {
        let level = self.level(chosen);
        // Behind it in its level, else the first of a lower level.
        let runner_up = self.queues[level..]
            .iter()
            .enumerate()
            .find_map(|(below, queue)| {
                let runner_up = queue.first_other_than(chosen)?;
                Some((runner_up, Measure::Whole((level + below) as i64)))
            });
        Choice::keyed(
            ChoiceRule::HighestLevel,
            Measure::Whole(level as i64),
            runner_up,
        )
    }

    fn remove(&mut self, pid: Pid) {
        let level = self.level(pid);
        self.queues[level].remove(pid);
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        self.queues.iter().map(FifoQueue::to_vec).collect()
    }

    fn nobody_ready(&self) -> bool {
        self.queues.iter().all(FifoQueue::is_empty)
    }

    fn quantum(&self, pid: Pid) -> Option<u64> {
        if self.config.renew_each_dispatch {
            return Some(self.config.levels[self.level(pid)].quantum_ticks);
        }
        if self.stale(pid) {
            return Some(self.boosted_quantum());
        }
        Some(
            self.quantum_left
                .get(pid.index())
                .copied()
                .unwrap_or(self.config.levels[0].quantum_ticks),
        )
    }

    fn may_preempt(&self) -> bool {
        // With `preempt: at_quantum_end` a running quantum is never cut short (the boost
        // still moves running processes: it is not a preemption by a ready one).
        !self.config.preempt_at_quantum_end
    }

    fn preemption(
        &self,
        candidate: Pid,
        running: &[(CpuId, Pid)],
        procs: &ProcTable,
    ) -> Option<(CpuId, PreemptReason)> {
        let level = |pid: Pid| self.level(pid);
        let (cpu, victim) = weakest_running(running, level)?;
        if level(victim) > level(candidate) {
            return Some((cpu, PreemptReason::HigherLevel { by: candidate }));
        }
        if self.bumped_now(candidate, procs.now) {
            let same_level: Vec<(CpuId, Pid)> = running
                .iter()
                .copied()
                // A process that came back to the front at this same instant is not preempted
                // by another one: they run in the order they now stand.
                .filter(|&(_, pid)| {
                    level(pid) == level(candidate) && !self.bumped_now(pid, procs.now)
                })
                .collect();
            if let Some(&(cpu, _)) = same_level.last() {
                return Some((cpu, PreemptReason::IoReturnToFront { by: candidate }));
            }
        }
        None
    }

    fn quantum_expired(&mut self, pid: Pid, _procs: &ProcTable) -> Option<Event> {
        self.settle(pid);
        if !self.config.demote_when_alone && self.queues.iter().all(FifoQueue::is_empty) {
            // Stallings' feedback: with nobody else ready, it stays at its level.
            self.quantum_left[pid.index()] =
                self.config.levels[self.level[pid.index()]].quantum_ticks;
            return None;
        }
        if self.config.renew_each_dispatch {
            let full = self.config.levels[self.level[pid.index()]].quantum_ticks;
            return self.account_used(pid, full);
        }
        self.account_slice(pid)
    }

    fn descheduled(
        &mut self,
        pid: Pid,
        quantum_left: Option<u64>,
        why: Deschedule,
        _procs: &ProcTable,
    ) -> Option<Event> {
        self.settle(pid);
        if self.config.renew_each_dispatch {
            let full = self.config.levels[self.level[pid.index()]].quantum_ticks;
            let used = full.saturating_sub(quantum_left.unwrap_or(0));
            return match why {
                Deschedule::Preempted => self.account_used(pid, used),
                Deschedule::Blocked { quantum_expired } if self.config.io_resets_allotment => {
                    // Issuing IO forgets the CPU used at the level (the gameable rule); a
                    // quantum used up at that very tick still counts.
                    self.used[pid.index()] = 0;
                    if quantum_expired {
                        self.account_used(pid, full)
                    } else {
                        None
                    }
                }
                Deschedule::Blocked { .. } => self.account_used(pid, used),
                Deschedule::Exited => None,
            };
        }
        match why {
            Deschedule::Preempted => {
                self.quantum_left[pid.index()] = quantum_left.unwrap_or(0);
                None
            }
            Deschedule::Blocked { quantum_expired } => {
                if self.config.io_resets_allotment {
                    self.refill(pid);
                } else {
                    self.quantum_left[pid.index()] = quantum_left.unwrap_or(0);
                }
                if quantum_expired {
                    self.account_slice(pid)
                } else {
                    None
                }
            }
            Deschedule::Exited => None,
        }
    }

    fn renewal_is_stable(&self, pid: Pid, _procs: &ProcTable) -> bool {
        // Only at the lowest level are further expiries invisible (rule 4 keeps it there with a
        // fresh quantum); mlfq.py's boost reads the allotment count, so it must be kept exact.
        // So is any expiry with nobody ready when a lone process keeps its level
        // (`demote_when_alone: false`).
        let level = self.level(pid);
        let stays = if self.config.demote_when_alone {
            level == self.lowest() && self.queues[level].is_empty()
        } else {
            self.queues.iter().all(FifoQueue::is_empty)
        };
        stays && !(self.config.ostep_boost && self.config.boost_ticks.is_some())
    }

    fn level(&self, pid: Pid) -> usize {
        if self.stale(pid) {
            return 0;
        }
        self.level.get(pid.index()).copied().unwrap_or(0)
    }

    fn exited(&mut self, pid: Pid) {
        self.settle(pid);
        self.settled[pid.index()] = SETTLED_FOR_GOOD;
    }

    fn next_timer(&self, after: Tick) -> Option<Tick> {
        let boost = self.config.boost_ticks?;
        Some(Tick((after.0 / boost + 1).saturating_mul(boost)))
    }

    fn on_timer(&mut self, running: &[(CpuId, Pid)], procs: &ProcTable) -> TimerOutcome {
        let mut vacated = Vec::new();
        for level in (1..self.queues.len()).rev() {
            for &(_, pid) in running {
                if self.level(pid) == level {
                    vacated.push(pid);
                    self.queues[0].push_back(pid);
                }
            }
            // Moved over in order, the emptied queue keeping its buffer.
            let mut moved = std::mem::take(&mut self.queues[level]);
            for pid in moved.iter() {
                self.queues[0].push_back(pid);
            }
            moved.clear();
            self.queues[level] = moved;
        }
        if self.config.order_by_priority {
            // Rule 10 at the top level too: by priority, in the order they came up among equals.
            let mut line = self.queues[0].to_vec();
            line.sort_by_key(|&pid| procs.get(pid).priority);
            self.queues[0].clear();
            for pid in line {
                self.queues[0].push_back(pid);
            }
        }
        // Every unfinished process is now at the top level with a fresh quantum and allotment:
        // applied to each when it is next looked at.
        self.boosts += 1;
        TimerOutcome {
            event: Some(Event::Boost),
            vacated,
            fresh_quanta: true,
            reason: None,
        }
    }

    fn rules(&self) -> Vec<String> {
        let levels: Vec<String> = self
            .config
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                format!(
                    "level {i}: quantum {}, allotment {}",
                    l.quantum_ticks, l.allotment
                )
            })
            .collect();
        let mut rules = vec![
            format!("mlfq: {} (level 0 is the highest).", levels.join("; ")),
            "mlfq: a new process enters level 0 with a full quantum and allotment; the CPU runs the head of the highest non-empty level.".into(),
            "mlfq: a process ready at a higher level preempts a lower one at once; the preempted one stays at the front of its level and keeps the rest of its quantum.".into(),
            "mlfq: when the quantum runs out the allotment drops by one; at zero the process moves down a level (the lowest keeps it), else it goes to the back of its level with a fresh quantum.".into(),
        ];
        rules.push(if self.config.io_resets_allotment {
            "mlfq: issuing IO resets the quantum and allotment at the level (io_resets_allotment).".into()
        } else {
            "mlfq: ticks used at a level count across IO: back from IO a process continues its quantum and allotment.".into()
        });
        rules.push(if self.config.io_done_to_front {
            "mlfq: a process back from IO goes to the front of its level and preempts a running process of that level (io_done_to_front).".into()
        } else {
            "mlfq: a process back from IO goes to the back of its level.".into()
        });
        match self.config.boost_ticks {
            Some(boost) => rules.push(format!(
                "mlfq: every {boost} ticks all processes move to level 0 with a fresh quantum and allotment{} (lowest level first, each in queue order, a running process at the head of its level).",
                if self.config.ostep_boost { " (as older versions of mlfq.py did: quantum = level 0's allotment in ticks, allotments kept)" } else { "" }
            )),
            None => rules.push("mlfq: no priority boost.".into()),
        }
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::test_support::{procs, table};
    use crate::scenario::MlfqLevel;

    fn mlfq(levels: &[(u64, u64)], count: usize) -> Mlfq {
        let text = format!(
            "name: t\npolicy: mlfq\nprocesses: [{}]",
            (0..count)
                .map(|i| format!("{{name: P{i}, burst: 5}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let scenario = Scenario::from_yaml(&text).unwrap();
        let config = MlfqConfig {
            levels: levels
                .iter()
                .map(|&(quantum_ticks, allotment)| MlfqLevel {
                    quantum_ticks,
                    allotment,
                })
                .collect(),
            boost_ticks: None,
            io_resets_allotment: false,
            io_done_to_front: false,
            ostep_boost: false,
            demote_when_alone: true,
            preempt_at_quantum_end: false,
            renew_each_dispatch: false,
            order_by_priority: false,
        };
        Mlfq::new(config, &scenario)
    }

    #[test]
    fn demotes_after_the_allotment_is_used() {
        let pcbs = table(&[(50, 0)]);
        let procs = procs(&pcbs);
        let mut policy = mlfq(&[(10, 2), (20, 1)], 1);
        policy.enqueue(Pid(2), ReadyReason::Admitted, &procs);
        assert!(policy.quantum_expired(Pid(2), &procs).is_none());
        assert_eq!(
            (policy.level(Pid(2)), policy.quantum(Pid(2))),
            (0, Some(10))
        );
        let events = policy.quantum_expired(Pid(2), &procs);
        assert_eq!(
            events,
            Some(Event::Demote {
                pid: Pid(2),
                from: 0,
                to: 1
            })
        );
        assert_eq!(policy.quantum(Pid(2)), Some(20));
        // The lowest level keeps it.
        assert!(policy.quantum_expired(Pid(2), &procs).is_none());
        assert_eq!(policy.level(Pid(2)), 1);
    }

    #[test]
    fn a_preempted_process_stays_at_the_front_with_the_rest_of_its_quantum() {
        let pcbs = table(&[(50, 0), (50, 0)]);
        let procs = procs(&pcbs);
        let mut policy = mlfq(&[(10, 1), (20, 1)], 2);
        policy.enqueue(Pid(3), ReadyReason::Admitted, &procs);
        policy.descheduled(Pid(2), Some(4), Deschedule::Preempted, &procs);
        policy.enqueue(Pid(2), ReadyReason::Preempted, &procs);
        assert_eq!(policy.queues()[0], vec![Pid(2), Pid(3)]);
        assert_eq!(policy.quantum(Pid(2)), Some(4));
    }
}
