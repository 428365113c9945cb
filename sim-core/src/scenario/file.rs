//! The scenario file exactly as written: serde types that mirror the YAML format.
//!
//! These types only describe shape; `scenario::validate` turns them into a [`super::Scenario`]
//! and reports every semantic problem with the path of the field at fault.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// `G` and `E` are what `grading:` and `expected:` are read as: let through unread
/// ([`IgnoredAny`]) for a scenario, read in the same pass by the exercise layer
/// (`Exercise::from_yaml`), so that a file is parsed once.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile<G = IgnoredAny, E = IgnoredAny> {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<u64>,
    pub policy: PolicyFile,
    /// Seed of the random policies (lottery); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<RulesFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub devices: Option<Vec<DeviceFile>>,
    /// Locks, semaphores and multi-instance resources: `{name: A}`, `{name: rooms, instances: 4}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<ResourceFile>>,
    /// Events (flags) processes wait for: `{name: green}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventFile>>,
    /// Queues: `{name: buffer, capacity: 3}` (no capacity: unbounded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queues: Option<Vec<QueueFile>>,
    /// Pipes between processes: `{name: conn}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipes: Option<Vec<PipeFile>>,
    /// Sockets: message channels between processes, `{name: s1}` (`select`, `poll`, `epoll_wait`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sockets: Option<Vec<PipeFile>>,
    /// Deadlock detection, recovery and avoidance (docs/deadlock.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadlock: Option<DeadlockFile>,
    /// The declared processes (may be empty when a `workload:` generates them).
    #[serde(default)]
    pub processes: Vec<ProcessFile>,
    /// Processes generated from distributions with the scenario's seed (docs/scenario-format.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<WorkloadFile>,
    /// Real-time periodic tasks: `{name: T1, period: 5, wcet: 2}` (docs/realtime.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<TaskFile>>,
    /// Tasks release jobs before this time (default: the last offset plus one hyperperiod).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<u64>,
    /// `continue` (default) or `abort`: what happens to a job unfinished at its deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_miss: Option<String>,
    /// A fork fails while this many processes exist (zombies included, init not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_processes: Option<u64>,
    /// A `spawn` fails while this many spawned threads are alive (main threads not counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_threads: Option<u64>,
    /// Per-process variables and their first values: `{tickets: 1}` (docs/python.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub globals: Option<std::collections::BTreeMap<String, i64>>,
    /// Variables every process shares (`Value`, `Array` items, `Manager` entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<std::collections::BTreeMap<String, i64>>,
    /// How the CPUs share the ready processes: `{queues: per_cpu, steal_every: 30}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<SchedulerFile>,
    /// The cache model: `{size: 100, warmup: 10, warm_rate: 2}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheFile>,
    /// Process pools (`multiprocessing.Pool`): `{name: P, workers: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pools: Option<Vec<PoolFile>>,
    /// Named programs, `{worker: [...], handler: [...]}`: wherever a program is expected,
    /// `program: worker` names one (and `{call: {program: worker}}` runs one in place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<std::collections::BTreeMap<String, Vec<ProgramEntry>>>,
    /// `posix` (default) or `python`: whose rules processes follow at exit, fork and kill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    /// Standard input: the lines `{input: {}}` reads, first first (`[3, "4"]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<Vec<StdinLineFile>>,
    /// How procsim-gui presents the scenario: `{focus: variables}` (docs/gui.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gui: Option<GuiFile>,
    /// The rubric of `procsim grade`. The exercise layer reads it (`Exercise::from_yaml`); the
    /// scenario only lets the key through.
    #[serde(default = "none", skip_serializing)]
    pub grading: Option<G>,
    /// Known answers. The exercise layer reads them; the scenario only lets the key through.
    #[serde(default = "none", skip_serializing)]
    pub expected: Option<E>,
}

/// The default of an optional field of any type (serde's `default` would ask `T: Default`).
fn none<T>() -> Option<T> {
    None
}

/// `gui: {focus: variables | resources | tree | pools | sockets | gil | averages}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuiFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<String>,
}

