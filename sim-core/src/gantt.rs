//! The Gantt chart: who ran on each CPU when, derived from the event log.

use crate::event::{Event, TimedEvent};
use crate::ids::{CpuId, Pid, Tick};
use crate::scenario::Scenario;
use serde::Serialize;

/// A stretch of time on one CPU. `pid`/`name` are `None` when the CPU was idle (which includes
/// context-switch time). `level` is the queue level the process ran at, for multilevel
/// policies only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GanttSlice {
    pub cpu: CpuId,
    pub start: Tick,
    pub end: Tick,
    #[serde(skip)]
    pub pid: Option<Pid>,
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
}

/// A run of one process on one CPU at one level.
#[derive(Clone, Copy, Debug)]
struct Run {
    start: Tick,
    end: Tick,
    pid: Pid,
    level: usize,
}

/// The slices of every CPU from 0 to `end`, CPU by CPU, each in time order. A process that
/// keeps its CPU across a quantum renewal is one slice; idle gaps are slices too.
pub fn derive(scenario: &Scenario, log: &[TimedEvent], end: Tick) -> Vec<GanttSlice> {
    let mut fold = GanttFold::new(scenario);
    for timed in log {
        fold.push(timed);
    }
    fold.finish(scenario, &crate::roster::Roster::of(scenario, log), end)
}

/// The Gantt chart as a fold over the events as they happen: memory grows with the slices, not
/// with the events.
#[derive(Clone, Debug)]
pub struct GanttFold {
    busy: Vec<Vec<Run>>,
    open: Vec<Option<(Tick, Pid, usize)>>,
}

impl GanttFold {
    pub fn new(scenario: &Scenario) -> GanttFold {
        GanttFold {
            busy: vec![Vec::new(); scenario.cpus],
            open: vec![None; scenario.cpus],
        }
    }

    /// How many runs of a process the chart holds so far.
    pub fn runs(&self) -> usize {
        self.busy.iter().map(Vec::len).sum()
    }

    /// Takes one more event into account.
    pub fn push(&mut self, timed: &TimedEvent) {
        let TimedEvent { time, event } = timed;
        match *event {
            Event::Dispatch {
                pid, cpu, level, ..
            } => {
                if let Some((start, pid, level)) = self.open[cpu.0].take() {
                    close(
                        &mut self.busy[cpu.0],
                        Run {
                            start,
                            end: *time,
                            pid,
                            level,
                        },
                    );
                }
                self.open[cpu.0] = Some((*time, pid, level));
            }
            Event::QuantumRenewed { cpu, level, .. } => {
                // A renewal at another level (after a demotion) starts a new slice.
                if let Some((start, pid, old)) = self.open[cpu.0]
                    && old != level
                {
                    close(
                        &mut self.busy[cpu.0],
                        Run {
                            start,
                            end: *time,
                            pid,
                            level: old,
                        },
                    );
                    self.open[cpu.0] = Some((*time, pid, level));
                }
            }
            Event::Preempt { cpu, .. }
            | Event::Block { cpu: Some(cpu), .. }
            | Event::Exit { cpu: Some(cpu), .. }
            | Event::ThreadExit { cpu: Some(cpu), .. }
            | Event::GilDrop { cpu, .. } => {
                if let Some((start, pid, level)) = self.open[cpu.0].take() {
                    close(
                        &mut self.busy[cpu.0],
                        Run {
                            start,
                            end: *time,
                            pid,
                            level,
                        },
                    );
                }
            }
            _ => {}
        }
    }

