//! Scenarios: what a run simulates, read from YAML and checked before the engine sees it.
//!
//! The format is documented in docs/scenario-format.md. [`Scenario::from_yaml`] is the entry
//! point: syntax errors carry a line and column, semantic errors the path of the field at fault.

mod file;
pub mod limits;
pub mod policies;
pub mod presets;
pub mod realtime;
mod validate;

use serde::de::IgnoredAny;

pub use file::{
    AgingFile, AmountFile, ApplyFile, BetweenFile, ConditionValue, CountFile, DeadlockFile,
    DeviceFile, DistFile, EventFile, ForkFile, GilFile, GilIntervalFile, IfFile, IoFile,
    IoOnDevice, LevelFile, MapFile, MeanFile, MlqQueueFile, MonkeyModulesFile, MonkeyPatchFile,
    NormalFile, PolicyFile, PolicyOptions, PoolFile, ProcessFile, ProgramEntry, ProgramFile,
    QueueFile, RepeatFile, ResourceFile, ReturnFile, RulesFile, STEP_NAMES, ScenarioFile,
    SpawnFile, StepFile, TaskFile, UniformFile, WorkloadFile,
};
pub use realtime::{JobSpec, OnMiss, RealTime, TaskSpec};

use crate::ids::Tick;
pub use crate::ids::{DeviceId, FlagId, QueueId, ResourceId};
use crate::yaml::{self, Position, YamlError};
use std::sync::Arc;

/// A validated scenario, ready to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub cpus: usize,
    pub policy: PolicyConfig,
    /// Seed of the random policies (lottery).
    pub seed: u64,
    pub rules: Rules,
    /// Index 0 is the default device, which serves any number of requests at once.
    pub devices: Vec<Device>,
    /// In scenario order; the process at index i gets pid i + 2.
    pub processes: Vec<ProcessSpec>,
    /// A fork fails (EAGAIN) while this many processes exist, zombies included, init not.
    pub max_processes: usize,
    /// A `spawn` fails (EAGAIN) while this many spawned threads are alive, as Linux's
    /// `threads-max` bounds the threads of the whole machine.
    pub max_threads: usize,
    /// Resources, events, bounded queues and the deadlock options.
    pub sync: SyncConfig,
    /// Per-process variables (`globals:`), each process's own copy, in name order.
    pub globals: Vec<VariableSpec>,
    /// Variables every process shares (`shared:`), in name order.
    pub shared: Vec<VariableSpec>,
    /// Whose rules processes follow at exit, fork and kill.
    pub runtime: Runtime,
    /// Process pools, by [`PoolId`].
    pub pools: Vec<PoolSpec>,
    /// Standard input, line by line (`stdin:`), for `input` steps.
    pub stdin: Vec<String>,
    /// A schedule to replay (`procsim run --schedule`, `procsim explore`). Not part of the
    /// file.
    pub schedule: Option<Schedule>,
    /// How the GUI presents the scenario (`gui:`); no effect on the run.
    pub gui: GuiOptions,
    /// Real-time periodic tasks and their jobs (`tasks:`); the jobs are the last processes.
    pub realtime: Option<RealTime>,
}

/// `gui: {focus: ...}`: how procsim-gui presents a scenario (docs/gui.md). It never changes
/// the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GuiOptions {
    /// The panel the lesson needs on the first screen; `None`: chosen by what the scenario
    /// uses ([`Scenario::focus`]).
    pub focus: Option<Focus>,
}

/// The panel a scenario's lesson needs beside the machine and the Gantt chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Shared and global values, with who wrote what, and the output.
    Variables,
    /// Locks, semaphores, events and queues: holders, waiters, deadlocks.
    Resources,
    /// The process tree (`pstree`).
    Tree,
    /// Process pools: workers, their tasks, the task queue.
    Pools,
    /// Sockets and pipes, and who waits in `select`/`poll`/`epoll_wait`.
    Sockets,
    /// Each process's GIL: its holder and its queue.
    Gil,
    /// The measures of the finished processes and their averages.
    Averages,
}

impl Focus {
    /// Every focus by the word a scenario writes for it.
    pub const WORDS: [(&'static str, Focus); 7] = [
        ("variables", Focus::Variables),
        ("resources", Focus::Resources),
        ("tree", Focus::Tree),
        ("pools", Focus::Pools),
        ("sockets", Focus::Sockets),
        ("gil", Focus::Gil),
        ("averages", Focus::Averages),
    ];

    /// The word a scenario writes for this focus.
    pub fn word(self) -> &'static str {
        Focus::WORDS
            .iter()
            .find(|(_, focus)| *focus == self)
            .map_or("averages", |(word, _)| word)
    }
}

/// The forced switches a replayed run may make unless told otherwise (`--preemptions`), as
/// CHESS's preemption bounding: most concurrency bugs need no more than two.
pub const DEFAULT_PREEMPTIONS: u32 = 2;

/// A schedule to replay (docs/explore.md): the alternative taken at each choice point — those
/// of `same_instant: shuffled`, and a forced switch at a running thread's switch points while
/// `preemptions` last — in order (0: the documented one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub choices: Arc<[usize]>,
    /// How many forced switches a run may make (`--preemptions K`).
    pub preemptions: u32,
    /// Past the choices' end: drawn from this seed (`explore --sample`); without one, 0.
    pub draw_seed: Option<u64>,
    /// Whether the run records what each choice point decided, for `--explain`
    /// (`Simulator::choices_made`); explore's runs do not.
    pub explained: bool,
}

impl Schedule {
    /// `choices` with the default preemption bound, 0 past their end.
    pub fn new(choices: impl Into<Arc<[usize]>>) -> Schedule {
        Schedule {
            choices: choices.into(),
            preemptions: DEFAULT_PREEMPTIONS,
            draw_seed: None,
            explained: true,
        }
    }
}

/// A process pool (`multiprocessing.Pool`), docs/python.md.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolSpec {
    pub name: String,
    pub workers: usize,
}

/// Index of a pool in [`Scenario::pools`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct PoolId(pub usize);

/// A variable and its first value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableSpec {
    pub name: String,
    pub initial: i64,
}

/// Whose rules processes follow (docs/python.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Runtime {
    /// POSIX: a process exits when its program ends; a kill releases what the victim holds.
    #[default]
    Posix,
    /// Python's multiprocessing: a process waits for its non-daemon children at exit, a
    /// daemonic process may not fork, `terminate()` leaves the victim's locks held.
    Python,
}

/// A variable a step reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "scope", content = "index")]
pub enum Variable {
    /// The process's own copy of `globals[i]`.
    Global(usize),
    /// `shared[i]`.
    Shared(usize),
}

