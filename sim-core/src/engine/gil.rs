//! CPython's global interpreter lock (docs/threads.md): in a process with a GIL only the
//! thread holding it may be ready or running. The others wait for it, FIFO, in a state of
//! their own, in the GIL's line of [`super::waits::Waits`]. The holder lets it go when it blocks or ends, or — when others wait — once it has
//! run `switch_interval` ticks of CPU since it took it (the forced switch), before it runs
//! any further step; it then queues behind the waiters.

pub(super) use super::waits::Resume;
use super::waits::{WaitOn, Waiter, Want};
use super::*;
use crate::scenario::{GilOptions, SwitchPoints};

/// One process's GIL; the threads waiting for it are in its line, `WaitOn::Gil(process)`.
#[derive(Clone, Debug)]
pub(super) struct Gil {
    /// CPython's switch interval, in ticks of CPU.
    pub interval: u64,
    pub switch_points: SwitchPoints,
    pub holder: Option<Pid>,
    /// The holder's CPU ticks when it took the GIL: its interval counts from there.
    pub taken_at_cpu: u64,
    /// The holder is between two switch points (in a `bytecode` step or the simple steps
    /// after it, under `switch_points: calls`): a forced drop that is due waits for the next.
    pub between_switch_points: bool,
}

impl Gil {
    pub fn new(options: GilOptions) -> Gil {
        Gil {
            interval: options.switch_interval,
            switch_points: options.switch_points,
            holder: None,
            taken_at_cpu: 0,
            between_switch_points: false,
        }
    }

    fn take(&mut self, holder: Pid, cpu_ticks: u64) {
        self.holder = Some(holder);
        self.taken_at_cpu = cpu_ticks;
        self.between_switch_points = false;
    }
}

/// Whether CPython ≥ 3.10 may switch the GIL before this step (an eval breaker check: a
/// call, a loop's back-edge, the end of the thread); the simple bytecodes are not.
pub(super) fn is_switch_point(step: Option<&Step>) -> bool {
    !matches!(
        step,
        Some(
            Step::Read(_)
                | Step::Write(_)
                | Step::Add(_)
                | Step::SetReg(_)
                | Step::Bytecode { .. }
                | Step::JumpUnless { .. }
                | Step::Jump { .. }
                | Step::RepeatStart { .. }
                | Step::IfSelected { .. }
        )
    )
}

impl Simulator {
    /// Whether `pid`, off any CPU, may carry out its program now: always without a GIL; with
    /// one, when it holds it or takes the free GIL. Otherwise it queues for the GIL.
    pub(super) fn gil_admits(&mut self, pid: Pid) -> bool {
        self.gil_admits_then(pid, Resume::Program)
    }

    /// As `gil_admits`, for a thread that goes on as `resume` says once it takes a GIL it
    /// queues for (its program, or the ready queue with the rest of its burst).
    pub(super) fn gil_admits_then(&mut self, pid: Pid, resume: Resume) -> bool {
        let process = self.pcbs[pid.index()].process;
        let cpu_ticks = self.pcbs[pid.index()].cpu_ticks;
        let Some(gil) = self.gils.get_mut(&process) else {
            return true;
        };
        match gil.holder {
            Some(holder) if holder == pid => true,
            None => {
                gil.take(pid, cpu_ticks);
                self.emit(Event::GilTake { pid, waited: false });
                true
            }
            Some(holder) => {
                self.set_state(pid, ProcState::GilWait);
                self.waits
                    .enter(pid, WaitOn::Gil(process), Want::Gil(resume));
                self.emit(Event::GilWait { pid, holder });
                false
            }
        }
    }

    /// `pid` blocks or ends: if it holds its process's GIL, the first waiter takes it.
    pub(super) fn gil_release(&mut self, pid: Pid) {
        let process = self.pcbs[pid.index()].process;
        if let Some(gil) = self.gils.get_mut(&process)
            && gil.holder == Some(pid)
        {
            gil.holder = None;
            gil.between_switch_points = false;
            self.gil_hand_over(process);
        }
    }

