//! FCFS or round robin on several CPUs with per-CPU ready queues, affinity and work stealing
//! (docs/policies.md, "Several CPUs"; OSTEP's multi.py).
//!
//! Rules: with `scheduler.queues: per_cpu` each CPU has its own FIFO queue. The processes that
//! arrive together are dealt to the queues as multi.py deals its jobs: CPU 0, 1, ... in turn,
//! each taking the first of them it may run (affinity), until all are placed. A process whose
//! quantum expires, or that wakes, goes back to the queue of the CPU it last ran on. An idle
//! CPU runs the first process of its queue that may run on it. With `steal_every: N`, every N
//! ticks each CPU whose queue is empty looks at one other CPU's queue, drawn at random
//! (CPython's generator seeded by the scenario's seed, as multi.py draws it, after
//! `skip_draws` numbers), and moves the first process there that may run on it to its own
//! queue (`steal_check: multi_py` checks as multi.py does instead: the CPU number against the
//! process's CPU work and working set). With one global queue (the default) affinity still
//! applies: an idle CPU runs the
//! first process of the queue that may run on it. With `dispatch: shuffled` the idle CPUs
//! take processes each tick in an order drawn with CPython's `random.shuffle` (multi.py `-o`),
//! drawn for every tick, also those at which nothing happens, since later draws depend on it.

use super::{FifoQueue, Policy, ProcTable, ReadyReason, TimerOutcome};
use crate::event::{Choice, Event};
use crate::ids::{CpuId, Pid, Tick};
use crate::random::PythonRandom;
use crate::scenario::Scenario;

pub struct MultiQueue {
    quantum_ticks: Option<u64>,
    /// One queue per CPU, or a single one.
    queues: Vec<FifoQueue>,
    /// Arrived at this instant and not yet dealt to a queue (per-CPU queues only).
    undealt: Vec<Pid>,
    /// The CPUs each process may run on (by `Pid::index`); empty: any.
    affinity: Vec<Vec<usize>>,
    /// The CPU each process last ran on.
    last_cpu: Vec<Option<usize>>,
    steal_every: Option<u64>,
    random: Box<PythonRandom>,
    /// With `steal_check: multi_py`, each process's CPU work and working set (by
    /// `Pid::index`), the numbers multi.py compares the CPU with.
    steal_fields: Option<Vec<(u64, u64)>>,
    /// `dispatch: shuffled`: the tick whose order was drawn last, and that order.
    shuffled: Option<(Option<u64>, Vec<usize>)>,
    cpus: usize,
}

impl MultiQueue {
    pub fn new(quantum_ticks: Option<u64>, scenario: &Scenario) -> MultiQueue {
        let scheduler = scenario.rules.scheduler;
        let queues = if scheduler.per_cpu_queues {
            scenario.cpus
        } else {
            1
        };
        let affinity = scenario
            .processes
            .iter()
            .map(|process| process.affinity.clone())
            .collect();
        let mut random = PythonRandom::seeded(i64::try_from(scenario.seed).unwrap_or(i64::MAX));
        for _ in 0..scheduler.skip_draws {
            random.random();
        }
        MultiQueue {
            quantum_ticks,
            queues: vec![FifoQueue::default(); queues],
            undealt: Vec::new(),
            affinity,
            last_cpu: Vec::new(),
            steal_every: scheduler.steal_every,
            random: Box::new(random),
            shuffled: scheduler.shuffled_dispatch.then(|| (None, Vec::new())),
            steal_fields: scheduler.steal_check_multi_py.then(|| {
                scenario
                    .processes
                    .iter()
                    .map(|p| (p.total_cpu_ticks(), p.working_set))
                    .collect()
            }),
            cpus: scenario.cpus,
        }
    }

    /// Draws the CPU orders of the ticks before `tick` not drawn yet, as multi.py's `-o`
    /// shuffles at every tick whatever happens (the draws after them depend on it).
    fn shuffle_through(&mut self, tick: u64) {
        let cpus = self.cpus;
        let Some((drawn, order)) = &mut self.shuffled else {
            return;
        };
        let first = drawn.map_or(0, |t| t + 1);
        for _ in first..=tick {
            // random.shuffle(list(range(cpus))), CPython 3.11.
            let mut list: Vec<usize> = (0..cpus).collect();
            for i in (1..cpus).rev() {
                let j = self.random.below(i as u64 + 1) as usize;
                list.swap(i, j);
            }
            *order = list;
        }
        if first <= tick {
            *drawn = Some(tick);
        }
    }

    fn allowed(&self, pid: Pid, cpu: usize) -> bool {
        self.affinity
            .get(pid.index())
            .is_none_or(|cpus| cpus.is_empty() || cpus.contains(&cpu))
    }

    /// Whether `cpu` may steal `pid`: its affinity allows it, or with `steal_check: multi_py`
    /// multi.py's check, `cpu in self.jobs[job_name]`, which compares the CPU number with the
    /// job's fields: true without an affinity, else when it equals its run time or working set.
    fn stealable(&self, pid: Pid, cpu: usize) -> bool {
        let Some(fields) = &self.steal_fields else {
            return self.allowed(pid, cpu);
        };
        let no_affinity = self
            .affinity
            .get(pid.index())
            .is_none_or(|cpus| cpus.is_empty());
        no_affinity
            || fields
                .get(pid.index())
                .is_some_and(|&(run, set)| run == cpu as u64 || set == cpu as u64)
    }

