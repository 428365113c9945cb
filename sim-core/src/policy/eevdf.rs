//! Linux's EEVDF scheduler (Linux 6.6 and later, kernel/sched/fair.c; Stoica and
//! Abdel-Wahab, 1995), in ticks: see docs/policies.md.
//!
//! Rules: a process's weight comes from its `nice` (the table CFS uses); its vruntime grows by
//! ran × 1024 / weight. V, the queue's virtual time, is the weight-averaged vruntime of the
//! runnable processes (ready and running); a process's lag is weight × (V − vruntime) / 1024,
//! the CPU time it is owed, and it is eligible when its lag is ≥ 0. Each process asks for a
//! request of `slice` ticks; its virtual deadline is the vruntime at which the request began
//! (its eligible time) + slice × 1024 / weight. Of the eligible ready processes, the earliest
//! virtual deadline runs (ties: the earlier entry into the ready queue, then scenario order),
//! until its request is served; the next request begins where that one ended. A newcomer is
//! placed at V with lag 0; a sleeper keeps its lag (PLACE_LAG, clamped to ± two slices) and
//! wakes at V − lag, scaled so that its lag is the same once it is counted in V. With
//! `run_to_parity` (the default) nobody cuts a request short; without it, a waking process
//! preempts when it is eligible and its deadline is earlier than the running one's (or the
//! running one is no longer eligible).
//!
//! A request is measured in CPU ticks from its process's placement, so its deadline is derived
//! from the process's CPU time: expiries the engine skips for a lone process lose nothing.

use super::{Deschedule, Policy, ProcTable, ReadyReason, weight_of};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid};
use crate::scenario::{EevdfConfig, Scenario};
use std::collections::BTreeSet;

/// One tick of vruntime at nice 0, in the fixed point vruntime is kept in (as CFS's).
const ONE: i128 = super::VRUNTIME_ONE as i128;

/// A process as the policy knows it.
#[derive(Clone, Copy, Debug)]
struct Entity {
    /// Its vruntime at its placement, and its CPU ticks then.
    base: i128,
    cpu_base: u64,
    weight: u64,
    /// Its request size, in ticks.
    slice: u64,
    /// Where it waits in the ready queue: (deadline, sequence), with its vruntime then.
    queued: Option<(i128, u64)>,
    queued_vruntime: i128,
    /// V − vruntime when it last went to sleep (PLACE_LAG).
    vlag: i128,
}

impl Entity {
    const NEW: Entity = Entity {
        base: 0,
        cpu_base: 0,
        weight: 1024,
        slice: 1,
        queued: None,
        queued_vruntime: 0,
        vlag: 0,
    };

    /// Its vruntime once it has `cpu_ticks` of CPU time.
    fn vruntime_at(&self, cpu_ticks: u64) -> i128 {
        let ran = i128::from(cpu_ticks.saturating_sub(self.cpu_base));
        self.base + ran * 1024 * ONE / i128::from(self.weight)
    }

    /// A request's length in vruntime.
    fn virtual_slice(&self) -> i128 {
        i128::from(self.slice) * 1024 * ONE / i128::from(self.weight)
    }

    /// CPU ticks served of its current request.
    fn served(&self, cpu_ticks: u64) -> u64 {
        cpu_ticks.saturating_sub(self.cpu_base) % self.slice
    }

    /// Its virtual deadline: where its current request began, plus one request.
    fn deadline_at(&self, cpu_ticks: u64) -> i128 {
        let began = cpu_ticks - self.served(cpu_ticks);
        self.vruntime_at(began.max(self.cpu_base)) + self.virtual_slice()
    }
}

/// V as an exact fraction: Σ weight × vruntime over Σ weight.
#[derive(Clone, Copy, Debug)]
struct VirtualTime {
    weighted: i128,
    weight: i128,
}

impl VirtualTime {
    /// Whether a vruntime is at or before V: lag ≥ 0, eligible.
    fn admits(self, vruntime: i128) -> bool {
        self.weight == 0 || vruntime * self.weight <= self.weighted
    }

    /// V, rounded down (`fallback` when nobody is runnable).
    fn value(self, fallback: i128) -> i128 {
        if self.weight == 0 {
            fallback
        } else {
            self.weighted.div_euclid(self.weight)
        }
    }
}

