//! Where every waiting thread waits: one line per thing waited on, one structure for all.
//!
//! A thread that is blocked, or waiting for its process's GIL, is in exactly one line, keyed
//! by what it waits on ([`WaitOn`]). Every primitive enters its line here and serves it from
//! here; every cleanup path (a wake, a timeout, a kill, an exit, a recovery) leaves with one
//! call, [`Waits::leave`], wherever the thread was; every view reads the lines from here. The
//! engine enters a line only in `block` and at the GIL, and `set_state` leaves it, so being in
//! a line and being in a waiting state are one fact (docs/ARCHITECTURE.md).

use crate::ids::{DeviceId, FlagId, Pid, QueueId, ResourceId};
use crate::pcb::BlockReason;
use crate::scenario::PoolId;
use std::collections::{BTreeMap, VecDeque};

/// What a thread waits on: the key of its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum WaitOn {
    /// Service from a device: those being served first (in the order their service began),
    /// then those queued for a server.
    Device(DeviceId),
    /// The end of a `sleep`.
    Sleep,
    /// Instances of a lock or semaphore.
    Resource(ResourceId),
    /// An event to be set.
    Event(FlagId),
    /// Room in a full queue, pipe or socket.
    QueueRoom(QueueId),
    /// An item in an empty queue, pipe or socket.
    QueueItem(QueueId),
    /// Every item of a joinable queue marked done (`join_queue`).
    QueueJoin(QueueId),
    /// A readable socket among those the thread watches (`select`, `poll`, `epoll_wait`).
    Select(Pid),
    /// The exit of this child (`wait` for a named child).
    Child(Pid),
    /// The exit of any child of this process (`wait` for any child).
    AnyChild(Pid),
    /// The end of this thread (`join`).
    Thread(Pid),
    /// The end of every non-daemon thread of this process (its main thread's program is over).
    Threads(Pid),
    /// The exit of this process's non-daemon children (Python's exit handler joins them).
    Children(Pid),
    /// The tasks a thread submitted to this pool (`apply`, `map`).
    PoolTasks(PoolId),
    /// A task to run (the pool's idle workers).
    PoolIdle(PoolId),
    /// The exit of this closed pool's workers (`join_pool`).
    PoolJoin(PoolId),
    /// A callback to run (the pool's result handler).
    PoolResults(PoolId),
    /// This process's GIL.
    Gil(Pid),
    /// A ready coroutine in this thread's event loop.
    EventLoop(Pid),
    /// SIGCONT to this stopped process.
    Stopped(Pid),
}

impl WaitOn {
    /// The line a thread of `process` (tid `tid`) blocked for `reason` waits in.
    pub fn of_block(reason: BlockReason, tid: Pid, process: Pid) -> WaitOn {
        match reason {
            BlockReason::Io { device, .. } => WaitOn::Device(device),
            BlockReason::Sleep { .. } => WaitOn::Sleep,
            BlockReason::Resource { resource, .. } => WaitOn::Resource(resource),
            BlockReason::Event { event } => WaitOn::Event(event),
            BlockReason::QueueFull { queue } => WaitOn::QueueRoom(queue),
            BlockReason::QueueEmpty { queue } => WaitOn::QueueItem(queue),
            BlockReason::JoinQueue { queue } => WaitOn::QueueJoin(queue),
            BlockReason::Select { .. } => WaitOn::Select(tid),
            BlockReason::Wait { child: Some(child) } => WaitOn::Child(child),
            BlockReason::Wait { child: None } => WaitOn::AnyChild(process),
            BlockReason::Join {
                thread: Some(thread),
            } => WaitOn::Thread(thread),
            BlockReason::Join { thread: None } => WaitOn::Threads(process),
            BlockReason::JoinChildren => WaitOn::Children(process),
            BlockReason::PoolTasks { pool } => WaitOn::PoolTasks(pool),
            BlockReason::PoolIdle { pool } => WaitOn::PoolIdle(pool),
            BlockReason::PoolResults { pool } => WaitOn::PoolResults(pool),
            BlockReason::JoinPool { pool } => WaitOn::PoolJoin(pool),
            BlockReason::EventLoop => WaitOn::EventLoop(tid),
            BlockReason::Stopped => WaitOn::Stopped(process),
        }
    }
}