/// A periodic task: `{name, period, wcet, deadline (= period), offset (0)}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    pub name: String,
    pub period: u64,
    pub wcet: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// `workload: {count: N, arrival: D, cpu: D, io_time: D, bursts: K, name: "P{i}"}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadFile {
    pub count: u64,
    /// Each process's arrival time (exponential: the gaps between arrivals); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<DistFile>,
    /// The length of each CPU burst.
    pub cpu: DistFile,
    /// The length of each IO between bursts (needed when `bursts` > 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_time: Option<DistFile>,
    /// CPU bursts per process, with an IO between two (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bursts: Option<u64>,
    /// The name of process i (from 1): `P{i}` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A distribution of whole numbers of ticks.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum DistFile {
    /// Always this value.
    Constant(u64),
    /// `[A, B]`: uniform, inclusive.
    Range([u64; 2]),
    /// `{uniform: {low: A, high: B}}`.
    Uniform { uniform: UniformFile },
    /// `{exponential: {mean: M}}`.
    Exponential { exponential: MeanFile },
    /// `{normal: {mean: M, sd: S}}`.
    Normal { normal: NormalFile },
    /// `{every: K}` (arrivals only): process i arrives at (i − 1) × K.
    Every { every: u64 },
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UniformFile {
    pub low: u64,
    pub high: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeanFile {
    pub mean: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NormalFile {
    pub mean: f64,
    pub sd: f64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preempted_before_arrivals: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_switch: Option<u64>,
    /// Ticks charged when a CPU goes from one thread to another of the same process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_switch: Option<u64>,
    /// Charge (and count) a switch when a CPU takes back the thread it ran last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_on_redispatch: Option<bool>,
    /// Charge (and count) a switch for each CPU's very first dispatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_dispatch_cost: Option<bool>,
    /// Ticks of CPU a `fork` step costs the forking thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fork_cost: Option<u64>,
    /// Ticks of CPU a `spawn` step costs the spawning thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spawn_cost: Option<u64>,
    /// Ticks between a `kill` and its effect (the victim handling SIGTERM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal_delay: Option<u64>,
    /// Ticks of CPU a switch between coroutines costs the thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coroutine_switch: Option<u64>,
    /// Ticks of CPU a `select` or `poll` call costs per watched socket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_cost: Option<u64>,
    /// Ticks of CPU an `epoll_wait` call costs per ready socket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoll_cost: Option<u64>,
    /// Most descriptors a `select` may watch (FD_SETSIZE, 1024); `poll` and `epoll_wait`
    /// have no such limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fd_setsize: Option<u64>,
    /// `queue` (default) or `arrival`: how SJF and SRTF break ties between equal bursts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie_break: Option<String>,
    /// `fixed` (default) or `shuffled`: the order of what happens at one instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_instant: Option<String>,
    /// A source's conventions (`ostep`, `silberschatz`, `stallings`); the other fields override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// `reaper` (default), `parent` or `subtree`: where an exiting process's children go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orphans: Option<String>,
    /// `on_cpu` (default) or `immediate`: where a thread runs its steps that take no time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_time: Option<String>,
}

/// `scheduler:` — per-CPU queues, stealing and global time slices.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerFile {
    /// `global` (default) or `per_cpu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queues: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steal_every: Option<u64>,
    /// `per_dispatch` (default) or `global`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slices: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_draws: Option<u64>,
    /// `affinity` (default) or `multi_py`: which processes with an affinity a CPU may steal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steal_check: Option<String>,
    /// `lowest_first` (default) or `shuffled`: the order idle CPUs take processes in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch: Option<String>,
}

/// `cache:` — the size of each CPU's cache, the ticks to warm it, the speed-up when warm.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CacheFile {
    pub size: u64,
    pub warmup: u64,
    pub warm_rate: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceFile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servers: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFile {
    pub name: String,
    /// Default 1: a lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<u64>,
    /// An `RLock`: its holder may acquire it again, and releases it as often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reentrant: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    pub name: String,
    /// Whether the event starts set; default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QueueFile {
    pub name: String,
    /// Absent: unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u64>,
    /// Items in the queue at the start; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u64>,
    /// A `JoinableQueue`: `task_done` and `join_queue` count its unfinished items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joinable: Option<bool>,
}

/// `{name: P}`: a pipe (`multiprocessing.Pipe`) or a socket, an unbounded channel of messages.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PipeFile {
    pub name: String,
    /// `duplex: false` (pipes only): `Pipe(duplex=False)`, end 0 receives, end 1 sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplex: Option<bool>,
}

/// The value of `put`/`get`/`send`/`recv`: a name, or a map with options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ChannelStepFile {
    Name(String),
    Options(ChannelOptionsFile),
}

/// `{queue: Q}` or `{pipe: P}`, with `value: reg` (carry the register), `timeout: N` or
/// `block: false` (give up at once; the step's `else` steps run instead).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelOptionsFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipe: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub socket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<bool>,
    /// `end: 0|1` on a one-way pipe: the connection the step uses (`r, w = Pipe(False)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
}

/// The value of `wait_event`: a name, or `{event: E, timeout: N}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EventStepFile {
    Name(String),
    Options(EventOptionsFile),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventOptionsFile {
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<bool>,
}

/// A name or a map: what `put: Q` and `put: {queue: Q, ...}` both are.
fn name_or_map<'de, D, T, M>(
    deserializer: D,
    expecting: &'static str,
    name: fn(String) -> T,
    map: fn(M) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    M: Deserialize<'de>,
{
    struct NameOrMap<T, M> {
        expecting: &'static str,
        name: fn(String) -> T,
        map: fn(M) -> T,
    }
    impl<'de, T, M: Deserialize<'de>> Visitor<'de> for NameOrMap<T, M> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            Ok((self.name)(text.to_string()))
        }
        fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<T, A::Error> {
            M::deserialize(de::value::MapAccessDeserializer::new(access)).map(self.map)
        }
    }
    deserializer.deserialize_any(NameOrMap {
        expecting,
        name,
        map,
    })
}

impl<'de> Deserialize<'de> for ChannelStepFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        name_or_map(
            deserializer,
            "a queue or pipe name, or a map {queue: Q, value: reg, timeout: N, block: false}",
            ChannelStepFile::Name,
            ChannelStepFile::Options,
        )
    }
}

impl<'de> Deserialize<'de> for EventStepFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        name_or_map(
            deserializer,
            "an event name, or a map {event: E, timeout: N}",
            EventStepFile::Name,
            EventStepFile::Options,
        )
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlockFile {
    /// Detect deadlocks whenever a process blocks on a resource; default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect: Option<bool>,
    /// `none` (default), `abort_one`, `abort_all` or `preempt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recover: Option<String>,
    /// `none` (default) or `banker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avoid: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessFile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Tickets for lottery and stride scheduling; default 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickets: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<ProgramFile>,
    /// Its nice value, −20 to 19 (`ps` STAT `<` below 0, `N` above); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nice: Option<i64>,
    /// Its queue under the `mlq` policy, by name; default the last queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// Its request size under the `eevdf` policy, in ticks; default the policy's `slice`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_sigchld: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subreaper: Option<bool>,
    /// The banker's maximum claims: `{A: 1, rooms: 2}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<std::collections::BTreeMap<String, u64>>,
    /// gevent's monkey patch: `true` (`patch_all()`), `false`, or `{modules: [time, socket,
    /// select, os]}`; a patched call in a thread with coroutines parks the coroutine instead
    /// of blocking the thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monkey_patch: Option<MonkeyPatchFile>,
    /// CPython's global interpreter lock: `true` or `{switch_interval: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gil: Option<GilFile>,
    /// The CPUs it may run on: `[0, 2]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Vec<u64>>,
    /// The size of its working set (the cache model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_set: Option<u64>,
}

/// `monkey_patch: true|false` or `monkey_patch: {modules: [time, socket, select, os]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum MonkeyPatchFile {
    All(bool),
    Modules(MonkeyModulesFile),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MonkeyModulesFile {
    pub modules: Vec<String>,
}

