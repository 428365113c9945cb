//! The answers a script prints with `-c`, computed by running the translated scenario through
//! the engine (never by a second implementation of the script), in the script's words as text
//! and as an object for JSON.

use serde::Serialize;

use super::OstepError;
use crate::engine::DEFAULT_MAX_EVENTS;
use crate::event::{Event, TimedEvent};
use crate::ids::Pid;
use crate::pcb::{BlockReason, ProcState};
use crate::report::{RunReport, run_streamed_without_chart};
use crate::{Scenario, Simulator};
use std::collections::BTreeMap;

/// What `procsim ostep NAME ARGS... -c` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Solution {
    Scheduler(SchedulerSolution),
    Mlfq(MlfqSolution),
    Lottery(LotterySolution),
    ProcessRun(ProcessRunSolution),
    Fork(ForkSolution),
    Multi(MultiSolution),
}

impl Solution {
    /// The script's own `-c` lines (its final statistics), word for word.
    pub fn text(&self) -> String {
        match self {
            Solution::Scheduler(solution) => solution.text(),
            Solution::Mlfq(solution) => solution.text(),
            Solution::Lottery(solution) => solution.text(),
            Solution::ProcessRun(solution) => solution.text(),
            Solution::Fork(solution) => solution.text(),
            Solution::Multi(solution) => solution.text(),
        }
    }
}

/// Runs a translation to its end: the report the answers are read from.
pub(crate) fn run_translation(yaml: &str) -> Result<RunReport, OstepError> {
    let scenario = Scenario::from_yaml(yaml)
        .map_err(|error| OstepError(format!("the translation does not load: {error}")))?;
    run_streamed_without_chart(scenario, DEFAULT_MAX_EVENTS)
        .map_err(|error| OstepError(format!("the translation does not run: {error}")))
}

/// Runs a translation to its end keeping its event log, for answers the report does not hold.
pub(crate) fn run_translation_logged(yaml: &str) -> Result<(RunReport, Simulator), OstepError> {
    let scenario = Scenario::from_yaml(yaml)
        .map_err(|error| OstepError(format!("the translation does not load: {error}")))?;
    let mut simulator = Simulator::new(scenario);
    simulator
        .run_to_end(DEFAULT_MAX_EVENTS)
        .map_err(|error| OstepError(format!("the translation does not run: {error}")))?;
    Ok((RunReport::of(&simulator), simulator))
}

/// Each job's completion, in job order.
fn completions(report: &RunReport) -> Result<Vec<u64>, OstepError> {
    report
        .processes
        .iter()
        .enumerate()
        .map(|(job, row)| finished(row.completion, job))
        .collect()
}

fn finished(value: Option<u64>, job: usize) -> Result<u64, OstepError> {
    value.ok_or_else(|| OstepError(format!("job {job} did not finish")))
}

/// `scheduler.py -c`: per job in job order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchedulerSolution {
    pub response: Vec<u64>,
    pub turnaround: Vec<u64>,
    pub wait: Vec<u64>,
    /// The order the script prints its lines in: run order for FIFO and SJF (it sorts the jobs
    /// by length for SJF), job order for RR.
    #[serde(skip)]
    pub print_order: Vec<usize>,
}

impl SchedulerSolution {
    pub(crate) fn of(report: &RunReport, in_run_order: bool) -> Result<Self, OstepError> {
        let mut solution = SchedulerSolution {
            response: Vec::new(),
            turnaround: Vec::new(),
            wait: Vec::new(),
            print_order: Vec::new(),
        };
        let mut first_runs = Vec::new();
        for (job, row) in report.processes.iter().enumerate() {
            solution.response.push(finished(row.response, job)?);
            solution.turnaround.push(finished(row.turnaround, job)?);
            solution.wait.push(row.waiting);
            first_runs.push(row.first_run.unwrap_or(u64::MAX));
        }
        solution.print_order = (0..first_runs.len()).collect();
        if in_run_order {
            solution
                .print_order
                .sort_by_key(|&job| (first_runs[job], job));
        }
        Ok(solution)
    }

    fn text(&self) -> String {
        let mut out = String::from("Final statistics:\n");
        for &job in &self.print_order {
            out.push_str(&format!(
                "  Job {job:3} -- Response: {:3.2}  Turnaround {:3.2}  Wait {:3.2}\n",
                self.response[job] as f64, self.turnaround[job] as f64, self.wait[job] as f64
            ));
        }
        let count = self.response.len() as f64;
        let mean = |values: &[u64]| values.iter().sum::<u64>() as f64 / count;
        out.push_str(&format!(
            "\n  Average -- Response: {:3.2}  Turnaround {:3.2}  Wait {:3.2}\n",
            mean(&self.response),
            mean(&self.turnaround),
            mean(&self.wait)
        ));
        out
    }
}

/// `mlfq.py -c`: per job in job order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MlfqSolution {
    pub response: Vec<u64>,
    pub turnaround: Vec<u64>,
    #[serde(skip)]
    pub start: Vec<u64>,
}

