//! Scheduling policies: one small trait, one file per policy, and the registry below.
//!
//! A policy owns the ready queue and decides three things: who runs next ([`Policy::peek`]),
//! how long a dispatched process may run before the policy wants a say again
//! ([`Policy::quantum`]), and whether a ready process takes a CPU from a running one
//! ([`Policy::preemption`]). Everything else (time, CPUs, devices, the same-tick order) is the
//! engine's. Ties are broken by arrival in the ready queue, then by scenario order: every queue
//! below keeps an insertion sequence for that.

mod cfs;
mod eevdf;
mod fcfs;
mod hrrn;
mod lottery;
mod mlfq;
mod mlq;
mod multi;
mod priority;
mod queue;
mod realtime;
mod rr;
mod sjf;
mod srtf;
mod stride;

use crate::event::{Choice, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::Pcb;
use crate::scenario::{PolicyConfig, Scenario};

pub use cfs::{NICE_TO_WEIGHT, VRUNTIME_ONE, weight_of};
pub use queue::{FifoQueue, KeyedQueue};

/// The process table as a policy sees it: read-only, exact as of `now`.
#[derive(Clone, Copy)]
pub struct ProcTable<'a> {
    pub pcbs: &'a [Pcb],
    pub now: Tick,
}

impl ProcTable<'_> {
    pub fn get(&self, pid: Pid) -> &Pcb {
        &self.pcbs[pid.index()]
    }
}

/// Why a process is entering the ready queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadyReason {
    /// It has just arrived.
    Admitted,
    /// Its wait (IO, ...) is over.
    Woken,
    /// Its quantum ran out.
    QuantumExpired,
    /// Another process took its CPU.
    Preempted,
    /// A process of another queue of a multilevel queue took its CPU (the engine says so for
    /// a `HigherQueue` or `QueueTurn` preemption; the MLQ's own turn timer too): where its
    /// queue's policy keeps an order of arrival (FCFS, round robin), it keeps its place at the
    /// front.
    Displaced,
}

/// Why a running process left its CPU other than by its quantum running out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deschedule {
    /// Another process took the CPU.
    Preempted,
    /// It blocked (IO, ...); `quantum_expired` when its quantum ran out at that very tick.
    Blocked { quantum_expired: bool },
    /// It exited.
    Exited,
}

/// What a policy timer (the MLFQ boost) did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimerOutcome {
    pub event: Option<Event>,
    /// Running processes the policy moved into its ready queue: they must leave their CPU.
    pub vacated: Vec<Pid>,
    /// The running processes that stay get a fresh quantum (the MLFQ boost).
    pub fresh_quanta: bool,
    /// Why the vacated ones leave (default: the MLFQ boost).
    pub reason: Option<PreemptReason>,
}

/// A scheduling policy. See the module documentation for the division of labour.
pub trait Policy {
    /// Puts a ready process into the ready queue; may note an event (e.g. "to the front").
    /// The policies' hooks return at most one event, as an `Option`: nothing is allocated
    /// for it, at every event of a run.
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event>;

    /// The process that should run next, left in the queue. `&mut` because a lottery draws.
    fn select(&mut self, procs: &ProcTable) -> Option<Pid>;

    /// The process the idle `cpu` should run, left in the queue: `select`'s choice, unless the
    /// policy keeps a queue per CPU or honours affinity.
    fn select_for(&mut self, _cpu: CpuId, procs: &ProcTable) -> Option<Pid> {
        self.select(procs)
    }

    /// Why `chosen`, the choice `select` (or `select_for`) has just made and left in the
    /// queue, was chosen: the rule and the values compared, with the runner-up (the best of
    /// the others waiting). Asked before the chosen one is removed to be dispatched; the
    /// dispatch event carries the answer, and every caption says it from there.
    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice;

    /// The order in which the idle CPUs take processes at `now`; `None`: lowest number first.
    fn dispatch_order(&mut self, _now: Tick, _cpus: usize) -> Option<Vec<usize>> {
        None
    }

