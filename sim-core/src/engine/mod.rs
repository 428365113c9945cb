//! The engine: a state machine driven from outside, one instant at a time.
//!
//! [`Simulator::step`] jumps to the next instant at which anything happens and applies it in
//! the documented same-tick order (docs/policies.md):
//! 1. context switches that end now: their process starts running;
//! 2. ends of running slices, CPU by CPU: burst done (next step: IO, exit or more CPU) or
//!    quantum expired;
//! 3. policy timers (the MLFQ boost);
//! 4. arrivals, in scenario order;
//! 5. IO completions, in the order the IOs were issued;
//! 6. dispatch: idle CPUs (lowest number first) take the policy's choice, which runs its steps
//!    that take no time at once (a CPU it leaves at once is served again), then the policy may
//!    preempt running processes.
//!
//! A thread carries out its steps only while it holds a CPU (`rules.zero_time: on_cpu`): one
//! that arrives or wakes goes to the ready queue where its program stands (`make_ready`) and
//! runs on from there once dispatched (`start_executing`).
//!
//! Processes whose quantum expired re-enter the ready queue after steps 4–5 (default) or before
//! step 3 (`rules.preempted_before_arrivals`, the OSTEP model). Cost grows with the number of events, never with
//! burst lengths: a process renewing its quantum alone is not woken at each renewal.

mod cache;
mod choices;
mod deadlines;
pub use choices::{ChoiceMade, ChoiceStory};
mod coroutines;
mod devices;
mod exceptions;
mod families;
mod gil;
mod instant;
mod lifecycle;
mod pools;
mod program;
mod signals;
mod sync;
mod threads;
mod view;
mod waits;

pub use sync::ABORTED_EXIT_CODE;

use crate::event::{Event, PreemptReason, TimedEvent, WakeReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::{Block, BlockReason, Pcb, ProcState};
use crate::policy::{self, Deschedule, Policy, ProcTable, ReadyReason};
use crate::roster::Roster;
use crate::scenario::limits::MAX_TIME;
use crate::scenario::{DeviceId, Operand, PrintPart, Program, Scenario, Step, Variable};
use crate::snapshot::{CpuView, DeviceView, GilView, ProcessView, Snapshot};
use devices::DeviceState;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
use std::ops::Range;

/// The default limit on events in one run.
pub const DEFAULT_MAX_EVENTS: usize = 100_000_000;

/// Why a run stopped before every process terminated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error(
        "the run exceeded the event limit of {limit} events at t={time}; raise it with --max-events if the scenario really needs more"
    )]
    EventLimit { limit: usize, time: Tick },
    #[error(
        "the run would pass t={limit}, the largest time procsim simulates (it reached t={time}); shorten the scenario's times"
    )]
    TimeLimit { limit: u64, time: Tick },
    #[error(
        "at t={time} the programs ran more than {limit} steps that take no time without the clock moving: a `repeat` of zero-time steps (read, write, add, print, ...) too long to run; raise the limit with --max-events if the program really needs more"
    )]
    ZeroTimeLimit { limit: u64, time: Tick },
}

/// Most zero-time steps (and loop turns) the programs may run at one instant when no event
/// limit is set; with one (`--max-events`), the event limit is also this limit, so that the
/// flag that raises the one raises the other.
pub const MAX_ZERO_TIME_STEPS: u64 = 50_000_000;

/// What one call to [`Simulator::step`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub time: Tick,
    /// The new events, as a range of [`Simulator::log`].
    pub events: Range<usize>,
}

/// Where a run's events go as they happen instead of into its log (`Simulator::set_sink`): a
/// streaming report (`report::run_streamed`) folds each one and keeps none, so that memory
/// does not grow with the events, not even with those of one instant.
pub trait EventSink: std::any::Any + Send {
    fn event(&mut self, timed: &TimedEvent, scenario: &Scenario, roster: &Roster);
}

/// A sink that keeps nothing: for a caller that wants only the state at a time (`--at`, `ps`,
/// `pstree`), so that the run to it keeps no event log (the engine's state never reads it).
pub struct DiscardEvents;

impl EventSink for DiscardEvents {
    fn event(&mut self, _: &TimedEvent, _: &Scenario, _: &Roster) {}
}

/// Most events the log holds before they go to a sink (`Simulator::set_sink`): folded in
/// batches, they stay in the cache, and an instant of millions of events needs no more memory
/// than this.
pub const SINK_BATCH: usize = 4096;