impl MlfqSolution {
    pub(crate) fn of(report: &RunReport) -> Result<Self, OstepError> {
        let mut solution = MlfqSolution {
            response: Vec::new(),
            turnaround: Vec::new(),
            start: Vec::new(),
        };
        for (job, row) in report.processes.iter().enumerate() {
            solution.response.push(finished(row.response, job)?);
            solution.turnaround.push(finished(row.turnaround, job)?);
            solution.start.push(row.arrival);
        }
        Ok(solution)
    }

    fn text(&self) -> String {
        let mut out = String::from("Final statistics:\n");
        for (job, start) in self.start.iter().enumerate() {
            out.push_str(&format!(
                "  Job {job:2}: startTime {start:3} - response {:3} - turnaround {:3}\n",
                self.response[job], self.turnaround[job]
            ));
        }
        let count = self.start.len() as f64;
        let mean = |values: &[u64]| values.iter().sum::<u64>() as f64 / count;
        out.push_str(&format!(
            "\n  Avg {:2}: startTime n/a - response {:.2} - turnaround {:.2}\n",
            self.start.len() - 1,
            mean(&self.response),
            mean(&self.turnaround)
        ));
        out
    }
}

/// `lottery.py -c`: each job's DONE time, in job order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LotterySolution {
    pub done: Vec<u64>,
}

impl LotterySolution {
    pub(crate) fn of(report: &RunReport) -> Result<Self, OstepError> {
        Ok(LotterySolution {
            done: completions(report)?,
        })
    }

    /// The script's `--> JOB N DONE at time T` lines, in the order the jobs finish.
    fn text(&self) -> String {
        let mut order: Vec<usize> = (0..self.done.len()).collect();
        order.sort_by_key(|&job| (self.done[job], job));
        order
            .into_iter()
            .map(|job| format!("--> JOB {job} DONE at time {}\n", self.done[job]))
            .collect()
    }
}

/// `process-run.py -c -p`: the statistics, and each process's last instruction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessRunSolution {
    pub total_time: u64,
    pub cpu_busy: u64,
    pub io_busy: u64,
    /// The tick of each process's last instruction, in process order.
    pub finish: Vec<u64>,
}

impl ProcessRunSolution {
    pub(crate) fn of(report: &RunReport, log: &[TimedEvent]) -> Result<Self, OstepError> {
        let finish = completions(report)?;
        // IO busy: the ticks during which at least one IO is in flight (the device serves
        // them all at once, so an IO issued at t is in flight from t to t + its length).
        let mut ios: Vec<(u64, u64)> = log
            .iter()
            .filter_map(|timed| match timed.event {
                Event::Block {
                    reason: BlockReason::Io { ticks, .. },
                    ..
                } => Some((timed.time.0, timed.time.0 + ticks)),
                _ => None,
            })
            .collect();
        ios.sort_unstable();
        let (mut io_busy, mut covered_to) = (0, 0);
        for (start, end) in ios {
            let start = start.max(covered_to);
            if end > start {
                io_busy += end - start;
                covered_to = end;
            }
        }
        Ok(ProcessRunSolution {
            total_time: report.makespan,
            cpu_busy: report.processes.iter().map(|row| row.cpu_time).sum(),
            io_busy,
            finish,
        })
    }

    /// The script's `Stats:` lines.
    fn text(&self) -> String {
        let percent = |ticks: u64| 100.0 * ticks as f64 / self.total_time as f64;
        format!(
            "Stats: Total Time {}\nStats: CPU Busy {} ({:.2}%)\nStats: IO Busy  {} ({:.2}%)\n",
            self.total_time,
            self.cpu_busy,
            percent(self.cpu_busy),
            self.io_busy,
            percent(self.io_busy)
        )
    }
}

/// `fork.py -c`: the final tree, as each process's parent, and drawn as the script draws it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ForkSolution {
    /// The parent of every process alive at the end but the root.
    pub parents: BTreeMap<String, String>,
    /// The script's `Final Process Tree:` lines.
    #[serde(skip)]
    pub tree: String,
}

impl ForkSolution {
    /// The tree now: living processes, each process's children in the order it got them (by
    /// fork or adoption, read from the event log), drawn from `root` in the script's `style`.
    pub(crate) fn of(simulator: &Simulator, root: &str, style: &str) -> ForkSolution {
        let snapshot = simulator.snapshot();
        let living: Vec<_> = snapshot
            .processes
            .iter()
            .filter(|p| {
                p.thread.is_none() && !matches!(p.state, ProcState::New) && !p.state.has_exited()
            })
            .collect();
        let mut attached = BTreeMap::new();
        for (index, timed) in simulator.log().iter().enumerate() {
            match timed.event {
                Event::Fork { child, .. } => attached.insert(child, index),
                Event::Reparent { pid, .. } => attached.insert(pid, index),
                _ => None,
            };
        }
        let name_of = |pid: Pid| living.iter().find(|p| p.pid == pid).map(|p| p.name.clone());
        let mut children: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        let mut parents = BTreeMap::new();
        for process in &living {
            if process.name == root {
                continue;
            }
            if let Some(parent) = name_of(process.ppid) {
                let order = attached.get(&process.pid).copied().unwrap_or(0);
                children
                    .entry(parent.clone())
                    .or_default()
                    .push((order, process.name.clone()));
                parents.insert(process.name.clone(), parent);
            }
        }
        let children: BTreeMap<String, Vec<String>> = children
            .into_iter()
            .map(|(parent, mut list)| {
                list.sort();
                (parent, list.into_iter().map(|(_, name)| name).collect())
            })
            .collect();
        let mut tree = String::from("                        Final Process Tree:\n");
        draw_tree(&mut tree, root, &children, style, 0, &mut Vec::new(), false);
        ForkSolution { parents, tree }
    }

