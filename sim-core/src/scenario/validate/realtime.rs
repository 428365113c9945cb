//! `tasks:`, `horizon:` and `on_miss:`: the task set, checked, and the jobs it releases.

use super::super::file::TaskFile;
use super::super::limits::MAX_TICKS;
use super::super::realtime::{self, OnMiss, RealTime, TaskSpec};
use super::{DEFAULT_TICKETS, ElementPath, RESERVED_NAMES, plain_text};
use crate::ids::Tick;
use crate::scenario::{LifecycleOptions, PolicyConfig, ProcessSpec, ScenarioError, Step};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Most jobs a task set may release before its horizon.
pub const MAX_JOBS: usize = 1_000_000;

/// The task set and its jobs' processes, or `None` without `tasks:`. `names` holds the other
/// processes' names; `first_job` is the index the first job's process will have.
pub(super) fn validate_tasks(
    tasks: Option<Vec<TaskFile>>,
    horizon: Option<u64>,
    on_miss: Option<String>,
    policy: &PolicyConfig,
    cpus: u64,
    names: &BTreeSet<String>,
    first_job: usize,
) -> Result<Option<(RealTime, Vec<ProcessSpec>)>, ScenarioError> {
    let Some(tasks) = tasks else {
        if let PolicyConfig::RealTime(rule) = policy {
            return Err(ScenarioError::invalid(
                "policy",
                format!(
                    "`{}` schedules the jobs of periodic tasks: give `tasks: [{{name, period, wcet}}, ...]`",
                    rule.name()
                ),
            ));
        }
        for (given, key) in [
            (horizon.is_some(), "horizon"),
            (on_miss.is_some(), "on_miss"),
        ] {
            if given {
                return Err(ScenarioError::invalid(
                    key,
                    format!("`{key}` belongs to a task set: give `tasks:` too"),
                ));
            }
        }
        return Ok(None);
    };
    if tasks.is_empty() {
        return Err(ScenarioError::invalid(
            "tasks",
            "expected at least one task, `{name: T1, period: 5, wcet: 2}`",
        ));
    }
    if cpus != 1 {
        return Err(ScenarioError::invalid(
            "cpus",
            format!(
                "periodic tasks run on one CPU (uniprocessor real-time scheduling); got {cpus} CPUs"
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut specs = Vec::with_capacity(tasks.len());
    for (index, task) in tasks.into_iter().enumerate() {
        let path = ElementPath {
            list: "tasks",
            index,
        };
        plain_text(&task.name, path.field("name"), false)?;
        if task.name.trim().is_empty() {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                "must not be empty",
            ));
        }
        if RESERVED_NAMES.contains(&task.name.as_str()) {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                format!("`{}` is reserved; choose another name", task.name),
            ));
        }
        if !seen.insert(task.name.clone()) {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                format!("duplicate task name `{}`", task.name),
            ));
        }
        let ticks = |value: u64, field: &str, least: u64| {
            if value < least || value > MAX_TICKS {
                Err(ScenarioError::invalid(
                    format!("{path}.{field}"),
                    format!("expected {least} to {MAX_TICKS} ticks, got {value}"),
                ))
            } else {
                Ok(value)
            }
        };
        let period = ticks(task.period, "period", 1)?;
        let wcet = ticks(task.wcet, "wcet", 1)?;
        let deadline = ticks(task.deadline.unwrap_or(period), "deadline", 1)?;
        let offset = ticks(task.offset.unwrap_or(0), "offset", 0)?;
        if wcet > period {
            return Err(ScenarioError::invalid(
                format!("{path}.wcet"),
                format!(
                    "task `{}` needs {wcet} ticks every {period}: its wcet must be at most its period",
                    task.name
                ),
            ));
        }
        if deadline > period {
            return Err(ScenarioError::invalid(
                format!("{path}.deadline"),
                format!(
                    "expected a deadline of at most the period ({period}), got {deadline} (constrained deadlines)"
                ),
            ));
        }
        specs.push(TaskSpec {
            name: task.name,
            period,
            wcet,
            deadline,
            offset,
        });
    }
    let horizon = match horizon {
        Some(horizon) => {
            if horizon == 0 || horizon > MAX_TICKS {
                return Err(ScenarioError::invalid(
                    "horizon",
                    format!("expected 1 to {MAX_TICKS} ticks, got {horizon}"),
                ));
            }
            horizon
        }
        None => {
            let last_offset = specs.iter().map(|task| task.offset).max().unwrap_or(0);
            realtime::hyperperiod(&specs, MAX_TICKS)
                .and_then(|hyperperiod| hyperperiod.checked_add(last_offset))
                .filter(|&horizon| horizon <= MAX_TICKS)
                .ok_or_else(|| {
                    ScenarioError::invalid(
                        "tasks",
                        format!(
                            "the hyperperiod (the least common multiple of the periods) is over {MAX_TICKS} ticks: give `horizon:`"
                        ),
                    )
                })?
        }
    };
    let on_miss = match on_miss.as_deref() {
        None => OnMiss::default(),
        Some(word) => OnMiss::WORDS
            .iter()
            .zip([OnMiss::Continue, OnMiss::Abort])
            .find(|(name, _)| **name == word)
            .map(|(_, on_miss)| on_miss)
            .ok_or_else(|| {
                ScenarioError::invalid(
                    "on_miss",
                    format!("expected `continue` or `abort`, got `{word}`"),
                )
            })?,
    };
    let jobs = realtime::jobs_of(&specs, Tick(horizon), MAX_JOBS).ok_or_else(|| {
        ScenarioError::invalid(
            "horizon",
            format!(
                "the tasks release more than {MAX_JOBS} jobs before the horizon ({horizon}); give a shorter `horizon:`"
            ),
        )
    })?;
    let programs: Vec<Arc<[Step]>> = specs
        .iter()
        .map(|task| Arc::from(vec![Step::Cpu { ticks: task.wcet }]))
        .collect();
    let mut processes = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let name = realtime::job_name(&specs[job.task].name, job.number);
        if names.contains(&name) {
            return Err(ScenarioError::invalid(
                format!("tasks[{}].name", job.task),
                format!(
                    "task `{}` names its jobs `{name}`, ..., but a process is named `{name}`",
                    specs[job.task].name
                ),
            ));
        }
        processes.push(ProcessSpec {
            name,
            arrival: job.release,
            priority: 0,
            tickets: DEFAULT_TICKETS,
            options: LifecycleOptions::default(),
            program: programs[job.task].clone(),
            max_claims: Vec::new(),
            affinity: Vec::new(),
            working_set: 0,
            nice: 0,
        });
    }
    Ok(Some((
        RealTime {
            tasks: specs,
            horizon: Tick(horizon),
            on_miss,
            jobs,
            first_job,
        },
        processes,
    )))
}
