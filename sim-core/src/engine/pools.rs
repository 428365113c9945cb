//! Process pools, as Python's `multiprocessing.Pool` (docs/python.md). The process that first
//! uses a pool forks its workers at that instant (daemonic processes named
//! `ForkPoolWorker-k`, one after another, each after `rules.fork_cost` of its CPU); they keep their pids for the whole run.
//! Each worker loops: take the next task from the pool's FIFO queue and run its steps, or wait
//! for one; once the pool is closed and its queue empty, it exits. `apply` waits for its task,
//! `map` for all of its copies, `apply_async` goes on at once, and its callback runs in the
//! pool's result handler: one thread per pool, in the process whose task first had a
//! callback, running the callbacks one after another in the order their tasks finished
//! (CPython's `Pool._handle_results`); `join_pool` waits for it too.

use super::program::GoOn;
use super::waits::{WaitOn, Waiter};
use super::*;
use crate::event::PoolMisuse;
use crate::scenario::{ChildSpec, LifecycleOptions, PoolId, ThreadSpec};
use std::sync::Arc;

/// The name of a pool's result handler thread: the method CPython's runs
/// (`Thread-N (_handle_results)`).
pub const RESULT_HANDLER: &str = "_handle_results";

/// Every pool's state and every task submitted so far.
#[derive(Clone, Debug, Default)]
pub(super) struct Pools {
    pools: Vec<PoolState>,
    tasks: Vec<Task>,
    /// The task each busy worker runs, by worker pid.
    running: BTreeMap<Pid, usize>,
    /// The tasks each thread blocked in `apply`, `map` or `get_result` waits for.
    waiting: BTreeMap<Pid, Awaited>,
    /// The task each AsyncResult name stands for, by submitting process: the last submitted
    /// under it, as a Python variable holds the last value assigned to it.
    named: BTreeMap<(Pid, String), usize>,
    /// The lists `map` filled (`as: L`), by process.
    lists: BTreeMap<(Pid, String), Vec<Option<i64>>>,
}

/// What a waiting thread waits for, and where the values go once the last task is done.
#[derive(Clone, Debug)]
struct Awaited {
    left: u64,
    tasks: std::ops::Range<usize>,
    delivery: Delivery,
}

/// Where the values of awaited tasks go.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Delivery {
    /// `apply`, `get_result`: the task's `return` into the register.
    Register,
    /// `map` with `as: L`: every task's `return`, in task order, into list L.
    List(String),
    /// `map` without `as`.
    Nothing,
}

/// How a task ended.
#[derive(Clone, Debug)]
enum TaskOutcome {
    /// With `return` (`Some`) or at the end of its steps (Python's `None`).
    Returned(Option<i64>),
    /// By an uncaught exception: `get()` raises it again in the caller.
    Raised(String),
}

#[derive(Clone, Debug, Default)]
struct PoolState {
    /// Every worker has been forked (or tried to be).
    started: bool,
    /// How many worker forks its first user has made so far.
    forked: usize,
    closed: bool,
    workers: Vec<Pid>,
    /// Task numbers, first to run first. (Workers waiting for a task wait in the engine's
    /// line `WaitOn::PoolIdle`.)
    queue: VecDeque<usize>,
    /// The result handler thread, once a task with a callback has finished.
    handler: Option<Pid>,
    /// Callbacks of finished tasks, first finished first, that the handler has not started.
    callbacks: VecDeque<Program>,
    /// Tasks submitted and not yet done.
    unfinished: usize,
}

#[derive(Clone, Debug)]
struct Task {
    program: Program,
    /// The submitting process: where the callback runs.
    process: Pid,
    callback: Option<Program>,
    /// The thread blocked in `apply`, `map` or `get_result` for it.
    waiter: Option<Pid>,
    /// Its argument: its index in its `map` (0 for `apply` and `apply_async`).
    index: u64,
    /// How it ended, once it has.
    outcome: Option<TaskOutcome>,
}

impl Pools {
    pub fn new(pools: usize) -> Pools {
        Pools {
            pools: vec![PoolState::default(); pools],
            ..Pools::default()
        }
    }

    /// The pools as plain data, for snapshots.
    pub fn views(&self, scenario: &Scenario) -> Vec<crate::snapshot::PoolView> {
        self.pools
            .iter()
            .zip(&scenario.pools)
            .filter(|(state, _)| state.forked > 0)
            .map(|(state, spec)| crate::snapshot::PoolView {
                name: spec.name.clone(),
                closed: state.closed,
                workers: state.workers.clone(),
                busy: state
                    .workers
                    .iter()
                    .filter_map(|w| self.running.get(w).map(|&task| (*w, task + 1)))
                    .collect(),
                queue: state.queue.iter().map(|task| task + 1).collect(),
            })
            .collect()
    }
}

