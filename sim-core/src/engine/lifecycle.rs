//! The Unix process lifecycle: fork, wait, kill, exit, zombies, orphans and reaping.
//!
//! Rules (docs/lifecycle.md): these steps take no time. An exited process is a zombie until
//! its parent reaps it with `wait`; init reaps its children at once, and so does a parent that
//! ignores SIGCHLD. A process that exits hands its children (living and zombie) to the nearest
//! living ancestor marked `subreaper`, else to init; before that, if its own program ended, it
//! terminates and reaps its daemon children, as Python's multiprocessing does at exit. A kill
//! ends a child with status -15 and no cleanup.

use super::OnCpu;
use super::gil::Gil;
use super::program::GoOn;
use super::{Occupant, Phase, Simulator};
use crate::event::{ChildStep, Event, WakeReason};
use crate::ids::{CpuId, Pid};
use crate::pcb::{BlockReason, Pcb, ProcState};
use crate::policy::{Deschedule, ProcTable, ReadyReason};
use crate::scenario::{ChildSpec, LifecycleOptions, Orphans, Runtime, WaitTarget};

/// What happens to the locks and semaphores of a process that ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Locks {
    /// They are given back (an exit; a kill under POSIX, whose kernel frees what it holds).
    Release,
    /// They stay held: Python's `terminate()` of a process holding a `multiprocessing.Lock`.
    Keep,
}

/// The exit status of a process ended by `kill` (or as a daemon): Python's `-SIGTERM`.
pub const KILLED_EXIT_CODE: i32 = -15;

/// The "device" of signals in flight (`rules.signal_delay`) in the engine's completion queue.
pub(super) const SIGNAL_DEVICE: usize = usize::MAX - 3;

impl Simulator {
    /// The thread `caller` forks a child as `spec` says, unless `max_processes` processes
    /// exist. The child is a child of the caller's process and copies only the calling thread
    /// (POSIX); it inherits the process's GIL setting.
    pub(super) fn fork(&mut self, caller: Pid, spec: &ChildSpec) {
        let parent = self.pcbs[caller.index()].process;
        if self.scenario.runtime == Runtime::Python && self.pcbs[parent.index()].options.daemon {
            self.emit(Event::ForkRefused {
                pid: caller,
                name: spec.name.clone(),
            });
            return;
        }
        let limit = self.scenario.max_processes;
        if self.existing >= limit {
            self.emit(Event::ForkFailed {
                pid: caller,
                name: spec.name.clone(),
                limit,
            });
            return;
        }
        let child = Pid::from_index(self.pcbs.len());
        let parent_pcb = &self.pcbs[caller.index()];
        let gil = self.pcbs[parent.index()].options.gil;
        let monkey_patch = self.pcbs[parent.index()].options.monkey_patch;
        // Without a program of its own, the child goes on after the fork, as Unix fork does:
        // in the same blocks, with the same register.
        let (program, program_counter, blocks) = match &spec.program {
            Some(program) => (program.clone(), 0, Vec::new()),
            None => (
                self.programs[caller.index()].clone(),
                parent_pcb.program_counter + 1,
                parent_pcb.blocks.clone(),
            ),
        };
        let pcb = Pcb {
            program_counter,
            blocks,
            // fork() returns 0 in the child (`result: reg`).
            register: if spec.result_in_register {
                0
            } else {
                parent_pcb.register
            },
            state_since: self.now,
            // fork keeps the parent's nice value unless the step gives one.
            nice: spec.nice.map_or(parent_pcb.nice, |nice| nice as i8),
            ..Pcb::new(
                child,
                parent,
                spec.name.clone(),
                spec.priority.unwrap_or(parent_pcb.priority),
                spec.tickets.unwrap_or(parent_pcb.tickets),
                LifecycleOptions {
                    gil,
                    monkey_patch,
                    ..spec.options
                },
                self.now,
            )
        };
        self.pcbs.push(pcb);
        if spec.result_in_register {
            // ... and the child's pid in the parent.
            self.pcbs[caller.index()].register = i64::from(child.0);
        }
        self.programs.push(program);
        self.families.push();
        self.threads.push(false);
        if let Some(interval) = gil {
            self.gils.insert(child, Gil::new(interval));
        }
        // The child gets a copy of its parent's globals; later writes are its own.
        if let Some(values) = self.globals.get(&parent).cloned() {
            self.globals.insert(child, values);
        }
        self.io_sequence.push(None);
        self.families.adopt(parent, child, false);
        self.admitted += 1;
        self.existing += 1;
        self.emit(Event::Fork {
            pid: parent,
            child,
            name: spec.name.clone(),
        });
        self.emit(Event::Admit { pid: child });
        self.pending.push_back((child, ReadyReason::Admitted));
    }