pub struct Eevdf {
    config: EevdfConfig,
    entities: Vec<Entity>,
    /// The ready processes, in two parts as of the last choice (a ready process does not run,
    /// so its keys hold): those eligible then, by (deadline, sequence) and by (vruntime,
    /// sequence), and the others by (vruntime, deadline, sequence). Each choice moves the few
    /// that V has passed (or fallen below) across, so that the earliest eligible deadline is
    /// the first of a set, as the kernel's augmented tree finds it in O(log n).
    eligible: BTreeSet<(i128, u64, Pid)>,
    eligible_by_vruntime: BTreeSet<(i128, u64, Pid)>,
    not_eligible: BTreeSet<(i128, i128, u64, Pid)>,
    next_sequence: u64,
    /// Σ weight × vruntime and Σ weight of the ready processes.
    ready_weighted: i128,
    ready_weight: i128,
    running: Vec<Pid>,
    /// V when the queue was last not empty: where the next newcomer to an empty queue starts.
    last_v: i128,
    /// The process `select` chose last, with the ticks left of its request, whether it was
    /// chosen as the least vruntime because nobody was eligible, and V then: `why` explains
    /// the choice as it was made, even if a process left the CPUs since (a preempted one, a
    /// thread held back at a forced switch), which moves V.
    chosen: Option<(Pid, u64, bool, VirtualTime)>,
}

impl Eevdf {
    pub fn new(config: EevdfConfig, scenario: &Scenario) -> Eevdf {
        let entities = (0..scenario.processes.len())
            .map(|index| Entity {
                slice: config
                    .process_slices
                    .get(index)
                    .copied()
                    .flatten()
                    .unwrap_or(config.slice_ticks)
                    .max(1),
                ..Entity::NEW
            })
            .collect();
        Eevdf {
            config,
            entities,
            eligible: BTreeSet::new(),
            eligible_by_vruntime: BTreeSet::new(),
            not_eligible: BTreeSet::new(),
            next_sequence: 0,
            ready_weighted: 0,
            ready_weight: 0,
            running: Vec::new(),
            last_v: 0,
            chosen: None,
        }
    }

    fn entity(&self, pid: Pid) -> Entity {
        self.entities.get(pid.index()).copied().unwrap_or(Entity {
            slice: self.config.slice_ticks.max(1),
            ..Entity::NEW
        })
    }

    fn entity_mut(&mut self, pid: Pid) -> &mut Entity {
        let fill = Entity {
            slice: self.config.slice_ticks.max(1),
            ..Entity::NEW
        };
        super::entry(&mut self.entities, pid, fill)
    }

    fn vruntime(&self, pid: Pid, procs: &ProcTable) -> i128 {
        self.entity(pid).vruntime_at(procs.get(pid).cpu_ticks)
    }

    fn deadline(&self, pid: Pid, procs: &ProcTable) -> i128 {
        match self.entity(pid).queued {
            Some((deadline, _)) => deadline,
            None => self.entity(pid).deadline_at(procs.get(pid).cpu_ticks),
        }
    }

    /// V over the ready and running processes.
    fn virtual_time(&self, procs: &ProcTable) -> VirtualTime {
        let mut time = VirtualTime {
            weighted: self.ready_weighted,
            weight: self.ready_weight,
        };
        for &pid in &self.running {
            let weight = i128::from(self.entity(pid).weight);
            time.weighted += weight * self.vruntime(pid, procs);
            time.weight += weight;
        }
        time
    }

    fn leave_cpu(&mut self, pid: Pid) {
        if let Some(at) = self.running.iter().position(|&p| p == pid) {
            self.running.remove(at);
        }
    }

    fn leave_queue(&mut self, pid: Pid) {
        let entity = self.entity_mut(pid);
        if let Some((deadline, sequence)) = entity.queued.take() {
            let (weight, vruntime) = (i128::from(entity.weight), entity.queued_vruntime);
            self.eligible.remove(&(deadline, sequence, pid));
            self.eligible_by_vruntime.remove(&(vruntime, sequence, pid));
            self.not_eligible
                .remove(&(vruntime, deadline, sequence, pid));
            self.ready_weighted -= weight * vruntime;
            self.ready_weight -= weight;
        }
    }

