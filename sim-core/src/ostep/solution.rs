//! The answers a script prints with `-c`, computed by running the translated scenario through
//! the engine (never by a second implementation of the script), in the script's words as text
//! and as an object for JSON.

use serde::Serialize;

use super::OstepError;
use crate::engine::DEFAULT_MAX_EVENTS;
use crate::event::{Event, TimedEvent};
use crate::pcb::BlockReason;
use crate::report::{RunReport, run_streamed_without_chart};
use crate::{Scenario, Simulator};

/// What `procsim ostep NAME ARGS... -c` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Solution {
    Scheduler(SchedulerSolution),
    Mlfq(MlfqSolution),
    Lottery(LotterySolution),
    ProcessRun(ProcessRunSolution),
}

impl Solution {
    /// The script's own `-c` lines (its final statistics), word for word.
    pub fn text(&self) -> String {
        match self {
            Solution::Scheduler(solution) => solution.text(),
            Solution::Mlfq(solution) => solution.text(),
            Solution::Lottery(solution) => solution.text(),
            Solution::ProcessRun(solution) => solution.text(),
        }
    }
}

/// Runs a translation to its end: the report the answers are read from.
pub(crate) fn run_translation(yaml: &str) -> Result<RunReport, OstepError> {
    let scenario = Scenario::from_yaml(yaml)
        .map_err(|error| OstepError(format!("the translation does not load: {error}")))?;
    run_streamed_without_chart(&scenario, DEFAULT_MAX_EVENTS)
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
        let done = report
            .processes
            .iter()
            .enumerate()
            .map(|(job, row)| finished(row.completion, job))
            .collect::<Result<_, _>>()?;
        Ok(LotterySolution { done })
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
        let finish = report
            .processes
            .iter()
            .enumerate()
            .map(|(job, row)| finished(row.completion, job))
            .collect::<Result<_, _>>()?;
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
