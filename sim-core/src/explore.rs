//! `procsim explore` (docs/explore.md): every outcome a scenario can have over its choice
//! points — the order of threads that become ready at one instant, a fork's child before its
//! parent, the order in which idle CPUs pick, and (bounded by `--preemptions`) a forced switch
//! of a running thread at a switch point — with how many schedules reach each and one witness
//! schedule that `procsim run --schedule` replays.
//!
//! The search is a depth-first walk of the tree of choices, one full run per leaf: a run
//! replays a schedule's prefix and takes the documented alternative (0) at every later choice
//! point, recording how many alternatives each point had; the next schedule changes the last
//! choice that has an alternative left. Every schedule is a distinct sequence of choices (a
//! shuffle is drawn as Fisher–Yates, one choice per position), so each is run once. The
//! reduction is in the engine: a forced switch is offered only after a visible step
//! (`engine::choices`). `--sample` runs random schedules instead.

use crate::engine::{ChoiceMade, ChoiceStory, Simulator};
use crate::report::RunReport;
use crate::scenario::{DEFAULT_PREEMPTIONS, Schedule};
use crate::{RunError, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;

/// The default bound on the number of runs.
pub const DEFAULT_MAX_RUNS: u64 = 100_000;

/// How to explore: the bounds, and whether to sample instead of walking every schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExploreOptions {
    pub max_runs: u64,
    /// Each run's event limit.
    pub max_events: usize,
    /// The forced switches a run may make.
    pub preemptions: u32,
    /// Random schedules instead of every one.
    pub sample: Option<Sample>,
}

impl Default for ExploreOptions {
    fn default() -> ExploreOptions {
        ExploreOptions {
            max_runs: DEFAULT_MAX_RUNS,
            max_events: crate::DEFAULT_MAX_EVENTS,
            preemptions: DEFAULT_PREEMPTIONS,
            sample: None,
        }
    }
}

/// `--sample N --seed S`: N schedules, each choice drawn from S.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub runs: u64,
    pub seed: u64,
}

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
    /// The output as (who printed it, the text), for grading (`accept: any_outcome`).
    #[serde(skip)]
    pub lines: Vec<(String, String)>,
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
            lines: report
                .output
                .iter()
                .map(|line| (line.name.clone(), line.text.clone()))
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
    /// Whether every schedule was run (false: `max_runs` stopped the search first, or the
    /// schedules were sampled).
    pub complete: bool,
    /// The forced switches each run could make.
    pub preemptions: u32,
    /// The sample taken instead of every schedule, if one was.
    pub sample: Option<Sample>,
}

impl Exploration {
    /// ` --preemptions K` when a replay needs it (K is not the default).
    fn preemptions_flag(&self) -> String {
        if self.preemptions == DEFAULT_PREEMPTIONS {
            String::new()
        } else {
            format!(" --preemptions {}", self.preemptions)
        }
    }

    /// For a terminal: each outcome with its schedules and witness, and under it the
    /// witness's choices in words when `explained` has them (one entry per outcome).
    pub fn text(&self, scenario: &str, max_runs: u64, explained: &[Vec<String>]) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let outcomes = format!(
            "{} outcome{}",
            self.outcomes.len(),
            crate::text::plural_s(self.outcomes.len())
        );
        let runs = format!(
            "{} run{}",
            self.runs,
            crate::text::plural_s(self.runs as usize)
        );
        let switches = match self.preemptions {
            0 => "no forced switches".to_string(),
            1 => "at most 1 forced switch a run".to_string(),
            k => format!("at most {k} forced switches a run"),
        };
        let _ = match (self.sample, self.complete) {
            (Some(sample), _) => writeln!(
                out,
                "{scenario}: {outcomes} over {runs} sampled at random (seed {}; {switches}) — others may exist",
                sample.seed
            ),
            (None, true) => writeln!(
                out,
                "{scenario}: {outcomes} over {runs} (every schedule of its choice points, {switches})"
            ),
            (None, false) => writeln!(
                out,
                "{scenario}: {outcomes} over {runs} ({switches}) — stopped at --max-runs {max_runs}: \
                 more schedules remain, and outcomes may be missing; raise --max-runs, or sample \
                 random schedules with --sample N --seed S"
            ),
        };
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
                } + &self.preemptions_flag()
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
            let _ = writeln!(
                out,
                "  exit codes: {}",
                if codes.is_empty() {
                    "none (nothing exited)".to_string()
                } else {
                    codes.join(", ")
                }
            );
            if let Some(lines) = explained.get(number) {
                let _ = writeln!(out, "  how:");
                for line in lines {
                    let _ = writeln!(out, "    {line}");
                }
            }
        }
        out
    }
}

