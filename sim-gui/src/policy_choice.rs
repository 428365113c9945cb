//! The policy picked in the toolbar, as a value the user edits; it becomes a `PolicyConfig`.

use sim_core::scenario::{MlfqConfig, MlfqLevel, PolicyConfig};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    Fcfs,
    Sjf,
    Srtf,
    Rr,
    Priority,
    Mlfq,
    Lottery,
    Stride,
    Hrrn,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 9] = [
        PolicyKind::Fcfs,
        PolicyKind::Sjf,
        PolicyKind::Srtf,
        PolicyKind::Rr,
        PolicyKind::Priority,
        PolicyKind::Mlfq,
        PolicyKind::Lottery,
        PolicyKind::Stride,
        PolicyKind::Hrrn,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Fcfs => "fcfs",
            PolicyKind::Sjf => "sjf",
            PolicyKind::Srtf => "srtf",
            PolicyKind::Rr => "rr",
            PolicyKind::Priority => "priority",
            PolicyKind::Mlfq => "mlfq",
            PolicyKind::Lottery => "lottery",
            PolicyKind::Stride => "stride",
            PolicyKind::Hrrn => "hrrn",
        }
    }

    /// Whether the kind takes a quantum (always, or optionally for priority).
    pub fn has_quantum(self) -> bool {
        matches!(
            self,
            PolicyKind::Rr | PolicyKind::Lottery | PolicyKind::Stride
        )
    }
}

/// A policy and its options as the toolbar shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyChoice {
    pub kind: PolicyKind,
    pub quantum_ticks: u64,
    pub preemptive: bool,
    /// For priority: round robin among equals.
    pub with_quantum: bool,
    /// The MLFQ options (those of the loaded scenario, or OSTEP's defaults).
    pub mlfq: MlfqConfig,
}

fn default_mlfq() -> MlfqConfig {
    MlfqConfig {
        levels: vec![
            MlfqLevel {
                quantum_ticks: 10,
                allotment: 1,
            };
            3
        ],
        boost_ticks: None,
        io_resets_allotment: false,
        io_done_to_front: false,
        ostep_boost: false,
    }
}

impl PolicyChoice {
    pub fn of(config: &PolicyConfig) -> PolicyChoice {
        let mut choice = PolicyChoice {
            kind: PolicyKind::Fcfs,
            quantum_ticks: 4,
            preemptive: false,
            with_quantum: false,
            mlfq: default_mlfq(),
        };
        match config.clone() {
            PolicyConfig::Fcfs => {}
            PolicyConfig::Hrrn => choice.kind = PolicyKind::Hrrn,
            PolicyConfig::Lottery { quantum_ticks } => {
                choice.kind = PolicyKind::Lottery;
                choice.quantum_ticks = quantum_ticks;
            }
            PolicyConfig::Stride { quantum_ticks } => {
                choice.kind = PolicyKind::Stride;
                choice.quantum_ticks = quantum_ticks;
            }
            PolicyConfig::Mlfq(mlfq) => {
                choice.kind = PolicyKind::Mlfq;
                choice.mlfq = mlfq;
            }
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
            PolicyKind::Mlfq => PolicyConfig::Mlfq(self.mlfq.clone()),
            PolicyKind::Lottery => PolicyConfig::Lottery { quantum_ticks },
            PolicyKind::Stride => PolicyConfig::Stride { quantum_ticks },
            PolicyKind::Hrrn => PolicyConfig::Hrrn,
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
            PolicyConfig::Hrrn,
            PolicyConfig::Lottery { quantum_ticks: 2 },
            PolicyConfig::Stride { quantum_ticks: 1 },
            PolicyConfig::Mlfq(default_mlfq()),
        ] {
            assert_eq!(PolicyChoice::of(&config).config(), config);
        }
    }
}
