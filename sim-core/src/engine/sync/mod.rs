//! Synchronisation steps, one file per primitive: resources (locks, semaphores), events,
//! queues (with pipes and sockets), `select`, timers (sleep and timeouts), and deadlock
//! detection, recovery and the banker's avoidance (docs/deadlock.md).
//!
//! Every step here takes no time. A thread that cannot go on blocks and gives up its CPU; it
//! waits in the line of what it waits for ([`super::waits::Waits`]), and waiters are served
//! FIFO. Woken threads go on through the engine's `pending` queue, at the same instant, once
//! the current action is done.

mod deadlock;
mod events;
mod queues;
mod resources;
mod select;
mod timers;
mod view;

use super::OnCpu;
use super::Simulator;
use super::waits::Want;
use crate::event::Event;
use crate::ids::{Pid, ResourceId};
use crate::pcb::Block;
use crate::pcb::BlockReason;
use crate::scenario::{Scenario, Waiting};
use queues::Items;
use std::collections::BTreeSet;

/// The exit status of a process aborted by deadlock recovery (SIGKILL).
pub const ABORTED_EXIT_CODE: i32 = -9;
/// The "device" of sleep completions in the engine's completion queue.
pub(super) const SLEEP_DEVICE: usize = usize::MAX;
/// The "device" of the ends of timeouts (`timeout:` on get, put, recv, wait_event).
pub(super) const TIMEOUT_DEVICE: usize = usize::MAX - 1;

/// What a step that may wait does next.
pub(super) enum Flow {
    /// It got what it wanted: the next step.
    Next,
    /// It gave up at once (`block: false`): go on there.
    GiveUp(usize),
    /// It blocked.
    Blocked,
}

/// What resources, events and queues hold (who waits for them is in the engine's `waits`).
pub(super) struct SyncState {
    available: Vec<u64>,
    /// What each process holds, by pid index: in the order it acquired it.
    holdings: Vec<Vec<Holding>>,
    flags: Vec<bool>,
    items: Vec<Items>,
    /// Joinable queues: items put and not yet marked done.
    unfinished: Vec<u64>,
    /// How many times each holder of a reentrant lock has acquired it again.
    recursion: std::collections::BTreeMap<(Pid, ResourceId), u64>,
    /// The process sets of the deadlocks reported that still last.
    reported: BTreeSet<Vec<Pid>>,
}

#[derive(Clone, Debug)]
struct Holding {
    resource: ResourceId,
    count: u64,
    /// The program step that acquired it, and the blocks the thread was in then: where a
    /// rollback returns.
    step: usize,
    blocks: Vec<Block>,
}

impl SyncState {
    pub(super) fn new(scenario: &Scenario) -> SyncState {
        let sync = &scenario.sync;
        SyncState {
            available: sync.resources.iter().map(|r| r.instances).collect(),
            holdings: Vec::new(),
            flags: sync.events.iter().map(|e| e.initially_set).collect(),
            items: sync
                .queues
                .iter()
                .map(|q| Items::with_plain(q.initial_items))
                .collect(),
            unfinished: sync.queues.iter().map(|q| q.initial_items).collect(),
            recursion: Default::default(),
            reported: BTreeSet::new(),
        }
    }

    fn holdings_of(&mut self, pid: Pid) -> &mut Vec<Holding> {
        if self.holdings.len() <= pid.index() {
            self.holdings.resize(pid.index() + 1, Vec::new());
        }
        &mut self.holdings[pid.index()]
    }

    /// Whether `queue` (a queue, pipe or socket) holds an item or message.
    pub(in crate::engine) fn has_items(&self, queue: crate::scenario::QueueId) -> bool {
        self.items[queue.0].len > 0
    }

    /// How many items or messages `queue` holds (`q.qsize()`).
    pub(in crate::engine) fn queue_len(&self, queue: crate::scenario::QueueId) -> u64 {
        self.items[queue.0].len
    }

    /// Whether the event is set (`e.is_set()`).
    pub(in crate::engine) fn is_set(&self, flag: crate::ids::FlagId) -> bool {
        self.flags[flag.0]
    }

    /// The free instances of `resource` (a semaphore's `get_value()`).
    pub(in crate::engine) fn free(&self, resource: ResourceId) -> u64 {
        self.available[resource.0]
    }

    fn held(&self, pid: Pid, resource: ResourceId) -> u64 {
        self.holdings
            .get(pid.index())
            .into_iter()
            .flatten()
            .filter(|h| h.resource == resource)
            .map(|h| h.count)
            .sum()
    }

    /// The instances of each resource `pid` holds.
    fn allocation(&self, pid: Pid, width: usize) -> Vec<u64> {
        let mut allocation = vec![0; width];
        for holding in self.holdings.get(pid.index()).into_iter().flatten() {
            allocation[holding.resource.0] += holding.count;
        }
        allocation
    }
}

impl Simulator {
    /// A step that cannot go on now: it blocks, wanting `want` (arming its timeout), or gives
    /// up at once.
    fn wait_or_give_up(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        reason: BlockReason,
        want: Want,
        wait: Waiting,
    ) -> Flow {
        if let Waiting::NoWait { otherwise } = wait {
            self.emit(Event::GaveUp { pid, reason });
            return Flow::GiveUp(otherwise);
        }
        self.block_for(pid, on_cpu, reason, want);
        self.arm_timeout(pid, wait);
        Flow::Blocked
    }
}