/// How a thread goes on once it takes the GIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Resume {
    /// Its program goes on from its program counter (it was admitted or woken, or its burst
    /// ended as the interval did).
    Program,
    /// It re-enters the ready queue with the rest of its CPU burst.
    ReadyQueue,
}

/// What a waiter wants beyond its place in line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    /// Nothing more: being woken is all.
    Wake,
    /// This many instances of a resource.
    Instances(u64),
    /// Room for an item carrying this value.
    Room(Option<i64>),
    /// This many ticks of a device's service.
    Service(u64),
    /// The GIL, and how it goes on once it takes it.
    Gil(Resume),
    /// A readable channel among `read`, or one with room among `write` (`select`).
    Ready {
        read: Box<[QueueId]>,
        write: Box<[QueueId]>,
    },
}

/// A thread in a line, with what it wants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Waiter {
    pub tid: Pid,
    pub want: Want,
}

/// Where a thread was when it left its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Left {
    pub on: WaitOn,
    /// Its place in the line (0: first).
    pub position: usize,
    pub want: Want,
}

/// How many of each thing a scenario has: the lines that exist from the start.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    pub devices: usize,
    pub resources: usize,
    pub events: usize,
    pub queues: usize,
    pub pools: usize,
}

/// Every line, and where each thread is.
///
/// Lines are slots of one table: those of the scenario's devices, resources, events, queues
/// and pools (and sleep) at fixed places, found by arithmetic; those of a thread or process
/// (its children, its GIL, its `select`, ...) opened when first waited on, found through a map,
/// and given back when they empty. A slot keeps its buffer, so the steady state allocates
/// nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct Waits {
    counts: Counts,
    lines: Vec<Line>,
    /// The slot of each open line of a thread or process.
    opened: BTreeMap<WaitOn, u32>,
    /// Slots of such lines, emptied and closed, ready for another.
    spare: Vec<u32>,
    /// The slot of each thread's line plus one, by pid index (0: in none): four bytes a thread.
    slot_of: Vec<u32>,
    /// The threads in `select` watching each socket to read, by queue index, in the order
    /// they began.
    watchers: Vec<VecDeque<Pid>>,
    /// The threads in `select` watching each channel for room to write, likewise.
    room_watchers: Vec<VecDeque<Pid>>,
}

#[derive(Clone, Debug)]
struct Line {
    on: WaitOn,
    waiters: VecDeque<Waiter>,
}

impl Waits {
    pub fn new(counts: Counts) -> Waits {
        let mut lines = Vec::new();
        let mut open = |on: WaitOn| {
            lines.push(Line {
                on,
                waiters: VecDeque::new(),
            })
        };
        (0..counts.devices).for_each(|d| open(WaitOn::Device(DeviceId(d))));
        open(WaitOn::Sleep);
        (0..counts.resources).for_each(|r| open(WaitOn::Resource(ResourceId(r))));
        (0..counts.events).for_each(|e| open(WaitOn::Event(FlagId(e))));
        for queue in 0..counts.queues {
            open(WaitOn::QueueRoom(QueueId(queue)));
            open(WaitOn::QueueItem(QueueId(queue)));
            open(WaitOn::QueueJoin(QueueId(queue)));
        }
        for pool in 0..counts.pools {
            open(WaitOn::PoolTasks(PoolId(pool)));
            open(WaitOn::PoolIdle(PoolId(pool)));
            open(WaitOn::PoolJoin(PoolId(pool)));
            open(WaitOn::PoolResults(PoolId(pool)));
        }
        Waits {
            counts,
            lines,
            opened: BTreeMap::new(),
            spare: Vec::new(),
            slot_of: Vec::new(),
            watchers: vec![VecDeque::new(); counts.queues],
            room_watchers: vec![VecDeque::new(); counts.queues],
        }
    }

    /// The slot of a line of the scenario's things, fixed from the start.
    fn fixed_slot(&self, on: WaitOn) -> Option<usize> {
        let Counts {
            devices,
            resources,
            events,
            queues,
            ..
        } = self.counts;
        let sleep = devices;
        let resource = sleep + 1;
        let event = resource + resources;
        let queue = event + events;
        let pool = queue + 3 * queues;
        Some(match on {
            WaitOn::Device(device) => device.0,
            WaitOn::Sleep => sleep,
            WaitOn::Resource(id) => resource + id.0,
            WaitOn::Event(id) => event + id.0,
            WaitOn::QueueRoom(id) => queue + 3 * id.0,
            WaitOn::QueueItem(id) => queue + 3 * id.0 + 1,
            WaitOn::QueueJoin(id) => queue + 3 * id.0 + 2,
            WaitOn::PoolTasks(id) => pool + 4 * id.0,
            WaitOn::PoolIdle(id) => pool + 4 * id.0 + 1,
            WaitOn::PoolJoin(id) => pool + 4 * id.0 + 2,
            WaitOn::PoolResults(id) => pool + 4 * id.0 + 3,
            _ => return None,
        })
    }