    /// The free GIL of `process` goes to its first waiter, which becomes ready.
    fn gil_hand_over(&mut self, process: Pid) {
        if !self.gils.contains_key(&process) {
            return;
        }
        let Some(Waiter {
            tid: next,
            want: Want::Gil(resume),
        }) = self.waits.pop_front(WaitOn::Gil(process))
        else {
            return;
        };
        let cpu_ticks = self.pcbs[next.index()].cpu_ticks;
        self.gils
            .get_mut(&process)
            .expect("checked above")
            .take(next, cpu_ticks);
        // Ready, then logged: a state taken as the event is logged (`step_to_event`) sees it.
        self.set_state(next, ProcState::Ready);
        self.emit(Event::GilTake {
            pid: next,
            waited: true,
        });
        match resume {
            Resume::ReadyQueue => self.enqueue(next, ReadyReason::Preempted),
            Resume::Program => {
                self.pending.push_back((next, ReadyReason::Woken));
                self.drain_pending();
            }
        }
    }

    /// Whether `pid` holds a GIL that others wait for, has run its switch interval and is at
    /// a switch point.
    pub(super) fn gil_switch_due(&self, pid: Pid) -> bool {
        let pcb = &self.pcbs[pid.index()];
        self.gils.get(&pcb.process).is_some_and(|gil| {
            gil.holder == Some(pid)
                && !self.between_switch_points(pid, gil)
                && !self.waits.is_empty(WaitOn::Gil(pcb.process))
                && pcb.cpu_ticks - gil.taken_at_cpu >= gil.interval
        })
    }

    /// Whether the GIL holder `pid` is between two switch points, under `switch_points:
    /// calls`: in a `bytecode` step, or in the simple steps after one.
    pub(super) fn between_switch_points(&self, pid: Pid, gil: &Gil) -> bool {
        let index = pid.index();
        gil.switch_points == SwitchPoints::Calls
            && (gil.between_switch_points
                || matches!(
                    self.programs[index].get(self.pcbs[index].program_counter),
                    Some(Step::Bytecode { .. })
                ))
    }

    /// `pid`'s `bytecode` step has ended: if it holds the GIL, a drop that is due waits for
    /// its next switch point.
    pub(super) fn gil_leave_bytecode(&mut self, pid: Pid) {
        let process = self.pcbs[pid.index()].process;
        if let Some(gil) = self.gils.get_mut(&process)
            && gil.holder == Some(pid)
            && gil.switch_points == SwitchPoints::Calls
        {
            gil.between_switch_points = true;
        }
    }

    /// Before the step `pid` runs next on `on_cpu`: when it is a switch point after a
    /// `bytecode` step, a forced drop that came due meanwhile is made there (returns true:
    /// the thread has left its CPU and runs the step once it has the GIL again).
    pub(super) fn gil_deferred_drop(&mut self, pid: Pid, on_cpu: Option<OnCpu>) -> bool {
        let index = pid.index();
        let process = self.pcbs[index].process;
        let Some(gil) = self.gils.get_mut(&process) else {
            return false;
        };
        if gil.holder != Some(pid) || !gil.between_switch_points {
            return false;
        }
        let step = self.programs[index].get(self.pcbs[index].program_counter);
        if !is_switch_point(step) {
            return false;
        }
        gil.between_switch_points = false;
        match on_cpu {
            Some(on) if self.gil_switch_due(pid) => {
                self.gil_drop_running(pid, on.cpu, Resume::Program);
                true
            }
            _ => false,
        }
    }

    /// When the thread executing as `pid` must drop its GIL, if others wait for it.
    pub(super) fn gil_deadline(&self, pid: Pid) -> Option<Tick> {
        let pcb = &self.pcbs[pid.index()];
        let gil = self.gils.get(&pcb.process)?;
        if gil.holder != Some(pid)
            || self.between_switch_points(pid, gil)
            || self.waits.is_empty(WaitOn::Gil(pcb.process))
        {
            return None;
        }
        let used = pcb.cpu_ticks - gil.taken_at_cpu;
        // The counters are exact as of `state_since`; a due switch is made within its instant.
        Some(
            pcb.state_since
                .plus(gil.interval.saturating_sub(used))
                .max(self.now.plus(1)),
        )
    }

