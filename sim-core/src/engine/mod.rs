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
//! 6. dispatch: idle CPUs (lowest number first) take the policy's choice, then the policy may
//!    preempt running processes.
//!
//! Processes whose quantum expired re-enter the ready queue after steps 4–5 (default) or before
//! step 3 (`rules.preempted_before_arrivals`, the OSTEP model). Cost grows with the number of events, never with
//! burst lengths: a process renewing its quantum alone is not woken at each renewal.

mod devices;
mod families;
mod lifecycle;
mod sync;

pub use sync::ABORTED_EXIT_CODE;

use crate::event::{Event, PreemptReason, TimedEvent, WakeReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::{BlockReason, Pcb, ProcState};
use crate::policy::{self, Deschedule, Policy, ProcTable, ReadyReason};
use crate::roster::Roster;
use crate::scenario::{DeviceId, Program, Scenario, Step};
use crate::snapshot::{CpuView, DeviceView, ProcessView, Snapshot};
use devices::{DeviceState, IoRequest};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
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
}

/// What one call to [`Simulator::step`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    pub time: Tick,
    /// The new events, as a range of [`Simulator::log`].
    pub events: Range<usize>,
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
    admitted: usize,
    /// Processes that exited (zombies and reaped).
    exited: usize,
    /// Processes that exist: admitted and not yet reaped (the `max_processes` count).
    existing: usize,
    /// Resources, events and queues.
    sync: sync::SyncState,
}

#[derive(Clone, Copy, Debug, Default)]
struct CpuSlot {
    occupant: Option<Occupant>,
    /// The last process dispatched here, to tell a context switch from a return.
    last_pid: Option<Pid>,
    /// A process whose quantum expired here at this instant; its fate is settled at dispatch.
    expired: Option<Pid>,
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

impl Simulator {
    pub fn new(scenario: Scenario) -> Simulator {
        let policy = policy::build(&scenario);
        let pcbs: Vec<Pcb> = scenario
            .processes
            .iter()
            .enumerate()
            .map(|(index, spec)| Pcb {
                remaining_ticks: spec.program.first().map_or(0, step_ticks),
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
        Simulator {
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
            admitted: 0,
            exited: 0,
            existing: 0,
            sync: sync::SyncState::new(&scenario),
            scenario,
        }
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
        // Timers matter only while some admitted process is unfinished.
        if self.admitted > self.exited
            && let Some(time) = self.policy.next_timer(self.now)
        {
            consider(time);
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
                    consider(pcb.state_since.plus(pcb.remaining_ticks));
                    if let Quantum::EndsAt(end) = quantum {
                        consider(end);
                    }
                }
                None => {}
            }
        }
        next
    }

    /// Processes the next instant. Returns `None` when nothing is left to happen.
    pub fn step(&mut self) -> Option<StepReport> {
        let time = self.next_instant()?;
        let first_event = self.log.len();
        self.process_instant(time);
        Some(StepReport {
            time,
            events: first_event..self.log.len(),
        })
    }

