//! The process control block: everything the engine knows about one process.

use crate::ids::{CpuId, Pid, Tick};
use crate::scenario::DeviceId;
use serde::Serialize;

/// The five-state model. A process that has not arrived yet is `New`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ProcState {
    New,
    Ready,
    Running { cpu: CpuId },
    Blocked { reason: BlockReason },
    Terminated,
}

impl ProcState {
    /// The state's name, as shown in tables and JSON.
    pub fn label(&self) -> &'static str {
        match self {
            ProcState::New => "new",
            ProcState::Ready => "ready",
            ProcState::Running { .. } => "running",
            ProcState::Blocked { .. } => "blocked",
            ProcState::Terminated => "terminated",
        }
    }
}

/// Why a process is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BlockReason {
    /// Waiting for (or receiving) service from a device.
    Io { device: DeviceId, ticks: u64 },
}

/// One process's control block. Counters are exact as of the engine's current time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pcb {
    pub pid: Pid,
    pub ppid: Pid,
    pub name: String,
    pub state: ProcState,
    pub priority: i64,
    pub arrival: Tick,
    /// Index of the current step in the program.
    pub program_counter: usize,
    /// Ticks of work left in the current step (CPU burst or IO service).
    pub remaining_ticks: u64,
    pub cpu_ticks: u64,
    pub ready_ticks: u64,
    pub blocked_ticks: u64,
    pub first_run: Option<Tick>,
    pub completion: Option<Tick>,
    /// Queue level for multilevel policies (0 = highest); 0 for the others.
    pub level: usize,
    /// When the process last changed state; counters are charged from here.
    pub state_since: Tick,
}
