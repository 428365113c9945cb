//! Who is who in a run: every process's pid, name and creator, from the scenario (pids 2..,
//! in scenario order) and the log's `fork` and `spawn` events (the next pids, in creation
//! order). A spawned thread is named `process/thread`.
//!
//! Views that start from a log (metrics, Gantt chart, traces) build one with [`Roster::of`];
//! the engine keeps one up to date as it forks.

use crate::event::{Event, TimedEvent};
use crate::ids::Pid;
use crate::scenario::Scenario;
use std::collections::BTreeMap;

/// One process of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub pid: Pid,
    pub name: String,
    /// The process that created it: init for the scenario's processes, else its forking parent
    /// (for a thread, the thread that spawned it).
    pub creator: Pid,
    /// The process it belongs to: itself, or a spawned thread's process.
    pub process: Pid,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    /// In pid order: the entry of pid p is at `p.index()`.
    entries: Vec<RosterEntry>,
    /// How many processes bear each name, to tell namesakes apart in sentences.
    name_counts: BTreeMap<String, usize>,
}

impl Roster {
    /// The scenario's processes, before anything has forked.
    pub fn of_scenario(scenario: &Scenario) -> Roster {
        let mut roster = Roster::default();
        for spec in &scenario.processes {
            roster.push(spec.name.clone(), Pid::INIT, None);
        }
        roster
    }

    /// Every process of a run whose log so far is `log`.
    pub fn of(scenario: &Scenario, log: &[TimedEvent]) -> Roster {
        let mut roster = Roster::of_scenario(scenario);
        for timed in log {
            roster.record(&timed.event);
        }
        roster
    }

    /// Takes note of a process created by `event`, if any.
    pub fn record(&mut self, event: &Event) {
        if let Event::Fork {
            pid, child, name, ..
        } = event
        {
            debug_assert_eq!(
                child.index(),
                self.entries.len(),
                "pids are handed out in order"
            );
            self.push(name.clone(), *pid, None);
        }
        if let Event::Spawn { pid, name, .. } = event {
            let process = self.get(*pid).map_or(*pid, |entry| entry.process);
            let label = format!("{}/{name}", self.name(process));
            self.push(label, *pid, Some(process));
        }
    }

    fn push(&mut self, name: String, creator: Pid, process: Option<Pid>) {
        *self.name_counts.entry(name.clone()).or_default() += 1;
        let pid = Pid::from_index(self.entries.len());
        self.entries.push(RosterEntry {
            pid,
            name,
            creator,
            process: process.unwrap_or(pid),
        });
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The processes in pid (creation) order.
    pub fn iter(&self) -> impl Iterator<Item = &RosterEntry> {
        self.entries.iter()
    }

    pub fn get(&self, pid: Pid) -> Option<&RosterEntry> {
        if pid == Pid::INIT || pid.0 < 2 {
            return None;
        }
        self.entries.get(pid.index())
    }

    /// The name of `pid` (`init` for pid 1, `?` for a pid the run never had).
    pub fn name(&self, pid: Pid) -> &str {
        if pid == Pid::INIT {
            return "init";
        }
        self.get(pid).map_or("?", |entry| entry.name.as_str())
    }

    /// The name of `pid` for sentences: with the pid when another process has the same name,
    /// as in `worker(7)`.
    pub fn label(&self, pid: Pid) -> String {
        let name = self.name(pid);
        if self.name_counts.get(name).copied().unwrap_or(0) > 1 {
            format!("{name}({pid})")
        } else {
            name.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forks_take_the_next_pids_and_namesakes_get_their_pid() {
        let scenario = Scenario::from_yaml(
            "name: t\npolicy: fcfs\nprocesses:\n- {name: A, program: [{fork: {name: W, program: [{cpu: 1}]}}, {fork: {name: W, program: [{cpu: 1}]}}]}\n",
        )
        .unwrap();
        let mut roster = Roster::of_scenario(&scenario);
        for child in [3, 4] {
            roster.record(&Event::Fork {
                pid: Pid(2),
                child: Pid(child),
                name: "W".into(),
            });
        }
        assert_eq!(roster.len(), 3);
        assert_eq!(roster.name(Pid(4)), "W");
        assert_eq!(roster.label(Pid(4)), "W(4)");
        assert_eq!(roster.label(Pid(2)), "A");
        assert_eq!(roster.name(Pid::INIT), "init");
        assert_eq!(roster.get(Pid(3)).unwrap().creator, Pid(2));
    }
}
