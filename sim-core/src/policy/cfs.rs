//! Linux's Completely Fair Scheduler as it was before Linux 6.6 (kernel/sched/fair.c), in
//! ticks: see docs/policies.md.
//!
//! Rules: a process's weight comes from its `nice` by the kernel's `sched_prio_to_weight`
//! table (1024 at nice 0); its vruntime grows by ran × 1024 / weight. The ready process with
//! the least vruntime runs next (ties: the earlier entry into the ready queue, then scenario
//! order), for its slice: period × weight / (the total weight of the runnable processes, the
//! chosen one included), where period = latency, or runnable × min_granularity when more than
//! latency / min_granularity are runnable; the slice is rounded up to whole ticks (at least
//! one). A process that arrives starts at the queue's min_vruntime (plus one virtual slice with
//! `start_debit`, as the kernel's START_DEBIT); one that wakes is placed at max(its vruntime,
//! min_vruntime − latency / 2) (GENTLE_FAIR_SLEEPERS), and either takes the CPU of the
//! running process with the greatest vruntime when that vruntime is greater than its own by
//! more than wakeup_granularity. min_vruntime never decreases: it follows the least vruntime of
//! the ready and running processes.
//!
//! vruntime is kept in fixed point, 2^-20 of a tick (the kernel keeps nanoseconds): each
//! process's is its placement plus its CPU ticks since then × 1024 × 2^20 / weight, one
//! division, so a run cut into pieces gives the same value as a run in one.

use super::{Deschedule, KeyedQueue, Policy, ProcTable, ReadyReason};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid};
use crate::scenario::{CfsConfig, Scenario};

/// One tick of vruntime at nice 0, in the fixed point vruntime is kept in.
pub const VRUNTIME_ONE: u128 = 1 << 20;

/// The kernel's `sched_prio_to_weight`, nice −20 to 19 (kernel/sched/core.c).
pub const NICE_TO_WEIGHT: [u64; 40] = [
    88761, 71755, 56483, 46273, 36291, // −20
    29154, 23254, 18705, 14949, 11916, // −15
    9548, 7620, 6100, 4904, 3906, // −10
    3121, 2501, 1991, 1586, 1277, // −5
    1024, 820, 655, 526, 423, // 0
    335, 272, 215, 172, 137, // 5
    110, 87, 70, 56, 45, // 10
    36, 29, 23, 18, 15, // 15
];

/// The weight of a nice value (clamped to −20..19, as the kernel does).
pub fn weight_of(nice: i64) -> u64 {
    NICE_TO_WEIGHT[(nice.clamp(-20, 19) + 20) as usize]
}

pub struct Cfs {
    config: CfsConfig,
    /// Ready processes by vruntime (a ready process does not run, so its key holds).
    ready: KeyedQueue<u128>,
    /// Each process's vruntime when it was last placed, and its CPU ticks then.
    placed: Vec<(u128, u64)>,
    running: Vec<Pid>,
    /// Each process's weight, from its nice when it entered the queue.
    weights: Vec<u64>,
    /// The total weight of the ready and of the running processes.
    ready_weight: u64,
    running_weight: u64,
    /// The queue's min_vruntime, monotonic.
    min_vruntime: u128,
    /// The slice of the process `select` chose last, for its dispatch.
    chosen_slice: Option<(Pid, u64)>,
}

impl Cfs {
    pub fn new(config: CfsConfig, scenario: &Scenario) -> Cfs {
        let count = scenario.processes.len();
        Cfs {
            config,
            ready: KeyedQueue::new(count),
            placed: vec![(0, 0); count],
            running: Vec::new(),
            weights: vec![1024; count],
            ready_weight: 0,
            running_weight: 0,
            min_vruntime: 0,
            chosen_slice: None,
        }
    }

