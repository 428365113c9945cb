//! Locks and semaphores: `acquire` and `release`, reentrant locks, what an exiting process
//! gives back, and the banker's check on every grant when the scenario avoids deadlock.

use super::super::program::GoOn;
use super::super::waits::{WaitOn, Want};
use super::{Flow, Holding, OnCpu, Simulator};
use crate::event::{Event, ReleaseReason, WakeReason};
use crate::ids::{Pid, ResourceId};
use crate::pcb::Block;
use crate::pcb::{BlockReason, ProcState};
use crate::scan::{scan, sub};
use crate::scenario::{Avoidance, Waiting};

impl Simulator {
    /// `acquire`: `pid` got the instances and goes on, or gives up at once (`block: false`),
    /// or blocks (arming its `timeout`).
    pub(in crate::engine) fn acquire(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        resource: ResourceId,
        count: u64,
        wait: Waiting,
    ) -> Flow {
        if self.scenario.sync.resources[resource.0].reentrant && self.sync.held(pid, resource) > 0 {
            // An RLock's holder takes it again: one level deeper, nothing more held.
            *self.sync.recursion.entry((pid, resource)).or_default() += 1;
            self.emit(Event::Acquire {
                pid,
                resource,
                count,
            });
            return Flow::Next;
        }
        let banker = self.scenario.sync.deadlock.avoid == Avoidance::Banker;
        // FIFO: nobody overtakes a waiter, except under the banker, where a waiter may be
        // refused for safety while a later request is safe.
        let first_in_line = banker || self.waits.is_empty(WaitOn::Resource(resource));
        let fits = count <= self.sync.available[resource.0];
        let safe = !banker || !fits || self.banker_allows(pid, resource, count);
        if first_in_line && fits && safe {
            self.grant(pid, resource, count);
            return Flow::Next;
        }
        let reason = BlockReason::Resource {
            resource,
            count,
            unsafe_state: fits && !safe,
        };
        let flow = self.wait_or_give_up(pid, on_cpu, reason, Want::Instances(count), wait);
        if !matches!(flow, Flow::Blocked) {
            return flow;
        }
        if self.scenario.sync.deadlock.detect {
            if self.may_change_deadlocks(pid) {
                self.detect_deadlocks();
            } else if cfg!(debug_assertions) {
                // The test suite checks the shortcut against a full detection.
                assert!(self.allocation_graph().deadlocks().is_empty());
            }
        }
        Flow::Blocked
    }

    fn grant(&mut self, pid: Pid, resource: ResourceId, count: u64) {
        self.sync.available[resource.0] -= count;
        let step = self.pcbs[pid.index()].program_counter;
        let blocks = self.pcbs[pid.index()].blocks.clone();
        self.sync.holdings_of(pid).push(Holding {
            resource,
            count,
            step,
            blocks,
        });
        self.emit(Event::Acquire {
            pid,
            resource,
            count,
        });
    }

    /// `release`: gives back `count` instances (or what `pid` holds, if less) and serves the
    /// waiters.
    pub(in crate::engine) fn release(&mut self, pid: Pid, resource: ResourceId, count: u64) {
        if let Some(levels) = self.sync.recursion.get_mut(&(pid, resource)) {
            // An RLock taken again is released as often before it is free.
            *levels -= 1;
            if *levels == 0 {
                self.sync.recursion.remove(&(pid, resource));
            }
            self.emit(Event::Release {
                pid,
                resource,
                count,
                reason: ReleaseReason::Step,
            });
            return;
        }
        let held = self.sync.held(pid, resource);
        if held < count {
            self.emit(Event::ReleaseNotHeld {
                pid,
                resource,
                count,
                held,
            });
        }
        let mut left = count.min(held);
        if left == 0 {
            return;
        }
        let released = left;
        // The most recent acquisitions go first.
        let holdings = self.sync.holdings_of(pid);
        for holding in holdings.iter_mut().rev() {
            if holding.resource == resource && left > 0 {
                let taken = holding.count.min(left);
                holding.count -= taken;
                left -= taken;
            }
        }
        holdings.retain(|h| h.count > 0);
        self.sync.available[resource.0] += released;
        self.emit(Event::Release {
            pid,
            resource,
            count: released,
            reason: ReleaseReason::Step,
        });
        self.serve_resource_waiters();
    }

