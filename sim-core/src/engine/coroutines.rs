//! Coroutines (docs/coroutines.md): greenlets, gevent and asyncio tasks live in one thread's
//! event loop, which the OS never sees. The loop runs one coroutine at a time and switches only
//! at `switch`, `yield`, `await`, `async_sleep`/`async_io` (and, monkey-patched, `io`/`sleep`)
//! or a coroutine's end: cooperative. Ready coroutines run round robin, first in first out;
//! when none is ready the thread blocks in its loop until the earliest parked wait ends. Each
//! coroutine has its own place in its program (program counter and loops); the thread's
//! register and CPU are shared. A switch a step makes costs the thread `rules.coroutine_switch`
//! ticks of CPU.

use super::*;
use crate::event::{CoroutineMisuse, SwitchReason};
use crate::scenario::{ChannelKind, CoroutineSpec, MonkeyPatch, QueueId};

/// The "device" of parked coroutines' timers in the completion queue.
pub(super) const COROUTINE_DEVICE: usize = usize::MAX - 2;

/// One thread's event loop.
#[derive(Clone, Debug)]
pub(super) struct EventLoop {
    /// Index 0 is the thread's own program, `main`.
    tasks: Vec<Task>,
    /// The coroutine running (`None` while the thread waits in its loop for a parked one).
    current: Option<usize>,
    ready: VecDeque<usize>,
    /// Parked coroutines by the sequence of their timer.
    parked: BTreeMap<u64, usize>,
    /// Coroutines parked in a patched `recv` or `select` until one of the sockets is readable.
    on_sockets: Vec<(usize, Vec<QueueId>)>,
}

#[derive(Clone, Debug)]
struct Task {
    name: String,
    /// Where it stands while it does not run.
    saved: Option<Context>,
    state: TaskState,
    /// Its creator: where a greenlet's control returns when it ends.
    parent: usize,
    awaiters: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TaskState {
    Ready,
    Running,
    /// Switched away from: it runs again only when switched to.
    Suspended,
    Parked,
    Awaiting,
    Done,
}

/// A coroutine's place in its program.
#[derive(Clone, Debug)]
struct Context {
    program: Program,
    program_counter: usize,
    blocks: Vec<Block>,
    remaining_ticks: u64,
}

impl Simulator {
    fn event_loop(&mut self, thread: Pid) -> &mut EventLoop {
        self.event_loops.entry(thread).or_insert_with(|| EventLoop {
            tasks: vec![Task {
                name: "main".into(),
                saved: None,
                state: TaskState::Running,
                parent: 0,
                awaiters: Vec::new(),
            }],
            current: Some(0),
            ready: VecDeque::new(),
            on_sockets: Vec::new(),
            parked: BTreeMap::new(),
        })
    }

    /// Whether `thread` has an event loop (it created a coroutine).
    pub(super) fn has_event_loop(&self, thread: Pid) -> bool {
        self.event_loops.contains_key(&thread)
    }

    /// Whether another coroutine of `thread` is ready to run.
    pub(super) fn others_ready(&self, thread: Pid) -> bool {
        self.event_loops
            .get(&thread)
            .is_some_and(|l| !l.ready.is_empty())
    }

    fn task_named(&self, thread: Pid, name: &str) -> Option<usize> {
        let event_loop = self.event_loops.get(&thread)?;
        event_loop.tasks.iter().position(|task| task.name == name)
    }

    fn current_name(&self, thread: Pid) -> String {
        self.event_loops
            .get(&thread)
            .and_then(|l| l.current.map(|c| l.tasks[c].name.clone()))
            .unwrap_or_default()
    }

    /// The `coroutine` step: a new coroutine, ready; the creator goes on.
    pub(super) fn create_coroutine(&mut self, thread: Pid, spec: &CoroutineSpec) {
        if self.task_named(thread, &spec.name).is_some() {
            self.emit(Event::CoroutineFailed {
                pid: thread,
                name: spec.name.clone(),
                what: CoroutineMisuse::NameTaken,
            });
            return;
        }
        let event_loop = self.event_loop(thread);
        let parent = event_loop.current.unwrap_or(0);
        let id = event_loop.tasks.len();
        event_loop.tasks.push(Task {
            name: spec.name.clone(),
            saved: Some(Context {
                program: spec.program.clone(),
                program_counter: 0,
                blocks: Vec::new(),
                remaining_ticks: 0,
            }),
            state: TaskState::Ready,
            parent,
            awaiters: Vec::new(),
        });
        event_loop.ready.push_back(id);
        self.emit(Event::CoroutineCreate {
            pid: thread,
            name: spec.name.clone(),
        });
    }

