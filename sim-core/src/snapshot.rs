//! Plain-data views of the engine's state at one time, for the CLI's `--at`, the GUI and tests.

use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::{BlockReason, Pcb, ProcState};
use crate::scenario::{Scenario, Step};
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
    pub pid: Pid,
    pub ppid: Pid,
    pub name: String,
    #[serde(flatten)]
    pub state: ProcState,
    pub priority: i64,
    pub level: usize,
    pub program_counter: usize,
    /// The current step in words, e.g. `cpu 5` or `io disk 4`; empty once terminated.
    pub step: String,
    pub remaining_ticks: u64,
    pub arrival: Tick,
    pub cpu_ticks: u64,
    pub ready_ticks: u64,
    pub blocked_ticks: u64,
    pub first_run: Option<Tick>,
    /// When it exited.
    pub completion: Option<Tick>,
    pub exit_code: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CpuView {
    pub cpu: CpuId,
    pub running: Option<Pid>,
    /// The process this CPU is switching to (context switch in progress).
    pub switching_to: Option<Pid>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceView {
    pub name: String,
    pub in_service: Vec<Pid>,
    pub waiting: Vec<Pid>,
}

impl ProcessView {
    /// The view of `pcb`, which runs `program`, at `now`, charging the time spent in the
    /// current state.
    pub fn of(pcb: &Pcb, program: &[Step], scenario: &Scenario, now: Tick) -> ProcessView {
        let elapsed = now.since(pcb.state_since);
        let (mut cpu, mut ready, mut blocked, mut remaining) = (
            pcb.cpu_ticks,
            pcb.ready_ticks,
            pcb.blocked_ticks,
            pcb.remaining_ticks,
        );
        match pcb.state {
            ProcState::Running { .. } => {
                cpu += elapsed;
                remaining = remaining.saturating_sub(elapsed);
            }
            ProcState::Ready => ready += elapsed,
            ProcState::Blocked { .. } => blocked += elapsed,
            ProcState::New | ProcState::Zombie | ProcState::Terminated => {}
        }
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
            name: pcb.name.clone(),
            state: pcb.state,
            priority: pcb.priority,
            level: pcb.level,
            program_counter: pcb.program_counter,
            step,
            remaining_ticks: remaining,
            arrival: pcb.arrival,
            cpu_ticks: cpu,
            ready_ticks: ready,
            blocked_ticks: blocked,
            first_run: pcb.first_run,
            completion: pcb.completion,
            exit_code: pcb.exit_code,
        }
    }

    /// The state with its detail, e.g. `running on CPU0` or `blocked (io disk)`.
    pub fn state_detail(&self, scenario: &Scenario) -> String {
        match self.state {
            ProcState::Running { cpu } => format!("running on {cpu}"),
            ProcState::Blocked {
                reason: BlockReason::Io { device, .. },
            } => format!("blocked (io {})", scenario.devices[device.0].name),
            ProcState::Blocked {
                reason: BlockReason::Wait { child: None },
            } => "blocked (wait any)".to_string(),
            ProcState::Blocked {
                reason: BlockReason::Wait { child: Some(child) },
            } => format!("blocked (wait pid {child})"),
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
        Step::Io { device, ticks } => format!("io {} {ticks}", scenario.devices[device.0].name),
        Step::Fork(child) => format!("fork {}", child.name),
        Step::Wait(target) => format!("wait {}", target.label()),
        Step::Exit { code } => format!("exit {code}"),
        Step::Kill { child } => format!("kill {child}"),
    }
}