impl<'de> Deserialize<'de> for MonkeyPatchFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PatchVisitor;
        impl<'de> Visitor<'de> for PatchVisitor {
            type Value = MonkeyPatchFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`true`, `false` or a map {modules: [time, socket, select, os]}")
            }
            fn visit_bool<E: de::Error>(self, on: bool) -> Result<MonkeyPatchFile, E> {
                Ok(MonkeyPatchFile::All(on))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MonkeyPatchFile, A::Error> {
                MonkeyModulesFile::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(MonkeyPatchFile::Modules)
            }
        }
        deserializer.deserialize_any(PatchVisitor)
    }
}

/// `gil: true|false` or `gil: {switch_interval: N, switch_points: calls|any}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum GilFile {
    On(bool),
    Interval(GilIntervalFile),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GilIntervalFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_interval: Option<u64>,
    /// `calls` (CPython ≥ 3.10, the default) or `any` (CPython ≤ 3.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_points: Option<String>,
}

impl<'de> Deserialize<'de> for GilFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GilVisitor;
        impl<'de> Visitor<'de> for GilVisitor {
            type Value = GilFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "`true`, `false` or a map {switch_interval: TICKS, switch_points: calls|any}",
                )
            }
            fn visit_bool<E: de::Error>(self, on: bool) -> Result<GilFile, E> {
                Ok(GilFile::On(on))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<GilFile, A::Error> {
                GilIntervalFile::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(GilFile::Interval)
            }
        }
        deserializer.deserialize_any(GilVisitor)
    }
}

/// `{name: P, workers: N}`: a pool of N worker processes (default: as many as CPUs).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoolFile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u64>,
}

/// `apply: {pool: P, task: [...]}` (and `apply_async`, with an optional `callback`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyFile {
    pub pool: String,
    pub task: ProgramFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<ProgramFile>,
    /// `as: R` (`apply_async`): the name of its AsyncResult, for `get_result: R`.
    #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
}

/// `map: {pool: P, count: N, task: [...]}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    pub pool: String,
    pub count: u64,
    pub task: ProgramFile,
    /// `as: L`: the list variable that takes each task's `return`, in task order.
    #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
}

/// `spawn: {name: T, program: [...], daemon: false}`: a thread of the calling process.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpawnFile {
    pub name: String,
    pub program: ProgramFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickets: Option<u64>,
}

/// `fork: {name: C, program: [...], daemon: false, ignore_sigchld: false}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ForkFile {
    pub name: String,
    /// Absent: the child goes on with the parent's program after the fork step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<ProgramFile>,
    /// `reg`: fork()'s return value goes into the register — the child's pid in the parent,
    /// 0 in the child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Its nice value, −20 to 19; default: its parent's (as fork keeps it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nice: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickets: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_sigchld: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subreaper: Option<bool>,
}

/// One entry of a program: a step, `{repeat: N, steps: [...]}` (N ≥ 0, nested allowed) or
/// `{if: {NAME: {OP: V}}, then: [...], else: [...]}`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ProgramEntry {
    Repeat(RepeatFile),
    If(IfFile),
    Step(StepFile),
    /// A step that may give up (`timeout`, `block: false`) with the steps to run if it does:
    /// `{get: {queue: Q, timeout: 5}, else: [...]}`.
    #[serde(skip_serializing)]
    Fallible(StepFile, Vec<ProgramEntry>),
    /// `{select: [S1, S2], on: {S1: [...], S2: [...]}}` (or `poll`, `epoll_wait`).
    #[serde(skip_serializing)]
    Select(SelectFile),
    /// `{try: [...], except: [...]}` (`runtime: python`).
    Try(TryFile),
}

/// `{try: [...], except: [...]}`: a step of `try` that fails goes on with `except`.
#[derive(Debug, Clone, Serialize)]
pub struct TryFile {
    #[serde(rename = "try")]
    pub steps: Vec<ProgramEntry>,
    #[serde(rename = "except")]
    pub handler: Vec<ProgramEntry>,
}

/// I/O multiplexing: wait until one of `sockets` is readable, then run the `on` branch of each
/// readable one, in list order.
#[derive(Debug, Clone)]
pub struct SelectFile {
    /// `select`, `poll` or `epoll_wait`.
    pub call: String,
    /// What it waits to read from.
    pub sockets: Vec<String>,
    /// What it waits to write to (`{select: {read: [...], write: [...]}}`).
    pub write: Vec<String>,
    /// `timeout: N`: give up after N ticks (0: look once), running `otherwise`.
    pub timeout: Option<u64>,
    pub on: std::collections::BTreeMap<String, Vec<ProgramEntry>>,
    /// `else: [...]`: what runs when the timeout runs out with nothing ready.
    pub otherwise: Option<Vec<ProgramEntry>>,
}

/// The value of `select` (and `poll`, `epoll_wait`): the sockets to read from, `[S1, S2]`, or
/// `{read: [...], write: [...], timeout: N}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SelectSetsFile {
    pub read: Vec<String>,
    pub write: Vec<String>,
    pub timeout: Option<u64>,
}

/// `{read: [...], write: [...], timeout: N}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SelectMapFile {
    #[serde(default)]
    read: Vec<String>,
    #[serde(default)]
    write: Vec<String>,
    #[serde(default)]
    timeout: Option<u64>,
}

impl<'de> Deserialize<'de> for SelectSetsFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SetsVisitor;
        impl<'de> Visitor<'de> for SetsVisitor {
            type Value = SelectSetsFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of sockets, or {read: [...], write: [...], timeout: N}")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<SelectSetsFile, A::Error> {
                let read = Vec::<String>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(SelectSetsFile {
                    read,
                    ..SelectSetsFile::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SelectSetsFile, A::Error> {
                let sets = SelectMapFile::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(SelectSetsFile {
                    read: sets.read,
                    write: sets.write,
                    timeout: sets.timeout,
                })
            }
        }
        deserializer.deserialize_any(SetsVisitor)
    }
}

/// `{if: {NAME: {OP: V}}, then: [...], else: [...]}` (`else` optional); the condition may
/// also ask a child or thread about itself: `{child: C, alive: true}`.
#[derive(Debug, Clone, Serialize)]
pub struct IfFile {
    #[serde(rename = "if")]
    pub condition: std::collections::BTreeMap<String, ConditionValue>,
    pub then: Vec<ProgramEntry>,
    #[serde(rename = "else", skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<Vec<ProgramEntry>>,
}

