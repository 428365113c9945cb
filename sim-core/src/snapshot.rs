//! Plain-data views of the engine's state at one time, for the CLI's `--at`, the GUI and tests.

use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::{BlockReason, Pcb, ProcState};
use crate::scenario::{ReturnValue, Scenario, Step};
use serde::Serialize;

/// Everything visible at one time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub time: Tick,
    /// In pid order: the scenario's processes, then the forked ones.
    pub processes: Vec<ProcessView>,
    pub cpus: Vec<CpuView>,
    /// The ready queue in the order the policy would serve it; one list per level.
    pub ready_queues: Vec<Vec<Pid>>,
    pub devices: Vec<DeviceView>,
    /// Resources, events and queues (absent when the scenario declares none).
    #[serde(skip_serializing_if = "SyncView::is_empty")]
    pub sync: SyncView,
    /// The GIL of every living process that has one, in pid order (absent when none has).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gils: Vec<GilView>,
    /// Every coroutine of every thread with an event loop (absent when none has).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coroutines: Vec<CoroutineView>,
    /// The pools that have started (absent when none has).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<PoolView>,
    /// Shared variables by name, then each living process's globals as `process.name`
    /// (absent when the scenario declares none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<(String, i64)>,
    /// What pool calls gave back, as `process.name`: each list a `map` filled (`[10, 11]`)
    /// and each named AsyncResult (its value, `None`, `not ready` or the exception it holds);
    /// absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<(String, String)>,
    /// The lines of standard input not read yet (absent when none is left).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stdin: Vec<String>,
    /// Every wait with someone in it: each blocked or GIL-waiting thread is in exactly one.
    pub waiting: Vec<WaitView>,
}

/// One wait with someone in it: what is waited on, and who waits, first first (a device's
/// threads being served first, then those queued for it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaitView {
    pub on: WaitOnView,
    pub tids: Vec<Pid>,
}

/// What a wait is on, in the scenario's names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaitOnView {
    pub kind: WaitKind,
    /// The device, resource, event, queue, pipe, socket or pool; the child or thread waited
    /// for; the process whose children, threads or GIL are waited for; the thread in `select`
    /// or in its event loop; `sleep` for sleeps.
    pub name: String,
    /// A `select`'s sockets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub watching: Vec<String>,
}

/// The kinds of waits, as JSON names them (docs/scenario-format.md lists them; a test checks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitKind {
    /// IO on a device (served, or queued for a server).
    Device,
    Sleep,
    /// A lock or semaphore.
    Resource,
    Event,
    /// `get` on an empty queue.
    QueueItem,
    /// `put` on a full queue.
    QueueRoom,
    /// `join_queue` on a joinable queue with items not done.
    QueueJoin,
    /// `recv` on a pipe with no message.
    PipeRecv,
    /// `send` on a full pipe.
    PipeSend,
    /// `recv` on a socket with no message.
    SocketRecv,
    /// `send` on a full socket.
    SocketSend,
    /// `select`, `poll` or `epoll_wait` with no readable socket.
    Select,
    /// `wait` for a named child.
    Child,
    /// `wait` for any child of a process.
    AnyChild,
    /// `join` of a thread.
    Thread,
    /// A main thread whose program is over, waiting for its process's other threads.
    Threads,
    /// Python's exit handler joining a process's children.
    Children,
    /// `apply` or `map` waiting for its tasks.
    PoolTask,
    /// A pool worker waiting for a task.
    PoolIdle,
    /// `join_pool`.
    PoolJoin,
    /// A pool's result handler waiting for a callback to run.
    PoolResults,
    /// The threads of a process stopped by SIGSTOP, waiting for SIGCONT.
    Stopped,
    /// A process's GIL.
    Gil,
    /// A thread in its event loop, every coroutine parked or waiting.
    EventLoop,
}

/// A process pool that has started: its workers, who runs which task, the task queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolView {
    pub name: String,
    pub closed: bool,
    pub workers: Vec<Pid>,
    /// (worker, task number) for each busy worker.
    pub busy: Vec<(Pid, usize)>,
    /// Task numbers waiting for a worker, first first.
    pub queue: Vec<usize>,
}

