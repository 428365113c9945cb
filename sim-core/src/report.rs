//! The report of a finished run: the JSON contract of `procsim run --format json`.

use crate::engine::Simulator;
use crate::gantt::{self, GanttSlice};
use crate::ids::Tick;
use crate::metrics::{self, Averages, Metrics};
use serde::Serialize;

/// Everything `procsim run` reports. Field names are a contract (docs/scenario-format.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    pub scenario: String,
    pub policy: String,
    pub cpus: usize,
    pub processes: Vec<ProcessRow>,
    pub averages: Averages,
    pub gantt: Vec<GanttSlice>,
    pub makespan: u64,
    pub cpu_utilization: f64,
    pub throughput: f64,
    pub context_switches: u64,
}

/// One process in the report, in scenario order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcessRow {
    pub name: String,
    pub pid: u32,
    pub arrival: u64,
    pub first_run: Option<u64>,
    pub completion: Option<u64>,
    pub turnaround: Option<u64>,
    pub waiting: u64,
    pub response: Option<u64>,
    pub cpu_time: u64,
    /// The final queue level (multilevel policies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
}

impl RunReport {
    /// The report of `simulator` as it stands (normally after `run_to_end`).
    pub fn of(simulator: &Simulator) -> RunReport {
        let scenario = simulator.scenario();
        let log = simulator.log();
        let multilevel = scenario.policy.is_multilevel();
        let Metrics {
            processes,
            averages,
            makespan,
            cpu_utilization,
            throughput,
            context_switches,
        } = metrics::derive(scenario, log);
        RunReport {
            scenario: scenario.name.clone(),
            policy: scenario.policy.describe(),
            cpus: scenario.cpus,
            processes: processes
                .into_iter()
                .map(|row| ProcessRow {
                    name: row.name,
                    pid: row.pid.0,
                    arrival: row.arrival.0,
                    first_run: row.first_run.map(|t| t.0),
                    completion: row.completion.map(|t| t.0),
                    turnaround: row.turnaround,
                    waiting: row.waiting,
                    response: row.response,
                    cpu_time: row.cpu_time,
                    level: multilevel.then_some(row.level),
                })
                .collect(),
            averages,
            gantt: gantt::derive(scenario, log, Tick(makespan)),
            makespan,
            cpu_utilization,
            throughput,
            context_switches,
        }
    }
}