    /// Processes every instant up to and including `time`, then moves the clock to `time`.
    pub fn advance_to(&mut self, time: Tick, max_events: usize) -> Result<(), RunError> {
        while self.next_instant().is_some_and(|next| next <= time) {
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
        while self.step().is_some() {
            self.check_limit(max_events)?;
        }
        Ok(())
    }

    fn check_limit(&self, max_events: usize) -> Result<(), RunError> {
        if self.log.len() > max_events {
            Err(RunError::EventLimit {
                limit: max_events,
                time: self.now,
            })
        } else {
            Ok(())
        }
    }

    /// A plain-data view of the whole state at the current time.
    pub fn snapshot(&self) -> Snapshot {
        let processes = self
            .pcbs
            .iter()
            .map(|pcb| {
                ProcessView::of(
                    pcb,
                    &self.programs[pcb.pid.index()],
                    &self.scenario,
                    self.now,
                )
            })
            .collect();
        let cpus = self
            .cpus
            .iter()
            .enumerate()
            .map(|(index, slot)| CpuView {
                cpu: CpuId(index),
                running: match slot.occupant {
                    Some(Occupant {
                        pid,
                        phase: Phase::Executing { .. },
                    }) => Some(pid),
                    _ => None,
                },
                switching_to: match slot.occupant {
                    Some(Occupant {
                        pid,
                        phase: Phase::Switching { .. },
                    }) => Some(pid),
                    _ => None,
                },
            })
            .collect();
        let devices = self
            .devices
            .iter()
            .zip(&self.scenario.devices)
            .map(|(state, device)| DeviceView {
                name: device.name.clone(),
                in_service: state.in_service.clone(),
                waiting: state.waiting.iter().map(|request| request.pid).collect(),
            })
            .collect();
        Snapshot {
            time: self.now,
            processes,
            cpus,
            ready_queues: self.policy.queues(),
            devices,
            sync: self.sync_view(),
        }
    }

    // ----- one instant -----

    fn process_instant(&mut self, time: Tick) {
        let timer_due =
            self.admitted > self.exited && self.policy.next_timer(self.now) == Some(time);
        self.now = time;
        self.charge_running();
        self.start_switched_processes();
        let expired = self.end_slices();
        if self.scenario.rules.preempted_before_arrivals {
            self.requeue_expired(&expired);
        }
        if timer_due {
            self.fire_timer();
        }
        self.admit_arrivals();
        self.complete_io();
        if !self.scenario.rules.preempted_before_arrivals {
            self.requeue_expired(&expired);
        }
        self.dispatch();
    }

    /// Brings the counters of running processes up to `now`.
    fn charge_running(&mut self) {
        for index in 0..self.cpus.len() {
            if let Some(Occupant {
                pid,
                phase: Phase::Executing { .. },
            }) = self.cpus[index].occupant
            {
                self.charge(pid);
            }
        }
    }

    fn start_switched_processes(&mut self) {
        for index in 0..self.cpus.len() {
            if let Some(Occupant {
                pid,
                phase: Phase::Switching { until },
            }) = self.cpus[index].occupant
                && until == self.now
            {
                self.start_executing(pid, CpuId(index));
            }
        }
    }

    /// Step 2 of the instant: bursts that end and quanta that expire, CPU by CPU. Returns the
    /// processes whose quantum expired, in CPU order.
    fn end_slices(&mut self) -> Vec<Pid> {
        let mut expired = Vec::new();
        for index in 0..self.cpus.len() {
            let cpu = CpuId(index);
            let Some(Occupant {
                pid,
                phase: Phase::Executing { quantum },
            }) = self.cpus[index].occupant
            else {
                continue;
            };
            let quantum_over = match quantum {
                Quantum::Unlimited => false,
                Quantum::EndsAt(end) => end == self.now,
                Quantum::Periodic { anchor, ticks } => {
                    let into_quantum = self.now.since(anchor) % ticks;
                    // Leave periodic mode: someone may want the CPU at the next boundary.
                    self.set_quantum(cpu, Quantum::EndsAt(self.now.plus(ticks - into_quantum)));
                    into_quantum == 0
                }
            };
            if self.pcbs[pid.index()].remaining_ticks == 0 {
                self.pcbs[pid.index()].program_counter += 1;
                let quantum_left = self.quantum_left(cpu);
                self.continue_program(
                    pid,
                    Some((cpu, quantum_left, quantum_over)),
                    ReadyReason::Woken,
                );
            }
            let still_running = matches!(self.cpus[index].occupant, Some(o) if o.pid == pid);
            if still_running && quantum_over {
                self.set_state(pid, ProcState::Ready);
                self.cpus[index].occupant = None;
                self.cpus[index].expired = Some(pid);
                let procs = ProcTable {
                    pcbs: &self.pcbs,
                    now: self.now,
                };
                let events = self.policy.quantum_expired(pid, &procs);
                self.emit_all(events);
                self.refresh_level(pid);
                expired.push(pid);
            }
        }
        expired
    }

    /// Step 2b: the policy's own timer (the MLFQ boost).
    fn fire_timer(&mut self) {
        let running = self.executing();
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let outcome = self.policy.on_timer(&running, &procs);
        self.emit_all(outcome.events);
        for (cpu, pid) in running {
            if outcome.vacated.contains(&pid) {
                // The policy already queued it; it leaves the CPU.
                self.set_state(pid, ProcState::Ready);
                self.cpus[cpu.0].occupant = None;
                self.emit(Event::Preempt {
                    pid,
                    cpu,
                    reason: PreemptReason::Boost,
                });
            } else {
                // It keeps running with the quantum the timer gave it.
                let quantum = self.fresh_quantum(pid);
                self.set_quantum(cpu, quantum);
            }
        }
        for index in 0..self.pcbs.len() {
            self.refresh_level(Pid::from_index(index));
        }
    }

    fn requeue_expired(&mut self, expired: &[Pid]) {
        for &pid in expired {
            // Unless a kill ended it meanwhile.
            if self.pcbs[pid.index()].state == ProcState::Ready {
                self.enqueue(pid, ReadyReason::QuantumExpired);
            }
        }
    }

    fn admit_arrivals(&mut self) {
        while let Some(&pid) = self.arrival_order.get(self.next_arrival) {
            if self.pcbs[pid.index()].arrival != self.now {
                break;
            }
            self.next_arrival += 1;
            self.admitted += 1;
            self.existing += 1;
            self.pcbs[pid.index()].state_since = self.now;
            self.emit(Event::Admit { pid });
            self.continue_program(pid, None, ReadyReason::Admitted);
        }
    }

    fn complete_io(&mut self) {
        while let Some(&Reverse((time, _, pid, device))) = self.io_completions.peek() {
            if time != self.now {
                break;
            }
            self.io_completions.pop();
            self.io_sequence[pid.index()] = None;
            if device == sync::SLEEP_DEVICE {
                self.emit(Event::Wake {
                    pid,
                    reason: WakeReason::SleepOver,
                });
                self.pcbs[pid.index()].program_counter += 1;
                self.continue_program(pid, None, ReadyReason::Woken);
                continue;
            }
            if let Some(next) = self.devices[device].finish(pid) {
                self.start_io(next, device);
                self.emit(Event::IoStart {
                    pid: next.pid,
                    device: DeviceId(device),
                });
            }
            self.emit(Event::Wake {
                pid,
                reason: WakeReason::IoDone {
                    device: DeviceId(device),
                },
            });
            self.pcbs[pid.index()].program_counter += 1;
            self.continue_program(pid, None, ReadyReason::Woken);
        }
    }

    /// Step 5: idle CPUs take the policy's choice; then the policy may preempt.
    fn dispatch(&mut self) {
        loop {
            let idle = self.cpus.iter().position(|slot| slot.occupant.is_none());
            if idle.is_none() && !self.policy.may_preempt() {
                break;
            }
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let Some(candidate) = self.policy.select(&procs) else {
                break;
            };
            if let Some(index) = idle {
                self.policy.remove(candidate);
                self.place(candidate, CpuId(index));
                continue;
            }
            let running = self.executing();
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let Some((cpu, reason)) = self.policy.preemption(candidate, &running, &procs) else {
                break;
            };
            if let Some(victim) = self.cpus[cpu.0].occupant.map(|o| o.pid) {
                let quantum_left = self.quantum_left(cpu);
                self.set_state(victim, ProcState::Ready);
                self.cpus[cpu.0].occupant = None;
                self.emit(Event::Preempt {
                    pid: victim,
                    cpu,
                    reason,
                });
                let procs = ProcTable {
                    pcbs: &self.pcbs,
                    now: self.now,
                };
                let events =
                    self.policy
                        .descheduled(victim, quantum_left, Deschedule::Preempted, &procs);
                self.emit_all(events);
                self.enqueue(victim, ReadyReason::Preempted);
            }
            self.policy.remove(candidate);
            self.place(candidate, cpu);
        }
        // Expired processes that did not get their CPU back were preempted by the expiry.
        for index in 0..self.cpus.len() {
            if let Some(pid) = self.cpus[index].expired.take() {
                self.emit_expiry_preempt(pid, CpuId(index));
            }
        }
    }

    /// The executing (not switching) processes, in CPU order.
    fn executing(&self) -> Vec<(CpuId, Pid)> {
        self.cpus
            .iter()
            .enumerate()
            .filter_map(|(index, slot)| match slot.occupant {
                Some(Occupant {
                    pid,
                    phase: Phase::Executing { .. },
                }) => Some((CpuId(index), pid)),
                _ => None,
            })
            .collect()
    }

    /// Ticks left in the quantum of the process executing on `cpu` (`None`: no limit).
    fn quantum_left(&self, cpu: CpuId) -> Option<u64> {
        match self.cpus[cpu.0].occupant {
            Some(Occupant {
                phase: Phase::Executing { quantum },
                ..
            }) => match quantum {
                Quantum::Unlimited => None,
                Quantum::EndsAt(end) => Some(end.since(self.now)),
                Quantum::Periodic { anchor, ticks } => Some(ticks - self.now.since(anchor) % ticks),
            },
            _ => None,
        }
    }

    /// The quantum the policy grants `pid` from now.
    fn fresh_quantum(&self, pid: Pid) -> Quantum {
        match self.policy.quantum(pid) {
            Some(ticks) => Quantum::EndsAt(self.now.plus(ticks.max(1))),
            None => Quantum::Unlimited,
        }
    }

    /// Gives `cpu` to `pid`, which the policy has just removed from the ready queue.
    fn place(&mut self, pid: Pid, cpu: CpuId) {
        if self.cpus[cpu.0].expired == Some(pid) {
            // Its own quantum expired here and nobody else was chosen: it keeps the CPU.
            self.cpus[cpu.0].expired = None;
            self.set_state(pid, ProcState::Running { cpu });
            let level = self.policy.level(pid);
            self.emit(Event::QuantumRenewed { pid, cpu, level });
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let quantum = match self.policy.quantum(pid) {
                Some(ticks) if self.policy.renewal_is_stable(pid, &procs) => Quantum::Periodic {
                    anchor: self.now,
                    ticks: ticks.max(1),
                },
                Some(ticks) => Quantum::EndsAt(self.now.plus(ticks.max(1))),
                None => Quantum::Unlimited,
            };
            self.cpus[cpu.0].occupant = Some(Occupant {
                pid,
                phase: Phase::Executing { quantum },
            });
            return;
        }
        if let Some(other) = self.cpus.iter().position(|slot| slot.expired == Some(pid)) {
            self.cpus[other].expired = None;
            self.emit_expiry_preempt(pid, CpuId(other));
        }
        if let Some(previous) = self.cpus[cpu.0].expired.take() {
            self.emit_expiry_preempt(previous, cpu);
        }
        let switch_ticks = self.scenario.rules.context_switch_ticks;
        let last = self.cpus[cpu.0].last_pid.replace(pid);
        match last {
            Some(from) if from != pid && switch_ticks > 0 => {
                self.emit(Event::ContextSwitch {
                    cpu,
                    from,
                    to: pid,
                    ticks: switch_ticks,
                });
                self.cpus[cpu.0].occupant = Some(Occupant {
                    pid,
                    phase: Phase::Switching {
                        until: self.now.plus(switch_ticks),
                    },
                });
            }
            _ => self.start_executing(pid, cpu),
        }
    }

    fn emit_expiry_preempt(&mut self, pid: Pid, cpu: CpuId) {
        self.emit(Event::Preempt {
            pid,
            cpu,
            reason: PreemptReason::QuantumExpired,
        });
    }

    fn start_executing(&mut self, pid: Pid, cpu: CpuId) {
        self.set_state(pid, ProcState::Running { cpu });
        let pcb = &mut self.pcbs[pid.index()];
        pcb.first_run.get_or_insert(self.now);
        let quantum = self.fresh_quantum(pid);
        self.cpus[cpu.0].occupant = Some(Occupant {
            pid,
            phase: Phase::Executing { quantum },
        });
        let level = self.policy.level(pid);
        self.emit(Event::Dispatch { pid, cpu, level });
    }

    fn set_quantum(&mut self, cpu: CpuId, quantum: Quantum) {
        if let Some(occupant) = &mut self.cpus[cpu.0].occupant {
            occupant.phase = Phase::Executing { quantum };
        }
    }

    /// Carries out the program of `pid` from its program counter until it needs the CPU,
    /// blocks or ends, then does the same for the processes that this made go on (forked
    /// children, parents whose `wait` returned). `on_cpu` is the CPU `pid` holds, if any, with
    /// the quantum it had left and whether that quantum ran out at this very tick.
    fn continue_program(
        &mut self,
        pid: Pid,
        on_cpu: Option<(CpuId, Option<u64>, bool)>,
        why: ReadyReason,
    ) {
        self.run_program(pid, on_cpu, why);
        if self.running_pending {
            return;
        }
        self.running_pending = true;
        while let Some((next, why)) = self.pending.pop_front() {
            // A kill at this instant may have ended it already.
            if !self.pcbs[next.index()].state.has_exited() {
                self.run_program(next, None, why);
            }
        }
        self.running_pending = false;
    }

    /// Runs the zero-time steps (fork, wait, kill, exit) of `pid` and stops at the first step
    /// that takes time.
    fn run_program(
        &mut self,
        pid: Pid,
        on_cpu: Option<(CpuId, Option<u64>, bool)>,
        why: ReadyReason,
    ) {
        let index = pid.index();
        loop {
            let step = self.programs[index]
                .get(self.pcbs[index].program_counter)
                .cloned();
            let cpu = on_cpu.map(|(cpu, ..)| cpu);
            match step {
                Some(Step::Cpu { ticks }) => {
                    self.pcbs[index].remaining_ticks = ticks;
                    if cpu.is_none() {
                        self.set_state(pid, ProcState::Ready);
                        self.enqueue(pid, why);
                    }
                    return;
                }
                Some(Step::Io { device, ticks }) => {
                    self.pcbs[index].remaining_ticks = ticks;
                    self.block(pid, on_cpu, BlockReason::Io { device, ticks });
                    let request = IoRequest { pid, ticks };
                    if self.devices[device.0].has_free_server() {
                        self.start_io(request, device.0);
                    } else {
                        self.devices[device.0].waiting.push_back(request);
                    }
                    return;
                }
                Some(Step::Fork(child)) => self.fork(pid, &child),
                Some(Step::Wait(target)) => {
                    if let Some(child) = self.start_wait(pid, &target) {
                        self.pcbs[index].remaining_ticks = 0;
                        self.block(pid, on_cpu, BlockReason::Wait { child });
                        return;
                    }
                }
                Some(Step::Kill { child }) => self.kill_child(pid, &child),
                Some(Step::Acquire { resource, count }) => {
                    if !self.acquire(pid, on_cpu, resource, count) {
                        return;
                    }
                }
                Some(Step::Release { resource, count }) => self.release(pid, resource, count),
                Some(Step::WaitEvent(flag)) => {
                    if !self.wait_event(pid, on_cpu, flag) {
                        return;
                    }
                }
                Some(Step::SetEvent(flag)) => self.set_event(pid, flag),
                Some(Step::ClearEvent(flag)) => self.clear_event(pid, flag),
                Some(Step::Put(queue)) => {
                    if !self.put(pid, on_cpu, queue) {
                        return;
                    }
                }
                Some(Step::Get(queue)) => {
                    if !self.get(pid, on_cpu, queue) {
                        return;
                    }
                }
                Some(Step::Sleep { ticks }) => return self.sleep(pid, on_cpu, ticks),
                Some(Step::Exit { code }) => return self.exit(pid, code, on_cpu),
                None => return self.exit(pid, 0, on_cpu),
            }
            self.pcbs[index].program_counter += 1;
        }
    }

    /// `pid` leaves its CPU (if it has one) and blocks.
    fn block(&mut self, pid: Pid, on_cpu: Option<(CpuId, Option<u64>, bool)>, reason: BlockReason) {
        let cpu = on_cpu.map(|(cpu, ..)| cpu);
        if let Some(cpu) = cpu {
            self.cpus[cpu.0].occupant = None;
        }
        self.set_state(pid, ProcState::Blocked { reason });
        self.emit(Event::Block { pid, cpu, reason });
        if let Some((_, quantum_left, quantum_expired)) = on_cpu {
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let events = self.policy.descheduled(
                pid,
                quantum_left,
                Deschedule::Blocked { quantum_expired },
                &procs,
            );
            self.emit_all(events);
            self.refresh_level(pid);
        }
    }

    fn start_io(&mut self, request: IoRequest, device: usize) {
        self.devices[device].in_service.push(request.pid);
        let sequence = self.next_io_sequence;
        self.next_io_sequence += 1;
        self.io_sequence[request.pid.index()] = Some(sequence);
        self.io_completions.push(Reverse((
            self.now.plus(request.ticks),
            sequence,
            request.pid,
            device,
        )));
    }

    fn enqueue(&mut self, pid: Pid, why: ReadyReason) {
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let events = self.policy.enqueue(pid, why, &procs);
        self.emit_all(events);
        self.refresh_level(pid);
    }

    fn refresh_level(&mut self, pid: Pid) {
        self.pcbs[pid.index()].level = self.policy.level(pid);
    }

    /// Charges the time since the last state change to the counter of the current state.
    fn charge(&mut self, pid: Pid) {
        let now = self.now;
        let pcb = &mut self.pcbs[pid.index()];
        let elapsed = now.since(pcb.state_since);
        match pcb.state {
            ProcState::Ready => pcb.ready_ticks += elapsed,
            ProcState::Running { .. } => {
                pcb.cpu_ticks += elapsed;
                pcb.remaining_ticks = pcb.remaining_ticks.saturating_sub(elapsed);
            }
            ProcState::Blocked { .. } => pcb.blocked_ticks += elapsed,
            ProcState::New | ProcState::Zombie | ProcState::Terminated => {}
        }
        pcb.state_since = now;
    }

    fn set_state(&mut self, pid: Pid, state: ProcState) {
        self.charge(pid);
        self.pcbs[pid.index()].state = state;
    }

    fn emit(&mut self, event: Event) {
        self.roster.record(&event);
        self.log.push(TimedEvent {
            time: self.now,
            event,
        });
    }

    fn emit_all(&mut self, events: Vec<Event>) {
        for event in events {
            self.emit(event);
        }
    }
}

fn step_ticks(step: &Step) -> u64 {
    match *step {
        Step::Cpu { ticks } | Step::Io { ticks, .. } => ticks,
        _ => 0,
    }
}
