//! Signals a `signal` step sends to a child (docs/lifecycle.md, "Signals"): SIGSTOP stops
//! every thread of the process where it is — off its CPU, out of the ready queue, and a thread
//! that was blocked is held when its wait ends — until SIGCONT puts them back, each as it was
//! (the rest of its CPU burst, or its next step); SIGTERM is `kill`'s; SIGKILL and SIGUSR1
//! (with no handler) terminate it with −9 and −10. A handler (`on_signal`) for SIGUSR1,
//! SIGTERM or SIGCONT runs instead, in the process's main thread, as CPython runs Python
//! signal handlers: when that thread next carries out a step, it runs the handler's steps and
//! goes back to where it was.

use super::lifecycle::Locks;
use super::waits::{Resume, WaitOn, Waiter, Want};
use super::*;
use crate::event::ChildStep;
use crate::scenario::Signal;

/// Where a main thread was when a signal handler interrupted it.
#[derive(Clone, Debug)]
pub(super) struct HandlerFrame {
    program: Program,
    program_counter: usize,
    blocks: Vec<crate::pcb::Block>,
}

impl Simulator {
    /// `signal: {to: child, sig}` from the thread `sender`.
    pub(super) fn signal_child(&mut self, sender: Pid, child: &str, sig: Signal) {
        if sig == Signal::Term {
            // The same as `kill`: SIGTERM, after `rules.signal_delay`.
            return self.kill_child(sender, child);
        }
        let Some(victim) = self.living_child(sender, child, ChildStep::Signal) else {
            return;
        };
        let by = self.pcbs[sender.index()].process;
        self.emit(Event::SignalSent {
            pid: sender,
            to: victim,
            sig,
        });
        if self.handle_with_handler(victim, sig) && sig != Signal::Cont {
            return;
        }
        match sig {
            Signal::Stop => self.stop_process(victim),
            Signal::Cont => self.continue_process(victim),
            Signal::Kill | Signal::Usr1 | Signal::Term => {
                self.emit(Event::Kill { pid: victim, by });
                // SIGKILL gives the kernel's cleanup no chance to differ: what a killed
                // process held is released (its locks too, which Python's terminate keeps).
                let locks = match (sig, self.scenario.runtime) {
                    (Signal::Kill, _) | (_, crate::scenario::Runtime::Posix) => Locks::Release,
                    _ => Locks::Keep,
                };
                self.stopped.remove(&victim);
                self.terminate(victim, -sig.number(), locks);
                self.drain_pending();
            }
        }
    }

    /// `on_signal`: the process of `pid` handles `sig` with `handler` from now on.
    pub(super) fn install_handler(&mut self, pid: Pid, sig: Signal, handler: Program) {
        let process = self.pcbs[pid.index()].process;
        self.handlers.insert((process, sig), handler);
    }

    /// If `process` has a handler for `sig`, its main thread will run it (returns true).
    pub(super) fn handle_with_handler(&mut self, process: Pid, sig: Signal) -> bool {
        let Some(handler) = self.handlers.get(&(process, sig)).cloned() else {
            return false;
        };
        // Standard signals do not queue (signal(7)): one already pending absorbs this one,
        // so a process has at most one pending handler per signal.
        let pending = self.pending_handlers.entry(process).or_default();
        if !pending.iter().any(|(waiting, _)| *waiting == sig) {
            pending.push_back((sig, handler));
        }
        true
    }

    /// Before the main thread `pid` carries out its next step: if a handler waits for it, it
    /// runs the handler's steps now, from where it is (returns true: its program changed).
    pub(super) fn enter_handler(&mut self, pid: Pid) -> bool {
        let Some(queue) = self.pending_handlers.get_mut(&pid) else {
            return false;
        };
        let Some((sig, handler)) = queue.pop_front() else {
            return false;
        };
        if queue.is_empty() {
            self.pending_handlers.remove(&pid);
        }
        let index = pid.index();
        let pcb = &mut self.pcbs[index];
        let frame = HandlerFrame {
            program: self.programs[index].clone(),
            program_counter: pcb.program_counter,
            blocks: std::mem::take(&mut pcb.blocks),
        };
        pcb.program_counter = 0;
        self.handler_frames.entry(pid).or_default().push(frame);
        self.programs[index] = handler
            .iter()
            .cloned()
            .chain([Step::HandlerReturn])
            .collect();
        self.emit(Event::HandlerRun { pid, sig });
        true
    }

    /// `HandlerReturn`: the handler's steps are done; the thread goes back to where it was.
    pub(super) fn leave_handler(&mut self, pid: Pid) {
        let Some(frame) = self
            .handler_frames
            .get_mut(&pid)
            .and_then(|frames| frames.pop())
        else {
            return;
        };
        let index = pid.index();
        self.programs[index] = frame.program;
        let pcb = &mut self.pcbs[index];
        pcb.program_counter = frame.program_counter;
        pcb.blocks = frame.blocks;
    }