    /// Gives back everything `pid` holds (it exited, or recovery took it). Returns the step
    /// of its oldest acquisition still held.
    pub(in crate::engine) fn release_all(
        &mut self,
        pid: Pid,
        reason: ReleaseReason,
    ) -> Option<(usize, Vec<Block>)> {
        self.sync.recursion.retain(|(holder, _), _| *holder != pid);
        let holdings = std::mem::take(self.sync.holdings.get_mut(pid.index())?);
        // The oldest holding: holdings are kept in the order they were acquired.
        let first_step = holdings.first().map(|h| (h.step, h.blocks.clone()));
        let mut totals: Vec<(ResourceId, u64)> = Vec::new();
        for holding in holdings {
            match totals.iter_mut().find(|(r, _)| *r == holding.resource) {
                Some((_, total)) => *total += holding.count,
                None => totals.push((holding.resource, holding.count)),
            }
        }
        totals.sort();
        for &(resource, count) in &totals {
            self.sync.available[resource.0] += count;
            self.emit(Event::Release {
                pid,
                resource,
                count,
                reason,
            });
        }
        if !totals.is_empty() {
            self.serve_resource_waiters();
        }
        first_step
    }

    /// Wakes the waiters whose requests can now be met: strictly FIFO per resource, or, under
    /// the banker, every waiter whose request is safe (in FIFO order), until nothing changes.
    pub(super) fn serve_resource_waiters(&mut self) {
        let banker = self.scenario.sync.deadlock.avoid == Avoidance::Banker;
        loop {
            let mut granted_any = false;
            for index in 0..self.scenario.sync.resources.len() {
                let resource = ResourceId(index);
                let line = WaitOn::Resource(resource);
                let mut position = 0;
                while let Some(waiter) = self.waits.at(line, position) {
                    let (pid, Want::Instances(count)) = (waiter.tid, &waiter.want) else {
                        unreachable!("a resource's waiters want instances")
                    };
                    let count = *count;
                    let fits = count <= self.sync.available[index];
                    if fits && (!banker || self.banker_allows(pid, resource, count)) {
                        self.waits.remove_at(line, position);
                        self.grant(pid, resource, count);
                        self.wake(pid, WakeReason::Acquired { resource }, GoOn::PastStep);
                        granted_any = true;
                    } else if banker {
                        position += 1;
                    } else {
                        break;
                    }
                }
            }
            if !granted_any {
                break;
            }
        }
    }

    /// The banker's check: would granting `count` of `resource` to `pid` leave a safe state?
    /// The banker's customers are processes: a process's allocation is what all its threads
    /// hold (those that ended too: it is the process's until it exits), and its `max:` claim
    /// covers them together. A request that would take a process past its claim is never
    /// granted.
    fn banker_allows(&self, pid: Pid, resource: ResourceId, count: u64) -> bool {
        let width = self.scenario.sync.resources.len();
        let mut available = self.sync.available.clone();
        available[resource.0] -= count;
        let asking = self.pcbs[pid.index()].process;
        let living: Vec<Pid> = self
            .pcbs
            .iter()
            .filter(|p| {
                p.process == p.pid
                    && (!matches!(p.state, ProcState::New) && !p.state.has_exited()
                        || p.pid == asking)
            })
            .map(|p| p.pid)
            .collect();
        let mut over_claim = false;
        let (allocation, need): (Vec<Vec<u64>>, Vec<Vec<u64>>) = living
            .iter()
            .map(|&process| {
                let mut allocation = self.sync.allocation(process, width);
                for &thread in self.threads.spawned(process) {
                    let held = self.sync.allocation(thread, width);
                    allocation.iter_mut().zip(held).for_each(|(a, h)| *a += h);
                }
                if process == asking {
                    allocation[resource.0] += count;
                }
                let claims = self
                    .scenario
                    .processes
                    .get(process.index())
                    .map(|spec| spec.max_claims.clone())
                    .filter(|claims| !claims.is_empty())
                    .unwrap_or_else(|| allocation.clone());
                over_claim |= allocation.iter().zip(&claims).any(|(a, c)| a > c);
                let need = sub(&claims, &allocation);
                (allocation, need)
            })
            .unzip();
        !over_claim
            && scan(&available, &allocation, &need)
                .finished
                .iter()
                .all(|&finished| finished)
    }
}
