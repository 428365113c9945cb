//! Playback of one scenario: the engine, where we are in it, and play/pause/speed; and the
//! [`Frame`] of each repaint, with the chart and metrics of the run so far kept as it goes.
//!
//! Stepping backward replays the deterministic engine from the start to the previous instant;
//! the GUI never keeps or edits scheduling state of its own.

use crate::frame::{Chart, Clock, Frame, Marker};
use sim_core::gantt::{CoroutineFold, CoroutineSpan, DeviceFold, DeviceSlice, GanttFold, Span};
use sim_core::metrics::MetricsFold;
use sim_core::{Event, RunReport, Scenario, Simulator, Snapshot, Tick};

/// Most events a playback will simulate; beyond it the run is cut short with a message.
pub const MAX_EVENTS: usize = 2_000_000;

pub struct Playback {
    scenario: Scenario,
    simulator: Simulator,
    /// Instants applied so far.
    steps: usize,
    /// The time shown, in ticks; between instants while playing.
    pub display_time: f64,
    pub playing: bool,
    /// Ticks per second while playing.
    pub speed: f64,
    /// The whole run, finished (for the timeline's end, final metrics and comparisons).
    finished: Simulator,
    final_report: RunReport,
    end_time: Tick,
    /// A note when the run had to be cut (event limit).
    pub limit_note: Option<String>,
    /// The run so far, folded as the instants are applied.
    folds: Folds,
    /// The chart so far up to the last instant, made when an instant is applied.
    chart: ChartData,
    /// The whole run's chart.
    final_chart: ChartData,
    /// Where the last instant's events start in the log.
    last_instant: usize,
    /// Partway through the next instant, event by event (`,` and `.`): the state after its
    /// first events.
    cut: Option<Cut>,
}

/// The state after the first events of the next instant: an engine replayed to it
/// (`Simulator::step_to_event`), which has logged the whole instant.
struct Cut {
    simulator: Simulator,
    /// Where the instant's events start in that engine's log.
    start: usize,
    state: sim_core::EventCut,
}

/// A chart as the playback keeps it: the CPUs' stretches, the devices' service, the markers
/// (the whole run's; the live chart's are the folds') and the coroutines' stretches.
#[derive(Default)]
struct ChartData {
    cpus: Vec<Span>,
    devices: Vec<DeviceSlice>,
    markers: Vec<(Tick, Marker)>,
    coroutines: Vec<CoroutineSpan>,
}

/// The views of the run so far that a frame shows, each fed the events as they happen.
struct Folds {
    chart: GanttFold,
    devices: DeviceFold,
    metrics: MetricsFold,
    markers: Vec<(Tick, Marker)>,
    coroutines: CoroutineFold,
}

impl Folds {
    fn new(scenario: &Scenario) -> Folds {
        Folds {
            chart: GanttFold::new(scenario),
            devices: DeviceFold::new(scenario),
            metrics: MetricsFold::new(scenario),
            markers: Vec::new(),
            coroutines: CoroutineFold::default(),
        }
    }

    fn push(&mut self, timed: &sim_core::TimedEvent) {
        self.chart.push(timed);
        self.devices.push(timed);
        self.metrics.push(timed);
        self.coroutines.push(timed);
        match timed.event {
            Event::Boost => self.markers.push((timed.time, Marker::Boost)),
            Event::Deadlock { .. } => self.markers.push((timed.time, Marker::Deadlock)),
            Event::DeadlineMiss { .. } => self.markers.push((timed.time, Marker::DeadlineMiss)),
            Event::Print { .. }
            | Event::Read { .. }
            | Event::Write { .. }
            | Event::Spawn { .. }
            | Event::Fork { .. }
            | Event::Acquire { .. }
            | Event::Release { .. }
            | Event::Put { .. }
            | Event::Get { .. }
            | Event::SetEvent { .. }
            | Event::Selected { .. }
            | Event::CoroutineCreate { .. }
            | Event::CoroutineSwitch { .. }
            | Event::CoroutineDone { .. } => {
                // One marker an instant, counting its zero-time steps.
                let at_this_instant = self
                    .markers
                    .iter_mut()
                    .rev()
                    .take_while(|(time, _)| *time == timed.time)
                    .find_map(|(_, marker)| match marker {
                        Marker::Steps(count) => Some(count),
                        _ => None,
                    });
                match at_this_instant {
                    Some(count) => *count += 1,
                    None => self.markers.push((timed.time, Marker::Steps(1))),
                }
            }
            _ => {}
        }
    }
}