    /// The `wait` step of the thread `waiter`: reaps a zombie child of its process and returns
    /// `None` (go on), or returns the child to block for (`Some(None)`: any). A wait with no
    /// such child fails at once.
    pub(super) fn start_wait(&mut self, waiter: Pid, target: &WaitTarget) -> Option<Option<Pid>> {
        let parent = self.pcbs[waiter.index()].process;
        let state = |pid: Pid| self.pcbs[pid.index()].state;
        let (zombie, living) = match target {
            WaitTarget::Any => (
                self.families.first_zombie(parent),
                (self.families.living(parent) > 0).then_some(None),
            ),
            WaitTarget::Named(name) => {
                let named: Vec<Pid> = self
                    .families
                    .children(parent)
                    .filter(|c| self.pcbs[c.index()].name == *name)
                    .collect();
                (
                    named
                        .iter()
                        .copied()
                        .find(|&c| state(c) == ProcState::Zombie),
                    named
                        .iter()
                        .copied()
                        .find(|&c| !state(c).has_exited())
                        .map(Some),
                )
            }
        };
        if let Some(child) = zombie {
            self.reap(child, parent);
            return None;
        }
        if living.is_some() {
            return living;
        }
        self.emit(Event::NoSuchChild {
            pid: waiter,
            step: ChildStep::Wait,
            target: target.label().to_string(),
        });
        None
    }

    /// The `kill` step: `killer` terminates its first living child called `name`. Killing a
    /// zombie does nothing; killing a child it does not have fails at once.
    pub(super) fn kill_child(&mut self, killer: Pid, name: &str) {
        let process = self.pcbs[killer.index()].process;
        let Some(victim) = self.living_child(killer, name, ChildStep::Kill) else {
            return;
        };
        let delay = self.scenario.rules.signal_delay_ticks;
        if delay == 0 {
            return self.kill(victim, process);
        }
        // SIGTERM takes effect when the victim handles it: it lives until then.
        self.emit(Event::Signal {
            pid: killer,
            to: victim,
            delay,
        });
        let sequence = self.next_io_sequence;
        self.next_io_sequence += 1;
        self.signals.push((sequence, process));
        self.io_completions.push(std::cmp::Reverse((
            self.now.plus(delay),
            sequence,
            victim,
            SIGNAL_DEVICE,
        )));
    }

    /// The process of `pid` exits with `code` (the main thread's program ended, or a thread
    /// reached `exit`). `on_cpu` as in `continue_program`.
    pub(super) fn exit(&mut self, pid: Pid, code: i32, on_cpu: Option<OnCpu>) {
        let process = self.pcbs[pid.index()].process;
        if pid != process {
            // A thread's `exit` ends the whole process, every thread with it, wherever
            // they are (the caller is on its CPU, which `terminate` takes back).
            return self.terminate(process, code, Locks::Release);
        }
        self.end_spawned_threads(process, Locks::Release);
        self.terminate_daemons(pid);
        let cpu = on_cpu.map(|on| on.cpu);
        if let Some(cpu) = cpu {
            self.cpus[cpu.0].occupant = None;
        }
        self.become_zombie(pid, code, cpu, Locks::Release);
        if let Some(OnCpu { quantum_left, .. }) = on_cpu {
            self.exited_cpu(pid, quantum_left);
        }
        self.after_exit(pid);
    }

