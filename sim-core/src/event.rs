//! The event log: every state change the engine makes, in order. It is the product: metrics,
//! the Gantt chart, traces and explanations are all derived from it. Events carry no words:
//! `narrate` puts them into words.

use crate::ids::{CpuId, DeviceId, FlagId, Pid, QueueId, ResourceId, Tick};
use crate::pcb::{BlockReason, StateKind};
use crate::scenario::{PoolId, Variable};
use serde::Serialize;

/// An event and the instant it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimedEvent {
    pub time: Tick,
    #[serde(flatten)]
    pub event: Event,
}

/// Which limit made a `spawn` fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpawnLimit {
    /// `max_processes`: every process and thread counts.
    MaxProcesses,
    /// `max_threads`: the spawned threads alive count.
    MaxThreads,
}

/// One state change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Event {
    /// The process arrived: new → ready.
    Admit {
        pid: Pid,
    },
    /// A CPU starts switching to `to`; it runs after `ticks` of idle CPU. `from` is the
    /// thread it ran last (`to` itself under `rules.switch_on_redispatch`); none for its first
    /// dispatch (`rules.first_dispatch_cost`).
    ContextSwitch {
        cpu: CpuId,
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<Pid>,
        to: Pid,
        ticks: u64,
    },
    /// The process starts running on a CPU at a queue level: ready → running. `why`: the
    /// rule the policy applied to choose it, and the values it compared.
    Dispatch {
        pid: Pid,
        cpu: CpuId,
        level: usize,
        why: Choice,
    },
    /// Its quantum ran out but the policy chose it again: it keeps the CPU with a new quantum
    /// (at `level`, which may be lower than before).
    QuantumRenewed {
        pid: Pid,
        cpu: CpuId,
        level: usize,
    },
    /// MLFQ: the process used up its allotment at a level and moves down.
    Demote {
        pid: Pid,
        from: usize,
        to: usize,
    },
    /// MLFQ: every process moves to the top level with a fresh quantum and allotment.
    Boost,
    /// MLFQ with `io_done_to_front`: the process, back from IO, goes to the front of its level.
    ToFront {
        pid: Pid,
        level: usize,
    },
    /// The process lost its CPU: running → ready.
    Preempt {
        pid: Pid,
        cpu: CpuId,
        reason: PreemptReason,
    },
    /// The process gave up its CPU (or never had one) to wait: → blocked.
    Block {
        pid: Pid,
        cpu: Option<CpuId>,
        reason: BlockReason,
    },
    /// A queued IO request starts its service on a device.
    IoStart {
        pid: Pid,
        device: DeviceId,
    },
    /// The wait is over: blocked → ready.
    Wake {
        pid: Pid,
        reason: WakeReason,
    },
    /// The process ended (its program's end, an `exit` step, or a kill): → zombie.
    Exit {
        pid: Pid,
        cpu: Option<CpuId>,
        code: i32,
    },
    /// `pid` forked `child`, called `name`; the child is admitted next.
    Fork {
        pid: Pid,
        child: Pid,
        name: String,
    },
    /// `pid`'s fork of `name` failed: `limit` processes exist (`max_processes`; EAGAIN).
    ForkFailed {
        pid: Pid,
        name: String,
        limit: usize,
    },
    /// `pid`'s spawn of thread `name` failed (EAGAIN): `limit` processes and threads exist
    /// (`max_processes`, which counts threads as Linux's `pid_max` does), or `limit` spawned
    /// threads are alive (`max_threads`), as `limit_name` says.
    SpawnFailed {
        pid: Pid,
        name: String,
        limit: usize,
        limit_name: SpawnLimit,
    },
    /// gevent: coroutine `name` of thread `pid` parks in a patched `recv` or `select` until a
    /// message arrives on one of `sockets`; the loop runs the others.
    CoroutineWaitMessage {
        pid: Pid,
        name: String,
        sockets: Vec<QueueId>,
    },
    /// The job `pid` is still unfinished at its deadline (this instant); under `on_miss:
    /// abort` it is aborted and exits next.
    DeadlineMiss {
        pid: Pid,
        /// Its work left, in ticks.
        remaining: u64,
        aborted: bool,
    },
    /// `by` terminated its child `pid` (exit status -15); `pid` exits next.
    Kill {
        pid: Pid,
        by: Pid,
    },
    /// The thread `pid` sent SIGTERM to its child `to` (a `kill` step with
    /// `rules.signal_delay`): the child is terminated `delay` ticks later, alive until then.
    Signal {
        pid: Pid,
        to: Pid,
        delay: u64,
    },
    /// `pid`'s parent exited: `to` (init or a subreaper) adopts it.
    Reparent {
        pid: Pid,
        from: Pid,
        to: Pid,
    },
    /// `by` collected the exit status of its zombie child `pid`: → terminated.
    Reap {
        pid: Pid,
        by: Pid,
        code: i32,
    },
    /// `pid`'s `wait` or `kill` found no such child (ECHILD / ESRCH); it goes on at once.
    NoSuchChild {
        pid: Pid,
        step: ChildStep,
        target: String,
    },
    /// `pid` got `count` instances of a resource (at its `acquire`, or when woken).
    Acquire {
        pid: Pid,
        resource: ResourceId,
        count: u64,
    },
    /// `pid` gave back `count` instances of a resource.
    Release {
        pid: Pid,
        resource: ResourceId,
        count: u64,
        reason: ReleaseReason,
    },
    /// `pid` released more than it held (a forked child running its parent's program); only
    /// what it held is released.
    ReleaseNotHeld {
        pid: Pid,
        resource: ResourceId,
        count: u64,
        held: u64,
    },
    /// `pid` set an event; `woken` processes were waiting for it.
    SetEvent {
        pid: Pid,
        flag: FlagId,
        woken: usize,
    },
    ClearEvent {
        pid: Pid,
        flag: FlagId,
    },
    /// `pid` put an item into a queue, which now holds `items`.
    Put {
        pid: Pid,
        queue: QueueId,
        items: u64,
    },
    /// `pid` took an item from a queue, which now holds `items`.
    Get {
        pid: Pid,
        queue: QueueId,
        items: u64,
    },
    /// A deadlock formed: `processes` wait in a circle (`cycle`: process, the resource it waits
    /// for, the process holding it, ...), none can go on.
    Deadlock {
        processes: Vec<Pid>,
        resources: Vec<ResourceId>,
        cycle: Vec<RagNode>,
    },
    /// Deadlock recovery aborted `pid` (exit status -9); it exits next.
    Abort {
        pid: Pid,
    },
    /// Deadlock recovery took `pid`'s resources and rolled it back to step `step` (0-based).
    Rollback {
        pid: Pid,
        step: usize,
    },
    /// The thread `pid` started thread `thread` of its process, called `name`; the thread is
    /// admitted next.
    Spawn {
        pid: Pid,
        thread: Pid,
        name: String,
    },
    /// The thread `pid` ended (its program's end, or its process exited): → terminated.
    /// Threads leave no zombie; the process's own exit is an `exit` event.
    ThreadExit {
        pid: Pid,
        cpu: Option<CpuId>,
    },
    /// `runtime: python`: `pid`'s process is daemonic, so its fork of `name` fails ("daemonic
    /// processes are not allowed to have children"); it goes on.
    ForkRefused {
        pid: Pid,
        name: String,
    },
    /// `pid`'s `join` of `thread` failed at once; it goes on.
    JoinFailed {
        pid: Pid,
        thread: String,
        reason: JoinFailure,
    },
    /// `pid` may not run without its process's GIL, which `holder` has: → waiting for the GIL.
    GilWait {
        pid: Pid,
        holder: Pid,
    },
    /// `pid` ran its switch interval while others waited for the GIL: it drops the GIL, leaves
    /// `cpu` and queues for the GIL behind them.
    GilDrop {
        pid: Pid,
        cpu: CpuId,
    },
    /// `pid` takes its process's GIL; `waited`: it was waiting for it (→ ready).
    GilTake {
        pid: Pid,
        waited: bool,
    },
    /// The thread `pid` read `variable` (of its process, or shared) into its register.
    Read {
        pid: Pid,
        variable: Variable,
        value: i64,
    },
    /// The thread `pid` wrote its register, `value`, into `variable`.
    Write {
        pid: Pid,
        variable: Variable,
        value: i64,
    },
    /// The thread `pid` printed a line.
    Print {
        pid: Pid,
        text: String,
    },
    /// The thread `pid` queued task number `task` (from 1, across pools) on `pool`.
    TaskQueued {
        pid: Pid,
        pool: PoolId,
        task: usize,
    },
    /// The worker `pid` took `task` and starts its steps.
    TaskStart {
        pid: Pid,
        pool: PoolId,
        task: usize,
    },
    /// The worker `pid` finished `task`, which returned `value` (`return: V`; none: Python's
    /// `None`).
    TaskDone {
        pid: Pid,
        pool: PoolId,
        task: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<i64>,
    },
    /// `task`, which `pid` waited for (`apply`, `map`, `get_result`), raised `exception`:
    /// Python's `get()` raises it again in `pid` (`runtime: python`).
    ResultRaised {
        pid: Pid,
        task: usize,
        exception: String,
    },
    /// `pid` used the wrong end of one-way pipe `pipe`: `send` on the end that receives
    /// (`sending`), or `recv` on the end that sends: a failed step (OSError); it goes on.
    WrongEnd {
        pid: Pid,
        pipe: QueueId,
        sending: bool,
    },
    /// `pid`'s `select` watches more descriptors than `rules.fd_setsize` (FD_SETSIZE): a
    /// failed step (ValueError); it goes on, having selected nothing.
    SelectTooMany {
        pid: Pid,
        descriptors: u64,
        limit: u64,
    },
    /// The thread `pid` sent `sig` to its child `to` (a `signal` step; SIGTERM is a `kill`).
    SignalSent {
        pid: Pid,
        to: Pid,
        sig: crate::scenario::Signal,
    },
    /// Process `pid` stopped (SIGSTOP): each of its threads leaves its CPU or the ready
    /// queue, and one that was blocked is held when its wait ends.
    Stop {
        pid: Pid,
    },
    /// Process `pid` continues (SIGCONT): its threads go on as they were stopped.
    Continue {
        pid: Pid,
    },
    /// The stopped process `pid` was orphaned: SIGHUP (then SIGCONT) ends it (status −1).
    HangUp {
        pid: Pid,
    },
    /// The main thread `pid` runs its handler for `sig` (`on_signal`), then goes back.
    HandlerRun {
        pid: Pid,
        sig: crate::scenario::Signal,
    },
    /// `pid` read the next line of standard input, the number `value` (`int(input())`).
    Input {
        pid: Pid,
        value: i64,
    },
    /// `pid`'s `input` failed; it goes on (or raises, under `runtime: python`).
    InputFailed {
        pid: Pid,
        failure: InputFailure,
    },
    /// `get_result: name` before any `apply_async` of the process gave that name: a failed
    /// step (Python's NameError); it goes on.
    NoResult {
        pid: Pid,
        name: String,
    },
    /// `pid` could not go on at once (`reason`) and, not blocking (`block: false`), gives up:
    /// it runs its `else` steps (Python's `queue.Empty` / `queue.Full`).
    GaveUp {
        pid: Pid,
        reason: BlockReason,
    },
    /// `pid`'s `select`, `poll` or `epoll_wait` returns with the readable sockets `ready`.
    Selected {
        pid: Pid,
        call: &'static str,
        ready: Vec<QueueId>,
    },
    /// `pid` marked an item of a joinable queue done; `unfinished` are left.
    QueueTaskDone {
        pid: Pid,
        queue: QueueId,
        unfinished: u64,
    },
    /// `pid` called `task_done` more times than items were put; it goes on.
    TooManyTaskDone {
        pid: Pid,
        queue: QueueId,
    },
    /// The thread `pid` created coroutine `name` in its event loop (it is ready).
    CoroutineCreate {
        pid: Pid,
        name: String,
    },
    /// The thread `pid`'s event loop switched from coroutine `from` to `to` (`""` when the
    /// thread was waiting in its loop).
    CoroutineSwitch {
        pid: Pid,
        from: String,
        to: String,
        reason: SwitchReason,
    },
    /// Coroutine `name` of thread `pid` parks for `ticks` (an async sleep or IO).
    CoroutinePark {
        pid: Pid,
        name: String,
        ticks: u64,
    },
    /// Coroutine `name` of thread `pid` is back from its park: ready.
    CoroutineWake {
        pid: Pid,
        name: String,
    },
    /// Coroutine `name` of thread `pid` has finished.
    CoroutineDone {
        pid: Pid,
        name: String,
    },
    /// A coroutine step of thread `pid` about `name` failed; it goes on.
    CoroutineFailed {
        pid: Pid,
        name: String,
        what: CoroutineMisuse,
    },
    /// The thread `pid` used `pool` wrongly; it goes on.
    PoolMisuse {
        pid: Pid,
        pool: PoolId,
        misuse: PoolMisuse,
    },
    /// Under `runtime: python` the failed step of `pid` raised `exception` (its traceback's
    /// last line, `AssertionError: ...`). `caught`: a `try` around it goes on with its
    /// `except`; otherwise the thread's later steps do not run and the line goes to stderr.
    Raise {
        pid: Pid,
        exception: String,
        caught: bool,
        /// Raised by a pool task's steps and caught by the pool's worker loop, which hands
        /// it to the task's caller (`get()` raises it again): this task.
        #[serde(skip_serializing_if = "Option::is_none")]
        task: Option<usize>,
    },
}

