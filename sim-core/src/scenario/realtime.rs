//! Real-time periodic tasks (`tasks:`): each task releases a job every period, from its offset
//! until the horizon; each job is a process of one CPU burst of the task's worst-case
//! execution time, due at its release plus the task's relative deadline (docs/realtime.md).

use crate::ids::{Pid, Tick};

/// One periodic task as the scenario gives it, in ticks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskSpec {
    pub name: String,
    /// Time between two releases.
    pub period: u64,
    /// Worst-case execution time: the CPU every job needs.
    pub wcet: u64,
    /// Relative deadline: a job is due this long after its release (default: the period).
    pub deadline: u64,
    /// The first release.
    pub offset: u64,
}

/// What happens to a job still unfinished at its deadline (`on_miss:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnMiss {
    /// It runs on to its end, late (the miss is counted).
    #[default]
    Continue,
    /// It is aborted at its deadline: its remaining work is dropped (a firm deadline).
    Abort,
}

impl OnMiss {
    pub const WORDS: [&'static str; 2] = ["continue", "abort"];

    pub fn word(self) -> &'static str {
        match self {
            OnMiss::Continue => "continue",
            OnMiss::Abort => "abort",
        }
    }
}

/// One job: the `number`-th release of task `task` (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobSpec {
    /// The task's index in [`RealTime::tasks`].
    pub task: usize,
    pub number: u64,
    pub release: Tick,
    /// The absolute deadline.
    pub deadline: Tick,
}

/// The task set of a scenario and the jobs it releases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RealTime {
    pub tasks: Vec<TaskSpec>,
    /// Jobs are released before this time (default: the last offset plus one hyperperiod).
    pub horizon: Tick,
    pub on_miss: OnMiss,
    /// Every job, by release, then task order; job `j` is the process at index
    /// `first_job + j` (pid `first_job + j + 2`).
    pub jobs: Vec<JobSpec>,
    pub first_job: usize,
}

impl RealTime {
    /// The job `pid` is, if it is one.
    pub fn job_of(&self, pid: Pid) -> Option<&JobSpec> {
        self.job_index(pid).map(|index| &self.jobs[index])
    }

    /// The index in [`RealTime::jobs`] of the job `pid` is, if it is one.
    pub fn job_index(&self, pid: Pid) -> Option<usize> {
        let index = pid.index().checked_sub(self.first_job)?;
        (index < self.jobs.len()).then_some(index)
    }

    /// The process of job `index`.
    pub fn pid_of_job(&self, index: usize) -> Pid {
        Pid((self.first_job + index + 2) as u32)
    }

    /// The task of `job`.
    pub fn task_of(&self, job: &JobSpec) -> &TaskSpec {
        &self.tasks[job.task]
    }
}

/// The name of a job's process: `T1#3` is task T1's third job.
pub fn job_name(task: &str, number: u64) -> String {
    format!("{task}#{number}")
}

/// The least common multiple of the periods, if it is at most `limit`.
pub fn hyperperiod(tasks: &[TaskSpec], limit: u64) -> Option<u64> {
    tasks.iter().try_fold(1u64, |lcm, task| {
        let next = (lcm / gcd(lcm, task.period)).checked_mul(task.period)?;
        (next <= limit).then_some(next)
    })
}

pub fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The jobs of `tasks` released before `horizon`, by release then task order; `None` when
/// there would be more than `limit`.
pub fn jobs_of(tasks: &[TaskSpec], horizon: Tick, limit: usize) -> Option<Vec<JobSpec>> {
    let mut count = 0u64;
    for task in tasks {
        if task.offset < horizon.0 {
            count += (horizon.0 - task.offset).div_ceil(task.period);
            if count > limit as u64 {
                return None;
            }
        }
    }
    let mut jobs = Vec::with_capacity(count as usize);
    for (index, task) in tasks.iter().enumerate() {
        let mut release = task.offset;
        let mut number = 1;
        while release < horizon.0 {
            jobs.push(JobSpec {
                task: index,
                number,
                release: Tick(release),
                deadline: Tick(release + task.deadline),
            });
            release += task.period;
            number += 1;
        }
    }
    jobs.sort_by_key(|job| (job.release, job.task));
    Some(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(name: &str, period: u64, wcet: u64) -> TaskSpec {
        TaskSpec {
            name: name.into(),
            period,
            wcet,
            deadline: period,
            offset: 0,
        }
    }

    #[test]
    fn the_hyperperiod_is_the_least_common_multiple() {
        assert_eq!(
            hyperperiod(&[task("a", 4, 1), task("b", 6, 1)], 100),
            Some(12)
        );
        assert_eq!(hyperperiod(&[task("a", 7, 1), task("b", 11, 1)], 50), None);
    }

    #[test]
    fn jobs_come_by_release_then_task_order() {
        let jobs = jobs_of(&[task("a", 4, 1), task("b", 6, 1)], Tick(12), 100).unwrap();
        let order: Vec<(u64, usize, u64)> = jobs
            .iter()
            .map(|job| (job.release.0, job.task, job.number))
            .collect();
        assert_eq!(
            order,
            [(0, 0, 1), (0, 1, 1), (4, 0, 2), (6, 1, 2), (8, 0, 3)]
        );
        assert_eq!(jobs[4].deadline, Tick(12));
        assert_eq!(jobs_of(&[task("a", 1, 1)], Tick(12), 11), None);
    }
}