/// A value in an `if`'s condition: a comparison `{OP: V}`, a flag (`alive: true`), a number
/// (`exitcode: -15`) or a name (`child: worker`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ConditionValue {
    Comparison(std::collections::BTreeMap<String, i64>),
    Flag(bool),
    Number(i64),
    Name(String),
}

/// `{repeat: N, steps: [...]}`: the steps, N times over.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatFile {
    pub repeat: u64,
    pub steps: Vec<ProgramEntry>,
}

impl<'de> Deserialize<'de> for ProgramEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ProgramEntryVisitor)
    }
}

/// The keys that start a program entry (`StepFile`'s variants, then `repeat`).
pub const STEP_NAMES: &[&str] = &[
    "cpu",
    "io",
    "fork",
    "wait",
    "exit",
    "kill",
    "acquire",
    "release",
    "wait_event",
    "set",
    "clear",
    "put",
    "get",
    "sleep",
    "spawn",
    "join",
    "read",
    "write",
    "add",
    "set_reg",
    "bytecode",
    "print",
    "send",
    "recv",
    "task_done",
    "join_queue",
    "apply",
    "apply_async",
    "map",
    "close",
    "join_pool",
    "coroutine",
    "switch",
    "yield",
    "await",
    "async_sleep",
    "async_io",
    "return",
    "get_result",
    "call",
    "input",
    "signal",
    "on_signal",
    "select",
    "poll",
    "epoll_wait",
    "repeat",
    "if",
    "try",
];

struct ProgramEntryVisitor;

impl<'de> Visitor<'de> for ProgramEntryVisitor {
    type Value = ProgramEntry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step such as `{cpu: 3}`, or `{repeat: N, steps: [...]}`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ProgramEntry, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::invalid_length(0, &self));
        };
        if key == "repeat" || key == "steps" {
            return repeat_of(key, map).map(ProgramEntry::Repeat);
        }
        if key == "if" || key == "then" || key == "else" {
            return if_of(key, map).map(ProgramEntry::If);
        }
        if key == "try" || key == "except" {
            return try_of(key, map).map(ProgramEntry::Try);
        }
        if MULTIPLEXERS.contains(&key.as_str()) || key == "on" {
            return select_of(key, map).map(ProgramEntry::Select);
        }
        if !STEP_NAMES.contains(&key.as_str()) {
            return Err(de::Error::unknown_variant(&key, STEP_NAMES));
        }
        // Any other key names a step: hand it and its value to the derived enum.
        let step = StepFile::deserialize(OneKeyEnum { key, map: &mut map })?;
        match map.next_key::<String>()? {
            None => Ok(ProgramEntry::Step(step)),
            Some(extra) if extra == "else" => {
                let otherwise = map.next_value::<Vec<ProgramEntry>>()?;
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a step takes one `else`; `{extra}` is one key too many"
                    )));
                }
                Ok(ProgramEntry::Fallible(step, otherwise))
            }
            Some(extra) => Err(de::Error::custom(format!(
                "a step is a map of one key (and, for a step that may give up, `else`); `{extra}` is one too many"
            ))),
        }
    }
}

/// The rest of `{repeat: N, steps: [...]}` once its first key is read.
fn repeat_of<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<RepeatFile, A::Error> {
    const FIELDS: &[&str] = &["repeat", "steps"];
    let (mut repeat, mut steps) = (None, None);
    let mut key = Some(first);
    while let Some(name) = key {
        match name.as_str() {
            "repeat" if repeat.is_none() => repeat = Some(map.next_value::<u64>()?),
            "steps" if steps.is_none() => steps = Some(map.next_value::<Vec<ProgramEntry>>()?),
            "repeat" => return Err(de::Error::duplicate_field("repeat")),
            "steps" => return Err(de::Error::duplicate_field("steps")),
            other => return Err(de::Error::unknown_field(other, FIELDS)),
        }
        key = map.next_key::<String>()?;
    }
    Ok(RepeatFile {
        repeat: repeat.ok_or_else(|| de::Error::missing_field("repeat"))?,
        steps: steps.ok_or_else(|| de::Error::missing_field("steps"))?,
    })
}

/// The rest of `{try: [...], except: [...]}` once its first key is read.
fn try_of<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<TryFile, A::Error> {
    const FIELDS: &[&str] = &["try", "except"];
    let (mut steps, mut handler) = (None, None);
    let mut key = Some(first);
    while let Some(name) = key {
        match name.as_str() {
            "try" if steps.is_none() => steps = Some(map.next_value::<Vec<ProgramEntry>>()?),
            "except" if handler.is_none() => handler = Some(map.next_value::<Vec<ProgramEntry>>()?),
            "try" => return Err(de::Error::duplicate_field("try")),
            "except" => return Err(de::Error::duplicate_field("except")),
            other => return Err(de::Error::unknown_field(other, FIELDS)),
        }
        key = map.next_key::<String>()?;
    }
    Ok(TryFile {
        steps: steps.ok_or_else(|| de::Error::missing_field("try"))?,
        handler: handler.ok_or_else(|| de::Error::missing_field("except"))?,
    })
}

/// The calls of I/O multiplexing.
const MULTIPLEXERS: &[&str] = &["select", "poll", "epoll_wait"];

/// The rest of `{select: [...], on: {...}}` once its first key is read.
fn select_of<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<SelectFile, A::Error> {
    const FIELDS: &[&str] = &["select", "poll", "epoll_wait", "on", "else"];
    let (mut call, mut sets, mut on, mut otherwise) = (None, None, None, None);
    let mut key = Some(first);
    while let Some(name) = key {
        match name.as_str() {
            "on" if on.is_none() => on = Some(map.next_value()?),
            "on" => return Err(de::Error::duplicate_field("on")),
            "else" if otherwise.is_none() => {
                otherwise = Some(map.next_value::<Vec<ProgramEntry>>()?)
            }
            "else" => return Err(de::Error::duplicate_field("else")),
            name if MULTIPLEXERS.contains(&name) && call.is_none() => {
                call = Some(name.to_string());
                sets = Some(map.next_value::<SelectSetsFile>()?);
            }
            name if MULTIPLEXERS.contains(&name) => {
                return Err(de::Error::custom(format!(
                    "one call per step: `{name}` is one too many"
                )));
            }
            other => return Err(de::Error::unknown_field(other, FIELDS)),
        }
        key = map.next_key::<String>()?;
    }
    let sets = sets.unwrap_or_default();
    Ok(SelectFile {
        call: call.ok_or_else(|| de::Error::missing_field("select"))?,
        sockets: sets.read,
        write: sets.write,
        timeout: sets.timeout,
        on: on.ok_or_else(|| de::Error::missing_field("on"))?,
        otherwise,
    })
}