impl Simulator {
    /// Before the first step that uses `pool`: the caller forks its workers one after another,
    /// each once it has spent `rules.fork_cost` for it (as `Pool.__init__` starts them one by
    /// one), so a worker can run while the caller pays for the next. Returns false while a
    /// cost is being spent (the step waits for it and comes back here).
    pub(super) fn start_pool(
        &mut self,
        caller: Pid,
        pool: PoolId,
        on_cpu: Option<OnCpu>,
        why: ReadyReason,
    ) -> bool {
        if self.pools.pools[pool.0].started {
            return true;
        }
        let workers = self.scenario.pools[pool.0].workers;
        let program: Program = Arc::from(vec![Step::PoolWork(pool)]);
        while self.pools.pools[pool.0].forked < workers {
            let cost = self.scenario.rules.fork_cost_ticks;
            if self.spend_step_cost(caller, on_cpu, why, cost) {
                return false;
            }
            self.pools.pools[pool.0].forked += 1;
            let number = self.pools.pools[pool.0].forked;
            let before = self.pcbs.len();
            self.fork(
                caller,
                &ChildSpec {
                    name: format!("ForkPoolWorker-{number}"),
                    priority: None,
                    tickets: None,
                    options: LifecycleOptions {
                        daemon: true,
                        ..LifecycleOptions::default()
                    },
                    program: Some(program.clone()),
                    result_in_register: false,
                    nice: None,
                },
            );
            if self.pcbs.len() > before {
                self.pools.pools[pool.0]
                    .workers
                    .push(Pid::from_index(before));
            }
        }
        self.pools.pools[pool.0].started = true;
        true
    }

    /// `apply_async`: one task, the caller goes on; `result` names it (`as: R`).
    pub(super) fn submit_async(
        &mut self,
        caller: Pid,
        pool: PoolId,
        task: &Program,
        callback: Option<&Program>,
        result: Option<&str>,
    ) {
        if self.submit(caller, pool, task, callback, 1, None)
            && let Some(name) = result
        {
            self.name_last_task(caller, name);
        }
    }

    /// Queues `count` copies of a task on `pool`; an idle worker takes each at once. With a
    /// `delivery` the caller waits for them all. Returns false (and lists a failed step) when
    /// the pool is closed.
    fn submit(
        &mut self,
        caller: Pid,
        pool: PoolId,
        program: &Program,
        callback: Option<&Program>,
        count: u64,
        delivery: Option<Delivery>,
    ) -> bool {
        if self.pools.pools[pool.0].closed {
            self.emit(Event::PoolMisuse {
                pid: caller,
                pool,
                misuse: PoolMisuse::SubmitAfterClose,
            });
            return false;
        }
        let process = self.pcbs[caller.index()].process;
        let first = self.pools.tasks.len();
        for index in 0..count {
            let task = self.pools.tasks.len();
            self.pools.tasks.push(Task {
                program: program.clone(),
                process,
                callback: callback.cloned(),
                waiter: delivery.is_some().then_some(caller),
                index,
                outcome: None,
            });
            self.pools.pools[pool.0].queue.push_back(task);
            self.pools.pools[pool.0].unfinished += 1;
            self.emit(Event::TaskQueued {
                pid: caller,
                pool,
                task: task + 1,
            });
            if let Some(Waiter { tid: worker, .. }) = self.waits.pop_front(WaitOn::PoolIdle(pool)) {
                self.wake(worker, WakeReason::TaskQueued { pool }, GoOn::AtStep);
            }
        }
        if let Some(delivery) = delivery {
            self.pools.waiting.insert(
                caller,
                Awaited {
                    left: count,
                    tasks: first..self.pools.tasks.len(),
                    delivery,
                },
            );
        }
        true
    }

    /// `apply`: one task, its `return` into the caller's register once it is done.
    pub(super) fn submit_apply(&mut self, caller: Pid, pool: PoolId, task: &Program) -> bool {
        self.submit(caller, pool, task, None, 1, Some(Delivery::Register))
    }

    /// `map`: `count` tasks, their `return`s into `list` (if named) once all are done.
    pub(super) fn submit_map(
        &mut self,
        caller: Pid,
        pool: PoolId,
        task: &Program,
        count: u64,
        list: Option<String>,
    ) -> bool {
        let delivery = list.map_or(Delivery::Nothing, Delivery::List);
        self.submit(caller, pool, task, None, count, Some(delivery))
    }

