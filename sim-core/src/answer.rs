//! Answers to a scheduling exercise, in the format students write (docs/scenario-format.md):
//! per-process metrics, averages, a Gantt chart and the completion order. A scenario's
//! `expected:` block uses the same shape, and [`check`] compares one with a run.

use crate::engine::Simulator;
use crate::gantt::GanttSlice;
use crate::ids::Tick;
use crate::report::RunReport;
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Default tolerance when comparing averages.
pub const AVERAGE_TOLERANCE: f64 = 0.01;

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub processes: BTreeMap<String, ProcessAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub averages: Option<AveragesAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gantt: Option<GanttAnswer>,
    /// Names in completion order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<String>>,
    /// The state of processes at times: `{5: {P1: running, P2: ready}}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub states_at: BTreeMap<u64, BTreeMap<String, String>>,
    /// The zombies at times: `{7: [child]}` (`[]`: none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub zombies_at: BTreeMap<u64, Vec<String>>,
    /// The parent of processes at times: `{7: {child: init, parent: init}}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tree_at: BTreeMap<u64, BTreeMap<String, String>>,
    /// Matrix exercises: is the state safe (banker's algorithm)?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe: Option<bool>,
    /// Matrix exercises: a safe sequence, or the order in which the others finish (detection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Vec<String>>,
    /// Matrix exercises: is the request granted?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted: Option<bool>,
    /// The deadlocked processes (matrix detection, or every deadlock of a run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadlocked: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_run: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnaround: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// The parent when it exited, by name (`init` for pid 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exited_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaped_at: Option<u64>,
    /// Who reaped it, by name (`init` for pid 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaped_by: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AveragesAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnaround: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<f64>,
}

/// `"P1 0-24, P2 24-27"` for one CPU, or `{cpu0: "...", cpu1: "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum GanttAnswer {
    Single(String),
    PerCpu(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for GanttAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GanttVisitor;
        impl<'de> Visitor<'de> for GanttVisitor {
            type Value = GanttAnswer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a chart like \"P1 0-24, P2 24-27\" or a map {cpu0: \"...\", cpu1: \"...\"}",
                )
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<GanttAnswer, E> {
                Ok(GanttAnswer::Single(text.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<GanttAnswer, A::Error> {
                BTreeMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(GanttAnswer::PerCpu)
            }
        }
        deserializer.deserialize_any(GanttVisitor)
    }
}

/// One run of a process in a written Gantt chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenSlice {
    pub name: String,
    pub start: u64,
    pub end: u64,
}

/// Parses `"P1 0-24, P2 24-27, idle 27-30"`. Idle stretches (`idle` or `-`) are dropped and
/// adjacent runs of the same process are merged, so equivalent charts compare equal.
pub fn parse_gantt(text: &str) -> Result<Vec<WrittenSlice>, String> {
    let mut slices: Vec<WrittenSlice> = Vec::new();
    for (index, item) in text.split(',').enumerate() {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let parse = || -> Option<WrittenSlice> {
            let (name, range) = item.rsplit_once(char::is_whitespace)?;
            let (start, end) = range.split_once('-')?;
            Some(WrittenSlice {
                name: name.trim().to_string(),
                start: start.trim().parse().ok()?,
                end: end.trim().parse().ok()?,
            })
        };
        let slice = parse().ok_or_else(|| {
            format!(
                "item {} `{item}` is not of the form `NAME START-END`",
                index + 1
            )
        })?;
        if slice.end <= slice.start {
            return Err(format!("item {} `{item}` ends before it starts", index + 1));
        }
        if slice.name == "idle" || slice.name == "-" {
            continue;
        }
        match slices.last_mut() {
            Some(last) if last.name == slice.name && last.end == slice.start => {
                last.end = slice.end
            }
            _ => slices.push(slice),
        }
    }
    Ok(slices)
}

/// The busy slices of one CPU of a run, in the same normal form as [`parse_gantt`].
pub fn run_gantt(slices: &[GanttSlice], cpu: usize) -> Vec<WrittenSlice> {
    let mut out: Vec<WrittenSlice> = Vec::new();
    for slice in slices.iter().filter(|s| s.cpu.0 == cpu) {
        let Some(name) = &slice.name else { continue };
        match out.last_mut() {
            Some(last) if &last.name == name && last.end == slice.start.0 => last.end = slice.end.0,
            _ => out.push(WrittenSlice {
                name: name.clone(),
                start: slice.start.0,
                end: slice.end.0,
            }),
        }
    }
    out
}