/// What an `if` compares: the thread's register, a variable, or what a child or thread says
/// of itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    Register,
    Variable(Variable),
    /// How many children the process has (living or zombie: not yet reaped).
    Children,
    /// `{child: C, alive: B}`: 1 while the process's last child called C has not exited
    /// (Python's `is_alive()`), else 0.
    ChildAlive(String),
    /// `{child: C, exitcode: ...}`: its exit status once it has exited; none before (Python's
    /// `exitcode` is `None`: only `ne` holds).
    ChildExitCode(String),
    /// `{thread: T, alive: B}`: 1 while the process's thread T has started and not ended.
    ThreadAlive(String),
    /// `{queue: Q, size: ...}`: the items in the queue now (`q.qsize()`).
    QueueSize(QueueId),
    /// `{queue: Q, empty: B}`: 1 when it holds no item (`q.empty()`).
    QueueEmpty(QueueId),
    /// `{queue: Q, full: B}`: 1 when a bounded queue holds its capacity (`q.full()`).
    QueueFull(QueueId),
    /// `{event: E, is_set: B}`: 1 while the event is set (`e.is_set()`).
    EventIsSet(FlagId),
    /// `{semaphore: S, value: ...}`: the instances free now (`s.get_value()`).
    SemaphoreValue(ResourceId),
    /// `{lock: L, locked: B}`: 1 while someone holds the lock (`l.locked()`).
    LockLocked(ResourceId),
}

impl Operand {
    /// Whether its value is a truth (0 or 1, printed `False`/`True`) rather than a number.
    pub fn is_truth(&self) -> bool {
        matches!(
            self,
            Operand::ChildAlive(_)
                | Operand::ThreadAlive(_)
                | Operand::QueueEmpty(_)
                | Operand::QueueFull(_)
                | Operand::EventIsSet(_)
                | Operand::LockLocked(_)
        )
    }

    /// As Python says it: `reg`, `x`, `worker.is_alive()`, `q.qsize()`, `rooms.get_value()`.
    pub fn python(&self, scenario: &Scenario) -> String {
        let queue = |q: &QueueId| &scenario.sync.queues[q.0].name;
        let resource = |r: &ResourceId| &scenario.sync.resources[r.0].name;
        match self {
            Operand::Register => "reg".to_string(),
            Operand::Variable(variable) => scenario.variable_name(*variable),
            Operand::Children => "children".to_string(),
            Operand::ChildAlive(name) | Operand::ThreadAlive(name) => {
                format!("{name}.is_alive()")
            }
            Operand::ChildExitCode(name) => format!("{name}.exitcode"),
            Operand::QueueSize(q) => format!("{}.qsize()", queue(q)),
            Operand::QueueEmpty(q) => format!("{}.empty()", queue(q)),
            Operand::QueueFull(q) => format!("{}.full()", queue(q)),
            Operand::EventIsSet(flag) => format!("{}.is_set()", scenario.sync.events[flag.0].name),
            Operand::SemaphoreValue(r) => format!("{}.get_value()", resource(r)),
            Operand::LockLocked(r) => format!("{}.locked()", resource(r)),
        }
    }
}

/// `eq, ne, lt, le, gt, ge`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparison {
    pub const NAMES: [(&'static str, Comparison); 6] = [
        ("eq", Comparison::Eq),
        ("ne", Comparison::Ne),
        ("lt", Comparison::Lt),
        ("le", Comparison::Le),
        ("gt", Comparison::Gt),
        ("ge", Comparison::Ge),
    ];

    /// Whether `left OP right` holds; with no `left` (Python's `None`) only `ne` does.
    pub fn holds_for(self, left: Option<i64>, right: i64) -> bool {
        left.map_or(self == Comparison::Ne, |left| self.holds(left, right))
    }

    pub fn holds(self, left: i64, right: i64) -> bool {
        match self {
            Comparison::Eq => left == right,
            Comparison::Ne => left != right,
            Comparison::Lt => left < right,
            Comparison::Le => left <= right,
            Comparison::Gt => left > right,
            Comparison::Ge => left >= right,
        }
    }

    pub fn name(self) -> &'static str {
        Comparison::NAMES
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("?", |(name, _)| name)
    }
}

/// The condition of an `if`: `{NAME: {OP: V}}`, or a question to a child, thread, queue,
/// event, semaphore or lock, as `{child: C, alive: B}` or `{queue: Q, size: {gt: 2}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub operand: Operand,
    pub comparison: Comparison,
    pub value: i64,
}

/// The signals a `signal` step sends (signal(7)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Signal {
    /// Stops the process until SIGCONT (cannot be caught).
    #[serde(rename = "SIGSTOP")]
    Stop,
    /// Continues a stopped process.
    #[serde(rename = "SIGCONT")]
    Cont,
    /// Terminates it (status −15), as `kill` and Python's `terminate()`.
    #[serde(rename = "SIGTERM")]
    Term,
    /// Terminates it at once (status −9; cannot be caught).
    #[serde(rename = "SIGKILL")]
    Kill,
    /// User signal 1: terminates it (status −10).
    #[serde(rename = "SIGUSR1")]
    Usr1,
}

impl Signal {
    pub const ALL: [Signal; 5] = [
        Signal::Stop,
        Signal::Cont,
        Signal::Term,
        Signal::Kill,
        Signal::Usr1,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Signal::Stop => "SIGSTOP",
            Signal::Cont => "SIGCONT",
            Signal::Term => "SIGTERM",
            Signal::Kill => "SIGKILL",
            Signal::Usr1 => "SIGUSR1",
        }
    }

    /// The signal's number on Linux (x86): a process it terminates exits with its negation.
    pub fn number(self) -> i32 {
        match self {
            Signal::Stop => 19,
            Signal::Cont => 18,
            Signal::Term => 15,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
        }
    }
}

/// What a `return` gives back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnValue {
    Register,
    Number(i64),
}

/// A piece of a `print` text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintPart {
    Text(String),
    Register,
    Variable(Variable),
    Pid,
    Tid,
    /// `{C.is_alive()}`, `{q.qsize()}`, ...: what an `if` could ask, as Python prints it.
    Question(Operand),
    /// `{L}` for a list a `map` filled (`as: L`), as Python prints a list: `[0, 1, 4]`.
    List(String),
    /// `{i}` in a pool task: its index (0 to count − 1 in a `map`; 0 otherwise).
    TaskIndex,
}

/// A scheduling policy and its options, as chosen by the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyConfig {
    Cfs(CfsConfig),
    Eevdf(EevdfConfig),
    Fcfs(FcfsConfig),
    Hrrn,
    Lottery {
        quantum_ticks: u64,
        draw: LotteryDraw,
    },
    Mlfq(MlfqConfig),
    Mlq(MlqConfig),
    Priority {
        preemptive: bool,
        /// Round robin among equal priorities with this quantum.
        quantum_ticks: Option<u64>,
        /// How a waiting process gains priority (docs/policies.md).
        aging: Aging,
        /// `priority_from: nice`: each process's priority is its nice value.
        from_nice: bool,
    },
    /// The real-time policies of `tasks:` (edf, rm, dm, llf).
    RealTime(RealTimeRule),
    Rr {
        quantum_ticks: u64,
    },
    Sjf,
    Srtf,
    Stride {
        quantum_ticks: u64,
    },
}