    /// Whether the process of thread `pid` is stopped (SIGSTOP, no SIGCONT yet).
    pub(super) fn is_stopped(&self, pid: Pid) -> bool {
        !self.stopped.is_empty() && self.stopped.contains(&self.pcbs[pid.index()].process)
    }

    /// SIGSTOP: every thread of `process` stops where it is.
    fn stop_process(&mut self, process: Pid) {
        if !self.stopped.insert(process) {
            return;
        }
        self.emit(Event::Stop { pid: process });
        for thread in self.threads_of(process) {
            match self.pcbs[thread.index()].state {
                ProcState::Running { cpu } => {
                    let quantum_left = self.quantum_left(cpu);
                    let resume = self.resume_of(thread);
                    self.hold_stopped(
                        thread,
                        resume,
                        Some(OnCpu {
                            cpu,
                            quantum_left,
                            quantum_expired: false,
                        }),
                    );
                }
                ProcState::Ready => {
                    self.detach(thread);
                    let resume = self.resume_of(thread);
                    self.hold_stopped(thread, resume, None);
                }
                ProcState::GilWait => {
                    self.detach(thread);
                    self.hold_stopped(thread, Resume::Program, None);
                }
                // A blocked thread stays in its wait; when the wait ends, `run_program` holds
                // it (`hold_stopped`) instead of going on.
                _ => {}
            }
        }
    }

    /// How a thread taken off its CPU or out of the ready queue goes on once continued: with
    /// the rest of its CPU burst, or from its next step.
    fn resume_of(&self, thread: Pid) -> Resume {
        let pcb = &self.pcbs[thread.index()];
        if pcb.remaining_ticks > 0 && !pcb.steps_pending {
            Resume::ReadyQueue
        } else {
            Resume::Program
        }
    }

    /// The thread `thread` of a stopped process waits, stopped, for SIGCONT.
    pub(super) fn hold_stopped(&mut self, thread: Pid, resume: Resume, on_cpu: Option<OnCpu>) {
        self.stopped_threads.insert(thread, resume);
        self.block_for(thread, on_cpu, BlockReason::Stopped, Want::Wake);
    }

    /// SIGCONT: the stopped threads of `process` go on, each as it was stopped.
    fn continue_process(&mut self, process: Pid) {
        if !self.stopped.remove(&process) {
            return;
        }
        self.emit(Event::Continue { pid: process });
        for Waiter { tid, .. } in self.waits.take_all(WaitOn::Stopped(process)) {
            let resume = self.stopped_threads.remove(&tid).unwrap_or(Resume::Program);
            self.emit(Event::Wake {
                pid: tid,
                reason: WakeReason::Continued,
            });
            self.set_state(tid, ProcState::Ready);
            match resume {
                Resume::Program => self.pending.push_back((tid, ReadyReason::Woken)),
                Resume::ReadyQueue => self.requeue_with_gil(tid),
            }
        }
        self.drain_pending();
    }

    /// A continued thread re-enters the ready queue with the rest of its burst — under a GIL,
    /// once it holds it.
    fn requeue_with_gil(&mut self, thread: Pid) {
        if self.gil_admits_then(thread, Resume::ReadyQueue) {
            self.enqueue(thread, ReadyReason::Woken);
        }
    }

    /// The process's threads that have not ended: its main thread, then its spawned ones.
    fn threads_of(&self, process: Pid) -> Vec<Pid> {
        std::iter::once(process)
            .chain(self.threads.spawned(process).iter().copied())
            .filter(|t| !self.pcbs[t.index()].state.has_exited())
            .collect()
    }

    /// The process's last child called `name` that has not exited; a failed step when there
    /// is none (a child of that name that has exited is left alone).
    pub(super) fn living_child(&mut self, sender: Pid, name: &str, step: ChildStep) -> Option<Pid> {
        let process = self.pcbs[sender.index()].process;
        let named: Vec<Pid> = self
            .families
            .children(process)
            .filter(|c| self.pcbs[c.index()].name == name)
            .collect();
        let living = named
            .iter()
            .copied()
            .find(|c| !self.pcbs[c.index()].state.has_exited());
        if living.is_none() && named.is_empty() {
            self.emit(Event::NoSuchChild {
                pid: sender,
                step,
                target: name.to_string(),
            });
        }
        living
    }

    /// A process that exits is no longer stopped.
    pub(super) fn forget_stopped(&mut self, process: Pid) {
        if self.stopped.remove(&process) || !self.stopped_threads.is_empty() {
            self.stopped_threads
                .retain(|&thread, _| self.pcbs[thread.index()].process != process);
        }
    }
}
