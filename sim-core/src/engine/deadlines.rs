//! The deadlines of real-time jobs (`tasks:`): a job unfinished at its deadline misses it,
//! under any policy; under `on_miss: abort` it is aborted there (docs/realtime.md).

use super::lifecycle::Locks;
use super::*;
use crate::scenario::OnMiss;

impl Simulator {
    /// A job is released: its deadline is watched until it exits.
    pub(super) fn job_released(&mut self, pid: Pid) {
        if let Some(job) = self
            .scenario
            .realtime
            .as_ref()
            .and_then(|realtime| realtime.job_of(pid))
        {
            self.deadlines.insert((job.deadline, pid));
        }
    }

    /// A process exited: if it is a job, its deadline no longer matters.
    pub(super) fn job_done(&mut self, pid: Pid) {
        if self.deadlines.is_empty() {
            return;
        }
        if let Some(job) = self
            .scenario
            .realtime
            .as_ref()
            .and_then(|realtime| realtime.job_of(pid))
        {
            self.deadlines.remove(&(job.deadline, pid));
        }
    }

    /// The jobs whose deadline is now and that are unfinished miss it, in pid order; under
    /// `on_miss: abort` each is aborted at once.
    pub(super) fn miss_deadlines(&mut self) {
        let abort = self
            .scenario
            .realtime
            .as_ref()
            .is_some_and(|realtime| realtime.on_miss == OnMiss::Abort);
        while let Some(&(deadline, pid)) = self.deadlines.first()
            && deadline <= self.now
        {
            self.deadlines.pop_first();
            let remaining = self.pcbs[pid.index()].remaining_ticks;
            self.emit(Event::DeadlineMiss {
                pid,
                remaining,
                aborted: abort,
            });
            if abort {
                self.terminate(pid, ABORTED_JOB_EXIT_CODE, Locks::Release);
            }
        }
        if abort {
            // Those its end wakes go on now.
            self.drain_pending();
        }
    }
}

/// The exit status of a job aborted at its deadline: killed, as by SIGKILL (-9).
pub const ABORTED_JOB_EXIT_CODE: i32 = -9;
