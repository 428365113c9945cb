//! `procsim`: run, check and explain scheduling scenarios from the command line.

mod cli;
mod commands;
mod deadlock;
mod grading;
mod input;

use clap::Parser;
use cli::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run(args),
        Command::Check(args) => commands::check(args),
        Command::Ps(args) => commands::ps(args),
        Command::Pstree(args) => commands::pstree(args),
        Command::Grade(args) => grading::grade(args),
        Command::Generate(args) => grading::generate(args),
        Command::Key(args) => grading::key(args),
        Command::Analyze(args) => deadlock::analyze(args),
        Command::Graph(args) => deadlock::graph(args),
        Command::Ostep(command) => commands::ostep(command),
    };
    match result {
        Ok(output) => {
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            let _ = std::io::stdout().write_all(output.as_bytes());
            ExitCode::SUCCESS
        }
        Err(failure) => failure.exit(),
    }
}
