//! `procsim analyze` (matrix exercises and task sets) and `procsim graph` (resource-allocation
//! graphs).

use crate::cli::{AnalyzeArgs, AnalyzeFormat, GraphArgs, GraphFormat};
use crate::commands::{
    EXIT_BAD_SCENARIO, EXIT_LIMIT, EXIT_USAGE, Failure, checked_against_expected, load_exercise,
    load_scenario, origin_of, to_json,
};
use sim_core::matrix;
use sim_core::scenario::{PolicyConfig, RealTimeRule};
use sim_core::schedulability;
use sim_core::{Scenario, Simulator, Tick};

pub fn analyze(args: AnalyzeArgs) -> Result<String, Failure> {
    let exercise = load_exercise(&args.file)?;
    let out = match (exercise.matrix(), exercise.scenario()) {
        (Some(matrix), _) => {
            if args.policy.is_some() {
                return Err(Failure::new(
                    format!(
                        "error: {}: --policy analyzes a task set (`tasks:`); this is a matrix exercise",
                        origin_of(&args.file)
                    ),
                    EXIT_USAGE,
                ));
            }
            match args.format {
                AnalyzeFormat::Text => matrix::explain(matrix),
                AnalyzeFormat::Json => to_json(&matrix.analyze()),
            }
        }
        (None, Some(scenario)) => task_set_analysis(&args, scenario)?,
        (None, None) => unreachable!("an exercise is a scenario or a matrix"),
    };
    // The file's own `expected:` answers are checked as `run` checks a scenario's: the
    // differences on stderr, exit status 4.
    let expected = sim_core::grading::check_expected(&exercise, sim_core::DEFAULT_MAX_EVENTS)
        .map_err(crate::commands::limit_failure(&args.file))?;
    checked_against_expected(&args.file, out, expected.as_ref(), false)
}

/// The schedulability analysis of a scenario's task set, under its policy or `--policy`.
fn task_set_analysis(args: &AnalyzeArgs, scenario: &Scenario) -> Result<String, Failure> {
    let origin = origin_of(&args.file);
    let Some(realtime) = &scenario.realtime else {
        return Err(Failure::new(
            format!(
                "error: {origin}: a scenario to simulate, not a matrix exercise: use `procsim run {origin}` (and `procsim graph` for its resource-allocation graph); `procsim analyze` takes a matrix exercise or a task set (`tasks:`)"
            ),
            EXIT_BAD_SCENARIO,
        ));
    };
    let rule = match (&args.policy, &scenario.policy) {
        (Some(word), _) => RealTimeRule::ALL
            .into_iter()
            .find(|rule| rule.name() == word)
            .ok_or_else(|| {
                Failure::new(
                    format!("error: --policy: expected edf, rm, dm or llf, got `{word}`"),
                    EXIT_USAGE,
                )
            })?,
        (None, PolicyConfig::RealTime(rule)) => *rule,
        (None, other) => {
            return Err(Failure::new(
                format!(
                    "error: {origin}: the policy is {}; give --policy edf, rm, dm or llf to analyze the task set",
                    other.kind()
                ),
                EXIT_USAGE,
            ));
        }
    };
    let analysis = schedulability::analyze(realtime, rule, args.max_steps)
        .map_err(|too_long| Failure::new(format!("error: {origin}: {too_long}"), EXIT_LIMIT))?;
    Ok(match args.format {
        AnalyzeFormat::Text => schedulability::explain(&analysis),
        AnalyzeFormat::Json => to_json(&analysis),
    })
}

pub fn graph(args: GraphArgs) -> Result<String, Failure> {
    let scenario = load_scenario(&args.scenario)?;
    let mut simulator = Simulator::new(scenario);
    simulator
        .advance_to(Tick(args.at), args.max_events)
        .map_err(crate::commands::limit_failure(&args.scenario))?;
    Ok(match args.format {
        GraphFormat::Dot => sim_core::deadlock::dot(&simulator.allocation_graph()),
    })
}
