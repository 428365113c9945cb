//! The process control block: everything the engine knows about one process.

use crate::ids::{CpuId, Pid, Tick};
use crate::ids::{DeviceId, FlagId, QueueId, ResourceId};
use crate::scenario::{LifecycleOptions, PoolId};
use serde::Serialize;

/// The five-state model plus zombie. A process that has not arrived yet is `New`; one that has
/// exited is a `Zombie` until its parent (or init) reaps it, then `Terminated`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ProcState {
    New,
    Ready,
    Running {
        cpu: CpuId,
    },
    Blocked {
        reason: BlockReason,
    },
    /// A thread of a process with a GIL, waiting in its GIL queue: it may not be ready or run
    /// until it holds the GIL (docs/threads.md).
    GilWait,
    Zombie,
    Terminated,
}

/// A state of the five-state model plus zombie, without its details (which CPU, which wait):
/// the boxes of a state diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    New,
    Ready,
    Running,
    Blocked,
    GilWait,
    Zombie,
    Terminated,
}

impl StateKind {
    /// The five-state model plus zombie: the boxes every run can show.
    pub const ALL: [StateKind; 6] = [
        StateKind::New,
        StateKind::Ready,
        StateKind::Running,
        StateKind::Blocked,
        StateKind::Zombie,
        StateKind::Terminated,
    ];

    /// The state's name, as shown in tables and JSON.
    pub fn label(self) -> &'static str {
        match self {
            StateKind::New => "new",
            StateKind::Ready => "ready",
            StateKind::Running => "running",
            StateKind::Blocked => "blocked",
            StateKind::GilWait => "gil_wait",
            StateKind::Zombie => "zombie",
            StateKind::Terminated => "terminated",
        }
    }
}

impl ProcState {
    /// The state without its details.
    pub fn kind(&self) -> StateKind {
        match self {
            ProcState::New => StateKind::New,
            ProcState::Ready => StateKind::Ready,
            ProcState::Running { .. } => StateKind::Running,
            ProcState::Blocked { .. } => StateKind::Blocked,
            ProcState::GilWait => StateKind::GilWait,
            ProcState::Zombie => StateKind::Zombie,
            ProcState::Terminated => StateKind::Terminated,
        }
    }

    /// The state's name, as shown in tables and JSON.
    pub fn label(&self) -> &'static str {
        match self {
            ProcState::Blocked {
                reason: BlockReason::Stopped,
            } => "stopped",
            _ => self.kind().label(),
        }
    }

    /// Whether the process has exited (zombie or reaped).
    pub fn has_exited(&self) -> bool {
        matches!(self, ProcState::Zombie | ProcState::Terminated)
    }

    /// The `STAT` letter of `ps`: `R` running or ready, `S` sleeping (waiting for a child),
    /// `D` waiting for a device, `Z` zombie; `None` for processes `ps` does not list.
    pub fn stat(&self) -> Option<char> {
        match self {
            ProcState::Ready | ProcState::Running { .. } => Some('R'),
            ProcState::Blocked {
                reason: BlockReason::Io { .. },
            } => Some('D'),
            ProcState::Blocked {
                reason: BlockReason::Stopped,
            } => Some('T'),
            ProcState::Blocked {
                reason:
                    BlockReason::Wait { .. }
                    | BlockReason::Resource { .. }
                    | BlockReason::Event { .. }
                    | BlockReason::QueueFull { .. }
                    | BlockReason::QueueEmpty { .. }
                    | BlockReason::Sleep { .. }
                    | BlockReason::Join { .. }
                    | BlockReason::JoinChildren
                    | BlockReason::PoolTasks { .. }
                    | BlockReason::PoolIdle { .. }
                    | BlockReason::PoolResults { .. }
                    | BlockReason::JoinPool { .. }
                    | BlockReason::JoinQueue { .. }
                    | BlockReason::Select { .. }
                    | BlockReason::EventLoop,
            }
            | ProcState::GilWait => Some('S'),
            ProcState::Zombie => Some('Z'),
            ProcState::New | ProcState::Terminated => None,
        }
    }
}