    /// Starts a new request for `pid` at `vruntime` now.
    fn place(&mut self, pid: Pid, vruntime: i128, procs: &ProcTable) {
        let cpu_ticks = procs.get(pid).cpu_ticks;
        let entity = self.entity_mut(pid);
        entity.base = vruntime;
        entity.cpu_base = cpu_ticks;
    }

    /// Where a waking `pid` goes: V − its lag, the lag scaled by (W + w) / W so that it is
    /// the same once `pid` counts in V (place_entity); V alone when nobody else is runnable
    /// or lag is not kept.
    fn wake_place(&self, pid: Pid, time: VirtualTime) -> i128 {
        let v = time.value(self.last_v);
        let entity = self.entity(pid);
        if !self.config.keep_lag || time.weight == 0 {
            return v;
        }
        let lag = entity.vlag * (time.weight + i128::from(entity.weight)) / time.weight;
        v - lag
    }

    fn is_ready(&self) -> bool {
        !self.eligible.is_empty() || !self.not_eligible.is_empty()
    }

    /// Moves the ready processes that V has passed into the eligible part, and those it has
    /// fallen below out of it.
    fn sort_out(&mut self, time: VirtualTime) {
        while let Some(&(vruntime, deadline, sequence, pid)) = self.not_eligible.first()
            && time.admits(vruntime)
        {
            self.not_eligible.pop_first();
            self.eligible.insert((deadline, sequence, pid));
            self.eligible_by_vruntime.insert((vruntime, sequence, pid));
        }
        while let Some(&(vruntime, sequence, pid)) = self.eligible_by_vruntime.last()
            && !time.admits(vruntime)
        {
            self.eligible_by_vruntime.pop_last();
            let deadline = self.entity(pid).queued.map_or(0, |(deadline, _)| deadline);
            self.eligible.remove(&(deadline, sequence, pid));
            self.not_eligible
                .insert((vruntime, deadline, sequence, pid));
        }
    }

    /// The eligible ready process other than `other` with the earliest deadline, as
    /// (deadline, sequence, pid). Exact whenever it is asked: the parts are as of the last
    /// choice, so the eligible part is read past those no longer eligible, and the start of
    /// the other part up to V.
    fn earliest_eligible(&self, time: VirtualTime, other: Option<Pid>) -> Option<(i128, u64, Pid)> {
        let still = self.eligible.iter().copied().find(|&(_, _, pid)| {
            Some(pid) != other && time.admits(self.entity(pid).queued_vruntime)
        });
        let since = self
            .not_eligible
            .iter()
            .take_while(|&&(vruntime, ..)| time.admits(vruntime))
            .filter(|&&(.., pid)| Some(pid) != other)
            .map(|&(_, deadline, sequence, pid)| (deadline, sequence, pid))
            .min();
        still.into_iter().chain(since).min()
    }

    /// The ready process other than `other` with the least vruntime, as (vruntime, pid): the
    /// choice when nobody is eligible (several CPUs share the queue; the kernel's own fallback
    /// is its leftmost entity).
    fn least_vruntime(&self, other: Option<Pid>) -> Option<(i128, Pid)> {
        let eligible = self
            .eligible_by_vruntime
            .iter()
            .find(|&&(.., pid)| Some(pid) != other)
            .map(|&(vruntime, sequence, pid)| (vruntime, sequence, pid));
        let not_eligible = self
            .not_eligible
            .iter()
            .find(|&&(.., pid)| Some(pid) != other)
            .map(|&(vruntime, _, sequence, pid)| (vruntime, sequence, pid));
        eligible
            .into_iter()
            .chain(not_eligible)
            .min()
            .map(|(vruntime, _, pid)| (vruntime, pid))
    }

    fn measure(value: i128) -> Measure {
        Measure::signed_fixed(value, super::VRUNTIME_ONE)
    }
}