    /// The queue `cpu` takes from.
    fn queue_of(&self, cpu: usize) -> usize {
        if self.queues.len() == 1 { 0 } else { cpu }
    }

    /// multi.py's deal: CPU 0, 1, ... in turn take the first undealt process they may run.
    fn deal(&mut self) {
        let mut undealt = std::mem::take(&mut self.undealt);
        while !undealt.is_empty() {
            let before = undealt.len();
            for cpu in 0..self.queues.len() {
                if let Some(at) = undealt.iter().position(|&pid| self.allowed(pid, cpu)) {
                    let pid = undealt.remove(at);
                    self.queues[cpu].push_back(pid);
                }
            }
            if undealt.len() == before {
                // Nobody may run them (cannot happen: affinity names existing CPUs).
                for pid in undealt.drain(..) {
                    self.queues[0].push_back(pid);
                }
            }
        }
    }
}

impl Policy for MultiQueue {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, _procs: &ProcTable) -> Option<Event> {
        let last = self.last_cpu.get(pid.index()).copied().flatten();
        match (why, last) {
            _ if self.queues.len() == 1 => self.queues[0].push_back(pid),
            (_, Some(cpu)) => self.queues[cpu].push_back(pid),
            (_, None) => self.undealt.push(pid),
        }
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        self.select_for(CpuId(0), procs)
    }

    fn select_for(&mut self, cpu: CpuId, _procs: &ProcTable) -> Option<Pid> {
        self.deal();
        let queue = self.queue_of(cpu.0);
        let chosen = self.queues[queue]
            .iter()
            .find(|&pid| self.allowed(pid, cpu.0))?;
        *super::entry(&mut self.last_cpu, chosen, None) = Some(cpu.0);
        Some(chosen)
    }

    fn why(&self, chosen: Pid, _procs: &ProcTable) -> Choice {
        // The first its CPU may run in its CPU's queue; behind it, the next such one.
        let cpu = self.last_cpu.get(chosen.index()).copied().flatten();
        let runner_up = self
            .queues
            .iter()
            .find(|queue| queue.iter().any(|pid| pid == chosen))
            .and_then(|queue| {
                queue
                    .iter()
                    .find(|&pid| pid != chosen && cpu.is_none_or(|cpu| self.allowed(pid, cpu)))
            });
        Choice::first_in_line(runner_up)
    }

    fn remove(&mut self, pid: Pid) {
        self.undealt.retain(|&p| p != pid);
        for queue in &mut self.queues {
            queue.remove(pid);
        }
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        let mut queues: Vec<Vec<Pid>> = self.queues.iter().map(FifoQueue::to_vec).collect();
        queues[0].extend(&self.undealt);
        queues
    }

    fn nobody_ready(&self) -> bool {
        self.undealt.is_empty() && self.queues.iter().all(FifoQueue::is_empty)
    }

    fn quantum(&self, _pid: Pid) -> Option<u64> {
        self.quantum_ticks
    }

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        // Stealing, the other CPUs' queues and a shuffled dispatch (which may hand the process
        // to another idle CPU) may change who runs where next.
        self.nobody_ready() && self.steal_every.is_none() && self.shuffled.is_none()
    }

    fn next_timer(&self, after: Tick) -> Option<Tick> {
        let every = self.steal_every?;
        Some(Tick((after.0 / every + 1).saturating_mul(every)))
    }

    fn dispatch_order(&mut self, now: Tick, _cpus: usize) -> Option<Vec<usize>> {
        self.shuffle_through(now.0);
        self.shuffled.as_ref().map(|(_, order)| order.clone())
    }

    fn on_timer(&mut self, _running: &[(CpuId, Pid)], procs: &ProcTable) -> TimerOutcome {
        // The script steals before it shuffles: the ticks before this one are drawn first.
        if procs.now.0 > 0 {
            self.shuffle_through(procs.now.0 - 1);
        }
        self.deal();
        let cpus = self.queues.len();
        for cpu in 0..cpus {
            if !self.queues[cpu].is_empty() || cpus < 2 {
                continue;
            }
            let others: Vec<usize> = (0..cpus).filter(|&other| other != cpu).collect();
            let other = others[self.random.below(others.len() as u64) as usize];
            let stolen = self.queues[other]
                .iter()
                .find(|&pid| self.stealable(pid, cpu));
            if let Some(pid) = stolen {
                self.queues[other].remove(pid);
                self.queues[cpu].push_back(pid);
            }
        }
        TimerOutcome::default()
    }

    fn rules(&self) -> Vec<String> {
        let mut rules = Vec::new();
        if self.queues.len() > 1 {
            rules.push("several CPUs: one ready queue per CPU; processes arriving together are dealt to the CPUs in turn (each takes the first it may run); a process goes back to the queue of the CPU it last ran on.".to_string());
        }
        rules.push("several CPUs: an idle CPU runs the first process of its queue that may run on it (affinity).".to_string());
        if let Some(every) = self.steal_every {
            rules.push(format!("several CPUs: every {} a CPU whose queue is empty moves the first process it may run from another CPU's queue, drawn at random (CPython's generator, as multi.py).", crate::text::ticks(every)));
        }
        match self.quantum_ticks {
            Some(q) => rules.push(format!(
                "rr: each process runs at most {} at a time, then goes to the back of its queue.",
                crate::text::ticks(q)
            )),
            None => {
                rules.push("fcfs: a running process keeps its CPU until it blocks or exits.".into())
            }
        }
        rules
    }
}
