//! A frame: everything the panels draw at one repaint, built once by `Playback::frame` — the
//! state at the clock, the last instant's events (captions), the waits, the clock, and the
//! chart and metrics of the run so far, which the playback keeps as it goes instead of
//! folding the whole log again at every repaint. Panels take a `&Frame` and their own view
//! state; none sees the playback or the simulator.

use sim_core::deadlock::AllocationGraph;
use sim_core::gantt::{DeviceSlice, Span};
use sim_core::metrics::Metrics;
use sim_core::roster::Roster;
use sim_core::snapshot::Snapshot;
use sim_core::{Pid, RunReport, Scenario, Tick, TimedEvent};

/// What the panels draw.
pub struct Frame<'a> {
    pub scenario: &'a Scenario,
    /// Every process and thread so far, by pid, with its name.
    pub roster: &'a Roster,
    /// The state at the clock's tick (counters moved on tick by tick between instants).
    pub snapshot: Snapshot,
    /// Every event so far.
    pub log: &'a [TimedEvent],
    /// The events of the last instant applied (what the captions say).
    pub last_instant: &'a [TimedEvent],
    pub clock: Clock,
    /// The chart of the run so far, up to the last instant.
    pub chart: Chart<'a>,
    /// The measures of the run so far (the finished processes have their final ones).
    pub metrics: Metrics,
    /// The whole run's report (the final table and averages).
    pub final_report: &'a RunReport,
    /// The whole run's chart, and its processes (the forked ones included).
    pub final_chart: Chart<'a>,
    pub final_roster: &'a Roster,
    /// When each IO in service, and each sleep, ends.
    pub wake_times: Vec<(Pid, Tick)>,
    /// The resource-allocation graph now (empty without resources).
    pub allocation_graph: AllocationGraph,
}

/// Where the playback is.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    /// The time shown, in ticks; between instants while playing.
    pub display_time: f64,
    /// The whole tick the clock is at.
    pub display_tick: Tick,
    /// The last instant applied.
    pub now: Tick,
    /// The time of the whole run's last instant.
    pub end_time: Tick,
    /// Instants applied so far.
    pub steps: usize,
    pub playing: bool,
    /// Ticks per second while playing.
    pub speed: f64,
    pub at_end: bool,
    /// Why the run was cut short, if it was.
    pub limit_note: Option<String>,
    /// Stepping event by event through an instant: (events shown, events it has).
    pub event: Option<(usize, usize)>,
}

/// The Gantt chart so far, as the playback keeps it.
pub struct Chart<'a> {
    /// Each CPU's stretches up to the last instant, idle ones included, CPU by CPU.
    pub cpus: &'a [Span],
    /// Who each CPU runs now (its lane grows to the clock between instants).
    pub running: Vec<Option<Pid>>,
    /// The devices' service up to the last instant (what goes on grows to the clock).
    pub devices: &'a [DeviceSlice],
    /// The boosts and deadlocks so far, with their times.
    pub markers: &'a [(Tick, Marker)],
    /// Which coroutine each thread's loop ran when, up to the last instant.
    pub coroutines: &'a [sim_core::gantt::CoroutineSpan],
}

/// A moment the chart marks with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Boost,
    Deadlock,
    /// A job of a periodic task missed its deadline.
    DeadlineMiss,
    /// Program steps that take no time (prints, reads and writes, coroutine switches, ...)
    /// at the instant: how many.
    Steps(u32),
}
