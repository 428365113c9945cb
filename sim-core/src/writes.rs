//! The writes of shared and global values, read from the event log: the value each write
//! replaced (old → new) and whether it was a lost update — the course's counter race, where two
//! threads write from the same old value. The GUI's captions and variables panel show them.

use crate::event::{Event, TimedEvent};
use crate::ids::Pid;
use crate::roster::Roster;
use crate::scenario::{Scenario, Variable};

/// How far back (events) a write's read, or the write it replaced, is looked for: a view of a
/// long run's last events stays cheap.
pub const LOOKBACK: usize = 200_000;

/// The process whose copy of a global `pid` uses: its own, or a thread's process's.
fn process_of(roster: &Roster, pid: Pid) -> Pid {
    roster.get(pid).map_or(pid, |entry| entry.process)
}

/// Whether the write at `log[at]` overwrites another thread's write to the same copy made
/// since the writer last read the variable: it writes a value computed from a stale one.
/// `false` for any other event, and when the read lies further back than [`LOOKBACK`].
pub fn is_lost_update(log: &[TimedEvent], at: usize, roster: &Roster) -> bool {
    let Some(Event::Write { pid, variable, .. }) = log.get(at).map(|timed| &timed.event) else {
        return false;
    };
    // A global is each process's own: only its threads share it.
    let shares = |other: Pid| {
        matches!(variable, Variable::Shared(_))
            || process_of(roster, other) == process_of(roster, *pid)
    };
    for earlier in log[..at].iter().rev().take(LOOKBACK) {
        match earlier.event {
            Event::Read {
                pid: reader,
                variable: read,
                ..
            } if reader == *pid && read == *variable => return false,
            Event::Write {
                pid: writer,
                variable: written,
                ..
            } if written == *variable && shares(writer) => return writer != *pid,
            _ => {}
        }
    }
    false
}

/// The value the write at `log[at]` replaced: the last write to that copy, else (a global of a
/// forked child) its parent's value at the fork, else the scenario's first value. `None` for
/// another event, or when what decides it lies further back than [`LOOKBACK`].
pub fn value_before(
    log: &[TimedEvent],
    at: usize,
    scenario: &Scenario,
    roster: &Roster,
) -> Option<i64> {
    let Some(Event::Write { pid, variable, .. }) = log.get(at).map(|timed| &timed.event) else {
        return None;
    };
    let variable = *variable;
    let mut copy = process_of(roster, *pid);
    let mut end = at;
    let oldest = at.saturating_sub(LOOKBACK);
    loop {
        let mut forked_at = None;
        for (index, timed) in log[..end].iter().enumerate().rev() {
            if index < oldest {
                return None;
            }
            match timed.event {
                Event::Write {
                    pid: writer,
                    variable: written,
                    value,
                } if written == variable
                    && (matches!(variable, Variable::Shared(_))
                        || process_of(roster, writer) == copy) =>
                {
                    return Some(value);
                }
                Event::Fork {
                    pid: parent, child, ..
                } if child == copy && matches!(variable, Variable::Global(_)) => {
                    forked_at = Some((index, process_of(roster, parent)));
                    break;
                }
                _ => {}
            }
        }
        match forked_at {
            // A forked child's globals are a copy of its parent's at the fork.
            Some((index, parent)) => {
                copy = parent;
                end = index;
            }
            None => {
                return Some(match variable {
                    Variable::Shared(index) => scenario.shared[index].initial,
                    Variable::Global(index) => scenario.globals[index].initial,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Simulator;

    fn run(yaml: &str) -> Simulator {
        let mut simulator = Simulator::new(Scenario::from_yaml(yaml).unwrap());
        simulator.run_to_end(100_000).unwrap();
        simulator
    }

    /// Each write of the run: (old, new, lost update).
    fn writes(simulator: &Simulator) -> Vec<(Option<i64>, i64, bool)> {
        let log = simulator.log();
        log.iter()
            .enumerate()
            .filter_map(|(at, timed)| match timed.event {
                Event::Write { value, .. } => Some((
                    value_before(log, at, simulator.scenario(), simulator.roster()),
                    value,
                    is_lost_update(log, at, simulator.roster()),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn two_threads_writing_from_the_same_old_value_lose_an_update() {
        // A reads 0 at t=0, B reads 0 at t=1 (round robin), A writes 1 at t=3, B 1 at t=4.
        let race = run(
            "name: race\npolicy: {kind: rr, quantum: 1}\nshared: {n: 0}\nprocesses:\n\
             - {name: A, program: [{read: n}, {cpu: 2}, {add: 1}, {write: n}]}\n\
             - {name: B, program: [{read: n}, {cpu: 2}, {add: 1}, {write: n}]}\n",
        );
        assert_eq!(writes(&race), vec![(Some(0), 1, false), (Some(1), 1, true)]);
        // One after the other: no update lost.
        let serial = run("name: serial\npolicy: fcfs\nshared: {n: 0}\nprocesses:\n\
             - {name: A, program: [{read: n}, {add: 1}, {write: n}, {cpu: 1}]}\n\
             - {name: B, program: [{read: n}, {add: 1}, {write: n}]}\n");
        assert_eq!(
            writes(&serial),
            vec![(Some(0), 1, false), (Some(1), 2, false)]
        );
    }

    #[test]
    fn a_forked_childs_first_write_replaces_its_parents_value_at_the_fork() {
        let family = run("name: family\npolicy: fcfs\nglobals: {g: 0}\nprocesses:\n\
             - name: P\n  program:\n\
             \x20   - {read: g}\n    - {add: 5}\n    - {write: g}\n\
             \x20   - fork: {name: C, program: [{read: g}, {add: 1}, {write: g}]}\n\
             \x20   - {add: 10}\n    - {write: g}\n");
        // P writes 5, forks C (its copy starts at 5), writes 15; C writes 6 over its own 5.
        assert_eq!(
            writes(&family),
            vec![
                (Some(0), 5, false),
                (Some(5), 15, false),
                (Some(5), 6, false)
            ]
        );
    }
}
