//! procsim's core: a pure, deterministic simulator of process scheduling.
//!
//! Give it a scenario's text ([`Scenario::from_yaml`]), drive a [`Simulator`] with `step` or
//! `run_to_end`, and read values back: the event log, [`Snapshot`]s, a [`RunReport`]. It does no
//! IO, reads no clock and uses no threads: the same input gives the same output, byte for byte.
//! docs/ARCHITECTURE.md maps the modules.

// One exception, allowed where it stands: the cache hint in `prefetch`.
#![deny(unsafe_code)]

pub mod answer;
pub mod deadlock;
pub mod engine;
pub mod event;
pub mod exceptions;
pub mod exercise;
pub mod explore;
pub mod gantt;
pub mod generate;
pub mod grading;
pub mod ids;
pub mod matrix;
pub mod measures;
pub mod metrics;
pub mod narrate;
pub mod ostep;
pub mod pcb;
pub mod policy;
mod prefetch;
pub mod ps;
pub mod random;
pub mod ranges;
pub mod render;
pub mod report;
pub mod roster;
pub mod rubric;
pub mod scan;
pub mod scenario;
pub mod schedulability;
pub mod snapshot;
pub mod swf;
pub mod text;
pub mod ties;
pub mod writes;
pub mod yaml;

pub use engine::{DEFAULT_MAX_EVENTS, EventCut, EventSink, RunError, Simulator, StepReport};
pub use event::{Event, TimedEvent};
pub use ids::{CpuId, Pid, Tick};
pub use report::RunReport;
pub use scenario::{Scenario, ScenarioError};
pub use snapshot::Snapshot;