    /// `pid`'s vruntime now, in fixed point.
    pub fn vruntime(&self, pid: Pid, procs: &ProcTable) -> u128 {
        let pcb = procs.get(pid);
        let (base, cpu_then) = self.placed.get(pid.index()).copied().unwrap_or((0, 0));
        let ran = u128::from(pcb.cpu_ticks.saturating_sub(cpu_then));
        base + ran * 1024 * VRUNTIME_ONE / u128::from(weight_of(pcb.nice.into()))
    }

    fn weight(pid: Pid, procs: &ProcTable) -> u64 {
        weight_of(procs.get(pid).nice.into())
    }

    /// Takes `pid` off a CPU, if it is on one.
    fn leave_cpu(&mut self, pid: Pid) {
        if let Some(at) = self.running.iter().position(|&p| p == pid) {
            self.running.remove(at);
            self.running_weight -= self.weights[pid.index()];
        }
    }

    /// Brings min_vruntime up to the least vruntime of the ready and running processes.
    fn update_min_vruntime(&mut self, procs: &ProcTable) {
        let least_ready = self.ready.first().map(|(vruntime, _)| vruntime);
        let least_running = self.running.iter().map(|&p| self.vruntime(p, procs)).min();
        let least = match (least_ready, least_running) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(least) = least {
            self.min_vruntime = self.min_vruntime.max(least);
        }
    }

    /// The scheduling period for `runnable` processes, in ticks.
    fn period(&self, runnable: u64) -> u64 {
        let latency = self.config.latency_ticks;
        let granularity = self.config.min_granularity_ticks.max(1);
        if runnable > latency / granularity {
            runnable.saturating_mul(granularity)
        } else {
            latency
        }
    }

    /// Places `pid` at `vruntime` now.
    fn place(&mut self, pid: Pid, vruntime: u128, procs: &ProcTable) {
        *super::entry(&mut self.placed, pid, (0, 0)) = (vruntime, procs.get(pid).cpu_ticks);
    }

    /// A vruntime as a caption shows it: ticks with three decimals.
    fn measure(vruntime: u128) -> Measure {
        Measure::fixed(vruntime, VRUNTIME_ONE)
    }
}

