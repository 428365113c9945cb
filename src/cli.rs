//! Command-line arguments, as clap derives them. Turning them into work is `commands`' job.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const ABOUT: &str = "A deterministic simulator of how an operating system schedules processes.";

const LONG_ABOUT: &str = "\
A deterministic simulator of how an operating system schedules processes.

A scenario is a YAML file: the CPUs, the scheduling policy, and the processes with their arrival
times and programs (CPU bursts and IO). For example:

  name: Silberschatz FCFS
  policy: fcfs                 # fcfs, sjf, srtf, {kind: rr, quantum: 4}, {kind: priority, ...}
  processes:
    - {name: P1, burst: 24}
    - {name: P2, arrival: 2, program: [{cpu: 3}, {io: 5}, {cpu: 2}]}

See docs/scenario-format.md for the format, docs/policies.md for each policy's exact rules, and
the scenarios/ folder for worked examples.

Exit codes: 0 success; 1 the scenario could not be read or is invalid; 2 bad command-line usage;
3 the run was stopped by a limit (--max-events).";

#[derive(Debug, Parser)]
#[command(name = "procsim", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and print its Gantt chart, metrics, trace or state at a time.
    #[command(long_about = "\
Simulate a scenario and print the result.

By default: an ASCII Gantt chart per CPU, the per-process table (arrival, CPU time, first run,
completion, turnaround, waiting, response) and the averages. --format json gives the same as a
JSON object (documented in docs/scenario-format.md); --trace prints the event log; --at T prints
the state of every process, the ready queue and the CPUs at time T; --explain states the rules in
force (same-tick order, tie-breaks) and walks through the run.")]
    Run(RunArgs),
    /// Validate a scenario without running it.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// What to print.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    pub format: RunFormat,
    /// Print the event log, one event per line (same as --format trace).
    #[arg(long)]
    pub trace: bool,
    /// Print the state of every process, the ready queue and the CPUs at time T.
    #[arg(long, value_name = "T")]
    pub at: Option<u64>,
    /// State the rules in force and explain every step of the run.
    #[arg(long)]
    pub explain: bool,
    /// Stop with an error if the run would log more than this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// Gantt chart, process table and averages, for a terminal.
    Text,
    /// The report as JSON (with --at: the state as JSON).
    Json,
    /// The event log, one event per line.
    Trace,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The scenario files (YAML) to validate.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