/// Why a policy chose the thread it dispatches: the rule it applied and the values it
/// compared, as the policy decided, never re-derived by a view (`narrate::why_chosen` puts it
/// into words). JSON: `{rule, key, value, of, runner_up, runner_up_value}`, fields that do
/// not apply left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub rule: ChoiceRule,
    /// The chosen thread's value of the rule's key.
    pub value: Option<Measure>,
    /// The best of the others then waiting: who would have been chosen instead.
    pub runner_up: Option<Pid>,
    pub runner_up_value: Option<Measure>,
}

/// The rule of a choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceRule {
    /// The first in the ready queue (FCFS, round robin, a per-CPU queue).
    FirstInLine,
    /// The first ready process after the one dispatched last, in pid order (`order: cyclic`).
    NextAfterLast,
    /// Back from IO at this instant, the highest pid of those (`io_done: immediate`).
    BackFromIo,
    /// The CPU waited for its IO and gives it back (`switch: on_end`).
    WaitedFor,
    /// The shortest current CPU burst (SJF).
    ShortestBurst,
    /// The least remaining time of its burst (SRTF).
    ShortestRemaining,
    /// The highest priority, the lowest number, aged (priority).
    HighestPriority,
    /// The first in the highest non-empty level (MLFQ).
    HighestLevel,
    /// Its ticket was drawn (lottery).
    TicketDrawn,
    /// The lowest pass (stride).
    LowestPass,
    /// The highest response ratio, (waiting + burst) / burst (HRRN).
    HighestResponseRatio,
    /// The least vruntime (CFS; EEVDF when nobody is eligible).
    LeastVruntime,
    /// Of the processes owed CPU time (lag ≥ 0), the earliest virtual deadline (EEVDF).
    EarliestEligibleDeadline,
    /// The earliest absolute deadline (EDF).
    EarliestDeadline,
    /// The shortest period of its task (RM).
    ShortestPeriod,
    /// The shortest relative deadline of its task (DM).
    ShortestRelativeDeadline,
    /// The least laxity, deadline − now − remaining work (LLF).
    LeastLaxity,
    /// Alone in its queue, the highest queue with a ready process (MLQ, fixed priority).
    HighestQueue,
    /// Alone in its queue, whose turn it is (MLQ, time slices; or the next queue with someone
    /// ready when the turn's queue has nobody).
    QueueTurn,
}

