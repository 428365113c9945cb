//! Threads inside processes (docs/threads.md): 1:1 kernel threads, as Linux has them. Every
//! thread is a task the policy schedules, with its own tid drawn from the pid space; the
//! process is its main thread's pid. A process ends when its main thread's program has ended
//! and every non-daemon thread has ended (CPython joins them at exit); its daemon threads end
//! with it. An `exit` step in any thread, or a kill, ends every thread at once.

use super::program::GoOn;
use super::*;
use crate::event::{JoinFailure, SpawnLimit};
use crate::scenario::ThreadSpec;

/// What the engine knows of each task beyond its PCB, in pid order.
#[derive(Clone, Debug, Default)]
pub(super) struct Threads {
    info: Vec<ThreadInfo>,
    /// Whether any thread was spawned in the run: until then, no process waits for threads
    /// at its end, and an ending program need not look (a cache miss at every exit).
    any_spawned: bool,
}

#[derive(Clone, Debug, Default)]
struct ThreadInfo {
    daemon: bool,
    /// A `join` of it has returned.
    joined: bool,
    /// A process's main thread only: the threads it spawned, in creation order.
    spawned: Vec<Pid>,
    /// A process's main thread only: its spawned non-daemon threads that have not ended.
    running_non_daemon: usize,
}

impl Threads {
    pub fn new(processes: usize) -> Threads {
        Threads {
            info: vec![ThreadInfo::default(); processes],
            any_spawned: false,
        }
    }

    /// Whether `process` has spawned non-daemon threads that have not ended.
    fn waits_for_threads(&self, process: Pid) -> bool {
        self.any_spawned && self.info[process.index()].running_non_daemon > 0
    }

    /// Makes room for a new task: a forked process or a spawned thread.
    pub fn push(&mut self, daemon: bool) {
        self.info.push(ThreadInfo {
            daemon,
            ..ThreadInfo::default()
        });
    }

    /// Whether `process` has ever spawned a thread.
    pub fn has_threads(&self, process: Pid) -> bool {
        !self.spawned(process).is_empty()
    }

    /// The threads `process` spawned, in creation order.
    pub fn spawned(&self, process: Pid) -> &[Pid] {
        if !self.any_spawned {
            // Nobody spawned: no look at the process's entry (a cache miss at every exit).
            return &[];
        }
        &self.info[process.index()].spawned
    }
}

impl Simulator {
    /// The process's tasks: its main thread, then the threads it spawned.
    pub(super) fn tasks_of(&self, process: Pid) -> Vec<Pid> {
        std::iter::once(process)
            .chain(self.threads.spawned(process).iter().copied())
            .collect()
    }

    /// The `spawn` step of `caller`: a new thread of its process, admitted at once.
    pub(super) fn spawn(&mut self, caller: Pid, spec: &ThreadSpec) {
        // A thread takes an id from the processes' space (Linux's pid_max counts tasks).
        let failed = if self.existing >= self.scenario.max_processes {
            Some((self.scenario.max_processes, SpawnLimit::MaxProcesses))
        } else if self.live_threads >= self.scenario.max_threads {
            Some((self.scenario.max_threads, SpawnLimit::MaxThreads))
        } else {
            None
        };
        if let Some((limit, limit_name)) = failed {
            self.emit(Event::SpawnFailed {
                pid: caller,
                name: spec.name.clone(),
                limit,
                limit_name,
            });
            return;
        }
        self.existing += 1;
        self.live_threads += 1;
        let process = self.pcbs[caller.index()].process;
        let thread = Pid::from_index(self.pcbs.len());
        let leader = &self.pcbs[process.index()];
        let pcb = Pcb {
            process,
            state_since: self.now,
            nice: leader.nice,
            ..Pcb::new(
                thread,
                leader.ppid,
                spec.name.clone(),
                spec.priority.unwrap_or(leader.priority),
                spec.tickets.unwrap_or(leader.tickets),
                leader.options,
                self.now,
            )
        };
        self.pcbs.push(pcb);
        self.programs.push(spec.program.clone());
        self.families.push();
        self.io_sequence.push(None);
        self.threads.push(spec.daemon);
        self.threads.any_spawned = true;
        let info = &mut self.threads.info[process.index()];
        info.spawned.push(thread);
        if !spec.daemon {
            info.running_non_daemon += 1;
        }
        self.admitted += 1;
        self.emit(Event::Spawn {
            pid: caller,
            thread,
            name: spec.name.clone(),
        });
        self.emit(Event::Admit { pid: thread });
        self.pending.push_back((thread, ReadyReason::Admitted));
    }