impl Policy for Eevdf {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.leave_cpu(pid);
        self.leave_queue(pid);
        let weight = weight_of(procs.get(pid).nice.into());
        self.entity_mut(pid).weight = weight;
        let time = self.virtual_time(procs);
        match why {
            ReadyReason::Admitted => {
                let v = time.value(self.last_v);
                self.place(pid, v, procs);
            }
            ReadyReason::Woken => {
                let v = self.wake_place(pid, time);
                self.place(pid, v, procs);
            }
            ReadyReason::QuantumExpired | ReadyReason::Preempted | ReadyReason::Displaced => {}
        }
        let cpu_ticks = procs.get(pid).cpu_ticks;
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let entity = self.entity_mut(pid);
        let (deadline, vruntime) = (entity.deadline_at(cpu_ticks), entity.vruntime_at(cpu_ticks));
        entity.queued = Some((deadline, sequence));
        entity.queued_vruntime = vruntime;
        // Into the part not yet eligible: the next choice sorts it out.
        self.not_eligible
            .insert((vruntime, deadline, sequence, pid));
        self.ready_weighted += i128::from(weight) * vruntime;
        self.ready_weight += i128::from(weight);
        self.last_v = self.virtual_time(procs).value(self.last_v);
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        let time = self.virtual_time(procs);
        self.sort_out(time);
        let (pid, fallback) = match self.earliest_eligible(time, None) {
            Some((.., pid)) => (pid, false),
            None => (self.least_vruntime(None)?.1, true),
        };
        let entity = self.entity(pid);
        let left = entity.slice - entity.served(procs.get(pid).cpu_ticks);
        self.chosen = Some((pid, left, fallback, time));
        Some(pid)
    }

    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice {
        let fallback = matches!(self.chosen, Some((pid, _, true, _)) if pid == chosen);
        if fallback {
            let runner_up = self.least_vruntime(Some(chosen));
            return Choice::keyed(
                ChoiceRule::LeastVruntime,
                Self::measure(self.vruntime(chosen, procs)),
                runner_up.map(|(vruntime, pid)| (pid, Self::measure(vruntime))),
            );
        }
        let time = match self.chosen {
            Some((pid, _, _, time)) if pid == chosen => time,
            _ => self.virtual_time(procs),
        };
        let runner_up = self.earliest_eligible(time, Some(chosen));
        Choice::keyed(
            ChoiceRule::EarliestEligibleDeadline,
            Self::measure(self.deadline(chosen, procs)),
            runner_up.map(|(deadline, _, pid)| (pid, Self::measure(deadline))),
        )
    }

    fn remove(&mut self, pid: Pid) {
        if self.entity(pid).queued.is_some() {
            self.leave_queue(pid);
            self.running.push(pid);
        }
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        // By deadline, the eligible and the others together (views only: it sorts a copy).
        let mut ready: Vec<(i128, u64, Pid)> = self
            .eligible
            .iter()
            .copied()
            .chain(
                self.not_eligible
                    .iter()
                    .map(|&(_, deadline, sequence, pid)| (deadline, sequence, pid)),
            )
            .collect();
        ready.sort_unstable();
        vec![ready.into_iter().map(|(.., pid)| pid).collect()]
    }

    fn nobody_ready(&self) -> bool {
        !self.is_ready()
    }

    fn quantum(&self, pid: Pid) -> Option<u64> {
        match self.chosen {
            Some((chosen, left, ..)) if chosen == pid => Some(left.max(1)),
            _ => Some(self.entity(pid).slice),
        }
    }

    fn may_preempt(&self) -> bool {
        !self.config.run_to_parity
    }

    fn preemption(
        &self,
        candidate: Pid,
        running: &[(CpuId, Pid)],
        procs: &ProcTable,
    ) -> Option<(CpuId, PreemptReason)> {
        if self.config.run_to_parity {
            return None;
        }
        let time = self.virtual_time(procs);
        if !time.admits(self.vruntime(candidate, procs)) {
            return None;
        }
        let own = self.deadline(candidate, procs);
        // The weakest claim: a running process no longer eligible, else the latest deadline.
        let claim = |pid: Pid| {
            (
                !time.admits(self.vruntime(pid, procs)),
                self.deadline(pid, procs),
            )
        };
        let (cpu, victim) = super::weakest_running(running, claim)?;
        match claim(victim) {
            (true, _) => Some((cpu, PreemptReason::NoLongerEligible { by: candidate })),
            (false, deadline) if deadline > own => {
                Some((cpu, PreemptReason::EarlierDeadline { by: candidate }))
            }
            _ => None,
        }
    }

    fn descheduled(
        &mut self,
        pid: Pid,
        _quantum_left: Option<u64>,
        why: Deschedule,
        procs: &ProcTable,
    ) -> Option<Event> {
        // V as it leaves, itself counted.
        let v = self.virtual_time(procs).value(self.last_v);
        self.last_v = v;
        if let Deschedule::Blocked { .. } = why {
            // Its lag as it goes to sleep, within ± two requests (update_entity_lag).
            let entity = self.entity(pid);
            let limit = 2 * entity.virtual_slice();
            let vlag = (v - self.vruntime(pid, procs)).clamp(-limit, limit);
            self.entity_mut(pid).vlag = vlag;
        }
        self.leave_cpu(pid);
        self.last_v = self.virtual_time(procs).value(self.last_v);
        None
    }

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        // Alone, a process runs request after request; its deadline follows its CPU time.
        !self.is_ready()
    }

    fn exited(&mut self, pid: Pid) {
        self.leave_queue(pid);
        self.leave_cpu(pid);
    }

    fn sched_values(&self, pid: Pid, procs: &ProcTable) -> Vec<(&'static str, Measure)> {
        let vruntime = self.vruntime(pid, procs);
        let entity = self.entity(pid);
        // An exited process's lag and deadline mean nothing any more.
        if procs.get(pid).state.has_exited() {
            return vec![("vruntime", Self::measure(vruntime))];
        }
        let runnable = entity.queued.is_some() || self.running.contains(&pid);
        // A sleeper's lag is the one it keeps; a runnable process's moves with V.
        let virtual_lag = if runnable {
            self.virtual_time(procs).value(self.last_v) - vruntime
        } else {
            entity.vlag
        };
        let lag = virtual_lag * i128::from(entity.weight) / 1024;
        vec![
            ("vruntime", Self::measure(vruntime)),
            ("lag", Self::measure(lag)),
            ("deadline", Self::measure(self.deadline(pid, procs))),
        ]
    }

    fn rules(&self) -> Vec<String> {
        let config = &self.config;
        vec![
            "eevdf: weight from nice by the kernel's table (1024 at nice 0); vruntime grows by ran × 1024 / weight; V = the weight-averaged vruntime of the ready and running processes; lag = weight × (V − vruntime) / 1024; eligible when lag ≥ 0.".into(),
            format!(
                "eevdf: each request is {} (or the process's own `slice`); virtual deadline = the vruntime where the request began + slice × 1024 / weight; the eligible process with the earliest deadline runs for the rest of its request (ties: earlier entry into the ready queue, then scenario order); with nobody eligible, the least vruntime.",
                crate::text::ticks(config.slice_ticks)
            ),
            format!(
                "eevdf: a new process starts at V; a waking one {}; {}.",
                if config.keep_lag {
                    "keeps the lag it slept with (within ± two requests)"
                } else {
                    "starts at V (lag not kept)"
                },
                if config.run_to_parity {
                    "a running request is never cut short (run_to_parity)"
                } else {
                    "a waking process preempts when it is eligible with an earlier deadline than the running one's"
                }
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_runs_for_its_slice_and_the_next_begins_where_it_ended() {
        let entity = Entity {
            slice: 3,
            weight: 1024,
            ..Entity::NEW
        };
        assert_eq!(entity.deadline_at(0), 3 * ONE);
        assert_eq!(entity.deadline_at(2), 3 * ONE);
        assert_eq!(entity.deadline_at(3), 6 * ONE, "the next request");
        // Half the weight: vruntime runs twice as fast, and so does the deadline.
        let light = Entity {
            weight: 512,
            ..entity
        };
        assert_eq!(light.deadline_at(0), 6 * ONE);
        assert_eq!(light.vruntime_at(3), 6 * ONE);
    }

    #[test]
    fn eligibility_is_exact() {
        // V = (1 × 1 + 2 × 2) / 3 = 5/3: 1 is eligible, 2 is not, 5/3 itself would be.
        let time = VirtualTime {
            weighted: 5,
            weight: 3,
        };
        assert!(time.admits(1));
        assert!(!time.admits(2));
        assert_eq!(time.value(0), 1);
        let empty = VirtualTime {
            weighted: 0,
            weight: 0,
        };
        assert!(empty.admits(100));
        assert_eq!(empty.value(7), 7);
    }
}