/// Which job a real-time policy runs: the one with the least of its key (docs/realtime.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RealTimeRule {
    /// Earliest deadline first: the earliest absolute deadline.
    Edf,
    /// Rate monotonic: the task with the shortest period (a fixed priority).
    Rm,
    /// Deadline monotonic: the task with the shortest relative deadline (a fixed priority).
    Dm,
    /// Least laxity first: the least laxity, deadline − now − remaining work.
    Llf,
}

impl RealTimeRule {
    pub const ALL: [RealTimeRule; 4] = [
        RealTimeRule::Dm,
        RealTimeRule::Edf,
        RealTimeRule::Llf,
        RealTimeRule::Rm,
    ];

    /// The policy's `kind`.
    pub fn name(self) -> &'static str {
        match self {
            RealTimeRule::Edf => "edf",
            RealTimeRule::Rm => "rm",
            RealTimeRule::Dm => "dm",
            RealTimeRule::Llf => "llf",
        }
    }
}

/// FCFS's options; all defaults give plain first come, first served. The others reproduce
/// the scheduler of OSTEP's process-run.py (docs/policies.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FcfsConfig {
    pub order: FcfsOrder,
    pub switch: SwitchOn,
    pub io_done: IoDone,
}

/// Which ready process FCFS runs next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FcfsOrder {
    /// The head of the FIFO ready queue.
    #[default]
    Queue,
    /// The first ready process after the one dispatched last, in pid order, wrapping around
    /// (process-run.py); a process back from a wait at this very instant only if nobody else
    /// is ready.
    Cyclic,
}

/// When the CPU goes to another process.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SwitchOn {
    /// When the running process blocks or exits.
    #[default]
    Block,
    /// Only when it exits: while the process that ran last waits for IO (or sleeps), the CPU
    /// waits for it (process-run.py's SWITCH_ON_END; one CPU).
    End,
}

/// What a process back from IO (any wait) does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IoDone {
    /// It waits for its turn.
    #[default]
    Later,
    /// It takes the CPU at once, preempting the running process (IO_RUN_IMMEDIATE).
    Immediate,
}

/// How the lottery draws its winner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LotteryDraw {
    /// A seeded uniform draw over the ready queue's tickets, walked in queue order.
    #[default]
    Uniform,
    /// OSTEP lottery.py's draw: `int(random() * 1000001) % total` from CPython's generator
    /// seeded by the scenario's seed, walked over the ready processes in scenario (pid) order,
    /// after `skip_draws` numbers (the ones the script spent generating its jobs).
    Ostep { skip_draws: u64 },
}

impl LotteryDraw {
    pub fn name(self) -> &'static str {
        match self {
            LotteryDraw::Uniform => "uniform",
            LotteryDraw::Ostep { .. } => "ostep",
        }
    }
}

/// Linux CFS's tunables, in ticks; see docs/policies.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CfsConfig {
    /// sched_latency: the period in which every runnable process runs once.
    pub latency_ticks: u64,
    /// sched_min_granularity: the least slice when many are runnable.
    pub min_granularity_ticks: u64,
    /// sched_wakeup_granularity: how much smaller a waking process's vruntime must be to
    /// preempt.
    pub wakeup_granularity_ticks: u64,
    /// START_DEBIT: a new process starts one virtual slice after min_vruntime.
    pub start_debit: bool,
}

/// Linux's EEVDF (6.6 and later), in ticks; see docs/policies.md.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EevdfConfig {
    /// The request size (`slice`, the kernel's base_slice): ticks a process runs before the
    /// next choice, and what its virtual deadline is set by.
    pub slice_ticks: u64,
    /// PLACE_LAG: a sleeper keeps its lag and wakes with it.
    pub keep_lag: bool,
    /// RUN_TO_PARITY: a waking process does not preempt the running one before its request
    /// is served.
    pub run_to_parity: bool,
    /// Each of the scenario's processes' own `slice:`, in their order (`None`: the policy's).
    /// Forked children and threads get the policy's, as Linux 6.6's `__sched_fork` gives them
    /// the base slice.
    pub process_slices: Vec<Option<u64>>,
}

/// The multilevel queue (Silberschatz §5.3.5): processes stay in the queue they are given,
/// each queue has its own policy; see docs/policies.md.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlqConfig {
    /// Highest first.
    pub queues: Vec<MlqQueue>,
    pub between: Between,
    /// The queue of each of the scenario's processes, in their order (`queue:`; default the
    /// last queue). A forked child joins its parent's queue.
    pub assignment: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlqQueue {
    pub name: String,
    pub policy: PolicyConfig,
}

/// How a multilevel queue shares the CPUs among its queues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Between {
    /// A queue runs only when every queue above it is empty, and is preempted by them.
    Priority,
    /// Each queue in turn has the CPUs for its number of ticks (a round of their sum,
    /// from t=0); a turn whose queue has nobody ready passes to the next queue with someone.
    Slices(Vec<u64>),
}

/// The multilevel feedback queue's options; see docs/policies.md.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlfqConfig {
    /// Highest priority first.
    pub levels: Vec<MlfqLevel>,
    /// Boost every this many ticks; `None` = never.
    pub boost_ticks: Option<u64>,
    /// Issuing IO resets the quantum and allotment at the level (the gameable rule).
    pub io_resets_allotment: bool,
    /// A process finishing IO goes to the front of its level.
    pub io_done_to_front: bool,
    /// Reproduce mlfq.py's boost: the quantum after a boost is the top level's allotment in
    /// ticks, and allotments are not reset.
    pub ostep_boost: bool,
    /// A process whose quantum expires moves down even when no other process is ready
    /// (true, OSTEP); false keeps it at its level then (Stallings' feedback scheduling).
    pub demote_when_alone: bool,
    /// A process ready at a higher level waits for the running quantum to end instead of
    /// preempting at once (`preempt: at_quantum_end`).
    pub preempt_at_quantum_end: bool,
    /// Every dispatch gives a full quantum of the level, and a process moves down once its
    /// CPU at the level adds up to quantum × allotment (`slice: renew_each_dispatch`).
    pub renew_each_dispatch: bool,
    /// Within a level, processes stand by priority (lower number first), then in FIFO order
    /// (`order_in_level: priority`).
    pub order_by_priority: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MlfqLevel {
    pub quantum_ticks: u64,
    /// Time slices a process may use at this level before it moves down.
    pub allotment: u64,
}

impl PolicyConfig {
    /// The names of a multilevel queue's queues, highest first (`None` for other policies):
    /// how views title its ready queues.
    pub fn queue_names(&self) -> Option<Vec<&str>> {
        match self {
            PolicyConfig::Mlq(config) => {
                Some(config.queues.iter().map(|q| q.name.as_str()).collect())
            }
            _ => None,
        }
    }

    /// Whether processes have queue levels worth reporting.
    pub fn is_multilevel(&self) -> bool {
        matches!(self, PolicyConfig::Mlfq(_) | PolicyConfig::Mlq(_))
    }

    /// A short human description with the options, e.g. `rr (quantum 4)` (the policy
    /// table's words).
    pub fn describe(&self) -> String {
        (self.spec().describe)(self)
    }
}