/// The rest of `{if: {...}, then: [...], else: [...]}` once its first key is read.
fn if_of<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<IfFile, A::Error> {
    const FIELDS: &[&str] = &["if", "then", "else"];
    let (mut condition, mut then, mut otherwise) = (None, None, None);
    let mut key = Some(first);
    while let Some(name) = key {
        match name.as_str() {
            "if" if condition.is_none() => condition = Some(map.next_value()?),
            "then" if then.is_none() => then = Some(map.next_value::<Vec<ProgramEntry>>()?),
            "else" if otherwise.is_none() => {
                otherwise = Some(map.next_value::<Vec<ProgramEntry>>()?)
            }
            "if" => return Err(de::Error::duplicate_field("if")),
            "then" => return Err(de::Error::duplicate_field("then")),
            "else" => return Err(de::Error::duplicate_field("else")),
            other => return Err(de::Error::unknown_field(other, FIELDS)),
        }
        key = map.next_key::<String>()?;
    }
    Ok(IfFile {
        condition: condition.ok_or_else(|| de::Error::missing_field("if"))?,
        then: then.ok_or_else(|| de::Error::missing_field("then"))?,
        otherwise,
    })
}

/// A map whose first key is already read, seen as an externally tagged enum.
struct OneKeyEnum<'m, A> {
    key: String,
    map: &'m mut A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for OneKeyEnum<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> de::EnumAccess<'de> for OneKeyEnum<'_, A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), A::Error> {
        use de::IntoDeserializer;
        let variant = seed.deserialize(self.key.clone().into_deserializer())?;
        Ok((variant, self))
    }
}

impl<'de, A: MapAccess<'de>> de::VariantAccess<'de> for OneKeyEnum<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.map.next_value::<IgnoredAny>().map(|_| ())
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("steps take one value"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("steps take one value"))
    }
}

/// One step of a program: a single-key map such as `{cpu: 3}`, `{io: {device: disk, time: 4}}`,
/// `{fork: {...}}`, `{wait: any}`, `{exit: 1}` or `{kill: C}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepFile {
    Cpu(u64),
    Io(IoFile),
    Fork(ForkFile),
    /// `any` or a child's name.
    Wait(String),
    Exit(i64),
    /// A child's name.
    Kill(String),
    /// `acquire: A` or `acquire: {resource: rooms, count: 2}`.
    Acquire(AmountFile),
    /// `release: A` or `release: {resource: rooms, count: 2}`.
    Release(AmountFile),
    /// `wait_event: green`: block until the event is set (or `{event: E, timeout: N}`).
    WaitEvent(EventStepFile),
    /// `set: green`: set the event and wake every process waiting for it.
    Set(String),
    /// `clear: green`.
    Clear(String),
    /// `put: buffer`: add an item, blocking while the queue is full.
    Put(ChannelStepFile),
    /// `get: buffer`: take an item, blocking while the queue is empty.
    Get(ChannelStepFile),
    /// `send: P`: put a message into a pipe (`{pipe: P, value: reg}` carries the register).
    Send(ChannelStepFile),
    /// `recv: P`: take a message from a pipe, blocking while it is empty; its value, if it
    /// carries one, goes into the register.
    Recv(ChannelStepFile),
    /// `task_done: Q`: one item taken from a joinable queue is dealt with.
    TaskDone(String),
    /// `join_queue: Q`: block until every item put into a joinable queue is dealt with.
    JoinQueue(String),
    /// `sleep: N`: blocked for N ticks without a device.
    Sleep(u64),
    /// `spawn: {name: T, program: [...]}`: start a thread in this process.
    Spawn(SpawnFile),
    /// `join: T`: block until thread T of this process has ended.
    Join(String),
    /// `read: X`: the thread's register takes variable X's value.
    Read(String),
    /// `write: X`: variable X takes the register's value.
    Write(String),
    /// `add: N`: the register grows by N (N may be negative).
    Add(i64),
    /// `set_reg: N`: the register takes the value N.
    SetReg(i64),
    /// `bytecode: N`: N ticks of CPU in simple bytecodes, where CPython ≥ 3.10 never switches
    /// the GIL.
    Bytecode(u64),
    /// `print: TEXT`: a line of output; `{reg}`, `{X}`, `{pid}` and `{tid}` are filled in.
    Print(String),
    /// `apply: {pool: P, task: [...]}`: run the task on a worker, waiting for it.
    Apply(ApplyFile),
    /// `apply_async: {pool: P, task: [...], callback: [...]}`: queue the task and go on.
    ApplyAsync(ApplyFile),
    /// `map: {pool: P, count: N, task: [...]}`: N copies of the task, waiting for all.
    Map(MapFile),
    /// `close: P`: no more tasks; the workers exit when the queue is empty.
    Close(String),
    /// `join_pool: P`: wait until every task is done and the workers have exited.
    JoinPool(String),
    /// `coroutine: {name: G, program: [...]}`: a coroutine in the thread's event loop.
    Coroutine(CoroutineFile),
    /// `switch: G`: hand control to coroutine G now (greenlet).
    Switch(String),
    /// `yield: {}`: let the event loop run the next ready coroutine.
    Yield(YieldFile),
    /// `await: G`: wait until coroutine G has finished.
    Await(String),
    /// `async_sleep: N`: park this coroutine N ticks; the loop runs the others.
    AsyncSleep(u64),
    /// `async_io: N` or `{device: D, time: N}`: park this coroutine for an IO.
    AsyncIo(IoFile),
    /// `return: V` (a number or `reg`): a pool task ends with this value.
    Return(ReturnFile),
    /// `get_result: R`: wait for the `apply_async` named R and load its value.
    GetResult(String),
    /// `call: {program: NAME}`: the named program's steps, here, in this thread.
    Call(CallFile),
    /// `input: {}`: read a line of standard input as a number (`int(input())`).
    Input(InputFile),
    /// `signal: {to: C, sig: SIGSTOP}`: send a signal to child C.
    Signal(SignalFile),
    /// `on_signal: {sig: SIGUSR1, steps: [...]}`: install a handler (`signal.signal`).
    OnSignal(OnSignalFile),
}