    /// `apply_async`'s `as: R`: R now stands for the task the process submitted last.
    fn name_last_task(&mut self, caller: Pid, name: &str) {
        let process = self.pcbs[caller.index()].process;
        if let Some(task) = self.pools.tasks.len().checked_sub(1) {
            self.pools.named.insert((process, name.to_string()), task);
        }
    }

    /// `get_result: R`: R's value goes into the register at once if its task is done (returns
    /// true); else the caller waits for it (returns false). A name no `apply_async` of this
    /// process has given yet is a failed step (Python's NameError).
    pub(super) fn get_result(&mut self, caller: Pid, name: &str, on_cpu: Option<OnCpu>) -> bool {
        let process = self.pcbs[caller.index()].process;
        let Some(&task) = self.pools.named.get(&(process, name.to_string())) else {
            self.emit(Event::NoResult {
                pid: caller,
                name: name.to_string(),
            });
            return true;
        };
        self.pools.waiting.insert(
            caller,
            Awaited {
                left: 1,
                tasks: task..task + 1,
                delivery: Delivery::Register,
            },
        );
        if self.pools.tasks[task].outcome.is_some() {
            self.deliver(caller);
            return true;
        }
        self.pools.tasks[task].waiter = Some(caller);
        let pool = self.pool_of_task(task);
        self.pcbs[caller.index()].remaining_ticks = 0;
        self.block(caller, on_cpu, BlockReason::PoolTasks { pool });
        false
    }

    /// The pool a task was submitted to.
    fn pool_of_task(&self, task: usize) -> PoolId {
        self.pools
            .pools
            .iter()
            .position(|state| {
                state.queue.contains(&task)
                    || state
                        .workers
                        .iter()
                        .any(|w| self.pools.running.get(w) == Some(&task))
            })
            .map_or(PoolId(0), PoolId)
    }

    /// The tasks `waiter` waited for are all done: their values go where it asked (the register,
    /// a list), or, if one raised, the first to have raised raises again in `waiter`.
    fn deliver(&mut self, waiter: Pid) {
        let Some(Awaited {
            tasks, delivery, ..
        }) = self.pools.waiting.remove(&waiter)
        else {
            return;
        };
        let mut values = Vec::with_capacity(tasks.len());
        for task in tasks {
            match &self.pools.tasks[task].outcome {
                Some(TaskOutcome::Raised(exception)) => {
                    let exception = exception.clone();
                    self.emit(Event::ResultRaised {
                        pid: waiter,
                        task: task + 1,
                        exception,
                    });
                    return;
                }
                Some(TaskOutcome::Returned(value)) => values.push(*value),
                None => values.push(None),
            }
        }
        match delivery {
            Delivery::Register => {
                if let Some(Some(value)) = values.first() {
                    self.pcbs[waiter.index()].register = *value;
                }
            }
            Delivery::List(name) => {
                let process = self.pcbs[waiter.index()].process;
                self.pools.lists.insert((process, name), values);
            }
            Delivery::Nothing => {}
        }
    }

    /// The task (numbered from 1) the worker `pid` runs, if it runs one.
    pub(super) fn running_task(&self, pid: Pid) -> Option<usize> {
        self.pools.running.get(&pid).map(|task| task + 1)
    }

    /// What pool calls gave back, as `process.name` and Python's text: each `map` list, each
    /// named AsyncResult (for snapshots).
    pub(super) fn result_values(&self) -> Vec<(String, String)> {
        let lists = self.pools.lists.iter().map(|((process, name), values)| {
            let items: Vec<String> = values.iter().map(|v| python_value(*v)).collect();
            (*process, name, format!("[{}]", items.join(", ")))
        });
        let named = self.pools.named.iter().map(|((process, name), &task)| {
            let text = match &self.pools.tasks[task].outcome {
                None => "not ready".to_string(),
                Some(TaskOutcome::Returned(value)) => python_value(*value),
                Some(TaskOutcome::Raised(exception)) => format!("raised {exception}"),
            };
            (*process, name, text)
        });
        let mut values: Vec<(Pid, &String, String)> = lists.chain(named).collect();
        values.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        values
            .into_iter()
            .map(|(process, name, text)| (format!("{}.{name}", self.roster.label(process)), text))
            .collect()
    }

