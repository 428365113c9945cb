//! OSTEP homework interop: turn the command line of `process-run.py`, `fork.py`,
//! `scheduler.py`, `mlfq.py`, `lottery.py` or `multi.py` into an equivalent scenario, with the
//! same jobs the script generates for that seed (CPython's random generator is ported in
//! `random::python`), the same policy settings, and the rules that reproduce the script's
//! semantics; and print the script's `-c` answers from running it. docs/ostep.md documents the
//! mapping.

mod fork;
mod lottery;
mod mlfq;
mod multi;
mod process_run;
mod scheduler;
mod solution;

pub use crate::random::PythonRandom;
pub use fork::{ForkArgs, fork_solution, fork_yaml};
pub use lottery::{LotteryArgs, lottery_solution, lottery_yaml};
pub use mlfq::{MlfqArgs, mlfq_solution, mlfq_yaml};
pub use multi::{MultiArgs, multi_solution, multi_yaml};
pub use process_run::{ProcessRunArgs, process_run_solution, process_run_yaml};
pub use scheduler::{SchedulerArgs, scheduler_solution, scheduler_yaml};
pub use solution::{
    ForkSolution, LotterySolution, MlfqSolution, MultiSolution, ProcessRunSolution,
    SchedulerSolution, Solution,
};

/// Why a command line cannot be translated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OstepError(pub String);

/// Most jobs (processes, actions, instructions of one process) a translation makes: far more
/// than a homework asks, and few enough that the YAML and its run stay small.
pub const MAX_GENERATED: u64 = 100_000;

/// `value` of `flag` unless it is over [`MAX_GENERATED`].
pub(crate) fn at_most(flag: &str, value: u64) -> Result<u64, OstepError> {
    if value > MAX_GENERATED {
        return Err(OstepError(format!(
            "{flag}: expected at most {MAX_GENERATED}, got {value}"
        )));
    }
    Ok(value)
}

/// One job: arrival, CPU time, and (mlfq) IO every `io_every` ticks of CPU for `io_ticks`.
pub(crate) struct Job {
    pub arrival: u64,
    pub run_ticks: u64,
    pub io_every: u64,
    pub io_ticks: u64,
}

impl Job {
    /// The job as a program: CPU chunks of `io_every` ticks separated by IOs, no IO after the
    /// last chunk (the scripts finish a job before issuing IO). The chunk-and-IO pairs are one
    /// `repeat`, so a long job stays one line.
    pub fn program(&self) -> String {
        let pairs = if self.io_every > 0 && self.run_ticks > self.io_every {
            (self.run_ticks - 1) / self.io_every
        } else {
            0
        };
        let last = self.run_ticks - pairs * self.io_every;
        let pair = format!("{{cpu: {}}}, {{io: {}}}", self.io_every, self.io_ticks);
        match pairs {
            0 => format!("[{{cpu: {last}}}]"),
            1 => format!("[{pair}, {{cpu: {last}}}]"),
            _ => format!("[{{repeat: {pairs}, steps: [{pair}]}}, {{cpu: {last}}}]"),
        }
    }
}

/// Quotes a YAML string.
pub(crate) fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
