//! `procsim analyze` (matrix exercises) and `procsim graph` (resource-allocation graphs).

use crate::cli::{AnalyzeArgs, AnalyzeFormat, GraphArgs, GraphFormat};
use crate::commands::{
    EXIT_BAD_SCENARIO, Failure, checked_against_expected, load_exercise, load_scenario, origin_of,
    to_json,
};
use sim_core::matrix;
use sim_core::{Simulator, Tick};

pub fn analyze(args: AnalyzeArgs) -> Result<String, Failure> {
    let exercise = load_exercise(&args.file)?;
    let Some(matrix) = exercise.matrix() else {
        let origin = origin_of(&args.file);
        return Err(Failure::new(
            format!(
                "error: {origin}: a scenario to simulate, not a matrix exercise: use `procsim run {origin}` (and `procsim graph` for its resource-allocation graph)"
            ),
            EXIT_BAD_SCENARIO,
        ));
    };
    let out = match args.format {
        AnalyzeFormat::Text => matrix::explain(matrix),
        AnalyzeFormat::Json => to_json(&matrix.analyze()),
    };
    // The file's own `expected:` answers are checked as `run` checks a scenario's: the
    // differences on stderr, exit status 4.
    let expected = sim_core::grading::check_expected(&exercise, sim_core::DEFAULT_MAX_EVENTS)
        .map_err(crate::commands::limit_failure(&args.file))?;
    checked_against_expected(&args.file, out, expected.as_ref(), false)
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
