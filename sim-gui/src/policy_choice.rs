//! The policy picked in the toolbar, as a value the user edits; it becomes a `PolicyConfig`.

use sim_core::scenario::PolicyConfig;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    Fcfs,
    Sjf,
    Srtf,
    Rr,
    Priority,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 5] = [
        PolicyKind::Fcfs,
        PolicyKind::Sjf,
        PolicyKind::Srtf,
        PolicyKind::Rr,
        PolicyKind::Priority,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Fcfs => "fcfs",
            PolicyKind::Sjf => "sjf",
            PolicyKind::Srtf => "srtf",
            PolicyKind::Rr => "rr",
            PolicyKind::Priority => "priority",
        }
    }
}

/// A policy and its options as the toolbar shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyChoice {
    pub kind: PolicyKind,
    pub quantum_ticks: u64,
    pub preemptive: bool,
    /// For priority: round robin among equals.
    pub with_quantum: bool,
}

impl PolicyChoice {
    pub fn of(config: &PolicyConfig) -> PolicyChoice {
        let mut choice = PolicyChoice {
            kind: PolicyKind::Fcfs,
            quantum_ticks: 4,
            preemptive: false,
            with_quantum: false,
        };
        match *config {
            PolicyConfig::Fcfs => {}
            PolicyConfig::Sjf => choice.kind = PolicyKind::Sjf,
            PolicyConfig::Srtf => choice.kind = PolicyKind::Srtf,
            PolicyConfig::Rr { quantum_ticks } => {
                choice.kind = PolicyKind::Rr;
                choice.quantum_ticks = quantum_ticks;
            }
            PolicyConfig::Priority {
                preemptive,
                quantum_ticks,
            } => {
                choice.kind = PolicyKind::Priority;
                choice.preemptive = preemptive;
                choice.with_quantum = quantum_ticks.is_some();
                choice.quantum_ticks = quantum_ticks.unwrap_or(4);
            }
        }
        choice
    }

    pub fn config(&self) -> PolicyConfig {
        let quantum_ticks = self.quantum_ticks.max(1);
        match self.kind {
            PolicyKind::Fcfs => PolicyConfig::Fcfs,
            PolicyKind::Sjf => PolicyConfig::Sjf,
            PolicyKind::Srtf => PolicyConfig::Srtf,
            PolicyKind::Rr => PolicyConfig::Rr { quantum_ticks },
            PolicyKind::Priority => PolicyConfig::Priority {
                preemptive: self.preemptive,
                quantum_ticks: self.with_quantum.then_some(quantum_ticks),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_policy() {
        for config in [
            PolicyConfig::Fcfs,
            PolicyConfig::Sjf,
            PolicyConfig::Srtf,
            PolicyConfig::Rr { quantum_ticks: 3 },
            PolicyConfig::Priority {
                preemptive: true,
                quantum_ticks: Some(2),
            },
            PolicyConfig::Priority {
                preemptive: false,
                quantum_ticks: None,
            },
        ] {
            assert_eq!(PolicyChoice::of(&config).config(), config);
        }
    }
}
