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
            Event::Dispatch { pid, cpu, level } => {
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
            | Event::Exit { cpu: Some(cpu), .. } => {
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
        let mut slices = Vec::new();
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