    /// The forced switch of the thread executing on `cpu`: it leaves the CPU and queues for
    /// the GIL behind the waiters; the first of them takes it.
    pub(super) fn gil_drop_running(&mut self, pid: Pid, cpu: CpuId, resume: Resume) {
        let quantum_left = self.quantum_left(cpu);
        self.cpus[cpu.0].occupant = None;
        self.set_state(pid, ProcState::GilWait);
        self.emit(Event::GilDrop { pid, cpu });
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let events = self
            .policy
            .descheduled(pid, quantum_left, Deschedule::Preempted, &procs);
        self.emit_all(events);
        self.refresh_level(pid);
        self.gil_requeue_holder(pid, resume);
    }

    fn gil_requeue_holder(&mut self, pid: Pid, resume: Resume) {
        let process = self.pcbs[pid.index()].process;
        if let Some(gil) = self.gils.get_mut(&process) {
            gil.holder = None;
            gil.between_switch_points = false;
            self.waits
                .enter(pid, WaitOn::Gil(process), Want::Gil(resume));
        }
        self.gil_hand_over(process);
    }

    /// Before dispatch: holders that have used their interval while others now wait (a
    /// waiter came late, or the holder sat in the ready queue) let the GIL go.
    pub(super) fn gil_forced_switches(&mut self) {
        if self.gils.is_empty() {
            return;
        }
        self.flush_ready_batch();
        let due: Vec<Pid> = self
            .gils
            .values()
            .filter_map(|gil| gil.holder)
            .filter(|&holder| self.gil_switch_due(holder))
            .collect();
        for holder in due {
            match self.pcbs[holder.index()].state {
                ProcState::Running { cpu } => {
                    let resume = if self.pcbs[holder.index()].remaining_ticks == 0 {
                        self.step_done(holder);
                        Resume::Program
                    } else {
                        Resume::ReadyQueue
                    };
                    self.gil_drop_running(holder, cpu, resume);
                }
                ProcState::Ready if !self.is_switching_to(holder) => {
                    if let Some(cpu) = self.cpus.iter().position(|s| s.expired == Some(holder)) {
                        self.cpus[cpu].expired = None;
                        self.emit_expiry_preempt(holder, CpuId(cpu));
                    }
                    if !self.leave_ready_batch(holder) {
                        self.policy.remove(holder);
                    }
                    self.set_state(holder, ProcState::GilWait);
                    let process = self.pcbs[holder.index()].process;
                    let next = self
                        .waits
                        .at(WaitOn::Gil(process), 0)
                        .expect("others wait for the GIL")
                        .tid;
                    self.emit(Event::GilWait {
                        pid: holder,
                        holder: next,
                    });
                    self.gil_requeue_holder(holder, Resume::ReadyQueue);
                }
                _ => {}
            }
        }
    }

    fn is_switching_to(&self, pid: Pid) -> bool {
        self.cpus.iter().any(|slot| {
            matches!(slot.occupant, Some(Occupant { pid: p, phase: Phase::Switching { .. } }) if p == pid)
        })
    }

    /// `pid` leaves its GIL queue (its process is ending).
    pub(super) fn gil_forget(&mut self, pid: Pid) {
        let process = self.pcbs[pid.index()].process;
        if let Some(gil) = self.gils.get_mut(&process) {
            if gil.holder == Some(pid) {
                gil.holder = None;
                gil.between_switch_points = false;
            }
            self.waits.leave(pid);
        }
    }

    /// Nobody takes the GIL of `process` any more (it is exiting): its holder lets it go and
    /// its line empties.
    pub(super) fn gil_close(&mut self, process: Pid) {
        if let Some(gil) = self.gils.get_mut(&process) {
            gil.holder = None;
            gil.between_switch_points = false;
            self.waits.take_all(WaitOn::Gil(process));
        }
    }
}