    /// The process the next choice will likely be, if the policy knows it without choosing
    /// (a hint: the engine brings its PCB into the cache while it does other work).
    fn upcoming(&self) -> Option<Pid> {
        None
    }

    /// Takes a process out of the ready queue (it is being dispatched, or it ends while
    /// ready).
    fn remove(&mut self, pid: Pid);

    /// `pid`, chosen (or renewed after its quantum), is placed on a CPU at `procs.now`.
    fn dispatched(&mut self, _pid: Pid, _procs: &ProcTable) {}

    /// The ready queue in order, one list per level (one level for most policies).
    fn queues(&self) -> Vec<Vec<Pid>>;

    /// Whether the ready queue is empty, without copying it (the engine asks every instant).
    fn nobody_ready(&self) -> bool;

    /// Ticks a process may run once dispatched before its quantum expires; `None` = no limit.
    fn quantum(&self, _pid: Pid) -> Option<u64> {
        None
    }

    /// Whether this policy ever takes a CPU from a running process for a ready one.
    fn may_preempt(&self) -> bool {
        false
    }

    /// Whether the ready process `candidate` takes a CPU from one of the `running` processes
    /// now, and which one, and why.
    fn preemption(
        &self,
        _candidate: Pid,
        _running: &[(CpuId, Pid)],
        _procs: &ProcTable,
    ) -> Option<(CpuId, PreemptReason)> {
        None
    }

    /// `pid`'s quantum ran out with work left (before it re-enters the ready queue).
    fn quantum_expired(&mut self, _pid: Pid, _procs: &ProcTable) -> Option<Event> {
        None
    }

    /// `pid` left its CPU for another reason, with `quantum_left` ticks of its quantum unused.
    fn descheduled(
        &mut self,
        _pid: Pid,
        _quantum_left: Option<u64>,
        _why: Deschedule,
        _procs: &ProcTable,
    ) -> Option<Event> {
        None
    }

    /// Called when `pid`, chosen again after its quantum expired, would be chosen again at
    /// every later expiry with nothing observable changing, until another process becomes
    /// ready. The engine then skips those expiries (a burst of 10^12 ticks costs one event).
    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        true
    }

    /// Whether processes whose quanta expire at the same instant on several CPUs, with nobody
    /// else ready, always get their own CPUs back (they re-enter the queue in CPU order and
    /// the queue is served in that order). Then the engine skips their later renewals until
    /// something else happens. True for round robin; false where a draw or a priority could
    /// send them to other CPUs.
    fn renewals_commute(&self) -> bool {
        false
    }

    /// The policy's own values of `pid` that the report, `--at` and the GUI show (CFS's
    /// `vruntime`), by name; none for most policies.
    fn sched_values(&self, _pid: Pid, _procs: &ProcTable) -> Vec<(&'static str, Measure)> {
        Vec::new()
    }

    /// The queue level shown in the PCB (0 for single-level policies).
    fn level(&self, _pid: Pid) -> usize {
        0
    }

    /// The first time after `after` at which the policy wants to act on its own (a boost).
    fn next_timer(&self, _after: Tick) -> Option<Tick> {
        None
    }

    /// `pid` exited (from any state): it is no longer the policy's concern.
    fn exited(&mut self, _pid: Pid) {}

    /// Acts at a timer's time; `running` lists the running processes in CPU order.
    fn on_timer(&mut self, _running: &[(CpuId, Pid)], _procs: &ProcTable) -> TimerOutcome {
        TimerOutcome::default()
    }

    /// The policy's rules and tie-breaks in plain words, for `--explain`.
    fn rules(&self) -> Vec<String>;
}