    /// The slot of the line of `on`, if it is open.
    fn slot(&self, on: WaitOn) -> Option<usize> {
        self.fixed_slot(on)
            .or_else(|| self.opened.get(&on).map(|&slot| slot as usize))
    }

    /// The slot of the line of `on`, opened (a spare slot if there is one) if need be.
    fn open(&mut self, on: WaitOn) -> usize {
        if let Some(slot) = self.slot(on) {
            return slot;
        }
        let slot = match self.spare.pop() {
            Some(slot) => {
                self.lines[slot as usize].on = on;
                slot
            }
            None => {
                self.lines.push(Line {
                    on,
                    waiters: VecDeque::new(),
                });
                u32::try_from(self.lines.len() - 1).expect("fewer than 2^32 lines")
            }
        };
        self.opened.insert(on, slot);
        slot as usize
    }

    /// A line of a thread or process that has emptied is closed, its slot kept as a spare.
    fn close_if_empty(&mut self, slot: usize) {
        let line = &self.lines[slot];
        if line.waiters.is_empty() && self.fixed_slot(line.on).is_none() {
            self.opened.remove(&line.on);
            self.spare.push(slot as u32);
        }
    }

    /// `tid` joins the back of the line of `on`. It must be in no line.
    pub fn enter(&mut self, tid: Pid, on: WaitOn, want: Want) {
        debug_assert_eq!(self.line_of(tid), None, "{tid} waits in two lines");
        if let Want::Ready { read, write } = &want {
            for queue in read.iter() {
                self.watchers[queue.0].push_back(tid);
            }
            for queue in write.iter() {
                self.room_watchers[queue.0].push_back(tid);
            }
        }
        let slot = self.open(on);
        *crate::policy::entry(&mut self.slot_of, tid, 0) = slot as u32 + 1;
        self.lines[slot].waiters.push_back(Waiter { tid, want });
    }

    /// The line `tid` waits in, if any.
    pub fn line_of(&self, tid: Pid) -> Option<WaitOn> {
        match self.slot_of.get(tid.index()) {
            Some(&slot) if slot > 0 => Some(self.lines[slot as usize - 1].on),
            _ => None,
        }
    }

    /// Takes `tid` out of its line, wherever it is; `None` if it was in none.
    pub fn leave(&mut self, tid: Pid) -> Option<Left> {
        let slot = std::mem::take(self.slot_of.get_mut(tid.index())?).checked_sub(1)? as usize;
        let line = &mut self.lines[slot];
        let position = if line.waiters.front().is_some_and(|w| w.tid == tid) {
            0
        } else {
            line.waiters
                .iter()
                .position(|w| w.tid == tid)
                .expect("a thread is in the line it is filed under")
        };
        let waiter = line
            .waiters
            .remove(position)
            .expect("the position is in the line");
        let on = line.on;
        self.forget_watches(&waiter);
        self.close_if_empty(slot);
        Some(Left {
            on,
            position,
            want: waiter.want,
        })
    }

    /// Takes the waiter at `position` of the line of `on`.
    pub fn remove_at(&mut self, on: WaitOn, position: usize) -> Option<Waiter> {
        let slot = self.slot(on)?;
        let waiter = self.lines[slot].waiters.remove(position)?;
        self.slot_of[waiter.tid.index()] = 0;
        self.forget_watches(&waiter);
        self.close_if_empty(slot);
        Some(waiter)
    }

    /// Takes the first waiter of the line of `on`.
    pub fn pop_front(&mut self, on: WaitOn) -> Option<Waiter> {
        self.remove_at(on, 0)
    }

    /// Takes every waiter of the line of `on`, first first.
    pub fn take_all(&mut self, on: WaitOn) -> Vec<Waiter> {
        let Some(slot) = self.slot(on) else {
            return Vec::new();
        };
        let waiters: Vec<Waiter> = self.lines[slot].waiters.drain(..).collect();
        for waiter in &waiters {
            self.slot_of[waiter.tid.index()] = 0;
            self.forget_watches(waiter);
        }
        self.close_if_empty(slot);
        waiters
    }