    /// The slices up to `end`, processes named as `roster` names them.
    pub fn finish(
        self,
        scenario: &Scenario,
        roster: &crate::roster::Roster,
        end: Tick,
    ) -> Vec<GanttSlice> {
        let GanttFold { mut busy, open } = self;
        for (cpu, slot) in open.iter().enumerate() {
            if let Some((start, pid, level)) = *slot
                && end > start
            {
                close(
                    &mut busy[cpu],
                    Run {
                        start,
                        end,
                        pid,
                        level,
                    },
                );
            }
        }

        let multilevel = scenario.policy.is_multilevel();
        let name = |pid: Pid| roster.name(pid).to_string();
        // Counted first: a chart of millions of slices is allocated once, not grown.
        let idle_gaps = |runs: &[Run]| {
            let mut at = Tick::ZERO;
            let mut gaps = 0;
            for run in runs {
                gaps += usize::from(run.start > at);
                at = run.end;
            }
            gaps + usize::from(end > at)
        };
        let count = busy.iter().map(|runs| runs.len() + idle_gaps(runs)).sum();
        let mut slices = Vec::with_capacity(count);
        for (cpu, runs) in busy.into_iter().enumerate() {
            let cpu = CpuId(cpu);
            let mut at = Tick::ZERO;
            for run in runs {
                if run.start > at {
                    slices.push(idle(cpu, at, run.start));
                }
                slices.push(GanttSlice {
                    cpu,
                    start: run.start,
                    end: run.end,
                    pid: Some(run.pid),
                    name: Some(name(run.pid)),
                    level: multilevel.then_some(run.level),
                });
                at = run.end;
            }
            if end > at {
                slices.push(idle(cpu, at, end));
            }
        }
        slices
    }
}

/// A stretch of one CPU as a live chart draws it: who (`None`: idle) from `start` to `end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub cpu: CpuId,
    pub start: Tick,
    pub end: Tick,
    pub pid: Option<Pid>,
}

impl GanttFold {
    /// The chart so far, up to `end` (a run still going on cut there), without giving the fold
    /// up: what a live view draws at each frame, in the order of `finish`.
    pub fn spans(&self, end: Tick) -> Vec<Span> {
        let mut spans = Vec::new();
        for (cpu, runs) in self.busy.iter().enumerate() {
            let cpu = CpuId(cpu);
            let open =
                self.open[cpu.0]
                    .filter(|&(start, ..)| end > start)
                    .map(|(start, pid, level)| Run {
                        start,
                        end,
                        pid,
                        level,
                    });
            let mut at = Tick::ZERO;
            for run in runs.iter().chain(open.iter()) {
                if run.start > at {
                    spans.push(Span {
                        cpu,
                        start: at,
                        end: run.start,
                        pid: None,
                    });
                }
                spans.push(Span {
                    cpu,
                    start: run.start,
                    end: run.end,
                    pid: Some(run.pid),
                });
                at = run.end;
            }
            if end > at {
                spans.push(Span {
                    cpu,
                    start: at,
                    end,
                    pid: None,
                });
            }
        }
        spans
    }
}

/// Appends a run, merging it with the previous one when the same process simply went on at the
/// same level.
fn close(runs: &mut Vec<Run>, run: Run) {
    if run.end <= run.start {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.pid == run.pid && last.end == run.start && last.level == run.level => {
            last.end = run.end
        }
        _ => runs.push(run),
    }
}

fn idle(cpu: CpuId, start: Tick, end: Tick) -> GanttSlice {
    GanttSlice {
        cpu,
        start,
        end,
        pid: None,
        name: None,
        level: None,
    }
}

/// A stretch of IO service: `pid` was served by `device` from `start` to `end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSlice {
    pub device: crate::ids::DeviceId,
    pub start: Tick,
    pub end: Tick,
    pub pid: Pid,
}

/// Who was in IO on which device when, derived from the log up to `end` (a service still going
/// on at `end` is cut there): a request starts its service when it is issued on a device with a
/// free server, or at its `io-start` when it waited; it ends when the IO completes (or the
/// process is killed). Sorted by device, then start.
pub fn device_slices(scenario: &Scenario, log: &[TimedEvent], end: Tick) -> Vec<DeviceSlice> {
    let mut fold = DeviceFold::new(scenario);
    for timed in log {
        fold.push(timed);
    }
    fold.slices(end)
}

/// The devices' service as a fold over the events as they happen (see [`device_slices`]).
#[derive(Clone, Debug)]
pub struct DeviceFold {
    servers: Vec<usize>,
    /// Who each device serves now, since when.
    in_service: Vec<Vec<(Pid, Tick)>>,
    done: Vec<DeviceSlice>,
}

