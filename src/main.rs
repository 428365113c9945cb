//! `procsim`: run, check and explain scheduling scenarios from the command line.

mod cli;
mod commands;
mod compare;
mod deadlock;
mod export;
mod grading;
mod input;
mod memory;
mod output;
mod progress;
mod sweep;

use clap::{CommandFactory, Parser};
use cli::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc, not the system allocator: a run of a million processes makes millions of small
/// allocations (names, programs, rows of the report) and frees them all at the end; mimalloc
/// takes about a third less time over it (docs/performance.md). Counted against
/// `--max-memory` (`memory`).
#[global_allocator]
static GLOBAL: memory::Budgeted<mimalloc::MiMalloc> = memory::Budgeted {
    inner: mimalloc::MiMalloc,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    memory::set_limit(cli.max_memory);
    commands::set_max_input_bytes(cli.max_input_bytes);
    progress::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Run(args) => commands::run(args),
        Command::Check(args) => commands::check(args),
        Command::Explore(args) => commands::explore(args),
        Command::Ps(args) => commands::ps(args),
        Command::Pstree(args) => commands::pstree(args),
        Command::Grade(args) => grading::grade(args),
        Command::Generate(args) => grading::generate(args),
        Command::Key(args) => grading::key(args),
        Command::Analyze(args) => deadlock::analyze(args),
        Command::Graph(args) => deadlock::graph(args),
        Command::Ostep(command) => commands::ostep(command),
        Command::Import(command) => commands::import(command),
        Command::Export(command) => export::export(command),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Completions { shell } => Ok(completions(shell)),
        Command::Man => Ok(man_page()),
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

/// The completion script of `shell`, generated from the same clap command as `--help`.
fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cli::Cli::command(), "procsim", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The manual page (roff), generated from the same clap command as `--help`.
fn man_page() -> String {
    let mut out = Vec::new();
    let _ = clap_mangen::Man::new(cli::Cli::command()).render(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}