    /// The line of `on`, first first.
    pub fn line(&self, on: WaitOn) -> impl Iterator<Item = &Waiter> + '_ {
        self.slot(on)
            .into_iter()
            .flat_map(|slot| self.lines[slot].waiters.iter())
    }

    /// The waiter at `position` of the line of `on`.
    pub fn at(&self, on: WaitOn, position: usize) -> Option<&Waiter> {
        self.lines[self.slot(on)?].waiters.get(position)
    }

    /// How many wait in the line of `on`.
    pub fn len(&self, on: WaitOn) -> usize {
        self.slot(on)
            .map_or(0, |slot| self.lines[slot].waiters.len())
    }

    /// Whether nobody waits on `on`.
    pub fn is_empty(&self, on: WaitOn) -> bool {
        self.len(on) == 0
    }

    /// The threads in `select` watching `queue`, in the order they began to.
    pub fn watchers(&self, queue: QueueId) -> Vec<Pid> {
        self.watchers[queue.0].iter().copied().collect()
    }

    /// The threads in `select` waiting for room in `queue`, in the order they began.
    pub fn room_watchers(&self, queue: QueueId) -> Vec<Pid> {
        self.room_watchers[queue.0].iter().copied().collect()
    }

    /// Every line with someone in it, in the order of their keys.
    pub fn lines(&self) -> impl Iterator<Item = (WaitOn, &VecDeque<Waiter>)> + '_ {
        let mut lines: Vec<&Line> = self
            .lines
            .iter()
            .filter(|line| !line.waiters.is_empty())
            .collect();
        lines.sort_by_key(|line| line.on);
        lines.into_iter().map(|line| (line.on, &line.waiters))
    }

    fn forget_watches(&mut self, waiter: &Waiter) {
        if let Want::Ready { read, write } = &waiter.want {
            for queue in read.iter() {
                self.watchers[queue.0].retain(|&t| t != waiter.tid);
            }
            for queue in write.iter() {
                self.room_watchers[queue.0].retain(|&t| t != waiter.tid);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_is_in_one_line_and_leaves_it_from_anywhere() {
        let mut waits = Waits::new(Counts {
            resources: 1,
            queues: 2,
            ..Counts::default()
        });
        let lock = WaitOn::Resource(ResourceId(0));
        waits.enter(Pid(2), lock, Want::Instances(1));
        waits.enter(Pid(3), lock, Want::Instances(2));
        waits.enter(Pid(4), lock, Want::Instances(1));
        assert_eq!(waits.line_of(Pid(3)), Some(lock));
        let left = waits.leave(Pid(3)).unwrap();
        assert_eq!((left.on, left.position), (lock, 1));
        assert_eq!(left.want, Want::Instances(2));
        assert_eq!(waits.line_of(Pid(3)), None);
        assert_eq!(waits.leave(Pid(3)), None);
        let order: Vec<Pid> = waits.line(lock).map(|w| w.tid).collect();
        assert_eq!(order, [Pid(2), Pid(4)]);
        assert_eq!(waits.pop_front(lock).unwrap().tid, Pid(2));
        assert_eq!(waits.line_of(Pid(2)), None);
    }

    #[test]
    fn a_select_is_one_wait_watching_several_sockets() {
        let mut waits = Waits::new(Counts {
            queues: 3,
            ..Counts::default()
        });
        let read: Box<[QueueId]> = Box::new([QueueId(0), QueueId(2)]);
        let write: Box<[QueueId]> = Box::new([QueueId(1)]);
        waits.enter(Pid(5), WaitOn::Select(Pid(5)), Want::Ready { read, write });
        assert_eq!(waits.watchers(QueueId(2)), [Pid(5)]);
        assert_eq!(waits.room_watchers(QueueId(1)), [Pid(5)]);
        assert!(waits.watchers(QueueId(1)).is_empty());
        assert_eq!(waits.lines().count(), 1);
        waits.leave(Pid(5));
        assert!(waits.watchers(QueueId(0)).is_empty() && waits.watchers(QueueId(2)).is_empty());
        assert!(waits.room_watchers(QueueId(1)).is_empty());
        assert_eq!(waits.lines().count(), 0);
    }
}