/// Priority's aging: how a process waiting in the ready queue gains priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aging {
    /// Each time the scheduler picks a process, every one left waiting gains this many levels
    /// (0: no aging).
    PerPick(u64),
    /// Every `every` ticks a process spends in the ready queue, it gains `by` levels.
    Timed { every: u64, by: u64 },
}

/// Most descriptors a `select` may watch: Linux's FD_SETSIZE, 1024, unless
/// `rules.fd_setsize` says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FdSetSize(pub u64);

impl Default for FdSetSize {
    fn default() -> FdSetSize {
        FdSetSize(1024)
    }
}

/// Same-tick and overhead rules; see docs/policies.md.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    /// A process whose quantum expired at t re-enters the ready queue before (true) or after
    /// (false, the default) the processes that arrive or wake at t.
    pub preempted_before_arrivals: bool,
    /// Ticks of idle CPU charged for each context switch between processes.
    pub context_switch_ticks: u64,
    /// Ticks of idle CPU charged when a CPU goes from one thread to another of one process.
    pub thread_switch_ticks: u64,
    /// A CPU that takes back the thread it ran last (after a quantum expiry, an idle gap or
    /// a block) switches to it: `context_switch_ticks` (`thread_switch_ticks` for a thread of
    /// a process that has spawned), counted (Silberschatz Fig. 5.5).
    pub switch_on_redispatch: bool,
    /// Each CPU's very first dispatch is a switch too, charged `context_switch_ticks`.
    pub first_dispatch_cost: bool,
    /// Ticks of CPU a `fork` step costs the forking thread (the child appears at its end).
    pub fork_cost_ticks: u64,
    /// Ticks of CPU a `spawn` step costs the spawning thread.
    pub spawn_cost_ticks: u64,
    /// Ticks between a `kill` and its effect: the victim is alive until it handles SIGTERM.
    pub signal_delay_ticks: u64,
    /// Ticks of CPU a switch between coroutines costs the thread.
    pub coroutine_switch_ticks: u64,
    /// Ticks of CPU a `select` or `poll` call costs per watched socket.
    pub select_cost_ticks: u64,
    /// Ticks of CPU an `epoll_wait` call costs per ready socket.
    pub epoll_cost_ticks: u64,
    /// Most descriptors a `select` may watch (FD_SETSIZE).
    pub fd_setsize: FdSetSize,
    /// How SJF and SRTF order processes with equal bursts.
    pub tie_break: TieBreak,
    /// Where the children of an exiting process go.
    pub orphans: Orphans,
    /// Where a thread runs its steps that take no time: on a CPU, or the moment it reaches them.
    pub zero_time: ZeroTime,
    /// Whether the order of what happens at one instant is the documented one or drawn.
    pub same_instant: SameInstant,
    /// The preset the rules started from (`rules.preset`), if any.
    pub preset: Option<&'static str>,
    /// How the CPUs share the ready processes (`scheduler:`).
    pub scheduler: SchedulerConfig,
    /// The CPUs' caches (`cache:`); `None`: no cache model, every tick does one tick of work.
    pub cache: Option<CacheConfig>,
}

/// How the CPUs share the ready processes (docs/policies.md, "Several CPUs").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchedulerConfig {
    /// One ready queue per CPU instead of one for all.
    pub per_cpu_queues: bool,
    /// With per-CPU queues: every this many ticks a CPU whose queue is empty takes a process
    /// from another CPU's queue.
    pub steal_every: Option<u64>,
    /// Every CPU's quantum ends at the multiples of the quantum (multi.py), instead of a
    /// quantum after each dispatch.
    pub global_slices: bool,
    /// Numbers of CPython's generator thrown away before the first steal draw.
    pub skip_draws: u64,
    /// Each tick the idle CPUs take processes in an order shuffled with CPython's generator
    /// (multi.py -o), instead of lowest number first.
    pub shuffled_dispatch: bool,
    /// Stealing checks a process with an affinity as multi.py does (the CPU number against its
    /// CPU work and working set) instead of against its affinity.
    pub steal_check_multi_py: bool,
}

/// The cache model: each CPU's cache holds the working sets of the processes that ran there
/// long enough, as many as fit; a process runs `warm_rate` times faster where it is warm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheConfig {
    pub size: u64,
    pub warmup_ticks: u64,
    pub warm_rate: u64,
}

/// Who adopts the children of a process that exits (docs/lifecycle.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Orphans {
    /// Unix: its children go to the nearest living ancestor marked `subreaper`, else init.
    #[default]
    Reaper,
    /// Its children go to its own parent (OSTEP fork.py's `-R`, "local reparent").
    Parent,
    /// Its whole subtree, flattened, in preorder, goes to that reaper (fork.py's default:
    /// every descendant becomes a child of the root).
    Subtree,
}

/// Where a thread carries out the steps of its program that take no time (`read`, `acquire`,
/// `print`, `fork`, `exit`, ...): docs/policies.md, "Steps that take no time".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ZeroTime {
    /// Only while it holds a CPU, as instructions run: a thread that arrives, wakes or is
    /// created goes to the ready queue and runs them once dispatched (the default).
    #[default]
    OnCpu,
    /// The moment the thread reaches them, on a CPU or not (procsim before 2026-12).
    Immediate,
}

/// The order of what happens at one instant (docs/policies.md, "Same instant, shuffled").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SameInstant {
    /// The documented same-tick order (the default).
    #[default]
    Fixed,
    /// Drawn from the scenario's `seed`: the threads that become ready at one instant, whether
    /// a forked child runs before its parent, and which idle CPU picks first.
    Shuffled,
}

/// How SJF and SRTF order processes whose bursts (remaining times) are equal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TieBreak {
    /// By entry into the ready queue, then scenario order (the default).
    #[default]
    Queue,
    /// By arrival, then entry into the ready queue (several textbooks' convention).
    Arrival,
}

/// An IO device. Requests beyond its servers wait in a FIFO queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub name: String,
    /// How many requests it serves at once; `None` means any number.
    pub servers: Option<usize>,
}

/// The name of the default device, which needs no declaration.
pub const DEFAULT_DEVICE_NAME: &str = "io";

/// What processes synchronise on, and how deadlocks are handled (docs/deadlock.md).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncConfig {
    pub resources: Vec<ResourceSpec>,
    pub events: Vec<EventSpec>,
    pub queues: Vec<QueueSpec>,
    pub deadlock: DeadlockConfig,
}

impl SyncConfig {
    /// Whether the scenario declares no resource, event or queue.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.events.is_empty() && self.queues.is_empty()
    }
}

/// A lock (one instance) or a counting semaphore / multi-instance resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceSpec {
    pub name: String,
    pub instances: u64,
    /// An `RLock`: its holder may acquire it again and must release it as often.
    pub reentrant: bool,
}

/// An event (a flag): `wait_event` blocks until it is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSpec {
    pub name: String,
    pub initially_set: bool,
}