    fn text(&self) -> String {
        self.tree.clone()
    }
}

/// fork.py's `walk`: the tree from `name` down, in one of its print styles (basic, line1,
/// line2, fancy), with its spacing.
fn draw_tree(
    out: &mut String,
    name: &str,
    children: &BTreeMap<String, Vec<String>>,
    style: &str,
    level: usize,
    verticals: &mut Vec<bool>,
    is_last: bool,
) {
    out.push_str(&" ".repeat(31));
    let mine = children.get(name).map(Vec::as_slice).unwrap_or_default();
    if style == "basic" {
        out.push_str(&"   ".repeat(level));
        out.push_str(&format!("{name:>2}\n"));
        for child in mine {
            draw_tree(out, child, children, style, level + 1, verticals, false);
        }
        return;
    }
    let [vertical, horizontal, branch, last] = match style {
        "line1" => ['|', '-', '+', '|'],
        "line2" => ['|', '_', '|', '|'],
        _ => ['\u{2502}', '\u{2500}', '\u{251c}', '\u{2514}'],
    };
    let mask = |verticals: &Vec<bool>, i: usize| verticals.get(i).copied().unwrap_or(false);
    if level > 0 {
        for i in 0..level - 1 {
            if mask(verticals, i) {
                out.push_str(&format!("{vertical}   "));
            } else {
                out.push_str("    ");
            }
        }
        if mask(verticals, level - 1) {
            let corner = if is_last { last } else { branch };
            out.push_str(&format!("{corner}{horizontal}{horizontal} "));
        } else {
            out.push_str(&format!(" {horizontal}{horizontal}{horizontal} "));
        }
    }
    out.push_str(name);
    out.push('\n');
    let set = |verticals: &mut Vec<bool>, i: usize, value: bool| {
        if verticals.len() <= i {
            verticals.resize(i + 1, false);
        }
        verticals[i] = value;
    };
    if is_last {
        set(verticals, level - 1, false);
    }
    set(verticals, level, true);
    for (position, child) in mine.iter().enumerate() {
        let last_child = position + 1 == mine.len();
        draw_tree(
            out,
            child,
            children,
            style,
            level + 1,
            verticals,
            last_child,
        );
    }
}

/// `multi.py -c`: when the last job finished, each job's finish, and per CPU the ticks busy and
/// warm and their share of the run in percent (2 decimals, as the script prints them).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MultiSolution {
    pub end_time: u64,
    pub finish: BTreeMap<String, u64>,
    pub cpu_busy: Vec<u64>,
    pub cpu_warm: Vec<u64>,
    pub utilization: Vec<f64>,
    pub warm_utilization: Vec<f64>,
}

impl MultiSolution {
    pub(crate) fn of(report: &RunReport, warm: &[u64]) -> Result<Self, OstepError> {
        let mut finish = BTreeMap::new();
        for (job, row) in report.processes.iter().enumerate() {
            finish.insert(row.name.clone(), finished(row.completion, job)?);
        }
        let mut busy = vec![0; report.cpus];
        for slice in &report.gantt {
            if slice.pid.is_some() {
                busy[slice.cpu.0] += slice.end.0 - slice.start.0;
            }
        }
        let end = report.makespan;
        // The percentages as the script prints them (`%3.2f`), read back.
        let percent = |ticks: u64| -> f64 {
            format!("{:.2}", 100.0 * ticks as f64 / end.max(1) as f64)
                .parse()
                .unwrap_or(0.0)
        };
        Ok(MultiSolution {
            end_time: end,
            finish,
            utilization: busy.iter().map(|&b| percent(b)).collect(),
            warm_utilization: warm.iter().map(|&w| percent(w)).collect(),
            cpu_busy: busy,
            cpu_warm: warm.to_vec(),
        })
    }

    /// The script's `Finished time` and `Per-CPU stats` lines.
    fn text(&self) -> String {
        let mut out = format!("Finished time {}\n\nPer-CPU stats\n", self.end_time);
        for (cpu, (busy, warm)) in self
            .utilization
            .iter()
            .zip(&self.warm_utilization)
            .enumerate()
        {
            out.push_str(&format!(
                "  CPU {cpu}  utilization {busy:3.2} [ warm {warm:3.2} ]\n"
            ));
        }
        out
    }
}