impl ChoiceRule {
    /// What the rule compares, as JSON names it.
    pub fn key(self) -> Option<&'static str> {
        match self {
            ChoiceRule::FirstInLine
            | ChoiceRule::NextAfterLast
            | ChoiceRule::BackFromIo
            | ChoiceRule::WaitedFor => None,
            ChoiceRule::ShortestBurst => Some("burst"),
            ChoiceRule::ShortestRemaining => Some("remaining"),
            ChoiceRule::HighestPriority => Some("priority"),
            ChoiceRule::HighestLevel => Some("level"),
            ChoiceRule::TicketDrawn => Some("ticket"),
            ChoiceRule::LowestPass => Some("pass"),
            ChoiceRule::HighestResponseRatio => Some("response_ratio"),
            ChoiceRule::LeastVruntime => Some("vruntime"),
            ChoiceRule::EarliestEligibleDeadline | ChoiceRule::EarliestDeadline => Some("deadline"),
            ChoiceRule::ShortestPeriod => Some("period"),
            ChoiceRule::ShortestRelativeDeadline => Some("relative_deadline"),
            ChoiceRule::LeastLaxity => Some("laxity"),
            ChoiceRule::HighestQueue | ChoiceRule::QueueTurn => Some("queue"),
        }
    }
}

/// A value a choice compared, exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Whole(i64),
    /// A whole number too large for 64 bits (a stride pass), as its high and low halves.
    Wide {
        high: u64,
        low: u64,
    },
    /// `numerator / denominator` (a response ratio).
    Ratio {
        numerator: u64,
        denominator: u64,
    },
    /// The ticket drawn, and how many tickets were in the draw.
    Ticket {
        drawn: u64,
        of: u64,
    },
    /// A fixed-point value, `raw / 2^shift` (a CFS vruntime: 2^-20 of a tick), as its high and
    /// low halves, negated when `negative` (an EEVDF lag).
    Fixed {
        high: u64,
        low: u64,
        shift: u8,
        negative: bool,
    },
}

