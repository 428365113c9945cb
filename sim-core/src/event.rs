//! The event log: every state change the engine makes, in order. It is the product: metrics,
//! the Gantt chart, traces and explanations are all derived from it.

use crate::ids::{CpuId, Pid, Tick};
use crate::pcb::BlockReason;
use crate::roster::Roster;
use crate::scenario::{DeviceId, FlagId, QueueId, ResourceId, Scenario};
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
    Admit {
        pid: Pid,
    },
    /// A CPU starts switching to `to`; it runs after `ticks` of idle CPU.
    ContextSwitch {
        cpu: CpuId,
        from: Pid,
        to: Pid,
        ticks: u64,
    },
    /// The process starts running on a CPU at a queue level: ready → running.
    Dispatch {
        pid: Pid,
        cpu: CpuId,
        level: usize,
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
    /// `by` terminated its child `pid` (exit status -15); `pid` exits next.
    Kill {
        pid: Pid,
        by: Pid,
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
            | Event::Kill { pid, .. }
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
            | Event::Rollback { pid, .. } => Some(pid),
            Event::ContextSwitch { to, .. } => Some(to),
            Event::Boost | Event::Deadlock { .. } => None,
        }
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
            Event::Kill { .. } => "kill",
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
        }
    }

    /// The event in plain words, naming processes as `roster` and devices as the scenario do.
    pub fn describe(&self, scenario: &Scenario, roster: &Roster) -> String {
        let name = |pid: Pid| roster.name(pid);
        let device = |id: DeviceId| scenario.devices[id.0].name.as_str();
        let resource = |id: ResourceId| scenario.sync.resources[id.0].name.as_str();
        let flag = |id: FlagId| scenario.sync.events[id.0].name.as_str();
        let queue = |id: QueueId| scenario.sync.queues[id.0].name.as_str();
        let instances = |count: u64, id: ResourceId| {
            if scenario.sync.resources[id.0].instances == 1 && count == 1 {
                resource(id).to_string()
            } else {
                format!("{count} of {}", resource(id))
            }
        };
        let at_level = |level: usize| {
            if scenario.policy.is_multilevel() {
                format!(" at level {level}")
            } else {
                String::new()
            }
        };
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
            Event::Dispatch { pid, cpu, level } => {
                format!("{} starts running on {cpu}{}", name(pid), at_level(level))
            }
            Event::QuantumRenewed { pid, cpu, level } => format!(
                "{}'s quantum expired; it is chosen again and keeps {cpu} with a new quantum{}",
                name(pid),
                at_level(level)
            ),
            Event::Demote { pid, from, to } => format!(
                "{} used up its allotment at level {from}; it moves down to level {to}",
                name(pid)
            ),
            Event::Boost => {
                "priority boost: every process moves to the top level with a fresh quantum and allotment"
                    .to_string()
            }
            Event::ToFront { pid, level } => format!(
                "{} is back from IO and goes to the front of level {level}",
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
                    PreemptReason::HigherLevel { by } => {
                        format!("{} is ready at a higher level; it stays at the front of its level", name(by))
                    }
                    PreemptReason::IoReturnToFront { by } => format!(
                        "{} came back from IO to the front of its level; it resumes right after",
                        name(by)
                    ),
                    PreemptReason::Boost => {
                        "the boost moved it to the top level's queue".to_string()
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
                    BlockReason::Wait { child: Some(child) } => format!(
                        "{} waits for its child {}{from}",
                        name(pid),
                        roster.label(child)
                    ),
                    BlockReason::Wait { child: None } => {
                        format!("{} waits for any child to exit{from}", name(pid))
                    }
                    BlockReason::Resource {
                        resource: id,
                        count,
                        unsafe_state: false,
                    } => format!(
                        "{} waits for {} (not free){from}",
                        name(pid),
                        instances(count, id)
                    ),
                    BlockReason::Resource {
                        resource: id,
                        count,
                        unsafe_state: true,
                    } => format!(
                        "{} waits for {}: granting it now would leave an unsafe state (banker){from}",
                        name(pid),
                        instances(count, id)
                    ),
                    BlockReason::Event { event } => {
                        format!("{} waits for event {}{from}", name(pid), flag(event))
                    }
                    BlockReason::QueueFull { queue: id } => format!(
                        "{} waits for room in {}, which is full{from}",
                        name(pid),
                        queue(id)
                    ),
                    BlockReason::QueueEmpty { queue: id } => format!(
                        "{} waits for an item in {}, which is empty{from}",
                        name(pid),
                        queue(id)
                    ),
                    BlockReason::Sleep { ticks } => {
                        format!("{} sleeps for {ticks} ticks{from}", name(pid))
                    }
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
                WakeReason::ChildReaped { child } => format!(
                    "{}'s wait returns with {}'s exit status; it becomes ready",
                    name(pid),
                    roster.label(child)
                ),
                WakeReason::NoChildLeft => format!(
                    "{}'s wait fails (ECHILD): it ignores SIGCHLD and no child it waited for is left; it becomes ready",
                    name(pid)
                ),
                WakeReason::Acquired { resource: id } => {
                    format!("{} got {} and goes on", name(pid), resource(id))
                }
                WakeReason::EventSet { event } => {
                    format!("{}: event {} is set; it goes on", name(pid), flag(event))
                }
                WakeReason::QueueSpace { queue: id } => {
                    format!("{}'s item went into {}; it goes on", name(pid), queue(id))
                }
                WakeReason::QueueItem { queue: id } => {
                    format!("{} got an item from {}; it goes on", name(pid), queue(id))
                }
                WakeReason::SleepOver => format!("{} wakes from its sleep", name(pid)),
            },
            Event::Exit { pid, cpu, code } => {
                let from = cpu.map(|cpu| format!(" on {cpu}")).unwrap_or_default();
                format!("{} exits with code {code}{from}", roster.label(pid))
            }
            Event::Fork {
                pid,
                child,
                ref name,
            } => format!(
                "{} forks {name} (pid {child}); the child is ready",
                roster.label(pid)
            ),
            Event::ForkFailed {
                pid,
                ref name,
                limit,
            } => format!(
                "{}'s fork of {name} fails (EAGAIN): {limit} processes exist, the max_processes limit",
                roster.label(pid)
            ),
            Event::Kill { pid, by } => format!(
                "{} terminates its child {} (no cleanup: its children become orphans)",
                roster.label(by),
                roster.label(pid)
            ),
            Event::Reparent { pid, from, to } => format!(
                "{} is orphaned by {}'s exit; {} adopts it",
                roster.label(pid),
                roster.label(from),
                roster.label(to)
            ),
            Event::Reap { pid, by, code } => format!(
                "{} reaps {} (exit status {code}); its PCB is freed",
                roster.label(by),
                roster.label(pid)
            ),
            Event::NoSuchChild {
                pid,
                step,
                ref target,
            } => match step {
                ChildStep::Wait if target == "any" => format!(
                    "{}'s wait fails (ECHILD): it has no child; it goes on",
                    roster.label(pid)
                ),
                ChildStep::Wait => format!(
                    "{}'s wait for {target} fails (ECHILD): no such child; it goes on",
                    roster.label(pid)
                ),
                ChildStep::Kill => format!(
                    "{}'s kill of {target} fails (ESRCH): no such child; it goes on",
                    roster.label(pid)
                ),
            },
            Event::Acquire {
                pid,
                resource: id,
                count,
            } => format!("{} acquires {}", name(pid), instances(count, id)),
            Event::Release {
                pid,
                resource: id,
                count,
                reason,
            } => {
                let why = match reason {
                    ReleaseReason::Step => "",
                    ReleaseReason::Exit => " (it exited holding it)",
                    ReleaseReason::Preempted => " (taken by deadlock recovery)",
                };
                format!("{} releases {}{why}", name(pid), instances(count, id))
            }
            Event::ReleaseNotHeld {
                pid,
                resource: id,
                count,
                held,
            } => format!(
                "{} releases {count} of {} but holds only {held}: it releases what it holds",
                name(pid),
                resource(id)
            ),
            Event::SetEvent { pid, flag: event, woken } => format!(
                "{} sets event {}; {}",
                name(pid),
                flag(event),
                match woken {
                    0 => "nobody is waiting for it".to_string(),
                    1 => "1 waiting process goes on".to_string(),
                    n => format!("{n} waiting processes go on"),
                }
            ),
            Event::ClearEvent { pid, flag: event } => {
                format!("{} clears event {}", name(pid), flag(event))
            }
            Event::Put {
                pid,
                queue: id,
                items,
            } => format!(
                "{} puts an item into {} ({items} in the queue)",
                name(pid),
                queue(id)
            ),
            Event::Get {
                pid,
                queue: id,
                items,
            } => format!(
                "{} takes an item from {} ({items} left)",
                name(pid),
                queue(id)
            ),
            Event::Deadlock {
                ref processes,
                ref cycle,
                ..
            } => {
                let names: Vec<&str> = processes.iter().map(|&p| name(p)).collect();
                format!(
                    "deadlock: {} wait for each other forever; cycle {}",
                    names.join(", "),
                    cycle_arrows(&cycle_names(cycle, scenario, roster))
                )
            }
            Event::Abort { pid } => format!(
                "deadlock recovery aborts {} (exit status -9)",
                roster.label(pid)
            ),
            Event::Rollback { pid, step } => format!(
                "deadlock recovery rolls {} back to step {step} (its acquire); it will ask again",
                name(pid)
            ),
        }
    }
}

/// A cycle of names as `P1 -> A -> P2 -> B -> P1`: each process waits for the next resource,
/// which the next process holds.
pub fn cycle_arrows(names: &[String]) -> String {
    let mut text = names.join(" -> ");
    if let Some(first) = names.first() {
        text.push_str(" -> ");
        text.push_str(first);
    }
    text
}

/// The names along a cycle, alternating process and resource.
pub fn cycle_names(cycle: &[RagNode], scenario: &Scenario, roster: &Roster) -> Vec<String> {
    cycle
        .iter()
        .map(|node| match *node {
            RagNode::Process { pid } => roster.name(pid).to_string(),
            RagNode::Resource { resource } => scenario.sync.resources[resource.0].name.clone(),
        })
        .collect()
}