    /// Saves the running coroutine's place (its state already set by the caller).
    fn save_current(&mut self, thread: Pid) {
        let pcb = &mut self.pcbs[thread.index()];
        let context = Context {
            program: self.programs[thread.index()].clone(),
            program_counter: pcb.program_counter,
            blocks: std::mem::take(&mut pcb.blocks),
            remaining_ticks: pcb.remaining_ticks,
        };
        if let Some(event_loop) = self.event_loops.get_mut(&thread)
            && let Some(current) = event_loop.current.take()
        {
            event_loop.tasks[current].saved = Some(context);
        }
    }

    /// Runs coroutine `to` in `thread` from where it stands.
    fn resume(&mut self, thread: Pid, to: usize, reason: SwitchReason) {
        let from = self.current_name(thread);
        self.save_current(thread);
        let Some(event_loop) = self.event_loops.get_mut(&thread) else {
            return;
        };
        event_loop.ready.retain(|&task| task != to);
        let task = &mut event_loop.tasks[to];
        task.state = TaskState::Running;
        let name = task.name.clone();
        let context = task.saved.take();
        event_loop.current = Some(to);
        if let Some(context) = context {
            self.programs[thread.index()] = context.program;
            let pcb = &mut self.pcbs[thread.index()];
            pcb.program_counter = context.program_counter;
            pcb.blocks = context.blocks;
            pcb.remaining_ticks = context.remaining_ticks;
        }
        self.emit(Event::CoroutineSwitch {
            pid: thread,
            from,
            to: name,
            reason,
        });
    }

    /// The running coroutine stops (its state set); the loop runs the next ready one (returns
    /// true), or the thread waits in its loop (returns false: it blocked).
    fn run_next(&mut self, thread: Pid, on_cpu: Option<OnCpu>, reason: SwitchReason) -> bool {
        let next = self
            .event_loops
            .get_mut(&thread)
            .and_then(|l| l.ready.pop_front());
        match next {
            Some(next) => {
                self.resume(thread, next, reason);
                true
            }
            None => {
                self.save_current(thread);
                self.pcbs[thread.index()].remaining_ticks = 0;
                self.block(thread, on_cpu, BlockReason::EventLoop);
                false
            }
        }
    }

    fn set_current_state(&mut self, thread: Pid, state: TaskState) -> Option<usize> {
        let event_loop = self.event_loops.get_mut(&thread)?;
        let current = event_loop.current?;
        event_loop.tasks[current].state = state;
        Some(current)
    }

    /// `switch`: hand control to the named coroutine; the caller is suspended until switched
    /// to. Returns false only if nothing can run (never: the target runs).
    pub(super) fn switch_coroutine(&mut self, thread: Pid, name: &str) -> bool {
        let target = self.task_named(thread, name);
        let current = self.event_loops.get(&thread).and_then(|l| l.current);
        match target {
            Some(target)
                if Some(target) != current
                    && self.event_loops[&thread].tasks[target].state != TaskState::Done =>
            {
                self.set_current_state(thread, TaskState::Suspended);
                self.resume(thread, target, SwitchReason::Switch);
                true
            }
            Some(_) => false,
            None => {
                self.emit(Event::CoroutineFailed {
                    pid: thread,
                    name: name.to_string(),
                    what: CoroutineMisuse::Unknown,
                });
                false
            }
        }
    }

    /// `yield`: to the back of the ready line, if another coroutine is ready. Returns whether
    /// the loop switched.
    pub(super) fn yield_coroutine(&mut self, thread: Pid) -> bool {
        let Some(event_loop) = self.event_loops.get_mut(&thread) else {
            return false;
        };
        if event_loop.ready.is_empty() {
            return false;
        }
        if let Some(current) = event_loop.current {
            event_loop.tasks[current].state = TaskState::Ready;
            event_loop.ready.push_back(current);
        }
        let next = event_loop.ready.pop_front();
        if let Some(next) = next {
            self.resume(thread, next, SwitchReason::Yield);
        }
        true
    }

    /// `await`: go on if the named coroutine has finished, else wait for it while the loop
    /// runs others. Returns `Some(true)` to go on with the current step as it now stands,
    /// `Some(false)` when the thread blocked, `None` to go on past the step.
    pub(super) fn await_coroutine(
        &mut self,
        thread: Pid,
        on_cpu: Option<OnCpu>,
        name: &str,
    ) -> Option<bool> {
        let Some(target) = self.task_named(thread, name) else {
            self.emit(Event::CoroutineFailed {
                pid: thread,
                name: name.to_string(),
                what: CoroutineMisuse::Unknown,
            });
            return None;
        };
        let event_loop = self.event_loops.get_mut(&thread)?;
        let current = event_loop.current?;
        if event_loop.tasks[target].state == TaskState::Done || target == current {
            return None;
        }
        event_loop.tasks[target].awaiters.push(current);
        event_loop.tasks[current].state = TaskState::Awaiting;
        self.pcbs[thread.index()].program_counter += 1;
        Some(self.run_next(thread, on_cpu, SwitchReason::Await))
    }

