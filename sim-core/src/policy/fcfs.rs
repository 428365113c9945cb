//! First come, first served (also called FIFO).
//!
//! Rules: the ready queue is FIFO; a dispatched process runs until it blocks or exits (never
//! preempted). Ties: processes entering the queue at the same instant keep the engine's order
//! (arrivals in scenario order, then IO completions in issue order).
//!
//! Options, for the scheduler of OSTEP's process-run.py (docs/policies.md):
//! - `order: cyclic`: the next process is the first ready one after the process dispatched last,
//!   in pid order, wrapping around; a process back from a wait at this very instant counts
//!   only when nobody else is ready (the script chooses at the end of a tick, before the next
//!   tick's IO completions), and then the lowest pid goes first.
//! - `switch: on_end`: while the process dispatched last waits for IO (or sleeps), nobody else
//!   is chosen: the CPU waits for it, and it runs as soon as it is ready again (one CPU). Other
//!   waits (a child, a lock, an event, ...) give the CPU away, since what they wait for must run.
//! - `io_done: immediate`: a process back from a wait takes the CPU at once, preempting the
//!   running process; of several back at one instant, the highest pid runs (the script hands
//!   the CPU to each in pid order, the last one keeping it).

use super::{FifoQueue, Policy, ProcTable, ReadyReason};
use crate::event::{Choice, ChoiceRule, Event, PreemptReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::{BlockReason, ProcState};
use crate::scenario::{FcfsConfig, FcfsOrder, IoDone, SwitchOn};

#[derive(Default)]
pub struct Fcfs {
    ready: FifoQueue,
    config: FcfsConfig,
    /// The process dispatched last.
    last: Option<Pid>,
    /// When each process (by `Pid::index`) last came back from a wait, if it did.
    woken_at: Vec<Option<Tick>>,
}

impl Fcfs {
    pub fn new(config: FcfsConfig) -> Fcfs {
        Fcfs {
            config,
            ..Fcfs::default()
        }
    }

    /// Whether `pid` came back from a wait at this instant.
    fn woken_now(&self, pid: Pid, now: Tick) -> bool {
        self.woken_at.get(pid.index()).copied().flatten() == Some(now)
    }

    /// The next process under the options of OSTEP's process-run.py, and the rule that chose
    /// it.
    fn pick(&self, procs: &ProcTable) -> Option<(Pid, ChoiceRule)> {
        if self.config.switch == SwitchOn::End
            && let Some(last) = self.last
        {
            // The CPU waits for the IO of the process that ran last, and gives it back to it.
            // Other waits (a child, a lock, ...) give the CPU away: what they wait for must run.
            match procs.get(last).state {
                ProcState::Blocked {
                    reason: BlockReason::Io { .. } | BlockReason::Sleep { .. },
                } => return None,
                ProcState::Ready if self.ready.iter().any(|p| p == last) => {
                    return Some((last, ChoiceRule::WaitedFor));
                }
                _ => {}
            }
        }
        let now = procs.now;
        if self.config.io_done == IoDone::Immediate
            && let Some(back) = self.ready.iter().filter(|&p| self.woken_now(p, now)).max()
        {
            return Some((back, ChoiceRule::BackFromIo));
        }
        match self.config.order {
            FcfsOrder::Queue => self.ready.front().map(|pid| (pid, ChoiceRule::FirstInLine)),
            FcfsOrder::Cyclic => self
                .cyclic_after_last(self.ready.iter().filter(|&p| !self.woken_now(p, now)))
                .or_else(|| self.ready.iter().min())
                .map(|pid| (pid, ChoiceRule::NextAfterLast)),
        }
    }

    /// The first of `candidates` after the process dispatched last, in pid order, wrapping.
    fn cyclic_after_last(&self, candidates: impl Iterator<Item = Pid>) -> Option<Pid> {
        let last = self.last.unwrap_or(Pid(0));
        candidates.min_by_key(|&pid| (pid <= last, pid))
    }
}

impl Policy for Fcfs {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        if why == ReadyReason::Displaced {
            self.ready.push_front(pid);
        } else {
            self.ready.push_back(pid);
        }
        if self.config != FcfsConfig::default() {
            let woken = (why == ReadyReason::Woken).then_some(procs.now);
            *super::entry(&mut self.woken_at, pid, None) = woken;
        }
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        if self.config == FcfsConfig::default() {
            return self.ready.front();
        }
        self.pick(procs).map(|(pid, _)| pid)
    }

    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice {
        let rule = match self.pick(procs) {
            Some((pid, rule)) if pid == chosen => rule,
            _ => ChoiceRule::FirstInLine,
        };
        // Who the same rule would have chosen without it.
        let others = || self.ready.iter().filter(move |&pid| pid != chosen);
        let now = procs.now;
        let runner_up = match rule {
            ChoiceRule::NextAfterLast => self
                .cyclic_after_last(others().filter(|&p| !self.woken_now(p, now)))
                .or_else(|| others().min()),
            ChoiceRule::BackFromIo => others().filter(|&p| self.woken_now(p, now)).max(),
            ChoiceRule::WaitedFor => None,
            _ => self.ready.first_other_than(chosen),
        };
        Choice::plain(rule, runner_up)
    }

    fn upcoming(&self) -> Option<Pid> {
        // Only plain FCFS: the others are classroom variants, small by nature.
        (self.config == FcfsConfig::default())
            .then(|| self.ready.front())
            .flatten()
    }

    fn remove(&mut self, pid: Pid) {
        self.ready.remove(pid);
        self.last = Some(pid);
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        vec![self.ready.to_vec()]
    }

    fn nobody_ready(&self) -> bool {
        self.ready.is_empty()
    }

    fn may_preempt(&self) -> bool {
        self.config.io_done == IoDone::Immediate
    }

    fn preemption(
        &self,
        candidate: Pid,
        running: &[(CpuId, Pid)],
        procs: &ProcTable,
    ) -> Option<(CpuId, PreemptReason)> {
        let now = procs.now;
        if !self.woken_now(candidate, now) {
            return None;
        }
        // Not one that is itself back at this instant with a higher pid: it ran after.
        running
            .iter()
            .rev()
            .find(|&&(_, pid)| !(self.woken_now(pid, now) && pid > candidate))
            .map(|&(cpu, _)| (cpu, PreemptReason::IoDone { by: candidate }))
    }

    fn rules(&self) -> Vec<String> {
        let mut rules = vec![match self.config.order {
            FcfsOrder::Queue => "fcfs: the ready queue is first in, first out.".to_string(),
            FcfsOrder::Cyclic => "fcfs: the next process is the first ready one after the process dispatched last, in pid order, wrapping around; one back from a wait at this very instant only if nobody else is ready (order: cyclic).".to_string(),
        }];
        rules.push(match (self.config.switch, self.config.io_done) {
            (SwitchOn::Block, IoDone::Later) => {
                "fcfs: a running process keeps its CPU until it blocks or exits.".to_string()
            }
            (SwitchOn::Block, IoDone::Immediate) => "fcfs: a running process keeps its CPU until it blocks or exits, or a process back from IO takes it (io_done: immediate).".to_string(),
            (SwitchOn::End, _) => "fcfs: while the process dispatched last waits for IO or sleeps, the CPU waits for it; it goes to another process when that one exits or waits for something else (switch: on_end).".to_string(),
        });
        rules
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
        let mut policy = Fcfs::new(FcfsConfig::default());
        policy.enqueue(Pid(2), ReadyReason::Admitted, &procs);
        policy.enqueue(Pid(3), ReadyReason::Admitted, &procs);
        assert_eq!(policy.select(&procs), Some(Pid(2)));
        assert_eq!(policy.quantum(Pid(2)), None);
    }
}
