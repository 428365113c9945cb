//! The choice points of `rules.same_instant: shuffled` (docs/policies.md, "Same instant,
//! shuffled"): where the documented same-instant order is one of several a real system may
//! take, the engine draws one from the scenario's seed. Three kinds: the order in which the
//! threads that become ready at one instant enter the ready queue, whether a forked child runs
//! before its parent, and the order in which idle CPUs pick. Under `fixed` every choice is the
//! documented one and nothing is drawn.

use super::*;
use crate::random::SeededRng;
use crate::scenario::SameInstant;
use std::sync::Arc;

/// Mixed into the scenario's seed so that these draws are not the lottery's or the
/// workload's.
const CHOICES_STREAM: u64 = 0x5A4E_1A57_C401_CE55;

/// A schedule being replayed, and the choice points met so far.
#[derive(Debug, Default)]
pub(super) struct Script {
    /// The alternative to take at each choice point, in order (past the end: 0).
    schedule: Arc<[usize]>,
    /// The alternative taken at each choice point met, and how many there were.
    pub taken: Vec<(usize, usize)>,
}

/// Where the choices come from.
#[derive(Debug)]
pub(super) struct Choices {
    /// `None` under `same_instant: fixed` (unless a schedule is replayed).
    rng: Option<SeededRng>,
    /// A schedule to replay instead of drawing (`procsim run --schedule`, `explore`).
    pub script: Option<Script>,
    /// Threads that became ready since the last flush, to enter the ready queue in a drawn
    /// order (`shuffled` only).
    pub ready_batch: Vec<(Pid, ReadyReason)>,
    /// Parents that let their child run first: they enter the ready queue after the batch.
    held_back: Vec<Pid>,
}

impl Choices {
    pub fn new(scenario: &Scenario) -> Choices {
        Choices {
            rng: (scenario.rules.same_instant == SameInstant::Shuffled
                && scenario.schedule.is_none())
            .then(|| SeededRng::new(scenario.seed ^ CHOICES_STREAM)),
            script: scenario.schedule.clone().map(|schedule| Script {
                schedule,
                taken: Vec::new(),
            }),
            ready_batch: Vec::new(),
            held_back: Vec::new(),
        }
    }

    pub fn shuffled(&self) -> bool {
        self.rng.is_some() || self.script.is_some()
    }

    /// One of `count` alternatives: the documented one (0) unless shuffled: drawn, or the
    /// schedule's (a choice beyond `count` is the last alternative).
    pub fn pick(&mut self, count: usize) -> usize {
        if count <= 1 {
            return 0;
        }
        if let Some(script) = &mut self.script {
            let wanted = script
                .schedule
                .get(script.taken.len())
                .copied()
                .unwrap_or(0);
            let choice = wanted.min(count - 1);
            script.taken.push((choice, count));
            return choice;
        }
        match &mut self.rng {
            Some(rng) => rng.below(count as u64) as usize,
            None => 0,
        }
    }

    /// `items` in a drawn order (Fisher–Yates by `pick`); unchanged unless shuffled. Under a
    /// schedule, alternative c at position `last` swaps it with the item c places before it,
    /// so that a schedule of 0s keeps the documented order.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            let choice = self.pick(last + 1);
            let other = if self.script.is_some() {
                last - choice
            } else {
                choice
            };
            items.swap(last, other);
        }
    }
}

impl Simulator {
    /// The threads that became ready since the last flush enter the ready queue, in a drawn
    /// order.
    pub(super) fn flush_ready_batch(&mut self) {
        if self.choices.ready_batch.is_empty() && self.choices.held_back.is_empty() {
            return;
        }
        let mut batch = std::mem::take(&mut self.choices.ready_batch);
        self.choices.shuffle(&mut batch);
        for &(pid, why) in &batch {
            self.enqueue_now(pid, why);
        }
        batch.clear();
        self.choices.ready_batch = batch;
        for parent in std::mem::take(&mut self.choices.held_back) {
            self.enqueue_now(parent, ReadyReason::Preempted);
        }
    }

    /// `pid` leaves the batch if it is in it (it is killed or taken elsewhere before it
    /// reached the ready queue); returns whether it was.
    pub(super) fn leave_ready_batch(&mut self, pid: Pid) -> bool {
        let before = self.choices.ready_batch.len() + self.choices.held_back.len();
        self.choices.ready_batch.retain(|&(p, _)| p != pid);
        self.choices.held_back.retain(|&p| p != pid);
        self.choices.ready_batch.len() + self.choices.held_back.len() != before
    }

    /// The order in which idle CPUs pick: the policy's (or by number), drawn when shuffled.
    pub(super) fn cpu_order(&mut self, order: Option<Vec<usize>>) -> Option<Vec<usize>> {
        if !self.choices.shuffled() {
            return order;
        }
        let mut order = order.unwrap_or_else(|| (0..self.cpus.len()).collect());
        self.choices.shuffle(&mut order);
        Some(order)
    }

    /// After `parent` forked on `on_cpu`: whether the child runs first (drawn when shuffled,
    /// as Linux's `sched_child_runs_first` would decide). If so the parent leaves its CPU for
    /// the ready queue, behind the child (returns true).
    pub(super) fn child_runs_first(
        &mut self,
        parent: Pid,
        on_cpu: Option<OnCpu>,
        child: Pid,
    ) -> bool {
        let Some(OnCpu {
            cpu, quantum_left, ..
        }) = on_cpu
        else {
            return false;
        };
        if !self.choices.shuffled() || self.choices.pick(2) == 0 {
            return false;
        }
        self.pcbs[parent.index()].program_counter += 1;
        self.cpus[cpu.0].occupant = None;
        self.set_state(parent, ProcState::Ready);
        self.emit(Event::Preempt {
            pid: parent,
            cpu,
            reason: PreemptReason::ChildRunsFirst { by: child },
        });
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let events = self
            .policy
            .descheduled(parent, quantum_left, Deschedule::Preempted, &procs);
        self.emit_all(events);
        // The child (once its admission, pending now, has queued it) and whatever else
        // becomes ready at this instant first, then the parent.
        self.choices.held_back.push(parent);
        true
    }
}