/// `on_signal: {sig: SIGUSR1, steps: [...]}` (or `steps: NAME`, a named program).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OnSignalFile {
    pub sig: String,
    pub steps: ProgramFile,
}

/// `signal: {to: C, sig: SIGSTOP|SIGCONT|SIGTERM|SIGKILL|SIGUSR1}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignalFile {
    pub to: String,
    pub sig: String,
}

/// The value of `return`: a number, or `reg` for the register.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ReturnFile {
    Number(i64),
    Name(String),
}

/// The value of `yield`: `{}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YieldFile {}

/// `coroutine: {name: G, program: [...]}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CoroutineFile {
    pub name: String,
    pub program: ProgramFile,
}

/// A line of `stdin:`: a number or a text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum StdinLineFile {
    Number(i64),
    Text(String),
}

/// `input: {}` (into the register) or `input: {into: X}` (into variable X).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
}

/// `call: {program: NAME}`: run a named program in the calling thread, as `p.run()` does.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CallFile {
    pub program: String,
}

/// A program where one is expected: its steps, or the name of one under `programs:`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ProgramFile {
    Named(String),
    Steps(Vec<ProgramEntry>),
}

impl<'de> Deserialize<'de> for ProgramFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ProgramFileVisitor)
    }
}

/// Reads a list of steps as it is (so that a step's error keeps its own message), or a name.
struct ProgramFileVisitor;

impl<'de> Visitor<'de> for ProgramFileVisitor {
    type Value = ProgramFile;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of steps, or the name of a program under `programs:`")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<ProgramFile, E> {
        Ok(ProgramFile::Named(name.to_string()))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<ProgramFile, A::Error> {
        Vec::<ProgramEntry>::deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(ProgramFile::Steps)
    }
}

/// `NAME` (one instance) or `{resource: NAME, count: N}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AmountFile {
    One(String),
    Count(CountFile),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CountFile {
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// `acquire` only: give up after N ticks (`lock.acquire(timeout=N)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// `acquire` only: `block: false` gives up at once (`lock.acquire(False)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<bool>,
}

impl AmountFile {
    pub fn resource(&self) -> &str {
        match self {
            AmountFile::One(name) => name,
            AmountFile::Count(count) => &count.resource,
        }
    }

    pub fn count(&self) -> u64 {
        match self {
            AmountFile::One(_) => 1,
            AmountFile::Count(count) => count.count.unwrap_or(1),
        }
    }
}

impl<'de> Deserialize<'de> for AmountFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl<'de> Visitor<'de> for AmountVisitor {
            type Value = AmountFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a resource name or a map {resource: NAME, count: N}")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<AmountFile, E> {
                Ok(AmountFile::One(name.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AmountFile, A::Error> {
                CountFile::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(AmountFile::Count)
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}

/// `io: N` (the default device) or `io: {device: NAME, time: N}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum IoFile {
    Ticks(u64),
    OnDevice(IoOnDevice),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IoOnDevice {
    pub device: String,
    pub time: u64,
}

impl<'de> Deserialize<'de> for IoFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IoVisitor;
        impl<'de> Visitor<'de> for IoVisitor {
            type Value = IoFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of ticks or a map {device: NAME, time: TICKS}")
            }
            fn visit_u64<E: de::Error>(self, ticks: u64) -> Result<IoFile, E> {
                Ok(IoFile::Ticks(ticks))
            }
            fn visit_i64<E: de::Error>(self, ticks: i64) -> Result<IoFile, E> {
                u64::try_from(ticks)
                    .map(IoFile::Ticks)
                    .map_err(|_| E::custom("expected a positive number of ticks"))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<IoFile, A::Error> {
                IoOnDevice::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(IoFile::OnDevice)
            }
        }
        deserializer.deserialize_any(IoVisitor)
    }
}

/// `policy: NAME` or `policy: {kind: NAME, option: value, ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PolicyFile {
    Name(String),
    /// Boxed: the options of every policy make a large struct.
    Options(Box<PolicyOptions>),
}

/// Every option any policy takes; `validate` rejects the ones the chosen kind does not use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyOptions {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantum: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemptive: Option<bool>,
    /// MLFQ levels, highest priority first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<LevelFile>>,
    /// MLFQ: boost every this many ticks (0 = never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boost: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_resets_allotment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_done_to_front: Option<bool>,
    /// MLFQ: the boost of older versions of OSTEP's mlfq.py (see docs/ostep.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ostep_boost: Option<bool>,
    /// MLFQ: false keeps a process at its level when its quantum expires with nobody else
    /// ready (Stallings); default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demote_when_alone: Option<bool>,
    /// Lottery: `uniform` (default) or `ostep`, lottery.py's draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<String>,
    /// MLFQ: `immediate` (default) or `at_quantum_end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preempt: Option<String>,
    /// MLFQ: `carry_over` (default) or `renew_each_dispatch`; EEVDF: the request size in
    /// ticks. One key, two policies: a word or a number ([`NumberOrWord`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<NumberOrWord>,
    /// MLFQ: `fifo` (default) or `priority`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_in_level: Option<String>,
    /// FCFS: `queue` (default) or `cyclic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// FCFS: `on_block` (default) or `on_end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch: Option<String>,
    /// FCFS: `later` (default) or `immediate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_done: Option<String>,
    /// Priority: levels a waiting process gains each time another is picked (`aging: N`), or
    /// every so many ticks it waits (`aging: {every: T, by: N}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aging: Option<AgingFile>,
    /// Lottery with `draw: ostep`: numbers thrown away before the first draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_draws: Option<u64>,
    /// Priority: `priority` (default) or `nice`, the processes' nice values as priorities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_from: Option<String>,
    /// CFS: sched_latency, in ticks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<u64>,
    /// CFS: sched_min_granularity, in ticks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_granularity: Option<u64>,
    /// CFS: sched_wakeup_granularity, in ticks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wakeup_granularity: Option<u64>,
    /// CFS: START_DEBIT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_debit: Option<bool>,
    /// EEVDF: PLACE_LAG, a sleeper keeps its lag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_lag: Option<bool>,
    /// EEVDF: RUN_TO_PARITY, a waking process does not cut the running one's request short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_to_parity: Option<bool>,
    /// MLQ: the queues, highest first, each with its own policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queues: Option<Vec<MlqQueueFile>>,
    /// MLQ: `priority` (default) or `{slices: [TICKS, ...]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub between: Option<BetweenFile>,
}

