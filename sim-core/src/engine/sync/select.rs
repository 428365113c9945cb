//! `select`, `poll` and `epoll_wait`: one wait on a set of sockets (docs/servers.md).

use super::super::waits::Want;
use super::{OnCpu, Simulator};
use crate::event::Event;
use crate::ids::{Pid, QueueId};
use crate::pcb::BlockReason;
use crate::policy::ReadyReason;
use crate::scenario::Multiplexer;

impl Simulator {
    /// `select`, `poll` or `epoll_wait` on `watched`: the readable ones become the thread's
    /// selection (go on); or, none readable, the thread sleeps until one is. A select or poll
    /// costs `rules.select_cost` per watched socket, once a call, and returns the sockets
    /// readable when it has paid (its scan). An epoll_wait costs `rules.epoll_cost` per socket
    /// it returns: the set is fixed at the instant it finds some ready (at the call, or when
    /// woken), as Linux's `ep_start_scan` takes the ready list before copying it out; sockets
    /// that become readable while it pays wait for the next call.
    pub(in crate::engine) fn select(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        why: ReadyReason,
        call: Multiplexer,
        watched: &[QueueId],
    ) -> bool {
        let pcb = &mut self.pcbs[pid.index()];
        if call == Multiplexer::Epoll && pcb.step_cost_paid {
            // It has paid for the set it fixed when the payment began (an epoll_wait's step
            // cost is only ever paid for a set).
            pcb.step_cost_paid = false;
            let ready = pcb.selected.clone();
            return self.selected(pid, call, ready);
        }
        let ready: Vec<QueueId> = watched
            .iter()
            .copied()
            .filter(|q| self.sync.items[q.0].len > 0)
            .collect();
        let rules = self.scenario.rules;
        let cost = match call {
            Multiplexer::Epoll => rules.epoll_cost_ticks.saturating_mul(ready.len() as u64),
            _ => rules.select_cost_ticks.saturating_mul(watched.len() as u64),
        };
        if ready.is_empty() {
            if call != Multiplexer::Epoll && self.spend_step_cost(pid, on_cpu, why, cost) {
                return false;
            }
            self.pcbs[pid.index()].remaining_ticks = 0;
            self.block_for(
                pid,
                on_cpu,
                BlockReason::Select {
                    watched: watched.len() as u32,
                },
                Want::Readable(watched.into()),
            );
            // A select or poll has paid for this call; it looks again for free when woken.
            if call != Multiplexer::Epoll {
                self.pcbs[pid.index()].step_cost_paid = true;
            }
            return false;
        }
        if self.spend_step_cost(pid, on_cpu, why, cost) {
            if call == Multiplexer::Epoll {
                self.pcbs[pid.index()].selected = ready;
            }
            return false;
        }
        self.selected(pid, call, ready)
    }

    /// The call returns `ready`: the thread's selection, which its `recv`s may take from.
    fn selected(&mut self, pid: Pid, call: Multiplexer, ready: Vec<QueueId>) -> bool {
        self.emit(Event::Selected {
            pid,
            call: call.name(),
            ready: ready.clone(),
        });
        self.pcbs[pid.index()].selected = ready;
        true
    }
}
