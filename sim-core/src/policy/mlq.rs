//! The multilevel queue (Silberschatz, Operating System Concepts, §5.3.5): every process stays
//! in the queue it is given (`queue:`; a forked child or a thread in its parent's), each queue
//! schedules its own processes with its own policy, and the queues share the CPUs by fixed
//! priority (a queue runs only when every queue above it is empty, and a process that becomes
//! ready in a higher queue takes the CPU from a lower one at once) or by time slices (each
//! queue in turn has the CPUs for its ticks, in rounds from t=0; a turn whose queue has nobody
//! ready passes to the next queue with someone, and the turn's queue takes the CPUs back as
//! soon as one of its processes is ready). Within a queue, its policy's rules hold, its
//! preemptions included.

use super::{Deschedule, Policy, ProcTable, ReadyReason, TimerOutcome};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::scenario::{Between, MlqConfig, Scenario};

pub struct Mlq {
    queues: Vec<Box<dyn Policy>>,
    names: Vec<String>,
    between: Between,
    /// The queue of each scenario process, by index.
    assignment: Vec<usize>,
    /// The queue of every process and thread seen so far (indexed by `Pid::index`).
    queue_of: Vec<Option<usize>>,
}

impl Mlq {
    pub fn new(config: &MlqConfig, scenario: &Scenario) -> Mlq {
        // Each queue's policy is built as for a scenario of its own with the same processes.
        let queues = config
            .queues
            .iter()
            .map(|queue| {
                let mut alone = scenario.clone();
                alone.policy = queue.policy.clone();
                super::build(&alone)
            })
            .collect();
        Mlq {
            queues,
            names: config.queues.iter().map(|q| q.name.clone()).collect(),
            between: config.between.clone(),
            assignment: config.assignment.clone(),
            queue_of: Vec::new(),
        }
    }

    fn last(&self) -> usize {
        self.queues.len() - 1
    }

    /// The queue of `pid` as seen at its first enqueue: its own (`queue:`), its process's for a
    /// thread, its parent's for a forked child, else the last queue.
    fn resolve(&mut self, pid: Pid, procs: &ProcTable) -> usize {
        if let Some(Some(queue)) = self.queue_of.get(pid.index()) {
            return *queue;
        }
        let pcb = procs.get(pid);
        let queue = if pcb.process != pid {
            self.resolve(pcb.process, procs)
        } else if let Some(&queue) = self.assignment.get(pid.index()) {
            queue
        } else if pcb.ppid != Pid::INIT && pcb.ppid.0 >= 2 && pcb.ppid.index() < procs.pcbs.len() {
            self.resolve(pcb.ppid, procs)
        } else {
            self.last()
        };
        *super::entry(&mut self.queue_of, pid, None) = Some(queue);
        queue
    }

    /// The queue of a process already seen (every process is queued before it runs).
    fn queue(&self, pid: Pid) -> usize {
        self.queue_of
            .get(pid.index())
            .copied()
            .flatten()
            .unwrap_or(self.last())
    }

    /// Under time slices, the queue whose turn it is at `now`.
    fn turn_at(&self, now: Tick) -> Option<usize> {
        let Between::Slices(slices) = &self.between else {
            return None;
        };
        let round: u64 = slices.iter().sum();
        let mut offset = now.0 % round.max(1);
        for (queue, &slice) in slices.iter().enumerate() {
            if offset < slice {
                return Some(queue);
            }
            offset -= slice;
        }
        Some(0)
    }

    /// The queue that chooses next: the highest with someone ready (priority), or the turn's
    /// queue, else the next after it with someone ready (slices).
    fn serving(&self, now: Tick) -> Option<usize> {
        let count = self.queues.len();
        let first = self.turn_at(now).unwrap_or(0);
        (0..count)
            .map(|step| (first + step) % count)
            .find(|&queue| !self.queues[queue].nobody_ready())
    }
}

