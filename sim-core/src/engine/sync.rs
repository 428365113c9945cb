//! Synchronisation steps: resources (locks, semaphores), events, bounded queues and sleep;
//! deadlock detection, recovery and the banker's avoidance (docs/deadlock.md).
//!
//! Every step here takes no time. A process that cannot go on blocks and gives up its CPU;
//! waiters are served FIFO. Woken processes go on through the engine's `pending` queue, at
//! the same instant, once the current action is done.

use super::OnCpu;
use super::Simulator;
use crate::deadlock::{AllocationGraph, ResourceNode};
use crate::event::{Event, ReleaseReason, WakeReason};
use crate::ids::Pid;
use crate::pcb::{BlockReason, ProcState};
use crate::policy::ReadyReason;
use crate::scan::{scan, sub};
use crate::scenario::{
    Avoidance, FlagId, Multiplexer, QueueId, Recovery, ResourceId, Scenario, Step, Waiting,
};
use crate::snapshot::{EventView, QueueView, ResourceView, SyncView};
use std::cmp::Reverse;
use std::collections::{BTreeSet, VecDeque};

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

/// The items of a queue, first out first: runs of items that carry the same value (`None`:
/// none), so that a queue of a billion plain items is one run.
#[derive(Clone, Debug, Default)]
pub(super) struct Items {
    runs: VecDeque<(Option<i64>, u64)>,
    len: u64,
}

