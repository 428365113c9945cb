//! The tie check: does a scenario's answer depend on a same-tick convention? The scenario is
//! run as written and once more under each documented alternative rule that applies to it
//! (`rules.preempted_before_arrivals`, `rules.tie_break` for SJF and SRTF, MLFQ's
//! `demote_when_alone` and `preempt`). An alternative that changes an answer (a process's
//! completion, waiting, turnaround or response) is a tie: the first instant at which the two
//! runs decide differently is where the rule mattered, and the report says what happened
//! there and which answers change. docs/policies.md explains it.

use serde::Serialize;

use crate::engine::{RunError, Simulator};
use crate::event::TimedEvent;
use crate::narrate;
use crate::report::RunReport;
use crate::scenario::{PolicyConfig, Scenario, TieBreak};

/// One rule under which the answers differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tie {
    /// The other rule, as a scenario writes it: `rules.preempted_before_arrivals: true`.
    pub rule: String,
    /// The first instant at which the runs differ: where the rule decided.
    pub time: u64,
    /// What happened at that instant in the run as written, in words.
    pub situation: Vec<String>,
    /// Each answer that the other rule changes.
    pub changes: Vec<AnswerChange>,
}

/// An answer of one process under the scenario's rules and under the other rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnswerChange {
    pub process: String,
    pub field: &'static str,
    pub value: Option<u64>,
    pub other: Option<u64>,
}

/// The documented alternatives to the scenario's rules that apply to it, each as its name and
/// the scenario under it.
fn alternatives(scenario: &Scenario) -> Vec<(String, Scenario)> {
    let mut out = Vec::new();
    let mut other = scenario.clone();
    other.rules.preempted_before_arrivals = !scenario.rules.preempted_before_arrivals;
    out.push((
        format!(
            "rules.preempted_before_arrivals: {}",
            other.rules.preempted_before_arrivals
        ),
        other,
    ));
    if matches!(scenario.policy, PolicyConfig::Sjf | PolicyConfig::Srtf) {
        let mut other = scenario.clone();
        other.rules.tie_break = match scenario.rules.tie_break {
            TieBreak::Queue => TieBreak::Arrival,
            TieBreak::Arrival => TieBreak::Queue,
        };
        let name = match other.rules.tie_break {
            TieBreak::Queue => "queue",
            TieBreak::Arrival => "arrival",
        };
        out.push((format!("rules.tie_break: {name}"), other));
    }
    if let PolicyConfig::Mlfq(mlfq) = &scenario.policy {
        let mut other = scenario.clone();
        let mut config = mlfq.clone();
        config.demote_when_alone = !mlfq.demote_when_alone;
        other.policy = PolicyConfig::Mlfq(config);
        out.push((
            format!("policy.demote_when_alone: {}", !mlfq.demote_when_alone),
            other,
        ));
        let mut other = scenario.clone();
        let mut config = mlfq.clone();
        config.preempt_at_quantum_end = !mlfq.preempt_at_quantum_end;
        other.policy = PolicyConfig::Mlfq(config);
        let word = if config_preempts_at_end(&other) {
            "at_quantum_end"
        } else {
            "immediate"
        };
        out.push((format!("policy.preempt: {word}"), other));
    }
    out
}

fn config_preempts_at_end(scenario: &Scenario) -> bool {
    matches!(&scenario.policy, PolicyConfig::Mlfq(mlfq) if mlfq.preempt_at_quantum_end)
}

/// A finished run: its log and its report.
fn run(scenario: &Scenario, max_events: usize) -> Result<(Simulator, RunReport), RunError> {
    let mut simulator = Simulator::new(scenario.clone());
    simulator.run_to_end(max_events)?;
    let report = RunReport::of(&simulator);
    Ok((simulator, report))
}

/// The answers of each process: (name, field, value).
fn answers(report: &RunReport) -> Vec<(String, &'static str, Option<u64>)> {
    report
        .processes
        .iter()
        .flat_map(|row| {
            [
                ("completion", row.completion),
                ("waiting", Some(row.waiting)),
                ("turnaround", row.turnaround),
                ("response", row.response),
            ]
            .into_iter()
            .map(|(field, value)| (row.name.clone(), field, value))
        })
        .collect()
}