/// The state of the engine once `events` events had been logged (see
/// [`Simulator::step_to_event`]).
struct Capture {
    events: usize,
    snapshot: Option<Snapshot>,
}

/// The state after some of an instant's events ([`Simulator::step_to_event`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventCut {
    /// The state once the first `event` events of the instant had happened, and before the
    /// next one.
    pub snapshot: Snapshot,
    /// How many of the instant's events it is after.
    pub event: usize,
    /// How many events the instant has.
    pub events: usize,
}

/// The simulation of one scenario.
pub struct Simulator {
    scenario: Scenario,
    policy: Box<dyn Policy>,
    now: Tick,
    /// Every process so far, in pid order: the scenario's, then the forked ones.
    pcbs: Vec<Pcb>,
    /// The program of each process (a forked child may share its parent's).
    programs: Vec<Program>,
    /// The current children of each process (living or zombie), in the order it got them.
    families: families::Families,
    /// The issue sequence of each process's pending IO completion, so that a kill can cancel it.
    io_sequence: Vec<Option<u64>>,
    /// Processes whose program must go on at this instant once the current action is done:
    /// forked children and parents whose `wait` returned. Keeps the engine free of recursion.
    pending: VecDeque<(Pid, ReadyReason)>,
    running_pending: bool,
    roster: Roster,
    cpus: Vec<CpuSlot>,
    /// Pids sorted by (arrival, scenario order), consumed from `next_arrival`.
    arrival_order: Vec<Pid>,
    next_arrival: usize,
    devices: Vec<DeviceState>,
    /// Pending IO completions: (time, issue sequence, pid, device).
    io_completions: BinaryHeap<Reverse<(Tick, u64, Pid, usize)>>,
    next_io_sequence: u64,
    log: Vec<TimedEvent>,
    /// When set, events go there instead of into `log`.
    sink: Option<Box<dyn EventSink>>,
    /// Events logged since the start, including those [`Simulator::forget_log`] dropped.
    events_logged: usize,
    /// Whether any program uses a register (`read`, `add`, `write`, `input`): snapshots then
    /// show each thread's.
    uses_registers: bool,
    /// The state kept when the log reaches a count of events, within an instant
    /// ([`Simulator::step_to_event`]).
    capture: Option<Capture>,
    /// CPUs whose process was given a new quantum at this instant while others were still
    /// waiting to be dispatched (see `Policy::renewals_commute`).
    renewed_this_instant: Vec<CpuId>,
    /// Buffers reused from instant to instant (the processes whose quantum expired, the
    /// executing ones), so that the steady state allocates nothing per event.
    expired_scratch: Vec<Pid>,
    running_scratch: Vec<(CpuId, Pid)>,
    /// Instants processed so far.
    instants: u64,
    /// The run stops logging past this many events, even within one instant (a zero-time fork
    /// cascade counts too); `run_to_end` and `advance_to` set it from their `max_events`.
    event_limit: usize,
    admitted: usize,
    /// Processes that exited (zombies and reaped).
    exited: usize,
    /// Processes that exist: admitted and not yet reaped (the `max_processes` count).
    existing: usize,
    /// Spawned threads alive (not ended), against `max_threads`.
    live_threads: usize,
    /// Resources, events and queues.
    sync: sync::SyncState,
    /// Where every blocked or GIL-waiting thread waits: one line per thing waited on.
    waits: waits::Waits,
    /// Threads beyond their PCBs: daemon flags, joins, each process's spawned threads.
    threads: threads::Threads,
    /// The GIL of each process that has one, by pid.
    gils: BTreeMap<Pid, gil::Gil>,
    /// Each process's own copy of the scenario's globals, by pid (none when it has none).
    globals: BTreeMap<Pid, Vec<i64>>,
    /// The shared variables.
    shared: Vec<i64>,
    /// Zero-time steps run at this instant, against `zero_time_limit`.
    zero_time_steps: u64,
    /// Process pools and their tasks.
    pools: pools::Pools,
    /// The event loop of each thread that has coroutines, by tid.
    event_loops: BTreeMap<Pid, coroutines::EventLoop>,
    /// Threads whose last step raised (`runtime: python`), with the exception: each handles
    /// it before its next step.
    raising: Vec<(Pid, String)>,
    /// Threads whose program ended by an uncaught exception (its line), until their end is
    /// handled.
    uncaught: BTreeMap<Pid, String>,
    /// Signals in flight (`rules.signal_delay`): their sequence in the completion queue and
    /// the process that sent each.
    signals: Vec<(u64, Pid)>,
    /// Lines of standard input read so far (`input`).
    stdin_read: usize,
    /// The processes stopped by SIGSTOP, not continued yet.
    stopped: BTreeSet<Pid>,
    /// Each thread of a stopped process held in its stopped line, and how it goes on.
    stopped_threads: BTreeMap<Pid, waits::Resume>,
    /// Signal handlers (`on_signal`), by process and signal.
    handlers: BTreeMap<(Pid, crate::scenario::Signal), Program>,
    /// Handlers each main thread has yet to run, first first.
    pending_handlers: BTreeMap<Pid, VecDeque<(crate::scenario::Signal, Program)>>,
    /// Where each main thread was when the handlers it is running interrupted it.
    handler_frames: BTreeMap<Pid, Vec<signals::HandlerFrame>>,
    /// The choice points of `rules.same_instant`.
    choices: choices::Choices,
    /// The CPUs' caches, with `cache:`.
    caches: Option<cache::Caches>,
    /// The deadlines of the jobs (`tasks:`) released and unfinished, earliest first.
    deadlines: std::collections::BTreeSet<(Tick, Pid)>,
}