/// A bounded queue of items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueSpec {
    pub name: String,
    /// `None`: unbounded.
    pub capacity: Option<u64>,
    pub initial_items: u64,
    /// A `JoinableQueue` (`task_done`, `join_queue`).
    pub joinable: bool,
    /// A queue (`put`, `get`), a pipe or a socket (`send`, `recv`).
    pub kind: ChannelKind,
    /// A one-way pipe (`Pipe(duplex=False)`): end 0 only receives, end 1 only sends.
    pub one_way: bool,
}

/// The calls of I/O multiplexing: the same step, with their own cost (`rules.select_cost` per
/// watched socket for select and poll, `rules.epoll_cost` per ready socket for epoll).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Multiplexer {
    Select,
    Poll,
    Epoll,
}

impl Multiplexer {
    pub fn name(self) -> &'static str {
        match self {
            Multiplexer::Select => "select",
            Multiplexer::Poll => "poll",
            Multiplexer::Epoll => "epoll_wait",
        }
    }
}

/// What a channel of items is; pipes and sockets are unbounded channels of messages between
/// processes, and share one name space with queues.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    #[default]
    Queue,
    Pipe,
    Socket,
}

impl ChannelKind {
    pub fn name(self) -> &'static str {
        match self {
            ChannelKind::Queue => "queue",
            ChannelKind::Pipe => "pipe",
            ChannelKind::Socket => "socket",
        }
    }

    /// Whether it carries messages (`send`/`recv`) rather than items (`put`/`get`).
    pub fn is_message_channel(self) -> bool {
        self != ChannelKind::Queue
    }
}

/// How a step that may wait waits: until it can go on, at most `ticks`, or not at all; when it
/// gives up it goes on at `otherwise` (its `else` steps, or the next step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiting {
    Block,
    Timeout { ticks: u64, otherwise: usize },
    NoWait { otherwise: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlockConfig {
    /// Look for a deadlock whenever a process blocks on a resource.
    pub detect: bool,
    pub recover: Recovery,
    pub avoid: Avoidance,
}

impl Default for DeadlockConfig {
    fn default() -> Self {
        DeadlockConfig {
            detect: true,
            recover: Recovery::None,
            avoid: Avoidance::None,
        }
    }
}

/// What the engine does about a deadlock it detects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Recovery {
    /// Report it; the deadlocked processes stay blocked and the run ends when nothing can move.
    #[default]
    None,
    /// Abort one victim (lowest priority, then youngest) and check again.
    AbortOne,
    /// Abort every process of the deadlock.
    AbortAll,
    /// Take the victim's resources and roll it back to the acquire of the first one it holds.
    Preempt,
}

impl Recovery {
    pub const NAMES: &'static str = "none, abort_one, abort_all, preempt";
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Avoidance {
    #[default]
    None,
    /// A request waits while granting it would leave an unsafe state.
    Banker,
}

/// A process as the scenario declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessSpec {
    pub name: String,
    pub arrival: Tick,
    /// Lower number = higher priority.
    pub priority: i64,
    /// Lottery and stride tickets.
    pub tickets: u64,
    pub options: LifecycleOptions,
    pub program: Program,
    /// The banker's maximum claim on each resource (by [`ResourceId`]); empty: no claims.
    pub max_claims: Vec<u64>,
    /// The CPUs it may run on; empty: any (`affinity:`).
    pub affinity: Vec<usize>,
    /// The size of its working set, for the cache model (`working_set:`).
    pub working_set: u64,
    /// Its nice value, −20 to 19 (`nice:`).
    pub nice: i64,
}

/// A program: shared, because forked children may run (the rest of) their parent's.
pub type Program = Arc<[Step]>;

/// How a process takes part in the Unix lifecycle; see docs/lifecycle.md.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LifecycleOptions {
    /// Terminated (and reaped) by its parent when the parent's program ends.
    pub daemon: bool,
    /// Its children are reaped the moment they exit: never zombies.
    pub ignore_sigchld: bool,
    /// Adopts the orphans of its descendants instead of init.
    pub subreaper: bool,
    /// CPython's GIL; `None`: no GIL (docs/threads.md). A forked child inherits it.
    pub gil: Option<GilOptions>,
    /// gevent's monkey patch (docs/coroutines.md); a forked child inherits it.
    pub monkey_patch: MonkeyPatch,
}

/// What gevent's monkey patch covers in a process (docs/coroutines.md): in a thread with an
/// event loop, a patched call parks the calling coroutine instead of blocking the thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonkeyPatch {
    /// `time.sleep`: the `sleep` step.
    pub time: bool,
    /// Sockets: `recv` on a socket (and `accept`, a `recv` on a listening socket).
    pub socket: bool,
    /// `select.select` and `select.poll`: the `select` and `poll` steps.
    pub select: bool,
    /// `os`: the `io` step (a read or write on a descriptor).
    pub os: bool,
}

impl MonkeyPatch {
    /// gevent's `monkey.patch_all()`.
    pub const ALL: MonkeyPatch = MonkeyPatch {
        time: true,
        socket: true,
        select: true,
        os: true,
    };
    /// The modules `monkey_patch: {modules: [...]}` may name.
    pub const MODULES: [&'static str; 4] = ["time", "socket", "select", "os"];

    pub fn any(self) -> bool {
        self.time || self.socket || self.select || self.os
    }
}

/// The name of a process's own (first) thread, as Python's `threading.main_thread()` has it.
pub const MAIN_THREAD_NAME: &str = "MainThread";

/// CPython's default switch interval, `sys.getswitchinterval()` = 5 ms, at 1 tick = 1 ms.
pub const DEFAULT_SWITCH_INTERVAL: u64 = 5;

/// A process's GIL: `gil: {switch_interval: N, switch_points: calls|any}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GilOptions {
    /// CPython's switch interval, in ticks of CPU.
    pub switch_interval: u64,
    pub switch_points: SwitchPoints,
}

/// Where a forced GIL drop that is due can happen (docs/threads.md, "Where the GIL can
/// switch").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SwitchPoints {
    /// CPython 3.10 and later: only at the eval breaker's checks — a loop's back-edge
    /// (`repeat`'s end), a call (every step but `read`, `write`, `add`, `set_reg`, `if` and
    /// `bytecode`) and every tick of a `cpu` step — never inside a run of simple bytecodes.
    #[default]
    Calls,
    /// CPython 3.9 and earlier: at any step boundary and any tick.
    Any,
}

