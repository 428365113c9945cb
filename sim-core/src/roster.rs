//! Who is who in a run: every process's pid, name and creator, from the scenario (pids 2..,
//! in scenario order) and the log's `fork` and `spawn` events (the next pids, in creation
//! order). A spawned thread is named `process/thread`.
//!
//! Views that start from a log (metrics, Gantt chart, traces) build one with [`Roster::of`];
//! the engine keeps one up to date as it forks.

use crate::event::{Event, TimedEvent};
use crate::ids::Pid;
use crate::scenario::Scenario;
use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::sync::OnceLock;

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

#[derive(Clone, Debug, Default)]
pub struct Roster {
    /// In pid order: the entry of pid p is at `p.index()`.
    entries: Vec<RosterEntry>,
    /// Which names several processes bear, to tell namesakes apart in sentences; built the
    /// first time a sentence asks (a plain run of a million processes never does).
    names: OnceLock<NameTable>,
}

/// One row per distinct name: the first process that bears it (whose entry holds the name, so
/// no name is stored twice) and whether another one does too — 8 bytes a name.
#[derive(Clone, Debug, Default)]
struct NameTable {
    rows: HashTable<NameRow>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct NameRow {
    first: Pid,
    shared: bool,
}

impl NameTable {
    fn of(entries: &[RosterEntry]) -> NameTable {
        let mut table = NameTable::default();
        table.rows.reserve(entries.len(), |row| {
            name_hash(&entries[row.first.index()].name)
        });
        for entry in entries {
            table.add(entries, entry);
        }
        table
    }

    /// Takes note of `entry`, one of `entries`.
    fn add(&mut self, entries: &[RosterEntry], entry: &RosterEntry) {
        let hash = name_hash(&entry.name);
        let same_name = |row: &NameRow| entries[row.first.index()].name == entry.name;
        match self.rows.find_mut(hash, same_name) {
            Some(row) => row.shared = true,
            None => {
                let row = NameRow {
                    first: entry.pid,
                    shared: false,
                };
                self.rows
                    .insert_unique(hash, row, |row| name_hash(&entries[row.first.index()].name));
            }
        }
    }

    fn is_shared(&self, entries: &[RosterEntry], name: &str) -> bool {
        self.rows
            .find(name_hash(name), |row| {
                entries[row.first.index()].name == name
            })
            .is_some_and(|row| row.shared)
    }
}

/// The hash of a name in a [`NameTable`]: fixed, so a run lays its table out the same way
/// every time (only lookups use it; nothing is ever listed in hash order).
fn name_hash(name: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0).hash_one(name)
}

/// Two rosters are equal when their processes are: the name table follows from them.
impl PartialEq for Roster {
    fn eq(&self, other: &Roster) -> bool {
        self.entries == other.entries
    }
}

impl Eq for Roster {}

impl Roster {
    /// The scenario's processes, before anything has forked.
    pub fn of_scenario(scenario: &Scenario) -> Roster {
        let mut roster = Roster::default();
        roster.entries.reserve_exact(scenario.processes.len());
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
        let pid = Pid::from_index(self.entries.len());
        self.entries.push(RosterEntry {
            pid,
            name,
            creator,
            process: process.unwrap_or(pid),
        });
        if let (Some(table), Some(entry)) = (self.names.get_mut(), self.entries.last()) {
            table.add(&self.entries, entry);
        }
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
        let names = self.names.get_or_init(|| NameTable::of(&self.entries));
        if names.is_shared(&self.entries, name) {
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

    #[test]
    fn a_namesake_forked_after_the_first_sentence_is_told_apart_too() {
        let scenario = Scenario::from_yaml(
            "name: t\npolicy: fcfs\nprocesses:\n- {name: A, burst: 1}\n- {name: B, burst: 1}\n",
        )
        .unwrap();
        let mut roster = Roster::of_scenario(&scenario);
        // The first sentence builds the table of names; later forks must keep it up to date.
        assert_eq!(roster.label(Pid(2)), "A");
        roster.record(&Event::Fork {
            pid: Pid(3),
            child: Pid(4),
            name: "A".into(),
        });
        assert_eq!(roster.label(Pid(2)), "A(2)");
        assert_eq!(roster.label(Pid(4)), "A(4)");
        assert_eq!(roster.label(Pid(3)), "B");
        assert_eq!(roster.label(Pid::INIT), "init");
    }
}
