//! Deadlock detection over the resource-allocation graph, and recovery: abort a victim (or
//! all), or take its resources and roll it back to its first acquire (docs/deadlock.md).

use super::super::waits::{WaitOn, Want};
use super::{ABORTED_EXIT_CODE, Simulator};
use crate::deadlock::{AllocationGraph, ResourceNode};
use crate::event::{Event, ReleaseReason};
use crate::ids::{Pid, ResourceId};
use crate::pcb::ProcState;
use crate::policy::ReadyReason;
use crate::scenario::Recovery;

impl Simulator {
    /// The resource-allocation graph now.
    pub fn allocation_graph(&self) -> AllocationGraph {
        let mut graph = AllocationGraph {
            time: self.now,
            ..AllocationGraph::default()
        };
        for pcb in &self.pcbs {
            if matches!(pcb.state, ProcState::New) || pcb.state.has_exited() {
                continue;
            }
            graph
                .processes
                .push((pcb.pid, self.roster.name(pcb.pid).to_string()));
        }
        for (index, spec) in self.scenario.sync.resources.iter().enumerate() {
            graph.resources.push(ResourceNode {
                name: spec.name.clone(),
                instances: spec.instances,
                available: self.sync.available[index],
            });
            for waiter in self.waits.line(WaitOn::Resource(ResourceId(index))) {
                // One that waits with a timeout gives up in time: it cannot wait forever.
                let gives_up = self.io_sequence[waiter.tid.index()].is_some();
                if let Want::Instances(count) = waiter.want
                    && !gives_up
                {
                    graph.requests.push((waiter.tid, ResourceId(index), count));
                }
            }
        }
        let width = self.scenario.sync.resources.len();
        for index in 0..self.sync.holdings.len() {
            let pid = Pid::from_index(index);
            // A thread that ended holding a lock leaves it to its process until the process
            // exits: its main thread (whose waits keep the process alive) holds it now.
            let pcb = &self.pcbs[index];
            let holder = if pcb.process != pid
                && pcb.state.has_exited()
                && !self.pcbs[pcb.process.index()].state.has_exited()
            {
                pcb.process
            } else {
                pid
            };
            let allocation = self.sync.allocation(pid, width);
            for (resource, &held) in allocation.iter().enumerate() {
                if held > 0 {
                    graph.holds.push((holder, ResourceId(resource), held));
                }
            }
        }
        graph
            .holds
            .sort_by_key(|&(pid, resource, _)| (pid, resource));
        graph.requests.sort();
        graph
    }

    /// Whether `pid`'s new request could change what detection finds. A cycle of the
    /// resource-allocation graph passes through processes that both hold and request, and was
    /// closed by the request made last, which detection saw: so while no deadlock is reported,
    /// a request by a process that holds nothing closes none, and detection (a scan of every
    /// holder and waiter, costly with thousands waiting) would find nothing.
    pub(super) fn may_change_deadlocks(&self, pid: Pid) -> bool {
        !self.sync.reported.is_empty()
            || self
                .sync
                .holdings
                .get(pid.index())
                .is_some_and(|holdings| !holdings.is_empty())
    }

    /// Reports every deadlock not reported yet and, if the scenario says so, recovers.
    pub(super) fn detect_deadlocks(&mut self) {
        loop {
            let current = self.allocation_graph().deadlocks();
            // A deadlock stays reported while it lasts; once broken, the same processes may
            // deadlock again later, and that is a new deadlock.
            self.sync
                .reported
                .retain(|processes| current.iter().any(|d| &d.processes == processes));
            let fresh: Vec<_> = current
                .into_iter()
                .filter(|d| !self.sync.reported.contains(&d.processes))
                .collect();
            if fresh.is_empty() {
                return;
            }
            for deadlock in &fresh {
                self.sync.reported.insert(deadlock.processes.clone());
                self.emit(Event::Deadlock {
                    processes: deadlock.processes.clone(),
                    resources: deadlock.resources.clone(),
                    cycle: deadlock.cycle.clone(),
                });
            }
            let recovery = self.scenario.sync.deadlock.recover;
            if recovery == Recovery::None {
                return;
            }
            for deadlock in fresh {
                let victims = match recovery {
                    Recovery::AbortAll => deadlock.processes.clone(),
                    _ => vec![self.victim(&deadlock.processes)],
                };
                for victim in victims {
                    if self.pcbs[victim.index()].state.has_exited() {
                        continue;
                    }
                    if recovery == Recovery::Preempt {
                        self.roll_back(victim);
                    } else {
                        self.abort(victim);
                    }
                }
            }
        }
    }

    /// The documented victim rule: the lowest priority (largest number), then the youngest
    /// (largest pid).
    fn victim(&self, processes: &[Pid]) -> Pid {
        *processes
            .iter()
            .max_by_key(|&&pid| (self.pcbs[pid.index()].priority, pid))
            .expect("a deadlock has processes")
    }

    /// Takes every resource of `victim` and rolls it back to the acquire of the oldest one.
    fn roll_back(&mut self, victim: Pid) {
        self.waits.leave(victim);
        let here = (
            self.pcbs[victim.index()].program_counter,
            self.pcbs[victim.index()].blocks.clone(),
        );
        let (step, blocks) = self
            .release_all(victim, ReleaseReason::Preempted)
            .unwrap_or(here);
        let pcb = &mut self.pcbs[victim.index()];
        pcb.program_counter = step;
        pcb.blocks = blocks;
        pcb.step_cost_paid = false;
        self.emit(Event::Rollback { pid: victim, step });
        self.pending.push_back((victim, ReadyReason::Woken));
    }

    /// Deadlock recovery: `pid` is killed (exit status -9) and releases what it holds.
    fn abort(&mut self, pid: Pid) {
        self.emit(Event::Abort { pid });
        self.terminate(
            pid,
            ABORTED_EXIT_CODE,
            super::super::lifecycle::Locks::Release,
        );
    }
}
