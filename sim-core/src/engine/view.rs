//! The engine's state as plain data: [`Snapshot`]s for `--at`, `ps`, the GUI and grading.

use super::waits::{WaitOn, Want};
use super::*;
use crate::ids::QueueId;
use crate::scenario::ChannelKind;
use crate::snapshot::{WaitKind, WaitOnView, WaitView};

impl Simulator {
    /// A plain-data view of the whole state at the current time.
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_at(self.now)
    }

    /// The state at `time`, between this instant and the next: nothing happens in between, so
    /// only the counters (remaining work, CPU time, waiting, blocked time) move on, tick by
    /// tick. It equals the snapshot after `advance_to(time)`, which `procsim run --at` prints;
    /// a time outside `now..next instant` is clamped into it.
    pub fn snapshot_at(&self, time: Tick) -> Snapshot {
        let mut time = time.max(self.now);
        if let Some(next) = self.next_instant()
            && time >= next
        {
            time = Tick(next.0.saturating_sub(1)).max(self.now);
        }
        let mut processes: Vec<ProcessView> = self
            .pcbs
            .iter()
            .map(|pcb| {
                ProcessView::of(
                    pcb,
                    &self.programs[pcb.pid.index()],
                    &self.scenario,
                    time,
                    &self.pcbs[pcb.process.index()].name,
                )
            })
            .collect();
        // Between instants a running process's CPU time moves on, and with it the values the
        // policy derives from it (a vruntime).
        let moved;
        let now_table = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let has_values = self
            .pcbs
            .first()
            .is_some_and(|pcb| !self.policy.sched_values(pcb.pid, &now_table).is_empty());
        let pcbs: &[Pcb] = if time > self.now && has_values {
            let mut copy = self.pcbs.clone();
            for pcb in &mut copy {
                if matches!(pcb.state, ProcState::Running { .. }) {
                    pcb.cpu_ticks += time.since(self.now);
                }
            }
            moved = copy;
            &moved
        } else {
            &self.pcbs
        };
        let procs = ProcTable { pcbs, now: time };
        for view in &mut processes {
            if !view.state.has_exited() {
                view.level = self.policy.level(view.pid);
                view.sched = self
                    .policy
                    .sched_values(view.pid, &procs)
                    .into_iter()
                    .collect();
            }
        }
        if self.uses_registers {
            for (pcb, view) in self.pcbs.iter().zip(processes.iter_mut()) {
                view.register = Some(pcb.register);
            }
        }
        // With the cache model a running process's work goes faster than the clock.
        if let Some(caches) = &self.caches {
            for (pcb, view) in self.pcbs.iter().zip(processes.iter_mut()) {
                if let ProcState::Running { cpu } = pcb.state {
                    let work = caches.work_in(cpu, pcb.pid, time.since(pcb.state_since));
                    view.remaining_ticks = pcb.remaining_ticks.saturating_sub(work);
                }
            }
        }
        // The time left of each IO in service and each sleep, counting down tick by tick.
        for (pid, until) in self.wake_times() {
            if let Some(view) = processes.get_mut(pid.index()) {
                view.io_left = Some(until.since(time));
            }
        }
        let cpus = self
            .cpus
            .iter()
            .enumerate()
            .map(|(index, slot)| CpuView {
                cpu: CpuId(index),
                running: match slot.occupant {
                    Some(Occupant {
                        pid,
                        phase: Phase::Executing { .. },
                    }) => Some(pid),
                    _ => None,
                },
                switching_to: match slot.occupant {
                    Some(Occupant {
                        pid,
                        phase: Phase::Switching { .. },
                    }) => Some(pid),
                    _ => None,
                },
                warm: self
                    .caches
                    .as_ref()
                    .map_or_else(Vec::new, |caches| caches.contents(CpuId(index))),
            })
            .collect();
        let devices = self
            .devices
            .iter()
            .zip(&self.scenario.devices)
            .enumerate()
            .map(|(index, (state, device))| {
                let mut line = self
                    .waits
                    .line(WaitOn::Device(DeviceId(index)))
                    .map(|w| w.tid);
                DeviceView {
                    name: device.name.clone(),
                    in_service: line.by_ref().take(state.busy).collect(),
                    waiting: line.collect(),
                }
            })
            .collect();
        Snapshot {
            time,
            processes,
            cpus,
            ready_queues: self.policy.queues(),
            devices,
            sync: self.sync_view(),
            gils: self
                .gils
                .iter()
                .filter(|(pid, _)| self.pcbs[pid.index()].state != ProcState::New)
                .map(|(&pid, gil)| GilView {
                    pid,
                    switch_interval: gil.interval,
                    switch_points: gil.switch_points.name(),
                    holder: gil.holder,
                    waiting: self.waits.line(WaitOn::Gil(pid)).map(|w| w.tid).collect(),
                })
                .collect(),
            pools: self.pools.views(&self.scenario),
            coroutines: self.coroutine_views(),
            variables: self.variable_values(),
            results: self.result_values(),
            stdin: self
                .scenario
                .stdin
                .get(self.stdin_read..)
                .unwrap_or_default()
                .to_vec(),
            waiting: self.wait_views(),
        }
    }

    /// Every wait with someone in it, in the scenario's names.
    fn wait_views(&self) -> Vec<WaitView> {
        let scenario = &self.scenario;
        let label = |pid: Pid| self.roster.label(pid);
        // A queue's line, named for what the channel is: `recv` on a pipe, `get` on a queue.
        let channel = |queue: QueueId, receiving: bool| {
            let spec = &scenario.sync.queues[queue.0];
            let kind = match (spec.kind, receiving) {
                (ChannelKind::Queue, true) => WaitKind::QueueItem,
                (ChannelKind::Queue, false) => WaitKind::QueueRoom,
                (ChannelKind::Pipe, true) => WaitKind::PipeRecv,
                (ChannelKind::Pipe, false) => WaitKind::PipeSend,
                (ChannelKind::Socket, true) => WaitKind::SocketRecv,
                (ChannelKind::Socket, false) => WaitKind::SocketSend,
            };
            (kind, spec.name.clone())
        };
        self.waits
            .lines()
            .map(|(on, line)| {
                let mut watching = Vec::new();
                let (kind, name) = match on {
                    WaitOn::Device(device) => {
                        (WaitKind::Device, scenario.devices[device.0].name.clone())
                    }
                    WaitOn::Sleep => (WaitKind::Sleep, "sleep".to_string()),
                    WaitOn::Resource(resource) => (
                        WaitKind::Resource,
                        scenario.sync.resources[resource.0].name.clone(),
                    ),
                    WaitOn::Event(flag) => {
                        (WaitKind::Event, scenario.sync.events[flag.0].name.clone())
                    }
                    WaitOn::QueueItem(queue) => channel(queue, true),
                    WaitOn::QueueRoom(queue) => channel(queue, false),
                    WaitOn::QueueJoin(queue) => (
                        WaitKind::QueueJoin,
                        scenario.sync.queues[queue.0].name.clone(),
                    ),
                    WaitOn::Select(thread) => {
                        if let Some(Want::Ready { read, write }) = line.front().map(|w| &w.want) {
                            let name = |q: &QueueId| scenario.sync.queues[q.0].name.clone();
                            watching = read
                                .iter()
                                .map(name)
                                .chain(write.iter().map(|q| format!("{} (write)", name(q))))
                                .collect();
                        }
                        (WaitKind::Select, label(thread))
                    }
                    WaitOn::Child(child) => (WaitKind::Child, label(child)),
                    WaitOn::AnyChild(process) => (WaitKind::AnyChild, label(process)),
                    WaitOn::Thread(thread) => (WaitKind::Thread, label(thread)),
                    WaitOn::Threads(process) => (WaitKind::Threads, label(process)),
                    WaitOn::Children(process) => (WaitKind::Children, label(process)),
                    WaitOn::PoolTasks(pool) => {
                        (WaitKind::PoolTask, scenario.pools[pool.0].name.clone())
                    }
                    WaitOn::PoolIdle(pool) => {
                        (WaitKind::PoolIdle, scenario.pools[pool.0].name.clone())
                    }
                    WaitOn::PoolJoin(pool) => {
                        (WaitKind::PoolJoin, scenario.pools[pool.0].name.clone())
                    }
                    WaitOn::PoolResults(pool) => {
                        (WaitKind::PoolResults, scenario.pools[pool.0].name.clone())
                    }
                    WaitOn::Gil(process) => (WaitKind::Gil, label(process)),
                    WaitOn::EventLoop(thread) => (WaitKind::EventLoop, label(thread)),
                    WaitOn::Stopped(process) => (WaitKind::Stopped, label(process)),
                };
                WaitView {
                    on: WaitOnView {
                        kind,
                        name,
                        watching,
                    },
                    tids: line.iter().map(|w| w.tid).collect(),
                }
            })
            .collect()
    }

    /// The shared variables by name, then the globals of each process that has arrived (an
    /// exited one keeps its last values) as `process.name`.
    fn variable_values(&self) -> Vec<(String, i64)> {
        let mut values: Vec<(String, i64)> = self
            .scenario
            .shared
            .iter()
            .zip(&self.shared)
            .map(|(spec, &value)| (spec.name.clone(), value))
            .collect();
        for (pid, globals) in &self.globals {
            let pcb = &self.pcbs[pid.index()];
            if pcb.state == ProcState::New {
                continue;
            }
            for (spec, &value) in self.scenario.globals.iter().zip(globals) {
                values.push((format!("{}.{}", self.roster.label(*pid), spec.name), value));
            }
        }
        values
    }
}
