//! The choice points (docs/explore.md): where the documented same-instant order is one of
//! several a real system may take. Under `rules.same_instant: shuffled` the engine draws one
//! from the scenario's seed (docs/policies.md, "Same instant, shuffled"); under a replayed
//! schedule (`procsim run --schedule`, `procsim explore`) it takes the schedule's. Three kinds
//! are shuffled: the order in which the threads that become ready at one instant enter the
//! ready queue, whether a forked child runs before its parent, and the order in which idle
//! CPUs pick. A schedule adds a fourth, bounded by its preemptions: a forced switch of a
//! running thread at a switch point. Under `fixed` every choice is the documented one.

use super::waits::WaitOn;
use super::*;
use crate::random::SeededRng;
use crate::scenario::{SameInstant, Schedule, SwitchPoints};
use std::ops::Range;
use std::sync::Arc;

/// Mixed into the scenario's seed so that these draws are not the lottery's or the
/// workload's.
const CHOICES_STREAM: u64 = 0x5A4E_1A57_C401_CE55;

/// What a choice point of a replayed schedule decided, for `--explain`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChoiceStory {
    /// The threads that became ready at one instant entered the ready queue in `taken`'s
    /// order (the documented one is `documented`).
    ReadyOrder {
        documented: Vec<Pid>,
        taken: Vec<Pid>,
    },
    /// The idle CPUs picked their next thread in `taken`'s order.
    CpuOrder {
        documented: Vec<usize>,
        taken: Vec<usize>,
    },
    /// After `parent` forked `child`: which ran first.
    ChildFirst {
        parent: Pid,
        child: Pid,
        child_first: bool,
    },
    /// `pid`, running, reached step `step` (a program counter) with others waiting: whether
    /// it was switched out there.
    Switch {
        pid: Pid,
        step: usize,
        switched: bool,
    },
}

/// A choice point met under a replayed schedule: when, which of the schedule's choices it
/// took (a shuffle takes one per position), and what it decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceMade {
    pub at: Tick,
    pub picks: Range<usize>,
    pub story: ChoiceStory,
}

/// A schedule being replayed, and the choice points met so far.
#[derive(Debug)]
pub(super) struct Script {
    /// The alternative to take at each choice point, in order.
    schedule: Arc<[usize]>,
    /// Past the schedule's end: drawn from this (`explore --sample`), else 0.
    draw: Option<SeededRng>,
    /// The forced switches this run may still make.
    preemptions_left: u32,
    /// The alternative taken at each choice point met, and how many there were.
    pub taken: Vec<(usize, usize)>,
    /// What the choice points decided, in order (when the schedule is `explained`).
    pub stories: Vec<ChoiceMade>,
    explained: bool,
    /// By thread: whether it has run no step another thread can see since it was last
    /// offered a forced switch (a switch now would reach what that one reached: see
    /// `forced_switch`).
    quiet: Vec<bool>,
}

impl Script {
    fn new(schedule: &Schedule) -> Script {
        Script {
            schedule: schedule.choices.clone(),
            draw: schedule.draw_seed.map(SeededRng::new),
            preemptions_left: schedule.preemptions,
            taken: Vec::new(),
            stories: Vec::new(),
            explained: schedule.explained,
            quiet: Vec::new(),
        }
    }
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
    /// Parents that let their child run first, threads a schedule switched out: they enter
    /// the ready queue after the batch.
    held_back: Vec<Pid>,
}

