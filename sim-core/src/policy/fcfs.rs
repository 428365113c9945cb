//! First come, first served (also called FIFO).
//!
//! Rules: the ready queue is FIFO; a dispatched process runs until it blocks or exits (never
//! preempted). Ties: processes entering the queue at the same instant keep the engine's order
//! (arrivals in scenario order, then IO completions in issue order).

use super::{FifoQueue, Policy, ProcTable, ReadyReason};
use crate::event::Event;
use crate::ids::Pid;

#[derive(Default)]
pub struct Fcfs {
    ready: FifoQueue,
}

impl Policy for Fcfs {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, _procs: &ProcTable) -> Vec<Event> {
        self.ready.push_back(pid);
        Vec::new()
    }

    fn select(&mut self, _procs: &ProcTable) -> Option<Pid> {
        self.ready.front()
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
            "fcfs: the ready queue is first in, first out.".into(),
            "fcfs: a running process keeps its CPU until it blocks or exits.".into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Tick;
    use crate::policy::test_support::table;

    #[test]
    fn serves_in_arrival_order() {
        let pcbs = table(&[(5, 0), (1, 0)]);
        let procs = ProcTable {
            pcbs: &pcbs,
            now: Tick(0),
        };
        let mut policy = Fcfs::default();
        policy.enqueue(Pid(2), ReadyReason::Admitted, &procs);
        policy.enqueue(Pid(3), ReadyReason::Admitted, &procs);
        assert_eq!(policy.select(&procs), Some(Pid(2)));
        assert_eq!(policy.quantum(Pid(2)), None);
    }
}