    /// `async_sleep`, `async_io` (or a patched `io`, `sleep`): the coroutine parks for `ticks`
    /// while the loop runs the others. Returns whether the thread goes on (false: it blocked).
    pub(super) fn park_coroutine(
        &mut self,
        thread: Pid,
        on_cpu: Option<OnCpu>,
        ticks: u64,
    ) -> bool {
        self.event_loop(thread);
        let Some(current) = self.set_current_state(thread, TaskState::Parked) else {
            return true;
        };
        let sequence = self.next_io_sequence;
        self.next_io_sequence += 1;
        self.io_completions.push(Reverse((
            self.now.plus(ticks),
            sequence,
            thread,
            COROUTINE_DEVICE,
        )));
        let name = self.event_loops[&thread].tasks[current].name.clone();
        if let Some(event_loop) = self.event_loops.get_mut(&thread) {
            event_loop.parked.insert(sequence, current);
        }
        self.emit(Event::CoroutinePark {
            pid: thread,
            name,
            ticks,
        });
        self.pcbs[thread.index()].program_counter += 1;
        self.run_next(thread, on_cpu, SwitchReason::Park)
    }

    /// The monkey patch of `thread`'s process.
    pub(super) fn monkey_patch(&self, thread: Pid) -> MonkeyPatch {
        self.pcbs[self.pcbs[thread.index()].process.index()]
            .options
            .monkey_patch
    }

    /// Whether `thread`'s coroutine, at a blocking `recv` (`socket_call`) or a `select`/`poll`
    /// on `queues`, parks under gevent's patch: the thread has an event loop, the call's
    /// module is patched, the channels are sockets (for `recv`) and none is readable.
    pub(super) fn patched_wait_for_message(
        &self,
        thread: Pid,
        queues: &[QueueId],
        socket_call: bool,
    ) -> bool {
        if !self.has_event_loop(thread) {
            return false;
        }
        let patch = self.monkey_patch(thread);
        let patched = if socket_call {
            patch.socket
                && queues
                    .iter()
                    .all(|q| self.scenario.sync.queues[q.0].kind == ChannelKind::Socket)
        } else {
            patch.select
        };
        patched && !queues.iter().any(|&q| self.sync.has_items(q))
    }

    /// A patched `recv` or `select` finds nothing readable: the coroutine parks until a
    /// message arrives on one of `queues`, then runs the step again; the loop runs the others
    /// meanwhile. Returns whether the thread goes on (false: it blocked in its loop).
    pub(super) fn park_coroutine_on(
        &mut self,
        thread: Pid,
        on_cpu: Option<OnCpu>,
        queues: &[QueueId],
    ) -> bool {
        let Some(current) = self.set_current_state(thread, TaskState::Parked) else {
            return true;
        };
        let name = self.event_loops[&thread].tasks[current].name.clone();
        if let Some(event_loop) = self.event_loops.get_mut(&thread) {
            event_loop.on_sockets.push((current, queues.to_vec()));
        }
        self.emit(Event::CoroutineWaitMessage {
            pid: thread,
            name,
            sockets: queues.to_vec(),
        });
        self.run_next(thread, on_cpu, SwitchReason::Park)
    }

    /// A message arrived on `queue`: the coroutines parked on it are ready again, in the order
    /// they parked; a thread waiting in its loop wakes and runs the first ready one.
    pub(super) fn coroutines_readable(&mut self, queue: QueueId) {
        if self.event_loops.is_empty() {
            return;
        }
        let threads: Vec<Pid> = self
            .event_loops
            .iter()
            .filter(|(_, l)| l.on_sockets.iter().any(|(_, qs)| qs.contains(&queue)))
            .map(|(&thread, _)| thread)
            .collect();
        for thread in threads {
            let event_loop = self.event_loops.get_mut(&thread).expect("listed above");
            let mut woken = Vec::new();
            event_loop.on_sockets.retain(|(task, queues)| {
                let readable = queues.contains(&queue);
                if readable {
                    woken.push(*task);
                }
                !readable
            });
            for task in woken {
                self.coroutine_ready(thread, task);
            }
            if self.wake_event_loop(thread) {
                // Its program goes on once the sender's steps at this instant are done.
                self.set_state(thread, ProcState::Ready);
                self.pending.push_back((thread, ReadyReason::Woken));
            }
        }
    }