#[derive(Clone, Copy, Debug, Default)]
struct CpuSlot {
    occupant: Option<Occupant>,
    /// The last process dispatched here, to tell a context switch from a return.
    last_pid: Option<Pid>,
    /// A process whose quantum expired here at this instant; its fate is settled at dispatch.
    expired: Option<Pid>,
    /// Why the policy chose the process placed here last: its dispatch event says it, after
    /// the context switch if there is one.
    why: Option<crate::event::Choice>,
}

#[derive(Clone, Copy, Debug)]
struct Occupant {
    pid: Pid,
    phase: Phase,
}

#[derive(Clone, Copy, Debug)]
enum Phase {
    /// The CPU is switching to the process, which starts running at `until`.
    Switching {
        until: Tick,
    },
    Executing {
        quantum: Quantum,
    },
}

#[derive(Clone, Copy, Debug)]
enum Quantum {
    Unlimited,
    EndsAt(Tick),
    /// Renewed every `ticks` from `anchor` while no other process wants the CPU.
    Periodic {
        anchor: Tick,
        ticks: u64,
    },
}

/// The CPU a process holds while its program goes on at an instant: which CPU, the quantum
/// it had left, and whether that quantum ran out at this very tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OnCpu {
    pub cpu: CpuId,
    pub quantum_left: Option<u64>,
    pub quantum_expired: bool,
}

