//! Bounded queues, pipes and sockets: `put`/`send` and `get`/`recv`, joinable queues'
//! `task_done` and `join_queue`. A consumer waiting for an item takes it the moment it is
//! put; a producer waiting for room puts its item the moment one is taken.

use super::super::program::GoOn;
use super::super::waits::{WaitOn, Waiter, Want};
use super::{Flow, OnCpu, Simulator};
use crate::event::{Event, WakeReason};
use crate::ids::{Pid, QueueId};
use crate::pcb::BlockReason;
use crate::scenario::Waiting;
use std::collections::VecDeque;

/// The items of a queue, first out first: runs of items that carry the same value (`None`:
/// none), so that a queue of a billion plain items is one run.
#[derive(Clone, Debug, Default)]
pub(super) struct Items {
    runs: VecDeque<(Option<i64>, u64)>,
    pub len: u64,
}

impl Items {
    pub fn with_plain(count: u64) -> Items {
        let mut items = Items::default();
        if count > 0 {
            items.runs.push_back((None, count));
            items.len = count;
        }
        items
    }

    fn push(&mut self, value: Option<i64>) {
        match self.runs.back_mut() {
            Some((last, count)) if *last == value => *count += 1,
            _ => self.runs.push_back((value, 1)),
        }
        self.len += 1;
    }

    fn pop(&mut self) -> Option<Option<i64>> {
        let (value, count) = self.runs.front_mut()?;
        let value = *value;
        *count -= 1;
        if *count == 0 {
            self.runs.pop_front();
        }
        self.len -= 1;
        Some(value)
    }
}

impl Simulator {
    /// `put` (and `send`): the item, carrying `value`, goes in (or straight to a waiting
    /// consumer); or, the queue full, `pid` waits for room or gives up.
    pub(in crate::engine) fn put(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        queue: QueueId,
        value: Option<i64>,
        wait: Waiting,
    ) -> Flow {
        let full = self.scenario.sync.queues[queue.0]
            .capacity
            .is_some_and(|capacity| self.sync.items[queue.0].len >= capacity);
        if full {
            return self.wait_or_give_up(
                pid,
                on_cpu,
                BlockReason::QueueFull { queue },
                Want::Room(value),
                wait,
            );
        }
        self.add_item(pid, queue, value);
        if let Some(consumer) = self.waits.pop_front(WaitOn::QueueItem(queue)) {
            self.take_item(consumer.tid, queue);
            self.wake(
                consumer.tid,
                WakeReason::QueueItem { queue },
                GoOn::PastStep,
            );
        }
        Flow::Next
    }

    /// `get` (and `recv`): `pid` takes the first item (its value, if any, goes into its
    /// register); or, the queue empty, waits for one or gives up.
    pub(in crate::engine) fn get(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        queue: QueueId,
        wait: Waiting,
    ) -> Flow {
        if self.sync.items[queue.0].len == 0 {
            return self.wait_or_give_up(
                pid,
                on_cpu,
                BlockReason::QueueEmpty { queue },
                Want::Wake,
                wait,
            );
        }
        self.take_item(pid, queue);
        if let Some(Waiter {
            tid: producer,
            want: Want::Room(value),
        }) = self.waits.pop_front(WaitOn::QueueRoom(queue))
        {
            self.add_item(producer, queue, value);
            self.wake(producer, WakeReason::QueueSpace { queue }, GoOn::PastStep);
        } else {
            // Threads in select waiting to write wake to look again.
            for selector in self.waits.room_watchers(queue) {
                self.wake(selector, WakeReason::Writable { queue }, GoOn::AtStep);
            }
        }
        Flow::Next
    }

    fn add_item(&mut self, pid: Pid, queue: QueueId, value: Option<i64>) {
        self.sync.items[queue.0].push(value);
        if self.scenario.sync.queues[queue.0].joinable {
            self.sync.unfinished[queue.0] += 1;
        }
        let items = self.sync.items[queue.0].len;
        self.emit(Event::Put { pid, queue, items });
        // Threads in select wake to look again, unless a blocked recv takes the item first.
        if self.waits.is_empty(WaitOn::QueueItem(queue)) {
            for selector in self.waits.watchers(queue) {
                self.wake(selector, WakeReason::SocketReadable { queue }, GoOn::AtStep);
            }
            // So do coroutines parked in a patched recv or select (gevent).
            self.coroutines_readable(queue);
        }
    }

    fn take_item(&mut self, pid: Pid, queue: QueueId) {
        if let Some(Some(value)) = self.sync.items[queue.0].pop() {
            self.pcbs[pid.index()].register = value;
        }
        let items = self.sync.items[queue.0].len;
        self.emit(Event::Get { pid, queue, items });
    }

    /// `task_done`: one item of a joinable queue is dealt with; when none is left, the
    /// threads in `join_queue` go on. More calls than items is a failed step (Python's
    /// `ValueError: task_done() called too many times`).
    pub(in crate::engine) fn task_done(&mut self, pid: Pid, queue: QueueId) {
        if self.sync.unfinished[queue.0] == 0 {
            self.emit(Event::TooManyTaskDone { pid, queue });
            return;
        }
        self.sync.unfinished[queue.0] -= 1;
        let unfinished = self.sync.unfinished[queue.0];
        self.emit(Event::QueueTaskDone {
            pid,
            queue,
            unfinished,
        });
        if unfinished == 0 {
            for joiner in self.waits.take_all(WaitOn::QueueJoin(queue)) {
                self.wake(
                    joiner.tid,
                    WakeReason::QueueJoined { queue },
                    GoOn::PastStep,
                );
            }
        }
    }

    /// `join_queue`: true when every item is dealt with and `pid` goes on.
    pub(in crate::engine) fn join_queue(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        queue: QueueId,
    ) -> bool {
        if self.sync.unfinished[queue.0] == 0 {
            return true;
        }
        self.block(pid, on_cpu, BlockReason::JoinQueue { queue });
        false
    }
}