/// Builds the policy a scenario asks for. The registry: one line per policy, alphabetical.
pub fn build(scenario: &Scenario) -> Box<dyn Policy> {
    let count = scenario.processes.len();
    // Per-CPU queues or affinity: the FIFO policies on their multiprocessor queues.
    let multi = scenario.rules.scheduler.per_cpu_queues
        || scenario.rules.scheduler.shuffled_dispatch
        || scenario.processes.iter().any(|p| !p.affinity.is_empty());
    match &scenario.policy {
        PolicyConfig::Fcfs(_) if multi => Box::new(multi::MultiQueue::new(None, scenario)),
        PolicyConfig::Rr { quantum_ticks } if multi => {
            Box::new(multi::MultiQueue::new(Some(*quantum_ticks), scenario))
        }
        PolicyConfig::Cfs(config) => Box::new(cfs::Cfs::new(*config, scenario)),
        PolicyConfig::Eevdf(config) => Box::new(eevdf::Eevdf::new(config.clone(), scenario)),
        PolicyConfig::Fcfs(config) => Box::new(fcfs::Fcfs::new(*config)),
        PolicyConfig::Hrrn => Box::new(hrrn::Hrrn::default()),
        PolicyConfig::Lottery {
            quantum_ticks,
            draw,
        } => Box::new(lottery::Lottery::new(*quantum_ticks, *draw, scenario)),
        PolicyConfig::Mlfq(config) => Box::new(mlfq::Mlfq::new(config.clone(), scenario)),
        PolicyConfig::Mlq(config) => Box::new(mlq::Mlq::new(config, scenario)),
        PolicyConfig::Priority {
            preemptive,
            quantum_ticks,
            aging,
            ..
        } => Box::new(priority::Priority::new(*preemptive, *quantum_ticks, count).aging(*aging)),
        PolicyConfig::RealTime(rule) => Box::new(realtime::RealTimePolicy::new(*rule, scenario)),
        PolicyConfig::Rr { quantum_ticks } => Box::new(rr::RoundRobin::new(*quantum_ticks)),
        PolicyConfig::Sjf => Box::new(sjf::Sjf::new(count, scenario.rules.tie_break)),
        PolicyConfig::Srtf => Box::new(srtf::Srtf::new(count, scenario.rules.tie_break)),
        PolicyConfig::Stride { quantum_ticks } => {
            Box::new(stride::Stride::new(*quantum_ticks, scenario))
        }
    }
}

/// The entry of `pid` in a per-process table, which grows (with `fill`) for forked processes.
pub(crate) fn entry<T: Clone>(table: &mut Vec<T>, pid: Pid, fill: T) -> &mut T {
    if pid.index() >= table.len() {
        table.resize(pid.index() + 1, fill);
    }
    &mut table[pid.index()]
}

/// Among the running processes, the one with the largest `key` (the weakest claim to its CPU);
/// ties go to the higher-numbered CPU. Used by the preemptive keyed policies.
pub(crate) fn weakest_running<K: Ord>(
    running: &[(CpuId, Pid)],
    key: impl Fn(Pid) -> K,
) -> Option<(CpuId, Pid)> {
    running
        .iter()
        .copied()
        .max_by(|a, b| key(a.1).cmp(&key(b.1)).then(a.0.cmp(&b.0)))
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Builds small process tables for the policies' own tests.
    use super::*;
    use crate::pcb::ProcState;

    pub fn pcb(pid: u32, remaining: u64, priority: i64) -> Pcb {
        Pcb {
            state: ProcState::Ready,
            remaining_ticks: remaining,
            ..Pcb::new(
                Pid(pid),
                Pid::INIT,
                format!("P{pid}"),
                priority,
                100,
                Default::default(),
                Tick(0),
            )
        }
    }

    /// Pcbs with the given (remaining, priority), all ready since t=0.
    pub fn procs(pcbs: &[Pcb]) -> ProcTable<'_> {
        ProcTable { pcbs, now: Tick(0) }
    }

    /// A deterministic stream of numbers below a bound (the core's seeded generator), for
    /// the randomised tests of the queues.
    pub fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut rng = crate::random::SeededRng::new(seed);
        move |range| rng.below(range)
    }

    /// Pcbs for pids 2.. with the given (remaining, priority).
    pub fn table(specs: &[(u64, i64)]) -> Vec<Pcb> {
        specs
            .iter()
            .enumerate()
            .map(|(i, &(remaining, priority))| pcb(i as u32 + 2, remaining, priority))
            .collect()
    }
}