impl Simulator {
    pub fn new(scenario: Scenario) -> Simulator {
        let policy = policy::build(&scenario);
        let scenario_uses_registers = scenario.any_step(|step| {
            matches!(
                step,
                Step::Read(_) | Step::Write(_) | Step::Add(_) | Step::Input(None)
            )
        });
        let pcbs: Vec<Pcb> = scenario
            .processes
            .iter()
            .enumerate()
            .map(|(index, spec)| Pcb {
                remaining_ticks: spec.program.first().map_or(0, step_ticks),
                // Validation keeps it within −20..=19.
                nice: spec.nice as i8,
                ..Pcb::new(
                    Pid::from_index(index),
                    Pid::INIT,
                    spec.name.clone(),
                    spec.priority,
                    spec.tickets,
                    spec.options,
                    spec.arrival,
                )
            })
            .collect();
        let programs = scenario
            .processes
            .iter()
            .map(|spec| spec.program.clone())
            .collect();
        let mut arrival_order: Vec<Pid> = pcbs.iter().map(|pcb| pcb.pid).collect();
        arrival_order.sort_by_key(|&pid| (pcbs[pid.index()].arrival, pid));
        let devices = scenario
            .devices
            .iter()
            .map(|device| DeviceState::new(device.servers))
            .collect();
        let gils = pcbs
            .iter()
            .filter_map(|pcb| Some((pcb.pid, gil::Gil::new(pcb.options.gil?))))
            .collect();
        let initial: Vec<i64> = scenario.globals.iter().map(|v| v.initial).collect();
        let globals = if initial.is_empty() {
            BTreeMap::new()
        } else {
            pcbs.iter().map(|pcb| (pcb.pid, initial.clone())).collect()
        };
        Simulator {
            threads: threads::Threads::new(pcbs.len()),
            gils,
            globals,
            shared: scenario.shared.iter().map(|v| v.initial).collect(),
            zero_time_steps: 0,
            pools: pools::Pools::new(scenario.pools.len()),
            event_loops: BTreeMap::new(),
            raising: Vec::new(),
            uncaught: BTreeMap::new(),
            signals: Vec::new(),
            stdin_read: 0,
            stopped: BTreeSet::new(),
            stopped_threads: BTreeMap::new(),
            handlers: BTreeMap::new(),
            pending_handlers: BTreeMap::new(),
            handler_frames: BTreeMap::new(),
            choices: choices::Choices::new(&scenario),
            caches: scenario
                .rules
                .cache
                .map(|config| cache::Caches::new(config, &scenario)),
            cpus: vec![CpuSlot::default(); scenario.cpus],
            policy,
            now: Tick::ZERO,
            families: families::Families::new(pcbs.len()),
            io_sequence: vec![None; pcbs.len()],
            pending: VecDeque::new(),
            running_pending: false,
            roster: Roster::of_scenario(&scenario),
            programs,
            pcbs,
            arrival_order,
            next_arrival: 0,
            devices,
            io_completions: BinaryHeap::new(),
            next_io_sequence: 0,
            log: Vec::new(),
            sink: None,
            events_logged: 0,
            renewed_this_instant: Vec::new(),
            expired_scratch: Vec::new(),
            instants: 0,
            deadlines: Default::default(),
            running_scratch: Vec::new(),
            event_limit: usize::MAX,
            capture: None,
            uses_registers: scenario_uses_registers,
            admitted: 0,
            exited: 0,
            existing: 0,
            live_threads: 0,
            sync: sync::SyncState::new(&scenario),
            waits: waits::Waits::new(waits::Counts {
                devices: scenario.devices.len(),
                resources: scenario.sync.resources.len(),
                events: scenario.sync.events.len(),
                queues: scenario.sync.queues.len(),
                pools: scenario.pools.len(),
            }),
            scenario,
        }
    }

    /// Under a replayed schedule (`Scenario::schedule`): each choice point met so far, as
    /// (the alternative taken, how many there were); `None` without a schedule.
    pub fn choices_taken(&self) -> Option<&[(usize, usize)]> {
        self.choices.script.as_ref().map(|script| &script.taken[..])
    }

