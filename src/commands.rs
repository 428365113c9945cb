//! What each subcommand does: read files, call the core, print.

use crate::cli::{CheckArgs, OstepCommand, PsArgs, PsFormat, PstreeArgs, RunArgs, RunFormat};
use sim_core::ostep;
use sim_core::render;
use sim_core::{RunReport, Scenario, Simulator, Tick};
use std::path::Path;
use std::process::ExitCode;

/// Exit code when a scenario cannot be read or is invalid.
pub const EXIT_BAD_SCENARIO: u8 = 1;
/// Exit code for bad command-line usage (as clap uses).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when a run hits a limit.
pub const EXIT_LIMIT: u8 = 3;

/// A failure to report on stderr, with the exit code it maps to.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn exit(self) -> ExitCode {
        eprintln!("{}", self.message.trim_end());
        ExitCode::from(self.code)
    }
}

/// Reads and validates a scenario file, naming the file in every error.
pub fn load_scenario(path: &Path) -> Result<Scenario, Failure> {
    load_with(path, Scenario::from_yaml)
}

/// Reads a scenario or a matrix exercise, naming the file in every error.
pub fn load_exercise(path: &Path) -> Result<sim_core::exercise::Exercise, Failure> {
    load_with(path, sim_core::exercise::Exercise::from_yaml)
}

/// Reads `path` and parses it with `parse`; every error names the file (and line or field).
pub fn load_with<T>(
    path: &Path,
    parse: impl FnOnce(&str) -> Result<T, sim_core::ScenarioError>,
) -> Result<T, Failure> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| Failure {
        message: format!("error: cannot read {origin}: {error}"),
        code: EXIT_BAD_SCENARIO,
    })?;
    parse(&text).map_err(|error| Failure {
        message: error.detailed(&origin),
        code: EXIT_BAD_SCENARIO,
    })
}

pub fn run(args: RunArgs) -> Result<String, Failure> {
    let scenario = match load_exercise(&args.scenario)? {
        sim_core::exercise::Exercise::Scenario(scenario) => *scenario,
        // A matrix exercise has nothing to simulate: `run` solves it as `analyze` does.
        sim_core::exercise::Exercise::Matrix(matrix) => {
            return Ok(match args.format {
                RunFormat::Json => to_json(&matrix.analyze()),
                _ => sim_core::matrix::explain(&matrix),
            });
        }
    };
    let limit = |error: sim_core::RunError| Failure {
        message: format!("error: {}: {error}", args.scenario.display()),
        code: EXIT_LIMIT,
    };
    let mut simulator = Simulator::new(scenario);
    let mut out = String::new();
    if args.explain {
        out.push_str(&render::rules_text(
            simulator.scenario(),
            &simulator.policy_rules(),
        ));
        out.push('\n');
    }

    if let Some(at) = args.at {
        simulator
            .advance_to(Tick(at), args.max_events)
            .map_err(limit)?;
        let snapshot = simulator.snapshot();
        if args.format == RunFormat::Json {
            out.push_str(&to_json(&snapshot));
        } else {
            out.push_str(&render::snapshot_text(simulator.scenario(), &snapshot));
        }
        return Ok(out);
    }

    if args.explain {
        out.push_str(&explained_run(&mut simulator, args.max_events).map_err(limit)?);
        out.push('\n');
    } else {
        simulator.run_to_end(args.max_events).map_err(limit)?;
    }
    let format = if args.trace {
        RunFormat::Trace
    } else {
        args.format
    };
    match format {
        RunFormat::Trace if !args.explain => out.push_str(&render::trace_text(
            simulator.scenario(),
            simulator.roster(),
            simulator.log(),
        )),
        RunFormat::Trace => {}
        RunFormat::Json => out.push_str(&to_json(&RunReport::of(&simulator))),
        RunFormat::Text => {
            let report = RunReport::of(&simulator);
            out.push_str(&render::report_text(&report));
            if let Some(expected) = &simulator.scenario().expected {
                out.push_str(&expected_summary(expected, simulator.scenario(), &report));
            }
        }
    }
    Ok(out)
}

/// Runs instant by instant, printing each instant's events and the ready queue after it.
fn explained_run(
    simulator: &mut Simulator,
    max_events: usize,
) -> Result<String, sim_core::RunError> {
    let mut out = String::from("Trace (ready queue after each instant):\n");
    while let Some(step) = simulator.step() {
        if simulator.log().len() > max_events {
            return Err(sim_core::RunError::EventLimit {
                limit: max_events,
                time: step.time,
            });
        }
        let events = &simulator.log()[step.events];
        out.push_str(&render::trace_text(
            simulator.scenario(),
            simulator.roster(),
            events,
        ));
        let snapshot = simulator.snapshot();
        let queue: Vec<String> = snapshot
            .ready_queues
            .iter()
            .flatten()
            .map(|&pid| simulator.roster().name(pid).to_string())
            .collect();
        out.push_str(&format!(
            "{:>6}  {:<9} [{}]\n",
            "",
            "ready",
            queue.join(" ")
        ));
    }
    Ok(out)
}

