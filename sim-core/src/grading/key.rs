//! The answer key of a scenario: its run, the questions its rubric asks, and the key's own
//! answer to each, ready to grade any number of answers without running again.

use crate::answer::{Answer, AveragesAnswer, GanttAnswer, ProcessAnswer, format_gantt, run_gantt};
use crate::engine::{RunError, Simulator};
use crate::exercise::Exercise;
use crate::ids::{Pid, Tick};
use crate::report::{ProcessRow, RunReport};
use crate::roster::Roster;
use crate::rubric::{QuestionKind, Rubric};
use crate::scenario::{PolicyConfig, Scenario};
use crate::schedulability::Analysis;
use crate::snapshot::Snapshot;
use std::collections::BTreeMap;

/// Everything needed to grade answers to one scenario.
#[derive(Clone, Debug)]
pub struct AnswerKey {
    pub scenario: Scenario,
    pub rubric: Rubric,
    pub report: RunReport,
    /// The policy's rules in words (for worked solutions).
    pub policy_rules: Vec<String>,
    roster: Roster,
    /// The label of each process (its name, or `name(pid)` when names repeat), in pid order.
    labels: Vec<String>,
    /// The state of the run at each time asked about.
    snapshots: BTreeMap<u64, Snapshot>,
    /// Under `accept: any_outcome`: every outcome `procsim explore` finds.
    pub outcomes: Option<AcceptedOutcomes>,
    /// A task set under a real-time policy: its schedulability analysis.
    pub schedulability: Option<Analysis>,
}

/// The outcomes an `accept: any_outcome` rubric accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedOutcomes {
    pub outcomes: Vec<crate::explore::OutcomeCount>,
    /// Whether they are all of them (the search was not cut at its run limit).
    pub complete: bool,
}

impl AnswerKey {
    /// Runs `scenario` to the end, and to each of `times` (the times its questions ask about,
    /// see `Exercise::key_times`).
    pub fn new(
        scenario: Scenario,
        rubric: Rubric,
        times: &[u64],
        max_events: usize,
    ) -> Result<AnswerKey, RunError> {
        let mut simulator = Simulator::new(scenario.clone());
        simulator.run_to_end(max_events)?;
        let report = RunReport::of(&simulator);
        let policy_rules = simulator.policy_rules();
        let roster = simulator.roster().clone();
        let labels = roster.iter().map(|entry| roster.label(entry.pid)).collect();
        let times = times.to_vec();
        let mut snapshots = BTreeMap::new();
        let mut replay = Simulator::new(scenario.clone());
        let mut sorted = times;
        sorted.sort_unstable();
        for time in sorted {
            replay.advance_to(Tick(time), max_events)?;
            snapshots.insert(time, replay.snapshot());
        }
        let asks_outcome = rubric.points_of(QuestionKind::Output).is_some()
            || rubric.points_of(QuestionKind::Variables).is_some();
        let outcomes = if rubric.accept == crate::rubric::Accept::AnyOutcome && asks_outcome {
            let options = crate::explore::ExploreOptions {
                max_events,
                ..crate::explore::ExploreOptions::default()
            };
            let explored = crate::explore::explore(&scenario, options)?;
            Some(AcceptedOutcomes {
                outcomes: explored.outcomes,
                complete: explored.complete,
            })
        } else {
            None
        };
        let schedulability = match (&scenario.realtime, &scenario.policy) {
            // An analysis past its step limit asks nothing rather than stop the grading.
            (Some(realtime), PolicyConfig::RealTime(rule)) => crate::schedulability::analyze(
                realtime,
                *rule,
                crate::schedulability::MAX_ANALYSIS_STEPS,
            )
            .ok(),
            _ => None,
        };
        Ok(AnswerKey {
            scenario,
            rubric,
            report,
            policy_rules,
            roster,
            labels,
            snapshots,
            outcomes,
            schedulability,
        })
    }

    /// The key of a scenario exercise, with its rubric, at the times its questions ask about;
    /// `None` for a matrix exercise (see `grading::matrix`).
    pub fn of_exercise(
        exercise: &Exercise,
        max_events: usize,
    ) -> Option<Result<AnswerKey, RunError>> {
        let scenario = exercise.scenario()?.clone();
        Some(AnswerKey::new(
            scenario,
            exercise.rubric.clone(),
            &exercise.key_times(),
            max_events,
        ))
    }