    /// A signal sent `delay` ticks ago arrives: its victim is terminated, unless it has exited
    /// meanwhile.
    pub(super) fn deliver_signal(&mut self, victim: Pid, sequence: u64) {
        let Some(at) = self.signals.iter().position(|(s, _)| *s == sequence) else {
            return;
        };
        let (_, by) = self.signals.remove(at);
        if !self.pcbs[victim.index()].state.has_exited() {
            self.kill(victim, by);
            // Those its end wakes (a parent waiting for it) go on now.
            self.drain_pending();
        }
    }

    /// `by` terminates `victim` wherever it is: on a CPU, in the ready queue, at a device or
    /// waiting for a child.
    /// Under `runtime: python` it is `terminate()`: the victim's locks stay held.
    fn kill(&mut self, victim: Pid, by: Pid) {
        // SIGTERM with a handler (`on_signal`): the handler runs instead.
        if self.handle_with_handler(victim, crate::scenario::Signal::Term) {
            return;
        }
        self.emit(Event::Kill { pid: victim, by });
        let locks = match self.scenario.runtime {
            Runtime::Posix => Locks::Release,
            Runtime::Python => Locks::Keep,
        };
        self.terminate(victim, KILLED_EXIT_CODE, locks);
    }

    /// Ends the process of `victim` at once with `code`, wherever its threads are.
    pub(super) fn terminate(&mut self, victim: Pid, code: i32, locks: Locks) {
        let victim = self.pcbs[victim.index()].process;
        self.end_spawned_threads(victim, locks);
        let on_cpu = self.detach(victim);
        self.become_zombie(victim, code, on_cpu.map(|(cpu, _)| cpu), locks);
        if let Some((_, quantum_left)) = on_cpu {
            self.exited_cpu(victim, quantum_left);
        }
        self.after_exit(victim);
    }

    /// Python's exit handler: terminate every living daemon child, then join (reap) them.
    fn terminate_daemons(&mut self, pid: Pid) {
        let daemons: Vec<Pid> = self
            .families
            .children(pid)
            .filter(|c| {
                let child = &self.pcbs[c.index()];
                child.options.daemon && !child.state.has_exited()
            })
            .collect();
        for &daemon in &daemons {
            self.kill(daemon, pid);
        }
        for daemon in daemons {
            if self.pcbs[daemon.index()].state == ProcState::Zombie {
                self.reap(daemon, pid);
            }
        }
    }

    /// Takes `pid` out of wherever it is. Returns the CPU it was executing on, with the
    /// quantum it had left.
    pub(super) fn detach(&mut self, pid: Pid) -> Option<(CpuId, Option<u64>)> {
        // A CPU switching to it, or on which its quantum has just expired, lets it go.
        for index in 0..self.cpus.len() {
            let slot = &mut self.cpus[index];
            if slot.expired == Some(pid) {
                slot.expired = None;
            }
            if let Some(Occupant {
                pid: occupant,
                phase: Phase::Switching { .. },
            }) = slot.occupant
                && occupant == pid
            {
                slot.occupant = None;
            }
        }
        match self.pcbs[pid.index()].state {
            ProcState::GilWait => {
                self.gil_forget(pid);
                None
            }
            ProcState::Running { cpu } => {
                let quantum_left = self.quantum_left(cpu);
                self.cpus[cpu.0].occupant = None;
                Some((cpu, quantum_left))
            }
            ProcState::Ready => {
                if !self.leave_ready_batch(pid) {
                    self.policy.remove(pid);
                }
                None
            }
            ProcState::Blocked { .. } => {
                // Out of its line (a device it was served by serves the next), and its
                // timer (IO, sleep or timeout) will not fire.
                self.leave_wait(pid);
                self.cancel_timeout(pid);
                None
            }
            ProcState::New | ProcState::Zombie | ProcState::Terminated => None,
        }
    }

