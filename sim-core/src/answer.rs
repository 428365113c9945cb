//! Answers to an exercise, in the format students write (docs/scenario-format.md): per-process
//! metrics, averages, a Gantt chart, the completion order, states at times, and the matrix
//! answers. A scenario's `expected:` block uses the same shape; `grading` checks both.

use crate::gantt::GanttSlice;
use crate::report::RunReport;
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
    /// Matrix exercises: how each item of a request stream was decided, in order: a word
    /// (`granted`, `wait`, `unsafe`, `error`, `released`) or whether it was granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Vec<RequestAnswer>>,
    /// The deadlocked processes (matrix detection, or every deadlock of a run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadlocked: Option<Vec<String>>,
    /// The jobs that miss their deadline (`T2#1`), in any order (`[]`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missed: Option<Vec<String>>,
    /// Whether the task set is schedulable under the scenario's policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedulable: Option<bool>,
    /// The task set's utilisation, Σ wcet / period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<f64>,
    /// Each task's worst-case response time by response-time analysis (rm, dm): a number of
    /// ticks, or `miss` when it passes the deadline.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response_time: BTreeMap<String, ResponseTimeAnswer>,
    /// The lines the run prints, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Vec<String>>,
    /// Final values: shared variables by name, a process's globals as `process.name`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, i64>,
}

/// A task's response time as an answer gives it: ticks, or the word `miss`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ResponseTimeAnswer {
    Ticks(u64),
    Word(String),
}

impl fmt::Display for ResponseTimeAnswer {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseTimeAnswer::Ticks(ticks) => write!(out, "{ticks}"),
            ResponseTimeAnswer::Word(word) => write!(out, "{}", word.trim().to_lowercase()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
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
    /// Its final vruntime (cfs, eevdf), in ticks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vruntime: Option<f64>,
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

impl Answer {
    /// Every process name the answer mentions, with the path of the field that mentions it
    /// (`processes.P1`, `states_at.5.P2`, `tree_at.7.child`, `deadlocked`, `sequence`, ...):
    /// the one list both `expected:` blocks and graded answers are validated with.
    pub fn named_processes(&self) -> Vec<(String, &str)> {
        let mut named: Vec<(String, &str)> = Vec::new();
        for name in self.processes.keys() {
            named.push((format!("processes.{name}"), name));
        }
        for (time, states) in &self.states_at {
            for name in states.keys() {
                named.push((format!("states_at.{time}.{name}"), name));
            }
        }
        for (time, zombies) in &self.zombies_at {
            for name in zombies {
                named.push((format!("zombies_at.{time}"), name.trim()));
            }
        }
        for (time, parents) in &self.tree_at {
            for (name, parent) in parents {
                named.push((format!("tree_at.{time}.{name}"), name));
                named.push((format!("tree_at.{time}.{name}"), parent.trim()));
            }
        }
        for name in self.deadlocked.iter().flatten() {
            named.push(("deadlocked".into(), name.trim()));
        }
        for name in self.missed.iter().flatten() {
            named.push(("missed".into(), name.trim()));
        }
        for name in self.sequence.iter().flatten() {
            named.push(("sequence".into(), name.trim()));
        }
        for name in self.order.iter().flatten() {
            named.push(("order".into(), name.trim()));
        }
        named
    }

    /// The times the answer asks about (`states_at`, `zombies_at`, `tree_at`), sorted, once each.
    pub fn times(&self) -> Vec<u64> {
        let mut times: Vec<u64> = self
            .states_at
            .keys()
            .chain(self.zombies_at.keys())
            .chain(self.tree_at.keys())
            .copied()
            .collect();
        times.sort_unstable();
        times.dedup();
        times
    }
}

/// One run of a process in a written Gantt chart.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
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

/// An answer about one item of a request stream: its outcome in words, or whether it was
/// carried out (`true` for a granted request or a release).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RequestAnswer {
    Granted(bool),
    Outcome(String),
}

impl RequestAnswer {
    /// Whether it says what happened to an item decided as `outcome` (granted or not).
    pub fn agrees_with(&self, outcome: &str, granted: bool) -> bool {
        match self {
            RequestAnswer::Granted(flag) => *flag == granted,
            RequestAnswer::Outcome(word) => {
                let word = word.trim().to_lowercase().replace(['_', '-'], " ");
                let said = match word.as_str() {
                    "granted" | "grant" | "yes" | "true" => "granted",
                    "released" | "release" => "released",
                    "wait"
                    | "waits"
                    | "must wait"
                    | "not available"
                    | "must wait: not available" => "wait",
                    "unsafe" | "denied" | "denied: unsafe" => "unsafe",
                    "error" | "exceeds its claim" | "error: exceeds its claim" => "error",
                    other => other,
                };
                said == outcome || (said == "granted" && outcome == "released")
            }
        }
    }
}

impl std::fmt::Display for RequestAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestAnswer::Granted(flag) => write!(f, "{flag}"),
            RequestAnswer::Outcome(word) => write!(f, "{word}"),
        }
    }
}
