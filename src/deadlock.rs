//! `procsim analyze` (matrix exercises) and `procsim graph` (resource-allocation graphs).

use crate::cli::{AnalyzeArgs, AnalyzeFormat, GraphArgs, GraphFormat};
use crate::commands::{EXIT_BAD_SCENARIO, EXIT_LIMIT, Failure, load_scenario};
use sim_core::matrix::{self, Matrix};
use sim_core::{Simulator, Tick};

pub fn analyze(args: AnalyzeArgs) -> Result<String, Failure> {
    let origin = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).map_err(|error| Failure {
        message: format!("error: cannot read {origin}: {error}"),
        code: EXIT_BAD_SCENARIO,
    })?;
    let matrix = Matrix::from_yaml(&text).map_err(|error| Failure {
        message: error.detailed(&origin),
        code: EXIT_BAD_SCENARIO,
    })?;
    Ok(match args.format {
        AnalyzeFormat::Text => matrix::explain(&matrix),
        AnalyzeFormat::Json => {
            let mut json = serde_json::to_string_pretty(&matrix.analyze())
                .expect("analyses serialize to JSON");
            json.push('\n');
            json
        }
    })
}

pub fn graph(args: GraphArgs) -> Result<String, Failure> {
    let scenario = load_scenario(&args.scenario)?;
    let mut simulator = Simulator::new(scenario);
    simulator
        .advance_to(Tick(args.at), args.max_events)
        .map_err(|error| Failure {
            message: format!("error: {}: {error}", args.scenario.display()),
            code: EXIT_LIMIT,
        })?;
    Ok(match args.format {
        GraphFormat::Dot => sim_core::deadlock::dot(&simulator.allocation_graph()),
    })
}