/// A coroutine of a thread's event loop (docs/coroutines.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoroutineView {
    /// The thread whose loop it is in.
    pub tid: Pid,
    pub name: String,
    /// `ready`, `running`, `suspended`, `parked`, `awaiting` or `done`.
    pub state: &'static str,
    /// Whether it is the one its thread runs now.
    pub current: bool,
}

/// Who holds a process's GIL and who waits for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GilView {
    /// The process.
    pub pid: Pid,
    pub switch_interval: u64,
    /// Where it can change hands: `calls` (CPython ≥ 3.10) or `any` (≤ 3.9).
    pub switch_points: &'static str,
    pub holder: Option<Pid>,
    /// The threads waiting for it, in the order they will take it.
    pub waiting: Vec<Pid>,
}

/// The state of every resource, event and bounded queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncView {
    pub resources: Vec<ResourceView>,
    pub events: Vec<EventView>,
    pub queues: Vec<QueueView>,
}

impl SyncView {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.events.is_empty() && self.queues.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResourceView {
    pub name: String,
    pub instances: u64,
    pub available: u64,
    /// `(process, instances held)`, in pid order.
    pub holders: Vec<(Pid, u64)>,
    /// `(process, instances wanted)`, in the order they will be served.
    pub waiters: Vec<(Pid, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventView {
    pub name: String,
    pub set: bool,
    pub waiters: Vec<Pid>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueView {
    pub name: String,
    /// `None`: unbounded.
    pub capacity: Option<u64>,
    pub items: u64,
    /// A pipe or a socket rather than a queue.
    #[serde(skip_serializing_if = "is_queue")]
    pub kind: crate::scenario::ChannelKind,
    /// A one-way pipe (`duplex: false`): end 1 sends, end 0 receives.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub one_way: bool,
    /// A joinable queue's items not yet marked done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unfinished: Option<u64>,
    pub waiting_to_put: Vec<Pid>,
    pub waiting_to_get: Vec<Pid>,
}

impl QueueView {
    /// Its items in words, for tables and panels: `2 of 3 items`, `2 items (unbounded)`, with
    /// `, 1 not yet done` for a joinable queue.
    pub fn fill(&self) -> String {
        let items = match self.capacity {
            Some(capacity) => format!("{} of {capacity} items", self.items),
            None => format!("{} items (unbounded)", self.items),
        };
        let items = if self.one_way {
            format!("{items}, one-way: end 1 → end 0")
        } else {
            items
        };
        match self.unfinished {
            Some(unfinished) => format!("{items}, {unfinished} not yet done"),
            None => items,
        }
    }
}

impl WaitKind {
    /// Every kind (the test below fails to compile when a kind is added here and not there).
    pub const ALL: [WaitKind; 24] = [
        WaitKind::Device,
        WaitKind::Sleep,
        WaitKind::Resource,
        WaitKind::Event,
        WaitKind::QueueItem,
        WaitKind::QueueRoom,
        WaitKind::QueueJoin,
        WaitKind::PipeRecv,
        WaitKind::PipeSend,
        WaitKind::SocketRecv,
        WaitKind::SocketSend,
        WaitKind::Select,
        WaitKind::Child,
        WaitKind::AnyChild,
        WaitKind::Thread,
        WaitKind::Threads,
        WaitKind::Children,
        WaitKind::PoolTask,
        WaitKind::PoolIdle,
        WaitKind::PoolJoin,
        WaitKind::PoolResults,
        WaitKind::Stopped,
        WaitKind::Gil,
        WaitKind::EventLoop,
    ];
}

impl Snapshot {
    /// The name of `pid` (`init` for pid 1, `?` for a pid the run does not have yet).
    pub fn name(&self, pid: Pid) -> &str {
        if pid == Pid::INIT {
            return "init";
        }
        self.processes
            .get(pid.index())
            .map_or("?", |process| process.name.as_str())
    }
}

/// One row of the process table; counters are exact at the snapshot's time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessView {
    /// The pid, or a spawned thread's tid.
    pub pid: Pid,
    pub ppid: Pid,
    /// A spawned thread is named `process/thread`.
    pub name: String,
    /// For a spawned thread: its process and its own name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<ThreadView>,
    #[serde(flatten)]
    pub state: ProcState,
    pub priority: i64,
    pub level: usize,
    /// The policy's own values (CFS: `vruntime`); empty for most policies.
    #[serde(skip_serializing_if = "crate::event::SchedValues::is_empty")]
    pub sched: crate::event::SchedValues,
    pub program_counter: usize,
    /// The current step in words, e.g. `cpu 5` or `io disk 4`; empty once terminated.
    pub step: String,
    /// The CPU work left of its current CPU burst (a `cpu` step, or the cost of a `fork`,
    /// `spawn` or pool start); 0 while it is blocked, whose wait is `io_left`.
    pub remaining_ticks: u64,
    /// The ticks left of the IO being served to it (or of its sleep); absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub io_left: Option<u64>,
    pub arrival: Tick,
    pub cpu_ticks: u64,
    pub ready_ticks: u64,
    pub blocked_ticks: u64,
    pub first_run: Option<Tick>,
    /// When it exited.
    pub completion: Option<Tick>,
    pub exit_code: Option<i32>,
    /// Ticks spent waiting for its process's GIL.
    #[serde(skip_serializing_if = "is_zero")]
    pub gil_wait_ticks: u64,
    /// Its nice value (absent when 0).
    #[serde(skip_serializing_if = "is_nice_zero")]
    pub nice: i8,
    /// Its register (what `read`, `add` and `input` leave for `write`), in scenarios whose
    /// programs use one; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register: Option<i64>,
}

fn is_nice_zero(nice: &i8) -> bool {
    *nice == 0
}

fn is_queue(kind: &crate::scenario::ChannelKind) -> bool {
    *kind == crate::scenario::ChannelKind::Queue
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

/// A spawned thread's place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ThreadView {
    /// The process it belongs to.
    pub process: Pid,
    /// Its own name, without the process's.
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CpuView {
    pub cpu: CpuId,
    pub running: Option<Pid>,
    /// The process this CPU is switching to (context switch in progress).
    pub switching_to: Option<Pid>,
    /// Whose working sets its cache holds, most recent first (with `cache:`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warm: Vec<Pid>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceView {
    pub name: String,
    pub in_service: Vec<Pid>,
    pub waiting: Vec<Pid>,
}

impl ProcessView {
    /// The process it is (or belongs to, for a spawned thread).
    pub fn process(&self) -> Pid {
        self.thread
            .as_ref()
            .map_or(self.pid, |thread| thread.process)
    }

    /// The view of `pcb`, which runs `program`, at `now`, charging the time spent in the
    /// current state; a spawned thread is named after its process `process_name`.
    pub fn of(
        pcb: &Pcb,
        program: &[Step],
        scenario: &Scenario,
        now: Tick,
        process_name: &str,
    ) -> ProcessView {
        let elapsed = now.since(pcb.state_since);
        let (mut cpu, mut ready, mut blocked, mut remaining, mut gil_wait) = (
            pcb.cpu_ticks,
            pcb.ready_ticks,
            pcb.blocked_ticks,
            pcb.remaining_ticks,
            pcb.gil_wait_ticks,
        );
        match pcb.state {
            ProcState::Running { .. } => {
                cpu += elapsed;
                remaining = remaining.saturating_sub(elapsed);
            }
            ProcState::Ready => ready += elapsed,
            ProcState::Blocked { .. } => {
                blocked += elapsed;
                // Not CPU work: what a blocked process waits for is `io_left`.
                remaining = 0;
            }
            ProcState::GilWait => gil_wait += elapsed,
            ProcState::New | ProcState::Zombie | ProcState::Terminated => {}
        }
        let thread = (pcb.process != pcb.pid).then(|| ThreadView {
            process: pcb.process,
            name: pcb.name.clone(),
        });
        let step = if pcb.state.has_exited() {
            String::new()
        } else {
            program
                .get(pcb.program_counter)
                .map(|step| describe_step(step, scenario))
                .unwrap_or_default()
        };
        ProcessView {
            pid: pcb.pid,
            ppid: pcb.ppid,
            name: match &thread {
                Some(thread) => format!("{process_name}/{}", thread.name),
                None => pcb.name.clone(),
            },
            thread,
            state: pcb.state,
            priority: pcb.priority,
            level: pcb.level,
            sched: Default::default(),
            program_counter: pcb.program_counter,
            step,
            remaining_ticks: remaining,
            io_left: None,
            arrival: pcb.arrival,
            cpu_ticks: cpu,
            ready_ticks: ready,
            blocked_ticks: blocked,
            first_run: pcb.first_run.or_else(|| {
                matches!(pcb.state, ProcState::Running { .. })
                    .then_some(pcb.state_since)
                    .filter(|&since| now > since)
            }),
            completion: pcb.completion,
            exit_code: pcb.exit_code,
            gil_wait_ticks: gil_wait,
            nice: pcb.nice,
            register: None,
        }
    }

    /// The state with its detail, e.g. `running on CPU0` or `blocked (io disk)`.
    pub fn state_detail(&self, scenario: &Scenario) -> String {
        match self.state {
            ProcState::Running { cpu } => format!("running on {cpu}"),
            ProcState::Blocked {
                reason: BlockReason::Io { device, .. },
            } if device == crate::ids::DeviceId::DEFAULT => "blocked (IO)".to_string(),
            ProcState::Blocked {
                reason: BlockReason::Io { device, .. },
            } => format!("blocked (io {})", scenario.devices[device.0].name),
            ProcState::Blocked {
                reason: BlockReason::Wait { child: None },
            } => "blocked (wait any)".to_string(),
            ProcState::Blocked {
                reason: BlockReason::Wait { child: Some(child) },
            } => format!("blocked (wait pid {child})"),
            ProcState::Blocked {
                reason: BlockReason::Resource { resource, .. },
            } => format!(
                "blocked (acquire {})",
                scenario.sync.resources[resource.0].name
            ),
            ProcState::Blocked {
                reason: BlockReason::Event { event },
            } => format!("blocked (event {})", scenario.sync.events[event.0].name),
            ProcState::Blocked {
                reason: BlockReason::QueueFull { queue },
            } => format!("blocked (put {})", scenario.sync.queues[queue.0].name),
            ProcState::Blocked {
                reason: BlockReason::QueueEmpty { queue },
            } => format!("blocked (get {})", scenario.sync.queues[queue.0].name),
            ProcState::Blocked {
                reason: BlockReason::Sleep { .. },
            } => "blocked (sleep)".to_string(),
            ProcState::Blocked {
                reason:
                    BlockReason::Join {
                        thread: Some(thread),
                    },
            } => format!("blocked (join tid {thread})"),
            ProcState::Blocked {
                reason: BlockReason::Join { thread: None },
            } => "blocked (joining its threads at exit)".to_string(),
            ProcState::Blocked {
                reason: BlockReason::JoinChildren,
            } => "blocked (joining its children at exit)".to_string(),
            ProcState::Blocked {
                reason: BlockReason::PoolTasks { pool },
            } => format!("blocked (tasks on {})", scenario.pools[pool.0].name),
            ProcState::Blocked {
                reason: BlockReason::PoolIdle { pool },
            } => format!("blocked (idle worker of {})", scenario.pools[pool.0].name),
            ProcState::Blocked {
                reason: BlockReason::JoinPool { pool },
            } => format!("blocked (join_pool {})", scenario.pools[pool.0].name),
            ProcState::Blocked {
                reason: BlockReason::PoolResults { pool },
            } => format!(
                "blocked (result handler of {})",
                scenario.pools[pool.0].name
            ),
            ProcState::Blocked {
                reason: BlockReason::JoinQueue { queue },
            } => format!(
                "blocked (join_queue {})",
                scenario.sync.queues[queue.0].name
            ),
            ProcState::Blocked {
                reason: BlockReason::Select { watched },
            } => format!("blocked (select on {watched} sockets)"),
            ProcState::Blocked {
                reason: BlockReason::EventLoop,
            } => "blocked (event loop: every coroutine waits)".to_string(),
            ProcState::GilWait => "waiting for the GIL".to_string(),
            ProcState::Zombie => match self.exit_code {
                Some(code) => format!("zombie (exit {code})"),
                None => "zombie".to_string(),
            },
            other => other.label().to_string(),
        }
    }
}

/// A program step in words, as in the scenario file.
pub fn describe_step(step: &Step, scenario: &Scenario) -> String {
    match step {
        Step::Cpu { ticks } => format!("cpu {ticks}"),
        Step::Bytecode { ticks } => format!("bytecode {ticks}"),
        // The default device is plain `io 4`, as scenarios write it; others `io disk 4`.
        Step::Io { device, ticks } if *device == crate::ids::DeviceId::DEFAULT => {
            format!("io {ticks}")
        }
        Step::Io { device, ticks } => format!("io {} {ticks}", scenario.devices[device.0].name),
        Step::Fork(child) => format!("fork {}", child.name),
        Step::Wait(target) => format!("wait {}", target.label()),
        Step::Exit { code } => format!("exit {code}"),
        Step::Kill { child } => format!("kill {child}"),
        Step::Acquire {
            resource, count, ..
        } => amount("acquire", &scenario.sync.resources[resource.0].name, *count),
        Step::Release { resource, count } => {
            amount("release", &scenario.sync.resources[resource.0].name, *count)
        }
        Step::WaitEvent { flag, .. } => {
            format!("wait_event {}", scenario.sync.events[flag.0].name)
        }
        Step::SetEvent(flag) => format!("set {}", scenario.sync.events[flag.0].name),
        Step::ClearEvent(flag) => format!("clear {}", scenario.sync.events[flag.0].name),
        Step::Put { queue, .. } => {
            let spec = &scenario.sync.queues[queue.0];
            let verb = if spec.kind.is_message_channel() {
                "send"
            } else {
                "put"
            };
            format!("{verb} {}", spec.name)
        }
        Step::Get { queue, .. } => {
            let spec = &scenario.sync.queues[queue.0];
            let verb = if spec.kind.is_message_channel() {
                "recv"
            } else {
                "get"
            };
            format!("{verb} {}", spec.name)
        }
        Step::TaskDone(queue) => format!("task_done {}", scenario.sync.queues[queue.0].name),
        Step::JoinQueue(queue) => format!("join_queue {}", scenario.sync.queues[queue.0].name),
        Step::Sleep { ticks } => format!("sleep {ticks}"),
        Step::Spawn(thread) => format!("spawn {}", thread.name),
        Step::Join(thread) => format!("join {thread}"),
        Step::Read(variable) => format!("read {}", scenario.variable_name(*variable)),
        Step::Write(variable) => format!("write {}", scenario.variable_name(*variable)),
        Step::Add(amount) => format!("add {amount}"),
        Step::SetReg(value) => format!("set_reg {value}"),
        Step::Print(_) => "print".to_string(),
        Step::RepeatStart { count, .. } => format!("repeat {count}"),
        Step::RepeatEnd { .. } => "end of repeat".to_string(),
        Step::JumpUnless { condition, .. } => {
            let operand = condition.operand.python(scenario);
            format!(
                "if {operand} {} {}",
                condition.comparison.name(),
                condition.value
            )
        }
        Step::Jump { .. } => "end of if".to_string(),
        Step::TryStart { .. } => "try".to_string(),
        Step::TryEnd { .. } => "end of try".to_string(),
        Step::Apply { pool, .. } => format!("apply {}", scenario.pools[pool.0].name),
        Step::ApplyAsync { pool, .. } => format!("apply_async {}", scenario.pools[pool.0].name),
        Step::Map { pool, count, .. } => format!("map {} x{count}", scenario.pools[pool.0].name),
        Step::Return(ReturnValue::Register) => "return reg".to_string(),
        Step::Return(ReturnValue::Number(value)) => format!("return {value}"),
        Step::GetResult(name) => format!("get_result {name}"),
        Step::Input(None) => "input".to_string(),
        Step::Signal { child, sig } => format!("signal {} {child}", sig.name()),
        Step::OnSignal { sig, .. } => format!("on_signal {}", sig.name()),
        Step::HandlerReturn => "end of handler".to_string(),
        Step::Input(Some(variable)) => format!("input into {}", scenario.variable_name(*variable)),
        Step::WrongEnd { pipe, sending } => format!(
            "{} {} end {}",
            if *sending { "send" } else { "recv" },
            scenario.sync.queues[pipe.0].name,
            if *sending { 0 } else { 1 }
        ),
        Step::ClosePool(pool) => format!("close {}", scenario.pools[pool.0].name),
        Step::JoinPool(pool) => format!("join_pool {}", scenario.pools[pool.0].name),
        Step::Select {
            call,
            watched,
            writing,
            wait,
        } => {
            let names = |set: &[crate::ids::QueueId]| -> Vec<&str> {
                set.iter()
                    .map(|q| scenario.sync.queues[q.0].name.as_str())
                    .collect()
            };
            let mut text = format!("{} {}", call.name(), names(watched).join(" "));
            if !writing.is_empty() {
                text.push_str(&format!(" write {}", names(writing).join(" ")));
            }
            match wait {
                crate::scenario::Waiting::Timeout { ticks, .. } => {
                    text.push_str(&format!(" timeout {ticks}"))
                }
                crate::scenario::Waiting::NoWait { .. } => text.push_str(" timeout 0"),
                crate::scenario::Waiting::Block => {}
            }
            text.trim_end().replace("  ", " ")
        }
        Step::IfSelected { queue, .. } => {
            format!("on {}", scenario.sync.queues[queue.0].name)
        }
        Step::Coroutine(spec) => format!("coroutine {}", spec.name),
        Step::Switch(name) => format!("switch {name}"),
        Step::Yield => "yield".to_string(),
        Step::Await(name) => format!("await {name}"),
        Step::AsyncWait {
            ticks,
            device: None,
        } => format!("async_sleep {ticks}"),
        Step::AsyncWait {
            ticks,
            device: Some(device),
        } => format!("async_io {} {ticks}", scenario.devices[device.0].name),
        Step::PoolWork(pool) => format!("worker of {}", scenario.pools[pool.0].name),
        Step::PoolResults(pool) => format!("result handler of {}", scenario.pools[pool.0].name),
    }
}

fn amount(verb: &str, resource: &str, count: u64) -> String {
    if count == 1 {
        format!("{verb} {resource}")
    } else {
        format!("{verb} {count} {resource}")
    }
}

#[cfg(test)]
mod tests {
    use super::WaitKind;

    /// Every kind is in `WaitKind::ALL` (this match is exhaustive: a new kind does not compile
    /// until it is listed here, and the count of ALL makes it be added there) and in the docs'
    /// table of waits by its JSON name.
    #[test]
    fn every_wait_kind_is_listed_and_documented() {
        let docs = include_str!("../../docs/scenario-format.md");
        let mut listed = 0;
        for kind in WaitKind::ALL {
            listed += match kind {
                WaitKind::Device
                | WaitKind::Sleep
                | WaitKind::Resource
                | WaitKind::Event
                | WaitKind::QueueItem
                | WaitKind::QueueRoom
                | WaitKind::QueueJoin
                | WaitKind::PipeRecv
                | WaitKind::PipeSend
                | WaitKind::SocketRecv
                | WaitKind::SocketSend
                | WaitKind::Select
                | WaitKind::Child
                | WaitKind::AnyChild
                | WaitKind::Thread
                | WaitKind::Threads
                | WaitKind::Children
                | WaitKind::PoolTask
                | WaitKind::PoolIdle
                | WaitKind::PoolJoin
                | WaitKind::PoolResults
                | WaitKind::Gil
                | WaitKind::EventLoop
                | WaitKind::Stopped => 1,
            };
            let name = serde_json::to_value(kind).unwrap();
            let name = name.as_str().unwrap();
            assert!(
                docs.contains(&format!("`{name}`")),
                "`{name}` is not in docs/scenario-format.md"
            );
        }
        assert_eq!(listed, 24);
    }
}