    fn become_zombie(&mut self, pid: Pid, code: i32, cpu: Option<CpuId>, locks: Locks) {
        self.gils.remove(&pid);
        self.forget_stopped(pid);
        self.drop_event_loop(pid);
        self.set_state(pid, ProcState::Zombie);
        let pcb = &mut self.pcbs[pid.index()];
        pcb.completion = Some(self.now);
        pcb.exit_code = Some(code);
        pcb.remaining_ticks = 0;
        let parent = pcb.ppid;
        self.exited += 1;
        self.families.exited(parent, pid);
        self.emit(Event::Exit { pid, cpu, code });
        if locks == Locks::Release {
            self.release_all(pid, crate::event::ReleaseReason::Exit);
            // What its threads that ended before it still held (a lock is the process's until
            // it exits), thread by thread; those that were still going gave theirs back as
            // they ended with it.
            for thread in self.threads.spawned(pid).to_vec() {
                self.release_all(thread, crate::event::ReleaseReason::Exit);
            }
        }
    }

    /// Tells the policy that `pid` left its CPU for good.
    pub(super) fn exited_cpu(&mut self, pid: Pid, quantum_left: Option<u64>) {
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let events = self
            .policy
            .descheduled(pid, quantum_left, Deschedule::Exited, &procs);
        self.emit_all(events);
    }

    /// After `pid` became a zombie: its children are adopted, and its parent learns of it.
    /// As Linux's exit_notify: reparent first, then notify; parents in `wait` are served last,
    /// once every automatic reap is done.
    fn after_exit(&mut self, pid: Pid) {
        let orphans: Vec<Pid> = match self.scenario.rules.orphans {
            Orphans::Subtree => self.take_subtree(pid),
            Orphans::Reaper | Orphans::Parent => self.families.take(pid),
        };
        let mut adopter = None;
        if !orphans.is_empty() {
            let reaper = match self.scenario.rules.orphans {
                // Its parent is living: a process's children are handed on when it exits.
                Orphans::Parent => self.pcbs[pid.index()].ppid,
                Orphans::Reaper | Orphans::Subtree => self.reaper_for(pid),
            };
            for &orphan in &orphans {
                let from = self.pcbs[orphan.index()].ppid;
                self.pcbs[orphan.index()].ppid = reaper;
                self.emit(Event::Reparent {
                    pid: orphan,
                    from,
                    to: reaper,
                });
                let zombie = self.pcbs[orphan.index()].state == ProcState::Zombie;
                self.families.adopt(reaper, orphan, zombie);
            }
            for &orphan in &orphans {
                if self.pcbs[orphan.index()].state == ProcState::Zombie
                    && self.reaps_at_once(reaper)
                {
                    self.reap(orphan, reaper);
                }
            }
            adopter = Some(reaper).filter(|&reaper| reaper != Pid::INIT);
        }
        let parent = self.pcbs[pid.index()].ppid;
        if self.reaps_at_once(parent) {
            self.reap(pid, parent);
        }
        if let Some(adopter) = adopter {
            self.serve_waiting_parent(adopter);
        }
        if parent != Pid::INIT {
            self.serve_waiting_parent(parent);
        }
        self.hang_up_stopped_orphans(&orphans);
    }

    /// POSIX: a process group that becomes orphaned with a stopped member gets SIGHUP, then
    /// SIGCONT — so an orphan left stopped ends (SIGHUP's default, status −1) instead of
    /// waiting for a SIGCONT nobody can send.
    fn hang_up_stopped_orphans(&mut self, orphans: &[Pid]) {
        if self.stopped.is_empty() {
            return;
        }
        for &orphan in orphans {
            if self.stopped.remove(&orphan) {
                self.emit(Event::HangUp { pid: orphan });
                self.terminate(orphan, -1, Locks::Release);
            }
        }
    }

    /// Python's exit handler (`multiprocessing.util._exit_function`) for `process`: every
    /// child that has exited is reaped (`active_children()` polls them all), its daemonic
    /// children still alive are terminated (and reaped), and then it joins the others,
    /// reaping each as it exits. Returns whether none is left alive.
    pub(super) fn python_join_children(&mut self, process: Pid) -> bool {
        self.terminate_daemons(process);
        let children: Vec<Pid> = self.families.children(process).collect();
        let mut living = 0;
        for child in children {
            match self.pcbs[child.index()].state {
                ProcState::Zombie => self.reap(child, process),
                ProcState::Terminated => {}
                _ => living += 1,
            }
        }
        living == 0
    }