impl Measure {
    /// `raw / one`, with `one` a power of two: a fixed-point value.
    pub fn fixed(raw: u128, one: u128) -> Measure {
        Measure::Fixed {
            high: (raw >> 64) as u64,
            low: raw as u64,
            shift: one.trailing_zeros() as u8,
            negative: false,
        }
    }

    /// `raw / one`, with `one` a power of two: a fixed-point value that may be negative.
    pub fn signed_fixed(raw: i128, one: u128) -> Measure {
        match Measure::fixed(raw.unsigned_abs(), one) {
            Measure::Fixed {
                high, low, shift, ..
            } => Measure::Fixed {
                high,
                low,
                shift,
                negative: raw < 0,
            },
            other => other,
        }
    }

    /// The value as a double (the nearest one).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Measure::Whole(value) => value as f64,
            Measure::Wide { high, low } => ((u128::from(high) << 64) | u128::from(low)) as f64,
            Measure::Ratio {
                numerator,
                denominator,
            } => numerator as f64 / denominator.max(1) as f64,
            Measure::Ticket { drawn, .. } => drawn as f64,
            Measure::Fixed {
                high,
                low,
                shift,
                negative,
            } => {
                let magnitude =
                    ((u128::from(high) << 64) | u128::from(low)) as f64 / (1u128 << shift) as f64;
                if negative { -magnitude } else { magnitude }
            }
        }
    }

    /// A whole number of any size up to 128 bits.
    pub fn wide(value: u128) -> Measure {
        match i64::try_from(value) {
            Ok(value) => Measure::Whole(value),
            Err(_) => Measure::Wide {
                high: (value >> 64) as u64,
                low: value as u64,
            },
        }
    }
}

impl std::fmt::Display for Measure {
    /// `42`, `7/3 (2.33)`, `ticket 12 of 300` as in captions.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Measure::Whole(value) => write!(f, "{value}"),
            Measure::Wide { high, low } => {
                write!(f, "{}", (u128::from(high) << 64) | u128::from(low))
            }
            Measure::Ratio {
                numerator,
                denominator,
            } => write!(
                f,
                "{numerator}/{denominator} ({:.2})",
                numerator as f64 / denominator.max(1) as f64
            ),
            Measure::Ticket { drawn, of } => write!(f, "ticket {drawn} of {of}"),
            Measure::Fixed { .. } => write!(f, "{:.3}", self.as_f64()),
        }
    }
}

/// A policy's own values of one process, by name (CFS's `vruntime`; a job's `deadline` and
/// `laxity`), in name order: a short list, not a map, because every row of a report of a
/// million processes carries one. Serialized as a JSON object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchedValues(Vec<(&'static str, Measure)>);