impl Playback {
    pub fn new(scenario: Scenario) -> Playback {
        let folds = Folds::new(&scenario);
        let mut full = Simulator::new(scenario.clone());
        let limit_note = full.run_to_end(MAX_EVENTS).err().map(|e| e.to_string());
        let end_time = full.now();
        let mut whole = Folds::new(&scenario);
        for timed in full.log() {
            whole.push(timed);
        }
        let final_chart = ChartData {
            cpus: whole.chart.spans(end_time),
            devices: whole.devices.slices(end_time),
            coroutines: whole.coroutines.spans(end_time),
            markers: whole.markers,
        };
        let final_report = RunReport::of(&full);
        Playback {
            simulator: Simulator::new(scenario.clone()),
            scenario,
            steps: 0,
            display_time: 0.0,
            playing: false,
            speed: 2.0,
            final_report,
            finished: full,
            end_time,
            limit_note,
            folds,
            chart: ChartData::default(),
            final_chart,
            last_instant: 0,
            cut: None,
        }
    }

    /// Everything the panels draw at this repaint.
    pub fn frame(&self) -> Frame<'_> {
        let (simulator, log, last_instant) = match &self.cut {
            // Partway through an instant: its first events are the last ones applied.
            Some(cut) => {
                let log = &cut.simulator.log()[..cut.start + cut.state.event];
                (&cut.simulator, log, &log[cut.start..])
            }
            None => {
                let log = self.simulator.log();
                (
                    &self.simulator,
                    log,
                    &log[self.last_instant.min(log.len())..],
                )
            }
        };
        let now = simulator.now();
        let snapshot = self.snapshot();
        Frame {
            scenario: &self.scenario,
            roster: simulator.roster(),
            log,
            last_instant,
            clock: Clock {
                display_time: self.display_time,
                display_tick: self.display_tick(),
                now,
                end_time: self.end_time,
                steps: self.steps,
                playing: self.playing,
                speed: self.speed,
                at_end: self.is_at_end(),
                limit_note: self.limit_note.clone(),
                event: self.cut.as_ref().map(|c| (c.state.event, c.state.events)),
            },
            chart: Chart {
                cpus: &self.chart.cpus,
                running: snapshot.cpus.iter().map(|cpu| cpu.running).collect(),
                devices: &self.chart.devices,
                coroutines: &self.chart.coroutines,
                markers: &self.folds.markers,
            },
            final_chart: Chart {
                cpus: &self.final_chart.cpus,
                running: Vec::new(),
                devices: &self.final_chart.devices,
                markers: &self.final_chart.markers,
                coroutines: &self.final_chart.coroutines,
            },
            final_roster: self.finished.roster(),
            metrics: self.folds.metrics.clone().finish(&self.scenario),
            final_report: &self.final_report,
            wake_times: simulator.wake_times(),
            allocation_graph: if self.scenario.uses_resources() {
                simulator.allocation_graph()
            } else {
                sim_core::deadlock::AllocationGraph::default()
            },
            snapshot,
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn simulator(&self) -> &Simulator {
        &self.simulator
    }

    /// The state at the clock's tick, not at the last event: counters move on tick by tick
    /// between events (the same snapshot `procsim run --at` prints).
    pub fn snapshot(&self) -> Snapshot {
        match &self.cut {
            Some(cut) => cut.state.snapshot.clone(),
            None => self.simulator.snapshot_at(self.display_tick()),
        }
    }

    /// Where the event steps are in the next instant: (events shown, events it has).
    pub fn event_position(&self) -> Option<(usize, usize)> {
        self.cut.as_ref().map(|c| (c.state.event, c.state.events))
    }

    /// One event on: the state after the next event of the instant being stepped through (or
    /// of the next instant); after its last event, the instant is applied.
    pub fn step_event_forward(&mut self) {
        self.playing = false;
        let event = self.cut.as_ref().map_or(1, |c| c.state.event + 1);
        if self.is_at_end() && self.cut.is_none() {
            return;
        }
        self.show_event(event);
    }

    /// One event back: the state before the last event shown (or before the last event of
    /// the previous instant).
    pub fn step_event_back(&mut self) {
        self.playing = false;
        match self.cut.as_ref().map(|c| c.state.event) {
            Some(event) if event > 1 => self.show_event(event - 1),
            Some(_) => self.cut = None,
            None if self.steps > 0 => {
                self.step_back();
                // After all of the previous instant but its last event.
                if let Some((_, _, state)) = self.probe(usize::MAX) {
                    self.show_event(state.events.saturating_sub(1));
                }
            }
            None => {}
        }
    }

    /// Shows the state after the first `event` events of the next instant (none: before it;
    /// all of them: the instant applied).
    pub fn show_event(&mut self, event: usize) {
        self.cut = None;
        if event == 0 || self.is_at_end() {
            return;
        }
        let Some((simulator, start, state)) = self.probe(event) else {
            return;
        };
        if state.event >= state.events {
            self.step_forward();
            return;
        }
        self.display_time = simulator.now().0 as f64;
        self.cut = Some(Cut {
            simulator,
            start,
            state,
        });
    }

    /// An engine replayed to the next instant and through its first `event` events: it, where
    /// the instant's events start in its log, and the state after them.
    fn probe(&self, event: usize) -> Option<(Simulator, usize, sim_core::EventCut)> {
        // Replayed exactly as the playback's own engine was.
        let mut simulator = Simulator::new(self.scenario.clone());
        for _ in 0..self.steps {
            simulator.step();
        }
        let start = simulator.log().len();
        let state = simulator.step_to_event(event)?;
        Some((simulator, start, state))
    }

    /// Shows the state after the `event`-th event of the instant at `time` (`procsim-gui
    /// --at T --event K`, as `procsim run --at T --event K` prints it); a time with no
    /// instant shows the state at that time.
    pub fn jump_to_event(&mut self, time: Tick, event: usize) {
        self.jump_to(time.0.saturating_sub(1) as f64);
        if time.0 == 0 {
            self.replay_steps(0);
        }
        if self.simulator.next_instant() == Some(time) {
            self.show_event(event);
        } else {
            self.jump_to(time.0 as f64);
        }
    }

    /// The whole tick the clock is at.
    pub fn display_tick(&self) -> Tick {
        Tick(self.display_time.max(0.0).floor() as u64)
    }

    /// Moves the clock one tick on (through any instant at that tick).
    pub fn tick_forward(&mut self) {
        self.playing = false;
        let next = self.display_tick().0.saturating_add(1);
        if next as f64 <= self.end_time.0 as f64 {
            self.jump_to(next as f64);
        }
    }

    /// Moves the clock one tick back.
    pub fn tick_back(&mut self) {
        self.playing = false;
        let tick = self.display_tick().0;
        if tick > 0 {
            self.jump_to((tick - 1) as f64);
        }
    }

    /// The engine at the end of the whole run.
    pub fn finished(&self) -> &Simulator {
        &self.finished
    }

    pub fn final_report(&self) -> &RunReport {
        &self.final_report
    }

    /// The time of the last instant of the whole run.
    pub fn end_time(&self) -> Tick {
        self.end_time
    }

    pub fn now(&self) -> Tick {
        self.simulator.now()
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    pub fn is_at_end(&self) -> bool {
        self.simulator.next_instant().is_none() || self.simulator.log().len() >= MAX_EVENTS
    }

    /// Applies the next instant. Returns false at the end.
    pub fn step_forward(&mut self) -> bool {
        self.cut = None;
        if self.is_at_end() {
            return false;
        }
        if let Some(step) = self.simulator.step() {
            for timed in &self.simulator.log()[step.events.clone()] {
                self.folds.push(timed);
            }
            self.last_instant = step.events.start;
            let now = self.simulator.now();
            self.chart = ChartData {
                cpus: self.folds.chart.spans(now),
                devices: self.folds.devices.slices(now),
                coroutines: self.folds.coroutines.spans(now),
                markers: Vec::new(),
            };
            self.steps += 1;
            self.display_time = self.simulator.now().0 as f64;
            true
        } else {
            false
        }
    }

    /// Goes back to the previous instant (by replaying the engine from the start).
    pub fn step_back(&mut self) {
        if self.cut.take().is_some() {
            return; // back to the start of the instant being stepped through
        }
        if self.steps == 0 {
            return;
        }
        self.replay_steps(self.steps - 1);
    }

    pub fn restart(&mut self) {
        self.replay_steps(0);
        self.playing = false;
    }

    /// Shows the state at time `time`: every instant up to it applied, none after.
    pub fn jump_to(&mut self, time: f64) {
        self.cut = None;
        let time = time.max(0.0);
        if time < self.simulator.now().0 as f64 {
            self.replay_steps(0);
        }
        while self
            .simulator
            .next_instant()
            .is_some_and(|next| next.0 as f64 <= time)
            && self.step_forward()
        {}
        self.display_time = time.min(self.end_time.0 as f64).max(self.now().0 as f64);
    }

    /// Advances play by `seconds` of wall time.
    pub fn update(&mut self, seconds: f64) {
        if !self.playing {
            return;
        }
        self.cut = None;
        let target = self.display_time + seconds * self.speed;
        while self
            .simulator
            .next_instant()
            .is_some_and(|next| next.0 as f64 <= target)
            && self.step_forward()
        {}
        self.display_time = target.min(self.end_time.0 as f64);
        if self.is_at_end() {
            self.display_time = self.now().0 as f64;
            self.playing = false;
        }
    }

    fn replay_steps(&mut self, steps: usize) {
        self.cut = None;
        self.simulator = Simulator::new(self.scenario.clone());
        self.folds = Folds::new(&self.scenario);
        self.chart = ChartData::default();
        self.last_instant = 0;
        self.steps = 0;
        self.display_time = 0.0;
        for _ in 0..steps {
            if !self.step_forward() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn playback() -> Playback {
        let scenario = Scenario::from_yaml(
            "name: t\npolicy: {kind: rr, quantum: 2}\nprocesses: [{name: A, burst: 3}, {name: B, burst: 3}]",
        )
        .unwrap();
        Playback::new(scenario)
    }

    #[test]
    fn stepping_back_restores_the_previous_state() {
        let mut playback = playback();
        playback.step_forward();
        playback.step_forward();
        let before = playback.snapshot();
        playback.step_forward();
        assert_ne!(playback.snapshot(), before);
        playback.step_back();
        assert_eq!(playback.snapshot(), before);
    }

    #[test]
    fn playing_advances_with_time_and_stops_at_the_end() {
        let mut playback = playback();
        playback.playing = true;
        playback.speed = 1.0;
        playback.update(2.5);
        assert_eq!(playback.now(), Tick(2));
        playback.update(100.0);
        assert!(playback.is_at_end() && !playback.playing);
        assert_eq!(playback.now(), playback.end_time());
    }

    /// What a frame shows of the run so far, kept as the playback goes, is what folding the
    /// whole log again gives, at every step, after a step back and a jump too.
    #[test]
    fn a_frame_holds_what_the_whole_log_says() {
        let scenario = Scenario::from_yaml(
            "name: t\ncpus: 2\npolicy: {kind: mlfq, levels: [{quantum: 1}, {quantum: 2}], boost: 5}\ndevices: [{name: disk, servers: 1}]\nprocesses:\n  - {name: A, program: [{cpu: 3}, {io: {device: disk, time: 2}}, {cpu: 2}]}\n  - {name: B, arrival: 1, program: [{cpu: 1}, {io: {device: disk, time: 3}}, {cpu: 4}]}\n",
        )
        .unwrap();
        let mut playback = Playback::new(scenario.clone());
        let check = |playback: &Playback| {
            let frame = playback.frame();
            let now = frame.clock.now;
            assert_eq!(
                frame.metrics,
                sim_core::metrics::derive(&scenario, frame.log)
            );
            let spans: Vec<(u64, u64, Option<sim_core::Pid>)> = frame
                .chart
                .cpus
                .iter()
                .map(|s| (s.start.0, s.end.0, s.pid))
                .collect();
            let slices: Vec<(u64, u64, Option<sim_core::Pid>)> =
                sim_core::gantt::derive(&scenario, frame.log, now)
                    .iter()
                    .map(|s| (s.start.0, s.end.0, s.pid))
                    .collect();
            assert_eq!(spans, slices, "at t={}", now.0);
            assert_eq!(
                frame.chart.devices,
                sim_core::gantt::device_slices(&scenario, frame.log, now).as_slice()
            );
            let last = frame.log.last().map(|e| e.time);
            assert!(frame.last_instant.iter().all(|e| Some(e.time) == last));
        };
        while playback.step_forward() {
            check(&playback);
        }
        playback.step_back();
        check(&playback);
        playback.jump_to(3.0);
        check(&playback);
    }

    #[test]
    fn jumping_back_and_forth_is_exact() {
        let mut playback = playback();
        playback.jump_to(5.0);
        let at_five = playback.snapshot();
        playback.jump_to(1.0);
        playback.jump_to(5.0);
        assert_eq!(playback.snapshot(), at_five);
    }
}