    /// Whether `parent` reaps its children the moment they exit (init, or SIGCHLD ignored).
    fn reaps_at_once(&self, parent: Pid) -> bool {
        parent == Pid::INIT || self.pcbs[parent.index()].options.ignore_sigchld
    }

    /// Every descendant of `pid`, in preorder, each taken out of its parent's family
    /// (`rules.orphans: subtree`, which flattens the subtree under the reaper).
    fn take_subtree(&mut self, pid: Pid) -> Vec<Pid> {
        let mut descendants = Vec::new();
        let mut stack: Vec<Pid> = self.families.take(pid).into_iter().rev().collect();
        while let Some(next) = stack.pop() {
            descendants.push(next);
            stack.extend(self.families.take(next).into_iter().rev());
        }
        descendants
    }

    /// The nearest living ancestor of `pid` marked `subreaper`, else init.
    fn reaper_for(&self, pid: Pid) -> Pid {
        let mut ancestor = self.pcbs[pid.index()].ppid;
        while ancestor != Pid::INIT {
            let pcb = &self.pcbs[ancestor.index()];
            if pcb.options.subreaper && !pcb.state.has_exited() {
                return ancestor;
            }
            ancestor = pcb.ppid;
        }
        Pid::INIT
    }

    /// The threads of `parent` blocked in `wait` whose wait is over reap and go on, in tid
    /// order.
    fn serve_waiting_parent(&mut self, parent: Pid) {
        if self.threads.spawned(parent).is_empty() {
            return self.serve_waiting_thread(parent, parent);
        }
        for thread in self.tasks_of(parent) {
            self.serve_waiting_thread(parent, thread);
        }
    }

    /// If the thread `waiter` of `parent` is blocked in `wait` and what it waits for has
    /// happened, it reaps and goes on.
    fn serve_waiting_thread(&mut self, parent: Pid, waiter: Pid) {
        if let ProcState::Blocked {
            reason: BlockReason::JoinPool { pool },
        } = self.pcbs[waiter.index()].state
        {
            if self.pool_joined(pool) {
                self.wake(waiter, WakeReason::PoolJoined { pool }, GoOn::PastStep);
            }
            return;
        }
        if self.pcbs[waiter.index()].state
            == (ProcState::Blocked {
                reason: BlockReason::JoinChildren,
            })
        {
            if self.python_join_children(parent) {
                // Its program goes on (to its end, and the exit) once the current action is done.
                self.wake(waiter, WakeReason::ChildrenJoined, GoOn::AtStep);
            }
            return;
        }
        let ProcState::Blocked {
            reason: BlockReason::Wait { child: target },
        } = self.pcbs[waiter.index()].state
        else {
            return;
        };
        let reason = match target {
            Some(child) => match self.pcbs[child.index()].state {
                ProcState::Zombie => Some(WakeReason::ChildReaped { child }),
                ProcState::Terminated => Some(WakeReason::NoChildLeft),
                _ => None,
            },
            None => match self.families.first_zombie(parent) {
                Some(child) => Some(WakeReason::ChildReaped { child }),
                None if self.families.living(parent) == 0 => Some(WakeReason::NoChildLeft),
                None => None,
            },
        };
        let Some(reason) = reason else {
            return;
        };
        if let WakeReason::ChildReaped { child } = reason {
            self.reap(child, parent);
        }
        self.wake(waiter, reason, GoOn::PastStep);
    }

    /// `by` collects the exit status of its zombie child `pid`, whose PCB is freed.
    pub(super) fn reap(&mut self, pid: Pid, by: Pid) {
        self.set_state(pid, ProcState::Terminated);
        let pcb = &mut self.pcbs[pid.index()];
        pcb.reaped_at = Some(self.now);
        pcb.reaped_by = Some(by);
        let code = pcb.exit_code.unwrap_or(0);
        self.families.reaped(by, pid);
        self.existing -= 1;
        self.emit(Event::Reap { pid, by, code });
    }
}