impl SchedValues {
    pub fn get(&self, name: &str) -> Option<&Measure> {
        self.0
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &&'static str> {
        self.0.iter().map(|(key, _)| key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Measure)> {
        self.0.iter().map(|(key, value)| (*key, value))
    }
}

impl FromIterator<(&'static str, Measure)> for SchedValues {
    fn from_iter<I: IntoIterator<Item = (&'static str, Measure)>>(values: I) -> SchedValues {
        let mut values: Vec<(&'static str, Measure)> = values.into_iter().collect();
        values.sort_by_key(|(key, _)| *key);
        values.dedup_by_key(|(key, _)| *key);
        SchedValues(values)
    }
}

impl std::ops::Index<&str> for SchedValues {
    type Output = Measure;

    fn index(&self, name: &str) -> &Measure {
        self.get(name)
            .unwrap_or_else(|| panic!("no sched value `{name}`"))
    }
}

impl Serialize for SchedValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Serialize for Measure {
    /// A number: whole numbers exactly, a ratio as its nearest double.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Measure::Whole(value) => serializer.serialize_i64(value),
            Measure::Wide { high, low } => {
                serializer.serialize_u128((u128::from(high) << 64) | u128::from(low))
            }
            Measure::Ratio { .. } => serializer.serialize_f64(self.as_f64()),
            Measure::Ticket { drawn, .. } => serializer.serialize_u64(drawn),
            Measure::Fixed { .. } => serializer.serialize_f64(self.as_f64()),
        }
    }
}

impl Serialize for Choice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("rule", &self.rule)?;
        if let Some(key) = self.rule.key() {
            map.serialize_entry("key", key)?;
        }
        if let Some(value) = &self.value {
            map.serialize_entry("value", value)?;
            if let Measure::Ticket { of, .. } = value {
                map.serialize_entry("of", of)?;
            }
        }
        if let Some(runner_up) = &self.runner_up {
            map.serialize_entry("runner_up", runner_up)?;
        }
        if let Some(value) = &self.runner_up_value {
            map.serialize_entry("runner_up_value", value)?;
        }
        map.end()
    }
}

impl Choice {
    /// The first in line, with who stands behind it.
    pub fn first_in_line(runner_up: Option<Pid>) -> Choice {
        Choice::plain(ChoiceRule::FirstInLine, runner_up)
    }

    /// A rule that compares no value.
    pub fn plain(rule: ChoiceRule, runner_up: Option<Pid>) -> Choice {
        Choice {
            rule,
            value: None,
            runner_up,
            runner_up_value: None,
        }
    }

    /// A rule that compares values: the chosen one's, and the runner-up with its own.
    pub fn keyed(rule: ChoiceRule, value: Measure, runner_up: Option<(Pid, Measure)>) -> Choice {
        Choice {
            rule,
            value: Some(value),
            runner_up: runner_up.map(|(pid, _)| pid),
            runner_up_value: runner_up.map(|(_, value)| value),
        }
    }
}

/// Why an event loop switched coroutines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SwitchReason {
    /// A `switch` step handed control over.
    Switch,
    /// A `yield`: the coroutine went to the back of the ready line.
    Yield,
    /// An `await` of a coroutine not finished yet.
    Await,
    /// The coroutine parked (`async_sleep`, `async_io`, or a patched `io`/`sleep`).
    Park,
    /// The coroutine ended.
    Finished,
    /// The thread, waiting in its loop, has a ready coroutine again.
    Woken,
}

/// A coroutine step that fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoroutineMisuse {
    /// `switch` or `await` names no coroutine of the thread.
    Unknown,
    /// `coroutine` reuses a name the thread's loop has.
    NameTaken,
}

/// Why an `input` step failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum InputFailure {
    /// Standard input is closed: `runtime: python`, in a process `multiprocessing` started
    /// (its stdin is /dev/null).
    Closed,
    /// Every line has been read.
    AtEnd,
    /// The line is not a whole number.
    NotANumber { line: String },
}

/// A pool step that fails, as Python's `ValueError`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolMisuse {
    /// `join_pool` before `close` ("Pool is still running").
    JoinBeforeClose,
    /// A task for a closed pool ("Pool not running").
    SubmitAfterClose,
}

/// Why a `join` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinFailure {
    /// The process has no thread of that name.
    Unknown,
    /// A `join` of it has already returned.
    AlreadyJoined,
    /// A thread cannot join itself (Python: "cannot join current thread").
    Oneself,
}

/// A move between two states of the five-state model plus zombie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Transition {
    pub from: StateKind,
    pub to: StateKind,
}

impl Transition {
    /// The moves only threads make: the GIL's forced switch, taking the GIL after waiting
    /// for it, and a thread's end (threads leave no zombie).
    pub const THREAD_MOVES: [Transition; 3] = [
        Transition::new(StateKind::Running, StateKind::GilWait),
        Transition::new(StateKind::GilWait, StateKind::Ready),
        Transition::new(StateKind::Running, StateKind::Terminated),
    ];