/// Why a process is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BlockReason {
    /// Waiting for (or receiving) service from a device.
    Io { device: DeviceId, ticks: u64 },
    /// Waiting for a child to exit: that one, or any (`None`).
    Wait { child: Option<Pid> },
    /// Waiting for `count` instances of a resource; `unsafe_state`: they are free, but the
    /// banker refuses them because granting them would leave an unsafe state.
    Resource {
        resource: ResourceId,
        count: u64,
        unsafe_state: bool,
    },
    /// Waiting for an event to be set.
    Event { event: FlagId },
    /// Waiting for room in a full queue.
    QueueFull { queue: QueueId },
    /// Waiting for an item in an empty queue.
    QueueEmpty { queue: QueueId },
    /// Sleeping for a number of ticks.
    Sleep { ticks: u64 },
    /// Joining a thread of its own process; `None`: the main thread, whose program has
    /// ended, waits for every non-daemon thread before the process exits.
    Join { thread: Option<Pid> },
    /// `runtime: python`: its program is over and multiprocessing's exit handler joins its
    /// non-daemon children before the process exits.
    JoinChildren,
    /// Waiting for its tasks on a pool to be done (`apply`, `map`).
    PoolTasks { pool: PoolId },
    /// A pool worker waiting for a task.
    PoolIdle { pool: PoolId },
    /// A pool's result handler waiting for a task with a callback to be done.
    PoolResults { pool: PoolId },
    /// Waiting for a closed pool's workers to exit (`join_pool`).
    JoinPool { pool: PoolId },
    /// Waiting until every item of a joinable queue is dealt with (`join_queue`).
    JoinQueue { queue: QueueId },
    /// In `select`, `poll` or `epoll_wait`: waiting until one of `watched` sockets is readable.
    Select { watched: u32 },
    /// In its event loop: every coroutine is parked or waiting; the thread sleeps until the
    /// earliest parked wait ends.
    EventLoop,
    /// Its process is stopped (SIGSTOP) until SIGCONT.
    Stopped,
}

/// A block of a program that a thread is in: its place on the thread's block stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// A `repeat`: the times left, this one included.
    Repeat(u64),
    /// A `try` (`runtime: python`): where its `except` steps start.
    Try { handler: usize },
}

/// One process's control block. Counters are exact as of the engine's current time.
///
/// Laid out by hand (`repr(C)`), the fields the engine touches at every dispatch and expiry
/// first: a run of 100,000 processes visits a cold PCB at nearly every event, and these fit in
/// the first two cache lines of one aligned to them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct Pcb {
    pub state: ProcState,
    /// Ticks of work left in the current step (CPU burst or IO service).
    pub remaining_ticks: u64,
    /// Index of the current step in the program.
    pub program_counter: usize,
    /// When the process last changed state; counters are charged from here.
    pub state_since: Tick,
    pub cpu_ticks: u64,
    /// The task's id: a process's pid, which is also its main thread's tid, or a spawned
    /// thread's tid (threads share the pid space).
    pub pid: Pid,
    /// The process it belongs to (its pid: the main thread's tid).
    pub process: Pid,
    // The second cache line.
    pub ready_ticks: u64,
    /// Queue level for multilevel policies (0 = highest); 0 for the others.
    pub level: usize,
    pub priority: i64,
    pub first_run: Option<Tick>,
    /// When it was admitted (scenario arrival, or the time of its fork).
    pub arrival: Tick,
    /// Lottery and stride tickets.
    pub tickets: u64,
    pub ppid: Pid,
    /// The current step is a `fork` or `spawn` whose CPU cost (`rules.fork_cost`,
    /// `rules.spawn_cost`) has been spent: it is carried out next.
    pub step_cost_paid: bool,
    /// It went to the ready queue at a step that takes no time, which it carries out once
    /// dispatched (`rules.zero_time: on_cpu`).
    pub steps_pending: bool,
    // Then what changes rarely.
    pub options: LifecycleOptions,
    pub name: String,
    /// The `repeat`s and `try`s it is in, innermost last.
    pub blocks: Vec<Block>,
    /// The sockets its last `select` (or `poll`, `epoll_wait`) found readable.
    pub selected: Vec<QueueId>,
    /// The thread's one register (`read`, `write`, `add`, `set_reg`).
    pub register: i64,
    /// Ticks spent waiting for its process's GIL.
    pub gil_wait_ticks: u64,
    pub blocked_ticks: u64,
    /// When it exited.
    pub completion: Option<Tick>,
    pub exit_code: Option<i32>,
    pub reaped_at: Option<Tick>,
    pub reaped_by: Option<Pid>,
    /// Its nice value, −20 to 19 (a thread's: its process's).
    pub nice: i8,
}

impl Pcb {
    /// A process that is about to be admitted at `arrival`, with every counter at zero.
    pub fn new(
        pid: Pid,
        ppid: Pid,
        name: String,
        priority: i64,
        tickets: u64,
        options: LifecycleOptions,
        arrival: Tick,
    ) -> Pcb {
        Pcb {
            pid,
            process: pid,
            ppid,
            name,
            state: ProcState::New,
            priority,
            tickets,
            options,
            arrival,
            program_counter: 0,
            blocks: Vec::new(),
            register: 0,
            selected: Vec::new(),
            step_cost_paid: false,
            steps_pending: false,
            remaining_ticks: 0,
            cpu_ticks: 0,
            ready_ticks: 0,
            gil_wait_ticks: 0,
            blocked_ticks: 0,
            first_run: None,
            completion: None,
            exit_code: None,
            reaped_at: None,
            reaped_by: None,
            level: 0,
            state_since: Tick::ZERO,
            nice: 0,
        }
    }
}