/// One line saying whether the scenario's `expected:` answers hold, and which do not.
fn expected_summary(
    expected: &sim_core::answer::Answer,
    scenario: &Scenario,
    report: &RunReport,
) -> String {
    let mismatches = sim_core::answer::check_run(expected, scenario, report);
    if mismatches.is_empty() {
        return "Expected answers (from the scenario): all match\n".to_string();
    }
    let mut out = format!(
        "Expected answers (from the scenario): {} differ\n",
        mismatches.len()
    );
    for mismatch in mismatches {
        out.push_str(&format!(
            "  {}: the scenario expects {}, the run gives {}\n",
            mismatch.question, mismatch.expected, mismatch.got
        ));
    }
    out
}

/// The snapshot of the scenario at `path` at time `at`.
fn snapshot_at(
    path: &Path,
    at: u64,
    max_events: usize,
) -> Result<sim_core::snapshot::Snapshot, Failure> {
    let mut simulator = Simulator::new(load_scenario(path)?);
    simulator
        .advance_to(Tick(at), max_events)
        .map_err(|error| Failure {
            message: format!("error: {}: {error}", path.display()),
            code: EXIT_LIMIT,
        })?;
    Ok(simulator.snapshot())
}

pub fn ps(args: PsArgs) -> Result<String, Failure> {
    let snapshot = snapshot_at(&args.scenario, args.at, args.max_events)?;
    Ok(match args.format {
        PsFormat::Text => sim_core::ps::ps_text(&snapshot),
        PsFormat::Json => to_json(&sim_core::ps::ps_rows(&snapshot)),
    })
}

pub fn pstree(args: PstreeArgs) -> Result<String, Failure> {
    let snapshot = snapshot_at(&args.scenario, args.at, args.max_events)?;
    Ok(sim_core::ps::pstree_text(&snapshot))
}

pub fn check(args: CheckArgs) -> Result<String, Failure> {
    let mut out = String::new();
    let mut failures = Vec::new();
    for path in &args.scenarios {
        match load_exercise(path) {
            Ok(sim_core::exercise::Exercise::Matrix(matrix)) => out.push_str(&format!(
                "ok: {}: {} (matrix exercise: {}, {} processes; run `procsim analyze`)\n",
                path.display(),
                matrix.name,
                match matrix.mode {
                    sim_core::matrix::Mode::Banker => "banker's algorithm",
                    sim_core::matrix::Mode::Detection => "deadlock detection",
                },
                matrix.processes.len()
            )),
            Ok(sim_core::exercise::Exercise::Scenario(scenario)) => out.push_str(&format!(
                "ok: {}: {} ({} process{}, {}, {} CPU{})\n",
                path.display(),
                scenario.name,
                scenario.processes.len(),
                if scenario.processes.len() == 1 {
                    ""
                } else {
                    "es"
                },
                scenario.policy.describe(),
                scenario.cpus,
                if scenario.cpus == 1 { "" } else { "s" },
            )),
            Err(failure) => failures.push(failure.message),
        }
    }
    if failures.is_empty() {
        Ok(out)
    } else {
        // Report the good ones too: a batch loses nothing.
        print!("{out}");
        Err(Failure {
            message: failures.join("\n"),
            code: EXIT_BAD_SCENARIO,
        })
    }
}

pub fn ostep(command: OstepCommand) -> Result<String, Failure> {
    let result = match command {
        OstepCommand::Scheduler(args) => ostep::scheduler_yaml(&ostep::SchedulerArgs {
            seed: args.seed,
            jobs: args.jobs,
            jlist: args.jlist,
            maxlen: args.maxlen,
            policy: args.policy,
            quantum: args.quantum,
        }),
        OstepCommand::Mlfq(args) => ostep::mlfq_yaml(&ostep::MlfqArgs {
            seed: args.seed,
            num_queues: args.num_queues,
            quantum: args.quantum,
            allotment: args.allotment,
            quantum_list: args.quantum_list,
            allotment_list: args.allotment_list,
            num_jobs: args.num_jobs,
            maxlen: args.maxlen,
            maxio: args.maxio,
            boost: args.boost,
            io_time: args.io_time,
            stay: args.stay,
            iobump: args.iobump,
            jlist: args.jlist,
        }),
    };
    result.map_err(|error| Failure {
        message: format!("error: {error}"),
        code: EXIT_USAGE,
    })
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("reports serialize to JSON");
    text.push('\n');
    text
}
