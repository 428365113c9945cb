//! `procsim analyze` (matrix exercises) and `procsim graph` (resource-allocation graphs).

use crate::cli::{AnalyzeArgs, AnalyzeFormat, GraphArgs, GraphFormat};
use crate::commands::{EXIT_LIMIT, Failure, load_scenario, load_with, to_json};
use sim_core::matrix::{self, Matrix};
use sim_core::{Simulator, Tick};

pub fn analyze(args: AnalyzeArgs) -> Result<String, Failure> {
    let matrix = load_with(&args.file, Matrix::from_yaml)?;
    Ok(match args.format {
        AnalyzeFormat::Text => matrix::explain(&matrix),
        AnalyzeFormat::Json => to_json(&matrix.analyze()),
    })
}

pub fn graph(args: GraphArgs) -> Result<String, Failure> {
    let scenario = load_scenario(&args.scenario)?;
    let mut simulator = Simulator::new(scenario);
    simulator
        .advance_to(Tick(args.at), args.max_events)
        .map_err(|error| {
            Failure::new(
                format!("error: {}: {error}", args.scenario.display()),
                EXIT_LIMIT,
            )
        })?;
    Ok(match args.format {
        GraphFormat::Dot => sim_core::deadlock::dot(&simulator.allocation_graph()),
    })
}