/// The first instant at which two logs differ.
fn first_difference(ours: &[TimedEvent], theirs: &[TimedEvent]) -> u64 {
    let at = ours
        .iter()
        .zip(theirs)
        .position(|(a, b)| a != b)
        .unwrap_or(ours.len().min(theirs.len()));
    match (ours.get(at), theirs.get(at)) {
        (Some(a), Some(b)) => a.time.0.min(b.time.0),
        (Some(a), None) => a.time.0,
        (None, Some(b)) => b.time.0,
        (None, None) => 0,
    }
}

/// Every documented alternative rule under which an answer of `scenario` changes.
pub fn check_ties(scenario: &Scenario, max_events: usize) -> Result<Vec<Tie>, RunError> {
    let (simulator, report) = run(scenario, max_events)?;
    let ours = answers(&report);
    let mut ties = Vec::new();
    for (rule, other) in alternatives(scenario) {
        let (other_simulator, other_report) = run(&other, max_events)?;
        let changes: Vec<AnswerChange> = ours
            .iter()
            .zip(answers(&other_report))
            .filter(|((_, _, value), (_, _, other))| value != other)
            .map(|((process, field, value), (_, _, other))| AnswerChange {
                process: process.clone(),
                field,
                value: *value,
                other,
            })
            .collect();
        if changes.is_empty() {
            continue;
        }
        let time = first_difference(simulator.log(), other_simulator.log());
        let situation = simulator
            .log()
            .iter()
            .filter(|timed| timed.time.0 == time)
            .map(|timed| narrate::describe(&timed.event, scenario, simulator.roster()))
            .collect();
        ties.push(Tie {
            rule,
            time,
            situation,
            changes,
        });
    }
    Ok(ties)
}

/// The ties in words, one block each.
pub fn ties_text(ties: &[Tie]) -> String {
    let mut out = String::new();
    for tie in ties {
        out.push_str(&format!("  t={}: {}\n", tie.time, tie.situation.join("; ")));
        let value = |v: Option<u64>| v.map_or("none".to_string(), |v| v.to_string());
        let changes: Vec<String> = tie
            .changes
            .iter()
            .map(|change| {
                format!(
                    "{}'s {} is {}, not {}",
                    change.process,
                    change.field,
                    value(change.other),
                    value(change.value)
                )
            })
            .collect();
        out.push_str(&format!(
            "    with `{}`: {}\n",
            tie.rule,
            changes.join("; ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ties_of(yaml: &str) -> Vec<Tie> {
        check_ties(&Scenario::from_yaml(yaml).unwrap(), 100_000).unwrap()
    }

    #[test]
    fn a_quantum_ending_as_a_process_arrives_is_a_tie() {
        // RR q=2: at t=2 A's quantum ends as B arrives; which goes first decides B's waiting.
        let ties = ties_of(
            "name: t\npolicy: {kind: rr, quantum: 2}\nprocesses: [{name: A, burst: 4}, {name: B, arrival: 2, burst: 2}]",
        );
        assert_eq!(ties.len(), 1);
        assert_eq!(ties[0].rule, "rules.preempted_before_arrivals: true");
        assert_eq!(ties[0].time, 2);
        assert!(ties[0].changes.iter().any(|c| c.process == "B"
            && c.field == "waiting"
            && c.value == Some(0)
            && c.other == Some(2)));
        let text = ties_text(&ties);
        assert!(
            text.contains("t=2: ") && text.contains("B's waiting is 2, not 0"),
            "{text}"
        );
    }

    #[test]
    fn without_a_same_tick_decision_there_is_no_tie() {
        assert!(ties_of(
            "name: t\npolicy: {kind: rr, quantum: 2}\nprocesses: [{name: A, burst: 4}, {name: B, arrival: 1, burst: 2}]",
        )
        .is_empty());
        // Equal bursts, arrived at different times, under SJF: both tie rules agree here.
        assert!(ties_of(
            "name: t\npolicy: sjf\nprocesses: [{name: A, burst: 3}, {name: B, arrival: 1, burst: 2}, {name: C, arrival: 2, burst: 2}]",
        )
        .is_empty());
    }
}
