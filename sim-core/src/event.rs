//! The event log: every state change the engine makes, in order. It is the product: metrics,
//! the Gantt chart, traces and explanations are all derived from it.

use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::BlockReason;
use crate::scenario::{DeviceId, Scenario};
use serde::Serialize;

/// An event and the instant it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimedEvent {
    pub time: Tick,
    #[serde(flatten)]
    pub event: Event,
}

/// One state change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Event {
    /// The process arrived: new → ready.
    Admit { pid: Pid },
    /// A CPU starts switching to `to`; it runs after `ticks` of idle CPU.
    ContextSwitch {
        cpu: CpuId,
        from: Pid,
        to: Pid,
        ticks: u64,
    },
    /// The process starts running on a CPU: ready → running.
    Dispatch { pid: Pid, cpu: CpuId },
    /// Its quantum ran out but no other process is ready: it keeps the CPU with a new quantum.
    QuantumRenewed { pid: Pid, cpu: CpuId },
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
    IoStart { pid: Pid, device: DeviceId },
    /// The wait is over: blocked → ready.
    Wake { pid: Pid, reason: WakeReason },
    /// The program ended: → terminated.
    Exit {
        pid: Pid,
        cpu: Option<CpuId>,
        code: i32,
    },
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
}

/// Why a blocked process became ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum WakeReason {
    IoDone { device: DeviceId },
}

impl Event {
    /// The process the event is about (for a context switch, the incoming one).
    pub fn pid(&self) -> Pid {
        match *self {
            Event::Admit { pid }
            | Event::Dispatch { pid, .. }
            | Event::QuantumRenewed { pid, .. }
            | Event::Preempt { pid, .. }
            | Event::Block { pid, .. }
            | Event::IoStart { pid, .. }
            | Event::Wake { pid, .. }
            | Event::Exit { pid, .. } => pid,
            Event::ContextSwitch { to, .. } => to,
        }
    }

    /// A short verb naming the kind of event, for the trace's second column.
    pub fn verb(&self) -> &'static str {
        match self {
            Event::Admit { .. } => "admit",
            Event::ContextSwitch { .. } => "switch",
            Event::Dispatch { .. } => "dispatch",
            Event::QuantumRenewed { .. } => "renew",
            Event::Preempt { .. } => "preempt",
            Event::Block { .. } => "block",
            Event::IoStart { .. } => "io-start",
            Event::Wake { .. } => "wake",
            Event::Exit { .. } => "exit",
        }
    }

    /// The event in plain words, naming processes and devices as the scenario does.
    pub fn describe(&self, scenario: &Scenario) -> String {
        let name = |pid: Pid| process_name(scenario, pid);
        let device = |id: DeviceId| scenario.devices[id.0].name.as_str();
        match *self {
            Event::Admit { pid } => format!("{} arrives and enters the ready queue", name(pid)),
            Event::ContextSwitch {
                cpu,
                from,
                to,
                ticks,
            } => format!(
                "{cpu} switches from {} to {} ({} of context switch)",
                name(from),
                name(to),
                crate::render::ticks(ticks)
            ),
            Event::Dispatch { pid, cpu } => format!("{} starts running on {cpu}", name(pid)),
            Event::QuantumRenewed { pid, cpu } => format!(
                "{}'s quantum expired; no other process is ready, so it keeps {cpu} with a new quantum",
                name(pid)
            ),
            Event::Preempt { pid, cpu, reason } => {
                let why = match reason {
                    PreemptReason::QuantumExpired => {
                        "its quantum expired; it goes back to the ready queue".to_string()
                    }
                    PreemptReason::ShorterRemaining { by } => {
                        format!("{} has a shorter remaining burst", name(by))
                    }
                    PreemptReason::HigherPriority { by } => {
                        format!("{} has a higher priority", name(by))
                    }
                };
                format!("{} is preempted on {cpu}: {why}", name(pid))
            }
            Event::Block { pid, cpu, reason } => {
                let from = cpu
                    .map(|cpu| format!(" and leaves {cpu}"))
                    .unwrap_or_default();
                match reason {
                    BlockReason::Io { device: id, ticks } => format!(
                        "{} issues IO on {} for {ticks} ticks{from}",
                        name(pid),
                        device(id)
                    ),
                }
            }
            Event::IoStart { pid, device: id } => {
                format!("{}'s queued IO starts on {}", name(pid), device(id))
            }
            Event::Wake { pid, reason } => match reason {
                WakeReason::IoDone { device: id } => format!(
                    "{}'s IO on {} completes; it becomes ready",
                    name(pid),
                    device(id)
                ),
            },
            Event::Exit { pid, cpu, code } => {
                let from = cpu.map(|cpu| format!(" on {cpu}")).unwrap_or_default();
                format!("{} exits with code {code}{from}", name(pid))
            }
        }
    }
}

/// The name of a process by pid, or `pid N` when the scenario has no such process.
pub fn process_name(scenario: &Scenario, pid: Pid) -> &str {
    if pid == Pid::INIT {
        return "init";
    }
    scenario
        .processes
        .get(pid.index())
        .map(|process| process.name.as_str())
        .unwrap_or("?")
}