    /// The `join` step of `pid`: returns the thread to block for, or `None` to go on (it has
    /// ended already, or the join failed).
    pub(super) fn start_join(&mut self, pid: Pid, name: &str) -> Option<Pid> {
        let process = self.pcbs[pid.index()].process;
        let target = self
            .threads
            .spawned(process)
            .iter()
            .copied()
            .find(|&thread| self.pcbs[thread.index()].name == name);
        let failure = match target {
            None => Some(JoinFailure::Unknown),
            Some(thread) if thread == pid => Some(JoinFailure::Oneself),
            // Python's join of a thread it has joined returns at once.
            Some(thread)
                if self.threads.info[thread.index()].joined
                    && self.scenario.runtime != crate::scenario::Runtime::Python =>
            {
                Some(JoinFailure::AlreadyJoined)
            }
            Some(_) => None,
        };
        if let Some(reason) = failure {
            self.emit(Event::JoinFailed {
                pid,
                thread: name.to_string(),
                reason,
            });
            return None;
        }
        let thread = target?;
        if self.pcbs[thread.index()].state == ProcState::Terminated {
            self.threads.info[thread.index()].joined = true;
            return None;
        }
        Some(thread)
    }

    /// `pid`'s program has ended: a spawned thread ends; a main thread waits for the
    /// process's non-daemon threads, then the process exits with status 0.
    pub(super) fn program_ended(&mut self, pid: Pid, on_cpu: Option<OnCpu>) {
        let process = self.pcbs[pid.index()].process;
        if pid != process {
            return self.end_thread(pid, on_cpu);
        }
        if self.threads.waits_for_threads(process) {
            self.pcbs[pid.index()].remaining_ticks = 0;
            return self.block(pid, on_cpu, BlockReason::Join { thread: None });
        }
        if self.scenario.runtime == crate::scenario::Runtime::Python
            && !self.python_join_children(process)
        {
            self.pcbs[pid.index()].remaining_ticks = 0;
            return self.block(pid, on_cpu, BlockReason::JoinChildren);
        }
        let code = self.exit_status_at_end(pid);
        self.exit(pid, code, on_cpu)
    }

    /// A spawned thread's program has ended: it ends, its joiners go on, and if it was the
    /// last non-daemon thread of a process whose main thread is done, the process exits.
    fn end_thread(&mut self, thread: Pid, on_cpu: Option<OnCpu>) {
        self.forget_uncaught(thread);
        let cpu = on_cpu.map(|on| on.cpu);
        if let Some(cpu) = cpu {
            self.cpus[cpu.0].occupant = None;
        }
        self.finish_thread(thread, cpu);
        if let Some(OnCpu { quantum_left, .. }) = on_cpu {
            self.exited_cpu(thread, quantum_left);
        }
        self.gil_release(thread);
        self.result_handler_ended(thread);
        let process = self.pcbs[thread.index()].process;
        // Its joiners (threads of its own process) go on, in tid order.
        let mut joiners = self.waits.take_all(waits::WaitOn::Thread(thread));
        joiners.sort_by_key(|joiner| joiner.tid);
        for waits::Waiter { tid: joiner, .. } in joiners {
            self.threads.info[thread.index()].joined = true;
            self.wake(joiner, WakeReason::ThreadJoined { thread }, GoOn::PastStep);
        }
        if self.threads.info[thread.index()].daemon {
            return;
        }
        let info = &mut self.threads.info[process.index()];
        info.running_non_daemon -= 1;
        let main_done = self.waits.line_of(process) == Some(waits::WaitOn::Threads(process));
        if info.running_non_daemon == 0 && main_done {
            if self.scenario.rules.zero_time == crate::scenario::ZeroTime::OnCpu {
                // Its end (the exit, or Python's joins of children first) is code it runs: it
                // needs a CPU again.
                return self.wake(process, WakeReason::ThreadsDone, GoOn::AtStep);
            }
            self.emit(Event::Wake {
                pid: process,
                reason: WakeReason::ThreadsDone,
            });
            self.program_ended(process, None);
        }
    }

    /// `thread` (not a main thread) is over: terminated, with no zombie.
    fn finish_thread(&mut self, thread: Pid, cpu: Option<CpuId>) {
        self.drop_event_loop(thread);
        self.set_state(thread, ProcState::Terminated);
        let pcb = &mut self.pcbs[thread.index()];
        pcb.completion = Some(self.now);
        pcb.remaining_ticks = 0;
        self.exited += 1;
        // It leaves no zombie: its id is free again.
        self.existing -= 1;
        self.live_threads -= 1;
        self.emit(Event::ThreadExit { pid: thread, cpu });
    }

    /// The process is exiting: every thread it spawned that is still going ends at once, and
    /// gives back what it holds. Nobody takes the GIL any more.
    pub(super) fn end_spawned_threads(&mut self, process: Pid, locks: super::lifecycle::Locks) {
        self.gil_close(process);
        for thread in self.threads.spawned(process).to_vec() {
            if self.pcbs[thread.index()].state.has_exited() {
                continue;
            }
            let on_cpu = self.detach(thread);
            self.finish_thread(thread, on_cpu.map(|(cpu, _)| cpu));
            if let Some((_, quantum_left)) = on_cpu {
                self.exited_cpu(thread, quantum_left);
            }
            if locks == super::lifecycle::Locks::Release {
                self.release_all(thread, crate::event::ReleaseReason::Exit);
            }
        }
    }
}