/// A Gantt chart in the written form, e.g. `P1 0-24, P2 24-27`.
pub fn format_gantt(slices: &[WrittenSlice]) -> String {
    slices
        .iter()
        .map(|s| format!("{} {}-{}", s.name, s.start, s.end))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One answer that differs from the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// E.g. `P2.waiting`, `averages.turnaround`, `gantt.cpu0`, `order`.
    pub question: String,
    pub expected: String,
    pub got: String,
}

/// A closure that records a mismatch in `mismatches` when `expected` and `got` differ.
fn recorder(mismatches: &mut Vec<Mismatch>) -> impl FnMut(String, String, String) + '_ {
    |question, expected, got| {
        if expected != got {
            mismatches.push(Mismatch {
                question,
                expected,
                got,
            });
        }
    }
}

/// Compares `answer` with what the run `report` produced; empty when everything matches.
/// `expected` in each mismatch is the answer's value, `got` the run's.
pub fn check(answer: &Answer, report: &RunReport) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    let mut differ = recorder(&mut mismatches);
    let show = |value: Option<u64>| value.map_or("none".to_string(), |v| v.to_string());
    for (name, expected) in &answer.processes {
        let Some(row) = report.processes.iter().find(|row| &row.name == name) else {
            differ(name.clone(), "a process".into(), "no such process".into());
            continue;
        };
        let pairs = [
            ("first_run", expected.first_run, row.first_run),
            ("completion", expected.completion, row.completion),
            ("turnaround", expected.turnaround, row.turnaround),
            ("waiting", expected.waiting, Some(row.waiting)),
            ("response", expected.response, row.response),
        ];
        for (field, want, have) in pairs {
            if want.is_some() {
                differ(format!("{name}.{field}"), show(want), show(have));
            }
        }
        let name_of = |pid: Option<u32>| match pid {
            None => "none".to_string(),
            Some(1) => "init".to_string(),
            Some(pid) => report
                .processes
                .iter()
                .find(|row| row.pid == pid)
                .map_or_else(|| format!("pid {pid}"), |row| row.name.clone()),
        };
        let lifecycle = [
            (
                "pid",
                expected.pid.map(|p| p.to_string()),
                row.pid.to_string(),
            ),
            ("parent", expected.parent.clone(), name_of(Some(row.ppid))),
            (
                "exit_code",
                expected.exit_code.map(|c| c.to_string()),
                row.exit_code.map_or("none".into(), |c| c.to_string()),
            ),
            (
                "exited_at",
                expected.exited_at.map(|t| t.to_string()),
                show(row.exited_at),
            ),
            (
                "reaped_at",
                expected.reaped_at.map(|t| t.to_string()),
                show(row.reaped_at),
            ),
            (
                "reaped_by",
                expected.reaped_by.clone(),
                name_of(row.reaped_by),
            ),
        ];
        for (field, want, have) in lifecycle {
            if let Some(want) = want {
                differ(format!("{name}.{field}"), want, have);
            }
        }
    }
    if let Some(averages) = &answer.averages {
        let pairs = [
            (
                "turnaround",
                averages.turnaround,
                report.averages.turnaround,
            ),
            ("waiting", averages.waiting, report.averages.waiting),
            ("response", averages.response, report.averages.response),
        ];
        for (field, want, have) in pairs {
            if let Some(want) = want
                && (want - have).abs() > AVERAGE_TOLERANCE
            {
                differ(
                    format!("averages.{field}"),
                    want.to_string(),
                    have.to_string(),
                );
            }
        }
    }
    if let Some(gantt) = &answer.gantt {
        let charts: Vec<(usize, &String)> = match gantt {
            GanttAnswer::Single(text) => vec![(0, text)],
            GanttAnswer::PerCpu(map) => map
                .iter()
                .map(|(key, text)| {
                    let cpu = key.trim_start_matches("cpu").parse().unwrap_or(usize::MAX);
                    (cpu, text)
                })
                .collect(),
        };
        for (cpu, text) in charts {
            let got = format_gantt(&run_gantt(&report.gantt, cpu));
            let expected = match parse_gantt(text) {
                Ok(slices) => format_gantt(&slices),
                Err(error) => format!("unreadable chart: {error}"),
            };
            differ(format!("gantt.cpu{cpu}"), expected, got);
        }
    }
    if let Some(order) = &answer.order {
        let mut finished: Vec<(u64, u32, &str)> = report
            .processes
            .iter()
            .filter_map(|row| Some((row.completion?, row.pid, row.name.as_str())))
            .collect();
        finished.sort();
        let got: Vec<&str> = finished.iter().map(|(_, _, name)| *name).collect();
        differ("order".into(), order.join(", "), got.join(", "));
    }
    if let Some(deadlocked) = &answer.deadlocked {
        let want = name_set(deadlocked);
        let got = deadlocked_names(report);
        differ("deadlocked".into(), want.join(", "), got.join(", "));
    }
    drop(differ);
    mismatches
}

