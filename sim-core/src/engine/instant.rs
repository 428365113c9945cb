//! One instant of the engine, in the documented same-tick order (docs/policies.md): context
//! switches that end, the ends of running slices, arrivals, IO completions, then dispatch and
//! preemption.

use super::*;
use crate::event::Choice;
use crate::prefetch::{prefetch, prefetch_slice};

impl Simulator {
    pub(super) fn process_instant(&mut self, time: Tick) {
        let timer_due =
            self.admitted > self.exited && self.policy.next_timer(self.now) == Some(time);
        self.now = time;
        self.zero_time_steps = 0;
        self.charge_running();
        self.start_switched_processes();
        let expired = self.end_slices();
        // A job that finishes at its deadline meets it: the slices end first.
        self.miss_deadlines();
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
        self.gil_forced_switches();
        self.dispatch();
        // An IO of 0 ticks issued as CPUs were filled completes at this same instant; those it
        // wakes may take a CPU at once.
        while self.io_completion_due() && !self.is_over_event_limit() {
            self.complete_io();
            self.dispatch();
        }
        self.expired_scratch = expired;
    }

    /// Brings the counters of running processes up to `now`.
    pub(super) fn charge_running(&mut self) {
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

    pub(super) fn start_switched_processes(&mut self) {
        for index in 0..self.cpus.len() {
            if let Some(Occupant {
                pid,
                phase: Phase::Switching { until },
            }) = self.cpus[index].occupant
                && until == self.now
            {
                let why = self.cpus[index].why.take();
                self.start_executing(pid, CpuId(index), why);
            }
        }
    }

    /// Step 2 of the instant: bursts that end and quanta that expire, CPU by CPU. Returns the
    /// processes whose quantum expired, in CPU order.
    pub(super) fn end_slices(&mut self) -> Vec<Pid> {
        // A buffer kept between instants (see `process_instant`): no allocation per instant.
        let mut expired = std::mem::take(&mut self.expired_scratch);
        expired.clear();
        for index in 0..self.cpus.len() {
            let cpu = CpuId(index);
            let Some(Occupant {
                pid,
                phase: Phase::Executing { quantum },
            }) = self.cpus[index].occupant
            else {
                continue;
            };
            if self.gil_switch_due(pid) {
                // CPython's forced switch comes before anything else the thread would do.
                let resume = if self.pcbs[pid.index()].remaining_ticks == 0 {
                    self.step_done(pid);
                    gil::Resume::Program
                } else {
                    gil::Resume::ReadyQueue
                };
                self.gil_drop_running(pid, cpu, resume);
                continue;
            }
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
                self.step_done(pid);
                let quantum_left = self.quantum_left(cpu);
                self.continue_program(
                    pid,
                    Some(OnCpu {
                        cpu,
                        quantum_left,
                        quantum_expired: quantum_over,
                    }),
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

    /// Step 2b: the policy's own timer (the MLFQ boost, priority's aging in time).
    pub(super) fn fire_timer(&mut self) {
        self.flush_ready_batch();
        let mut running = std::mem::take(&mut self.running_scratch);
        self.executing_into(&mut running);
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let outcome = self.policy.on_timer(&running, &procs);
        self.emit_all(outcome.event);
        for &(cpu, pid) in &running {
            if outcome.vacated.contains(&pid) {
                // The policy already queued it; it leaves the CPU.
                self.set_state(pid, ProcState::Ready);
                self.cpus[cpu.0].occupant = None;
                self.emit(Event::Preempt {
                    pid,
                    cpu,
                    reason: outcome.reason.unwrap_or(PreemptReason::Boost),
                });
            } else if outcome.fresh_quanta {
                // It keeps running with the quantum the timer gave it.
                let quantum = self.fresh_quantum(pid);
                self.set_quantum(cpu, quantum);
            }
        }
        // Levels are not copied into every PCB here: the policy settles them lazily, and
        // views ask it (`snapshot_at`); an exiting process's PCB gets its level then.
        self.running_scratch = running;
    }

    pub(super) fn requeue_expired(&mut self, expired: &[Pid]) {
        for &pid in expired {
            // Unless a kill ended it meanwhile.
            if self.pcbs[pid.index()].state == ProcState::Ready {
                self.enqueue(pid, ReadyReason::QuantumExpired);
            }
        }
    }

    pub(super) fn admit_arrivals(&mut self) {
        while let Some(&pid) = self.arrival_order.get(self.next_arrival) {
            if self.pcbs[pid.index()].arrival != self.now {
                break;
            }
            self.next_arrival += 1;
            self.admitted += 1;
            self.existing += 1;
            self.pcbs[pid.index()].state_since = self.now;
            self.emit(Event::Admit { pid });
            self.job_released(pid);
            self.continue_program(pid, None, ReadyReason::Admitted);
        }
        // The next arrival's PCB and first steps, untouched since the run began: fetched
        // while the run goes on to its instant.
        if let Some(&next) = self.arrival_order.get(self.next_arrival) {
            let pcb = &self.pcbs[next.index()];
            prefetch(pcb);
            prefetch(&pcb.ready_ticks);
            let program = &self.programs[next.index()];
            prefetch_slice(&program[..program.len().min(2)]);
        }
    }

    /// Whether an IO (or a timer of the IO heap) completes at this instant.
    fn io_completion_due(&self) -> bool {
        self.io_completions
            .peek()
            .is_some_and(|&Reverse((time, ..))| time == self.now)
    }

    pub(super) fn complete_io(&mut self) {
        while let Some(&Reverse((time, sequence, pid, device))) = self.io_completions.peek() {
            if time != self.now {
                break;
            }
            self.io_completions.pop();
            if device == coroutines::COROUTINE_DEVICE {
                self.unpark_coroutine(pid, sequence);
                continue;
            }
            if device == lifecycle::SIGNAL_DEVICE {
                self.deliver_signal(pid, sequence);
                continue;
            }
            self.io_sequence[pid.index()] = None;
            if device == sync::TIMEOUT_DEVICE {
                self.time_out(pid);
                continue;
            }
            if device == sync::SLEEP_DEVICE {
                self.emit(Event::Wake {
                    pid,
                    reason: WakeReason::SleepOver,
                });
                self.pcbs[pid.index()].program_counter += 1;
                self.continue_program(pid, None, ReadyReason::Woken);
                continue;
            }
            self.leave_wait(pid);
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
    pub(super) fn dispatch(&mut self) {
        // Idle CPUs, lowest number first (or in the policy's order), each take the policy's
        // choice for it (the same choice for every CPU but with per-CPU queues or affinity).
        // A thread that runs its steps that take no time as it is dispatched may block or end
        // at once and leave its CPU idle again: the CPUs are gone over again until none takes
        // anybody.
        let order = self.policy.dispatch_order(self.now, self.cpus.len());
        let order = self.cpu_order(order);
        let mut dispatched = false;
        loop {
            let mut placed = false;
            for position in 0..self.cpus.len() {
                let index = order.as_ref().map_or(position, |order| order[position]);
                if self.cpus[index].occupant.is_some() {
                    continue;
                }
                // What became ready meanwhile (under `same_instant: shuffled`) is queued now.
                self.flush_ready_batch();
                let procs = ProcTable {
                    pcbs: &self.pcbs,
                    now: self.now,
                };
                if let Some(candidate) = self.policy.select_for(CpuId(index), &procs) {
                    let why = self.policy.why(candidate, &procs);
                    self.policy.remove(candidate);
                    self.place(candidate, CpuId(index), why);
                    placed = true;
                }
            }
            dispatched |= placed;
            if !placed || self.is_over_event_limit() {
                break;
            }
        }
        if dispatched && let Some(next) = self.policy.upcoming() {
            // The next dispatch's PCB (both hot lines) and program, fetched while this instant
            // goes on: with 100,000 processes they are cold memory.
            let pcb = &self.pcbs[next.index()];
            prefetch(pcb);
            prefetch(&pcb.ready_ticks);
            prefetch(&self.programs[next.index()]);
        }
        loop {
            self.flush_ready_batch();
            if !self.policy.may_preempt() {
                break;
            }
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let Some(candidate) = self.policy.select(&procs) else {
                break;
            };
            if let Some(index) = self.cpus.iter().position(|slot| slot.occupant.is_none()) {
                // A CPU freed by the placements above (a process that exits at once).
                let why = self.policy.why(candidate, &procs);
                self.policy.remove(candidate);
                self.place(candidate, CpuId(index), why);
                continue;
            }
            let mut running = std::mem::take(&mut self.running_scratch);
            self.executing_into(&mut running);
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let preemption = self.policy.preemption(candidate, &running, &procs);
            self.running_scratch = running;
            let Some((cpu, reason)) = preemption else {
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
                // Taken by another queue of a multilevel queue: it keeps its place there.
                let why = match reason {
                    PreemptReason::HigherQueue { .. } | PreemptReason::QueueTurn => {
                        ReadyReason::Displaced
                    }
                    _ => ReadyReason::Preempted,
                };
                self.enqueue(victim, why);
            }
            // Why, among those waiting now: the process it preempted among them.
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let why = self.policy.why(candidate, &procs);
            self.policy.remove(candidate);
            self.place(candidate, cpu, why);
        }
        // Expired processes that did not get their CPU back were preempted by the expiry.
        for index in 0..self.cpus.len() {
            if let Some(pid) = self.cpus[index].expired.take() {
                self.emit_expiry_preempt(pid, CpuId(index));
            }
        }
        self.flush_ready_batch();
        self.settle_renewals();
    }

    /// Processes whose quanta expired together on several CPUs were each renewed while the
    /// others still waited in the ready queue. Once every CPU is served and nobody waits, the
    /// same renewals repeat at every expiry until something else happens, so (for a policy
    /// whose renewals commute) the engine skips them as it does for a lone process: several
    /// CPUs log no more renewals than one.
    fn settle_renewals(&mut self) {
        // Taken for the loop below and put back emptied: its buffer lasts the whole run.
        let mut renewed = std::mem::take(&mut self.renewed_this_instant);
        let nobody_waits = self.policy.nobody_ready();
        // Debug builds (the test suite) check the shortcut against the queues themselves: at
        // every instant of a short run, then at one in 256 (copying the queues allocates, and
        // the allocation test counts allocations in the steady state of a long one).
        self.instants += 1;
        if cfg!(debug_assertions) && (self.instants <= 64 || self.instants.is_multiple_of(256)) {
            assert_eq!(nobody_waits, self.policy.queues().iter().all(Vec::is_empty));
        }
        if self.policy.renewals_commute() && nobody_waits {
            self.settle(&renewed);
        }
        renewed.clear();
        self.renewed_this_instant = renewed;
    }

    /// Puts the quanta renewed on `renewed` CPUs in periodic mode.
    fn settle(&mut self, renewed: &[CpuId]) {
        for &cpu in renewed {
            if let Some(Occupant {
                phase:
                    Phase::Executing {
                        quantum: Quantum::EndsAt(end),
                    },
                ..
            }) = self.cpus[cpu.0].occupant
                && end > self.now
            {
                self.set_quantum(
                    cpu,
                    Quantum::Periodic {
                        anchor: self.now,
                        ticks: end.since(self.now),
                    },
                );
            }
        }
    }

    /// The executing (not switching) processes, in CPU order, into `running` (a buffer the
    /// caller keeps between instants).
    pub(super) fn executing_into(&self, running: &mut Vec<(CpuId, Pid)>) {
        running.clear();
        running.extend(self.cpus.iter().enumerate().filter_map(
            |(index, slot)| match slot.occupant {
                Some(Occupant {
                    pid,
                    phase: Phase::Executing { .. },
                }) => Some((CpuId(index), pid)),
                _ => None,
            },
        ));
    }

    /// Ticks left in the quantum of the process executing on `cpu` (`None`: no limit).
    pub(super) fn quantum_left(&self, cpu: CpuId) -> Option<u64> {
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
    pub(super) fn fresh_quantum(&self, pid: Pid) -> Quantum {
        match self.policy.quantum(pid) {
            Some(ticks) => Quantum::EndsAt(self.now.plus(self.slice_left(ticks.max(1)))),
            None => Quantum::Unlimited,
        }
    }

    /// Ticks from now to the end of a quantum of `ticks`: all of it, or with global slices
    /// (`scheduler.slices: global`) to the next multiple of it, as every CPU's slice ends then.
    pub(super) fn slice_left(&self, ticks: u64) -> u64 {
        if self.scenario.rules.scheduler.global_slices {
            ticks - self.now.0 % ticks
        } else {
            ticks
        }
    }

    /// Gives `cpu` to `pid`, which the policy has just removed from the ready queue, having
    /// chosen it for the reason `why`.
    pub(super) fn place(&mut self, pid: Pid, cpu: CpuId, why: Choice) {
        let rules = self.scenario.rules;
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        self.policy.dispatched(pid, &procs);
        if self.cpus[cpu.0].expired == Some(pid) && !rules.switch_on_redispatch {
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
                    // On the grid of the slices when they are global.
                    anchor: Tick(self.now.plus(self.slice_left(ticks.max(1))).0 - ticks.max(1)),
                    ticks: ticks.max(1),
                },
                Some(ticks) => {
                    self.renewed_this_instant.push(cpu);
                    Quantum::EndsAt(self.now.plus(self.slice_left(ticks.max(1))))
                }
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
        let last = self.cpus[cpu.0].last_pid.replace(pid);
        let switch_ticks = match last {
            Some(from)
                if from == pid && !self.threads.has_threads(self.pcbs[pid.index()].process) =>
            {
                rules.context_switch_ticks
            }
            Some(from) if self.pcbs[from.index()].process == self.pcbs[pid.index()].process => {
                rules.thread_switch_ticks
            }
            _ => rules.context_switch_ticks,
        };
        let switches = match last {
            Some(from) => from != pid || rules.switch_on_redispatch,
            None => rules.first_dispatch_cost,
        };
        match last {
            _ if switches && switch_ticks > 0 => {
                self.emit(Event::ContextSwitch {
                    cpu,
                    from: last,
                    to: pid,
                    ticks: switch_ticks,
                });
                self.cpus[cpu.0].occupant = Some(Occupant {
                    pid,
                    phase: Phase::Switching {
                        until: self.now.plus(switch_ticks),
                    },
                });
                self.cpus[cpu.0].why = Some(why);
            }
            _ => self.start_executing(pid, cpu, Some(why)),
        }
    }

    pub(super) fn emit_expiry_preempt(&mut self, pid: Pid, cpu: CpuId) {
        self.emit(Event::Preempt {
            pid,
            cpu,
            reason: PreemptReason::QuantumExpired,
        });
    }

    pub(super) fn start_executing(&mut self, pid: Pid, cpu: CpuId, why: Option<Choice>) {
        // Its step and the next are read when its burst ends: fetched now, they wait in the
        // cache (a step may straddle two lines).
        let pc = self.pcbs[pid.index()].program_counter;
        let program = &self.programs[pid.index()];
        let upcoming_steps = program.get(pc..).unwrap_or_default();
        prefetch_slice(&upcoming_steps[..upcoming_steps.len().min(2)]);
        if upcoming_steps.len() <= 1 {
            // Its last step: the exit looks up its children and writes its exit status.
            self.families.prefetch(pid);
            prefetch(&self.pcbs[pid.index()].completion);
        }
        if let Some(caches) = &mut self.caches {
            caches.dispatched(cpu, pid);
        }
        self.set_state(pid, ProcState::Running { cpu });
        let quantum = self.fresh_quantum(pid);
        self.cpus[cpu.0].occupant = Some(Occupant {
            pid,
            phase: Phase::Executing { quantum },
        });
        let level = self.policy.level(pid);
        let why = why.unwrap_or(Choice::first_in_line(None));
        self.emit(Event::Dispatch {
            pid,
            cpu,
            level,
            why,
        });
        // The steps that take no time it stopped at run now that it has a CPU; it may block
        // or end at once, and the CPU is free again.
        if std::mem::take(&mut self.pcbs[pid.index()].steps_pending) {
            let quantum_left = self.quantum_left(cpu);
            self.continue_program(
                pid,
                Some(OnCpu {
                    cpu,
                    quantum_left,
                    quantum_expired: false,
                }),
                ReadyReason::Woken,
            );
        }
    }

    pub(super) fn set_quantum(&mut self, cpu: CpuId, quantum: Quantum) {
        if let Some(occupant) = &mut self.cpus[cpu.0].occupant {
            occupant.phase = Phase::Executing { quantum };
        }
    }
}
