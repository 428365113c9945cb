//! The Gantt chart: who ran on each CPU when, derived from the event log.

use crate::event::{Event, TimedEvent};
use crate::ids::{CpuId, Pid, Tick};
use crate::scenario::Scenario;
use serde::Serialize;

/// A stretch of time on one CPU. `pid`/`name` are `None` when the CPU was idle (which includes
/// context-switch time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GanttSlice {
    pub cpu: CpuId,
    pub start: Tick,
    pub end: Tick,
    #[serde(skip)]
    pub pid: Option<Pid>,
    pub name: Option<String>,
}

/// The slices of every CPU from 0 to `end`, CPU by CPU, each in time order. A process that
/// keeps its CPU across a quantum renewal is one slice; idle gaps are slices too.
pub fn derive(scenario: &Scenario, log: &[TimedEvent], end: Tick) -> Vec<GanttSlice> {
    let mut busy: Vec<Vec<(Tick, Tick, Pid)>> = vec![Vec::new(); scenario.cpus];
    let mut open: Vec<Option<(Tick, Pid)>> = vec![None; scenario.cpus];
    for TimedEvent { time, event } in log {
        match *event {
            Event::Dispatch { pid, cpu } => open[cpu.0] = Some((*time, pid)),
            Event::Preempt { cpu, .. }
            | Event::Block { cpu: Some(cpu), .. }
            | Event::Exit { cpu: Some(cpu), .. } => {
                if let Some((start, pid)) = open[cpu.0].take() {
                    close(&mut busy[cpu.0], start, *time, pid);
                }
            }
            _ => {}
        }
    }
    for (cpu, slot) in open.iter().enumerate() {
        if let Some((start, pid)) = *slot
            && end > start
        {
            close(&mut busy[cpu], start, end, pid);
        }
    }

    let name = |pid: Pid| scenario.processes[pid.index()].name.clone();
    let mut slices = Vec::new();
    for (cpu, runs) in busy.into_iter().enumerate() {
        let cpu = CpuId(cpu);
        let mut at = Tick::ZERO;
        for (start, stop, pid) in runs {
            if start > at {
                slices.push(idle(cpu, at, start));
            }
            slices.push(GanttSlice {
                cpu,
                start,
                end: stop,
                pid: Some(pid),
                name: Some(name(pid)),
            });
            at = stop;
        }
        if end > at {
            slices.push(idle(cpu, at, end));
        }
    }
    slices
}

/// Appends a run, merging it with the previous one when the same process simply went on.
fn close(runs: &mut Vec<(Tick, Tick, Pid)>, start: Tick, stop: Tick, pid: Pid) {
    if stop <= start {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.2 == pid && last.1 == start => last.1 = stop,
        _ => runs.push((start, stop, pid)),
    }
}

fn idle(cpu: CpuId, start: Tick, end: Tick) -> GanttSlice {
    GanttSlice {
        cpu,
        start,
        end,
        pid: None,
        name: None,
    }
}