impl Items {
    fn with_plain(count: u64) -> Items {
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

/// The state of every resource, event and queue.
pub(super) struct SyncState {
    available: Vec<u64>,
    resource_waiters: Vec<VecDeque<(Pid, u64)>>,
    /// What each process holds, by pid index: in the order it acquired it.
    holdings: Vec<Vec<Holding>>,
    flags: Vec<bool>,
    flag_waiters: Vec<VecDeque<Pid>>,
    items: Vec<Items>,
    /// Producers waiting for room, each with the value it carries.
    putters: Vec<VecDeque<(Pid, Option<i64>)>>,
    getters: Vec<VecDeque<Pid>>,
    /// Joinable queues: items put and not yet marked done; who waits in `join_queue`.
    unfinished: Vec<u64>,
    queue_joiners: Vec<VecDeque<Pid>>,
    /// Threads in `select` (or `poll`, `epoll_wait`) watching each socket.
    selectors: Vec<VecDeque<Pid>>,
    /// How many times each holder of a reentrant lock has acquired it again.
    recursion: std::collections::BTreeMap<(Pid, ResourceId), u64>,
    /// The process sets of the deadlocks reported that still last.
    reported: BTreeSet<Vec<Pid>>,
}

#[derive(Clone, Debug)]
struct Holding {
    resource: ResourceId,
    count: u64,
    /// The program step that acquired it, and the loop counters then: where a rollback
    /// returns.
    step: usize,
    loops: Vec<u64>,
}

impl SyncState {
    pub(super) fn new(scenario: &Scenario) -> SyncState {
        let sync = &scenario.sync;
        SyncState {
            available: sync.resources.iter().map(|r| r.instances).collect(),
            resource_waiters: vec![VecDeque::new(); sync.resources.len()],
            holdings: Vec::new(),
            flags: sync.events.iter().map(|e| e.initially_set).collect(),
            flag_waiters: vec![VecDeque::new(); sync.events.len()],
            items: sync
                .queues
                .iter()
                .map(|q| Items::with_plain(q.initial_items))
                .collect(),
            putters: vec![VecDeque::new(); sync.queues.len()],
            getters: vec![VecDeque::new(); sync.queues.len()],
            unfinished: sync.queues.iter().map(|q| q.initial_items).collect(),
            queue_joiners: vec![VecDeque::new(); sync.queues.len()],
            selectors: vec![VecDeque::new(); sync.queues.len()],
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
    /// `acquire`: true when `pid` got the instances and goes on; false when it blocked.
    pub(super) fn acquire(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        resource: ResourceId,
        count: u64,
    ) -> bool {
        if self.scenario.sync.resources[resource.0].reentrant && self.sync.held(pid, resource) > 0 {
            // An RLock's holder takes it again: one level deeper, nothing more held.
            *self.sync.recursion.entry((pid, resource)).or_default() += 1;
            self.emit(Event::Acquire {
                pid,
                resource,
                count,
            });
            return true;
        }
        let banker = self.scenario.sync.deadlock.avoid == Avoidance::Banker;
        // FIFO: nobody overtakes a waiter, except under the banker, where a waiter may be
        // refused for safety while a later request is safe.
        let first_in_line = banker || self.sync.resource_waiters[resource.0].is_empty();
        let fits = count <= self.sync.available[resource.0];
        let safe = !banker || !fits || self.banker_allows(pid, resource, count);
        if first_in_line && fits && safe {
            self.grant(pid, resource, count);
            return true;
        }
        self.block(
            pid,
            on_cpu,
            BlockReason::Resource {
                resource,
                count,
                unsafe_state: fits && !safe,
            },
        );
        self.sync.resource_waiters[resource.0].push_back((pid, count));
        if self.scenario.sync.deadlock.detect {
            if self.may_change_deadlocks(pid) {
                self.detect_deadlocks();
            } else if cfg!(debug_assertions) {
                // The test suite checks the shortcut against a full detection.
                assert!(self.allocation_graph().deadlocks().is_empty());
            }
        }
        false
    }

    fn grant(&mut self, pid: Pid, resource: ResourceId, count: u64) {
        self.sync.available[resource.0] -= count;
        let step = self.pcbs[pid.index()].program_counter;
        let loops = self.pcbs[pid.index()].loops.clone();
        self.sync.holdings_of(pid).push(Holding {
            resource,
            count,
            step,
            loops,
        });
        self.emit(Event::Acquire {
            pid,
            resource,
            count,
        });
    }

    /// `release`: gives back `count` instances (or what `pid` holds, if less) and serves the
    /// waiters.
    pub(super) fn release(&mut self, pid: Pid, resource: ResourceId, count: u64) {
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
    pub(super) fn release_all(
        &mut self,
        pid: Pid,
        reason: ReleaseReason,
    ) -> Option<(usize, Vec<u64>)> {
        self.sync.recursion.retain(|(holder, _), _| *holder != pid);
        let holdings = std::mem::take(self.sync.holdings.get_mut(pid.index())?);
        // The oldest holding: holdings are kept in the order they were acquired.
        let first_step = holdings.first().map(|h| (h.step, h.loops.clone()));
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
    fn serve_resource_waiters(&mut self) {
        let banker = self.scenario.sync.deadlock.avoid == Avoidance::Banker;
        loop {
            let mut granted_any = false;
            for index in 0..self.sync.resource_waiters.len() {
                let resource = ResourceId(index);
                let mut position = 0;
                while position < self.sync.resource_waiters[index].len() {
                    let (pid, count) = self.sync.resource_waiters[index][position];
                    let fits = count <= self.sync.available[index];
                    if fits && (!banker || self.banker_allows(pid, resource, count)) {
                        self.sync.resource_waiters[index].remove(position);
                        self.grant(pid, resource, count);
                        self.wake_synced(pid, WakeReason::Acquired { resource });
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

    /// A blocked process's wait is over: it goes on after its blocking step.
    fn wake_synced(&mut self, pid: Pid, reason: WakeReason) {
        self.cancel_timeout(pid);
        self.emit(Event::Wake { pid, reason });
        self.pcbs[pid.index()].program_counter += 1;
        self.pending.push_back((pid, ReadyReason::Woken));
    }

    /// The banker's check: would granting `count` of `resource` to `pid` leave a safe state?
    fn banker_allows(&self, pid: Pid, resource: ResourceId, count: u64) -> bool {
        let width = self.scenario.sync.resources.len();
        let mut available = self.sync.available.clone();
        available[resource.0] -= count;
        let living: Vec<Pid> = self
            .pcbs
            .iter()
            .filter(|p| !matches!(p.state, ProcState::New) && !p.state.has_exited() || p.pid == pid)
            .map(|p| p.pid)
            .collect();
        let (allocation, need): (Vec<Vec<u64>>, Vec<Vec<u64>>) = living
            .iter()
            .map(|&p| {
                let mut allocation = self.sync.allocation(p, width);
                if p == pid {
                    allocation[resource.0] += count;
                }
                let claims = self
                    .scenario
                    .processes
                    .get(p.index())
                    .map(|spec| spec.max_claims.clone())
                    .filter(|claims| !claims.is_empty())
                    .unwrap_or_else(|| allocation.clone());
                let need = sub(&claims, &allocation);
                (allocation, need)
            })
            .unzip();
        scan(&available, &allocation, &need)
            .finished
            .iter()
            .all(|&finished| finished)
    }

    /// Resources, events and queues now, for snapshots and reports.
    pub fn sync_view(&self) -> SyncView {
        let sync = &self.scenario.sync;
        let graph = self.allocation_graph();
        SyncView {
            resources: sync
                .resources
                .iter()
                .enumerate()
                .map(|(index, spec)| ResourceView {
                    name: spec.name.clone(),
                    instances: spec.instances,
                    available: self.sync.available[index],
                    holders: graph
                        .holds
                        .iter()
                        .filter(|(_, r, _)| r.0 == index)
                        .map(|&(pid, _, count)| (pid, count))
                        .collect(),
                    waiters: self.sync.resource_waiters[index].iter().copied().collect(),
                })
                .collect(),
            events: sync
                .events
                .iter()
                .enumerate()
                .map(|(index, spec)| EventView {
                    name: spec.name.clone(),
                    set: self.sync.flags[index],
                    waiters: self.sync.flag_waiters[index].iter().copied().collect(),
                })
                .collect(),
            queues: sync
                .queues
                .iter()
                .enumerate()
                .map(|(index, spec)| QueueView {
                    name: spec.name.clone(),
                    capacity: spec.capacity,
                    items: self.sync.items[index].len,
                    kind: spec.kind,
                    unfinished: spec.joinable.then_some(self.sync.unfinished[index]),
                    waiting_to_put: self.sync.putters[index].iter().map(|&(p, _)| p).collect(),
                    waiting_to_get: self.sync.getters[index].iter().copied().collect(),
                })
                .collect(),
        }
    }

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
            for &(pid, count) in &self.sync.resource_waiters[index] {
                graph.requests.push((pid, ResourceId(index), count));
            }
        }
        let width = self.scenario.sync.resources.len();
        for index in 0..self.sync.holdings.len() {
            let pid = Pid::from_index(index);
            let allocation = self.sync.allocation(pid, width);
            for (resource, &held) in allocation.iter().enumerate() {
                if held > 0 {
                    graph.holds.push((pid, ResourceId(resource), held));
                }
            }
        }
        graph.requests.sort();
        graph
    }

    /// Whether `pid`'s new request could change what detection finds. A cycle of the
    /// resource-allocation graph passes through processes that both hold and request, and was
    /// closed by the request made last, which detection saw: so while no deadlock is reported,
    /// a request by a process that holds nothing closes none, and detection (a scan of every
    /// holder and waiter, costly with thousands waiting) would find nothing.
    fn may_change_deadlocks(&self, pid: Pid) -> bool {
        !self.sync.reported.is_empty()
            || self
                .sync
                .holdings
                .get(pid.index())
                .is_some_and(|holdings| !holdings.is_empty())
    }

    /// Reports every deadlock not reported yet and, if the scenario says so, recovers.
    fn detect_deadlocks(&mut self) {
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
        self.leave_sync_queues(victim);
        let here = (
            self.pcbs[victim.index()].program_counter,
            self.pcbs[victim.index()].loops.clone(),
        );
        let (step, loops) = self
            .release_all(victim, ReleaseReason::Preempted)
            .unwrap_or(here);
        let pcb = &mut self.pcbs[victim.index()];
        pcb.program_counter = step;
        pcb.loops = loops;
        pcb.step_cost_paid = false;
        self.emit(Event::Rollback { pid: victim, step });
        self.pending.push_back((victim, ReadyReason::Woken));
    }

    /// The timeout `pid` waits with, if any, will not fire: it got what it waited for, or it
    /// is gone.
    pub(super) fn cancel_timeout(&mut self, pid: Pid) {
        if let Some(sequence) = self.io_sequence[pid.index()].take() {
            self.io_completions
                .retain(|Reverse((_, s, ..))| *s != sequence);
        }
    }

    /// Blocked with `wait`: a timeout is armed to end the wait after its ticks.
    fn arm_timeout(&mut self, pid: Pid, wait: Waiting) {
        if let Waiting::Timeout { ticks, .. } = wait {
            let sequence = self.next_io_sequence;
            self.next_io_sequence += 1;
            self.io_sequence[pid.index()] = Some(sequence);
            self.io_completions.push(Reverse((
                self.now.plus(ticks),
                sequence,
                pid,
                TIMEOUT_DEVICE,
            )));
        }
    }

    /// `pid`'s timeout fired before it got what it waited for: it leaves the waiting line and
    /// goes on with the steps for giving up (Python's `queue.Empty`, `Full`, or `False`).
    pub(super) fn time_out(&mut self, pid: Pid) {
        self.leave_sync_queues(pid);
        let pc = self.pcbs[pid.index()].program_counter;
        let otherwise = match self.programs[pid.index()].get(pc) {
            Some(
                Step::Put { wait, .. } | Step::Get { wait, .. } | Step::WaitEvent { wait, .. },
            ) => match wait {
                Waiting::Timeout { otherwise, .. } => *otherwise,
                _ => pc + 1,
            },
            _ => pc + 1,
        };
        self.emit(Event::Wake {
            pid,
            reason: WakeReason::TimedOut,
        });
        self.pcbs[pid.index()].program_counter = otherwise;
        self.continue_program(pid, None, ReadyReason::Woken);
    }

    /// A step that cannot go on now: it blocks (arming its timeout), or gives up at once.
    fn wait_or_give_up(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        reason: BlockReason,
        wait: Waiting,
    ) -> Flow {
        if let Waiting::NoWait { otherwise } = wait {
            self.emit(Event::GaveUp { pid, reason });
            return Flow::GiveUp(otherwise);
        }
        self.block(pid, on_cpu, reason);
        self.arm_timeout(pid, wait);
        Flow::Blocked
    }

    /// `task_done`: one item of a joinable queue is dealt with; when none is left, the
    /// threads in `join_queue` go on. More calls than items is a failed step (Python's
    /// `ValueError: task_done() called too many times`).
    pub(super) fn task_done(&mut self, pid: Pid, queue: QueueId) {
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
            for joiner in std::mem::take(&mut self.sync.queue_joiners[queue.0]) {
                self.wake_synced(joiner, WakeReason::QueueJoined { queue });
            }
        }
    }

    /// `join_queue`: true when every item is dealt with and `pid` goes on.
    pub(super) fn join_queue(&mut self, pid: Pid, on_cpu: Option<OnCpu>, queue: QueueId) -> bool {
        if self.sync.unfinished[queue.0] == 0 {
            return true;
        }
        self.block(pid, on_cpu, BlockReason::JoinQueue { queue });
        self.sync.queue_joiners[queue.0].push_back(pid);
        false
    }

    /// Takes `pid` out of every waiting line of resources, events and queues.
    pub(super) fn leave_sync_queues(&mut self, pid: Pid) {
        for waiters in &mut self.sync.resource_waiters {
            waiters.retain(|&(p, _)| p != pid);
        }
        for waiters in self
            .sync
            .flag_waiters
            .iter_mut()
            .chain(&mut self.sync.getters)
            .chain(&mut self.sync.queue_joiners)
            .chain(&mut self.sync.selectors)
        {
            waiters.retain(|&p| p != pid);
        }
        for putters in &mut self.sync.putters {
            putters.retain(|&(p, _)| p != pid);
        }
    }

    /// `wait_event`: the event is set (go on), or `pid` waits for it or gives up.
    pub(super) fn wait_event(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        flag: FlagId,
        wait: Waiting,
    ) -> Flow {
        if self.sync.flags[flag.0] {
            return Flow::Next;
        }
        let flow = self.wait_or_give_up(pid, on_cpu, BlockReason::Event { event: flag }, wait);
        if matches!(flow, Flow::Blocked) {
            self.sync.flag_waiters[flag.0].push_back(pid);
        }
        flow
    }

    /// `set`: the event stays set until cleared; everyone waiting goes on, in FIFO order.
    pub(super) fn set_event(&mut self, pid: Pid, flag: FlagId) {
        self.sync.flags[flag.0] = true;
        let waiters = std::mem::take(&mut self.sync.flag_waiters[flag.0]);
        self.emit(Event::SetEvent {
            pid,
            flag,
            woken: waiters.len(),
        });
        for waiter in waiters {
            self.wake_synced(waiter, WakeReason::EventSet { event: flag });
        }
    }

    pub(super) fn clear_event(&mut self, pid: Pid, flag: FlagId) {
        self.sync.flags[flag.0] = false;
        self.emit(Event::ClearEvent { pid, flag });
    }

    /// `put` (and `send`): the item, carrying `value`, goes in (or straight to a waiting
    /// consumer); or, the queue full, `pid` waits for room or gives up.
    pub(super) fn put(
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
            let flow = self.wait_or_give_up(pid, on_cpu, BlockReason::QueueFull { queue }, wait);
            if matches!(flow, Flow::Blocked) {
                self.sync.putters[queue.0].push_back((pid, value));
            }
            return flow;
        }
        self.add_item(pid, queue, value);
        if let Some(consumer) = self.sync.getters[queue.0].pop_front() {
            self.take_item(consumer, queue);
            self.wake_synced(consumer, WakeReason::QueueItem { queue });
        }
        Flow::Next
    }

    /// `get` (and `recv`): `pid` takes the first item (its value, if any, goes into its
    /// register); or, the queue empty, waits for one or gives up.
    pub(super) fn get(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        queue: QueueId,
        wait: Waiting,
    ) -> Flow {
        if self.sync.items[queue.0].len == 0 {
            let flow = self.wait_or_give_up(pid, on_cpu, BlockReason::QueueEmpty { queue }, wait);
            if matches!(flow, Flow::Blocked) {
                self.sync.getters[queue.0].push_back(pid);
            }
            return flow;
        }
        self.take_item(pid, queue);
        if let Some((producer, value)) = self.sync.putters[queue.0].pop_front() {
            self.add_item(producer, queue, value);
            self.wake_synced(producer, WakeReason::QueueSpace { queue });
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
        if self.sync.getters[queue.0].is_empty() {
            for selector in std::mem::take(&mut self.sync.selectors[queue.0]) {
                self.leave_sync_queues(selector);
                self.emit(Event::Wake {
                    pid: selector,
                    reason: WakeReason::SocketReadable { queue },
                });
                self.set_state(selector, ProcState::Ready);
                self.pending.push_back((selector, ReadyReason::Woken));
            }
        }
    }

    /// `select`, `poll` or `epoll_wait` on `watched`: the readable ones become the thread's
    /// selection (go on); or, none readable, the thread sleeps until one is. A select or poll
    /// costs `rules.select_cost` per watched socket, once a call; an epoll_wait
    /// `rules.epoll_cost` per ready socket, when it returns.
    pub(super) fn select(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        why: ReadyReason,
        call: Multiplexer,
        watched: &[QueueId],
    ) -> bool {
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
            self.block(
                pid,
                on_cpu,
                BlockReason::Select {
                    watched: watched.len() as u32,
                },
            );
            for queue in watched {
                self.sync.selectors[queue.0].push_back(pid);
            }
            // A select or poll has paid for this call; it looks again for free when woken.
            if call != Multiplexer::Epoll {
                self.pcbs[pid.index()].step_cost_paid = true;
            }
            return false;
        }
        if self.spend_step_cost(pid, on_cpu, why, cost) {
            return false;
        }
        self.emit(Event::Selected {
            pid,
            call: call.name(),
            ready: ready.clone(),
        });
        self.pcbs[pid.index()].selected = ready;
        true
    }

    fn take_item(&mut self, pid: Pid, queue: QueueId) {
        if let Some(Some(value)) = self.sync.items[queue.0].pop() {
            self.pcbs[pid.index()].register = value;
        }
        let items = self.sync.items[queue.0].len;
        self.emit(Event::Get { pid, queue, items });
    }

    /// `sleep`: blocked `ticks`, then ready again.
    pub(super) fn sleep(&mut self, pid: Pid, on_cpu: Option<OnCpu>, ticks: u64) {
        self.pcbs[pid.index()].remaining_ticks = ticks;
        self.block(pid, on_cpu, BlockReason::Sleep { ticks });
        let sequence = self.next_io_sequence;
        self.next_io_sequence += 1;
        self.io_sequence[pid.index()] = Some(sequence);
        self.io_completions
            .push(Reverse((self.now.plus(ticks), sequence, pid, SLEEP_DEVICE)));
    }

    /// Deadlock recovery: `pid` is killed (exit status -9) and releases what it holds.
    fn abort(&mut self, pid: Pid) {
        self.emit(Event::Abort { pid });
        self.terminate(pid, ABORTED_EXIT_CODE, super::lifecycle::Locks::Release);
    }
}