impl SwitchPoints {
    pub const NAMES: [(&'static str, SwitchPoints); 2] =
        [("calls", SwitchPoints::Calls), ("any", SwitchPoints::Any)];

    pub fn name(self) -> &'static str {
        match self {
            SwitchPoints::Calls => "calls",
            SwitchPoints::Any => "any",
        }
    }
}

impl ProcessSpec {
    /// Total CPU ticks the program asks for (its own steps; not its children's).
    pub fn total_cpu_ticks(&self) -> u64 {
        cpu_ticks_of(&self.program)
    }
}

/// Calls `visit` on every step of `program` and of the programs its forks, spawns,
/// coroutines and pool tasks carry, however deep, in program order (a nested program right
/// after the step that carries it). A program shared by several steps (a named program) is
/// visited once. Iterative: a fork tree thousands of generations deep needs no stack.
pub fn visit_steps<'a>(program: &'a [Step], visit: &mut impl FnMut(&'a Step)) {
    let mut seen: std::collections::BTreeSet<*const Step> = std::collections::BTreeSet::new();
    let mut pending: Vec<std::slice::Iter<'a, Step>> = vec![program.iter()];
    while let Some(top) = pending.last_mut() {
        let Some(step) = top.next() else {
            pending.pop();
            continue;
        };
        visit(step);
        let carried: [Option<&'a [Step]>; 2] = match step {
            Step::Fork(child) => [child.program.as_deref(), None],
            Step::Spawn(thread) => [Some(&thread.program), None],
            Step::Coroutine(coroutine) => [Some(&coroutine.program), None],
            Step::Apply { task, .. } | Step::Map { task, .. } => [Some(task), None],
            Step::ApplyAsync { task, callback, .. } => [Some(task), callback.as_deref()],
            Step::OnSignal { handler, .. } => [Some(handler), None],
            _ => [None, None],
        };
        // Pushed last first, so that the task is visited before its callback.
        for nested in carried.into_iter().rev().flatten() {
            if seen.insert(nested.as_ptr()) {
                pending.push(nested.iter());
            }
        }
    }
}

/// Total CPU ticks of the `cpu` steps of `program`, each `repeat` counted its times over
/// (both branches of an `if` counted: an upper bound).
pub fn cpu_ticks_of(program: &[Step]) -> u64 {
    let mut times: Vec<u64> = vec![1];
    let mut total: u64 = 0;
    for step in program {
        let factor = *times.last().unwrap_or(&1);
        match step {
            Step::Cpu { ticks } | Step::Bytecode { ticks } => {
                total = total.saturating_add(ticks.saturating_mul(factor))
            }
            Step::RepeatStart { count, .. } => times.push(factor.saturating_mul(*count)),
            Step::RepeatEnd { .. } => {
                times.pop();
            }
            _ => {}
        }
    }
    total
}

/// One step of a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Run on a CPU for this many ticks.
    Cpu {
        ticks: u64,
    },
    /// Block on a device for this many ticks of service.
    Io {
        device: DeviceId,
        ticks: u64,
    },
    /// Create a child process (takes no time).
    Fork(Arc<ChildSpec>),
    /// Block until a child has exited, then reap it.
    Wait(WaitTarget),
    /// End the process with this exit status (0–255).
    Exit {
        code: i32,
    },
    /// Terminate a child at once, as Python's `terminate()` does (exit status -15).
    Kill {
        child: String,
    },
    /// Take `count` instances of a resource, blocking (FIFO) until they are free (or giving
    /// up, with `timeout` or `block: false`).
    Acquire {
        resource: ResourceId,
        count: u64,
        wait: Waiting,
    },
    /// Give back `count` instances of a resource.
    Release {
        resource: ResourceId,
        count: u64,
    },
    /// Block until the event is set (at once if it is).
    WaitEvent {
        flag: FlagId,
        wait: Waiting,
    },
    /// Set the event: every process waiting for it wakes.
    SetEvent(FlagId),
    ClearEvent(FlagId),
    /// Add an item to a bounded queue, blocking while it is full.
    Put {
        queue: QueueId,
        /// The item carries the register's value (`value: reg`).
        carry: bool,
        wait: Waiting,
    },
    /// Take an item from a bounded queue, blocking while it is empty.
    Get {
        queue: QueueId,
        wait: Waiting,
    },
    /// One item taken from a joinable queue is dealt with.
    TaskDone(QueueId),
    /// Block until every item put into the joinable queue is dealt with.
    JoinQueue(QueueId),
    /// Blocked this many ticks, without a device.
    Sleep {
        ticks: u64,
    },
    /// Start a thread in the calling process.
    Spawn(Arc<ThreadSpec>),
    /// Block until the named thread of the same process has ended.
    Join(String),
    /// register := variable (takes no time).
    Read(Variable),
    /// variable := register (takes no time).
    Write(Variable),
    /// register += N (takes no time).
    Add(i64),
    /// register := N (takes no time).
    SetReg(i64),
    /// Run on a CPU for this many ticks in simple bytecodes — no call, no loop back-edge, as
    /// the `+` of `x += 1` — where CPython 3.10+ never switches the GIL. Otherwise a `cpu`.
    Bytecode {
        ticks: u64,
    },
    /// A line of output (takes no time).
    Print(Arc<[PrintPart]>),
    /// The start of a `repeat` of `count` times; `end` is the index after its `RepeatEnd`.
    /// Loops are not unrolled: each thread keeps a counter per loop it is in.
    RepeatStart {
        count: u64,
        end: usize,
    },
    /// The end of a `repeat` body: back to the step after `start` while times are left.
    RepeatEnd {
        start: usize,
    },
    /// Run `task` on a worker of the pool; the caller waits for it.
    Apply {
        pool: PoolId,
        task: Program,
    },
    /// Queue `task` on the pool and go on; `callback` runs in the submitting process once the
    /// task is done; `result` names its AsyncResult (`as: R`).
    ApplyAsync {
        pool: PoolId,
        task: Program,
        callback: Option<Program>,
        result: Option<String>,
    },
    /// Queue `count` copies of `task`; the caller waits for all of them; `list` takes their
    /// `return` values in task order (`as: L`).
    Map {
        pool: PoolId,
        count: u64,
        task: Program,
        list: Option<String>,
    },
    /// `send` on the receiving end, or `recv` on the sending end, of a one-way pipe: a
    /// failed step (OSError).
    WrongEnd {
        pipe: QueueId,
        sending: bool,
    },
    /// A pool task ends, returning this value to its caller.
    Return(ReturnValue),
    /// Wait for the `apply_async` named so (in this process) and load its value.
    GetResult(String),
    /// Read the next line of standard input as a number into the register (`None`) or a
    /// variable (`int(input())`).
    Input(Option<Variable>),
    /// Send `sig` to the process's last child called `child`.
    Signal {
        child: String,
        sig: Signal,
    },
    /// Install `handler` for `sig` in the process (Python's `signal.signal`).
    OnSignal {
        sig: Signal,
        handler: Program,
    },
    /// The end of a signal handler's steps: the main thread goes back to where the signal
    /// found it. Only the engine writes it.
    HandlerReturn,
    /// No more tasks for the pool.
    ClosePool(PoolId),
    /// Wait until the closed pool's tasks are done and its workers have exited.
    JoinPool(PoolId),
    /// Create a coroutine in the thread's event loop (it is ready; the creator goes on).
    Coroutine(Arc<CoroutineSpec>),
    /// Hand control to the named coroutine now.
    Switch(String),
    /// Let the loop run the next ready coroutine.
    Yield,
    /// Wait until the named coroutine has finished.
    Await(String),
    /// Park this coroutine for `ticks` (an async sleep, or an async IO on `device`).
    AsyncWait {
        ticks: u64,
        device: Option<DeviceId>,
    },
    /// I/O multiplexing: wait until one of `watched` is readable or one of `writing` has room
    /// (the ready ones are then the thread's selection), or give up (`wait`).
    Select {
        call: Multiplexer,
        watched: Arc<[QueueId]>,
        writing: Arc<[QueueId]>,
        wait: Waiting,
    },
    /// The `on` branch of a socket: skipped (to `skip_to`) unless the last select chose it.
    IfSelected {
        queue: QueueId,
        skip_to: usize,
    },
    /// A pool worker's loop: take the next task (waiting for one), or leave once the pool is
    /// closed and empty. Only the engine writes it.
    PoolWork(PoolId),
    /// A pool's result handler's loop: run the next callback (waiting for one), or leave once
    /// the pool is closed and its tasks done. Only the engine writes it.
    PoolResults(PoolId),
    /// An `if`: when the condition does not hold, go on at `target` (its `else`, or past it).
    JumpUnless {
        condition: Condition,
        target: usize,
    },
    /// The end of an `if`'s `then` steps: go on past its `else`.
    Jump {
        target: usize,
    },
    /// The start of a `try` (`runtime: python`): a step that fails before its `TryEnd` goes on
    /// at `handler`, its `except` steps.
    TryStart {
        handler: usize,
    },
    /// The end of a `try`'s steps: nothing raised; go on past its `except`.
    TryEnd {
        end: usize,
    },
}