    /// Every transition an event can be, in the order of a process's life.
    pub const ALL: [Transition; 8] = [
        Transition::new(StateKind::New, StateKind::Ready),
        Transition::new(StateKind::Ready, StateKind::Running),
        Transition::new(StateKind::Running, StateKind::Ready),
        Transition::new(StateKind::Running, StateKind::Blocked),
        Transition::new(StateKind::Ready, StateKind::Blocked),
        Transition::new(StateKind::Blocked, StateKind::Ready),
        Transition::new(StateKind::Running, StateKind::Zombie),
        Transition::new(StateKind::Zombie, StateKind::Terminated),
    ];

    pub const fn new(from: StateKind, to: StateKind) -> Transition {
        Transition { from, to }
    }

    /// The name of the move, as state diagrams label their arrows.
    pub fn verb(self) -> &'static str {
        use StateKind::*;
        match (self.from, self.to) {
            (New, Ready) => "admit",
            (Ready, Running) => "dispatch",
            (Running, Ready) => "preempt",
            (_, Blocked) => "block",
            (Blocked, Ready) => "wake",
            (_, GilWait) => "wait for GIL",
            (GilWait, Ready) => "take GIL",
            (Running, Terminated) => "end",
            (_, Zombie) => "exit",
            (_, Terminated) => "reap",
            _ => "move",
        }
    }
}

/// A node of the resource-allocation graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RagNode {
    Process { pid: Pid },
    Resource { resource: ResourceId },
}

/// Why resources were released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseReason {
    /// A `release` step.
    Step,
    /// The process exited holding them.
    Exit,
    /// Deadlock recovery took them.
    Preempted,
}

/// The step that named a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildStep {
    Wait,
    Kill,
    /// A `signal` step (os.kill(p.pid, sig)).
    Signal,
}

/// Why a running process was preempted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PreemptReason {
    QuantumExpired,
    /// `by` has a shorter remaining CPU burst (SRTF).
    ShorterRemaining {
        by: Pid,
    },
    /// `by` has a higher priority (lower number).
    HigherPriority {
        by: Pid,
    },
    /// MLFQ: `by` became ready at a higher level.
    HigherLevel {
        by: Pid,
    },
    /// MLFQ: `by` came back from IO to the front of the same level.
    IoReturnToFront {
        by: Pid,
    },
    /// MLFQ: the boost moved the running process into the top level's queue.
    Boost,
    /// FCFS with `io_done: immediate`: `by` came back from IO and takes the CPU at once.
    IoDone {
        by: Pid,
    },
    /// `same_instant: shuffled`: the draw after a fork let the child `by` run first.
    ChildRunsFirst {
        by: Pid,
    },
    /// MLQ with fixed priority: `by` became ready in a higher queue.
    HigherQueue {
        by: Pid,
    },
    /// MLQ with time slices: the CPUs' turn passed to another queue, which has someone ready.
    QueueTurn,
    /// CFS: `by` woke with a vruntime smaller than its own by more than the wakeup
    /// granularity.
    SmallerVruntime {
        by: Pid,
    },
    /// EEVDF without `run_to_parity`: `by` woke eligible with an earlier virtual deadline.
    EarlierDeadline {
        by: Pid,
    },
    /// EEVDF without `run_to_parity`: `by` woke eligible and the running process is no longer
    /// eligible (it has had more than its share).
    NoLongerEligible {
        by: Pid,
    },
    /// A replayed schedule (`procsim explore`, `--schedule`) switched it out at a switch
    /// point, to let the threads that wait run first.
    ForcedSwitch,
    /// EDF: `by`, a job with an earlier absolute deadline, became ready.
    EarlierAbsoluteDeadline {
        by: Pid,
    },
    /// RM: `by`, a job of a task with a shorter period, became ready.
    ShorterPeriod {
        by: Pid,
    },
    /// DM: `by`, a job of a task with a shorter relative deadline, became ready.
    ShorterRelativeDeadline {
        by: Pid,
    },
    /// LLF: `by` has (or now has, its laxity falling as it waits) a smaller laxity.
    LessLaxity {
        by: Pid,
    },
    /// A real-time policy: the job `by` became ready and background work gives way.
    JobReleased {
        by: Pid,
    },
}

/// Why a blocked process became ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum WakeReason {
    IoDone {
        device: DeviceId,
    },
    /// Its `wait` reaped `child`.
    ChildReaped {
        child: Pid,
    },
    /// It ignores SIGCHLD: its `wait` returns (ECHILD) once no child it waited for is alive.
    NoChildLeft,
    /// It got the resource it waited for.
    Acquired {
        resource: ResourceId,
    },
    /// The event it waited for was set.
    EventSet {
        event: FlagId,
    },
    /// Its item went into the queue it waited on.
    QueueSpace {
        queue: QueueId,
    },
    /// It got an item from the queue it waited on.
    QueueItem {
        queue: QueueId,
    },
    SleepOver,
    /// Its `join` returned: `thread` has ended.
    ThreadJoined {
        thread: Pid,
    },
    /// The main thread's program had ended: the last non-daemon thread has now ended too.
    ThreadsDone,
    /// `runtime: python`: its exit handler has joined every non-daemon child.
    ChildrenJoined,
    /// A pool worker: a task was queued (or the pool closed).
    TaskQueued {
        pool: PoolId,
    },
    /// Its `apply` or `map` tasks are done.
    TasksDone {
        pool: PoolId,
    },
    /// Its `join_pool` returns: the pool's workers have exited.
    PoolJoined {
        pool: PoolId,
    },
    /// Its `timeout` ran out first: it runs its `else` steps.
    TimedOut,
    /// Its `join_queue` returns: every item is dealt with.
    QueueJoined {
        queue: QueueId,
    },
    /// A parked coroutine of its event loop is ready again.
    EventLoopReady,
    /// A socket it watches in `select`, `poll` or `epoll_wait` became readable.
    SocketReadable {
        queue: QueueId,
    },
    /// A queue it watches to write in `select` has room again.
    Writable {
        queue: QueueId,
    },
    /// Its process was stopped and is continued (SIGCONT).
    Continued,
}