    /// `return`: the task `worker` runs ends with `value`.
    pub(super) fn return_from_task(&mut self, worker: Pid, value: i64) {
        if let Some(&task) = self.pools.running.get(&worker) {
            self.pools.tasks[task].outcome = Some(TaskOutcome::Returned(Some(value)));
        }
    }

    /// `{i}`: the index of the task the process of `pid` runs (0 outside a task).
    pub(super) fn task_index(&self, pid: Pid) -> u64 {
        let process = self.pcbs[pid.index()].process;
        self.pools
            .running
            .get(&process)
            .map_or(0, |&task| self.pools.tasks[task].index)
    }

    /// `{L}`: list L of the process of `pid` as Python prints it (`[0, 1, None]`), or `[]`
    /// before its `map` has returned.
    pub(super) fn list_text(&self, pid: Pid, name: &str) -> String {
        let process = self.pcbs[pid.index()].process;
        let items: Vec<String> = self
            .pools
            .lists
            .get(&(process, name.to_string()))
            .into_iter()
            .flatten()
            .map(|value| python_value(*value))
            .collect();
        format!("[{}]", items.join(", "))
    }

    /// A worker's `PoolWork` step: takes the next task (its steps become the worker's
    /// program; returns true), or waits for one (returns false), or — the pool closed and
    /// empty — goes on past it, to its exit (returns true).
    pub(super) fn pool_work(&mut self, worker: Pid, pool: PoolId, on_cpu: Option<OnCpu>) -> bool {
        let state = &mut self.pools.pools[pool.0];
        match state.queue.pop_front() {
            Some(task) => {
                self.pools.running.insert(worker, task);
                let index = self.pools.tasks[task].index;
                let pcb = &mut self.pcbs[worker.index()];
                pcb.program_counter = 0;
                pcb.blocks.clear();
                // The task's argument, as `map(f, range(n))` passes it.
                pcb.register = index as i64;
                self.programs[worker.index()] = self.pools.tasks[task].program.clone();
                self.emit(Event::TaskStart {
                    pid: worker,
                    pool,
                    task: task + 1,
                });
                true
            }
            None if state.closed => {
                self.pcbs[worker.index()].program_counter += 1;
                true
            }
            None => {
                self.pcbs[worker.index()].remaining_ticks = 0;
                self.block(worker, on_cpu, BlockReason::PoolIdle { pool });
                false
            }
        }
    }

    /// The program of `pid` has ended: if it is a worker that was running a task, the task is
    /// done (its waiter and callback learn of it) and the worker goes back to its loop
    /// (returns true).
    pub(super) fn finish_pool_task(&mut self, pid: Pid) -> bool {
        let Some(task) = self.pools.running.remove(&pid) else {
            return false;
        };
        let pool = self
            .pools
            .pools
            .iter()
            .position(|p| p.workers.contains(&pid))
            .map_or(PoolId(0), PoolId);
        let outcome = match self.uncaught.get(&pid) {
            Some(exception) => TaskOutcome::Raised(exception.clone()),
            None => match self.pools.tasks[task].outcome.take() {
                Some(returned) => returned,
                None => TaskOutcome::Returned(None),
            },
        };
        let value = match outcome {
            TaskOutcome::Returned(value) => value,
            TaskOutcome::Raised(_) => None,
        };
        self.pools.tasks[task].outcome = Some(outcome);
        self.emit(Event::TaskDone {
            pid,
            pool,
            task: task + 1,
            value,
        });
        let pcb = &mut self.pcbs[pid.index()];
        pcb.program_counter = 0;
        pcb.blocks.clear();
        self.programs[pid.index()] = Arc::from(vec![Step::PoolWork(pool)]);
        let Task {
            process,
            callback,
            waiter,
            ..
        } = self.pools.tasks[task].clone();
        if let Some(waiter) = waiter
            && let Some(awaited) = self.pools.waiting.get_mut(&waiter)
            && awaited.tasks.contains(&task)
        {
            awaited.left -= 1;
            if awaited.left == 0 {
                self.wake(waiter, WakeReason::TasksDone { pool }, GoOn::PastStep);
                self.deliver(waiter);
            }
        }
        self.pools.pools[pool.0].unfinished -= 1;
        let raised = matches!(self.pools.tasks[task].outcome, Some(TaskOutcome::Raised(_)));
        // A task that raised calls its `error_callback`, not its callback (pool.py).
        if let Some(callback) = callback
            && !raised
            && !self.pcbs[process.index()].state.has_exited()
        {
            self.pools.pools[pool.0].callbacks.push_back(callback);
            if self.pools.pools[pool.0].handler.is_none() {
                // CPython's result handler is a daemon thread of the pool's process.
                let before = self.pcbs.len();
                self.spawn(
                    process,
                    &ThreadSpec {
                        name: RESULT_HANDLER.to_string(),
                        priority: None,
                        tickets: None,
                        daemon: true,
                        program: Arc::from(vec![Step::PoolResults(pool)]),
                    },
                );
                if self.pcbs.len() > before {
                    self.pools.pools[pool.0].handler = Some(Pid::from_index(before));
                }
            }
        }
        self.wake_result_handler(pool);
        true
    }