/// Every process that took part in a deadlock of the run, sorted by name.
pub fn deadlocked_names(report: &RunReport) -> Vec<&str> {
    name_set(report.deadlocks.iter().flat_map(|d| &d.processes))
}

/// Names as a set (trimmed, sorted, without repeats): how answers listing processes in any
/// order, such as `deadlocked`, are compared.
pub fn name_set<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    let mut set: Vec<&str> = names.into_iter().map(|n| n.trim()).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// [`check`], plus the questions about given times (`states_at`, `zombies_at`, `tree_at`),
/// answered by running `scenario` again up to each time.
pub fn check_run(answer: &Answer, scenario: &Scenario, report: &RunReport) -> Vec<Mismatch> {
    let mut mismatches = check(answer, report);
    let times: std::collections::BTreeSet<u64> = answer
        .states_at
        .keys()
        .chain(answer.zombies_at.keys())
        .chain(answer.tree_at.keys())
        .copied()
        .collect();
    let mut simulator = Simulator::new(scenario.clone());
    for time in times {
        // The report came from a finished run, so the same run cannot hit a limit earlier.
        if simulator
            .advance_to(Tick(time), crate::engine::DEFAULT_MAX_EVENTS)
            .is_err()
        {
            break;
        }
        let snapshot = simulator.snapshot();
        let mut differ = recorder(&mut mismatches);
        for (name, state) in answer.states_at.get(&time).into_iter().flatten() {
            differ(
                format!("states_at.{time}.{name}"),
                state_word(state),
                state_of(&snapshot, name),
            );
        }
        if let Some(zombies) = answer.zombies_at.get(&time) {
            // Not a set: forked zombies may share a name.
            let mut want: Vec<&str> = zombies.iter().map(|z| z.trim()).collect();
            want.sort_unstable();
            let mut got: Vec<&str> = snapshot
                .processes
                .iter()
                .filter(|p| p.state == crate::pcb::ProcState::Zombie)
                .map(|p| p.name.as_str())
                .collect();
            got.sort_unstable();
            differ(
                format!("zombies_at.{time}"),
                want.join(", "),
                got.join(", "),
            );
        }
        for (name, parent) in answer.tree_at.get(&time).into_iter().flatten() {
            let got = match find(&snapshot, name) {
                Some(process) if process.state.stat().is_some() => {
                    snapshot.name(process.ppid).to_string()
                }
                Some(_) => "not alive".to_string(),
                None => "no such process".to_string(),
            };
            differ(
                format!("tree_at.{time}.{name}"),
                parent.trim().to_string(),
                got,
            );
        }
    }
    mismatches
}

fn find<'a>(snapshot: &'a Snapshot, name: &str) -> Option<&'a crate::snapshot::ProcessView> {
    snapshot.processes.iter().find(|p| p.name == name)
}

/// A state as an answer may write it, in the answer format's words (`waiting` is `blocked`,
/// `exited` is `terminated`, ...), so that `expected:` blocks and graded answers agree.
pub fn state_word(state: &str) -> String {
    let state = state.trim().to_ascii_lowercase();
    match state.as_str() {
        "waiting" | "sleeping" => "blocked".into(),
        "exited" | "done" | "finished" => "terminated".into(),
        "run" => "running".into(),
        _ => state,
    }
}

/// The state of the process called `name` in the words of the answer format.
fn state_of(snapshot: &Snapshot, name: &str) -> String {
    match find(snapshot, name) {
        Some(process) => process.state.label().to_string(),
        None if name == "init" => "blocked".to_string(),
        None => "not created yet".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gantt_text_is_normalised() {
        let slices = parse_gantt("P1 0-4, P1 4-8, idle 8-9, P2 9-10").unwrap();
        assert_eq!(format_gantt(&slices), "P1 0-8, P2 9-10");
        assert!(parse_gantt("P1 0-4, P2 x").is_err());
        assert!(parse_gantt("P1 4-4").is_err());
    }
}