/// Runs `scenario` under every schedule of its choice points (or `options.sample`'s random
/// ones), up to `options.max_runs` runs.
pub fn explore(scenario: &Scenario, options: ExploreOptions) -> Result<Exploration, RunError> {
    explore_with_progress(scenario, options, &mut |_| {})
}

/// How far an exploration has gone: told after each run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExploreProgress {
    /// Runs made so far.
    pub runs: u64,
    /// The most runs it will make (the search may end sooner, having tried every schedule).
    pub limit: u64,
    /// Distinct outcomes found so far.
    pub outcomes: usize,
}

/// [`explore`], telling `progress` after each run (for a progress bar; the result is the same).
pub fn explore_with_progress(
    scenario: &Scenario,
    options: ExploreOptions,
    progress: &mut dyn FnMut(ExploreProgress),
) -> Result<Exploration, RunError> {
    let mut found: Vec<OutcomeCount> = Vec::new();
    let mut index: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut schedule: Vec<usize> = Vec::new();
    let mut runs = 0;
    let complete = loop {
        let limit = options
            .sample
            .map_or(options.max_runs, |sample| sample.runs.min(options.max_runs));
        if runs == limit {
            break false;
        }
        let mut run = scenario.clone();
        run.schedule = Some(Schedule {
            choices: schedule.clone().into(),
            preemptions: options.preemptions,
            draw_seed: options.sample.map(|sample| sample_seed(sample.seed, runs)),
            explained: false,
        });
        let mut simulator = Simulator::new(run);
        simulator.run_to_end(options.max_events)?;
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
        progress(ExploreProgress {
            runs,
            limit,
            outcomes: found.len(),
        });
        if options.sample.is_some() {
            continue;
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
        preemptions: options.preemptions,
        sample: options.sample,
    })
}

/// Replays `schedule` and puts its choices into words (`explain_choices`).
pub fn explain_schedule(
    scenario: &Scenario,
    schedule: Schedule,
    max_events: usize,
) -> Result<Vec<String>, RunError> {
    let mut run = scenario.clone();
    run.schedule = Some(schedule);
    let mut simulator = Simulator::new(run);
    simulator.run_to_end(max_events)?;
    Ok(explain_choices(&simulator))
}

/// The seed of the `run`th sampled schedule: one stream per run, all from the user's seed.
fn sample_seed(seed: u64, run: u64) -> u64 {
    use crate::random::{SPLITMIX_GAMMA, splitmix_finish};
    splitmix_finish(seed ^ run.wrapping_add(1).wrapping_mul(SPLITMIX_GAMMA))
}

/// A run's choices that were not the documented ones, in words ("t=3: B, A entered the ready
/// queue in that order (documented: A, B)"), then how many others were documented.
pub fn explain_choices(simulator: &Simulator) -> Vec<String> {
    let name = |pid: crate::Pid| {
        simulator
            .pcbs()
            .get(pid.index())
            .map_or_else(|| pid.to_string(), |pcb| pcb.name.clone())
    };
    let names = |pids: &[crate::Pid]| {
        pids.iter()
            .map(|&pid| name(pid))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cpus = |cpus: &[usize]| {
        cpus.iter()
            .map(|cpu| format!("cpu{cpu}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let made = simulator.choices_made();
    let mut lines = Vec::new();
    for ChoiceMade { at, story, .. } in made {
        let line = match story {
            ChoiceStory::ReadyOrder { documented, taken } if documented != taken => format!(
                "t={at}: {} entered the ready queue in that order (documented: {})",
                names(taken),
                names(documented)
            ),
            ChoiceStory::CpuOrder { documented, taken } if documented != taken => format!(
                "t={at}: the idle CPUs picked in the order {} (documented: {})",
                cpus(taken),
                cpus(documented)
            ),
            ChoiceStory::ChildFirst {
                parent,
                child,
                child_first: true,
            } => format!(
                "t={at}: {}'s child {} ran before it (documented: the parent goes on)",
                name(*parent),
                name(*child)
            ),
            ChoiceStory::Switch {
                pid,
                step,
                switched: true,
            } => format!(
                "t={at}: {} was switched out before its step {} ({}) for the others to run (documented: it goes on)",
                name(*pid),
                step + 1,
                simulator.program(*pid).get(*step).map_or_else(
                    || "its end".to_string(),
                    |s| { crate::snapshot::describe_step(s, simulator.scenario()) }
                )
            ),
            _ => continue,
        };
        lines.push(line);
    }
    let documented = made.len() - lines.len();
    if documented > 0 || lines.is_empty() {
        lines.push(format!(
            "{} other choice point{} took the documented alternative",
            documented,
            crate::text::plural_s(documented)
        ));
    }
    lines
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