impl Step {
    /// Whether it is control flow (`repeat`, `if`) rather than a step of its own.
    pub fn is_control(&self) -> bool {
        matches!(
            self,
            Step::RepeatStart { .. }
                | Step::RepeatEnd { .. }
                | Step::JumpUnless { .. }
                | Step::Jump { .. }
                | Step::TryStart { .. }
                | Step::TryEnd { .. }
        )
    }
}

/// A coroutine that a `coroutine` step creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoroutineSpec {
    pub name: String,
    pub program: Program,
}

/// A thread that a `spawn` step creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadSpec {
    pub name: String,
    /// `None`: the process's (its main thread's).
    pub priority: Option<i64>,
    /// `None`: the process's.
    pub tickets: Option<u64>,
    /// A daemon thread does not keep its process alive; it ends when the process exits.
    pub daemon: bool,
    pub program: Program,
}

/// A child that a `fork` step creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildSpec {
    pub name: String,
    /// `None`: the parent's.
    pub priority: Option<i64>,
    /// `None`: the parent's.
    pub tickets: Option<u64>,
    pub options: LifecycleOptions,
    /// `None`: the child goes on with the parent's program after the fork, as Unix fork does.
    pub program: Option<Program>,
    /// `result: reg`: fork()'s return value goes into the register (the child's pid in the
    /// parent, 0 in the child), so that `{if: {reg: {eq: 0}}}` is `if pid == 0`.
    pub result_in_register: bool,
    /// `None`: the parent's nice value.
    pub nice: Option<i64>,
}

/// Which child a `wait` step waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitTarget {
    Any,
    Named(String),
}

impl WaitTarget {
    /// As written in scenarios: `any` or the child's name.
    pub fn label(&self) -> &str {
        match self {
            WaitTarget::Any => "any",
            WaitTarget::Named(name) => name,
        }
    }
}

/// Why a scenario could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The text is not valid YAML of the scenario's shape.
    #[error("{0}")]
    Syntax(#[from] YamlError),
    /// The YAML is well formed but a value is not allowed.
    #[error("{path}: {message}")]
    Invalid {
        path: String,
        message: String,
        /// Where the value is in the text, when the error has been located.
        at: Option<Box<Position>>,
    },
}

impl ScenarioError {
    pub(crate) fn invalid(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            path: path.into(),
            message: message.into(),
            at: None,
        }
    }

    /// The same error, pointing at the value its field path names in `text` (the text the
    /// error came from), as syntax errors do.
    pub fn located(self, text: &str) -> ScenarioError {
        match self {
            ScenarioError::Invalid {
                path,
                message,
                at: None,
            } => {
                let at = yaml::locate(text, &path).map(Box::new);
                ScenarioError::Invalid { path, message, at }
            }
            other => other,
        }
    }

    /// The same error without its position: the one-line form is then `origin: field: message`.
    pub fn unlocated(self) -> ScenarioError {
        match self {
            ScenarioError::Invalid { path, message, .. } => ScenarioError::Invalid {
                path,
                message,
                at: None,
            },
            other => other,
        }
    }

    /// One line naming the origin (a file name), the line and column when known, and the field:
    /// `s.yaml:4:14: processes[0].burst: expected a positive number of ticks, got 0`.
    pub fn one_line(&self, origin: &str) -> String {
        match self {
            ScenarioError::Syntax(error) => error.one_line(origin),
            ScenarioError::Invalid {
                path,
                message,
                at: Some(at),
            } => format!("{origin}:{}:{}: {path}: {message}", at.line, at.column),
            ScenarioError::Invalid { path, message, .. } => format!("{origin}: {path}: {message}"),
        }
    }

    /// `error: ` and [`Self::one_line`], with a snippet of the lines at fault when known.
    pub fn detailed(&self, origin: &str) -> String {
        match self {
            ScenarioError::Syntax(error) => error.with_snippet(origin),
            ScenarioError::Invalid {
                message,
                at: Some(at),
                ..
            } => format!(
                "error: {}\n{}",
                self.one_line(origin),
                at.snippet(origin, message)
            ),
            ScenarioError::Invalid { .. } => format!("error: {}", self.one_line(origin)),
        }
    }
}

/// A scenario file parsed once, to be validated with one seed after another.
pub struct Reseedable<'text> {
    file: ScenarioFile<IgnoredAny, IgnoredAny>,
    text: &'text str,
    json: bool,
}

impl Reseedable<'_> {
    /// The scenario with `seed` in place of the file's own.
    pub fn with_seed(&self, seed: u64) -> Result<Scenario, ScenarioError> {
        let file = ScenarioFile {
            seed: Some(seed),
            ..self.file.clone()
        };
        Scenario::validate_text(file, self.text, self.json)
    }
}

impl Scenario {
    /// Why this scenario's workload cannot run under `policy` on `cpus` CPUs, if it cannot
    /// (as validation refuses it in a file): a real-time policy needs `tasks:`, and periodic
    /// tasks run on one CPU. For `compare` and `sweep`, which change the policy and the CPUs.
    pub fn refuses(&self, policy: &PolicyConfig, cpus: usize) -> Option<String> {
        match (policy, &self.realtime) {
            (PolicyConfig::RealTime(rule), None) => Some(format!(
                "`{}` schedules the jobs of periodic tasks, and the scenario has no `tasks:`",
                rule.name()
            )),
            (_, Some(_)) if cpus != 1 => Some(format!(
                "periodic tasks run on one CPU (uniprocessor real-time scheduling), not {cpus}"
            )),
            _ => None,
        }
    }