    /// `task` of `thread`'s loop is ready again, at the back of the ready line.
    fn coroutine_ready(&mut self, thread: Pid, task: usize) {
        let Some(event_loop) = self.event_loops.get_mut(&thread) else {
            return;
        };
        event_loop.tasks[task].state = TaskState::Ready;
        event_loop.ready.push_back(task);
        let name = event_loop.tasks[task].name.clone();
        self.emit(Event::CoroutineWake { pid: thread, name });
    }

    /// If `thread` waits in its event loop, it wakes and its loop resumes the first ready
    /// coroutine (returns true: the caller lets its program go on).
    fn wake_event_loop(&mut self, thread: Pid) -> bool {
        let waiting = self.pcbs[thread.index()].state
            == (ProcState::Blocked {
                reason: BlockReason::EventLoop,
            });
        if waiting {
            self.emit(Event::Wake {
                pid: thread,
                reason: WakeReason::EventLoopReady,
            });
            let next = self
                .event_loops
                .get_mut(&thread)
                .and_then(|l| l.ready.pop_front());
            if let Some(next) = next {
                self.resume(thread, next, SwitchReason::Woken);
            }
        }
        waiting
    }

    /// A parked coroutine's wait is over: it is ready again; a thread waiting in its loop
    /// runs it.
    pub(super) fn unpark_coroutine(&mut self, thread: Pid, sequence: u64) {
        let Some(event_loop) = self.event_loops.get_mut(&thread) else {
            return;
        };
        let Some(task) = event_loop.parked.remove(&sequence) else {
            return;
        };
        self.coroutine_ready(thread, task);
        if self.wake_event_loop(thread) {
            self.continue_program(thread, None, ReadyReason::Woken);
        }
    }

    /// The running coroutine's program has ended. For a coroutine other than `main` it is
    /// done: its awaiters are ready again, and control goes to its creator if that one is
    /// suspended (greenlet), else to the next ready coroutine, else the thread waits in its
    /// loop. Returns `Some(true)` to run on, `Some(false)` if the thread blocked, `None` when
    /// it is `main` (or there is no loop): the thread's own program has ended.
    pub(super) fn finish_coroutine(&mut self, thread: Pid, on_cpu: Option<OnCpu>) -> Option<bool> {
        let event_loop = self.event_loops.get_mut(&thread)?;
        let current = event_loop.current?;
        if current == 0 {
            return None;
        }
        event_loop.tasks[current].state = TaskState::Done;
        let parent = event_loop.tasks[current].parent;
        let awaiters = std::mem::take(&mut event_loop.tasks[current].awaiters);
        for awaiter in awaiters {
            event_loop.tasks[awaiter].state = TaskState::Ready;
            event_loop.ready.push_back(awaiter);
        }
        let name = event_loop.tasks[current].name.clone();
        let parent_suspended = event_loop.tasks[parent].state == TaskState::Suspended;
        self.emit(Event::CoroutineDone { pid: thread, name });
        if parent_suspended {
            self.resume(thread, parent, SwitchReason::Finished);
            return Some(true);
        }
        Some(self.run_next(thread, on_cpu, SwitchReason::Finished))
    }

    /// The thread is gone: its loop and its parked timers with it.
    pub(super) fn drop_event_loop(&mut self, thread: Pid) {
        if self.event_loops.remove(&thread).is_some() {
            self.io_completions.retain(|Reverse((_, _, pid, device))| {
                !(*pid == thread && *device == COROUTINE_DEVICE)
            });
        }
    }

    /// Every coroutine of every thread, for snapshots.
    pub(super) fn coroutine_views(&self) -> Vec<crate::snapshot::CoroutineView> {
        self.event_loops
            .iter()
            .flat_map(|(&thread, event_loop)| {
                event_loop
                    .tasks
                    .iter()
                    .enumerate()
                    .map(move |(index, task)| crate::snapshot::CoroutineView {
                        tid: thread,
                        name: task.name.clone(),
                        state: match task.state {
                            TaskState::Ready => "ready",
                            TaskState::Running => "running",
                            TaskState::Suspended => "suspended",
                            TaskState::Parked => "parked",
                            TaskState::Awaiting => "awaiting",
                            TaskState::Done => "done",
                        },
                        current: event_loop.current == Some(index),
                    })
            })
            .collect()
    }
}
