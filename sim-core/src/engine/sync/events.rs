//! Events (`multiprocessing.Event`, `threading.Event`): `set` wakes every waiter, FIFO, and
//! the event stays set until `clear`.

use super::super::program::GoOn;
use super::super::waits::{WaitOn, Want};
use super::{Flow, OnCpu, Simulator};
use crate::event::{Event, WakeReason};
use crate::ids::{FlagId, Pid};
use crate::pcb::BlockReason;
use crate::scenario::Waiting;

impl Simulator {
    /// `wait_event`: the event is set (go on), or `pid` waits for it or gives up.
    pub(in crate::engine) fn wait_event(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        flag: FlagId,
        wait: Waiting,
    ) -> Flow {
        if self.sync.flags[flag.0] {
            return Flow::Next;
        }
        self.wait_or_give_up(
            pid,
            on_cpu,
            BlockReason::Event { event: flag },
            Want::Wake,
            wait,
        )
    }

    /// `set`: the event stays set until cleared; everyone waiting goes on, in FIFO order.
    pub(in crate::engine) fn set_event(&mut self, pid: Pid, flag: FlagId) {
        self.sync.flags[flag.0] = true;
        let waiters = self.waits.take_all(WaitOn::Event(flag));
        self.emit(Event::SetEvent {
            pid,
            flag,
            woken: waiters.len(),
        });
        for waiter in waiters {
            self.wake(
                waiter.tid,
                WakeReason::EventSet { event: flag },
                GoOn::PastStep,
            );
        }
    }

    pub(in crate::engine) fn clear_event(&mut self, pid: Pid, flag: FlagId) {
        self.sync.flags[flag.0] = false;
        self.emit(Event::ClearEvent { pid, flag });
    }
}