impl Policy for Mlq {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        let queue = self.resolve(pid, procs);
        self.queues[queue].enqueue(pid, why, procs)
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        let queue = self.serving(procs.now)?;
        self.queues[queue].select(procs)
    }

    fn select_for(&mut self, cpu: CpuId, procs: &ProcTable) -> Option<Pid> {
        let queue = self.serving(procs.now)?;
        self.queues[queue].select_for(cpu, procs)
    }

    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice {
        let queue = self.queue(chosen);
        let within = self.queues[queue].why(chosen, procs);
        if within.runner_up.is_some() {
            // Its queue's own rule decided among its processes.
            return within;
        }
        // Alone in its queue: what decided is the queue, against the next queue with someone.
        let count = self.queues.len();
        let runner_up = (1..count)
            .map(|step| (queue + step) % count)
            .find_map(|other| {
                let first = self.queues[other].queues().concat().first().copied()?;
                Some((first, Measure::Whole(other as i64)))
            });
        if runner_up.is_none() {
            return within;
        }
        let rule = match self.between {
            Between::Priority => ChoiceRule::HighestQueue,
            Between::Slices(_) => ChoiceRule::QueueTurn,
        };
        Choice::keyed(rule, Measure::Whole(queue as i64), runner_up)
    }

    fn remove(&mut self, pid: Pid) {
        let queue = self.queue(pid);
        self.queues[queue].remove(pid);
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        self.queues
            .iter()
            .map(|queue| queue.queues().concat())
            .collect()
    }

    fn nobody_ready(&self) -> bool {
        self.queues.iter().all(|queue| queue.nobody_ready())
    }

    fn quantum(&self, pid: Pid) -> Option<u64> {
        self.queues[self.queue(pid)].quantum(pid)
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
        let queue = self.queue(candidate);
        // Another queue's process gives way: to a higher queue (priority), or to the queue
        // whose turn it is (slices). The lowest queue's gives way first, then the highest CPU.
        let gives_way = |other: usize| match &self.between {
            Between::Priority => other > queue,
            Between::Slices(_) => other != queue && self.turn_at(procs.now) == Some(queue),
        };
        let victim = running
            .iter()
            .filter(|&&(_, pid)| gives_way(self.queue(pid)))
            .max_by_key(|&&(cpu, pid)| (self.queue(pid), cpu.0));
        if let Some(&(cpu, _)) = victim {
            let reason = match self.between {
                Between::Priority => PreemptReason::HigherQueue { by: candidate },
                Between::Slices(_) => PreemptReason::QueueTurn,
            };
            return Some((cpu, reason));
        }
        let same: Vec<(CpuId, Pid)> = running
            .iter()
            .copied()
            .filter(|&(_, pid)| self.queue(pid) == queue)
            .collect();
        self.queues[queue].preemption(candidate, &same, procs)
    }

    fn quantum_expired(&mut self, pid: Pid, procs: &ProcTable) -> Option<Event> {
        let queue = self.queue(pid);
        self.queues[queue].quantum_expired(pid, procs)
    }

    fn descheduled(
        &mut self,
        pid: Pid,
        quantum_left: Option<u64>,
        why: Deschedule,
        procs: &ProcTable,
    ) -> Option<Event> {
        let queue = self.queue(pid);
        self.queues[queue].descheduled(pid, quantum_left, why, procs)
    }

    fn renewal_is_stable(&self, pid: Pid, procs: &ProcTable) -> bool {
        // With every other queue empty, neither priority nor turns change anything.
        let queue = self.queue(pid);
        self.queues[queue].renewal_is_stable(pid, procs)
            && self
                .queues
                .iter()
                .enumerate()
                .all(|(other, policy)| other == queue || policy.nobody_ready())
    }

    fn level(&self, pid: Pid) -> usize {
        self.queue(pid)
    }

    fn next_timer(&self, after: Tick) -> Option<Tick> {
        // A turn's end matters only while someone waits: the turn may be theirs. (Someone who
        // becomes ready before it asks again: the engine asks after every instant.)
        let own = match &self.between {
            Between::Priority => None,
            Between::Slices(_) if self.nobody_ready() => None,
            Between::Slices(slices) => {
                // The next end of a turn: a boundary of the round after `after`.
                let round: u64 = slices.iter().sum::<u64>().max(1);
                let offset = after.0 % round;
                let mut boundary = 0;
                slices
                    .iter()
                    .map(|slice| {
                        boundary += slice;
                        boundary
                    })
                    .find(|&end| end > offset)
                    .map(|end| Tick(after.0 - offset + end))
            }
        };
        self.queues
            .iter()
            .filter_map(|queue| queue.next_timer(after))
            .chain(own)
            .min()
    }

    fn exited(&mut self, pid: Pid) {
        let queue = self.queue(pid);
        self.queues[queue].exited(pid);
    }

    fn on_timer(&mut self, running: &[(CpuId, Pid)], procs: &ProcTable) -> TimerOutcome {
        // A queue's own timer (an MLFQ boost, timed aging) acts on that queue's processes.
        let mut outcome = TimerOutcome::default();
        let before = Tick(procs.now.0.saturating_sub(1));
        for index in 0..self.queues.len() {
            if self.queues[index].next_timer(before) != Some(procs.now) {
                continue;
            }
            let mine: Vec<(CpuId, Pid)> = running
                .iter()
                .copied()
                .filter(|&(_, pid)| self.queue(pid) == index)
                .collect();
            let theirs = self.queues[index].on_timer(&mine, procs);
            outcome.event = outcome.event.or(theirs.event);
            outcome.vacated.extend(theirs.vacated);
            outcome.fresh_quanta |= theirs.fresh_quanta;
            outcome.reason = outcome.reason.or(theirs.reason);
        }
        // A turn ends: the new turn's queue takes the CPUs when it has someone ready.
        let turn_ends = self.turn_at(procs.now) != self.turn_at(before) || procs.now.0 == 0;
        if let Some(turn) = self.turn_at(procs.now).filter(|_| turn_ends)
            && !self.queues[turn].nobody_ready()
        {
            for &(_, pid) in running {
                let queue = self.queue(pid);
                if queue != turn && !outcome.vacated.contains(&pid) {
                    self.queues[queue].descheduled(pid, None, Deschedule::Preempted, procs);
                    self.queues[queue].enqueue(pid, ReadyReason::Displaced, procs);
                    outcome.vacated.push(pid);
                    outcome.reason = Some(PreemptReason::QueueTurn);
                }
            }
        }
        outcome
    }

    fn sched_values(&self, pid: Pid, procs: &ProcTable) -> Vec<(&'static str, Measure)> {
        self.queues[self.queue(pid)].sched_values(pid, procs)
    }

    fn rules(&self) -> Vec<String> {
        let between = match &self.between {
            Between::Priority => "fixed priority: a queue runs only when every queue above it is empty; a process ready in a higher queue preempts at once".to_string(),
            Between::Slices(slices) => format!(
                "time slices: each queue in turn has the CPUs for its ticks ({}), in rounds from t=0; a turn with nobody ready passes to the next queue with someone, and the turn's queue takes the CPUs back when one of its processes is ready",
                self.names
                    .iter()
                    .zip(slices)
                    .map(|(name, slice)| format!("{name} {slice}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut rules = vec![format!(
            "mlq: queues {} (highest first); a process stays in its queue (`queue:`, default the last; a forked child in its parent's); between queues: {between}.",
            self.names.join(", ")
        )];
        for (name, queue) in self.names.iter().zip(&self.queues) {
            rules.extend(
                queue
                    .rules()
                    .into_iter()
                    .map(|rule| format!("queue {name}: {rule}")),
            );
        }
        rules
    }
}
