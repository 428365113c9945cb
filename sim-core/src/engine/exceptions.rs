//! Raising (docs/python.md, "Uncaught failures"): under `runtime: python` a step that fails
//! raises what CPython raises there ([`crate::exceptions`]). A `try` around it goes on with its `except`;
//! otherwise the thread's later steps do not run, the exception's line goes to stderr, and a
//! main thread's process exits with code 1 once Python's exit has joined what it joins.
//! Under `runtime: posix` a failed step is a failed system call: listed, and the thread goes on.

use super::*;
use crate::exceptions::raised_by;

impl Simulator {
    /// Called for every event before it is logged: under `runtime: python` a failure raises
    /// in its thread, which handles it before its next step (`handle_raise`).
    pub(super) fn note_raise(&mut self, event: &Event) {
        if let (Some(pid), Some(exception)) = (event.pid(), raised_by(event, &self.scenario)) {
            self.raising.push((pid, exception));
        }
    }

    /// Before `pid` runs its next step: if a step of it raised, it goes on at the `except` of
    /// the innermost `try` it is in (leaving the blocks inside it), or past the end of its
    /// program (returns true: its program counter moved).
    pub(super) fn handle_raise(&mut self, pid: Pid) -> bool {
        let Some(at) = self.raising.iter().position(|(who, _)| *who == pid) else {
            return false;
        };
        let (_, exception) = self.raising.remove(at);
        let index = pid.index();
        let pcb = &mut self.pcbs[index];
        while let Some(block) = pcb.blocks.pop() {
            if let Block::Try { handler } = block {
                pcb.program_counter = handler;
                self.emit(Event::Raise {
                    pid,
                    exception,
                    caught: true,
                    task: None,
                });
                return true;
            }
        }
        pcb.program_counter = self.programs[index].len();
        self.uncaught.insert(pid, exception.clone());
        // multiprocessing's worker loop runs each task in a `try` (pool.py, `worker`).
        let task = self.running_task(pid);
        self.emit(Event::Raise {
            pid,
            exception,
            caught: task.is_some(),
            task,
        });
        true
    }

    /// The exit status of a process whose main thread's program has ended: 1 when it ended
    /// by an uncaught exception (Python's), else 0.
    pub(super) fn exit_status_at_end(&mut self, process: Pid) -> i32 {
        i32::from(self.uncaught.remove(&process).is_some())
    }

    /// `pid`'s program (a pool task's, a coroutine's, a spawned thread's) is over and what it
    /// raised has no further effect.
    pub(super) fn forget_uncaught(&mut self, pid: Pid) {
        if !self.uncaught.is_empty() {
            self.uncaught.remove(&pid);
        }
    }
}