impl Policy for Cfs {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.leave_cpu(pid);
        self.update_min_vruntime(procs);
        let weight = Self::weight(pid, procs);
        *super::entry(&mut self.weights, pid, 1024) = weight;
        match why {
            ReadyReason::Admitted => {
                let mut start = self.min_vruntime;
                if self.config.start_debit {
                    // One virtual slice with the newcomer counted: period × 1024 / total weight.
                    let runnable = (self.ready.len() + self.running.len() + 1) as u64;
                    let total = self.ready_weight + self.running_weight + weight;
                    start +=
                        u128::from(self.period(runnable)) * 1024 * VRUNTIME_ONE / u128::from(total);
                }
                self.place(pid, start, procs);
            }
            ReadyReason::Woken => {
                let floor = self
                    .min_vruntime
                    .saturating_sub(u128::from(self.config.latency_ticks) * VRUNTIME_ONE / 2);
                let own = self.vruntime(pid, procs);
                if own < floor {
                    self.place(pid, floor, procs);
                }
            }
            ReadyReason::QuantumExpired | ReadyReason::Preempted | ReadyReason::Displaced => {}
        }
        let vruntime = self.vruntime(pid, procs);
        self.ready.insert(pid, vruntime);
        self.ready_weight += weight;
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        let (_, pid) = self.ready.first()?;
        let runnable = (self.ready.len() + self.running.len()) as u64;
        let total = (self.ready_weight + self.running_weight).max(1);
        let weight = Self::weight(pid, procs);
        let slice = u128::from(self.period(runnable)) * u128::from(weight);
        let ticks = slice.div_ceil(u128::from(total)).max(1);
        self.chosen_slice = Some((pid, u64::try_from(ticks).unwrap_or(u64::MAX)));
        self.update_min_vruntime(procs);
        Some(pid)
    }

    fn upcoming(&self) -> Option<Pid> {
        self.ready.first().map(|(_, pid)| pid)
    }

    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice {
        let vruntime = self
            .ready
            .key_of(chosen)
            .unwrap_or_else(|| self.vruntime(chosen, procs));
        Choice::keyed(
            ChoiceRule::LeastVruntime,
            Self::measure(vruntime),
            self.ready
                .runner_up(chosen)
                .map(|(key, runner_up)| (runner_up, Self::measure(key))),
        )
    }

    fn remove(&mut self, pid: Pid) {
        if self.ready.key_of(pid).is_some() {
            self.ready.remove(pid);
            let weight = self.weights[pid.index()];
            self.ready_weight -= weight;
            self.running.push(pid);
            self.running_weight += weight;
        }
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        vec![self.ready.to_vec()]
    }

    fn nobody_ready(&self) -> bool {
        self.ready.is_empty()
    }

    fn quantum(&self, pid: Pid) -> Option<u64> {
        match self.chosen_slice {
            Some((chosen, ticks)) if chosen == pid => Some(ticks),
            _ => Some(self.config.latency_ticks.max(1)),
        }
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
        let own = self.vruntime(candidate, procs);
        let granularity = u128::from(self.config.wakeup_granularity_ticks) * VRUNTIME_ONE;
        let (cpu, victim) = super::weakest_running(running, |p| self.vruntime(p, procs))?;
        (self.vruntime(victim, procs) > own + granularity)
            .then_some((cpu, PreemptReason::SmallerVruntime { by: candidate }))
    }

    fn descheduled(
        &mut self,
        pid: Pid,
        _quantum_left: Option<u64>,
        _why: Deschedule,
        procs: &ProcTable,
    ) -> Option<Event> {
        self.leave_cpu(pid);
        self.update_min_vruntime(procs);
        None
    }

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        // Alone, a process's slice is the whole latency every time, and its vruntime is
        // derived from its CPU time: skipped renewals lose nothing.
        self.ready.is_empty()
    }

    fn exited(&mut self, pid: Pid) {
        if self.ready.key_of(pid).is_some() {
            self.ready.remove(pid);
            self.ready_weight -= self.weights[pid.index()];
        }
        self.leave_cpu(pid);
    }

    fn sched_values(&self, pid: Pid, procs: &ProcTable) -> Vec<(&'static str, Measure)> {
        vec![("vruntime", Self::measure(self.vruntime(pid, procs)))]
    }

    fn rules(&self) -> Vec<String> {
        let config = &self.config;
        vec![
            "cfs: weight from nice by the kernel's table (1024 at nice 0); vruntime grows by ran × 1024 / weight; the least vruntime runs next (ties: earlier entry into the ready queue, then scenario order).".into(),
            format!(
                "cfs: slice = period × weight / total runnable weight, rounded up to whole ticks; period = {} (latency), or runnable × {} when more than {} are runnable.",
                crate::text::ticks(config.latency_ticks),
                crate::text::ticks(config.min_granularity_ticks),
                config.latency_ticks / config.min_granularity_ticks.max(1)
            ),
            format!(
                "cfs: a new process starts at min_vruntime{}; a waking one at max(its vruntime, min_vruntime − {}/2) and preempts when the running vruntime is greater by more than {}.",
                if config.start_debit { " + one virtual slice (start_debit)" } else { "" },
                crate::text::ticks(config.latency_ticks),
                crate::text::ticks(config.wakeup_granularity_ticks)
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_the_kernels_table() {
        assert_eq!(weight_of(0), 1024);
        assert_eq!(weight_of(-20), 88761);
        assert_eq!(weight_of(-5), 3121);
        assert_eq!(weight_of(5), 335);
        assert_eq!(weight_of(19), 15);
        assert_eq!(weight_of(-40), 88761, "clamped, as the kernel does");
        // Each nice level is about 1.25 times the next (10% CPU per level).
        for pair in NICE_TO_WEIGHT.windows(2) {
            let ratio = pair[0] as f64 / pair[1] as f64;
            assert!((1.18..1.32).contains(&ratio), "{pair:?}");
        }
    }
}
