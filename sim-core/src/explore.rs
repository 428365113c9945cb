//! `procsim explore` (docs/explore.md): every outcome a scenario can have over the choice
//! points of `same_instant: shuffled` — the order of threads that become ready at one instant,
//! a fork's child before its parent, the order in which idle CPUs pick — with how many
//! schedules reach each and one witness schedule that `procsim run --schedule` replays.
//!
//! The search is a depth-first walk of the tree of choices, one full run per leaf: a run
//! replays a schedule's prefix and takes the documented alternative (0) at every later choice
//! point, recording how many alternatives each point had; the next schedule changes the last
//! choice that has an alternative left. Every schedule is a distinct sequence of choices (a
//! shuffle is drawn as Fisher–Yates, one choice per position), so each is run once; no
//! reduction merges schedules that cannot differ.

use crate::engine::Simulator;
use crate::report::RunReport;
use crate::{RunError, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The default bound on the number of runs.
pub const DEFAULT_MAX_RUNS: u64 = 100_000;

/// What a run ends with: what it printed, the variables' last values, who deadlocked or was
/// left stuck, and each process's exit status.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Outcome {
    /// `name: text`, in the order the lines were printed.
    pub output: Vec<String>,
    pub variables: BTreeMap<String, i64>,
    /// The processes in a deadlock when the run ended.
    pub deadlocked: Vec<String>,
    /// The processes that never exited (deadlocked, or waiting for what never comes).
    pub stuck: Vec<String>,
    /// Each process that exited, by name, with its status.
    pub exit_codes: BTreeMap<String, i32>,
}

impl Outcome {
    fn of(report: &RunReport) -> Outcome {
        let deadlocked: Vec<String> = {
            let mut names: Vec<String> = report
                .deadlocks
                .iter()
                .flat_map(|d| d.processes.iter().cloned())
                .collect();
            names.sort();
            names.dedup();
            names
        };
        Outcome {
            output: report
                .output
                .iter()
                .map(|line| format!("{}: {}", line.name, line.text))
                .collect(),
            variables: report.variables.clone(),
            deadlocked,
            stuck: report.stuck.clone(),
            exit_codes: report
                .processes
                .iter()
                .filter_map(|p| p.exit_code.map(|code| (p.name.clone(), code)))
                .collect(),
        }
    }
}

/// One outcome, with how many schedules reach it and the first that did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutcomeCount {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub schedules: u64,
    /// The choices of a schedule that reaches it, for `procsim run --schedule`.
    pub witness: Vec<usize>,
}

/// Every outcome found, most schedules first (then in the order found).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exploration {
    pub outcomes: Vec<OutcomeCount>,
    pub runs: u64,
    /// Whether every schedule was run (false: `max_runs` stopped the search first).
    pub complete: bool,
}

impl Exploration {
    /// For a terminal: each outcome with its schedules and witness.
    pub fn text(&self, scenario: &str, max_runs: u64) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{scenario}: {} outcome{} over {} run{}{}",
            self.outcomes.len(),
            crate::text::plural_s(self.outcomes.len()),
            self.runs,
            crate::text::plural_s(self.runs as usize),
            if self.complete {
                " (every schedule of its choice points)".to_string()
            } else {
                format!(
                    " — stopped at --max-runs {max_runs}: more schedules remain, and outcomes may be missing"
                )
            }
        );
        for (number, found) in self.outcomes.iter().enumerate() {
            let outcome = &found.outcome;
            let _ = writeln!(
                out,
                "\nOutcome {} — {} schedule{}; replay: --schedule {}",
                number + 1,
                found.schedules,
                crate::text::plural_s(found.schedules as usize),
                if found.witness.is_empty() {
                    "\"\" (the documented order)".to_string()
                } else {
                    schedule_text(&found.witness)
                }
            );
            if !outcome.output.is_empty() {
                let _ = writeln!(out, "  output:");
                for line in &outcome.output {
                    let _ = writeln!(out, "    {line}");
                }
            }
            if !outcome.variables.is_empty() {
                let values: Vec<String> = outcome
                    .variables
                    .iter()
                    .map(|(name, value)| format!("{name} = {value}"))
                    .collect();
                let _ = writeln!(out, "  variables: {}", values.join(", "));
            }
            if !outcome.deadlocked.is_empty() {
                let _ = writeln!(out, "  deadlocked: {}", outcome.deadlocked.join(", "));
            }
            if !outcome.stuck.is_empty() {
                let _ = writeln!(out, "  stuck: {}", outcome.stuck.join(", "));
            }
            let codes: Vec<String> = outcome
                .exit_codes
                .iter()
                .map(|(name, code)| format!("{name} {code}"))
                .collect();
            let _ = writeln!(out, "  exit codes: {}", codes.join(", "));
        }
        out
    }
}

/// Runs `scenario` under every schedule of its choice points, up to `max_runs` runs, each
/// bounded by `max_events` events.
pub fn explore(
    scenario: &Scenario,
    max_runs: u64,
    max_events: usize,
) -> Result<Exploration, RunError> {
    let mut found: Vec<OutcomeCount> = Vec::new();
    let mut index: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut schedule: Vec<usize> = Vec::new();
    let mut runs = 0;
    let complete = loop {
        if runs == max_runs {
            break false;
        }
        let mut run = scenario.clone();
        run.schedule = Some(Arc::from(schedule.clone()));
        let mut simulator = Simulator::new(run);
        simulator.run_to_end(max_events)?;
        runs += 1;
        let taken: Vec<(usize, usize)> = simulator.choices_taken().unwrap_or_default().to_vec();
        let outcome = Outcome::of(&RunReport::of(&simulator));
        match index.get(&outcome) {
            Some(&at) => found[at].schedules += 1,
            None => {
                index.insert(outcome.clone(), found.len());
                found.push(OutcomeCount {
                    outcome,
                    schedules: 1,
                    witness: shortest(&taken),
                });
            }
        }
        // The next schedule: the last choice with an alternative left takes the next one.
        let Some(last) = taken
            .iter()
            .rposition(|&(choice, count)| choice + 1 < count)
        else {
            break true;
        };
        schedule = taken[..last].iter().map(|&(choice, _)| choice).collect();
        schedule.push(taken[last].0 + 1);
    };
    // Most schedules first; the sort is stable, so ties keep the order they were found in.
    found.sort_by_key(|found| std::cmp::Reverse(found.schedules));
    Ok(Exploration {
        outcomes: found,
        runs,
        complete,
    })
}

/// The choices of a run, without the trailing documented ones (a schedule past its end takes
/// them anyway).
fn shortest(taken: &[(usize, usize)]) -> Vec<usize> {
    let end = taken
        .iter()
        .rposition(|&(choice, _)| choice != 0)
        .map_or(0, |last| last + 1);
    taken[..end].iter().map(|&(choice, _)| choice).collect()
}

/// A schedule as written on a command line: `0,2,1` (empty: every choice documented).
pub fn parse_schedule(text: &str) -> Result<Vec<usize>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|part| {
            part.trim().parse::<usize>().map_err(|_| {
                format!(
                    "expected choices as whole numbers separated by commas, as in 0,2,1; got `{}`",
                    part.trim()
                )
            })
        })
        .collect()
}

/// A schedule as `procsim run --schedule` takes it.
pub fn schedule_text(schedule: &[usize]) -> String {
    schedule
        .iter()
        .map(|choice| choice.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