    /// The processes in pid order, with their labels (threads are not processes).
    pub fn processes(&self) -> impl Iterator<Item = (&str, &ProcessRow)> {
        self.report
            .processes
            .iter()
            .map(|row| (self.labels[Pid(row.pid).index()].as_str(), row))
    }

    /// The label of `pid` (`init` for pid 1).
    pub fn label(&self, pid: Pid) -> String {
        if pid == Pid::INIT {
            "init".into()
        } else {
            self.labels
                .get(pid.index())
                .cloned()
                .unwrap_or_else(|| pid.to_string())
        }
    }

    /// The row of the process an answer calls `name` (its label, or its name when unique).
    pub fn row_named(&self, name: &str) -> Option<&ProcessRow> {
        self.processes()
            .find(|(label, _)| *label == name)
            .map(|(_, row)| row)
    }

    /// Whether the run had a process or thread labelled `name`.
    pub fn knows(&self, name: &str) -> bool {
        self.labels.iter().any(|label| label == name)
    }

    /// The snapshots of the times asked about.
    pub fn snapshots(&self) -> &BTreeMap<u64, Snapshot> {
        &self.snapshots
    }

    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// Whether questions of `kind` are asked.
    pub fn asks(&self, kind: QuestionKind) -> bool {
        self.rubric.points_of(kind).is_some()
    }

    /// The key in the answer format: every question asked, with the run's answer.
    pub fn answer(&self) -> Answer {
        let mut answer = Answer::default();
        let asks = |kind| self.asks(kind);
        let lifecycle = |kind| asks(kind).then_some(());
        for (label, row) in self.processes() {
            let process = ProcessAnswer {
                first_run: asks(QuestionKind::FirstRun)
                    .then_some(row.first_run)
                    .flatten(),
                completion: asks(QuestionKind::Completion)
                    .then_some(row.completion)
                    .flatten(),
                turnaround: asks(QuestionKind::Turnaround)
                    .then_some(row.turnaround)
                    .flatten(),
                waiting: asks(QuestionKind::Waiting).then_some(row.waiting),
                response: asks(QuestionKind::Response)
                    .then_some(row.response)
                    .flatten(),
                pid: lifecycle(QuestionKind::Pid).map(|_| row.pid),
                parent: lifecycle(QuestionKind::Parent).map(|_| self.label(Pid(row.ppid))),
                exit_code: lifecycle(QuestionKind::ExitCode).and(row.exit_code),
                exited_at: lifecycle(QuestionKind::ExitedAt).and(row.exited_at),
                reaped_at: lifecycle(QuestionKind::ReapedAt).and(row.reaped_at),
                reaped_by: lifecycle(QuestionKind::ReapedBy)
                    .and(row.reaped_by)
                    .map(|pid| self.label(Pid(pid))),
                vruntime: asks(QuestionKind::Vruntime)
                    .then(|| vruntime_of(row))
                    .flatten(),
            };
            if process != ProcessAnswer::default() {
                answer.processes.insert(label.to_string(), process);
            }
        }
        if asks(QuestionKind::Averages) {
            let averages = &self.report.averages;
            answer.averages = Some(AveragesAnswer {
                turnaround: averages.turnaround.map(round),
                waiting: averages.waiting.map(round),
                response: averages.response.map(round),
            });
        }
        if asks(QuestionKind::Gantt) {
            let chart = |cpu: usize| format_gantt(&run_gantt(&self.report.gantt, cpu));
            answer.gantt = Some(if self.scenario.cpus == 1 {
                GanttAnswer::Single(chart(0))
            } else {
                GanttAnswer::PerCpu(
                    (0..self.scenario.cpus)
                        .map(|cpu| (format!("cpu{cpu}"), chart(cpu)))
                        .collect(),
                )
            });
        }
        if asks(QuestionKind::Order) {
            answer.order = Some(self.completion_order().into_iter().flatten().collect());
        }
        if asks(QuestionKind::Output) {
            answer.output = Some(self.report.output.iter().map(|l| l.text.clone()).collect());
        }
        if asks(QuestionKind::Variables) {
            answer.variables = self.report.variables.clone();
        }
        if asks(QuestionKind::Deadlocked) {
            answer.deadlocked = Some(
                crate::answer::deadlocked_names(&self.report)
                    .into_iter()
                    .map(String::from)
                    .collect(),
            );
        }
        if asks(QuestionKind::Missed) && self.scenario.realtime.is_some() {
            answer.missed = Some(self.missed_jobs());
        }
        if let Some(analysis) = &self.schedulability {
            if asks(QuestionKind::Schedulable) {
                answer.schedulable = Some(analysis.schedulable);
            }
            if asks(QuestionKind::Utilization) {
                answer.utilization = Some(utilization_shown(analysis));
            }
            if asks(QuestionKind::ResponseTime) {
                answer.response_time = response_times(analysis);
            }
        }
        for (&time, snapshot) in &self.snapshots {
            if asks(QuestionKind::StatesAt) {
                answer.states_at.insert(
                    time,
                    snapshot
                        .processes
                        .iter()
                        .map(|p| (self.label(p.pid), p.state.label().to_string()))
                        .collect(),
                );
            }
            if asks(QuestionKind::ZombiesAt) {
                answer.zombies_at.insert(time, zombies(self, snapshot));
            }
            if asks(QuestionKind::TreeAt) {
                answer.tree_at.insert(
                    time,
                    snapshot
                        .processes
                        .iter()
                        .filter(|p| p.state.stat().is_some() && p.thread.is_none())
                        .map(|p| (self.label(p.pid), self.label(p.ppid)))
                        .collect(),
                );
            }
        }
        answer
    }

