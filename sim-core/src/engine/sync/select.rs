//! `select`, `poll` and `epoll_wait`: one wait on a set of channels to read or write
//! (docs/servers.md).

use super::super::waits::Want;
use super::{Flow, OnCpu, Simulator};
use crate::event::Event;
use crate::ids::{Pid, QueueId};
use crate::pcb::BlockReason;
use crate::policy::ReadyReason;
use crate::scenario::{Multiplexer, Waiting};

impl Simulator {
    /// `select`, `poll` or `epoll_wait` on `watched` (to read) and `writing` (to write): the
    /// ready ones — readable, or with room — become the thread's selection (go on); or, none
    /// ready, the thread sleeps until one is, gives up after its timeout, or at once
    /// (`timeout: 0`). A select or poll costs `rules.select_cost` per watched channel, once a
    /// call, and returns the channels ready when it has paid (its scan). An epoll_wait costs
    /// `rules.epoll_cost` per channel it returns: the set is fixed at the instant it finds
    /// some ready (at the call, or when woken), as Linux's `ep_start_scan` takes the ready list
    /// before copying it out; channels that become ready while it pays wait for the next call.
    /// A `select` on more than `rules.fd_setsize` descriptors fails (FD_SETSIZE).
    #[allow(clippy::too_many_arguments)]
    pub(in crate::engine) fn select(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        why: ReadyReason,
        call: Multiplexer,
        watched: &[QueueId],
        writing: &[QueueId],
        wait: Waiting,
    ) -> Flow {
        let descriptors = (watched.len() + writing.len()) as u64;
        let limit = self.scenario.rules.fd_setsize.0;
        if call == Multiplexer::Select && descriptors > limit {
            self.pcbs[pid.index()].selected.clear();
            self.emit(Event::SelectTooMany {
                pid,
                descriptors,
                limit,
            });
            return Flow::Next;
        }
        let pcb = &mut self.pcbs[pid.index()];
        if call == Multiplexer::Epoll && pcb.step_cost_paid {
            // It has paid for the set it fixed when the payment began (an epoll_wait's step
            // cost is only ever paid for a set).
            pcb.step_cost_paid = false;
            let ready = pcb.selected.clone();
            self.selected(pid, call, ready);
            return Flow::Next;
        }
        let ready: Vec<QueueId> = watched
            .iter()
            .copied()
            .filter(|q| self.sync.items[q.0].len > 0)
            .chain(writing.iter().copied().filter(|q| self.has_room(*q)))
            .collect();
        let rules = self.scenario.rules;
        let cost = match call {
            Multiplexer::Epoll => rules.epoll_cost_ticks.saturating_mul(ready.len() as u64),
            _ => rules.select_cost_ticks.saturating_mul(descriptors),
        };
        if ready.is_empty() {
            if call != Multiplexer::Epoll && self.spend_step_cost(pid, on_cpu, why, cost) {
                return Flow::Blocked;
            }
            let reason = BlockReason::Select {
                watched: descriptors as u32,
            };
            if let Waiting::NoWait { otherwise } = wait {
                // `timeout: 0`: it has looked once; nothing is ready.
                let pcb = &mut self.pcbs[pid.index()];
                pcb.step_cost_paid = false;
                pcb.selected.clear();
                self.emit(Event::GaveUp { pid, reason });
                return Flow::GiveUp(otherwise);
            }
            self.pcbs[pid.index()].remaining_ticks = 0;
            self.block_for(
                pid,
                on_cpu,
                reason,
                Want::Ready {
                    read: watched.into(),
                    write: writing.into(),
                },
            );
            self.arm_timeout(pid, wait);
            // A select or poll has paid for this call; it looks again for free when woken.
            if call != Multiplexer::Epoll {
                self.pcbs[pid.index()].step_cost_paid = true;
            }
            return Flow::Blocked;
        }
        if self.spend_step_cost(pid, on_cpu, why, cost) {
            if call == Multiplexer::Epoll {
                self.pcbs[pid.index()].selected = ready;
            }
            return Flow::Blocked;
        }
        self.selected(pid, call, ready);
        Flow::Next
    }

    /// Whether a `put` or `send` on `queue` would go in now: a pipe or socket always has
    /// room; a bounded queue while it holds less than its capacity.
    fn has_room(&self, queue: QueueId) -> bool {
        self.scenario.sync.queues[queue.0]
            .capacity
            .is_none_or(|capacity| self.sync.items[queue.0].len < capacity)
    }

    /// The call returns `ready`: the thread's selection, which its `recv`s may take from.
    fn selected(&mut self, pid: Pid, call: Multiplexer, ready: Vec<QueueId>) {
        self.emit(Event::Selected {
            pid,
            call: call.name(),
            ready: ready.clone(),
        });
        self.pcbs[pid.index()].selected = ready;
    }
}
