//! Rule presets: the conventions of the common sources as named sets of rule fields, so that a
//! problem from a book runs as the book runs it with one line, `rules: {preset: NAME}`. Fields
//! written beside the preset override it. docs/policies.md shows the same table (a test
//! compares them).

use super::TieBreak;

/// One source's conventions.
#[derive(Debug)]
pub struct Preset {
    /// As written in `rules.preset`.
    pub name: &'static str,
    /// The source, for the docs.
    pub source: &'static str,
    /// `rules.preempted_before_arrivals`.
    pub preempted_before_arrivals: bool,
    /// `rules.tie_break`.
    pub tie_break: TieBreak,
    /// MLFQ's `demote_when_alone`.
    pub demote_when_alone: bool,
    /// MLFQ's `preempt: at_quantum_end`.
    pub preempt_at_quantum_end: bool,
    /// Where each convention comes from.
    pub why: &'static str,
}

/// Every preset, alphabetical.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "ostep",
        source: "Arpaci-Dusseau, Operating Systems: Three Easy Pieces, and its homework scripts",
        preempted_before_arrivals: true,
        tie_break: TieBreak::Queue,
        demote_when_alone: true,
        preempt_at_quantum_end: false,
        why: "the scripts re-queue a job whose quantum expired at the end of its tick, before the next tick's arrivals and IO completions; ties go to job order; mlfq.py demotes a job whose allotment is used up even when it runs alone, and a job ready at a higher queue runs at the next tick",
    },
    Preset {
        name: "silberschatz",
        source: "Silberschatz, Galvin and Gagne, Operating System Concepts, chapter 5",
        preempted_before_arrivals: false,
        tie_break: TieBreak::Arrival,
        demote_when_alone: true,
        preempt_at_quantum_end: false,
        why: "a process arriving as a quantum expires joins the queue before the preempted one; \"if the next CPU bursts of two processes are the same, FCFS scheduling is used to break the tie\" (the earlier arrival); the multilevel feedback queue preempts a lower queue's process at once",
    },
    Preset {
        name: "stallings",
        source: "Stallings, Operating Systems: Internals and Design Principles, chapter 9",
        preempted_before_arrivals: false,
        tie_break: TieBreak::Arrival,
        demote_when_alone: false,
        preempt_at_quantum_end: true,
        why: "Table 9.5's round robin puts a new arrival before the preempted process; ties go to the earlier arrival; feedback scheduling keeps a process at its level when nothing else is ready, and a new arrival waits for the running quantum to end",
    },
];

/// The preset called `name`.
pub fn preset_named(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.name == name)
}

/// The presets side by side, as Markdown (docs/policies.md holds the same table).
pub fn markdown_table() -> String {
    let mut out = String::from("| field |");
    for preset in PRESETS {
        out.push_str(&format!(" `{}` |", preset.name));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(PRESETS.len()));
    out.push('\n');
    let row = |out: &mut String, field: &str, value: &dyn Fn(&Preset) -> String| {
        out.push_str(&format!("| {field} |"));
        for preset in PRESETS {
            out.push_str(&format!(" {} |", value(preset)));
        }
        out.push('\n');
    };
    row(&mut out, "source", &|p| p.source.to_string());
    row(&mut out, "`preempted_before_arrivals`", &|p| {
        p.preempted_before_arrivals.to_string()
    });
    row(&mut out, "`tie_break`", &|p| {
        match p.tie_break {
            TieBreak::Queue => "queue",
            TieBreak::Arrival => "arrival",
        }
        .to_string()
    });
    row(&mut out, "MLFQ `demote_when_alone`", &|p| {
        p.demote_when_alone.to_string()
    });
    row(&mut out, "MLFQ `preempt`", &|p| {
        if p.preempt_at_quantum_end {
            "at_quantum_end"
        } else {
            "immediate"
        }
        .to_string()
    });
    row(&mut out, "why", &|p| p.why.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_alphabetical() {
        let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert!(preset_named("stallings").is_some() && preset_named("tanenbaum").is_none());
    }

    fn load(policy: &str, rules: &str) -> Result<crate::Scenario, crate::ScenarioError> {
        crate::Scenario::from_yaml(&format!(
            "name: t\npolicy: {policy}\nrules: {rules}\nprocesses: [{{name: A, burst: 1}}]"
        ))
    }

    #[test]
    fn a_preset_sets_rules_and_mlfq_options_and_written_fields_win() {
        let stallings = load("mlfq", "{preset: stallings}").unwrap();
        assert!(!stallings.rules.preempted_before_arrivals);
        assert_eq!(stallings.rules.tie_break, TieBreak::Arrival);
        assert_eq!(stallings.rules.preset, Some("stallings"));
        let crate::scenario::PolicyConfig::Mlfq(mlfq) = &stallings.policy else {
            panic!("mlfq");
        };
        assert!(!mlfq.demote_when_alone && mlfq.preempt_at_quantum_end);
        let ostep = load(
            "{kind: rr, quantum: 2}",
            "{preset: ostep, tie_break: arrival}",
        )
        .unwrap();
        assert!(ostep.rules.preempted_before_arrivals);
        assert_eq!(ostep.rules.tie_break, TieBreak::Arrival);
        let written = load(
            "{kind: mlfq, demote_when_alone: true}",
            "{preset: stallings, preempted_before_arrivals: true}",
        )
        .unwrap();
        assert!(written.rules.preempted_before_arrivals);
        let crate::scenario::PolicyConfig::Mlfq(mlfq) = &written.policy else {
            panic!("mlfq");
        };
        assert!(mlfq.demote_when_alone && mlfq.preempt_at_quantum_end);
        let error = load("fcfs", "{preset: tanenbaum}").unwrap_err().to_string();
        assert!(
            error.contains("rules.preset")
                && error.contains("expected one of ostep, silberschatz, stallings"),
            "{error}"
        );
    }
}