    /// The jobs that missed their deadline, by name (`T2#1`), in release order.
    pub fn missed_jobs(&self) -> Vec<String> {
        self.report
            .jobs
            .iter()
            .filter(|job| job.missed)
            .map(|job| crate::scenario::realtime::job_name(&job.task, job.job))
            .collect()
    }

    /// Labels in completion order, grouped: processes that complete at the same time form one
    /// group, in which any order is right.
    pub fn completion_order(&self) -> Vec<Vec<String>> {
        let mut finished: Vec<(u64, u32, &str)> = self
            .processes()
            .filter_map(|(label, row)| Some((row.completion?, row.pid, label)))
            .collect();
        finished.sort_unstable();
        let mut groups: Vec<(u64, Vec<String>)> = Vec::new();
        for (time, _, label) in finished {
            match groups.last_mut() {
                Some((at, group)) if *at == time => group.push(label.to_string()),
                _ => groups.push((time, vec![label.to_string()])),
            }
        }
        groups.into_iter().map(|(_, group)| group).collect()
    }
}

/// The zombies of a snapshot, by label, sorted.
pub(crate) fn zombies(key: &AnswerKey, snapshot: &Snapshot) -> Vec<String> {
    let mut zombies: Vec<String> = snapshot
        .processes
        .iter()
        .filter(|p| p.state == crate::pcb::ProcState::Zombie)
        .map(|p| key.label(p.pid))
        .collect();
    zombies.sort();
    zombies
}

/// Averages to two decimals, as students write them.
/// A row's final vruntime to three decimals, as reports show it; `None` under a policy
/// without one.
pub(crate) fn vruntime_of(row: &crate::report::ProcessRow) -> Option<f64> {
    let value = row.sched.get("vruntime")?.as_f64();
    Some((value * 1000.0).round() / 1000.0)
}

/// The utilisation to three decimals, as the key gives it.
pub(crate) fn utilization_shown(analysis: &Analysis) -> f64 {
    (analysis.utilization * 1000.0).round() / 1000.0
}

/// Each task's response time by the analysis, or `miss`.
pub(crate) fn response_times(
    analysis: &Analysis,
) -> BTreeMap<String, crate::answer::ResponseTimeAnswer> {
    use crate::answer::ResponseTimeAnswer;
    analysis
        .response_times
        .iter()
        .map(|task| {
            (
                task.task.clone(),
                task.response.map_or_else(
                    || ResponseTimeAnswer::Word("miss".into()),
                    ResponseTimeAnswer::Ticks,
                ),
            )
        })
        .collect()
}

pub(crate) fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