/// A policy option written as a number or a word: `slice` is MLFQ's word (`carry_over`) and
/// EEVDF's number of ticks; the policy table says which one each policy takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum NumberOrWord {
    Number(u64),
    Word(String),
}

impl<'de> Deserialize<'de> for NumberOrWord {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberOrWordVisitor;
        impl serde::de::Visitor<'_> for NumberOrWordVisitor {
            type Value = NumberOrWord;
            fn expecting(&self, out: &mut std::fmt::Formatter) -> std::fmt::Result {
                out.write_str("a whole number of ticks (eevdf) or a word (mlfq: carry_over, renew_each_dispatch)")
            }
            fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<NumberOrWord, E> {
                Ok(NumberOrWord::Number(number))
            }
            fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<NumberOrWord, E> {
                u64::try_from(number)
                    .map(NumberOrWord::Number)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(number), &self))
            }
            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<NumberOrWord, E> {
                Ok(NumberOrWord::Word(word.to_string()))
            }
        }
        deserializer.deserialize_any(NumberOrWordVisitor)
    }
}

/// One queue of a multilevel queue: `{name: system, policy: {kind: rr, quantum: 2}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MlqQueueFile {
    pub name: String,
    pub policy: PolicyFile,
}

/// How a multilevel queue shares the CPU among its queues: `priority`, or
/// `{slices: [80, 20]}`, each queue's ticks in turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum BetweenFile {
    Word(String),
    Slices { slices: Vec<u64> },
}

impl<'de> Deserialize<'de> for BetweenFile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BetweenVisitor;
        impl<'de> serde::de::Visitor<'de> for BetweenVisitor {
            type Value = BetweenFile;
            fn expecting(&self, out: &mut std::fmt::Formatter) -> std::fmt::Result {
                out.write_str("`priority`, or {slices: [TICKS, ...]} (one per queue)")
            }
            fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<BetweenFile, E> {
                Ok(BetweenFile::Word(word.to_string()))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<BetweenFile, M::Error> {
                let mut slices = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "slices" => slices = Some(map.next_value::<Vec<u64>>()?),
                        other => {
                            return Err(serde::de::Error::unknown_field(other, &["slices"]));
                        }
                    }
                }
                Ok(BetweenFile::Slices {
                    slices: slices.ok_or_else(|| serde::de::Error::missing_field("slices"))?,
                })
            }
        }
        deserializer.deserialize_any(BetweenVisitor)
    }
}

/// Priority's aging as written: `N` levels per pick, or `{every: T, by: N}`, N levels for every
/// T ticks a process waits in the ready queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AgingFile {
    PerPick(u64),
    Timed { every: u64, by: u64 },
}

impl<'de> Deserialize<'de> for AgingFile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AgingVisitor;
        impl<'de> serde::de::Visitor<'de> for AgingVisitor {
            type Value = AgingFile;
            fn expecting(&self, out: &mut std::fmt::Formatter) -> std::fmt::Result {
                out.write_str("a number of levels per pick, or {every: TICKS, by: LEVELS}")
            }
            fn visit_u64<E: serde::de::Error>(self, levels: u64) -> Result<AgingFile, E> {
                Ok(AgingFile::PerPick(levels))
            }
            fn visit_i64<E: serde::de::Error>(self, levels: i64) -> Result<AgingFile, E> {
                u64::try_from(levels)
                    .map(AgingFile::PerPick)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(levels), &self))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<AgingFile, M::Error> {
                let (mut every, mut by) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "every" => every = Some(map.next_value::<u64>()?),
                        "by" => by = Some(map.next_value::<u64>()?),
                        other => {
                            return Err(serde::de::Error::unknown_field(other, &["every", "by"]));
                        }
                    }
                }
                Ok(AgingFile::Timed {
                    every: every.ok_or_else(|| serde::de::Error::missing_field("every"))?,
                    by: by.ok_or_else(|| serde::de::Error::missing_field("by"))?,
                })
            }
        }
        deserializer.deserialize_any(AgingVisitor)
    }
}

/// One MLFQ level: `{quantum: 10, allotment: 1}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelFile {
    pub quantum: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allotment: Option<u64>,
}

/// Each option of `PolicyOptions` by name, with the kind of its value: one list, from which
/// every lookup by name is made. (A test checks it against the struct's fields and the policy
/// table's options.)
macro_rules! option_fields {
    ($($name:ident: $kind:ident),* $(,)?) => {
        /// The names of every option of [`PolicyOptions`], in declaration order.
        pub const OPTION_NAMES: &[&str] = &[$(stringify!($name)),*];

        impl PolicyOptions {
            /// The option called `name`, to read or change.
            pub fn field_mut(&mut self, name: &str) -> Option<OptionField<'_>> {
                match name {
                    $(stringify!($name) => Some(OptionField::$kind(&mut self.$name)),)*
                    _ => None,
                }
            }

            /// The option called `name`, to read.
            pub fn field(&self, name: &str) -> Option<OptionValue<'_>> {
                match name {
                    $(stringify!($name) => Some(OptionValue::$kind(&self.$name)),)*
                    _ => None,
                }
            }
        }
    };
}