    /// Under a replayed schedule: what each choice point met so far decided, for
    /// `--explain`; empty without a schedule.
    pub fn choices_made(&self) -> &[ChoiceMade] {
        self.choices
            .script
            .as_ref()
            .map_or(&[], |script| &script.stories[..])
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The current time: the last instant processed, or a later time reached by `advance_to`.
    pub fn now(&self) -> Tick {
        self.now
    }

    /// Every event so far, in order.
    pub fn log(&self) -> &[TimedEvent] {
        &self.log
    }

    /// Every process so far with its name, the forked ones included.
    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// The policy's own values of `pid` now (CFS: `vruntime`); empty for most policies.
    pub fn sched_values(&self, pid: Pid) -> crate::event::SchedValues {
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        self.policy.sched_values(pid, &procs).into_iter().collect()
    }

    /// Every process's control block, in pid order (the entry of pid p is at `p.index()`).
    pub fn pcbs(&self) -> &[Pcb] {
        &self.pcbs
    }

    /// The steps `pid` runs (its process's or thread's program, as compiled).
    pub fn program(&self, pid: Pid) -> &[Step] {
        self.programs
            .get(pid.index())
            .map_or(&[], |program| &program[..])
    }

    /// The policy's rules in plain words.
    pub fn policy_rules(&self) -> Vec<String> {
        self.policy.rules()
    }

    /// Whether every process has exited.
    pub fn is_finished(&self) -> bool {
        self.exited == self.pcbs.len()
    }

    /// The next instant at which something happens, if any.
    pub fn next_instant(&self) -> Option<Tick> {
        let mut next: Option<Tick> = None;
        let mut consider = |t: Tick| next = Some(next.map_or(t, |n: Tick| n.min(t)));
        if let Some(&pid) = self.arrival_order.get(self.next_arrival) {
            consider(self.pcbs[pid.index()].arrival);
        }
        if let Some(Reverse((time, ..))) = self.io_completions.peek() {
            consider(*time);
        }
        if let Some(&(deadline, _)) = self.deadlines.first() {
            consider(deadline);
        }
        for slot in &self.cpus {
            match slot.occupant {
                Some(Occupant {
                    phase: Phase::Switching { until },
                    ..
                }) => consider(until),
                Some(Occupant {
                    pid,
                    phase: Phase::Executing { quantum },
                }) => {
                    let pcb = &self.pcbs[pid.index()];
                    consider(
                        pcb.state_since
                            .plus(self.ticks_for_work(pid, pcb.remaining_ticks)),
                    );
                    if let Quantum::EndsAt(end) = quantum {
                        consider(end);
                    }
                    if let Some(deadline) = self.gil_deadline(pid) {
                        consider(deadline);
                    }
                }
                None => {}
            }
        }
        // The policy's timer (the MLFQ boost) matters only while some admitted process is
        // unfinished, and while something else can still happen: with every unfinished
        // process blocked for good (a deadlock) and nothing pending, a boost changes levels
        // and nothing more, and the run is over.
        let something_can_happen = next.is_some() || !self.policy.nobody_ready();
        if self.admitted > self.exited
            && something_can_happen
            && let Some(time) = self.policy.next_timer(self.now)
        {
            next = Some(next.map_or(time, |n| n.min(time)));
        }
        next
    }

    /// The ticks the running `pid` needs for `work` on its CPU: as many, or fewer where the
    /// cache model makes it faster.
    fn ticks_for_work(&self, pid: Pid, work: u64) -> u64 {
        match (&self.caches, self.pcbs[pid.index()].state) {
            (Some(caches), ProcState::Running { cpu }) => caches.ticks_for(cpu, pid, work),
            _ => work,
        }
    }

    /// Ticks each CPU ran a process faster than a work a tick, its cache warm (`cache:`).
    pub fn cpu_warm_ticks(&self) -> Vec<u64> {
        self.caches.as_ref().map_or_else(
            || vec![0; self.cpus.len()],
            |caches| caches.warm_ticks.clone(),
        )
    }

    /// Whose working sets each CPU's cache holds, most recent first (`cache:`).
    pub fn cache_contents(&self) -> Vec<Vec<Pid>> {
        (0..self.cpus.len())
            .map(|cpu| {
                self.caches
                    .as_ref()
                    .map_or_else(Vec::new, |caches| caches.contents(CpuId(cpu)))
            })
            .collect()
    }

    /// Processes the next instant. Returns `None` when nothing is left to happen.
    pub fn step(&mut self) -> Option<StepReport> {
        let time = self.next_instant()?;
        let first_event = self.log.len();
        self.process_instant(time);
        if self.sink.is_some() {
            // The instant's events went to the sink; none is left in the log.
            self.flush_to_sink();
            return Some(StepReport { time, events: 0..0 });
        }
        Some(StepReport {
            time,
            events: first_event..self.log.len(),
        })
    }

    /// Processes the next instant, as [`Self::step`] does, and returns the state the engine
    /// was in once the first `event` of its events had happened, before the next one began
    /// (0: before the first; as many as it has, or more: its end): `procsim run --at T
    /// --event K` and the GUI's event steps. The engine changes its state and then logs the
    /// change, so the state is taken as the `event`-th event is logged. `None` when nothing is
    /// left to happen.
    pub fn step_to_event(&mut self, event: usize) -> Option<EventCut> {
        let time = self.next_instant()?;
        // Before its first event: the state at its time, nothing of it done yet.
        let before = (event == 0).then(|| self.snapshot_at(time));
        let start = self.events_logged;
        self.capture = Some(Capture {
            events: start.saturating_add(event),
            snapshot: None,
        });
        self.step();
        let captured = before.or(self.capture.take().and_then(|capture| capture.snapshot));
        self.capture = None;
        let events = self.events_logged - start;
        Some(EventCut {
            snapshot: captured.unwrap_or_else(|| self.snapshot()),
            event: event.min(events),
            events,
        })
    }

    /// When each IO in service (and each sleep) ends, by process, in time order: how much of a
    /// wait is left at any tick (the GUI counts it down).
    pub fn wake_times(&self) -> Vec<(Pid, Tick)> {
        // Timeouts and parked coroutines are not IO the process waits for.
        let mut times: Vec<(Tick, Pid)> = self
            .io_completions
            .iter()
            .filter(|Reverse((_, _, _, device))| {
                *device != sync::TIMEOUT_DEVICE
                    && *device != coroutines::COROUTINE_DEVICE
                    && *device != lifecycle::SIGNAL_DEVICE
            })
            .map(|Reverse((time, _, pid, _))| (*time, *pid))
            .collect();
        times.sort_unstable();
        times.into_iter().map(|(time, pid)| (pid, time)).collect()
    }

    /// The ready queue in order, one list per level, without building a whole snapshot.
    pub fn ready_queues(&self) -> Vec<Vec<Pid>> {
        self.policy.queues()
    }

    /// Stops logging, and makes [`Self::step`] stop early within an instant, past `max_events`
    /// events. [`Self::run_to_end`] and [`Self::advance_to`] set it themselves.
    pub fn set_event_limit(&mut self, max_events: usize) {
        self.event_limit = max_events;
    }

    /// Most zero-time steps the programs may run at one instant: the event limit, or
    /// [`MAX_ZERO_TIME_STEPS`] without one.
    fn zero_time_limit(&self) -> u64 {
        if self.event_limit == usize::MAX {
            MAX_ZERO_TIME_STEPS
        } else {
            self.event_limit as u64
        }
    }

    /// Whether the event limit (or the zero-time step limit) cut the last instant short.
    pub fn is_over_event_limit(&self) -> bool {
        self.events_logged > self.event_limit || self.zero_time_steps > self.zero_time_limit()
    }

    /// Events logged since the start of the run (those forgotten included).
    pub fn events_logged(&self) -> usize {
        self.events_logged
    }

    /// From now on the events go to `sink` as they happen (in batches of at most
    /// [`SINK_BATCH`], and all of an instant's by the end of its `step`) instead of staying in
    /// the log.
    pub fn set_sink(&mut self, sink: Box<dyn EventSink>) {
        self.sink = Some(sink);
        // What was logged before goes first.
        self.flush_to_sink();
    }

    /// The events in the log go to the sink, if there is one.
    pub(crate) fn flush_to_sink(&mut self) {
        if let Some(sink) = &mut self.sink {
            for timed in self.log.drain(..) {
                sink.event(&timed, &self.scenario, &self.roster);
            }
        }
    }

    /// The sink given to `set_sink`, back (`None` if there was none or it is not an `S`).
    pub fn take_sink<S: EventSink>(&mut self) -> Option<S> {
        let sink: Box<dyn std::any::Any> = self.sink.take()?;
        sink.downcast::<S>().ok().map(|sink| *sink)
    }

    /// Drops the events logged so far, once the caller has folded them (see
    /// `report::ReportFold`): a long run then needs memory for its state, not its history.
    /// [`Self::log`] holds only the events logged since.
    pub fn forget_log(&mut self) {
        self.log.clear();
    }

    /// Processes every instant up to and including `time`, then moves the clock to `time`.
    pub fn advance_to(&mut self, time: Tick, max_events: usize) -> Result<(), RunError> {
        self.event_limit = max_events;
        while self.next_instant().is_some_and(|next| next <= time) {
            self.check_time()?;
            self.step();
            self.check_limit(max_events)?;
        }
        if time > self.now {
            self.now = time;
            self.charge_running();
        }
        Ok(())
    }

    /// Runs until nothing is left to happen.
    pub fn run_to_end(&mut self, max_events: usize) -> Result<(), RunError> {
        self.event_limit = max_events;
        self.check_time()?;
        while self.step().is_some() {
            self.check_limit(max_events)?;
            self.check_time()?;
        }
        Ok(())
    }

    /// A run stops before an instant past [`MAX_TIME`], which no sum of scenario times within
    /// the validated limits can overflow from.
    pub fn check_time(&self) -> Result<(), RunError> {
        if self.zero_time_steps > self.zero_time_limit() {
            return Err(RunError::ZeroTimeLimit {
                limit: self.zero_time_limit(),
                time: self.now,
            });
        }
        match self.next_instant() {
            Some(next) if next.0 > MAX_TIME => Err(RunError::TimeLimit {
                limit: MAX_TIME,
                time: self.now,
            }),
            _ => Ok(()),
        }
    }

    fn check_limit(&self, max_events: usize) -> Result<(), RunError> {
        if self.events_logged > max_events {
            Err(RunError::EventLimit {
                limit: max_events,
                time: self.now,
            })
        } else {
            Ok(())
        }
    }
}

fn step_ticks(step: &Step) -> u64 {
    match *step {
        Step::Cpu { ticks } | Step::Bytecode { ticks } | Step::Io { ticks, .. } => ticks,
        _ => 0,
    }
}