impl Event {
    /// The process the event is about (for a context switch, the incoming one); `None` for
    /// events about the whole system (a boost).
    pub fn pid(&self) -> Option<Pid> {
        match *self {
            Event::Admit { pid }
            | Event::Dispatch { pid, .. }
            | Event::QuantumRenewed { pid, .. }
            | Event::Demote { pid, .. }
            | Event::ToFront { pid, .. }
            | Event::Preempt { pid, .. }
            | Event::Block { pid, .. }
            | Event::IoStart { pid, .. }
            | Event::Wake { pid, .. }
            | Event::Exit { pid, .. }
            | Event::Fork { pid, .. }
            | Event::ForkFailed { pid, .. }
            | Event::SpawnFailed { pid, .. }
            | Event::Kill { pid, .. }
            | Event::DeadlineMiss { pid, .. }
            | Event::Signal { pid, .. }
            | Event::Reparent { pid, .. }
            | Event::Reap { pid, .. }
            | Event::NoSuchChild { pid, .. }
            | Event::Acquire { pid, .. }
            | Event::Release { pid, .. }
            | Event::ReleaseNotHeld { pid, .. }
            | Event::SetEvent { pid, .. }
            | Event::ClearEvent { pid, .. }
            | Event::Put { pid, .. }
            | Event::Get { pid, .. }
            | Event::Abort { pid }
            | Event::Rollback { pid, .. }
            | Event::Spawn { pid, .. }
            | Event::ThreadExit { pid, .. }
            | Event::JoinFailed { pid, .. }
            | Event::ForkRefused { pid, .. }
            | Event::GilWait { pid, .. }
            | Event::GilDrop { pid, .. }
            | Event::GilTake { pid, .. }
            | Event::Read { pid, .. }
            | Event::Write { pid, .. }
            | Event::Print { pid, .. }
            | Event::TaskQueued { pid, .. }
            | Event::TaskStart { pid, .. }
            | Event::TaskDone { pid, .. }
            | Event::ResultRaised { pid, .. }
            | Event::NoResult { pid, .. }
            | Event::WrongEnd { pid, .. }
            | Event::Input { pid, .. }
            | Event::SelectTooMany { pid, .. }
            | Event::SignalSent { pid, .. }
            | Event::Stop { pid }
            | Event::Continue { pid }
            | Event::HandlerRun { pid, .. }
            | Event::HangUp { pid }
            | Event::InputFailed { pid, .. }
            | Event::PoolMisuse { pid, .. }
            | Event::Raise { pid, .. }
            | Event::GaveUp { pid, .. }
            | Event::QueueTaskDone { pid, .. }
            | Event::TooManyTaskDone { pid, .. }
            | Event::Selected { pid, .. }
            | Event::CoroutineCreate { pid, .. }
            | Event::CoroutineSwitch { pid, .. }
            | Event::CoroutinePark { pid, .. }
            | Event::CoroutineWaitMessage { pid, .. }
            | Event::CoroutineWake { pid, .. }
            | Event::CoroutineDone { pid, .. }
            | Event::CoroutineFailed { pid, .. } => Some(pid),
            Event::ContextSwitch { to, .. } => Some(to),
            Event::Boost | Event::Deadlock { .. } => None,
        }
    }

    /// The state transition this event is, if it is one: admit (new → ready), dispatch
    /// (ready → running), preempt (running → ready), block (running → blocked, or ready →
    /// blocked for a process blocking before it ever ran), wake (blocked → ready), exit on a
    /// CPU (running → zombie) and reap (zombie → terminated). An exit off the CPU (a kill or
    /// an abort) does not say which state it left, so it is none.
    pub fn transition(&self) -> Option<Transition> {
        use StateKind::*;
        let (from, to) = match self {
            Event::Admit { .. } => (New, Ready),
            Event::Dispatch { .. } => (Ready, Running),
            Event::Preempt { .. } => (Running, Ready),
            Event::Block { cpu: Some(_), .. } => (Running, Blocked),
            Event::Block { cpu: None, .. } => (Ready, Blocked),
            Event::Wake { .. } => (Blocked, Ready),
            Event::Exit { cpu: Some(_), .. } => (Running, Zombie),
            Event::Reap { .. } => (Zombie, Terminated),
            Event::GilDrop { .. } => (Running, GilWait),
            Event::GilTake { waited: true, .. } => (GilWait, Ready),
            Event::ThreadExit { cpu: Some(_), .. } => (Running, Terminated),
            _ => return None,
        };
        Some(Transition { from, to })
    }