option_fields! {
    quantum: Number,
    preemptive: Flag,
    levels: Levels,
    boost: Number,
    io_resets_allotment: Flag,
    io_done_to_front: Flag,
    ostep_boost: Flag,
    demote_when_alone: Flag,
    draw: Word,
    preempt: Word,
    slice: NumberOrWord,
    order_in_level: Word,
    order: Word,
    switch: Word,
    io_done: Word,
    aging: Aging,
    skip_draws: Number,
    priority_from: Word,
    latency: Number,
    min_granularity: Number,
    wakeup_granularity: Number,
    start_debit: Flag,
    keep_lag: Flag,
    run_to_parity: Flag,
    queues: Queues,
    between: Between,
}

/// A policy option's value, to change.
pub enum OptionField<'a> {
    Number(&'a mut Option<u64>),
    NumberOrWord(&'a mut Option<NumberOrWord>),
    Aging(&'a mut Option<AgingFile>),
    Flag(&'a mut Option<bool>),
    Word(&'a mut Option<String>),
    Levels(&'a mut Option<Vec<LevelFile>>),
    Queues(&'a mut Option<Vec<MlqQueueFile>>),
    Between(&'a mut Option<BetweenFile>),
}

/// A policy option's value, to read.
#[derive(Clone, Copy)]
pub enum OptionValue<'a> {
    Number(&'a Option<u64>),
    NumberOrWord(&'a Option<NumberOrWord>),
    Aging(&'a Option<AgingFile>),
    Flag(&'a Option<bool>),
    Word(&'a Option<String>),
    Levels(&'a Option<Vec<LevelFile>>),
    Queues(&'a Option<Vec<MlqQueueFile>>),
    Between(&'a Option<BetweenFile>),
}

impl OptionValue<'_> {
    fn is_set(self) -> bool {
        match self {
            OptionValue::Number(value) => value.is_some(),
            OptionValue::NumberOrWord(value) => value.is_some(),
            OptionValue::Aging(value) => value.is_some(),
            OptionValue::Flag(value) => value.is_some(),
            OptionValue::Word(value) => value.is_some(),
            OptionValue::Levels(value) => value.is_some(),
            OptionValue::Queues(value) => value.is_some(),
            OptionValue::Between(value) => value.is_some(),
        }
    }
}

impl PolicyOptions {
    /// The value of a true/false option, by name.
    pub fn flag_mut(&mut self, name: &str) -> Option<&mut Option<bool>> {
        match self.field_mut(name)? {
            OptionField::Flag(value) => Some(value),
            _ => None,
        }
    }

    /// The number written for `name`, if it is a number option and written.
    pub fn number(&self, name: &str) -> Option<u64> {
        match self.field(name)? {
            OptionValue::Number(value) => *value,
            OptionValue::NumberOrWord(Some(NumberOrWord::Number(value))) => Some(*value),
            _ => None,
        }
    }

    /// The flag written for `name`, if it is a true/false option and written.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.field(name)? {
            OptionValue::Flag(value) => *value,
            _ => None,
        }
    }

    /// Priority's aging as written, if written.
    pub fn aging_mut(&mut self) -> &mut Option<AgingFile> {
        &mut self.aging
    }

    /// The word written for `name`, if it is a one-of-these-words option and written.
    pub fn word(&self, name: &str) -> Option<&str> {
        match self.field(name)? {
            OptionValue::Word(value) => value.as_deref(),
            OptionValue::NumberOrWord(Some(NumberOrWord::Word(value))) => Some(value),
            _ => None,
        }
    }

    /// Writes the number option `name` (`None` unsets it); false if it is no number option.
    pub fn set_number(&mut self, name: &str, number: Option<u64>) -> bool {
        match self.field_mut(name) {
            Some(OptionField::Number(value)) => *value = number,
            Some(OptionField::NumberOrWord(value)) => *value = number.map(NumberOrWord::Number),
            _ => return false,
        }
        true
    }

    /// Writes the word option `name` (`None` unsets it); false if it is no word option.
    pub fn set_word(&mut self, name: &str, word: Option<String>) -> bool {
        match self.field_mut(name) {
            Some(OptionField::Word(value)) => *value = word,
            Some(OptionField::NumberOrWord(value)) => *value = word.map(NumberOrWord::Word),
            _ => return false,
        }
        true
    }

    /// Only the options `names` lists (the others unset), with `kind`.
    pub fn keeping(&self, kind: &str, names: &[&str]) -> PolicyOptions {
        let mut kept = PolicyOptions {
            kind: kind.to_string(),
            ..PolicyOptions::default()
        };
        for &name in names {
            match (kept.field_mut(name), self.field(name)) {
                (Some(OptionField::Number(to)), Some(OptionValue::Number(from))) => *to = *from,
                (Some(OptionField::NumberOrWord(to)), Some(OptionValue::NumberOrWord(from))) => {
                    *to = from.clone()
                }
                (Some(OptionField::Aging(to)), Some(OptionValue::Aging(from))) => *to = *from,
                (Some(OptionField::Flag(to)), Some(OptionValue::Flag(from))) => *to = *from,
                (Some(OptionField::Word(to)), Some(OptionValue::Word(from))) => *to = from.clone(),
                (Some(OptionField::Levels(to)), Some(OptionValue::Levels(from))) => {
                    *to = from.clone()
                }
                (Some(OptionField::Queues(to)), Some(OptionValue::Queues(from))) => {
                    *to = from.clone()
                }
                (Some(OptionField::Between(to)), Some(OptionValue::Between(from))) => {
                    *to = from.clone()
                }
                _ => {}
            }
        }
        kept
    }

    /// The options written besides `kind`, by name.
    pub fn present(&self) -> Vec<&'static str> {
        OPTION_NAMES
            .iter()
            .copied()
            .filter(|name| self.field(name).is_some_and(OptionValue::is_set))
            .collect()
    }
}

impl PolicyFile {
    pub fn options(&self) -> PolicyOptions {
        match self {
            PolicyFile::Name(kind) => PolicyOptions {
                kind: kind.clone(),
                ..PolicyOptions::default()
            },
            PolicyFile::Options(options) => (**options).clone(),
        }
    }
}
