//! Waits that end with time: `sleep`, and the timeouts of `get`, `put`, `recv` and
//! `wait_event`. Their ends share the engine's completion queue with IO.

use super::{OnCpu, SLEEP_DEVICE, Simulator, TIMEOUT_DEVICE};
use crate::event::{Event, WakeReason};
use crate::ids::Pid;
use crate::pcb::BlockReason;
use crate::policy::ReadyReason;
use crate::scenario::{Step, Waiting};
use std::cmp::Reverse;

impl Simulator {
    /// The timeout `pid` waits with, if any, will not fire: it got what it waited for, or it
    /// is gone.
    pub(in crate::engine) fn cancel_timeout(&mut self, pid: Pid) {
        if let Some(sequence) = self.io_sequence[pid.index()].take() {
            self.io_completions
                .retain(|Reverse((_, s, ..))| *s != sequence);
        }
    }

    /// Blocked with `wait`: a timeout is armed to end the wait after its ticks.
    pub(super) fn arm_timeout(&mut self, pid: Pid, wait: Waiting) {
        if let Waiting::Timeout { ticks, .. } = wait {
            self.arm_timer(pid, ticks, TIMEOUT_DEVICE);
        }
    }

    /// `pid`'s wait ends after `ticks` (the "device" tells a sleep from a timeout).
    fn arm_timer(&mut self, pid: Pid, ticks: u64, device: usize) {
        let sequence = self.next_io_sequence;
        self.next_io_sequence += 1;
        self.io_sequence[pid.index()] = Some(sequence);
        self.io_completions
            .push(Reverse((self.now.plus(ticks), sequence, pid, device)));
    }

    /// `pid`'s timeout fired before it got what it waited for: it leaves the waiting line and
    /// goes on with the steps for giving up (Python's `queue.Empty`, `Full`, or `False`).
    pub(in crate::engine) fn time_out(&mut self, pid: Pid) {
        self.waits.leave(pid);
        let pc = self.pcbs[pid.index()].program_counter;
        let otherwise = match self.programs[pid.index()].get(pc) {
            Some(
                Step::Put { wait, .. }
                | Step::Get { wait, .. }
                | Step::WaitEvent { wait, .. }
                | Step::Acquire { wait, .. }
                | Step::Select { wait, .. },
            ) => match wait {
                Waiting::Timeout { otherwise, .. } => *otherwise,
                _ => pc + 1,
            },
            _ => pc + 1,
        };
        self.emit(Event::Wake {
            pid,
            reason: WakeReason::TimedOut,
        });
        let pcb = &mut self.pcbs[pid.index()];
        pcb.program_counter = otherwise;
        // A select that timed out has paid for a call it will not make again; it selected
        // nothing.
        pcb.step_cost_paid = false;
        pcb.selected.clear();
        self.continue_program(pid, None, ReadyReason::Woken);
        // A waiter for instances that gave up may have stood before one whose request fits.
        self.serve_resource_waiters();
    }

    /// `sleep`: blocked `ticks`, then ready again.
    pub(in crate::engine) fn sleep(&mut self, pid: Pid, on_cpu: Option<OnCpu>, ticks: u64) {
        self.pcbs[pid.index()].remaining_ticks = ticks;
        self.block(pid, on_cpu, BlockReason::Sleep { ticks });
        self.arm_timer(pid, ticks, SLEEP_DEVICE);
    }
}