    /// A short verb naming the kind of event, for the trace's second column.
    pub fn verb(&self) -> &'static str {
        match self {
            Event::Admit { .. } => "admit",
            Event::ContextSwitch { .. } => "switch",
            Event::Dispatch { .. } => "dispatch",
            Event::QuantumRenewed { .. } => "renew",
            Event::Demote { .. } => "demote",
            Event::Boost => "boost",
            Event::ToFront { .. } => "to-front",
            Event::Preempt { .. } => "preempt",
            Event::Block { .. } => "block",
            Event::IoStart { .. } => "io-start",
            Event::Wake { .. } => "wake",
            Event::Exit { .. } => "exit",
            Event::Fork { .. } => "fork",
            Event::ForkFailed { .. } => "fork-fail",
            Event::SpawnFailed { .. } => "spawn-fail",
            Event::Kill { .. } => "kill",
            Event::DeadlineMiss { .. } => "miss",
            Event::Signal { .. } => "signal",
            Event::Reparent { .. } => "reparent",
            Event::Reap { .. } => "reap",
            Event::NoSuchChild { .. } => "no-child",
            Event::Acquire { .. } => "acquire",
            Event::Release { .. } => "release",
            Event::ReleaseNotHeld { .. } => "not-held",
            Event::SetEvent { .. } => "set",
            Event::ClearEvent { .. } => "clear",
            Event::Put { .. } => "put",
            Event::Get { .. } => "get",
            Event::Deadlock { .. } => "DEADLOCK",
            Event::Abort { .. } => "abort",
            Event::Rollback { .. } => "rollback",
            Event::Spawn { .. } => "spawn",
            Event::ThreadExit { .. } => "end",
            Event::JoinFailed { .. } => "join-fail",
            Event::ForkRefused { .. } => "fork-fail",
            Event::GilWait { .. } => "gil-wait",
            Event::GilDrop { .. } => "gil-drop",
            Event::GilTake { .. } => "gil-take",
            Event::Read { .. } => "read",
            Event::Write { .. } => "write",
            Event::Print { .. } => "print",
            Event::TaskQueued { .. } => "task",
            Event::TaskStart { .. } => "task-start",
            Event::TaskDone { .. } => "task-done",
            Event::ResultRaised { .. } => "result-raise",
            Event::NoResult { .. } => "result-fail",
            Event::WrongEnd { .. } => "pipe-fail",
            Event::Input { .. } => "input",
            Event::SelectTooMany { .. } => "select-fail",
            Event::SignalSent { .. } => "send-signal",
            Event::Stop { .. } => "stop",
            Event::Continue { .. } => "continue",
            Event::HandlerRun { .. } => "handler",
            Event::HangUp { .. } => "hangup",
            Event::InputFailed { .. } => "input-fail",
            Event::PoolMisuse { .. } => "pool-fail",
            Event::Raise { .. } => "raise",
            Event::GaveUp { .. } => "give-up",
            Event::QueueTaskDone { .. } => "task-done",
            Event::TooManyTaskDone { .. } => "done-fail",
            Event::Selected { .. } => "select",
            Event::CoroutineCreate { .. } => "coroutine",
            Event::CoroutineSwitch { .. } => "co-switch",
            Event::CoroutinePark { .. } => "co-park",
            Event::CoroutineWaitMessage { .. } => "co-wait",
            Event::CoroutineWake { .. } => "co-wake",
            Event::CoroutineDone { .. } => "co-done",
            Event::CoroutineFailed { .. } => "co-fail",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_transition_an_event_makes_is_listed_and_named() {
        let cpu = CpuId(0);
        let pid = Pid(2);
        let events = [
            Event::Admit { pid },
            Event::Dispatch {
                pid,
                cpu,
                level: 0,
                why: Choice::first_in_line(None),
            },
            Event::Preempt {
                pid,
                cpu,
                reason: PreemptReason::QuantumExpired,
            },
            Event::Block {
                pid,
                cpu: Some(cpu),
                reason: BlockReason::Sleep { ticks: 1 },
            },
            Event::Block {
                pid,
                cpu: None,
                reason: BlockReason::Sleep { ticks: 1 },
            },
            Event::Wake {
                pid,
                reason: WakeReason::SleepOver,
            },
            Event::Exit {
                pid,
                cpu: Some(cpu),
                code: 0,
            },
            Event::Reap {
                pid,
                by: Pid::INIT,
                code: 0,
            },
        ];
        let made: Vec<Transition> = events.iter().filter_map(Event::transition).collect();
        assert_eq!(made, Transition::ALL);
        let verbs: Vec<&str> = made.iter().map(|t| t.verb()).collect();
        assert_eq!(
            verbs,
            [
                "admit", "dispatch", "preempt", "block", "block", "wake", "exit", "reap"
            ]
        );
        assert_eq!(Event::Boost.transition(), None);
        assert_eq!(
            Event::Exit {
                pid,
                cpu: None,
                code: -15
            }
            .transition(),
            None
        );
    }
}
