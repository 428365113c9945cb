//! Highest response ratio next (non-preemptive).
//!
//! Rules: the next process is the ready one with the highest response ratio
//! (w + s) / s, where w is how long it has waited in the ready queue so far and s the length of
//! its current CPU burst; it then runs until it blocks or exits. Ratios are compared exactly.
//! Ties: earlier entry into the ready queue, then scenario order.

use super::{FifoQueue, Policy, ProcTable, ReadyReason};
use crate::event::Event;
use crate::ids::Pid;

#[derive(Default)]
pub struct Hrrn {
    ready: FifoQueue,
}

impl Policy for Hrrn {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, _procs: &ProcTable) -> Option<Event> {
        self.ready.push_back(pid);
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        // (w + s) / s compared as fractions: a beats b when (wa + sa) * sb > (wb + sb) * sa.
        let ratio = |pid: Pid| {
            let pcb = procs.get(pid);
            let waited = procs.now.since(pcb.state_since) as u128;
            let burst = pcb.remaining_ticks.max(1) as u128;
            (waited + burst, burst)
        };
        let mut best: Option<(Pid, (u128, u128))> = None;
        for pid in self.ready.iter() {
            let (num, den) = ratio(pid);
            match best {
                Some((_, (best_num, best_den))) if num * best_den <= best_num * den => {}
                _ => best = Some((pid, (num, den))),
            }
        }
        best.map(|(pid, _)| pid)
    }

    fn remove(&mut self, pid: Pid) {
        self.ready.remove(pid);
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        vec![self.ready.to_vec()]
    }

    fn nobody_ready(&self) -> bool {
        self.ready.is_empty()
    }

    fn rules(&self) -> Vec<String> {
        vec![
            "hrrn: the ready process with the highest response ratio (waiting + burst) / burst runs next, until it blocks or exits.".into(),
            "hrrn: ties go to the earlier entry into the ready queue, then scenario order.".into(),
        ]
    }
}