impl DeviceFold {
    pub fn new(scenario: &Scenario) -> DeviceFold {
        DeviceFold {
            servers: scenario
                .devices
                .iter()
                .map(|device| device.servers.unwrap_or(usize::MAX))
                .collect(),
            in_service: vec![Vec::new(); scenario.devices.len()],
            done: Vec::new(),
        }
    }

    /// Takes one more event into account.
    pub fn push(&mut self, timed: &TimedEvent) {
        use crate::pcb::BlockReason;
        let TimedEvent { time, event } = timed;
        match *event {
            Event::Block {
                pid,
                reason: BlockReason::Io { device, .. },
                ..
            } if self.in_service[device.0].len() < self.servers[device.0] => {
                self.in_service[device.0].push((pid, *time));
            }
            Event::IoStart { pid, device } => self.in_service[device.0].push((pid, *time)),
            Event::Wake { pid, .. } | Event::Exit { pid, .. } => {
                for (device, serving) in self.in_service.iter_mut().enumerate() {
                    if let Some(at) = serving.iter().position(|&(p, _)| p == pid) {
                        let (_, start) = serving.remove(at);
                        self.done.push(DeviceSlice {
                            device: crate::ids::DeviceId(device),
                            start,
                            end: *time,
                            pid,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// The service so far up to `end` (what is still going on cut there), sorted by device,
    /// then start.
    pub fn slices(&self, end: Tick) -> Vec<DeviceSlice> {
        let mut slices = self.done.clone();
        for (device, serving) in self.in_service.iter().enumerate() {
            for &(pid, start) in serving {
                if end > start {
                    slices.push(DeviceSlice {
                        device: crate::ids::DeviceId(device),
                        start,
                        end,
                        pid,
                    });
                }
            }
        }
        slices.sort_by_key(|s| (s.device, s.start, s.pid));
        slices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A live chart's spans, at every instant of a run, are the slices `finish` would give.
    #[test]
    fn spans_so_far_are_the_slices_so_far() {
        let scenario = Scenario::from_yaml(
            "name: g\ncpus: 2\npolicy: {kind: mlfq, levels: [{quantum: 1}, {quantum: 2}]}\nprocesses:\n\
             - {name: A, program: [{cpu: 3}, {io: 2}, {cpu: 2}]}\n\
             - {name: B, arrival: 1, burst: 4}\n- {name: C, arrival: 2, burst: 1}\n",
        )
        .unwrap();
        let mut simulator = crate::Simulator::new(scenario.clone());
        let mut fold = GanttFold::new(&scenario);
        while let Some(step) = simulator.step() {
            for timed in &simulator.log()[step.events] {
                fold.push(timed);
            }
            let now = simulator.now();
            let spans: Vec<(CpuId, Tick, Tick, Option<Pid>)> = fold
                .spans(now)
                .iter()
                .map(|s| (s.cpu, s.start, s.end, s.pid))
                .collect();
            let slices: Vec<(CpuId, Tick, Tick, Option<Pid>)> =
                derive(&scenario, simulator.log(), now)
                    .iter()
                    .map(|s| (s.cpu, s.start, s.end, s.pid))
                    .collect();
            assert_eq!(spans, slices, "at t={}", now.0);
        }
    }

    #[test]
    fn device_slices_follow_the_queue_of_a_single_server_device() {
        let scenario = Scenario::from_yaml(
            "name: d\ncpus: 2\npolicy: fcfs\ndevices: [{name: disk, servers: 1}]\nprocesses:\n\
             - {name: A, program: [{cpu: 1}, {io: {device: disk, time: 3}}, {cpu: 1}]}\n\
             - {name: B, program: [{cpu: 1}, {io: {device: disk, time: 2}}, {cpu: 1}]}\n",
        )
        .unwrap();
        let mut simulator = crate::Simulator::new(scenario.clone());
        simulator.run_to_end(1_000).unwrap();
        let slices = device_slices(&scenario, simulator.log(), simulator.now());
        let spans: Vec<(u64, u64, u32)> = slices
            .iter()
            .map(|s| (s.start.0, s.end.0, s.pid.0))
            .collect();
        // A is served 1..4; B waits, then is served 4..6.
        assert_eq!(spans, [(1, 4, 2), (4, 6, 3)]);
        assert!(slices.iter().all(|s| s.device == crate::ids::DeviceId(1)));
    }
}

/// A stretch of time during which a thread's event loop ran coroutine `name`: from the switch
/// to it to the next switch away (or the thread's end). Where the thread was off its CPU
/// meanwhile, nothing ran: draw it against the thread's CPU stretches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoroutineSpan {
    pub tid: Pid,
    pub name: String,
    pub start: Tick,
    pub end: Tick,
}

/// Which coroutine each thread's loop runs, folded from the switches as the events come
/// (docs/coroutines.md): the coroutine lanes of the GUI's Gantt chart.
#[derive(Clone, Debug, Default)]
pub struct CoroutineFold {
    /// Each thread's current coroutine and since when.
    current: std::collections::BTreeMap<Pid, (String, Tick)>,
    done: Vec<CoroutineSpan>,
}

impl CoroutineFold {
    pub fn push(&mut self, timed: &TimedEvent) {
        match &timed.event {
            Event::CoroutineSwitch { pid, to, .. } => {
                self.close(*pid, timed.time);
                if !to.is_empty() {
                    self.current.insert(*pid, (to.clone(), timed.time));
                }
            }
            Event::Exit { pid, .. } | Event::ThreadExit { pid, .. } => {
                self.close(*pid, timed.time);
            }
            _ => {}
        }
    }

    fn close(&mut self, tid: Pid, time: Tick) {
        if let Some((name, start)) = self.current.remove(&tid)
            && time > start
        {
            self.done.push(CoroutineSpan {
                tid,
                name,
                start,
                end: time,
            });
        }
    }

    /// The stretches so far, the current ones up to `end`, in the order they began; none of
    /// zero length (switches within one instant take no time).
    pub fn spans(&self, end: Tick) -> Vec<CoroutineSpan> {
        let mut spans = self.done.clone();
        for (&tid, (name, start)) in &self.current {
            if end > *start {
                spans.push(CoroutineSpan {
                    tid,
                    name: name.clone(),
                    start: *start,
                    end,
                });
            }
        }
        spans.sort_by_key(|span| (span.start, span.tid));
        spans
    }

    /// Whether any thread has switched coroutines so far.
    pub fn is_empty(&self) -> bool {
        self.done.is_empty() && self.current.is_empty()
    }
}

#[cfg(test)]
mod coroutine_tests {
    use super::*;
    use crate::event::SwitchReason;

    fn switch(time: u64, pid: u32, from: &str, to: &str) -> TimedEvent {
        TimedEvent {
            time: Tick(time),
            event: Event::CoroutineSwitch {
                pid: Pid(pid),
                from: from.into(),
                to: to.into(),
                reason: SwitchReason::Switch,
            },
        }
    }

    #[test]
    fn each_coroutine_runs_from_the_switch_to_it_to_the_next_switch_away() {
        let mut fold = CoroutineFold::default();
        for timed in [
            switch(0, 2, "main", "a"),
            switch(0, 2, "a", "b"), // zero length: a ran no time
            switch(3, 2, "b", ""),  // the loop waits: nothing runs
            switch(5, 2, "", "a"),
        ] {
            fold.push(&timed);
        }
        let span = |name: &str, start, end| CoroutineSpan {
            tid: Pid(2),
            name: name.into(),
            start: Tick(start),
            end: Tick(end),
        };
        assert_eq!(fold.spans(Tick(8)), vec![span("b", 0, 3), span("a", 5, 8)]);
        fold.push(&TimedEvent {
            time: Tick(6),
            event: Event::ThreadExit {
                pid: Pid(2),
                cpu: None,
            },
        });
        assert_eq!(fold.spans(Tick(8)), vec![span("b", 0, 3), span("a", 5, 6)]);
    }
}