impl Choices {
    pub fn new(scenario: &Scenario) -> Choices {
        Choices {
            rng: (scenario.rules.same_instant == SameInstant::Shuffled
                && scenario.schedule.is_none())
            .then(|| SeededRng::new(scenario.seed ^ CHOICES_STREAM)),
            script: scenario.schedule.as_ref().map(Script::new),
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
            let choice = match script.schedule.get(script.taken.len()) {
                Some(&wanted) => wanted.min(count - 1),
                None => script
                    .draw
                    .as_mut()
                    .map_or(0, |rng| rng.below(count as u64) as usize),
            };
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

    /// The index the next pick of a replayed schedule takes.
    fn next_pick(&self) -> usize {
        self.script.as_ref().map_or(0, |script| script.taken.len())
    }

    /// Whether what the choice points decide is recorded (a replayed, `explained` schedule).
    fn telling(&self) -> bool {
        self.script.as_ref().is_some_and(|script| script.explained)
    }

    /// Under a replayed, explained schedule: notes what the picks since `from` decided.
    fn tell(&mut self, at: Tick, from: usize, story: ChoiceStory) {
        if let Some(script) = &mut self.script
            && script.explained
            && script.taken.len() > from
        {
            let picks = from..script.taken.len();
            script.stories.push(ChoiceMade { at, picks, story });
        }
    }
}

/// Whether another thread can see `step` or its effect on time: everything but the steps
/// that take no time and touch only the thread's own registers and program counter. A
/// forced switch just before one of those reaches what a switch before the next visible
/// step does (they commute with every step of every other thread).
fn is_visible(step: Option<&Step>) -> bool {
    !matches!(
        step,
        Some(
            Step::Add(_)
                | Step::SetReg(_)
                | Step::Bytecode { ticks: 0 }
                | Step::Cpu { ticks: 0 }
                | Step::JumpUnless { .. }
                | Step::Jump { .. }
                | Step::RepeatStart { .. }
                | Step::RepeatEnd { .. }
                | Step::IfSelected { .. }
                | Step::TryStart { .. }
                | Step::TryEnd { .. }
        )
    )
}

impl Simulator {
    /// The threads that became ready since the last flush enter the ready queue, in a drawn
    /// order.
    pub(super) fn flush_ready_batch(&mut self) {
        if self.choices.ready_batch.is_empty() && self.choices.held_back.is_empty() {
            return;
        }
        let mut batch = std::mem::take(&mut self.choices.ready_batch);
        let from = self.choices.next_pick();
        let documented: Vec<Pid> = if self.choices.telling() && batch.len() > 1 {
            batch.iter().map(|&(pid, _)| pid).collect()
        } else {
            Vec::new()
        };
        self.choices.shuffle(&mut batch);
        if !documented.is_empty() {
            let taken = batch.iter().map(|&(pid, _)| pid).collect();
            self.choices.tell(
                self.now,
                from,
                ChoiceStory::ReadyOrder { documented, taken },
            );
        }
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
        if !self.choices.telling() {
            self.choices.shuffle(&mut order);
            return Some(order);
        }
        let documented = order.clone();
        let from = self.choices.next_pick();
        self.choices.shuffle(&mut order);
        let taken = order.clone();
        self.choices
            .tell(self.now, from, ChoiceStory::CpuOrder { documented, taken });
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
        if !self.choices.shuffled() {
            return false;
        }
        let from = self.choices.next_pick();
        let child_first = self.choices.pick(2) == 1;
        self.choices.tell(
            self.now,
            from,
            ChoiceStory::ChildFirst {
                parent,
                child,
                child_first,
            },
        );
        if !child_first {
            return false;
        }
        self.pcbs[parent.index()].program_counter += 1;
        self.leave_cpu_preempted(
            parent,
            cpu,
            quantum_left,
            PreemptReason::ChildRunsFirst { by: child },
        );
        // The child (once its admission, pending now, has queued it) and whatever else
        // becomes ready at this instant first, then the parent.
        self.choices.held_back.push(parent);
        true
    }

    /// Before `pid`, running on `on_cpu`, runs its next step under a replayed schedule: a
    /// choice point, while the schedule's preemptions last, at a switch point (any step
    /// boundary; under a GIL with `switch_points: calls`, CPython's) where another thread
    /// could run instead. Alternative 1 switches it out: it gives the GIL to the first of its
    /// waiters, or else goes to the back of the ready queue, and runs the step when it is
    /// back (returns true).
    ///
    /// The reduction (docs/explore.md): a switch is offered only if the thread has run a
    /// visible step since its last offer; in between it ran steps that commute with every
    /// other thread's, so a switch here reaches what a switch at the last offer reached.
    pub(super) fn forced_switch(&mut self, pid: Pid, on_cpu: Option<OnCpu>) -> bool {
        let Some(script) = &self.choices.script else {
            return false;
        };
        let index = pid.index();
        let step = self.programs[index].get(self.pcbs[index].program_counter);
        let quiet = script.quiet.get(index).copied().unwrap_or(false);
        let budget = script.preemptions_left > 0;
        let visible = is_visible(step);
        let offer = match on_cpu {
            Some(on) if budget && !quiet && self.at_switch_point(pid, step) => {
                self.others_could_run(pid).then_some(on)
            }
            _ => None,
        };
        let Some(on) = offer else {
            if visible {
                self.set_quiet(pid, false);
            }
            return false;
        };
        let from = self.choices.next_pick();
        let switched = self.choices.pick(2) == 1;
        let step = self.pcbs[index].program_counter;
        self.choices.tell(
            self.now,
            from,
            ChoiceStory::Switch {
                pid,
                step,
                switched,
            },
        );
        // Quiet until it has run a visible step: this one now, or once it is back.
        self.set_quiet(pid, switched || !visible);
        if !switched {
            return false;
        }
        if let Some(script) = &mut self.choices.script {
            script.preemptions_left -= 1;
        }
        let process = self.pcbs[index].process;
        if self
            .gils
            .get(&process)
            .is_some_and(|gil| gil.holder == Some(pid))
            && !self.waits.is_empty(WaitOn::Gil(process))
        {
            self.gil_drop_running(pid, on.cpu, gil::Resume::Program);
            return true;
        }
        self.leave_cpu_preempted(pid, on.cpu, on.quantum_left, PreemptReason::ForcedSwitch);
        // Behind the threads that are ready, or becoming ready, at this instant.
        self.ready_at_step(pid);
        self.choices.held_back.push(pid);
        true
    }

    /// The running `pid` leaves `cpu`, ready, preempted for `reason`; the policy hears of it.
    fn leave_cpu_preempted(
        &mut self,
        pid: Pid,
        cpu: CpuId,
        quantum_left: Option<u64>,
        reason: PreemptReason,
    ) {
        self.cpus[cpu.0].occupant = None;
        self.set_state(pid, ProcState::Ready);
        self.emit(Event::Preempt { pid, cpu, reason });
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let events = self
            .policy
            .descheduled(pid, quantum_left, Deschedule::Preempted, &procs);
        self.emit_all(events);
    }

    fn set_quiet(&mut self, pid: Pid, quiet: bool) {
        if let Some(script) = &mut self.choices.script {
            let index = pid.index();
            if script.quiet.len() <= index {
                script.quiet.resize(index + 1, false);
            }
            script.quiet[index] = quiet;
        }
    }

    /// Whether the running thread `pid` may be switched out before `step`: anywhere, but in a
    /// process whose GIL switches at `calls` only where CPython's eval breaker looks.
    fn at_switch_point(&self, pid: Pid, step: Option<&Step>) -> bool {
        let process = self.pcbs[pid.index()].process;
        match self.gils.get(&process) {
            Some(gil) if gil.switch_points == SwitchPoints::Calls => {
                gil::is_switch_point(step) && !self.between_switch_points(pid, gil)
            }
            _ => true,
        }
    }

    /// Whether another thread would run if `pid` left its CPU: one waits for its GIL, is
    /// ready, or is becoming ready at this instant (a child just forked).
    fn others_could_run(&self, pid: Pid) -> bool {
        let process = self.pcbs[pid.index()].process;
        let gil_waiters = self
            .gils
            .get(&process)
            .is_some_and(|gil| gil.holder == Some(pid))
            && !self.waits.is_empty(WaitOn::Gil(process));
        gil_waiters
            || !self.policy.nobody_ready()
            || !self.choices.ready_batch.is_empty()
            || !self.pending.is_empty()
    }
}