    /// Puts the scenario under `policy` (`compare`, `sweep`, the GUI's policy picker), keeping
    /// what the processes themselves tell the policy when the new one is of the same kind:
    /// their `queue:` under `mlq` with the same queues, their `slice:` under `eevdf`.
    pub fn set_policy(&mut self, mut policy: PolicyConfig) {
        match (&mut policy, &self.policy) {
            (PolicyConfig::Mlq(new), PolicyConfig::Mlq(old))
                if new
                    .queues
                    .iter()
                    .map(|q| &q.name)
                    .eq(old.queues.iter().map(|q| &q.name)) =>
            {
                new.assignment.clone_from(&old.assignment);
                for (new, old) in new.queues.iter_mut().zip(&old.queues) {
                    if let (PolicyConfig::Eevdf(new), PolicyConfig::Eevdf(old)) =
                        (&mut new.policy, &old.policy)
                    {
                        new.process_slices.clone_from(&old.process_slices);
                    }
                }
            }
            (PolicyConfig::Eevdf(new), PolicyConfig::Eevdf(old)) => {
                new.process_slices.clone_from(&old.process_slices);
            }
            _ => {}
        }
        self.policy = policy;
    }

    /// Parses and validates a scenario from YAML text.
    pub fn from_yaml(text: &str) -> Result<Scenario, ScenarioError> {
        let (file, json) = Scenario::parse_text::<IgnoredAny, IgnoredAny>(text)?;
        Scenario::validate_text(file, text, json)
    }

    /// The scenario of `text` (YAML or JSON), parsed once, to be validated with any `seed`
    /// (`Reseedable::with_seed`): its lottery draws and its `workload:` (generated anew) follow
    /// the seed. One scenario is built at a time, so a thousand seeds of a large workload never
    /// exist together. Errors are reported as `from_yaml` reports them.
    pub fn reseedable(text: &str) -> Result<Reseedable<'_>, ScenarioError> {
        let (file, json) = Scenario::parse_text::<IgnoredAny, IgnoredAny>(text)?;
        Ok(Reseedable { file, text, json })
    }

    /// The file of `text`, JSON (detected) or YAML, and which it was; `grading:` and
    /// `expected:` read as `G` and `E` (the exercise layer's types, or let through).
    pub fn parse_text<G, E>(text: &str) -> Result<(ScenarioFile<G, E>, bool), ScenarioError>
    where
        ScenarioFile<G, E>: serde::de::DeserializeOwned,
    {
        Ok(match yaml::looks_like_json(text) {
            true => (yaml::parse_json(text)?, true),
            false => (yaml::parse_document(text)?, false),
        })
    }

    /// Validates `file`, parsed from `text`; a YAML text's errors get their line and column.
    pub fn validate_text<G, E>(
        file: ScenarioFile<G, E>,
        text: &str,
        json: bool,
    ) -> Result<Scenario, ScenarioError> {
        match json {
            true => Scenario::from_file(file),
            false => Scenario::from_file(file).map_err(|error| error.located(text)),
        }
    }

    /// Parses and validates a scenario written as JSON (the same fields; for generated
    /// workloads, which JSON reads much faster). `from_yaml` reads JSON text too, detected.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_file(yaml::parse_json::<ScenarioFile>(text)?)
    }

    /// Validates an already-parsed scenario file.
    pub fn from_file<G, E>(file: ScenarioFile<G, E>) -> Result<Scenario, ScenarioError> {
        validate::validate(file)
    }

    /// Whether any program forks: whether the run has a process tree worth showing.
    pub fn forks(&self) -> bool {
        self.any_step(|step| matches!(step, Step::Fork(_)))
    }

    /// Whether any program (a forked child's or a thread's included) spawns a thread.
    pub fn spawns(&self) -> bool {
        self.any_step(|step| matches!(step, Step::Spawn(_)))
    }

    /// Whether any step of any program, however deep in forks and spawns, satisfies `test`.
    pub fn any_step(&self, test: impl Fn(&Step) -> bool) -> bool {
        let mut found = false;
        for process in &self.processes {
            visit_steps(&process.program, &mut |step| found |= test(step));
        }
        found
    }

    /// Every name a process of the run may have: the scenario's processes, the children
    /// their programs fork, however deep, and the pools' workers.
    pub fn process_names(&self) -> std::collections::BTreeSet<std::borrow::Cow<'_, str>> {
        let mut names: std::collections::BTreeSet<std::borrow::Cow<'_, str>> = self
            .pools
            .iter()
            .flat_map(|pool| (1..=pool.workers).map(|k| format!("ForkPoolWorker-{k}").into()))
            .collect();
        for process in &self.processes {
            names.insert(process.name.as_str().into());
            visit_steps(&process.program, &mut |step| {
                if let Step::Fork(child) = step {
                    names.insert(child.name.as_str().into());
                }
            });
        }
        names
    }

    /// A variable's name as the scenario writes it; a shared one is marked so.
    pub fn variable_name(&self, variable: Variable) -> String {
        match variable {
            Variable::Global(index) => self.globals[index].name.clone(),
            Variable::Shared(index) => format!("shared {}", self.shared[index].name),
        }
    }

    /// Every name a thread of the run may have (what its `spawn` steps call them).
    pub fn thread_names(&self) -> std::collections::BTreeSet<&str> {
        let mut names = std::collections::BTreeSet::new();
        for process in &self.processes {
            visit_steps(&process.program, &mut |step| {
                if let Step::Spawn(thread) = step {
                    names.insert(thread.name.as_str());
                }
            });
        }
        names
    }

    /// The panel the lesson needs on the GUI's first screen: `gui: {focus}` when the file
    /// says, else by what the scenario uses, the most particular first: pools, sockets,
    /// resources (locks, semaphores, events, queues), shared or global values, forks, output,
    /// a GIL; the averages otherwise.
    pub fn focus(&self) -> Focus {
        if let Some(focus) = self.gui.focus {
            return focus;
        }
        let sockets = self
            .sync
            .queues
            .iter()
            .any(|queue| queue.kind == ChannelKind::Socket)
            || self.any_step(|step| matches!(step, Step::Select { .. }));
        if !self.pools.is_empty() {
            Focus::Pools
        } else if sockets {
            Focus::Sockets
        } else if !self.sync.is_empty() {
            Focus::Resources
        } else if !self.globals.is_empty() || !self.shared.is_empty() {
            Focus::Variables
        } else if self.forks() {
            Focus::Tree
        } else if self.any_step(|step| matches!(step, Step::Print(_))) {
            Focus::Variables
        } else if self.processes.iter().any(|p| p.options.gil.is_some()) {
            Focus::Gil
        } else {
            Focus::Averages
        }
    }

    /// Whether any process can block on a resource: whether deadlocks are possible.
    pub fn uses_resources(&self) -> bool {
        !self.sync.resources.is_empty()
    }

    /// The device called `name`, if any.
    pub fn device_named(&self, name: &str) -> Option<DeviceId> {
        self.devices
            .iter()
            .position(|device| device.name == name)
            .map(DeviceId)
    }
}