    /// The result handler of `pool`, if it waits, looks again (a callback to run, or the pool
    /// closed with every task done: it leaves).
    fn wake_result_handler(&mut self, pool: PoolId) {
        if let Some(Waiter { tid, .. }) = self.waits.pop_front(WaitOn::PoolResults(pool)) {
            self.wake(tid, WakeReason::TaskQueued { pool }, GoOn::AtStep);
        }
    }

    /// The result handler's `PoolResults` step: runs the next callback (its steps, then this
    /// step again, become the thread's program; returns true), or waits for one (returns
    /// false), or — the pool closed and every task done — goes on past it, to its end.
    pub(super) fn pool_results(
        &mut self,
        handler: Pid,
        pool: PoolId,
        on_cpu: Option<OnCpu>,
    ) -> bool {
        let state = &mut self.pools.pools[pool.0];
        if let Some(callback) = state.callbacks.pop_front() {
            let program: Vec<Step> = callback
                .iter()
                .cloned()
                .chain([Step::PoolResults(pool)])
                .collect();
            let pcb = &mut self.pcbs[handler.index()];
            pcb.program_counter = 0;
            pcb.blocks.clear();
            self.programs[handler.index()] = Arc::from(program);
            return true;
        }
        if state.closed && state.unfinished == 0 {
            let pcb = &mut self.pcbs[handler.index()];
            pcb.program_counter = self.programs[handler.index()].len();
            return true;
        }
        self.pcbs[handler.index()].remaining_ticks = 0;
        self.block(handler, on_cpu, BlockReason::PoolResults { pool });
        false
    }

    /// The result handler thread of `pool` has ended: a `join_pool` waiting for it may go on.
    pub(super) fn result_handler_ended(&mut self, thread: Pid) {
        let Some(pool) = self
            .pools
            .pools
            .iter()
            .position(|state| state.handler == Some(thread))
        else {
            return;
        };
        let pool = PoolId(pool);
        if self.pool_joined(pool) {
            for Waiter { tid, .. } in self.waits.take_all(WaitOn::PoolJoin(pool)) {
                self.wake(tid, WakeReason::PoolJoined { pool }, GoOn::PastStep);
            }
        }
    }

    /// `close`: no more tasks; idle workers go on, to leave once the queue is empty.
    pub(super) fn close_pool(&mut self, pool: PoolId) {
        self.pools.pools[pool.0].closed = true;
        self.wake_result_handler(pool);
        for Waiter { tid: worker, .. } in self.waits.take_all(WaitOn::PoolIdle(pool)) {
            self.wake(worker, WakeReason::TaskQueued { pool }, GoOn::AtStep);
        }
    }

    /// `join_pool`: whether the caller must wait for the workers (false: go on). Joining a
    /// pool that is not closed fails (Python: "Pool is still running").
    pub(super) fn start_join_pool(&mut self, caller: Pid, pool: PoolId) -> bool {
        if !self.pools.pools[pool.0].closed {
            self.emit(Event::PoolMisuse {
                pid: caller,
                pool,
                misuse: PoolMisuse::JoinBeforeClose,
            });
            return false;
        }
        !self.pool_joined(pool)
    }

    /// Reaps the workers of `pool` that have exited; whether they all have, and its result
    /// handler (if it has one) has ended.
    pub(super) fn pool_joined(&mut self, pool: PoolId) -> bool {
        let mut all = self.pools.pools[pool.0]
            .handler
            .is_none_or(|handler| self.pcbs[handler.index()].state.has_exited());
        for worker in self.pools.pools[pool.0].workers.clone() {
            match self.pcbs[worker.index()].state {
                ProcState::Zombie => {
                    let parent = self.pcbs[worker.index()].ppid;
                    self.reap(worker, parent);
                }
                ProcState::Terminated => {}
                _ => all = false,
            }
        }
        all
    }
}

/// A task's value as Python prints it: the number, or `None`.
fn python_value(value: Option<i64>) -> String {
    value.map_or("None".to_string(), |v| v.to_string())
}
